//! Webhook deliveries built from typed events: the bytes and headers the
//! platform would send, and a helper that posts them to the service under
//! test.

use std::marker::PhantomData;

use serde::Serialize;
use serde_json::{json, Value};
use sunshine_runtime::reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};

use sunshine_runtime::webhook::API_KEY_HEADER;

use super::events::fill_platform_fields;

/// A webhook delivery as the platform sends it: the app, the webhook, and
/// one or more events of the crate's event type `E` (or raw JSON, for an
/// event the crate does not know or one that breaks the document).
///
/// `parse_webhook_event` of the generated crate decodes [`bytes`](Self::bytes)
/// back to the same events.
#[derive(Debug, Clone)]
#[must_use = "a delivery does nothing until it is sent or read"]
pub struct Delivery<E> {
    app_id: String,
    webhook_id: String,
    secret: Option<HeaderValue>,
    events: Vec<Value>,
    event_type: PhantomData<fn(E)>,
}

impl<E: Serialize> Default for Delivery<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Serialize> Delivery<E> {
    /// An empty delivery for app `mock-app` from webhook `mock-webhook`,
    /// without an `X-API-Key`.
    pub fn new() -> Self {
        Delivery {
            app_id: "mock-app".to_owned(),
            webhook_id: "mock-webhook".to_owned(),
            secret: None,
            events: Vec::new(),
            event_type: PhantomData,
        }
    }

    /// The app the events belong to.
    pub fn app(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = app_id.into();
        self
    }

    /// The webhook the delivery is made for.
    pub fn webhook(mut self, webhook_id: impl Into<String>) -> Self {
        self.webhook_id = webhook_id.into();
        self
    }

    /// The webhook's secret, sent in the `X-API-Key` header.
    ///
    /// # Panics
    ///
    /// Here, when `secret` cannot be a header value (a control character
    /// such as a line break): the delivery could not be signed with it.
    #[track_caller]
    pub fn secret(mut self, secret: impl AsRef<str>) -> Self {
        match HeaderValue::from_str(secret.as_ref()) {
            Ok(mut value) => {
                value.set_sensitive(true);
                self.secret = Some(value);
            }
            Err(_) => panic!(
                "the webhook secret given cannot be sent in the {API_KEY_HEADER} header: \
                 a header value holds visible ASCII, spaces and tabs only"
            ),
        }
        self
    }

    /// Adds an event. What the platform always sends and the event leaves
    /// out is filled in: a unique `id` and `createdAt` (now).
    ///
    /// # Panics
    ///
    /// When the event does not encode as JSON (a generated event type
    /// always does).
    pub fn event(mut self, event: &E) -> Self {
        match serde_json::to_value(event) {
            Ok(mut event) => {
                fill_platform_fields(&mut event);
                self.events.push(event);
            }
            Err(error) => panic!("the webhook event does not encode as JSON: {error}"),
        }
        self
    }

    /// Adds an event given as JSON, sent as it is, but for an `id` and
    /// `createdAt` it leaves out, filled in as by [`event`](Self::event)
    /// (write `null` to send an event without them).
    pub fn raw_event(mut self, mut event: Value) -> Self {
        fill_platform_fields(&mut event);
        self.events.push(event);
        self
    }

    /// The delivery's JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "app": { "id": self.app_id },
            "webhook": { "id": self.webhook_id, "version": "v2" },
            "events": self.events,
        })
    }

    /// The body the platform would send.
    pub fn bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    /// The headers the platform would send: `Content-Type` and, when a
    /// secret is set, `X-API-Key`.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(secret) = &self.secret {
            headers.insert(API_KEY_HEADER, secret.clone());
        }
        headers
    }

    /// POSTs the delivery to `url` (the service under test, such as
    /// `http://127.0.0.1:8080/webhooks`), with its headers, and returns the
    /// answer. No proxy is used.
    ///
    /// # Errors
    ///
    /// When the request cannot be sent or its answer read.
    pub async fn post(
        &self,
        url: &str,
    ) -> Result<sunshine_runtime::reqwest::Response, sunshine_runtime::reqwest::Error> {
        sunshine_runtime::reqwest::Client::builder()
            .no_proxy()
            .build()?
            .post(url)
            .headers(self.headers())
            .body(self.bytes())
            .send()
            .await
    }
}
