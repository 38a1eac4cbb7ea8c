//! The queue of marked teachers as the snapshot worker works it: claiming marks under a lease,
//! settling them once their snapshots are written, the daily roll, and the backlog figures.
//!
//! A claim stamps up to `limit` unclaimed (or lease-expired) marks with the worker's id and the
//! end of its lease, oldest first, in one statement: on PostgreSQL the candidates are locked
//! `FOR UPDATE SKIP LOCKED`, so replicas claiming at the same moment take disjoint teachers,
//! and a mark being upserted by a change in flight is skipped until that change commits.
//! SQLite has one writer, so the statement alone is atomic.

use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A claimed mark: the teacher, the generation the claim saw, and whether only policy changes
/// marked them, so their cached activities still hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct Claimed {
    pub teacher_id: Uuid,
    pub generation: i64,
    pub policy_only: bool,
}

#[derive(FromQueryResult)]
struct TeacherRow {
    teacher_id: Uuid,
}

fn params(backend: DbBackend, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| match backend {
            DbBackend::Postgres => format!("${i}"),
            _ => "?".to_owned(),
        })
        .collect()
}

/// Up to `limit` marks, now held by `worker` until `lease_until`.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: Uuid,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<Claimed>> {
    let backend = db.get_database_backend();
    let free = "claimed_until IS NULL OR claimed_until < ";
    let p = params(backend, 3);
    // On SQLite the claim takes the single write lock: look first (a read), so an idle poll
    // never makes a writer wait.
    if backend == DbBackend::Sqlite {
        let sql = format!("SELECT 1 AS one FROM compliance_snapshot_marks WHERE {free}? LIMIT 1");
        let any = db
            .query_one_raw(Statement::from_sql_and_values(backend, sql, [now.into()]))
            .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
    }
    let candidates = format!(
        "SELECT teacher_id FROM compliance_snapshot_marks WHERE {free}{} \
         ORDER BY marked_at LIMIT {limit}",
        p[2]
    );
    // PostgreSQL: the candidates as an array computed once (an InitPlan), then updated through
    // the primary key. As `IN (subquery)` the planner, trusting statistics gathered while the
    // queue was empty, may rescan the locked subquery for every mark (seconds per claim).
    let target = match backend {
        DbBackend::Postgres => {
            format!("teacher_id = ANY(ARRAY({candidates} FOR UPDATE SKIP LOCKED))")
        }
        _ => format!("teacher_id IN ({candidates})"),
    };
    let sql = format!(
        "UPDATE compliance_snapshot_marks SET claimed_by = {}, claimed_until = {} \
         WHERE {target} RETURNING teacher_id, generation, policy_only",
        p[0], p[1]
    );
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [worker.into(), lease_until.into(), now.into()],
    );
    Ok(Claimed::find_by_statement(stmt).all(db).await?)
}

/// Of `claimed`, the marks `worker` still holds, locked until the caller's transaction ends
/// (PostgreSQL), with their current generation.
///
/// On PostgreSQL the teachers' rows are share-locked first (`FOR KEY SHARE`, ascending), the
/// order every writer follows: it changes the teacher (or a row referencing it) and then
/// marks. Locking the marks first deadlocked against `updateTeacher` changing a unique column
/// (its `FOR UPDATE` on the teacher waits for nobody, then waits for the mark, while the
/// snapshot's foreign-key check waited for the teacher).
pub async fn still_held(
    txn: &impl ConnectionTrait,
    worker: Uuid,
    claimed: &[Claimed],
) -> AppResult<HashMap<Uuid, i64>> {
    let backend = txn.get_database_backend();
    let ids: Vec<Uuid> = claimed.iter().map(|c| c.teacher_id).collect();
    if backend == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM teachers WHERE id = ANY($1) ORDER BY id FOR KEY SHARE",
            [Value::from(ids.clone())],
        ))
        .await?;
    }
    let (filter, lock, mut values): (String, &str, Vec<Value>) = match backend {
        DbBackend::Postgres => (
            "teacher_id = ANY($2)".into(),
            " ORDER BY teacher_id FOR UPDATE",
            vec![worker.into(), Value::from(ids)],
        ),
        _ => {
            let list = vec!["?"; ids.len()].join(", ");
            (format!("teacher_id IN ({list})"), "", vec![worker.into()])
        }
    };
    if backend != DbBackend::Postgres {
        values.extend(claimed.iter().map(|c| Value::from(c.teacher_id)));
    }
    let p = params(backend, 1);
    let sql = format!(
        "SELECT teacher_id, generation, policy_only FROM compliance_snapshot_marks \
         WHERE claimed_by = {} AND {filter}{lock}",
        p[0]
    );
    let rows = Claimed::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| (c.teacher_id, c.generation))
        .collect())
}

