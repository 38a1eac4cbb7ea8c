//! Writing compliance snapshots: the claimed teachers evaluated on the application clock's
//! today through [`super::statistics::evaluate_subjects`] — the batched form of the path the
//! per-teacher `compliance` query takes — and their snapshots upserted in the transaction that
//! settles their marks, only while the claim still holds. A teacher marked by policy changes
//! alone is evaluated from the activity cache ([`super::activity_cache`]); any other is read
//! from the ledger, and the cache written with their snapshot.

use super::activities::{self, Earned};
use super::activity_cache;
use super::evaluation::{Member, Subject};
use super::snapshot_queue::{self, Claimed};
use super::statistics::{self, Policies};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::policy::ComplianceTotals;
use entities::{compliance_snapshots as snapshots, schools, teachers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Evaluates the teachers of `claimed` on `today` and writes their snapshots; returns how many
/// were evaluated. Teachers that no longer exist only lose their mark.
pub async fn refresh(
    state: &AppState,
    worker: Uuid,
    claimed: &[Claimed],
    today: NaiveDate,
) -> AppResult<usize> {
    let members = members(state, claimed.iter().map(|c| c.teacher_id).collect()).await?;
    let policies = statistics::policies_for(
        state,
        members.iter().map(|m| m.home.as_str()).collect::<Vec<_>>(),
        today,
    )
    .await?;
    let read = read_activities(state, claimed, &members).await?;
    let subjects = Subject::of_batch_with(state, &members, read.earned).await?;
    let evaluated = statistics::evaluate_subjects(state, subjects, &policies, today).await?;
    let at = state.clock.now();
    let rows: Vec<snapshots::Model> = evaluated
        .into_iter()
        .map(|(member, report)| row(&member, report.as_ref(), &policies, today, at))
        .collect();
    let txn = super::sql::begin_write(&state.db).await?;
    let held = snapshot_queue::still_held(&txn, worker, claimed).await?;
    let rows: Vec<snapshots::Model> = rows
        .into_iter()
        .filter(|r| held.contains_key(&r.teacher_id))
        .collect();
    super::snapshot_write::upsert(&txn, &rows).await?;
    let fresh = read.fresh.into_iter().filter(|(t, _)| held.contains_key(t));
    activity_cache::write(&txn, fresh.collect(), at).await?;
    // Cleared only where nothing marked the teacher again since the claim.
    let done: Vec<Uuid> = claimed
        .iter()
        .filter(|c| held.get(&c.teacher_id) == Some(&c.generation))
        .map(|c| c.teacher_id)
        .collect();
    snapshot_queue::settle(&txn, worker, claimed, &done).await?;
    txn.commit().await?;
    state.metrics.snapshots.from_cache(read.from_cache as u64);
    Ok(rows.len())
}

/// The activities a batch is evaluated with.
struct Read {
    earned: HashMap<Uuid, Vec<Earned>>,
    /// Read from the ledger just now, encoded for the cache.
    fresh: Vec<(Uuid, Vec<u8>)>,
    /// How many teachers' came from the cache.
    from_cache: usize,
}

/// The activities of `members`: from the cache for a teacher whose mark is policy-only (their
/// data did not change since it was written), from the ledger for every other (and for one not
/// cached yet), in one statement each.
async fn read_activities(
    state: &AppState,
    claimed: &[Claimed],
    members: &[Member],
) -> AppResult<Read> {
    let policy_only: HashSet<Uuid> = claimed
        .iter()
        .filter(|c| c.policy_only)
        .map(|c| c.teacher_id)
        .collect();
    let wanted: Vec<Uuid> = members
        .iter()
        .map(|m| m.teacher)
        .filter(|t| policy_only.contains(t))
        .collect();
    let mut earned = activity_cache::read(&state.db, &wanted).await?;
    let from_cache = earned.len();
    let rest: Vec<Uuid> = members
        .iter()
        .map(|m| m.teacher)
        .filter(|t| !earned.contains_key(t))
        .collect();
    let mut ledger = if rest.is_empty() {
        HashMap::new()
    } else {
        activities::of_teachers(&state.db, &rest).await?
    };
    let mut fresh = Vec::with_capacity(rest.len());
    for teacher in rest {
        let acts = ledger.remove(&teacher).unwrap_or_default();
        fresh.push((teacher, activity_cache::encode(&acts)?));
        earned.insert(teacher, acts);
    }
    Ok(Read {
        earned,
        fresh,
        from_cache,
    })
}

/// The members of `ids` that exist, with their school's region, in two statements.
async fn members(state: &AppState, ids: Vec<Uuid>) -> AppResult<Vec<Member>> {
    let rows = statistics::member_columns()
        .filter(teachers::Column::Id.is_in(ids))
        .into_tuple::<statistics::MemberRow>()
        .all(&state.db)
        .await?;
    let school_ids: Vec<Uuid> = rows.iter().map(|r| r.1).collect();
    let region_of: HashMap<Uuid, String> = schools::Entity::find()
        .select_only()
        .column(schools::Column::Id)
        .column(schools::Column::RegionCode)
        .filter(schools::Column::Id.is_in(school_ids))
        .into_tuple::<(Uuid, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let code = region_of
                .get(&row.1)
                .ok_or_else(|| AppError::corrupt("a teacher of an unknown school"))?;
            let home = crate::rows::region(code)?;
            Ok(statistics::member(row, home))
        })
        .collect()
}

/// The snapshot of one evaluated teacher (`report`: `None` where no policy is in force).
fn row(
    member: &Member,
    report: Option<&ComplianceTotals>,
    policies: &Policies,
    today: NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> snapshots::Model {
    let policy = policies.get(&member.home).and_then(Option::as_ref);
    let shortfalls: BTreeMap<&str, String> = report
        .map(|r| {
            r.requirements
                .iter()
                .filter(|q| !q.satisfied)
                .map(|q| (q.key.as_str(), q.shortfall.to_string()))
                .collect()
        })
        .unwrap_or_default();
    snapshots::Model {
        teacher_id: member.teacher,
        school_id: member.school,
        region_code: member.home.as_str().to_owned(),
        policy_key: policy.map(|p| p.key.clone()),
        policy_version: policy.map(|p| p.version),
        period_start: report.map(|r| r.period_start),
        period_end: report.map(|r| r.period_end),
        satisfied: report.is_some_and(|r| r.satisfied),
        total_counted_e4: report.map_or(0, |r| r.total_counted.to_e4()),
        shortfalls: serde_json::to_string(&shortfalls).unwrap_or_else(|_| "{}".into()),
        evaluated_on: today,
        evaluated_at: at,
    }
}
