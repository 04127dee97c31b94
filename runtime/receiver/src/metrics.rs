//! The receiver's counts, through the [`metrics`](https://docs.rs/metrics)
//! facade: install any recorder (a Prometheus exporter, StatsD) in the
//! application and they appear under these names. Without a recorder they
//! cost a branch each.
//!
//! | name | kind | labels | counts |
//! |---|---|---|---|
//! | `sunshine_webhook_deliveries_received_total` | counter | | every delivery |
//! | `sunshine_webhook_deliveries_verified_total` | counter | | those whose `X-API-Key` matched |
//! | `sunshine_webhook_deliveries_rejected_total` | counter | `reason`: `closed`, `unauthorized`, `too_large`, `malformed` | those answered `503` (closed), `401`, `413`, `400` |
//! | `sunshine_webhook_events_queued_total` | counter | | events put in the queue |
//! | `sunshine_webhook_events_duplicate_total` | counter | | events skipped as done already |
//! | `sunshine_webhook_events_busy_total` | counter | | events another caller held a claim on |
//! | `sunshine_webhook_events_handled_total` | counter | | events whose handler said done |
//! | `sunshine_webhook_events_retried_total` | counter | | transient failures (a time limit, a panic) given another attempt |
//! | `sunshine_webhook_events_dead_lettered_total` | counter | `reason`: `undecodable`, `failed`, `gave_up` | events sent to the dead letters |
//! | `sunshine_webhook_queue_length` | gauge | | events in the queue, taken ones included, as a worker last saw |
//! | `sunshine_webhook_queue_lag_seconds` | histogram | | from an event's entry into the queue to a worker taking it |

use std::time::SystemTime;

/// Deliveries received.
pub const RECEIVED: &str = "sunshine_webhook_deliveries_received_total";
/// Deliveries whose key matched.
pub const VERIFIED: &str = "sunshine_webhook_deliveries_verified_total";
/// Deliveries refused, by `reason`.
pub const REJECTED: &str = "sunshine_webhook_deliveries_rejected_total";
/// Events put in the queue.
pub const QUEUED: &str = "sunshine_webhook_events_queued_total";
/// Events skipped as done already.
pub const DUPLICATE: &str = "sunshine_webhook_events_duplicate_total";
/// Events another caller held.
pub const BUSY: &str = "sunshine_webhook_events_busy_total";
/// Events handled.
pub const HANDLED: &str = "sunshine_webhook_events_handled_total";
/// Transient failures given another attempt.
pub const RETRIED: &str = "sunshine_webhook_events_retried_total";
/// Events sent to the dead letters, by `reason`.
pub const DEAD_LETTERED: &str = "sunshine_webhook_events_dead_lettered_total";
/// Events in the queue.
pub const QUEUE_LENGTH: &str = "sunshine_webhook_queue_length";
/// Seconds from an event's entry into the queue to a worker taking it.
pub const QUEUE_LAG: &str = "sunshine_webhook_queue_lag_seconds";

/// Adds one to the counter `name`.
pub(super) fn count(name: &'static str) {
    metrics::counter!(name).increment(1);
}

/// Adds `by` to the counter `name`.
pub(super) fn count_by(name: &'static str, by: usize) {
    metrics::counter!(name).increment(u64::try_from(by).unwrap_or(u64::MAX));
}

/// Adds one to the counter `name` labelled `reason`.
pub(super) fn count_reason(name: &'static str, reason: &'static str) {
    metrics::counter!(name, "reason" => reason).increment(1);
}

/// Records the queue's length and the lag of the events just taken.
pub(super) fn queue_seen(length: Option<usize>, enqueued: impl Iterator<Item = SystemTime>) {
    if let Some(length) = length {
        #[allow(clippy::cast_precision_loss)] // A gauge; exact below 2^53.
        metrics::gauge!(QUEUE_LENGTH).set(length as f64);
    }
    let now = SystemTime::now();
    for at in enqueued {
        let lag = now.duration_since(at).unwrap_or_default();
        metrics::histogram!(QUEUE_LAG).record(lag.as_secs_f64());
    }
}
