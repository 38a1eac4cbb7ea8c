//! `credit-bank bench`: province-sized data, generated into the configured database, and the
//! figures the README records. Run it against a scratch database: it adds data.

use crate::auth::{Principal, RequestAuth};
use crate::cli::import_completions;
use crate::graphql::{build_schema, ids, loaders::Loaders};
use crate::services::completions::CHUNK;
use crate::state::AppState;
use anyhow::Context;
use chrono::{NaiveDate, Utc};
use domain::codes::{CourseStatus, CreditStatus, EnrollmentStatus};
use domain::scope::Scope;
use entities::{courses, credit_records, enrollments, providers, schools, teachers};
use sea_orm::{ActiveModelTrait, EntityTrait};
use std::time::Instant;
use uuid::Uuid;

pub struct Report(pub Vec<String>);

pub(crate) async fn insert_chunked<A>(state: &AppState, rows: Vec<A>) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(CHUNK));
        <A::Entity as EntityTrait>::insert_many(rows)
            .exec_without_returning(&state.db)
            .await?;
        rows = rest;
    }
    Ok(())
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()
}

pub(crate) async fn provider(state: &AppState) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    providers::Entity::insert(providers::ActiveModel::from(providers::Model {
        id,
        region_code: "370200".into(),
        name: format!("基准测试机构 {id}"),
        level: "MUNICIPAL".into(),
        created_at: state.clock.now(),
    }))
    .exec_without_returning(&state.db)
    .await?;
    Ok(id)
}

pub(crate) fn course(provider_id: Uuid, i: usize) -> courses::Model {
    let now = chrono::Utc::now();
    courses::Model {
        id: Uuid::now_v7(),
        provider_id,
        code: format!("B-{i:06}"),
        title: format!("信息技术应用能力提升 第{i}期"),
        description: "基准测试课程".into(),
        kind: "COURSE_COMPLETION".into(),
        level: ["MUNICIPAL", "COUNTY", "PROVINCIAL"][i % 3].into(),
        modality: ["CONCENTRATED", "ONLINE"][i % 2].into(),
        category: ["INFORMATION", "ETHICS", "KNOWLEDGE", "PRACTICE"][i % 4].into(),
        compulsory: i.is_multiple_of(2),
        hours_e4: 24 * 10_000,
        capacity: Some(1_000_000),
        target_stages: "[\"PRIMARY\"]".into(),
        subjects: "[\"数学\"]".into(),
        enrollment_opens_on: None,
        enrollment_closes_on: None,
        starts_on: None,
        ends_on: Some(day()),
        status: CourseStatus::Published.as_str().into(),
        approved_by: None,
        approved_at: Some(now),
        created_at: now,
        updated_at: now,
    }
}

/// `n` teachers at one new school in Shinan (370202), inserted in bulk.
pub async fn roster(state: &AppState, n: usize) -> anyhow::Result<Vec<Uuid>> {
    let now = state.clock.now();
    let school = Uuid::now_v7();
    schools::Entity::insert(schools::ActiveModel::from(schools::Model {
        id: school,
        region_code: "370202".into(),
        name: format!("基准测试学校 {school}"),
        created_at: now,
    }))
    .exec_without_returning(&state.db)
    .await?;
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            teachers::ActiveModel::from(teachers::Model {
                id: *id,
                school_id: school,
                name: format!("教师{i}"),
                hired_on: None,
                stages: "[]".into(),
                subjects: "[]".into(),
                head_teacher: false,
                normal_school_graduate: false,
                teacher_number: None,
                created_at: now,
                updated_at: now,
            })
        })
        .collect();
    insert_chunked(state, rows).await?;
    Ok(ids)
}

/// Gives every teacher a seat in the course, in bulk (no capacity check: for generated data only).
pub async fn enrol_all(state: &AppState, course_id: Uuid, teachers: &[Uuid]) -> anyhow::Result<()> {
    let now = state.clock.now();
    let places = teachers
        .iter()
        .map(|t| {
            enrollments::ActiveModel::from(enrollments::Model {
                id: Uuid::now_v7(),
                course_id,
                teacher_id: *t,
                status: EnrollmentStatus::Enrolled.as_str().into(),
                enrolled_by: None,
                enrolled_at: now,
                updated_at: now,
            })
        })
        .collect();
    insert_chunked(state, places).await
}

