//! Black-box tests of the generated client crate (`generated/`, package
//! `sunshine-conversations`) against a real local HTTP server.
//!
//! Everything goes through the crate's public API: a `Client` built with
//! `Client::builder().base_url(server.uri())` calls the four switchboard
//! operations, and the tests look at what the wiremock server received and at
//! what the client made of the server's answer.

use std::error::Error as StdError;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Map, Value};
use sunshine_conversations::apis::switchboard_actions::{
    AcceptControlError, OfferControlError, PassControlError, ReleaseControlError,
};
use sunshine_conversations::types::{
    self, AcceptControlBody, ErrorResponse, OfferControlBody, PassControlBody, ReleaseControlBody,
};
use sunshine_conversations::{
    Auth, BuildError, Client, ClientBuilder, Error, InvalidRequest, Nullable, RetryPolicy, Server,
};
use wiremock::matchers::{any, basic_auth, bearer_token, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The four operations, so that tests can check all of them alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Pass,
    Offer,
    Accept,
    Release,
}

impl Op {
    const ALL: [Op; 4] = [Op::Pass, Op::Offer, Op::Accept, Op::Release];

    /// The last path segment of the operation.
    fn action(self) -> &'static str {
        match self {
            Op::Pass => "passControl",
            Op::Offer => "offerControl",
            Op::Accept => "acceptControl",
            Op::Release => "releaseControl",
        }
    }

    /// The path the operation is sent to for already-encoded ids.
    fn path(self, app_id: &str, conversation_id: &str) -> String {
        format!(
            "/v2/apps/{app_id}/conversations/{conversation_id}/{}",
            self.action()
        )
    }

    /// The exact JSON `call_with(.., Nullable::Value({"lang":"en"}))` sends.
    fn body_with_metadata(self) -> &'static str {
        match self {
            Op::Pass | Op::Offer => r#"{"switchboardIntegration":"next","metadata":{"lang":"en"}}"#,
            Op::Accept | Op::Release => r#"{"metadata":{"lang":"en"}}"#,
        }
    }

    /// Calls the operation with `metadata: {"lang": "en"}` (and
    /// `switchboardIntegration: "next"` where the body has it).
    async fn call(self, client: &Client, app_id: &str, conversation_id: &str) -> Outcome {
        self.call_with(client, app_id, conversation_id, Nullable::Value(lang_en()))
            .await
    }

    /// Calls the operation with the given `metadata` field.
    async fn call_with(
        self,
        client: &Client,
        app_id: &str,
        conversation_id: &str,
        metadata: Nullable<Map<String, Value>>,
    ) -> Outcome {
        let actions = client.switchboard_actions();
        match self {
            Op::Pass => {
                let body = PassControlBody::new("next").metadata(metadata);
                let result = actions.pass_control(app_id, conversation_id, &body).await;
                outcome(result, |error| match error {
                    PassControlError::NotFound(body) => (404, body.clone()),
                    other => panic!("a variant this test does not know: {other:?}"),
                })
            }
            Op::Offer => {
                let body = OfferControlBody::new("next").metadata(metadata);
                let result = actions.offer_control(app_id, conversation_id, &body).await;
                outcome(result, |error| match error {
                    OfferControlError::NotFound(body) => (404, body.clone()),
                    other => panic!("a variant this test does not know: {other:?}"),
                })
            }
            Op::Accept => {
                let body = AcceptControlBody::default().metadata(metadata);
                let result = actions.accept_control(app_id, conversation_id, &body).await;
                outcome(result, |error| match error {
                    AcceptControlError::Forbidden(body) => (403, body.clone()),
                    AcceptControlError::NotFound(body) => (404, body.clone()),
                    other => panic!("a variant this test does not know: {other:?}"),
                })
            }
            Op::Release => {
                let body = ReleaseControlBody::default().metadata(metadata);
                let result = actions
                    .release_control(app_id, conversation_id)
                    .body(&body)
                    .await;
                outcome(result, |error| match error {
                    ReleaseControlError::Forbidden(body) => (403, body.clone()),
                    ReleaseControlError::NotFound(body) => (404, body.clone()),
                    other => panic!("a variant this test does not know: {other:?}"),
                })
            }
        }
    }
}

/// What a call produced, the same for every operation.
type Outcome = Result<(), Box<Failure>>;

/// The parts of an `Error<E>` the tests look at, for any operation.
#[derive(Debug)]
struct Failure {
    kind: Kind,
    /// For `Error::Api`: the status the variant of `E` stands for, and its body.
    api: Option<(u16, ErrorResponse)>,
    status: Option<StatusCode>,
    raw_body: Option<String>,
    headers: Option<HeaderMap>,
    display: String,
    /// The `Display` of each `source()`, outermost first.
    sources: Vec<String>,
    source_is_reqwest: bool,
    source_is_serde_json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Api,
    UnexpectedStatus,
    Decode,
    Transport,
    InvalidRequestUrl,
    InvalidRequestOther,
    Other,
}

fn outcome<E: StdError + 'static>(
    result: Result<(), Error<E>>,
    api: impl Fn(&E) -> (u16, ErrorResponse),
) -> Outcome {
    let error = match result {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    let kind = match &error {
        Error::Api { .. } => Kind::Api,
        Error::UnexpectedStatus { .. } => Kind::UnexpectedStatus,
        Error::Decode { .. } => Kind::Decode,
        Error::Transport { .. } => Kind::Transport,
        Error::InvalidRequest(InvalidRequest::Url { .. }) => Kind::InvalidRequestUrl,
        Error::InvalidRequest(_) => Kind::InvalidRequestOther,
        _ => Kind::Other,
    };
    let source = error.source();
    Err(Box::new(Failure {
        kind,
        api: error.api_error().map(api),
        status: error.status(),
        raw_body: error.raw_body().map(str::to_owned),
        headers: error.headers().cloned(),
        display: error.to_string(),
        sources: source_chain(&error),
        source_is_reqwest: source.is_some_and(|source| source.is::<reqwest::Error>()),
        source_is_serde_json: source.is_some_and(|source| source.is::<serde_json::Error>()),
    }))
}

fn source_chain(error: &dyn StdError) -> Vec<String> {
    let mut chain = Vec::new();
    let mut source = error.source();
    while let Some(error) = source {
        chain.push(error.to_string());
        source = error.source();
    }
    chain
}

fn lang_en() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("lang".to_owned(), json!("en"));
    map
}