/// Clears the marks of `done` (evaluated at the generation claimed) and releases `worker`'s
/// other claims among `claimed`, which were marked again meanwhile: the next round takes them.
pub async fn settle(
    txn: &impl ConnectionTrait,
    worker: Uuid,
    claimed: &[Claimed],
    done: &[Uuid],
) -> AppResult<()> {
    let cleared: HashSet<&Uuid> = done.iter().collect();
    let released: Vec<Uuid> = claimed
        .iter()
        .map(|c| c.teacher_id)
        .filter(|id| !cleared.contains(id))
        .collect();
    by_ids(txn, "DELETE FROM compliance_snapshot_marks", worker, done).await?;
    by_ids(
        txn,
        "UPDATE compliance_snapshot_marks SET claimed_by = NULL, claimed_until = NULL",
        worker,
        &released,
    )
    .await
}

/// `statement WHERE claimed_by = worker AND teacher_id IN ids`, in chunks.
async fn by_ids(
    txn: &impl ConnectionTrait,
    statement: &str,
    worker: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    let backend = txn.get_database_backend();
    for chunk in ids.chunks(400) {
        let mut values: Vec<Value> = vec![worker.into()];
        let sql = match backend {
            DbBackend::Postgres => {
                values.push(Value::from(chunk.to_vec()));
                format!("{statement} WHERE claimed_by = $1 AND teacher_id = ANY($2)")
            }
            _ => {
                values.extend(chunk.iter().map(|id| Value::from(*id)));
                let list = vec!["?"; chunk.len()].join(", ");
                format!("{statement} WHERE claimed_by = ? AND teacher_id IN ({list})")
            }
        };
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// One step of the daily roll: of the teachers after `after` (by id), up to `limit` whose
/// snapshot is missing or holds for a day before `today` are marked, unless marked already.
/// Returns the last teacher looked at, or `None` once the roll has passed every teacher.
pub async fn roll_step(
    db: &impl ConnectionTrait,
    after: Uuid,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Option<Uuid>> {
    let backend = db.get_database_backend();
    let p = params(backend, 2);
    let sql = format!(
        "SELECT t.id AS teacher_id FROM teachers t \
         LEFT JOIN compliance_snapshots s ON s.teacher_id = t.id \
         WHERE t.id > {} AND (s.teacher_id IS NULL OR s.evaluated_on < {}) \
         ORDER BY t.id LIMIT {limit}",
        p[0], p[1]
    );
    let stale = TeacherRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [after.into(), today.into()],
    ))
    .all(db)
    .await?;
    let ids: Vec<Uuid> = stale.iter().map(|c| c.teacher_id).collect();
    super::snapshot_marks::unless_marked(db, &ids).await?;
    let last = ids.last().copied();
    Ok(if (ids.len() as u64) < limit {
        None
    } else {
        last
    })
}

/// Marks of every teacher, claimed or not: the worker's backlog gauge.
pub async fn backlog(db: &impl ConnectionTrait) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM compliance_snapshot_marks",
        ))
        .await?;
    let n: i64 = match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}
