//! Contract tests: the generated client (`generated/`, package
//! `sunshine-conversations`) against Stoplight Prism, a mock server that
//! checks every request against `spec/sunshine-conversations.yaml` with its
//! own OpenAPI validator, independent of this project's generator.
//!
//! Every operation is called with basic auth, a bearer token and a JWT the
//! client signs, with each shape of body, and with `Prefer: code=403` or
//! `code=404` (Prism's way to pick a documented response, sent as a
//! per-request option) to check that error answers decode to the operation's
//! typed error. Prism must find nothing wrong with any request. A second test
//! sends requests that break the document and checks that the same
//! detection reports them, so the first test can fail.
//!
//! A third test (`agreement.rs`) sends a committed set of good and bad
//! requests to Prism and to the fake of the generated crate's `mock`
//! feature, which must give each the same verdict and status.
//!
//! Prism is an npm package pinned by `contract/package.json` and
//! `contract/package-lock.json`; the first run installs it with `npm ci`.
//! Without Node.js the tests say they skip; in CI they fail instead.

// Prism runs in its own process group, which is stopped with kill(2).
#![cfg(unix)]

mod agreement;
#[path = "../common/mod.rs"]
mod common;
mod prism;
mod prism_log;

use std::time::Duration;

use serde_json::{json, Map, Value};
use sunshine_conversations::apis::switchboard_actions::{
    AcceptControlError, OfferControlError, PassControlError, ReleaseControlError,
};
use sunshine_conversations::types::{
    AcceptControlBody, ErrorResponse, OfferControlBody, PassControlBody, ReleaseControlBody,
};
use sunshine_conversations::{Auth, Client, Error, Nullable, RequestOptions};

use crate::prism::{Prism, Stopped};

// ---------------------------------------------------------------------------
// The calls
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Pass,
    Offer,
    Accept,
    Release,
}

impl Op {
    const ALL: [Op; 4] = [Op::Pass, Op::Offer, Op::Accept, Op::Release];

    /// The error statuses the document gives the operation.
    fn documented_errors(self) -> &'static [u16] {
        match self {
            Op::Pass | Op::Offer => &[404],
            Op::Accept | Op::Release => &[403, 404],
        }
    }

    fn action(self) -> &'static str {
        match self {
            Op::Pass => "passControl",
            Op::Offer => "offerControl",
            Op::Accept => "acceptControl",
            Op::Release => "releaseControl",
        }
    }

    /// The request line as Prism logs it.
    fn logged_request(self, ids: Ids) -> String {
        let [app_id, conversation_id] = ids.in_path();
        format!(
            "post /v2/apps/{app_id}/conversations/{conversation_id}/{}",
            self.action()
        )
    }
}

/// The path parameters of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ids {
    /// Ids as the API hands them out.
    Plain,
    /// Ids with characters that must be percent-encoded to stay one path
    /// segment (space, `/`, `?`, `#`, `%`, non-ASCII).
    Reserved,
}

impl Ids {
    /// The app id and conversation id, as the caller passes them.
    fn values(self) -> [&'static str; 2] {
        match self {
            Ids::Plain => ["64a1f0c2b7e4d90012ab3401", "64a1f1d0b7e4d90012ab3405"],
            Ids::Reserved => ["app one/é", "conv?#%"],
        }
    }

