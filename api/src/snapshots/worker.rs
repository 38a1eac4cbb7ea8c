//! Each round claims up to [`BATCH`] marked teachers (see `services::snapshot_queue`),
//! evaluates them on the application clock's today and writes their snapshots
//! (`services::snapshots::refresh`). A full batch means more are waiting: the next round starts
//! at once; otherwise the worker polls every [`POLL`], so a change shows in today's statistics
//! within about a second on either database. When the day changes (and at start) the daily
//! roll marks every teacher whose snapshot is missing or holds for an earlier day, so
//! time-based rules (periods, expiry, a policy taking effect) stay right; it runs again every
//! [`ROLL_EVERY`] too, so a teacher written to the database by other means than the API (which
//! marks every new teacher) is evaluated within minutes rather than the next day.
//!
//! A replica runs `SNAPSHOT_WORKERS` rounds side by side (two per core on PostgreSQL by
//! default), each claiming its own teachers: while one waits for the database another
//! evaluates, so a province-wide change keeps every core busy. Only the first rolls and counts
//! the backlog.
//!
//! It has its own small connection pool, outside the statement counter of `/metrics`: its
//! polling is the server's own business and must not show up as the cost of requests.

use crate::error::{AppError, AppResult};
use crate::services::{snapshot_queue, snapshots};
use crate::state::AppState;
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Teachers per claim: one batched evaluation (three ledger statements) each.
pub const BATCH: u64 = 500;
/// How often an idle worker looks for marks.
const POLL: Duration = Duration::from_millis(200);
/// How long a claim holds: a worker that died is replaced after this.
const LEASE: Duration = Duration::from_secs(60);
/// Teachers looked at per statement of the daily roll.
const ROLL_STEP: u64 = 5_000;
/// How often the roll runs within a day (a scan of the teachers and their snapshots).
const ROLL_EVERY: Duration = Duration::from_secs(600);
/// How often the backlog gauge is counted again (a count of the whole queue).
const GAUGE_EVERY: Duration = Duration::from_secs(1);

/// A running worker; [`Worker::stop`] ends it after the rounds in flight.
pub struct Worker {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    db: DatabaseConnection,
}

/// One worker's rounds: its id (the claim's owner) and the day it last rolled.
struct Rounds {
    state: AppState,
    id: Uuid,
    rolled_for: Option<NaiveDate>,
    rolled_at: Option<Instant>,
    counted_at: Option<Instant>,
}

impl Worker {
    /// Runs `count` rounds side by side on `state` with `db`, the worker's own pool.
    pub fn spawn(state: &AppState, db: DatabaseConnection, count: usize) -> Self {
        let state = AppState {
            db: db.clone(),
            ..state.clone()
        };
        let (stop, stopped) = watch::channel(false);
        let busy = Arc::new(Notify::new());
        let mut tasks = vec![tokio::spawn(lead(
            Rounds::new(state.clone()),
            stopped.clone(),
            busy.clone(),
        ))];
        for _ in 1..count.max(1) {
            let rounds = Rounds::new(state.clone());
            tasks.push(tokio::spawn(follow(rounds, stopped.clone(), busy.clone())));
        }
        Worker { stop, tasks, db }
    }

    /// Stops taking marks, waits for the rounds in flight and closes the worker's connections.
    pub async fn stop(self, wait: Duration) {
        let _ = self.stop.send(true);
        let all = futures_util::future::join_all(self.tasks);
        if tokio::time::timeout(wait, all).await.is_err() {
            tracing::warn!("snapshot worker did not stop in time");
        }
        let _ = self.db.close().await;
    }
}

