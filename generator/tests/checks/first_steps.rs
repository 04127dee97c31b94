//! A new user's first bot, start to end, against a local server: page
//! through a conversation's messages, create a user with a profile, read it
//! back with the request id of the answer, upload a PNG from disk, and tell
//! a missing user and a throttled call apart.
//!
//! The user's code (`mod bot`) names no crate but `sunshine_conversations`
//! (and `std`); no `futures`, no `StatusCode`, no pinning. The server that
//! answers it is wiremock's, in the test below, as in a user's own tests.

mod bot {
    use std::path::Path;

    use sunshine_conversations::apis::users::GetUserError;
    use sunshine_conversations::types::{AttachmentUploadBody, Profile, UserCreateBody};
    use sunshine_conversations::{Client, Upload};

    pub const APP: &str = "app_1";

    /// What the bot found out, for the test to check.
    #[derive(Debug, Default)]
    pub struct Seen {
        pub streamed: Vec<String>,
        pub collected: usize,
        pub given_name: Option<String>,
        pub request_id: Option<String>,
        pub media_url: Option<String>,
        pub missing: Vec<&'static str>,
        pub throttled: Vec<&'static str>,
    }

    pub async fn run(client: &Client, png: &Path) -> Result<Seen, Box<dyn std::error::Error>> {
        let mut seen = Seen::default();
        let mut items = client.messages().list_messages(APP, "conv_1").paginate().items();
        while let Some(item) = items.next().await {
            seen.streamed.extend(item?.id);
        }
        let all = client.messages().list_messages(APP, "conv_1").paginate().items().try_collect().await?;
        seen.collected = all.len();

        let profile = Profile::default().given_name("Steve").surname("Jobs");
        let body = UserCreateBody::default().external_id("steve").profile(profile);
        client.users().create_user(APP, &body).await?;

        let (fetched, meta) = client.users().get_user(APP, "steve").with_metadata().await?;
        seen.request_id = meta.header("x-request-id").map(str::to_owned);
        let profile = fetched.user.and_then(|user| user.profile);
        seen.given_name = profile.and_then(|p| p.given_name.into());

        let upload = Upload::from_path(png).await?;
        let uploaded = client.attachments().upload_attachment(APP, &AttachmentUploadBody::new(upload)).await?;
        seen.media_url = uploaded.attachment.and_then(|a| a.media_url);

        for id in ["nobody", "busy"] {
            match client.users().get_user(APP, id).await {
                Ok(_) => {}
                Err(err) if matches!(err.api_error(), Some(GetUserError::NotFound(_))) => seen.missing.push(id),
                Err(err) if err.is_status(429) => seen.throttled.push(id),
                Err(err) => return Err(err.into()),
            }
        }
        Ok(seen)
    }
}

use serde_json::{json, Value};
use sunshine_conversations::{Client, RetryPolicy};
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn page(ids: &[&str], before: Option<&str>) -> Value {
    json!({
        "messages": ids.iter().map(|id| json!({ "id": id, "content": { "type": "text", "text": id } })).collect::<Vec<_>>(),
        "meta": { "hasMore": before.is_some(), "beforeCursor": before },
    })
}

async fn answer(server: &MockServer, verb: &str, at: String, response: ResponseTemplate) {
    Mock::given(method(verb)).and(path(at)).respond_with(response).mount(server).await;
}

#[tokio::test]
async fn a_new_users_first_bot_needs_nothing_but_the_crate() {
    let server = MockServer::start().await;
    let app = format!("/v2/apps/{}", bot::APP);
    let messages = format!("{app}/conversations/conv_1/messages");
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
    let user = json!({ "user": { "id": "u1", "externalId": "steve", "profile": { "givenName": "Steve", "surname": "Jobs" } } });
    Mock::given(method("POST"))
        .and(path(format!("{app}/users")))
        .and(body_json(json!({ "externalId": "steve", "profile": { "givenName": "Steve", "surname": "Jobs" } })))
        .respond_with(ResponseTemplate::new(201).set_body_json(user.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let found = ResponseTemplate::new(200).insert_header("x-request-id", "req-7f3a").set_body_json(user);
    answer(&server, "GET", format!("{app}/users/steve"), found).await;
    let not_found = json!({ "errors": [{ "code": "user_not_found", "title": "User not found" }] });
    answer(&server, "GET", format!("{app}/users/nobody"), ResponseTemplate::new(404).set_body_json(not_found)).await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "1");
    answer(&server, "GET", format!("{app}/users/busy"), throttled).await;
    let attachment = json!({ "attachment": { "mediaUrl": "https://media.example/pixel.png", "mediaType": "image/png" } });
    answer(&server, "POST", format!("{app}/attachments"), ResponseTemplate::new(201).set_body_json(attachment)).await;

    let dir = std::env::temp_dir().join(format!("first-steps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let png = dir.join("pixel.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n").expect("a PNG to upload");
    // Retries off, so that the 429 is the bot's to handle.
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("app_key_1", "secret")
        .retry(RetryPolicy::never())
        .build()
        .expect("a client");

    let seen = bot::run(&client, &png).await;
    let _ = std::fs::remove_dir_all(&dir);
    let seen = seen.expect("every step");

    assert_eq!(seen.streamed, ["m3", "m4", "m1", "m2"]);
    assert_eq!(seen.collected, 4);
    assert_eq!(seen.given_name.as_deref(), Some("Steve"));
    assert_eq!(seen.request_id.as_deref(), Some("req-7f3a"));
    assert_eq!(seen.media_url.as_deref(), Some("https://media.example/pixel.png"));
    assert_eq!(seen.missing, ["nobody"]);
    assert_eq!(seen.throttled, ["busy"]);
    // The part carried the media type of the file's extension.
    let requests = server.received_requests().await.expect("recorded");
    let upload = requests.iter().find(|r| r.url.path().ends_with("/attachments")).expect("the upload");
    let body = String::from_utf8_lossy(&upload.body);
    assert!(body.contains("filename=\"pixel.png\""), "{body}");
    assert!(body.contains("Content-Type: image/png") || body.contains("content-type: image/png"), "{body}");
}
