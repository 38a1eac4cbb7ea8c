//! Policy fidelity over the API (issue 13): programmes on the provider's path keep their kind
//! and are priced as the seed prices the programme; Shinan registers credits by attendance;
//! a compliance requirement says whether it counts credits or hours, and its minimum level.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(a_shinan_new_teachers_first_year_is_counted_in_hours_and_priced_by_attendance,);

const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted records { kind credits policyKey } } }";
const REPORT: &str = "query($t: ID!, $asOf: Date){ compliance(teacherId:$t, asOf:$asOf){ policy { key } requirements { key unit minLevel required counted shortfall satisfied } records { record { kind } credits counted } } }";

fn requirement<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["requirements"]
        .as_array()
        .and_then(|list| list.iter().find(|r| r["key"] == key))
        .unwrap_or_else(|| panic!("no requirement {key} in {report}"))
}

/// 市南区 附件1 序号1 新教师培训…第一年要达到120学时，按72学分登记; 序号6、8 根据实际参训学时计算学分.
async fn a_shinan_new_teachers_first_year_is_counted_in_hours_and_priced_by_attendance(
    app: TestApp,
) {
    let morning = chrono::DateTime::parse_from_rfc3339("2026-09-05T02:00:00Z")
        .expect("instant")
        .with_timezone(&chrono::Utc);
    app.state.clock.set(Some(morning));
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "fid-p", "370200", "青岛保真研修机构").await;
    let school = fixtures::school(&app, &admin, "370202", "市南区保真小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "新任老师", None).await;
    app.ok(
        &admin,
        "mutation($t: ID!){ updateTeacher(teacherId:$t, input:{ hiredOn: \"2026-09-01\" }){ hiredOn } }",
        json!({"t": teacher}),
        "updateTeacher",
    )
    .await;
    let mut post = Vec::new();
    for (code, kind, hours, attended) in [
        ("FID-NT1", "NEW_TEACHER_PROBATION", "64", "64"),
        ("FID-NT2", "NEW_TEACHER_PROBATION", "48", "48"),
        ("FID-TOPIC", "COURSE_COMPLETION", "8", "2"),
    ] {
        let course = fixtures::published_course(
            &app,
            &ptoken,
            &admin,
            &provider,
            code,
            json!({"kind": kind, "hours": hours, "level": "COUNTY", "endsOn": "2026-09-30"}),
        )
        .await;
        fixtures::enroll(&app, &admin, &course, &teacher).await;
        let posted = app
            .ok(
                &ptoken,
                RECORD,
                json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": attended, "passed": true}]}),
                "recordCompletions",
            )
            .await;
        post.push(posted["records"][0].clone());
    }
    assert_eq!(post[0]["kind"], "NEW_TEACHER_PROBATION");
    assert_eq!(post[0]["policyKey"], "qingdao-shinan");
    // 2 hours attended of an 8-hour special-topic course earn 2.
    assert_eq!(post[2]["credits"], "2");

    let report = app
        .ok(
            &admin,
            REPORT,
            json!({"t": teacher, "asOf": "2027-08-31"}),
            "compliance",
        )
        .await;
    assert_eq!(report["policy"]["key"], "qingdao-shinan");
    let first = requirement(&report, "new-teacher-1");
    assert_eq!(
        (
            &first["unit"],
            &first["required"],
            &first["counted"],
            &first["shortfall"]
        ),
        (&json!("HOURS"), &json!("120"), &json!("112"), &json!("8")),
        "{report}"
    );
    assert_eq!(first["satisfied"], false);
    let county = requirement(&report, "county-or-higher");
    assert_eq!(
        (&county["unit"], &county["minLevel"]),
        (&json!("CREDITS"), &json!("COUNTY"))
    );
    assert!(requirement(&report, "total")["minLevel"].is_null());
    // The first year's programme is registered as 72 credits however its 112 hours are split.
    let probation: f64 = report["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["record"]["kind"] == "NEW_TEACHER_PROBATION")
        .map(|r| {
            r["counted"]
                .as_str()
                .unwrap_or("0")
                .parse::<f64>()
                .unwrap_or(0.0)
        })
        .sum();
    assert_eq!(probation, 72.0, "{report}");
}
