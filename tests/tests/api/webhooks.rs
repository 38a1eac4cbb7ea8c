//! Webhooks end to end: a real receiver started by the test gets signed deliveries of what its
//! account may read, and nothing else; a failing one gets retries with growing delays until the
//! server gives up; two servers on one PostgreSQL send each delivery once.

use super::fixtures::{self, provider, published_course, region_admin};
use super::webhook_support::{
    deliveries, hook, quick, wait_until, webhook_tests, Receiver, WITHIN,
};
use credit_bank_tests::TestApp;
use serde_json::json;
use std::time::{Duration, Instant};

webhook_tests!(
    a_signed_delivery_reaches_the_provider_and_nobody_else => quick,
    a_failing_receiver_gets_retries_with_growing_delays_then_none => quick,
    a_provider_hears_its_own_trainees_records_only => quick,
);

async fn a_signed_delivery_reaches_the_provider_and_nobody_else(app: TestApp) {
    let admin = app.admin_token().await;
    let approver = region_admin(&app, &admin, "wh-qingdao", "370200").await;
    let (pa, ta) = provider(&app, &admin, "wh-prov-a", "370200", "甲培训中心").await;
    let (pb, tb) = provider(&app, &admin, "wh-prov-b", "370200", "乙培训中心").await;
    let (ra, rb, rr) = (
        Receiver::start(200).await,
        Receiver::start(200).await,
        Receiver::start(200).await,
    );
    let (_, secret_a) = hook(&app, &ta, &ra.url, &["COURSE_APPROVED", "COURSE_REJECTED"]).await;
    let (_, secret_b) = hook(&app, &tb, &rb.url, &["COURSE_APPROVED"]).await;
    hook(&app, &approver, &rr.url, &["COURSE_APPROVED"]).await;

    let started = Instant::now();
    let course_a = published_course(&app, &ta, &approver, &pa, "WH-A-01", json!({})).await;
    let got = ra.wait_for(1, WITHIN).await;
    assert_eq!(
        got.len(),
        1,
        "provider A's receiver got nothing within {WITHIN:?}"
    );
    assert!(started.elapsed() < WITHIN);
    let r = &got[0];
    assert!(r.signed_with(&secret_a), "signature does not verify: {r:?}");
    assert!(!r.signed_with(&secret_b));
    let body = r.json();
    assert_eq!(body["id"], r.header("webhook-id"));
    assert_eq!(body["type"], "COURSE_APPROVED");
    assert_eq!(body["data"]["courseId"], course_a);
    assert_eq!(body["data"]["status"], "PUBLISHED");
    assert!(body["occurredAt"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    let sent_at: i64 = r.header("webhook-timestamp").parse().expect("unix seconds");
    assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 60);
    assert_eq!(r.header("content-type"), "application/json");

    // The other provider's course: its own receiver hears it, A's does not.
    let course_b = published_course(&app, &tb, &approver, &pb, "WH-B-01", json!({})).await;
    let got_b = rb.wait_for(1, WITHIN).await;
    assert_eq!(got_b.len(), 1);
    assert_eq!(got_b[0].json()["data"]["courseId"], course_b);
    assert!(got_b[0].signed_with(&secret_b));
    // The approver over both hears both.
    let approvals = rr.wait_for(2, WITHIN).await;
    assert_eq!(approvals.len(), 2);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(ra.requests().len(), 1, "A heard of B's course");
    assert_eq!(rb.requests().len(), 1, "B heard of A's course");

    let seen = deliveries(&app, &ta).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["eventType"], "COURSE_APPROVED");
    assert_eq!(seen[0]["status"], "SUCCEEDED");
    assert_eq!(seen[0]["attempts"], 1);
    assert_eq!(seen[0]["responseStatus"], 200);
    assert!(seen[0]["lastAttemptAt"].is_string());
    let metrics = app.metrics_text().await;
    assert!(
        metrics.contains("credit_bank_webhook_attempts_total{outcome=\"succeeded\"} 4"),
        "{metrics}"
    );
}

