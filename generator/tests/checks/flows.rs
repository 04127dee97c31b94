//! The flows a bot written against the whole API goes through, as a user
//! writes them, run against a local server: the handoff, a text message
//! with two quick replies, streaming a conversation's messages, creating and
//! reading a user, uploading a file, and telling a 404 apart.
//!
//! Written against the crate generated from the published 17.12.1 document,
//! under the name users give it (`sunshine_conversations`).

use serde_json::{json, Map, Value};
use sunshine_conversations::apis::attachments::UploadAttachmentParams;
use sunshine_conversations::apis::users::GetUserError;
use sunshine_conversations::types::{
    AttachmentUploadBody, Author, MessagePost, PassControlBody, Reply, TextMessage, UserCreateBody,
};
use sunshine_conversations::{Client, Error, RetryPolicy, Upload};
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP: &str = "app_1";
const CONVERSATION: &str = "conv_1";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("app_key_1", "secret")
        .retry(RetryPolicy::never())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn the_bot_hands_the_conversation_to_an_agent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/apps/{APP}/conversations/{CONVERSATION}/passControl")))
        .and(body_json(json!({
            "switchboardIntegration": "next",
            "metadata": { "reason": "asked for a human" }
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    let mut metadata = Map::new();
    metadata.insert("reason".to_owned(), Value::from("asked for a human"));
    let mut handoff = PassControlBody::new("next");
    handoff.metadata = metadata.into();
    client(&server)
        .switchboard_actions()
        .pass_control(APP, CONVERSATION, &handoff)
        .await
        .expect("control passed");
}

#[tokio::test]
async fn the_bot_offers_two_quick_replies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/apps/{APP}/conversations/{CONVERSATION}/messages")))
        .and(body_json(json!({
            "author": { "type": "business" },
            "content": {
                "type": "text",
                "text": "Talk to a human?",
                "actions": [
                    { "type": "reply", "text": "Yes", "payload": "yes" },
                    { "type": "reply", "text": "No", "payload": "no" }
                ]
            }
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "messages": [{ "id": "m1" }] })))
        .expect(1)
        .mount(&server)
        .await;

    let question = TextMessage::default()
        .text("Talk to a human?")
        .actions(vec![Reply::new("Yes", "yes").into(), Reply::new("No", "no").into()]);
    let sent = client(&server)
        .messages()
        .post_message(APP, CONVERSATION, &MessagePost::new(Author::new("business"), question))
        .await
        .expect("posted");
    let messages = sent.messages.unwrap_or_default();
    let ids: Vec<&str> = messages.iter().filter_map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, ["m1"]);
}

fn page(ids: &[&str], before: Option<&str>) -> Value {
    json!({
        "messages": ids.iter().map(|id| json!({ "id": id, "content": { "type": "text", "text": id } })).collect::<Vec<_>>(),
        "meta": { "hasMore": before.is_some(), "beforeCursor": before },
    })
}

#[tokio::test]
async fn the_bot_reads_the_whole_conversation_back_in_time() {
    let server = MockServer::start().await;
    let messages = format!("/v2/apps/{APP}/conversations/{CONVERSATION}/messages");
    Mock::given(method("GET"))
        .and(path(messages.clone()))
        .and(query_param_is_missing("page[before]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m3", "m4"], Some("m3"))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(messages))
        .and(query_param("page[before]", "m3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m1", "m2"], None)))
        .mount(&server)
        .await;

    let history: Vec<_> = client(&server)
        .messages()
        .list_messages(APP, CONVERSATION)
        .paginate()
        .items()
        .try_collect()
        .await
        .expect("every page");

    let ids: Vec<&str> = history.iter().filter_map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, ["m3", "m4", "m1", "m2"]);
}

#[tokio::test]
async fn a_server_that_repeats_a_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m1"], Some("same"))))
        .mount(&server)
        .await;

    let mut stream = client(&server).messages().list_messages(APP, CONVERSATION).paginate().pages();
    let mut pages = Vec::new();
    while let Some(page) = stream.next().await {
        pages.push(page);
    }

    // The first page, its repeat, then the error: never an endless loop.
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[..2].iter().all(Result::is_ok));
    assert!(matches!(&pages[2], Err(Error::RepeatedCursor { cursor, .. }) if cursor == "same"));
}

#[tokio::test]
async fn the_bot_creates_a_user_and_reads_it_back() {
    let server = MockServer::start().await;
    let user = json!({ "user": {
        "id": "u1",
        "externalId": "customer-42",
        "profile": { "givenName": "Ada", "surname": null }
    }});
    Mock::given(method("POST"))
        .and(path(format!("/v2/apps/{APP}/users")))
        .and(body_json(json!({ "externalId": "customer-42" })))
        .respond_with(ResponseTemplate::new(201).set_body_json(user.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/apps/{APP}/users/customer-42")))
        .respond_with(ResponseTemplate::new(200).set_body_json(user))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let created = client
        .users()
        .create_user(APP, &UserCreateBody::default().external_id("customer-42"))
        .await
        .expect("created");
    let read = client.users().get_user(APP, "customer-42").await.expect("read");

    assert_eq!(created, read);
    let user = read.user.expect("a user");
    assert_eq!(user.external_id.as_deref(), Some("customer-42"));
    let profile = user.profile.expect("a profile");
    assert_eq!(profile.given_name.as_deref(), Some("Ada"));
    assert_eq!(profile.surname.as_deref(), None);
}

#[tokio::test]
async fn the_bot_uploads_a_file_from_disk() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/apps/{APP}/attachments")))
        .and(query_param("access", "public"))
        .and(query_param("conversationId", CONVERSATION))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "attachment": { "mediaUrl": "https://media.example/a.txt", "mediaType": "text/plain" }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("flows-upload-{}.txt", std::process::id()));
    std::fs::write(&file, b"transcript of the conversation").expect("a file to upload");

    let upload = Upload::from_path(&file).await.expect("readable");
    let uploaded = client(&server)
        .attachments()
        .upload_attachment(APP, &AttachmentUploadBody::new(upload))
        .params(&UploadAttachmentParams::default().conversation_id(CONVERSATION))
        .await
        .expect("uploaded");
    let _ = std::fs::remove_file(&file);

    let media = uploaded.attachment.and_then(|a| a.media_url);
    assert_eq!(media.as_deref(), Some("https://media.example/a.txt"));
    let requests = server.received_requests().await.expect("recorded");
    let body = String::from_utf8_lossy(&requests[0].body);
    assert!(body.contains("transcript of the conversation"), "{body}");
    assert!(body.contains("filename=\"flows-upload-"), "{body}");
    // The media type of the file's extension.
    assert!(body.to_ascii_lowercase().contains("content-type: text/plain"), "{body}");
}

#[tokio::test]
async fn a_missing_user_is_a_typed_404() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "errors": [{ "code": "user_not_found", "title": "User not found" }]
        })))
        .mount(&server)
        .await;

    let error = client(&server).users().get_user(APP, "nobody").await.expect_err("a 404");
    assert!(error.is_status(404));
    match error.into_api_error() {
        Some(GetUserError::NotFound(body)) => {
            let errors = body.errors.unwrap_or_default();
            let codes: Vec<&str> = errors.iter().filter_map(|e| e.code.as_deref()).collect();
            assert_eq!(codes, ["user_not_found"]);
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
}
