//! Declared activities through the review chain, revocation, annual closing and make-up, and
//! the ledger's immutability, over HTTP on both databases.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, uuid_of, TestApp, PASSWORD};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

on_both_backends!(
    a_paper_walks_the_full_chain,
    a_shortened_chain_certifies_at_the_county_and_rejections_need_a_reason,
    revocation_single_and_bulk_by_provider,
    a_closed_year_refuses_claims_except_under_make_up,
    the_ledger_is_append_only,
    a_page_of_records_with_history_costs_a_bounded_number_of_statements,
);

const CLAIM: &str = "mutation($i: ClaimInput!){ claimCredit(input:$i){ id status nextStep credits policyKey kind compulsory evidence { name url sha256 } } }";
const REVIEW: &str = "mutation($id: ID!, $d: Decision!, $c: String){ reviewCredit(id:$id, decision:$d, comment:$c){ id status nextStep history { step decision actor { username role } comment } } }";
const QUEUE: &str = "{ reviewQueue(first: 10){ totalCount edges { node { id title nextStep } } } }";

struct Place {
    admin: String,
    school: String,
    teacher: String,
    teacher_token: String,
    school_admin: String,
}

/// A school in `region` with one teacher (login `<prefix>-t`) and its school admin.
async fn place(app: &TestApp, prefix: &str, region: &str) -> Place {
    let admin = app.admin_token().await;
    let school = fixtures::school(app, &admin, region, &format!("{prefix}学校")).await;
    let login = format!("{prefix}-t");
    let teacher = fixtures::teacher(app, &admin, &school, "王老师", Some(&login)).await;
    let teacher_token = app.login(&login, PASSWORD).await;
    let school_admin = fixtures::school_admin(app, &admin, &format!("{prefix}-sa"), &school).await;
    Place {
        admin,
        school,
        teacher,
        teacher_token,
        school_admin,
    }
}

