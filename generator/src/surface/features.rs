//! Cargo features for crates with several tags: one per tag and one for
//! the webhook events, so that a user of one tag compiles that tag's
//! operations and the types they reach, and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use super::operations::GroupSurface;
use crate::model::{Api, TypeId};
use crate::names::Scope;
use sunshine_facts::FIXED_FEATURES;

/// Cargo features that let a crate with several tags compile only what its
/// user needs: one per tag, one for the webhook events, all on by default.
/// Each type compiles when any feature that uses it is on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// The feature of each group, by group module (`switchboard_actions` →
    /// `switchboard-actions`).
    pub groups: BTreeMap<String, String>,
    /// The feature of the webhook events, if the document has any.
    pub webhooks: Option<String>,
    /// The features that use each type, by type id. A type used by every
    /// feature, or by none, is not listed and always compiles.
    pub types: BTreeMap<TypeId, BTreeSet<String>>,
}

/// The feature of the webhook events (not `webhooks`: upstream has a tag of
/// that name, for the operations that manage webhooks).
const WEBHOOK_EVENTS: &str = "webhook-events";

/// The features of `api`, or `None` when it has a single tag (or none): such
/// a crate is small, and every feature would be on anyway.
pub(super) fn decide(api: &Api, decided: &BTreeMap<String, GroupSurface>) -> Option<Features> {
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
    let module = |tag: &str| decided.get(tag).map_or("", |g| g.module.as_str());
    let groups: BTreeMap<String, String> = api
        .groups
        .iter()
        .map(|group| {
            let module = module(&group.tag);
            (
                module.to_owned(),
                claim(&mut scope, &feature_name(module), "operations"),
            )
        })
        .collect();
    let webhooks =
        (!api.webhooks.is_empty()).then(|| claim(&mut scope, WEBHOOK_EVENTS, "payloads"));

    let mut users: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    for group in &api.groups {
        let feature = &groups[module(&group.tag)];
        let roots = group.operations.iter().flat_map(|op| {
            op.sent_types()
                .chain(op.received_types())
                .chain(op.pagination.as_ref().map(|pages| &pages.item))
        });
        for id in api.reachable(roots) {
            users.entry(id).or_default().insert(feature.clone());
        }
    }
    if let Some(feature) = &webhooks {
        for id in api.reachable(api.webhooks.iter().map(|w| &w.payload)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_module_names() {
        assert_eq!(feature_name("switchboard_actions"), "switchboard-actions");
        assert_eq!(feature_name("type_"), "type");
    }
}