fn error_response(code: &str, title: &str) -> ErrorResponse {
    ErrorResponse::default().errors(vec![types::ErrorDetails::default().code(code).title(title)])
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the mock server's URL is a valid base URL")
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on by default")
}

/// Mounts a catch-all mock answering `status` with `body` as JSON.
async fn answer_json(server: &MockServer, status: u16, body: Value) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Mounts a catch-all mock answering `status` with a raw body.
async fn answer_raw(server: &MockServer, status: u16, body: &str, content_type: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(server)
        .await;
}

fn header_values<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("test headers are ASCII"))
        .collect()
}

fn body_text(request: &wiremock::Request) -> &str {
    std::str::from_utf8(&request.body).expect("the client sends UTF-8 JSON")
}

/// A port on 127.0.0.1 where nothing listens: bound, then released.
fn closed_port() -> u16 {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").expect("can bind to an ephemeral port");
    let port = listener
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    drop(listener);
    port
}

fn build_error(builder: ClientBuilder) -> BuildError {
    match builder.build() {
        Ok(client) => panic!("expected the configuration to be rejected, built {client:?}"),
        Err(error) => error,
    }
}

const DEFAULT_USER_AGENT_PREFIX: &str = "sunshine-conversations-rust/";

// ---------------------------------------------------------------------------
// The request each operation sends
// ---------------------------------------------------------------------------

/// Method, path, headers and exact body of one operation, checked both by
/// wiremock matchers (the mock only answers a matching request) and by
/// inspecting the recorded request.
async fn check_request_shape(op: Op) {
    let server = MockServer::start().await;
    let expected_path = op.path("app_5f2c0a1b", "conv_64a1f1d0");
    Mock::given(method("POST"))
        .and(path(expected_path.as_str()))
        .and(basic_auth("app_5f2c0a1b", "my-api-key-secret"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(
            serde_json::from_str::<Value>(op.body_with_metadata()).unwrap(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("app_5f2c0a1b", "my-api-key-secret")
        .build()
        .unwrap();

    let response = op.call(&client, "app_5f2c0a1b", "conv_64a1f1d0").await;

    assert!(matches!(&response, Ok(())), "{op:?}: {response:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "{op:?}");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST", "{op:?}");
    assert_eq!(request.url.path(), expected_path, "{op:?}");
    assert_eq!(request.url.query(), None, "{op:?}");
    assert_eq!(
        header_values(&request.headers, "authorization"),
        ["Basic YXBwXzVmMmMwYTFiOm15LWFwaS1rZXktc2VjcmV0"],
        "{op:?}"
    );
    assert_eq!(
        header_values(&request.headers, "content-type"),
        ["application/json"],
        "{op:?}"
    );
    assert_eq!(
        header_values(&request.headers, "accept"),
        ["application/json"],
        "{op:?}"
    );
    assert_eq!(body_text(request), op.body_with_metadata(), "{op:?}");
    server.verify().await;
}

#[tokio::test]
async fn pass_control_sends_post_with_auth_json_headers_and_exact_body() {
    check_request_shape(Op::Pass).await;
}

#[tokio::test]
async fn offer_control_sends_post_with_auth_json_headers_and_exact_body() {
    check_request_shape(Op::Offer).await;
}

#[tokio::test]
async fn accept_control_sends_post_with_auth_json_headers_and_exact_body() {
    check_request_shape(Op::Accept).await;
}

#[tokio::test]
async fn release_control_with_body_sends_post_with_auth_json_headers_and_exact_body() {
    check_request_shape(Op::Release).await;
}

#[tokio::test]
async fn absent_metadata_is_left_out_and_explicit_null_is_sent_as_null() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    for op in Op::ALL {
        op.call_with(&client, "app", "conv", Nullable::Absent)
            .await
            .unwrap();
        op.call_with(&client, "app", "conv", Nullable::Null)
            .await
            .unwrap();
    }

    let bodies: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| body_text(request).to_owned())
        .collect();
    assert_eq!(
        bodies,
        [
            r#"{"switchboardIntegration":"next"}"#,
            r#"{"switchboardIntegration":"next","metadata":null}"#,
            r#"{"switchboardIntegration":"next"}"#,
            r#"{"switchboardIntegration":"next","metadata":null}"#,
            r#"{}"#,
            r#"{"metadata":null}"#,
            r#"{}"#,
            r#"{"metadata":null}"#,
        ]
    );
}

#[tokio::test]
async fn metadata_values_of_every_json_kind_are_sent_as_given() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);
    let metadata =
        json!({ "lang": "en", "priority": 2, "vip": true, "score": 0.5, "note": "é \"q\"" });
    let Value::Object(metadata) = metadata.clone() else {
        unreachable!()
    };

    for op in Op::ALL {
        op.call_with(&client, "app", "conv", metadata.clone().into())
            .await
            .unwrap();
    }

    for (request, op) in received(&server).await.iter().zip(Op::ALL) {
        let sent: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(sent["metadata"], Value::Object(metadata.clone()), "{op:?}");
    }
}

#[tokio::test]
async fn release_control_without_body_sends_no_body_and_no_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/apps/app/conversations/conv/releaseControl"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("header.payload.signature")
        .build()
        .unwrap();

    client
        .switchboard_actions()
        .release_control("app", "conv")
        .await
        .unwrap();

    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert!(
        request.body.is_empty(),
        "sent a body: {:?}",
        body_text(request)
    );
    assert!(
        request.headers.get("content-type").is_none(),
        "{:?}",
        request.headers
    );
    if let Some(length) = request.headers.get("content-length") {
        assert_eq!(length, "0");
    }
    assert_eq!(
        header_values(&request.headers, "accept"),
        ["application/json"]
    );
    assert_eq!(
        header_values(&request.headers, "authorization"),
        ["Bearer header.payload.signature"]
    );
}

