//! An account's life after it is made: disabled and enabled again by an admin over it, logged
//! out, its password changed; and login limiting that slows a guesser without locking out the
//! owner.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, spawn_app_with, Backend, TestApp, PASSWORD};
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    a_disabled_accounts_token_and_key_fail_at_once_and_work_again_when_enabled,
    logout_refuses_that_token_and_no_other,
    a_password_change_needs_the_current_one_and_ends_the_other_sessions,
);

const WHO: &str = "{ viewer { username account { id } } }";
const DISABLE: &str =
    "mutation($a: ID!, $d: Boolean!){ setAccountDisabled(accountId:$a, disabled:$d){ id disabled } }";
const CHANGE: &str = "mutation($c: String!, $n: String!){ changePassword(current:$c, new:$n) }";
const LOGIN: &str = "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }";

async fn new_key(app: &TestApp, token: &str) -> String {
    let created = app
        .ok(
            token,
            "mutation{ createApiKey(name:\"sync\"){ key } }",
            json!({}),
            "createApiKey",
        )
        .await;
    created["key"].as_str().expect("key").to_owned()
}

async fn account_id(app: &TestApp, token: &str) -> Value {
    app.ok(token, WHO, json!({}), "viewer").await["account"]["id"].clone()
}

async fn a_disabled_accounts_token_and_key_fail_at_once_and_work_again_when_enabled(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, token) =
        fixtures::provider(&app, &admin, "off-provider", "370202", "市南培训中心").await;
    let shinan = fixtures::region_admin(&app, &admin, "off-shinan", "370202").await;
    let wuhan = fixtures::region_admin(&app, &admin, "off-wuhan", "420100").await;
    let key = new_key(&app, &token).await;
    let account = account_id(&app, &token).await;

    // Nobody disables their own login, nor one outside their region.
    let own = app
        .gql(
            Some(&shinan),
            DISABLE,
            json!({"a": account_id(&app, &shinan).await, "d": true}),
        )
        .await;
    assert_eq!(error_code(&own), "FORBIDDEN", "{own}");
    let far = app
        .gql(Some(&wuhan), DISABLE, json!({"a": account, "d": true}))
        .await;
    assert_eq!(error_code(&far), "FORBIDDEN", "{far}");
    let by_itself = app
        .gql(Some(&key), DISABLE, json!({"a": account, "d": true}))
        .await;
    assert_eq!(error_code(&by_itself), "FORBIDDEN");

    let off = app
        .ok(
            &shinan,
            DISABLE,
            json!({"a": account, "d": true}),
            "setAccountDisabled",
        )
        .await;
    assert_eq!(off["disabled"], true);
    for credential in [&token, &key] {
        let refused = app.gql(Some(credential), WHO, json!({})).await;
        assert_eq!(error_code(&refused), "UNAUTHENTICATED", "{refused}");
    }
    let login = app
        .gql(None, LOGIN, json!({"u": "off-provider", "p": PASSWORD}))
        .await;
    assert_eq!(error_code(&login), "UNAUTHENTICATED");

    let on = app
        .ok(
            &shinan,
            DISABLE,
            json!({"a": account, "d": false}),
            "setAccountDisabled",
        )
        .await;
    assert_eq!(on["disabled"], false);
    for credential in [&token, &key] {
        assert_eq!(
            app.ok(credential, WHO, json!({}), "viewer").await["username"],
            "off-provider"
        );
    }
}

async fn logout_refuses_that_token_and_no_other(app: TestApp) {
    let phone = app.admin_token().await;
    let laptop = app.admin_token().await;
    assert_eq!(
        app.ok(&phone, "mutation{ logout }", json!({}), "logout")
            .await,
        true
    );
    let refused = app.gql(Some(&phone), WHO, json!({})).await;
    assert_eq!(error_code(&refused), "UNAUTHENTICATED", "{refused}");
    let again = app.gql(Some(&phone), "mutation{ logout }", json!({})).await;
    assert_eq!(error_code(&again), "UNAUTHENTICATED");
    app.ok(&laptop, WHO, json!({}), "viewer").await;
}

