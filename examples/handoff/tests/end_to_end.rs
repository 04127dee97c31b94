//! The service end to end: it runs on 127.0.0.1 (a port the system picks)
//! pointed at a local fake of the Sunshine Conversations API (wiremock);
//! the tests post real-shaped webhook deliveries to it over HTTP and look at
//! the requests that arrive at the fake.
//!
//! The service answers a delivery only after handling it, so when the POST
//! returns, every API call it made has arrived: no test waits on a clock.

use std::net::SocketAddr;

use handoff_example::{serve, AppState, Config};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_ID: &str = "64a1f0c2b7e4d90012ab3401";
const CONVERSATION_ID: &str = "64a1f1d0b7e4d90012ab3405";
const KEY_ID: &str = "key_5f2c0a1b";
const KEY_SECRET: &str = "key-secret-9d41e7";
const WEBHOOK_SECRET: &str = "whsec-0b7e4d90012ab34";
/// `Basic` and base64 of `key_5f2c0a1b:key-secret-9d41e7`, worked out apart
/// from the code under test.
const EXPECTED_AUTHORIZATION: &str = "Basic a2V5XzVmMmMwYTFiOmtleS1zZWNyZXQtOWQ0MWU3";

const PASS_CONTROL_PATH: &str =
    "/v2/apps/64a1f0c2b7e4d90012ab3401/conversations/64a1f1d0b7e4d90012ab3405/passControl";
const OFFER_CONTROL_PATH: &str =
    "/v2/apps/64a1f0c2b7e4d90012ab3401/conversations/64a1f1d0b7e4d90012ab3405/offerControl";

// ---------------------------------------------------------------------------
// The service and the fake API
// ---------------------------------------------------------------------------

struct Harness {
    /// The fake API.
    api: MockServer,
    /// Where the service listens.
    service: SocketAddr,
    http: reqwest::Client,
}

/// Starts the fake API, answering `200 {}` to both switchboard actions, and
/// the service pointed at it, configured as from its environment.
async fn start() -> Harness {
    let api = MockServer::start().await;
    for action in [PASS_CONTROL_PATH, OFFER_CONTROL_PATH] {
        Mock::given(method("POST"))
            .and(path(action))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&api)
            .await;
    }
    start_with(api).await
}

async fn start_with(api: MockServer) -> Harness {
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
    let service = listener.local_addr().expect("bound address");
    // Runs until the test's runtime shuts down.
    tokio::spawn(serve(listener, state, std::future::pending()));
    Harness {
        api,
        service,
        http: reqwest::Client::new(),
    }
}

impl Harness {
    /// Posts `delivery` to the service with `key` as `X-API-Key` (none for
    /// `None`), and returns the answer's status.
    async fn post(&self, delivery: &Value, key: Option<&str>) -> u16 {
        self.post_bytes(serde_json::to_vec(delivery).unwrap(), key)
            .await
    }

    async fn post_bytes(&self, body: Vec<u8>, key: Option<&str>) -> u16 {
        let mut request = self
            .http
            .post(format!("http://{}/webhooks", self.service))
            .header("content-type", "application/json")
            .body(body);
        if let Some(key) = key {
            request = request.header("X-API-Key", key);
        }
        request
            .send()
            .await
            .expect("the service answers")
            .status()
            .as_u16()
    }

    /// Every request the fake API received, in order.
    async fn api_requests(&self) -> Vec<wiremock::Request> {
        self.api
            .received_requests()
            .await
            .expect("request recording is on")
    }
}

/// Checks that `request` is an authenticated JSON POST to `path` and returns
/// its body.
fn json_post(request: &wiremock::Request, path: &str) -> Value {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), path);
    assert_eq!(
        request.headers.get("authorization").map(|v| v.as_bytes()),
        Some(EXPECTED_AUTHORIZATION.as_bytes())
    );
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    request.body_json().expect("a JSON body")
}

// ---------------------------------------------------------------------------
// Deliveries, shaped as the platform sends them
// ---------------------------------------------------------------------------

fn delivery(events: Value) -> Value {
    json!({
        "app": { "id": APP_ID },
        "webhook": { "id": "64a1f0c2b7e4d90012ab3402", "version": "v2" },
        "events": events,
    })
}

fn integration(name: &str, id: &str, kind: &str) -> Value {
    json!({ "id": id, "name": name, "integrationId": "64a1f0c2b7e4d90012ab3430", "integrationType": kind })
}

