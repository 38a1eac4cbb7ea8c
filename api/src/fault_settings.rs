//! Settings that decide how the server behaves when a dependency blinks or a client sends an
//! expensive document (README "Faults"). Kept apart from `config` so that file stays about the
//! deployment; read from the same environment.

use crate::config::var;
use anyhow::Context;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct FaultSettings {
    /// How long a request waits for a pooled database connection (`DB_ACQUIRE_TIMEOUT_MS`)
    /// before it fails with `UNAVAILABLE`: a stopped database must not hold every request.
    pub db_acquire_timeout: Duration,
    /// PostgreSQL `statement_timeout` (`DB_STATEMENT_TIMEOUT_MS`; zero: none), so a runaway
    /// query cannot hold a connection for ever.
    pub db_statement_timeout: Duration,
    /// How long one Redis command may take (`REDIS_TIMEOUT_MS`) before the instance falls back
    /// to its own memory.
    pub redis_timeout: Duration,
    /// What `Retry-After` says on a 503.
    pub retry_after: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    /// A GraphQL document longer than this is refused before it is parsed (`MAX_QUERY_BYTES`).
    pub max_bytes: usize,
    /// A document of more lexical tokens than this is refused before it is parsed
    /// (`MAX_QUERY_TOKENS`): it bounds what the parser and validator are asked to do.
    pub max_tokens: usize,
    /// A parsed document writing more field selections than this is refused before it is
    /// validated (`MAX_QUERY_FIELDS`): `{ __typename __typename … }` costs nothing in
    /// complexity but validation compares every pair of them.
    pub max_fields: usize,
    /// `complianceStatistics(fresh: true)` calls allowed per account within `fresh_window`.
    pub fresh_statistics: u64,
    pub fresh_window: Duration,
}

impl Default for FaultSettings {
    fn default() -> Self {
        FaultSettings {
            db_acquire_timeout: Duration::from_millis(2_000),
            db_statement_timeout: Duration::from_secs(15),
            redis_timeout: Duration::from_millis(250),
            retry_after: Duration::from_secs(2),
        }
    }
}

impl Default for DocumentLimits {
    fn default() -> Self {
        DocumentLimits {
            max_bytes: 32 * 1024,
            // GraphiQL's introspection query is about 330 tokens; real pages stay far below.
            max_tokens: 5_000,
            // GraphiQL's introspection query writes under 100 fields; a portal page a few dozen.
            max_fields: 300,
            fresh_statistics: 5,
            fresh_window: Duration::from_secs(10 * 60),
        }
    }
}

impl FaultSettings {
    pub fn from_env() -> anyhow::Result<Self> {
        let mut s = FaultSettings::default();
        if let Some(ms) = millis("DB_ACQUIRE_TIMEOUT_MS")? {
            // Zero would fail every request; a tenth of a second is the least that works.
            s.db_acquire_timeout = ms.max(Duration::from_millis(100));
        }
        if let Some(ms) = millis("DB_STATEMENT_TIMEOUT_MS")? {
            s.db_statement_timeout = ms;
        }
        if let Some(ms) = millis("REDIS_TIMEOUT_MS")? {
            s.redis_timeout = ms.max(Duration::from_millis(10));
        }
        Ok(s)
    }

    /// `Retry-After` in whole seconds (at least one).
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs().max(1)
    }
}

impl DocumentLimits {
    pub fn from_env() -> anyhow::Result<Self> {
        let mut s = DocumentLimits::default();
        if let Some(v) = var("MAX_QUERY_BYTES") {
            s.max_bytes = v
                .parse()
                .context("MAX_QUERY_BYTES must be a whole number")?;
        }
        if let Some(v) = var("MAX_QUERY_TOKENS") {
            s.max_tokens = v
                .parse()
                .context("MAX_QUERY_TOKENS must be a whole number")?;
        }
        if let Some(v) = var("MAX_QUERY_FIELDS") {
            s.max_fields = v
                .parse()
                .context("MAX_QUERY_FIELDS must be a whole number")?;
        }
        if let Some(v) = var("FRESH_STATISTICS_PER_10_MINUTES") {
            s.fresh_statistics = v
                .parse()
                .context("FRESH_STATISTICS_PER_10_MINUTES must be a whole number")?;
        }
        Ok(s)
    }
}

fn millis(name: &str) -> anyhow::Result<Option<Duration>> {
    match var(name) {
        None => Ok(None),
        Some(v) => {
            let ms: u64 = v
                .parse()
                .with_context(|| format!("{name} must be a whole number of milliseconds"))?;
            Ok(Some(Duration::from_millis(ms)))
        }
    }
}
