//! Black-box tests of the generated crate's webhook receiving side: parsing a
//! delivery with `sunshine_conversations::webhooks::parse_webhook_event`, the
//! `WebhookEvent` variant chosen by each event's `type`, each event decoded on
//! its own (an event that does not decode is kept with its JSON and the
//! error, and costs no other event), forward compatibility (unknown event
//! types, enum values and properties), writing events back as JSON, and the
//! constant-time `X-API-Key` check.

use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Map, Value};
use sunshine_conversations::types::{
    AuthorWebhookType, Content, ConversationType, SwitchboardIntegrationWebhook,
    SwitchboardPassControlEvent, SwitchboardPassControlPayload,
    SwitchboardPassControlPayloadReason, SwitchboardReleaseControlEvent,
    SwitchboardReleaseControlPayload, SwitchboardReleaseControlPayloadReason, WebhookEvent,
};
use sunshine_conversations::webhooks::{
    parse_webhook_event, verify_api_key, DeliveredEvent, UndecodableEvent, VerifyError,
    WebhookEventDelivery, WebhookEventPayload, WebhookSecret, API_KEY_HEADER,
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A delivery carrying `events`, as the platform sends it.
fn delivery(events: Value) -> Value {
    json!({
        "app": { "id": "64a1f0c2b7e4d90012ab3401" },
        "webhook": { "id": "64a1f0c2b7e4d90012ab3402", "version": "v2" },
        "events": events,
    })
}

fn parse(payload: &Value) -> WebhookEventDelivery {
    let bytes = serde_json::to_vec(payload).unwrap();
    parse_webhook_event(&bytes).unwrap_or_else(|error| panic!("{error}: {payload}"))
}

/// Parses a delivery of exactly one event and returns that event, which must
/// have decoded.
fn parse_one(event: Value) -> WebhookEvent {
    let mut delivery = parse(&delivery(json!([event])));
    assert_eq!(delivery.events.len(), 1);
    match delivery.events.remove(0) {
        DeliveredEvent::Decoded(event) => event,
        DeliveredEvent::Undecodable(failed) => panic!("{failed}"),
    }
}

/// Parses a delivery of exactly one event that must not decode.
fn parse_one_undecodable(event: Value) -> UndecodableEvent {
    let mut delivery = parse(&delivery(json!([event])));
    assert_eq!(delivery.events.len(), 1);
    match delivery.events.remove(0) {
        DeliveredEvent::Undecodable(failed) => failed,
        DeliveredEvent::Decoded(event) => panic!("decoded: {event:?}"),
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn bot() -> Value {
    json!({
        "id": "64a1f0c2b7e4d90012ab3420",
        "name": "bot",
        "integrationId": "64a1f0c2b7e4d90012ab3430",
        "integrationType": "custom"
    })
}

fn human() -> Value {
    json!({
        "id": "64a1f0c2b7e4d90012ab3421",
        "name": "human",
        "integrationId": "64a1f0c2b7e4d90012ab3431",
        "integrationType": "zd:agentWorkspace"
    })
}

// The seven events, as in the examples of the OpenAPI document.

fn accept_control() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3410",
        "type": "switchboard:acceptControl",
        "createdAt": "2024-03-11T09:15:42.118Z",
        "payload": {
            "conversation": {
                "id": "64a1f1d0b7e4d90012ab3405",
                "type": "personal",
                "activeSwitchboardIntegration": human()
            },
            "metadata": { "agentGroup": "tier-1" }
        }
    })
}

fn accept_control_failure() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3411",
        "type": "switchboard:acceptControl:failure",
        "createdAt": "2024-03-11T09:16:03.500Z",
        "payload": {
            "error": {
                "code": "switchboard_invalid_action",
                "message": "No switchboard integration is pending for this conversation."
            },
            "conversation": {
                "id": "64a1f1d0b7e4d90012ab3405",
                "type": "personal",
                "activeSwitchboardIntegration": bot()
            },
            "metadata": null
        }
    })
}

fn offer_control() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3412",
        "type": "switchboard:offerControl",
        "createdAt": "2024-03-11T09:14:58.020Z",
        "payload": {
            "conversation": {
                "id": "64a1f1d0b7e4d90012ab3405",
                "type": "personal",
                "metadata": { "plan": "premium" },
                "activeSwitchboardIntegration": bot(),
                "pendingSwitchboardIntegration": human()
            },
            "metadata": { "topic": "billing" }
        }
    })
}

fn offer_control_failure() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3413",
        "type": "switchboard:offerControl:failure",
        "createdAt": "2024-03-11T09:14:58.731Z",
        "payload": {
            "error": {
                "code": "switchboard_invalid_target",
                "message": "The active switchboard integration cannot be offered control."
            },
            "conversation": {
                "id": "64a1f1d0b7e4d90012ab3405",
                "type": "personal",
                "activeSwitchboardIntegration": bot()
            }
        }
    })
}

