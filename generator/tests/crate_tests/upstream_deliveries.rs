//! Copied by `generator/tests/generated_crates.rs` into the crate generated
//! from the full upstream 17.12.1 document (`full_17_12_1`), beside
//! `upstream_deliveries.json`: every example delivery of that document.
//!
//! It proves, on the real API's own payloads, that a delivery loses nothing:
//! every event of every example arrives, typed when it matches the document,
//! and the one that does not (the referral whose `externalId` is a number
//! where the schema says string) is kept with its JSON and the error, while
//! the message delivered with it still arrives typed.

// The events are behind the crate's `webhook-events` feature.
#![cfg(feature = "webhook-events")]

use full_17_12_1::types::{Content, WebhookEvent};
use full_17_12_1::webhooks::{parse_webhook_event, DeliveredEvent};
use serde_json::{json, Map, Value};

/// The example deliveries of the document, by example name.
fn upstream_deliveries() -> Map<String, Value> {
    serde_json::from_str(include_str!("upstream_deliveries.json")).expect("written as JSON")
}

#[test]
fn the_referral_is_kept_undecodable_and_the_message_arrives_typed() {
    let examples = upstream_deliveries();
    let referral = examples["conversationReferralEvent"]["events"][0].clone();
    let message = examples["conversationMessageEvent"]["events"][0].clone();
    let sent = json!({
        "app": examples["conversationMessageEvent"]["app"],
        "webhook": examples["conversationMessageEvent"]["webhook"],
        "events": [referral, message],
    });

    let delivery = parse_webhook_event(&serde_json::to_vec(&sent).unwrap()).unwrap();

    assert_eq!(delivery.events.len(), 2);
    let DeliveredEvent::Undecodable(failed) = &delivery.events[0] else {
        panic!("the referral decoded: {:?}", delivery.events[0]);
    };
    assert_eq!(failed.raw, referral);
    assert_eq!(failed.event_type(), Some("conversation:referral"));
    assert_eq!(
        failed.error,
        "invalid type: integer `912382197`, expected a string"
    );
    let DeliveredEvent::Decoded(WebhookEvent::ConversationMessage(event)) =
        &delivery.events[1]
    else {
        panic!("the message did not arrive typed: {:?}", delivery.events[1]);
    };
    let content = event
        .payload
        .as_ref()
        .and_then(|payload| payload.message.as_ref())
        .and_then(|message| message.content.as_ref());
    let Some(Content::TextMessage(text)) = content else {
        panic!("not a text message: {content:?}");
    };
    assert_eq!(text.text.as_deref(), Some("hello"));
    assert_eq!(serde_json::to_value(&delivery).unwrap()["events"][0], referral);
}

#[test]
fn every_event_of_every_upstream_example_is_kept() {
    let examples = upstream_deliveries();
    let mut events = 0;
    let mut undecodable = Vec::new();
    for (name, sent) in &examples {
        let delivery = parse_webhook_event(&serde_json::to_vec(sent).unwrap())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let sent_events = sent["events"].as_array().expect("an example with events");
        assert_eq!(delivery.events.len(), sent_events.len(), "{name}");
        for (event, original) in delivery.events.iter().zip(sent_events) {
            events += 1;
            match event {
                DeliveredEvent::Decoded(WebhookEvent::Unknown(_)) => {
                    panic!("{name}: an event type of the document decoded as Unknown: {original}")
                }
                DeliveredEvent::Decoded(_) => {}
                DeliveredEvent::Undecodable(failed) => {
                    assert_eq!(&failed.raw, original, "{name}");
                    undecodable.push(format!("{name}: {}", failed.error));
                }
            }
        }
    }

    assert_eq!(
        undecodable,
        ["conversationReferralEvent: invalid type: integer `912382197`, expected a string"]
    );
    println!(
        "upstream deliveries: {} example deliveries, {events} events, all kept; undecodable: {undecodable:?}",
        examples.len()
    );
}
