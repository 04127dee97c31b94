//! A load benchmark of the webhook receiver (not a test): deliveries per
//! second through one and two replicas, with the in-memory and the Redis
//! store, inline and queued, and the p50 and p99 time to answer.
//!
//! ```sh
//! cargo run --release -p sunshine-runtime --example receiver_load \
//!     --features receiver-redis,receiver-axum -- [DELIVERIES] [CONCURRENCY]
//! ```
//!
//! Everything runs on 127.0.0.1 in this process: each replica is the
//! receiver's axum route on its own port, a `redis-server` is started on a
//! free port (and killed at the end), and CONCURRENCY clients (default 32)
//! post DELIVERIES deliveries (default 4,000) of one event each, with
//! distinct ids, to the replicas in turn. Queued, the figure also says how
//! long the workers took to handle everything.

// The tests' own `redis-server` starter; restarting it is for the fault tests.
#[allow(dead_code)]
#[path = "../tests/support/redis_server.rs"]
mod redis_server;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sunshine_conversations::types::WebhookEvent;
use sunshine_conversations::webhooks::receiver::{
    DeliveryContext, MemoryQueue, MemoryStore, Outcome, RedisQueue, RedisStore, Workers,
};
use sunshine_conversations::webhooks::Receiver;

const SECRET: &str = "whsec-load";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Store {
    Memory,
    Redis,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Inline,
    Queued,
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let deliveries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4_000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let Some(redis) = redis_server::RedisServer::start_or_skip("receiver_load") else {
        return;
    };
    println!("{deliveries} deliveries of one event, {concurrency} clients");
    println!(
        "| store | mode | replicas | deliveries/s | p50 answer | p99 answer | all handled after |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut run = 0;
    for store in [Store::Memory, Store::Redis] {
        for mode in [Mode::Inline, Mode::Queued] {
            for replicas in [1, 2] {
                run += 1;
                // Each run has its own keys and stream: a fresh database.
                flush(&redis.url()).await;
                let handled = Arc::new(AtomicUsize::new(0));
                let mut started = Vec::new();
                for _ in 0..replicas {
                    started.push(start(&redis.url(), store, mode, &handled).await);
                }
                let addresses: Vec<SocketAddr> = started.iter().map(|(a, _)| *a).collect();
                let began = Instant::now();
                let mut latencies = load(&addresses, deliveries, concurrency, run).await;
                let answered = began.elapsed();
                while handled.load(Ordering::Relaxed) < deliveries {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let all_handled = began.elapsed();
                latencies.sort();
                let percentile =
                    |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
                println!(
                    "| {store:?} | {mode:?} | {replicas} | {:.0} | {:.2} ms | {:.2} ms | {:.2} s |",
                    deliveries as f64 / answered.as_secs_f64(),
                    percentile(50).as_secs_f64() * 1e3,
                    percentile(99).as_secs_f64() * 1e3,
                    all_handled.as_secs_f64(),
                );
                for (_, workers) in started {
                    if let Some(workers) = workers {
                        workers.shutdown().await;
                    }
                }
            }
        }
    }
}

async fn flush(url: &str) {
    let client = redis::Client::open(url).expect("a Redis URL");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("Redis");
    let () = redis::cmd("FLUSHALL")
        .query_async(&mut connection)
        .await
        .expect("FLUSHALL");
}

async fn start(
    url: &str,
    store: Store,
    mode: Mode,
    handled: &Arc<AtomicUsize>,
) -> (SocketAddr, Option<Workers>) {
    let handled = Arc::clone(handled);
    let builder = Receiver::builder(SECRET).on_any(move |_: WebhookEvent, _: DeliveryContext| {
        handled.fetch_add(1, Ordering::Relaxed);
        std::future::ready(Outcome::Done)
    });
    let builder = match store {
        Store::Memory => builder.store(MemoryStore::default()),
        Store::Redis => builder.store(RedisStore::connect(url).await.expect("Redis")),
    };
    let builder = match (mode, store) {
        (Mode::Inline, _) => builder,
        (Mode::Queued, Store::Memory) => builder.queue(MemoryQueue::with_capacity(1_000_000)),
        (Mode::Queued, Store::Redis) => builder.queue(
            RedisQueue::connect(url, 1_000_000, Duration::from_secs(30))
                .await
                .expect("Redis"),
        ),
    };
    let receiver = builder.build();
    let workers = receiver.spawn_workers(8);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("an address");
    let router: axum::Router = receiver.axum_router("/webhooks");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (address, workers)
}

/// Posts `deliveries` deliveries from `concurrency` clients; the time each
/// took to be answered.
async fn load(
    addresses: &[SocketAddr],
    deliveries: usize,
    concurrency: usize,
    run: usize,
) -> Vec<Duration> {
    let http = sunshine_conversations::reqwest::Client::new();
    let mut clients = Vec::new();
    for client in 0..concurrency {
        let (http, addresses) = (http.clone(), addresses.to_vec());
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for n in (client..deliveries).step_by(concurrency) {
                let body = serde_json::json!({ "events": [{
                    "id": format!("run{run}-evt-{n}"),
                    "type": "conversation:message",
                    "payload": {
                        "conversation": { "id": format!("conv-{}", n % 97) },
                        "message": { "author": { "type": "user" }, "content": { "type": "text", "text": "hello" } }
                    }
                }]});
                let address = addresses[n % addresses.len()];
                let began = Instant::now();
                let answer = http
                    .post(format!("http://{address}/webhooks"))
                    .header("X-API-Key", SECRET)
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("an answer");
                assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
                latencies.push(began.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(deliveries);
    for client in clients {
        all.extend(client.await.expect("a client"));
    }
    all
}
