//! The production webhook receiver of `sunshine_receiver`, made
//! available by a crate whose webhooks deliver lists of events: its cargo
//! features, forwarded to the runtime, and its re-export in `webhooks`,
//! with a `Receiver` alias for the crate's event type.

use proc_macro2::TokenStream;
use quote::quote;

use sunshine_facts::{CLIENT, RECEIVER, RECEIVER_AXUM_FEATURE, RECEIVER_REDIS_FEATURE};

use super::common::{rust_type, Context};
use crate::model::{Api, TypeRef};
use crate::surface::Surface;

/// The event type of the first webhook that delivers lists of events.
fn event_type(api: &Api) -> Option<&TypeRef> {
    api.event_delivery().map(|(_, event)| event)
}

/// The receiver's lines of `[features]`, or nothing for a crate without
/// event deliveries.
pub(super) fn manifest_features(surface: &Surface) -> String {
    if event_type(surface.api()).is_none() {
        return String::new();
    }
    let events = surface
        .features()
        .and_then(|features| features.webhooks.as_ref())
        .map(|feature| format!("\"{feature}\", "))
        .unwrap_or_default();
    let receiver = RECEIVER.name;
    format!(
        "# A webhook receiver that deduplicates, queues and dead-letters events (`webhooks::receiver`).\n\
         receiver = [{events}\"dep:{receiver}\"]\n\
         # The receiver's Redis store and Redis Streams queue, for several replicas.\n\
         receiver-redis = [\"receiver\", \"{receiver}/{RECEIVER_REDIS_FEATURE}\"]\n\
         # The receiver as an axum route.\n\
         receiver-axum = [\"receiver\", \"{receiver}/{RECEIVER_AXUM_FEATURE}\"]\n"
    )
}

/// What the `tracing` feature turns on: the client's spans, and the
/// receiver's logs where the crate has one.
pub(super) fn tracing_features(api: &Api) -> String {
    let client = format!("\"{}/tracing\"", CLIENT.name);
    match event_type(api) {
        Some(_) => format!("{client}, \"{}?/tracing\"", RECEIVER.name),
        None => client,
    }
}

/// Whether the crate offers the receiver: its webhooks deliver lists of
/// events.
pub(super) fn offered(api: &Api) -> bool {
    event_type(api).is_some()
}

/// The re-export and the alias, for `webhooks.rs`.
pub(super) fn items(surface: &Surface) -> TokenStream {
    let api = surface.api();
    let (Some(event), Some(alias)) = (event_type(api), surface.receiver_alias()) else {
        return TokenStream::new();
    };
    let event = rust_type(api, event, Context::Outside);
    let alias = super::common::ident(alias);
    quote! {
        /// The production receiver (feature `receiver`): verification against
        /// rotating secrets, deduplication across replicas, inline or queued
        /// handling, dead letters.
        #[cfg(feature = "receiver")]
        #[cfg_attr(docsrs, doc(cfg(feature = "receiver")))]
        pub use sunshine_receiver as receiver;

        /// A [`receiver::Receiver`] of this crate's webhook events.
        #[cfg(feature = "receiver")]
        #[cfg_attr(docsrs, doc(cfg(feature = "receiver")))]
        pub type #alias = sunshine_receiver::Receiver<#event>;
    }
}
