//! Tracing setup. Logging policy (also in the README):
//! - fields are dotted and stable (`request_id`, `error.message`, `db.backend`), messages are short;
//! - an error is logged once, where it is turned into a response, never on every layer it passes;
//! - personal data is never logged: no names, usernames, passwords, tokens or record facts — ids only.

use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Installs the global subscriber. `json` gives one JSON object per line (for production log
/// shippers); otherwise a compact human format. Safe to call more than once (tests): later calls are ignored.
pub fn init(json: bool) {
    init_with_default(json, "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn");
}

/// As [`init`], with another filter when `RUST_LOG` is unset (tests default to warnings only).
pub fn init_with_default(json: bool, default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init()
    } else {
        registry.with(fmt::layer().compact()).try_init()
    };
    // Already initialised (a second server in the same test process) is not an error.
    drop(result);
}
