//! Responses, and the error every operation returns.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::{InvalidRequest, RetryOutcome};

/// How many characters of a response body error messages show.
const BODY_PREVIEW_CHARS: usize = 200;

/// A response whose body has been read completely: the last attempt's.
#[derive(Debug)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) retry: RetryOutcome,
}

impl Response {
    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Decodes the body as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`], keeping the status, headers and raw body, if the
    /// body is not JSON of the expected shape.
    pub fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|source| self.decode_error(source))
    }

    /// Accepts a documented status that carries no body, ignoring any body
    /// that was sent anyway.
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// The decoder of an operation whose one documented response is
    /// `STATUS` with a JSON body: any other status is
    /// [`Error::UnexpectedStatus`].
    ///
    /// # Errors
    ///
    /// As [`json`](Self::json), or [`Error::UnexpectedStatus`].
    pub fn json_if<const STATUS: u16, T: serde::de::DeserializeOwned, E>(
        self,
    ) -> Result<T, Error<E>> {
        match self.status.as_u16() == STATUS {
            true => self.json(),
            false => Err(self.unexpected()),
        }
    }

    /// The decoder of an operation whose one documented response is
    /// `STATUS` without a body: any other status is
    /// [`Error::UnexpectedStatus`].
    ///
    /// # Errors
    ///
    /// [`Error::UnexpectedStatus`] for any other status.
    pub fn empty_if<const STATUS: u16, E>(self) -> Result<(), Error<E>> {
        match self.status.as_u16() == STATUS {
            true => self.empty(),
            false => Err(self.unexpected()),
        }
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// [`Error::Decode`] for this response, with what the decoder reported.
    pub fn decode_error<E>(self, source: serde_json::Error) -> Error<E> {
        Error::Decode {
            status: self.status,
            body: lossy(&self.body),
            headers: Box::new(self.headers),
            source,
            retry: self.retry,
        }
    }

    /// The documented error `variant` made from the decoded body.
    pub fn error_from_body<T: serde::de::DeserializeOwned, E>(
        self,
        variant: impl FnOnce(T) -> E,
    ) -> Error<E> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => self.error(variant(body)),
            Err(source) => self.decode_error(source),
        }
    }

    /// The documented error `error`, for a status without a body.
    pub fn error<E>(self, error: E) -> Error<E> {
        Error::Api {
            error: Box::new(error),
            status: self.status,
            headers: Box::new(self.headers),
            retry: self.retry,
        }
    }

    /// The error for a status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            body: lossy(&self.body),
            headers: Box::new(self.headers),
            retry: self.retry,
        }
    }
}

/// The body as text, invalid UTF-8 replaced by `U+FFFD`.
fn lossy(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// The error returned by an API operation.
///
/// `E` is the operation's own error type, with one variant for each error
/// status the API documents for it (for example a `404` carrying the API's
/// error body).
///
/// Whatever the variant, [`status`](Self::status) and
/// [`headers`](Self::headers) give the response's status and headers when
/// there was a response, and [`is_retryable`](Self::is_retryable),
/// [`retry_after`](Self::retry_after) and [`attempts`](Self::attempts) say
/// what the retry logic made of it.
///
/// The common questions are one line each, with no other import:
///
/// ```no_run
/// use sunshine_conversations::apis::switchboard_actions::PassControlError;
///
/// # async fn run(client: sunshine_conversations::Client) -> Result<(), Box<dyn std::error::Error>> {
/// # let body = sunshine_conversations::types::PassControlBody::new("next");
/// match client.switchboard_actions().pass_control("app-id", "conv-id", &body).await {
///     Ok(passed) => println!("{passed:?}"),
///     Err(err) if matches!(err.api_error(), Some(PassControlError::NotFound(_))) => println!("no such conversation"),
///     Err(err) if err.is_status(429) => println!("slow down for {:?}", err.retry_after()),
///     Err(err) => return Err(err.into()),
/// }
/// # Ok(())
/// # }
/// ```
///
/// Everything that is large (the documented error, headers, bodies) is
/// boxed or on the heap, so that a `Result<T, Error<E>>` stays a few words
/// and clippy's `result_large_err` never fires on code that returns one.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error status documented for this operation.
    #[non_exhaustive]
    Api {
        /// The documented error, by status (boxed to keep `Result`s small;
        /// [`Error::api_error`] reaches it in a `matches!`).
        error: Box<E>,
        /// The status code.
        status: StatusCode,
        /// The response headers (boxed to keep `Result`s small).
        headers: Box<HeaderMap>,
        /// What the retry logic concluded.
        retry: RetryOutcome,
    },
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
        /// What the retry logic concluded.
        retry: RetryOutcome,
    },
    /// The response body could not be decoded into the documented type.
    #[non_exhaustive]
    Decode {
        /// The status code.
        status: StatusCode,
        /// The response headers (boxed to keep `Result`s small).
        headers: Box<HeaderMap>,
        /// What the JSON decoder reported.
        source: serde_json::Error,
        /// The raw body, decoded as UTF-8 (invalid sequences replaced by
        /// `U+FFFD`).
        body: String,
        /// What the retry logic concluded.
        retry: RetryOutcome,
    },
    /// The request could not be sent or the response could not be received:
    /// connection, TLS or timeout failures, or the body being cut short.
    #[non_exhaustive]
    Transport {
        /// What the HTTP client reported.
        source: reqwest::Error,
        /// What the retry logic concluded.
        retry: RetryOutcome,
    },
    /// The request could not be built, so nothing was sent.
    InvalidRequest(InvalidRequest),
    /// A paginated list handed out a cursor it had handed out before;
    /// following it would walk the same pages forever.
    #[non_exhaustive]
    RepeatedCursor {
        /// The cursor.
        cursor: String,
    },
}

