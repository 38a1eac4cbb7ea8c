//! What a chunk of `importCreditRecords` rows refers to, loaded inside its transaction in a few
//! statements: the teachers the rows name (by id or by number), their current schools, and the
//! records already posted under the rows' keys (see [`super::ledger_chunk`]).

use super::completions::teacher_uuid;
use super::ledger_rows::ImportRow;
use super::sql::one_of;
use crate::error::AppResult;
use domain::error::InputError;
use domain::teacher_number::TeacherNumber;
use entities::{credit_records, schools, teachers};
use sea_orm::{DatabaseTransaction, DbBackend, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// What the chunk's rows refer to, loaded inside its transaction.
pub(super) struct Known {
    by_id: HashMap<Uuid, teachers::Model>,
    by_number: HashMap<String, Uuid>,
    schools: HashMap<Uuid, schools::Model>,
    /// The records already posted under the rows' keys.
    pub(super) posted: HashMap<String, credit_records::Model>,
}

impl Known {
    pub(super) async fn load(
        txn: &DatabaseTransaction,
        backend: DbBackend,
        rows: &[(usize, ImportRow)],
        keys: Vec<String>,
    ) -> AppResult<Self> {
        let ids: Vec<Uuid> = rows
            .iter()
            .filter_map(|(_, r)| r.teacher_id.as_deref().and_then(teacher_uuid))
            .collect();
        let numbers: Vec<String> = rows
            .iter()
            .filter_map(|(_, r)| r.teacher_number.as_deref())
            .filter_map(|n| TeacherNumber::parse(n).ok())
            .map(TeacherNumber::into_string)
            .collect();
        let mut found = Vec::new();
        if !ids.is_empty() {
            let by_id = one_of(backend, teachers::Column::Id, ids);
            found.extend(teachers::Entity::find().filter(by_id).all(txn).await?);
        }
        if !numbers.is_empty() {
            let by_number = one_of(backend, teachers::Column::TeacherNumber, numbers);
            found.extend(teachers::Entity::find().filter(by_number).all(txn).await?);
        }
        let by_number = found
            .iter()
            .filter_map(|t| t.teacher_number.clone().map(|n| (n, t.id)))
            .collect();
        let by_id: HashMap<Uuid, teachers::Model> = found.into_iter().map(|t| (t.id, t)).collect();
        let school_ids: Vec<Uuid> = by_id.values().map(|t| t.school_id).collect();
        let schools = schools::Entity::find()
            .filter(one_of(backend, schools::Column::Id, school_ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let posted = credit_records::Entity::find()
            .filter(one_of(
                backend,
                credit_records::Column::IdempotencyKey,
                keys,
            ))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| (r.idempotency_key.clone(), r))
            .collect();
        Ok(Known {
            by_id,
            by_number,
            schools,
            posted,
        })
    }

    /// The row's teacher and their current school, or the field and problem to reject it on.
    pub(super) fn teacher_of(
        &self,
        r: &ImportRow,
    ) -> Result<(&teachers::Model, &schools::Model), (&'static str, InputError)> {
        let id = match (r.teacher_id.as_deref(), r.teacher_number.as_deref()) {
            (Some(text), _) => teacher_uuid(text).ok_or_else(|| {
                let e = InputError::new("INVALID_ID", "not a teacher id")
                    .with(crate::msg!("completions.not_a_teacher_id"));
                ("teacherId", e)
            })?,
            (None, Some(text)) => {
                let number = TeacherNumber::parse(text).map_err(|e| ("teacherNumber", e))?;
                *self.by_number.get(number.as_str()).ok_or_else(|| {
                    let e = InputError::new("NOT_FOUND", "no teacher has this number").with(
                        crate::msg!(
                            "completions.unknown_teacher_number",
                            number = number.as_str().to_owned()
                        ),
                    );
                    ("teacherNumber", e)
                })?
            }
            (None, None) => {
                let e = InputError::new(InputError::REQUIRED, "name the teacher by id or number")
                    .with(crate::msg!("completions.which_teacher"));
                return Err(("teacherId", e));
            }
        };
        let unknown = || {
            let e = InputError::new("NOT_FOUND", "no such teacher")
                .with(crate::msg!("input.no_such_teacher"));
            (r.teacher_field(), e)
        };
        let teacher = self.by_id.get(&id).ok_or_else(unknown)?;
        let school = self.schools.get(&teacher.school_id).ok_or_else(unknown)?;
        Ok((teacher, school))
    }
}

impl ImportRow {
    /// The column the row names its teacher in.
    pub(super) fn teacher_field(&self) -> &'static str {
        if self.teacher_id.is_some() {
            "teacherId"
        } else {
            "teacherNumber"
        }
    }
}
