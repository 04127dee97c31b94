//! What the test kit does for a test so that the test need not: its types
//! named through the generated crate, deliveries that fill in the ids and
//! times the platform always sends, short event builders, answers that come
//! late, requests that say when they arrived, and secrets refused where they
//! are given.

use std::time::Duration;

use serde_json::{Map, Value};
use sunshine_conversations::mock::{
    Delivery, Expectation, MockApi, Mounted, ReceivedCall, SwitchboardChange, UserText,
};
use sunshine_conversations::types::{PassControlBody, WebhookEvent};
use sunshine_conversations::webhooks::receiver::{DeliveryContext, Outcome};
use sunshine_conversations::webhooks::{
    parse_webhook_event, Receiver, WebhookSecret, API_KEY_HEADER,
};
use sunshine_conversations::{apis::switchboard_actions::PassControlError, Error, RetryPolicy};

const APP: &str = "app-1";
const CONVERSATION: &str = "conversation-1";

/// The expectation of a helper that tests share, named through the crate:
/// a `passControl` of `conversation` to `target`.
fn pass_to<'a>(
    mock: &'a MockApi,
    target: &str,
) -> Expectation<'a, [(); 2], PassControlBody, (), PassControlError> {
    mock.switchboard_actions()
        .pass_control()
        .path([APP, CONVERSATION])
        .body(&PassControlBody::new(target))
}

/// What a helper hands back: the mounted expectation and the calls it saw.
async fn passes_after(
    mock: &MockApi,
    target: &str,
    send: impl std::future::Future<Output = ()>,
) -> (Mounted, Vec<ReceivedCall<PassControlBody>>) {
    let mounted = pass_to(mock, target).times(1).respond(&()).await;
    send.await;
    (
        mounted,
        mock.switchboard_actions().pass_control().received(),
    )
}

#[tokio::test]
async fn the_kits_types_are_named_through_the_generated_crate() {
    let mock = MockApi::start().await;
    let client = mock.client();
    let body = PassControlBody::new("agents");

    let (mounted, calls) = passes_after(&mock, "agents", async {
        client
            .switchboard_actions()
            .pass_control(APP, CONVERSATION, &body)
            .await
            .expect("answered");
    })
    .await;

    assert_eq!(mounted.matched(), 1);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].body.as_ref(), Some(&body));
}

#[test]
fn a_delivery_fills_in_each_events_id_and_creation_time() {
    let asking: WebhookEvent = UserText::new(CONVERSATION, "human, please").event();
    let passed: WebhookEvent = SwitchboardChange::pass_control(CONVERSATION).event();
    let delivery = Delivery::new().event(&asking).event(&passed);

    let decoded = parse_webhook_event(&delivery.bytes()).expect("a delivery");

    let events: Vec<&WebhookEvent> = decoded.decoded_events().collect();
    let (ids, times): (Vec<Value>, Vec<Value>) = events
        .iter()
        .map(|event| {
            let json = serde_json::to_value(event).expect("encodes");
            (json["id"].clone(), json["createdAt"].clone())
        })
        .unzip();
    assert_eq!(events.len(), 2);
    assert!(ids.iter().all(Value::is_string), "{ids:?}");
    assert_ne!(ids[0], ids[1], "ids are unique");
    assert!(times.iter().all(Value::is_string), "{times:?}");
}

#[tokio::test]
async fn a_delivery_with_no_ids_set_is_handled_by_the_receiver() {
    let handled = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = handled.clone();
    let receiver = Receiver::builder("whsec")
        .on_any(move |event: WebhookEvent, context: DeliveryContext| {
            let seen = seen.clone();
            async move {
                seen.lock()
                    .expect("not poisoned")
                    .push((context.event_id, event));
                Outcome::Done
            }
        })
        .build();
    let asking = UserText::new(CONVERSATION, "Can I talk to a human?")
        .message_id("msg-1")
        .external_id("customer-1")
        .active_integration("bot", "custom");
    let delivery = Delivery::new()
        .secret("whsec")
        .event(&asking.event())
        .event(&SwitchboardChange::offer_control(CONVERSATION).event());

    let answer = receiver
        .receive(delivery.headers().get(API_KEY_HEADER), &delivery.bytes())
        .await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    let handled = handled.lock().expect("not poisoned");
    assert_eq!(handled.len(), 2, "both events handled: {handled:?}");
    assert!(handled.iter().all(|(id, _)| id.starts_with("mock-event-")));
    let WebhookEvent::ConversationMessage(message) = &handled[0].1 else {
        panic!("not a message: {:?}", handled[0].1);
    };
    let payload = message.payload.as_ref().expect("a payload");
    let text = payload.message.as_ref().and_then(|m| m.content.as_ref());
    assert_eq!(
        serde_json::to_value(text).expect("encodes"),
        serde_json::json!({ "type": "text", "text": "Can I talk to a human?" })
    );
    let active = payload
        .conversation
        .as_ref()
        .and_then(|c| c.active_switchboard_integration.as_ref())
        .and_then(|i| i.name.as_deref());
    assert_eq!(active, Some("bot"));
    assert!(matches!(
        handled[1].1,
        WebhookEvent::SwitchboardOfferControl(_)
    ));
}

