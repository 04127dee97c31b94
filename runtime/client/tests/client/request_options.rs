//! Per-request options, timeouts, body-less POSTs and the HTTP types the
//! crate re-exports, against a local wiremock server.

use std::time::Duration;

use serde_json::json;
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::{
    Client, Error, HeaderMap, HttpClient, InvalidRequest, RequestOptions, RetryPolicy, StatusCode,
};
use wiremock::matchers::{any, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn body() -> PassControlBody {
    PassControlBody::new("next")
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("app_key", "secret")
        .build()
        .unwrap()
}

#[tokio::test]
async fn option_headers_are_sent_and_replace_the_clients_own() {
    let server = ok_server().await;
    let client = client_for(&server).with_options(
        RequestOptions::new()
            .header("Prefer", "code=404")
            .header("User-Agent", "handoff-bot/2"),
    );

    client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let headers = &requests[0].headers;
    assert_eq!(headers.get("prefer").unwrap(), "code=404");
    let agents: Vec<_> = headers.get_all("user-agent").iter().collect();
    assert_eq!(agents, ["handoff-bot/2"]);
    assert!(headers.get("authorization").is_some());
}

#[tokio::test]
async fn options_stack_and_the_original_handle_is_unchanged() {
    let server = ok_server().await;
    let client = client_for(&server);
    let tagged = client.with_options(RequestOptions::new().header("X-Trace", "a"));
    let retagged = tagged.with_options(
        RequestOptions::new()
            .header("X-Trace", "b")
            .header("X-Other", "c"),
    );

    client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap();
    tagged
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap();
    retagged
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let trace = |index: usize| {
        requests[index]
            .headers
            .get("x-trace")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(trace(0), None);
    assert_eq!(trace(1).as_deref(), Some("a"));
    assert_eq!(trace(2).as_deref(), Some("b"));
    assert_eq!(requests[2].headers.get("x-other").unwrap(), "c");
}

#[tokio::test]
async fn an_invalid_option_header_fails_before_sending() {
    let server = ok_server().await;
    for options in [
        RequestOptions::new().header("Bad Name", "x"),
        RequestOptions::new().header("X-Ok", "line\nbreak"),
    ] {
        let error = client_for(&server)
            .with_options(options)
            .switchboard_actions()
            .pass_control("app", "conv", &body())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest(
                    InvalidRequest::HeaderName { .. } | InvalidRequest::HeaderValue { .. }
                )
            ),
            "{error:?}"
        );
        assert_eq!(error.attempts(), 0);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_per_request_timeout_ends_a_slow_post_without_retrying_it() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client =
        client_for(&server).with_options(RequestOptions::new().timeout(Duration::from_millis(100)));

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();

    match &error {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // The POST reached the server: sending it again could act twice.
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_client_timeout_applies_to_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap();

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport { source, .. } if source.is_timeout()),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_post_without_a_body_sends_content_length_zero() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    client_for(&server)
        .switchboard_actions()
        .release_control("app", "conv")
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body.is_empty());
    assert_eq!(
        requests[0].headers.get_all("content-length").iter().count(),
        1
    );
}

#[tokio::test]
async fn http_types_are_reexported_for_users_without_a_reqwest_dependency() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-request-id", "r-1")
                .set_body_string("conflict"),
        )
        .mount(&server)
        .await;
    let http: HttpClient = sunshine_conversations::reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(http)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();

    let error = client
        .switchboard_actions()
        .pass_control("app", "conv", &body())
        .await
        .unwrap_err();

    let status: Option<StatusCode> = error.status();
    let headers: Option<&HeaderMap> = error.headers();
    assert_eq!(status, Some(StatusCode::CONFLICT));
    assert_eq!(headers.and_then(|h| h.get("x-request-id")).unwrap(), "r-1");
}
