//! Which failed attempts are tried again, and how long to wait first.
//!
//! The API asks callers to retry `429` with exponential backoff and jitter.
//! The rules here retry only what cannot have taken effect twice: a status
//! saying the server did not act (`429`, `503`), a gateway failure (`502`,
//! `504`) or a timeout for methods that are idempotent, and a connection
//! that failed before anything was sent.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How failed requests are retried. Set one for the whole client with
/// [`ClientBuilder::retry`](crate::ClientBuilder::retry), or for some calls with
/// [`RequestOptions::retry`](crate::RequestOptions::retry).
///
/// What is retried:
///
/// - `429 Too Many Requests` and `503 Service Unavailable`, for every method:
///   the server did not act on the request;
/// - `502 Bad Gateway`, `504 Gateway Timeout`, a timeout or a connection cut
///   while the response was read, only for `GET`, `PUT`, `DELETE`, `HEAD` and
///   `OPTIONS`, which may safely happen twice;
/// - a connection that could not be established, for every method, since
///   nothing was sent.
///
/// Nothing else is: never `400`, `401`, `403`, `404`, `409`, `422` or other
/// statuses, and never a `POST` that timed out after it was sent.
///
/// The wait before retry *n* (1, 2, …) is the response's `Retry-After`
/// (delta-seconds or an HTTP date) when it has one; otherwise a random
/// duration between zero and `initial_delay × 2ⁿ⁻¹` ("full jitter"). Either
/// way it is capped at `max_delay`.
///
/// The default: 3 retries, an initial delay of 500 ms, a ceiling of 30 s,
/// with jitter.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use sunshine_conversations::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_retries(5)
///     .max_delay(Duration::from_secs(60));
/// let never = RetryPolicy::never();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a request is sent again after its first attempt; `0`
    /// turns retries off.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry, doubled for each retry after it.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest wait before a retry, `Retry-After` included.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether the backoff is randomized between zero and its exponential
    /// bound (the default), which keeps many clients from retrying in step.
    /// Without jitter the wait is the bound itself.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Whether the attempt numbered `attempt` (from 1) may be followed by another.
    pub(crate) fn allows_retry_after(&self, attempt: u32) -> bool {
        attempt <= self.max_retries
    }

    /// The wait before retry number `retry` (from 1).
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(retry_after) = retry_after {
            return retry_after.min(self.max_delay);
        }
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let bound = self
            .initial_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        if self.jitter {
            bound.mul_f64(random_fraction())
        } else {
            bound
        }
    }
}

/// What the retry logic concluded about a request's last attempt; carried by
/// every [`Error`](crate::Error) that came from sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetryOutcome {
    pub(crate) attempts: u32,
    pub(crate) retryable: bool,
    pub(crate) retry_after: Option<Duration>,
}

impl RetryOutcome {
    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the last attempt failed in a way the retry rules would try
    /// again (retries ran out, or were turned off).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// The wait the server asked for with `Retry-After`, on a retryable
    /// response that had one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

/// The verdict on one attempt: retry or not, and the server's requested wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) retryable: bool,
    pub(crate) retry_after: Option<Duration>,
}

/// Whether a request with `method` and answered with `status` (and `headers`)
/// should be tried again.
pub(crate) fn classify_status(method: &Method, status: StatusCode, headers: &HeaderMap) -> Verdict {
    let retryable = match status.as_u16() {
        429 | 503 => true,
        502 | 504 => is_idempotent(method),
        _ => false,
    };
    Verdict {
        retryable,
        retry_after: if retryable {
            retry_after(headers)
        } else {
            None
        },
    }
}

/// Whether a request with `method` that failed with `error` before a whole
/// response arrived should be tried again.
pub(crate) fn classify_transport(method: &Method, error: &reqwest::Error) -> Verdict {
    // A failed connect sent nothing. Anything later (a timeout, a connection
    // cut while the response was read) may have reached the server.
    let retryable = error.is_connect() || is_idempotent(method);
    Verdict {
        retryable,
        retry_after: None,
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
    )
}

