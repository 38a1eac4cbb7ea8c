//! Dependency faults, in-process: an unreachable database answers `UNAVAILABLE` with 503 and
//! `Retry-After` and `/readyz` says so within a second; an unreachable Redis leaves logins,
//! rate limits and persisted queries working on the instance's memory, with `/readyz` and
//! `/metrics` saying `degraded`. (`tests/faults` stops and restarts real servers.)

use credit_bank_tests::{error_code, spawn_app, spawn_app_with, Backend, TestApp, ADMIN, PASSWORD};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const LOGIN: &str = "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }";

async fn readyz(app: &TestApp) -> (u16, Value, Duration) {
    let started = Instant::now();
    let res = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .expect("readyz");
    let status = res.status().as_u16();
    (status, res.json().await.expect("JSON"), started.elapsed())
}

async fn a_closed_pool_is_unavailable_with_503(app: TestApp) {
    let token = app.admin_token().await;
    app.state.db.clone().close().await.expect("pool closes");
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("Accept", "application/graphql-response+json")
        .bearer_auth(&token)
        .json(&json!({ "query": "{ viewer { username } }" }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 503);
    assert!(res.headers().get("retry-after").is_some());
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(error_code(&body), "UNAVAILABLE", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["retryable"], true);
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        !message.contains("pool") && !message.contains("sqlx"),
        "{message}"
    );

    let body = app
        .gql(None, LOGIN, json!({"u": ADMIN, "p": PASSWORD}))
        .await;
    assert_eq!(error_code(&body), "UNAVAILABLE", "{body}");

    let (status, body, took) = readyz(&app).await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "down");
    assert_eq!(body["database"]["status"], "down");
    assert!(took < Duration::from_secs(1), "readiness took {took:?}");

    let metrics = app.metrics_text().await;
    assert!(metrics.contains("credit_bank_graphql_errors_total{code=\"UNAVAILABLE\"}"));
    assert!(metrics.contains("credit_bank_dependency_failures_total{dependency=\"database\"}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_closed_pool_is_unavailable_with_503() {
    if let Some(app) = spawn_app(Backend::Sqlite).await {
        a_closed_pool_is_unavailable_with_503(app).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_closed_pool_is_unavailable_with_503() {
    if let Some(app) = spawn_app(Backend::Postgres).await {
        a_closed_pool_is_unavailable_with_503(app).await;
    }
}

/// Redis configured but nothing listening (port 1): the server starts, and everything that
/// used Redis works from the instance's memory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_down_logins_rate_limits_and_persisted_queries_keep_working() {
    let Some(app) = spawn_app_with(Backend::Sqlite, |s| {
        s.redis_url = Some("redis://127.0.0.1:1".into());
    })
    .await
    else {
        return;
    };
    let started = Instant::now();
    let token = app.admin_token().await;
    assert!(!token.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "login took {:?}",
        started.elapsed()
    );

    for _ in 0..3 {
        let body = app
            .gql(None, LOGIN, json!({"u": ADMIN, "p": "wrong-password"}))
            .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let body = app
        .gql(None, LOGIN, json!({"u": ADMIN, "p": "wrong-password"}))
        .await;
    assert_eq!(
        error_code(&body),
        "RATE_LIMITED",
        "the limit holds in memory: {body}"
    );

    let query = "{ regions { code } }";
    let hash = credit_bank::http::apq::sha256_hex(query);
    let ext = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}});
    let register = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "extensions": ext }))
        .send()
        .await
        .expect("register");
    assert_eq!(register.status(), 200);
    let by_hash: Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "extensions": ext }))
        .send()
        .await
        .expect("hash alone")
        .json()
        .await
        .expect("JSON");
    assert!(by_hash["data"]["regions"].is_array(), "{by_hash}");

    let deadline = Instant::now() + Duration::from_secs(3);
    let body = loop {
        let (status, body, took) = readyz(&app).await;
        assert_eq!(status, 200, "a degraded cache still serves: {body}");
        assert!(took < Duration::from_secs(1));
        if body["cache"]["status"] == "degraded" || Instant::now() > deadline {
            break body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["cache"]["backend"], "redis");
    let metrics = app.metrics_text().await;
    assert!(
        metrics.contains("credit_bank_cache_degraded 1"),
        "{metrics}"
    );
}
