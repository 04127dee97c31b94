//! The typed expectation of one operation: which requests it matches (each
//! part optional), how many times it must match, and what it answers.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::answer::Answer;
use super::received::{ReceivedCall, ReceivedRequest};
use super::registered::{Check, Registered, Times};
use super::server::MockServer;
use super::Spec;
use sunshine_runtime::error_answer::ErrorAnswer;
use sunshine_runtime::{JwtScope, PageLayout};

/// How many path parameters an operation takes, as a type: `[(); 2]` takes
/// `[&str; 2]`, so a missing or extra value does not compile.
pub trait Arity {
    /// The values, in the order of the path template.
    type Values<'v>;

    /// The values as owned strings.
    fn to_strings(values: Self::Values<'_>) -> Vec<String>;
}

impl<const N: usize> Arity for [(); N] {
    type Values<'v> = [&'v str; N];

    fn to_strings(values: Self::Values<'_>) -> Vec<String> {
        values.iter().map(|value| (*value).to_owned()).collect()
    }
}

/// The query and header parameters of an operation's `{Op}Params` type, as
/// the client would send them: implemented by
/// [`mock_group!`](crate::mock_group) for operations whose call takes
/// `.params(..)`.
pub trait EncodeParams<E> {
    /// The request a call of the operation with these parameters would
    /// send, built by the crate's own client code.
    fn encode(&self, server: &MockServer) -> Option<sunshine_runtime::Request>;
}

/// The request a call would send (for [`EncodeParams`] implementations).
#[doc(hidden)]
pub fn request_of<T: Send + 'static, E: Send + 'static>(
    call: sunshine_runtime::Call<T, E>,
) -> Option<sunshine_runtime::Request> {
    call.into_request()
}

/// The types an expectation is written in: path arity, body, success, error.
type Types<P, B, S, E> = PhantomData<fn() -> (P, B, S, E)>;

/// What is expected of one operation's requests, built from
/// `mock.switchboard_actions().pass_control()` (say): each method adds a part
/// the request must have, in the operation's own types; an answer method
/// (`respond`, `fail`, `example`, `status`, `retry_after`, `pages`) mounts it
/// on the fake.
///
/// `P` is the path's [`Arity`], `B` the body type, `S` the success type and
/// `E` the operation's error enum.
#[must_use = "an expectation does nothing until it is given an answer"]
pub struct Expectation<'a, P, B, S, E> {
    server: &'a MockServer,
    spec: &'static Spec,
    checks: Vec<Check>,
    times: Times,
    up_to: Option<u64>,
    delay: Option<Duration>,
    types: Types<P, B, S, E>,
}

impl<'a, P: Arity, B, S, E> Expectation<'a, P, B, S, E> {
    /// An expectation of the operation `spec` describes, on `server`.
    pub fn new(server: &'a MockServer, spec: &'static Spec) -> Self {
        Expectation {
            server,
            spec,
            checks: Vec::new(),
            times: Times::Any,
            up_to: None,
            delay: None,
            types: PhantomData,
        }
    }

    fn check(
        mut self,
        describe: String,
        test: impl Fn(&ReceivedRequest) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        self.checks.push(Check {
            describe,
            test: Box::new(test),
        });
        self
    }

    /// Matches requests whose path parameters are `values`, in the order
    /// the operation method takes them.
    pub fn path(self, values: P::Values<'_>) -> Self {
        let expected = P::to_strings(values);
        self.check(format!("path {expected:?}"), move |request| {
            let received: Vec<&str> = request
                .path_params
                .iter()
                .map(|(_, v)| v.as_str())
                .collect();
            match received == expected {
                true => Ok(()),
                false => Err(format!(
                    "path parameters {received:?}, expected {expected:?}"
                )),
            }
        })
    }

    /// Matches requests with query parameter `name` (as the document names
    /// it, `page[size]` for a deepObject field) equal to `value`.
    pub fn query(self, name: &str, value: impl ToString) -> Self {
        let (name, value) = (name.to_owned(), value.to_string());
        self.check(
            format!("query {name}={value}"),
            move |request| match request.query_param(&name) {
                Some(received) if received == value => Ok(()),
                Some(received) => Err(format!("query {name}={received}, expected {value}")),
                None => Err(format!("no query parameter {name}, expected {value}")),
            },
        )
    }

