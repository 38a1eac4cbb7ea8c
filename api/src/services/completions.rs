//! Completions reported by providers become credit records ("who organises, registers").
//! Rows are idempotent (one record per course, teacher and role, guarded by the ledger's unique
//! idempotency key); bad rows are reported and the good ones still post; each chunk of rows is one
//! transaction, so a crash leaves whole chunks and re-running the same file completes it
//! ([`super::completion_chunk`] posts one chunk).

use super::catalogue;
use crate::auth::{CourseAccess, CourseNeed, Permit};
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::CourseStatus;
use domain::completion::CompletionFacts;
use domain::error::{FieldError, InputError};
use entities::courses;
use sea_orm::DbBackend;
use uuid::Uuid;

/// Rows per transaction on SQLite: small enough for its bind-parameter limit (a multi-row insert
/// binds one parameter per cell).
pub const CHUNK: usize = 500;
/// Rows per transaction on PostgreSQL, where lookups and the insert bind one array per column.
pub const PG_CHUNK: usize = 5000;

/// One reported row: its number (1-based, as the caller counts), the teacher as sent, and its
/// parsed facts or the first problem found in them.
#[derive(Clone)]
pub struct IncomingRow {
    pub row: usize,
    pub teacher: String,
    /// The teacher's number (教师编号), used when `teacher` is empty; see [`super::teacher_numbers`].
    pub teacher_number: Option<String>,
    pub facts: Result<CompletionFacts, FieldError>,
}

#[derive(Debug, Clone)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub accepted: u64,
    pub duplicates: u64,
    pub rejected: Vec<RowError>,
    pub record_ids: Vec<Uuid>,
}

/// The course of a handle checked for [`CourseNeed::ReportCompletions`] (whoever manages its
/// provider), if it is approved, with the permit to record its completions.
pub fn authorize(access: CourseAccess) -> AppResult<(courses::Model, Permit)> {
    access.checked_for(CourseNeed::ReportCompletions)?;
    ensure_approved(&access.course)?;
    Ok((access.course, access.permit))
}

pub fn ensure_approved(course: &courses::Model) -> AppResult<()> {
    let status = rows::course_status(course)?;
    if !matches!(status, CourseStatus::Published | CourseStatus::Closed) {
        return Err(AppError::Conflict(crate::msg!(
            "completions.not_approved",
            status = status
        )));
    }
    Ok(())
}

pub async fn record(
    state: &AppState,
    _permit: &Permit,
    course: &courses::Model,
    rows: Vec<IncomingRow>,
    recorded_by: Option<Uuid>,
    today: NaiveDate,
) -> AppResult<BatchOutcome> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let postgres = state.db.get_database_backend() == DbBackend::Postgres;
    let chunk = if postgres { PG_CHUNK } else { CHUNK };
    let mut chunks = Vec::new();
    let (mut rows, by_number_rejected) = super::teacher_numbers::resolve(state, rows).await?;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(chunk));
        chunks.push(rows);
        rows = rest;
    }
    // PostgreSQL does most of an import's work on the server, per row (indexes, foreign keys):
    // two chunks in flight keep both of its cores busy. Each chunk is still one transaction; one
    // that fails (two chunks of a file that repeats rows can deadlock on each other) is retried
    // on its own, which is safe because its transaction left nothing behind.
    let in_flight = if postgres { 2 } else { 1 };
    let (_, provider) = catalogue::provider_resource(&state.db, course.provider_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a course without its provider")))?;
    let provider = &provider;
    let outcomes: Vec<BatchOutcome> = stream::iter(chunks)
        .map(|rows| async move {
            let mut outcome = BatchOutcome::default();
            match super::completion_chunk::record_chunk(
                state,
                course,
                provider,
                rows.clone(),
                recorded_by,
                today,
                &mut outcome,
            )
            .await
            {
                Ok(()) => Ok(outcome),
                // A deadlock between the two chunks is answered UNAVAILABLE (retryable).
                Err(e @ (AppError::Internal(_) | AppError::Unavailable)) if in_flight > 1 => {
                    tracing::warn!(error.message = %e, "an import chunk failed; retrying it alone");
                    let mut outcome = BatchOutcome::default();
                    super::completion_chunk::record_chunk(
                        state,
                        course,
                        provider,
                        rows,
                        recorded_by,
                        today,
                        &mut outcome,
                    )
                    .await?;
                    Ok(outcome)
                }
                Err(e) => Err(e),
            }
        })
        .buffered(in_flight)
        .try_collect()
        .await?;
    let mut total = BatchOutcome {
        rejected: by_number_rejected,
        ..Default::default()
    };
    for o in outcomes {
        total.accepted += o.accepted;
        total.duplicates += o.duplicates;
        total.rejected.extend(o.rejected);
        total.record_ids.extend(o.record_ids);
    }
    total.rejected.sort_by_key(|e| e.row);
    Ok(total)
}

pub(super) fn reject(outcome: &mut BatchOutcome, row: usize, field: &str, err: InputError) {
    outcome.rejected.push(RowError {
        row,
        field: field.to_owned(),
        code: err.code,
        message: crate::i18n::say(&crate::i18n::input_text(&err)),
    });
}

/// A teacher reference: a global id (`Teacher:…` in base64) or a bare UUID.
pub fn teacher_uuid(text: &str) -> Option<Uuid> {
    let text = text.trim();
    Uuid::parse_str(text)
        .ok()
        .or_else(|| crate::ids::decode("teacherId", crate::ids::Kind::Teacher, text).ok())
}