/// A course with `rows` enrolled teachers and a completions CSV for all of them at `path`;
/// returns the course id (the import benchmark, and the fault suite's mid-import kill).
pub async fn completions_file(
    state: &AppState,
    rows: usize,
    path: &std::path::Path,
) -> anyhow::Result<Uuid> {
    let provider_id = provider(state).await?;
    let c = course(provider_id, 0);
    let course_id = c.id;
    courses::Entity::insert(courses::ActiveModel::from(c))
        .exec_without_returning(&state.db)
        .await?;
    let teachers = roster(state, rows).await?;
    enrol_all(state, course_id, &teachers).await?;
    let mut csv = String::from("teacherId,attendedHours,passed,score\n");
    for t in &teachers {
        csv.push_str(&format!("{t},24,true,90\n"));
    }
    std::fs::write(path, csv)?;
    Ok(course_id)
}

/// Imports `rows` completions for one course through the same path as `import-completions`.
pub async fn import(state: &AppState, rows: usize) -> anyhow::Result<Report> {
    let started = Instant::now();
    let path = std::env::temp_dir().join(format!("bench-completions-{}.csv", Uuid::now_v7()));
    let course_id = completions_file(state, rows, &path).await?;
    let setup = started.elapsed();
    let summary = import_completions(state, &course_id.to_string(), &path).await?;
    let _ = std::fs::remove_file(&path);
    Ok(Report(vec![
        format!(
            "setup {rows} teachers and enrolments: {:.1} s",
            setup.as_secs_f64()
        ),
        format!("import-completions {rows} rows: {summary}"),
    ]))
}

/// Imports `rows` generated records of an earlier platform (one per teacher, by id) through
/// the same path as `import-ledger`, then the same file again: the second run posts nothing.
pub async fn import_ledger(state: &AppState, rows: usize) -> anyhow::Result<Report> {
    let started = Instant::now();
    let teachers = roster(state, rows).await?;
    let mut csv = String::from("externalId,teacherId,kind,title,level,modality,hours,earnedOn\n");
    for (i, t) in teachers.iter().enumerate() {
        csv.push_str(&format!(
            "OLD-{i},{t},COURSE_COMPLETION,旧平台培训 {i},MUNICIPAL,CONCENTRATED,24,2024-06-01\n"
        ));
    }
    let path = std::env::temp_dir().join(format!("bench-ledger-{}.csv", Uuid::now_v7()));
    std::fs::write(&path, csv)?;
    let setup = started.elapsed();
    let source = format!("基准测试平台 {}", Uuid::now_v7());
    let first = crate::cli_imports::import_ledger(state, &source, &path).await?;
    let again = crate::cli_imports::import_ledger(state, &source, &path).await?;
    let _ = std::fs::remove_file(&path);
    Ok(Report(vec![
        format!("setup {rows} teachers: {:.1} s", setup.as_secs_f64()),
        format!("import-ledger {rows} rows: {first}"),
        format!("import-ledger again: {again}"),
    ]))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(idx).copied().unwrap_or(f64::NAN)
}

pub(crate) async fn measure(
    state: &AppState,
    label: &str,
    query: &str,
    variables: serde_json::Value,
    runs: usize,
) -> anyhow::Result<String> {
    let schema = build_schema(state.clone());
    let principal = Principal {
        account_id: Uuid::nil(),
        username: "bench".into(),
        scope: Scope::System,
        loaded: None,
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables.clone()))
            .data(RequestAuth::Authenticated(principal.clone()))
            .data(Loaders::new(state, Some(principal.clone())));
        let t = Instant::now();
        let response = schema.execute(request).await;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(response.errors.is_empty(), "{label}: {:?}", response.errors);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(format!(
        "{label}: p50 {:.2} ms, p99 {:.2} ms over {runs} runs",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    ))
}

