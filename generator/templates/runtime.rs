//! HTTP runtime shared by every operation of the generated client.
//!
//! Generated operation code describes a call as a [`Request`] (method, encoded
//! path, query, headers and body) and hands it to [`Client::send`], the one
//! path every request takes to the network. `send` joins the path to the base
//! URL, adds the headers common to all requests (`Accept`, `User-Agent`,
//! `Authorization`), executes the request and reads the whole body into a
//! [`Response`], which the operation then matches on its status. Behaviour that
//! must apply to every operation — retrying `429` responses with backoff,
//! timeouts, per-request options, refreshing JWTs, tracing — belongs in
//! [`Client::send`] (around its execute step), so adding it never touches the
//! generated operations.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, InvalidHeaderName, InvalidHeaderValue, ACCEPT,
    AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};

/// The `User-Agent` sent when [`ClientBuilder::user_agent`] is not called.
const DEFAULT_USER_AGENT: &str = concat!("sunshine-conversations-rust/", env!("CARGO_PKG_VERSION"));

/// Characters left as they are in a path segment or query component: the
/// RFC 3986 "unreserved" set. Everything else is percent-encoded, which keeps
/// `/`, `?`, `#`, `%`, `&`, `=`, `\` and friends from changing the URL's
/// structure.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How many characters of a response body error messages show.
const BODY_PREVIEW_CHARS: usize = 200;

// ---------------------------------------------------------------------------
// Client and builder
// ---------------------------------------------------------------------------

/// Client for the Sunshine Conversations API.
///
/// Create one with [`Client::builder`]. Cloning is cheap (the configuration
/// and the underlying connection pool are shared), so build one client and
/// clone it wherever it is needed.
///
/// # Example
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use sunshine_conversations::{Client, Server};
///
/// let client = Client::builder()
///     .server(Server::default())
///     .basic_auth("app_5f2c0a1b", "my-api-key-secret")
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    /// Normalized base URL without a trailing `/`; request paths start with one.
    base_url: String,
    /// `Accept`, `User-Agent` and, if configured, `Authorization`: sent with
    /// every request.
    headers: HeaderMap,
    /// Kept for `Debug` only; the header above is what gets sent.
    auth: Option<Auth>,
}

impl Client {
    /// Starts configuring a client. See [`ClientBuilder`] for the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to, without a trailing `/`, for example
    /// `https://api.smooch.io`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` and reads the whole response body.
    ///
    /// Every operation goes through here. The error type parameter `E` is the
    /// calling operation's documented-error type; `send` itself never produces
    /// [`Error::Api`].
    pub(crate) async fn send<E>(&self, request: Request) -> Result<Response, Error<E>> {
        let request = self.prepare(request).map_err(Error::InvalidRequest)?;
        self.execute(request).await.map_err(Error::Transport)
    }

    /// Turns a [`Request`] into a `reqwest::Request` aimed at this client's base
    /// URL, with the client-wide headers applied.
    fn prepare(&self, request: Request) -> Result<reqwest::Request, InvalidRequest> {
        let Request {
            method,
            path,
            query,
            headers: request_headers,
            body,
            error,
        } = request;
        if let Some(error) = error {
            return Err(error);
        }

        let url = self.url(&path, &query)?;

        // Request headers replace client-wide ones of the same name, so each
        // header, `Authorization` included, is sent exactly once.
        let mut headers = self.inner.headers.clone();
        for (name, value) in request_headers {
            headers.insert(name, value);
        }

        let builder = self.inner.http.request(method, url);
        let builder = match body {
            Body::Empty => builder.headers(headers),
            Body::Json(json) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                builder.headers(headers).body(json)
            }
            // reqwest sets the multipart content type, including its boundary.
            Body::Multipart(form) => builder.headers(headers).multipart(form),
        };
        builder.build().map_err(InvalidRequest::Http)
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

    /// Executes a prepared request and reads the whole response.
    async fn execute(&self, request: reqwest::Request) -> Result<Response, reqwest::Error> {
        let mut response = self.inner.http.execute(request).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`Client`]; created by [`Client::builder`].
///
/// Defaults: the server is [`Server::default()`](crate::Server), no
/// credentials are sent, and a new HTTP client with rustls TLS is built.
#[derive(Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    server: crate::Server,
    base_url: Option<String>,
    auth: Option<Auth>,
    http_client: Option<reqwest::Client>,
    user_agent: Option<String>,
}

impl ClientBuilder {
    /// Sends requests to one of the API's servers.
    ///
    /// Ignored if [`base_url`](Self::base_url) is set.
    pub fn server(mut self, server: crate::Server) -> Self {
        self.server = server;
        self
    }