fn pass_control() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3414",
        "type": "switchboard:passControl",
        "createdAt": "2024-03-11T09:20:11.904Z",
        "payload": {
            "conversation": {
                "id": "64a1f1d0b7e4d90012ab3405",
                "type": "sdkGroup",
                "activeSwitchboardIntegration": bot()
            },
            "metadata": { "reason": "customer asked for a human", "priority": 2 },
            "reason": "transferToEmail"
        }
    })
}

fn pass_control_failure() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3415",
        "type": "switchboard:passControl:failure",
        "createdAt": "2024-03-11T09:20:12.377Z",
        "payload": {
            "error": {
                "code": "switchboard_invalid_target",
                "message": "No switchboard integration matches the requested target."
            },
            "conversation": {
                "id": "64a1f1d0b7e4d90012ab3405",
                "type": "personal",
                "activeSwitchboardIntegration": human()
            }
        }
    })
}

fn release_control() -> Value {
    json!({
        "id": "64a1f3e9b7e4d90012ab3416",
        "type": "switchboard:releaseControl",
        "createdAt": "2024-03-11T09:31:47.260Z",
        "payload": {
            "conversation": { "id": "64a1f1d0b7e4d90012ab3405", "type": "personal" },
            "metadata": { "resolved": true },
            "reason": "ticketClosed"
        }
    })
}

fn all_switchboard_events() -> Vec<Value> {
    vec![
        accept_control(),
        accept_control_failure(),
        offer_control(),
        offer_control_failure(),
        pass_control(),
        pass_control_failure(),
        release_control(),
    ]
}

fn webhook_integration(value: Value) -> SwitchboardIntegrationWebhook {
    serde_json::from_value(value).unwrap()
}

// ---------------------------------------------------------------------------
// The seven switchboard events
// ---------------------------------------------------------------------------

#[test]
fn delivery_envelope_is_parsed() {
    let payload = parse(&delivery(json!([accept_control()])));

    assert_eq!(
        payload.app.and_then(|app| app.id).as_deref(),
        Some("64a1f0c2b7e4d90012ab3401")
    );
    let webhook = payload.webhook.unwrap();
    assert_eq!(webhook.id.as_deref(), Some("64a1f0c2b7e4d90012ab3402"));
    assert_eq!(webhook.version.as_deref(), Some("v2"));
    assert_eq!(payload.events.len(), 1);
}

