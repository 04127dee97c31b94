//! The generated crate's test kit (`generated/`, feature `mock`): every
//! operation driven through the generated client against the typed fake,
//! with its success and each documented error; what the fake reports when a
//! request breaks the document or matches no expectation; webhook
//! deliveries built from typed events read back by `parse_webhook_event`.

use serde_json::{json, Map, Value};
use sunshine_conversations::apis::switchboard_actions::{
    AcceptControlError, OfferControlError, PassControlError, ReleaseControlError,
};
use sunshine_conversations::mock::{Delivery, MockApi};
use sunshine_conversations::types::{
    AcceptControlBody, ConversationTruncated, ErrorDetails, ErrorResponse, OfferControlBody,
    PassControlBody, ReleaseControlBody, SwitchboardPassControlEvent,
    SwitchboardPassControlPayload, WebhookEvent,
};
use sunshine_conversations::webhooks::{parse_webhook_event, DeliveredEvent, API_KEY_HEADER};
use sunshine_conversations::{Auth, Client, Error, JwtScope, StatusCode};

const APP: &str = "app-1";
const CONVERSATION: &str = "conversation-1";

fn not_found() -> ErrorResponse {
    ErrorResponse::default().errors(vec![ErrorDetails::default()
        .code("conversation_not_found")
        .title("Conversation not found")])
}

fn forbidden() -> ErrorResponse {
    ErrorResponse::default().errors(vec![ErrorDetails::default()
        .code("forbidden")
        .title("Forbidden")])
}

/// The documented error a call ended with, and its status.
fn documented<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, Error<E>>,
) -> (E, StatusCode) {
    match result {
        Err(Error::Api { error, status, .. }) => (*error, status),
        other => panic!("not a documented error: {other:?}"),
    }
}

fn metadata(key: &str, value: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(key.to_owned(), Value::String(value.to_owned()));
    map
}

#[tokio::test]
async fn every_operation_succeeds_with_the_expected_body_and_fails_with_each_documented_error() {
    let mock = MockApi::start().await;
    let actions = mock.switchboard_actions();
    let client = mock.client();
    let pass = PassControlBody::new("next").metadata(metadata("reason", "asked"));
    let offer = OfferControlBody::new("bot");
    let accept = AcceptControlBody::default();
    let release = ReleaseControlBody::default().metadata(metadata("done", "yes"));

    // Successes, each matched on the path and the typed body.
    let passed = actions
        .pass_control()
        .path([APP, CONVERSATION])
        .body(&pass)
        .times(1)
        .respond(&())
        .await;
    let offered = actions
        .offer_control()
        .path([APP, CONVERSATION])
        .body(&offer)
        .times(1)
        .respond(&())
        .await;
    let accepted = actions
        .accept_control()
        .path([APP, CONVERSATION])
        .body(&accept)
        .times(1)
        .respond(&())
        .await;
    let released = actions
        .release_control()
        .path([APP, CONVERSATION])
        .body(&release)
        .times(1)
        .respond(&())
        .await;
    let ops = client.switchboard_actions();
    ops.pass_control(APP, CONVERSATION, &pass).await.unwrap();
    ops.offer_control(APP, CONVERSATION, &offer).await.unwrap();
    ops.accept_control(APP, CONVERSATION, &accept)
        .await
        .unwrap();
    ops.release_control(APP, CONVERSATION)
        .body(&release)
        .await
        .unwrap();
    for expectation in [&passed, &offered, &accepted, &released] {
        assert_eq!(expectation.matched(), 1);
    }

    // Each documented error, on another conversation.
    let gone = "conversation-gone";
    let denied = "conversation-denied";
    actions
        .pass_control()
        .path([APP, gone])
        .fail(PassControlError::NotFound(not_found()))
        .await;
    actions
        .offer_control()
        .path([APP, gone])
        .fail(OfferControlError::NotFound(not_found()))
        .await;
    actions
        .accept_control()
        .path([APP, gone])
        .fail(AcceptControlError::NotFound(not_found()))
        .await;
    actions
        .accept_control()
        .path([APP, denied])
        .fail(AcceptControlError::Forbidden(forbidden()))
        .await;
    actions
        .release_control()
        .path([APP, gone])
        .fail(ReleaseControlError::NotFound(not_found()))
        .await;
    actions
        .release_control()
        .path([APP, denied])
        .fail(ReleaseControlError::Forbidden(forbidden()))
        .await;

    assert_eq!(
        documented(ops.pass_control(APP, gone, &pass).await),
        (
            PassControlError::NotFound(not_found()),
            StatusCode::NOT_FOUND
        )
    );
    assert_eq!(
        documented(ops.offer_control(APP, gone, &offer).await).0,
        OfferControlError::NotFound(not_found())
    );
    assert_eq!(
        documented(ops.accept_control(APP, gone, &accept).await).0,
        AcceptControlError::NotFound(not_found())
    );
    assert_eq!(
        documented(ops.accept_control(APP, denied, &accept).await),
        (
            AcceptControlError::Forbidden(forbidden()),
            StatusCode::FORBIDDEN
        )
    );
    assert_eq!(
        documented(ops.release_control(APP, gone).await).0,
        ReleaseControlError::NotFound(not_found())
    );
    assert_eq!(
        documented(ops.release_control(APP, denied).await).0,
        ReleaseControlError::Forbidden(forbidden())
    );
    mock.verify();
}

