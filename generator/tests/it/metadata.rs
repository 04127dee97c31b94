//! The status and headers of a successful answer, through the generated
//! crate's `.with_metadata()`, against a real local HTTP server.

use std::time::Duration;

use serde_json::json;
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::{Client, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(retry)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_success_comes_with_its_status_headers_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-1")
                .append_header("x-ratelimit-remaining", "99")
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::never());
    let body = PassControlBody::new("next");

    let ((), meta) = client
        .switchboard_actions()
        .pass_control("app", "conv", &body)
        .with_metadata()
        .await
        .expect("passed");

    assert_eq!(meta.status(), 200);
    assert_eq!(meta.header("x-request-id"), Some("req-1"));
    assert_eq!(meta.header("X-RateLimit-Remaining"), Some("99"));
    assert_eq!(meta.header("x-absent"), None);
    assert_eq!(
        meta.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-1"[..])
    );
    assert_eq!(meta.attempts(), 1);
}

#[tokio::test]
async fn the_metadata_is_the_last_attempts() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("x-request-id", "req-failed"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-ok")
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    let quick = RetryPolicy::default()
        .jitter(false)
        .initial_delay(Duration::from_millis(1));
    let client = client_for(&server, quick);

    let ((), meta) = client
        .switchboard_actions()
        .release_control("app", "conv")
        .with_metadata()
        .await
        .expect("released on the second attempt");

    assert_eq!(meta.attempts(), 2);
    assert_eq!(meta.header("x-request-id"), Some("req-ok"));
}

#[tokio::test]
async fn an_error_through_with_metadata_keeps_its_headers() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-404")
                .set_body_json(json!({ "errors": [{ "code": "conversation_not_found" }] })),
        )
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::never());

    let error = client
        .switchboard_actions()
        .release_control("app", "conv")
        .with_metadata()
        .await
        .expect_err("a 404");

    assert!(error.is_status(404));
    assert!(error.api_error().is_some());
    assert_eq!(error.header("x-request-id"), Some("req-404"));
}
