//! The server's response cache for anonymous public reads: a repeated catalogue page is served
//! without running it again, and never outlives a change a visitor could see (a new course, a
//! seat taken); answers with anything but public data, or read with a token, are never shared.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    a_repeated_public_page_is_served_from_the_cache,
    an_approved_course_and_a_taken_seat_show_at_once,
    only_anonymous_answers_of_public_fields_are_shared,
);

const PAGE: &str =
    "{ courses(first: 20) { edges { node { code title enrolledCount provider { name } } } } }";

/// `credit_bank_response_cache_lookups_total{outcome=…}` from /metrics.
async fn lookups(app: &TestApp, outcome: &str) -> u64 {
    let text = app.metrics_text().await;
    let series = format!("credit_bank_response_cache_lookups_total{{outcome=\"{outcome}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(series.as_str()))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

async fn anonymous(app: &TestApp, query: &str) -> Value {
    let body = app.gql(None, query, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    body
}

fn codes(body: &Value) -> Vec<&str> {
    body["data"]["courses"]["edges"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["node"]["code"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

async fn a_repeated_public_page_is_served_from_the_cache(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "rc-inst", "370200", "缓存机构").await;
    fixtures::published_course(&app, &ptoken, &admin, &provider, "RC-1", json!({})).await;

    let first = anonymous(&app, PAGE).await;
    let hits = lookups(&app, "hit").await;
    let statements = app.state.metrics.db_statements();
    let second = anonymous(&app, PAGE).await;
    assert_eq!(first, second);
    assert_eq!(lookups(&app, "hit").await, hits + 1);
    assert_eq!(
        app.state.metrics.db_statements(),
        statements,
        "a kept answer reads nothing from the database"
    );
    // Other variables, another language: other answers.
    let english = app.gql_in(Some("en"), None, PAGE, json!({})).await;
    assert_eq!(codes(&english), vec!["RC-1"]);
    assert_eq!(lookups(&app, "hit").await, hits + 1);
}

async fn an_approved_course_and_a_taken_seat_show_at_once(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "rc-inst2", "370200", "缓存机构二").await;
    let school = fixtures::school(&app, &admin, "370202", "缓存小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "陈老师", Some("rc-t")).await;
    let course =
        fixtures::published_course(&app, &ptoken, &admin, &provider, "RC-A", json!({})).await;
    let before = anonymous(&app, PAGE).await;
    assert_eq!(codes(&before), vec!["RC-A"]);
    assert_eq!(
        before["data"]["courses"]["edges"][0]["node"]["enrolledCount"],
        0
    );
    anonymous(&app, PAGE).await; // now kept

    let token = app.login("rc-t", PASSWORD).await;
    fixtures::enroll(&app, &token, &course, &teacher).await;
    let after_enrol = anonymous(&app, PAGE).await;
    assert_eq!(
        after_enrol["data"]["courses"]["edges"][0]["node"]["enrolledCount"], 1,
        "the seat taken shows at once: {after_enrol}"
    );

    fixtures::published_course(&app, &ptoken, &admin, &provider, "RC-B", json!({})).await;
    let after_approval = anonymous(&app, PAGE).await;
    assert_eq!(codes(&after_approval), vec!["RC-A", "RC-B"]);
}

async fn only_anonymous_answers_of_public_fields_are_shared(app: TestApp) {
    let admin = app.admin_token().await;
    let hits = lookups(&app, "hit").await;
    let misses = lookups(&app, "miss").await;
    // With a token: never looked up.
    for _ in 0..2 {
        app.ok(&admin, PAGE, json!({}), "courses").await;
    }
    // A root field outside the public data: never looked up either.
    let mixed = "{ courses(first: 1) { edges { cursor } } viewer { username } }";
    for _ in 0..2 {
        app.gql(None, mixed, json!({})).await;
    }
    assert_eq!(lookups(&app, "hit").await, hits);
    assert_eq!(lookups(&app, "miss").await, misses);
    // Mutations neither.
    app.gql(
        None,
        "mutation { login(username: \"nobody\", password: \"wrong-password\") { token } }",
        json!({}),
    )
    .await;
    assert_eq!(lookups(&app, "miss").await, misses);
}