#[tokio::test]
async fn the_documents_examples_answer_and_decode_as_the_operations_types() {
    let mock = MockApi::start().await;
    mock.switchboard_actions()
        .accept_control()
        .path([APP, "c-403"])
        .example(403)
        .await;
    mock.switchboard_actions()
        .accept_control()
        .example(200)
        .await;
    let client = mock.client();

    let refused = client
        .switchboard_actions()
        .accept_control(APP, "c-403", &AcceptControlBody::default())
        .await;
    let accepted = client
        .switchboard_actions()
        .accept_control(APP, "c-200", &AcceptControlBody::default())
        .await;

    assert_eq!(
        documented(refused).0,
        AcceptControlError::Forbidden(forbidden())
    );
    assert!(accepted.is_ok(), "{accepted:?}");
}

#[tokio::test]
async fn retry_after_answers_are_retried_quickly_then_the_next_expectation_answers() {
    let mock = MockApi::start().await;
    let actions = mock.switchboard_actions();
    let busy = actions.pass_control().up_to(2).retry_after(429, 30).await;
    let ok = actions.pass_control().times(1).respond(&()).await;
    let client = mock.client();

    let started = std::time::Instant::now();
    client
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &PassControlBody::new("next"))
        .await
        .unwrap();

    assert_eq!((busy.matched(), ok.matched()), (2, 1));
    // The fake's client caps each wait far below the 30 s the answer asks for.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn credentials_are_matched_as_basic_bearer_and_jwt_kid_and_scope() {
    let mock = MockApi::start().await;
    let actions = mock.switchboard_actions();
    let basic = actions
        .pass_control()
        .basic_auth("mock-key-id", "mock-key-secret")
        .times(1)
        .respond(&())
        .await;
    let jwt = actions
        .offer_control()
        .jwt_key_id("app_key_1")
        .jwt_scope(JwtScope::App)
        .times(1)
        .respond(&())
        .await;
    let bearer = actions
        .accept_control()
        .bearer_token("token-1")
        .times(1)
        .respond(&())
        .await;

    let body = PassControlBody::new("next");
    mock.client()
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &body)
        .await
        .unwrap();
    let signed: Client = mock
        .client_builder()
        .auth(Auth::jwt("app_key_1", "secret-1").scope(JwtScope::App))
        .build()
        .unwrap();
    signed
        .switchboard_actions()
        .offer_control(APP, CONVERSATION, &OfferControlBody::new("bot"))
        .await
        .unwrap();
    let token: Client = mock
        .client_builder()
        .bearer_token("token-1")
        .build()
        .unwrap();
    token
        .switchboard_actions()
        .accept_control(APP, CONVERSATION, &AcceptControlBody::default())
        .await
        .unwrap();

    assert_eq!(
        (basic.matched(), jwt.matched(), bearer.matched()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn received_requests_read_back_typed() {
    let mock = MockApi::start().await;
    mock.switchboard_actions().pass_control().respond(&()).await;
    let body = PassControlBody::new("agents").metadata(metadata("k", "v"));
    mock.client()
        .switchboard_actions()
        .pass_control("a/b", CONVERSATION, &body)
        .await
        .unwrap();

    let received = mock.switchboard_actions().pass_control().received();

    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, ["a/b", CONVERSATION]);
    assert_eq!(received[0].body.as_ref(), Some(&body));
    assert_eq!(received[0].request.path_param("appId"), Some("a/b"));
    assert_eq!(mock.received()[0].operation, Some("PassControl"));
}

#[tokio::test]
async fn a_request_matching_no_expectation_fails_naming_the_operation_and_what_differed() {
    let mock = MockApi::start().await;
    let expected = PassControlBody::new("agents");
    mock.switchboard_actions()
        .pass_control()
        .path([APP, CONVERSATION])
        .body(&expected)
        .times(1)
        .respond(&())
        .await;

    let sent = mock
        .client()
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &PassControlBody::new("bot"))
        .await;

    assert!(sent.is_err(), "no expectation answers it");
    let failures = mock.failures();
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert!(failures[0].starts_with("PassControl: POST /v2/apps/app-1/conversations/conversation-1/passControl matched no expectation"), "{}", failures[0]);
    assert!(
        failures[0].contains(
            r#"body {"switchboardIntegration":"bot"}, expected {"switchboardIntegration":"agents"}"#
        ),
        "{}",
        failures[0]
    );
    assert!(
        failures[1].contains("expected exactly 1 request, matched 0"),
        "{}",
        failures[1]
    );
    mock.reset().await;
}

