//! Cargo features for crates with several tags: one per tag and one for
//! the webhook events, so that a user of one tag compiles that tag's
//! operations and the types they reach, and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use crate::lower::tags::named_in;
use crate::model::{Api, BodyKind, Features, TypeDef, TypeId, TypeRef};
use crate::names::Scope;

/// The feature of the webhook events (not `webhooks`: upstream has a tag of
/// that name, for the operations that manage webhooks).
const WEBHOOK_EVENTS: &str = "webhook-events";

/// The features of `api`, or `None` when it has a single tag (or none): such
/// a crate is small, and every feature would be on anyway.
pub(super) fn decide(api: &Api) -> Option<Features> {
    if api.groups.len() < 2 {
        return None;
    }
    // Cargo's own `default`, and the features every generated crate has
    // besides the document's, are never a tag's.
    let mut scope = Scope::with_reserved(
        ["default"]
            .into_iter()
            .chain(FIXED_FEATURES.iter().copied()),
    );
    let groups: BTreeMap<String, String> = api
        .groups
        .iter()
        .map(|group| {
            (
                group.module.clone(),
                claim(&mut scope, &feature_name(&group.module), "operations"),
            )
        })
        .collect();
    let webhooks =
        (!api.webhooks.is_empty()).then(|| claim(&mut scope, WEBHOOK_EVENTS, "payloads"));

    let mut users: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    for group in &api.groups {
        let feature = &groups[&group.module];
        let mut roots = Vec::new();
        for op in &group.operations {
            roots.extend(op.path_params.iter().chain(&op.other_params).map(|p| &p.ty));
            roots.extend(op.body.iter().map(|body| match &body.kind {
                BodyKind::Json(ty) | BodyKind::Multipart(ty) => ty,
            }));
            roots.extend(
                op.successes
                    .iter()
                    .chain(&op.errors)
                    .filter_map(|r| r.body.as_ref()),
            );
            if let Some(pages) = &op.pagination {
                roots.push(&pages.item);
            }
        }
        for id in reachable(&api.types, roots) {
            users.entry(id).or_default().insert(feature.clone());
        }
    }
    if let Some(feature) = &webhooks {
        for id in reachable(&api.types, api.webhooks.iter().map(|w| &w.payload)) {
            users.entry(id).or_default().insert(feature.clone());
        }
    }
    let every: BTreeSet<String> = groups.values().cloned().chain(webhooks.clone()).collect();
    users.retain(|_, features| *features != every);
    Some(Features {
        groups,
        webhooks,
        types: users,
    })
}

/// The features of every generated crate, whatever its document: a tag or
/// the webhook events never take one of these names.
pub const FIXED_FEATURES: &[&str] = &[
    "tracing",
    "mock",
    "receiver",
    "receiver-redis",
    "receiver-axum",
];

/// `name`, or `name-{qualifier}` when that is taken (a tag named `Default`
/// gets `default-operations`), numbered after that if need be.
fn claim(scope: &mut Scope, name: &str, qualifier: &str) -> String {
    if scope.contains(name) {
        scope.claim(&format!("{name}-{qualifier}"))
    } else {
        scope.claim(name)
    }
}

/// `switchboard_actions` → `switchboard-actions` (cargo's usual spelling).
fn feature_name(module: &str) -> String {
    module.trim_end_matches('_').replace('_', "-")
}

/// The named types reachable from `roots` (the walk `usage` does).
fn reachable<'a>(
    types: &BTreeMap<TypeId, TypeDef>,
    roots: impl IntoIterator<Item = &'a TypeRef>,
) -> BTreeSet<TypeId> {
    let mut named = BTreeSet::new();
    for ty in roots {
        named_in(ty, &mut named);
    }
    crate::lower::usage::reachable(types, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_module_names() {
        assert_eq!(feature_name("switchboard_actions"), "switchboard-actions");
        assert_eq!(feature_name("type_"), "type");
    }
}
