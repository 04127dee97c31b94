//! Queued mode's workers: take events from the queue, handle each like an
//! inline delivery would, and acknowledge it, hand it back, or dead-letter it.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::queue::{EventQueue, QueuedEvent};
use super::store::ClaimToken;
use super::{warn, EventMeta, Processed, Receiver};

/// How long one fetch waits for events before looking at the stop signal.
const FETCH_WAIT: Duration = Duration::from_millis(500);
/// How many events one lane holds, waiting, beside the one it handles.
const LANE_BACKLOG: usize = 4;

/// The workers of a queued receiver, running until [`shutdown`](Self::shutdown).
/// Dropped without it, they go on running until the runtime stops.
#[derive(Debug)]
pub struct Workers {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Workers {
    /// Stops taking events, finishes the ones being handled, then drains
    /// the queue (a [`MemoryQueue`](super::MemoryQueue), which would lose
    /// them) or hands back what was taken and not started (a shared queue,
    /// where other replicas take it), and returns once all is settled.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            warn(&format!("a receiver worker stopped abnormally: {error}"));
        }
    }
}

impl<E: DeserializeOwned + Send + 'static> Receiver<E> {
    /// Starts `concurrency` workers (at least 1) on the current tokio
    /// runtime that handle the queued events; `None` when the receiver has
    /// no queue. Events of one conversation go to the same worker, in the
    /// order the queue gives them.
    pub fn spawn_workers(&self, concurrency: usize) -> Option<Workers> {
        let queue = Arc::clone(self.inner.queue.as_ref()?);
        let (stop, stopped) = watch::channel(false);
        let receiver = self.clone();
        let task = tokio::spawn(receiver.run(queue, concurrency.max(1), stopped));
        Some(Workers { stop, task })
    }

    async fn run(
        self,
        queue: Arc<dyn EventQueue>,
        concurrency: usize,
        mut stopped: watch::Receiver<bool>,
    ) {
        let consumer = format!("consumer-{}", ClaimToken::unique().as_str());
        let drain = queue.drain_on_shutdown();
        let mut lanes = Vec::with_capacity(concurrency);
        let mut lane_tasks = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            let (sender, events) = mpsc::channel(LANE_BACKLOG);
            lanes.push(sender);
            let lane = self
                .clone()
                .lane(Arc::clone(&queue), events, stopped.clone(), drain);
            lane_tasks.push(tokio::spawn(lane));
        }
        let batch = concurrency * 2;
        let mut failures = 0_u32;
        loop {
            if *stopped.borrow() {
                break;
            }
            let fetched = tokio::select! {
                _ = stopped.changed() => break,
                fetched = queue.fetch(&consumer, batch, FETCH_WAIT) => fetched,
            };
            match fetched {
                Ok(events) => {
                    failures = 0;
                    dispatch(&lanes, events).await;
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    warn(&format!("could not take events from the queue: {error}"));
                    let backoff = Duration::from_millis(100 * u64::from(failures.min(20)));
                    tokio::select! {
                        _ = stopped.changed() => break,
                        () = tokio::time::sleep(backoff) => {}
                    }
                }
            }
        }
        if drain {
            loop {
                match queue.fetch(&consumer, batch, Duration::ZERO).await {
                    Ok(events) if !events.is_empty() => dispatch(&lanes, events).await,
                    _ => break,
                }
            }
        }
        drop(lanes);
        for task in lane_tasks {
            if let Err(error) = task.await {
                warn(&format!("a receiver worker stopped abnormally: {error}"));
            }
        }
    }

    /// Handles the events of one lane in order.
    async fn lane(
        self,
        queue: Arc<dyn EventQueue>,
        mut events: mpsc::Receiver<QueuedEvent>,
        stopped: watch::Receiver<bool>,
        drain: bool,
    ) {
        while let Some(event) = events.recv().await {
            if *stopped.borrow() && !drain {
                settle(queue.hand_back(&event).await);
                continue;
            }
            self.handle_queued(queue.as_ref(), &event).await;
        }
    }

    async fn handle_queued(&self, queue: &dyn EventQueue, event: &QueuedEvent) {
        // Deliveries are checked for ids before they are queued, so an
        // event without one comes from elsewhere; it cannot be deduplicated.
        let Some(meta) = EventMeta::of(&event.raw) else {
            let reason = super::DeadLetterReason::Undecodable("the event has no id".to_owned());
            if self.dead_letter(&event.raw, reason).await.is_ok() {
                settle(queue.ack(event).await);
            }
            return;
        };
        match self.process(&event.raw, &meta).await {
            Processed::Handled | Processed::Skipped => settle(queue.ack(event).await),
            Processed::Busy | Processed::Failed(_) | Processed::StoreDown(_) => {
                tokio::time::sleep(self.inner.settings.retry_delay).await;
                // When the queue cannot take it back either, a shared queue
                // still holds it and gives it out again after the lease.
                settle(queue.hand_back(event).await);
            }
        }
    }
}

/// Sends each event to the lane of its conversation.
async fn dispatch(lanes: &[mpsc::Sender<QueuedEvent>], events: Vec<QueuedEvent>) {
    for event in events {
        let key = EventMeta::of(&event.raw).map(|meta| meta.ordering_key().to_owned());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        // The remainder is below `lanes.len()`, so it fits in usize.
        let lane = usize::try_from(hasher.finish() % lanes.len() as u64).unwrap_or(0);
        if lanes[lane].send(event).await.is_err() {
            warn("a receiver worker lane stopped");
        }
    }
}

fn settle(result: Result<(), super::QueueError>) {
    if let Err(error) = result {
        warn(&format!("the queue did not settle an event: {error}"));
    }
}
