//! The flows, written as a user would, against the crate of the full
//! published document, with one level of options, no discriminators to write
//! and no flattening of fields.

use sunshine_conversations::apis::attachments::UploadAttachmentParams;
use sunshine_conversations::types::{Author, Content, MessagePost, Profile, Reply, TextMessage, User};
use sunshine_conversations::Nullable;
use serde_json::{json, Value};

fn assert_no_empty_string(value: &Value) {
    match value {
        Value::String(text) => assert!(!text.is_empty(), "an empty string was sent"),
        Value::Array(items) => items.iter().for_each(assert_no_empty_string),
        Value::Object(map) => map.values().for_each(assert_no_empty_string),
        _ => {}
    }
}

#[test]
fn a_text_message_with_two_quick_replies_is_short_to_build() {
    let content = TextMessage::default()
        .text("Talk to a human?")
        .actions(vec![Reply::new("Yes", "yes").into(), Reply::new("No", "no").into()]);
    let message = MessagePost::new(Author::new("business"), content);
    let sent = serde_json::to_value(&message).unwrap();
    assert_eq!(
        sent,
        json!({
            "author": { "type": "business" },
            "content": {
                "type": "text",
                "text": "Talk to a human?",
                "actions": [
                    { "type": "reply", "text": "Yes", "payload": "yes" },
                    { "type": "reply", "text": "No", "payload": "no" }
                ]
            }
        })
    );
    assert_no_empty_string(&sent);
    // And it reads back, the tags selecting the variants.
    let read: MessagePost = serde_json::from_value(sent).unwrap();
    assert!(matches!(read.content, Content::TextMessage(_)));
    assert_eq!(read, message);
}

#[test]
fn upload_params_default_to_public_access() {
    assert_eq!(UploadAttachmentParams::default().access, "public");
}

#[test]
fn a_profile_update_clears_with_null_and_leaves_the_rest() {
    let profile = Profile::default().given_name("Ada").surname(Nullable::Null);
    assert_eq!(
        serde_json::to_value(profile).unwrap(),
        json!({ "givenName": "Ada", "surname": null })
    );
}

#[test]
fn a_user_reads_with_one_level_of_option() {
    let user: User =
        serde_json::from_value(json!({ "id": "u1", "externalId": null, "zendeskId": "z9" }))
            .unwrap();
    assert_eq!(user.external_id, None);
    assert_eq!(user.zendesk_id.as_deref(), Some("z9"));
}

/// `uploadAttachment`'s `access` query parameter is required and defaults to
/// `public`: a call without `.params(..)` sends it at that default. Prism,
/// mocking the published document (started by `generated_crates.rs`), checks
/// the request on its own; that test reads Prism's log for violations too.
#[tokio::test]
async fn an_upload_without_params_meets_the_published_document() {
    let Ok(base_url) = std::env::var("UPSTREAM_PRISM_URL") else {
        eprintln!(
            "skipped: no Prism mock of the published document (generated_crates.rs starts one when Node.js is installed)"
        );
        return;
    };
    let client = sunshine_conversations::Client::builder()
        .base_url(&base_url)
        .basic_auth("app_key_id", "app_key_secret")
        .retry(sunshine_conversations::RetryPolicy::never())
        .build()
        .expect("client");
    let upload = sunshine_conversations::Upload::new(b"a transcript".to_vec(), "transcript.txt")
        .with_content_type("text/plain");
    let body = sunshine_conversations::types::AttachmentUploadBody::new(upload);
    let uploaded = client
        .attachments()
        .upload_attachment("5d8cff3cd55b040010928b5b", &body)
        .await;
    assert!(uploaded.is_ok(), "Prism refused the upload: {uploaded:?}");
}