#[tokio::test]
async fn requests_that_break_the_document_fail_with_what_is_wrong_and_where() {
    let mock = MockApi::start().await;
    mock.switchboard_actions().pass_control().respond(&()).await;
    let http = sunshine_conversations::reqwest::Client::new();
    let base = mock.uri();
    let pass = format!("{base}/v2/apps/{APP}/conversations/{CONVERSATION}/passControl");
    let post = || http.post(&pass).basic_auth("key", Some("secret"));
    let json = |body: &'static str| {
        post()
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let wrong_type = json(r#"{"switchboardIntegration": 7}"#).await.unwrap();
    let missing = json(r#"{"metadata": {}}"#).await.unwrap();
    let no_body = post().send().await.unwrap();
    let anonymous = http
        .post(&pass)
        .header("content-type", "application/json")
        .body(r#"{"switchboardIntegration": "next"}"#)
        .send()
        .await
        .unwrap();
    let unknown = http
        .post(format!(
            "{base}/v2/apps/{APP}/conversations/{CONVERSATION}/passcontrol"
        ))
        .send()
        .await
        .unwrap();
    let method = http.get(&pass).send().await.unwrap();

    let statuses: Vec<u16> = [
        &wrong_type,
        &missing,
        &no_body,
        &anonymous,
        &unknown,
        &method,
    ]
    .iter()
    .map(|r| r.status().as_u16())
    .collect();
    assert_eq!(statuses, [422, 422, 422, 401, 404, 405]);
    let violations = mock.violations();
    let places: Vec<(Option<&str>, &str)> = violations
        .iter()
        .map(|v| (v.operation, v.location.as_str()))
        .collect();
    assert_eq!(
        places,
        [
            (Some("PassControl"), "body"),
            (Some("PassControl"), "body"),
            (Some("PassControl"), "body"),
            (Some("PassControl"), "header.authorization"),
            (None, "path"),
            (None, "method")
        ]
    );
    assert!(
        violations[0]
            .message
            .contains("invalid type: integer `7`, expected a string"),
        "{}",
        violations[0]
    );
    assert!(
        violations[1]
            .message
            .contains("missing field `switchboardIntegration`"),
        "{}",
        violations[1]
    );
    assert_eq!(mock.failures().len(), 6);
    mock.reset().await;
}

fn pass_event(id: &str) -> WebhookEvent {
    WebhookEvent::SwitchboardPassControl(
        SwitchboardPassControlEvent::default()
            .id(id)
            .created_at("2024-03-11T09:12:31.118Z")
            .payload(
                SwitchboardPassControlPayload::default()
                    .conversation(ConversationTruncated::default().id(CONVERSATION))
                    .metadata(metadata("handoffReason", "asked")),
            ),
    )
}

#[test]
fn deliveries_of_typed_events_decode_back_to_the_same_events() {
    let events = [pass_event("evt-1"), pass_event("evt-2")];
    let unknown = json!({ "id": "evt-3", "createdAt": "2024-03-11T09:12:32.000Z", "type": "conversation:future", "payload": {} });
    let delivery = events
        .iter()
        .fold(
            Delivery::new().app(APP).secret("whsec-1"),
            |delivery, event| delivery.event(event),
        )
        .raw_event(unknown.clone());

    let decoded = parse_webhook_event(&delivery.bytes()).unwrap();

    let typed: Vec<&WebhookEvent> = decoded.decoded_events().collect();
    assert_eq!(typed[..2], [&events[0], &events[1]]);
    assert_eq!(typed[2], &WebhookEvent::Unknown(unknown));
    assert!(matches!(decoded.events[0], DeliveredEvent::Decoded(_)));
    assert_eq!(decoded.app.and_then(|app| app.id).as_deref(), Some(APP));
    let headers = delivery.headers();
    assert_eq!(headers.get(API_KEY_HEADER).unwrap(), "whsec-1");
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
}

#[tokio::test]
async fn an_answer_can_carry_any_status_and_body() {
    let mock = MockApi::start().await;
    mock.switchboard_actions()
        .pass_control()
        .respond_with_status(404, &not_found())
        .await;

    let sent = mock
        .client()
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &PassControlBody::new("next"))
        .await;

    assert_eq!(documented(sent).0, PassControlError::NotFound(not_found()));
}
