//! One path for each thing (issue 14): the per-teacher compliance report and the region's
//! statistics judge a teacher the same way, make-up allowances included; a claim and a
//! completion are priced the same way where no policy is in force.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    statistics_agree_with_compliance_under_a_make_up_allowance,
    without_a_policy_claims_and_completions_get_the_default_rule,
);

const SAVE: &str = "mutation($d: JSON!){ saveCreditPolicy(document:$d){ key } }";
const ASSIGN: &str = "mutation($r: String!, $k: String!, $f: Date!){ assignCreditPolicy(regionCode:$r, policyKey:$k, effectiveFrom:$f){ code } }";
const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }";
const COMPLIANCE: &str = "query($t: ID!){ compliance(teacherId:$t, asOf:\"2025-12-31\"){ satisfied totalCounted requirements { key required counted satisfied } records { notes { code } } } }";
const STATISTICS: &str = "query($r: String!){ complianceStatistics(regionCode:$r, asOf:\"2025-12-31\", fresh:true){ teachers compliant } }";
const GRANT: &str = "mutation($t: ID!){ grantMakeUp(teacherId:$t, year: 2025, reason: \"产假\", deadline: \"2099-03-31\"){ year } }";

/// Each year alone, 20 credits a year, and a make-up allowance counts later training toward
/// the year it names.
fn yearly_with_make_up() -> Value {
    json!({
        "key": "mu-yearly",
        "name": "每年二十学分",
        "period": { "kind": "YEAR", "makeUp": true },
        "rules": [{ "key": "hour", "earn": { "perHour": "1" } }],
        "requirements": [{ "key": "total", "label": "每年", "min": "20" }]
    })
}

async fn statistics_agree_with_compliance_under_a_make_up_allowance(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "mu-inst", "370200", "青岛教师进修学院").await;
    let school = fixtures::school(&app, &admin, "370202", "补修小学").await;
    let on_leave = fixtures::teacher(&app, &admin, &school, "休假教师", None).await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "mu-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    fixtures::enroll(&app, &admin, &course, &on_leave).await;
    app.ok(
        &admin,
        RECORD,
        json!({"c": course, "rows": [{"teacherId": on_leave, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    app.ok(
        &admin,
        SAVE,
        json!({"d": yearly_with_make_up()}),
        "saveCreditPolicy",
    )
    .await;
    app.ok(
        &admin,
        ASSIGN,
        json!({"r": "370202", "k": "mu-yearly", "f": "2025-01-01"}),
        "assignCreditPolicy",
    )
    .await;

    // Without an allowance the 2026 course is outside 2025: both say not compliant.
    let before = app
        .ok(&admin, COMPLIANCE, json!({"t": on_leave}), "compliance")
        .await;
    assert_eq!(before["satisfied"], false, "{before}");
    let stats = app
        .ok(
            &admin,
            STATISTICS,
            json!({"r": "370202"}),
            "complianceStatistics",
        )
        .await;
    assert_eq!(stats, json!({"teachers": 1, "compliant": 0}));

    // A make-up allowance for 2025 counts the course toward 2025, in both.
    app.ok(&admin, GRANT, json!({"t": on_leave}), "grantMakeUp")
        .await;
    let after = app
        .ok(&admin, COMPLIANCE, json!({"t": on_leave}), "compliance")
        .await;
    assert_eq!(after["satisfied"], true, "{after}");
    assert_eq!(
        after["records"][0]["notes"][0]["code"], "MADE_UP",
        "{after}"
    );
    let stats = app
        .ok(
            &admin,
            STATISTICS,
            json!({"r": "370202"}),
            "complianceStatistics",
        )
        .await;
    assert_eq!(
        stats,
        json!({"teachers": 1, "compliant": 1}),
        "statistics disagree with the teacher's own report"
    );
}

async fn without_a_policy_claims_and_completions_get_the_default_rule(app: TestApp) {
    let admin = app.admin_token().await;
    // Jiuquan city has no policy in force (Suzhou district's is assigned to 620902 only).
    let school = fixtures::school(&app, &admin, "620900", "酒泉市直属小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "无政策教师", Some("np-t")).await;
    let teacher = app.login("np-t", credit_bank_tests::PASSWORD).await;
    let claim = json!({"i": {"kind": "COURSE_COMPLETION", "title": "自主研修", "level": "COUNTY",
        "hours": "12", "earnedOn": "2026-03-01"}});
    let claimed = app
        .ok(
            &teacher,
            "mutation($i: ClaimInput!){ claimCredit(input:$i){ credits policyKey } }",
            claim,
            "claimCredit",
        )
        .await;
    assert_eq!(claimed, json!({"credits": "12", "policyKey": "default"}));

    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "np-inst", "620900", "酒泉市教师培训中心").await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "NP-1",
        json!({"hours": "12", "endsOn": "2026-06-30"}),
    )
    .await;
    fixtures::enroll(&app, &admin, &course, &t).await;
    let posted = app
        .ok(
            &ptoken,
            "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ records { credits policyKey } } }",
            json!({"c": course, "rows": [{"teacherId": t, "attendedHours": "12", "passed": true}]}),
            "recordCompletions",
        )
        .await;
    assert_eq!(
        posted["records"],
        json!([{"credits": "12", "policyKey": "default"}]),
        "a completion is priced as a claim with the same facts"
    );
}