/// The first round of a replica: polls every [`POLL`], rolls, counts the backlog, and wakes the
/// others whenever it claimed a full batch (more are waiting).
async fn lead(mut rounds: Rounds, mut stopped: watch::Receiver<bool>, busy: Arc<Notify>) {
    loop {
        let full = rounds.tick().await;
        if full {
            busy.notify_waiters();
        }
        let pause = if full { Duration::ZERO } else { POLL };
        tokio::select! {
            _ = stopped.changed() => break,
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Another round: asleep until the first finds more than a batch waiting, then claiming batch
/// after batch until one comes short. An idle replica so polls the queue once, not once a
/// round.
async fn follow(rounds: Rounds, mut stopped: watch::Receiver<bool>, busy: Arc<Notify>) {
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            _ = busy.notified() => {}
        }
        while !*stopped.borrow() && rounds.step().await {}
    }
}

/// Evaluates every marked teacher now, with `workers` rounds side by side, each its own task
/// (so on as many threads as the runtime has), until none is left (the benchmark; the server's
/// worker does the same in the background). Returns how many teachers were evaluated.
pub async fn drain(state: &AppState, workers: usize) -> AppResult<u64> {
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..workers.max(1) {
        let rounds = Rounds::new(state.clone());
        runs.spawn(async move {
            let mut total = 0u64;
            loop {
                let n = rounds.round().await?;
                if n == 0 {
                    return AppResult::Ok(total);
                }
                total += n as u64;
            }
        });
    }
    let mut total = 0;
    while let Some(run) = runs.join_next().await {
        total += run.map_err(AppError::internal)??;
    }
    Ok(total)
}

impl Rounds {
    fn new(state: AppState) -> Self {
        Rounds {
            state,
            id: Uuid::now_v7(),
            rolled_for: None,
            rolled_at: None,
            counted_at: None,
        }
    }

    /// The roll if the day changed, one round, the gauge now and then; whether a full batch
    /// was claimed (more may be waiting).
    async fn tick(&mut self) -> bool {
        let today = self.state.clock.today();
        let due = self.rolled_at.is_none_or(|at| at.elapsed() >= ROLL_EVERY);
        if self.rolled_for != Some(today) || due {
            match self.roll(today).await {
                Ok(()) => {
                    self.rolled_for = Some(today);
                    self.rolled_at = Some(Instant::now());
                }
                Err(e) => tracing::warn!(error.message = %e, "snapshot roll failed"),
            }
        }
        let full = self.step().await;
        if self.counted_at.is_none_or(|at| at.elapsed() >= GAUGE_EVERY) {
            match snapshot_queue::backlog(&self.state.db).await {
                Ok(n) => self.state.metrics.snapshots.backlog(n),
                Err(e) => tracing::warn!(error.message = %e, "snapshot backlog not counted"),
            }
            self.counted_at = Some(Instant::now());
        }
        full
    }

    /// One round: whether a full batch was claimed (more may be waiting).
    async fn step(&self) -> bool {
        match self.round().await {
            Ok(n) => n as u64 >= BATCH,
            Err(e) => {
                tracing::warn!(error.message = %e, "snapshot round failed");
                false
            }
        }
    }

    /// Marks every teacher whose snapshot is missing or older than `today`, in steps.
    async fn roll(&self, today: NaiveDate) -> AppResult<()> {
        let mut after = Uuid::nil();
        while let Some(last) =
            snapshot_queue::roll_step(&self.state.db, after, today, ROLL_STEP).await?
        {
            after = last;
        }
        tracing::debug!(snapshot.day = %today, "snapshot roll marked");
        Ok(())
    }

    /// One claim and its evaluation: how many marks were claimed.
    async fn round(&self) -> AppResult<usize> {
        // The lease is real time even while the application clock is held still (tests):
        // it must run out for a worker that died.
        let now = chrono::Utc::now();
        let lease = chrono::Duration::from_std(LEASE).unwrap_or_else(|_| chrono::Duration::zero());
        let claimed =
            snapshot_queue::claim(&self.state.db, self.id, now, now + lease, BATCH).await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let started = Instant::now();
        let today = self.state.clock.today();
        let written = match snapshots::refresh(&self.state, self.id, &claimed, today).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error.message = %e, snapshot.batch = claimed.len(), "snapshot batch failed; one teacher at a time");
                self.one_by_one(&claimed, today).await
            }
        };
        self.state
            .metrics
            .snapshots
            .batch(written as u64, started.elapsed());
        Ok(claimed.len())
    }

    /// After a failed batch: each teacher alone, so one that cannot be evaluated keeps its claim
    /// (taken again when the lease runs out) without holding up the others.
    async fn one_by_one(&self, claimed: &[snapshot_queue::Claimed], today: NaiveDate) -> usize {
        let mut written = 0;
        for c in claimed {
            match snapshots::refresh(&self.state, self.id, std::slice::from_ref(c), today).await {
                Ok(n) => written += n,
                Err(e) => {
                    tracing::warn!(error.message = %e, teacher.id = %c.teacher_id, "snapshot not evaluated")
                }
            }
        }
        written
    }
}
