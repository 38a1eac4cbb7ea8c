//! The command line's imports, as the system: `credit-bank import-completions` (a provider's
//! results, the path of `importCompletions`) and `credit-bank import-ledger` (an earlier
//! platform's records, the path of `importCreditRecords`; the system reaches every teacher and
//! region). Every row is checked and priced as through the API.

use crate::auth::{Guard, OperatorTask, Permit, Principal};
use crate::error::AppError;
use crate::ids;
use crate::services::completions::RowError;
use crate::services::{catalogue, completions, csv_import, ledger_import};
use crate::state::AppState;
use anyhow::Context;
use domain::amount::Amount;
use domain::scope::Scope;
use std::path::Path;
use std::time::Instant;

/// Imports `file` as completions of `course` (a UUID or a global id) and describes the outcome,
/// one rejected row per line.
pub async fn import_completions(
    state: &AppState,
    course: &str,
    file: &Path,
) -> anyhow::Result<String> {
    let course_id = uuid::Uuid::parse_str(course.trim())
        .ok()
        .or_else(|| ids::decode("course", ids::Kind::Course, course.trim()).ok())
        .context("--course must be a course id")?;
    let content =
        std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let (course, _, _) = catalogue::locate(&state.db, course_id)
        .await
        .map_err(AppError::for_operator)?;
    completions::ensure_approved(&course).map_err(AppError::for_operator)?;
    let rows = csv_import::parse(&content, Amount::from_e4(course.hours_e4))
        .map_err(AppError::for_operator)?;
    let started = Instant::now();
    let outcome = completions::record(
        state,
        &Permit::for_operator(OperatorTask::ImportCompletions),
        &course,
        rows,
        None,
        state.clock.today(),
    )
    .await
    .map_err(AppError::for_operator)?;
    Ok(described(
        [
            ("accepted", outcome.accepted),
            ("duplicates", outcome.duplicates),
        ],
        &outcome.rejected,
        started,
        "line",
    ))
}

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
    let started = Instant::now();
    let access = guard.ledger_import().map_err(AppError::for_operator)?;
    let outcome = ledger_import::import(state, &access, None, source, &content)
        .await
        .map_err(AppError::for_operator)?;
    Ok(described(
        [
            ("created", outcome.created),
            ("unchanged", outcome.unchanged),
        ],
        &outcome.rejected,
        started,
        "row",
    ))
}

/// `accepted 3 · duplicates 0 · rejected 1 · 0.02 s (150 rows/s)`, then a line per rejected
/// row (`row_word` as the file's own word for it). The rate counts the rows taken in.
fn described(
    counts: [(&str, u64); 2],
    rejected: &[RowError],
    started: Instant,
    row_word: &str,
) -> String {
    let secs = started.elapsed().as_secs_f64();
    let [(first, a), (second, b)] = counts;
    let mut out = format!(
        "{first} {a} · {second} {b} · rejected {} · {secs:.2} s ({:.0} rows/s)",
        rejected.len(),
        (a + b) as f64 / secs.max(1e-9)
    );
    for r in rejected {
        out.push_str(&format!(
            "\n{row_word} {}: {} {}: {}",
            r.row, r.field, r.code, r.message
        ));
    }
    out
}
