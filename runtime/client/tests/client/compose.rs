//! Calls compose: an operation's future borrows nothing but what it owns, so
//! it can be made in a closure from temporaries, joined with others, or
//! spawned. These are compile tests first (each shape below failed to
//! compile with `async fn` operations borrowing their arguments), run
//! against a local server second.

use std::future::Future;

use serde_json::json;
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::{Client, RequestOptions};
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_ID: &str = "app";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

/// What a user's retry helper looks like: it calls `make` for each try.
async fn twice<F, Fut, T, E>(make: F) -> Result<T, E>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    match make().await {
        Ok(value) => Ok(value),
        Err(_) => make().await,
    }
}

#[tokio::test]
async fn a_call_made_in_a_closure_from_temporaries_compiles_and_runs() {
    let server = server().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let id = String::from("conv-1");

    // The accessor and the body are temporaries of the closure's body.
    let result = twice(|| {
        client
            .switchboard_actions()
            .pass_control(APP_ID, &id, &PassControlBody::new("next"))
    })
    .await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn calls_over_many_ids_join() {
    let server = server().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let ids: Vec<String> = (0..5).map(|n| format!("conv-{n}")).collect();
    let body = PassControlBody::new("next");

    let results = futures::future::join_all(
        ids.iter()
            .map(|id| client.switchboard_actions().pass_control(APP_ID, id, &body)),
    )
    .await;

    assert_eq!(results.len(), 5);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let mut paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    paths.sort();
    assert_eq!(paths[0], "/v2/apps/app/conversations/conv-0/passControl");
}

#[tokio::test]
async fn a_call_can_be_spawned_and_carry_its_own_options() {
    let server = MockServer::start().await;
    Mock::given(header("x-request-id", "r-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    let call = {
        let conversation = String::from("conv-9");
        client
            .switchboard_actions()
            .release_control(APP_ID, &conversation)
            .with_options(RequestOptions::new().header("X-Request-Id", "r-42"))
    };
    let handle = tokio::spawn(call);

    let result = handle.await.unwrap();
    assert!(result.is_ok(), "{result:?}");
}