fn queue_ids(body: &Value) -> Vec<String> {
    body["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
        .collect()
}

async fn a_paper_walks_the_full_chain(app: TestApp) {
    // Weicheng district, under Weifang's policy: no shortened chain, papers by level.
    let p = place(&app, "wf", "370702").await;
    let county = fixtures::region_admin(&app, &p.admin, "wf-county", "370702").await;
    let province = fixtures::region_admin(&app, &p.admin, "sd-province", "370000").await;
    let mut paper = json!({"kind": "PAPER", "title": "小学数学课堂提问研究", "earnedOn": "2026-05-10",
        "evidence": [{"name": "期刊封面", "url": "https://files.example.cn/paper.pdf", "sha256": "AB".repeat(32)}]});
    let missing = app
        .gql(Some(&p.teacher_token), CLAIM, json!({"i": paper}))
        .await;
    assert_eq!(error_code(&missing), "BAD_USER_INPUT");
    assert_eq!(missing["errors"][0]["extensions"]["field"], "input.level");
    paper["level"] = json!("PROVINCIAL");
    let claimed = app
        .ok(&p.teacher_token, CLAIM, json!({"i": paper}), "claimCredit")
        .await;
    // Weifang art. 12.10: a provincial paper is 2 credits — shown at once, still pending.
    assert_eq!(
        (claimed["status"].as_str(), claimed["nextStep"].as_str()),
        (Some("PENDING"), Some("SCHOOL"))
    );
    assert_eq!(
        (claimed["credits"].as_str(), claimed["policyKey"].as_str()),
        (Some("2"), Some("weifang"))
    );
    assert_eq!(claimed["evidence"][0]["sha256"], "ab".repeat(32));
    let id = claimed["id"].as_str().expect("id").to_owned();
    let vars = |d: &str| json!({"id": id, "d": d});

    // Nobody skips the school: the county and the province are refused at this step.
    assert_eq!(
        error_code(&app.gql(Some(&county), REVIEW, vars("APPROVE")).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.gql(Some(&province), REVIEW, vars("APPROVE")).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&p.teacher_token), REVIEW, vars("APPROVE"))
                .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        queue_ids(
            &app.ok(&p.school_admin, QUEUE, json!({}), "reviewQueue")
                .await
        ),
        vec![id.clone()]
    );
    assert!(queue_ids(&app.ok(&county, QUEUE, json!({}), "reviewQueue").await).is_empty());

    let school_ok = app
        .ok(&p.school_admin, REVIEW, vars("APPROVE"), "reviewCredit")
        .await;
    assert_eq!(school_ok["nextStep"], "COUNTY");
    assert_eq!(
        error_code(
            &app.gql(Some(&p.school_admin), REVIEW, vars("APPROVE"))
                .await
        ),
        "CONFLICT"
    );
    assert!(queue_ids(
        &app.ok(&p.school_admin, QUEUE, json!({}), "reviewQueue")
            .await
    )
    .is_empty());
    assert_eq!(
        queue_ids(&app.ok(&county, QUEUE, json!({}), "reviewQueue").await),
        vec![id.clone()]
    );
    app.ok(&county, REVIEW, vars("APPROVE"), "reviewCredit")
        .await;
    let done = app
        .ok(&province, REVIEW, vars("APPROVE"), "reviewCredit")
        .await;
    assert_eq!(
        (done["status"].as_str(), done["nextStep"].as_str()),
        (Some("CERTIFIED"), None)
    );
    let steps: Vec<(String, String)> = done["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| {
            (
                h["step"].as_str().unwrap_or("").to_owned(),
                h["actor"]["username"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("SCHOOL".into(), "wf-sa".into()),
            ("COUNTY".into(), "wf-county".into()),
            ("PROVINCE".into(), "sd-province".into())
        ]
    );
    assert_eq!(
        error_code(&app.gql(Some(&province), REVIEW, vars("APPROVE")).await),
        "CONFLICT"
    );
    let account = app
        .ok(
            &p.teacher_token,
            "query($t: ID!){ node(id:$t){ ... on Teacher { creditAccount { total pending } } } }",
            json!({"t": p.teacher}),
            "node",
        )
        .await;
    assert_eq!(
        account["creditAccount"],
        json!({"total": "2", "pending": "0"})
    );
    // A retried claim with the same key is the same claim.
    let mut retry = paper.clone();
    retry["idempotencyKey"] = json!("paper-1");
    let first = app
        .ok(&p.teacher_token, CLAIM, json!({"i": retry}), "claimCredit")
        .await;
    let second = app
        .ok(&p.teacher_token, CLAIM, json!({"i": retry}), "claimCredit")
        .await;
    assert_eq!(first["id"], second["id"]);
    // Elective unless said: Weifang art. 9 keeps compulsory credits apart.
    assert_eq!(first["compulsory"], Value::Null);
    let mut compulsory = paper.clone();
    compulsory["compulsory"] = json!(true);
    let declared = app
        .ok(
            &p.teacher_token,
            CLAIM,
            json!({"i": compulsory}),
            "claimCredit",
        )
        .await;
    assert_eq!(declared["compulsory"], true);
    // An admin does not declare for a teacher.
    assert_eq!(
        error_code(
            &app.gql(Some(&p.school_admin), CLAIM, json!({"i": paper}))
                .await
        ),
        "FORBIDDEN"
    );
}

async fn a_shortened_chain_certifies_at_the_county_and_rejections_need_a_reason(app: TestApp) {
    // Shinan follows Shandong art. 19–20: the school checks, the district bureau certifies.
    let p = place(&app, "sn", "370202").await;
    let county = fixtures::region_admin(&app, &p.admin, "sn-county", "370202").await;
    let open_class = json!({"kind": "TEACHING_RESEARCH_ACTIVITY", "title": "区级教研 出课", "earnedOn": "2026-04-01", "hours": "6", "level": "COUNTY", "role": "INSTRUCTOR"});
    let a = app
        .ok(
            &p.teacher_token,
            CLAIM,
            json!({"i": open_class}),
            "claimCredit",
        )
        .await;
    // 003 row 7: presenters 两倍学时（1小时2学分）: 6 hours presented are 12.
    assert_eq!(a["credits"], "12");
    let id = a["id"].as_str().expect("id").to_owned();
    app.ok(
        &p.school_admin,
        REVIEW,
        json!({"id": id, "d": "APPROVE"}),
        "reviewCredit",
    )
    .await;
    let done = app
        .ok(
            &county,
            REVIEW,
            json!({"id": id, "d": "APPROVE"}),
            "reviewCredit",
        )
        .await;
    assert_eq!(done["status"], "CERTIFIED");

    let b = app
        .ok(
            &p.teacher_token,
            CLAIM,
            json!({"i": {"kind": "MONOGRAPH", "title": "专著", "earnedOn": "2026-03-01"}}),
            "claimCredit",
        )
        .await;
    let c = app
        .ok(&p.teacher_token, CLAIM, json!({"i": {"kind": "MASTER_STUDIO", "title": "名师工作室", "earnedOn": "2026-03-02"}}), "claimCredit")
        .await;
    // The queue pages oldest first.
    let page = "query($after: String){ reviewQueue(first: 1, after: $after){ totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }";
    let first = app
        .ok(&p.school_admin, page, json!({}), "reviewQueue")
        .await;
    assert_eq!(
        (
            first["totalCount"].as_u64(),
            first["pageInfo"]["hasNextPage"].as_bool()
        ),
        (Some(2), Some(true))
    );
    assert_eq!(first["edges"][0]["node"]["id"], b["id"]);
    let second = app
        .ok(
            &p.school_admin,
            page,
            json!({"after": first["pageInfo"]["endCursor"]}),
            "reviewQueue",
        )
        .await;
    assert_eq!(second["edges"][0]["node"]["id"], c["id"]);
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    let no_reason = app
        .gql(
            Some(&p.school_admin),
            REVIEW,
            json!({"id": b["id"], "d": "REJECT"}),
        )
        .await;
    assert_eq!(error_code(&no_reason), "BAD_USER_INPUT");
    assert_eq!(no_reason["errors"][0]["extensions"]["field"], "comment");
    let rejected = app
        .ok(
            &p.school_admin,
            REVIEW,
            json!({"id": b["id"], "d": "REJECT", "c": "缺少出版证明"}),
            "reviewCredit",
        )
        .await;
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(rejected["history"][0]["comment"], "缺少出版证明");
    // In bulk: the rejected one fails, the other still goes through.
    let bulk = app
        .ok(
            &p.school_admin,
            "mutation($ids: [ID!]!){ reviewCredits(ids:$ids, decision: APPROVE){ succeeded failed items { id ok code } } }",
            json!({"ids": [b["id"], c["id"]]}),
            "reviewCredits",
        )
        .await;
    assert_eq!(
        (bulk["succeeded"].as_i64(), bulk["failed"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(bulk["items"][0]["code"], "CONFLICT");
    // Another school's admin is out of scope.
    let other = place(&app, "sn2", "370202").await;
    assert_eq!(
        error_code(
            &app.gql(
                Some(&other.school_admin),
                REVIEW,
                json!({"id": c["id"], "d": "APPROVE"})
            )
            .await
        ),
        "FORBIDDEN"
    );
}

const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted records { id } } }";
const REVOKE: &str = "mutation($id: ID!, $r: String!){ revokeCredit(id:$id, reason:$r){ id status reason revokedBy { username } credits teacher { name } course { code } } }";

async fn revocation_single_and_bulk_by_provider(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "rv-inst", "370200", "某培训机构").await;
    let school = fixtures::school(&app, &admin, "370202", "撤销小学").await;
    let mut teachers = Vec::new();
    for i in 0..3 {
        teachers.push(
            fixtures::teacher(
                &app,
                &admin,
                &school,
                &format!("教师{i}"),
                Some(&format!("rv-t{i}")),
            )
            .await,
        );
    }
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "RV-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    for t in &teachers {
        fixtures::enroll(&app, &admin, &course, t).await;
    }
    let rows: Vec<Value> = teachers
        .iter()
        .map(|t| json!({"teacherId": t, "attendedHours": "24", "passed": true}))
        .collect();
    let posted = app
        .ok(
            &ptoken,
            RECORD,
            json!({"c": course, "rows": rows}),
            "recordCompletions",
        )
        .await;
    let first = posted["records"][0]["id"]
        .as_str()
        .expect("record")
        .to_owned();

    let county = fixtures::region_admin(&app, &admin, "rv-county", "370202").await;
    let own = app.login("rv-t0", PASSWORD).await;
    assert_eq!(
        error_code(
            &app.gql(Some(&own), REVOKE, json!({"id": first, "r": "x"}))
                .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&county), REVOKE, json!({"id": first, "r": " "}))
                .await
        ),
        "BAD_USER_INPUT"
    );
    let revoked = app
        .ok(
            &county,
            REVOKE,
            json!({"id": first, "r": "培训记录造假"}),
            "revokeCredit",
        )
        .await;
    assert_eq!(revoked["status"], "REVOKED");
    assert_eq!(revoked["reason"], "培训记录造假");
    assert_eq!(revoked["revokedBy"]["username"], "rv-county");
    assert_eq!(
        revoked["credits"], "24",
        "the record keeps its facts and credits"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&county), REVOKE, json!({"id": first, "r": "again"}))
                .await
        ),
        "CONFLICT"
    );
    let teacher0 = &teachers[0];
    let view = app
        .ok(&own, "query($t: ID!){ node(id:$t){ ... on Teacher { creditAccount { total } creditRecords(first: 10){ totalCount edges { node { credits status reversalOf } } } compliance(asOf: \"2026-12-31\"){ totalCounted records { notes { code } } } } } }", json!({"t": teacher0}), "node")
        .await;
    assert_eq!(view["creditAccount"]["total"], "0");
    assert_eq!(
        view["creditRecords"]["totalCount"], 2,
        "the record and its reversal are both listed"
    );
    assert_eq!(view["compliance"]["totalCounted"], "0");
    assert_eq!(
        view["compliance"]["records"][0]["notes"][0]["code"],
        "NOT_CERTIFIED"
    );

    // A fraudulent provider: every credit its courses produced, in one call.
    let bulk =
        "mutation($p: ID!){ revokeCredits(providerId:$p, reason:\"机构资质造假\"){ revoked } }";
    assert_eq!(
        error_code(&app.gql(Some(&ptoken), bulk, json!({"p": provider})).await),
        "FORBIDDEN"
    );
    let qingdao = fixtures::region_admin(&app, &admin, "rv-city", "370200").await;
    let n = app
        .ok(&qingdao, bulk, json!({"p": provider}), "revokeCredits")
        .await;
    assert_eq!(n["revoked"], 2);
    let again = app
        .ok(&qingdao, bulk, json!({"p": provider}), "revokeCredits")
        .await;
    assert_eq!(again["revoked"], 0);
}

