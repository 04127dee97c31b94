//! What a webhook delivery lists, decided once: a payload whose `events`
//! property is an array is decoded event by event, so that one event that
//! does not decode loses no other. Lowering names the events enum after the
//! webhook ([`events_items`]), and records the list on the model
//! ([`with_event_lists`]); everything after reads [`Webhook::events`].

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{PathItem, ReferenceOr};

use super::docs::doc;
use super::lowerer::Lowerer;
use super::responses::is_json;
use crate::diagnostics::{child, Diagnostic};
use crate::model::{EventList, TypeDef, TypeId, TypeKind, TypeRef, Webhook};
use crate::names;

/// The payload property that lists a delivery's events.
const EVENTS_PROPERTY: &str = "events";

/// The inline item schema of the payload's events array, if it has one:
/// lowered as the webhook's events enum.
pub(super) fn events_items<'s>(
    schema: &'s openapiv3::Schema,
    pointer: &str,
) -> Option<(&'s openapiv3::Schema, String)> {
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    let ReferenceOr::Item(events) = object.properties.get(EVENTS_PROPERTY)? else {
        return None;
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) = &events.schema_kind else {
        return None;
    };
    let ReferenceOr::Item(items) = array.items.as_ref()? else {
        return None;
    };
    Some((
        items,
        child(
            &child(&child(pointer, "properties"), EVENTS_PROPERTY),
            "items",
        ),
    ))
}

/// `webhooks` with [`Webhook::events`] set where the lowered payload is a
/// struct whose `events` field is an array.
pub(super) fn with_event_lists(
    mut webhooks: Vec<Webhook>,
    types: &BTreeMap<TypeId, TypeDef>,
) -> Vec<Webhook> {
    for webhook in &mut webhooks {
        webhook.events = event_list(&webhook.payload, types);
    }
    webhooks
}

fn event_list(payload: &TypeRef, types: &BTreeMap<TypeId, TypeDef>) -> Option<EventList> {
    let TypeRef::Named(id) = payload else {
        return None;
    };
    let TypeKind::Struct(def) = &types.get(id)?.kind else {
        return None;
    };
    let field = def
        .fields
        .iter()
        .find(|field| field.json_name == EVENTS_PROPERTY)?;
    let TypeRef::Array(event) = &field.ty else {
        return None;
    };
    Some(EventList {
        field: field.name.clone(),
        event: event.as_ref().clone(),
    })
}

impl<'a> Lowerer<'a> {
    /// The webhooks of `x-webhooks`: each a payload type and its docs.
    pub(super) fn webhooks(&mut self, webhooks: &'a IndexMap<String, PathItem>) -> Vec<Webhook> {
        let mut out = Vec::new();
        for (name, item) in webhooks {
            let item_pointer = child("#/x-webhooks", name);
            for (method, operation) in item.iter() {
                let pointer = child(&item_pointer, method);
                let Some(body) = &operation.request_body else {
                    self.diagnostics.push(Diagnostic::warning(
                        pointer,
                        "webhook without a request body; there is no payload type to generate",
                    ));
                    continue;
                };
                let Some((body, body_pointer)) = self.resolver.request_body(
                    body,
                    &child(&pointer, "requestBody"),
                    &mut self.diagnostics,
                ) else {
                    continue;
                };
                let Some((media, media_type)) = body.content.iter().find(|(m, _)| is_json(m))
                else {
                    self.diagnostics.push(Diagnostic::warning(
                        child(&body_pointer, "content"),
                        "webhook payload is not JSON; it is left out",
                    ));
                    continue;
                };
                let media_pointer = child(&child(&body_pointer, "content"), media);
                let base = names::type_name(name);
                // The `events` array of a payload is the event enum, named after the webhook.
                if let Some(ReferenceOr::Item(schema)) = &media_type.schema {
                    if let Some((items, items_pointer)) =
                        events_items(schema, &child(&media_pointer, "schema"))
                    {
                        self.schemas.event_union(items, &items_pointer, &base);
                    }
                }
                let payload =
                    self.media_type(media_type, &media_pointer, &format!("{base}Payload"));
                out.push(Webhook {
                    name: name.clone(),
                    payload,
                    // Known once every type is lowered (`webhooks::with_event_lists`).
                    events: None,
                    doc: doc(
                        operation.summary.as_deref(),
                        operation.description.as_deref(),
                    ),
                });
            }
        }
        out
    }
}
