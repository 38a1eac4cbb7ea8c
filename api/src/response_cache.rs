//! The server's own shared cache of public GraphQL answers.
//!
//! Why: a portal's busiest requests are anonymous visitors loading the same catalogue page. Those
//! answers are already declared public (`Cache-Control: public, max-age=N` on GET, from the
//! schema's cache hints), so a CDN in front of us may keep them; this cache does the same inside
//! every replica, for POST too, and without a CDN's staleness after a change.
//!
//! What is kept: the answer to an anonymous query (no `Authorization`) that raised no error and
//! read only fields with a public cache hint (the catalogue, regions, policies), under the
//! language, media type, operation name, query, variables and today's date (enrolment windows
//! move with the day).
//!
//! How long: the answer's own hint capped by `RESPONSE_CACHE_SECONDS` (0 turns the cache off),
//! and never past a change. Every entry carries the *public data version* read before its
//! execution started; a write to public data (a course, a provider, a policy, an enrolment that
//! moves seat counts) calls [`ResponseCache::changed`], which invalidates every entry of this
//! replica at once and those of other replicas within [`SHARED_CHECK`] through the shared
//! [`Cache`] (Redis when configured).

use crate::cache::Cache;
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How often a replica reads the shared version: the bound on how long another replica's write
/// can go unnoticed here.
pub const SHARED_CHECK: Duration = Duration::from_secs(1);
const SHARED_KEEP_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// Distinct answers kept per replica; the least recently used go first.
const CAPACITY: usize = 2048;

/// The fingerprint of a request: equal for requests that must get the same answer.
pub type Key = [u8; 32];

/// The state of public data an answer was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    local: u64,
    shared: Option<String>,
}

/// A kept answer: the rendered body and its HTTP status.
#[derive(Debug)]
pub struct Entry {
    pub status: u16,
    pub body: String,
    /// The answer's cache hint in seconds (for the `Cache-Control` of a GET).
    pub max_age: u64,
    version: Version,
    expires: Instant,
}

pub struct ResponseCache {
    entries: Mutex<LruCache<Key, Arc<Entry>>>,
    keep_for: Duration,
    local: AtomicU64,
    shared: Mutex<Shared>,
    shared_key: String,
}

#[derive(Default)]
struct Shared {
    token: Option<String>,
    checked: Option<Instant>,
}

