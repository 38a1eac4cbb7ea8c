//! A teacher's record (hire date, head teacher, diploma) is kept by its administrators, and
//! decides which requirements bind the teacher.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    only_a_teachers_administrators_correct_the_record,
    head_teachers_and_new_hires_owe_their_own_requirements,
);

const UPDATE: &str = "mutation($t: ID!, $i: UpdateTeacherInput!){ updateTeacher(teacherId:$t, input:$i){ name hiredOn headTeacher normalSchoolGraduate } }";
const TRANSFER: &str = "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-09-01\"){ id } }";
const REQUIREMENTS: &str = "query($t: ID!){ compliance(teacherId:$t, asOf:\"2026-12-31\"){ policy { key } requirements { key label required shortfall } } }";

async fn only_a_teachers_administrators_correct_the_record(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370203", "市北区第一小学").await;
    let other = fixtures::school(&app, &admin, "370203", "市北区第二小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "王老师", Some("rec-t0")).await;
    let own = app.login("rec-t0", PASSWORD).await;
    // The teacher acts for itself elsewhere, but neither rewrites its record nor moves itself.
    let refused = app
        .gql(
            Some(&own),
            UPDATE,
            json!({"t": t, "i": {"headTeacher": false}}),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let refused = app
        .gql(Some(&own), TRANSFER, json!({"t": t, "s": other}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    // Another province's bureau cannot reach the teacher either.
    let wuhan = fixtures::region_admin(&app, &admin, "rec-wuhan", "420100").await;
    let refused = app
        .gql(
            Some(&wuhan),
            UPDATE,
            json!({"t": t, "i": {"headTeacher": true}}),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");

    let head = fixtures::school_admin(&app, &admin, "rec-school", &school).await;
    let blank = app
        .gql(Some(&head), UPDATE, json!({"t": t, "i": {"name": "  "}}))
        .await;
    assert_eq!(error_code(&blank), "BAD_USER_INPUT", "{blank}");
    assert_eq!(blank["errors"][0]["extensions"]["field"], "input.name");
    let updated = app
        .ok(
            &head,
            UPDATE,
            json!({"t": t, "i": {"headTeacher": true, "normalSchoolGraduate": true, "hiredOn": null}}),
            "updateTeacher",
        )
        .await;
    assert_eq!(
        updated,
        json!({"name": "王老师", "hiredOn": null, "headTeacher": true, "normalSchoolGraduate": true})
    );
    // Left out means unchanged.
    let renamed = app
        .ok(
            &head,
            UPDATE,
            json!({"t": t, "i": {"name": "王小明"}}),
            "updateTeacher",
        )
        .await;
    assert_eq!(renamed["headTeacher"], true);
    assert_eq!(renamed["name"], "王小明");
}

fn requirement<'a>(report: &'a Value, key: &str) -> Option<&'a Value> {
    report["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .find(|r| r["key"] == key)
}

async fn head_teachers_and_new_hires_owe_their_own_requirements(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370203", "市北区实验小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "李老师", None).await;
    let report = app
        .ok(&admin, REQUIREMENTS, json!({"t": t}), "compliance")
        .await;
    assert_eq!(report["policy"]["key"], "shandong");
    assert!(requirement(&report, "head-teacher").is_none(), "{report}");

    // Shandong art. 16: a head teacher owes 30 hours of head-teacher training.
    app.ok(
        &admin,
        UPDATE,
        json!({"t": t, "i": {"headTeacher": true}}),
        "updateTeacher",
    )
    .await;
    let report = app
        .ok(&admin, REQUIREMENTS, json!({"t": t}), "compliance")
        .await;
    let head = requirement(&report, "head-teacher").expect("head-teacher requirement");
    assert_eq!(head["required"], "30");
    assert_eq!(head["shortfall"], "30");

    // Unset the same day, it was a mistake corrected: nothing is owed. (A term of real service
    // keeps binding the cycle after the teacher steps down: see the domain tests.)
    // ... and a teacher hired this autumn owes the probation training within 12 months.
    app.ok(
        &admin,
        UPDATE,
        json!({"t": t, "i": {"headTeacher": false, "hiredOn": "2026-09-01"}}),
        "updateTeacher",
    )
    .await;
    let report = app
        .ok_in("en", &admin, REQUIREMENTS, json!({"t": t}), "compliance")
        .await;
    assert!(requirement(&report, "head-teacher").is_none(), "{report}");
    let probation = requirement(&report, "new-teacher").expect("new-teacher requirement");
    // Counted in hours received (art. 16: 不少于120学时).
    assert_eq!(probation["shortfall"], "120");
    assert!(
        probation["label"]
            .as_str()
            .is_some_and(|l| l.ends_with("(2026-09-01 – 2027-08-31)")),
        "{probation}"
    );

    // A head teacher since September who steps down today served in this cycle: still bound.
    let served = fixtures::teacher(&app, &admin, &school, "孙老师", None).await;
    let since = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({"t": served, "i": {"headTeacher": true, "effectiveOn": "2999-01-01"}}),
        )
        .await;
    assert_eq!(error_code(&since), "BAD_USER_INPUT");
    assert_eq!(
        since["errors"][0]["extensions"]["field"],
        "input.effectiveOn"
    );
    for (serving, on) in [(true, Some("2026-09-01")), (false, None)] {
        app.ok(
            &admin,
            UPDATE,
            json!({"t": served, "i": {"headTeacher": serving, "effectiveOn": on}}),
            "updateTeacher",
        )
        .await;
    }
    let report = app
        .ok(&admin, REQUIREMENTS, json!({"t": served}), "compliance")
        .await;
    assert!(requirement(&report, "head-teacher").is_some(), "{report}");

    // Suzhou (Jiuquan) art. 1: hired this year, 120 credits this year.
    let suzhou = fixtures::school(&app, &admin, "620902", "肃州区实验小学").await;
    let input = json!({"schoolId": suzhou, "name": "赵老师", "hiredOn": "2026-03-01"});
    let new_hire = app
        .ok(
            &admin,
            fixtures::CREATE_TEACHER,
            json!({"i": input}),
            "createTeacher",
        )
        .await;
    let report = app
        .ok(
            &admin,
            REQUIREMENTS,
            json!({"t": new_hire["id"]}),
            "compliance",
        )
        .await;
    assert_eq!(report["policy"]["key"], "suzhou-jiuquan");
    assert_eq!(
        requirement(&report, "new-hire:2026").expect("new-hire")["required"],
        "120"
    );

    // Hired in the cycle's second year: in-service training from the year after (probation
    // first), so three fifths of Shandong's 360 and no minimum for 2026 or 2027.
    app.ok(
        &admin,
        UPDATE,
        json!({"t": t, "i": {"hiredOn": "2027-03-01"}}),
        "updateTeacher",
    )
    .await;
    let report = app
        .ok(
            &admin,
            "query($t: ID!){ compliance(teacherId:$t, asOf:\"2028-12-31\"){ requirements { key required } } }",
            json!({"t": t}),
            "compliance",
        )
        .await;
    assert_eq!(
        requirement(&report, "total").expect("total")["required"],
        "216"
    );
    assert!(requirement(&report, "annual:2027").is_none(), "{report}");
    assert!(requirement(&report, "annual:2028").is_some(), "{report}");
}