    /// Matches requests with the query and header parameters of `params`
    /// (the operation's `{Op}Params`), encoded as the client encodes them:
    /// each one set must be sent with that value; others may be sent too.
    pub fn params<Q: EncodeParams<E>>(self, params: &Q) -> Self {
        let Some(request) = params.encode(self.server) else {
            return self;
        };
        let query: Vec<(String, String)> = request
            .encoded_query()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let decode = |part: &str| percent_decode_str(part).decode_utf8_lossy().into_owned();
                (decode(name), decode(value))
            })
            .collect();
        let headers: Vec<(String, String)> = request
            .header_pairs()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut expectation = self;
        for (name, value) in query {
            expectation = expectation.query(&name, value);
        }
        for (name, value) in headers {
            expectation = expectation.header(&name, value);
        }
        expectation
    }

    /// Matches requests with header `name` equal to `value`.
    ///
    /// # Panics
    ///
    /// Here, when `name` or `value` cannot be a header's: no request could
    /// match.
    #[track_caller]
    pub fn header(self, name: &str, value: impl ToString) -> Self {
        let (name, value) = (name.to_ascii_lowercase(), value.to_string());
        let valid = sunshine_runtime::reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .is_ok()
            && sunshine_runtime::reqwest::header::HeaderValue::from_str(&value).is_ok();
        assert!(
            valid,
            "{}: `{name}: {value:?}` cannot be a header, so no request would match",
            self.spec.name
        );
        self.check(
            format!("header {name}: {value}"),
            move |request| match request.header(&name) {
                Some(received) if received == value => Ok(()),
                Some(received) => Err(format!("header {name}: {received}, expected {value}")),
                None => Err(format!("no header {name}, expected {value}")),
            },
        )
    }

    /// Matches requests with HTTP Basic credentials `key_id` and `secret`.
    pub fn basic_auth(self, key_id: &str, secret: &str) -> Self {
        let expected = format!("{key_id}:{secret}");
        let shown = format!("basic auth {key_id}:<secret>");
        self.check(shown, move |request| {
            let credentials = request
                .header("authorization")
                .and_then(|value| value.strip_prefix("Basic "))
                .and_then(|encoded| decode_base64(encoded.trim_end_matches('=')));
            match credentials {
                Some(received) if received == expected.as_bytes() => Ok(()),
                Some(received) => {
                    let key_id = String::from_utf8_lossy(&received);
                    let key_id = key_id.split(':').next().unwrap_or("");
                    Err(format!("basic auth with key id {key_id} or another secret"))
                }
                None => Err("no basic credentials".to_owned()),
            }
        })
    }

    /// Matches requests with the bearer token `token`.
    pub fn bearer_token(self, token: &str) -> Self {
        let expected = token.to_owned();
        self.check(
            "bearer token <given>".to_owned(),
            move |request| match request
                .header("authorization")
                .and_then(|value| value.strip_prefix("Bearer "))
            {
                Some(received) if received == expected => Ok(()),
                Some(_) => Err("another bearer token".to_owned()),
                None => Err("no bearer token".to_owned()),
            },
        )
    }

    /// Matches requests whose bearer token is a JWT with key id `kid` in
    /// its header.
    pub fn jwt_key_id(self, kid: &str) -> Self {
        let expected = kid.to_owned();
        self.check(format!("JWT kid {kid}"), move |request| {
            let kid = jwt_part(request, 0)?.get("kid").cloned();
            match kid {
                Some(Value::String(kid)) if kid == expected => Ok(()),
                other => Err(format!("JWT kid {other:?}, expected {expected}")),
            }
        })
    }

    /// Matches requests whose bearer token is a JWT with claim `scope`.
    pub fn jwt_scope(self, scope: JwtScope) -> Self {
        let expected = scope.as_str();
        self.check(format!("JWT scope {expected}"), move |request| {
            let scope = jwt_part(request, 1)?.get("scope").cloned();
            match scope {
                Some(Value::String(scope)) if scope == expected => Ok(()),
                other => Err(format!("JWT scope {other:?}, expected {expected}")),
            }
        })
    }

    /// The expectation must match exactly `count` requests (checked by
    /// [`MockServer::verify`] and when the fake is dropped).
    pub fn times(mut self, count: u64) -> Self {
        self.times = Times::Exactly(count);
        self
    }

    /// The expectation must match at least `count` requests.
    pub fn at_least(mut self, count: u64) -> Self {
        self.times = Times::AtLeast(count);
        self
    }

    /// The expectation answers at most `count` requests; later ones go to
    /// the expectations mounted after it (to fail once, then succeed).
    pub fn up_to(mut self, count: u64) -> Self {
        self.up_to = Some(count);
        self
    }

    /// Sends the answer `delay` after the request arrived: to test a
    /// client's timeout, or requests in flight at the same time.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The requests of this operation received so far (whether this
    /// expectation matched them or not), typed.
    pub fn received(&self) -> Vec<ReceivedCall<B>>
    where
        B: DeserializeOwned,
    {
        self.server
            .received()
            .into_iter()
            .filter(|request| request.operation == Some(self.spec.name))
            .map(ReceivedCall::new)
            .collect()
    }

    /// Answers with the operation's success status and `value`.
    pub async fn respond(self, value: &S) -> Mounted
    where
        S: Serialize,
    {
        let status = self.spec.success;
        let answer = match serde_json::to_value(value) {
            // `()`: an operation whose success has no properties.
            Ok(Value::Null) => Answer::Json(status, Value::Object(Default::default())),
            Ok(json) => Answer::Json(status, json),
            Err(error) => Answer::Unencodable(error.to_string()),
        };
        self.mount(answer).await
    }

    /// Answers with `status` and `body`: for an operation that documents
    /// several success statuses (its success type is an enum of them, such
    /// as `CreatePetResponse`), the status and the body of one of them.
    pub async fn respond_with_status<T: Serialize>(self, status: u16, body: &T) -> Mounted {
        let answer = match serde_json::to_value(body) {
            Ok(json) => Answer::Json(status, json),
            Err(error) => Answer::Unencodable(error.to_string()),
        };
        self.mount(answer).await
    }

    /// Answers with a documented error: the variant's status and body
    /// (`PassControlError::NotFound(body)` answers `404` with `body`).
    pub async fn fail(self, error: E) -> Mounted
    where
        E: ErrorAnswer,
    {
        let answer = match error.answer() {
            (status, Some(body)) => Answer::Json(status, body),
            (status, None) => Answer::Raw {
                status,
                retry_after: None,
            },
        };
        self.mount(answer).await
    }

    /// Answers with the document's own example for `status`.
    ///
    /// # Panics
    ///
    /// When the document has no example answer with that status (the
    /// message lists those it has).
    pub async fn example(self, status: u16) -> Mounted {
        let example = self.spec.examples.iter().find(|(code, _)| *code == status);
        let answer = match example.map(|(_, json)| serde_json::from_str::<Value>(json)) {
            Some(Ok(json)) => Answer::Json(status, json),
            Some(Err(error)) => Answer::Unencodable(error.to_string()),
            None => {
                let known: Vec<u16> = self.spec.examples.iter().map(|(code, _)| *code).collect();
                panic!(
                    "{}: the document has no example answer with status {status} (it has {known:?})",
                    self.spec.name
                );
            }
        };
        self.mount(answer).await
    }

    /// Answers with `status` and no body, whatever the document says: to
    /// test how the client treats an undocumented answer.
    pub async fn status(self, status: u16) -> Mounted {
        self.mount(Answer::Raw {
            status,
            retry_after: None,
        })
        .await
    }

    /// Answers with `status` (such as `429` or `503`) and a `Retry-After` of
    /// `seconds`, to test the client's retries; combine with
    /// [`up_to`](Self::up_to) and a success mounted after it.
    pub async fn retry_after(self, status: u16, seconds: u64) -> Mounted {
        self.mount(Answer::Raw {
            status,
            retry_after: Some(seconds),
        })
        .await
    }

    /// For an operation that pages: answers with `items` split into pages of
    /// `per_page`, in the order the client walks them, each with its cursor
    /// and `hasMore` where the document puts them.
    ///
    /// # Panics
    ///
    /// When the operation does not page, or `per_page` is zero.
    pub async fn pages<I: Serialize>(self, items: &[I], per_page: usize) -> Mounted {
        let layout: &'static PageLayout = match self.spec.pages {
            Some(layout) => layout,
            None => panic!("{} does not page its answers", self.spec.name),
        };
        assert!(per_page > 0, "{}: pages of no items", self.spec.name);
        let items: Result<Vec<Value>, _> = items.iter().map(serde_json::to_value).collect();
        let answer = match items {
            Ok(items) => Answer::Pages {
                status: self.spec.success,
                items,
                per_page,
                layout,
            },
            Err(error) => Answer::Unencodable(error.to_string()),
        };
        self.mount(answer).await
    }

    async fn mount(self, answer: Answer) -> Mounted {
        let matched = Arc::new(AtomicU64::new(0));
        let registered = Registered {
            spec: self.spec,
            checks: self.checks,
            times: self.times,
            delay: self.delay,
            matched: matched.clone(),
        };
        self.server.mount(registered, answer, self.up_to).await;
        Mounted { matched }
    }
}

