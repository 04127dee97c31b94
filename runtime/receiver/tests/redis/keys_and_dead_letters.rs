//! The receiver on a real `redis-server`: bad input leaves Redis without a
//! key, and dead letters are kept in a stream, listed, counted and replayed
//! through the API (back into the queue, or handled inline).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::redis_server::RedisServer;
use crate::support::{delivery, message, undecodable, ActionLog, SECRET};
use serde_json::json;
use sunshine_conversations::types::WebhookEvent;
use sunshine_conversations::webhooks::receiver::{
    self, DeadLetterReason, DeliveryContext, Outcome, RedisDeadLetters, RedisQueue, RedisStore,
};
use sunshine_conversations::webhooks::Receiver;

/// A connection through the Redis client the receiver re-exports.
async fn connection(redis: &RedisServer) -> receiver::redis::aio::MultiplexedConnection {
    receiver::redis::Client::open(redis.url())
        .expect("a Redis URL")
        .get_multiplexed_async_connection()
        .await
        .expect("Redis")
}

async fn keys(redis: &RedisServer) -> Vec<String> {
    let mut keys: Vec<String> = receiver::redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection(redis).await)
        .await
        .expect("KEYS");
    keys.sort();
    keys
}

#[tokio::test]
async fn bodies_that_are_not_deliveries_get_400_and_leave_no_key_in_redis() {
    let test = "bodies_that_are_not_deliveries_get_400_and_leave_no_key_in_redis";
    let Some(redis) = RedisServer::start_or_skip(test) else {
        return;
    };
    let log = ActionLog::default();
    let recording = {
        let log = log.clone();
        move |_event: WebhookEvent, context: DeliveryContext| {
            log.record(context.event_id);
            std::future::ready(Outcome::Done)
        }
    };
    let inline: Receiver = Receiver::builder(SECRET)
        .store(RedisStore::connect(&redis.url()).await.expect("Redis"))
        .dead_letters(
            RedisDeadLetters::connect(&redis.url())
                .await
                .expect("Redis"),
        )
        .on_any(recording.clone())
        .build();
    let good = message("evt-good", "conv-1", "hello");
    let mut empty_id = message("evt-x", "conv-1", "hello");
    empty_id["id"] = json!("");
    let mut numeric_id = message("evt-y", "conv-1", "hello");
    numeric_id["id"] = json!(42);
    let bodies: [(&str, Vec<u8>, &str); 5] = [
        ("{}", b"{}".to_vec(), "it has no `events`"),
        (
            "events null",
            br#"{"events": null}"#.to_vec(),
            "`events` is not a list",
        ),
        (
            "events misspelt",
            serde_json::to_vec(&json!({ "evnts": [good] })).expect("JSON"),
            "it has no `events`",
        ),
        (
            "an empty id",
            delivery(&[good.clone(), empty_id]),
            "event 1 of the delivery has no id",
        ),
        (
            "a numeric id",
            delivery(&[good.clone(), numeric_id]),
            "event 1 of the delivery has no id",
        ),
    ];

    for (case, body, says) in &bodies {
        let answer = inline.receive(Some(SECRET), body).await;
        assert_eq!(answer.status, 400, "{case}: {answer:?}");
        assert!(answer.body.contains(says), "{case}: {answer:?}");
    }
    assert_eq!(keys(&redis).await, Vec::<String>::new(), "inline");

    // Queued, the stream and its group exist from the start, and stay empty.
    let queue = RedisQueue::connect(&redis.url(), 100).await.expect("Redis");
    let queued: Receiver = Receiver::builder(SECRET)
        .store(RedisStore::connect(&redis.url()).await.expect("Redis"))
        .queue(queue.clone())
        .on_any(recording)
        .build();
    for (case, body, _) in &bodies {
        let answer = queued.receive(Some(SECRET), body).await;
        assert_eq!(answer.status, 400, "queued, {case}: {answer:?}");
    }
    assert_eq!(keys(&redis).await, ["sunshine:webhooks:queue"]);
    assert_eq!(queue.len().await, Ok(0));
    assert!(log.actions().is_empty(), "{:?}", log.actions());
}

