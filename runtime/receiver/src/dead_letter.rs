//! Where events go that the receiver cannot handle: undecodable ones, those
//! whose handler gave up on them, and those whose handler kept failing.
//! Never dropped silently.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use super::BoxFuture;

/// An event the receiver gave up on, as it was sent, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    /// The event exactly as it was sent.
    pub raw: serde_json::Value,
    /// The id of the app its delivery came for.
    pub app_id: Option<String>,
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
    /// Its handler gave up on it ([`Outcome::GiveUp`](super::Outcome::GiveUp)):
    /// a permanent failure, with the handler's reason.
    GaveUp(String),
}

impl DeadLetterReason {
    /// A short name of the kind of reason, as the metrics label it:
    /// `undecodable`, `failed` or `gave_up`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Undecodable(_) => "undecodable",
            Self::Failed { .. } => "failed",
            Self::GaveUp(_) => "gave_up",
        }
    }

    /// The error or reason it carries.
    pub fn error(&self) -> &str {
        match self {
            Self::Undecodable(error) | Self::Failed { error, .. } | Self::GaveUp(error) => error,
        }
    }
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
            DeadLetterReason::GaveUp(reason) => {
                write!(
                    f,
                    "webhook event {id} of type {kind} was given up on: {reason}"
                )
            }
        }
    }
}

/// Keeps the events the receiver gives up on (a table, a queue, a bucket),
/// to replay once the cause is fixed
/// ([`Receiver::replay`](super::Receiver::replay)).
///
/// An error makes the receiver treat the event as not handled: inline, the
/// delivery is answered `503` and the platform sends it again; queued, the
/// entry stays in the queue.
pub trait DeadLetterSink: Send + Sync + 'static {
    /// Keeps `letter`.
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>>;
}

/// How many letters a [`LogDeadLetters::default`] keeps in memory.
pub const DEFAULT_KEPT_LETTERS: usize = 1_000;

/// The default sink: logs each letter with its JSON as an error, and keeps
/// the latest ones in memory ([`letters`](Self::letters)), at most
/// [`capacity`](Self::with_capacity), warning once when it starts to drop
/// the oldest.
///
/// The log is `tracing` when a subscriber is set (feature `tracing`), else
/// standard error: a dead letter is never silent. It is gone with the
/// process: use `RedisDeadLetters` (feature `receiver-redis`) to keep
/// letters across restarts and replay them.
#[derive(Debug)]
pub struct LogDeadLetters {
    capacity: usize,
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    letters: VecDeque<DeadLetter>,
    dropped: u64,
}

impl Default for LogDeadLetters {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_KEPT_LETTERS)
    }
}

impl LogDeadLetters {
    /// A sink that keeps the latest `capacity` letters in memory.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity,
            kept: Mutex::new(Kept::default()),
        }
    }

    /// The letters kept, oldest first.
    pub fn letters(&self) -> Vec<DeadLetter> {
        self.lock().letters.iter().cloned().collect()
    }

    /// How many letters are kept.
    pub fn len(&self) -> usize {
        self.lock().letters.len()
    }

    /// Whether no letter is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many letters were dropped to stay within the capacity.
    pub fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Pushes and pops leave the list consistent, even mid-panic.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DeadLetterSink for LogDeadLetters {
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>> {
        super::log::error(&format!("{letter}: {}", letter.raw));
        let mut kept = self.lock();
        kept.letters.push_back(letter.clone());
        if kept.letters.len() > self.capacity {
            kept.letters.pop_front();
            kept.dropped += 1;
            if kept.dropped == 1 {
                super::log::warn(&format!(
                    "the in-memory dead letters are full ({} kept): the oldest are dropped from \
                     now on; use a durable sink",
                    self.capacity
                ));
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A shared sink: the receiver and its owner both hold it.
impl<T: DeadLetterSink + ?Sized> DeadLetterSink for std::sync::Arc<T> {
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>> {
        (**self).send(letter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(id: &str) -> DeadLetter {
        DeadLetter {
            raw: serde_json::json!({ "id": id, "type": "conversation:message" }),
            app_id: None,
            reason: DeadLetterReason::GaveUp("no such conversation".to_owned()),
        }
    }

    #[tokio::test]
    async fn the_default_sink_keeps_the_latest_letters_and_counts_what_it_drops() {
        let sink = LogDeadLetters::with_capacity(2);
        for id in ["evt-1", "evt-2", "evt-3"] {
            sink.send(&letter(id)).await.unwrap();
        }

        let kept: Vec<_> = sink
            .letters()
            .iter()
            .map(|l| l.event_id().map(str::to_owned))
            .collect();
        assert_eq!(kept, [Some("evt-2".to_owned()), Some("evt-3".to_owned())]);
        assert_eq!((sink.len(), sink.dropped()), (2, 1));
        assert_eq!(
            letter("evt-1").to_string(),
            "webhook event evt-1 of type conversation:message was given up on: no such conversation"
        );
    }
}