impl ResponseCache {
    /// `keep_for` caps every entry's life; zero disables the cache. `shared_key` names the
    /// version in the shared cache (with the deployment's key prefix).
    pub fn new(keep_for: Duration, shared_key: String) -> Self {
        let capacity = NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN);
        ResponseCache {
            entries: Mutex::new(LruCache::new(capacity)),
            keep_for,
            local: AtomicU64::new(0),
            shared: Mutex::new(Shared::default()),
            shared_key,
        }
    }

    pub fn enabled(&self) -> bool {
        !self.keep_for.is_zero()
    }

    /// The fingerprint of a request from its parts (language, media type, operation name, query,
    /// variables as JSON, today…).
    pub fn key(parts: &[&str]) -> Key {
        let mut hash = Sha256::new();
        for part in parts {
            hash.update(part.len().to_le_bytes());
            hash.update(part.as_bytes());
        }
        hash.finalize().into()
    }

    /// The current version: this replica's at once, the shared one as last read (read again
    /// when older than [`SHARED_CHECK`]).
    pub async fn version(&self, cache: &Cache) -> Version {
        let local = self.local.load(Ordering::Acquire);
        {
            let shared = self.lock_shared();
            if shared.checked.is_some_and(|at| at.elapsed() < SHARED_CHECK) {
                return Version {
                    local,
                    shared: shared.token.clone(),
                };
            }
        }
        // An unreadable shared cache leaves the version unknown: nothing is kept or served until
        // it can be read again.
        let token = match cache.get(&self.shared_key).await {
            Ok(token) => token.unwrap_or_default(),
            Err(_) => {
                return Version {
                    local,
                    shared: None,
                }
            }
        };
        let mut shared = self.lock_shared();
        shared.token = Some(token);
        shared.checked = Some(Instant::now());
        Version {
            local,
            shared: shared.token.clone(),
        }
    }

    /// The kept answer for `key`, if it was computed at `version` and has not expired.
    pub fn get(&self, key: &Key, version: &Version) -> Option<Arc<Entry>> {
        if !self.enabled() || version.shared.is_none() {
            return None;
        }
        let mut entries = self.lock_entries();
        let entry = entries.get(key)?.clone();
        if entry.version == *version && entry.expires > Instant::now() {
            Some(entry)
        } else {
            entries.pop(key);
            None
        }
    }

    /// Keeps an answer computed at `version` (read before the execution began, so that a write
    /// during it leaves the answer already stale) for at most `max_age` seconds.
    pub fn put(&self, key: Key, version: Version, status: u16, body: String, max_age: u64) {
        let keep_for = self.keep_for.min(Duration::from_secs(max_age));
        if keep_for.is_zero() || version.shared.is_none() {
            return;
        }
        let entry = Entry {
            status,
            body,
            max_age,
            version,
            expires: Instant::now() + keep_for,
        };
        self.lock_entries().put(key, Arc::new(entry));
    }

    /// Public data changed: no answer kept before now is served again, here or (within
    /// [`SHARED_CHECK`]) in other replicas.
    pub async fn changed(&self, cache: &Cache) {
        self.local.fetch_add(1, Ordering::AcqRel);
        let token = Uuid::now_v7().simple().to_string();
        if let Err(e) = cache.set(&self.shared_key, &token, SHARED_KEEP_FOR).await {
            // Other replicas then serve their entries until those expire (at most
            // RESPONSE_CACHE_SECONDS); this one already stopped.
            tracing::warn!(error.message = %e, "could not bump the public data version");
        }
        self.lock_shared().checked = None;
    }

    fn lock_entries(&self) -> std::sync::MutexGuard<'_, LruCache<Key, Arc<Entry>>> {
        // A panic while holding the lock cannot leave an entry half-written: recover it.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_shared(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> (ResponseCache, Cache) {
        (
            ResponseCache::new(Duration::from_secs(30), "test:public-version".into()),
            Cache::memory(),
        )
    }

    #[tokio::test]
    async fn an_answer_is_served_until_public_data_changes() {
        let (responses, shared) = cache();
        let key = ResponseCache::key(&["zh-CN", "{ courses { edges { cursor } } }"]);
        let v1 = responses.version(&shared).await;
        responses.put(key, v1.clone(), 200, "{\"data\":1}".into(), 60);
        let hit = responses.get(&key, &responses.version(&shared).await);
        assert_eq!(hit.map(|e| e.body.clone()).as_deref(), Some("{\"data\":1}"));

        responses.changed(&shared).await;
        let v2 = responses.version(&shared).await;
        assert_ne!(v1, v2);
        assert!(responses.get(&key, &v2).is_none());
    }

    #[tokio::test]
    async fn another_replicas_change_is_seen_through_the_shared_cache() {
        let shared = Cache::memory();
        let here = ResponseCache::new(Duration::from_secs(30), "k".into());
        let there = ResponseCache::new(Duration::from_secs(30), "k".into());
        let key = ResponseCache::key(&["q"]);
        let v1 = here.version(&shared).await;
        here.put(key, v1, 200, "old".into(), 60);
        there.changed(&shared).await;
        // Not before the next shared check…
        here.lock_shared().checked = None;
        let v2 = here.version(&shared).await;
        assert!(here.get(&key, &v2).is_none());
    }

    #[tokio::test]
    async fn nothing_is_kept_without_a_hint_or_when_disabled() {
        let (responses, shared) = cache();
        let key = ResponseCache::key(&["q"]);
        let v = responses.version(&shared).await;
        responses.put(key, v.clone(), 200, "x".into(), 0);
        assert!(responses.get(&key, &v).is_none());

        let off = ResponseCache::new(Duration::ZERO, "k".into());
        let v = off.version(&shared).await;
        off.put(key, v.clone(), 200, "x".into(), 60);
        assert!(off.get(&key, &v).is_none());
    }

    #[test]
    fn keys_separate_their_parts() {
        assert_ne!(
            ResponseCache::key(&["ab", "c"]),
            ResponseCache::key(&["a", "bc"])
        );
    }
}
