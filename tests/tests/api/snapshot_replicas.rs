//! Two replicas on one PostgreSQL database never evaluate the same teacher at once: claims
//! taken side by side are disjoint, and two servers' workers — each running several rounds
//! side by side (`SNAPSHOT_WORKERS`) — together evaluate each marked teacher exactly once.

use credit_bank::services::{snapshot_marks, snapshot_queue};
use credit_bank::startup::Application;
use credit_bank_tests::{spawn_app, test_settings, Backend, TestApp};
use std::collections::HashSet;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claims_on_postgres_are_disjoint() {
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    // Bench teachers are inserted without marks; the server's own worker is idle on them
    // until they are marked below, and it claims alongside the two claimers (a third one).
    let teachers = credit_bank::bench::roster(&app.state, 3_000)
        .await
        .expect("teachers");
    snapshot_marks::teachers(&app.state.db, teachers.iter().copied())
        .await
        .expect("marked");
    let claimer = |db: sea_orm::DatabaseConnection| async move {
        let me = Uuid::now_v7();
        let mut mine = Vec::new();
        loop {
            let now = chrono::Utc::now();
            let claimed =
                snapshot_queue::claim(&db, me, now, now + chrono::Duration::minutes(5), 50)
                    .await
                    .expect("claim");
            if claimed.is_empty() {
                return mine;
            }
            mine.extend(claimed.into_iter().map(|c| c.teacher_id));
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(claimer(app.state.db.clone())),
        tokio::spawn(claimer(app.state.db.clone()))
    );
    let (a, b) = (a.expect("a"), b.expect("b"));
    let a_set: HashSet<Uuid> = a.iter().copied().collect();
    let b_set: HashSet<Uuid> = b.iter().copied().collect();
    assert_eq!(a_set.len(), a.len(), "a claimer took a teacher twice");
    assert_eq!(b_set.len(), b.len(), "a claimer took a teacher twice");
    let both: Vec<&Uuid> = a_set.intersection(&b_set).collect();
    assert!(both.is_empty(), "{} teachers claimed by both", both.len());
    assert!(
        !a.is_empty() && !b.is_empty(),
        "both claimed: {} and {}",
        a.len(),
        b.len()
    );
    let all: HashSet<Uuid> = teachers.iter().copied().collect();
    assert!(a_set.union(&b_set).all(|t| all.contains(t)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_evaluate_each_marked_teacher_once() {
    let Some(first) = spawn_app(Backend::Postgres).await else {
        return;
    };
    let second = second_server(&first).await;
    // Both workers have done their start-up roll over an empty roster.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = evaluations(&first, &second);
    let teachers = credit_bank::bench::roster(&first.state, 4_000)
        .await
        .expect("teachers");
    snapshot_marks::teachers(&first.state.db, teachers.iter().copied())
        .await
        .expect("marked");
    let started = Instant::now();
    while snapshot_queue::backlog(&first.state.db)
        .await
        .expect("backlog")
        > 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "backlog not cleared"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (a, b) = (
        first.state.metrics.snapshots.evaluations() - before.0,
        second.state().metrics.snapshots.evaluations() - before.1,
    );
    eprintln!("evaluated: {a} by the first server, {b} by the second");
    assert_eq!(a + b, 4_000, "each teacher evaluated exactly once");
    let body = first.metrics_text().await;
    assert!(
        body.contains("credit_bank_snapshot_evaluations_total"),
        "{body}"
    );
    assert!(body.contains("credit_bank_snapshot_backlog"), "{body}");
}

fn evaluations(first: &TestApp, second: &Application) -> (u64, u64) {
    (
        first.state.metrics.snapshots.evaluations(),
        second.state().metrics.snapshots.evaluations(),
    )
}

/// Another server on the first one's database and Redis.
async fn second_server(first: &TestApp) -> Application {
    let mut settings = test_settings(first.state.settings.database_url.clone());
    settings.redis_url = first.state.settings.redis_url.clone();
    settings.cache_prefix = first.state.settings.cache_prefix.clone();
    // Three rounds side by side here, the default (two per core) in the first server.
    settings.snapshot_workers = Some(3);
    Application::build(settings, false)
        .await
        .expect("second server starts")
}
