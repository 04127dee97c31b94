//! The durable queue of queued mode: a Redis stream read by a consumer
//! group, so that an event answered `200` survives any replica's crash.

use std::fmt;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};
use redis::Script;

use super::queue::{EventQueue, QueueError, QueuedEvent};
use super::redis_store::{connect, RedisStoreError};
use super::BoxFuture;

/// Adds every event of a delivery, or none when the stream would be over
/// capacity (`ARGV[1]`).
const ENQUEUE: &str = r"
if redis.call('XLEN', KEYS[1]) + #ARGV - 2 > tonumber(ARGV[1]) then return 0 end
for i = 3, #ARGV do redis.call('XADD', KEYS[1], '*', 'event', ARGV[i], 'app', ARGV[2]) end
return 1
";

/// Moves an entry to the end of the stream: a new entry, the old one
/// acknowledged and deleted, all at once.
const HAND_BACK: &str = r"
redis.call('XADD', KEYS[1], '*', 'event', ARGV[3], 'app', ARGV[4])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";

/// Resets the idle time of an entry that `ARGV[2]` still holds, so that no
/// other worker takes it while its handler runs.
const RENEW: &str = r"
local held = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
if #held == 0 then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
return 1
";

/// An [`EventQueue`] on a Redis stream with a consumer group
/// (`XADD`, `XREADGROUP`, `XACK`), shared by the workers of every replica.
///
/// An entry stays pending until a worker acknowledges it, and the worker
/// renews it while its handler runs; entries a worker took and did not
/// renew within the receiver's [lease](super::ReceiverBuilder::lease) (it
/// crashed, or was killed) are claimed by another worker with
/// `XAUTOCLAIM`. The stream holds at most `capacity` entries: beyond,
/// deliveries are answered `503`.
///
/// Consumers leave the group on a graceful shutdown
/// ([`Workers::shutdown`](super::Workers::shutdown)); those a dead replica
/// left are removed by the others once they hold nothing and have been idle
/// for two leases.
///
/// **Persistence.** An event answered `200` lives only in Redis: run it with
/// `appendonly yes` and `appendfsync everysec` (a second of events at risk
/// if the machine fails) or `always` (none, at a cost in throughput); with
/// RDB snapshots only, or none, a Redis restart loses the events queued
/// since the last snapshot.
#[derive(Clone)]
pub struct RedisQueue {
    /// For the workers' blocking reads.
    reads: ConnectionManager,
    /// For everything else, so that deliveries never wait behind a read.
    writes: ConnectionManager,
    stream: String,
    group: String,
    capacity: usize,
    enqueue: Script,
    hand_back: Script,
    renew: Script,
    consumers: std::sync::Arc<super::redis_consumers::Sweeper>,
}

impl fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQueue")
            .field("stream", &self.stream)
            .field("group", &self.group)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl RedisQueue {
    /// Connects to the Redis at `url`, with the stream
    /// `sunshine:webhooks:queue` read by the group `workers`, and at most
    /// `capacity` entries. Entries of a silent worker are claimed again
    /// after the receiver's [lease](super::ReceiverBuilder::lease), the one
    /// lease setting.
    ///
    /// # Errors
    ///
    /// When the URL is not one, or the first connections fail.
    pub async fn connect(url: &str, capacity: usize) -> Result<Self, RedisStoreError> {
        let timeout = Duration::from_secs(2);
        let queue = Self {
            reads: connect(url, timeout).await?,
            writes: connect(url, timeout).await?,
            stream: "sunshine:webhooks:queue".to_owned(),
            group: "workers".to_owned(),
            capacity: capacity.max(1),
            enqueue: Script::new(ENQUEUE),
            hand_back: Script::new(HAND_BACK),
            renew: Script::new(RENEW),
            consumers: std::sync::Arc::default(),
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
        lease: Duration,
    ) -> redis::RedisResult<Vec<QueuedEvent>> {
        let mut connection = self.reads.clone();
        self.consumers
            .sweep(&mut connection, &self.stream, &self.group, consumer, lease)
            .await;
        // Entries left by a worker that stopped answering come first.
        let reclaimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(consumer)
            .arg(millis(lease))
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
            let app_id = entry.get::<String>("app").filter(|app| !app.is_empty());
            let enqueued_at = entry_time(&entry.id);
            let event = QueuedEvent {
                raw: raw.unwrap_or(serde_json::Value::Null),
                app_id,
                receipt: entry.id,
                enqueued_at,
            };
            if event.raw.is_null() {
                super::log::warn(&format!(
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

/// When an entry was added: a stream id starts with its milliseconds.
fn entry_time(id: &str) -> Option<std::time::SystemTime> {
    let millis = id.split('-').next()?.parse().ok()?;
    std::time::UNIX_EPOCH.checked_add(Duration::from_millis(millis))
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
        app_id: Option<&'a str>,
        events: &'a [serde_json::Value],
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            if events.is_empty() {
                return Ok(());
            }
            let mut invocation = self.enqueue.key(&self.stream);
            invocation
                .arg(self.capacity)
                .arg(app_id.unwrap_or_default());
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
        lease: Duration,
    ) -> BoxFuture<'a, Result<Vec<QueuedEvent>, QueueError>> {
        Box::pin(async move {
            match self.fetch_now(consumer, max, wait, lease).await {
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
                .arg(event.app_id.as_deref().unwrap_or_default())
                .invoke_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(|error| unavailable(&error))
        })
    }

    fn renew<'a>(
        &'a self,
        consumer: &'a str,
        event: &'a QueuedEvent,
    ) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            let mut connection = self.writes.clone();
            self.renew
                .key(&self.stream)
                .arg(&self.group)
                .arg(consumer)
                .arg(&event.receipt)
                .invoke_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(|error| unavailable(&error))
        })
    }

    fn length(&self) -> BoxFuture<'_, Result<usize, QueueError>> {
        Box::pin(self.len())
    }

    fn leave<'a>(&'a self, consumer: &'a str) -> BoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            let mut connection = self.writes.clone();
            super::redis_consumers::remove(&mut connection, &self.stream, &self.group, consumer)
                .await
                .map_err(|error| unavailable(&error))
        })
    }

    fn drain_on_shutdown(&self) -> bool {
        false
    }
}
