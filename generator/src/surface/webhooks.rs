//! Which webhook payloads are decoded event by event, and the names of the
//! structs that hold such deliveries.
//!
//! A payload whose `events` property is an array gets a delivery struct in
//! the generated `webhooks` module: the payload's fields, with every event
//! kept (decoded, or as sent together with the reason it did not decode).

use std::collections::BTreeMap;

use crate::model::{EventDelivery, TypeDef, TypeId, TypeKind, TypeRef, Webhook};
use crate::names::{self, Scope};

/// The payload property that lists a delivery's events.
const EVENTS_PROPERTY: &str = "events";

/// Sets [`Webhook::delivery`] for every webhook whose payload lists events.
pub(super) fn decide(webhooks: &mut [Webhook], types: &BTreeMap<TypeId, TypeDef>) {
    // The `webhooks` module also re-exports every payload type by name.
    let payload_names = webhooks
        .iter()
        .filter_map(|webhook| match &webhook.payload {
            TypeRef::Named(id) => types.get(id).map(|def| def.name.as_str()),
            _ => None,
        });
    let runtime_names = sunshine_facts::names(sunshine_facts::WEBHOOK_MODULE);
    let mut scope =
        Scope::with_reserved(runtime_names.map(|name| name as &str).chain(payload_names));
    for webhook in webhooks {
        let Some(events_field) = events_field(&webhook.payload, types) else {
            continue;
        };
        let name = scope.claim(&format!("{}Delivery", names::type_name(&webhook.name)));
        webhook.delivery = Some(EventDelivery { name, events_field });
    }
}

/// The Rust name of the payload's `events` field, when the payload is a
/// struct whose `events` is an array.
fn events_field(payload: &TypeRef, types: &BTreeMap<TypeId, TypeDef>) -> Option<String> {
    let TypeRef::Named(id) = payload else {
        return None;
    };
    let TypeKind::Struct(def) = &types.get(id)?.kind else {
        return None;
    };
    def.fields
        .iter()
        .find(|field| field.json_name == EVENTS_PROPERTY)
        .filter(|field| matches!(field.ty, TypeRef::Array(_)))
        .map(|field| field.name.clone())
}
