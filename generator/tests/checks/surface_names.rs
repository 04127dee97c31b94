//! The crate of `fixtures/surface-names.yaml`: names that clash unless they
//! are claimed in one scope, and a required parameter with a default, sent
//! through the generated client to a local server.

use surface_names::apis::users::{GetUser2Params, GetUserParams, ListFilesParams};
use surface_names::types::ListFilesAccess;
use surface_names::{Client, RetryPolicy};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .retry(RetryPolicy::never())
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_required_parameter_with_a_default_is_sent_at_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .and(query_param("access", "public"))
        .and(query_param_is_missing("limit"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    client.users().list_files().await.expect("sent with access=public");
}

#[tokio::test]
async fn params_replace_the_defaults_the_call_sends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .and(query_param("access", "private"))
        .and(query_param("limit", "5"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let params = ListFilesParams::default()
        .access(ListFilesAccess::Private)
        .limit(5);
    client
        .users()
        .list_files()
        .params(&params)
        .await
        .expect("sent with the caller's values only");
    // `access=public` was not sent beside `access=private`.
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].url.query(), Some("access=private&limit=5"));
}

#[tokio::test]
async fn case_twins_are_two_methods_with_their_own_types() {
    let server = MockServer::start().await;
    for (route, id) in [("/users/a", "a"), ("/v2/users/b", "b")] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": id })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server).await;
    let users = client.users();
    let first = users
        .get_user("a")
        .params(&GetUserParams::default().fields("id"))
        .await;
    let second = users
        .get_user2("b")
        .params(&GetUser2Params::default().fields("id"))
        .await;
    assert_eq!(first.expect("getUser").id, "a");
    assert_eq!(second.expect("GetUser").id, "b");
}

#[tokio::test]
async fn tags_named_like_the_crates_own_items_have_accessors() {
    let server = MockServer::start().await;
    for (verb, route) in [
        ("GET", "/health"),
        ("GET", "/defaults"),
        ("GET", "/traces"),
        ("POST", "/calls"),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/types"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{ "id": "t" }])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    // Untagged operations join the `Default` group, whose feature is not Cargo's `default`.
    client.default().health().await.expect("health");
    client.default().get_defaults().await.expect("defaults");
    client.tracing().list_traces().await.expect("traces");
    // The `Call` tag's struct yields its name to the crate's `Call`.
    let _: surface_names::apis::Call2<'_> = client.call();
    client.call().place_call().await.expect("call");
    let listed = client.types().list_types().await.expect("types");
    assert_eq!(listed[0].id, "t");
}
