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
//! | `400` | the body is not a delivery: not a JSON object, `events` missing or not a list, or an event whose `id` is not a non-empty string | untouched |
//! | `503` | a handler asked for a retry, or ran over its [time limit](ReceiverBuilder::handler_timeout) (inline): the platform sends the delivery again | the failed event's claim released; what was done stays done |
//! | `503` | the store or the queue cannot be reached, the queue is full, or another replica is handling one of the events right now | what was done stays done |
//! | `200` | every event handled, skipped as a duplicate, dead-lettered (undecodable, given up on, or out of attempts), or (queued) queued | |
//!
//! **Inline** (the default): each event is claimed in the
//! [`DedupStore`], handled, and marked done before the answer; a delivery
//! with a failed event is answered `503`, and on its retry only that event
//! (and the ones after it in its conversation) run again. **Queued**
//! ([`ReceiverBuilder::queue`]): the events are put in an [`EventQueue`] and
//! the delivery is answered at once; [`Receiver::spawn_workers`] handles
//! them, on any replica, with the same claims. Either way, events of one
//! conversation run one after the other and other events concurrently.
//!
//! A handler answers an [`Outcome`]: done, retry later (a transient
//! failure: released, tried again, dead-lettered after
//! [`max_attempts`](ReceiverBuilder::max_attempts)), or give up (a permanent
//! one: dead-lettered at once with its reason, and answered `200` so that
//! the platform stops sending it). The generated client's errors convert to
//! one or the other by what they are ([`Failure`]). Dead letters can be kept
//! in Redis (`RedisDeadLetters`, feature `receiver-redis`), listed and
//! [replayed](Receiver::replay). The counts of what happened go through
//! the `metrics` facade ([`metrics`] lists the names), and
//! each event's `tracing` events carry its id.
//!
//! # What it promises
//!
//! - **Nothing answered `200` is lost**, queued in a durable queue
//!   (`RedisQueue`, feature `receiver-redis`) on a Redis with persistence
//!   (below), or handled inline.
//! - **An action is done once, except when its replica dies while its
//!   handler runs.** An event is claimed for a [lease](ReceiverBuilder::lease)
//!   before its handler starts, the claim is renewed every third of the
//!   lease while the handler runs, and the event is marked done when it
//!   returns. A replica that dies (a crash, a kill, a lost machine) stops
//!   renewing: its claims lapse after one lease, and another replica runs
//!   the handler again, whether or not the first had acted already. So the
//!   at-least-once window is the handler's whole run (and the moment it
//!   takes to mark the event done), not an instant: keep handlers short, or
//!   make their effects safe to repeat. A store down for longer than a lease
//!   while a handler runs opens the same window.
//! - **A handler runs at most [`handler_timeout`](ReceiverBuilder::handler_timeout)**
//!   ([`DEFAULT_HANDLER_TIMEOUT`]); past it the attempt counts as a
//!   transient failure and the claim is released.
//! - Queued, the events of one conversation run in order on one replica;
//!   two replicas can take two events of one conversation at once, and an
//!   event handed back for a retry goes behind the ones after it.
//! - A [`MemoryQueue`] loses what it holds when the process dies, and what
//!   failed while a graceful shutdown drained it; a [`MemoryStore`] forgets
//!   which events are done when the process stops.
//!
//! # Redis persistence
//!
//! `RedisStore`, `RedisQueue` and `RedisDeadLetters` keep their state in
//! Redis: a Redis restart without persistence forgets which events are done
//! (so redeliveries act again) and loses the queued events and the dead
//! letters. Run Redis with `appendonly yes` and `appendfsync everysec` (at
//! most about a second of writes lost if the machine fails) or
//! `appendfsync always` (none, at a cost in throughput), and with
//! `maxmemory-policy noeviction` so that no key is evicted under memory
//! pressure.

#![deny(missing_docs)]
// docs.rs (`--cfg docsrs`, on nightly) marks each gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod claim_watch;
mod dead_letter;
mod handler;
mod log;
pub mod metrics;
mod outcome;
mod queue;
mod replay;
mod store;
mod verify;
mod worker;

#[cfg(feature = "axum")]
#[path = "axum.rs"]
mod axum_route;
#[cfg(feature = "redis")]
mod redis_consumers;
#[cfg(feature = "redis")]
mod redis_dead_letters;
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

use claim_watch::{QueueEntry, Watch};
use sunshine_runtime::webhook::{DeliveredEvent, WebhookSecret};