/// The wait asked for by a `Retry-After` header: delta-seconds, or an HTTP
/// date (a date already past asks for no wait).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A number in `[0, 1)`, different on every call. Jitter needs spread, not
/// cryptographic quality: the standard library's randomly keyed SipHash over
/// a counter gives that without another dependency.
fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    // The top 53 bits fill an f64 mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(retry_after) {
            headers.insert(RETRY_AFTER, value);
        }
        headers
    }

    #[test]
    fn statuses_that_say_the_server_did_not_act_are_retried_for_every_method() {
        for method in [Method::GET, Method::POST, Method::PATCH] {
            for status in [
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE,
            ] {
                assert!(
                    classify_status(&method, status, &HeaderMap::new()).retryable,
                    "{method} {status}"
                );
            }
        }
    }

    #[test]
    fn gateway_failures_are_retried_only_for_idempotent_methods() {
        for status in [StatusCode::BAD_GATEWAY, StatusCode::GATEWAY_TIMEOUT] {
            for method in [Method::GET, Method::PUT, Method::DELETE] {
                assert!(
                    classify_status(&method, status, &HeaderMap::new()).retryable,
                    "{method} {status}"
                );
            }
            for method in [Method::POST, Method::PATCH] {
                assert!(
                    !classify_status(&method, status, &HeaderMap::new()).retryable,
                    "{method} {status}"
                );
            }
        }
    }

    #[test]
    fn client_errors_and_other_statuses_are_never_retried() {
        for code in [200, 400, 401, 403, 404, 409, 422, 500, 501] {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            for method in [Method::GET, Method::POST] {
                let verdict = classify_status(&method, status, &headers("1"));
                assert!(!verdict.retryable, "{method} {code}");
                assert_eq!(verdict.retry_after, None, "{method} {code}");
            }
        }
    }

    #[test]
    fn retry_after_reads_delta_seconds_and_http_dates() {
        let verdict = classify_status(&Method::POST, StatusCode::TOO_MANY_REQUESTS, &headers("7"));
        assert_eq!(verdict.retry_after, Some(Duration::from_secs(7)));

        let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
        let wait = classify_status(
            &Method::POST,
            StatusCode::SERVICE_UNAVAILABLE,
            &headers(&in_a_minute),
        )
        .retry_after
        .unwrap_or_default();
        // The date has whole seconds, so up to one second is lost.
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );

        let past = classify_status(
            &Method::GET,
            StatusCode::SERVICE_UNAVAILABLE,
            &headers("Tue, 15 Nov 1994 08:12:31 GMT"),
        );
        assert_eq!(past.retry_after, Some(Duration::ZERO));
        let garbage = classify_status(
            &Method::GET,
            StatusCode::SERVICE_UNAVAILABLE,
            &headers("soon"),
        );
        assert_eq!(garbage.retry_after, None);
    }

    #[test]
    fn backoff_doubles_up_to_the_ceiling_and_retry_after_is_capped() {
        let policy = RetryPolicy::default()
            .jitter(false)
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(1000));
        let delays: Vec<u128> = (1..=6)
            .map(|retry| policy.delay(retry, None).as_millis())
            .collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(5))),
            Duration::from_millis(1000)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_millis(20))),
            Duration::from_millis(20)
        );
        // Huge retry numbers saturate instead of overflowing.
        assert_eq!(policy.delay(u32::MAX, None), Duration::from_millis(1000));
    }

    #[test]
    fn full_jitter_spreads_waits_between_zero_and_the_bound() {
        let policy = RetryPolicy::default().initial_delay(Duration::from_millis(800));
        let delays: Vec<Duration> = (0..200).map(|_| policy.delay(1, None)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(800)));
        let below_half = delays
            .iter()
            .filter(|d| **d < Duration::from_millis(400))
            .count();
        // 200 fair draws land below the midpoint between 60 and 140 times
        // with overwhelming probability.
        assert!(
            (60..=140).contains(&below_half),
            "{below_half} of 200 below half"
        );
    }

    #[test]
    fn zero_retries_allows_none() {
        assert!(!RetryPolicy::never().allows_retry_after(1));
        let twice = RetryPolicy::default().max_retries(2);
        assert!(twice.allows_retry_after(1) && twice.allows_retry_after(2));
        assert!(!twice.allows_retry_after(3));
    }
}
