//! `/readyz`: answers within a second, whatever the dependencies do, and says how each one is.
//!
//! The database is pinged with a short timeout (a stopped PostgreSQL must not make the probe
//! itself time out); the cache reports the health its background probe keeps, without a round
//! trip. A degraded cache (Redis down, this instance on its own memory) still serves, so it
//! answers 200: taking every replica out of rotation because Redis blinked would turn a cache
//! outage into a full one. A database that does not answer is 503.

use crate::cache::CacheStatus;
use crate::faults::{self, Dependency};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;
use std::time::{Duration, Instant};

/// The longest the database ping may take; the rest of the second is headroom.
const DATABASE_CHECK: Duration = Duration::from_millis(500);

pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let started = Instant::now();
    let database = crate::db::ping_within(&state.db, DATABASE_CHECK).await;
    let database_ms = started.elapsed().as_millis();
    if let Err(e) = &database {
        faults::record(Dependency::Database, e);
    }
    let cache = state.cache.status();
    let status = match (database.is_ok(), cache) {
        (false, _) => "down",
        (true, CacheStatus::Degraded) => "degraded",
        (true, CacheStatus::Ok) => "ok",
    };
    let body = json!({
        "status": status,
        "database": {
            "backend": crate::db::backend_name(&state.db),
            "status": if database.is_ok() { "ok" } else { "down" },
            "ok": database.is_ok(),
            "checkMs": database_ms,
        },
        "cache": {
            "backend": state.cache.backend(),
            "status": match cache { CacheStatus::Ok => "ok", CacheStatus::Degraded => "degraded" },
            "ok": cache == CacheStatus::Ok,
        },
    });
    if database.is_ok() {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header((
                "Retry-After",
                state.settings.faults.retry_after_secs().to_string(),
            ))
            .json(body)
    }
}

/// Dependency lines for `/metrics`: whether each is up on this instance, and failures so far.
pub fn metrics(state: &AppState) -> String {
    let cache_up = u8::from(state.cache.status() == CacheStatus::Ok);
    let mut out = String::new();
    out.push_str("# HELP credit_bank_dependency_failures_total Failed calls to a dependency (database unreachable, Redis down or slow).\n");
    out.push_str("# TYPE credit_bank_dependency_failures_total counter\n");
    for dep in [Dependency::Database, Dependency::Cache] {
        out.push_str(&format!(
            "credit_bank_dependency_failures_total{{dependency=\"{}\"}} {}\n",
            dep.as_str(),
            faults::failures(dep)
        ));
    }
    out.push_str("# HELP credit_bank_cache_degraded Whether this instance works from its own memory because Redis is unreachable (1) or not (0).\n");
    out.push_str("# TYPE credit_bank_cache_degraded gauge\n");
    out.push_str(&format!("credit_bank_cache_degraded {}\n", 1 - cache_up));
    out
}
