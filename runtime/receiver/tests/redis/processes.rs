//! Fault tests with replicas as separate OS processes: three replicas on
//! one real `redis-server` (with persistence), a simulated platform sending
//! deliveries that overlap and repeat, one replica SIGKILLed while handlers
//! run, and Redis restarted; and the queue's consumer group after replicas
//! restart.
//!
//! A replica is this test binary run again with `REPLICA_SETTINGS` set: it
//! then runs only [`replica_process_entry_point`], a receiver with an axum
//! route on 127.0.0.1, whose handlers write to a shared action log. It
//! prints its address and runs until killed, or until its standard input
//! closes (a graceful shutdown). Every replica is killed when its handle
//! drops, on every exit path.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::redis_server::RedisServer;
use crate::support::{delivery, message, SECRET};
use sunshine_conversations::types::WebhookEvent;
use sunshine_conversations::webhooks::receiver::{
    DeliveryContext, Outcome, RedisDeadLetters, RedisQueue, RedisStore,
};
use sunshine_conversations::webhooks::Receiver;

/// The replicas' lease: longer than Redis is down while it restarts, so
/// that the restart costs no claim.
const LEASE: Duration = Duration::from_secs(3);
/// How long most handlers take; one in seven takes `LONG_HANDLER`, longer
/// than the lease, so that only renewal keeps its claim.
const HANDLER: Duration = Duration::from_millis(150);
const LONG_HANDLER: Duration = Duration::from_millis(4_000);
const EVENTS: usize = 60;
const PLATFORM_ATTEMPTS: usize = 200;
const PLATFORM_BACKOFF: Duration = Duration::from_millis(200);
const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

/// The replica's side: runs only inside a process that a test started.
#[test]
fn replica_process_entry_point() {
    let Ok(settings) = std::env::var("REPLICA_SETTINGS") else {
        return; // Not a replica: nothing to run.
    };
    let mut parts = settings.split('|');
    let (Some(redis_url), Some(mode), Some(log), Some(lease_ms)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        panic!("REPLICA_SETTINGS is url|mode|log|lease_ms: {settings}");
    };
    let lease = Duration::from_millis(lease_ms.parse().expect("a lease in ms"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run_replica(
        redis_url,
        mode == "queued",
        Path::new(log),
        lease,
    ));
}

async fn run_replica(redis_url: &str, queued: bool, log: &Path, lease: Duration) {
    let log = log.to_owned();
    let handler = move |_event: WebhookEvent, context: DeliveryContext| {
        let log = log.clone();
        async move {
            let id = context.event_id;
            append(&log, &format!("start {id}"));
            let number: usize = id.trim_start_matches("evt-").parse().unwrap_or(0);
            let took = if number % 7 == 3 {
                LONG_HANDLER
            } else {
                HANDLER
            };
            tokio::time::sleep(took / 2).await;
            append(&log, &format!("act {id}"));
            tokio::time::sleep(took / 2).await;
            append(&log, &format!("finish {id}"));
            Outcome::Done
        }
    };
    let mut builder = Receiver::builder(SECRET)
        .store(RedisStore::connect(redis_url).await.expect("Redis"))
        .dead_letters(RedisDeadLetters::connect(redis_url).await.expect("Redis"))
        .lease(lease)
        .retry_delay(Duration::from_millis(50))
        .on_any(handler);
    if queued {
        builder = builder.queue(RedisQueue::connect(redis_url, 10_000).await.expect("Redis"));
    }
    let receiver: Receiver = builder.build();
    let workers = receiver.spawn_workers(4);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    println!("listening {}", listener.local_addr().expect("an address"));
    std::io::stdout().flush().expect("stdout");
    let (closed, stdin_closed) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        let _ = closed.send(());
    });
    let app = receiver.axum_router("/webhooks");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = stdin_closed.await;
        })
        .await
        .expect("the server");
    receiver.close();
    if let Some(workers) = workers {
        workers.shutdown().await;
    }
}

/// Appends `<pid> <line>` to the action log, in one write.
fn append(log: &Path, line: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(log)
        .expect("the action log");
    file.write_all(format!("{} {line}\n", std::process::id()).as_bytes())
        .expect("a log line");
}

/// A replica process, SIGKILLed when dropped.
struct Replica {
    child: Child,
    address: SocketAddr,
}