    /// Sends requests to any base URL instead of one of the API's servers, for
    /// example a proxy or a local test server (`http://127.0.0.1:8080`).
    ///
    /// The URL may include a path prefix; a trailing `/` makes no difference.
    /// It must be an `http` or `https` URL without credentials, query or
    /// fragment, which [`build`](Self::build) checks. Overrides
    /// [`server`](Self::server).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Authenticates with an API key, sent with HTTP Basic authentication.
    ///
    /// Replaces any credentials set earlier.
    pub fn basic_auth(self, key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.auth(Auth::basic(key_id, secret))
    }

    /// Authenticates with a signed JWT, sent as a bearer token.
    ///
    /// Replaces any credentials set earlier.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.auth(Auth::bearer(token))
    }

    /// Authenticates with the given credentials.
    ///
    /// Replaces any credentials set earlier.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Sends requests with this `reqwest` client instead of building a new one,
    /// for example to share a connection pool or to configure timeouts,
    /// proxies or TLS.
    ///
    /// The `Accept`, `User-Agent` and `Authorization` headers this crate sets
    /// on each request take precedence over default headers of the same name
    /// configured on `client`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the `User-Agent` header sent with every request.
    ///
    /// Defaults to `sunshine-conversations-rust/<version>`. The header is set
    /// on each request, so it is also sent through a client given to
    /// [`http_client`](Self::http_client) and replaces that client's own
    /// default `User-Agent`; include your application's name here instead.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Validates the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// Returns a [`BuildError`] if the base URL is not a valid `http`/`https`
    /// URL, if the credentials or user agent cannot be sent in an HTTP header,
    /// or if the default HTTP client cannot be initialized.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = match self.base_url {
            Some(base_url) => normalize_base_url(&base_url)?,
            None => normalize_base_url(&self.server.url())?,
        };

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent = match self.user_agent {
            Some(user_agent) => {
                HeaderValue::try_from(user_agent).map_err(BuildError::InvalidUserAgent)?
            }
            None => HeaderValue::from_static(DEFAULT_USER_AGENT),
        };
        headers.insert(USER_AGENT, user_agent);
        if let Some(auth) = &self.auth {
            headers.insert(AUTHORIZATION, auth.header_value()?);
        }

        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(BuildError::HttpClient)?,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                headers,
                auth: self.auth,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only whether an HTTP client was given: its `Debug` output lists its
        // default headers, which may hold credentials.
        f.debug_struct("ClientBuilder")
            .field("server", &self.server)
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("custom_http_client", &self.http_client.is_some())
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Checks a base URL and returns it serialized without a trailing `/`.
fn normalize_base_url(input: &str) -> Result<String, BuildError> {
    let invalid = |url: &str, reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };

    let mut url = Url::parse(input).map_err(|error| invalid(input, &error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(input, "the scheme must be `http` or `https`"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // reqwest would turn these into a second `Authorization` header. Strip
        // them from the message so the error never echoes a password.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        return Err(invalid(
            url.as_str(),
            "credentials in the URL are not supported; use `basic_auth` or `bearer_token`",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(input, "the URL must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Credentials sent in the `Authorization` header of every request.
///
/// The `Debug` output never shows the secret or the token.
#[derive(Clone)]
#[non_exhaustive]
pub enum Auth {
    /// An API key, sent with HTTP Basic authentication.
    Basic {
        /// The key's id, for example `app_5f2c0a1b` or `act_5f2c0a1b`.
        key_id: String,
        /// The key's secret.
        secret: String,
    },
    /// A signed JWT, sent as a bearer token.
    Bearer(String),
}

impl Auth {
    /// An API key, sent with HTTP Basic authentication.
    pub fn basic(key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Auth::Basic {
            key_id: key_id.into(),
            secret: secret.into(),
        }
    }

    /// A signed JWT, sent as a bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth::Bearer(token.into())
    }

    /// The `Authorization` header value, marked sensitive so that `http` and
    /// `reqwest` keep it out of their `Debug` output.
    fn header_value(&self) -> Result<HeaderValue, BuildError> {
        let invalid = |reason| BuildError::InvalidCredentials { reason };
        let value = match self {
            Auth::Basic { key_id, secret } => {
                // RFC 7617: the user id ends at the first colon.
                if key_id.contains(':') {
                    return Err(invalid("the key id contains `:`"));
                }
                format!(
                    "Basic {}",
                    base64_encode(format!("{key_id}:{secret}").as_bytes())
                )
            }
            Auth::Bearer(token) => {
                if token.is_empty() {
                    return Err(invalid("the bearer token is empty"));
                }
                format!("Bearer {token}")
            }
        };
        let mut value = HeaderValue::try_from(value).map_err(|_| {
            invalid("the credentials contain characters not allowed in an HTTP header, such as a line break")
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Stands in for a credential in `Debug` output.
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        match self {
            // The key id identifies the key but grants nothing on its own, and
            // seeing it helps when debugging which key is in use.
            Auth::Basic { key_id, .. } => f
                .debug_struct("Basic")
                .field("key_id", key_id)
                .field("secret", &Redacted)
                .finish(),
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&Redacted).finish(),
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), as HTTP Basic authentication
/// requires. Done here because reqwest only offers it on a request builder,
/// and building the header once lets [`ClientBuilder::build`] validate it.
fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    let mut output = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let mut bytes = [0u8; 3];
        bytes[..chunk.len()].copy_from_slice(chunk);
        let group = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        // A chunk of n bytes yields n + 1 significant characters.
        for index in 0..4 {
            if index <= chunk.len() {
                let sextet = (group >> (18 - 6 * index)) & 0b11_1111;
                output.push(char::from(ALPHABET[sextet as usize]));
            } else {
                output.push('=');
            }
        }
    }
    output
}

/// Reasons a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL (from [`ClientBuilder::base_url`] or the server) is not a
    /// usable `http`/`https` URL.
    #[non_exhaustive]
    InvalidBaseUrl {
        /// The URL as given, with any credentials removed.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The credentials cannot be sent in an `Authorization` header.
    #[non_exhaustive]
    InvalidCredentials {
        /// Why they were rejected; never includes the credentials themselves.
        reason: &'static str,
    },
    /// The user agent contains characters not allowed in an HTTP header.
    InvalidUserAgent(InvalidHeaderValue),
    /// The default HTTP client could not be initialized.
    HttpClient(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            BuildError::InvalidCredentials { reason } => write!(f, "invalid credentials: {reason}"),
            BuildError::InvalidUserAgent(_) => {
                f.write_str("the user agent is not a valid HTTP header value")
            }
            BuildError::HttpClient(_) => f.write_str("could not initialize the HTTP client"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::InvalidUserAgent(error) => Some(error),
            BuildError::HttpClient(error) => Some(error),
            BuildError::InvalidBaseUrl { .. } | BuildError::InvalidCredentials { .. } => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------

/// One API call as described by generated operation code, before it is sent
/// with [`Client::send`].
///
/// Building never fails: the first problem (say, a body that does not
/// serialize) is remembered and reported by `send` as
/// [`Error::InvalidRequest`], so operations can build requests fluently.
#[derive(Debug)]
#[must_use = "a request does nothing until it is passed to `Client::send`"]
pub(crate) struct Request {
    method: Method,
    /// Already encoded; starts with `/`.
    path: String,
    /// Encoded `name=value` pairs joined by `&`, without the leading `?`.
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Body,
    error: Option<InvalidRequest>,
}

#[derive(Debug)]
enum Body {
    Empty,
    Json(Vec<u8>),
    Multipart(reqwest::multipart::Form),
}

// The runtime is copied verbatim into the generated crate, and not every API
// description has query parameters, header parameters, multipart bodies or
// body-less responses, so some of these helpers may go unused.
impl Request {
    /// A request for `path`, which must already be encoded (see
    /// [`encode_path_segment`]) and is relative to the base URL.
    pub(crate) fn new(method: Method, path: String) -> Self {
        // Joined to a base URL without trailing `/`, a path without a leading
        // one would merge into the host or the last base segment.
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        Request {
            method,
            path,
            query: String::new(),
            headers: Vec::new(),
            body: Body::Empty,
            error: None,
        }
    }

    /// Appends the query parameter `name=value`, percent-encoding both.
    ///
    /// Call it once per value to send a repeated (exploded) parameter.
    #[allow(dead_code)]
    pub(crate) fn query(mut self, name: &str, value: impl ToString) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(utf8_percent_encode(name, COMPONENT));
        self.query.push('=');
        self.query
            .extend(utf8_percent_encode(&value.to_string(), COMPONENT));
        self
    }

    /// Sets a header, replacing the client-wide header of the same name if
    /// there is one. An invalid name or value (a line break, say) makes
    /// [`Client::send`] fail with [`Error::InvalidRequest`].
    #[allow(dead_code)]
    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        let header_name = match HeaderName::from_bytes(name.as_bytes()) {
            Ok(header_name) => header_name,
            Err(source) => {
                self.fail(InvalidRequest::HeaderName {
                    name: name.to_owned(),
                    source,
                });
                return self;
            }
        };
        match HeaderValue::try_from(value.to_string()) {
            Ok(value) => self.headers.push((header_name, value)),
            Err(source) => self.fail(InvalidRequest::HeaderValue {
                name: name.to_owned(),
                source,
            }),
        }
        self
    }

    /// Sends `body` serialized as JSON, with `Content-Type: application/json`.
    ///
    /// The body is serialized now; if that fails, [`Client::send`] reports it.
    pub(crate) fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(json) => self.body = Body::Json(json),
            Err(error) => self.fail(InvalidRequest::Body(error)),
        }
        self
    }

    /// Sends `form` as a `multipart/form-data` body.
    #[allow(dead_code)]
    pub(crate) fn multipart(mut self, form: reqwest::multipart::Form) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    /// Records why the request cannot be sent; the first reason wins.
    fn fail(&mut self, error: InvalidRequest) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }
}

/// Percent-encodes `segment` for use as one path segment.
///
/// Everything but ASCII letters, digits, `-`, `.`, `_` and `~` is encoded, so a
/// value containing `/`, `?`, `#` or `%` stays a single segment. A segment
/// that is exactly `.` or `..` is encoded as `%2E` or `%2E%2E`; URL parsing
/// still treats those as dot segments, so [`Client::send`] refuses such a
/// request rather than let it reach a different resource.
pub(crate) fn encode_path_segment(segment: &str) -> Cow<'_, str> {
    match segment {
        "." => Cow::Borrowed("%2E"),
        ".." => Cow::Borrowed("%2E%2E"),
        _ => utf8_percent_encode(segment, COMPONENT).into(),
    }
}

/// Why a request could not be sent. No request reached the network.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// The request body could not be serialized as JSON.
    Body(serde_json::Error),
    /// A header name is not valid in HTTP.
    #[non_exhaustive]
    HeaderName {
        /// The header's name.
        name: String,
        /// Why it is invalid.
        source: InvalidHeaderName,
    },
    /// A header value contains characters not allowed in HTTP, such as a line
    /// break.
    #[non_exhaustive]
    HeaderValue {
        /// The header's name.
        name: String,
        /// Why the value is invalid.
        source: InvalidHeaderValue,
    },
    /// The request URL could not be formed, or URL parsing would have changed
    /// which resource it addresses (a path parameter of `.` or `..`).
    #[non_exhaustive]
    Url {
        /// The URL as formed from the base URL, path and query.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The HTTP client rejected the request.
    Http(reqwest::Error),
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidRequest::Body(_) => {
                f.write_str("the request body could not be serialized as JSON")
            }
            InvalidRequest::HeaderName { name, .. } => {
                write!(f, "`{name}` is not a valid HTTP header name")
            }
            // The value itself is left out: it may be sensitive.
            InvalidRequest::HeaderValue { name, .. } => {
                write!(
                    f,
                    "the value of the `{name}` header is not a valid HTTP header value"
                )
            }
            InvalidRequest::Url { url, reason } => {
                write!(f, "cannot send a request to `{url}`: {reason}")
            }
            InvalidRequest::Http(_) => f.write_str("the HTTP client rejected the request"),
        }
    }
}

