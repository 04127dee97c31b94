//! Fault tests: two receiver replicas, each with its own tokio runtime and
//! HTTP server on 127.0.0.1, share one real `redis-server` (store, and in
//! queued mode the stream), and a simulated platform sends them deliveries
//! that overlap, repeat and arrive concurrently, retrying each on anything
//! but `200` as the platform does. Every scenario runs inline and queued.
//!
//! Each asserts, from the log of actions the handlers took, that every
//! event's action happened exactly once and that poison events are in the
//! dead-letter sink. Each is bounded: a fixed number of events, at most
//! `PLATFORM_ATTEMPTS` attempts a delivery, and `SCENARIO_LIMIT` in all.

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_core::future::BoxFuture;
use sunshine_conversations::types::{PassControlBody, WebhookEvent};
use sunshine_conversations::webhooks::receiver::{
    DeadLetterReason, DeliveryContext, Outcome, RedisQueue, RedisStore, Workers,
};
use sunshine_conversations::webhooks::Receiver;
use sunshine_conversations::{Client, RetryPolicy};
use support::redis_server::RedisServer;
use support::{delivery, message, ActionLog, CollectedLetters, SECRET};

const LEASE: Duration = Duration::from_millis(1_000);
const PLATFORM_ATTEMPTS: usize = 150;
const PLATFORM_BACKOFF: Duration = Duration::from_millis(100);
const SCENARIO_LIMIT: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Inline,
    Queued,
}

