//! The durable queue of queued mode: a Redis stream read by a consumer
//! group, so that an event answered `200` survives any replica's crash.

use std::fmt;
use std::time::Duration;

use futures_core::future::BoxFuture;
use redis::aio::ConnectionManager;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};
use redis::Script;

use super::queue::{EventQueue, QueueError, QueuedEvent};
use super::redis_store::{connect, RedisStoreError};

/// Adds every event of a delivery, or none when the stream would be over
/// capacity (`ARGV[1]`).
const ENQUEUE: &str = r"
if redis.call('XLEN', KEYS[1]) + #ARGV - 1 > tonumber(ARGV[1]) then return 0 end
for i = 2, #ARGV do redis.call('XADD', KEYS[1], '*', 'event', ARGV[i]) end
return 1
";

/// Moves an entry to the end of the stream: a new entry, the old one
/// acknowledged and deleted, all at once.
const HAND_BACK: &str = r"
redis.call('XADD', KEYS[1], '*', 'event', ARGV[3])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";

/// An [`EventQueue`] on a Redis stream with a consumer group
/// (`XADD`, `XREADGROUP`, `XACK`), shared by the workers of every replica.
///
/// An entry stays pending until a worker acknowledges it; entries a worker
/// took and did not settle within the lease (it crashed, or was killed) are
/// claimed by another worker with `XAUTOCLAIM`. The stream holds at most
/// `capacity` entries: beyond, deliveries are answered `503`. Use a Redis
/// with persistence (`appendonly yes`) for events to survive its restart.
#[derive(Clone)]
pub struct RedisQueue {
    /// For the workers' blocking reads.
    reads: ConnectionManager,
    /// For everything else, so that deliveries never wait behind a read.
    writes: ConnectionManager,
    stream: String,
    group: String,
    capacity: usize,
    lease: Duration,
    enqueue: Script,
    hand_back: Script,
}

