//! A sample of the full 17.12.1 crate driven through its test kit (`mock`):
//! a list in pages walked by the paginator, a created user matched on its
//! typed body, a documented error, the document's own example, a multipart
//! upload with its required query parameter, and a request the document
//! does not allow.

use sunshine_conversations::apis::attachments::UploadAttachmentParams;
use sunshine_conversations::apis::messages::ListMessagesParams;
use sunshine_conversations::apis::users::GetUserError;
use sunshine_conversations::mock::MockApi;
use sunshine_conversations::types::{
    AttachmentResponse, AttachmentSchema, AttachmentUploadBody, ErrorResponse, Message,
    MessageListResponse, Page, User, UserCreateBody, UserResponse,
};
use sunshine_conversations::{Error, Upload};

const APP: &str = "app_1";
const CONVERSATION: &str = "conv_1";

#[tokio::test]
async fn a_conversations_messages_come_in_the_pages_the_fake_splits_them_into() {
    let mock = MockApi::start().await;
    let messages: Vec<Message> = (1..=5)
        .map(|n| Message::default().id(format!("msg-{n}")))
        .collect();
    let pages = mock
        .messages()
        .list_messages()
        .path([APP, CONVERSATION])
        .times(3)
        .pages(&messages, 2)
        .await;

    let walked: Vec<Message> = mock
        .client()
        .messages()
        .list_messages(APP, CONVERSATION)
        .paginate()
        .items()
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(walked, messages);
    assert_eq!(pages.matched(), 3);
}

#[tokio::test]
async fn a_user_is_created_from_a_typed_body_and_a_missing_one_is_a_typed_404() {
    let mock = MockApi::start().await;
    let users = mock.users();
    let body = UserCreateBody::default().external_id("customer-1815");
    let created = UserResponse::default().user(User::default().id("u1").external_id("customer-1815"));
    users.create_user().path([APP]).body(&body).times(1).respond(&created).await;
    users.get_user().path([APP, "nobody"]).example(404).await;
    let missing = ErrorResponse::default();
    users.get_user().path([APP, "gone"]).fail(GetUserError::NotFound(missing.clone())).await;
    let client = mock.client();

    let answer = client.users().create_user(APP, &body).await.expect("created");
    let nobody = client.users().get_user(APP, "nobody").await;
    let gone = client.users().get_user(APP, "gone").await;

    assert_eq!(answer, created);
    match nobody.as_ref().map_err(Error::api_error) {
        Err(Some(GetUserError::NotFound(body))) => {
            let code = body.errors.as_ref().and_then(|errors| errors.first()).and_then(|e| e.code.as_deref());
            assert_eq!(code, Some("user_not_found"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(gone.as_ref().map_err(Error::api_error), Err(Some(GetUserError::NotFound(body))) if *body == missing));
}

#[tokio::test]
async fn an_upload_is_multipart_with_its_required_query() {
    let mock = MockApi::start().await;
    let stored = AttachmentResponse::default().attachment(
        AttachmentSchema::default().media_url("https://media.example/a.txt").media_type("text/plain"),
    );
    mock.attachments()
        .upload_attachment()
        .path([APP])
        .query("access", "public")
        .times(1)
        .respond(&stored)
        .await;
    let upload = Upload::new(&b"transcript"[..], "a.txt");

    let uploaded = mock
        .client()
        .attachments()
        .upload_attachment(APP, &AttachmentUploadBody::new(upload))
        .params(&UploadAttachmentParams::default())
        .await
        .expect("uploaded");

    assert_eq!(uploaded, stored);
    let received = &mock.attachments().upload_attachment().received()[0];
    assert!(String::from_utf8_lossy(&received.request.body).contains("transcript"));
}

/// `access` is required, with a default: the call sends it without `.params(..)`,
/// so the fake, checking the request against the document, finds nothing wrong.
#[tokio::test]
async fn an_upload_without_params_sends_the_documents_default_access() {
    let mock = MockApi::start().await;
    mock.attachments()
        .upload_attachment()
        .query("access", "public")
        .times(1)
        .respond(&AttachmentResponse::default())
        .await;

    let sent = mock
        .client()
        .attachments()
        .upload_attachment(APP, &AttachmentUploadBody::new(Upload::new(&b"x"[..], "x.txt")))
        .await;

    assert!(sent.is_ok(), "{sent:?}");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn query_parameters_are_matched_as_the_operations_params_type() {
    let mock = MockApi::start().await;
    let older = ListMessagesParams::default().page(Page::default().before("cursor-9"));
    let expected = mock
        .messages()
        .list_messages()
        .params(&older)
        .times(1)
        .respond(&MessageListResponse::default())
        .await;
    let client = mock.client();

    client.messages().list_messages(APP, CONVERSATION).params(&older).await.expect("matched");
    let newest = client.messages().list_messages(APP, CONVERSATION).await;

    assert_eq!(expected.matched(), 1);
    assert!(newest.is_err(), "no expectation matches a call without the cursor");
    let failures = mock.failures();
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert!(failures[0].contains("no query parameter page[before], expected cursor-9"), "{}", failures[0]);
    mock.reset().await;
}
