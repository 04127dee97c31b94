//! A webhook receiver for production: verifies each delivery, decodes each
//! event on its own, deduplicates by event id across replicas, handles
//! events inline or through a durable queue, and keeps what it cannot
//! handle in a dead-letter sink.
//!
//! The core is free of any web framework: [`Receiver::receive`] takes the
//! `X-API-Key` header's value and the body, and gives an [`Answer`] (a
//! status and a short text) to send back. `receiver-axum` adds a ready
//! route; with hyper or actix-web, call `receive` from a handler.
//!
//! A delivery is answered, in this order:
//!
//! | status | when | state |
//! |---|---|---|
//! | `503` | the receiver is [closed](Receiver::close) | untouched |
//! | `401` | `X-API-Key` is missing or matches no secret | untouched, nothing decoded |
//! | `413` | the body is larger than [`max_body_bytes`](ReceiverBuilder::max_body_bytes) | untouched |
//! | `400` | the body is not a delivery (a JSON object whose `events` is a list), or an event has no string `id` | untouched |
//! | `503` | a handler failed (inline): the platform sends the delivery again | the failed event's claim released; what was done stays done |
//! | `503` | the store or the queue cannot be reached, the queue is full, or another replica is handling one of the events right now | what was done stays done |
//! | `200` | every event handled, skipped as a duplicate, dead-lettered, or (queued) queued | |
//!
//! **Inline** (the default): each event is claimed in the
//! [`DedupStore`], handled, and marked done before the answer; a delivery
//! with a failed event is answered `503`, and on its retry only that event
//! (and the ones after it in its conversation) run again. **Queued**
//! ([`ReceiverBuilder::queue`]): the events are put in an [`EventQueue`] and
//! the delivery is answered at once; [`Receiver::spawn_workers`] handles
//! them, on any replica, with the same claims. Either way, events of one
//! conversation run one after the other and other events concurrently, an
//! undecodable event goes to the [`DeadLetterSink`], and so does an event
//! whose handler failed [`max_attempts`](ReceiverBuilder::max_attempts)
//! times.
//!
//! What it cannot promise:
//!
//! - An action is done once as long as the store answers between the
//!   handler's success and the mark: a replica that dies in that moment, or
//!   a store down for longer than the lease, lets a later attempt act again.
//!   Handlers whose effects can be repeated safely need no more.
//! - Queued, the events of one conversation run in order on one replica;
//!   two replicas can take two events of one conversation at once, and an
//!   event handed back for a retry goes behind the ones after it.
//! - A [`MemoryQueue`] loses what it holds when the process dies, and what
//!   failed while a graceful shutdown drained it.

#![deny(missing_docs)]
// docs.rs (`--cfg docsrs`, on nightly) marks each gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod dead_letter;
mod handler;
mod queue;
mod store;
mod verify;
mod worker;

#[cfg(feature = "axum")]
mod axum;
#[cfg(feature = "redis")]
mod redis_queue;
#[cfg(feature = "redis")]
mod redis_store;

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use sunshine_runtime::webhook::{DeliveredEvent, WebhookSecret};

pub use dead_letter::{DeadLetter, DeadLetterReason, DeadLetterSink, LogDeadLetters};
pub use handler::{DeliveryContext, Handler, Outcome};
pub use queue::{EventQueue, MemoryQueue, QueueError, QueuedEvent, DEFAULT_QUEUE_CAPACITY};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_queue::RedisQueue;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::{RedisStore, RedisStoreError};
pub use store::{Claim, ClaimToken, DedupStore, MemoryStore, StoreError, DEFAULT_MEMORY_CAPACITY};
pub use worker::Workers;

