//! Configuring and building a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, InvalidHeaderValue, ACCEPT, USER_AGENT};
use reqwest::Url;

use crate::auth::{Auth, Authorization};
use crate::client::ClientInner;
use crate::{Client, RetryPolicy};

/// What a generated crate tells the runtime about its API: the client type
/// that [`ClientBuilder::build`] returns, and the API's servers.
pub trait Api: From<Client> {
    /// The servers the document lists; its `Default` is the first one.
    type Server: Server;
}

/// One of the servers an API is served from.
pub trait Server: Clone + Default + fmt::Debug {
    /// The base URL of this server, such as `https://api.smooch.io`.
    fn url(&self) -> String;
}

/// The `User-Agent` sent when [`ClientBuilder::user_agent`] is not called.
const DEFAULT_USER_AGENT: &str = concat!("sunshine-conversations-rust/", env!("CARGO_PKG_VERSION"));

/// The time allowed for each attempt unless [`ClientBuilder::timeout`] says
/// otherwise: long enough for the API's slowest documented calls (uploads),
/// short enough that a hung connection does not hold a worker for minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The time allowed to open a connection unless
/// [`ClientBuilder::connect_timeout`] says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures and builds the client of API `C`; a generated crate's
/// `Client::builder()` creates one.
///
/// Defaults: the server is the API's default server, no
/// credentials are sent, each attempt has [`DEFAULT_TIMEOUT`] and each
/// connection [`DEFAULT_CONNECT_TIMEOUT`], failed requests are retried as
/// [`RetryPolicy::default()`] says, and a new HTTP client with rustls TLS is
/// built.
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C: Api> {
    server: C::Server,
    base_url: Option<String>,
    auth: Option<Auth>,
    http_client: Option<reqwest::Client>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl<C: Api> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            server: C::Server::default(),
            base_url: None,
            auth: None,
            http_client: None,
            user_agent: None,
            timeout: None,
            connect_timeout: None,
            retry: RetryPolicy::default(),
        }
    }
}

impl<C: Api> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            server: self.server.clone(),
            base_url: self.base_url.clone(),
            auth: self.auth.clone(),
            http_client: self.http_client.clone(),
            user_agent: self.user_agent.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry.clone(),
        }
    }
}

impl<C: Api> ClientBuilder<C> {
    /// Sends requests to one of the API's servers.
    ///
    /// Ignored if [`base_url`](Self::base_url) is set.
    pub fn server(mut self, server: C::Server) -> Self {
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

    /// Authenticates with a JWT signed elsewhere, sent as a bearer token.
    ///
    /// Replaces any credentials set earlier. To have this crate sign JWTs
    /// from an API key, and sign new ones before they expire, use
    /// [`Auth::jwt`].
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.auth(Auth::bearer(token))
    }

    /// Authenticates with the given credentials: an [`Auth`], or the
    /// [`Jwt`](crate::Jwt) settings made by [`Auth::jwt`].
    ///
    /// Replaces any credentials set earlier.
    pub fn auth(mut self, auth: impl Into<Auth>) -> Self {
        self.auth = Some(auth.into());
        self
    }

    /// Sends requests with this `reqwest` client instead of building a new one,
    /// for example to share a connection pool or to configure proxies or TLS.
    ///
    /// The `Accept`, `User-Agent` and `Authorization` headers this crate sets
    /// on each request take precedence over default headers of the same name
    /// configured on `client`. [`connect_timeout`](Self::connect_timeout)
    /// does not apply to it (configure it on `client`); the per-attempt
    /// [`timeout`](Self::timeout) applies only if set here, so a timeout
    /// configured on `client` is kept otherwise.
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

    /// The time allowed for each attempt, from sending the request to reading
    /// the whole response. Defaults to [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed to open a connection (TCP and TLS). Defaults to
    /// [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed requests are retried; [`RetryPolicy::never()`] turns
    /// retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Validates the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// Returns a [`BuildError`] if the base URL is not a valid `http`/`https`
    /// URL, if the credentials or user agent cannot be sent in an HTTP header,
    /// or if the default HTTP client cannot be initialized.
    pub fn build(self) -> Result<C, BuildError> {
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
        let authorization = self.auth.as_ref().map(Authorization::new).transpose()?;

        let (http, timeout) = match self.http_client {
            Some(http) => (http, self.timeout),
            None => {
                let http = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .build()
                    .map_err(BuildError::HttpClient)?;
                (http, Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)))
            }
        };

        Ok(C::from(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                headers,
                authorization,
                auth: self.auth,
                timeout,
                retry: self.retry,
            }),
            options: None,
        }))
    }
}

impl<C: Api> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only whether an HTTP client was given: its `Debug` output lists its
        // default headers, which may hold credentials.
        f.debug_struct("ClientBuilder")
            .field("server", &self.server)
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("custom_http_client", &self.http_client.is_some())
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
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
