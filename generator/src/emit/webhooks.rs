//! `src/webhooks.rs`: the payloads the API posts to your webhook endpoints,
//! one parse function per webhook, and the receiving helpers of
//! `sunshine_runtime::webhook` re-exported.
//!
//! A payload that lists events gets a delivery struct (its fields, with each
//! event a `DeliveredEvent`) and its parse function returns that struct, so
//! that one event that does not decode never loses the others.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, doc_or, ident, rust_type, Context};
use super::fields::{additional_field, emit_field_as, setter_marker};
use crate::model::{TypeKind, TypeRef, Webhook};
use crate::surface::{Surface, ADDITIONAL_PROPERTIES};

pub fn emit(surface: &Surface) -> TokenStream {
    let api = surface.api();
    let items = api
        .webhooks
        .iter()
        .map(|webhook| match delivery_struct(surface, webhook) {
            Some((name, definition)) => {
                let parser = parser(surface, webhook, &quote!(#name), "delivery");
                quote!(#definition #parser)
            }
            None => {
                let ty = rust_type(api, &webhook.payload, Context::Outside);
                parser(surface, webhook, &ty, "payload")
            }
        });
    let exports: Vec<TokenStream> = api
        .webhooks
        .iter()
        .filter_map(|w| match &w.payload {
            TypeRef::Named(id) => api.type_def(id).map(|d| {
                let name = ident(&d.name);
                quote!(pub use crate::types::#name;)
            }),
            _ => None,
        })
        .collect();
    let uses_types = api
        .webhooks
        .iter()
        .any(|w| w.events.is_some() || matches!(w.payload, TypeRef::Named(_) | TypeRef::Array(_)));
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let serde_import = api.webhooks.iter().any(|w| w.events.is_some()).then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    let receiver = super::receiver::items(surface);
    let runtime_items = runtime_items().map(ident);
    quote! {
        //! Webhook deliveries: what the API posts to your endpoints, and what a
        //! receiver needs to take them in.
        //!
        //! 1. Check the request's `X-API-Key` header with [`verify_api_key`] (or
        //!    [`WebhookSecret::verify`]) and answer `401` when it fails.
        //! 2. Parse the body with the function for the webhook. A delivery that
        //!    lists events is decoded event by event: each event is a
        //!    [`DeliveredEvent`], decoded or, when it breaks the document, kept as
        //!    sent with the reason ([`UndecodableEvent`]), so one bad event never
        //!    costs the others. Event types this crate does not know yet decode
        //!    into the event type's `Unknown` variant, and properties the document
        //!    does not declare are ignored.
        //!
        //! The payload types themselves are re-exported here too, for decoding a
        //! body strictly (all or nothing) with `serde_json`.

        #types_import
        #serde_import

        pub use sunshine_runtime::webhook::{#(#runtime_items),*};

        #(#exports)*

        #receiver

        #(#items)*
    }
}

/// The runtime's webhook items the module re-exports: every one the runtime
/// lists, in rustfmt's order (functions, then types, then constants).
fn runtime_items() -> impl Iterator<Item = &'static str> {
    let mut names: Vec<&str> = sunshine_facts::names(sunshine_facts::WEBHOOK_MODULE).collect();
    names.sort_by_key(|name| {
        let class = match name.chars().next() {
            Some(c) if c.is_lowercase() => 0,
            _ if name.chars().any(char::is_lowercase) => 1,
            _ => 2,
        };
        (class, *name)
    });
    names.into_iter()
}

/// The parse function of `webhook`, returning `ty` (`what` names it in the docs).
fn parser(surface: &Surface, webhook: &Webhook, ty: &TokenStream, what: &str) -> TokenStream {
    let function = ident(&surface.webhook(webhook).parse_fn);
    let mut text = format!("Parses the body of a `{}` webhook request.", webhook.name);
    if let Some(doc) = &webhook.doc {
        text.push_str("\n\n");
        text.push_str(doc);
    }
    text.push_str(&format!(
        "\n\n# Errors\n\nThe JSON error when the body is not a valid {what}."
    ));
    if what == "delivery" {
        text.push_str(" An event that does not decode is not an error: it is kept as a [`DeliveredEvent::Undecodable`].");
    }
    let doc = doc_attrs(&text);
    quote! {
        #doc
        pub fn #function(body: &[u8]) -> Result<#ty, serde_json::Error> {
            serde_json::from_slice(body)
        }
    }
}

/// The delivery struct of a webhook whose payload lists events: its name and
/// its definition.
fn delivery_struct(
    surface: &Surface,
    webhook: &Webhook,
) -> Option<(proc_macro2::Ident, TokenStream)> {
    let api = surface.api();
    let name = surface.webhook(webhook).delivery.as_ref()?;
    let events = webhook.events.as_ref()?;
    let events_field = &events.field;
    let TypeRef::Named(payload_id) = &webhook.payload else {
        return None;
    };
    let payload = api.type_def(payload_id)?;
    let TypeKind::Struct(fields) = &payload.kind else {
        return None;
    };
    let event_ty = rust_type(api, &events.event, Context::Outside);
    // The payload's setters and types: the same fields, so the same names.
    let payload_surface = surface.type_surface(payload_id)?;
    let setters = &payload_surface.setters;
    let members = fields
        .fields
        .iter()
        .zip(setters)
        .zip(&payload_surface.field_types);
    let members = members.map(|((field, setter), ty)| {
        if field.name != *events_field {
            return emit_field_as(field, ty, Context::Outside, setter, true, false);
        }
        let field_name = ident(&field.name);
        let json_name = &field.json_name;
        let rename = (field.name.trim_start_matches("r#") != json_name)
            .then(|| quote!(rename = #json_name,));
        let doc = doc_or(&field.doc, || format!("The `{json_name}` property."));
        let note = doc_attrs(
            "\nEvery event, in the order sent, each decoded on its own; an absent or `null` list is empty.",
        );
        let setter = setter_marker(&field.name, setter);
        quote! {
            #setter
            #doc
            #note
            #[serde(#rename default, deserialize_with = "sunshine_runtime::support::events_or_empty")]
            pub #field_name: Vec<DeliveredEvent<#event_ty>>,
        }
    });
    let additional = fields.additional.as_ref().map(|ty| {
        let setter = setters.last().map_or(ADDITIONAL_PROPERTIES, String::as_str);
        additional_field(api, ty, setter, true, Context::Outside)
    });
    let default = surface
        .has_default(&webhook.payload)
        .then(|| quote!(Default,));
    let type_name = ident(name);
    let payload_name = &payload.name;
    let doc = doc_attrs(&format!(
        "A `{}` delivery, decoded event by event: the fields of [`{payload_name}`], with every event a [`DeliveredEvent`], so that an event that does not decode keeps its JSON and costs no other event.\n\nWritten back as JSON, it gives the delivery as received (less properties the document does not declare).",
        webhook.name
    ));
    let events_field = ident(events_field);
    let definition = quote! {
        sunshine_runtime::object! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
            pub struct #type_name {
                #(#members)*
                #additional
            }
        }

        impl #type_name {
            /// The events that decoded, in order.
            pub fn decoded_events(&self) -> impl Iterator<Item = &#event_ty> {
                self.#events_field.iter().filter_map(DeliveredEvent::decoded)
            }

            /// The events that did not decode, in order: store them somewhere rather than drop them.
            pub fn undecodable_events(&self) -> impl Iterator<Item = &UndecodableEvent> {
                self.#events_field.iter().filter_map(DeliveredEvent::undecodable)
            }
        }
    };
    Some((type_name, definition))
}
