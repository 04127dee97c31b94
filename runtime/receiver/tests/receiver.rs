//! The receiver in one process, with the in-memory store and queue: bad
//! input, deduplication, failures, dead letters, ordering, backpressure and
//! shutdown, through the generated crate's `webhooks::Receiver`.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sunshine_conversations::types::WebhookEvent;
use sunshine_conversations::webhooks::receiver::{
    DeadLetterReason, DeliveryContext, MemoryQueue, MemoryStore, Outcome,
};
use sunshine_conversations::webhooks::Receiver;
use support::{delivery, message, undecodable, ActionLog, CollectedLetters, SECRET};

/// A handler that records `<event id>` once it is done.
fn recording(
    log: &ActionLog,
) -> impl Fn(WebhookEvent, DeliveryContext) -> std::future::Ready<Outcome> + Send + Sync + 'static {
    let log = log.clone();
    move |event, context| {
        assert!(matches!(event, WebhookEvent::ConversationMessage(_)));
        log.record(context.event_id);
        std::future::ready(Outcome::Done)
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_answer_and_leaves_everything_untouched() {
    let log = ActionLog::default();
    let letters = CollectedLetters::default();
    let store = Arc::new(MemoryStore::default());
    let receiver = Receiver::builder(SECRET)
        .store(Arc::clone(&store))
        .dead_letters(letters.clone())
        .max_body_bytes(2_000)
        .on_any(recording(&log))
        .build();
    let good = delivery(&[message("evt-1", "conv-1", "hello")]);
    let no_id = delivery(&[
        message("evt-2", "conv-1", "hi"),
        json!({"type": "conversation:message"}),
    ]);
    let oversized = delivery(&[message("evt-3", "conv-1", &"x".repeat(3_000))]);

    let cases: [(Option<&str>, &[u8], u16, &str); 8] = [
        (None, &good, 401, "X-API-Key"),
        (Some("whsec-guess"), &good, 401, "X-API-Key"),
        (Some(SECRET), &oversized, 413, "larger than 2000 bytes"),
        (Some(SECRET), b"not json", 400, "not a webhook delivery"),
        (Some(SECRET), b"[1, 2]", 400, "not a JSON object"),
        (
            Some(SECRET),
            br#"{"events": {"id": "x"}}"#,
            400,
            "`events` is not a list",
        ),
        (
            Some(SECRET),
            &no_id,
            400,
            "event 1 of the delivery has no id",
        ),
        (Some(SECRET), br#"{"events": null}"#, 200, "handled"),
    ];
    for (key, body, status, says) in cases {
        let answer = receiver.receive(key, body).await;
        assert_eq!(answer.status, status, "{answer:?}");
        assert!(answer.body.contains(says), "{answer:?}");
        assert!(!answer.body.contains(SECRET));
    }
    assert!(log.actions().is_empty(), "{:?}", log.actions());
    assert!(store.is_empty());
    assert!(letters.letters().is_empty());
}

#[tokio::test]
async fn either_secret_is_accepted_while_rotating() {
    let log = ActionLog::default();
    let receiver = Receiver::builder("whsec-old")
        .secret("whsec-new")
        .on("conversation:message", recording(&log))
        .build();
    let first = receiver
        .receive(Some("whsec-old"), &delivery(&[message("evt-1", "c", "a")]))
        .await;
    let second = receiver
        .receive(
            Some(b"whsec-new".as_slice()),
            &delivery(&[message("evt-2", "c", "b")]),
        )
        .await;
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(log.actions(), ["evt-1", "evt-2"]);
}

#[tokio::test]
async fn a_repeated_delivery_is_handled_once_and_a_failure_is_handled_on_the_retry() {
    let log = ActionLog::default();
    let failures_left = Arc::new(std::sync::atomic::AtomicU32::new(1));
    let receiver = {
        let log = log.clone();
        Receiver::builder(SECRET)
            .on_any(move |_event: WebhookEvent, context: DeliveryContext| {
                let log = log.clone();
                let failures_left = Arc::clone(&failures_left);
                async move {
                    if context.event_id == "evt-flaky"
                        && failures_left.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 1
                    {
                        return Outcome::failed("the API timed out");
                    }
                    log.record(format!("{}#{}", context.event_id, context.attempt));
                    Outcome::Done
                }
            })
            .build()
    };
    let body = delivery(&[
        message("evt-ok", "conv-1", "a"),
        message("evt-flaky", "conv-2", "b"),
    ]);

    let first = receiver.receive(Some(SECRET), &body).await;
    let second = receiver.receive(Some(SECRET), &body).await;
    let third = receiver.receive(Some(SECRET), &body).await;

    assert_eq!(first.status, 503, "{first:?}");
    assert!(first.body.contains("the API timed out"), "{first:?}");
    assert_eq!((second.status, third.status), (200, 200));
    assert_eq!(log.actions(), ["evt-ok#1", "evt-flaky#2"]);
}

#[tokio::test]
async fn undecodable_and_always_failing_events_end_in_the_dead_letter_sink_once() {
    let log = ActionLog::default();
    let letters = CollectedLetters::default();
    let receiver = {
        let log = log.clone();
        Receiver::builder(SECRET)
            .dead_letters(letters.clone())
            .max_attempts(3)
            .on_any(move |_event: WebhookEvent, context: DeliveryContext| {
                let log = log.clone();
                async move {
                    if context.event_id == "evt-poison" {
                        return Outcome::failed("cannot handle this one");
                    }
                    log.record(context.event_id);
                    Outcome::Done
                }
            })
            .build()
    };
    let body = delivery(&[
        undecodable("evt-broken", "conv-1"),
        message("evt-poison", "conv-2", "boom"),
        message("evt-fine", "conv-3", "fine"),
    ]);

    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(receiver.receive(Some(SECRET), &body).await.status);
    }

    assert_eq!(statuses, [503, 503, 200, 200], "the third attempt gives up");
    assert_eq!(log.actions(), ["evt-fine"]);
    let letters = letters.letters();
    assert_eq!(letters.len(), 2, "{letters:?}");
    let broken = letters
        .iter()
        .find(|l| l.event_id() == Some("evt-broken"))
        .unwrap();
    assert!(
        matches!(&broken.reason, DeadLetterReason::Undecodable(e) if e.contains("invalid type"))
    );
    assert_eq!(broken.raw, undecodable("evt-broken", "conv-1"));
    let poison = letters
        .iter()
        .find(|l| l.event_id() == Some("evt-poison"))
        .unwrap();
    assert_eq!(
        poison.reason,
        DeadLetterReason::Failed {
            attempts: 3,
            error: "cannot handle this one".to_owned()
        }
    );
}

#[tokio::test]
async fn events_of_one_conversation_run_in_order_and_others_alongside() {
    let log = ActionLog::default();
    let receiver = {
        let log = log.clone();
        Receiver::builder(SECRET)
            .on_any(move |_event: WebhookEvent, context: DeliveryContext| {
                let log = log.clone();
                async move {
                    log.record(format!("start {}", context.event_id));
                    // The first event of conv-a is slow: conv-b overtakes it,
                    // conv-a's second event waits for it.
                    if context.event_id == "a1" {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    log.record(format!("end {}", context.event_id));
                    Outcome::Done
                }
            })
            .build()
    };
    let body = delivery(&[
        message("a1", "conv-a", "1"),
        message("a2", "conv-a", "2"),
        message("b1", "conv-b", "1"),
    ]);

    assert_eq!(receiver.receive(Some(SECRET), &body).await.status, 200);

    let actions = log.actions();
    let at = |what: &str| actions.iter().position(|a| a == what).unwrap();
    assert!(at("end a1") < at("start a2"), "{actions:?}");
    assert!(
        at("end b1") < at("end a1"),
        "conv-b ran alongside: {actions:?}"
    );
}

#[tokio::test]
async fn queued_deliveries_are_answered_at_once_bounded_and_drained_on_shutdown() {
    let log = ActionLog::default();
    let queue = Arc::new(MemoryQueue::with_capacity(3));
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let receiver = {
        let log = log.clone();
        let gate = Arc::clone(&gate);
        Receiver::builder(SECRET)
            .queue(Arc::clone(&queue))
            .on_any(move |_event: WebhookEvent, context: DeliveryContext| {
                let log = log.clone();
                let gate = Arc::clone(&gate);
                async move {
                    let _ = gate.acquire().await.map(|permit| permit.forget());
                    log.record(context.event_id);
                    Outcome::Done
                }
            })
            .build()
    };
    let two = delivery(&[message("q1", "conv-1", "a"), message("q2", "conv-2", "b")]);
    let one = delivery(&[message("q3", "conv-3", "c")]);
    let two_more = delivery(&[message("q4", "conv-4", "d"), message("q5", "conv-5", "e")]);

    assert_eq!(receiver.receive(Some(SECRET), &two).await.status, 200);
    assert_eq!(receiver.receive(Some(SECRET), &one).await.status, 200);
    let full = receiver.receive(Some(SECRET), &two_more).await;
    assert_eq!(
        (full.status, full.body.as_str()),
        (503, "the event queue is full")
    );
    assert_eq!(queue.len(), 3, "none of the refused delivery was queued");
    assert!(log.actions().is_empty(), "answered before any handler ran");

    let workers = receiver.spawn_workers(2).expect("a queued receiver");
    receiver.close();
    assert_eq!(receiver.receive(Some(SECRET), &one).await.status, 503);
    gate.add_permits(3);
    tokio::time::timeout(Duration::from_secs(10), workers.shutdown())
        .await
        .expect("shutdown drains within 10 s");

    let mut actions = log.actions();
    actions.sort();
    assert_eq!(actions, ["q1", "q2", "q3"]);
    assert!(queue.is_empty());
}

#[tokio::test]
async fn an_inline_receiver_has_no_workers() {
    let receiver: Receiver = Receiver::builder(SECRET).build();
    assert!(receiver.spawn_workers(1).is_none());
}

#[tokio::test]
async fn the_axum_route_answers_over_http_and_stops_reading_at_the_limit() {
    let log = ActionLog::default();
    let receiver: Receiver = Receiver::builder(SECRET)
        .max_body_bytes(1_000)
        .on_any(recording(&log))
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app: axum::Router = receiver.axum_router("/webhooks");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let http = sunshine_conversations::reqwest::Client::new();
    let post = |key: &'static str, body: Vec<u8>| {
        http.post(format!("http://{address}/webhooks"))
            .header("X-API-Key", key)
            .body(body)
            .send()
    };

    let oversized = post(
        SECRET,
        delivery(&[message("evt-big", "c", &"x".repeat(5_000))]),
    )
    .await
    .unwrap();
    let wrong_key = post("whsec-guess", vec![b'x'; 5_000]).await.unwrap();
    let good = post(SECRET, delivery(&[message("evt-1", "c", "hi")]))
        .await
        .unwrap();

    assert_eq!(oversized.status(), 413);
    assert_eq!(
        wrong_key.status(),
        401,
        "the key is checked before the body is read"
    );
    assert_eq!(good.status(), 200);
    assert_eq!(good.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(good.text().await.unwrap(), "handled");
    assert_eq!(log.actions(), ["evt-1"]);
    server.abort();
}
