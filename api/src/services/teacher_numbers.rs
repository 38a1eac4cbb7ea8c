//! Completion rows that name their teacher by number (教师编号) instead of id: a provider's
//! spreadsheet knows the number, never our UUIDs. Numbers are resolved to ids before posting,
//! one indexed lookup per chunk of rows, so the rows then post exactly like rows sent by id.
//! A row whose number names nobody is rejected on `teacherNumber`, with its own row number.

use super::completions::{IncomingRow, RowError, CHUNK, PG_CHUNK};
use super::sql::one_of;
use crate::error::AppResult;
use crate::state::AppState;
use domain::error::InputError;
use domain::teacher_number::TeacherNumber;
use entities::teachers;
use sea_orm::{DbBackend, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// The rows ready to post (every one naming its teacher by id) and those refused here.
pub async fn resolve(
    state: &AppState,
    rows: Vec<IncomingRow>,
) -> AppResult<(Vec<IncomingRow>, Vec<RowError>)> {
    let backend = state.db.get_database_backend();
    let chunk = if backend == DbBackend::Postgres {
        PG_CHUNK
    } else {
        CHUNK
    };
    let mut ready = Vec::with_capacity(rows.len());
    let mut rejected = Vec::new();
    // Rows by id pass through untouched: a file without numbers costs no query.
    let mut by_number = Vec::new();
    for r in rows {
        if !r.teacher.trim().is_empty() {
            ready.push(r);
            continue;
        }
        let Some(text) = r.teacher_number.as_deref() else {
            rejected.push(refusal(
                r.row,
                "teacherId",
                InputError::new(InputError::REQUIRED, "name the teacher by id or number")
                    .with(crate::msg!("completions.which_teacher")),
            ));
            continue;
        };
        match TeacherNumber::parse(text) {
            Ok(number) => by_number.push((r, number)),
            Err(e) => rejected.push(refusal(r.row, "teacherNumber", e)),
        }
    }
    for part in by_number.chunks(chunk) {
        let numbers: Vec<String> = part.iter().map(|(_, n)| n.as_str().to_owned()).collect();
        let found: HashMap<String, Uuid> = teachers::Entity::find()
            .select_only()
            .column(teachers::Column::Id)
            .column(teachers::Column::TeacherNumber)
            .filter(one_of(backend, teachers::Column::TeacherNumber, numbers))
            .into_tuple::<(Uuid, Option<String>)>()
            .all(&state.db)
            .await?
            .into_iter()
            .filter_map(|(id, number)| number.map(|n| (n, id)))
            .collect();
        for (r, number) in part {
            match found.get(number.as_str()) {
                Some(id) => ready.push(IncomingRow {
                    teacher: id.to_string(),
                    ..r.clone()
                }),
                None => rejected.push(refusal(
                    r.row,
                    "teacherNumber",
                    InputError::new("NOT_FOUND", "no teacher has this number").with(crate::msg!(
                        "completions.unknown_teacher_number",
                        number = number.as_str().to_owned()
                    )),
                )),
            }
        }
    }
    // Posted in the file's order, as if every row had named its teacher by id.
    ready.sort_by_key(|r| r.row);
    Ok((ready, rejected))
}

/// A rejected row, its message in the caller's language.
pub(super) fn refusal(row: usize, field: &str, err: InputError) -> RowError {
    RowError {
        row,
        field: field.to_owned(),
        code: err.code,
        message: crate::i18n::say(&crate::i18n::input_text(&err)),
    }
}