async fn a_password_change_needs_the_current_one_and_ends_the_other_sessions(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "市南区改密小学").await;
    fixtures::teacher(&app, &admin, &school, "改密老师", Some("pw-teacher")).await;
    let here = app.login("pw-teacher", PASSWORD).await;
    let there = app.login("pw-teacher", PASSWORD).await;
    let key = new_key(&app, &here).await;

    let wrong = app
        .gql(
            Some(&here),
            CHANGE,
            json!({"c": "not-my-password", "n": "a-new-password"}),
        )
        .await;
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT");
    assert_eq!(wrong["errors"][0]["extensions"]["reason"], "WRONG_PASSWORD");
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "current");
    let short = app
        .gql(Some(&here), CHANGE, json!({"c": PASSWORD, "n": "short"}))
        .await;
    assert_eq!(short["errors"][0]["extensions"]["field"], "new", "{short}");
    // Nothing changed yet: both sessions work.
    app.ok(&there, WHO, json!({}), "viewer").await;

    let changed = app
        .ok(
            &here,
            CHANGE,
            json!({"c": PASSWORD, "n": "a-new-password"}),
            "changePassword",
        )
        .await;
    assert_eq!(changed, true);
    // The session that changed it goes on; the other one, and the old password, are out.
    app.ok(&here, WHO, json!({}), "viewer").await;
    let ended = app.gql(Some(&there), WHO, json!({})).await;
    assert_eq!(error_code(&ended), "UNAUTHENTICATED", "{ended}");
    let old = app
        .gql(None, LOGIN, json!({"u": "pw-teacher", "p": PASSWORD}))
        .await;
    assert_eq!(error_code(&old), "UNAUTHENTICATED");
    let fresh = app.login("pw-teacher", "a-new-password").await;
    app.ok(&fresh, WHO, json!({}), "viewer").await;
    // API keys are no sessions: they stay until revoked.
    app.ok(&key, WHO, json!({}), "viewer").await;
}

/// A login attempt sent through our (trusted) proxy on behalf of `address`.
async fn login_from(app: &TestApp, address: &str, password: &str) -> Value {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("X-Forwarded-For", address)
        .json(&json!({"query": LOGIN, "variables": {"u": credit_bank_tests::ADMIN, "p": password}}))
        .send()
        .await
        .expect("login sent")
        .json()
        .await
        .expect("JSON")
}

fn retry_after(body: &Value) -> u64 {
    assert_eq!(error_code(body), "RATE_LIMITED", "{body}");
    body["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_u64()
        .expect("retryAfterSeconds")
}

async fn a_stranger_cannot_lock_the_owner_out(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")];
        s.login_attempts.first_delay = Duration::from_secs(1);
    })
    .await
    else {
        return;
    };
    let stranger = "203.0.113.9";
    // The test settings allow 3 failures per account and address.
    for _ in 0..3 {
        let body = login_from(&app, stranger, "guess-guess").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    // The stranger must now wait, even with the right password…
    let first = retry_after(&login_from(&app, stranger, PASSWORD).await);
    assert!(first >= 1);
    // …while the owner, from another address, signs in as always.
    let owner = login_from(&app, "198.51.100.7", PASSWORD).await;
    assert!(owner["data"]["login"]["token"].is_string(), "{owner}");

    // Waiting and failing again makes the next wait longer: backoff, not a lockout.
    tokio::time::sleep(Duration::from_millis(first * 1000 + 100)).await;
    let body = login_from(&app, stranger, "guess-again").await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    let second = retry_after(&login_from(&app, stranger, "guess-more").await);
    assert!(second > first, "{second} after {first}");
    // The owner is still not affected.
    let owner = login_from(&app, "198.51.100.7", PASSWORD).await;
    assert!(owner["data"]["login"]["token"].is_string(), "{owner}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_cannot_lock_the_owner_out_on_sqlite() {
    a_stranger_cannot_lock_the_owner_out(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_cannot_lock_the_owner_out_on_postgres() {
    a_stranger_cannot_lock_the_owner_out(Backend::Postgres).await;
}
