//! The crate of `fixtures/lint-shapes.yaml`, used the way users use crates
//! whose error bodies and unions are large: functions of their own that
//! return the crate's `Error`, linted with `-D warnings` like the rest of
//! this crate (clippy's `result_large_err` would fire here if `Error<E>`
//! held a large `E` inline).

use lint_shapes::apis::default::GetReportError;
use lint_shapes::types::Report;
use lint_shapes::{Client, Error, RetryPolicy, Server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A user's own function over the crate's call, returning its error as is.
async fn report(client: &Client, id: &str) -> Result<Report, Error<GetReportError>> {
    client.default().get_report(id).await
}

#[tokio::test]
async fn a_server_url_that_is_one_variable_is_used_as_given() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports/r1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "r1" })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .server(Server::WhereverTheApiIsInstalled {
            site_url: server.uri(),
        })
        .bearer_token("token")
        .retry(RetryPolicy::never())
        .build()
        .expect("client");
    let found = report(&client, "r1").await.expect("the report");
    assert!(matches!(found, Report::Small(_)), "{found:?}");
}

#[tokio::test]
async fn a_large_error_body_arrives_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports/r2"))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(serde_json::json!({ "reason": "too big", "field7": "x" })),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .retry(RetryPolicy::never())
        .build()
        .expect("client");
    let failure = report(&client, "r2").await.expect_err("a documented error");
    assert_eq!(failure.status().map(|s| s.as_u16()), Some(422), "{failure}");
}
