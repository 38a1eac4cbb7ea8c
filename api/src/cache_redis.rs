//! The Redis side of [`crate::cache::Cache`], built to never hold a request up: every command
//! has a short timeout, a failed one marks Redis down, and while it is down the instance works
//! from its own memory (rate limits, cached counts, persisted queries: all per instance for the
//! outage). A background probe pings Redis every half second and brings it back; the memory
//! kept during the outage is dropped then, so nothing stale outlives it.

use crate::cache::MemoryCache;
use crate::faults::{self, Dependency};
use anyhow::Context;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often the background probe pings Redis, up or down.
const PROBE_EVERY: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub struct RedisCache {
    conn: ConnectionManager,
    /// Where reads and writes go while Redis is down.
    pub(crate) fallback: MemoryCache,
    health: Arc<Health>,
    timeout: Duration,
}

struct Health {
    up: AtomicBool,
}

impl RedisCache {
    /// Connects lazily: an unreachable Redis at start-up leaves the instance degraded, not down.
    pub fn connect(url: &str, timeout: Duration) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("REDIS_URL is not a valid Redis URL")?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .context("could not set up the Redis connection")?;
        let cache = RedisCache {
            conn,
            fallback: MemoryCache::default(),
            health: Arc::new(Health {
                up: AtomicBool::new(true),
            }),
            timeout,
        };
        tokio::spawn(probe(
            cache.conn.clone(),
            Arc::downgrade(&cache.health),
            cache.fallback.clone(),
            timeout,
        ));
        Ok(cache)
    }

    pub fn is_up(&self) -> bool {
        self.health.up.load(Ordering::Relaxed)
    }

    /// Runs one command on Redis; `None` when Redis is down or the command failed (which
    /// marks it down), so the caller uses the fallback.
    pub async fn run<T, F, Fut>(&self, command: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        if !self.is_up() {
            return None;
        }
        match tokio::time::timeout(self.timeout, command(self.conn.clone())).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(e)) => {
                self.mark_down(&e);
                None
            }
            Err(_) => {
                self.mark_down(&format!("no answer within {} ms", self.timeout.as_millis()));
                None
            }
        }
    }

    fn mark_down(&self, cause: &dyn std::fmt::Display) {
        faults::record(Dependency::Cache, cause);
        if self.health.up.swap(false, Ordering::Relaxed) {
            tracing::warn!("Redis unreachable: rate limits and caches fall back to this instance");
        }
    }

    /// A real round trip, bounded by the command timeout (readiness and tests).
    pub async fn ping(&self) -> anyhow::Result<()> {
        ping(self.conn.clone(), self.timeout).await
    }
}

async fn ping(mut conn: ConnectionManager, timeout: Duration) -> anyhow::Result<()> {
    let answer =
        tokio::time::timeout(timeout, redis::cmd("PING").query_async::<String>(&mut conn)).await;
    match answer {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(anyhow::Error::new(e).context("Redis unreachable")),
        Err(_) => anyhow::bail!("Redis did not answer within {} ms", timeout.as_millis()),
    }
}

/// Pings Redis every half second for as long as the cache exists, and flips its health both
/// ways: down on a failed ping (so readiness says degraded without a request having to fail),
/// up again when it answers, dropping the memory kept meanwhile.
async fn probe(
    conn: ConnectionManager,
    health: Weak<Health>,
    fallback: MemoryCache,
    timeout: Duration,
) {
    loop {
        tokio::time::sleep(PROBE_EVERY).await;
        let Some(health) = health.upgrade() else {
            return;
        };
        let answered = ping(conn.clone(), timeout).await;
        let was_up = health.up.load(Ordering::Relaxed);
        match answered {
            Ok(()) if !was_up => {
                fallback.clear();
                health.up.store(true, Ordering::Relaxed);
                tracing::info!("Redis reachable again: back to the shared cache");
            }
            Err(e) if was_up => {
                faults::record(Dependency::Cache, &e);
                health.up.store(false, Ordering::Relaxed);
                tracing::warn!(
                    "Redis unreachable: rate limits and caches fall back to this instance"
                );
            }
            _ => {}
        }
    }
}

pub(crate) fn ttl_millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}
