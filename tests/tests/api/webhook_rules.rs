//! Who may register which webhook, where it may point, and deliveries across replicas: two
//! servers on one PostgreSQL send each delivery once.

use super::fixtures::{self, provider, published_course};
use super::webhook_support::{hook, quick, webhook_tests, Receiver, CREATE, MINE, WITHIN};
use credit_bank::config::{Environment, Settings};
use credit_bank::startup::Application;
use credit_bank_tests::{error_code, TestApp};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

webhook_tests!(
    creation_refuses_bad_targets_and_unreadable_events => quick,
    only_the_owner_sees_and_deletes_a_webhook => quick,
    production_refuses_plain_http_and_private_addresses => |s: &mut Settings| {
        s.environment = Environment::Production;
    },
);

async fn create(app: &TestApp, token: &str, url: &str, events: Value) -> Value {
    app.gql(
        Some(token),
        CREATE,
        json!({"i": {"url": url, "events": events}}),
    )
    .await
}

fn refused(body: &Value, field: &str, reason: &str) {
    assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
    let ext = &body["errors"][0]["extensions"];
    assert_eq!(ext["field"], field, "{body}");
    assert_eq!(ext["reason"], reason, "{body}");
}

async fn creation_refuses_bad_targets_and_unreadable_events(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, ptoken) = provider(&app, &admin, "wh-rules", "370200", "规则机构").await;
    let ok = json!(["COURSE_APPROVED"]);
    for (url, reason) in [
        ("not a url", "INVALID_FORMAT"),
        ("/relative/hook", "INVALID_FORMAT"),
        ("ftp://hooks.example.cn/x", "INSECURE_SCHEME"),
        (
            "https://user:secret@hooks.example.cn/x",
            "CREDENTIALS_IN_URL",
        ),
    ] {
        refused(
            &create(&app, &ptoken, url, ok.clone()).await,
            "input.url",
            reason,
        );
    }
    let long = format!("https://hooks.example.cn/{}", "a".repeat(2_000));
    refused(
        &create(&app, &ptoken, &long, ok.clone()).await,
        "input.url",
        "TOO_LONG",
    );
    refused(
        &create(&app, &ptoken, "https://hooks.example.cn/x", json!([])).await,
        "input.events",
        "REQUIRED",
    );
    // A provider never reads conversions; a teacher never reads course reviews.
    let denied = create(
        &app,
        &ptoken,
        "https://hooks.example.cn/x",
        json!(["CONVERSION_DECIDED"]),
    )
    .await;
    assert_eq!(error_code(&denied), "FORBIDDEN", "{denied}");
    let school = fixtures::school(&app, &admin, "370202", "规则小学").await;
    fixtures::teacher(&app, &admin, &school, "李规则", Some("wh-rule-t")).await;
    let teacher = app.login("wh-rule-t", credit_bank_tests::PASSWORD).await;
    let denied = create(
        &app,
        &teacher,
        "https://hooks.example.cn/x",
        json!(["COURSE_APPROVED"]),
    )
    .await;
    assert_eq!(error_code(&denied), "FORBIDDEN", "{denied}");
    let anonymous = app
        .gql(None, CREATE, json!({"i": {"url": "https://hooks.example.cn/x", "events": ["CREDIT_RECORD_CHANGED"]}}))
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    // Nothing was registered by any of these.
    let mine = app.ok(&ptoken, MINE, json!({}), "viewer").await;
    assert_eq!(mine["webhooks"], json!([]));
}

