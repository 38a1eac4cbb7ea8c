//! Property-style: random ledger changes (claims, some certified, completions passed or
//! failed, revocations) and new versions of the region's policy applied to a few teachers;
//! after every few, once the worker has caught up, each teacher's snapshot says exactly what
//! `Teacher.compliance` says for the same day. A policy version re-evaluates from the worker's
//! activity cache, so a cache that missed a ledger change would show here.
//! The seed is fixed (set `SNAPSHOT_SEED` to try another) so a failure can be replayed.

use super::fixtures;
use super::snapshot_support::{
    course_for, settle, snapshot, start, yearly, yearly_in_shibei, RECORD, SAVE,
};
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

on_both_backends!(snapshots_agree_with_compliance_after_random_ledger_changes);

const TEACHERS: usize = 5;
const STEPS: usize = 36;
const CHECK_EVERY: usize = 6;
const REPORT: &str = "query($t: ID!){ compliance(teacherId:$t){ satisfied totalCounted periodStart periodEnd policy { key version } requirements { key shortfall satisfied } } }";

/// xorshift64*: enough randomness for choosing changes, and reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

struct World {
    admin: String,
    school_admin: String,
    teachers: Vec<(String, String)>,
    courses: Vec<(String, String)>,
    completed: Vec<(usize, usize)>,
    certified: Vec<String>,
    revoked: usize,
    versions: usize,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    yearly_in_shibei(app, &admin, "30").await;
    let school = fixtures::school(app, &admin, "370203", "市北随机小学").await;
    let school_admin = fixtures::school_admin(app, &admin, "rand-sa", &school).await;
    let mut teachers = Vec::new();
    for i in 0..TEACHERS {
        let login = format!("rand-t{i}");
        let id = fixtures::teacher(app, &admin, &school, &format!("随机{i}"), Some(&login)).await;
        teachers.push((id, app.login(&login, PASSWORD).await));
    }
    let ids: Vec<&str> = teachers.iter().map(|(id, _)| id.as_str()).collect();
    let mut courses = Vec::new();
    for code in ["RND-1", "RND-2", "RND-3"] {
        courses.push(course_for(app, &admin, code, &ids).await);
    }
    World {
        admin,
        school_admin,
        teachers,
        courses,
        completed: Vec::new(),
        certified: Vec::new(),
        revoked: 0,
        versions: 0,
    }
}

async fn snapshots_agree_with_compliance_after_random_ledger_changes(app: TestApp) {
    app.state.clock.set(Some(start()));
    let seed = std::env::var("SNAPSHOT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_2026_0615_u64);
    let mut rng = Rng(seed | 1);
    let mut w = world(&app).await;
    let mut seen = (0, 0);
    for step in 1..=STEPS {
        change(&app, &mut w, &mut rng).await;
        if step % CHECK_EVERY == 0 {
            settle(&app, &w.admin, "370203", Duration::from_secs(5), |_| true).await;
            for (teacher, _) in &w.teachers {
                match compare(&app, &w.admin, teacher, seed).await {
                    true => seen.0 += 1,
                    false => seen.1 += 1,
                }
            }
        }
    }
    // The walk must reach both outcomes, or it compared nothing interesting.
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "satisfied/unsatisfied seen: {seen:?} (seed {seed})"
    );
    assert!(w.revoked > 0, "no revocation in the walk (seed {seed})");
    assert!(
        w.versions > 0,
        "no policy version in the walk (seed {seed})"
    );
    assert!(
        app.state.metrics.snapshots.cached_evaluations() > 0,
        "no teacher was evaluated from the activity cache (seed {seed})"
    );
}