#[test]
fn switchboard_changes_carry_their_metadata_and_the_integration_in_control() {
    let metadata = Map::from_iter([("reason".to_owned(), Value::from("asked"))]);
    let event: WebhookEvent = SwitchboardChange::pass_control(CONVERSATION)
        .metadata(metadata.clone())
        .active_integration("agent-workspace", "zd:agentWorkspace")
        .event();

    let WebhookEvent::SwitchboardPassControl(passed) = event else {
        panic!("not a pass of control: {event:?}");
    };
    let payload = passed.payload.expect("a payload");
    assert_eq!(payload.metadata, Some(metadata));
    let conversation = payload.conversation.expect("a conversation");
    assert_eq!(conversation.id.as_deref(), Some(CONVERSATION));
    let active = conversation.active_switchboard_integration.expect("active");
    assert_eq!(
        active.integration_type.as_deref(),
        Some("zd:agentWorkspace")
    );
}

#[test]
fn an_invalid_secret_is_an_error_where_it_is_given() {
    let refused = std::panic::catch_unwind(|| Delivery::new().secret("bad\nsecret"));

    let message = refused.expect_err("a secret with a line break is refused");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains(API_KEY_HEADER), "{message}");
    assert!(
        !message.contains("bad"),
        "the secret is not shown: {message}"
    );
    // A valid one signs the delivery, as the receiver checks it.
    let signed = Delivery::new().secret("whsec good");
    let secret = WebhookSecret::new("whsec good");
    assert!(sunshine_conversations::webhooks::verify_api_key(
        signed.headers().get(API_KEY_HEADER),
        &secret
    )
    .is_ok());
}

#[tokio::test]
async fn an_answer_can_come_late_and_requests_say_when_they_arrived() {
    let mock = MockApi::start().await;
    let actions = mock.switchboard_actions();
    let answer_delay = Duration::from_millis(50);
    let retry_after = Duration::from_secs(1);
    // Busy, late, and asking for a second's wait; then a success.
    actions
        .pass_control()
        .up_to(1)
        .delay(answer_delay)
        .retry_after(503, retry_after.as_secs())
        .await;
    let passed = actions.pass_control().times(1).respond(&()).await;
    // Waits as long as `Retry-After` asks, up to 2 s.
    let client: sunshine_conversations::Client = mock
        .client_builder()
        .retry(
            RetryPolicy::default()
                .max_delay(Duration::from_secs(2))
                .jitter(false),
        )
        .build()
        .expect("builds");

    client
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &PassControlBody::new("agents"))
        .await
        .expect("the retry succeeds");

    let calls = actions.pass_control().received();
    assert_eq!(calls.len(), 2);
    assert_eq!(passed.matched(), 1);
    let waited = calls[1].request.received_at - calls[0].request.received_at;
    assert!(
        waited >= retry_after + answer_delay,
        "the retry came {waited:?} after the first attempt: sooner than the late answer and its Retry-After"
    );
}

#[tokio::test]
async fn a_late_answer_runs_into_the_clients_timeout() {
    let mock = MockApi::start().await;
    mock.switchboard_actions()
        .pass_control()
        .delay(Duration::from_secs(2))
        .times(1)
        .respond(&())
        .await;
    let impatient: sunshine_conversations::Client = mock
        .client_builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("builds");

    let sent = impatient
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &PassControlBody::new("agents"))
        .await;

    // A POST that timed out is not sent again: it may have been applied.
    match sent {
        Err(Error::Transport { source, .. }) => assert!(source.is_timeout(), "{source}"),
        other => panic!("not a timeout: {other:?}"),
    }
}
