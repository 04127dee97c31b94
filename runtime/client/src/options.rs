//! Options for some requests rather than the whole client.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::request::parse_header;
use crate::{InvalidRequest, RetryPolicy};

/// Extra headers, a timeout or a retry policy for the requests of one
/// [`Client`](crate::Client) handle, made with
/// [`Client::with_options`](crate::Client::with_options). Every operation
/// takes them that way, so no operation needs a second method.
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use sunshine_conversations::{Client, RequestOptions, RetryPolicy};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder().build()?;
/// let urgent = client.with_options(
///     RequestOptions::new()
///         .header("X-Request-Id", "3f1c")
///         .timeout(Duration::from_secs(5))
///         .retry(RetryPolicy::never()),
/// );
/// # let _ = urgent;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    /// The first header (name, value) that could not be parsed; reported when
    /// a request is sent. Kept as text because the parse errors are not `Clone`.
    invalid: Option<(String, String)>,
}

impl RequestOptions {
    /// No options: the client's own settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends a header with each request, replacing any header of the same
    /// name the client or the operation would send. An invalid name or value
    /// makes each request fail with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest), before
    /// anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match parse_header(name, value) {
            Ok(header) => self.headers.push(header),
            Err(_) => {
                self.invalid
                    .get_or_insert_with(|| (name.to_owned(), value.to_owned()));
            }
        }
        self
    }

    /// The time allowed for each attempt, from sending the request to reading
    /// the whole response; replaces the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy; replaces the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// These options, then `later`'s on top: its headers are added after
    /// (so they win), and its timeout and retry policy replace these.
    pub(crate) fn merged(&self, later: RequestOptions) -> RequestOptions {
        let mut merged = self.clone();
        merged.headers.extend(later.headers);
        merged.timeout = later.timeout.or(merged.timeout);
        merged.retry = later.retry.or(merged.retry);
        merged.invalid = merged.invalid.or(later.invalid);
        merged
    }

    /// The invalid header given to [`header`](Self::header), if any.
    pub(crate) fn invalid_header(&self) -> Option<InvalidRequest> {
        let (name, value) = self.invalid.as_ref()?;
        parse_header(name, value).err()
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: a value may carry a credential.
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}
