//! Requests the fake received, read back: every one as it came, and those
//! of one operation typed as that operation's path parameters and body.

use std::time::Instant;

use serde::de::DeserializeOwned;
use sunshine_runtime::reqwest::header::HeaderMap;

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    /// The operation its method and path name, if any.
    pub operation: Option<&'static str>,
    /// The method, upper case.
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The path parameters, by name, decoded; empty when no operation has
    /// the path.
    pub path_params: Vec<(&'static str, String)>,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body's bytes.
    pub body: Vec<u8>,
    /// When the fake received it (before any [`delay`](super::Expectation::delay)
    /// of its answer): the time between two requests shows how long the
    /// client waited, such as for a `Retry-After`.
    pub received_at: Instant,
}

impl ReceivedRequest {
    pub(crate) fn new(
        operation: Option<&'static str>,
        path_params: Vec<(&'static str, String)>,
        request: &wiremock::Request,
    ) -> Self {
        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            // wiremock and reqwest use the same `http` types, under two names.
            if let (Ok(name), Ok(value)) = (
                sunshine_runtime::reqwest::header::HeaderName::from_bytes(name.as_str().as_bytes()),
                sunshine_runtime::reqwest::header::HeaderValue::from_bytes(value.as_bytes()),
            ) {
                headers.append(name, value);
            }
        }
        ReceivedRequest {
            operation,
            method: request.method.to_string(),
            path: request.url.path().to_owned(),
            path_params,
            query: request
                .url
                .query_pairs()
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
            headers,
            body: request.body.clone(),
            received_at: Instant::now(),
        }
    }

    /// The value of path parameter `name` (as the document names it).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(param, _)| *param == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(param, _)| param == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of header `name`, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body decoded as `T`.
    ///
    /// # Errors
    ///
    /// The JSON error when the body is not a `T`.
    pub fn body_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// A request of one operation, typed: its path parameters in template
/// order and its body decoded as the operation's body type.
#[derive(Debug, Clone)]
pub struct ReceivedCall<B> {
    /// The path parameters' values, in the order of the path template
    /// (the order the operation method takes them).
    pub path: Vec<String>,
    /// The body; `None` when there was none, or it did not decode (then the
    /// fake reported the request as breaking the document).
    pub body: Option<B>,
    /// The request as it came.
    pub request: ReceivedRequest,
}

impl<B: DeserializeOwned> ReceivedCall<B> {
    pub(crate) fn new(request: ReceivedRequest) -> Self {
        ReceivedCall {
            path: request
                .path_params
                .iter()
                .map(|(_, value)| value.clone())
                .collect(),
            body: match request.body.is_empty() {
                true => None,
                false => request.body_json().ok(),
            },
            request,
        }
    }
}