/// A generated course completion: 24 hours, level, category and year varying with `i`.
pub(crate) fn record(
    teacher_id: Uuid,
    school: Uuid,
    course_id: Uuid,
    i: usize,
    now: chrono::DateTime<Utc>,
) -> credit_records::Model {
    credit_records::Model {
        id: Uuid::now_v7(),
        teacher_id,
        school_id: school,
        region_code: "370202".into(),
        kind: "COURSE_COMPLETION".into(),
        title: "基准测试课程".into(),
        course_id: Some(course_id),
        level: Some(["MUNICIPAL", "COUNTY", "PROVINCIAL"][i % 3].into()),
        modality: Some("CONCENTRATED".into()),
        category: Some(["INFORMATION", "ETHICS", "KNOWLEDGE", "PRACTICE"][i % 4].into()),
        compulsory: Some(i.is_multiple_of(2)),
        role: "TRAINEE".into(),
        hours_e4: Some(24 * 10_000),
        attended_hours_e4: Some(24 * 10_000),
        taught_hours_e4: None,
        days: None,
        months: None,
        words: None,
        prize: None,
        passed: Some(true),
        score_e4: None,
        earned_on: NaiveDate::from_ymd_opt(2026 + (i % 5) as i32, 6, 30).unwrap_or_default(),
        policy_key: Some("qingdao-shinan".into()),
        credits_e4: 24 * 10_000,
        status: CreditStatus::Certified.as_str().into(),
        next_step: None,
        idempotency_key: format!("bench:{}", Uuid::now_v7()),
        reversal_of: None,
        reason: None,
        created_by: None,
        source: None,
        external_id: None,
        created_at: now,
        updated_at: now,
    }
}

pub use crate::bench_compliance::compliance;
pub use crate::bench_statistics::statistics;

/// Loads `courses` courses and `records` credit records (200 of them for one teacher), then
/// measures the catalogue's first page and that teacher's credit account.
pub async fn read(state: &AppState, course_count: usize, records: usize) -> anyhow::Result<Report> {
    let started = Instant::now();
    let provider_id = provider(state).await?;
    let catalogue: Vec<courses::Model> =
        (0..course_count).map(|i| course(provider_id, i)).collect();
    let course_ids: Vec<Uuid> = catalogue.iter().map(|c| c.id).collect();
    insert_chunked(
        state,
        catalogue
            .into_iter()
            .map(courses::ActiveModel::from)
            .collect(),
    )
    .await?;
    let per_teacher = 200;
    let teachers = roster(state, records.div_ceil(per_teacher)).await?;
    let school = teachers::Entity::find_by_id(*teachers.first().context("no teacher")?)
        .one(&state.db)
        .await?
        .context("teacher")?
        .school_id;
    let now = state.clock.now();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..records {
        let teacher_id = teachers[i / per_teacher];
        let course_id = course_ids[i % course_ids.len()];
        batch.push(credit_records::ActiveModel::from(record(
            teacher_id, school, course_id, i, now,
        )));
        if batch.len() == 10_000 {
            insert_chunked(state, std::mem::take(&mut batch)).await?;
        }
    }
    insert_chunked(state, batch).await?;
    // Fresh statistics, as autovacuum would gather them a little later: without them the
    // planner takes a freshly loaded table for a small one and sorts instead of using indexes.
    sea_orm::ConnectionTrait::execute_unprepared(&state.db, "ANALYZE").await?;
    crate::services::catalogue_count::changed(state).await;
    let mut lines = vec![format!(
        "loaded {course_count} courses and {records} credit records in {:.1} s",
        started.elapsed().as_secs_f64()
    )];
    lines.push(measure(state, "courses first page (20, with provider and seats)", "{ courses(first: 20) { totalCount edges { node { code title provider { name } enrolledCount } } } }", serde_json::json!({}), 200).await?);
    let teacher = ids::encode(ids::Kind::Teacher, teachers[0]);
    lines.push(
        measure(state, "creditAccount of a teacher with 200 records", "query($id: ID!) { node(id: $id) { ... on Teacher { creditAccount { total byYear { year credits } byCategory { category credits } byLevel { level credits } byRegion { regionCode credits } pending } } } }", serde_json::json!({"id": teacher}), 200)
            .await?,
    );
    Ok(Report(lines))
}
