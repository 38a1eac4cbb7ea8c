//! API keys: a provider's registrar signs its system in with a key that acts exactly as the
//! provider's account — its own courses yes, another provider's no — until revoked or expired.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    a_key_acts_with_exactly_its_accounts_scope_until_revoked,
    a_key_stops_after_its_last_day,
    keys_are_made_by_sessions_and_revoked_by_their_owner_or_an_admin,
);

const CREATE: &str = "mutation($n: String!, $e: Date){ createApiKey(name:$n, expiresOn:$e){ key apiKey { id name prefix createdAt lastUsedAt expiresOn revokedAt } } }";
const REVOKE: &str = "mutation($id: ID!){ revokeApiKey(id:$id){ id revokedAt } }";
const KEYS: &str = "{ viewer { apiKeys { id name prefix lastUsedAt expiresOn revokedAt } } }";
const PUBLISH: &str = "mutation($id: ID!){ publishCourse(id:$id){ status } }";
const WHO: &str = "{ viewer { username role provider { id } } }";

async fn key(app: &TestApp, token: &str, name: &str, expires_on: Value) -> (String, Value) {
    let created = app
        .ok(
            token,
            CREATE,
            json!({"n": name, "e": expires_on}),
            "createApiKey",
        )
        .await;
    let text = created["key"].as_str().expect("key").to_owned();
    (text, created["apiKey"].clone())
}

async fn draft(app: &TestApp, token: &str, provider: &str, code: &str) -> String {
    let c = app
        .ok(
            token,
            fixtures::CREATE_COURSE,
            json!({"i": fixtures::course_input(provider, code, json!({}))}),
            "createCourse",
        )
        .await;
    fixtures::id(&c)
}

async fn a_key_acts_with_exactly_its_accounts_scope_until_revoked(app: TestApp) {
    let admin = app.admin_token().await;
    let (qingdao, qtoken) =
        fixtures::provider(&app, &admin, "key-qd", "370200", "青岛培训中心").await;
    let (other, otoken) =
        fixtures::provider(&app, &admin, "key-sd", "370000", "山东培训中心").await;
    let own_course = draft(&app, &qtoken, &qingdao, "KEY-1").await;
    let their_course = draft(&app, &otoken, &other, "KEY-2").await;

    let (text, record) = key(&app, &qtoken, "registrar nightly sync", Value::Null).await;
    assert!(text.starts_with("cbk_"), "{text}");
    let prefix = record["prefix"].as_str().expect("prefix");
    assert!(text.starts_with(&format!("{prefix}_")) && text.len() > prefix.len() + 40);
    assert_eq!(record["name"], "registrar nightly sync");
    assert!(record["lastUsedAt"].is_null() && record["revokedAt"].is_null());

    // The key is the provider's account: same viewer, its own course yes, another's no.
    let who = app.ok(&text, WHO, json!({}), "viewer").await;
    assert_eq!(who["username"], "key-qd");
    assert_eq!(who["role"], "PROVIDER_ADMIN");
    assert_eq!(who["provider"]["id"], json!(qingdao));
    let published = app
        .ok(&text, PUBLISH, json!({"id": own_course}), "publishCourse")
        .await;
    assert_eq!(published["status"], "PENDING_APPROVAL");
    let refused = app
        .gql(Some(&text), PUBLISH, json!({"id": their_course}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");

    // Listed with its use recorded, never with the key itself.
    let listed = app.ok(&qtoken, KEYS, json!({}), "viewer").await;
    assert!(!listed.to_string().contains(&text[prefix.len() + 1..]));
    let keys = listed["apiKeys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["prefix"], prefix);
    assert!(keys[0]["lastUsedAt"].is_string(), "{listed}");

    let revoked = app
        .ok(&qtoken, REVOKE, json!({"id": record["id"]}), "revokeApiKey")
        .await;
    assert!(revoked["revokedAt"].is_string());
    let after = app.gql(Some(&text), WHO, json!({})).await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED", "{after}");
    // A key that was never issued is refused the same way.
    let forged = app
        .gql(Some(&format!("{prefix}_not-the-secret")), WHO, json!({}))
        .await;
    assert_eq!(error_code(&forged), "UNAUTHENTICATED");
}

async fn a_key_stops_after_its_last_day(app: TestApp) {
    let admin = app.admin_token().await;
    let today = app.state.clock.today();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let past = app
        .gql(Some(&admin), CREATE, json!({"n": "late", "e": yesterday}))
        .await;
    assert_eq!(error_code(&past), "BAD_USER_INPUT");
    assert_eq!(past["errors"][0]["extensions"]["reason"], "IN_THE_PAST");

    let (text, record) = key(&app, &admin, "until today", json!(today.to_string())).await;
    assert_eq!(record["expiresOn"], json!(today.to_string()));
    app.ok(&text, WHO, json!({}), "viewer").await;
    // The day after its last day, the key is refused.
    app.state
        .clock
        .set(Some(app.state.clock.now() + chrono::Duration::days(1)));
    let expired = app.gql(Some(&text), WHO, json!({})).await;
    app.state.clock.set(None);
    assert_eq!(error_code(&expired), "UNAUTHENTICATED", "{expired}");
}

async fn keys_are_made_by_sessions_and_revoked_by_their_owner_or_an_admin(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, qtoken) = fixtures::provider(&app, &admin, "key-owner", "370202", "市南培训中心").await;
    let (_, otoken) = fixtures::provider(&app, &admin, "key-other", "370202", "市南进修学校").await;
    let shinan = fixtures::region_admin(&app, &admin, "key-shinan", "370202").await;
    let wuhan = fixtures::region_admin(&app, &admin, "key-wuhan", "420100").await;
    let (text, record) = key(&app, &qtoken, "sync", Value::Null).await;

    // A key cannot mint keys (it would outlive its own revocation) nor log out.
    let minted = app
        .gql(Some(&text), CREATE, json!({"n": "more", "e": null}))
        .await;
    assert_eq!(error_code(&minted), "FORBIDDEN", "{minted}");
    let logout = app.gql(Some(&text), "mutation{ logout }", json!({})).await;
    assert_eq!(logout["errors"][0]["extensions"]["reason"], "NOT_A_SESSION");

    // Another provider, an admin of another region: refused; the region admin over it: yes.
    for stranger in [&otoken, &wuhan] {
        let refused = app
            .gql(Some(stranger), REVOKE, json!({"id": record["id"]}))
            .await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    }
    app.ok(&text, WHO, json!({}), "viewer").await;
    app.ok(&shinan, REVOKE, json!({"id": record["id"]}), "revokeApiKey")
        .await;
    let after = app.gql(Some(&text), WHO, json!({})).await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
    // The owner sees it revoked.
    let listed = app.ok(&qtoken, KEYS, json!({}), "viewer").await;
    assert!(listed["apiKeys"][0]["revokedAt"].is_string(), "{listed}");
}
