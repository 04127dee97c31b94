//! The `tracing` span of each request (cargo feature `tracing`, on by
//! default). Without the feature these are no-ops the compiler removes.

use std::future::Future;
use std::time::Duration;

use crate::request::Request;

/// The span of one request, across all its attempts.
pub(crate) struct RequestSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

#[cfg(feature = "tracing")]
impl RequestSpan {
    /// A span recording the operation id, method and path template; status,
    /// attempt and elapsed time are recorded as attempts end. Parameter
    /// values, headers and bodies are never recorded: they may be personal
    /// data or credentials.
    pub(crate) fn new(request: &Request) -> Self {
        let span = tracing::info_span!(
            "api_request",
            operation = request.operation,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        Self { span }
    }

    /// Runs `future` inside the span.
    pub(crate) async fn run<F: Future>(&self, future: F) -> F::Output {
        tracing::Instrument::instrument(future, self.span.clone()).await
    }

    /// Records how attempt `attempt` ended: with a status, or without a
    /// response.
    pub(crate) fn attempt_ended(&self, attempt: u32, status: Option<u16>, elapsed: Duration) {
        self.span.record("attempt", attempt);
        if let Some(status) = status {
            self.span.record("status", status);
        }
        self.span.record("elapsed_ms", elapsed.as_millis() as u64);
    }

    /// Notes that attempt `attempt` is followed by another after `delay`.
    pub(crate) fn retrying(&self, attempt: u32, status: Option<u16>, delay: Duration) {
        tracing::debug!(parent: &self.span, attempt, status, delay_ms = delay.as_millis() as u64, "retrying");
    }
}

#[cfg(not(feature = "tracing"))]
impl RequestSpan {
    pub(crate) fn new(_request: &Request) -> Self {
        Self {}
    }

    pub(crate) async fn run<F: Future>(&self, future: F) -> F::Output {
        future.await
    }

    pub(crate) fn attempt_ended(&self, _attempt: u32, _status: Option<u16>, _elapsed: Duration) {}

    pub(crate) fn retrying(&self, _attempt: u32, _status: Option<u16>, _delay: Duration) {}
}
