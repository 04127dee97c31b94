//! Claims live as long as their handler, and no longer: with the receiver's
//! and the client's default settings, a handler waiting out the API's
//! `429`s for longer than the lease keeps its claim, so the same delivery
//! sent again meanwhile acts on nothing; and a handler past its time limit
//! releases its claim.
//!
//! Time is tokio's paused clock. Where the fake API (a real HTTP server on
//! 127.0.0.1, on its own thread) is called, the clock is moved on by a
//! driver at five times real time rather than jumped, so that no timeout of
//! the client's fires while a request is on the wire.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{delivery, message, SECRET};
use sunshine_conversations::mock::MockApi;
use sunshine_conversations::types::{PassControlBody, WebhookEvent};
use sunshine_conversations::webhooks::receiver::{
    Claim, DedupStore, DeliveryContext, MemoryStore, Outcome, DEFAULT_HANDLER_TIMEOUT,
    DEFAULT_LEASE,
};
use sunshine_conversations::webhooks::Receiver;
use sunshine_conversations::Client;
use tokio::time::Instant;

/// Moves the paused clock on by 5 ms about every real millisecond until
/// dropped. While it runs (a blocking task), tokio does not jump the clock
/// to the next timer when the runtime waits on I/O.
struct ClockDriver {
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl ClockDriver {
    fn start() -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let handle = tokio::runtime::Handle::current();
        let stopped = Arc::clone(&stop);
        tokio::task::spawn_blocking(move || {
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
                handle.block_on(tokio::time::advance(Duration::from_millis(5)));
                // Wakes the runtime, so that it sees the timers now due.
                handle.spawn(async {});
            }
        });
        Self { stop }
    }
}

impl Drop for ClockDriver {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[tokio::test(start_paused = true)]
async fn a_handler_waiting_out_429s_past_the_lease_keeps_its_claim_and_acts_once() {
    let api = MockApi::start().await;
    let limited = api
        .switchboard_actions()
        .pass_control()
        .up_to(2)
        .retry_after(429, 20)
        .await;
    let passed = api.switchboard_actions().pass_control().respond(&()).await;
    // Every setting at its default, as in examples/handoff.
    let client = Client::builder()
        .base_url(api.uri())
        .basic_auth("key", "secret")
        .build()
        .expect("a client");
    let receiver: Receiver = Receiver::builder(SECRET)
        .on(
            "conversation:message",
            move |_event: WebhookEvent, context: DeliveryContext| {
                let client = client.clone();
                async move {
                    let conversation = context.conversation_id.unwrap_or_default();
                    // The client's error is a transient or permanent failure.
                    client
                        .switchboard_actions()
                        .pass_control("app", &conversation, &PassControlBody::new("next"))
                        .await
                }
            },
        )
        .build();
    let body = delivery(&[message("evt-1", "conv-1", "human please")]);
    let _clock = ClockDriver::start();
    let started = Instant::now();

    let first = tokio::spawn({
        let (receiver, body) = (receiver.clone(), body.clone());
        async move {
            let answer = receiver.receive(Some(SECRET), &body).await;
            (answer, started.elapsed())
        }
    });
    // The platform sends the delivery again while the handler waits out
    // its second 429 (20 s each): past the lease.
    tokio::time::sleep(DEFAULT_LEASE + Duration::from_secs(5)).await;
    let meanwhile = receiver.receive(Some(SECRET), &body).await;
    let calls_meanwhile = limited.matched() + passed.matched();
    let (answer, took) = first.await.expect("the first delivery");
    let after = receiver.receive(Some(SECRET), &body).await;

    assert_eq!(
        (meanwhile.status, meanwhile.body.as_str()),
        (503, "an event of the delivery is being handled elsewhere")
    );
    assert_eq!(
        calls_meanwhile, 2,
        "two 429s before the delivery came again"
    );
    assert_eq!((answer.status, answer.body.as_str()), (200, "handled"));
    assert!(
        took > DEFAULT_LEASE,
        "the handler outlived a lease: {took:?}"
    );
    assert_eq!((after.status, after.body.as_str()), (200, "handled"));
    assert_eq!(
        (limited.matched(), passed.matched()),
        (2, 1),
        "one passControl acted"
    );
}

#[tokio::test(start_paused = true)]
async fn a_handler_past_its_time_limit_fails_and_releases_its_claim() {
    let store = Arc::new(MemoryStore::default());
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let receiver: Receiver = Receiver::builder(SECRET)
        .store(Arc::clone(&store))
        .on_any({
            let attempts = Arc::clone(&attempts);
            move |_event: WebhookEvent, context: DeliveryContext| {
                attempts.lock().expect("attempts").push(context.attempt);
                // A call that never returns.
                std::future::pending::<Outcome>()
            }
        })
        .build();
    let body = delivery(&[message("evt-1", "conv-1", "hello")]);
    let started = Instant::now();

    let answer = receiver.receive(Some(SECRET), &body).await;
    let took = started.elapsed();
    let claim = store.claim("evt-1", DEFAULT_LEASE).await.expect("a claim");

    assert_eq!(answer.status, 503, "{answer:?}");
    assert!(
        answer.body.contains("ran over its time limit of 240s"),
        "{answer:?}"
    );
    assert_eq!(took, DEFAULT_HANDLER_TIMEOUT, "stopped at the limit");
    assert!(
        matches!(claim, Claim::Acquired { attempt: 2, .. }),
        "released at once, not after a lease: {claim:?}"
    );
    assert_eq!(*attempts.lock().expect("attempts"), [1]);
}