impl Replica {
    fn start(redis: &RedisServer, queued: bool, log: &Path, lease: Duration) -> Self {
        let settings = format!(
            "{}|{}|{}|{}",
            redis.url(),
            if queued { "queued" } else { "inline" },
            log.display(),
            lease.as_millis()
        );
        let mut child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "processes::replica_process_entry_point",
                "--exact",
                "--nocapture",
            ])
            .env("REPLICA_SETTINGS", settings)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("a replica process");
        let stdout = child.stdout.take().expect("its standard output");
        let mut lines = BufReader::new(stdout).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("the replica says where it listens")
                .expect("a line");
            if let Some(address) = line.strip_prefix("listening ") {
                break address.parse().expect("an address");
            }
        };
        // Keep reading, so that the replica never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, address }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, as a crash or an out-of-memory kill would.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Closes its standard input, and waits for its graceful shutdown.
    fn stop(mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The action log: `<pid> <start|act|finish> <event id>` lines.
struct ActionLog(PathBuf);

impl ActionLog {
    fn new(test: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "sunshine-actions-{}-{test}.log",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        Self(path)
    }

    fn lines(&self) -> Vec<(u32, String, String)> {
        let text = std::fs::read_to_string(&self.0).unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let mut words = line.split(' ');
                let pid = words.next()?.parse().ok()?;
                Some((pid, words.next()?.to_owned(), words.next()?.to_owned()))
            })
            .collect()
    }

    /// How many times each event was acted on.
    fn acts(&self) -> BTreeMap<String, usize> {
        let mut acts = BTreeMap::new();
        for (_, what, id) in self.lines() {
            if what == "act" {
                *acts.entry(id).or_insert(0) += 1;
            }
        }
        acts
    }

    /// The events whose handler was running in process `pid` when it died:
    /// started there, never finished there.
    fn running_in(&self, pid: u32) -> BTreeSet<String> {
        self.unfinished_in(pid, "start")
    }

    /// Of those, the ones whose handler had acted already.
    fn acted_unfinished_in(&self, pid: u32) -> BTreeSet<String> {
        self.unfinished_in(pid, "act")
    }

    fn unfinished_in(&self, pid: u32, step: &str) -> BTreeSet<String> {
        let lines = self.lines();
        let finished: BTreeSet<&String> = lines
            .iter()
            .filter(|(p, what, _)| *p == pid && what == "finish")
            .map(|(_, _, id)| id)
            .collect();
        lines
            .iter()
            .filter(|(p, what, id)| *p == pid && what == step && !finished.contains(id))
            .map(|(_, _, id)| id.clone())
            .collect()
    }
}

impl Drop for ActionLog {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn one_replica_killed_and_redis_restarted(test: &str, queued: bool) {
    let Some(mut redis) = RedisServer::start_or_skip(test) else {
        return;
    };
    let log = ActionLog::new(test);
    let mut replicas: Vec<Replica> = (0..3)
        .map(|_| Replica::start(&redis, queued, &log.0, LEASE))
        .collect();
    let addresses: Vec<SocketAddr> = replicas.iter().map(|r| r.address).collect();
    let victim = replicas[0].pid();
    let expected: Vec<String> = (0..EVENTS).map(|n| format!("evt-{n}")).collect();

    // Delivery k holds events k and k+1; each delivery goes to two replicas
    // at once, spread over time so that the faults land mid-run.
    let mut sends = Vec::new();
    for k in 0..EVENTS {
        let body = delivery(&[
            message(&expected[k], &format!("conv-{}", k % 10), "hello"),
            message(
                &expected[(k + 1) % EVENTS],
                &format!("conv-{}", (k + 1) % 10),
                "hello",
            ),
        ]);
        for first in [k % 3, (k + 1) % 3] {
            let (addresses, body) = (addresses.clone(), body.clone());
            sends.push(tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(40 * k as u64)).await;
                crate::support::platform::deliver(
                    &addresses,
                    first,
                    body,
                    PLATFORM_ATTEMPTS,
                    PLATFORM_BACKOFF,
                )
                .await
            }));
        }
    }
    // The victim dies with a handler that has acted and not returned (so
    // the event is not done), then Redis restarts.
    let acted = async {
        while log.acted_unfinished_in(victim).is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), acted)
        .await
        .expect("the victim acts");
    replicas[0].kill();
    let running_at_kill = log.running_in(victim);
    let acted_at_kill = log.acted_unfinished_in(victim);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let redis = tokio::task::spawn_blocking(move || {
        redis.restart(Duration::from_millis(500));
        redis
    })
    .await
    .expect("the restart");
    for send in sends {
        send.await.expect("the platform");
    }
    // Everything acted on, then a lease more for a late duplicate to show.
    let all_acted = async {
        while log.acts().len() < EVENTS {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all_acted)
        .await
        .unwrap_or_else(|_| panic!("lost: {:?}", missing(&log, &expected)));
    tokio::time::sleep(LEASE * 2).await;
    drop(replicas);

    let acts = log.acts();
    assert_eq!(missing(&log, &expected), Vec::<String>::new(), "lost");
    let repeated: BTreeSet<String> = acts
        .iter()
        .filter(|(_, count)| **count > 1)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        repeated.is_subset(&running_at_kill),
        "duplicates {repeated:?}, running at the kill {running_at_kill:?}"
    );
    assert!(acts.values().all(|count| *count <= 2), "{acts:?}");
    // What the victim acted on and never marked done is acted on again:
    // the at-least-once window is the handler's run.
    assert!(
        acted_at_kill.iter().all(|id| acts.get(id) == Some(&2)),
        "acted at the kill {acted_at_kill:?}: {acts:?}"
    );
    eprintln!(
        "{test}: {} events, {} running at the kill, {} acted on twice",
        acts.len(),
        running_at_kill.len(),
        repeated.len()
    );
    drop(redis);
}

