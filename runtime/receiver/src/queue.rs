//! The queue of queued mode: a delivery's events are put in it before the
//! delivery is answered, and workers take them out to handle them.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::Notify;

use super::BoxFuture;

/// An event taken from a queue, to be [acknowledged](EventQueue::ack) once
/// handled or [handed back](EventQueue::hand_back).
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedEvent {
    /// The event exactly as it was delivered.
    pub raw: serde_json::Value,
    /// The id of the app its delivery came for.
    pub app_id: Option<String>,
    /// The queue's own name for this entry (a stream id for Redis).
    pub receipt: String,
    /// When it was put in the queue, for the queue's lag; `None` when the
    /// queue does not know.
    pub enqueued_at: Option<SystemTime>,
}

/// Why a queue did not take or give events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueError {
    /// The queue holds as many events as it may: the receiver answers `503`
    /// and the platform sends the delivery again later.
    Full,
    /// The queue could not be reached.
    Unavailable(String),
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full => f.write_str("the event queue is full"),
            Self::Unavailable(error) => write!(f, "the event queue failed: {error}"),
        }
    }
}

impl std::error::Error for QueueError {}

/// A queue of events between the answer to a delivery and their handlers.
///
/// [`MemoryQueue`] serves one process in development; `RedisQueue` (feature
/// `receiver-redis`) is durable and shared by replicas.
pub trait EventQueue: Send + Sync + 'static {
    /// Adds all of `events`, of a delivery for `app_id`, or none of them.
    fn enqueue<'a>(
        &'a self,
        app_id: Option<&'a str>,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>>;

    /// Takes up to `max` events for `consumer`, waiting up to `wait` for one.
    /// `lease` is the receiver's: an event taken by a consumer that has not
    /// [renewed](Self::renew) it for that long may be given to another.
    fn fetch<'a>(
        &'a self,
        consumer: &'a str,
        max: usize,
        wait: Duration,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>>;

    /// Keeps `event` with `consumer` for another lease, while its handler runs.
    fn renew<'a>(
        &'a self,
        consumer: &'a str,
        event: &'a QueuedEvent,
    ) -> BoxFuture<'a, Result<(), QueueError>>;

    /// How many events the queue holds, taken ones included.
    fn length(&self) -> BoxFuture<'_, Result<usize, QueueError>>;

    /// Forgets `consumer`, which stops for good (a graceful shutdown) and
    /// holds nothing.
    fn leave<'a>(&'a self, consumer: &'a str) -> BoxFuture<'a, Result<(), QueueError>>;

    /// Removes a handled (or dead-lettered) event for good.
    fn ack<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>>;

    /// Puts an event that was not handled back at the end of the queue, for
    /// any worker to take again.
    fn hand_back<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>>;

    /// Whether a graceful shutdown should handle everything the queue holds
    /// before stopping (a queue that would lose it), rather than leave it to
    /// other replicas (a shared, durable one).
    fn drain_on_shutdown(&self) -> bool;
}

/// A bounded queue in this process's memory, for a single process in
/// development and tests.
///
/// **It loses what it holds when the process stops** without a graceful
/// shutdown (a crash, a kill): events answered `200` and not handled yet
/// are gone. Use `RedisQueue` in production.
#[derive(Debug)]
pub struct MemoryQueue {
    capacity: usize,
    events: Mutex<VecDeque<MemoryEntry>>,
    added: Notify,
}

#[derive(Debug)]
struct MemoryEntry {
    raw: serde_json::Value,
    app_id: Option<String>,
    enqueued_at: SystemTime,
}

/// How many events a [`MemoryQueue::default`] holds.
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

impl Default for MemoryQueue {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_QUEUE_CAPACITY)
    }
}

impl MemoryQueue {
    /// A queue that holds at most `capacity` events (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            events: Mutex::new(VecDeque::new()),
            added: Notify::new(),
        }
    }

    /// How many events wait in the queue (not those taken by a worker).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no event waits in the queue.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<MemoryEntry>> {
        // Pushes and pops leave the queue consistent, even mid-panic.
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self, max: usize) -> Vec<QueuedEvent> {
        let mut events = self.lock();
        let count = max.min(events.len());
        events
            .drain(..count)
            .map(|entry| QueuedEvent {
                raw: entry.raw,
                app_id: entry.app_id,
                receipt: String::new(),
                enqueued_at: Some(entry.enqueued_at),
            })
            .collect()
    }
}