#[tokio::test]
async fn release_control_with_empty_body_sends_an_empty_json_object() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    client
        .switchboard_actions()
        .release_control("app", "conv")
        .body(&ReleaseControlBody::default())
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(body_text(&requests[0]), "{}");
    assert_eq!(
        header_values(&requests[0].headers, "content-type"),
        ["application/json"]
    );
}

// ---------------------------------------------------------------------------
// Successful responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn ok_with_empty_object_is_ok_for_every_operation() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    for op in Op::ALL {
        let response = op.call(&client, "app", "conv").await;
        assert!(matches!(&response, Ok(())), "{op:?}: {response:?}");
    }
    let response = client
        .switchboard_actions()
        .release_control("app", "conv")
        .await;
    assert!(matches!(&response, Ok(())), "{response:?}");
}

#[tokio::test]
async fn ok_is_unit_whatever_body_comes_with_it() {
    // The document declares no properties for these successes, so callers
    // get `()`: a body with properties, or none at all, makes no difference.
    for body in [
        ResponseTemplate::new(200).set_body_json(json!({ "added": { "in": "a later version" } })),
        ResponseTemplate::new(200),
        ResponseTemplate::new(200).set_body_string("OK"),
    ] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(body).mount(&server).await;
        let client = client_for(&server);
        for op in Op::ALL {
            let response = op.call(&client, "app", "conv").await;
            assert!(matches!(response, Ok(())), "{op:?}: {response:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Documented error statuses
// ---------------------------------------------------------------------------

fn not_found_json() -> Value {
    json!({ "errors": [{ "code": "conversation_not_found", "title": "Conversation not found" }] })
}

fn forbidden_json() -> Value {
    json!({ "errors": [{ "code": "forbidden", "title": "Integration is not the active one" }] })
}

#[tokio::test]
async fn not_found_is_a_typed_api_error_for_pass_control() {
    let server = MockServer::start().await;
    answer_json(&server, 404, not_found_json()).await;
    let body = PassControlBody::new("next");

    let error = client_for(&server)
        .switchboard_actions()
        .pass_control("app", "missing", &body)
        .await
        .unwrap_err();

    match error.api_error() {
        Some(PassControlError::NotFound(ErrorResponse {
            errors: Some(errors),
            ..
        })) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code.as_deref(), Some("conversation_not_found"));
            assert_eq!(errors[0].title.as_deref(), Some("Conversation not found"));
        }
        _ => panic!("expected Api(NotFound), got {error:?}"),
    }
    assert_eq!(
        error.api_error(),
        Some(&PassControlError::NotFound(error_response(
            "conversation_not_found",
            "Conversation not found"
        )))
    );
}

#[tokio::test]
async fn not_found_is_a_typed_api_error_for_offer_control() {
    let server = MockServer::start().await;
    answer_json(&server, 404, not_found_json()).await;
    let body = OfferControlBody::new("human");

    let error = client_for(&server)
        .switchboard_actions()
        .offer_control("app", "missing", &body)
        .await
        .unwrap_err();

    match error.api_error() {
        Some(OfferControlError::NotFound(ErrorResponse {
            errors: Some(errors),
            ..
        })) => {
            assert_eq!(errors[0].code.as_deref(), Some("conversation_not_found"));
            assert_eq!(errors[0].title.as_deref(), Some("Conversation not found"));
        }
        _ => panic!("expected Api(NotFound), got {error:?}"),
    }
}

#[tokio::test]
async fn not_found_is_a_typed_api_error_for_accept_control() {
    let server = MockServer::start().await;
    answer_json(&server, 404, not_found_json()).await;

    let error = client_for(&server)
        .switchboard_actions()
        .accept_control("app", "missing", &AcceptControlBody::default())
        .await
        .unwrap_err();

    match error.api_error() {
        Some(AcceptControlError::NotFound(ErrorResponse {
            errors: Some(errors),
            ..
        })) => {
            assert_eq!(errors[0].code.as_deref(), Some("conversation_not_found"));
            assert_eq!(errors[0].title.as_deref(), Some("Conversation not found"));
        }
        _ => panic!("expected Api(NotFound), got {error:?}"),
    }
}

#[tokio::test]
async fn not_found_is_a_typed_api_error_for_release_control() {
    let server = MockServer::start().await;
    answer_json(&server, 404, not_found_json()).await;

    let error = client_for(&server)
        .switchboard_actions()
        .release_control("app", "missing")
        .await
        .unwrap_err();

    match error.api_error() {
        Some(ReleaseControlError::NotFound(ErrorResponse {
            errors: Some(errors),
            ..
        })) => {
            assert_eq!(errors[0].code.as_deref(), Some("conversation_not_found"));
            assert_eq!(errors[0].title.as_deref(), Some("Conversation not found"));
        }
        _ => panic!("expected Api(NotFound), got {error:?}"),
    }
}

#[tokio::test]
async fn forbidden_is_a_typed_api_error_for_accept_control() {
    let server = MockServer::start().await;
    answer_json(&server, 403, forbidden_json()).await;

    let error = client_for(&server)
        .switchboard_actions()
        .accept_control("app", "conv", &AcceptControlBody::default())
        .await
        .unwrap_err();

    match error.api_error() {
        Some(AcceptControlError::Forbidden(ErrorResponse {
            errors: Some(errors),
            ..
        })) => {
            assert_eq!(errors[0].code.as_deref(), Some("forbidden"));
            assert_eq!(
                errors[0].title.as_deref(),
                Some("Integration is not the active one")
            );
        }
        _ => panic!("expected Api(Forbidden), got {error:?}"),
    }
}

#[tokio::test]
async fn forbidden_is_a_typed_api_error_for_release_control() {
    let server = MockServer::start().await;
    answer_json(&server, 403, forbidden_json()).await;

    let error = client_for(&server)
        .switchboard_actions()
        .release_control("app", "conv")
        .body(&ReleaseControlBody::default())
        .await
        .unwrap_err();

    match error.api_error() {
        Some(ReleaseControlError::Forbidden(ErrorResponse {
            errors: Some(errors),
            ..
        })) => {
            assert_eq!(errors[0].code.as_deref(), Some("forbidden"));
            assert_eq!(
                errors[0].title.as_deref(),
                Some("Integration is not the active one")
            );
        }
        _ => panic!("expected Api(Forbidden), got {error:?}"),
    }
}

#[tokio::test]
async fn documented_statuses_map_to_their_variant_for_every_operation() {
    for (status, body) in [(403, forbidden_json()), (404, not_found_json())] {
        let server = MockServer::start().await;
        answer_json(&server, status, body.clone()).await;
        let client = client_for(&server);
        let expected: ErrorResponse = serde_json::from_value(body.clone()).unwrap();

        for op in Op::ALL {
            let failure = op.call(&client, "app", "conv").await.unwrap_err();
            let documented = status == 404 || matches!(op, Op::Accept | Op::Release);
            if documented {
                assert_eq!(failure.kind, Kind::Api, "{op:?} {status}: {failure:?}");
                assert_eq!(failure.api, Some((status, expected.clone())), "{op:?}");
                assert_eq!(failure.status.map(|s| s.as_u16()), Some(status), "{op:?}");
                assert_eq!(failure.raw_body, None, "{op:?}");
            } else {
                // pass/offer do not document 403: the body is kept raw.
                assert_eq!(failure.kind, Kind::UnexpectedStatus, "{op:?}: {failure:?}");
                assert_eq!(failure.status, Some(StatusCode::FORBIDDEN), "{op:?}");
                let raw: Value =
                    serde_json::from_str(failure.raw_body.as_deref().unwrap()).unwrap();
                assert_eq!(raw, body, "{op:?}");
            }
        }
    }
}

#[tokio::test]
async fn error_body_without_errors_or_with_extra_fields_still_decodes() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        404,
        json!({ "errors": [{ "code": "not_found", "title": "Gone", "extra": 1 }], "traceId": "t-1" }),
    )
    .await;
    let client = client_for(&server);
    let failure = Op::Pass.call(&client, "app", "conv").await.unwrap_err();
    assert_eq!(
        failure.api,
        Some((404, error_response("not_found", "Gone")))
    );

    let server = MockServer::start().await;
    answer_json(&server, 404, json!({})).await;
    let client = client_for(&server);
    let failure = Op::Release.call(&client, "app", "conv").await.unwrap_err();
    assert_eq!(failure.api, Some((404, ErrorResponse::default())));
}