#[test]
fn accept_control_event() {
    let WebhookEvent::SwitchboardAcceptControl(event) = parse_one(accept_control()) else {
        panic!("wrong variant");
    };

    assert_eq!(event.id.as_deref(), Some("64a1f3e9b7e4d90012ab3410"));
    assert_eq!(
        event.created_at.as_deref(),
        Some("2024-03-11T09:15:42.118Z")
    );
    let payload = event.payload.unwrap();
    let conversation = payload.conversation.unwrap();
    assert_eq!(conversation.id.as_deref(), Some("64a1f1d0b7e4d90012ab3405"));
    assert_eq!(conversation.r#type, Some(ConversationType::Personal));
    assert_eq!(
        conversation.active_switchboard_integration,
        Some(webhook_integration(human()))
    );
    assert_eq!(conversation.pending_switchboard_integration, None);
    assert_eq!(conversation.metadata, None);
    assert_eq!(
        payload.metadata,
        Some(object(json!({ "agentGroup": "tier-1" })))
    );
}

#[test]
fn accept_control_failure_event_with_null_metadata() {
    let WebhookEvent::SwitchboardAcceptControlFailure(event) = parse_one(accept_control_failure())
    else {
        panic!("wrong variant");
    };

    let payload = event.payload.unwrap();
    let error = payload.error.unwrap();
    assert_eq!(error["code"], "switchboard_invalid_action");
    assert_eq!(
        payload.conversation.unwrap().id.as_deref(),
        Some("64a1f1d0b7e4d90012ab3405")
    );
    // A reader has no use for telling `null` from absent: both are `None`.
    assert_eq!(payload.metadata, None);
}

#[test]
fn offer_control_event() {
    let WebhookEvent::SwitchboardOfferControl(event) = parse_one(offer_control()) else {
        panic!("wrong variant");
    };

    assert_eq!(event.id.as_deref(), Some("64a1f3e9b7e4d90012ab3412"));
    let payload = event.payload.unwrap();
    let conversation = payload.conversation.unwrap();
    assert_eq!(conversation.id.as_deref(), Some("64a1f1d0b7e4d90012ab3405"));
    assert_eq!(
        conversation.metadata,
        Some(object(json!({ "plan": "premium" })))
    );
    assert_eq!(
        conversation.active_switchboard_integration,
        Some(webhook_integration(bot()))
    );
    let pending = conversation.pending_switchboard_integration.unwrap();
    assert_eq!(pending.name.as_deref(), Some("human"));
    assert_eq!(
        pending.integration_id.as_deref(),
        Some("64a1f0c2b7e4d90012ab3431")
    );
    assert_eq!(
        pending.integration_type.as_deref(),
        Some("zd:agentWorkspace")
    );
    assert_eq!(
        payload.metadata,
        Some(object(json!({ "topic": "billing" })))
    );
}

#[test]
fn offer_control_failure_event_without_metadata() {
    let WebhookEvent::SwitchboardOfferControlFailure(event) = parse_one(offer_control_failure())
    else {
        panic!("wrong variant");
    };

    assert_eq!(
        event.created_at.as_deref(),
        Some("2024-03-11T09:14:58.731Z")
    );
    let payload = event.payload.unwrap();
    assert_eq!(payload.error.unwrap()["code"], "switchboard_invalid_target");
    assert_eq!(
        payload.conversation.unwrap().id.as_deref(),
        Some("64a1f1d0b7e4d90012ab3405")
    );
    assert_eq!(payload.metadata, None);
}

#[test]
fn pass_control_event() {
    let WebhookEvent::SwitchboardPassControl(event) = parse_one(pass_control()) else {
        panic!("wrong variant");
    };

    assert_eq!(event.id.as_deref(), Some("64a1f3e9b7e4d90012ab3414"));
    let payload = event.payload.unwrap();
    let conversation = payload.conversation.unwrap();
    assert_eq!(conversation.id.as_deref(), Some("64a1f1d0b7e4d90012ab3405"));
    assert_eq!(conversation.r#type, Some(ConversationType::SdkGroup));
    assert_eq!(
        payload.metadata,
        Some(object(
            json!({ "reason": "customer asked for a human", "priority": 2 })
        ))
    );
    assert_eq!(
        payload.reason,
        Some(SwitchboardPassControlPayloadReason::TransferToEmail)
    );
}

#[test]
fn pass_control_failure_event() {
    let WebhookEvent::SwitchboardPassControlFailure(event) = parse_one(pass_control_failure())
    else {
        panic!("wrong variant");
    };

    assert_eq!(event.id.as_deref(), Some("64a1f3e9b7e4d90012ab3415"));
    let payload = event.payload.unwrap();
    let error = payload.error.unwrap();
    assert_eq!(error["code"], "switchboard_invalid_target");
    assert_eq!(
        error["message"],
        "No switchboard integration matches the requested target."
    );
    let conversation = payload.conversation.unwrap();
    assert_eq!(
        conversation
            .active_switchboard_integration
            .and_then(|i| i.name)
            .as_deref(),
        Some("human")
    );
}

#[test]
fn release_control_event() {
    let WebhookEvent::SwitchboardReleaseControl(event) = parse_one(release_control()) else {
        panic!("wrong variant");
    };

    assert_eq!(event.id.as_deref(), Some("64a1f3e9b7e4d90012ab3416"));
    let payload = event.payload.unwrap();
    let conversation = payload.conversation.unwrap();
    assert_eq!(conversation.id.as_deref(), Some("64a1f1d0b7e4d90012ab3405"));
    assert_eq!(conversation.active_switchboard_integration, None);
    assert_eq!(payload.metadata, Some(object(json!({ "resolved": true }))));
    assert_eq!(
        payload.reason,
        Some(SwitchboardReleaseControlPayloadReason::TicketClosed)
    );
}

#[test]
fn one_delivery_carries_several_events_in_order() {
    let payload = parse(&delivery(Value::Array(all_switchboard_events())));

    assert_eq!(payload.undecodable_events().count(), 0);
    let variants: Vec<&str> = payload
        .decoded_events()
        .map(|event| match event {
            WebhookEvent::SwitchboardAcceptControl(_) => "acceptControl",
            WebhookEvent::SwitchboardAcceptControlFailure(_) => "acceptControl:failure",
            WebhookEvent::SwitchboardOfferControl(_) => "offerControl",
            WebhookEvent::SwitchboardOfferControlFailure(_) => "offerControl:failure",
            WebhookEvent::SwitchboardPassControl(_) => "passControl",
            WebhookEvent::SwitchboardPassControlFailure(_) => "passControl:failure",
            WebhookEvent::SwitchboardReleaseControl(_) => "releaseControl",
            WebhookEvent::ConversationMessage(_) => "message",
            WebhookEvent::Unknown(_) => "unknown",
            // The enum is `#[non_exhaustive]`: later versions may add events.
            _ => "other",
        })
        .collect();
    assert_eq!(
        variants,
        [
            "acceptControl",
            "acceptControl:failure",
            "offerControl",
            "offerControl:failure",
            "passControl",
            "passControl:failure",
            "releaseControl",
        ]
    );
}

#[test]
fn minimal_events_with_only_a_type_are_accepted() {
    let payload = parse(&json!({
        "events": [
            { "type": "switchboard:passControl" },
            { "type": "switchboard:releaseControl", "payload": {} }
        ]
    }));

    assert_eq!(payload.app, None);
    assert_eq!(payload.webhook, None);
    let events: Vec<&WebhookEvent> = payload.decoded_events().collect();
    assert_eq!(events.len(), 2);
    assert!(
        matches!(events[0], WebhookEvent::SwitchboardPassControl(event) if event.payload.is_none()),
        "{:?}",
        events[0]
    );
    assert!(
        matches!(events[1], WebhookEvent::SwitchboardReleaseControl(event)
            if event.payload == Some(SwitchboardReleaseControlPayload::default())),
        "{:?}",
        events[1]
    );
}

// ---------------------------------------------------------------------------
// Forward compatibility
// ---------------------------------------------------------------------------

#[test]
fn unknown_event_types_land_in_unknown_without_failing() {
    let unknown = [
        json!({ "id": "e1", "type": "conversation:referral", "payload": { "referral": { "code": "spring" } } }),
        json!({ "id": "e2", "type": "future:event", "payload": [1, 2, 3] }),
        json!({ "id": "e3", "type": "switchboard:somethingNew" }),
        json!({ "id": "e4", "type": "SWITCHBOARD:PASSCONTROL" }),
        json!({ "id": "e5" }),
        json!({ "id": "e6", "type": 42 }),
        json!({ "id": "e7", "type": null }),
    ];
    let mut events = unknown.to_vec();
    events.insert(3, release_control());
    let payload = parse(&delivery(Value::Array(events)));

    assert_eq!(payload.undecodable_events().count(), 0);
    let events: Vec<&WebhookEvent> = payload.decoded_events().collect();
    assert_eq!(events.len(), unknown.len() + 1);
    assert!(
        matches!(events[3], WebhookEvent::SwitchboardReleaseControl(_)),
        "{:?}",
        events[3]
    );
    let kept: Vec<&WebhookEvent> = events
        .into_iter()
        .enumerate()
        .filter(|(index, _)| *index != 3)
        .map(|(_, event)| event)
        .collect();
    for (event, original) in kept.into_iter().zip(&unknown) {
        // Kept verbatim, so nothing the platform sent is lost.
        assert_eq!(event, &WebhookEvent::Unknown(original.clone()));
    }
}

#[test]
fn an_unknown_reason_lands_in_the_enum_unknown_variant() {
    let mut pass = pass_control();
    pass["payload"]["reason"] = json!("agentTimeout");
    let mut release = release_control();
    release["payload"]["reason"] = json!("ticketMerged");

    let WebhookEvent::SwitchboardPassControl(pass_event) = parse_one(pass.clone()) else {
        panic!("wrong variant");
    };
    let WebhookEvent::SwitchboardReleaseControl(release_event) = parse_one(release.clone()) else {
        panic!("wrong variant");
    };

    let pass_reason = pass_event.payload.as_ref().unwrap().reason.clone().unwrap();
    assert_eq!(
        pass_reason,
        SwitchboardPassControlPayloadReason::Unknown("agentTimeout".to_owned())
    );
    assert_eq!(pass_reason.as_str(), "agentTimeout");
    assert_eq!(pass_reason.to_string(), "agentTimeout");
    let release_reason = release_event
        .payload
        .as_ref()
        .unwrap()
        .reason
        .clone()
        .unwrap();
    assert_eq!(
        release_reason,
        SwitchboardReleaseControlPayloadReason::Unknown("ticketMerged".to_owned())
    );

    // Written back as received.
    let written = serde_json::to_value(WebhookEvent::SwitchboardPassControl(pass_event)).unwrap();
    assert_eq!(written, pass);
    let written =
        serde_json::to_value(WebhookEvent::SwitchboardReleaseControl(release_event)).unwrap();
    assert_eq!(written, release);
}

#[test]
fn known_enum_values_are_case_sensitive_and_round_trip() {
    for (wire, expected) in [
        (
            "ticketClosed",
            SwitchboardPassControlPayloadReason::TicketClosed,
        ),
        (
            "transferToEmail",
            SwitchboardPassControlPayloadReason::TransferToEmail,
        ),
        (
            "TicketClosed",
            SwitchboardPassControlPayloadReason::Unknown("TicketClosed".to_owned()),
        ),
        (
            "",
            SwitchboardPassControlPayloadReason::Unknown(String::new()),
        ),
    ] {
        let parsed: SwitchboardPassControlPayloadReason =
            serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(parsed, expected, "{wire:?}");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(wire));
    }
    assert!(serde_json::from_value::<SwitchboardPassControlPayloadReason>(json!(1)).is_err());
}

#[test]
fn an_unknown_conversation_type_lands_in_the_enum_unknown_variant() {
    let mut event = offer_control();
    event["payload"]["conversation"]["type"] = json!("businessGroup");

    let WebhookEvent::SwitchboardOfferControl(parsed) = parse_one(event.clone()) else {
        panic!("wrong variant");
    };

    let conversation = parsed
        .payload
        .as_ref()
        .unwrap()
        .conversation
        .clone()
        .unwrap();
    assert_eq!(
        conversation.r#type,
        Some(ConversationType::Unknown("businessGroup".to_owned()))
    );
    assert_eq!(
        serde_json::to_value(WebhookEvent::SwitchboardOfferControl(parsed)).unwrap(),
        event
    );
}

#[test]
fn a_known_event_type_with_a_malformed_body_is_kept_with_its_error() {
    for (event, error) in [
        (
            json!({ "type": "switchboard:passControl", "payload": "not an object" }),
            "invalid type: string \"not an object\"",
        ),
        (
            json!({ "type": "switchboard:passControl", "payload": { "reason": 7 } }),
            "invalid type: integer `7`, expected a string",
        ),
        (
            json!({ "type": "switchboard:offerControl", "id": 12 }),
            "invalid type: integer `12`, expected a string",
        ),
    ] {
        let failed = parse_one_undecodable(event.clone());
        assert_eq!(failed.raw, event);
        assert!(failed.error.contains(error), "{}: {event}", failed.error);

        // Decoded strictly, all or nothing, the same delivery is refused.
        let bytes = serde_json::to_vec(&delivery(json!([event]))).unwrap();
        assert!(serde_json::from_slice::<WebhookEventPayload>(&bytes).is_err());
    }
}

#[test]
fn a_body_that_is_not_a_delivery_is_an_error() {
    for body in [
        &b""[..],
        b"not json",
        b"\"a string\"",
        b"42",
        b"{\"events\": {}}",
    ] {
        let result = parse_webhook_event(body);
        assert!(
            result.is_err(),
            "{:?} parsed as {result:?}",
            String::from_utf8_lossy(body)
        );
    }
    assert_eq!(
        parse_webhook_event(b"{}").unwrap(),
        WebhookEventDelivery::default()
    );
    assert_eq!(
        parse_webhook_event(b"{\"events\": null}").unwrap(),
        WebhookEventDelivery::default()
    );
}

// ---------------------------------------------------------------------------
// Writing events back
// ---------------------------------------------------------------------------

#[test]
fn every_delivery_round_trips_exactly() {
    for event in all_switchboard_events() {
        let payload = delivery(json!([event]));
        let written = serde_json::to_value(parse(&payload)).unwrap();
        assert_eq!(written, without_null_metadata(payload));
    }
    let mixed = delivery(json!([
        pass_control(),
        { "type": "future:event", "payload": { "x": [1, null] } },
        release_control(),
    ]));
    assert_eq!(serde_json::to_value(parse(&mixed)).unwrap(), mixed);
}

/// The one documented difference: event types are only read, so an optional
/// property sent as `null` reads as `None` and is left out when written back.
fn without_null_metadata(mut delivery: Value) -> Value {
    for event in delivery["events"].as_array_mut().into_iter().flatten() {
        if let Some(payload) = event["payload"].as_object_mut() {
            if payload.get("metadata") == Some(&Value::Null) {
                payload.remove("metadata");
            }
        }
    }
    delivery
}

#[test]
fn reserializing_an_event_writes_its_type_back() {
    for event in all_switchboard_events() {
        let expected_type = event["type"].clone();
        let parsed = parse_one(event);
        let written = serde_json::to_value(&parsed).unwrap();
        assert_eq!(written["type"], expected_type);
    }
}

#[test]
fn an_event_built_in_code_without_a_type_gets_its_variant_type() {
    let pass = WebhookEvent::SwitchboardPassControl(
        SwitchboardPassControlEvent::default().id("evt_1").payload(
            SwitchboardPassControlPayload::default()
                .reason(SwitchboardPassControlPayloadReason::TicketClosed),
        ),
    );
    let release =
        WebhookEvent::SwitchboardReleaseControl(SwitchboardReleaseControlEvent::default());

    let written = serde_json::to_value(&pass).unwrap();
    assert_eq!(
        written,
        json!({ "id": "evt_1", "type": "switchboard:passControl", "payload": { "reason": "ticketClosed" } })
    );
    assert_eq!(
        serde_json::to_value(&release).unwrap(),
        json!({ "type": "switchboard:releaseControl" })
    );

    // And reads back as the same variant.
    let read: WebhookEvent = serde_json::from_value(written).unwrap();
    let WebhookEvent::SwitchboardPassControl(read) = read else {
        panic!("wrong variant: {read:?}");
    };
    assert_eq!(read.id.as_deref(), Some("evt_1"));
}

#[test]
fn an_event_type_is_written_by_the_struct_itself_and_never_required_when_reading() {
    // Standalone, outside `WebhookEvent`, the struct still writes its tag.
    let event = SwitchboardPassControlEvent::default().id("evt_2");
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({ "type": "switchboard:passControl", "id": "evt_2" })
    );
    // Reading the struct directly neither needs the tag nor trips on another one.
    let without: SwitchboardPassControlEvent =
        serde_json::from_value(json!({ "id": "evt_2" })).unwrap();
    assert_eq!(without, event);
    let other: SwitchboardPassControlEvent =
        serde_json::from_value(json!({ "type": "switchboard:releaseControl", "id": "evt_2" }))
            .unwrap();
    assert_eq!(other, event);
}

