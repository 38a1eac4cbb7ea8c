//! Credit policies and compliance over HTTP: built-in schemes in force by region, saving and
//! assigning policies, compliance reports that explain every record, and region statistics.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    regions_carry_the_built_in_policies,
    a_compliance_report_explains_every_record,
    policies_are_validated_saved_versioned_and_assigned,
    a_teacher_who_moves_is_counted_under_the_new_policy,
    a_wuhan_teacher_moving_to_qingdao_needs_recognition,
    compliance_statistics_count_a_regions_teachers,
);

const EFFECTIVE: &str = "query($c: String!, $on: Date){ region(code:$c){ effectivePolicy(on:$on){ key version builtIn reviewSteps } } }";
const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }";
const COMPLIANCE: &str = "query($t: ID!, $asOf: Date){ compliance(teacherId:$t, asOf:$asOf){ policy { key } periodStart periodEnd satisfied totalCounted
  requirements { key label required counted shortfall satisfied year level category compulsory }
  records { record { id title policyKey credits } rule credits counted allocations { requirementKey credits } notes { code message } } } }";

async fn effective(app: &TestApp, token: &str, region: &str, on: Option<&str>) -> Value {
    app.ok(token, EFFECTIVE, json!({"c": region, "on": on}), "region")
        .await["effectivePolicy"]
        .clone()
}

