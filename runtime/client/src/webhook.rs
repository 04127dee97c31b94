//! Receiving webhooks: checking a delivery's `X-API-Key` header, and keeping
//! every event of a delivery even when one of them does not decode.
//!
//! Everything here is re-exported from a generated crate's `webhooks`, beside the
//! delivery types and parse functions generated for the document.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// ---------------------------------------------------------------------------
// The X-API-Key check
// ---------------------------------------------------------------------------

/// Name of the header that carries the webhook's secret in every delivery,
/// in lower case as `http::HeaderMap` keys are written (lookups ignore case).
pub const API_KEY_HEADER: &str = "x-api-key";

/// The secret of a webhook, which the platform sends back in the
/// [`X-API-Key`](API_KEY_HEADER) header of every delivery.
///
/// Keep it in this type rather than in a `String`: its `Debug` output never
/// shows the value, so logging a configuration struct cannot leak it, and it
/// has no `Display` and no `PartialEq` (an ordinary comparison would stop at
/// the first differing byte; use [`WebhookSecret::verify`]).
///
/// ```
/// use sunshine_conversations::webhooks::WebhookSecret;
///
/// let secret = WebhookSecret::new("whsec_5f1f3c9a");
/// assert!(secret.verify(Some("whsec_5f1f3c9a")).is_ok());
/// assert!(secret.verify(Some("guess")).is_err());
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
/// ```
#[derive(Clone)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// A secret with the given value (the webhook's `secret` as the API
    /// returned it when the webhook was created).
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// Checks the value of a delivery's [`X-API-Key`](API_KEY_HEADER) header
    /// against this secret, in constant time.
    ///
    /// `received` is the header's value as it came, or `None` when the
    /// header is absent. Anything that gives bytes works, so the value can
    /// come straight from any HTTP library: `Option<&str>`, `Option<&[u8]>`,
    /// or `Option<&http::HeaderValue>` (what `HeaderMap::get` returns in
    /// axum, hyper, reqwest and actix-web).
    ///
    /// An empty secret accepts nothing: a webhook always has one, so an empty
    /// value means the configuration is missing.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Missing`] when there is no header, [`VerifyError::Mismatch`]
    /// when its value is not the secret. Neither says anything about the
    /// secret, and neither repeats what was received.
    pub fn verify<V: AsRef<[u8]>>(&self, received: Option<V>) -> Result<(), VerifyError> {
        let received = received.ok_or(VerifyError::Missing)?;
        if constant_time_eq(received.as_ref(), self.0.as_bytes()) {
            Ok(())
        } else {
            Err(VerifyError::Mismatch)
        }
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

/// Checks a delivery's [`X-API-Key`](API_KEY_HEADER) header against the
/// webhook's secret, in constant time; the same as [`WebhookSecret::verify`].
///
/// ```
/// use sunshine_conversations::webhooks::{verify_api_key, VerifyError, WebhookSecret};
///
/// let secret = WebhookSecret::new("whsec_5f1f3c9a");
/// // With axum or hyper: `verify_api_key(headers.get(API_KEY_HEADER), &secret)`.
/// assert_eq!(verify_api_key(Some("whsec_5f1f3c9a"), &secret), Ok(()));
/// assert_eq!(verify_api_key(None::<&str>, &secret), Err(VerifyError::Missing));
/// assert_eq!(verify_api_key(Some(&b"whsec_"[..]), &secret), Err(VerifyError::Mismatch));
/// ```
///
/// # Errors
///
/// As [`WebhookSecret::verify`].
pub fn verify_api_key<V: AsRef<[u8]>>(
    received: Option<V>,
    secret: &WebhookSecret,
) -> Result<(), VerifyError> {
    secret.verify(received)
}

/// Why a delivery's [`X-API-Key`](API_KEY_HEADER) header was refused. Answer
/// either with `401 Unauthorized`, and do not act on the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyError {
    /// The request has no `X-API-Key` header.
    Missing,
    /// The header's value is not the webhook's secret.
    Mismatch,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "the webhook request has no X-API-Key header",
            Self::Mismatch => "the webhook request's X-API-Key header is not the webhook secret",
        })
    }
}

impl std::error::Error for VerifyError {}

