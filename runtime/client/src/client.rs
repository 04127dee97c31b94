//! [`Client`]: the configured connection to the API, and [`Client::send`],
//! the one path every request takes to the network.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{Method, Url};
use tokio::time::Instant;

use crate::auth::{Auth, Authorization};
use crate::request::Body;
use crate::retry::{self, RetryOutcome, RetryPolicy};
use crate::{trace, Error, InvalidRequest, Request, RequestOptions, Response};

/// The connection to the API that a generated crate's `Client` wraps: base
/// URL, credentials, timeouts, retry policy and connection pool.
///
/// Built by [`ClientBuilder::build`](crate::ClientBuilder::build). Cloning is
/// cheap (the configuration and the connection pool are shared).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
    /// Set on handles made by [`Client::with_options`].
    pub(crate) options: Option<Arc<RequestOptions>>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// Normalized base URL without a trailing `/`; request paths start with one.
    pub(crate) base_url: String,
    /// `Accept` and `User-Agent`, sent with every request.
    pub(crate) headers: HeaderMap,
    /// What is sent as `Authorization`, if anything.
    pub(crate) authorization: Option<Authorization>,
    /// Kept for `Debug` only; `authorization` is what gets sent.
    pub(crate) auth: Option<Auth>,
    /// Per attempt; `None` leaves it to the HTTP client.
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
}

impl Client {
    /// The base URL requests are sent to, without a trailing `/`, for example
    /// `https://api.smooch.io`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle to the same client whose requests carry `options` (extra
    /// headers, a timeout, a retry policy), on top of any this handle
    /// already has. Cheap: the connection pool and settings are shared.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let options = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Client {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(options)),
        }
    }

    /// Sends `request`, retrying as the retry policy allows, and reads the
    /// whole body of the last response.
    ///
    /// Every operation goes through here. The error type parameter `E` is the
    /// calling operation's documented-error type; `send` itself never produces
    /// [`Error::Api`]: a response of any status is returned for the operation
    /// to decode.
    pub async fn send<E>(&self, mut request: Request) -> Result<Response, Error<E>> {
        if let Some(error) = request.error.take() {
            return Err(Error::InvalidRequest(error));
        }
        let options = self.options.as_deref();
        if let Some(error) = options.and_then(RequestOptions::invalid_header) {
            return Err(Error::InvalidRequest(error));
        }
        let policy = options
            .and_then(|options| options.retry.as_ref())
            .unwrap_or(&self.inner.retry);
        let span = trace::RequestSpan::new(&request);
        span.run(self.attempts(&request, policy, &span)).await
    }

    /// The attempt loop of [`send`](Self::send).
    async fn attempts<E>(
        &self,
        request: &Request,
        policy: &RetryPolicy,
        span: &trace::RequestSpan,
    ) -> Result<Response, Error<E>> {
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let prepared = self.prepare(request).map_err(Error::InvalidRequest)?;
            let outcome = self.execute(prepared).await;
            let (status, verdict) = match &outcome {
                Ok((status, headers, _)) => (
                    Some(status.as_u16()),
                    retry::classify_status(&request.method, *status, headers),
                ),
                Err(error) => (None, retry::classify_transport(&request.method, error)),
            };
            span.attempt_ended(attempt, status, started.elapsed());
            if verdict.retryable && policy.allows_retry_after(attempt) {
                let delay = policy.delay(attempt, verdict.retry_after);
                span.retrying(attempt, status, delay);
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            let retry = RetryOutcome {
                attempts: attempt,
                retryable: verdict.retryable,
                retry_after: verdict.retry_after,
            };
            return match outcome {
                Ok((status, headers, body)) => Ok(Response {
                    status,
                    headers,
                    body,
                    retry,
                }),
                Err(source) => Err(Error::Transport { source, retry }),
            };
        }
    }

    /// One attempt's `reqwest::Request`: `request` aimed at this client's base
    /// URL, with the client-wide headers, credentials, options and timeout.
    fn prepare(&self, request: &Request) -> Result<reqwest::Request, InvalidRequest> {
        let url = self.url(&request.path, &request.query)?;

        // Later layers replace earlier ones, so each header is sent exactly
        // once: client-wide, then credentials, then the operation's own, then
        // per-request options.
        let mut headers = self.inner.headers.clone();
        if let Some(authorization) = &self.inner.authorization {
            headers.insert(AUTHORIZATION, authorization.header_value()?);
        }
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        let options = self.options.as_deref();
        for (name, value) in options.map_or(&[][..], |options| &options.headers) {
            headers.insert(name.clone(), value.clone());
        }

        let mut prepared = reqwest::Request::new(request.method.clone(), url);
        match &request.body {
            Body::Empty => {
                // Some proxies answer `411 Length Required` to a body-less
                // POST without `Content-Length`.
                if matches!(request.method, Method::POST | Method::PUT | Method::PATCH) {
                    headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
            }
            Body::Json(json) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                *prepared.body_mut() = Some(reqwest::Body::from(json.clone()));
            }
            Body::Multipart(form) => {
                // reqwest sets the multipart content type, with its boundary.
                let builder =
                    reqwest::RequestBuilder::from_parts(self.inner.http.clone(), prepared)
                        .multipart(form.to_form()?);
                prepared = builder.build().map_err(InvalidRequest::Http)?;
            }
        }
        prepared.headers_mut().extend(headers);
        *prepared.timeout_mut() = options
            .and_then(|options| options.timeout)
            .or(self.inner.timeout);
        Ok(prepared)
    }

    /// Joins `path` and `query` to the base URL.
    fn url(&self, path: &str, query: &str) -> Result<Url, InvalidRequest> {
        // An empty path parameter would leave `//` in the path and address a
        // different resource (or none); refuse it rather than send it.
        if path.contains("//") {
            return Err(InvalidRequest::Url {
                reason: "a path parameter is empty".to_owned(),
                url: format!("{}{path}", self.inner.base_url),
            });
        }
        let mut url =
            String::with_capacity(self.inner.base_url.len() + path.len() + query.len() + 1);
        url.push_str(&self.inner.base_url);
        url.push_str(path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }

        let parsed = Url::parse(&url).map_err(|error| InvalidRequest::Url {
            reason: error.to_string(),
            url: url.clone(),
        })?;
        // Path parameters and the query are already percent-encoded, so parsing
        // should reproduce the string exactly. It does not when a path segment
        // is `.` or `..`: URL parsing removes those even percent-encoded
        // (`%2E%2E`), so a path parameter equal to `..` would silently address
        // the parent resource. Refuse instead.
        if parsed.as_str() != url {
            return Err(InvalidRequest::Url {
                url,
                reason:
                    "the URL would be rewritten before sending (is a path parameter `.` or `..`?)"
                        .to_owned(),
            });
        }
        Ok(parsed)
    }

    /// Executes one attempt and reads the whole response.
    async fn execute(
        &self,
        request: reqwest::Request,
    ) -> Result<(reqwest::StatusCode, HeaderMap, bytes::Bytes), reqwest::Error> {
        let mut response = self.inner.http.execute(request).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok((status, headers, body))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
