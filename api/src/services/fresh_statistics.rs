//! `complianceStatistics(fresh: true)` evaluates every teacher of a subtree again — seconds of
//! CPU for a province — so each account may ask for it a few times per ten minutes
//! (`FRESH_STATISTICS_PER_10_MINUTES`, default 5); beyond that `RATE_LIMITED` with the wait.
//! Cached results (`fresh: false`) are never limited. The counter lives in the cache (Redis
//! when configured, so the limit holds across replicas; per instance while Redis is down).

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use uuid::Uuid;

pub async fn allow(state: &AppState, account: Uuid) -> AppResult<()> {
    let limits = state.settings.documents;
    let key = state.cache_key(&["fresh-stats", &account.to_string()]);
    let count = state
        .cache
        .incr_window(&key, limits.fresh_window)
        .await
        .map_err(AppError::internal)?;
    if count <= limits.fresh_statistics {
        return Ok(());
    }
    let wait = state
        .cache
        .ttl(&key)
        .await
        .map_err(AppError::internal)?
        .unwrap_or(limits.fresh_window);
    Err(AppError::RateLimited {
        retry_after_secs: wait.as_secs().max(1),
    })
}