// ---------------------------------------------------------------------------
// conversation:message, and a delivery that loses nothing
// ---------------------------------------------------------------------------

/// A text message from a user, shaped like the platform's own example of
/// the `conversation:message` event (including properties `spec/` does not
/// declare, such as the source's `originalMessageId` on a Telegram message).
fn user_text_message(text: &str) -> Value {
    json!({
        "id": "5f74a0d52b5315fc007e798a",
        "createdAt": "2020-09-30T15:14:29.834Z",
        "type": "conversation:message",
        "payload": {
            "conversation": {
                "id": "f52b01137aa6c250bc7251fa",
                "type": "personal",
                "activeSwitchboardIntegration": {
                    "id": "5eecde2dcdbffb08f5c3ed37",
                    "name": "bot",
                    "integrationId": "5f11a650e4e987667c2051d1",
                    "integrationType": "custom"
                }
            },
            "message": {
                "id": "5f74c7d84a146f3abd72af1d",
                "received": "2020-09-30T18:00:56.820Z",
                "author": {
                    "userId": "26508c10541a4b0ff472e5e2",
                    "avatarUrl": "https://s3.amazonaws.com/avatar.jpg",
                    "displayName": "Steve Rogers",
                    "type": "user",
                    "user": {
                        "id": "26508c10541a4b0ff472e5e2",
                        "externalId": "912382197",
                        "authenticated": true
                    }
                },
                "content": { "type": "text", "text": text },
                "source": {
                    "integrationId": "5ec69c6e12dda33be985cb1a",
                    "originalMessageId": "374",
                    "originalMessageTimestamp": "2020-09-30T18:00:56.000Z",
                    "type": "telegram"
                }
            }
        }
    })
}

