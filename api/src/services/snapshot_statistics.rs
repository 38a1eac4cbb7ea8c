//! Today's region statistics from compliance snapshots: one `GROUP BY school` over the
//! snapshots of the subtree's regions (answered from `ix_compliance_snapshots_region`), rolled
//! up into the totals and the region's children in memory, plus the subtree's backlog of marked
//! teachers. Milliseconds for a province, and never older than the last evaluation: no cache.
//!
//! While the backlog is not zero the figures are each teacher's outcome as last evaluated: a
//! teacher marked since (a change not yet evaluated, a transfer, or the daily roll) counts as
//! before the change, under the school it was evaluated at; a teacher never evaluated yet
//! (just created) is in the backlog and not yet in the figures.

use super::sql::one_of;
use super::statistics::{self, Statistics, Tally};
use crate::auth::Permit;
use crate::error::AppResult;
use crate::state::AppState;
use domain::region::RegionCode;
use entities::{compliance_snapshot_marks as marks, compliance_snapshots as snapshots};
use entities::{schools, teachers};
use sea_orm::sea_query::Expr;
use sea_orm::{
    EntityTrait, FromQueryResult, JoinType, PaginatorTrait, QueryFilter, QuerySelect, Select,
};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(FromQueryResult)]
struct SchoolRow {
    school_id: Uuid,
    teachers: i64,
    compliant: i64,
    without_policy: i64,
}

/// Today's figures of `region`'s subtree, from snapshots.
pub async fn statistics(
    state: &AppState,
    _permit: &Permit,
    region: &RegionCode,
) -> AppResult<Statistics> {
    let schools = statistics::schools_of(state, region).await?;
    let codes = statistics::subtree_codes(state, region);
    let per_school = per_school(state, codes.clone()).await?;
    let backlog = backlog(state, codes).await?;
    Ok(statistics::assemble(
        state,
        region,
        schools,
        &per_school,
        backlog,
    ))
}

/// The aggregation itself (see [`per_school_query`]).
async fn per_school(state: &AppState, codes: Vec<String>) -> AppResult<BTreeMap<Uuid, Tally>> {
    let rows = per_school_query(state.db.get_database_backend(), codes)
        .into_model::<SchoolRow>()
        .all(&state.db)
        .await?;
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|r| {
            let tally = Tally {
                teachers: n(r.teachers),
                compliant: n(r.compliant),
                without_policy: n(r.without_policy),
            };
            (r.school_id, tally)
        })
        .collect())
}

/// `SELECT school_id, COUNT(*), SUM(satisfied), SUM(no policy) FROM compliance_snapshots
/// WHERE region_code IN (…) GROUP BY school_id` (`= ANY($1)` on PostgreSQL). Public so the
/// benchmark can show its plan.
pub fn per_school_query(
    backend: sea_orm::DbBackend,
    codes: Vec<String>,
) -> Select<snapshots::Entity> {
    // SUM of integers is BIGINT on PostgreSQL and INTEGER on SQLite: an i64 either way.
    snapshots::Entity::find()
        .select_only()
        .column(snapshots::Column::SchoolId)
        .column_as(Expr::cust("COUNT(*)"), "teachers")
        .column_as(
            Expr::cust("SUM(CASE WHEN satisfied THEN 1 ELSE 0 END)"),
            "compliant",
        )
        .column_as(
            Expr::cust("SUM(CASE WHEN policy_version IS NULL THEN 1 ELSE 0 END)"),
            "without_policy",
        )
        .filter(one_of(backend, snapshots::Column::RegionCode, codes))
        .group_by(snapshots::Column::SchoolId)
}

/// Teachers of the subtree (by their current school) still marked for evaluation.
async fn backlog(state: &AppState, codes: Vec<String>) -> AppResult<u64> {
    let backend = state.db.get_database_backend();
    let n = marks::Entity::find()
        .join(JoinType::InnerJoin, marks_teacher())
        .join(JoinType::InnerJoin, teacher_school())
        .filter(one_of(backend, schools::Column::RegionCode, codes))
        .count(&state.db)
        .await?;
    Ok(n)
}

fn teacher_school() -> sea_orm::RelationDef {
    teachers::Entity::belongs_to(schools::Entity)
        .from(teachers::Column::SchoolId)
        .to(schools::Column::Id)
        .into()
}

fn marks_teacher() -> sea_orm::RelationDef {
    marks::Entity::belongs_to(teachers::Entity)
        .from(marks::Column::TeacherId)
        .to(teachers::Column::Id)
        .into()
}
