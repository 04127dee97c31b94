//! [`MockServer`]: a wiremock server on 127.0.0.1 that checks every request
//! against the document, answers it as the expectations say, records it,
//! and reports what went wrong.

use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use wiremock::{Match, Mock, Respond, ResponseTemplate};

use super::answer::Answer;
use super::conformance::{self, Violation};
use super::received::ReceivedRequest;
use super::registered::Registered;
use super::verify::{self, Outcome, Record};
use super::Spec;
use sunshine_runtime::Api;
use sunshine_runtime::{ClientBuilder, RetryPolicy};

/// Priorities in wiremock: lower answers first.
const CONFORMANCE_PRIORITY: u8 = 1;
const EXPECTATION_PRIORITY: u8 = 5;
const FALLBACK_PRIORITY: u8 = u8::MAX;

/// What the fake's handlers share.
struct Shared {
    operations: Vec<&'static Spec>,
    /// The `Authorization` schemes the document accepts; none for no check.
    schemes: &'static [&'static str],
    records: Mutex<Vec<Record>>,
    expectations: Mutex<Vec<Arc<Registered>>>,
}

impl Shared {
    fn records(&self) -> MutexGuard<'_, Vec<Record>> {
        // A panic elsewhere cannot leave a record half written.
        self.records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn expectations(&self) -> MutexGuard<'_, Vec<Arc<Registered>>> {
        self.expectations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The request as received, with its operation and path parameters
    /// when its method and path name one.
    fn received(&self, request: &wiremock::Request) -> ReceivedRequest {
        match conformance::route(
            &self.operations,
            request.method.as_str(),
            request.url.path(),
        ) {
            Ok((spec, params)) => ReceivedRequest::new(Some(spec.name), params, request),
            Err(_) => ReceivedRequest::new(None, Vec::new(), request),
        }
    }

    /// What is wrong with `request`, if anything.
    fn violation(&self, request: &wiremock::Request) -> Option<Violation> {
        let method = request.method.as_str();
        match conformance::route(&self.operations, method, request.url.path()) {
            Ok((spec, _)) => conformance::check(spec, self.schemes, request).err(),
            Err(violation) => Some(violation),
        }
    }
}