fn bot() -> Value {
    integration("bot", "64a1f0c2b7e4d90012ab3420", "custom")
}

fn agents() -> Value {
    integration(
        "agent-workspace",
        "64a1f0c2b7e4d90012ab3421",
        "zd:agentWorkspace",
    )
}

/// A `conversation:message` event: the user wrote `text`, with `active` in
/// control of the conversation.
fn user_message(event_id: &str, message_id: &str, text: &str, active: Value) -> Value {
    json!({
        "id": event_id,
        "type": "conversation:message",
        "createdAt": "2024-03-11T09:12:30.402Z",
        "payload": {
            "conversation": { "id": CONVERSATION_ID, "type": "personal", "activeSwitchboardIntegration": active },
            "message": {
                "id": message_id,
                "received": "2024-03-11T09:12:30.377Z",
                "author": {
                    "type": "user",
                    "userId": "64a1f0c2b7e4d90012ab3450",
                    "displayName": "Ada Lovelace",
                    "user": { "id": "64a1f0c2b7e4d90012ab3450", "externalId": "customer-1815", "authenticated": true }
                },
                "content": { "type": "text", "text": text },
                "source": { "type": "web", "integrationId": "64a1f0c2b7e4d90012ab3460" }
            }
        }
    })
}

/// The `switchboard:passControl` event with which the platform confirms a
/// pass of control, echoing its `metadata`.
fn pass_control_confirmed(event_id: &str, metadata: Value, active: Value) -> Value {
    json!({
        "id": event_id,
        "type": "switchboard:passControl",
        "createdAt": "2024-03-11T09:12:31.118Z",
        "payload": {
            "conversation": { "id": CONVERSATION_ID, "type": "personal", "activeSwitchboardIntegration": active },
            "metadata": metadata
        }
    })
}

/// The platform's own `conversation:referral` example: its `externalId` is
/// a number where the published schema says string.
fn upstream_referral() -> Value {
    json!({
        "id": "5f74a0d52b5315fc007e798a",
        "type": "conversation:referral",
        "payload": {
            "conversation": { "id": CONVERSATION_ID, "type": "personal", "activeSwitchboardIntegration": bot() },
            "user": { "id": "26508c10541a4b0ff472e5e2", "externalId": 912382197, "authenticated": true },
            "source": { "type": "web", "integrationId": "5ecff63ffc3ab25f4561c8a0" },
            "referral": {}
        }
    })
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_user_asking_for_a_human_is_handed_to_the_agents() {
    let harness = start().await;
    let asking = delivery(json!([user_message(
        "evt-msg-1",
        "msg-1",
        "Can I talk to a human, please?",
        bot()
    )]));

    let status = harness.post(&asking, Some(WEBHOOK_SECRET)).await;

    assert_eq!(status, 200);
    let requests = harness.api_requests().await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(
        json_post(&requests[0], PASS_CONTROL_PATH),
        json!({
            "switchboardIntegration": "next",
            "metadata": {
                "handoffReason": "the user asked for a human",
                "handoffMessageId": "msg-1",
                "handoffMessageText": "Can I talk to a human, please?"
            }
        })
    );
}

#[tokio::test]
async fn a_wrong_or_missing_key_is_refused_and_nothing_is_called() {
    let harness = start().await;
    let asking = delivery(json!([user_message("evt-msg-1", "msg-1", "agent", bot())]));
    let almost = format!("{}X", &WEBHOOK_SECRET[..WEBHOOK_SECRET.len() - 1]);

    for key in [Some("wrong"), Some(almost.as_str()), Some(""), None] {
        assert_eq!(harness.post(&asking, key).await, 401, "{key:?}");
    }

    assert_eq!(harness.api_requests().await.len(), 0);
}

#[tokio::test]
async fn messages_that_do_not_ask_for_a_human_call_nothing() {
    let harness = start().await;
    let mut business_reply = user_message("evt-msg-3", "msg-3", "A human will answer soon", bot());
    business_reply["payload"]["message"]["author"] =
        json!({ "type": "business", "displayName": "Bot" });
    let deliveries = [
        delivery(json!([user_message(
            "evt-msg-1",
            "msg-1",
            "Where is my parcel?",
            bot()
        )])),
        // The agents are in control: the bot does not act on messages.
        delivery(json!([user_message(
            "evt-msg-2",
            "msg-2",
            "human please",
            agents()
        )])),
        delivery(json!([business_reply])),
        delivery(json!([])),
    ];

    for sent in &deliveries {
        assert_eq!(
            harness.post(sent, Some(WEBHOOK_SECRET)).await,
            200,
            "{sent}"
        );
    }

    assert_eq!(harness.api_requests().await.len(), 0);
}

#[tokio::test]
async fn the_platform_confirming_the_handoff_makes_the_service_offer_control_back_to_the_bot() {
    let harness = start().await;
    let asking = delivery(json!([user_message("evt-msg-1", "msg-1", "AGENT", bot())]));
    assert_eq!(harness.post(&asking, Some(WEBHOOK_SECRET)).await, 200);
    // The platform echoes the metadata the service sent with passControl.
    let sent_metadata = harness.api_requests().await[0]
        .body_json::<Value>()
        .unwrap()["metadata"]
        .clone();
    let confirmed = delivery(json!([pass_control_confirmed(
        "evt-pass-1",
        sent_metadata,
        agents()
    )]));

    let status = harness.post(&confirmed, Some(WEBHOOK_SECRET)).await;

    assert_eq!(status, 200);
    let requests = harness.api_requests().await;
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        json_post(&requests[1], OFFER_CONTROL_PATH),
        json!({
            "switchboardIntegration": "bot",
            "metadata": {
                "offerReason": "the bot takes the conversation back when the agents are done",
                "handoffMessageId": "msg-1"
            }
        })
    );
}