impl EventQueue for MemoryQueue {
    fn enqueue<'a>(
        &'a self,
        app_id: Option<&'a str>,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        let result = {
            let mut queue = self.lock();
            if queue.len() + events.len() > self.capacity {
                Err(QueueError::Full)
            } else {
                let enqueued_at = SystemTime::now();
                queue.extend(events.iter().map(|raw| MemoryEntry {
                    raw: raw.clone(),
                    app_id: app_id.map(str::to_owned),
                    enqueued_at,
                }));
                Ok(())
            }
        };
        if result.is_ok() {
            self.added.notify_waiters();
            self.added.notify_one();
        }
        Box::pin(std::future::ready(result))
    }

    fn fetch<'a>(
        &'a self,
        _consumer: &'a str,
        max: usize,
        wait: Duration,
        _lease: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>> {
        Box::pin(async move {
            let taken = self.take(max);
            if !taken.is_empty() || wait.is_zero() {
                return Ok(taken);
            }
            let _ = tokio::time::timeout(wait, self.added.notified()).await;
            Ok(self.take(max))
        })
    }

    fn ack<'a>(&'a self, _event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn hand_back<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>> {
        // Over capacity if need be: an event already answered for is never
        // dropped for want of room.
        self.lock().push_back(MemoryEntry {
            raw: event.raw.clone(),
            app_id: event.app_id.clone(),
            enqueued_at: event.enqueued_at.unwrap_or_else(SystemTime::now),
        });
        self.added.notify_one();
        Box::pin(std::future::ready(Ok(())))
    }

    fn renew<'a>(
        &'a self,
        _consumer: &'a str,
        _event: &'a QueuedEvent,
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        // A taken event is the process's own until it is handed back.
        Box::pin(std::future::ready(Ok(())))
    }

    fn length(&self) -> BoxFuture<'_, Result<usize, QueueError>> {
        Box::pin(std::future::ready(Ok(self.len())))
    }

    fn leave<'a>(&'a self, _consumer: &'a str) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn drain_on_shutdown(&self) -> bool {
        true
    }
}

/// A shared queue: the receiver and its owner both hold it.
impl<T: EventQueue + ?Sized> EventQueue for std::sync::Arc<T> {
    fn enqueue<'a>(
        &'a self,
        app_id: Option<&'a str>,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        (**self).enqueue(app_id, events)
    }

    fn fetch<'a>(
        &'a self,
        consumer: &'a str,
        max: usize,
        wait: Duration,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>> {
        (**self).fetch(consumer, max, wait, lease)
    }

    fn renew<'a>(
        &'a self,
        consumer: &'a str,
        event: &'a QueuedEvent,
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        (**self).renew(consumer, event)
    }

    fn length(&self) -> BoxFuture<'_, Result<usize, QueueError>> {
        (**self).length()
    }

    fn leave<'a>(&'a self, consumer: &'a str) -> BoxFuture<'a, Result<(), QueueError>> {
        (**self).leave(consumer)
    }

    fn ack<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>> {
        (**self).ack(event)
    }

    fn hand_back<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>> {
        (**self).hand_back(event)
    }

    fn drain_on_shutdown(&self) -> bool {
        (**self).drain_on_shutdown()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn a_full_queue_takes_none_of_a_delivery() {
        let queue = MemoryQueue::with_capacity(2);
        queue.enqueue(None, &[json!({"id": "a"})]).await.unwrap();
        assert_eq!(
            queue
                .enqueue(None, &[json!({"id": "b"}), json!({"id": "c"})])
                .await,
            Err(QueueError::Full)
        );
        assert_eq!(queue.len(), 1);

        let taken = queue
            .fetch("worker", 10, Duration::ZERO, Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].raw, json!({"id": "a"}));
        queue.hand_back(&taken[0]).await.unwrap();
        assert_eq!(queue.len(), 1);
    }
}
