//! What a webhook delivery lists, decided once: a payload whose `events`
//! property is an array is decoded event by event, so that one event that
//! does not decode loses no other. Lowering names the events enum after the
//! webhook ([`events_items`]), and records the list on the model
//! ([`with_event_lists`]); everything after reads [`Webhook::events`].

use std::collections::BTreeMap;

use openapiv3::ReferenceOr;

use crate::diagnostics::child;
use crate::model::{EventList, TypeDef, TypeId, TypeKind, TypeRef, Webhook};

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
