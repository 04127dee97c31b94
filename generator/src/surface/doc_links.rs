//! Links into the document's web page become rustdoc intra-doc links.
//!
//! Descriptions written for Redoc link to places on its page:
//! `#operation/{operationId}`, `#tag/{name}` (and `#tag/{name}/operation/{id}`),
//! `#section/…`, a schema, or a heading's id (`#non-recoverable-errors`). In
//! rustdoc these anchors lead nowhere. Once every Rust name is decided, each
//! such link becomes an intra-doc link to the generated item (the operation's
//! method on its tag accessor, the tag's module, the schema's type), or its
//! plain text when no item exists: a section of the introduction, a heading, an
//! operation left out by `--tag`.

use std::collections::BTreeMap;

use super::operations::{GroupSurface, OperationSurface};
use crate::model::{Api, TypeKind};

/// A copy of `model` whose doc strings have their `#…` links rewritten to
/// the items the surface named.
pub(super) fn resolved(
    model: &Api,
    groups: &BTreeMap<String, GroupSurface>,
    operations: &BTreeMap<String, OperationSurface>,
) -> Api {
    let targets = Targets::new(model, groups, operations);
    let mut api = model.clone();
    for doc in docs_mut(&mut api) {
        if doc.contains("](#") {
            *doc = crate::rustdoc::links::rewrite(doc, &|anchor| targets.path(anchor));
        }
    }
    api
}

/// The generated items a link can point at, by what the document calls them.
struct Targets {
    /// `operationId` → path of the method.
    operations: BTreeMap<String, String>,
    /// Tag name, reduced by [`tag_key`] → path of the module.
    tags: BTreeMap<String, String>,
    /// Schema pointer (`#/components/schemas/Name`) → path of the type.
    types: BTreeMap<String, String>,
}

impl Targets {
    fn new(
        api: &Api,
        groups: &BTreeMap<String, GroupSurface>,
        decided: &BTreeMap<String, OperationSurface>,
    ) -> Self {
        let mut operations = BTreeMap::new();
        let mut tags = BTreeMap::new();
        for group in &api.groups {
            let Some(names) = groups.get(&group.tag) else {
                continue;
            };
            let module = format!("crate::apis::{}", names.module);
            for operation in &group.operations {
                let Some(method) = decided.get(&operation.id).map(|op| &op.method) else {
                    continue;
                };
                // Intra-doc paths name a raw identifier without its `r#`.
                let method = method.trim_start_matches("r#");
                operations.insert(
                    operation.id.clone(),
                    format!("{module}::{}::{method}", names.struct_name),
                );
            }
            tags.insert(tag_key(&group.tag), module);
        }
        let types = api
            .types
            .iter()
            .map(|(id, def)| {
                let name = def.name.trim_start_matches("r#");
                (id.clone(), format!("crate::types::{name}"))
            })
            .collect();
        Self {
            operations,
            tags,
            types,
        }
    }

    /// The intra-doc path for an anchor (without its `#`), if the item exists.
    fn path(&self, anchor: &str) -> Option<&str> {
        let anchor = crate::rustdoc::links::percent_decode(anchor);
        let operation = anchor
            .strip_prefix("operation/")
            .or_else(|| anchor.rsplit_once("/operation/").map(|(_, id)| id));
        if let Some(id) = operation {
            return self.operations.get(id).map(String::as_str);
        }
        if let Some(tag) = anchor.strip_prefix("tag/") {
            return self.tags.get(&tag_key(tag)).map(String::as_str);
        }
        let schema = anchor
            .strip_prefix("/components/schemas/")
            .or_else(|| anchor.strip_prefix("schemas/"))
            .or_else(|| anchor.strip_prefix("schema/"))?;
        self.types
            .get(&format!("#/components/schemas/{schema}"))
            .map(String::as_str)
    }
}

/// A tag name as compared with an anchor: Redoc writes spaces as `-` or `%20`.
fn tag_key(tag: &str) -> String {
    tag.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Every doc string of the model.
fn docs_mut(api: &mut Api) -> Vec<&mut String> {
    let mut docs: Vec<&mut String> = Vec::new();
    docs.extend(api.description.as_mut());
    for server in &mut api.servers {
        docs.extend(server.doc.as_mut());
        docs.extend(server.variables.iter_mut().filter_map(|v| v.doc.as_mut()));
    }
    for group in &mut api.groups {
        docs.extend(group.doc.as_mut());
        for operation in &mut group.operations {
            docs.extend(operation.summary.as_mut());
            docs.extend(operation.description.as_mut());
            for parameter in operation
                .path_params
                .iter_mut()
                .chain(operation.query_and_header_params.iter_mut())
            {
                docs.extend(parameter.doc.as_mut());
            }
            docs.extend(operation.body.as_mut().and_then(|b| b.doc.as_mut()));
            for response in operation
                .successes
                .iter_mut()
                .chain(operation.errors.iter_mut())
            {
                docs.extend(response.doc.as_mut());
            }
        }
    }
    for def in api.types.values_mut() {
        docs.extend(def.doc.as_mut());
        match &mut def.kind {
            TypeKind::Struct(s) => docs.extend(s.fields.iter_mut().filter_map(|f| f.doc.as_mut())),
            TypeKind::Union(u) => docs.extend(u.variants.iter_mut().filter_map(|v| v.doc.as_mut())),
            TypeKind::StringEnum(_) => {}
        }
    }
    docs.extend(api.webhooks.iter_mut().filter_map(|w| w.doc.as_mut()));
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_resolve_against_the_model_names() {
        let targets = Targets {
            operations: [(
                "GetApp".to_owned(),
                "crate::apis::apps::Apps::get_app".to_owned(),
            )]
            .into(),
            tags: [(
                tag_key("Switchboard Actions"),
                "crate::apis::switchboard_actions".to_owned(),
            )]
            .into(),
            types: [(
                "#/components/schemas/User".to_owned(),
                "crate::types::User".to_owned(),
            )]
            .into(),
        };
        assert_eq!(
            targets.path("operation/GetApp"),
            Some("crate::apis::apps::Apps::get_app")
        );
        assert_eq!(
            targets.path("tag/Apps/operation/GetApp"),
            Some("crate::apis::apps::Apps::get_app")
        );
        assert_eq!(targets.path("operation/DeleteApp"), None);
        assert_eq!(
            targets.path("tag/Switchboard-Actions"),
            Some("crate::apis::switchboard_actions")
        );
        assert_eq!(
            targets.path("tag/Switchboard%20Actions"),
            Some("crate::apis::switchboard_actions")
        );
        assert_eq!(
            targets.path("/components/schemas/User"),
            Some("crate::types::User")
        );
        assert_eq!(targets.path("section/Introduction/Authentication"), None);
        assert_eq!(targets.path("section/Cooperation/GetApp"), None);
        assert_eq!(targets.path("%E9%"), None);
    }
}