async fn a_closed_year_refuses_claims_except_under_make_up(app: TestApp) {
    let p = place(&app, "cy", "370202").await;
    let district = fixtures::region_admin(&app, &p.admin, "cy-district", "370202").await;
    let close =
        "mutation($r: String!, $y: Int!){ closeYear(regionCode:$r, year:$y){ regionCode year } }";
    assert_eq!(
        error_code(
            &app.gql(
                Some(&p.school_admin),
                close,
                json!({"r": "370202", "y": 2025})
            )
            .await
        ),
        "FORBIDDEN"
    );
    app.ok(
        &district,
        close,
        json!({"r": "370202", "y": 2025}),
        "closeYear",
    )
    .await;
    assert_eq!(
        error_code(
            &app.gql(Some(&district), close, json!({"r": "370202", "y": 2025}))
                .await
        ),
        "CONFLICT"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&district), close, json!({"r": "370202", "y": 2099}))
                .await
        ),
        "BAD_USER_INPUT"
    );
    let late =
        json!({"i": {"kind": "MONOGRAPH", "title": "2025年的专著", "earnedOn": "2025-06-01"}});
    let refused = app.gql(Some(&p.teacher_token), CLAIM, late.clone()).await;
    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert_eq!(
        refused["errors"][0]["extensions"]["field"],
        "input.earnedOn"
    );
    // The current year stays open.
    app.ok(
        &p.teacher_token,
        CLAIM,
        json!({"i": {"kind": "MONOGRAPH", "title": "今年", "earnedOn": "2026-06-01"}}),
        "claimCredit",
    )
    .await;
    let grant = "mutation($t: ID!){ grantMakeUp(teacherId:$t, year: 2025, reason: \"产假\", deadline: \"2099-03-31\"){ year deadline } }";
    assert_eq!(
        error_code(
            &app.gql(Some(&p.teacher_token), grant, json!({"t": p.teacher}))
                .await
        ),
        "FORBIDDEN"
    );
    app.ok(
        &p.school_admin,
        grant,
        json!({"t": p.teacher}),
        "grantMakeUp",
    )
    .await;
    let ok = app.ok(&p.teacher_token, CLAIM, late, "claimCredit").await;
    assert_eq!(ok["status"], "PENDING");
    let _ = &p.school;
}

