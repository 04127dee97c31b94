//! The webhooks as Rust: each webhook's parse function, and the struct that
//! holds a delivery of a payload that lists events (lowering's
//! [`Webhook::events`](crate::model::Webhook::events)): the payload's
//! fields, with every event kept (decoded, or as sent together with the
//! reason it did not decode). All live in the generated `webhooks` module.

use crate::model::{Api, TypeRef};
use crate::names::{self, Scope};

/// One webhook's Rust surface.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookSurface {
    /// The function that parses its payload (`parse_webhook_event`).
    pub parse_fn: String,
    /// The struct that holds a delivery (`WebhookEventDelivery`), when the
    /// payload lists events.
    pub delivery: Option<String>,
}

/// The name of the `webhooks` module's alias of the runtime's receiver for
/// the crate's event type (`Receiver`), when some delivery lists events.
const RECEIVER_ALIAS: &str = "Receiver";

/// The `webhooks` module's own items.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhooksModule {
    /// Each webhook's items, in the model's order.
    pub webhooks: Vec<WebhookSurface>,
    /// The alias of the runtime's receiver for the crate's event type, when
    /// a delivery lists events (feature `receiver`).
    pub receiver_alias: Option<String>,
}

/// Names every webhook's items, in the model's order, and the receiver's alias.
pub(super) fn decide(api: &Api) -> WebhooksModule {
    let runtime_names =
        || sunshine_facts::names(sunshine_facts::WEBHOOK_MODULE).map(|name| name as &str);
    // The `webhooks` module also re-exports every payload type by name.
    let payload_names = api
        .webhooks
        .iter()
        .filter_map(|webhook| match &webhook.payload {
            TypeRef::Named(id) => api.type_def(id).map(|def| def.name.as_str()),
            _ => None,
        });
    let mut types = Scope::with_reserved(runtime_names().chain(payload_names));
    let mut functions = Scope::with_reserved(runtime_names());
    let receiver_alias = api.event_delivery().map(|_| types.claim(RECEIVER_ALIAS));
    let webhooks = api
        .webhooks
        .iter()
        .map(|webhook| WebhookSurface {
            parse_fn: functions.claim(&format!(
                "parse_{}",
                names::field_name(&webhook.name).trim_start_matches("r#")
            )),
            delivery: webhook
                .events
                .as_ref()
                .map(|_| types.claim(&format!("{}Delivery", names::type_name(&webhook.name)))),
        })
        .collect();
    WebhooksModule {
        webhooks,
        receiver_alias,
    }
}