fn missing(log: &ActionLog, expected: &[String]) -> Vec<String> {
    let acts = log.acts();
    expected
        .iter()
        .filter(|id| !acts.contains_key(*id))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_a_replica_killed_mid_handler_and_redis_restarted_lose_nothing() {
    let test = "inline_a_replica_killed_mid_handler_and_redis_restarted_lose_nothing";
    tokio::time::timeout(
        SCENARIO_LIMIT,
        one_replica_killed_and_redis_restarted(test, false),
    )
    .await
    .expect("within the limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_a_replica_killed_mid_handler_and_redis_restarted_lose_nothing() {
    let test = "queued_a_replica_killed_mid_handler_and_redis_restarted_lose_nothing";
    tokio::time::timeout(
        SCENARIO_LIMIT,
        one_replica_killed_and_redis_restarted(test, true),
    )
    .await
    .expect("within the limit");
}

/// The pids of the group's consumers (a consumer is named after its
/// process: `consumer-<pid in hex>-…`).
async fn consumer_pids(redis: &RedisServer) -> BTreeSet<u32> {
    let mut connection = redis::Client::open(redis.url())
        .expect("a Redis URL")
        .get_multiplexed_async_connection()
        .await
        .expect("Redis");
    let reply: redis::streams::StreamInfoConsumersReply = redis::cmd("XINFO")
        .arg("CONSUMERS")
        .arg("sunshine:webhooks:queue")
        .arg("workers")
        .query_async(&mut connection)
        .await
        .expect("XINFO CONSUMERS");
    reply
        .consumers
        .iter()
        .filter_map(|consumer| {
            let hex = consumer.name.strip_prefix("consumer-")?.split('-').next()?;
            u32::from_str_radix(hex, 16).ok()
        })
        .collect()
}

/// Sends deliveries to `via` until process `pid` has read one, which is
/// when Redis lists its consumer.
async fn until_listed(redis: &RedisServer, via: SocketAddr, pid: u32, sent: &mut usize) {
    while !consumer_pids(redis).await.contains(&pid) {
        *sent += 1;
        let body = delivery(&[message(&format!("evt-{sent}"), "conv-1", "hello")]);
        crate::support::platform::deliver(&[via], 0, body, PLATFORM_ATTEMPTS, PLATFORM_BACKOFF)
            .await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_three_replica_restarts_the_group_lists_only_live_consumers() {
    let test = "after_three_replica_restarts_the_group_lists_only_live_consumers";
    let Some(redis) = RedisServer::start_or_skip(test) else {
        return;
    };
    let scenario = async {
        let lease = Duration::from_millis(500);
        let log = ActionLog::new(test);
        let redis = &redis;
        let start = || Replica::start(redis, true, &log.0, lease);
        let mut sent = 0;
        let (a, mut b) = (start(), start());
        until_listed(redis, b.address, a.pid(), &mut sent).await;
        until_listed(redis, a.address, b.pid(), &mut sent).await;

        // A graceful restart leaves the group at once.
        let (a_pid, b_pid) = (a.pid(), b.pid());
        a.stop();
        let after_stop = consumer_pids(redis).await;
        let mut a = start();
        until_listed(redis, b.address, a.pid(), &mut sent).await;
        // Two crashes, each with its consumer listed: theirs stay until
        // found idle and holding nothing.
        b.kill();
        let b = start();
        until_listed(redis, b.address, b.pid(), &mut sent).await;
        let a_next_pid = a.pid();
        a.kill();
        let a = start();
        let dead = BTreeSet::from([a_pid, b_pid, a_next_pid]);
        let live = BTreeSet::from([a.pid(), b.pid()]);
        let cleaned = async {
            loop {
                let listed = consumer_pids(redis).await;
                if listed.is_disjoint(&dead) {
                    return listed;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let listed = tokio::time::timeout(Duration::from_secs(20), cleaned).await;

        assert!(!after_stop.contains(&a_pid), "{after_stop:?}");
        let listed = listed.unwrap_or_else(|_| panic!("dead {dead:?} still listed"));
        assert!(listed.is_subset(&live), "{listed:?}, live {live:?}");
        assert!(sent > 0);
    };
    tokio::time::timeout(SCENARIO_LIMIT, scenario)
        .await
        .expect("within the limit");
}
