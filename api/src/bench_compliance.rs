//! `credit-bank bench compliance`: a province of generated teachers (a tenth of them in one
//! district, Shinan 370202; the rest in Shibei, Weicheng and Qingzhou, 100 to a school), each
//! with `records_per_teacher` certified records, then the figures of issue 17: the time to
//! build every snapshot from scratch, re-evaluation throughput after a policy change across
//! the province, `complianceStatistics` from snapshots over the province and over the
//! district, the plan of its aggregation (PostgreSQL), and one audit (`fresh: true`) over the
//! district for comparison.
//!
//! `--teachers 1000000` runs a province of a million the same way (hours of loading on a
//! small machine: 50 million records).

use crate::bench::{course, insert_chunked, measure, provider, record, Report};
use crate::services::snapshot_statistics::per_school_query;
use crate::services::{snapshot_marks, snapshot_queue};
use crate::state::AppState;
use domain::region::RegionCode;
use entities::{courses, credit_records, schools, teachers};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QuerySelect, QueryTrait, Statement,
};
use std::time::Instant;
use uuid::Uuid;

const SCHOOL_SIZE: usize = 100;
const DISTRICT: &str = "370202";
const ELSEWHERE: [&str; 3] = ["370203", "370702", "370781"];

pub async fn compliance(
    state: &AppState,
    teacher_count: usize,
    per_teacher: usize,
    reuse: bool,
) -> anyhow::Result<Report> {
    let workers = state.settings.snapshot_workers();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let started = Instant::now();
    let mut lines = if reuse {
        let loaded = teachers::Entity::find().count(&state.db).await?;
        anyhow::ensure!(loaded > 0, "--reuse: this database holds no teachers");
        vec![format!("reusing the {loaded} teachers loaded earlier")]
    } else {
        load(state, teacher_count, per_teacher).await?;
        vec![format!(
            "loaded {teacher_count} teachers ({} in {DISTRICT}) with {per_teacher} records each in {:.1} s",
            teacher_count / 10,
            started.elapsed().as_secs_f64()
        )]
    };
    let province = RegionCode::parse("370000")?;
    snapshot_marks::subtree(&state.db, &province).await?;
    lines.push(drain(state, "snapshots built from scratch", workers, cores).await?);
    // A policy assigned to the province marks its whole subtree: the same statement.
    let t = Instant::now();
    snapshot_marks::subtree(&state.db, &province).await?;
    let marking = t.elapsed();
    lines.push(format!(
        "policy change marks the province in {:.2} s",
        marking.as_secs_f64()
    ));
    lines.push(drain(state, "re-evaluation after a policy change", workers, cores).await?);
    // Every teacher marked as by a change to their own data: evaluated from the ledger again
    // (a policy change reads the worker's activity cache instead).
    let everyone: Vec<Uuid> = teachers::Entity::find()
        .select_only()
        .column(teachers::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    for chunk in everyone.chunks(10_000) {
        snapshot_marks::teachers(&state.db, chunk.iter().copied()).await?;
    }
    lines.push(
        drain(
            state,
            "re-evaluation reading the ledger (every teacher's data changed)",
            workers,
            cores,
        )
        .await?,
    );
    if state.db.get_database_backend() == DbBackend::Postgres {
        // As autovacuum leaves them: the visibility map set, so the aggregation reads the index
        // alone (an index-only scan), and the drained queue known to be empty (its backlog
        // count is then driven from the marks; planned on the statistics of a full queue it
        // scans every teacher instead: 40 ms at 100,000).
        state
            .db
            .execute_unprepared("VACUUM ANALYZE compliance_snapshots, compliance_snapshot_marks")
            .await?;
    }
    let stats = "query($r: String!){ complianceStatistics(regionCode: $r){ teachers compliant rate snapshotBacklog byRegion { region { code } teachers compliant rate } bySchool { school { id } teachers compliant rate } } }";
    lines.push(
        measure(
            state,
            "complianceStatistics from snapshots over Shandong (370000, every teacher)",
            stats,
            serde_json::json!({"r": "370000"}),
            50,
        )
        .await?,
    );
    lines.push(
        measure(
            state,
            &format!("complianceStatistics from snapshots over {DISTRICT}"),
            stats,
            serde_json::json!({"r": DISTRICT}),
            50,
        )
        .await?,
    );
    lines.extend(plan(state).await?);
    lines.push(
        measure(
            state,
            &format!("complianceStatistics(fresh: true) over {DISTRICT} (audit)"),
            "query($r: String!){ complianceStatistics(regionCode: $r, fresh: true){ teachers compliant } }",
            serde_json::json!({"r": DISTRICT}),
            3,
        )
        .await?,
    );
    Ok(Report(lines))
}

/// Drains the marks with `workers` rounds side by side (the server's `SNAPSHOT_WORKERS`);
/// the figure per core divides by every core of the machine, the database's included.
async fn drain(
    state: &AppState,
    label: &str,
    workers: usize,
    cores: usize,
) -> anyhow::Result<String> {
    let backlog = snapshot_queue::backlog(&state.db).await?;
    let t = Instant::now();
    let done = crate::snapshots::drain(state, workers).await?;
    let secs = t.elapsed().as_secs_f64();
    Ok(format!(
        "{label}: {done} of {backlog} marked teachers in {secs:.1} s = {:.0} teachers/s with {workers} rounds on {cores} cores ({:.0} per core)",
        done as f64 / secs,
        done as f64 / secs / cores as f64
    ))
}

/// `EXPLAIN ANALYZE` of the aggregation over the province (PostgreSQL only).
async fn plan(state: &AppState) -> anyhow::Result<Vec<String>> {
    let backend = state.db.get_database_backend();
    if backend != DbBackend::Postgres {
        return Ok(Vec::new());
    }
    let codes: Vec<String> = state
        .regions
        .subtree(&RegionCode::parse("370000")?)
        .into_iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let query = per_school_query(backend, codes).build(backend);
    let explain = Statement::from_sql_and_values(
        backend,
        format!("EXPLAIN (ANALYZE, BUFFERS) {}", query.sql),
        query.values.map(|v| v.0).unwrap_or_default(),
    );
    let mut lines = vec!["plan of the aggregation over Shandong:".to_owned()];
    for row in state.db.query_all_raw(explain).await? {
        lines.push(format!("    {}", row.try_get::<String>("", "QUERY PLAN")?));
    }
    Ok(lines)
}

/// The schools, teachers and records.
async fn load(state: &AppState, teacher_count: usize, per_teacher: usize) -> anyhow::Result<()> {
    let provider_id = provider(state).await?;
    let c = course(provider_id, 0);
    let course_id = c.id;
    insert_chunked(state, vec![courses::ActiveModel::from(c)]).await?;
    let now = state.clock.now();
    let district = teacher_count / 10;
    let mut made = 0;
    let mut n = 0;
    while made < teacher_count {
        let region = if made < district {
            DISTRICT
        } else {
            ELSEWHERE[n % ELSEWHERE.len()]
        };
        let size = SCHOOL_SIZE.min(teacher_count - made);
        let size = if made < district {
            size.min(district - made)
        } else {
            size
        };
        let school = Uuid::now_v7();
        insert_chunked(
            state,
            vec![schools::ActiveModel::from(schools::Model {
                id: school,
                region_code: region.into(),
                name: format!("基准测试学校 {n}"),
                created_at: now,
            })],
        )
        .await?;
        let ids: Vec<Uuid> = (0..size).map(|_| Uuid::now_v7()).collect();
        insert_chunked(
            state,
            ids.iter().map(|id| teacher(*id, school, now)).collect(),
        )
        .await?;
        let records: Vec<credit_records::Model> = ids
            .iter()
            .enumerate()
            .flat_map(|(t, id)| {
                (0..per_teacher).map(move |i| record(*id, school, course_id, t + i, now))
            })
            .collect();
        insert_records(state, records).await?;
        made += size;
        n += 1;
    }
    if state.db.get_database_backend() == DbBackend::Postgres {
        state.db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

fn teacher(id: Uuid, school: Uuid, now: chrono::DateTime<chrono::Utc>) -> teachers::ActiveModel {
    teachers::ActiveModel::from(teachers::Model {
        id,
        school_id: school,
        name: "基准教师".into(),
        hired_on: None,
        stages: "[]".into(),
        subjects: "[]".into(),
        head_teacher: false,
        normal_school_graduate: false,
        teacher_number: None,
        created_at: now,
        updated_at: now,
    })
}

/// PostgreSQL takes a school's records as one array insert; SQLite in chunks.
async fn insert_records(
    state: &AppState,
    records: Vec<credit_records::Model>,
) -> anyhow::Result<()> {
    if state.db.get_database_backend() == DbBackend::Postgres {
        crate::services::sql::insert_array_rows::<credit_records::Entity>(
            &state.db,
            &records,
            credit_records::Column::IdempotencyKey,
        )
        .await?;
        return Ok(());
    }
    insert_chunked(
        state,
        records
            .into_iter()
            .map(credit_records::ActiveModel::from)
            .collect(),
    )
    .await
}