    /// The same ids as they must appear in the request path.
    fn in_path(self) -> [&'static str; 2] {
        match self {
            Ids::Plain => self.values(),
            Ids::Reserved => ["app%20one%2F%C3%A9", "conv%3F%23%25"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credentials {
    /// An API key id and secret with HTTP Basic authentication.
    Basic,
    /// A JWT signed elsewhere, as a bearer token.
    Bearer,
    /// A JWT the client signs from an API key, as a bearer token.
    SignedJwt,
}

impl Credentials {
    const ALL: [Credentials; 3] = [
        Credentials::Basic,
        Credentials::Bearer,
        Credentials::SignedJwt,
    ];

    fn client(self, base_url: &str) -> Client {
        let builder = Client::builder().base_url(base_url);
        let builder = match self {
            Credentials::Basic => builder.basic_auth("app_64a1f0c2", "contract-test-secret"),
            // Prism checks the scheme, not the signature.
            Credentials::Bearer => builder.bearer_token(
                "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFwcF82NGExZjBjMiJ9.eyJzY29wZSI6ImFwcCJ9.c2lnbmF0dXJl",
            ),
            Credentials::SignedJwt => builder.auth(
                Auth::jwt("app_64a1f0c2", "contract-test-secret")
                    .expires_in(Duration::from_secs(600)),
            ),
        };
        builder.build().expect("a client for Prism")
    }
}

/// The request body's `metadata`, or no body at all (releaseControl only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// `metadata` with a string, a number and a boolean.
    Metadata,
    /// `"metadata": null`.
    NullMetadata,
    /// No `metadata` property.
    NoMetadata,
    /// No request body.
    Absent,
}

impl Body {
    /// The bodies each operation can be called with.
    fn for_op(op: Op) -> &'static [Body] {
        match op {
            Op::Release => &[
                Body::Metadata,
                Body::NullMetadata,
                Body::NoMetadata,
                Body::Absent,
            ],
            _ => &[Body::Metadata, Body::NullMetadata, Body::NoMetadata],
        }
    }

    fn metadata(self) -> Nullable<Map<String, Value>> {
        match self {
            Body::Metadata => {
                let Value::Object(map) = json!({"lang": "en-ca", "priority": 2, "vip": true})
                else {
                    unreachable!("a JSON object literal")
                };
                Nullable::Value(map)
            }
            Body::NullMetadata => Nullable::Null,
            Body::NoMetadata | Body::Absent => Nullable::Absent,
        }
    }
}

/// One request of the contract run.
#[derive(Debug, Clone, Copy)]
struct Case {
    op: Op,
    credentials: Credentials,
    body: Body,
    ids: Ids,
    /// The documented error status asked of Prism with `Prefer: code=…`
    /// (sent through `Client::with_options`); `None` for its `200`.
    prefer: Option<u16>,
}

impl Case {
    /// Every operation with each credential: with each body, asking for
    /// each documented error status, and once with ids that need
    /// percent-encoding.
    fn all() -> Vec<Case> {
        let mut cases = Vec::new();
        let plain = |op, credentials, body, prefer| Case {
            op,
            credentials,
            body,
            ids: Ids::Plain,
            prefer,
        };
        for credentials in Credentials::ALL {
            for op in Op::ALL {
                for &body in Body::for_op(op) {
                    cases.push(plain(op, credentials, body, None));
                }
                for &status in op.documented_errors() {
                    cases.push(plain(op, credentials, Body::Metadata, Some(status)));
                }
            }
        }
        for op in Op::ALL {
            cases.push(Case {
                ids: Ids::Reserved,
                ..plain(op, Credentials::Basic, Body::Metadata, None)
            });
        }
        cases
    }

    /// The status Prism should answer with.
    fn status(self) -> u16 {
        self.prefer.unwrap_or(200)
    }

    /// What the client should make of Prism's answer, which is the
    /// document's example for the status: an empty object for `200`, an
    /// `errors` list for `403` and `404`.
    fn expected(self) -> Outcome {
        let example = |code: &str, title: &str| {
            serde_json::from_value(json!({"errors": [{"code": code, "title": title}]}))
                .expect("an ErrorResponse")
        };
        match self.prefer {
            None => Outcome::Success,
            Some(403) => Outcome::Forbidden(example("forbidden", "Forbidden")),
            Some(404) => {
                Outcome::NotFound(example("conversation_not_found", "Conversation not found"))
            }
            Some(other) => unreachable!("no case asks for {other}"),
        }
    }

    /// The client for this case: its credentials, and the `Prefer` header
    /// as a per-request option.
    fn client(self, base_url: &str) -> Client {
        let client = self.credentials.client(base_url);
        match self.prefer {
            Some(status) => client
                .with_options(RequestOptions::new().header("Prefer", &format!("code={status}"))),
            None => client,
        }
    }

    async fn call(self, client: &Client) -> Outcome {
        let actions = client.switchboard_actions();
        let metadata = self.body.metadata();
        let [app_id, conversation_id] = self.ids.values();
        match self.op {
            Op::Pass => {
                let body = PassControlBody::new("next").metadata(metadata);
                match actions.pass_control(app_id, conversation_id, &body).await {
                    Ok(()) => Outcome::Success,
                    Err(Error::Api { error, .. }) => match *error {
                        PassControlError::NotFound(body) => Outcome::NotFound(body),
                        other => Outcome::Failed(other.to_string()),
                    },
                    Err(other) => Outcome::Failed(other.to_string()),
                }
            }
            Op::Offer => {
                let body = OfferControlBody::new("human").metadata(metadata);
                match actions.offer_control(app_id, conversation_id, &body).await {
                    Ok(()) => Outcome::Success,
                    Err(Error::Api { error, .. }) => match *error {
                        OfferControlError::NotFound(body) => Outcome::NotFound(body),
                        other => Outcome::Failed(other.to_string()),
                    },
                    Err(other) => Outcome::Failed(other.to_string()),
                }
            }
            Op::Accept => {
                let body = AcceptControlBody::default().metadata(metadata);
                match actions.accept_control(app_id, conversation_id, &body).await {
                    Ok(()) => Outcome::Success,
                    Err(Error::Api { error, .. }) => match *error {
                        AcceptControlError::Forbidden(body) => Outcome::Forbidden(body),
                        AcceptControlError::NotFound(body) => Outcome::NotFound(body),
                        other => Outcome::Failed(other.to_string()),
                    },
                    Err(other) => Outcome::Failed(other.to_string()),
                }
            }
            Op::Release => {
                let body = ReleaseControlBody::default().metadata(metadata);
                let mut call = actions.release_control(app_id, conversation_id);
                if self.body != Body::Absent {
                    call = call.body(&body);
                }
                match call.await {
                    Ok(()) => Outcome::Success,
                    Err(Error::Api { error, .. }) => match *error {
                        ReleaseControlError::Forbidden(body) => Outcome::Forbidden(body),
                        ReleaseControlError::NotFound(body) => Outcome::NotFound(body),
                        other => Outcome::Failed(other.to_string()),
                    },
                    Err(other) => Outcome::Failed(other.to_string()),
                }
            }
        }
    }
}

/// What a call produced, the same for every operation.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// The documented success (no body to speak of).
    Success,
    /// `Error::Api { error: ..::NotFound(body), .. }`.
    NotFound(ErrorResponse),
    /// `Error::Api { error: ..::Forbidden(body), .. }`.
    Forbidden(ErrorResponse),
    /// Any other error, as displayed.
    Failed(String),
}

// ---------------------------------------------------------------------------
// Running Prism
// ---------------------------------------------------------------------------

/// Starts Prism on the project's document, or `None` when Node.js is absent
/// outside CI (the reason is printed).
fn start_prism() -> Option<Prism> {
    let executable = prism::installed()?;
    let spec = common::workspace_root().join("spec/sunshine-conversations.yaml");
    Some(Prism::start(&executable, &spec))
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// Checks that Prism received exactly `expected_requests`, in order, and
/// returns the problems found with the log, one line each.
fn log_mismatches(stopped: &Stopped, expected_requests: &[String]) -> Vec<String> {
    let received: Vec<&str> = stopped
        .log
        .exchanges
        .iter()
        .map(|exchange| exchange.request.as_str())
        .collect();
    let mut problems = Vec::new();
    if received.len() != expected_requests.len() {
        problems.push(format!(
            "Prism logged {} requests, the test sent {}",
            received.len(),
            expected_requests.len()
        ));
    }
    for (index, (received, sent)) in received.iter().zip(expected_requests).enumerate() {
        if received != sent {
            problems.push(format!(
                "request {index}: the test sent `{sent}`, Prism logged `{received}`"
            ));
        }
    }
    for problem in &stopped.log.startup_problems {
        problems.push(format!("before any request: {problem}"));
    }
    problems
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn every_operation_conforms_to_the_document() {
    let Some(prism) = start_prism() else { return };
    let cases = Case::all();

    let mut problems = Vec::new();
    block_on(async {
        for case in &cases {
            let client = case.client(prism.base_url());
            let outcome = case.call(&client).await;
            if outcome != case.expected() {
                problems.push(format!(
                    "{case:?}: expected {:?}, got {outcome:?}",
                    case.expected()
                ));
            }
        }
    });

    let stopped = prism.stop(cases.len());
    let expected_requests: Vec<String> = cases
        .iter()
        .map(|case| case.op.logged_request(case.ids))
        .collect();
    problems.extend(log_mismatches(&stopped, &expected_requests));
    for (case, exchange) in cases.iter().zip(&stopped.log.exchanges) {
        for violation in &exchange.violations {
            problems.push(format!("{case:?}: Prism: {violation}"));
        }
        if exchange.violations.is_empty() && exchange.status != Some(case.status()) {
            problems.push(format!(
                "{case:?}: Prism logged status {:?}, not the {} it was asked for",
                exchange.status,
                case.status()
            ));
        }
    }

    let violations: usize = stopped
        .log
        .exchanges
        .iter()
        .map(|exchange| exchange.violations.len())
        .sum();
    eprintln!(
        "Prism {}: {} requests sent, {} received, {} with violations ({violations} violation lines)",
        prism::pinned_version(),
        cases.len(),
        stopped.log.exchanges.len(),
        stopped.log.violating().count(),
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}\n\n{}",
        problems.len(),
        problems.join("\n"),
        stopped.transcript()
    );
}

/// The other half of the contract check: requests that break the document
/// are answered with an error and logged as violations, each on its own
/// request, while a valid request in between stays clean.
#[test]
fn requests_that_break_the_document_are_reported() {
    let Some(prism) = start_prism() else { return };
    let base_url = prism.base_url().to_owned();
    let [app_id, conversation_id] = Ids::Plain.values();
    let pass_control =
        format!("{base_url}/v2/apps/{app_id}/conversations/{conversation_id}/passControl");

    // (what is wrong, status Prism answers with, text its violation carries)
    let broken: [(&str, u16, &str); 3] = [
        (
            "switchboardIntegration is a number",
            422,
            "switchboardIntegration must be string",
        ),
        (
            "switchboardIntegration is missing",
            422,
            "required property 'switchboardIntegration'",
        ),
        ("no credentials", 401, "Invalid security scheme"),
    ];

    let (statuses, valid) = block_on(async {
        let http = reqwest::Client::new();
        let send = |body: &'static str, authenticated: bool| {
            let request = http
                .post(&pass_control)
                .header("content-type", "application/json")
                .body(body);
            let request = if authenticated {
                request.basic_auth("app_64a1f0c2", Some("contract-test-secret"))
            } else {
                request
            };
            async move {
                request
                    .send()
                    .await
                    .expect("Prism answers")
                    .status()
                    .as_u16()
            }
        };
        let statuses = [
            send(r#"{"switchboardIntegration": 5}"#, true).await,
            send(r#"{"metadata": {"lang": "en"}}"#, true).await,
            send(r#"{"switchboardIntegration": "next"}"#, false).await,
        ];
        let valid = Case {
            op: Op::Pass,
            credentials: Credentials::Basic,
            body: Body::Metadata,
            ids: Ids::Plain,
            prefer: None,
        }
        .call(&Credentials::Basic.client(&base_url))
        .await;
        (statuses, valid)
    });

    let sent = broken.len() + 1;
    let stopped = prism.stop(sent);
    let transcript = stopped.transcript();
    let expected_requests = vec![Op::Pass.logged_request(Ids::Plain); sent];
    let mismatches = log_mismatches(&stopped, &expected_requests);
    assert!(mismatches.is_empty(), "{mismatches:#?}\n{transcript}");

    for ((what, status, text), (answered, exchange)) in broken
        .iter()
        .zip(statuses.iter().zip(&stopped.log.exchanges))
    {
        assert_eq!(answered, status, "{what}: Prism's answer\n{transcript}");
        assert!(
            exchange.violations.iter().any(|line| line.contains(text)),
            "{what}: no violation mentioning {text:?} in {:#?}\n{transcript}",
            exchange.violations
        );
    }
    assert_eq!(valid, Outcome::Success, "{transcript}");
    let last = &stopped.log.exchanges[broken.len()];
    assert!(last.violations.is_empty(), "the valid request: {last:#?}");
    eprintln!(
        "Prism {}: {sent} requests sent, {} reported with violations",
        prism::pinned_version(),
        stopped.log.violating().count()
    );
}
