//! The receiver's counts, read from a recorder after a run and checked
//! against what was sent: every delivery, every refusal by reason, every
//! event by what became of it, and the queue's length and lag.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::{delivery, message, undecodable, ActionLog, CollectedLetters, SECRET};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use sunshine_conversations::types::WebhookEvent;
use sunshine_conversations::webhooks::receiver::{
    metrics as names, DeliveryContext, MemoryQueue, Outcome,
};
use sunshine_conversations::webhooks::Receiver;

/// The counters, as `name` or `name{reason}`.
fn counters(snapshotter: &Snapshotter) -> BTreeMap<String, u64> {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .filter_map(|(key, _, _, value)| {
            let DebugValue::Counter(count) = value else {
                return None;
            };
            let key = key.key();
            let labels: Vec<String> = key.labels().map(|label| label.value().to_owned()).collect();
            let name = match labels.as_slice() {
                [] => key.name().to_owned(),
                labels => format!("{}{{{}}}", key.name(), labels.join(",")),
            };
            Some((name, count))
        })
        .collect()
}

/// Runs `run` on a runtime of its own, with `recorder` taking what the
/// receiver records on this thread (so that tests in parallel do not mix).
fn recorded<F: std::future::Future>(recorder: &DebuggingRecorder, run: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    metrics::with_local_recorder(recorder, || runtime.block_on(run))
}

#[test]
fn the_counts_match_what_was_sent() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let log = ActionLog::default();
    let letters = CollectedLetters::default();
    let failed_once = Arc::new(AtomicBool::new(false));
    let gate = Arc::new(tokio::sync::Notify::new());
    let receiver: Receiver = {
        let (log, gate) = (log.clone(), Arc::clone(&gate));
        Receiver::builder(SECRET)
            .dead_letters(letters.clone())
            .max_body_bytes(2_000)
            .on_any(move |_event: WebhookEvent, context: DeliveryContext| {
                let (log, failed_once, gate) =
                    (log.clone(), Arc::clone(&failed_once), Arc::clone(&gate));
                async move {
                    match context.event_id.as_str() {
                        "a2" => return Outcome::give_up("no such conversation"),
                        "a3" if !failed_once.swap(true, Ordering::SeqCst) => {
                            return Outcome::retry("timed out")
                        }
                        "b1" => gate.notified().await,
                        _ => {}
                    }
                    log.record(context.event_id);
                    Outcome::Done
                }
            })
            .build()
    };
    let a = delivery(&[
        message("a1", "conv-1", "x"),
        message("a2", "conv-2", "x"),
        message("a3", "conv-3", "x"),
    ]);
    let b = delivery(&[message("b1", "conv-4", "x")]);

    let statuses = recorded(&recorder, async {
        let mut statuses = vec![
            receiver.receive(Some(SECRET), &a).await.status,
            receiver.receive(Some(SECRET), &a).await.status,
            receiver.receive(Some("whsec-guess"), &a).await.status,
            receiver.receive(Some(SECRET), b"{}").await.status,
            receiver
                .receive(Some(SECRET), &vec![b' '; 3_000])
                .await
                .status,
            receiver
                .receive(Some(SECRET), &delivery(&[undecodable("u1", "conv-5")]))
                .await
                .status,
        ];
        // b1 waits in its handler while the same delivery comes again.
        let first = tokio::spawn({
            let (receiver, b) = (receiver.clone(), b.clone());
            async move { receiver.receive(Some(SECRET), &b).await.status }
        });
        tokio::task::yield_now().await;
        statuses.push(receiver.receive(Some(SECRET), &b).await.status);
        gate.notify_one();
        statuses.push(first.await.expect("the first b"));
        statuses
    });

    assert_eq!(statuses, [503, 200, 401, 400, 413, 200, 503, 200]);
    assert_eq!(log.actions(), ["a1", "a3", "b1"]);
    assert_eq!(letters.ids(), ["a2", "u1"]);
    let expected: BTreeMap<String, u64> = [
        (names::RECEIVED.to_owned(), 8),
        (names::VERIFIED.to_owned(), 7),
        (format!("{}{{unauthorized}}", names::REJECTED), 1),
        (format!("{}{{malformed}}", names::REJECTED), 1),
        (format!("{}{{too_large}}", names::REJECTED), 1),
        (names::HANDLED.to_owned(), 3),
        (names::RETRIED.to_owned(), 1),
        // a1 and a2 (done, and dead-lettered) on the second delivery of a.
        (names::DUPLICATE.to_owned(), 2),
        (names::BUSY.to_owned(), 1),
        (format!("{}{{gave_up}}", names::DEAD_LETTERED), 1),
        (format!("{}{{undecodable}}", names::DEAD_LETTERED), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(counters(&snapshotter), expected);
}

#[test]
fn queued_events_are_counted_with_the_queue_length_and_lag() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let log = ActionLog::default();
    let queue = Arc::new(MemoryQueue::default());
    let receiver: Receiver = {
        let log = log.clone();
        Receiver::builder(SECRET)
            .queue(Arc::clone(&queue))
            .on_any(move |_event: WebhookEvent, context: DeliveryContext| {
                log.record(context.event_id);
                std::future::ready(Outcome::Done)
            })
            .build()
    };
    let body = delivery(&[
        message("q1", "conv-1", "x"),
        message("q2", "conv-2", "x"),
        message("q3", "conv-3", "x"),
    ]);

    let answer = recorded(&recorder, async {
        let answer = receiver.receive(Some(SECRET), &body).await;
        let workers = receiver.spawn_workers(2).expect("a queued receiver");
        while log.actions().len() < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        workers.shutdown().await;
        answer
    });

    assert_eq!(answer.status, 200);
    let snapshot = snapshotter.snapshot().into_hashmap();
    let value = |name: &str| {
        snapshot
            .iter()
            .find(|(key, _)| key.key().name() == name)
            .map(|(_, (_, _, value))| value)
    };
    assert_eq!(value(names::QUEUED), Some(&DebugValue::Counter(3)));
    assert_eq!(value(names::HANDLED), Some(&DebugValue::Counter(3)));
    let Some(DebugValue::Histogram(lags)) = value(names::QUEUE_LAG) else {
        panic!("no lag: {snapshot:?}");
    };
    assert_eq!(lags.len(), 3, "one lag per event taken");
    assert!(
        lags.iter().all(|lag| lag.0 >= 0.0 && lag.0 < 10.0),
        "{lags:?}"
    );
    assert!(
        matches!(value(names::QUEUE_LENGTH), Some(DebugValue::Gauge(_))),
        "{snapshot:?}"
    );
}