impl std::error::Error for InvalidRequest {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InvalidRequest::Body(error) => Some(error),
            InvalidRequest::HeaderName { source, .. } => Some(source),
            InvalidRequest::HeaderValue { source, .. } => Some(source),
            InvalidRequest::Http(error) => Some(error),
            InvalidRequest::Url { .. } => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------

/// A response whose body has been read completely.
#[derive(Debug)]
pub(crate) struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// The HTTP status code.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// Decodes the body as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`], keeping the status and the raw body, if the body is
    /// not JSON of the expected shape.
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            source,
            body: String::from_utf8_lossy(&self.body).into_owned(),
        })
    }

    /// Accepts a documented status that carries no body, ignoring any body
    /// that was sent anyway.
    #[allow(dead_code)]
    pub(crate) fn empty<E>(&self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// The error for a status the operation does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }
}

// ---------------------------------------------------------------------------
// Error
// ---------------------------------------------------------------------------

/// The error returned by an API operation.
///
/// `E` is the operation's own error type, with one variant for each error
/// status the API documents for it (for example a `404` carrying the API's
/// error body).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error status documented for this operation.
    Api(E),
    /// The API answered with a status not documented for this operation, for
    /// example a `502` from a proxy with an HTML body.
    #[non_exhaustive]
    UnexpectedStatus {
        /// The status code.
        status: StatusCode,
        /// The response headers (boxed to keep `Result`s small).
        headers: Box<HeaderMap>,
        /// The raw body, decoded as UTF-8 (invalid sequences replaced by
        /// `U+FFFD`).
        body: String,
    },
    /// The response body could not be decoded into the documented type.
    #[non_exhaustive]
    Decode {
        /// The status code.
        status: StatusCode,
        /// What the JSON decoder reported.
        source: serde_json::Error,
        /// The raw body, decoded as UTF-8 (invalid sequences replaced by
        /// `U+FFFD`).
        body: String,
    },
    /// The request could not be sent or the response could not be received:
    /// connection, TLS or timeout failures, or the body being cut short.
    Transport(reqwest::Error),
    /// The request could not be built, so nothing was sent.
    InvalidRequest(InvalidRequest),
}

