//! `credit-bank bench statistics --teachers N`: `complianceStatistics` from snapshots at a scale
//! whose ledger would take hours to generate here (a million teachers, 50 million records).
//! Schools (100 teachers each, a tenth of them in one district), teachers and one snapshot per
//! teacher are generated in SQL with no ledger behind them, so the figures measure what the
//! statistics read — the snapshots, the subtree's schools, the backlog — and the answer, not
//! the evaluation (`bench compliance` measures that, with real ledgers). PostgreSQL only.

use crate::bench::{measure, Report};
use crate::state::AppState;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::time::Instant;

const DISTRICT: &str = "370202";

/// Schools in three districts outside `DISTRICT` (and a tenth in it), named so they can be
/// told apart from anything else in the database.
const SCHOOLS: &str = "INSERT INTO schools (id, region_code, name, created_at) \
     SELECT gen_random_uuid(), CASE WHEN g % 10 = 0 THEN '370202' \
       ELSE (ARRAY['370203', '370702', '370781'])[1 + g % 3] END, '统计学校 ' || g, now() \
     FROM generate_series(1, $1) AS g";

const TEACHERS: &str = "INSERT INTO teachers (id, school_id, name, hired_on, stages, subjects, \
       head_teacher, normal_school_graduate, teacher_number, created_at, updated_at) \
     SELECT gen_random_uuid(), s.id, '统计教师', NULL, '[]', '[]', false, true, NULL, now(), now() \
     FROM schools s CROSS JOIN generate_series(1, 100) \
     WHERE s.name LIKE '统计学校 %'";

/// One snapshot a teacher, four in five compliant, as the worker writes them.
const SNAPSHOTS: &str = "INSERT INTO compliance_snapshots (teacher_id, school_id, region_code, \
       policy_key, policy_version, period_start, period_end, satisfied, total_counted_e4, \
       shortfalls, evaluated_on, evaluated_at) \
     SELECT t.id, t.school_id, s.region_code, 'shandong', 1, DATE '2022-01-01', \
       DATE '2026-12-31', random() < 0.8, (random() * 3600000)::bigint, '{}', CURRENT_DATE, now() \
     FROM teachers t JOIN schools s ON s.id = t.school_id \
     WHERE s.name LIKE '统计学校 %'";

pub async fn statistics(state: &AppState, teacher_count: usize) -> anyhow::Result<Report> {
    let db = &state.db;
    anyhow::ensure!(
        db.get_database_backend() == DbBackend::Postgres,
        "bench statistics generates its data in PostgreSQL's SQL; point DATABASE_URL at PostgreSQL"
    );
    let schools = i64::try_from(teacher_count.div_ceil(100))?;
    let started = Instant::now();
    let run = |sql: &str, values: Vec<sea_orm::Value>| {
        Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
    };
    db.execute_raw(run(SCHOOLS, vec![schools.into()])).await?;
    db.execute_raw(run(TEACHERS, vec![])).await?;
    db.execute_raw(run(SNAPSHOTS, vec![])).await?;
    db.execute_unprepared("VACUUM ANALYZE schools, teachers, compliance_snapshots")
        .await?;
    let mut lines = vec![format!(
        "generated {schools} schools, {} teachers and their snapshots in {:.1} s",
        schools * 100,
        started.elapsed().as_secs_f64()
    )];
    let stats = "query($r: String!){ complianceStatistics(regionCode: $r){ teachers compliant rate snapshotBacklog byRegion { region { code } teachers compliant rate } bySchool { school { id } teachers compliant rate } } }";
    for (label, region) in [
        ("Shandong (370000, every teacher)", "370000"),
        (DISTRICT, DISTRICT),
    ] {
        lines.push(
            measure(
                state,
                &format!("complianceStatistics from snapshots over {label}"),
                stats,
                serde_json::json!({ "r": region }),
                20,
            )
            .await?,
        );
    }
    Ok(Report(lines))
}
