//! A durable dead-letter sink: a Redis stream that keeps every letter until
//! it is replayed or removed, shared by every replica.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::ConnectionManager;
use redis::streams::{StreamId, StreamRangeReply};

use super::dead_letter::{DeadLetter, DeadLetterReason, DeadLetterSink};
use super::redis_store::{connect, RedisStoreError};
use super::{BoxFuture, Receiver};

/// The stream [`RedisDeadLetters::connect`] uses.
pub const DEAD_LETTER_STREAM: &str = "sunshine:webhooks:dead-letters";

/// Redis could not be reached, or holds an entry that is not a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterStoreError(pub String);

impl fmt::Display for DeadLetterStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the dead-letter stream failed: {}", self.0)
    }
}

impl std::error::Error for DeadLetterStoreError {}

/// A letter kept in the stream, with its entry id.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLetter {
    /// The stream entry's id, for [`RedisDeadLetters::remove`].
    pub id: String,
    /// When it was kept.
    pub at: SystemTime,
    /// The letter.
    pub letter: DeadLetter,
}

/// What [`RedisDeadLetters::replay`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Letters the receiver took (handled, or queued) and that were removed.
    pub replayed: usize,
    /// Letters the receiver did not take, kept, with its answer.
    pub kept: Vec<(String, String)>,
}

/// A [`DeadLetterSink`] on a Redis stream (`XADD`), to list, count and
/// replay the letters ([`list`](Self::list), [`count`](Self::count),
/// [`replay`](Self::replay)). Like the queue, it needs Redis persistence
/// (`appendonly yes`) to survive a Redis restart.
#[derive(Clone)]
pub struct RedisDeadLetters {
    connection: ConnectionManager,
    stream: String,
}

impl fmt::Debug for RedisDeadLetters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisDeadLetters")
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

fn failed(error: &redis::RedisError) -> DeadLetterStoreError {
    DeadLetterStoreError(error.to_string())
}

impl RedisDeadLetters {
    /// Connects to the Redis at `url`, with the letters in
    /// [`DEAD_LETTER_STREAM`].
    ///
    /// # Errors
    ///
    /// When the URL is not one, or the first connection fails.
    pub async fn connect(url: &str) -> Result<Self, RedisStoreError> {
        let connection = connect(url, Duration::from_secs(2)).await?;
        Ok(Self::with_connection(connection, DEAD_LETTER_STREAM))
    }

    /// A sink on an existing connection, with the letters in `stream`.
    pub fn with_connection(connection: ConnectionManager, stream: impl Into<String>) -> Self {
        Self {
            connection,
            stream: stream.into(),
        }
    }

    /// How many letters are kept.
    ///
    /// # Errors
    ///
    /// When Redis cannot be reached.
    pub async fn count(&self) -> Result<usize, DeadLetterStoreError> {
        let mut connection = self.connection.clone();
        redis::cmd("XLEN")
            .arg(&self.stream)
            .query_async(&mut connection)
            .await
            .map_err(|error| failed(&error))
    }

    /// The oldest `max` letters, oldest first.
    ///
    /// # Errors
    ///
    /// When Redis cannot be reached, or an entry is not a letter.
    pub async fn list(&self, max: usize) -> Result<Vec<StoredLetter>, DeadLetterStoreError> {
        let mut connection = self.connection.clone();
        let reply: StreamRangeReply = redis::cmd("XRANGE")
            .arg(&self.stream)
            .arg("-")
            .arg("+")
            .arg("COUNT")
            .arg(max)
            .query_async(&mut connection)
            .await
            .map_err(|error| failed(&error))?;
        reply.ids.into_iter().map(stored).collect()
    }

    /// Removes the letter `id` (a [`StoredLetter::id`]).
    ///
    /// # Errors
    ///
    /// When Redis cannot be reached.
    pub async fn remove(&self, id: &str) -> Result<(), DeadLetterStoreError> {
        let mut connection = self.connection.clone();
        redis::cmd("XDEL")
            .arg(&self.stream)
            .arg(id)
            .query_async::<i64>(&mut connection)
            .await
            .map(drop)
            .map_err(|error| failed(&error))
    }

    /// Gives the oldest `max` letters to `receiver` again
    /// ([`Receiver::replay`]: back into its queue, or handled inline), and
    /// removes each one it takes. A letter it does not take stays, and so
    /// does one that goes to the dead letters again: as a new letter, with
    /// its new reason.
    ///
    /// # Errors
    ///
    /// When Redis cannot be reached, or an entry is not a letter.
    pub async fn replay<E>(
        &self,
        receiver: &Receiver<E>,
        max: usize,
    ) -> Result<Replayed, DeadLetterStoreError>
    where
        E: serde::de::DeserializeOwned + Send + 'static,
    {
        let mut replayed = Replayed::default();
        for stored in self.list(max).await? {
            let answer = receiver.replay(&stored.letter).await;
            if answer.is_success() {
                self.remove(&stored.id).await?;
                replayed.replayed += 1;
            } else {
                replayed.kept.push((stored.id, answer.body));
            }
        }
        Ok(replayed)
    }
}

/// A stream entry as a letter.
fn stored(entry: StreamId) -> Result<StoredLetter, DeadLetterStoreError> {
    let text = |field: &str| entry.get::<String>(field);
    let not_a_letter = || DeadLetterStoreError(format!("entry {} is not a dead letter", entry.id));
    let raw = text("event")
        .and_then(|event| serde_json::from_str(&event).ok())
        .ok_or_else(not_a_letter)?;
    let error = text("error").unwrap_or_default();
    let reason = match text("reason").as_deref() {
        Some("undecodable") => DeadLetterReason::Undecodable(error),
        Some("gave_up") => DeadLetterReason::GaveUp(error),
        Some("failed") => DeadLetterReason::Failed {
            attempts: text("attempts").and_then(|n| n.parse().ok()).unwrap_or(0),
            error,
        },
        _ => return Err(not_a_letter()),
    };
    let millis = entry
        .id
        .split('-')
        .next()
        .and_then(|millis| millis.parse().ok())
        .unwrap_or(0);
    Ok(StoredLetter {
        at: UNIX_EPOCH + Duration::from_millis(millis),
        letter: DeadLetter {
            raw,
            app_id: text("app").filter(|app| !app.is_empty()),
            reason,
        },
        id: entry.id,
    })
}

impl DeadLetterSink for RedisDeadLetters {
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let attempts = match &letter.reason {
                DeadLetterReason::Failed { attempts, .. } => attempts.to_string(),
                _ => String::new(),
            };
            let mut connection = self.connection.clone();
            redis::cmd("XADD")
                .arg(&self.stream)
                .arg("*")
                .arg("event")
                .arg(letter.raw.to_string())
                .arg("app")
                .arg(letter.app_id.as_deref().unwrap_or_default())
                .arg("reason")
                .arg(letter.reason.kind())
                .arg("error")
                .arg(letter.reason.error())
                .arg("attempts")
                .arg(attempts)
                .query_async::<String>(&mut connection)
                .await
                .map(drop)
                .map_err(|error| failed(&error).to_string())
        })
    }
}
