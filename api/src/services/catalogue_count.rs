//! `courses { totalCount }`, exact and cheap.
//!
//! A count is asked only when the client selects `totalCount` (the resolver looks ahead). It is
//! kept in the cache under the catalogue's *version*, a token that every course write (create,
//! update, publish, approve, close, import) replaces: a cached count therefore always counts
//! the catalogue as it is now, and the database counts again only after a change. The key also
//! holds what the viewer may see, the filter and today's date (enrolment windows move with it).
//! With several replicas the cache must be Redis (as for every shared cache); a course changed
//! in the database by hand is counted right once its cached count expires ([`KEEP_FOR`]).

use crate::auth::access_provider::catalogue_reach;
use crate::auth::Principal;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::scope::CourseReach;
use sha2::{Digest, Sha256};
use std::fmt::Debug;
use std::time::Duration;
use uuid::Uuid;

const KEEP_FOR: Duration = Duration::from_secs(600);
const VERSION_KEEP_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// Says that the catalogue changed: every cached count is stale from now on.
pub async fn changed(state: &AppState) {
    // Kept public answers show the catalogue too.
    state.responses.changed(&state.cache).await;
    let version = Uuid::now_v7().simple().to_string();
    if let Err(e) = state
        .cache
        .set(&version_key(state), &version, VERSION_KEEP_FOR)
        .await
    {
        // Counts then expire on their own; nothing else depends on the version.
        tracing::warn!(error.message = %e, "could not bump the catalogue version");
    }
}

/// The cached count for this viewer, filter and day, or `count()` (then cached).
pub async fn cached<F, Fut>(
    state: &AppState,
    viewer: Option<&Principal>,
    filter: &impl Debug,
    today: NaiveDate,
    count: F,
) -> crate::error::AppResult<u64>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = crate::error::AppResult<u64>>,
{
    let Some(version) = version(state).await else {
        return count().await;
    };
    let key = state.cache_key(&[
        "courses-count",
        &version,
        &fingerprint(viewer, filter, today),
    ]);
    if let Ok(Some(n)) = state.cache.get(&key).await {
        if let Ok(n) = n.parse() {
            return Ok(n);
        }
    }
    let n = count().await?;
    let _ = state.cache.set(&key, &n.to_string(), KEEP_FOR).await;
    Ok(n)
}

fn version_key(state: &AppState) -> String {
    state.cache_key(&["catalogue-version"])
}

/// The current version; a fresh one when none is set. `None` when the cache cannot be read.
async fn version(state: &AppState) -> Option<String> {
    match state.cache.get(&version_key(state)).await {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            changed(state).await;
            state.cache.get(&version_key(state)).await.ok().flatten()
        }
        Err(_) => None,
    }
}

/// What decides the count, hashed (a filter may hold a search text: no personal data, but long).
fn fingerprint(viewer: Option<&Principal>, filter: &impl Debug, today: NaiveDate) -> String {
    let sees = match catalogue_reach(viewer) {
        CourseReach::Everything => "system".to_owned(),
        CourseReach::Subtree(r) => format!("region:{}", r.as_str()),
        CourseReach::Provider(provider) => format!("provider:{provider}"),
        CourseReach::Public => "public".to_owned(),
    };
    let digest = Sha256::digest(format!("{sees}|{filter:?}|{today}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