/// One random change to the ledger.
async fn change(app: &TestApp, w: &mut World, rng: &mut Rng) {
    let t = rng.below(TEACHERS);
    match rng.below(5) {
        4 => {
            // A new version of the region's policy: every teacher's data unchanged.
            let min = 10 + 5 * rng.below(5);
            w.versions += 1;
            app.ok(
                &w.admin,
                SAVE,
                json!({"d": yearly(&min.to_string())}),
                "saveCreditPolicy",
            )
            .await;
        }
        0 | 1 => {
            let hours = 1 + rng.below(9);
            let month = 1 + rng.below(6);
            let claim = app
                .ok(
                    &w.teachers[t].1,
                    "mutation($i: ClaimInput!){ claimCredit(input:$i){ id } }",
                    json!({"i": {"kind": "COURSE_COMPLETION", "title": "自主研修", "level": "SCHOOL",
                                 "hours": hours.to_string(), "earnedOn": format!("2026-{month:02}-01")}}),
                    "claimCredit",
                )
                .await;
            if rng.below(3) > 0 {
                app.ok(
                    &w.school_admin,
                    "mutation($id: ID!){ reviewCredit(id:$id, decision: APPROVE){ status } }",
                    json!({"id": claim["id"]}),
                    "reviewCredit",
                )
                .await;
                w.certified
                    .push(claim["id"].as_str().unwrap_or_default().to_owned());
            }
        }
        2 => {
            let c = rng.below(w.courses.len());
            if w.completed.contains(&(t, c)) {
                return;
            }
            w.completed.push((t, c));
            let (ptoken, course) = &w.courses[c];
            let passed = rng.below(5) > 0;
            let posted = app
                .ok(
                    ptoken,
                    RECORD,
                    json!({"c": course, "rows": [{"teacherId": w.teachers[t].0, "attendedHours": "24", "passed": passed}]}),
                    "recordCompletions",
                )
                .await;
            if let Some(id) = posted["records"][0]["id"].as_str() {
                w.certified.push(id.to_owned());
            }
        }
        _ => {
            if w.certified.is_empty() {
                return;
            }
            let id = w.certified.swap_remove(rng.below(w.certified.len()));
            w.revoked += 1;
            app.ok(
                &w.admin,
                "mutation($id: ID!){ revokeCredit(id:$id, reason: \"抽查不实\"){ status } }",
                json!({"id": id}),
                "revokeCredit",
            )
            .await;
        }
    }
}

/// The teacher's snapshot against their own report for today; whether they are compliant.
async fn compare(app: &TestApp, admin: &str, teacher: &str, seed: u64) -> bool {
    let report = app
        .ok(admin, REPORT, json!({"t": teacher}), "compliance")
        .await;
    let (row, marked) = snapshot(app, teacher).await;
    let row = row.unwrap_or_else(|| panic!("no snapshot for {teacher} (seed {seed})"));
    assert!(
        !marked,
        "still marked after the backlog cleared (seed {seed})"
    );
    let shortfalls: BTreeMap<String, String> = report["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .filter(|r| r["satisfied"] == false)
        .map(|r| {
            (
                r["key"].as_str().unwrap_or_default().to_owned(),
                r["shortfall"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let stored: BTreeMap<String, String> =
        serde_json::from_str(&row.shortfalls).expect("shortfalls JSON");
    let total = report["totalCounted"].as_str().unwrap_or_default();
    let e4 = |s: &str| -> i64 {
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let frac = format!("{frac:0<4}");
        whole.parse::<i64>().unwrap_or(0) * 10_000 + frac[..4].parse::<i64>().unwrap_or(0)
    };
    let said: Value = json!({
        "satisfied": report["satisfied"], "total": e4(total), "shortfalls": shortfalls,
        "policy": [report["policy"]["key"], report["policy"]["version"]],
    });
    let kept: Value = json!({
        "satisfied": row.satisfied, "total": row.total_counted_e4, "shortfalls": stored,
        "policy": [row.policy_key, row.policy_version],
    });
    assert_eq!(
        kept, said,
        "snapshot and compliance disagree (seed {seed}): {report}"
    );
    assert_eq!(row.evaluated_on.to_string(), "2026-06-15");
    row.satisfied
}
