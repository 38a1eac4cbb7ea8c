//! Pages of credit records load their teachers, courses and reversal entries in a bounded
//! number of SQL statements, whatever the page size.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    a_review_queue_page_loads_its_teachers_in_bounded_statements,
    a_page_of_records_loads_courses_and_reversals_in_bounded_statements,
);

const CLAIM: &str = "mutation($i: ClaimInput!){ claimCredit(input:$i){ id } }";
const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ records { id } } }";

/// Statements spent on `query` for each page size, with the page's edges checked by `check`.
async fn costs(
    app: &TestApp,
    token: &str,
    query: &str,
    vars: impl Fn(usize) -> Value,
    pick: impl Fn(&Value) -> Value,
    check: impl Fn(&[Value]),
) -> Vec<u64> {
    let mut out = Vec::new();
    for n in [2, 6] {
        let before = app.state.metrics.db_statements();
        let body = app.gql(Some(token), query, vars(n)).await;
        assert!(body["errors"].is_null(), "{body}");
        let edges = pick(&body["data"]);
        let edges = edges.as_array().expect("edges");
        assert_eq!(edges.len(), n, "{body}");
        check(edges);
        out.push(app.state.metrics.db_statements() - before);
    }
    out
}

async fn a_review_queue_page_loads_its_teachers_in_bounded_statements(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "市南区第五小学").await;
    let school_admin = fixtures::school_admin(&app, &admin, "load-sa", &school).await;
    for i in 0..6 {
        let login = format!("load-t{i}");
        fixtures::teacher(&app, &admin, &school, &format!("教师{i}"), Some(&login)).await;
        let token = app.login(&login, PASSWORD).await;
        let claim = json!({"i": {"kind": "MONOGRAPH", "title": format!("专著{i}"), "earnedOn": "2026-02-01"}});
        app.ok(&token, CLAIM, claim, "claimCredit").await;
    }
    let query = "query($n: Int){ reviewQueue(first:$n){ edges { node { title teacher { name school { name } } } } } }";
    let costs = costs(
        &app,
        &school_admin,
        query,
        |n| json!({"n": n}),
        |data| data["reviewQueue"]["edges"].clone(),
        |edges| {
            for e in edges {
                let teacher = &e["node"]["teacher"];
                assert!(teacher["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("教师")));
                assert_eq!(teacher["school"]["name"], "市南区第五小学");
            }
        },
    )
    .await;
    assert_eq!(
        costs[0], costs[1],
        "statements must not grow with the page: {costs:?}"
    );
}

async fn a_page_of_records_loads_courses_and_reversals_in_bounded_statements(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "load-p", "370200", "青岛装载机构").await;
    let school = fixtures::school(&app, &admin, "370202", "市南区第六小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "装老师", None).await;
    let mut records = Vec::new();
    for i in 0..6 {
        let course = fixtures::published_course(
            &app,
            &ptoken,
            &admin,
            &provider,
            &format!("LOAD-{i}"),
            json!({"title": format!("课程{i}"), "endsOn": "2026-06-30"}),
        )
        .await;
        fixtures::enroll(&app, &admin, &course, &teacher).await;
        let posted = app
            .ok(
                &ptoken,
                RECORD,
                json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": true}]}),
                "recordCompletions",
            )
            .await;
        records.push(posted["records"][0]["id"].clone());
    }
    // Pages of revoked records (in id order), so every row asks for its reversal entry.
    for id in &records {
        app.ok(
            &admin,
            "mutation($id: ID!){ revokeCredit(id:$id, reason:\"重复登记\"){ status } }",
            json!({"id": id}),
            "revokeCredit",
        )
        .await;
    }
    let query = "query($t: ID!, $n: Int){ node(id:$t){ ... on Teacher { creditRecords(first:$n, filter:{status: REVOKED}){ edges { node { status reason revokedBy { username } course { title provider { name } } } } } } } }";
    let costs = costs(
        &app,
        &admin,
        query,
        |n| json!({"t": teacher, "n": n}),
        |data| data["node"]["creditRecords"]["edges"].clone(),
        |edges| {
            for e in edges {
                let node = &e["node"];
                assert_eq!(node["status"], "REVOKED");
                assert_eq!(node["reason"], "重复登记");
                assert!(node["revokedBy"]["username"].is_string(), "{node}");
                assert_eq!(node["course"]["provider"]["name"], "青岛装载机构");
            }
        },
    )
    .await;
    assert_eq!(
        costs[0], costs[1],
        "statements must not grow with the page: {costs:?}"
    );
}
