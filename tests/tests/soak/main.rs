//! The soak (`SOAK=1`): a bounded mixed workload — catalogue pages, enrolments, withdrawals,
//! completions, claims (with retried idempotency keys), reviews, compliance reports and
//! conversions (requested on both instances at once, decided by a university) — from
//! several concurrent clients against two `credit-bank serve` instances on one PostgreSQL and
//! one Redis, both the fault suite's own (tests/tests/faults/services.rs: a private cluster
//! and redis-server on free ports, never the shared 5432/6379, everything stopped by PID).
//!
//! It asserts no 5xx, no timeout and no `INTERNAL`/`UNAVAILABLE` answer; each server's resident
//! memory (from /proc) not growing more than `SOAK_RSS_GROWTH_MB` after the warm-up; and the
//! ledger's invariants at the end: one record per idempotency key, every acknowledged claim
//! recorded, no record in two live conversions (and at least one live, so that the check
//! is not vacuous), no course with more seats taken than it has.
//!
//! `SOAK_SECONDS` (default 180), `SOAK_CLIENTS` (default 6), `SOAK_RSS_GROWTH_MB` (default
//! 64); `FAULT_SUITE_BIN` runs another binary (a release build), `FAULT_PG_BIN` another
//! PostgreSQL, `FAULT_SUITE_KEEP=1` keeps the folder with the servers' logs.

#[allow(dead_code)]
#[path = "../faults/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "../faults/services.rs"]
mod services;

mod fixture;
mod invariants;
mod memory;
mod report;
mod workload;

use services::Stack;
use std::time::Duration;

pub const JWT_SECRET: &str = "soak-secret-soak-secret-soak-secret-0123456";
pub const PASSWORD: &str = "soak-password-1";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn soak() {
    if std::env::var("SOAK").is_err() {
        return eprintln!("SOAK not set: skipping the soak (README \"The soak\")");
    }
    credit_bank::telemetry::init_with_default(false, "error");
    let seconds = env_number("SOAK_SECONDS", 180);
    let clients = env_number("SOAK_CLIENTS", 6) as usize;
    let growth_mb = env_number("SOAK_RSS_GROWTH_MB", 64);

    let mut stack = Stack::start();
    let db = fixture::database(&stack).await;
    let env = vec![
        ("DATABASE_URL", stack.pg_url("credit_bank")),
        ("REDIS_URL", stack.redis_url()),
        ("JWT_SECRET", JWT_SECRET.to_owned()),
        ("CACHE_PREFIX", "soak:".to_owned()),
    ];
    let bases = vec![stack.start_server(&env), stack.start_server(&env)];
    let world = fixture::build(&stack, &bases[0]).await;
    println!(
        "soak: {seconds} s, {clients} clients, 2 servers, {} teachers, {} courses",
        world.teachers.len(),
        world.courses.lock().expect("lock").len()
    );

    let sampler = memory::Sampler::start(stack.server_pids(), Duration::from_secs(2));
    let seen = workload::run(&bases, &world, clients, Duration::from_secs(seconds)).await;
    let rss = sampler.stop().await;
    let ledger = invariants::check(&db, &seen).await;

    report::print(&seen, &rss, &ledger);
    report::assert_clean(&seen);
    rss.assert_bounded(growth_mb);
    ledger.assert_hold();
    println!("soak: every check passed");
}