/// The largest body a receiver reads by default: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a claim lasts by default: a replica that dies mid-handler
/// leaves its events to others after this.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);
/// How long handled event ids are kept by default: the platform retries a
/// delivery for up to 15 minutes, so an hour leaves a margin.
pub const DEFAULT_KEEP_DONE: Duration = Duration::from_secs(60 * 60);
/// How many times a handler runs for one event by default before the event
/// goes to the dead-letter sink: the platform's own number of attempts.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// What to send back for a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// A short explanation, as `text/plain`; it never repeats the secret.
    pub body: String,
}

impl Answer {
    fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
        }
    }

    /// Whether the status is `2xx`: the platform will not send the delivery
    /// again.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Receives webhook deliveries whose events decode into `E` (the generated
/// crate's `types::WebhookEvent`). Cheap to clone: clones share everything.
pub struct Receiver<E> {
    inner: Arc<Inner<E>>,
}

impl<E> Clone for Receiver<E> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<E> fmt::Debug for Receiver<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("queued", &self.inner.queue.is_some())
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

struct Inner<E> {
    secrets: verify::Secrets,
    store: Arc<dyn DedupStore>,
    queue: Option<Arc<dyn EventQueue>>,
    dead_letters: Arc<dyn DeadLetterSink>,
    handlers: HashMap<String, Arc<dyn Handler<E>>>,
    fallback: Option<Arc<dyn Handler<E>>>,
    settings: Settings,
    closed: AtomicBool,
}

#[derive(Debug, Clone)]
struct Settings {
    max_body_bytes: usize,
    lease: Duration,
    keep_done: Duration,
    max_attempts: u32,
    retry_delay: Duration,
}

/// Builds a [`Receiver`]; from [`Receiver::builder`].
pub struct ReceiverBuilder<E> {
    secrets: verify::Secrets,
    store: Option<Arc<dyn DedupStore>>,
    queue: Option<Arc<dyn EventQueue>>,
    dead_letters: Option<Arc<dyn DeadLetterSink>>,
    handlers: HashMap<String, Arc<dyn Handler<E>>>,
    fallback: Option<Arc<dyn Handler<E>>>,
    settings: Settings,
    event: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for ReceiverBuilder<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiverBuilder")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<E: DeserializeOwned + Send + 'static> Receiver<E> {
    /// A builder for a receiver that accepts deliveries carrying `secret`
    /// (add the next one with [`ReceiverBuilder::secret`] while rotating).
    pub fn builder(secret: impl Into<WebhookSecret>) -> ReceiverBuilder<E> {
        ReceiverBuilder {
            secrets: verify::Secrets::new(secret.into()),
            store: None,
            queue: None,
            dead_letters: None,
            handlers: HashMap::new(),
            fallback: None,
            settings: Settings {
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                lease: DEFAULT_LEASE,
                keep_done: DEFAULT_KEEP_DONE,
                max_attempts: DEFAULT_MAX_ATTEMPTS,
                retry_delay: Duration::from_secs(1),
            },
            event: PhantomData,
        }
    }
}

impl<E> ReceiverBuilder<E> {
    /// Accepts deliveries carrying `secret` too (a webhook secret being
    /// rotated in or out).
    pub fn secret(mut self, secret: impl Into<WebhookSecret>) -> Self {
        self.secrets.add(secret.into());
        self
    }

    /// Where event ids are claimed and remembered; [`MemoryStore`] by
    /// default, `RedisStore` for several replicas.
    pub fn store(mut self, store: impl DedupStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Answers deliveries as soon as their events are in `queue`, and
    /// leaves handling them to [`Receiver::spawn_workers`].
    pub fn queue(mut self, queue: impl EventQueue) -> Self {
        self.queue = Some(Arc::new(queue));
        self
    }

    /// Where undecodable and failing events go; [`LogDeadLetters`] by default.
    pub fn dead_letters(mut self, sink: impl DeadLetterSink) -> Self {
        self.dead_letters = Some(Arc::new(sink));
        self
    }

    /// Runs `handler` for events whose `type` is `event_type` (such as
    /// `"conversation:message"`), replacing the one set before.
    pub fn on(mut self, event_type: impl Into<String>, handler: impl Handler<E>) -> Self {
        self.handlers.insert(event_type.into(), Arc::new(handler));
        self
    }

    /// Runs `handler` for the events no [`on`](Self::on) handler takes.
    /// Events without a handler are acknowledged and not acted on.
    pub fn on_any(mut self, handler: impl Handler<E>) -> Self {
        self.fallback = Some(Arc::new(handler));
        self
    }

    /// The largest body read; a larger one is answered `413`.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_body_bytes = bytes;
        self
    }

