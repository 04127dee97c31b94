//! The service end to end: it runs on 127.0.0.1 (a port the system picks)
//! pointed at the crate's typed fake of the API (`mock::MockApi`); the tests
//! post deliveries built from the crate's typed events to it over HTTP and
//! read back, typed, the calls that arrive at the fake.
//!
//! The service answers a delivery only after handling it, so when the POST
//! returns, every API call it made has arrived: no test waits on a clock.

use handoff_example::decide::{metadata, HANDOFF_REASON, HANDOFF_TARGET, OFFER_REASON};
use handoff_example::{serve, AppState, Config};
use serde_json::{Map, Value};
use sunshine_conversations::mock::{Delivery, MockApi, SwitchboardChange, UserText};
use sunshine_conversations::types::{OfferControlBody, PassControlBody, WebhookEvent};
use sunshine_conversations::webhooks::receiver::DeadLetterReason;

const APP_ID: &str = "64a1f0c2b7e4d90012ab3401";
const CONVERSATION_ID: &str = "64a1f1d0b7e4d90012ab3405";
const KEY_ID: &str = "key_5f2c0a1b";
const KEY_SECRET: &str = "key-secret-9d41e7";
const WEBHOOK_SECRET: &str = "whsec-0b7e4d90012ab34";

// ---------------------------------------------------------------------------
// The service and the fake API
// ---------------------------------------------------------------------------

struct Harness {
    api: MockApi,
    /// Where the service takes deliveries.
    webhooks: String,
}

/// The fake API, answering both switchboard actions for the app's
/// conversation when they come with the service's credentials, and the
/// service pointed at it, configured as from its environment.
async fn start() -> Harness {
    let api = MockApi::start().await;
    let actions = api.switchboard_actions();
    let path = [APP_ID, CONVERSATION_ID];
    actions
        .pass_control()
        .path(path)
        .basic_auth(KEY_ID, KEY_SECRET)
        .respond(&())
        .await;
    actions
        .offer_control()
        .path(path)
        .basic_auth(KEY_ID, KEY_SECRET)
        .respond(&())
        .await;
    start_with(api).await
}

async fn start_with(api: MockApi) -> Harness {
    start_with_state(api).await.0
}

/// The service pointed at `api`, and its state, to read its dead letters.
async fn start_with_state(api: MockApi) -> (Harness, AppState) {
    let base_url = api.uri();
    let environment = move |name: &str| {
        let value = match name {
            "SUNSHINE_APP_ID" => APP_ID,
            "SUNSHINE_KEY_ID" => KEY_ID,
            "SUNSHINE_KEY_SECRET" => KEY_SECRET,
            "SUNSHINE_WEBHOOK_SECRET" => WEBHOOK_SECRET,
            "SUNSHINE_BASE_URL" => base_url.as_str(),
            "HANDOFF_BOT_INTEGRATION" => "bot",
            _ => return None,
        };
        Some(value.to_owned())
    };
    let config = Config::from_lookup(environment).expect("complete configuration");
    let state = AppState::new(&config).expect("client builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let webhooks = format!(
        "http://{}/webhooks",
        listener.local_addr().expect("bound address")
    );
    // Runs until the test's runtime shuts down.
    tokio::spawn(serve(listener, state.clone(), std::future::pending()));
    (Harness { api, webhooks }, state)
}

impl Harness {
    /// Posts `delivery` to the service and returns the answer's status.
    async fn post(&self, delivery: &Delivery) -> u16 {
        let answer = delivery
            .post(&self.webhooks)
            .await
            .expect("the service answers");
        answer.status().as_u16()
    }

    /// The `passControl` bodies the fake received, in order.
    fn passes(&self) -> Vec<PassControlBody> {
        let calls = self.api.switchboard_actions().pass_control().received();
        calls
            .into_iter()
            .map(|call| call.body.expect("a typed body"))
            .collect()
    }

