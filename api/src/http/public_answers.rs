//! The GraphQL route's use of the response cache ([`crate::response_cache`]): which requests
//! may be answered from it, and which answers it keeps.
//!
//! Only an anonymous query without uploads is looked up (the route checks that); only an answer
//! without errors whose every field carries a public cache hint is kept. Such an answer cannot
//! hold personal data (anonymous callers read none), so it is the same for everyone sending the
//! same document, variables and `Accept-Language` on the same day.

use super::caching::Policy;
use crate::i18n::Lang;
use crate::response_cache::{Entry, Key, Version};
use crate::state::AppState;
use async_graphql::{CacheControl, Request, Response};
use std::sync::Arc;

/// A request that may be answered from the cache: its key and the version read before it ran.
pub struct Kept {
    key: Key,
    version: Version,
}

/// The key and version of an anonymous query, or `None` when the cache is off.
pub async fn prepare(state: &AppState, request: &Request, lang: Lang, media: &str) -> Option<Kept> {
    if !state.responses.enabled() {
        return None;
    }
    let variables = serde_json::to_string(&request.variables).ok()?;
    let today = state.clock.today().to_string();
    let key = crate::response_cache::ResponseCache::key(&[
        lang.tag(),
        media,
        request.operation_name.as_deref().unwrap_or_default(),
        &request.query,
        &variables,
        &today,
    ]);
    let version = state.responses.version(&state.cache).await;
    Some(Kept { key, version })
}

pub fn hit(state: &AppState, kept: &Kept) -> Option<Arc<Entry>> {
    let entry = state.responses.get(&kept.key, &kept.version);
    state.metrics.response_cache(entry.is_some());
    entry
}

/// The caching headers of a kept answer: what its execution would have set.
pub fn policy(state: &AppState, via_get: bool, entry: &Entry) -> Policy {
    let hints = CacheControl {
        public: true,
        max_age: i32::try_from(entry.max_age).unwrap_or(i32::MAX),
    };
    Policy::decide(
        via_get,
        false,
        true,
        hints,
        state.settings.http_cache_max_age,
    )
}

/// Keeps `body` when the answer is public: no error and every field hinted.
pub fn keep(state: &AppState, kept: Kept, response: &Response, status: u16, body: &str) {
    let hints = response.cache_control;
    let max_age = u64::try_from(hints.max_age).unwrap_or(0);
    if response.errors.is_empty() && hints.public && max_age > 0 {
        state
            .responses
            .put(kept.key, kept.version, status, body.to_owned(), max_age);
    }
}
