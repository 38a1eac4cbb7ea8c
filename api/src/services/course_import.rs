//! `importCourses`: a provider's term of courses from one spreadsheet (CSV or XLSX, English or
//! Chinese headers; the template is `GET /templates/courses.xlsx`). A row is upserted by
//! `(provider, code)`: a DRAFT course with that code is rewritten, a new code creates a DRAFT,
//! a row equal to its draft changes nothing (so importing the same file twice is a no-op that
//! says so), and a course already submitted or published is not touched: its row is rejected.
//! Creation and rewriting go through the catalogue's own `create` and `update`, which also
//! decide who may; the caller must manage the provider before any row is read.

use super::completions::RowError;
use super::course_editing;
use super::course_rows::{self, COLUMNS};
use super::spreadsheet;
use crate::auth::ProviderAccess;
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use domain::catalogue::CourseDraft;
use domain::codes::CourseStatus;
use domain::error::FieldError;
use entities::courses;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Codes looked up per statement: far below SQLite's bind-parameter limit.
const LOOKUP_CHUNK: usize = 500;

#[derive(Debug, Default)]
pub struct CourseImportOutcome {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RowError>,
    /// The courses created or rewritten, in file order.
    pub course_ids: Vec<Uuid>,
}

pub async fn import(
    state: &AppState,
    access: &ProviderAccess,
    content: &[u8],
) -> AppResult<CourseImportOutcome> {
    let provider_id = access.provider.id;
    let mut sheet = spreadsheet::read(content)?;
    let at = spreadsheet::locate(&mut sheet, &COLUMNS);
    course_rows::check_columns(&at)?;

    let mut outcome = CourseImportOutcome::default();
    let mut drafts: Vec<(usize, CourseDraft)> = Vec::new();
    for r in &sheet.rows {
        match course_rows::draft(r, &at) {
            Ok(d) => drafts.push((r.row, d)),
            Err(e) => reject_field(&mut outcome, r.row, e),
        }
    }
    let existing = existing_courses(state, provider_id, &drafts).await?;
    let mut seen = HashSet::new();
    for (row, draft) in drafts {
        if !seen.insert(draft.code.clone()) {
            outcome.rejected.push(RowError {
                row,
                field: "code".into(),
                code: "DUPLICATE_CODE",
                message: crate::i18n::say(&crate::msg!("course_import.duplicate_code")),
            });
            continue;
        }
        let result = match existing.get(&draft.code) {
            Some(course) => {
                let status = rows::course_status(course)?;
                if status != CourseStatus::Draft {
                    outcome.rejected.push(RowError {
                        row,
                        field: "code".into(),
                        code: "NOT_DRAFT",
                        message: crate::i18n::say(&crate::msg!(
                            "course_import.not_draft",
                            status = status
                        )),
                    });
                    continue;
                }
                if rows::course_draft(course)? == draft {
                    outcome.unchanged += 1;
                    continue;
                }
                let edited = async {
                    let course = access.course(course.clone())?;
                    course_editing::update(state, course, provider_id, draft).await
                };
                edited.await.map(|c| (c, false))
            }
            None => course_editing::create(state, access, draft)
                .await
                .map(|c| (c, true)),
        };
        match result {
            Ok((course, created)) => {
                if created {
                    outcome.created += 1;
                } else {
                    outcome.updated += 1;
                }
                outcome.course_ids.push(course.id);
            }
            Err(e) => reject_service(&mut outcome, row, e)?,
        }
    }
    outcome.rejected.sort_by_key(|e| e.row);
    Ok(outcome)
}

/// The courses an import created or rewrote, in its order: the caller manages their provider,
/// which the import checked before writing them.
pub async fn courses(state: &AppState, ids: &[Uuid]) -> AppResult<Vec<courses::Model>> {
    let mut by_id: HashMap<Uuid, courses::Model> = HashMap::new();
    for part in ids.chunks(LOOKUP_CHUNK) {
        let found = courses::Entity::find()
            .filter(courses::Column::Id.is_in(part.to_vec()))
            .all(&state.db)
            .await?;
        by_id.extend(found.into_iter().map(|c| (c.id, c)));
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The provider's courses bearing the file's codes, by code.
async fn existing_courses(
    state: &AppState,
    provider_id: Uuid,
    drafts: &[(usize, CourseDraft)],
) -> AppResult<HashMap<String, courses::Model>> {
    let codes: Vec<String> = drafts
        .iter()
        .map(|(_, d)| d.code.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut out = HashMap::new();
    for part in codes.chunks(LOOKUP_CHUNK) {
        let found = courses::Entity::find()
            .filter(courses::Column::ProviderId.eq(provider_id))
            .filter(courses::Column::Code.is_in(part.to_vec()))
            .all(&state.db)
            .await?;
        out.extend(found.into_iter().map(|c| (c.code.clone(), c)));
    }
    Ok(out)
}

fn reject_field(outcome: &mut CourseImportOutcome, row: usize, e: FieldError) {
    outcome.rejected.push(RowError {
        row,
        field: e.field.to_owned(),
        code: e.error.code,
        message: crate::i18n::say(&crate::i18n::input_text(&e.error)),
    });
}

/// A row the catalogue refused is reported on its row; a failure of the server is not a row's.
fn reject_service(outcome: &mut CourseImportOutcome, row: usize, e: AppError) -> AppResult<()> {
    let (field, code, message) = match e {
        AppError::BadInput {
            field,
            code,
            message,
        } => (
            field.strip_prefix("input.").unwrap_or(&field).to_owned(),
            code,
            message,
        ),
        AppError::Conflict(message) => ("code".to_owned(), "CONFLICT", message),
        other => return Err(other),
    };
    outcome.rejected.push(RowError {
        row,
        field,
        code,
        message: crate::i18n::say(&message),
    });
    Ok(())
}
