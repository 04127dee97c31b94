//! The fake of the `mock` feature and Prism agree: every request of a
//! committed set (`agreement/requests.json`: requests that conform to
//! `spec/` and requests that break it, each with the verdict it should get)
//! gets the same verdict, and the same status, from both.

use serde::Deserialize;
use serde_json::Value;
use sunshine_conversations::mock::MockApi;

use crate::{block_on, start_prism};

const APP_ID: &str = "64a1f0c2b7e4d90012ab3401";
const CONVERSATION_ID: &str = "64a1f1d0b7e4d90012ab3405";

/// One request of the set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// What it is.
    case: String,
    method: String,
    /// The last path segment: `/v2/apps/{appId}/conversations/{conversationId}/{action}`.
    action: String,
    /// A JSON body.
    json: Option<Value>,
    /// A body sent as is, as JSON.
    raw: Option<String>,
    /// Sent without credentials.
    #[serde(default)]
    anonymous: bool,
    verdict: Verdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Verdict {
    Conforms,
    Breaks,
}

/// What one server made of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    verdict: Verdict,
    status: u16,
}

fn requests() -> Vec<Request> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/contract/agreement/requests.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Sends every request to `base_url`, returning each answer's status.
async fn send_all(base_url: &str, requests: &[Request]) -> Vec<u16> {
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for request in requests {
        let url = format!(
            "{base_url}/v2/apps/{APP_ID}/conversations/{CONVERSATION_ID}/{}",
            request.action
        );
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).expect("a method");
        let mut builder = http.request(method, url);
        if !request.anonymous {
            builder = builder.basic_auth("app_64a1f0c2", Some("contract-test-secret"));
        }
        let body = match (&request.json, &request.raw) {
            (Some(json), _) => Some(json.to_string()),
            (None, Some(raw)) => Some(raw.clone()),
            (None, None) => None,
        };
        if let Some(body) = body {
            builder = builder
                .header("content-type", "application/json")
                .body(body);
        }
        let answer = builder.send().await.expect("the server answers");
        statuses.push(answer.status().as_u16());
    }
    statuses
}

#[test]
fn the_fake_and_prism_give_every_request_of_the_set_the_same_verdict() {
    let requests = requests();
    assert!(
        requests.iter().any(|r| r.verdict == Verdict::Conforms)
            && requests.iter().any(|r| r.verdict == Verdict::Breaks),
        "the set has both kinds of request"
    );
    let Some(prism) = start_prism() else { return };

    let (fake, prism_statuses) = block_on(async {
        let mock = MockApi::start().await;
        let actions = mock.switchboard_actions();
        actions.pass_control().respond(&()).await;
        actions.offer_control().respond(&()).await;
        actions.accept_control().respond(&()).await;
        actions.release_control().respond(&()).await;
        // One at a time, to tell which request each violation is about.
        let mut fake = Vec::new();
        for request in &requests {
            let before = mock.violations().len();
            let status = send_all(&mock.uri(), std::slice::from_ref(request)).await[0];
            let why = mock.violations().get(before).map(ToString::to_string);
            let verdict = match why.is_some() {
                true => Verdict::Breaks,
                false => Verdict::Conforms,
            };
            fake.push((Answer { verdict, status }, why.unwrap_or_default()));
        }
        // Every failure was expected: the set breaks the document on purpose.
        mock.reset().await;
        (fake, send_all(prism.base_url(), &requests).await)
    });
    // Prism logs no request whose body is not JSON at all (its parser turns
    // it away first): the verdicts come from the answers, and the log
    // explains them.
    let stopped = prism.stop(requests.len());
    let transcript = stopped.transcript();

    let mut disagreements = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        let status = prism_statuses[index];
        let verdict = match status < 300 {
            true => Verdict::Conforms,
            false => Verdict::Breaks,
        };
        let prism_answer = Answer { verdict, status };
        let (fake_answer, why) = &fake[index];
        if prism_answer.verdict != request.verdict || fake_answer != &prism_answer {
            disagreements.push(format!(
                "{}: expected {:?}; Prism {prism_answer:?}; the fake {fake_answer:?} {why}",
                request.case, request.verdict
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}\n\n{transcript}",
        disagreements.len(),
        disagreements.join("\n")
    );
    eprintln!(
        "the fake and Prism {} agree on {} requests ({} breaking the document)",
        crate::prism::pinned_version(),
        requests.len(),
        requests
            .iter()
            .filter(|r| r.verdict == Verdict::Breaks)
            .count()
    );
}
