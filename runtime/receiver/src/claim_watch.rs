//! A watchdog for a running handler: renews its event's claim (and its
//! queue entry) at a third of the lease for as long as it runs, so that no
//! lease is too short for a live handler, and stops it at its time limit.
//! A replica that dies stops renewing, and its claims lapse after a lease.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::queue::{EventQueue, QueuedEvent};
use super::store::{ClaimToken, DedupStore};

/// How many renewals one lease holds: one or two can fail (a slow store)
/// before the claim lapses.
const RENEWALS_PER_LEASE: u32 = 3;

/// The queue entry an event came from, renewed with its claim.
#[derive(Clone, Copy)]
pub(super) struct QueueEntry<'a> {
    pub(super) queue: &'a dyn EventQueue,
    pub(super) consumer: &'a str,
    pub(super) event: &'a QueuedEvent,
}

/// What the watchdog renews, and for how long.
pub(super) struct Watch<'a> {
    pub(super) store: &'a dyn DedupStore,
    pub(super) event_id: &'a str,
    pub(super) token: &'a ClaimToken,
    pub(super) lease: Duration,
    pub(super) entry: Option<QueueEntry<'a>>,
}

impl Watch<'_> {
    /// How often the claim is renewed.
    pub(super) fn period(&self) -> Duration {
        (self.lease / RENEWALS_PER_LEASE).max(Duration::from_millis(1))
    }

    /// Runs `work`, renewing the claim meanwhile; `None` when it ran past
    /// `limit` (and was dropped).
    pub(super) async fn run<F: Future>(&self, limit: Duration, work: F) -> Option<F::Output> {
        let renewing = async {
            let period = self.period();
            let mut ticks = tokio::time::interval_at(Instant::now() + period, period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                self.renew().await;
            }
        };
        tokio::select! {
            biased;
            finished = tokio::time::timeout(limit, work) => finished.ok(),
            () = renewing => None,
        }
    }

    async fn renew(&self) {
        let id = self.event_id;
        match self.store.renew(id, self.token, self.lease).await {
            Ok(true) => {}
            Ok(false) => super::log::warn(&format!(
                "the claim on event {id} lapsed while its handler ran (the store was away \
                 longer than the lease): another attempt may act on it too"
            )),
            Err(error) => {
                super::log::warn(&format!("could not renew the claim on event {id}: {error}"));
            }
        }
        if let Some(entry) = self.entry {
            if let Err(error) = entry.queue.renew(entry.consumer, entry.event).await {
                super::log::warn(&format!("could not renew queued event {id}: {error}"));
            }
        }
    }
}
