//! Writing compliance snapshot rows: on PostgreSQL one `INSERT … SELECT FROM unnest(…)` per
//! batch, each column one typed array, so a batch of teachers costs one round trip and no
//! statement with thousands of placeholders to build, bind and parse; elsewhere (SQLite)
//! multi-row `INSERT … VALUES` in chunks. Either way an upsert on the teacher.

use crate::error::AppResult;
use entities::compliance_snapshots as snapshots;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, Value};

/// Rows per multi-row upsert (12 bound values each: within both databases' limits).
const WRITE_CHUNK: usize = 1_000;

/// The driver's arrays carry no NULL: a nullable column travels as a placeholder beside a
/// `bool[]` mask saying where it is NULL (`…n`).
const PG_UPSERT: &str = "INSERT INTO compliance_snapshots (teacher_id, school_id, region_code, \
     policy_key, policy_version, period_start, period_end, satisfied, total_counted_e4, \
     shortfalls, evaluated_on, evaluated_at) \
     SELECT t, s, r, CASE WHEN kn THEN NULL ELSE k END, CASE WHEN vn THEN NULL ELSE v END, \
     CASE WHEN psn THEN NULL ELSE ps END, CASE WHEN pen THEN NULL ELSE pe END, \
     sat, tot, sh, eon, $16::timestamptz \
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bool[], $6::int4[], \
     $7::bool[], $8::date[], $9::bool[], $10::date[], $11::bool[], $12::bool[], $13::int8[], \
     $14::text[], $15::date[]) \
     AS u(t, s, r, k, kn, v, vn, ps, psn, pe, pen, sat, tot, sh, eon) \
     ON CONFLICT (teacher_id) DO UPDATE SET school_id = excluded.school_id, \
     region_code = excluded.region_code, policy_key = excluded.policy_key, \
     policy_version = excluded.policy_version, period_start = excluded.period_start, \
     period_end = excluded.period_end, satisfied = excluded.satisfied, \
     total_counted_e4 = excluded.total_counted_e4, shortfalls = excluded.shortfalls, \
     evaluated_on = excluded.evaluated_on, evaluated_at = excluded.evaluated_at";

/// Writes `rows` over the teachers' snapshots (inserted where a teacher has none).
pub async fn upsert(txn: &impl ConnectionTrait, rows: &[snapshots::Model]) -> AppResult<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    // The driver has no timestamp arrays: one evaluation time for the batch (as the worker
    // writes it), bound once.
    let at = first.evaluated_at;
    if txn.get_database_backend() == DbBackend::Postgres
        && rows.iter().all(|r| r.evaluated_at == at)
    {
        return upsert_arrays(txn, rows, at).await;
    }
    for chunk in rows.chunks(WRITE_CHUNK) {
        upsert_values(txn, chunk).await?;
    }
    Ok(())
}

async fn upsert_arrays(
    txn: &impl ConnectionTrait,
    rows: &[snapshots::Model],
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    // One typed array per column, built straight from the rows.
    macro_rules! array {
        ($f:expr) => {
            Value::from(rows.iter().map($f).collect::<Vec<_>>())
        };
    }
    let values = vec![
        array!(|r: &snapshots::Model| r.teacher_id),
        array!(|r: &snapshots::Model| r.school_id),
        array!(|r: &snapshots::Model| r.region_code.clone()),
        array!(|r: &snapshots::Model| r.policy_key.clone().unwrap_or_default()),
        array!(|r: &snapshots::Model| r.policy_key.is_none()),
        array!(|r: &snapshots::Model| r.policy_version.unwrap_or_default()),
        array!(|r: &snapshots::Model| r.policy_version.is_none()),
        array!(|r: &snapshots::Model| r.period_start.unwrap_or_default()),
        array!(|r: &snapshots::Model| r.period_start.is_none()),
        array!(|r: &snapshots::Model| r.period_end.unwrap_or_default()),
        array!(|r: &snapshots::Model| r.period_end.is_none()),
        array!(|r: &snapshots::Model| r.satisfied),
        array!(|r: &snapshots::Model| r.total_counted_e4),
        array!(|r: &snapshots::Model| r.shortfalls.clone()),
        array!(|r: &snapshots::Model| r.evaluated_on),
        at.into(),
    ];
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        PG_UPSERT,
        values,
    ))
    .await?;
    Ok(())
}

async fn upsert_values(txn: &impl ConnectionTrait, rows: &[snapshots::Model]) -> AppResult<()> {
    use snapshots::Column as C;
    snapshots::Entity::insert_many(rows.iter().cloned().map(snapshots::ActiveModel::from))
        .on_conflict(
            OnConflict::column(C::TeacherId)
                .update_columns([
                    C::SchoolId,
                    C::RegionCode,
                    C::PolicyKey,
                    C::PolicyVersion,
                    C::PeriodStart,
                    C::PeriodEnd,
                    C::Satisfied,
                    C::TotalCountedE4,
                    C::Shortfalls,
                    C::EvaluatedOn,
                    C::EvaluatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