impl<E> Error<E> {
    /// The HTTP status of the response, for every error that had one
    /// (documented ones included).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest(_) | Error::RepeatedCursor { .. } => None,
        }
    }

    /// Whether the response had the status `code`: `err.is_status(404)`.
    /// `false` for errors without a response.
    pub fn is_status(&self, code: u16) -> bool {
        self.status().is_some_and(|status| status == code)
    }

    /// The value of the response header `name` (any case), for errors that
    /// came from a response with that header in visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()?.get(name)?.to_str().ok()
    }

    /// The response headers, for every error that came from a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. } => Some(headers),
            Error::Transport { .. } | Error::InvalidRequest(_) | Error::RepeatedCursor { .. } => {
                None
            }
        }
    }

    /// What the retry logic concluded, for every error from sending a request.
    pub fn retry_outcome(&self) -> Option<&RetryOutcome> {
        match self {
            Error::Api { retry, .. }
            | Error::UnexpectedStatus { retry, .. }
            | Error::Decode { retry, .. }
            | Error::Transport { retry, .. } => Some(retry),
            Error::InvalidRequest(_) | Error::RepeatedCursor { .. } => None,
        }
    }

    /// Whether the retry rules (see [`RetryPolicy`](crate::RetryPolicy))
    /// consider the failure worth trying again: `true` means retries ran out
    /// or were turned off.
    pub fn is_retryable(&self) -> bool {
        self.retry_outcome().is_some_and(RetryOutcome::is_retryable)
    }

    /// The wait the server asked for with `Retry-After`, on a retryable
    /// failure whose response had that header.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_outcome().and_then(RetryOutcome::retry_after)
    }

    /// How many times the request was sent: `0` when it could not be built.
    pub fn attempts(&self) -> u32 {
        self.retry_outcome().map_or(0, RetryOutcome::attempts)
    }

    /// The documented API error, if that is what this is: for a
    /// `matches!(err.api_error(), Some(GetUserError::NotFound(_)))`.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }

    /// Converts into the documented API error, if that is what this is.
    pub fn into_api_error(self) -> Option<E> {
        match self {
            Error::Api { error, .. } => Some(*error),
            _ => None,
        }
    }

    /// The error with `headers` as its response's headers: a decoder
    /// receives a response without them (see `Call`), and this puts them
    /// back.
    pub(crate) fn with_headers(mut self, headers: HeaderMap) -> Self {
        match &mut self {
            Error::Api { headers: kept, .. }
            | Error::UnexpectedStatus { headers: kept, .. }
            | Error::Decode { headers: kept, .. } => **kept = headers,
            Error::Transport { .. } | Error::InvalidRequest(_) | Error::RepeatedCursor { .. } => {}
        }
        self
    }

    /// The raw response body of an [`Error::UnexpectedStatus`] or
    /// [`Error::Decode`].
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Causes are left to `source()`, so error reporters that walk the
        // chain do not print them twice.
        match self {
            Error::Api { error, .. } => write!(f, "the API returned an error: {error}"),
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
            Error::Transport { retry, .. } if retry.attempts > 1 => {
                write!(f, "the HTTP request failed ({} attempts)", retry.attempts)
            }
            Error::Transport { .. } => f.write_str("the HTTP request failed"),
            Error::InvalidRequest(_) => f.write_str("the request could not be built"),
            Error::RepeatedCursor { cursor } => {
                write!(
                    f,
                    "the list repeated the page cursor `{cursor}`; stopped paging"
                )
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // `E`'s message is part of ours, so its cause comes next.
            Error::Api { error, .. } => error.source(),
            Error::Decode { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            Error::InvalidRequest(error) => Some(error),
            Error::UnexpectedStatus { .. } | Error::RepeatedCursor { .. } => None,
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
    fn an_error_stays_small_whatever_the_documented_error() {
        // clippy's `result_large_err` fires from 128 bytes on, in users'
        // functions that return `Result<_, Error<E>>`.
        let big = std::mem::size_of::<Error<[u8; 1024]>>();
        assert!(big <= 80, "Error<[u8; 1024]> is {big} bytes");
        assert_eq!(big, std::mem::size_of::<Error<()>>());
        assert!(std::mem::size_of::<Result<(), Error<[u8; 1024]>>>() < 128);
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