/// Whether `received` equals `expected`, taking a time that depends only on
/// the two lengths, never on where the first differing byte is: every byte
/// of `expected` is visited and differences are OR-ed together without
/// branching on them, so an attacker timing responses cannot find the secret
/// byte by byte. (Its length is no secret worth the cost of hiding it.)
fn constant_time_eq(received: &[u8], expected: &[u8]) -> bool {
    if expected.is_empty() {
        return false;
    }
    let mut difference = u8::from(received.len() != expected.len());
    for (index, byte) in expected.iter().enumerate() {
        // The branch in `get` depends on the received length, which the
        // sender chose and knows, not on the secret's contents.
        let other = received.get(index).copied().unwrap_or(!byte);
        // `black_box` keeps the optimizer from turning the loop into an
        // early exit once a difference is found.
        difference = std::hint::black_box(difference | (byte ^ other));
    }
    difference == 0
}

// ---------------------------------------------------------------------------
// Deliveries decoded event by event
// ---------------------------------------------------------------------------

/// One event of a webhook delivery: decoded into the event type `E`, or kept
/// as it was sent, with the reason it did not decode.
///
/// A delivery carries several events; decoding each on its own means that
/// one event that breaks the document (a number where a string was
/// promised, say) costs only that event, never the others, and never the
/// event's data either. Event types this crate does not know are not
/// failures: they decode into the event type's `Unknown` variant. A property
/// the document does not declare is never a failure either; it is ignored.
///
/// Written back as JSON, either variant gives the event as it was received
/// (less undeclared properties, for a decoded one).
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveredEvent<E> {
    /// The event, decoded.
    Decoded(E),
    /// An event that did not decode, kept as it was sent.
    Undecodable(UndecodableEvent),
}

impl<E> DeliveredEvent<E> {
    /// The decoded event, or `None` for an undecodable one.
    pub fn decoded(&self) -> Option<&E> {
        match self {
            Self::Decoded(event) => Some(event),
            Self::Undecodable(_) => None,
        }
    }

    /// The undecodable event, or `None` for a decoded one.
    pub fn undecodable(&self) -> Option<&UndecodableEvent> {
        match self {
            Self::Decoded(_) => None,
            Self::Undecodable(event) => Some(event),
        }
    }

    /// The decoded event as `Ok`, the undecodable one as `Err`.
    ///
    /// # Errors
    ///
    /// The [`UndecodableEvent`] when the event did not decode.
    pub fn into_result(self) -> Result<E, UndecodableEvent> {
        match self {
            Self::Decoded(event) => Ok(event),
            Self::Undecodable(event) => Err(event),
        }
    }
}

impl<'de, E: DeserializeOwned> Deserialize<'de> for DeliveredEvent<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Any JSON value is accepted here; only decoding it into `E` can fail,
        // and that failure is kept with the value instead of returned.
        let raw = serde_json::Value::deserialize(deserializer)?;
        Ok(match E::deserialize(&raw) {
            Ok(event) => Self::Decoded(event),
            Err(error) => Self::Undecodable(UndecodableEvent {
                raw,
                error: error.to_string(),
            }),
        })
    }
}

impl<E: Serialize> Serialize for DeliveredEvent<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Decoded(event) => event.serialize(serializer),
            Self::Undecodable(event) => event.raw.serialize(serializer),
        }
    }
}

/// An event of a delivery that did not decode into its type: the JSON as it
/// was sent, and why decoding failed. Store it (a dead-letter queue, a log)
/// rather than drop it; the platform will not send it again once the
/// delivery was answered with a `2xx`.
#[derive(Debug, Clone, PartialEq)]
pub struct UndecodableEvent {
    /// The event exactly as it was sent.
    pub raw: serde_json::Value,
    /// Why it did not decode, such as
    /// ``invalid type: integer `912382197`, expected a string``.
    pub error: String,
}

impl UndecodableEvent {
    /// The event's `id`, when it has a string one.
    pub fn id(&self) -> Option<&str> {
        self.raw.get("id").and_then(serde_json::Value::as_str)
    }

    /// The event's `type`, when it has a string one.
    pub fn event_type(&self) -> Option<&str> {
        self.raw.get("type").and_then(serde_json::Value::as_str)
    }
}

impl fmt::Display for UndecodableEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "webhook event {} of type {} did not decode: {}",
            self.id().unwrap_or("(no id)"),
            self.event_type().unwrap_or("(no type)"),
            self.error
        )
    }
}

impl std::error::Error for UndecodableEvent {}
