//! The deduplication store in Redis, shared by every replica.

use std::fmt;
use std::time::Duration;

use futures_core::future::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;

use super::store::{Claim, ClaimToken, DedupStore, StoreError};

/// Claims with `SET NX PX`, counts the attempt, and says what holds the key
/// when the claim is refused. Both keys share a hash tag (cluster-safe).
const CLAIM: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local attempt = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return {'acquired', attempt}
end
if redis.call('GET', KEYS[1]) == 'done' then return {'done', 0} end
return {'held', 0}
";

/// Deletes the claim only when it is still the caller's.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// Connecting to Redis failed.
#[derive(Debug)]
pub struct RedisStoreError(redis::RedisError);

impl fmt::Display for RedisStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot connect to Redis: {}", self.0)
    }
}

impl std::error::Error for RedisStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Connects with a manager that reconnects by itself, and gives up on a
/// command after `timeout` so that a delivery is answered `503` in time.
pub(super) async fn connect(
    url: &str,
    timeout: Duration,
) -> Result<ConnectionManager, RedisStoreError> {
    let client = redis::Client::open(url).map_err(RedisStoreError)?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(timeout)
        .set_response_timeout(timeout)
        .set_number_of_retries(2)
        .set_max_delay(500);
    ConnectionManager::new_with_config(client, config)
        .await
        .map_err(RedisStoreError)
}

/// A [`DedupStore`] in Redis, for receivers on several replicas: a claim is
/// `SET {prefix}:{<id>}:state <token> NX PX <lease>`, a done id
/// `SET … done PX <keep>`, and the attempts are counted beside it.
///
/// Commands time out after two seconds, and a lost connection is made
/// again on the next command; meanwhile deliveries are answered `503`.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    claim: Script,
    release: Script,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the Redis at `url` (such as `redis://127.0.0.1:6379/0`);
    /// keys start with `sunshine:webhooks`.
    ///
    /// # Errors
    ///
    /// When the URL is not one, or the first connection fails.
    pub async fn connect(url: &str) -> Result<Self, RedisStoreError> {
        let connection = connect(url, Duration::from_secs(2)).await?;
        Ok(Self::with_connection(connection, "sunshine:webhooks"))
    }

    /// A store on an existing connection, with keys starting with `prefix`.
    pub fn with_connection(connection: ConnectionManager, prefix: impl Into<String>) -> Self {
        Self {
            connection,
            prefix: prefix.into(),
            claim: Script::new(CLAIM),
            release: Script::new(RELEASE),
        }
    }

    fn keys(&self, event_id: &str) -> (String, String) {
        let tag = format!("{}:{{{event_id}}}", self.prefix);
        (format!("{tag}:state"), format!("{tag}:attempts"))
    }
}

fn unavailable(error: &redis::RedisError) -> StoreError {
    StoreError(error.to_string())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl DedupStore for RedisStore {
    fn claim<'a>(
        &'a self,
        event_id: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let (state, attempts) = self.keys(event_id);
            let token = ClaimToken::unique();
            let mut connection = self.connection.clone();
            let (status, attempt): (String, u32) = self
                .claim
                .key(state)
                .key(attempts)
                .arg(token.as_str())
                .arg(millis(lease))
                // The attempt count outlives the claim, for the retry window.
                .arg(millis(Duration::from_secs(24 * 60 * 60)))
                .invoke_async(&mut connection)
                .await
                .map_err(|error| unavailable(&error))?;
            Ok(match status.as_str() {
                "acquired" => Claim::Acquired { token, attempt },
                "done" => Claim::Done,
                _ => Claim::Held,
            })
        })
    }

    fn mark_done<'a>(
        &'a self,
        event_id: &'a str,
        keep: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let (state, attempts) = self.keys(event_id);
            let mut connection = self.connection.clone();
            redis::pipe()
                .atomic()
                .cmd("SET")
                .arg(state)
                .arg("done")
                .arg("PX")
                .arg(millis(keep))
                .ignore()
                .cmd("DEL")
                .arg(attempts)
                .ignore()
                .query_async::<()>(&mut connection)
                .await
                .map_err(|error| unavailable(&error))
        })
    }

    fn release<'a>(
        &'a self,
        event_id: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let (state, _) = self.keys(event_id);
            let mut connection = self.connection.clone();
            self.release
                .key(state)
                .arg(token.as_str())
                .invoke_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(|error| unavailable(&error))
        })
    }
}