impl<P: Arity, B, S, E> Expectation<'_, P, B, S, E>
where
    B: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + Send + Sync + 'static,
{
    /// Matches requests whose body, decoded as the operation's body type,
    /// equals `body`.
    pub fn body(self, body: &B) -> Self {
        let expected = serde_json::to_value(body).unwrap_or(Value::Null);
        self.check(format!("body {expected}"), move |request| {
            let received: B = serde_json::from_slice(&request.body)
                .map_err(|error| format!("a body that does not decode: {error}"))?;
            let received = serde_json::to_value(&received).unwrap_or(Value::Null);
            match received == expected {
                true => Ok(()),
                false => Err(format!("body {received}, expected {expected}")),
            }
        })
    }

    /// Matches requests whose body, decoded as the operation's body type,
    /// satisfies `test`; `describe` names the test in failure messages.
    pub fn body_matching(
        self,
        describe: &str,
        test: impl Fn(&B) -> bool + Send + Sync + 'static,
    ) -> Self {
        let describe = describe.to_owned();
        let shown = format!("body that {describe}");
        self.check(shown, move |request| {
            let received: B = serde_json::from_slice(&request.body)
                .map_err(|error| format!("a body that does not decode: {error}"))?;
            match test(&received) {
                true => Ok(()),
                false => Err(format!(
                    "body {received:?}, which does not satisfy: {describe}"
                )),
            }
        })
    }
}

