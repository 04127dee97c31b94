//! The test kit's names (`src/mock.rs`, the `mock` feature), each claimed in
//! the namespace it lives in. They follow the client's names (a tag's
//! accessor, struct and methods) unless an item of the kit already takes
//! one: a tag named `Client` is `client.client()` on the client but
//! `mock.client2()` on the fake, whose `client()` gives a client for it.

use std::collections::BTreeMap;

use super::operations::{GroupSurface, OperationSurface};
use crate::model::Api;
use crate::names::Scope;

/// Methods of the kit's `MockApi`: its own (`start`, `client`), the ones
/// `sunshine_kit::mock_api!` writes (`operations`), those of the
/// `MockServer` it dereferences to, which an accessor would hide, and of
/// the traits it implements.
const MOCK_API_METHODS: &[&str] = &[
    "start",
    "client",
    "operations",
    "uri",
    "client_builder",
    "received",
    "violations",
    "failures",
    "verify",
    "reset",
    "deref",
    "fmt",
];

/// The items of the kit's `mock` module besides the tags' structs: its
/// imports, `MockApi` and the `Delivery` alias.
const MOCK_MODULE_ITEMS: &[&str] = &["apis", "types", "Spec", "MockApi", "Delivery"];

/// Methods of a tag's expectations struct that `sunshine_kit::mock_group!`
/// writes (`new`, `OPERATIONS`) or derives (`Debug`, `Clone`, `Copy`).
const KIT_GROUP_METHODS: &[&str] = &["new", "OPERATIONS", "clone", "clone_from", "fmt"];

/// Claims the kit's accessor and struct of every group, and its method for
/// every operation.
pub(super) fn claim(
    api: &Api,
    groups: &mut BTreeMap<String, GroupSurface>,
    operations: &mut BTreeMap<String, OperationSurface>,
) {
    let mut accessors = Scope::with_reserved(MOCK_API_METHODS.iter().copied());
    let mut structs = Scope::with_reserved(MOCK_MODULE_ITEMS.iter().copied());
    for group in &api.groups {
        let Some(decided) = groups.get_mut(&group.tag) else {
            continue;
        };
        decided.kit_accessor = accessors.claim(&decided.module);
        decided.kit_struct = structs.claim(&decided.struct_name);
        let mut methods = Scope::with_reserved(KIT_GROUP_METHODS.iter().copied());
        for op in &group.operations {
            if let Some(op) = operations.get_mut(&op.id) {
                op.kit_method = methods.claim(&op.method);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::Selection;

    const DOCUMENT: &str = "
openapi: 3.0.3
info: {title: Kit, version: '1'}
paths:
  /a:
    get:
      operationId: new
      tags: [Client]
      responses: {'204': {description: Done.}}
  /b:
    get:
      operationId: verify
      tags: [MockApi]
      responses: {'204': {description: Done.}}
";

    #[test]
    fn kit_names_are_claimed_beside_the_kits_own_items() {
        let decided = crate::decide_document(DOCUMENT.as_bytes(), &Selection::default())
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
        let surface = decided.surface;
        let names: Vec<_> = surface
            .api()
            .groups
            .iter()
            .map(|group| {
                let decided = surface.group(group);
                let op = surface.operation(&group.operations[0]);
                (
                    decided.module.as_str(),
                    decided.kit_accessor.as_str(),
                    decided.struct_name.as_str(),
                    decided.kit_struct.as_str(),
                    op.method.as_str(),
                    op.kit_method.as_str(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                // `MockApi::client()` gives a client; `new` builds a struct.
                (
                    "client",
                    "client2",
                    "ClientDetails",
                    "ClientDetails",
                    "new2",
                    "new2"
                ),
                // The kit's module has its own `MockApi`.
                ("mock_api", "mock_api", "MockApi", "MockApi2", "verify", "verify"),
            ]
        );
    }
}