async fn regions_carry_the_built_in_policies(app: TestApp) {
    let admin = app.admin_token().await;
    let all = app
        .ok(
            &admin,
            "{ creditPolicies { key version builtIn categories { key } } }",
            json!({}),
            "creditPolicies",
        )
        .await;
    let keys: Vec<&str> = all
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        vec![
            "qingdao-shinan",
            "shandong",
            "shandong-ab",
            "suzhou-jiuquan",
            "three-level-36",
            "weifang",
            "wuhan"
        ]
    );
    assert!(all[0]["categories"].as_array().expect("categories").len() >= 11);
    let shinan = effective(&app, &admin, "370202", Some("2026-11-23")).await;
    assert_eq!(shinan["key"], "qingdao-shinan");
    // Seed 004 art. 19–20: the school checks and the supervising bureau certifies.
    assert_eq!(shinan["reviewSteps"], json!(["SCHOOL", "COUNTY"]));
    assert_eq!(
        effective(&app, &admin, "370203", None).await["key"],
        "shandong"
    );
    assert_eq!(
        effective(&app, &admin, "370781", None).await["key"],
        "weifang"
    );
    // Before the current scheme, the older A/B scheme was in force province-wide.
    assert_eq!(
        effective(&app, &admin, "370203", Some("2015-06-01")).await["key"],
        "shandong-ab"
    );
    assert_eq!(
        effective(&app, &admin, "420106", None).await["key"],
        "wuhan"
    );
    assert_eq!(
        effective(&app, &admin, "620902", None).await["key"],
        "suzhou-jiuquan"
    );
    assert_eq!(
        effective(&app, &admin, "310104", None).await["key"],
        "three-level-36"
    );
    assert_eq!(effective(&app, &admin, "620000", None).await, Value::Null);
    let doc = app
        .ok(
            &admin,
            "{ creditPolicy(key: \"weifang\"){ document } }",
            json!({}),
            "creditPolicy",
        )
        .await;
    assert_eq!(doc["document"]["requirements"][0]["min"], "10");
    let anonymous = app.gql(None, "{ creditPolicies { key } }", json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

struct Shinan {
    admin: String,
    course: String,
    teachers: Vec<String>,
    school: String,
}

/// A Shinan school with `n` teachers who completed a 24-hour municipal face-to-face course.
async fn shinan(app: &TestApp, prefix: &str, n: usize) -> Shinan {
    let admin = app.admin_token().await;
    let (provider, ptoken) = fixtures::provider(
        app,
        &admin,
        &format!("{prefix}-inst"),
        "370200",
        "青岛教师进修学院",
    )
    .await;
    let school = fixtures::school(app, &admin, "370202", &format!("{prefix}小学")).await;
    let mut teachers = Vec::new();
    for i in 0..n {
        let login = format!("{prefix}-t{i}");
        teachers
            .push(fixtures::teacher(app, &admin, &school, &format!("教师{i}"), Some(&login)).await);
    }
    let course = fixtures::published_course(
        app,
        &ptoken,
        &admin,
        &provider,
        &format!("{prefix}-1"),
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    for t in &teachers {
        fixtures::enroll(app, &admin, &course, t).await;
    }
    Shinan {
        admin,
        course,
        teachers,
        school,
    }
}

fn requirement<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no requirement {key} in {report}"))
}

async fn a_compliance_report_explains_every_record(app: TestApp) {
    let w = shinan(&app, "cmp", 2).await;
    let rows = json!([
        {"teacherId": w.teachers[0], "attendedHours": "24", "passed": true},
        {"teacherId": w.teachers[1], "attendedHours": "20", "passed": false},
    ]);
    let posted = app
        .ok(
            &w.admin,
            RECORD,
            json!({"c": w.course, "rows": rows}),
            "recordCompletions",
        )
        .await;
    assert_eq!(posted["accepted"], 2);

    let own = app.login("cmp-t0", PASSWORD).await;
    let report = app
        .ok(
            &own,
            COMPLIANCE,
            json!({"t": w.teachers[0], "asOf": "2026-12-31"}),
            "compliance",
        )
        .await;
    assert_eq!(report["policy"]["key"], "qingdao-shinan");
    assert_eq!(
        (report["periodStart"].as_str(), report["periodEnd"].as_str()),
        (Some("2026-01-01"), Some("2030-12-31"))
    );
    assert_eq!(report["satisfied"], false);
    assert_eq!(report["totalCounted"], "24");
    let annual = requirement(&report, "annual:2026");
    assert_eq!(
        (
            annual["counted"].as_str(),
            annual["shortfall"].as_str(),
            annual["year"].as_i64()
        ),
        (Some("24"), Some("24"), Some(2026))
    );
    let f2f = requirement(&report, "face-to-face");
    assert_eq!(
        (f2f["counted"].as_str(), f2f["shortfall"].as_str()),
        (Some("24"), Some("36"))
    );
    assert_eq!(
        f2f["level"],
        Value::Null,
        "two levels count, so no single level is named"
    );
    assert_eq!(requirement(&report, "total")["required"], "360");
    let record = &report["records"][0];
    assert_eq!(record["record"]["title"], "信息技术应用能力提升");
    // Posted under the policy in force where it was earned.
    assert_eq!(record["record"]["policyKey"], "qingdao-shinan");
    assert_eq!(
        (
            record["credits"].as_str(),
            record["counted"].as_str(),
            record["rule"].as_str()
        ),
        (Some("24"), Some("24"), Some("training"))
    );
    let keys: Vec<&str> = record["allocations"]
        .as_array()
        .expect("allocations")
        .iter()
        .filter_map(|a| a["requirementKey"].as_str())
        .collect();
    assert_eq!(
        keys,
        vec!["total", "annual:2026", "county-or-higher", "face-to-face"]
    );

    // The failed trainee's record is there, counting nothing, with the reason.
    let failed = app
        .ok(
            &w.admin,
            COMPLIANCE,
            json!({"t": w.teachers[1], "asOf": "2026-12-31"}),
            "compliance",
        )
        .await;
    assert_eq!(failed["totalCounted"], "0");
    assert_eq!(failed["records"][0]["notes"][0]["code"], "NOT_PASSED");

    // In the next cycle the 2026 record is out of period.
    let later = app
        .ok(
            &own,
            COMPLIANCE,
            json!({"t": w.teachers[0], "asOf": "2031-03-01"}),
            "compliance",
        )
        .await;
    assert_eq!(later["periodStart"], "2031-01-01");
    assert_eq!(later["records"][0]["notes"][0]["code"], "OUT_OF_PERIOD");

    // Scope: another teacher, and a provider that sees only part of the ledger, are refused.
    let other = app.login("cmp-t1", PASSWORD).await;
    let refused = app
        .gql(Some(&other), COMPLIANCE, json!({"t": w.teachers[0]}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let wuhan = fixtures::region_admin(&app, &w.admin, "cmp-wuhan", "420100").await;
    let refused = app
        .gql(Some(&wuhan), COMPLIANCE, json!({"t": w.teachers[0]}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let bad = app
        .gql(Some(&own), COMPLIANCE, json!({"t": "not-an-id"}))
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "teacherId");
    // The same report hangs off the teacher.
    let via_teacher = app
        .ok(&own, "query($t: ID!){ node(id:$t){ ... on Teacher { compliance(asOf:\"2026-12-31\"){ totalCounted } } } }", json!({"t": w.teachers[0]}), "node")
        .await;
    assert_eq!(via_teacher["compliance"]["totalCounted"], "24");
}

const SAVE: &str =
    "mutation($d: JSON!){ saveCreditPolicy(document:$d){ key version builtIn name } }";
const ASSIGN: &str = "mutation($r: String!, $k: String!, $f: Date!){ assignCreditPolicy(regionCode:$r, policyKey:$k, effectiveFrom:$f){ code effectivePolicy(on:\"2027-02-01\"){ key version } } }";

fn small_policy(key: &str, min: &str) -> Value {
    json!({
        "key": key,
        "name": "小计划",
        "period": { "kind": "YEAR" },
        "rules": [{ "key": "hour", "earn": { "perHour": "1" } }],
        "requirements": [{ "key": "total", "label": "每年", "min": min }]
    })
}

async fn policies_are_validated_saved_versioned_and_assigned(app: TestApp) {
    let admin = app.admin_token().await;
    let weifang = fixtures::region_admin(&app, &admin, "wf-admin", "370700").await;
    let mut bad = small_policy("wf-2027", "20");
    bad["rules"][0]["earn"] = json!({ "perHour": "-1" });
    bad["requirements"][0]["when"] = json!({ "kinds": ["POEM"] });
    let problems = app
        .ok(
            &weifang,
            "query($d: JSON!){ validateCreditPolicy(document:$d){ path code message } }",
            json!({"d": bad}),
            "validateCreditPolicy",
        )
        .await;
    assert_eq!(
        problems[0]["path"], "requirements[0].when.kinds[0]",
        "{problems}"
    );
    bad["requirements"][0]
        .as_object_mut()
        .expect("object")
        .remove("when");
    let problems = app
        .ok(
            &weifang,
            "query($d: JSON!){ validateCreditPolicy(document:$d){ path code } }",
            json!({"d": bad}),
            "validateCreditPolicy",
        )
        .await;
    assert_eq!(
        problems,
        json!([{"path": "rules[0].earn.perHour", "code": "OUT_OF_RANGE"}])
    );
    let refused = app.gql(Some(&weifang), SAVE, json!({"d": bad})).await;
    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert_eq!(
        refused["errors"][0]["extensions"]["field"],
        "document.rules[0].earn.perHour"
    );

    let saved = app
        .ok(
            &weifang,
            SAVE,
            json!({"d": small_policy("wf-2027", "20")}),
            "saveCreditPolicy",
        )
        .await;
    assert_eq!(
        (saved["version"].as_i64(), saved["builtIn"].as_bool()),
        (Some(1), Some(false))
    );
    let again = app
        .ok(
            &weifang,
            SAVE,
            json!({"d": small_policy("wf-2027", "30")}),
            "saveCreditPolicy",
        )
        .await;
    assert_eq!(again["version"], 2);

    // Who may save: not a teacher; not another region's admin over this one's key; the
    // built-in schemes only the system administrator.
    let school = fixtures::school(&app, &admin, "370702", "潍城小学").await;
    fixtures::teacher(&app, &admin, &school, "教师", Some("wf-teacher")).await;
    let teacher = app.login("wf-teacher", PASSWORD).await;
    assert_eq!(
        error_code(
            &app.gql(
                Some(&teacher),
                SAVE,
                json!({"d": small_policy("mine", "1")})
            )
            .await
        ),
        "FORBIDDEN"
    );
    let wuhan = fixtures::region_admin(&app, &admin, "wh-admin", "420100").await;
    assert_eq!(
        error_code(
            &app.gql(
                Some(&wuhan),
                SAVE,
                json!({"d": small_policy("wf-2027", "1")})
            )
            .await
        ),
        "FORBIDDEN"
    );
    let mut builtin = small_policy("weifang", "1");
    builtin["name"] = json!("改写");
    assert_eq!(
        error_code(&app.gql(Some(&weifang), SAVE, json!({"d": builtin})).await),
        "FORBIDDEN"
    );

    let assigned = app
        .ok(
            &weifang,
            ASSIGN,
            json!({"r": "370702", "k": "wf-2027", "f": "2027-01-01"}),
            "assignCreditPolicy",
        )
        .await;
    assert_eq!(
        assigned["effectivePolicy"],
        json!({"key": "wf-2027", "version": 2})
    );
    // Until then the city's scheme is in force; the sibling district keeps it.
    assert_eq!(
        effective(&app, &weifang, "370702", Some("2026-12-31")).await["key"],
        "weifang"
    );
    assert_eq!(
        effective(&app, &weifang, "370781", Some("2027-02-01")).await["key"],
        "weifang"
    );
    let twice = app
        .gql(
            Some(&weifang),
            ASSIGN,
            json!({"r": "370702", "k": "weifang", "f": "2027-01-01"}),
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");
    let unknown = app
        .gql(
            Some(&weifang),
            ASSIGN,
            json!({"r": "370702", "k": "nope", "f": "2028-01-01"}),
        )
        .await;
    assert_eq!(unknown["errors"][0]["extensions"]["field"], "policyKey");
    let outside = app
        .gql(
            Some(&weifang),
            ASSIGN,
            json!({"r": "420100", "k": "wf-2027", "f": "2028-01-01"}),
        )
        .await;
    assert_eq!(error_code(&outside), "FORBIDDEN");
    // Wuhan may not put its districts under Weifang's own key either: Weifang keeps versioning
    // it, and its next version would change Wuhan's credits.
    let foreign = app
        .gql(
            Some(&wuhan),
            ASSIGN,
            json!({"r": "420102", "k": "wf-2027", "f": "2028-01-01"}),
        )
        .await;
    assert_eq!(error_code(&foreign), "BAD_USER_INPUT", "{foreign}");
    assert_eq!(foreign["errors"][0]["extensions"]["field"], "policyKey");
}

async fn a_teacher_who_moves_is_counted_under_the_new_policy(app: TestApp) {
    let w = shinan(&app, "mv", 1).await;
    let t = &w.teachers[0];
    app.ok(
        &w.admin,
        RECORD,
        json!({"c": w.course, "rows": [{"teacherId": t, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    let wuhan_school = fixtures::school(&app, &w.admin, "420102", "江岸区小学").await;
    app.ok(
        &w.admin,
        "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-09-01\"){ id } }",
        json!({"t": t, "s": wuhan_school}),
        "transferTeacher",
    )
    .await;
    let report = app
        .ok(
            &w.admin,
            COMPLIANCE,
            json!({"t": t, "asOf": "2026-12-31"}),
            "compliance",
        )
        .await;
    // Wuhan: concentrated training 8 hours = 1 credit, so the Qingdao 24 hours are 3 credits.
    assert_eq!(report["policy"]["key"], "wuhan");
    assert_eq!(report["records"][0]["credits"], "3");
    // The ledger keeps what was posted in Qingdao; only the report re-denominates.
    assert_eq!(report["records"][0]["record"]["credits"], "24");
    assert_eq!(requirement(&report, "concentrated")["counted"], "3");
}

async fn compliance_statistics_count_a_regions_teachers(app: TestApp) {
    let w = shinan(&app, "st", 3).await;
    app.ok(
        &w.admin,
        RECORD,
        json!({"c": w.course, "rows": [
            {"teacherId": w.teachers[0], "attendedHours": "24", "passed": true},
            {"teacherId": w.teachers[1], "attendedHours": "24", "passed": true},
        ]}),
        "recordCompletions",
    )
    .await;
    app.ok(
        &w.admin,
        SAVE,
        json!({"d": small_policy("st-small", "20")}),
        "saveCreditPolicy",
    )
    .await;
    app.ok(
        &w.admin,
        ASSIGN,
        json!({"r": "370202", "k": "st-small", "f": "2026-01-01"}),
        "assignCreditPolicy",
    )
    .await;
    let query = "query($r: String!){ complianceStatistics(regionCode:$r, asOf:\"2026-12-31\"){ regionCode teachers compliant rate withoutPolicy bySchool { school { name } teachers compliant rate } } }";
    let qingdao = fixtures::region_admin(&app, &w.admin, "st-qd", "370200").await;
    let stats = app
        .ok(
            &qingdao,
            query,
            json!({"r": "370200"}),
            "complianceStatistics",
        )
        .await;
    assert_eq!(
        (stats["teachers"].as_u64(), stats["compliant"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(stats["rate"], "0.6667");
    assert_eq!(
        stats["bySchool"],
        json!([{"school": {"name": "st小学"}, "teachers": 3, "compliant": 2, "rate": "0.6667"}])
    );

    // The third teacher completes the course: the cached figures stand (and say when they were
    // computed) until they expire or `fresh: true` asks for new ones.
    app.ok(
        &w.admin,
        RECORD,
        json!({"c": w.course, "rows": [{"teacherId": w.teachers[2], "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    let timed = "query($r: String!, $f: Boolean){ complianceStatistics(regionCode:$r, asOf:\"2026-12-31\", fresh:$f){ compliant computedAt bySchool { school { name } compliant } } }";
    let cached = app
        .ok(
            &qingdao,
            timed,
            json!({"r": "370200", "f": false}),
            "complianceStatistics",
        )
        .await;
    assert_eq!(cached["compliant"], 2);
    assert_eq!(cached["bySchool"][0]["school"]["name"], "st小学");
    let fresh = app
        .ok(
            &qingdao,
            timed,
            json!({"r": "370200", "f": true}),
            "complianceStatistics",
        )
        .await;
    assert_eq!(fresh["compliant"], 3);
    assert_ne!(fresh["computedAt"], cached["computedAt"]);
    let school_admin = fixtures::school_admin(&app, &w.admin, "st-school", &w.school).await;
    assert_eq!(
        error_code(
            &app.gql(Some(&school_admin), query, json!({"r": "370200"}))
                .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.gql(Some(&qingdao), query, json!({"r": "370000"})).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.gql(Some(&qingdao), query, json!({"r": "37"})).await),
        "BAD_USER_INPUT"
    );
}

const RECOGNIZE: &str = "mutation($ids: [ID!]!, $d: Decision!, $c: String){ recognizeCredits(ids:$ids, decision:$d, comment:$c){ succeeded failed items { ok code } } }";

async fn a_wuhan_teacher_moving_to_qingdao_needs_recognition(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "rc-inst", "420100", "武汉市教师发展中心").await;
    let school = fixtures::school(&app, &admin, "420102", "江岸实验小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "吴老师", Some("rc-t")).await;
    let mut records = Vec::new();
    // Different end dates, so the report lists them in this order.
    for (code, hours, ends) in [("RC-1", "24", "2026-05-31"), ("RC-2", "16", "2026-06-15")] {
        let course = fixtures::published_course(
            &app,
            &ptoken,
            &admin,
            &provider,
            code,
            json!({"endsOn": ends, "hours": hours}),
        )
        .await;
        fixtures::enroll(&app, &admin, &course, &t).await;
        let posted = app
            .ok(&ptoken, "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ records { id credits policyKey } } }",
                json!({"c": course, "rows": [{"teacherId": t, "attendedHours": hours, "passed": true}]}), "recordCompletions")
            .await;
        // Wuhan: concentrated training, 8 hours = 1 credit.
        assert_eq!(posted["records"][0]["policyKey"], "wuhan");
        records.push(posted["records"][0]["id"].as_str().expect("id").to_owned());
    }
    let shinan_school = fixtures::school(&app, &admin, "370202", "市南区新学校").await;
    app.ok(&admin, "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-09-01\"){ id } }",
        json!({"t": t, "s": shinan_school}), "transferTeacher").await;

    let before = app
        .ok(
            &admin,
            COMPLIANCE,
            json!({"t": t, "asOf": "2026-12-31"}),
            "compliance",
        )
        .await;
    assert_eq!(before["policy"]["key"], "qingdao-shinan");
    // Re-denominated under Shinan's rules (1 hour = 1 credit), but not counted until recognised.
    assert_eq!(before["records"][0]["credits"], "24");
    assert_eq!(
        before["records"][0]["notes"][0]["code"],
        "AWAITING_RECOGNITION"
    );
    assert_eq!(before["totalCounted"], "0");

    let shinan = fixtures::region_admin(&app, &admin, "rc-shinan", "370202").await;
    let wuhan = fixtures::region_admin(&app, &admin, "rc-wuhan", "420100").await;
    let refused = app
        .ok(
            &wuhan,
            RECOGNIZE,
            json!({"ids": [records[0]], "d": "APPROVE"}),
            "recognizeCredits",
        )
        .await;
    assert_eq!(
        refused["items"][0]["code"], "FORBIDDEN",
        "the old region no longer decides"
    );
    let accepted = app
        .ok(
            &shinan,
            RECOGNIZE,
            json!({"ids": [records[0]], "d": "APPROVE"}),
            "recognizeCredits",
        )
        .await;
    assert_eq!(accepted["succeeded"], 1);
    let no_reason = app
        .ok(
            &shinan,
            RECOGNIZE,
            json!({"ids": [records[1]], "d": "REJECT"}),
            "recognizeCredits",
        )
        .await;
    assert_eq!(no_reason["items"][0]["code"], "BAD_USER_INPUT");
    app.ok(
        &shinan,
        RECOGNIZE,
        json!({"ids": [records[1]], "d": "REJECT", "c": "无学时证明"}),
        "recognizeCredits",
    )
    .await;
    let twice = app
        .ok(
            &shinan,
            RECOGNIZE,
            json!({"ids": [records[0]], "d": "APPROVE"}),
            "recognizeCredits",
        )
        .await;
    assert_eq!(twice["items"][0]["code"], "CONFLICT");

    let after = app
        .ok(
            &admin,
            COMPLIANCE,
            json!({"t": t, "asOf": "2026-12-31"}),
            "compliance",
        )
        .await;
    assert_eq!(after["totalCounted"], "24");
    assert_eq!(after["records"][0]["counted"], "24");
    assert_eq!(after["records"][1]["notes"][0]["code"], "NOT_RECOGNISED");
}