/// What a replica's handler does: given the replica's name.
type Behaviour = Arc<
    dyn Fn(&'static str, WebhookEvent, DeliveryContext) -> BoxFuture<'static, Outcome>
        + Send
        + Sync,
>;

/// One receiver replica on a runtime of its own, so that stopping it stops
/// everything it runs at once, mid-handler included, as a crash would.
struct Replica {
    runtime: Option<tokio::runtime::Runtime>,
    address: SocketAddr,
    workers: Option<Workers>,
}

impl Replica {
    async fn start(
        name: &'static str,
        redis_url: &str,
        mode: Mode,
        letters: &CollectedLetters,
        behaviour: &Behaviour,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let (sender, started) = tokio::sync::oneshot::channel();
        let (url, letters, behaviour) =
            (redis_url.to_owned(), letters.clone(), Arc::clone(behaviour));
        runtime.spawn(async move {
            let store = RedisStore::connect(&url).await.expect("Redis");
            let mut builder = Receiver::builder(SECRET)
                .store(store)
                .lease(LEASE)
                .max_attempts(3)
                .retry_delay(Duration::from_millis(50))
                .dead_letters(letters)
                .on_any(move |event, context| behaviour(name, event, context));
            if mode == Mode::Queued {
                builder = builder.queue(
                    RedisQueue::connect(&url, 10_000, LEASE)
                        .await
                        .expect("Redis"),
                );
            }
            let receiver = builder.build();
            let workers = receiver.spawn_workers(4);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a port");
            let address = listener.local_addr().expect("an address");
            tokio::spawn(
                async move { axum::serve(listener, receiver.axum_router("/webhooks")).await },
            );
            let _ = sender.send((address, workers));
        });
        let (address, workers) = started.await.expect("the replica starts");
        Self {
            runtime: Some(runtime),
            address,
            workers,
        }
    }

    /// Stops everything the replica runs, at once.
    fn crash(&mut self) {
        self.workers = None;
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.crash();
    }
}

/// Sends `body` as the platform does until a replica answers `200`: to the
/// replicas in turn from `first`, waiting between attempts. The statuses
/// (0 for no answer).
async fn deliver(addresses: [SocketAddr; 2], first: usize, body: Vec<u8>) -> Vec<u16> {
    let http = sunshine_conversations::reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a client");
    let mut statuses = Vec::new();
    for attempt in 0..PLATFORM_ATTEMPTS {
        let address = addresses[(first + attempt) % addresses.len()];
        let answer = http
            .post(format!("http://{address}/webhooks"))
            .header("X-API-Key", SECRET)
            .body(body.clone())
            .send()
            .await;
        let status = answer.map_or(0, |answer| answer.status().as_u16());
        statuses.push(status);
        if status == 200 {
            return statuses;
        }
        tokio::time::sleep(PLATFORM_BACKOFF).await;
    }
    panic!("no replica took the delivery in {PLATFORM_ATTEMPTS} attempts: {statuses:?}");
}

/// Waits until `log` holds every expected action and the queue (if any)
/// is empty, then a lease more, for any late duplicate to show.
async fn settle(log: &ActionLog, expected: &[String], redis_url: &str, mode: Mode) {
    let queue = match mode {
        Mode::Queued => Some(
            RedisQueue::connect(redis_url, 1, LEASE)
                .await
                .expect("Redis"),
        ),
        Mode::Inline => None,
    };
    loop {
        let actions = log.actions();
        let all_there = expected.iter().all(|id| actions.contains(id));
        let queue_empty = match &queue {
            Some(queue) => queue.len().await.is_ok_and(|len| len == 0),
            None => true,
        };
        if all_there && queue_empty {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(LEASE * 2).await;
}

fn ids(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|n| format!("{prefix}-{n}")).collect()
}

/// Events `ids`, spread over `conversations` conversations.
fn events(ids: &[String], conversations: usize) -> Vec<serde_json::Value> {
    ids.iter()
        .enumerate()
        .map(|(n, id)| message(id, &format!("conv-{}", n % conversations), "hello"))
        .collect()
}

/// A handler that logs the event id as its action.
fn logging(log: &ActionLog) -> Behaviour {
    let log = log.clone();
    Arc::new(move |_replica, _event, context| {
        log.record(context.event_id);
        Box::pin(std::future::ready(Outcome::Done))
    })
}

/// Runs `scenario` in both modes, each with a Redis of its own.
async fn in_both_modes<F, Fut>(test: &str, scenario: F)
where
    F: Fn(RedisServer, Mode) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for mode in [Mode::Inline, Mode::Queued] {
        let Some(redis) = RedisServer::start_or_skip(test) else {
            return;
        };
        tokio::time::timeout(SCENARIO_LIMIT, scenario(redis, mode))
            .await
            .unwrap_or_else(|_| panic!("{test} ({mode:?}) took over {SCENARIO_LIMIT:?}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_repeated_concurrent_deliveries_act_once() {
    in_both_modes(
        "overlapping_repeated_concurrent_deliveries_act_once",
        |redis, mode| async move {
            let (log, letters) = (ActionLog::default(), CollectedLetters::default());
            let behaviour = logging(&log);
            let a = Replica::start("a", &redis.url(), mode, &letters, &behaviour).await;
            let b = Replica::start("b", &redis.url(), mode, &letters, &behaviour).await;
            let addresses = [a.address, b.address];
            let expected = ids("evt", 24);
            let all = events(&expected, 6);

            // Delivery k holds events k, k+1, k+2: each event comes in three
            // deliveries, and each delivery goes to both replicas at once.
            let mut sends = Vec::new();
            for k in 0..all.len() {
                let body = delivery(&[
                    all[k].clone(),
                    all[(k + 1) % all.len()].clone(),
                    all[(k + 2) % all.len()].clone(),
                ]);
                for first in 0..2 {
                    sends.push(tokio::spawn(deliver(addresses, first, body.clone())));
                }
            }
            for send in sends {
                send.await.expect("the platform task");
            }
            settle(&log, &expected, &redis.url(), mode).await;

            assert_eq!(log.not_exactly_once(&expected), [], "{mode:?}");
            assert!(letters.letters().is_empty());
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_stopped_mid_handler_leaves_its_events_to_the_other() {
    in_both_modes(
        "a_replica_stopped_mid_handler_leaves_its_events_to_the_other",
        |redis, mode| async move {
            let (log, letters) = (ActionLog::default(), CollectedLetters::default());
            let entered = Arc::new(tokio::sync::Notify::new());
            let behaviour: Behaviour = {
                let (log, entered) = (log.clone(), Arc::clone(&entered));
                Arc::new(move |replica, _event, context| {
                    let (log, entered) = (log.clone(), Arc::clone(&entered));
                    Box::pin(async move {
                        if replica == "a" && context.event_id == "evt-3" {
                            // Replica `a` is stopped while it is here.
                            entered.notify_one();
                            std::future::pending::<()>().await;
                        }
                        log.record(context.event_id);
                        Outcome::Done
                    })
                })
            };
            let mut a = Replica::start("a", &redis.url(), mode, &letters, &behaviour).await;
            let b = Replica::start("b", &redis.url(), mode, &letters, &behaviour).await;
            let expected = ids("evt", 6);
            let body = delivery(&events(&expected, 1));

            // Inline, `a` never answers: the platform moves on to `b` once `a`
            // is gone. Queued, `a` answers at once and its worker hangs.
            let addresses = [a.address, b.address];
            let send = tokio::spawn(deliver(addresses, 0, body));
            tokio::time::timeout(Duration::from_secs(20), entered.notified())
                .await
                .expect("replica a reaches the handler");
            a.crash();
            let statuses = send.await.expect("the platform task");
            settle(&log, &expected, &redis.url(), mode).await;

            assert_eq!(log.not_exactly_once(&expected), [], "{mode:?} {statuses:?}");
            if mode == Mode::Inline {
                assert!(
                    statuses.contains(&503),
                    "b waited for a's lease: {statuses:?}"
                );
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_while_deliveries_arrive_loses_and_repeats_nothing() {
    in_both_modes(
        "redis_restarted_while_deliveries_arrive_loses_and_repeats_nothing",
        |mut redis, mode| async move {
            let (log, letters) = (ActionLog::default(), CollectedLetters::default());
            let behaviour = logging(&log);
            let a = Replica::start("a", &redis.url(), mode, &letters, &behaviour).await;
            let b = Replica::start("b", &redis.url(), mode, &letters, &behaviour).await;
            let addresses = [a.address, b.address];
            let expected = ids("evt", 40);
            let all = events(&expected, 8);

            let mut sends = Vec::new();
            for (k, event) in all.iter().enumerate() {
                let body = delivery(std::slice::from_ref(event));
                sends.push(tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(15 * k as u64)).await;
                    deliver(addresses, k % 2, body).await
                }));
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
            let restarted = std::thread::spawn(move || {
                redis.restart(Duration::from_millis(500));
                redis
            });
            let mut refused = 0;
            for send in sends {
                refused += send
                    .await
                    .expect("the platform task")
                    .iter()
                    .filter(|s| **s != 200)
                    .count();
            }
            let redis = restarted.join().expect("the restart");
            settle(&log, &expected, &redis.url(), mode).await;

            assert_eq!(log.not_exactly_once(&expected), [], "{mode:?}");
            assert!(refused > 0, "some deliveries arrived while Redis was down");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answering_429_and_503_bursts_gets_each_call_made_once() {
    in_both_modes(
        "the_api_answering_429_and_503_bursts_gets_each_call_made_once",
        |redis, mode| async move {
            let api = wiremock::MockServer::start().await;
            let bursts = BurstyApi::default();
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .respond_with(bursts.clone())
                .mount(&api)
                .await;
            let client = Client::builder()
                .base_url(api.uri())
                .basic_auth("key", "secret")
                .retry(
                    RetryPolicy::default()
                        .max_retries(1)
                        .initial_delay(Duration::from_millis(5))
                        .jitter(false),
                )
                .build()
                .expect("a client");
            let (log, letters) = (ActionLog::default(), CollectedLetters::default());
            let behaviour: Behaviour = {
                let log = log.clone();
                Arc::new(move |_replica, _event, context| {
                    let (client, log) = (client.clone(), log.clone());
                    Box::pin(async move {
                        let conversation = context.conversation_id.clone().unwrap_or_default();
                        let body = PassControlBody::new("next");
                        let passed = client
                            .switchboard_actions()
                            .pass_control("app", &conversation, &body)
                            .await;
                        if passed.is_ok() {
                            log.record(context.event_id);
                        }
                        Outcome::from(passed)
                    })
                })
            };
            let a = Replica::start("a", &redis.url(), mode, &letters, &behaviour).await;
            let b = Replica::start("b", &redis.url(), mode, &letters, &behaviour).await;
            let addresses = [a.address, b.address];
            let expected = ids("evt", 8);
            // One event per conversation, so that the fake's count per
            // conversation is the count per event.
            let all = events(&expected, expected.len());

            let mut sends = Vec::new();
            for event in &all {
                let body = delivery(std::slice::from_ref(event));
                for first in 0..2 {
                    sends.push(tokio::spawn(deliver(addresses, first, body.clone())));
                }
            }
            for send in sends {
                send.await.expect("the platform task");
            }
            settle(&log, &expected, &redis.url(), mode).await;

            assert_eq!(log.not_exactly_once(&expected), [], "{mode:?}");
            let answered = bursts.answered();
            for n in 0..expected.len() {
                let path = format!("/v2/apps/app/conversations/conv-{n}/passControl");
                assert_eq!(
                    answered.get(&path).map(Vec::as_slice),
                    Some(&[429, 503, 200][..]),
                    "{path}"
                );
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_that_always_fails_puts_its_events_in_the_dead_letter_sink() {
    in_both_modes(
        "a_handler_that_always_fails_puts_its_events_in_the_dead_letter_sink",
        |redis, mode| async move {
            let (log, letters) = (ActionLog::default(), CollectedLetters::default());
            let behaviour: Behaviour = {
                let log = log.clone();
                Arc::new(move |_replica, _event, context| {
                    if context.event_id.starts_with("poison") {
                        return Box::pin(std::future::ready(Outcome::failed("always fails")));
                    }
                    log.record(context.event_id);
                    Box::pin(std::future::ready(Outcome::Done))
                })
            };
            let a = Replica::start("a", &redis.url(), mode, &letters, &behaviour).await;
            let b = Replica::start("b", &redis.url(), mode, &letters, &behaviour).await;
            let addresses = [a.address, b.address];
            let fine = ids("fine", 6);
            let poison = ids("poison", 3);
            let mut all = events(&fine, 3);
            all.extend(events(&poison, 3));

            let mut sends = Vec::new();
            for (k, event) in all.iter().enumerate() {
                let body = delivery(std::slice::from_ref(event));
                sends.push(tokio::spawn(deliver(addresses, k % 2, body.clone())));
                sends.push(tokio::spawn(deliver(addresses, (k + 1) % 2, body)));
            }
            for send in sends {
                send.await.expect("the platform task");
            }
            let wait = async {
                while letters.ids() != poison {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            };
            tokio::time::timeout(Duration::from_secs(30), wait)
                .await
                .unwrap_or_else(|_| panic!("{mode:?}: {:?}", letters.ids()));
            settle(&log, &fine, &redis.url(), mode).await;

            assert_eq!(log.not_exactly_once(&fine), [], "{mode:?}");
            assert_eq!(letters.ids(), poison, "each poison event once, {mode:?}");
            for letter in letters.letters() {
                assert_eq!(
                    letter.reason,
                    DeadLetterReason::Failed {
                        attempts: 3,
                        error: "always fails".to_owned()
                    }
                );
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_shutdown_hands_back_what_it_holds_to_the_other_replica() {
    let test = "a_graceful_shutdown_hands_back_what_it_holds_to_the_other_replica";
    let Some(redis) = RedisServer::start_or_skip(test) else {
        return;
    };
    let scenario = async {
        let (log, letters) = (ActionLog::default(), CollectedLetters::default());
        let behaviour: Behaviour = {
            let log = log.clone();
            Arc::new(move |replica, _event, context| {
                let log = log.clone();
                Box::pin(async move {
                    // Slow on `a`, so that its lanes hold events when it stops.
                    if replica == "a" {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    log.record(context.event_id);
                    Outcome::Done
                })
            })
        };
        let mut a = Replica::start("a", &redis.url(), Mode::Queued, &letters, &behaviour).await;
        let expected = ids("evt", 40);
        let body = delivery(&events(&expected, 4));
        let statuses = deliver([a.address, a.address], 0, body).await;
        assert_eq!(statuses, [200]);
        tokio::time::sleep(Duration::from_millis(150)).await;

        let workers = a.workers.take().expect("a queued replica");
        tokio::time::timeout(Duration::from_secs(10), workers.shutdown())
            .await
            .expect("the shutdown finishes what it started within 10 s");
        let handled_by_a = log.actions().len();
        // Nothing is left pending for `a`'s lease to run out: what it took
        // and did not handle is back in the stream, for any replica now.
        let client = redis::Client::open(redis.url()).expect("a Redis URL");
        let mut connection = client
            .get_multiplexed_async_connection()
            .await
            .expect("Redis");
        let (pending, ..): (usize, redis::Value, redis::Value, redis::Value) =
            redis::cmd("XPENDING")
                .arg("sunshine:webhooks:queue")
                .arg("workers")
                .query_async(&mut connection)
                .await
                .expect("XPENDING");
        let waiting: usize = redis::cmd("XLEN")
            .arg("sunshine:webhooks:queue")
            .query_async(&mut connection)
            .await
            .expect("XLEN");
        assert_eq!((pending, waiting), (0, expected.len() - handled_by_a));
        let b = Replica::start("b", &redis.url(), Mode::Queued, &letters, &behaviour).await;
        settle(&log, &expected, &redis.url(), Mode::Queued).await;
        drop(b);

        assert!(
            handled_by_a > 0 && handled_by_a < expected.len(),
            "{handled_by_a}"
        );
        assert_eq!(log.not_exactly_once(&expected), []);
    };
    tokio::time::timeout(SCENARIO_LIMIT, scenario)
        .await
        .unwrap_or_else(|_| panic!("{test} took over {SCENARIO_LIMIT:?}"));
}

/// A fake of the API that answers the first call for each path `429`, the
/// second `503`, and the others `200 {}`, and records what it answered.
#[derive(Clone, Default)]
struct BurstyApi {
    answered: Arc<Mutex<HashMap<String, Vec<u16>>>>,
}

impl BurstyApi {
    fn answered(&self) -> HashMap<String, Vec<u16>> {
        self.answered.lock().expect("answers").clone()
    }
}

impl wiremock::Respond for BurstyApi {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let mut answered = self.answered.lock().expect("answers");
        let answers = answered.entry(request.url.path().to_owned()).or_default();
        let status = match answers.len() {
            0 => 429,
            1 => 503,
            _ => 200,
        };
        answers.push(status);
        wiremock::ResponseTemplate::new(status)
            .insert_header("retry-after", "0")
            .set_body_json(serde_json::json!({}))
    }
}
