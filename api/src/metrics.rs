//! Prometheus counters, rendered as text at /metrics. Small and dependency-free: a few labelled
//! counters and one latency histogram are all operators need from this service.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
    /// Counted on every statement, so kept outside the lock.
    db_statements: Arc<AtomicU64>,
    /// One teacher's ledger loaded and evaluated under their policy (a compliance report, or
    /// the basis course previews are priced against).
    teacher_evaluations: Arc<AtomicU64>,
    /// The compliance snapshot worker's figures.
    pub snapshots: crate::snapshots::SnapshotMetrics,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    operations: BTreeMap<&'static str, u64>,
    errors: BTreeMap<&'static str, u64>,
    response_cache: BTreeMap<&'static str, u64>,
    /// Webhook attempts by outcome: succeeded, retrying, failed (given up).
    webhook_deliveries: BTreeMap<&'static str, u64>,
    latency_buckets: [u64; BUCKETS.len()],
    latency_count: u64,
    latency_sum: f64,
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Inner)) {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard);
    }

    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        self.with(|m| {
            *m.requests.entry((route.to_owned(), status)).or_default() += 1;
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    m.latency_buckets[i] += 1;
                }
            }
            m.latency_count += 1;
            m.latency_sum += secs;
        });
    }

    pub fn operation(&self, kind: &'static str) {
        self.with(|m| *m.operations.entry(kind).or_default() += 1);
    }

    pub fn error(&self, code: &'static str) {
        self.with(|m| *m.errors.entry(code).or_default() += 1);
    }

    pub fn db_statement(&self) {
        self.db_statements.fetch_add(1, Ordering::Relaxed);
    }

    pub fn db_statements(&self) -> u64 {
        self.db_statements.load(Ordering::Relaxed)
    }

    /// A public answer looked up in the response cache: served from it (`hit`) or computed.
    pub fn response_cache(&self, hit: bool) {
        let outcome = if hit { "hit" } else { "miss" };
        self.with(|m| *m.response_cache.entry(outcome).or_default() += 1);
    }

    /// One webhook attempt recorded, by what became of its delivery.
    pub fn webhook_delivery(&self, outcome: &'static str) {
        self.with(|m| *m.webhook_deliveries.entry(outcome).or_default() += 1);
    }

    pub fn teacher_evaluation(&self) {
        self.teacher_evaluations.fetch_add(1, Ordering::Relaxed);
    }

    pub fn teacher_evaluations(&self) -> u64 {
        self.teacher_evaluations.load(Ordering::Relaxed)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP credit_bank_db_statements_total SQL statements sent to the database.\n",
        );
        out.push_str("# TYPE credit_bank_db_statements_total counter\n");
        out.push_str(&format!(
            "credit_bank_db_statements_total {}\n",
            self.db_statements()
        ));
        out.push_str(
            "# HELP credit_bank_teacher_evaluations_total Teachers' ledgers loaded and evaluated for compliance reports and course previews.\n",
        );
        out.push_str("# TYPE credit_bank_teacher_evaluations_total counter\n");
        out.push_str(&format!(
            "credit_bank_teacher_evaluations_total {}\n",
            self.teacher_evaluations()
        ));
        self.snapshots.render(&mut out);
        self.with(|m| {
            out.push_str("# HELP credit_bank_http_requests_total HTTP requests by route and status.\n");
            out.push_str("# TYPE credit_bank_http_requests_total counter\n");
            for ((route, status), n) in &m.requests {
                out.push_str(&format!("credit_bank_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n"));
            }
            out.push_str("# HELP credit_bank_graphql_operations_total GraphQL operations by type.\n");
            out.push_str("# TYPE credit_bank_graphql_operations_total counter\n");
            for (kind, n) in &m.operations {
                out.push_str(&format!("credit_bank_graphql_operations_total{{type=\"{kind}\"}} {n}\n"));
            }
            out.push_str("# HELP credit_bank_graphql_errors_total GraphQL errors by code.\n");
            out.push_str("# TYPE credit_bank_graphql_errors_total counter\n");
            for (code, n) in &m.errors {
                out.push_str(&format!("credit_bank_graphql_errors_total{{code=\"{code}\"}} {n}\n"));
            }
            out.push_str("# HELP credit_bank_response_cache_lookups_total Anonymous public reads looked up in the response cache, by outcome.\n");
            out.push_str("# TYPE credit_bank_response_cache_lookups_total counter\n");
            for (outcome, n) in &m.response_cache {
                out.push_str(&format!("credit_bank_response_cache_lookups_total{{outcome=\"{outcome}\"}} {n}\n"));
            }
            out.push_str("# HELP credit_bank_webhook_attempts_total Webhook delivery attempts, by what became of the delivery (succeeded, retrying, failed: given up).\n");
            out.push_str("# TYPE credit_bank_webhook_attempts_total counter\n");
            for (outcome, n) in &m.webhook_deliveries {
                out.push_str(&format!("credit_bank_webhook_attempts_total{{outcome=\"{outcome}\"}} {n}\n"));
            }
            out.push_str("# HELP credit_bank_http_request_duration_seconds HTTP request latency.\n");
            out.push_str("# TYPE credit_bank_http_request_duration_seconds histogram\n");
            for (i, bound) in BUCKETS.iter().enumerate() {
                out.push_str(&format!(
                    "credit_bank_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}\n",
                    m.latency_buckets[i]
                ));
            }
            out.push_str(&format!(
                "credit_bank_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n",
                m.latency_count
            ));
            out.push_str(&format!("credit_bank_http_request_duration_seconds_sum {}\n", m.latency_sum));
            out.push_str(&format!("credit_bank_http_request_duration_seconds_count {}\n", m.latency_count));
        });
        out
    }
}