/// An expectation on the fake: how many requests it has matched.
#[derive(Debug, Clone)]
pub struct Mounted {
    matched: Arc<AtomicU64>,
}

impl Mounted {
    /// The requests it answered so far.
    pub fn matched(&self) -> u64 {
        self.matched.load(Ordering::SeqCst)
    }
}

/// The JSON of part `index` (0 the header, 1 the claims) of the request's
/// bearer JWT.
fn jwt_part(request: &ReceivedRequest, index: usize) -> Result<Value, String> {
    let token = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or("no bearer token")?;
    let part = token
        .split('.')
        .nth(index)
        .ok_or("a bearer token that is not a JWT")?;
    let bytes = decode_base64(part).ok_or("a JWT that is not base64url")?;
    serde_json::from_slice(&bytes).map_err(|_| "a JWT whose parts are not JSON".to_owned())
}

/// Base64 without padding, in either alphabet (`+/` or `-_`); `None` for
/// anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let sextet = |byte: u8| match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0u32);
    for byte in text.bytes() {
        bits = bits << 6 | u32::from(sextet(byte)?);
        count += 6;
        if count >= 8 {
            count -= 8;
            // Keeping the low 8 bits of the shifted group is the point.
            bytes.push((bits >> count) as u8);
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_decodes_both_alphabets_without_padding() {
        assert_eq!(decode_base64("Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(decode_base64("Zm9vYg").unwrap(), b"foob");
        assert_eq!(decode_base64("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode_base64("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode_base64("a b"), None);
    }
}
