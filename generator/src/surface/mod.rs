//! Stage 3, surface: the Rust API of the generated crate, decided once.
//!
//! Lowering describes the document in Rust terms: types with their fields
//! and variants, operations grouped by tag. This stage decides what the crate
//! exposes around them, in one place:
//!
//! - every name that is not a schema's: each tag's module, accessor and
//!   struct, each operation's method and its own items (`{Op}Params`,
//!   `{Op}Error`, `{Op}Response`), the webhook delivery structs and event
//!   types, the cargo features; each claimed in the scope it lives in ([`crate::names::Scope`]),
//!   seeded with what the runtime and the crate's fixed items already take;
//! - every signature: what a method takes, what its call sends when nothing
//!   more is set, and what `.params`, `.body` and `.paginate` exist for;
//! - for every named type, how it is built (`Default`, `new(..)`) and which
//!   traits it derives;
//! - the facts the change report's rules rest on ([`Policy`]).
//!
//! Emitters, the doc examples and the change report ([`crate::diff`]) read a
//! [`Surface`]; none of them decides a name, a signature or a construction.
//! Intra-doc links are resolved here too, since they name the items decided
//! here.

mod construct;
mod derives;
mod doc_links;
mod event_names;
mod features;
mod operations;
mod setters;
mod webhooks;

use std::collections::BTreeMap;

use crate::model::{Api, Operation, TypeId, TypeKind, TypeRef};
pub use construct::{Construction, Fill};
pub use features::FIXED_FEATURES;
pub use operations::{Argument, OperationSurface, Success};

/// The Rust surface of a crate: the model it was decided for, and what was
/// decided.
#[derive(Debug, Clone)]
pub struct Surface {
    api: Api,
    operations: BTreeMap<String, OperationSurface>,
    types: BTreeMap<TypeId, TypeSurface>,
    policy: Policy,
}

/// How a named type is built and what it derives.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSurface {
    /// How users build it (structs; `None` for enums and unions).
    pub construction: Construction,
    /// What each field holds when unset (structs, in field order); `None`
    /// when it must be given.
    pub fills: Vec<Option<Fill>>,
    /// The name of each field's setter (structs, in field order), then of the
    /// flattened map of undeclared properties, if the struct has one.
    pub setters: Vec<String>,
    /// Whether it has serde impls: everything but the multipart bodies,
    /// which hold uploads.
    pub serde: bool,
}

/// Facts about the generated API as a whole, which the emitters write and
/// the change report's rules ([`crate::diff::compat`]) assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Enums and unions in `types` are `#[non_exhaustive]`: the runtime's
    /// macros that write them say so.
    pub type_enums_non_exhaustive: bool,
    /// The `{Op}Error` enums are `#[non_exhaustive]` (the runtime's
    /// `operation_error!` writes them).
    pub error_enums_non_exhaustive: bool,
    /// The `{Op}Response` enums are `#[non_exhaustive]` (emit/apis.rs writes
    /// the attribute when this says so).
    pub response_enums_non_exhaustive: bool,
    /// `Server` is `#[non_exhaustive]` (emit/root.rs writes the attribute
    /// when this says so).
    pub server_enum_non_exhaustive: bool,
    /// Every generated struct is `#[non_exhaustive]`, built with `default()`
    /// or `new(..)` and setters (the runtime's `object!` writes them).
    pub structs_non_exhaustive: bool,
}

impl Policy {
    /// The policy of every crate this generator writes.
    pub const GENERATED: Policy = Policy {
        type_enums_non_exhaustive: sunshine_facts::MACRO_ENUMS_NON_EXHAUSTIVE,
        error_enums_non_exhaustive: sunshine_facts::MACRO_ENUMS_NON_EXHAUSTIVE,
        response_enums_non_exhaustive: true,
        server_enum_non_exhaustive: true,
        structs_non_exhaustive: sunshine_facts::OBJECT_STRUCTS_NON_EXHAUSTIVE,
    };
}

/// Decides the surface of `api`, claiming the names lowering left to this
/// stage.
pub fn build(mut api: Api) -> Surface {
    operations::name_groups(&mut api.groups);
    webhooks::decide(&mut api.webhooks, &api.types);
    event_names::unify(&api.webhooks, &mut api.types);
    api.features = features::decide(&api);
    // Links name generated items, so they are resolved once every name is decided.
    doc_links::resolve(&mut api);
    let operations = operations::decide(&api);
    let types = api
        .types
        .keys()
        .map(|id| (id.clone(), type_surface(&api, id)))
        .collect();
    Surface {
        api,
        operations,
        types,
        policy: Policy::GENERATED,
    }
}

fn type_surface(api: &Api, id: &TypeId) -> TypeSurface {
    let ty = TypeRef::Named(id.clone());
    let (fills, setters) = match api.type_def(id).map(|def| (&def.kind, def.usage.sent)) {
        Some((TypeKind::Struct(s), sent)) => {
            let fills = s
                .fields
                .iter()
                .map(|f| construct::field_fill(api, f, sent, &mut vec![id.clone()]))
                .collect();
            let names = s.fields.iter().map(|f| f.name.as_str());
            let additional = s.additional.as_ref().map(|_| ADDITIONAL_PROPERTIES);
            (fills, setters::names(names.chain(additional)))
        }
        _ => (Vec::new(), Vec::new()),
    };
    TypeSurface {
        construction: construct::construction(api, id, &mut Vec::new()),
        fills,
        setters,
        serde: !derives::holds_binary(api, &ty, &mut Vec::new()),
    }
}

/// The field of a struct that keeps the properties its schema does not
/// declare (flattened).
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";

impl Surface {
    /// The model the surface was decided for, with the names claimed here.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The model, given back.
    pub fn into_api(self) -> Api {
        self.api
    }

    /// The surface of an operation of [`Surface::api`].
    pub fn operation(&self, op: &Operation) -> &OperationSurface {
        // Every operation of the model was decided in `build`.
        &self.operations[&op.id]
    }

    /// The surface of a named type of [`Surface::api`], or `None` for an
    /// id the model does not have.
    pub fn type_surface(&self, id: &str) -> Option<&TypeSurface> {
        self.types.get(id)
    }

    /// How the named type `id` is built (`None` for unknown ids and for
    /// enums and unions).
    pub fn construction(&self, id: &str) -> Construction {
        self.types
            .get(id)
            .map_or(Construction::None, |t| t.construction)
    }

    /// Whether `ty` is a struct that has `Default` (derived or written).
    pub fn has_default(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => matches!(self.construction(id), Construction::Default { .. }),
            _ => false,
        }
    }

    /// The facts the change report's rules rest on.
    pub fn policy(&self) -> Policy {
        self.policy
    }
}
