//! Consumer hygiene for the Redis queue: a consumer leaves the group on a
//! graceful shutdown, and those that dead replicas left are removed.
//!
//! Only a consumer that holds no entry is ever removed, in one script with
//! the check: removing one that holds entries would leave them pending
//! forever, since `XAUTOCLAIM` no longer sees them.

use std::sync::Mutex;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::Script;
use tokio::time::Instant;

/// Removes the consumers of group `ARGV[1]` that hold nothing and have been
/// idle longer than `ARGV[2]` ms: the one named `ARGV[3]` if it is not
/// empty, else any but `ARGV[4]`. Returns how many it removed.
const REMOVE_IDLE: &str = r"
local removed = 0
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local field = {}
  for i = 1, #consumer, 2 do field[consumer[i]] = consumer[i + 1] end
  local wanted = (ARGV[3] == '' and field['name'] ~= ARGV[4]) or field['name'] == ARGV[3]
  if wanted and tonumber(field['pending']) == 0 and tonumber(field['idle']) >= tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], field['name'])
    removed = removed + 1
  end
end
return removed
";

/// How many leases a consumer that holds nothing may stay idle before
/// another removes it. A live consumer reads at least every half second, so
/// it is never that idle; were it removed anyway, its next read adds it again.
const IDLE_LEASES: u32 = 2;

/// Sweeps a group for the consumers dead replicas left, at most once a lease.
#[derive(Debug, Default)]
pub(super) struct Sweeper {
    last: Mutex<Option<Instant>>,
}

impl Sweeper {
    /// Removes idle consumers other than `consumer`, unless a sweep ran
    /// less than `lease` ago. Failures wait for the next sweep.
    pub(super) async fn sweep(
        &self,
        connection: &mut ConnectionManager,
        stream: &str,
        group: &str,
        consumer: &str,
        lease: Duration,
    ) {
        {
            let mut last = self
                .last
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if last.is_some_and(|at| at.elapsed() < lease) {
                return;
            }
            *last = Some(Instant::now());
        }
        let idle = lease.saturating_mul(IDLE_LEASES);
        let removed: redis::RedisResult<i64> = Script::new(REMOVE_IDLE)
            .key(stream)
            .arg(group)
            .arg(u64::try_from(idle.as_millis()).unwrap_or(u64::MAX))
            .arg("")
            .arg(consumer)
            .invoke_async(connection)
            .await;
        match removed {
            Ok(count) if count > 0 => {
                super::log::info(&format!(
                    "removed {count} idle consumers from the queue group"
                ));
            }
            // No group yet, or Redis away: the next sweep tries again.
            _ => {}
        }
    }
}

/// Removes `consumer` from the group if it holds nothing.
pub(super) async fn remove(
    connection: &mut ConnectionManager,
    stream: &str,
    group: &str,
    consumer: &str,
) -> redis::RedisResult<()> {
    Script::new(REMOVE_IDLE)
        .key(stream)
        .arg(group)
        .arg(0)
        .arg(consumer)
        .arg("")
        .invoke_async::<i64>(connection)
        .await
        .map(drop)
}
