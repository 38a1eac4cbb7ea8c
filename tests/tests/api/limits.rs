//! Expensive documents are refused early: over `MAX_QUERY_BYTES` before parsing (POST and GET),
//! over the token limit before parsing, repeated non-repeatable directives at validation, a
//! page of expensive fields by their complexity weights, and `fresh` statistics per account.

use credit_bank_tests::{error_code, on_both_backends, spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    documents_over_max_query_bytes_are_refused_on_post_and_get,
    repeated_directives_are_refused,
    expensive_fields_are_priced_by_their_weights,
    fresh_statistics_are_limited_per_account,
);

async fn post(app: &TestApp, query: &str) -> (u16, Value) {
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("Accept", "application/graphql-response+json")
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request");
    (res.status().as_u16(), res.json().await.expect("JSON"))
}

fn reason(body: &Value) -> &str {
    body["errors"][0]["extensions"]["reason"]
        .as_str()
        .unwrap_or_default()
}

async fn documents_over_max_query_bytes_are_refused_on_post_and_get(app: TestApp) {
    // 40 KiB of a valid-looking query: refused by its length, not by parsing it.
    let padding = " ".repeat(40 * 1024);
    let big = format!("{{ regions {{ code }} {padding} }}");
    let (status, body) = post(&app, &big).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(reason(&body), "QUERY_TOO_LARGE");

    let res = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[(
            "query",
            format!("{{ regions {{ code }} {} }}", " ".repeat(33 * 1024)),
        )])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(reason(&body), "QUERY_TOO_LARGE");

    let (status, body) = post(&app, "{ regions { code } }").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_over_the_token_limit_are_refused_before_parsing() {
    let Some(app) = spawn_app_with(Backend::Sqlite, |s| s.documents.max_tokens = 50).await else {
        return;
    };
    let many = format!("{{ {} }}", "__typename ".repeat(60));
    let (status, body) = post(&app, &many).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(reason(&body), "QUERY_TOO_MANY_TOKENS");
    let (status, _) = post(&app, "{ __typename }").await;
    assert_eq!(status, 200);
}

async fn repeated_directives_are_refused(app: TestApp) {
    let (status, body) = post(
        &app,
        "{ regions @include(if: true) @include(if: true) { code } }",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("Duplicate directive"), "{body}");
    let repeated = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(10));
    let (status, _) = post(&app, &repeated).await;
    assert_eq!(status, 400);
    let (status, body) = post(
        &app,
        "{ regions @include(if: true) @skip(if: false) { code } }",
    )
    .await;
    assert_eq!(status, 200, "two different directives are fine: {body}");
}

async fn expensive_fields_are_priced_by_their_weights(app: TestApp) {
    let admin = app.admin_token().await;
    let one = "{ complianceStatistics(regionCode: \"370202\") { teachers } }";
    let body = app.gql(Some(&admin), one, json!({})).await;
    assert!(
        body.get("errors").is_none(),
        "one is within the limit: {body}"
    );
    let five: String = (0..5)
        .map(|i| format!("s{i}: complianceStatistics(regionCode: \"370202\") {{ teachers }} "))
        .collect();
    let body = app
        .gql(Some(&admin), &format!("{{ {five} }}"), json!({}))
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too complex"), "five exceed it: {body}");
    assert!(body["data"].is_null());
}

async fn fresh_statistics_are_limited_per_account(app: TestApp) {
    let admin = app.admin_token().await;
    let fresh = "{ complianceStatistics(regionCode: \"370202\", fresh: true) { teachers } }";
    for _ in 0..5 {
        let body = app.gql(Some(&admin), fresh, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let body = app.gql(Some(&admin), fresh, json!({})).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
    assert!(body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64() > Some(0));
    let cached = "{ complianceStatistics(regionCode: \"370202\") { teachers } }";
    let body = app.gql(Some(&admin), cached, json!({})).await;
    assert!(
        body.get("errors").is_none(),
        "cached results stay open: {body}"
    );
}