    /// How long a claim (and a queued event taken by a worker) lasts before
    /// another replica may take the event: longer than a handler takes.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.settings.lease = lease;
        self
    }

    /// How long handled event ids are remembered: at least the platform's
    /// retry window of 15 minutes.
    pub fn keep_done(mut self, keep: Duration) -> Self {
        self.settings.keep_done = keep;
        self
    }

    /// How many times a handler runs for one event before the event goes to
    /// the dead-letter sink (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.settings.max_attempts = attempts.max(1);
        self
    }

    /// How long a worker waits before handing back an event it could not
    /// handle (queued mode).
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.settings.retry_delay = delay;
        self
    }

    /// The receiver.
    pub fn build(self) -> Receiver<E> {
        Receiver {
            inner: Arc::new(Inner {
                secrets: self.secrets,
                store: self
                    .store
                    .unwrap_or_else(|| Arc::new(MemoryStore::default())),
                queue: self.queue,
                dead_letters: self
                    .dead_letters
                    .unwrap_or_else(|| Arc::new(LogDeadLetters)),
                handlers: self.handlers,
                fallback: self.fallback,
                settings: self.settings,
                closed: AtomicBool::new(false),
            }),
        }
    }
}

/// The fields of an event the receiver itself reads.
#[derive(Debug, Clone)]
struct EventMeta {
    id: String,
    kind: String,
    conversation: Option<String>,
}

impl EventMeta {
    /// `None` when the event has no string `id`.
    fn of(raw: &serde_json::Value) -> Option<Self> {
        let text = |value: Option<&serde_json::Value>| {
            value.and_then(serde_json::Value::as_str).map(str::to_owned)
        };
        Some(Self {
            id: text(raw.get("id"))?,
            kind: text(raw.get("type")).unwrap_or_default(),
            conversation: text(raw.pointer("/payload/conversation/id")),
        })
    }

    /// Events with the same key run one after the other.
    fn ordering_key(&self) -> &str {
        self.conversation.as_deref().unwrap_or(&self.id)
    }
}

/// What became of one event.
#[derive(Debug, Clone, PartialEq)]
enum Processed {
    /// Handled or dead-lettered now.
    Handled,
    /// A duplicate, or an event no handler takes.
    Skipped,
    /// Another caller holds its claim.
    Busy,
    /// Its handler (or the dead-letter sink) failed.
    Failed(String),
    /// The store failed.
    StoreDown(String),
}

impl Processed {
    fn is_settled(&self) -> bool {
        matches!(self, Self::Handled | Self::Skipped)
    }
}

