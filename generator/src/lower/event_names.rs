//! One naming pattern for webhook events, whatever the document calls their
//! schemas (`conversationMessageEvent` beside `switchboardPassControl`): each
//! event type ends in `Event` (`SwitchboardPassControlEvent`), and its
//! variant of the events enum is the same name without it
//! (`WebhookEvent::SwitchboardPassControl`).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{TypeDef, TypeId, TypeKind, TypeRef, Webhook};
use crate::names::Scope;

const SUFFIX: &str = "Event";

/// Renames the event types and variants of every webhook delivery's events
/// (schema names, so lowering's to decide, once every type is known).
pub(super) fn unify(webhooks: &[Webhook], types: &mut BTreeMap<TypeId, TypeDef>) {
    let mut taken: BTreeSet<String> = types.values().map(|def| def.name.clone()).collect();
    let unions: Vec<TypeId> = webhooks
        .iter()
        .filter_map(|webhook| events_union(webhook, types))
        .collect();
    for union_id in unions {
        let Some(TypeKind::Union(union)) = types.get(&union_id).map(|def| def.kind.clone()) else {
            continue;
        };
        let mut variants = Scope::with_reserved(union.fallback.as_deref());
        let mut renamed = union.clone();
        for variant in &mut renamed.variants {
            let TypeRef::Named(event_id) = &variant.ty else {
                variant.name = variants.claim(&variant.name);
                continue;
            };
            let Some(event) = types.get_mut(event_id) else {
                continue;
            };
            let base = event
                .name
                .strip_suffix(SUFFIX)
                .unwrap_or(&event.name)
                .to_owned();
            let wanted = format!("{base}{SUFFIX}");
            // Another type may already hold the name: then this one keeps its own.
            if wanted != event.name && taken.insert(wanted.clone()) {
                event.name = wanted;
            }
            let variant_base = variant
                .name
                .strip_suffix(SUFFIX)
                .unwrap_or(&variant.name)
                .to_owned();
            variant.name = variants.claim(if variant_base.is_empty() {
                &variant.name
            } else {
                &variant_base
            });
        }
        if let Some(def) = types.get_mut(&union_id) {
            def.kind = TypeKind::Union(renamed);
        }
    }
}

/// The union type of a delivery's `events` items, if the webhook has one.
fn events_union(webhook: &Webhook, types: &BTreeMap<TypeId, TypeDef>) -> Option<TypeId> {
    match &webhook.events.as_ref()?.event {
        TypeRef::Named(id)
            if matches!(types.get(id).map(|d| &d.kind), Some(TypeKind::Union(_))) =>
        {
            Some(id.clone())
        }
        _ => None,
    }
}
