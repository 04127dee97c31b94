//! What the generated client costs per request over the same request written
//! by hand with reqwest (`cargo bench -p sunshine-runtime --bench request_overhead`).
//!
//! Both send `passControl` (POST, JSON body, basic auth, the same headers and
//! per-attempt timeout) to a minimal HTTP/1.1 server on 127.0.0.1, in this
//! process and on the same single-threaded runtime, over a kept-alive
//! connection, and read the empty `200` answer. The generated client runs
//! with its defaults: retries on (none happen), and the `tracing` feature
//! compiled in, first without a subscriber (spans cost next to nothing), then
//! with one that formats every span and event into a sink, as a service that
//! logs would. After criterion's figures, interleaved rounds give the ratio.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use reqwest::header::{ACCEPT, USER_AGENT};
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

const KEY_ID: &str = "app_5f2c0a1b";
const SECRET: &str = "bench-secret";
/// What the generated client sends by default; the hand-written call sends it too.
const AGENT: &str = "sunshine-conversations-rust/0.1.0";
const TIMEOUT: Duration = Duration::from_secs(30);

/// Answers every request on a connection with an empty `200`, keeping it open.
async fn serve(listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(stream));
    }
}

async fn connection(mut stream: TcpStream) {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // One request: its head, then as many body bytes as it announces.
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        buffer.drain(..head_end + length);
        if stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .await
            .is_err()
        {
            return;
        }
    }
}

struct Setup {
    runtime: Runtime,
    generated: Client,
    http: reqwest::Client,
    url: String,
    body: PassControlBody,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let address: SocketAddr = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port");
        let address = listener.local_addr().expect("its address");
        tokio::spawn(serve(listener));
        address
    });
    let base = format!("http://{address}");
    let generated = Client::builder()
        .base_url(base.clone())
        .basic_auth(KEY_ID, SECRET)
        .build()
        .expect("a client");
    // As the generated client builds its own when given none.
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client");
    Setup {
        runtime,
        generated,
        http,
        url: format!("{base}/v2/apps/app-1/conversations/conversation-1/passControl"),
        body: PassControlBody::new("next"),
    }
}

async fn by_hand(http: &reqwest::Client, url: &str, body: &PassControlBody) {
    let response = http
        .post(url)
        .basic_auth(KEY_ID, Some(SECRET))
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, AGENT)
        .timeout(TIMEOUT)
        .json(body)
        .send()
        .await
        .expect("the local server answers");
    assert_eq!(response.status(), 200);
    response.bytes().await.expect("a body");
}

async fn generated(client: &Client, body: &PassControlBody) {
    client
        .switchboard_actions()
        .pass_control("app-1", "conversation-1", body)
        .await
        .expect("the local server answers 200");
}

/// A subscriber that formats everything into a sink, for this thread.
fn tracing_on() -> tracing::subscriber::DefaultGuard {
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(std::io::sink)
        .finish();
    tracing::subscriber::set_default(subscriber)
}

fn overhead(c: &mut Criterion) {
    let setup = setup();
    let Setup {
        runtime,
        generated: client,
        http,
        url,
        body,
    } = &setup;
    let mut group = c.benchmark_group("passControl on 127.0.0.1");
    group.bench_function("reqwest by hand", |b| {
        b.to_async(runtime).iter(|| by_hand(http, url, body))
    });
    group.bench_function("generated, defaults", |b| {
        b.to_async(runtime).iter(|| generated(client, body))
    });
    {
        let _tracing = tracing_on();
        group.bench_function("generated, tracing subscriber on", |b| {
            b.to_async(runtime).iter(|| generated(client, body))
        });
    }
    group.finish();
    ratios(&setup);
}

/// Interleaved rounds of each kind of call; the ratio of the medians.
fn ratios(setup: &Setup) {
    const ROUNDS: usize = 15;
    const CALLS: u32 = 400;
    let Setup {
        runtime,
        generated: client,
        http,
        url,
        body,
    } = setup;
    let per_call = |run: &dyn Fn() -> Duration| run() / CALLS;
    let mut hand = Vec::new();
    let mut plain = Vec::new();
    let mut traced = Vec::new();
    for _ in 0..ROUNDS {
        hand.push(per_call(&|| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..CALLS {
                    by_hand(http, url, body).await;
                }
                started.elapsed()
            })
        }));
        plain.push(per_call(&|| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..CALLS {
                    generated(client, body).await;
                }
                started.elapsed()
            })
        }));
        let _tracing = tracing_on();
        traced.push(per_call(&|| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..CALLS {
                    generated(client, body).await;
                }
                started.elapsed()
            })
        }));
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (hand, plain, traced) = (median(&mut hand), median(&mut plain), median(&mut traced));
    println!(
        "\npassControl, median of {ROUNDS} interleaved rounds of {CALLS} calls:\n  reqwest by hand                   {:>8.1} us\n  generated, defaults               {:>8.1} us  ({:.3}x)\n  generated, tracing subscriber on  {:>8.1} us  ({:.3}x)",
        hand.as_secs_f64() * 1e6,
        plain.as_secs_f64() * 1e6,
        plain.as_secs_f64() / hand.as_secs_f64(),
        traced.as_secs_f64() * 1e6,
        traced.as_secs_f64() / hand.as_secs_f64(),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = overhead
}
criterion_main!(benches);
