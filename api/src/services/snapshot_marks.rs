//! Marking teachers whose compliance snapshot must be evaluated again. Every change that can
//! alter a teacher's outcome calls one of these inside its own transaction, so the mark commits
//! (or rolls back) with the change; the snapshot worker ([`crate::snapshots`]) then evaluates
//! them. A mark is an upsert that bumps `generation`: the worker clears a mark only at the
//! generation it claimed, so a change made while it evaluated is evaluated again.
//!
//! Ids are marked in ascending order, so two transactions marking overlapping teachers on
//! PostgreSQL take the row locks in the same order and never deadlock over them.

use crate::error::AppResult;
use chrono::{DateTime, Utc};
use domain::region::RegionCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Rows per statement on SQLite (two bound values each).
const SQLITE_CHUNK: usize = 400;

/// A change to the teacher's own data: evaluated from the ledger, whatever marked them before.
const UPSERT: &str = "ON CONFLICT (teacher_id) DO UPDATE SET marked_at = excluded.marked_at, \
     generation = compliance_snapshot_marks.generation + 1, policy_only = FALSE";

/// A policy change: a mark already made by a change to the teacher's data stays one.
const UPSERT_POLICY: &str = "ON CONFLICT (teacher_id) DO UPDATE SET \
     marked_at = excluded.marked_at, generation = compliance_snapshot_marks.generation + 1";

/// When a mark was made. It only orders the queue, so it is real time even while the
/// application clock is held still (tests); correctness rests on `generation`.
fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Marks `teachers` (the changed records' teachers, a transferred or corrected teacher…).
pub async fn teachers(
    db: &impl ConnectionTrait,
    teachers: impl IntoIterator<Item = Uuid>,
) -> AppResult<()> {
    let ids: Vec<Uuid> = teachers
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    insert(db, &ids, false, UPSERT).await
}

/// Marks those of `teachers` not marked yet, leaving the others' generation alone: the daily
/// roll, which must not make a claim in flight evaluate again. Not `policy_only`: once a day
/// every teacher is read from the ledger again, so a record written by other means than the
/// API (which marks nothing) reaches the snapshot, and the activity cache, within a day.
pub async fn unless_marked(db: &impl ConnectionTrait, teachers: &[Uuid]) -> AppResult<()> {
    let ids: Vec<Uuid> = teachers
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    insert(db, &ids, false, "ON CONFLICT (teacher_id) DO NOTHING").await
}

/// Inserts marks for `ids` (sorted, distinct), `policy_only` as given, with `on_conflict`.
async fn insert(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    policy_only: bool,
    on_conflict: &str,
) -> AppResult<()> {
    let policy_only = if policy_only { "TRUE" } else { "FALSE" };
    if ids.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        let sql = format!(
            "INSERT INTO compliance_snapshot_marks (teacher_id, marked_at, generation, policy_only) \
             SELECT u, $2, 1, {policy_only} FROM unnest($1::uuid[]) AS u ORDER BY u {on_conflict}"
        );
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(ids.to_vec()), now().into()],
        ))
        .await?;
        return Ok(());
    }
    for chunk in ids.chunks(SQLITE_CHUNK) {
        let row = format!("(?, ?, 1, {policy_only})");
        let rows = vec![row.as_str(); chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO compliance_snapshot_marks (teacher_id, marked_at, generation, policy_only) \
             VALUES {rows} {on_conflict}"
        );
        let at = now();
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|id| [Value::from(*id), at.into()])
            .collect();
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Marks every teacher of `region`'s subtree (a policy assigned there), in one statement.
pub async fn subtree(db: &impl ConnectionTrait, region: &RegionCode) -> AppResult<()> {
    subtrees_of(
        db,
        "SELECT code FROM regions WHERE code = {p}",
        region.as_str().into(),
    )
    .await
}

/// Marks every teacher of the subtrees the policy `key` is assigned to (a new version of it),
/// in one statement. Teachers below a region with a policy of its own are marked too: marking
/// more than needed costs an evaluation, never a wrong figure.
pub async fn policy(db: &impl ConnectionTrait, key: &str) -> AppResult<()> {
    subtrees_of(
        db,
        "SELECT region_code FROM region_policy_assignments WHERE policy_key = {p}",
        key.into(),
    )
    .await
}

/// `INSERT … SELECT` of the teachers of the schools in the subtrees of the regions `roots`
/// selects (with `{p}` its one parameter), walking the region tree in SQL. A policy change:
/// the marks are `policy_only` unless a change to the teacher's data marked them already.
async fn subtrees_of(db: &impl ConnectionTrait, roots: &str, value: Value) -> AppResult<()> {
    let backend = db.get_database_backend();
    let (p, at) = match backend {
        DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    let roots = roots.replace("{p}", p);
    let sql = format!(
        "WITH RECURSIVE sub(code) AS ({roots} \
           UNION SELECT r.code FROM regions r JOIN sub ON r.parent_code = sub.code) \
         INSERT INTO compliance_snapshot_marks (teacher_id, marked_at, generation, policy_only) \
         SELECT t.id, {at}, 1, TRUE FROM teachers t JOIN schools s ON s.id = t.school_id \
         WHERE s.region_code IN (SELECT code FROM sub) ORDER BY t.id {UPSERT_POLICY}"
    );
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [value, now().into()],
    ))
    .await?;
    Ok(())
}
