//! `importCreditRecords` and `credit-bank import-ledger`: a region admin brings the records of an
//! earlier platform (seed 003: 青岛市教师教育信息化管理服务平台) into the ledger. Each row is a claim
//! whose review happened there: its facts are checked like a claim's, it is priced by the same
//! rules as every record (a credits figure in the file must agree, see [`domain::imported`]),
//! and it is posted CERTIFIED with its `source` and `externalId`. One record per
//! `(source, externalId)`: importing the same file again changes nothing and says so
//! (`unchanged`); a row whose record was imported before with other facts is rejected
//! (`CHANGED_SINCE_IMPORT`): the ledger is append-only, corrections are revocations.
//!
//! Records of closed years are accepted: they are the earlier platform's certified history, and
//! importing them is what a region does before its first year closes here.
//!
//! Each chunk of rows is one transaction ([`super::ledger_chunk`]), so a crash leaves whole
//! chunks and running the same file again completes the import.

use super::completions::{RowError, CHUNK, PG_CHUNK};
use super::ledger_rows::{self, ImportRow};
use super::spreadsheet;
use crate::auth::LedgerImportAccess;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::error::InputError;
use domain::imported::SourceName;
use entities::credit_records;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct LedgerImportOutcome {
    /// Rows that posted a new certified record.
    pub created: u64,
    /// Rows whose record this source's import posted before, with the same facts.
    pub unchanged: u64,
    pub rejected: Vec<RowError>,
    /// The records this import posted, in file order.
    pub record_ids: Vec<Uuid>,
}

/// Imports the file's rows as `source`'s records, posted by `recorded_by` (`None`: the system,
/// from the command line).
pub async fn import(
    state: &AppState,
    access: &LedgerImportAccess<'_>,
    recorded_by: Option<Uuid>,
    source: &str,
    content: &[u8],
) -> AppResult<LedgerImportOutcome> {
    let source = SourceName::parse(source).map_err(|e| AppError::bad_input("source", e))?;
    let mut sheet = spreadsheet::read(content)?;
    let columns = ledger_rows::columns();
    let at = spreadsheet::locate(&mut sheet, &columns);
    ledger_rows::check_columns(&at)?;

    let mut outcome = LedgerImportOutcome::default();
    let today = state.clock.today();
    let mut rows: Vec<(usize, ImportRow)> = Vec::with_capacity(sheet.rows.len());
    // A record named twice in one file is a mistake in the file, not a retry.
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for r in &sheet.rows {
        match ledger_rows::read(r, &at, today) {
            Ok(row) => match first_seen.get(row.external.as_str()) {
                Some(first) => refuse(
                    &mut outcome,
                    r.row,
                    "externalId",
                    InputError::new("DUPLICATE_EXTERNAL_ID", "named on an earlier row")
                        .with(crate::msg!("imports.duplicate_external_id", row = *first)),
                ),
                None => {
                    first_seen.insert(row.external.as_str().to_owned(), r.row);
                    rows.push((r.row, row));
                }
            },
            Err(e) => refuse(&mut outcome, r.row, e.field, e.error),
        }
    }
    let by = Importer {
        access,
        source: &source,
        recorded_by,
    };
    for posted in post_chunks(state, &by, rows).await? {
        outcome.created += posted.created;
        outcome.unchanged += posted.unchanged;
        outcome.rejected.extend(posted.rejected);
        outcome.record_ids.extend(posted.record_ids);
    }
    outcome.rejected.sort_by_key(|e| e.row);
    Ok(outcome)
}

/// Posts the rows chunk by chunk, each in its own transaction. On PostgreSQL two chunks are in
/// flight, which keeps both of its cores busy (a file names each record once, so two chunks
/// never insert the same key).
async fn post_chunks(
    state: &AppState,
    by: &Importer<'_>,
    mut rows: Vec<(usize, ImportRow)>,
) -> AppResult<Vec<LedgerImportOutcome>> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let (chunk, in_flight) = match state.db.get_database_backend() {
        DbBackend::Postgres => (PG_CHUNK, 2),
        _ => (CHUNK, 1),
    };
    let mut chunks = Vec::new();
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(chunk));
        chunks.push(rows);
        rows = rest;
    }
    stream::iter(chunks)
        .map(|rows| async move {
            let mut outcome = LedgerImportOutcome::default();
            super::ledger_chunk::post(state, by, rows, &mut outcome).await?;
            Ok::<_, crate::error::AppError>(outcome)
        })
        .buffered(in_flight)
        .try_collect()
        .await
}

/// Who imports, and as which platform's records.
pub(super) struct Importer<'a> {
    pub access: &'a LedgerImportAccess<'a>,
    pub source: &'a SourceName,
    pub recorded_by: Option<Uuid>,
}

/// Adds a rejected row to `outcome`.
pub(super) fn refuse(outcome: &mut LedgerImportOutcome, row: usize, field: &str, err: InputError) {
    outcome
        .rejected
        .push(super::teacher_numbers::refusal(row, field, err));
}

/// The records with `ids` (at most a result's listing), in the order given.
pub async fn records(state: &AppState, ids: &[Uuid]) -> AppResult<Vec<credit_records::Model>> {
    let mut by_id: HashMap<Uuid, credit_records::Model> = credit_records::Entity::find()
        .filter(credit_records::Column::Id.is_in(ids.to_vec()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
