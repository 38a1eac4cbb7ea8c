//! One cache abstraction over an in-process map and Redis. Several replicas must share Redis
//! (rate limits, cached lookups); a single process runs fine on the in-process variant.

use anyhow::Context;
use redis::aio::ConnectionManager;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(RedisCache),
}

#[derive(Clone, Default)]
pub struct MemoryCache {
    entries: Arc<Mutex<HashMap<String, (Instant, String)>>>,
}

#[derive(Clone)]
pub struct RedisCache {
    conn: ConnectionManager,
}

/// Above this many entries the in-process cache drops expired ones before inserting.
const MEMORY_SWEEP_AT: usize = 50_000;

impl Cache {
    pub fn memory() -> Self {
        Cache::Memory(MemoryCache::default())
    }

    pub async fn redis(url: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("REDIS_URL is not a valid Redis URL")?;
        let conn = ConnectionManager::new(client)
            .await
            .context("could not connect to Redis")?;
        Ok(Cache::Redis(RedisCache { conn }))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Cache::Memory(_) => "memory",
            Cache::Redis(_) => "redis",
        }
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<Option<String>> {
        match self {
            Cache::Memory(m) => Ok(m.with(|map| match map.get(key) {
                Some((expires, value)) if *expires > Instant::now() => Some(value.clone()),
                _ => None,
            })),
            Cache::Redis(r) => {
                let mut conn = r.conn.clone();
                Ok(redis::cmd("GET").arg(key).query_async(&mut conn).await?)
            }
        }
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> anyhow::Result<()> {
        match self {
            Cache::Memory(m) => {
                m.with(|map| {
                    if map.len() >= MEMORY_SWEEP_AT {
                        let now = Instant::now();
                        map.retain(|_, (expires, _)| *expires > now);
                    }
                    map.insert(key.to_owned(), (Instant::now() + ttl, value.to_owned()));
                });
                Ok(())
            }
            Cache::Redis(r) => {
                let mut conn = r.conn.clone();
                let () = redis::cmd("SET")
                    .arg(key)
                    .arg(value)
                    .arg("PX")
                    .arg(ttl_millis(ttl))
                    .query_async(&mut conn)
                    .await?;
                Ok(())
            }
        }
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self {
            Cache::Memory(m) => {
                m.with(|map| map.remove(key));
                Ok(())
            }
            Cache::Redis(r) => {
                let mut conn = r.conn.clone();
                let _: i64 = redis::cmd("DEL").arg(key).query_async(&mut conn).await?;
                Ok(())
            }
        }
    }

    /// Increments a counter that lives for `window` from its first increment; returns the new count.
    pub async fn incr_window(&self, key: &str, window: Duration) -> anyhow::Result<u64> {
        match self {
            Cache::Memory(m) => Ok(m.with(|map| {
                let now = Instant::now();
                let entry = map
                    .entry(key.to_owned())
                    .or_insert_with(|| (now + window, "0".into()));
                if entry.0 <= now {
                    *entry = (now + window, "0".into());
                }
                let next = entry.1.parse::<u64>().unwrap_or(0).saturating_add(1);
                entry.1 = next.to_string();
                next
            })),
            Cache::Redis(r) => {
                let mut conn = r.conn.clone();
                // SET NX starts the window only on the first hit; both run atomically.
                let (_, count): (Option<String>, u64) = redis::pipe()
                    .atomic()
                    .cmd("SET")
                    .arg(key)
                    .arg(0)
                    .arg("PX")
                    .arg(ttl_millis(window))
                    .arg("NX")
                    .cmd("INCR")
                    .arg(key)
                    .query_async(&mut conn)
                    .await?;
                Ok(count)
            }
        }
    }

    /// Milliseconds until `key` expires, if it exists.
    pub async fn ttl(&self, key: &str) -> anyhow::Result<Option<Duration>> {
        match self {
            Cache::Memory(m) => Ok(m.with(|map| {
                map.get(key)
                    .and_then(|(expires, _)| expires.checked_duration_since(Instant::now()))
            })),
            Cache::Redis(r) => {
                let mut conn = r.conn.clone();
                let ms: i64 = redis::cmd("PTTL").arg(key).query_async(&mut conn).await?;
                Ok(u64::try_from(ms).ok().map(Duration::from_millis))
            }
        }
    }

    pub async fn ping(&self) -> anyhow::Result<()> {
        match self {
            Cache::Memory(_) => Ok(()),
            Cache::Redis(r) => {
                let mut conn = r.conn.clone();
                let _: String = redis::cmd("PING").query_async(&mut conn).await?;
                Ok(())
            }
        }
    }
}

impl MemoryCache {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, (Instant, String)>) -> T) -> T {
        // A poisoned lock only means another request panicked mid-update of a cache entry;
        // the map itself is still usable.
        let mut guard = match self.entries.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }
}

fn ttl_millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}