/// Every column of every ledger row but the ones a status transition may change.
async fn ledger_facts(app: &TestApp) -> Vec<Vec<String>> {
    let db = &app.state.db;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, teacher_id, school_id, region_code, kind, title, course_id, level, category, role, hours_e4, credits_e4, earned_on, idempotency_key, reversal_of, reason, policy_key FROM credit_records ORDER BY idempotency_key",
        ))
        .await
        .expect("ledger rows");
    rows.iter()
        .map(|r| {
            (0..17)
                .map(|i| {
                    r.try_get_by_index::<Option<String>>(i)
                        .ok()
                        .flatten()
                        .or_else(|| {
                            r.try_get_by_index::<Option<i64>>(i)
                                .ok()
                                .flatten()
                                .map(|v| v.to_string())
                        })
                        .or_else(|| {
                            r.try_get_by_index::<Option<uuid::Uuid>>(i)
                                .ok()
                                .flatten()
                                .map(|v| v.to_string())
                        })
                        .or_else(|| {
                            r.try_get_by_index::<Option<chrono::NaiveDate>>(i)
                                .ok()
                                .flatten()
                                .map(|v| v.to_string())
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

async fn the_ledger_is_append_only(app: TestApp) {
    let p = place(&app, "im", "370202").await;
    let county = fixtures::region_admin(&app, &p.admin, "im-county", "370202").await;
    let claim = json!({"i": {"kind": "MONOGRAPH", "title": "不可更改", "earnedOn": "2026-02-01"}});
    let a = app.ok(&p.teacher_token, CLAIM, claim, "claimCredit").await;
    let before = ledger_facts(&app).await;
    assert!(
        before
            .iter()
            .all(|r| !r[0].is_empty() && !r[11].is_empty() && !r[12].is_empty()),
        "every row's id, credits and date were read: {before:?}"
    );
    app.ok(
        &p.school_admin,
        REVIEW,
        json!({"id": a["id"], "d": "APPROVE"}),
        "reviewCredit",
    )
    .await;
    app.ok(
        &county,
        REVIEW,
        json!({"id": a["id"], "d": "APPROVE"}),
        "reviewCredit",
    )
    .await;
    app.ok(
        &county,
        REVOKE,
        json!({"id": a["id"], "r": "核查不实"}),
        "revokeCredit",
    )
    .await;
    let after = ledger_facts(&app).await;
    // The existing row is unchanged; the only new row is the reversal.
    assert_eq!(after.len(), before.len() + 1);
    for row in &before {
        assert!(after.contains(row), "a ledger row changed: {row:?}");
    }
    // The database itself refuses edits and deletions, whatever code tries.
    let db = &app.state.db;
    let id = uuid_of(a["id"].as_str().expect("id"));
    let backend = db.get_database_backend();
    let placeholder = if backend == sea_orm::DatabaseBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    for sql in [
        format!("UPDATE credit_records SET credits_e4 = 999 WHERE id = {placeholder}"),
        format!("DELETE FROM credit_records WHERE id = {placeholder}"),
        format!("UPDATE credit_records SET status = 'CERTIFIED' WHERE id = {placeholder}"),
    ] {
        let result = db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                &sql,
                [uuid::Uuid::parse_str(&id).expect("uuid").into()],
            ))
            .await;
        assert!(result.is_err(), "the database allowed: {sql}");
    }
    let events = db
        .execute_raw(Statement::from_string(backend, "DELETE FROM review_events"))
        .await;
    assert!(events.is_err(), "review events were deleted");
}

async fn a_page_of_records_with_history_costs_a_bounded_number_of_statements(app: TestApp) {
    let p = place(&app, "pg", "370202").await;
    for i in 0..6 {
        let claim = json!({"i": {"kind": "MONOGRAPH", "title": format!("专著{i}"), "earnedOn": "2026-02-01",
            "evidence": [{"name": "封面", "url": format!("https://files.example.cn/{i}.pdf")}]}});
        let a = app.ok(&p.teacher_token, CLAIM, claim, "claimCredit").await;
        app.ok(
            &p.school_admin,
            REVIEW,
            json!({"id": a["id"], "d": "APPROVE"}),
            "reviewCredit",
        )
        .await;
    }
    let q = "query($t: ID!, $n: Int){ node(id:$t){ ... on Teacher { creditRecords(first:$n){ edges { node { title history { step actor { username } } evidence { url } } } } } } }";
    let mut costs = Vec::new();
    for n in [2, 6] {
        let before = app.state.metrics.db_statements();
        let body = app
            .ok(&p.school_admin, q, json!({"t": p.teacher, "n": n}), "node")
            .await;
        let edges = body["creditRecords"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), n);
        assert_eq!(edges[0]["node"]["history"][0]["actor"]["username"], "pg-sa");
        costs.push(app.state.metrics.db_statements() - before);
    }
    assert_eq!(
        costs[0], costs[1],
        "statements must not grow with the page: {costs:?}"
    );
}
