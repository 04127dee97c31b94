//! [`ResponseMeta`]: the status and headers of a successful answer, for
//! callers who need more than its body (a request id, rate-limit headers).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::{Call, Error};

/// The status, headers and attempt count of the response an operation
/// decoded; `call.with_metadata().await` returns it beside the result.
///
/// ```no_run
/// # async fn run(client: sunshine_conversations::Client) -> Result<(), Box<dyn std::error::Error>> {
/// # let body = sunshine_conversations::types::PassControlBody::new("next");
/// let (passed, meta) = client.switchboard_actions().pass_control("app-id", "conv-id", &body).with_metadata().await?;
/// println!("request {:?}: {passed:?}", meta.header("x-request-id"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl ResponseMeta {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, attempts: u32) -> Self {
        ResponseMeta {
            status,
            headers,
            attempts,
        }
    }

    /// The HTTP status code, such as `200` (comparable with a `u16`:
    /// `meta.status() == 201`).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of the header `name` (any case), when it is present and
    /// visible ASCII; the first one if the header is repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// How many times the request was sent before this answer.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

type Sending<T, E> = Pin<Box<dyn Future<Output = Result<(T, ResponseMeta), Error<E>>> + Send>>;

/// A [`Call`] whose result comes with the response's [`ResponseMeta`];
/// returned by `.with_metadata()` on a call.
#[must_use = "a call does nothing until it is awaited"]
pub struct WithMetadata<T, E>(Sending<T, E>);

impl<T: Send + 'static, E: Send + 'static> WithMetadata<T, E> {
    pub(crate) fn new(call: Call<T, E>) -> Self {
        WithMetadata(call.into_sending())
    }
}

impl<T, E> Future for WithMetadata<T, E> {
    type Output = Result<(T, ResponseMeta), Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl<T, E> std::fmt::Debug for WithMetadata<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithMetadata").finish_non_exhaustive()
    }
}