async fn only_the_owner_sees_and_deletes_a_webhook(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, a) = provider(&app, &admin, "wh-own-a", "370200", "拥有甲").await;
    let (_, b) = provider(&app, &admin, "wh-own-b", "370200", "拥有乙").await;
    let (id, _) = hook(
        &app,
        &a,
        "http://127.0.0.1:9/hook",
        &["COURSE_REJECTED", "COURSE_APPROVED"],
    )
    .await;
    let theirs = app.ok(&b, MINE, json!({}), "viewer").await;
    assert_eq!(theirs["webhooks"], json!([]));
    let delete = "mutation($id: ID!){ deleteWebhook(id:$id) }";
    let not_yours = app.gql(Some(&b), delete, json!({"id": id})).await;
    assert_eq!(error_code(&not_yours), "NOT_FOUND", "{not_yours}");
    let by_admin = app.gql(Some(&admin), delete, json!({"id": id})).await;
    assert_eq!(error_code(&by_admin), "NOT_FOUND");
    let mine = app.ok(&a, MINE, json!({}), "viewer").await;
    assert_eq!(
        mine["webhooks"][0]["events"],
        json!(["COURSE_APPROVED", "COURSE_REJECTED"])
    );
    assert_eq!(
        app.ok(&a, delete, json!({"id": id}), "deleteWebhook").await,
        true
    );
    let mine = app.ok(&a, MINE, json!({}), "viewer").await;
    assert_eq!(mine["webhooks"], json!([]));
    let again = app.gql(Some(&a), delete, json!({"id": id})).await;
    assert_eq!(error_code(&again), "NOT_FOUND");
}

async fn production_refuses_plain_http_and_private_addresses(app: TestApp) {
    let admin = app.admin_token().await;
    let ok = json!(["CREDIT_RECORD_CHANGED"]);
    refused(
        &create(&app, &admin, "http://hooks.example.cn/x", ok.clone()).await,
        "input.url",
        "INSECURE_SCHEME",
    );
    for url in [
        "https://127.0.0.1/hook",
        "https://127.0.0.1:8443/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.20.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://[::ffff:127.0.0.1]/hook",
    ] {
        refused(
            &create(&app, &admin, url, ok.clone()).await,
            "input.url",
            "PRIVATE_ADDRESS",
        );
    }
    // A public address literal is a fine target (nothing is sent until an event).
    app.ok(
        &admin,
        CREATE,
        json!({"i": {"url": "https://93.184.216.34/hook", "events": ok}}),
        "createWebhook",
    )
    .await;
}

/// Two servers (two delivery workers) on one PostgreSQL: every event reaches the receiver once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_send_each_delivery_once() {
    let one_at_a_time = |s: &mut Settings| {
        quick(s);
        s.webhooks.batch = 1;
    };
    let backend = credit_bank_tests::Backend::Postgres;
    let Some(app) = credit_bank_tests::spawn_app_with(backend, one_at_a_time).await else {
        return;
    };
    let mut settings = credit_bank_tests::test_settings(app.state.settings.database_url.clone());
    settings.redis_url = app.state.settings.redis_url.clone();
    settings.cache_prefix = app.state.settings.cache_prefix.clone();
    settings.jwt_secret = app.state.settings.jwt_secret.clone();
    // One delivery per claim and a slow receiver: while one replica waits for its answer, the
    // other claims the next, so both take part.
    one_at_a_time(&mut settings);
    let second = Application::build(settings, false)
        .await
        .expect("second replica");
    let second_state = second.state().clone();
    tokio::spawn(second.run_until_stopped());

    let admin = app.admin_token().await;
    let (p, token) = provider(&app, &admin, "wh-fleet", "370200", "双实例机构").await;
    let receiver = Receiver::start_slow(200, Duration::from_millis(300)).await;
    hook(&app, &token, &receiver.url, &["COURSE_APPROVED"]).await;
    const COURSES: usize = 12;
    for i in 0..COURSES {
        published_course(&app, &token, &admin, &p, &format!("WH-2-{i:02}"), json!({})).await;
    }
    let got = receiver.wait_for(COURSES, WITHIN).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let all = receiver.requests();
    let ids: HashSet<&str> = all.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(got.len().min(COURSES), COURSES, "not all delivered");
    assert_eq!(ids.len(), COURSES);
    assert_eq!(all.len(), COURSES, "some delivery was sent twice");
    let sent_by = |metrics: &str| -> usize {
        metrics
            .lines()
            .find_map(|l| {
                l.strip_prefix("credit_bank_webhook_attempts_total{outcome=\"succeeded\"} ")
            })
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let (first, other) = (
        sent_by(&app.state.metrics.render()),
        sent_by(&second_state.metrics.render()),
    );
    assert_eq!(first + other, COURSES, "{first} + {other}");
    assert!(
        first > 0 && other > 0,
        "one replica sent everything: {first} + {other}"
    );
}