/// The fake API: a local HTTP server that knows the document's operations.
/// A generated crate's `mock::MockApi` wraps one and adds an accessor per
/// tag; everything else is here and reached through it.
///
/// Every request is checked against the document first, then matched
/// against the expectations in the order they were mounted. When the fake
/// is dropped (or [`verify`](Self::verify) is called) the test fails if a
/// request broke the document, if a request matched no expectation, or if
/// an expectation matched another number of requests than it was told.
pub struct MockServer {
    server: wiremock::MockServer,
    shared: Arc<Shared>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .field("operations", &self.shared.operations.len())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a fake of the API whose operations are `operations`, on a port
    /// of 127.0.0.1 the system picks. `schemes` are the `Authorization`
    /// schemes the document accepts (`["Basic", "Bearer"]`): a request
    /// without credentials of one of them breaks the document (none: no check).
    pub async fn start(
        operations: impl IntoIterator<Item = &'static Spec>,
        schemes: &'static [&'static str],
    ) -> Self {
        let server = wiremock::MockServer::start().await;
        let shared = Arc::new(Shared {
            operations: operations.into_iter().collect(),
            schemes,
            records: Mutex::new(Vec::new()),
            expectations: Mutex::new(Vec::new()),
        });
        let fake = MockServer { server, shared };
        fake.mount_handlers().await;
        fake
    }

    /// The fake's base URL, such as `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder for API `C` aimed at the fake, with settings that
    /// keep tests fast and deterministic: basic credentials `mock-key-id` /
    /// `mock-key-secret`, retries after 1 ms doubling up to 10 ms without
    /// jitter (so `Retry-After` waits at most 10 ms), 5 s per attempt.
    pub fn client_builder<C: Api>(&self) -> ClientBuilder<C> {
        ClientBuilder::<C>::default()
            .base_url(self.uri())
            .basic_auth("mock-key-id", "mock-key-secret")
            .retry(
                RetryPolicy::default()
                    .initial_delay(Duration::from_millis(1))
                    .max_delay(Duration::from_millis(10))
                    .jitter(false),
            )
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(1))
    }

    /// A client of API `C` for the fake, as [`client_builder`](Self::client_builder)
    /// sets it up.
    ///
    /// # Panics
    ///
    /// Never in practice: the fake's URL and credentials are always valid.
    pub fn client<C: Api>(&self) -> C {
        match self.client_builder::<C>().build() {
            Ok(client) => client,
            Err(error) => panic!("the client for the fake does not build: {error}"),
        }
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.shared
            .records()
            .iter()
            .map(|record| record.request.clone())
            .collect()
    }

    /// The requests received so far that broke the document.
    pub fn violations(&self) -> Vec<Violation> {
        self.shared
            .records()
            .iter()
            .filter_map(|record| match &record.outcome {
                Outcome::Broke(violation) => Some(violation.clone()),
                _ => None,
            })
            .collect()
    }

    /// Everything that went wrong so far, one message each: requests that
    /// broke the document, requests no expectation matched (with what
    /// differed from the expectations of their operation), expectations
    /// matched another number of times than they were told.
    pub fn failures(&self) -> Vec<String> {
        let records = self.shared.records().clone();
        let expectations = self.shared.expectations().clone();
        verify::failures(&records, &expectations)
    }

    /// Fails the test if anything went wrong (see [`failures`](Self::failures)).
    ///
    /// # Panics
    ///
    /// With every failure, when there are any.
    pub fn verify(&self) {
        let failures = self.failures();
        if !failures.is_empty() {
            panic!("{}", verify::report(&failures));
        }
    }

    /// Forgets every expectation and request, as if just started.
    pub async fn reset(&self) {
        self.shared.records().clear();
        self.shared.expectations().clear();
        // wiremock's reset drops the conformance and fallback handlers too.
        self.server.reset().await;
        self.mount_handlers().await;
    }

    /// The handlers of requests that break the document and of requests no
    /// expectation matches.
    async fn mount_handlers(&self) {
        for (role, priority) in [
            (Role::Conformance, CONFORMANCE_PRIORITY),
            (Role::Fallback, FALLBACK_PRIORITY),
        ] {
            let handler = Handler {
                shared: self.shared.clone(),
                role,
            };
            Mock::given(handler.clone())
                .respond_with(handler)
                .with_priority(priority)
                .mount(&self.server)
                .await;
        }
    }

    pub(crate) async fn mount(&self, registered: Registered, answer: Answer, up_to: Option<u64>) {
        let registered = Arc::new(registered);
        self.shared.expectations().push(registered.clone());
        let handler = Handler {
            shared: self.shared.clone(),
            role: Role::Expectation(registered, Arc::new(answer)),
        };
        let mock = Mock::given(handler.clone())
            .respond_with(handler)
            .with_priority(EXPECTATION_PRIORITY);
        let mock = match up_to {
            Some(count) => mock.up_to_n_times(count),
            None => mock,
        };
        mock.mount(&self.server).await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.verify();
            return;
        }
        // The test already fails, often with what the fake's answer caused
        // (`left: 503, right: 200`); a second panic would abort, so the
        // fake's explanation is printed beside it instead.
        let failures = self.failures();
        if !failures.is_empty() {
            eprintln!("{}", verify::report(&failures));
        }
    }
}

/// One of the fake's wiremock handlers: matcher and responder in one.
#[derive(Clone)]
struct Handler {
    shared: Arc<Shared>,
    role: Role,
}

#[derive(Clone)]
enum Role {
    /// Takes the requests that break the document.
    Conformance,
    /// An expectation and its answer.
    Expectation(Arc<Registered>, Arc<Answer>),
    /// Takes what no expectation matched.
    Fallback,
}

impl Match for Handler {
    fn matches(&self, request: &wiremock::Request) -> bool {
        match &self.role {
            Role::Conformance => self.shared.violation(request).is_some(),
            Role::Expectation(registered, _) => registered
                .mismatch(&self.shared.received(request))
                .is_none(),
            Role::Fallback => true,
        }
    }
}

impl Respond for Handler {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let received = self.shared.received(request);
        let (outcome, response) = match &self.role {
            Role::Conformance => match self.shared.violation(request) {
                Some(violation) => {
                    let response =
                        ResponseTemplate::new(violation.status).set_body_json(violation.problem());
                    (Outcome::Broke(violation), response)
                }
                // Matched a moment ago; nothing changed since.
                None => (Outcome::Unexpected, ResponseTemplate::new(501)),
            },
            Role::Expectation(registered, answer) => {
                registered.matched.fetch_add(1, Ordering::SeqCst);
                let response = answer.to_response(request);
                let response = match registered.delay {
                    Some(delay) => response.set_delay(delay),
                    None => response,
                };
                (Outcome::Answered, response)
            }
            Role::Fallback => {
                // The body says what the test will report, for a client
                // that shows the answers it did not expect.
                let expectations = self.shared.expectations().clone();
                let response = ResponseTemplate::new(501).set_body_json(serde_json::json!({
                    "title": "No expectation of the fake matched this request",
                    "detail": verify::unexpected(&received, &expectations),
                }));
                (Outcome::Unexpected, response)
            }
        };
        self.shared.records().push(Record {
            request: received,
            outcome,
        });
        response
    }
}