impl<E> Error<E> {
    /// The HTTP status of the response, if one was received and is known.
    ///
    /// For [`Error::Api`] this is `None`: the status is implied by the
    /// variant of `E`.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::Api(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The documented API error, if that is what this is.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Converts into the documented API error, if that is what this is.
    pub fn into_api_error(self) -> Option<E> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The raw response body of an [`Error::UnexpectedStatus`] or
    /// [`Error::Decode`].
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response headers of an [`Error::UnexpectedStatus`].
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::UnexpectedStatus { headers, .. } => Some(headers),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Causes are left to `source()`, so error reporters that walk the
        // chain do not print them twice.
        match self {
            Error::Api(error) => write!(f, "the API returned an error: {error}"),
            Error::UnexpectedStatus { status, body, .. } => write!(
                f,
                "unexpected HTTP status {} ({})",
                DisplayStatus(*status),
                BodyPreview(body)
            ),
            Error::Decode { status, body, .. } => write!(
                f,
                "could not decode the body of an HTTP {} response ({})",
                DisplayStatus(*status),
                BodyPreview(body)
            ),
            Error::Transport(_) => f.write_str("the HTTP request failed"),
            Error::InvalidRequest(_) => f.write_str("the request could not be built"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // `E`'s message is part of ours, so its cause comes next.
            Error::Api(error) => error.source(),
            Error::Decode { source, .. } => Some(source),
            Error::Transport(error) => Some(error),
            Error::InvalidRequest(error) => Some(error),
            Error::UnexpectedStatus { .. } => None,
        }
    }
}

