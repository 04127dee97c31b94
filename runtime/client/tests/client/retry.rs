//! Retries of the generated client, observed on tokio's paused clock.
//!
//! A scripted HTTP server runs on 127.0.0.1 inside the test's own runtime and
//! records, for each request it receives, the (paused) time it arrived. Time
//! moves only while the client sleeps between attempts, so the recorded
//! arrival times are exactly the client's retry schedule, and no test waits
//! on the wall clock.
//!
//! The client is given a `reqwest::Client` without timeouts: a pending
//! timeout timer would let the paused clock jump ahead while a request is on
//! the wire.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sunshine_conversations::apis::switchboard_actions::PassControlError;
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::{Client, Error, RequestOptions, RetryPolicy, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// One scripted answer: status and extra headers.
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: &'static str,
}

fn answer(status: u16) -> Answer {
    let body = match status {
        200 => "{}",
        404 => r#"{"errors":[{"code":"conversation_not_found","title":"no such conversation"}]}"#,
        _ => "slow down",
    };
    Answer {
        status,
        headers: Vec::new(),
        body,
    }
}

fn with_retry_after(status: u16, value: impl Into<String>) -> Answer {
    let mut answer = answer(status);
    answer.headers.push(("Retry-After", value.into()));
    answer
}

/// A server answering each request with the next scripted answer (the last
/// one repeats), recording when each request arrived.
struct ScriptedServer {
    url: String,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    started: Instant,
}

impl ScriptedServer {
    async fn start(script: Vec<Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&arrivals);
        let mut script: VecDeque<Answer> = script.into();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                read_request(&mut stream).await;
                recorded.lock().expect("lock").push(Instant::now());
                let answer = if script.len() > 1 {
                    script.pop_front()
                } else {
                    script.front().cloned()
                };
                let Some(answer) = answer else { break };
                let mut head = format!(
                    "HTTP/1.1 {} Scripted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                    answer.status,
                    answer.body.len()
                );
                for (name, value) in &answer.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                head.push_str(answer.body);
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        Self {
            url,
            arrivals,
            started: Instant::now(),
        }
    }

    /// Arrival times, in milliseconds since the server started.
    fn arrivals_ms(&self) -> Vec<u128> {
        self.arrivals
            .lock()
            .expect("lock")
            .iter()
            .map(|at| (*at - self.started).as_millis())
            .collect()
    }

    fn client(&self, policy: RetryPolicy) -> Client {
        Client::builder()
            .base_url(&self.url)
            .basic_auth("app_key", "secret")
            .http_client(reqwest::Client::new())
            .retry(policy)
            .build()
            .expect("client builds")
    }
}

/// Reads one request (head and `Content-Length` body) from `stream`.
async fn read_request(stream: &mut tokio::net::TcpStream) {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let Ok(read) = stream.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            return;
        }
        data.extend_from_slice(&buffer[..read]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        if data.len() >= end + 4 + length {
            return;
        }
    }
}

fn body() -> PassControlBody {
    PassControlBody::new("next")
}

/// Exponential backoff from 100 ms without jitter, so the schedule is exact.
fn exact_backoff() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(false)
        .initial_delay(Duration::from_millis(100))
}

