//! The snapshot worker's figures in `/metrics`: the backlog of marked teachers (a gauge, as
//! this replica last counted it), teachers evaluated, and how long each batch took.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BUCKETS: [f64; 10] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Clone, Default)]
pub struct SnapshotMetrics {
    backlog: Arc<AtomicU64>,
    evaluations: Arc<AtomicU64>,
    from_cache: Arc<AtomicU64>,
    batches: Arc<Mutex<Histogram>>,
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl SnapshotMetrics {
    pub fn backlog(&self, marked: u64) {
        self.backlog.store(marked, Ordering::Relaxed);
    }

    /// One batch of `teachers` evaluated and written in `elapsed`.
    pub fn batch(&self, teachers: u64, elapsed: Duration) {
        self.evaluations.fetch_add(teachers, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        let mut h = match self.batches.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.buckets[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// `teachers` of a batch evaluated from the activity cache.
    pub fn from_cache(&self, teachers: u64) {
        self.from_cache.fetch_add(teachers, Ordering::Relaxed);
    }

    /// Teachers evaluated from the activity cache so far.
    pub fn cached_evaluations(&self) -> u64 {
        self.from_cache.load(Ordering::Relaxed)
    }

    pub fn evaluations(&self) -> u64 {
        self.evaluations.load(Ordering::Relaxed)
    }

    pub fn render(&self, out: &mut String) {
        out.push_str("# HELP credit_bank_snapshot_backlog Teachers marked for compliance re-evaluation, as this replica last counted.\n");
        out.push_str("# TYPE credit_bank_snapshot_backlog gauge\n");
        out.push_str(&format!(
            "credit_bank_snapshot_backlog {}\n",
            self.backlog.load(Ordering::Relaxed)
        ));
        out.push_str("# HELP credit_bank_snapshot_evaluations_total Teachers evaluated and their compliance snapshots written by this replica.\n");
        out.push_str("# TYPE credit_bank_snapshot_evaluations_total counter\n");
        out.push_str(&format!(
            "credit_bank_snapshot_evaluations_total {}\n",
            self.evaluations()
        ));
        out.push_str("# HELP credit_bank_snapshot_cached_evaluations_total Of those, teachers evaluated from the activity cache (marked by policy changes alone), without reading their ledger.\n");
        out.push_str("# TYPE credit_bank_snapshot_cached_evaluations_total counter\n");
        out.push_str(&format!(
            "credit_bank_snapshot_cached_evaluations_total {}\n",
            self.cached_evaluations()
        ));
        let h = match self.batches.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let name = "credit_bank_snapshot_batch_duration_seconds";
        out.push_str(&format!("# HELP {name} Time to evaluate and write one batch of snapshots.\n# TYPE {name} histogram\n"));
        for (i, bound) in BUCKETS.iter().enumerate() {
            out.push_str(&format!(
                "{name}_bucket{{le=\"{bound}\"}} {}\n",
                h.buckets[i]
            ));
        }
        out.push_str(&format!("{name}_bucket{{le=\"+Inf\"}} {}\n", h.count));
        out.push_str(&format!("{name}_sum {}\n{name}_count {}\n", h.sum, h.count));
    }
}