#[tokio::test]
async fn api_error_display_source_and_accessors() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-404")
                .set_body_json(not_found_json()),
        )
        .mount(&server)
        .await;

    let error = client_for(&server)
        .switchboard_actions()
        .accept_control("app", "missing", &AcceptControlBody::default())
        .await
        .unwrap_err();

    let message = error.to_string();
    assert!(
        message.starts_with("the API returned an error: 404"),
        "{message}"
    );
    assert!(
        message.contains("The app or conversation does not exist"),
        "{message}"
    );
    assert!(message.contains("conversation_not_found"), "{message}");
    // The operation error's own Display is what follows the prefix.
    let api = error.api_error().unwrap();
    assert_eq!(message, format!("the API returned an error: {api}"));
    assert!(error.source().is_none(), "{:?}", error.source());
    // Documented errors keep the response's status and headers too.
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.raw_body(), None);
    assert_eq!(
        error.headers().and_then(|h| h.get("content-type")),
        Some(&reqwest::header::HeaderValue::from_static(
            "application/json"
        ))
    );
    assert_eq!(error.header("X-Request-Id"), Some("req-404"));
    assert!(error.is_status(404) && !error.is_status(429));
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        error.into_api_error(),
        Some(AcceptControlError::NotFound(error_response(
            "conversation_not_found",
            "Conversation not found"
        )))
    );
}

// ---------------------------------------------------------------------------
// Undocumented statuses and undecodable bodies
// ---------------------------------------------------------------------------

const HTML_500: &str =
    "<html><head><title>500 Internal Server Error</title></head><body>oops</body></html>";

#[tokio::test]
async fn server_error_with_html_body_is_unexpected_status_for_every_operation() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-request-id", "req-500")
                .set_body_raw(HTML_500, "text/html"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);

    for op in Op::ALL {
        let failure = op.call(&client, "app", "conv").await.unwrap_err();
        assert_eq!(failure.kind, Kind::UnexpectedStatus, "{op:?}: {failure:?}");
        assert_eq!(
            failure.status,
            Some(StatusCode::INTERNAL_SERVER_ERROR),
            "{op:?}"
        );
        assert_eq!(failure.raw_body.as_deref(), Some(HTML_500), "{op:?}");
        assert_eq!(failure.api, None, "{op:?}");
        let headers = failure.headers.as_ref().unwrap();
        assert_eq!(
            header_values(headers, "x-request-id"),
            ["req-500"],
            "{op:?}"
        );
        assert_eq!(
            header_values(headers, "content-type"),
            ["text/html"],
            "{op:?}"
        );
        assert_eq!(
            failure.display,
            format!("unexpected HTTP status 500 Internal Server Error (body: {HTML_500:?})"),
            "{op:?}"
        );
        assert!(failure.sources.is_empty(), "{op:?}: {:?}", failure.sources);
    }
}