async fn a_failing_receiver_gets_retries_with_growing_delays_then_none(app: TestApp) {
    let admin = app.admin_token().await;
    let (p, token) = provider(&app, &admin, "wh-failing", "370200", "失败机构").await;
    let receiver = Receiver::start(500).await;
    hook(&app, &token, &receiver.url, &["COURSE_APPROVED"]).await;
    published_course(&app, &token, &admin, &p, "WH-F-01", json!({})).await;
    // 300 ms doubling, up to a quarter longer each, within 4 s: attempts at about 0, 0.3,
    // 0.9 and 2.1 s; the next would fall after the window, so the server gives up.
    let got = receiver.wait_for(4, WITHIN).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let gaps: Vec<Duration> = got.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(gaps[0] >= Duration::from_millis(280), "{gaps:?}");
    assert!(
        gaps[1] > gaps[0] && gaps[2] > gaps[1],
        "delays must grow: {gaps:?}"
    );
    assert!(got
        .iter()
        .all(|r| r.header("webhook-id") == got[0].header("webhook-id")));
    let given_up = wait_until(|| async {
        let d = deliveries(&app, &token).await;
        (d[0]["status"] == "FAILED").then_some(d)
    })
    .await;
    assert_eq!(given_up[0]["attempts"], 4);
    assert_eq!(given_up[0]["responseStatus"], 500);
    receiver.answer_with(200);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(receiver.requests().len(), 4, "tried again after giving up");
    let metrics = app.metrics_text().await;
    assert!(metrics.contains("credit_bank_webhook_attempts_total{outcome=\"retrying\"} 3"));
    assert!(metrics.contains("credit_bank_webhook_attempts_total{outcome=\"failed\"} 1"));
}

async fn a_provider_hears_its_own_trainees_records_only(app: TestApp) {
    let admin = app.admin_token().await;
    let (pa, ta) = provider(&app, &admin, "wh-rec-a", "370200", "记录甲机构").await;
    let (_, tb) = provider(&app, &admin, "wh-rec-b", "370200", "记录乙机构").await;
    let school = fixtures::school(&app, &admin, "370202", "推送小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "王推送", Some("wh-teacher")).await;
    let own = app.login("wh-teacher", credit_bank_tests::PASSWORD).await;
    let course = published_course(
        &app,
        &ta,
        &admin,
        &pa,
        "WH-R-01",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    let (ra, rb, rt) = (
        Receiver::start(200).await,
        Receiver::start(200).await,
        Receiver::start(200).await,
    );
    let both = ["CREDIT_RECORD_CHANGED", "ENROLLMENT_CHANGED"];
    hook(&app, &ta, &ra.url, &both).await;
    hook(&app, &tb, &rb.url, &both).await;
    hook(&app, &own, &rt.url, &["CREDIT_RECORD_CHANGED"]).await;

    fixtures::enroll(&app, &admin, &course, &teacher).await;
    let posted = app
        .ok(
            &ta,
            "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
            json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": true}]}),
            "recordCompletions",
        )
        .await;
    assert_eq!(posted["accepted"], 1);
    // The teacher's own claim is none of the provider's business.
    app.ok(
        &own,
        "mutation($i: ClaimInput!){ claimCredit(input:$i){ id } }",
        json!({"i": {"kind": "PAPER", "title": "课堂提问研究", "level": "PROVINCIAL", "words": 4200,
                     "earnedOn": "2026-05-10"}}),
        "claimCredit",
    )
    .await;

    let to_teacher = rt.wait_for(2, WITHIN).await;
    let to_provider = ra.wait_for(3, WITHIN).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let kinds = |got: &[super::webhook_support::Received]| {
        let mut k: Vec<String> = got
            .iter()
            .map(|r| {
                let b = r.json();
                format!(
                    "{} {}",
                    b["type"].as_str().unwrap_or("?"),
                    b["data"]["status"].as_str().unwrap_or("?")
                )
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(
        kinds(&to_provider),
        [
            "CREDIT_RECORD_CHANGED CERTIFIED",
            "ENROLLMENT_CHANGED COMPLETED",
            "ENROLLMENT_CHANGED ENROLLED"
        ],
    );
    assert_eq!(
        ra.requests().len(),
        3,
        "the provider heard of the teacher's own claim"
    );
    assert_eq!(
        kinds(&to_teacher),
        [
            "CREDIT_RECORD_CHANGED CERTIFIED",
            "CREDIT_RECORD_CHANGED PENDING"
        ]
    );
    assert!(
        rb.requests().is_empty(),
        "another provider heard: {:?}",
        rb.requests()
    );
    let record = &to_provider
        .iter()
        .find(|r| r.json()["type"] == "CREDIT_RECORD_CHANGED")
        .expect("record event")
        .json()["data"];
    assert_eq!(record["teacherId"], teacher);
    assert_eq!(record["courseId"], course);
}
