//! Which webhook payloads are decoded event by event, and the names of the
//! structs that hold such deliveries.
//!
//! A payload whose `events` property is an array gets a delivery struct in
//! the generated `webhooks` module: the payload's fields, with every event
//! kept (decoded, or as sent together with the reason it did not decode).

use std::collections::BTreeMap;

use crate::model::{EventDelivery, TypeDef, TypeId, TypeKind, TypeRef, Webhook};
use crate::names::{self, Scope};

/// The public names `sunshine_runtime::webhook` adds to the generated `webhooks`
/// module; a delivery struct must not take one of them.
pub const TEMPLATE_NAMES: [&str; 6] = [
    "API_KEY_HEADER",
    "DeliveredEvent",
    "UndecodableEvent",
    "VerifyError",
    "WebhookSecret",
    "verify_api_key",
];

/// The payload property that lists a delivery's events.
const EVENTS_PROPERTY: &str = "events";

/// Sets [`Webhook::delivery`] for every webhook whose payload lists events.
pub fn decide(webhooks: &mut [Webhook], types: &BTreeMap<TypeId, TypeDef>) {
    // The `webhooks` module also re-exports every payload type by name.
    let payload_names = webhooks
        .iter()
        .filter_map(|webhook| match &webhook.payload {
            TypeRef::Named(id) => types.get(id).map(|def| def.name.as_str()),
            _ => None,
        });
    let mut scope = Scope::with_reserved(TEMPLATE_NAMES.into_iter().chain(payload_names));
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

#[cfg(test)]
mod tests {
    use super::TEMPLATE_NAMES;

    /// Every public item of the template is reserved, so that a delivery
    /// struct can never clash with one.
    #[test]
    fn every_public_name_of_the_template_is_reserved() {
        let template = include_str!("../../../runtime/src/webhook.rs");
        let mut public: Vec<&str> = template
            .lines()
            .filter_map(|line| {
                let rest = line.strip_prefix("pub ")?;
                let rest = ["struct ", "enum ", "fn ", "const "]
                    .iter()
                    .find_map(|keyword| rest.strip_prefix(keyword))?;
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            })
            .collect();
        public.sort_unstable();
        let mut reserved = TEMPLATE_NAMES.to_vec();
        reserved.sort_unstable();
        assert_eq!(public, reserved);
    }
}
