//! The production webhook receiver of `sunshine_runtime::receiver`, made
//! available by a crate whose webhooks deliver lists of events: its cargo
//! features, forwarded to the runtime, and its re-export in `webhooks`,
//! with a `Receiver` alias for the crate's event type.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{rust_type, Context};
use crate::model::{Api, TypeRef};

/// The event type of the first webhook that delivers lists of events.
fn event_type(api: &Api) -> Option<&TypeRef> {
    api.event_delivery().map(|(_, event)| event)
}

/// The receiver's lines of `[features]`, or nothing for a crate without
/// event deliveries.
pub(super) fn manifest_features(api: &Api) -> String {
    if event_type(api).is_none() {
        return String::new();
    }
    let events = api
        .features
        .as_ref()
        .and_then(|features| features.webhooks.as_ref())
        .map(|feature| format!("\"{feature}\", "))
        .unwrap_or_default();
    format!(
        "# A webhook receiver that deduplicates, queues and dead-letters events (`webhooks::receiver`).\n\
         receiver = [{events}\"sunshine-runtime/receiver\"]\n\
         # The receiver's Redis store and Redis Streams queue, for several replicas.\n\
         receiver-redis = [\"receiver\", \"sunshine-runtime/receiver-redis\"]\n\
         # The receiver as an axum route.\n\
         receiver-axum = [\"receiver\", \"sunshine-runtime/receiver-axum\"]\n"
    )
}

/// The re-export and the alias, for `webhooks.rs`.
pub(super) fn items(api: &Api) -> TokenStream {
    let Some(event) = event_type(api) else {
        return TokenStream::new();
    };
    let event = rust_type(api, event, Context::Outside);
    quote! {
        /// The production receiver (feature `receiver`): verification against
        /// rotating secrets, deduplication across replicas, inline or queued
        /// handling, dead letters.
        #[cfg(feature = "receiver")]
        #[cfg_attr(docsrs, doc(cfg(feature = "receiver")))]
        pub use sunshine_runtime::receiver;

        /// A [`receiver::Receiver`] of this crate's webhook events.
        #[cfg(feature = "receiver")]
        #[cfg_attr(docsrs, doc(cfg(feature = "receiver")))]
        pub type Receiver = sunshine_runtime::receiver::Receiver<#event>;
    }
}