#[tokio::test(start_paused = true)]
async fn too_many_requests_is_retried_with_exponential_backoff() {
    let server =
        ScriptedServer::start(vec![answer(429), answer(429), answer(429), answer(200)]).await;
    let client = server.client(exact_backoff());

    let result = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await;

    assert!(result.is_ok(), "{result:?}");
    let schedule = server.arrivals_ms();
    println!("attempts at (ms, paused clock, no Retry-After): {schedule:?}");
    assert_eq!(schedule, [0, 100, 300, 700]);
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_and_as_a_date_is_honoured() {
    // The date is whole seconds from now on the wall clock; the client turns
    // it into a wait of 4 to 5 seconds (less the wall time the test takes).
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
    let server = ScriptedServer::start(vec![
        with_retry_after(503, "2"),
        with_retry_after(429, date),
        answer(200),
    ])
    .await;
    let client = server.client(exact_backoff());

    let result = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await;

    assert!(result.is_ok(), "{result:?}");
    let schedule = server.arrivals_ms();
    println!(
        "attempts at (ms, paused clock, Retry-After: 2, then an HTTP date 5 s ahead): {schedule:?}"
    );
    assert_eq!(schedule.len(), 3);
    assert_eq!(schedule[1], 2000);
    let date_wait = schedule[2] - schedule[1];
    assert!((3000..=5000).contains(&date_wait), "{schedule:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_capped_by_the_ceiling() {
    let server = ScriptedServer::start(vec![with_retry_after(429, "3600"), answer(200)]).await;
    let client = server.client(exact_backoff().max_delay(Duration::from_secs(10)));

    let result = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.arrivals_ms(), [0, 10_000]);
}

#[tokio::test(start_paused = true)]
async fn full_jitter_waits_between_zero_and_the_exponential_bound() {
    let server = ScriptedServer::start(vec![answer(429); 6]).await;
    let client = server.client(
        RetryPolicy::default()
            .max_retries(5)
            .initial_delay(Duration::from_millis(100)),
    );

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();

    assert_eq!(error.attempts(), 6);
    let schedule = server.arrivals_ms();
    println!("attempts at (ms, paused clock, full jitter): {schedule:?}");
    let waits: Vec<u128> = schedule.windows(2).map(|w| w[1] - w[0]).collect();
    for (retry, wait) in waits.iter().enumerate() {
        let bound = 100u128 << retry;
        assert!(
            *wait <= bound,
            "retry {} waited {wait} ms > {bound} ms",
            retry + 1
        );
    }
}

#[tokio::test(start_paused = true)]
async fn exhausted_retries_return_the_last_response_marked_retryable() {
    let server = ScriptedServer::start(vec![with_retry_after(429, "1")]).await;
    let client = server.client(exact_backoff().max_retries(2));

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();

    assert_eq!(server.arrivals_ms(), [0, 1000, 2000]);
    match &error {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(body, "slow down");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(error.attempts(), 3);
    assert_eq!(
        error
            .headers()
            .and_then(|h| h.get("retry-after"))
            .map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
}

#[tokio::test(start_paused = true)]
async fn zero_retries_sends_once() {
    let server = ScriptedServer::start(vec![answer(429), answer(200)]).await;
    let client = server.client(RetryPolicy::never());

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();

    assert_eq!(server.arrivals_ms(), [0]);
    assert!(
        error.is_retryable(),
        "a 429 is retryable even when retries are off"
    );
    assert_eq!(error.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn per_request_options_override_the_client_policy() {
    let server = ScriptedServer::start(vec![answer(503), answer(503), answer(200)]).await;
    let client = server.client(RetryPolicy::never());

    let patient = client.with_options(RequestOptions::new().retry(exact_backoff()));
    let result = patient
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.arrivals_ms(), [0, 100, 300]);
}

#[tokio::test(start_paused = true)]
async fn client_errors_and_gateway_failures_of_a_post_are_not_retried() {
    // The operations are POSTs: 502 and 504 may have been acted on upstream.
    for status in [400, 401, 403, 404, 409, 422, 500, 502, 504] {
        let server = ScriptedServer::start(vec![answer(status), answer(200)]).await;
        let client = server.client(exact_backoff());

        let error = client
            .switchboard_actions()
            .pass_control("app", "conv", &body())
            .await
            .unwrap_err();

        assert_eq!(server.arrivals_ms(), [0], "{status}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(!error.is_retryable(), "{status}");
        assert_eq!(error.retry_after(), None, "{status}");
        if status == 404 {
            assert!(matches!(
                error.api_error(),
                Some(PassControlError::NotFound(_))
            ));
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_documented_error_after_retries_keeps_the_attempt_count() {
    let server = ScriptedServer::start(vec![answer(503), answer(404)]).await;
    let client = server.client(exact_backoff());

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();

    assert_eq!(server.arrivals_ms(), [0, 100]);
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.attempts(), 2);
    assert!(!error.is_retryable());
}