impl<E: DeserializeOwned + Send + 'static> Receiver<E> {
    /// Answers one delivery: `api_key` is the value of its `X-API-Key`
    /// header (`headers.get(API_KEY_HEADER)` of any HTTP library, or
    /// `None`), `body` the request body. See the [module](self) for the
    /// answers.
    pub async fn receive<V: AsRef<[u8]>>(&self, api_key: Option<V>, body: &[u8]) -> Answer {
        let inner = &self.inner;
        if let Some(refused) = self.refuse(api_key) {
            return refused;
        }
        if body.len() > inner.settings.max_body_bytes {
            return self.too_large();
        }
        let events = match delivery_events(body) {
            Ok(events) => events,
            Err(answer) => return answer,
        };
        let mut metas = Vec::with_capacity(events.len());
        for (index, event) in events.iter().enumerate() {
            match EventMeta::of(event) {
                Some(meta) => metas.push(meta),
                None => {
                    return Answer::new(400, format!("event {index} of the delivery has no id"))
                }
            }
        }
        match &inner.queue {
            Some(queue) => match queue.enqueue(&events).await {
                Ok(()) => Answer::new(200, "queued"),
                Err(error) => Answer::new(503, error.to_string()),
            },
            None => self.handle_inline(&events, &metas).await,
        }
    }

    /// The answer for a closed receiver or a wrong key, before any body is
    /// read.
    fn refuse<V: AsRef<[u8]>>(&self, api_key: Option<V>) -> Option<Answer> {
        if self.inner.closed.load(Ordering::Acquire) {
            return Some(Answer::new(503, "the receiver is shutting down"));
        }
        let verified = self
            .inner
            .secrets
            .verify(api_key.as_ref().map(AsRef::as_ref));
        verified
            .is_err()
            .then(|| Answer::new(401, "the X-API-Key header is missing or wrong"))
    }

    /// The answer for a body over the limit, for adapters that stop reading
    /// at [`max_body_bytes`](Self::max_body_bytes).
    pub fn too_large(&self) -> Answer {
        Answer::new(
            413,
            format!(
                "the body is larger than {} bytes",
                self.inner.settings.max_body_bytes
            ),
        )
    }

    /// The largest body this receiver reads.
    pub fn max_body_bytes(&self) -> usize {
        self.inner.settings.max_body_bytes
    }

    /// Stops taking deliveries: from now on each is answered `503`, so that
    /// the platform sends it again (to another replica). Workers go on until
    /// [`Workers::shutdown`].
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
    }

    /// Handles the events of one delivery: conversations concurrently, the
    /// events of each in order, stopping at its first unsettled event.
    async fn handle_inline(&self, events: &[serde_json::Value], metas: &[EventMeta]) -> Answer {
        let mut lanes: Vec<(&str, Vec<usize>)> = Vec::new();
        for (index, meta) in metas.iter().enumerate() {
            let key = meta.ordering_key();
            match lanes.iter_mut().find(|(lane, _)| *lane == key) {
                Some((_, indices)) => indices.push(index),
                None => lanes.push((key, vec![index])),
            }
        }
        let results = futures_util::future::join_all(lanes.iter().map(|(_, indices)| async move {
            for &index in indices {
                let processed = self.process(&events[index], &metas[index]).await;
                if !processed.is_settled() {
                    return processed;
                }
            }
            Processed::Handled
        }))
        .await;
        let failed = |wanted: fn(&Processed) -> bool| results.iter().find(|result| wanted(result));
        if let Some(Processed::Failed(error)) = failed(|r| matches!(r, Processed::Failed(_))) {
            return Answer::new(503, format!("a handler failed: {error}"));
        }
        if let Some(Processed::StoreDown(error)) = failed(|r| matches!(r, Processed::StoreDown(_)))
        {
            return Answer::new(503, error.clone());
        }
        if failed(|r| *r == Processed::Busy).is_some() {
            return Answer::new(503, "an event of the delivery is being handled elsewhere");
        }
        Answer::new(200, "handled")
    }

    /// Claims, handles (or dead-letters) and settles one event.
    async fn process(&self, raw: &serde_json::Value, meta: &EventMeta) -> Processed {
        let inner = &self.inner;
        let settings = &inner.settings;
        let decoded = match DeliveredEvent::<E>::deserialize(raw) {
            Ok(decoded) => decoded,
            Err(error) => return Processed::Failed(error.to_string()),
        };
        let handler = match &decoded {
            DeliveredEvent::Decoded(_) => {
                let handler = inner.handlers.get(&meta.kind).or(inner.fallback.as_ref());
                let Some(handler) = handler else {
                    return Processed::Skipped;
                };
                Some(Arc::clone(handler))
            }
            DeliveredEvent::Undecodable(_) => None,
        };
        let (token, attempt) = match inner.store.claim(&meta.id, settings.lease).await {
            Err(error) => return Processed::StoreDown(error.to_string()),
            Ok(Claim::Done) => return Processed::Skipped,
            Ok(Claim::Held) => return Processed::Busy,
            Ok(Claim::Acquired { token, attempt }) => (token, attempt),
        };
        let claimed_at = std::time::Instant::now();
        let outcome = match (decoded, handler) {
            (DeliveredEvent::Decoded(event), Some(handler)) => {
                let context = DeliveryContext {
                    event_id: meta.id.clone(),
                    event_type: meta.kind.clone(),
                    conversation_id: meta.conversation.clone(),
                    attempt,
                };
                // A panicking handler fails its event, never the receiver.
                let outcome = AssertUnwindSafe(handler.handle(event, context))
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|_| Outcome::failed("the handler panicked"));
                match outcome {
                    Outcome::Done => Ok(()),
                    Outcome::Failed(error) if attempt >= settings.max_attempts => {
                        let reason = DeadLetterReason::Failed {
                            attempts: attempt,
                            error,
                        };
                        self.dead_letter(raw, reason).await
                    }
                    Outcome::Failed(error) => Err(error),
                }
            }
            (DeliveredEvent::Undecodable(failed), _) => {
                self.dead_letter(raw, DeadLetterReason::Undecodable(failed.error))
                    .await
            }
            (DeliveredEvent::Decoded(_), None) => Ok(()),
        };
        match outcome {
            Ok(()) => {
                self.mark_done(&meta.id, claimed_at).await;
                Processed::Handled
            }
            Err(error) => {
                if let Err(release) = inner.store.release(&meta.id, &token).await {
                    // The lease runs out on its own.
                    warn(&format!("could not release event {}: {release}", meta.id));
                }
                Processed::Failed(error)
            }
        }
    }

    async fn dead_letter(
        &self,
        raw: &serde_json::Value,
        reason: DeadLetterReason,
    ) -> Result<(), String> {
        let letter = DeadLetter {
            raw: raw.clone(),
            reason,
        };
        self.inner
            .dead_letters
            .send(&letter)
            .await
            .map_err(|error| format!("the dead-letter sink failed: {error}"))
    }

    /// Marks an event done, trying again while the claim still holds (no
    /// one else can act on the event meanwhile): it was acted on, so the
    /// answer is a success either way, and a store that stays down only
    /// means that a later duplicate could act again once the claim lapses.
    async fn mark_done(&self, event_id: &str, claimed_at: std::time::Instant) {
        let inner = &self.inner;
        let until = claimed_at + inner.settings.lease;
        loop {
            match inner
                .store
                .mark_done(event_id, inner.settings.keep_done)
                .await
            {
                Ok(()) => return,
                Err(error) if std::time::Instant::now() >= until => {
                    warn(&format!("could not mark event {event_id} done: {error}"));
                    return;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

/// The events of a delivery, or the answer for a body that is not one.
fn delivery_events(body: &[u8]) -> Result<Vec<serde_json::Value>, Answer> {
    let not_a_delivery =
        |why: &str| Answer::new(400, format!("the body is not a webhook delivery: {why}"));
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| not_a_delivery(&error.to_string()))?;
    let serde_json::Value::Object(mut delivery) = value else {
        return Err(not_a_delivery("not a JSON object"));
    };
    match delivery.remove("events") {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::Array(events)) => Ok(events),
        Some(_) => Err(not_a_delivery("`events` is not a list")),
    }
}

/// Logs what the receiver could not do and works around.
fn warn(message: &str) {
    #[cfg(feature = "tracing")]
    tracing::warn!("{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("{message}");
}
