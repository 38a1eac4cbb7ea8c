//! Dependency faults: which database errors mean "the database is unreachable" (answered with
//! `UNAVAILABLE`, never `INTERNAL`), and the one log line per incident that replaces a
//! backtrace per request.
//!
//! The counters are process-wide on purpose: an outage is the process's, whichever state or
//! request saw it, and `/metrics` reads them from here.

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// At most one log line per dependency in this long; the rest are counted and summarised.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// A dependency that can fail on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dependency {
    Database,
    Cache,
}

impl Dependency {
    pub fn as_str(self) -> &'static str {
        match self {
            Dependency::Database => "database",
            Dependency::Cache => "cache",
        }
    }
}

/// Whether `err` says the database could not be reached or gave up on us, rather than that
/// our statement was wrong: pool timeouts, closed or broken connections, a server shutting
/// down or refusing connections, a statement cancelled by `statement_timeout`, SQLite busy.
pub fn db_unreachable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => match runtime {
            RuntimeErr::SqlxError(e) => sqlx_unreachable(e),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `err` is the database aborting our transaction to break a deadlock (PostgreSQL
/// 40P01) or a serialization conflict (40001): nothing of it was written, and the same request
/// again normally succeeds. Answered `UNAVAILABLE` (retryable), not `INTERNAL`.
pub fn db_transient(err: &DbErr) -> bool {
    match err {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            sqlx::Error::Database(db) => db.code().is_some_and(|code| transient_code(&code)),
            _ => false,
        },
        _ => false,
    }
}

fn transient_code(code: &str) -> bool {
    matches!(code, "40P01" | "40001")
}

fn sqlx_unreachable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| unreachable_code(&code)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs (class 08 connection exception, 57P01–03 shutting down or starting,
/// 53300 too many connections, 57014 cancelled by `statement_timeout`) and SQLite's
/// SQLITE_BUSY (5, and its extended codes ending in 5 such as 517) after the busy timeout.
fn unreachable_code(code: &str) -> bool {
    code.starts_with("08")
        || matches!(code, "57P01" | "57P02" | "57P03" | "53300" | "57014")
        || code == "5"
        || code == "517"
        || code == "261"
}

#[derive(Default)]
struct Incidents {
    by_dependency: BTreeMap<Dependency, Incident>,
}

#[derive(Default)]
struct Incident {
    last_logged: Option<Instant>,
    suppressed: u64,
}

fn incidents() -> &'static Mutex<Incidents> {
    static INCIDENTS: OnceLock<Mutex<Incidents>> = OnceLock::new();
    INCIDENTS.get_or_init(Default::default)
}

static DATABASE_FAILURES: AtomicU64 = AtomicU64::new(0);
static CACHE_FAILURES: AtomicU64 = AtomicU64::new(0);

/// Counts one failure of `dep` and logs it, unless a line was logged for it in the last ten
/// seconds; the next line says how many were left unlogged in between.
pub fn record(dep: Dependency, cause: &dyn std::fmt::Display) {
    let counter = match dep {
        Dependency::Database => &DATABASE_FAILURES,
        Dependency::Cache => &CACHE_FAILURES,
    };
    counter.fetch_add(1, Ordering::Relaxed);
    let mut guard = match incidents().lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    let incident = guard.by_dependency.entry(dep).or_default();
    let now = Instant::now();
    let due = incident
        .last_logged
        .is_none_or(|at| now.duration_since(at) >= LOG_EVERY);
    if !due {
        incident.suppressed += 1;
        return;
    }
    let suppressed = std::mem::take(&mut incident.suppressed);
    incident.last_logged = Some(now);
    drop(guard);
    tracing::warn!(
        dependency = dep.as_str(),
        error.message = %cause,
        suppressed,
        "dependency unavailable"
    );
}

/// Failures counted so far, for `/metrics`.
pub fn failures(dep: Dependency) -> u64 {
    match dep {
        Dependency::Database => DATABASE_FAILURES.load(Ordering::Relaxed),
        Dependency::Cache => CACHE_FAILURES.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ConnAcquireErr;
    use std::sync::Arc;

    #[test]
    fn pool_and_connection_errors_are_unreachable_and_query_errors_are_not() {
        assert!(db_unreachable(&DbErr::ConnectionAcquire(
            ConnAcquireErr::Timeout
        )));
        let io = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(db_unreachable(&DbErr::Conn(RuntimeErr::SqlxError(
            Arc::new(io)
        ))));
        assert!(!db_unreachable(&DbErr::Query(RuntimeErr::SqlxError(
            Arc::new(sqlx::Error::RowNotFound)
        ))));
        assert!(!db_unreachable(&DbErr::RecordNotFound("x".into())));
        assert!(unreachable_code("08006") && unreachable_code("57P01"));
        assert!(!unreachable_code("23505"));
    }

    /// A database error with a SQLSTATE, as the driver reports one.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl std::fmt::Display for Coded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "error {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            "deadlock detected"
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn coded(code: &'static str) -> DbErr {
        let e = sqlx::Error::Database(Box::new(Coded(code)));
        DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e)))
    }

    #[test]
    fn deadlocks_and_serialization_failures_are_retryable() {
        assert!(db_transient(&coded("40P01")) && db_transient(&coded("40001")));
        assert!(!db_transient(&coded("23505")) && !db_transient(&coded("08006")));
        assert!(!db_unreachable(&coded("40P01")));
        let answered = crate::error::AppError::from(coded("40P01"));
        assert!(matches!(answered, crate::error::AppError::Unavailable));
        let internal = crate::error::AppError::internal(coded("40001"));
        assert!(matches!(internal, crate::error::AppError::Unavailable));
        assert!(matches!(
            crate::error::AppError::from(coded("XX000")),
            crate::error::AppError::Internal(_)
        ));
    }

    #[test]
    fn failures_are_counted_even_when_not_logged() {
        let before = failures(Dependency::Cache);
        for _ in 0..5 {
            record(Dependency::Cache, &"refused");
        }
        assert!(failures(Dependency::Cache) >= before + 5);
    }
}
