//! One cache abstraction over an in-process map and Redis. Several replicas must share Redis
//! (rate limits, cached lookups); a single process runs fine on the in-process variant.
//!
//! Redis is never a reason for a request to fail: while it is unreachable every operation
//! answers from the instance's memory (see [`crate::cache_redis`]), and `/readyz` says
//! `degraded`. The methods keep their `Result`s for callers written against a fallible cache.

use crate::cache_redis::{ttl_millis, RedisCache};
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

/// How a cache is doing, as `/readyz` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    /// In-process, or Redis answering.
    Ok,
    /// Redis configured but unreachable: this instance works from its own memory.
    Degraded,
}

/// Above this many entries the in-process cache drops expired ones before inserting.
const MEMORY_SWEEP_AT: usize = 50_000;
/// How long one Redis command may take when no setting says otherwise.
const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);

impl Cache {
    pub fn memory() -> Self {
        Cache::Memory(MemoryCache::default())
    }

    /// Redis with the default command timeout.
    pub async fn redis(url: &str) -> anyhow::Result<Self> {
        Self::redis_with_timeout(url, DEFAULT_REDIS_TIMEOUT)
    }

    /// Redis whose commands give up after `timeout`; starts degraded when Redis is down.
    pub fn redis_with_timeout(url: &str, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Cache::Redis(RedisCache::connect(url, timeout)?))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Cache::Memory(_) => "memory",
            Cache::Redis(_) => "redis",
        }
    }

    pub fn status(&self) -> CacheStatus {
        match self {
            Cache::Redis(r) if !r.is_up() => CacheStatus::Degraded,
            _ => CacheStatus::Ok,
        }
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<Option<String>> {
        let memory = match self {
            Cache::Memory(m) => m,
            Cache::Redis(r) => {
                let got = r
                    .run(
                        |mut c| async move { redis::cmd("GET").arg(key).query_async(&mut c).await },
                    )
                    .await;
                match got {
                    Some(value) => return Ok(value),
                    None => &r.fallback,
                }
            }
        };
        Ok(memory.with(|map| match map.get(key) {
            Some((expires, value)) if *expires > Instant::now() => Some(value.clone()),
            _ => None,
        }))
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> anyhow::Result<()> {
        let memory = match self {
            Cache::Memory(m) => m,
            Cache::Redis(r) => {
                let done = r
                    .run(|mut c| async move {
                        redis::cmd("SET")
                            .arg(key)
                            .arg(value)
                            .arg("PX")
                            .arg(ttl_millis(ttl))
                            .query_async::<()>(&mut c)
                            .await
                    })
                    .await;
                match done {
                    Some(()) => return Ok(()),
                    None => &r.fallback,
                }
            }
        };
        memory.with(|map| {
            if map.len() >= MEMORY_SWEEP_AT {
                let now = Instant::now();
                map.retain(|_, (expires, _)| *expires > now);
            }
            map.insert(key.to_owned(), (Instant::now() + ttl, value.to_owned()));
        });
        Ok(())
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        if let Cache::Redis(r) = self {
            let done =
                r.run(|mut c| async move {
                    redis::cmd("DEL").arg(key).query_async::<i64>(&mut c).await
                })
                .await;
            if done.is_some() {
                return Ok(());
            }
        }
        self.memory_side().with(|map| map.remove(key));
        Ok(())
    }

    /// Increments a counter that lives for `window` from its first increment; returns the new count.
    pub async fn incr_window(&self, key: &str, window: Duration) -> anyhow::Result<u64> {
        if let Cache::Redis(r) = self {
            // SET NX starts the window only on the first hit; both run atomically.
            let counted = r
                .run(|mut c| async move {
                    redis::pipe()
                        .atomic()
                        .cmd("SET")
                        .arg(key)
                        .arg(0)
                        .arg("PX")
                        .arg(ttl_millis(window))
                        .arg("NX")
                        .cmd("INCR")
                        .arg(key)
                        .query_async::<(Option<String>, u64)>(&mut c)
                        .await
                })
                .await;
            if let Some((_, count)) = counted {
                return Ok(count);
            }
        }
        Ok(self.memory_side().with(|map| {
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
        }))
    }

    /// Milliseconds until `key` expires, if it exists.
    pub async fn ttl(&self, key: &str) -> anyhow::Result<Option<Duration>> {
        if let Cache::Redis(r) = self {
            let ms =
                r.run(|mut c| async move {
                    redis::cmd("PTTL").arg(key).query_async::<i64>(&mut c).await
                })
                .await;
            if let Some(ms) = ms {
                return Ok(u64::try_from(ms).ok().map(Duration::from_millis));
            }
        }
        Ok(self.memory_side().with(|map| {
            map.get(key)
                .and_then(|(expires, _)| expires.checked_duration_since(Instant::now()))
        }))
    }

    /// A real round trip to Redis (bounded by its command timeout); always fine in-process.
    pub async fn ping(&self) -> anyhow::Result<()> {
        match self {
            Cache::Memory(_) => Ok(()),
            Cache::Redis(r) => r.ping().await,
        }
    }

    /// The map used in-process, or while Redis is down.
    fn memory_side(&self) -> &MemoryCache {
        match self {
            Cache::Memory(m) => m,
            Cache::Redis(r) => &r.fallback,
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

    /// Forgets everything (the fallback's outage memory, once Redis is back).
    pub(crate) fn clear(&self) {
        self.with(HashMap::clear);
    }
}
