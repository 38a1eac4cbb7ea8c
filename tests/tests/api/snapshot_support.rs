//! What the snapshot tests share: a region under a small yearly policy, today's statistics
//! polled until the worker has caught up, and a teacher's snapshot row read back.

use super::fixtures;
use chrono::{DateTime, TimeZone, Utc};
use credit_bank_tests::{uuid_of, TestApp};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub const STATS: &str = "query($r: String!){ complianceStatistics(regionCode:$r){ teachers compliant withoutPolicy snapshotBacklog byRegion { region { code } teachers compliant rate } bySchool { school { id } teachers compliant } } }";
pub const COMPLIANCE: &str = "query($t: ID!){ compliance(teacherId:$t){ satisfied totalCounted periodStart periodEnd policy { key version } } }";
pub const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted records { id } } }";
pub const SAVE: &str = "mutation($d: JSON!){ saveCreditPolicy(document:$d){ key version } }";
pub const ASSIGN: &str = "mutation($r: String!, $k: String!, $f: Date!){ assignCreditPolicy(regionCode:$r, policyKey:$k, effectiveFrom:$f){ code } }";

/// The day the tests live on: noon in Beijing, 15 June 2026.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 15, 4, 0, 0)
        .single()
        .expect("a valid instant")
}

/// Moves the application clock on by a second and returns the new instant: a snapshot
/// evaluated after a change then carries a later `evaluated_at` than one before it.
pub fn tick(app: &TestApp) -> DateTime<Utc> {
    let t = app.state.clock.now() + chrono::Duration::seconds(1);
    app.state.clock.set(Some(t));
    t
}

/// A year at a time, `min` credits a year (1 per hour), the school alone certifies claims,
/// records from another province count once recognised.
pub fn yearly(min: &str) -> Value {
    json!({
        "key": "snap-yearly",
        "name": "每年学分",
        "period": { "kind": "YEAR", "makeUp": true },
        "review": { "steps": ["SCHOOL"] },
        "recognition": { "outsideProvince": true },
        "rules": [{ "key": "hour", "earn": { "perHour": "1" } }],
        "requirements": [{ "key": "total", "label": "每年", "min": min }]
    })
}

/// Saves [`yearly`] and assigns it to Shibei (370203) from 2026.
pub async fn yearly_in_shibei(app: &TestApp, admin: &str, min: &str) {
    app.ok(admin, SAVE, json!({"d": yearly(min)}), "saveCreditPolicy")
        .await;
    app.ok(
        admin,
        ASSIGN,
        json!({"r": "370203", "k": "snap-yearly", "f": "2026-01-01"}),
        "assignCreditPolicy",
    )
    .await;
}

/// Polls today's statistics of `region` until the backlog is empty and `ok` holds; the answer
/// and how long it took. Panics after `within`.
pub async fn settle(
    app: &TestApp,
    token: &str,
    region: &str,
    within: Duration,
    ok: impl Fn(&Value) -> bool,
) -> (Value, Duration) {
    let started = Instant::now();
    loop {
        let stats = app
            .ok(token, STATS, json!({"r": region}), "complianceStatistics")
            .await;
        if stats["snapshotBacklog"] == 0 && ok(&stats) {
            return (stats, started.elapsed());
        }
        assert!(
            started.elapsed() < within,
            "statistics of {region} did not settle within {within:?}: {stats}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A teacher's snapshot as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub school_id: String,
    pub region_code: String,
    pub policy_key: Option<String>,
    pub policy_version: Option<i32>,
    pub satisfied: bool,
    pub total_counted_e4: i64,
    pub shortfalls: String,
    pub evaluated_on: chrono::NaiveDate,
    pub evaluated_at: DateTime<Utc>,
}

/// The snapshot of `teacher` (a global id), if any, and whether the teacher is marked.
pub async fn snapshot(app: &TestApp, teacher: &str) -> (Option<Snapshot>, bool) {
    let id = uuid::Uuid::parse_str(&uuid_of(teacher)).expect("a teacher uuid");
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let p = if app.backend == credit_bank_tests::Backend::Postgres {
        "$1"
    } else {
        "?"
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT school_id, region_code, policy_key, policy_version, satisfied, total_counted_e4, shortfalls, evaluated_on, evaluated_at FROM compliance_snapshots WHERE teacher_id = {p}"),
            [id.into()],
        ))
        .await
        .expect("snapshot read");
    let snapshot = row.map(|r| Snapshot {
        school_id: r
            .try_get::<uuid::Uuid>("", "school_id")
            .expect("school")
            .to_string(),
        region_code: r.try_get("", "region_code").expect("region"),
        policy_key: r.try_get("", "policy_key").expect("key"),
        policy_version: r.try_get("", "policy_version").expect("version"),
        satisfied: r.try_get("", "satisfied").expect("satisfied"),
        total_counted_e4: r.try_get("", "total_counted_e4").expect("total"),
        shortfalls: r.try_get("", "shortfalls").expect("shortfalls"),
        evaluated_on: r.try_get("", "evaluated_on").expect("day"),
        evaluated_at: r.try_get("", "evaluated_at").expect("at"),
    });
    let marked = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT teacher_id FROM compliance_snapshot_marks WHERE teacher_id = {p}"),
            [id.into()],
        ))
        .await
        .expect("mark read")
        .is_some();
    (snapshot, marked)
}

/// The teacher's snapshot once it was evaluated at or after `since` and nothing marks it any
/// more. Panics after five seconds.
pub async fn refreshed(app: &TestApp, teacher: &str, since: DateTime<Utc>) -> Snapshot {
    let started = Instant::now();
    loop {
        if let (Some(s), false) = snapshot(app, teacher).await {
            if s.evaluated_at >= since {
                return s;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the snapshot of {teacher} was not refreshed since {since}: {:?}",
            snapshot(app, teacher).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A provider in Qingdao with one published 24-hour course ended on 1 June 2026 in which
/// `teachers` hold a place: `(provider token, course id)`.
pub async fn course_for(
    app: &TestApp,
    admin: &str,
    code: &str,
    teachers: &[&str],
) -> (String, String) {
    let (provider, ptoken) = fixtures::provider(
        app,
        admin,
        &format!("{code}-inst"),
        "370200",
        &format!("青岛教师进修学院 {code}"),
    )
    .await;
    let course = fixtures::published_course(
        app,
        &ptoken,
        admin,
        &provider,
        code,
        json!({"endsOn": "2026-06-01"}),
    )
    .await;
    for t in teachers {
        fixtures::enroll(app, admin, &course, t).await;
    }
    (ptoken, course)
}
