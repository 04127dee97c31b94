//! The queue of queued mode: a delivery's events are put in it before the
//! delivery is answered, and workers take them out to handle them.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use futures_core::future::BoxFuture;
use tokio::sync::Notify;

/// An event taken from a queue, to be [acknowledged](EventQueue::ack) once
/// handled or [handed back](EventQueue::hand_back).
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedEvent {
    /// The event exactly as it was delivered.
    pub raw: serde_json::Value,
    /// The queue's own name for this entry (a stream id for Redis).
    pub receipt: String,
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
    /// Adds all of `events` or none of them.
    fn enqueue<'a>(
        &'a self,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>>;

    /// Takes up to `max` events for `consumer`, waiting up to `wait` for one.
    fn fetch<'a>(
        &'a self,
        consumer: &'a str,
        max: usize,
        wait: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>>;

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
    events: Mutex<VecDeque<serde_json::Value>>,
    added: Notify,
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

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<serde_json::Value>> {
        // Pushes and pops leave the queue consistent, even mid-panic.
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self, max: usize) -> Vec<QueuedEvent> {
        let mut events = self.lock();
        let count = max.min(events.len());
        events
            .drain(..count)
            .map(|raw| QueuedEvent {
                raw,
                receipt: String::new(),
            })
            .collect()
    }
}

impl EventQueue for MemoryQueue {
    fn enqueue<'a>(
        &'a self,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        let result = {
            let mut queue = self.lock();
            if queue.len() + events.len() > self.capacity {
                Err(QueueError::Full)
            } else {
                queue.extend(events.iter().cloned());
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
        self.lock().push_back(event.raw.clone());
        self.added.notify_one();
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
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        (**self).enqueue(events)
    }

    fn fetch<'a>(
        &'a self,
        consumer: &'a str,
        max: usize,
        wait: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>> {
        (**self).fetch(consumer, max, wait)
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
        queue.enqueue(&[json!({"id": "a"})]).await.unwrap();
        assert_eq!(
            queue
                .enqueue(&[json!({"id": "b"}), json!({"id": "c"})])
                .await,
            Err(QueueError::Full)
        );
        assert_eq!(queue.len(), 1);

        let taken = queue.fetch("worker", 10, Duration::ZERO).await.unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].raw, json!({"id": "a"}));
        queue.hand_back(&taken[0]).await.unwrap();
        assert_eq!(queue.len(), 1);
    }
}