/// The platform's own example of the `conversation:referral` event, whose
/// `externalId` is a number although the published schema says string.
fn upstream_referral() -> Value {
    json!({
        "id": "5f74a0d52b5315fc007e798a",
        "type": "conversation:referral",
        "payload": {
            "conversation": {
                "id": "f52b01137aa6c250bc7251fa",
                "type": "personal",
                "activeSwitchboardIntegration": {
                    "id": "5eecde2dcdbffb08f5c3ed37",
                    "name": "bot",
                    "integrationId": "5f11a650e4e987667c2051d1",
                    "integrationType": "custom"
                }
            },
            "user": {
                "id": "26508c10541a4b0ff472e5e2",
                "externalId": 912382197,
                "authenticated": true
            },
            "source": { "type": "web", "integrationId": "5ecff63ffc3ab25f4561c8a0" },
            "referral": {}
        }
    })
}

#[test]
fn a_user_text_message_arrives_typed() {
    let WebhookEvent::ConversationMessage(event) = parse_one(user_text_message("hello")) else {
        panic!("wrong variant");
    };

    assert_eq!(event.id.as_deref(), Some("5f74a0d52b5315fc007e798a"));
    let payload = event.payload.unwrap();
    let conversation = payload.conversation.unwrap();
    assert_eq!(conversation.id.as_deref(), Some("f52b01137aa6c250bc7251fa"));
    assert_eq!(
        conversation
            .active_switchboard_integration
            .and_then(|integration| integration.name)
            .as_deref(),
        Some("bot")
    );
    let message = payload.message.unwrap();
    assert_eq!(message.id.as_deref(), Some("5f74c7d84a146f3abd72af1d"));
    assert_eq!(
        message.received.as_deref(),
        Some("2020-09-30T18:00:56.820Z")
    );
    let author = message.author.unwrap();
    assert_eq!(author.r#type, AuthorWebhookType::User);
    assert_eq!(author.user_id.as_deref(), Some("26508c10541a4b0ff472e5e2"));
    assert_eq!(author.display_name.as_deref(), Some("Steve Rogers"));
    let user = author.user.unwrap();
    assert_eq!(user.external_id.as_deref(), Some("912382197"));
    assert_eq!(user.authenticated, Some(true));
    let Some(Content::TextMessage(content)) = message.content else {
        panic!("not a text message: {:?}", message.content);
    };
    assert_eq!(content.text.as_deref(), Some("hello"));
    let source = message.source.unwrap();
    assert_eq!(source.r#type, "telegram");
    assert_eq!(source.original_message_id.as_deref(), Some("374"));
    assert_eq!(payload.recent_notifications, None);
}

#[test]
fn a_message_of_a_kind_the_crate_does_not_know_keeps_its_content() {
    let mut event = user_text_message("");
    let image = json!({ "type": "image", "mediaUrl": "https://example.com/a.png", "mediaType": "image/png" });
    event["payload"]["message"]["content"] = image.clone();

    let WebhookEvent::ConversationMessage(event) = parse_one(event) else {
        panic!("wrong variant");
    };

    let content = event.payload.unwrap().message.unwrap().content;
    assert_eq!(content, Some(Content::Unknown(image)));
}

#[test]
fn the_upstream_referral_is_unknown_here_and_costs_the_message_nothing() {
    // `spec/` does not describe `conversation:referral`, so the event is kept
    // whole in `Unknown`, numeric `externalId` and all.
    let sent = delivery(json!([
        upstream_referral(),
        user_text_message("I want an agent")
    ]));

    let parsed = parse(&sent);

    assert_eq!(parsed.undecodable_events().count(), 0);
    let events: Vec<&WebhookEvent> = parsed.decoded_events().collect();
    assert_eq!(events[0], &WebhookEvent::Unknown(upstream_referral()));
    let WebhookEvent::ConversationMessage(message) = events[1] else {
        panic!("wrong variant: {:?}", events[1]);
    };
    let content = message
        .payload
        .as_ref()
        .unwrap()
        .message
        .as_ref()
        .unwrap()
        .content
        .as_ref();
    assert!(
        matches!(content, Some(Content::TextMessage(text)) if text.text.as_deref() == Some("I want an agent")),
        "{content:?}"
    );
}

#[test]
fn an_event_that_does_not_decode_is_kept_and_the_others_arrive_typed() {
    // The referral's defect, on an event type this crate knows: a numeric
    // `externalId` where the document promises a string.
    let mut broken = user_text_message("first");
    broken["id"] = json!("evt-broken");
    broken["payload"]["message"]["author"]["user"]["externalId"] = json!(912382197);
    let sent = delivery(json!([
        pass_control(),
        broken.clone(),
        user_text_message("second"),
        { "type": "future:event" },
    ]));

    let parsed = parse(&sent);

    assert_eq!(parsed.events.len(), 4);
    assert!(
        matches!(
            &parsed.events[0],
            DeliveredEvent::Decoded(WebhookEvent::SwitchboardPassControl(_))
        ),
        "{:?}",
        parsed.events[0]
    );
    let DeliveredEvent::Undecodable(failed) = &parsed.events[1] else {
        panic!("decoded: {:?}", parsed.events[1]);
    };
    assert_eq!(failed.raw, broken);
    assert_eq!(
        failed.error,
        "invalid type: integer `912382197`, expected a string"
    );
    assert_eq!(failed.id(), Some("evt-broken"));
    assert_eq!(failed.event_type(), Some("conversation:message"));
    assert_eq!(
        failed.to_string(),
        "webhook event evt-broken of type conversation:message did not decode: invalid type: integer `912382197`, expected a string"
    );
    assert!(
        matches!(
            &parsed.events[2],
            DeliveredEvent::Decoded(WebhookEvent::ConversationMessage(_))
        ),
        "{:?}",
        parsed.events[2]
    );
    assert_eq!(
        parsed.events[3],
        DeliveredEvent::Decoded(WebhookEvent::Unknown(json!({ "type": "future:event" })))
    );
    assert_eq!(parsed.decoded_events().count(), 3);
    let undecodable: Vec<&UndecodableEvent> = parsed.undecodable_events().collect();
    assert_eq!(undecodable, [failed]);
    assert_eq!(parsed.events[1].clone().into_result(), Err(failed.clone()));

    // Written back, the delivery is what was sent: the failed event included.
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
}

#[test]
fn undeclared_properties_are_never_an_error() {
    let mut event = user_text_message("hello");
    event["deliveryAttempt"] = json!(3);
    event["payload"]["origin"] = json!({ "kind": "replay" });
    event["payload"]["message"]["quotedMessage"] = json!({ "type": "message", "content": {} });
    event["payload"]["message"]["author"]["locale"] = json!("en-CA");
    event["payload"]["message"]["author"]["user"]["profile"] = json!({ "givenName": "Steve" });
    event["payload"]["message"]["content"]["blockChatInput"] = json!(true);
    event["payload"]["message"]["source"]["client"] = json!(null);
    event["payload"]["conversation"]["brandId"] = json!("9477922990333");
    let mut pass = pass_control();
    pass["payload"]["conversation"]["activeSwitchboardIntegration"]["deliverStandbyEvents"] =
        json!(false);
    let mut sent = delivery(json!([event, pass]));
    sent["app"]["region"] = json!("us");
    sent["deliveredAt"] = json!("2020-09-30T18:00:57.000Z");

    let parsed = parse(&sent);

    assert_eq!(parsed.undecodable_events().count(), 0);
    let events: Vec<&WebhookEvent> = parsed.decoded_events().collect();
    assert!(
        matches!(events[0], WebhookEvent::ConversationMessage(_)),
        "{:?}",
        events[0]
    );
    assert!(
        matches!(events[1], WebhookEvent::SwitchboardPassControl(_)),
        "{:?}",
        events[1]
    );
    // And the typed payload, decoded strictly, accepts them as well.
    let bytes = serde_json::to_vec(&sent).unwrap();
    let strict: WebhookEventPayload = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(strict.events.map(|events| events.len()), Some(2));
}

#[test]
fn a_delivery_decodes_as_axum_json_would_decode_it() {
    // `Json<WebhookEventDelivery>` (axum, actix) goes through `Deserialize`;
    // it must agree with the parse function.
    let sent = delivery(json!([upstream_referral(), user_text_message("hi")]));
    let bytes = serde_json::to_vec(&sent).unwrap();

    let through_serde: WebhookEventDelivery = serde_json::from_slice(&bytes).unwrap();

    assert_eq!(through_serde, parse_webhook_event(&bytes).unwrap());
}

// ---------------------------------------------------------------------------
// The X-API-Key check
// ---------------------------------------------------------------------------

const SECRET: &str = "ab12Cd34eF56gh78IJ90kl12MN34op56";

#[test]
fn the_right_key_is_accepted_from_any_kind_of_header_value() {
    let secret = WebhookSecret::new(SECRET);
    let mut headers = HeaderMap::new();
    headers.insert("X-API-Key", HeaderValue::from_static(SECRET));

    assert_eq!(verify_api_key(headers.get(API_KEY_HEADER), &secret), Ok(()));
    assert_eq!(verify_api_key(headers.get("x-api-key"), &secret), Ok(()));
    assert_eq!(verify_api_key(Some(SECRET), &secret), Ok(()));
    assert_eq!(verify_api_key(Some(SECRET.as_bytes()), &secret), Ok(()));
    assert_eq!(verify_api_key(Some(SECRET.to_owned()), &secret), Ok(()));
    assert_eq!(secret.verify(Some(SECRET)), Ok(()));
    assert_eq!(WebhookSecret::from(SECRET).verify(Some(SECRET)), Ok(()));
    assert_eq!(
        WebhookSecret::from(SECRET.to_owned()).verify(Some(SECRET)),
        Ok(())
    );
}

#[test]
fn a_missing_header_is_told_apart_from_a_wrong_one() {
    let secret = WebhookSecret::new(SECRET);

    assert_eq!(
        verify_api_key(HeaderMap::new().get(API_KEY_HEADER), &secret),
        Err(VerifyError::Missing)
    );
    assert_eq!(
        verify_api_key(None::<&str>, &secret),
        Err(VerifyError::Missing)
    );
}

#[test]
fn every_other_value_is_refused() {
    let secret = WebhookSecret::new(SECRET);
    let last_byte_changed = format!("{}7", &SECRET[..SECRET.len() - 1]);
    let first_byte_changed = format!("b{}", &SECRET[1..]);
    let upper = SECRET.to_uppercase();
    let doubled = SECRET.repeat(2);
    let with_space = format!(" {SECRET}");
    let longer = format!("{SECRET}x");
    for wrong in [
        "",
        "a",
        &SECRET[..SECRET.len() - 1],
        &last_byte_changed,
        &first_byte_changed,
        &upper,
        &doubled,
        &with_space,
        &longer,
    ] {
        assert_eq!(
            verify_api_key(Some(wrong), &secret),
            Err(VerifyError::Mismatch),
            "{wrong:?}"
        );
    }
    // Bytes that are not text at all.
    assert_eq!(
        verify_api_key(Some(&[0xff, 0xfe, 0x00][..]), &secret),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn an_empty_secret_accepts_nothing() {
    let secret = WebhookSecret::new("");

    assert_eq!(
        verify_api_key(Some(""), &secret),
        Err(VerifyError::Mismatch)
    );
    assert_eq!(
        verify_api_key(Some("x"), &secret),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn neither_the_secret_nor_the_received_value_is_ever_shown() {
    let secret = WebhookSecret::new(SECRET);
    let guess = "guess-0123456789";

    let debug = format!("{secret:?} {:#?}", secret.clone());
    let errors = [
        secret.verify(Some(guess)).unwrap_err(),
        secret.verify(None::<&str>).unwrap_err(),
    ];
    let messages: Vec<String> = errors
        .iter()
        .map(|error| format!("{error} {error:?}"))
        .collect();

    assert_eq!(debug, "WebhookSecret(<redacted>) WebhookSecret(<redacted>)");
    for text in messages.iter().chain([&debug]) {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(&SECRET[..8]), "{text}");
        assert!(!text.contains(guess), "{text}");
    }
    assert_eq!(
        messages[0],
        "the webhook request's X-API-Key header is not the webhook secret Mismatch"
    );
    assert_eq!(
        messages[1],
        "the webhook request has no X-API-Key header Missing"
    );
}
