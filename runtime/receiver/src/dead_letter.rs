//! Where events go that the receiver cannot handle: undecodable ones, and
//! those whose handler kept failing. Never dropped silently.

use std::fmt;

use futures_core::future::BoxFuture;

/// An event the receiver gave up on, as it was sent, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    /// The event exactly as it was sent.
    pub raw: serde_json::Value,
    /// Why it was given up on.
    pub reason: DeadLetterReason,
}

impl DeadLetter {
    /// The event's `id`.
    pub fn event_id(&self) -> Option<&str> {
        self.raw.get("id").and_then(serde_json::Value::as_str)
    }

    /// The event's `type`.
    pub fn event_type(&self) -> Option<&str> {
        self.raw.get("type").and_then(serde_json::Value::as_str)
    }
}

/// Why an event went to the dead-letter sink.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeadLetterReason {
    /// It does not decode into the crate's event type; the decoding error.
    Undecodable(String),
    /// Its handler failed on every one of `attempts` attempts; the last error.
    Failed {
        /// How many times the handler ran.
        attempts: u32,
        /// What the last attempt said.
        error: String,
    },
}

impl fmt::Display for DeadLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.event_id().unwrap_or("(no id)");
        let kind = self.event_type().unwrap_or("(no type)");
        match &self.reason {
            DeadLetterReason::Undecodable(error) => {
                write!(
                    f,
                    "webhook event {id} of type {kind} did not decode: {error}"
                )
            }
            DeadLetterReason::Failed { attempts, error } => write!(
                f,
                "webhook event {id} of type {kind} failed {attempts} times, last: {error}"
            ),
        }
    }
}

/// Keeps the events the receiver gives up on (a table, a queue, a bucket),
/// to replay once the cause is fixed.
///
/// An error makes the receiver treat the event as not handled: inline, the
/// delivery is answered `503` and the platform sends it again; queued, the
/// entry stays in the queue.
pub trait DeadLetterSink: Send + Sync + 'static {
    /// Keeps `letter`.
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>>;
}

/// The default sink: logs each letter with its JSON, as an error (through
/// `tracing` with the `tracing` feature, else on standard error).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogDeadLetters;

impl DeadLetterSink for LogDeadLetters {
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>> {
        #[cfg(feature = "tracing")]
        tracing::error!(raw = %letter.raw, "{letter}");
        #[cfg(not(feature = "tracing"))]
        eprintln!("{letter}: {}", letter.raw);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A shared sink: the receiver and its owner both hold it.
impl<T: DeadLetterSink + ?Sized> DeadLetterSink for std::sync::Arc<T> {
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>> {
        (**self).send(letter)
    }
}
