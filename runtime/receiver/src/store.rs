//! Deduplication by event id: a store claims an event with a lease before
//! its handler runs, and remembers it as done afterwards, so that an event
//! delivered twice (a retry, or two replicas at once) is acted on once.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_core::future::BoxFuture;

/// What [`DedupStore::claim`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The event is now this caller's until the lease runs out: run its
    /// handler, then [`mark_done`](DedupStore::mark_done) or
    /// [`release`](DedupStore::release).
    Acquired {
        /// Proves the claim is this caller's when releasing it.
        token: ClaimToken,
        /// Which claim of the event this is, from 1: a count kept as long
        /// as the event is remembered, so that an event failing on every
        /// delivery can be given up on.
        attempt: u32,
    },
    /// Another caller (another replica, or another delivery of the same
    /// event) holds a live claim.
    Held,
    /// The event was handled already.
    Done,
}

/// An opaque value, unique to one claim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClaimToken(String);

impl ClaimToken {
    /// A token no other claim has: the process id, the time and a counter.
    pub fn unique() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        Self(format!("{:x}-{nanos:x}-{count:x}", std::process::id()))
    }

    /// The token's text, as a store keeps it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The store could not be reached or did not answer; the receiver answers
/// `503` so that the platform sends the delivery again, rather than acting
/// without deduplication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the deduplication store failed: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// Where a receiver keeps the ids of the events it claimed and handled.
///
/// [`MemoryStore`] serves one process; `RedisStore` (feature
/// `receiver-redis`) serves every replica that shares one Redis.
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `event_id` for `lease`, unless it is claimed or done.
    fn claim<'a>(
        &'a self,
        event_id: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>>;

    /// Remembers `event_id` as done for `keep` (at least the platform's
    /// retry window), replacing the claim.
    fn mark_done<'a>(
        &'a self,
        event_id: &'a str,
        keep: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Gives the claim `token` on `event_id` up, so that the next delivery
    /// of the event can claim it at once; nothing when the claim is no
    /// longer `token`'s.
    fn release<'a>(
        &'a self,
        event_id: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// A store in this process's memory: the default, for one replica.
///
/// Bounded in time (a claim lasts its lease, a done id `keep`) and in size:
/// past [`capacity`](MemoryStore::with_capacity) ids, the oldest is
/// forgotten, so make it larger than the events of one retry window.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    state: Mutex<MemoryState>,
}

#[derive(Debug, Default)]
struct MemoryState {
    entries: HashMap<String, MemoryEntry>,
    /// Ids in the order they were first claimed, to forget the oldest.
    order: VecDeque<String>,
}

#[derive(Debug)]
struct MemoryEntry {
    status: MemoryStatus,
    expires: Instant,
    attempts: u32,
}

#[derive(Debug, PartialEq)]
enum MemoryStatus {
    Claimed(ClaimToken),
    Done,
}

/// How many ids a [`MemoryStore::default`] keeps.
pub const DEFAULT_MEMORY_CAPACITY: usize = 100_000;

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_MEMORY_CAPACITY)
    }
}

impl MemoryStore {
    /// A store that keeps at most `capacity` ids (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(MemoryState::default()),
        }
    }

    /// How many ids the store holds now, claimed or done.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether the store holds no id.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        // Every change below leaves the maps consistent, even mid-panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_now(&self, event_id: &str, lease: Duration) -> Claim {
        let now = Instant::now();
        let mut state = self.lock();
        let attempts = match state.entries.get(event_id) {
            Some(entry) if entry.expires > now => match entry.status {
                MemoryStatus::Done => return Claim::Done,
                MemoryStatus::Claimed(_) => return Claim::Held,
            },
            // A lapsed claim still counts as an attempt; a lapsed done id
            // is forgotten like any other.
            Some(entry) if matches!(entry.status, MemoryStatus::Claimed(_)) => entry.attempts,
            _ => 0,
        };
        let token = ClaimToken::unique();
        let entry = MemoryEntry {
            status: MemoryStatus::Claimed(token.clone()),
            expires: now + lease,
            attempts: attempts + 1,
        };
        if state.entries.insert(event_id.to_owned(), entry).is_none() {
            state.order.push_back(event_id.to_owned());
            state.forget_beyond(self.capacity, now);
        }
        Claim::Acquired {
            token,
            attempt: attempts + 1,
        }
    }
}