#[tokio::test]
async fn unexpected_status_typed_accessors() {
    let server = MockServer::start().await;
    answer_raw(&server, 500, HTML_500, "text/html").await;

    let error = client_for(&server)
        .switchboard_actions()
        .pass_control("app", "conv", &PassControlBody::new("next"))
        .await
        .unwrap_err();

    match &error {
        Error::UnexpectedStatus {
            status,
            body,
            headers,
            ..
        } => {
            assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(body, HTML_500);
            assert_eq!(header_values(headers, "content-type"), ["text/html"]);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert!(error.to_string().contains("500"), "{error}");
    assert!(error.api_error().is_none());
    assert!(error.into_api_error().is_none());
}

#[tokio::test]
async fn long_unexpected_body_is_cut_in_the_message_but_kept_whole() {
    let server = MockServer::start().await;
    let html = format!(
        "<html><body>{}</body></html>",
        "Gateway überlastet 🚧 ".repeat(40)
    );
    answer_raw(&server, 502, &html, "text/html; charset=utf-8").await;
    let client = client_for(&server);

    let failure = Op::Offer.call(&client, "app", "conv").await.unwrap_err();

    assert_eq!(failure.kind, Kind::UnexpectedStatus);
    assert_eq!(failure.status, Some(StatusCode::BAD_GATEWAY));
    assert_eq!(failure.raw_body.as_deref(), Some(html.as_str()));
    let message = &failure.display;
    assert!(
        message.starts_with("unexpected HTTP status 502 Bad Gateway (body: \"<html><body>Gateway"),
        "{message}"
    );
    assert!(
        message.ends_with(&format!("… ({} bytes in total))", html.len())),
        "{message}"
    );
    assert!(message.chars().count() < 300, "{message}");
}

#[tokio::test]
async fn empty_unexpected_body_says_so() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let failure = Op::Accept.call(&client, "app", "conv").await.unwrap_err();

    assert_eq!(failure.kind, Kind::UnexpectedStatus);
    assert_eq!(failure.raw_body.as_deref(), Some(""));
    assert_eq!(
        failure.display,
        "unexpected HTTP status 503 Service Unavailable (empty body)"
    );
}

#[tokio::test]
async fn unknown_status_code_is_shown_as_a_number() {
    let server = MockServer::start().await;
    answer_raw(&server, 599, "odd", "text/plain").await;
    let client = client_for(&server);

    let failure = Op::Release.call(&client, "app", "conv").await.unwrap_err();

    assert_eq!(failure.kind, Kind::UnexpectedStatus);
    assert_eq!(failure.status.map(|status| status.as_u16()), Some(599));
    assert_eq!(
        failure.display,
        "unexpected HTTP status 599 (body: \"odd\")"
    );
}

#[tokio::test]
async fn documented_error_status_with_non_json_body_is_a_decode_error() {
    let server = MockServer::start().await;
    answer_raw(&server, 404, "<h1>Not Found</h1>", "text/html").await;
    let client = client_for(&server);

    for op in Op::ALL {
        let failure = op.call(&client, "app", "conv").await.unwrap_err();
        assert_eq!(failure.kind, Kind::Decode, "{op:?}: {failure:?}");
        assert_eq!(failure.status, Some(StatusCode::NOT_FOUND), "{op:?}");
        assert_eq!(
            failure.raw_body.as_deref(),
            Some("<h1>Not Found</h1>"),
            "{op:?}"
        );
        assert_eq!(
            failure.display,
            r#"could not decode the body of an HTTP 404 Not Found response (body: "<h1>Not Found</h1>")"#,
            "{op:?}"
        );
        assert!(
            failure.source_is_serde_json,
            "{op:?}: {:?}",
            failure.sources
        );
        assert_eq!(failure.sources.len(), 1, "{op:?}: {:?}", failure.sources);
    }
}

#[tokio::test]
async fn forbidden_with_non_json_body_is_a_decode_error() {
    let server = MockServer::start().await;
    answer_raw(&server, 403, "Forbidden", "text/plain").await;

    let error = client_for(&server)
        .switchboard_actions()
        .release_control("app", "conv")
        .await
        .unwrap_err();

    match &error {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, StatusCode::FORBIDDEN);
            assert_eq!(body, "Forbidden");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(error.raw_body(), Some("Forbidden"));
    assert!(error.headers().is_some());
    assert!(error.source().unwrap().is::<serde_json::Error>());
}

#[tokio::test]
async fn non_utf8_bodies_are_kept_lossily() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500).set_body_raw(b"bad \xff byte".to_vec(), "text/plain"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);

    let failure = Op::Pass.call(&client, "app", "conv").await.unwrap_err();

    assert_eq!(failure.kind, Kind::UnexpectedStatus);
    assert_eq!(failure.raw_body.as_deref(), Some("bad \u{FFFD} byte"));
}

// ---------------------------------------------------------------------------
// Path parameters
// ---------------------------------------------------------------------------

/// Ids and how they must appear in the raw request path: everything but
/// ASCII letters, digits, `-`, `.`, `_` and `~` percent-encoded as UTF-8.
const AWKWARD_IDS: &[(&str, &str)] = &[
    ("app_5f2c-01.x~", "app_5f2c-01.x~"),
    ("a/b", "a%2Fb"),
    ("../x", "..%2Fx"),
    ("?x=1&y", "%3Fx%3D1%26y"),
    ("#frag", "%23frag"),
    ("100%", "100%25"),
    ("%2F", "%252F"),
    ("a b", "a%20b"),
    ("ünï/☃", "%C3%BCn%C3%AF%2F%E2%98%83"),
    ("...", "..."),
    (".a", ".a"),
    ("a\\b", "a%5Cb"),
    ("+;=,", "%2B%3B%3D%2C"),
    ("\t", "%09"),
    ("@:!$'()*", "%40%3A%21%24%27%28%29%2A"),
];

