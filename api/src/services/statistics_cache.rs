//! Which path answers `complianceStatistics`. Today's figures (`asOf` today or omitted) come
//! from the compliance snapshots ([`super::snapshot_statistics`]): milliseconds, current within
//! the snapshot worker's delay, never cached. `fresh: true` evaluates every teacher again (an
//! audit; rate-limited by [`super::fresh_statistics`]). Another day than today is evaluated
//! again too and kept in the cache (Redis when configured) for `STATISTICS_TTL_SECONDS`, served
//! with the moment it was computed. The caller is authorized before anything is read; a cache
//! that fails is logged and bypassed, never an error to the caller.

use super::statistics::{self as compute, SchoolStatistics, Statistics};
use crate::auth::{RegionAccess, RegionNeed};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::region::RegionCode;
use entities::schools;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Serialize, Deserialize)]
struct Cached {
    teachers: u64,
    compliant: u64,
    without_policy: u64,
    /// `(school, teachers, compliant)`, in the order computed.
    by_school: Vec<(Uuid, u64, u64)>,
    computed_at: DateTime<Utc>,
}

/// A region's figures on `as_of`, for a handle checked for [`RegionNeed::Statistics`] (the
/// administrators over the region).
pub async fn statistics(
    state: &AppState,
    access: &RegionAccess,
    as_of: NaiveDate,
    fresh: bool,
) -> AppResult<Statistics> {
    access.checked_for(RegionNeed::Statistics)?;
    let (region, permit) = (&access.region, &access.permit);
    if !fresh && as_of == state.clock.today() {
        return super::snapshot_statistics::statistics(state, permit, region).await;
    }
    if fresh {
        super::fresh_statistics::allow(state, access.actor).await?;
    }
    let ttl = state.settings.statistics_ttl;
    let key = state.cache_key(&["stats", region.as_str(), &as_of.to_string()]);
    if !fresh && !ttl.is_zero() {
        if let Some(hit) = read(state, &key).await {
            return rebuild(state, region, hit).await;
        }
    }
    let stats = compute::statistics(state, permit, region, as_of).await?;
    if !ttl.is_zero() {
        let cached = Cached {
            teachers: stats.teachers,
            compliant: stats.compliant,
            without_policy: stats.without_policy,
            by_school: stats
                .by_school
                .iter()
                .map(|s| (s.school.id, s.teachers, s.compliant))
                .collect(),
            computed_at: stats.computed_at,
        };
        match serde_json::to_string(&cached) {
            Ok(text) => {
                if let Err(e) = state.cache.set(&key, &text, ttl).await {
                    tracing::warn!(error.message = %e, "could not cache compliance statistics");
                }
            }
            Err(e) => tracing::warn!(error.message = %e, "could not encode compliance statistics"),
        }
    }
    Ok(stats)
}

async fn read(state: &AppState, key: &str) -> Option<Cached> {
    match state.cache.get(key).await {
        Ok(Some(text)) => serde_json::from_str(&text)
            .map_err(|e| tracing::warn!(error.message = %e, "unreadable cached statistics"))
            .ok(),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error.message = %e, "could not read cached statistics");
            None
        }
    }
}

/// The cached figures with their schools loaded again (names may have changed; one statement).
async fn rebuild(state: &AppState, region: &RegionCode, hit: Cached) -> AppResult<Statistics> {
    let ids: Vec<Uuid> = hit.by_school.iter().map(|(id, _, _)| *id).collect();
    let mut schools: std::collections::HashMap<Uuid, schools::Model> = schools::Entity::find()
        .filter(schools::Column::Id.is_in(ids))
        .order_by_asc(schools::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let by_school: Vec<SchoolStatistics> = hit
        .by_school
        .into_iter()
        .filter_map(|(id, teachers, compliant)| {
            schools.remove(&id).map(|school| SchoolStatistics {
                school,
                teachers,
                compliant,
            })
        })
        .collect();
    Ok(Statistics {
        teachers: hit.teachers,
        compliant: hit.compliant,
        without_policy: hit.without_policy,
        by_region: compute::by_region(state, region, &by_school),
        by_school,
        snapshot_backlog: 0,
        computed_at: hit.computed_at,
    })
}