#[tokio::test]
async fn passes_of_control_that_are_not_the_services_handoff_call_nothing() {
    let harness = start().await;
    let deliveries = [
        // Someone else's transfer.
        delivery(json!([pass_control_confirmed(
            "evt-pass-1",
            json!({ "topic": "billing" }),
            agents()
        )])),
        // Control came back to the bot.
        delivery(json!([pass_control_confirmed(
            "evt-pass-2",
            json!({ "handoffReason": "the user asked for a human" }),
            bot()
        )])),
    ];

    for sent in &deliveries {
        assert_eq!(
            harness.post(sent, Some(WEBHOOK_SECRET)).await,
            200,
            "{sent}"
        );
    }

    assert_eq!(harness.api_requests().await.len(), 0);
}

#[tokio::test]
async fn events_that_do_not_decode_cost_the_handoff_nothing() {
    let harness = start().await;
    let mut broken = user_message("evt-msg-0", "msg-0", "human", bot());
    broken["payload"]["message"]["author"]["user"]["externalId"] = json!(912382197);
    let sent = delivery(json!([
        upstream_referral(),
        broken,
        user_message("evt-msg-1", "msg-1", "I want an agent", bot()),
    ]));

    let status = harness.post(&sent, Some(WEBHOOK_SECRET)).await;

    assert_eq!(status, 200);
    let requests = harness.api_requests().await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    let body = json_post(&requests[0], PASS_CONTROL_PATH);
    assert_eq!(body["metadata"]["handoffMessageId"], "msg-1");
}

#[tokio::test]
async fn a_failed_call_asks_for_the_delivery_again_and_is_made_once_it_succeeds() {
    let api = MockServer::start().await;
    // The first passControl fails; the ones after it succeed.
    Mock::given(method("POST"))
        .and(path(PASS_CONTROL_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_string("try later"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("POST"))
        .and(path(PASS_CONTROL_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&api)
        .await;
    let harness = start_with(api).await;
    let asking = delivery(json!([user_message("evt-msg-1", "msg-1", "human", bot())]));

    let first = harness.post(&asking, Some(WEBHOOK_SECRET)).await;
    let retried = harness.post(&asking, Some(WEBHOOK_SECRET)).await;
    let again = harness.post(&asking, Some(WEBHOOK_SECRET)).await;

    assert_eq!([first, retried, again], [503, 200, 200]);
    // The failed call and its successful retry; the third delivery of the
    // same event is skipped.
    let requests = harness.api_requests().await;
    assert_eq!(requests.len(), 2, "{requests:?}");
    for request in &requests {
        json_post(request, PASS_CONTROL_PATH);
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_delivery_is_a_bad_request() {
    let harness = start().await;

    for body in [
        &b"not json"[..],
        b"42",
        b"{\"events\": {}}",
        b"{\"events\": [1",
    ] {
        let status = harness
            .post_bytes(body.to_vec(), Some(WEBHOOK_SECRET))
            .await;
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(body));
    }

    assert_eq!(harness.api_requests().await.len(), 0);
}