#[tokio::test]
async fn path_parameters_stay_inside_their_segment_for_every_operation() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    let mut expected = Vec::new();
    for op in Op::ALL {
        for (id, encoded) in AWKWARD_IDS {
            // The same id as app id and conversation id, and a plain id next
            // to it, so that a swap of the two would show.
            op.call(&client, id, "conv")
                .await
                .unwrap_or_else(|failure| panic!("{op:?} {id:?}: {failure:?}"));
            expected.push(op.path(encoded, "conv"));
            op.call(&client, "app", id)
                .await
                .unwrap_or_else(|failure| panic!("{op:?} {id:?}: {failure:?}"));
            expected.push(op.path("app", encoded));
        }
    }

    let requests = received(&server).await;
    let paths: Vec<&str> = requests.iter().map(|request| request.url.path()).collect();
    assert_eq!(paths, expected);
    for request in &requests {
        assert_eq!(request.url.query(), None, "{}", request.url);
        assert_eq!(request.url.fragment(), None, "{}", request.url);
        assert_eq!(
            request.url.path_segments().unwrap().count(),
            6,
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn release_control_without_body_encodes_ids_too() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    client
        .switchboard_actions()
        .release_control("a/b?c", "ü #")
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        "/v2/apps/a%2Fb%3Fc/conversations/%C3%BC%20%23/releaseControl"
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn dot_segment_ids_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    for op in Op::ALL {
        for id in [".", ".."] {
            for (app_id, conversation_id) in [(id, "conv"), ("app", id)] {
                let failure = op
                    .call(&client, app_id, conversation_id)
                    .await
                    .expect_err("a dot segment must not be sent");
                assert_eq!(
                    failure.kind,
                    Kind::InvalidRequestUrl,
                    "{op:?} {app_id:?}/{conversation_id:?}: {failure:?}"
                );
                assert_eq!(failure.status, None);
                assert_eq!(failure.raw_body, None);
                assert_eq!(failure.display, "the request could not be built");
                assert!(
                    failure.sources[0].starts_with("cannot send a request to `"),
                    "{:?}",
                    failure.sources
                );
            }
        }
    }
    let result = client
        .switchboard_actions()
        .release_control("..", "conv")
        .await;
    assert!(
        matches!(
            result,
            Err(Error::InvalidRequest(InvalidRequest::Url { .. }))
        ),
        "{result:?}"
    );

    assert!(
        received(&server).await.is_empty(),
        "a request reached the server"
    );
}

// ---------------------------------------------------------------------------
// Base URL and servers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn base_url_with_or_without_trailing_slash_and_with_a_path_prefix() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;

    let cases = [
        ("", ""),
        ("/", ""),
        ("//", ""),
        ("/sc", "/sc"),
        ("/sc/", "/sc"),
        ("/api/sc", "/api/sc"),
    ];
    let mut expected = Vec::new();
    for (suffix, prefix) in cases {
        let client = Client::builder()
            .base_url(format!("{}{suffix}", server.uri()))
            .build()
            .unwrap();
        assert_eq!(
            client.base_url(),
            format!("{}{prefix}", server.uri()),
            "{suffix:?}"
        );
        for op in Op::ALL {
            op.call(&client, "app", "conv").await.unwrap();
            expected.push(format!("{prefix}{}", op.path("app", "conv")));
        }
    }

    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn base_url_overrides_the_server() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = Client::builder()
        .server(Server::EuropeanUnion)
        .base_url(server.uri())
        .build()
        .unwrap();

    assert_eq!(client.base_url(), server.uri());
    Op::Pass.call(&client, "app", "conv").await.unwrap();
    assert_eq!(received(&server).await.len(), 1);
}

#[test]
fn server_urls_and_the_default_server() {
    assert_eq!(Server::default(), Server::UnitedStates);
    assert_eq!(Server::default().url(), "https://api.smooch.io");
    assert_eq!(Server::UnitedStates.url(), "https://api.smooch.io");
    assert_eq!(Server::EuropeanUnion.url(), "https://api.eu-1.smooch.io");
    assert_eq!(
        Server::Zendesk {
            subdomain: "acme".to_owned()
        }
        .url(),
        "https://acme.zendesk.com/sc"
    );

    let base_url = |builder: ClientBuilder| builder.build().unwrap().base_url().to_owned();
    assert_eq!(base_url(Client::builder()), "https://api.smooch.io");
    assert_eq!(
        base_url(Client::builder().server(Server::EuropeanUnion)),
        "https://api.eu-1.smooch.io"
    );
    assert_eq!(
        base_url(Client::builder().server(Server::Zendesk {
            subdomain: "acme".to_owned()
        })),
        "https://acme.zendesk.com/sc"
    );
}

#[test]
fn a_zendesk_subdomain_cannot_send_requests_to_another_host() {
    for subdomain in ["evil.example/", "evil.example:443/x", "evil.example\\"] {
        let builder = Client::builder()
            .server(Server::Zendesk {
                subdomain: subdomain.to_owned(),
            })
            .basic_auth("app_123", "secret");
        match builder.build() {
            Err(BuildError::InvalidBaseUrl { .. }) => {}
            Err(other) => panic!("{subdomain:?}: unexpected error {other:?}"),
            Ok(client) => {
                let host = client
                    .base_url()
                    .strip_prefix("https://")
                    .and_then(|rest| rest.split(['/', ':']).next())
                    .unwrap_or_default()
                    .to_owned();
                assert!(
                    host.ends_with(".zendesk.com"),
                    "{subdomain:?}: requests go to {} (host {host:?})",
                    client.base_url()
                );
            }
        }
    }
}