pub use dead_letter::{
    DeadLetter, DeadLetterReason, DeadLetterSink, LogDeadLetters, DEFAULT_KEPT_LETTERS,
};
pub use handler::{DeliveryContext, Handler};
pub use outcome::{Failure, Outcome};
pub use queue::{EventQueue, MemoryQueue, QueueError, QueuedEvent, DEFAULT_QUEUE_CAPACITY};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_dead_letters::{
    DeadLetterStoreError, RedisDeadLetters, Replayed, StoredLetter, DEAD_LETTER_STREAM,
};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_queue::RedisQueue;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::{RedisStore, RedisStoreError};
pub use store::{Claim, ClaimToken, DedupStore, MemoryStore, StoreError, DEFAULT_MEMORY_CAPACITY};
pub use worker::Workers;

/// The axum this receiver's route is built on (feature `axum`), so that the
/// types its API names ([`axum::Router`], [`axum::extract::Request`]) are
/// reachable without a dependency of one's own.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use axum;
/// The Redis client this receiver's Redis parts are built on (feature
/// `redis`), so that the types their API names
/// ([`redis::aio::ConnectionManager`]) are reachable without a dependency of
/// one's own.
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis;

/// The future the receiver's traits return: boxed, `Send`, borrowing for
/// `'a` (the same type as `futures`' `BoxFuture`, named here so that
/// implementing a trait needs no other crate).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// The largest body a receiver reads by default: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a claim lasts by default without renewal: a replica that dies
/// mid-handler leaves its events to others after this. A live handler's
/// claim is renewed every third of it.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);
/// How long a handler may run by default: 4 minutes, longer than the
/// generated client takes with its default settings to give up on a call
/// (4 attempts of at most 30 s, 3 waits of at most 30 s: 3.5 minutes), and
/// well within the platform's 15-minute retry window, so that an attempt
/// cut off still has retries left.
pub const DEFAULT_HANDLER_TIMEOUT: Duration = Duration::from_secs(4 * 60);
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
    handler_timeout: Duration,
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
                handler_timeout: DEFAULT_HANDLER_TIMEOUT,
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

    /// Where undecodable, failing and given-up events go; a
    /// [`LogDeadLetters`] by default.
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

    /// How long a claim (and a queued event taken by a worker) lasts
    /// without renewal before another replica may take the event: the one
    /// lease setting, which the queue takes from the receiver. A running
    /// handler's claim is renewed every third of it, so it bounds how long
    /// a dead replica holds its events, not how long a handler may take
    /// (see [`handler_timeout`](Self::handler_timeout)).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.settings.lease = lease;
        self
    }

    /// How long a handler may run
    /// ([`DEFAULT_HANDLER_TIMEOUT`] by default): past it, the attempt is a
    /// transient failure and the event's claim is released.
    pub fn handler_timeout(mut self, limit: Duration) -> Self {
        self.settings.handler_timeout = limit;
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
                    .unwrap_or_else(|| Arc::new(LogDeadLetters::default())),
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
    /// `None` when the event has no string `id`, or an empty one.
    fn of(raw: &serde_json::Value) -> Option<Self> {
        let text = |value: Option<&serde_json::Value>| {
            value.and_then(serde_json::Value::as_str).map(str::to_owned)
        };
        Some(Self {
            id: text(raw.get("id")).filter(|id| !id.is_empty())?,
            kind: text(raw.get("type")).unwrap_or_default(),
            conversation: text(raw.pointer("/payload/conversation/id")),
        })
    }

    /// Events with the same key run one after the other.
    fn ordering_key(&self) -> &str {
        self.conversation.as_deref().unwrap_or(&self.id)
    }
}

/// A delivery's parts that the receiver reads.
struct Delivery {
    app_id: Option<String>,
    events: Vec<serde_json::Value>,
    metas: Vec<EventMeta>,
}