/// Displays a status as `404 Not Found`, or just `599` for unknown codes.
struct DisplayStatus(StatusCode);

impl fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0.as_u16()),
            None => write!(f, "{}", self.0.as_u16()),
        }
    }
}

/// Displays a response body quoted and escaped, cut to
/// [`BODY_PREVIEW_CHARS`] characters so an HTML error page does not flood
/// logs.
struct BodyPreview<'a>(&'a str);

impl fmt::Display for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.0;
        if body.is_empty() {
            return f.write_str("empty body");
        }
        // `char_indices` yields char boundaries, so slicing there cannot panic.
        match body.char_indices().nth(BODY_PREVIEW_CHARS) {
            Some((end, _)) => write!(
                f,
                "body: {:?}… ({} bytes in total)",
                &body[..end],
                body.len()
            ),
            None => write!(f, "body: {body:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64_encode(input.as_bytes()), expected, "input {input:?}");
        }
        assert_eq!(base64_encode(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn body_preview_truncates_on_a_char_boundary() {
        let body = "é".repeat(BODY_PREVIEW_CHARS + 50);
        let preview = BodyPreview(&body).to_string();
        assert!(preview.starts_with(&format!("body: \"{}", "é".repeat(BODY_PREVIEW_CHARS))));
        assert!(preview.ends_with(&format!("\"… ({} bytes in total)", body.len())));

        let exact = "🦀".repeat(BODY_PREVIEW_CHARS);
        assert_eq!(BodyPreview(&exact).to_string(), format!("body: {exact:?}"));
        assert_eq!(BodyPreview("").to_string(), "empty body");
    }

    #[test]
    fn status_display_handles_unknown_codes() {
        assert_eq!(
            DisplayStatus(StatusCode::NOT_FOUND).to_string(),
            "404 Not Found"
        );
        let unknown = StatusCode::from_u16(599)
            .map(DisplayStatus)
            .map(|s| s.to_string());
        assert_eq!(unknown.ok().as_deref(), Some("599"));
    }
}
