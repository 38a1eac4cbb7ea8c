//! Per-teacher compliance snapshots (issue 17): every kind of change that can alter a
//! teacher's outcome marks the teacher in its own transaction, the worker evaluates them again,
//! and today's `complianceStatistics` (aggregated from snapshots, without `fresh`) follows
//! within two seconds.

use super::fixtures;
use super::snapshot_support::{
    course_for, refreshed, settle, snapshot, start, tick, yearly, yearly_in_shibei, ASSIGN, RECORD,
    SAVE,
};
use credit_bank_tests::{on_both_backends, uuid_of, TestApp, PASSWORD};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    a_completion_shows_in_todays_statistics_within_two_seconds,
    ledger_changes_mark_and_refresh_the_snapshot,
    organisation_changes_mark_and_refresh_the_snapshot,
    policy_changes_mark_the_whole_subtree,
    the_daily_roll_evaluates_every_teacher_again,
);

const TWO_SECONDS: Duration = Duration::from_secs(2);
const CLAIM: &str = "mutation($i: ClaimInput!){ claimCredit(input:$i){ id status } }";
const REVIEW: &str = "mutation($id: ID!){ reviewCredit(id:$id, decision: APPROVE){ status } }";
const REVOKE: &str = "mutation($id: ID!){ revokeCredit(id:$id, reason: \"伪造学时\"){ status } }";

fn teachers_compliant(stats: &Value) -> (u64, u64) {
    (
        stats["teachers"].as_u64().unwrap_or(0),
        stats["compliant"].as_u64().unwrap_or(0),
    )
}