impl MemoryState {
    /// Forgets lapsed done ids at the front, then the oldest ids while over
    /// capacity. (A lapsed claim is kept for its attempt count.)
    fn forget_beyond(&mut self, capacity: usize, now: Instant) {
        while let Some(oldest) = self.order.front() {
            let lapsed = self
                .entries
                .get(oldest)
                .is_none_or(|entry| entry.status == MemoryStatus::Done && entry.expires <= now);
            if !lapsed && self.order.len() <= capacity {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.entries.remove(&oldest);
            }
        }
    }
}

impl DedupStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        event_id: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(std::future::ready(Ok(self.claim_now(event_id, lease))))
    }

    fn mark_done<'a>(
        &'a self,
        event_id: &'a str,
        keep: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let now = Instant::now();
        let mut state = self.lock();
        let entry = MemoryEntry {
            status: MemoryStatus::Done,
            expires: now + keep,
            attempts: 0,
        };
        if state.entries.insert(event_id.to_owned(), entry).is_none() {
            state.order.push_back(event_id.to_owned());
            state.forget_beyond(self.capacity, now);
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn release<'a>(
        &'a self,
        event_id: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut state = self.lock();
        if let Some(entry) = state.entries.get_mut(event_id) {
            if entry.status == MemoryStatus::Claimed(token.clone()) {
                // Kept with its attempt count, but claimable at once.
                entry.expires = Instant::now();
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A shared store: the receiver and its owner (a test, a metric) both hold it.
impl<T: DedupStore + ?Sized> DedupStore for std::sync::Arc<T> {
    fn claim<'a>(
        &'a self,
        event_id: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        (**self).claim(event_id, lease)
    }

    fn mark_done<'a>(
        &'a self,
        event_id: &'a str,
        keep: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        (**self).mark_done(event_id, keep)
    }

    fn release<'a>(
        &'a self,
        event_id: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        (**self).release(event_id, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(store: &MemoryStore, id: &str, lease: Duration) -> Claim {
        store.claim_now(id, lease)
    }

    #[tokio::test]
    async fn a_claim_holds_until_released_and_done_is_final() {
        let store = MemoryStore::default();
        let lease = Duration::from_secs(60);
        let Claim::Acquired { token, attempt: 1 } = claim(&store, "evt", lease) else {
            panic!("the first claim is acquired");
        };
        assert_eq!(claim(&store, "evt", lease), Claim::Held);

        store.release("evt", &ClaimToken::unique()).await.unwrap();
        assert_eq!(
            claim(&store, "evt", lease),
            Claim::Held,
            "a stranger's release does nothing"
        );

        store.release("evt", &token).await.unwrap();
        let Claim::Acquired { attempt, .. } = claim(&store, "evt", lease) else {
            panic!("a released claim can be taken again");
        };
        assert_eq!(attempt, 2);

        store
            .mark_done("evt", Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(claim(&store, "evt", lease), Claim::Done);
    }

    #[tokio::test]
    async fn a_lapsed_lease_can_be_claimed_again() {
        let store = MemoryStore::default();
        assert!(matches!(
            claim(&store, "evt", Duration::ZERO),
            Claim::Acquired { .. }
        ));
        assert!(matches!(
            claim(&store, "evt", Duration::from_secs(60)),
            Claim::Acquired { attempt: 2, .. }
        ));
    }

    #[tokio::test]
    async fn the_oldest_ids_are_forgotten_beyond_capacity() {
        let store = MemoryStore::with_capacity(3);
        for n in 0..5 {
            store
                .mark_done(&format!("evt-{n}"), Duration::from_secs(60))
                .await
                .unwrap();
        }
        assert_eq!(store.len(), 3);
        assert!(matches!(
            claim(&store, "evt-0", Duration::from_secs(60)),
            Claim::Acquired { .. }
        ));
        assert_eq!(claim(&store, "evt-4", Duration::from_secs(60)), Claim::Done);
    }
}