impl fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQueue")
            .field("stream", &self.stream)
            .field("group", &self.group)
            .field("capacity", &self.capacity)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl RedisQueue {
    /// Connects to the Redis at `url`, with the stream
    /// `sunshine:webhooks:queue` read by the group `workers`, at most
    /// `capacity` entries, and entries of a silent worker claimed again
    /// after `lease` (the receiver's [lease](super::ReceiverBuilder::lease)
    /// is a good value).
    ///
    /// # Errors
    ///
    /// When the URL is not one, or the first connections fail.
    pub async fn connect(
        url: &str,
        capacity: usize,
        lease: Duration,
    ) -> Result<Self, RedisStoreError> {
        let timeout = Duration::from_secs(2);
        let queue = Self {
            reads: connect(url, timeout).await?,
            writes: connect(url, timeout).await?,
            stream: "sunshine:webhooks:queue".to_owned(),
            group: "workers".to_owned(),
            capacity: capacity.max(1),
            lease,
            enqueue: Script::new(ENQUEUE),
            hand_back: Script::new(HAND_BACK),
        };
        // Failing here is not fatal: fetching makes the group again.
        let _ = queue.create_group().await;
        Ok(queue)
    }

    /// How many entries the stream holds, pending ones included.
    ///
    /// # Errors
    ///
    /// When Redis cannot be reached.
    pub async fn len(&self) -> Result<usize, QueueError> {
        let mut connection = self.writes.clone();
        redis::cmd("XLEN")
            .arg(&self.stream)
            .query_async(&mut connection)
            .await
            .map_err(|error| unavailable(&error))
    }

    /// Whether the stream holds no entry, pending ones included.
    ///
    /// # Errors
    ///
    /// When Redis cannot be reached.
    pub async fn is_empty(&self) -> Result<bool, QueueError> {
        Ok(self.len().await? == 0)
    }

    async fn create_group(&self) -> Result<(), QueueError> {
        let mut connection = self.writes.clone();
        let created: redis::RedisResult<()> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(&self.stream)
            .arg(&self.group)
            .arg("0")
            .arg("MKSTREAM")
            .query_async(&mut connection)
            .await;
        match created {
            Err(error) if error.code() != Some("BUSYGROUP") => Err(unavailable(&error)),
            _ => Ok(()),
        }
    }

    async fn fetch_now(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> redis::RedisResult<Vec<QueuedEvent>> {
        let mut connection = self.reads.clone();
        // Entries left by a worker that stopped answering come first.
        let reclaimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(consumer)
            .arg(millis(self.lease))
            .arg("0-0")
            .arg("COUNT")
            .arg(max)
            .query_async(&mut connection)
            .await?;
        if !reclaimed.claimed.is_empty() {
            return Ok(self.entries(reclaimed.claimed).await);
        }
        let mut read = redis::cmd("XREADGROUP");
        read.arg("GROUP")
            .arg(&self.group)
            .arg(consumer)
            .arg("COUNT")
            .arg(max);
        if !wait.is_zero() {
            read.arg("BLOCK").arg(millis(wait));
        }
        let reply: Option<StreamReadReply> = read
            .arg("STREAMS")
            .arg(&self.stream)
            .arg(">")
            .query_async(&mut connection)
            .await?;
        let ids = reply
            .into_iter()
            .flat_map(|reply| reply.keys)
            .flat_map(|key| key.ids)
            .collect();
        Ok(self.entries(ids).await)
    }

    /// The events of `ids`; an entry that holds no JSON event (written by
    /// something else) is acknowledged and dropped, with a warning.
    async fn entries(&self, ids: Vec<StreamId>) -> Vec<QueuedEvent> {
        let mut events = Vec::with_capacity(ids.len());
        for entry in ids {
            let raw = entry
                .get::<String>("event")
                .and_then(|text| serde_json::from_str(&text).ok());
            let event = QueuedEvent {
                raw: raw.unwrap_or(serde_json::Value::Null),
                receipt: entry.id,
            };
            if event.raw.is_null() {
                super::warn(&format!(
                    "dropped stream entry {} with no event",
                    event.receipt
                ));
                let _ = self.ack(&event).await;
            } else {
                events.push(event);
            }
        }
        events
    }
}

fn unavailable(error: &redis::RedisError) -> QueueError {
    QueueError::Unavailable(error.to_string())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl EventQueue for RedisQueue {
    fn enqueue<'a>(
        &'a self,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            if events.is_empty() {
                return Ok(());
            }
            let mut invocation = self.enqueue.key(&self.stream);
            invocation.arg(self.capacity);
            for event in events {
                invocation.arg(event.to_string());
            }
            let mut connection = self.writes.clone();
            let added: i64 = invocation
                .invoke_async(&mut connection)
                .await
                .map_err(|error| unavailable(&error))?;
            if added == 1 {
                Ok(())
            } else {
                Err(QueueError::Full)
            }
        })
    }

    fn fetch<'a>(
        &'a self,
        consumer: &'a str,
        max: usize,
        wait: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>> {
        Box::pin(async move {
            match self.fetch_now(consumer, max, wait).await {
                Ok(events) => Ok(events),
                Err(error) => {
                    // A Redis restarted without its data has no group.
                    if error.code() == Some("NOGROUP") {
                        self.create_group().await?;
                    }
                    Err(unavailable(&error))
                }
            }
        })
    }

    fn ack<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            let mut connection = self.writes.clone();
            redis::pipe()
                .atomic()
                .cmd("XACK")
                .arg(&self.stream)
                .arg(&self.group)
                .arg(&event.receipt)
                .ignore()
                .cmd("XDEL")
                .arg(&self.stream)
                .arg(&event.receipt)
                .ignore()
                .query_async::<()>(&mut connection)
                .await
                .map_err(|error| unavailable(&error))
        })
    }

    fn hand_back<'a>(&'a self, event: &'a QueuedEvent) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            let mut connection = self.writes.clone();
            self.hand_back
                .key(&self.stream)
                .arg(&self.group)
                .arg(&event.receipt)
                .arg(event.raw.to_string())
                .invoke_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(|error| unavailable(&error))
        })
    }

    fn drain_on_shutdown(&self) -> bool {
        false
    }
}