/// Where an event being processed came from.
#[derive(Clone, Copy)]
struct Source<'a> {
    app_id: Option<&'a str>,
    entry: Option<QueueEntry<'a>>,
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
        if let Some(refused) = self.refuse(api_key) {
            return refused;
        }
        self.receive_verified(body).await
    }

    /// Answers a delivery whose key matched.
    async fn receive_verified(&self, body: &[u8]) -> Answer {
        let inner = &self.inner;
        if body.len() > inner.settings.max_body_bytes {
            return self.too_large();
        }
        let delivery = match read_delivery(body) {
            Ok(delivery) => delivery,
            Err(answer) => {
                metrics::count_reason(metrics::REJECTED, "malformed");
                return answer;
            }
        };
        match &inner.queue {
            Some(queue) => {
                let app_id = delivery.app_id.as_deref();
                match queue.enqueue(app_id, &delivery.events).await {
                    Ok(()) => {
                        metrics::count_by(metrics::QUEUED, delivery.events.len());
                        Answer::new(200, "queued")
                    }
                    Err(error) => Answer::new(503, error.to_string()),
                }
            }
            None => self.handle_inline(&delivery).await,
        }
    }

    /// The answer for a closed receiver or a wrong key, before any body is
    /// read; counts the delivery.
    fn refuse<V: AsRef<[u8]>>(&self, api_key: Option<V>) -> Option<Answer> {
        metrics::count(metrics::RECEIVED);
        if self.inner.closed.load(Ordering::Acquire) {
            metrics::count_reason(metrics::REJECTED, "closed");
            return Some(Answer::new(503, "the receiver is shutting down"));
        }
        let verified = self
            .inner
            .secrets
            .verify(api_key.as_ref().map(AsRef::as_ref));
        if verified.is_err() {
            metrics::count_reason(metrics::REJECTED, "unauthorized");
            return Some(Answer::new(401, "the X-API-Key header is missing or wrong"));
        }
        metrics::count(metrics::VERIFIED);
        None
    }

    /// The answer for a body over the limit, for adapters that stop reading
    /// at [`max_body_bytes`](Self::max_body_bytes).
    pub fn too_large(&self) -> Answer {
        metrics::count_reason(metrics::REJECTED, "too_large");
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
    async fn handle_inline(&self, delivery: &Delivery) -> Answer {
        let mut lanes: Vec<(&str, Vec<usize>)> = Vec::new();
        for (index, meta) in delivery.metas.iter().enumerate() {
            let key = meta.ordering_key();
            match lanes.iter_mut().find(|(lane, _)| *lane == key) {
                Some((_, indices)) => indices.push(index),
                None => lanes.push((key, vec![index])),
            }
        }
        let source = Source {
            app_id: delivery.app_id.as_deref(),
            entry: None,
        };
        let results = futures_util::future::join_all(lanes.iter().map(|(_, indices)| async move {
            for &index in indices {
                let (raw, meta) = (&delivery.events[index], &delivery.metas[index]);
                let processed = self.process(raw, meta, source).await;
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

    /// Claims, handles (or dead-letters) and settles one event, with its id
    /// on every `tracing` event it logs.
    async fn process(
        &self,
        raw: &serde_json::Value,
        meta: &EventMeta,
        source: Source<'_>,
    ) -> Processed {
        let processing = self.process_claimed(raw, meta, source);
        #[cfg(feature = "tracing")]
        let processing = tracing::Instrument::instrument(
            processing,
            tracing::info_span!(
                "webhook_event",
                event_id = %meta.id,
                event_type = %meta.kind,
                app_id = source.app_id.unwrap_or_default(),
            ),
        );
        processing.await
    }

    async fn process_claimed(
        &self,
        raw: &serde_json::Value,
        meta: &EventMeta,
        source: Source<'_>,
    ) -> Processed {
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
            Ok(Claim::Done) => {
                metrics::count(metrics::DUPLICATE);
                return Processed::Skipped;
            }
            Ok(Claim::Held) => {
                metrics::count(metrics::BUSY);
                return Processed::Busy;
            }
            Ok(Claim::Acquired { token, attempt }) => (token, attempt),
        };
        let watch = Watch {
            store: inner.store.as_ref(),
            event_id: &meta.id,
            token: &token,
            lease: settings.lease,
            entry: source.entry,
        };
        let settled = match (decoded, handler) {
            (DeliveredEvent::Decoded(event), Some(handler)) => {
                let context = DeliveryContext {
                    app_id: source.app_id.map(str::to_owned),
                    event_id: meta.id.clone(),
                    event_type: meta.kind.clone(),
                    conversation_id: meta.conversation.clone(),
                    attempt,
                };
                // A panicking handler fails its event, never the receiver.
                let running = AssertUnwindSafe(handler.handle(event, context)).catch_unwind();
                let limit = settings.handler_timeout;
                let outcome = match watch.run(limit, running).await {
                    Some(Ok(outcome)) => outcome,
                    Some(Err(_)) => Outcome::retry("the handler panicked"),
                    None => {
                        Outcome::retry(format!("the handler ran over its time limit of {limit:?}"))
                    }
                };
                self.settle(raw, source, attempt, outcome).await
            }
            (DeliveredEvent::Undecodable(failed), _) => {
                let reason = DeadLetterReason::Undecodable(failed.error);
                self.dead_letter(raw, source.app_id, reason).await
            }
            (DeliveredEvent::Decoded(_), None) => Ok(()),
        };
        match settled {
            Ok(()) => {
                self.mark_done(&meta.id, watch.period()).await;
                Processed::Handled
            }
            Err(error) => {
                if let Err(release) = inner.store.release(&meta.id, &token).await {
                    // The lease runs out on its own.
                    log::warn(&format!("could not release event {}: {release}", meta.id));
                }
                Processed::Failed(error)
            }
        }
    }

    /// What a handler's outcome means for its event: `Ok` to mark it done
    /// (handled, or dead-lettered), `Err` to release it for another attempt.
    async fn settle(
        &self,
        raw: &serde_json::Value,
        source: Source<'_>,
        attempt: u32,
        outcome: Outcome,
    ) -> Result<(), String> {
        match outcome {
            Outcome::Done => {
                metrics::count(metrics::HANDLED);
                Ok(())
            }
            Outcome::GiveUp(reason) => {
                self.dead_letter(raw, source.app_id, DeadLetterReason::GaveUp(reason))
                    .await
            }
            Outcome::Retry(error) if attempt >= self.inner.settings.max_attempts => {
                let reason = DeadLetterReason::Failed {
                    attempts: attempt,
                    error,
                };
                self.dead_letter(raw, source.app_id, reason).await
            }
            Outcome::Retry(error) => {
                metrics::count(metrics::RETRIED);
                Err(error)
            }
        }
    }

    async fn dead_letter(
        &self,
        raw: &serde_json::Value,
        app_id: Option<&str>,
        reason: DeadLetterReason,
    ) -> Result<(), String> {
        let kind = reason.kind();
        let letter = DeadLetter {
            raw: raw.clone(),
            app_id: app_id.map(str::to_owned),
            reason,
        };
        self.inner
            .dead_letters
            .send(&letter)
            .await
            .map_err(|error| format!("the dead-letter sink failed: {error}"))?;
        metrics::count_reason(metrics::DEAD_LETTERED, kind);
        Ok(())
    }

    /// Marks an event done, trying again while the claim surely still holds
    /// (it was renewed at most `period` ago, and no one else can act on the
    /// event meanwhile): it was acted on, so the answer is a success either
    /// way, and a store that stays down only means that a later duplicate
    /// could act again once the claim lapses.
    async fn mark_done(&self, event_id: &str, period: Duration) {
        let inner = &self.inner;
        let until = tokio::time::Instant::now() + inner.settings.lease.saturating_sub(period);
        loop {
            match inner
                .store
                .mark_done(event_id, inner.settings.keep_done)
                .await
            {
                Ok(()) => return,
                Err(error) if tokio::time::Instant::now() >= until => {
                    log::warn(&format!("could not mark event {event_id} done: {error}"));
                    return;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

/// The parts of a delivery, or the answer for a body that is not one: a
/// JSON object whose `events` is a list of objects, each with a non-empty
/// string `id`.
fn read_delivery(body: &[u8]) -> Result<Delivery, Answer> {
    let not_a_delivery =
        |why: &str| Answer::new(400, format!("the body is not a webhook delivery: {why}"));
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| not_a_delivery(&error.to_string()))?;
    let serde_json::Value::Object(mut delivery) = value else {
        return Err(not_a_delivery("not a JSON object"));
    };
    let events = match delivery.remove("events") {
        Some(serde_json::Value::Array(events)) => events,
        None => return Err(not_a_delivery("it has no `events`")),
        Some(_) => return Err(not_a_delivery("`events` is not a list")),
    };
    let mut metas = Vec::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        let Some(meta) = EventMeta::of(event) else {
            return Err(Answer::new(
                400,
                format!("event {index} of the delivery has no id (a non-empty string)"),
            ));
        };
        metas.push(meta);
    }
    let app_id = delivery
        .get("app")
        .and_then(|app| app.get("id"))
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    Ok(Delivery {
        app_id,
        events,
        metas,
    })
}
