//! `credit-bank import-ledger`: an earlier platform's records brought into the ledger from the
//! command line, as the system (the same path as `importCreditRecords`, every row checked and
//! priced alike; the system reaches every teacher and region).

use crate::auth::{Guard, Principal};
use crate::error::AppError;
use crate::services::ledger_import;
use crate::state::AppState;
use anyhow::Context;
use domain::scope::Scope;
use std::path::Path;

/// Imports `file` as `source`'s records and describes the outcome, one rejected row per line.
pub async fn import_ledger(state: &AppState, source: &str, file: &Path) -> anyhow::Result<String> {
    let content =
        std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let system = Principal {
        account_id: uuid::Uuid::nil(),
        username: "system".to_owned(),
        scope: Scope::System,
        loaded: None,
    };
    let guard = Guard::new(&system, &state.regions, state.clock.today());
    let started = std::time::Instant::now();
    let outcome = ledger_import::import(state, &guard, None, source, &content)
        .await
        .map_err(AppError::for_operator)?;
    let secs = started.elapsed().as_secs_f64();
    let mut out = format!(
        "created {} · unchanged {} · rejected {} · {:.2} s ({:.0} rows/s)",
        outcome.created,
        outcome.unchanged,
        outcome.rejected.len(),
        secs,
        (outcome.created + outcome.unchanged) as f64 / secs.max(1e-9)
    );
    for r in &outcome.rejected {
        out.push_str(&format!(
            "\nrow {}: {} {}: {}",
            r.row, r.field, r.code, r.message
        ));
    }
    Ok(out)
}
