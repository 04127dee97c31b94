//! Credentials never show: not in `Debug` or `Display` output, not in error
//! messages, not in tracing events. Each test uses real-looking values and
//! searches every rendering for them.

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::prelude::{Engine, BASE64_STANDARD};
use serde_json::json;
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::{Auth, Client, RequestOptions, RetryPolicy};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASIC_SECRET: &str = "b4s1c-s3cr3t-9f8e7d";
const BEARER_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.c2lnbmF0dXJl";
const JWT_SECRET: &str = "jwt-k3y-s3cr3t-1a2b3c";

fn credentials() -> Vec<Auth> {
    vec![
        Auth::basic("app_5f2c0a1b", BASIC_SECRET),
        Auth::bearer(BEARER_TOKEN),
        Auth::jwt("app_5f2c0a1b", JWT_SECRET).into(),
        Auth::jwt("app_5f2c0a1b", JWT_SECRET)
            .expires_in(std::time::Duration::from_secs(60))
            .into(),
    ]
}

fn assert_no_secret(text: &str) {
    for secret in [BASIC_SECRET, BEARER_TOKEN, JWT_SECRET] {
        assert!(!text.contains(secret), "a secret leaked into:\n{text}");
    }
    // The basic credentials as sent (base64), and any JWT this crate signed
    // (its header always starts `{"`, which is `eyJ` in base64).
    let basic = BASE64_STANDARD.encode(format!("app_5f2c0a1b:{BASIC_SECRET}"));
    assert!(
        !text.contains(&basic),
        "an Authorization value leaked into:\n{text}"
    );
    assert!(!text.contains("eyJ"), "a JWT leaked into:\n{text}");
}

/// A `tracing` writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn debug_display_errors_and_traces_never_show_credentials() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_string("unauthorized"))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let body = PassControlBody::new("next");
    for auth in credentials() {
        let builder = Client::builder().base_url(server.uri()).auth(auth.clone());
        let client = builder.clone().build().unwrap();
        let with_options = client.with_options(
            RequestOptions::new()
                .header("X-Api-Secret", BASIC_SECRET)
                .retry(RetryPolicy::never()),
        );
        let error = with_options
            .switchboard_actions()
            .pass_control("app", "conv", &body)
            .await
            .unwrap_err();

        for text in [
            format!("{auth:?}"),
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{with_options:?}"),
            format!("{error:?}"),
            error.to_string(),
        ] {
            assert_no_secret(&text);
        }
    }

    let trace = captured.text();
    assert_no_secret(&trace);
    // The spans were recorded (and, at TRACE, the HTTP stack's own events
    // inside them), so the search above had something to search.
    let closed = trace
        .lines()
        .filter(|line| line.contains("api_request") && line.contains(" close "))
        .count();
    assert_eq!(closed, 4, "{trace}");
    assert!(trace.contains("operation=\"PassControl\""), "{trace}");
}

#[tokio::test]
async fn each_request_gets_a_span_with_operation_method_path_status_attempt_and_time() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::default().initial_delay(std::time::Duration::from_millis(1)))
        .build()
        .unwrap();
    client
        .switchboard_actions()
        .release_control("app", "conv")
        .await
        .unwrap();

    let trace = captured.text();
    let close = trace
        .lines()
        .find(|line| line.contains("close"))
        .expect("the span closed");
    for field in [
        "operation=\"ReleaseControl\"",
        "method=POST",
        "path=\"/v2/apps/{appId}/conversations/{conversationId}/releaseControl\"",
        "status=200",
        "attempt=2",
        "elapsed_ms=",
    ] {
        assert!(close.contains(field), "{field} missing from {close}");
    }
    let retry = trace
        .lines()
        .find(|line| line.contains("retrying"))
        .expect("a retry event");
    assert!(
        retry.contains("status=503") && retry.contains("attempt=1"),
        "{retry}"
    );
}