    fn offers(&self) -> Vec<OfferControlBody> {
        let calls = self.api.switchboard_actions().offer_control().received();
        calls
            .into_iter()
            .map(|call| call.body.expect("a typed body"))
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Deliveries, built from the crate's event types
// ---------------------------------------------------------------------------

fn delivery(events: &[WebhookEvent]) -> Delivery {
    let delivery = Delivery::new().app(APP_ID).secret(WEBHOOK_SECRET);
    events
        .iter()
        .fold(delivery, |delivery, event| delivery.event(event))
}

/// A switchboard integration: its name and type.
type Integration = (&'static str, &'static str);
const BOT: Integration = ("bot", "custom");
const AGENTS: Integration = ("agent-workspace", "zd:agentWorkspace");

/// A `conversation:message` event: a user wrote `text`, with `active` in
/// control of the conversation.
fn user_message(message_id: &str, text: &str, (name, kind): Integration) -> WebhookEvent {
    UserText::new(CONVERSATION_ID, text)
        .message_id(message_id)
        .external_id("customer-1815")
        .active_integration(name, kind)
        .event()
}

/// The `switchboard:passControl` event with which the platform confirms a
/// pass of control, echoing its `metadata`.
fn pass_confirmed(metadata: Map<String, Value>, (name, kind): Integration) -> WebhookEvent {
    SwitchboardChange::pass_control(CONVERSATION_ID)
        .metadata(metadata)
        .active_integration(name, kind)
        .event()
}

/// The metadata the service sends with a handoff for message `message_id`.
fn handoff_metadata(message_id: &str, text: &str) -> Map<String, Value> {
    Map::from_iter([
        (metadata::HANDOFF_REASON.to_owned(), HANDOFF_REASON.into()),
        (metadata::MESSAGE_ID.to_owned(), message_id.into()),
        (metadata::MESSAGE_TEXT.to_owned(), text.into()),
    ])
}

/// A typed event as JSON, with the value at `pointer` replaced: an event
/// that breaks the document the way upstream's own examples do.
fn broken(event: &WebhookEvent, pointer: &str, value: Value) -> Value {
    let mut json = serde_json::to_value(event).expect("events encode");
    *json.pointer_mut(pointer).expect("the event has the field") = value;
    json
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_user_asking_for_a_human_is_handed_to_the_agents() {
    let harness = start().await;
    let text = "Can I talk to a human, please?";

    let status = harness
        .post(&delivery(&[user_message("msg-1", text, BOT)]))
        .await;

    assert_eq!(status, 200);
    let expected = PassControlBody::new(HANDOFF_TARGET).metadata(handoff_metadata("msg-1", text));
    assert_eq!(harness.passes(), [expected]);
}

#[tokio::test]
async fn a_wrong_or_missing_key_is_refused_and_nothing_is_called() {
    let harness = start().await;
    let asking = [user_message("msg-1", "agent", BOT)];
    let almost = format!("{}X", &WEBHOOK_SECRET[..WEBHOOK_SECRET.len() - 1]);

    for key in ["wrong", almost.as_str(), ""] {
        let sent = delivery(&asking).secret(key);
        assert_eq!(harness.post(&sent).await, 401, "{key:?}");
    }
    let unsigned = asking
        .iter()
        .fold(Delivery::new().app(APP_ID), |d, event| d.event(event));
    assert_eq!(harness.post(&unsigned).await, 401);

    assert!(harness.api.received().is_empty());
}

#[tokio::test]
async fn messages_that_do_not_ask_for_a_human_call_nothing() {
    let harness = start().await;
    let deliveries = [
        delivery(&[user_message("msg-1", "Where is my parcel?", BOT)]),
        // The agents are in control: the bot does not act on messages.
        delivery(&[user_message("msg-2", "human please", AGENTS)]),
        delivery(&[UserText::new(CONVERSATION_ID, "A human will answer soon")
            .from_business()
            .active_integration(BOT.0, BOT.1)
            .event()]),
        delivery(&[]),
    ];

    for sent in &deliveries {
        assert_eq!(harness.post(sent).await, 200, "{}", sent.to_json());
    }

    assert!(harness.api.received().is_empty());
}

#[tokio::test]
async fn the_platform_confirming_the_handoff_makes_the_service_offer_control_back_to_the_bot() {
    let harness = start().await;
    assert_eq!(
        harness
            .post(&delivery(&[user_message("msg-1", "AGENT", BOT)]))
            .await,
        200
    );
    // The platform echoes the metadata the service sent with passControl.
    let sent = harness
        .passes()
        .remove(0)
        .metadata
        .into_value()
        .expect("metadata");

    let status = harness
        .post(&delivery(&[pass_confirmed(sent, AGENTS)]))
        .await;

    assert_eq!(status, 200);
    let expected = OfferControlBody::new("bot").metadata(Map::from_iter([
        (metadata::OFFER_REASON.to_owned(), OFFER_REASON.into()),
        (metadata::MESSAGE_ID.to_owned(), "msg-1".into()),
    ]));
    assert_eq!(harness.offers(), [expected]);
}

#[tokio::test]
async fn passes_of_control_that_are_not_the_services_handoff_call_nothing() {
    let harness = start().await;
    let someone_elses = Map::from_iter([("topic".to_owned(), "billing".into())]);
    let ours = handoff_metadata("msg-1", "human");
    let deliveries = [
        delivery(&[pass_confirmed(someone_elses, AGENTS)]),
        // Control came back to the bot.
        delivery(&[pass_confirmed(ours, BOT)]),
    ];

    for sent in &deliveries {
        assert_eq!(harness.post(sent).await, 200, "{}", sent.to_json());
    }

    assert!(harness.api.received().is_empty());
}

#[tokio::test]
async fn events_that_do_not_decode_cost_the_handoff_nothing() {
    let harness = start().await;
    // A number where the document says string, as in upstream's own
    // `conversation:referral` example.
    let external_id = "/payload/message/author/user/externalId";
    let sent = delivery(&[])
        .raw_event(broken(
            &user_message("msg-0", "human", BOT),
            external_id,
            912382197.into(),
        ))
        .event(&user_message("msg-1", "I want an agent", BOT));

    let status = harness.post(&sent).await;

    assert_eq!(status, 200);
    let passes = harness.passes();
    assert_eq!(passes.len(), 1, "{passes:?}");
    let handed_off = passes[0]
        .metadata
        .value()
        .and_then(|m| m.get(metadata::MESSAGE_ID));
    assert_eq!(handed_off, Some(&Value::from("msg-1")));
}

#[tokio::test]
async fn a_failed_call_asks_for_the_delivery_again_and_is_made_once_it_succeeds() {
    let api = MockApi::start().await;
    // The first passControl fails; the ones after it succeed.
    let failed = api
        .switchboard_actions()
        .pass_control()
        .up_to(1)
        .status(500)
        .await;
    let passed = api
        .switchboard_actions()
        .pass_control()
        .times(1)
        .respond(&())
        .await;
    let harness = start_with(api).await;
    let asking = delivery(&[user_message("msg-1", "human", BOT)]);

    let first = harness.post(&asking).await;
    let retried = harness.post(&asking).await;
    let again = harness.post(&asking).await;

    assert_eq!([first, retried, again], [503, 200, 200]);
    // The failed call and its successful retry; the third delivery of the
    // same event is skipped.
    assert_eq!((failed.matched(), passed.matched()), (1, 1));
}

#[tokio::test]
async fn a_body_that_is_not_a_delivery_is_a_bad_request() {
    let harness = start().await;
    let http = sunshine_conversations::HttpClient::new();

    for body in [
        &b"not json"[..],
        b"42",
        b"{\"events\": {}}",
        b"{\"events\": [1",
    ] {
        let answer = http
            .post(&harness.webhooks)
            .headers(delivery(&[]).headers())
            .body(body.to_vec())
            .send()
            .await
            .expect("the service answers");
        assert_eq!(answer.status(), 400, "{}", String::from_utf8_lossy(body));
    }

    assert!(harness.api.received().is_empty());
}

#[tokio::test]
async fn a_conversation_that_does_not_exist_is_one_call_a_success_and_a_dead_letter() {
    let api = MockApi::start().await;
    let missing = api.switchboard_actions().pass_control().status(404).await;
    let (harness, state) = start_with_state(api).await;
    let asking = delivery(&[user_message("msg-1", "human", BOT)]);

    let first = harness.post(&asking).await;
    // Were the platform to send it again anyway, nothing more happens.
    let again = harness.post(&asking).await;

    assert_eq!([first, again], [200, 200]);
    assert_eq!(missing.matched(), 1, "a permanent failure is not retried");
    let letters = state.dead_letters();
    assert_eq!(letters.len(), 1, "{letters:?}");
    // The kit gave the event an id, as the platform does; the letter keeps it.
    assert!(
        letters[0].event_id().is_some_and(|id| !id.is_empty()),
        "{letters:?}"
    );
    assert_eq!(letters[0].app_id.as_deref(), Some(APP_ID));
    assert!(
        matches!(&letters[0].reason, DeadLetterReason::GaveUp(reason) if reason.contains("404")),
        "{:?}",
        letters[0].reason
    );
}

#[tokio::test]
async fn an_api_answering_503_is_tried_again_until_it_passes_control() {
    let api = MockApi::start().await;
    // Every attempt of the client's first call (one and three retries).
    let unavailable = api
        .switchboard_actions()
        .pass_control()
        .up_to(4)
        .retry_after(503, 0)
        .await;
    let passed = api
        .switchboard_actions()
        .pass_control()
        .times(1)
        .respond(&())
        .await;
    let (harness, state) = start_with_state(api).await;
    let asking = delivery(&[user_message("msg-1", "human", BOT)]);

    let first = harness.post(&asking).await;
    let retried = harness.post(&asking).await;

    assert_eq!([first, retried], [503, 200]);
    assert_eq!((unavailable.matched(), passed.matched()), (4, 1));
    assert!(state.dead_letters().is_empty());
}

/// Fails on purpose, as a test does when the service sends another body
/// than the test expects: the fake answers its `passControl` with `501`,
/// the service answers the delivery with `503`, and the assertion says only
/// `left: 503, right: 200`. Run by the test below, which reads its output.
#[tokio::test]
#[ignore = "fails on purpose; run by the_kits_explanation_is_printed_when_a_test_fails"]
async fn a_test_expecting_another_body() {
    let api = MockApi::start().await;
    let another = PassControlBody::new("someone-else");
    let passes = api.switchboard_actions().pass_control().body(&another);
    passes.respond(&()).await;
    let harness = start_with(api).await;

    let status = harness
        .post(&delivery(&[user_message("msg-1", "human", BOT)]))
        .await;

    assert_eq!(status, 200);
}

#[test]
fn the_kits_explanation_is_printed_when_a_test_fails() {
    let this_binary = std::env::current_exe().expect("the test binary");
    let run = ["a_test_expecting_another_body", "--exact", "--ignored"];

    let output = std::process::Command::new(this_binary)
        .args(run)
        .output()
        .expect("it runs");

    let printed = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it fails:\n{printed}");
    let path = format!("/v2/apps/{APP_ID}/conversations/{CONVERSATION_ID}/passControl");
    // Either order of the body's keys (serde_json may preserve them).
    let target = format!(r#""switchboardIntegration":"{HANDOFF_TARGET}""#);
    for expected in [
        "left: 503",
        &format!("PassControl: POST {path} matched no expectation"),
        "with body {\"switchboardIntegration\":\"someone-else\"}: got body {",
        &target,
        r#"}, expected {"switchboardIntegration":"someone-else"}"#,
    ] {
        assert!(printed.contains(expected), "{expected:?} in:\n{printed}");
    }
}