async fn a_completion_shows_in_todays_statistics_within_two_seconds(app: TestApp) {
    app.state.clock.set(Some(start()));
    let admin = app.admin_token().await;
    yearly_in_shibei(&app, &admin, "20").await;
    let school = fixtures::school(&app, &admin, "370203", "市北快照小学").await;
    let a = fixtures::teacher(&app, &admin, &school, "甲老师", None).await;
    let b = fixtures::teacher(&app, &admin, &school, "乙老师", None).await;
    let (ptoken, course) = course_for(&app, &admin, "SN-1", &[&a, &b]).await;
    let qingdao = fixtures::region_admin(&app, &admin, "snap-qd", "370200").await;
    let (before, _) = settle(&app, &qingdao, "370200", TWO_SECONDS * 3, |s| {
        teachers_compliant(s) == (2, 0)
    })
    .await;
    assert_eq!(before["withoutPolicy"], 0);

    app.ok(
        &ptoken,
        RECORD,
        json!({"c": course, "rows": [{"teacherId": a, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    let (after, took) = settle(&app, &qingdao, "370200", TWO_SECONDS, |s| {
        teachers_compliant(s) == (2, 1)
    })
    .await;
    assert!(took < TWO_SECONDS, "took {took:?}");
    assert_eq!(after["bySchool"][0]["compliant"], 1, "{after}");
    // Qingdao's children: Shinan has no teacher, Shibei has both.
    assert_eq!(
        after["byRegion"],
        json!([
            {"region": {"code": "370202"}, "teachers": 0, "compliant": 0, "rate": "0"},
            {"region": {"code": "370203"}, "teachers": 2, "compliant": 1, "rate": "0.5"},
        ])
    );
    // The province sees the same through Qingdao.
    let (province, _) = settle(&app, &admin, "370000", TWO_SECONDS, |_| true).await;
    let qd = province["byRegion"]
        .as_array()
        .expect("byRegion")
        .iter()
        .find(|r| r["region"]["code"] == "370200")
        .cloned()
        .expect("Qingdao");
    assert_eq!(
        (qd["teachers"].as_u64(), qd["compliant"].as_u64()),
        (Some(2), Some(1))
    );
    // And the snapshot is what the teacher's own report says.
    let own = app
        .ok(
            &admin,
            super::snapshot_support::COMPLIANCE,
            json!({"t": a}),
            "compliance",
        )
        .await;
    let (row, _) = snapshot(&app, &a).await;
    let row = row.expect("a snapshot");
    assert_eq!(
        (row.satisfied, own["satisfied"].as_bool()),
        (true, Some(true))
    );
    assert_eq!(own["totalCounted"], "24");
    assert_eq!(row.total_counted_e4, 240_000);
    assert_eq!(row.policy_key.as_deref(), Some("snap-yearly"));
    let (b_row, _) = snapshot(&app, &b).await;
    assert_eq!(b_row.expect("b").shortfalls, r#"{"total":"20"}"#);
}

/// A claim (appended PENDING), its review decision, a revocation and a recognition each mark
/// the teacher; the snapshot is evaluated again after each and its total moves as the ledger
/// does.
async fn ledger_changes_mark_and_refresh_the_snapshot(app: TestApp) {
    app.state.clock.set(Some(start()));
    let admin = app.admin_token().await;
    yearly_in_shibei(&app, &admin, "20").await;
    let school = fixtures::school(&app, &admin, "370203", "市北账本小学").await;
    let since = tick(&app);
    let t = fixtures::teacher(&app, &admin, &school, "丙老师", Some("snap-t")).await;
    let teacher = app.login("snap-t", PASSWORD).await;
    let school_admin = fixtures::school_admin(&app, &admin, "snap-sa", &school).await;
    assert_eq!(refreshed(&app, &t, since).await.total_counted_e4, 0);

    let since = tick(&app);
    let claim = app
        .ok(
            &teacher,
            CLAIM,
            json!({"i": {"kind": "COURSE_COMPLETION", "title": "校本研修", "level": "SCHOOL",
                         "hours": "8", "earnedOn": "2026-05-01"}}),
            "claimCredit",
        )
        .await;
    assert_eq!(claim["status"], "PENDING");
    let s = refreshed(&app, &t, since).await;
    assert_eq!(s.total_counted_e4, 0, "a pending claim does not count");

    let since = tick(&app);
    let reviewed = app
        .ok(
            &school_admin,
            REVIEW,
            json!({"id": claim["id"]}),
            "reviewCredit",
        )
        .await;
    assert_eq!(reviewed["status"], "CERTIFIED");
    assert_eq!(refreshed(&app, &t, since).await.total_counted_e4, 80_000);

    let since = tick(&app);
    app.ok(&admin, REVOKE, json!({"id": claim["id"]}), "revokeCredit")
        .await;
    assert_eq!(refreshed(&app, &t, since).await.total_counted_e4, 0);

    // A Wuhan teacher's completion comes with the transfer, and counts once recognised.
    let (wprovider, wtoken) =
        fixtures::provider(&app, &admin, "snap-wh", "420100", "武汉市教师发展中心").await;
    let wschool = fixtures::school(&app, &admin, "420102", "江岸快照小学").await;
    let w = fixtures::teacher(&app, &admin, &wschool, "丁老师", None).await;
    let course = fixtures::published_course(
        &app,
        &wtoken,
        &admin,
        &wprovider,
        "SN-WH",
        json!({"endsOn": "2026-05-31", "hours": "24"}),
    )
    .await;
    fixtures::enroll(&app, &admin, &course, &w).await;
    let posted = app
        .ok(
            &wtoken,
            RECORD,
            json!({"c": course, "rows": [{"teacherId": w, "attendedHours": "24", "passed": true}]}),
            "recordCompletions",
        )
        .await;
    let record = posted["records"][0]["id"].clone();
    let since = tick(&app);
    app.ok(
        &admin,
        "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-06-01\"){ id } }",
        json!({"t": w, "s": school}),
        "transferTeacher",
    )
    .await;
    let moved = refreshed(&app, &w, since).await;
    assert_eq!(
        (moved.region_code.as_str(), moved.total_counted_e4),
        ("370203", 0),
        "awaiting recognition"
    );
    let since = tick(&app);
    let recognised = app
        .ok(
            &admin,
            "mutation($ids: [ID!]!){ recognizeCredits(ids:$ids, decision: APPROVE){ succeeded } }",
            json!({"ids": [record]}),
            "recognizeCredits",
        )
        .await;
    assert_eq!(recognised["succeeded"], 1);
    let s = refreshed(&app, &w, since).await;
    assert_eq!((s.total_counted_e4, s.satisfied), (240_000, true));
}

/// Creating a teacher, a transfer, a correction of the teacher's facts and a make-up
/// allowance each mark the teacher and the snapshot follows.
async fn organisation_changes_mark_and_refresh_the_snapshot(app: TestApp) {
    app.state.clock.set(Some(start()));
    let admin = app.admin_token().await;
    yearly_in_shibei(&app, &admin, "20").await;
    let shibei = fixtures::school(&app, &admin, "370203", "市北组织小学").await;
    let shinan = fixtures::school(&app, &admin, "370202", "市南组织小学").await;
    let since = tick(&app);
    let t = fixtures::teacher(&app, &admin, &shinan, "戊老师", None).await;
    let created = refreshed(&app, &t, since).await;
    assert_eq!(created.policy_key.as_deref(), Some("qingdao-shinan"));
    assert_eq!(created.school_id, uuid_of(&shinan));

    let since = tick(&app);
    app.ok(
        &admin,
        "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-06-15\"){ id } }",
        json!({"t": t, "s": shibei}),
        "transferTeacher",
    )
    .await;
    let moved = refreshed(&app, &t, since).await;
    assert_eq!(
        (moved.school_id, moved.region_code, moved.policy_key),
        (
            uuid_of(&shibei),
            "370203".to_owned(),
            Some("snap-yearly".to_owned())
        )
    );
    let (stats, _) = settle(&app, &admin, "370203", TWO_SECONDS, |s| s["teachers"] == 1).await;
    assert_eq!(stats["bySchool"][0]["school"]["id"], shibei);

    let since = tick(&app);
    app.ok(
        &admin,
        "mutation($t: ID!){ updateTeacher(teacherId:$t, input:{ headTeacher: true, normalSchoolGraduate: true }){ headTeacher } }",
        json!({"t": t}),
        "updateTeacher",
    )
    .await;
    refreshed(&app, &t, since).await;

    let since = tick(&app);
    app.ok(
        &admin,
        "mutation($t: ID!){ grantMakeUp(teacherId:$t, year: 2025, reason: \"产假\", deadline: \"2026-12-31\"){ year } }",
        json!({"t": t}),
        "grantMakeUp",
    )
    .await;
    refreshed(&app, &t, since).await;
}

/// Assigning a policy to a region and saving a new version of it mark every teacher below.
async fn policy_changes_mark_the_whole_subtree(app: TestApp) {
    app.state.clock.set(Some(start()));
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370203", "市北政策小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "己老师", None).await;
    let u = fixtures::teacher(&app, &admin, &school, "庚老师", None).await;
    let (ptoken, course) = course_for(&app, &admin, "SN-P", &[&t]).await;
    let since = tick(&app);
    app.ok(
        &ptoken,
        RECORD,
        json!({"c": course, "rows": [{"teacherId": t, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    assert_eq!(
        refreshed(&app, &t, since).await.policy_key.as_deref(),
        Some("shandong"),
        "Shibei follows the province until it has a policy of its own"
    );

    app.ok(&admin, SAVE, json!({"d": yearly("20")}), "saveCreditPolicy")
        .await;
    let since = tick(&app);
    // Assigned to Qingdao: Shibei's teachers are in the subtree.
    app.ok(
        &admin,
        ASSIGN,
        json!({"r": "370200", "k": "snap-yearly", "f": "2026-01-01"}),
        "assignCreditPolicy",
    )
    .await;
    for teacher in [&t, &u] {
        let s = refreshed(&app, teacher, since).await;
        assert_eq!(
            (s.policy_key.as_deref(), s.policy_version),
            (Some("snap-yearly"), Some(1))
        );
    }
    let (stats, _) = settle(&app, &admin, "370203", TWO_SECONDS, |s| s["compliant"] == 1).await;
    assert_eq!(stats["teachers"], 2);

    // Version 2 asks for 30 a year: the 24 no longer suffice, without anyone touching a record.
    let since = tick(&app);
    let saved = app
        .ok(&admin, SAVE, json!({"d": yearly("30")}), "saveCreditPolicy")
        .await;
    assert_eq!(saved["version"], 2);
    let s = refreshed(&app, &t, since).await;
    assert_eq!((s.policy_version, s.satisfied), (Some(2), false));
    assert_eq!(s.shortfalls, r#"{"total":"6"}"#);
    settle(&app, &admin, "370203", TWO_SECONDS, |s| s["compliant"] == 0).await;
}

/// Snapshots hold for a day: when the day changes every teacher is evaluated again, so a
/// period that ended is no longer counted as today's.
async fn the_daily_roll_evaluates_every_teacher_again(app: TestApp) {
    app.state.clock.set(Some(start()));
    let admin = app.admin_token().await;
    yearly_in_shibei(&app, &admin, "20").await;
    let school = fixtures::school(&app, &admin, "370203", "市北翻日小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "辛老师", None).await;
    let (ptoken, course) = course_for(&app, &admin, "SN-R", &[&t]).await;
    app.ok(
        &ptoken,
        RECORD,
        json!({"c": course, "rows": [{"teacherId": t, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    settle(&app, &admin, "370203", TWO_SECONDS * 3, |s| {
        s["compliant"] == 1
    })
    .await;

    // New Year's Day 2027 in Beijing: 2026's credits do not count toward 2027.
    let new_year = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 1, 1, 0, 0)
        .single()
        .expect("instant");
    app.state.clock.set(Some(new_year));
    let s = refreshed(&app, &t, new_year).await;
    assert_eq!(s.evaluated_on.to_string(), "2027-01-01");
    assert!(!s.satisfied);
    let (stats, _) = settle(&app, &admin, "370203", TWO_SECONDS * 3, |_| true).await;
    assert_eq!(
        (stats["teachers"].as_u64(), stats["compliant"].as_u64()),
        (Some(1), Some(0))
    );
}