#[tokio::test]
async fn dead_letters_are_listed_counted_and_replayed_inline_and_through_the_queue() {
    let test = "dead_letters_are_listed_counted_and_replayed_inline_and_through_the_queue";
    let Some(redis) = RedisServer::start_or_skip(test) else {
        return;
    };
    let log = ActionLog::default();
    // Until the cause is fixed, `evt-gone` is given up on and `evt-flaky`
    // fails every time.
    let fixed = Arc::new(AtomicBool::new(false));
    let handler = {
        let (log, fixed) = (log.clone(), Arc::clone(&fixed));
        move |_event: WebhookEvent, context: DeliveryContext| {
            let (log, fixed) = (log.clone(), Arc::clone(&fixed));
            async move {
                if !fixed.load(Ordering::SeqCst) {
                    match context.event_id.as_str() {
                        "evt-gone" => return Outcome::give_up("the API answered 404"),
                        "evt-flaky" => return Outcome::retry("the API answered 503"),
                        _ => {}
                    }
                }
                log.record(format!(
                    "{}@{}",
                    context.event_id,
                    context.app_id.unwrap_or_default()
                ));
                Outcome::Done
            }
        }
    };
    let letters = RedisDeadLetters::connect(&redis.url())
        .await
        .expect("Redis");
    let inline: Receiver = Receiver::builder(SECRET)
        .store(RedisStore::connect(&redis.url()).await.expect("Redis"))
        .dead_letters(letters.clone())
        .max_attempts(2)
        .on_any(handler.clone())
        .build();
    let body = delivery(&[
        message("evt-gone", "conv-1", "a"),
        message("evt-flaky", "conv-2", "b"),
        undecodable("evt-broken", "conv-3"),
        message("evt-fine", "conv-4", "c"),
    ]);

    let statuses = [
        inline.receive(Some(SECRET), &body).await.status,
        inline.receive(Some(SECRET), &body).await.status,
        inline.receive(Some(SECRET), &body).await.status,
    ];

    assert_eq!(
        statuses,
        [503, 200, 200],
        "evt-flaky gives out on attempt 2"
    );
    assert_eq!(letters.count().await, Ok(3));
    let listed = letters.list(10).await.expect("the letters");
    let reasons: Vec<(Option<&str>, &DeadLetterReason)> = listed
        .iter()
        .map(|stored| (stored.letter.event_id(), &stored.letter.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                Some("evt-gone"),
                &DeadLetterReason::GaveUp("the API answered 404".to_owned())
            ),
            (
                Some("evt-broken"),
                &DeadLetterReason::Undecodable(
                    "invalid type: integer `42`, expected struct MessageWebhook".to_owned()
                )
            ),
            (
                Some("evt-flaky"),
                &DeadLetterReason::Failed {
                    attempts: 2,
                    error: "the API answered 503".to_owned()
                }
            ),
        ]
    );
    assert!(listed
        .iter()
        .all(|stored| stored.letter.app_id.as_deref() == Some("64a1f0c2b7e4d90012ab3401")));
    assert_eq!(log.actions(), ["evt-fine@64a1f0c2b7e4d90012ab3401"]);

    // The cause is fixed. Inline, the first letter is handled again now.
    fixed.store(true, Ordering::SeqCst);
    let replayed = letters.replay(&inline, 1).await.expect("a replay");
    assert_eq!((replayed.replayed, replayed.kept.len()), (1, 0));
    assert_eq!(letters.count().await, Ok(2));
    assert_eq!(
        log.actions(),
        [
            "evt-fine@64a1f0c2b7e4d90012ab3401",
            "evt-gone@64a1f0c2b7e4d90012ab3401"
        ]
    );

    // Queued, the others go back into the queue for the workers; the
    // undecodable one goes to the dead letters again, as a new letter.
    let queued: Receiver = Receiver::builder(SECRET)
        .store(RedisStore::connect(&redis.url()).await.expect("Redis"))
        .queue(RedisQueue::connect(&redis.url(), 100).await.expect("Redis"))
        .dead_letters(letters.clone())
        .on_any(handler)
        .build();
    let workers = queued.spawn_workers(2).expect("a queued receiver");
    let replayed = letters.replay(&queued, 10).await.expect("a replay");
    assert_eq!((replayed.replayed, replayed.kept.len()), (2, 0));
    let settled = async {
        while log.actions().len() < 3 || letters.count().await != Ok(1) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), settled)
        .await
        .unwrap_or_else(|_| panic!("{:?}", log.actions()));
    workers.shutdown().await;

    assert_eq!(
        log.not_exactly_once(&[
            "evt-fine@64a1f0c2b7e4d90012ab3401".to_owned(),
            "evt-gone@64a1f0c2b7e4d90012ab3401".to_owned(),
            "evt-flaky@64a1f0c2b7e4d90012ab3401".to_owned(),
        ]),
        []
    );
    let left = letters.list(10).await.expect("the letters");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].letter.event_id(), Some("evt-broken"));
}