#[test]
fn invalid_base_urls_are_rejected_by_build() {
    for url in [
        "",
        "not a url",
        "/relative/path",
        "127.0.0.1:8080",
        "ftp://example.com",
        "mailto:someone@example.com",
        "http://example.com/?page=2",
        "http://example.com/#top",
    ] {
        let error = build_error(Client::builder().base_url(url));
        assert!(
            matches!(error, BuildError::InvalidBaseUrl { .. }),
            "{url:?}: {error:?}"
        );
        assert!(
            error.to_string().starts_with("invalid base URL `"),
            "{url:?}: {error}"
        );
    }

    let error = build_error(Client::builder().base_url("https://app_123:hunter2@example.com"));
    assert!(
        matches!(error, BuildError::InvalidBaseUrl { .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
    assert!(error.source().is_none());
}

#[test]
fn invalid_credentials_and_user_agents_are_rejected_by_build() {
    for builder in [
        Client::builder().bearer_token("token\r\nX-Injected: 1"),
        Client::builder().bearer_token(""),
        Client::builder().basic_auth("app:123", "secret"),
        Client::builder().auth(Auth::bearer("a\0b")),
    ] {
        let error = build_error(builder);
        assert!(
            matches!(error, BuildError::InvalidCredentials { .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with("invalid credentials: "),
            "{error}"
        );
        assert!(!error.to_string().contains("X-Injected"), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
    }

    let error = build_error(Client::builder().user_agent("agent\n"));
    assert!(
        matches!(error, BuildError::InvalidUserAgent(_)),
        "{error:?}"
    );
    assert!(error.source().is_some());
}

// ---------------------------------------------------------------------------
// Authentication and headers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn basic_and_bearer_auth_send_exactly_one_authorization_header_for_every_operation() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let basic = Client::builder()
        .base_url(server.uri())
        .basic_auth("key", "secret")
        .build()
        .unwrap();
    let bearer = Client::builder()
        .base_url(server.uri())
        .bearer_token("header.payload.signature")
        .build()
        .unwrap();

    let mut expected = Vec::new();
    for op in Op::ALL {
        op.call(&basic, "app", "conv").await.unwrap();
        expected.push(vec!["Basic a2V5OnNlY3JldA==".to_owned()]);
        op.call(&bearer, "app", "conv").await.unwrap();
        expected.push(vec!["Bearer header.payload.signature".to_owned()]);
    }

    let seen: Vec<Vec<String>> = received(&server)
        .await
        .iter()
        .map(|request| {
            header_values(&request.headers, "authorization")
                .into_iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn basic_auth_encodes_the_utf8_of_key_and_secret() {
    let server = MockServer::start().await;
    Mock::given(basic_auth("app_123", "s3cr3t/ü:x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .auth(Auth::basic("app_123", "s3cr3t/ü:x"))
        .build()
        .unwrap();

    Op::Accept.call(&client, "app", "conv").await.unwrap();

    let requests = received(&server).await;
    assert_eq!(
        header_values(&requests[0].headers, "authorization"),
        ["Basic YXBwXzEyMzpzM2NyM3Qvw7w6eA=="]
    );
}

#[tokio::test]
async fn bearer_token_matches_wiremock_bearer_matcher() {
    let server = MockServer::start().await;
    Mock::given(bearer_token("header.payload.signature"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(4)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .auth(Auth::bearer("header.payload.signature"))
        .build()
        .unwrap();

    for op in Op::ALL {
        op.call(&client, "app", "conv").await.unwrap();
    }
    server.verify().await;
}

#[tokio::test]
async fn the_last_credentials_set_win() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let bearer_last = Client::builder()
        .base_url(server.uri())
        .basic_auth("app_123", "secret")
        .bearer_token("jwt")
        .build()
        .unwrap();
    let basic_last = Client::builder()
        .base_url(server.uri())
        .bearer_token("jwt")
        .basic_auth("app_123", "secret")
        .build()
        .unwrap();

    Op::Pass.call(&bearer_last, "app", "conv").await.unwrap();
    Op::Pass.call(&basic_last, "app", "conv").await.unwrap();

    let requests = received(&server).await;
    assert_eq!(
        header_values(&requests[0].headers, "authorization"),
        ["Bearer jwt"]
    );
    assert_eq!(
        header_values(&requests[1].headers, "authorization"),
        ["Basic YXBwXzEyMzpzZWNyZXQ="]
    );
}

#[tokio::test]
async fn no_credentials_send_no_authorization_header() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    for op in Op::ALL {
        op.call(&client, "app", "conv").await.unwrap();
    }

    for request in received(&server).await {
        assert!(
            request.headers.get("authorization").is_none(),
            "{:?}",
            request.headers
        );
    }
}

fn http_client_with_defaults() -> reqwest::Client {
    let mut defaults = HeaderMap::new();
    defaults.insert(
        "authorization",
        "Bearer from-the-http-client".parse().unwrap(),
    );
    defaults.insert("x-from-my-client", "yes".parse().unwrap());
    defaults.insert("user-agent", "their-agent".parse().unwrap());
    defaults.insert("accept", "text/plain".parse().unwrap());
    reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap()
}

#[tokio::test]
async fn own_http_client_with_default_authorization_still_sends_exactly_one() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let basic = Client::builder()
        .base_url(server.uri())
        .http_client(http_client_with_defaults())
        .basic_auth("key", "secret")
        .build()
        .unwrap();
    let bearer = Client::builder()
        .bearer_token("jwt")
        .http_client(http_client_with_defaults())
        .base_url(server.uri())
        .build()
        .unwrap();

    for op in Op::ALL {
        op.call(&basic, "app", "conv").await.unwrap();
        op.call(&bearer, "app", "conv").await.unwrap();
    }
    basic
        .switchboard_actions()
        .release_control("app", "conv")
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 9);
    for (index, request) in requests.iter().enumerate() {
        let expected = if index % 2 == 0 {
            "Basic a2V5OnNlY3JldA=="
        } else {
            "Bearer jwt"
        };
        assert_eq!(
            header_values(&request.headers, "authorization"),
            [expected],
            "request {index}"
        );
        // The crate's own headers win over the HTTP client's defaults...
        assert_eq!(
            header_values(&request.headers, "accept"),
            ["application/json"],
            "request {index}"
        );
        let user_agent = header_values(&request.headers, "user-agent");
        assert_eq!(user_agent.len(), 1, "request {index}: {user_agent:?}");
        assert!(
            user_agent[0].starts_with(DEFAULT_USER_AGENT_PREFIX),
            "{user_agent:?}"
        );
        // ...and its other defaults are still sent.
        assert_eq!(
            header_values(&request.headers, "x-from-my-client"),
            ["yes"],
            "request {index}"
        );
    }
}

#[tokio::test]
async fn own_http_client_authorization_is_used_when_the_builder_has_none() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(http_client_with_defaults())
        .build()
        .unwrap();

    Op::Offer.call(&client, "app", "conv").await.unwrap();

    let requests = received(&server).await;
    assert_eq!(
        header_values(&requests[0].headers, "authorization"),
        ["Bearer from-the-http-client"]
    );
}

#[tokio::test]
async fn user_agent_defaults_to_the_crate_and_can_be_replaced() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let custom = Client::builder()
        .base_url(server.uri())
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let custom_over_own_client = Client::builder()
        .base_url(server.uri())
        .http_client(http_client_with_defaults())
        .user_agent("my-app/2.0")
        .build()
        .unwrap();

    Op::Pass
        .call(&client_for(&server), "app", "conv")
        .await
        .unwrap();
    Op::Pass.call(&custom, "app", "conv").await.unwrap();
    Op::Pass
        .call(&custom_over_own_client, "app", "conv")
        .await
        .unwrap();

    let requests = received(&server).await;
    let default = header_values(&requests[0].headers, "user-agent");
    assert_eq!(default.len(), 1);
    assert!(
        default[0].starts_with(DEFAULT_USER_AGENT_PREFIX),
        "{default:?}"
    );
    assert!(
        default[0].len() > DEFAULT_USER_AGENT_PREFIX.len(),
        "{default:?}"
    );
    assert_eq!(
        header_values(&requests[1].headers, "user-agent"),
        ["my-app/1.0"]
    );
    assert_eq!(
        header_values(&requests[2].headers, "user-agent"),
        ["my-app/2.0"]
    );
}

#[test]
fn debug_output_never_shows_secrets() {
    let basic = Client::builder()
        .base_url("http://localhost")
        .basic_auth("app_123", "hunter2");
    let bearer = Client::builder()
        .base_url("http://localhost")
        .bearer_token("jwt.secret.token");
    let own_client = Client::builder()
        .base_url("http://localhost")
        .http_client(http_client_with_defaults())
        .bearer_token("jwt.secret.token");

    for output in [
        format!("{basic:?}"),
        format!("{:?}", basic.build().unwrap()),
        format!("{bearer:?}"),
        format!("{:?}", bearer.build().unwrap()),
        format!("{own_client:?}"),
        format!("{:?}", own_client.build().unwrap()),
        format!("{:?}", Auth::basic("app_123", "hunter2")),
        format!("{:?}", Auth::bearer("jwt.secret.token")),
    ] {
        assert!(!output.contains("hunter2"), "{output}");
        assert!(!output.contains("jwt.secret.token"), "{output}");
        assert!(!output.contains("from-the-http-client"), "{output}");
        assert!(output.contains("<redacted>"), "{output}");
    }
    assert_eq!(
        format!("{:?}", Auth::basic("app_123", "hunter2")),
        r#"Basic { key_id: "app_123", secret: <redacted> }"#
    );
}

// ---------------------------------------------------------------------------
// Transport errors and concurrency
// ---------------------------------------------------------------------------

#[tokio::test]
async fn connection_refused_is_a_transport_error_for_every_operation() {
    // Nothing was sent, so every method is retried: quickly, here.
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .retry(RetryPolicy::default().initial_delay(std::time::Duration::from_millis(1)))
        .build()
        .unwrap();

    for op in Op::ALL {
        let failure = op.call(&client, "app", "conv").await.unwrap_err();
        assert_eq!(failure.kind, Kind::Transport, "{op:?}: {failure:?}");
        assert_eq!(failure.status, None, "{op:?}");
        assert_eq!(failure.raw_body, None, "{op:?}");
        assert_eq!(
            failure.display, "the HTTP request failed (4 attempts)",
            "{op:?}"
        );
        assert!(failure.source_is_reqwest, "{op:?}: {:?}", failure.sources);
    }

    let error = client
        .switchboard_actions()
        .release_control("app", "conv")
        .await
        .unwrap_err();
    match &error {
        Error::Transport { source, .. } => assert!(source.is_connect(), "{source:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(error.attempts(), 4);
    assert_eq!(error.retry_after(), None);
}

#[tokio::test]
async fn a_timeout_of_the_users_http_client_is_a_transport_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(std::time::Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(100))
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(http)
        .build()
        .unwrap();

    let error = client
        .switchboard_actions()
        .accept_control("app", "conv", &AcceptControlBody::default())
        .await
        .unwrap_err();

    match &error {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(error.status(), None);
    assert_eq!(error.to_string(), "the HTTP request failed");
}

#[tokio::test]
async fn clients_and_errors_can_cross_tasks_and_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>(_: &T) {}

    let server = MockServer::start().await;
    answer_json(&server, 404, not_found_json()).await;
    let client = client_for(&server);
    assert_send_sync(&client);

    let tasks: Vec<_> = (0..8)
        .map(|index| {
            let client = client.clone();
            tokio::spawn(async move {
                let body = PassControlBody::new(format!("integration-{index}"));
                client
                    .switchboard_actions()
                    .pass_control("app", &format!("conv-{index}"), &body)
                    .await
            })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(
            matches!(error.api_error(), Some(PassControlError::NotFound(_))),
            "{error:?}"
        );
        assert_send_sync(&error);
        // Usable with `?` in functions returning a boxed error.
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(error);
        assert!(boxed
            .to_string()
            .starts_with("the API returned an error: 404"));
    }

    let mut paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    paths.sort();
    let mut expected: Vec<String> = (0..8)
        .map(|index| Op::Pass.path("app", &format!("conv-{index}")))
        .collect();
    expected.sort();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn empty_ids_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    answer_json(&server, 200, json!({})).await;
    let client = client_for(&server);

    for op in Op::ALL {
        for (app_id, conversation_id) in [("", "conv"), ("app", "")] {
            let failure = op
                .call(&client, app_id, conversation_id)
                .await
                .expect_err("an empty segment must not be sent");
            assert_eq!(
                failure.kind,
                Kind::InvalidRequestUrl,
                "{op:?} {app_id:?}/{conversation_id:?}: {failure:?}"
            );
        }
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "nothing is sent: {received:?}");
}
