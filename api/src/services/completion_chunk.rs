//! One chunk of completion rows, one transaction: the rows' teacher references are read, the
//! teachers, their schools, places and already-posted keys are loaded at once, each row is
//! admitted or rejected, the admitted ones are priced and appended (announced on commit), and
//! the trainees' places become COMPLETED or FAILED. See [`super::completions`] for the whole
//! import.

use super::completion_records::{policies_by_region, Places, Posting};
use super::completions::{reject, teacher_uuid, BatchOutcome, IncomingRow};
use super::posting::{self, OnDuplicate};
use super::sql::one_of;
use crate::auth::access_course::vouches_for_instructor;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{ActivityKind, EnrollmentStatus, ParticipationRole};
use domain::completion::{completion_key, CompletionFacts};
use domain::error::InputError;
use domain::scope::Resource;
use entities::{courses, credit_records, enrollments, schools, teachers};
use sea_orm::{ColumnTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A row whose teacher reference and facts parsed: its number, the teacher, the facts.
type Parsed = (usize, Uuid, CompletionFacts);

/// Posts one chunk of rows in one transaction, adding what happened to `outcome`.
pub(super) async fn record_chunk(
    state: &AppState,
    course: &courses::Model,
    provider: &Resource,
    rows: Vec<IncomingRow>,
    recorded_by: Option<Uuid>,
    today: NaiveDate,
    outcome: &mut BatchOutcome,
) -> AppResult<()> {
    let parsed = parse(rows, outcome);
    if parsed.is_empty() {
        return Ok(());
    }
    let backend = state.db.get_database_backend();
    let txn = super::sql::begin_write(&state.db).await?;
    let mut known = Known::load(&txn, backend, course, &parsed).await?;
    let earned_on = course.ends_on.unwrap_or(today);
    let policy_of = policies_by_region(state, &known.schools, earned_on).await?;
    let post = Posting {
        course,
        course_kind: crate::rows::code::<ActivityKind>(&course.kind)?,
        earned_on,
        now: state.clock.now(),
        recorded_by,
    };
    let mut records = Vec::new();
    let mut places = Places::default();
    let keys = std::mem::take(&mut known.keys);
    for (parsed, key) in parsed.into_iter().zip(keys) {
        let Some(school) = known.admit(state, provider, &parsed, &key, outcome)? else {
            continue;
        };
        let (_, teacher_id, facts) = parsed;
        if facts.role == ParticipationRole::Trainee {
            // Admitted, so the trainee holds a place: the completion judges it.
            if let Some(e) = known.enrolled.get(&teacher_id) {
                places.settle(e.id, facts.passed);
            }
        }
        let mut record = post.record(teacher_id, &school, &facts, key);
        posting::price(
            &mut record,
            policy_of.get(&school.region_code).and_then(Option::as_ref),
        )?;
        records.push(record);
    }
    let attempted = records.len() as u64;
    // Keys already on the ledger were left out above (SQLite) or are skipped by the insert.
    let appended = posting::append(&txn, records, OnDuplicate::Skip).await?;
    let inserted = appended.ids();
    let inserted_count = inserted.len() as u64;
    outcome.record_ids.extend(inserted);
    outcome.accepted += inserted_count;
    outcome.duplicates += attempted - inserted_count.min(attempted);
    let settled = places.save(&txn, backend, post.now).await?;
    super::outbox::enrollments(&txn, state, &settled).await?;
    appended.commit(state, txn).await?;
    // Completed places leave the public seat counts.
    state.responses.changed(&state.cache).await;
    Ok(())
}

/// The rows whose teacher reference and facts parse; the others are rejected into `outcome`.
fn parse(rows: Vec<IncomingRow>, outcome: &mut BatchOutcome) -> Vec<Parsed> {
    let mut parsed = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(teacher) = teacher_uuid(&r.teacher) else {
            reject(
                outcome,
                r.row,
                "teacherId",
                InputError::new("INVALID_ID", "not a teacher id")
                    .with(crate::msg!("completions.not_a_teacher_id")),
            );
            continue;
        };
        match r.facts {
            Ok(facts) => parsed.push((r.row, teacher, facts)),
            Err(e) => reject(outcome, r.row, e.field, e.error),
        }
    }
    parsed
}

/// What the chunk's rows refer to, loaded inside its transaction in a few statements.
struct Known {
    teachers: HashMap<Uuid, teachers::Model>,
    schools: HashMap<Uuid, schools::Model>,
    enrolled: HashMap<Uuid, enrollments::Model>,
    /// Each row's idempotency key, row by row.
    keys: Vec<String>,
    /// Keys on the ledger or taken by an earlier row of this chunk.
    seen: HashSet<String>,
}

impl Known {
    async fn load(
        txn: &DatabaseTransaction,
        backend: DbBackend,
        course: &courses::Model,
        parsed: &[Parsed],
    ) -> AppResult<Self> {
        let ids: Vec<Uuid> = parsed
            .iter()
            .map(|(_, t, _)| *t)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let teachers: HashMap<Uuid, teachers::Model> = teachers::Entity::find()
            .filter(one_of(backend, teachers::Column::Id, ids.clone()))
            .all(txn)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let school_ids: Vec<Uuid> = teachers
            .values()
            .map(|t| t.school_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let schools = schools::Entity::find()
            .filter(one_of(backend, schools::Column::Id, school_ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let enrolled = enrollments::Entity::find()
            .filter(enrollments::Column::CourseId.eq(course.id))
            .filter(one_of(backend, enrollments::Column::TeacherId, ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|e| (e.teacher_id, e))
            .collect();
        let keys: Vec<String> = parsed
            .iter()
            .map(|(_, t, f)| completion_key(course.id, *t, f.role))
            .collect();
        // PostgreSQL learns which rows were new from the insert itself (RETURNING); SQLite asks first.
        let seen = match backend {
            DbBackend::Postgres => HashSet::new(),
            _ => credit_records::Entity::find()
                .filter(one_of(
                    backend,
                    credit_records::Column::IdempotencyKey,
                    keys.clone(),
                ))
                .all(txn)
                .await?
                .into_iter()
                .map(|r| r.idempotency_key)
                .collect(),
        };
        Ok(Known {
            teachers,
            schools,
            enrolled,
            keys,
            seen,
        })
    }

    /// Whether the teacher holds a place that may complete (enrolled, or already judged).
    fn holds_place(&self, teacher: Uuid) -> bool {
        let place = self.enrolled.get(&teacher).map(|e| e.status.as_str());
        let active = [
            EnrollmentStatus::Enrolled,
            EnrollmentStatus::Completed,
            EnrollmentStatus::Failed,
        ]
        .map(|s| s.as_str());
        place.is_some_and(|p| active.contains(&p))
    }

    /// The teacher's school if the row may post; otherwise the row is counted as a duplicate
    /// or rejected into `outcome`, and `None`.
    fn admit(
        &mut self,
        state: &AppState,
        provider: &Resource,
        (row, teacher_id, facts): &Parsed,
        key: &str,
        outcome: &mut BatchOutcome,
    ) -> AppResult<Option<schools::Model>> {
        let (row, teacher_id) = (*row, *teacher_id);
        let Some(teacher) = self.teachers.get(&teacher_id) else {
            reject(
                outcome,
                row,
                "teacherId",
                InputError::new("NOT_FOUND", "no such teacher")
                    .with(crate::msg!("input.no_such_teacher")),
            );
            return Ok(None);
        };
        let Some(school) = self.schools.get(&teacher.school_id).cloned() else {
            return Err(AppError::internal(anyhow::anyhow!(
                "teacher {teacher_id} has no school"
            )));
        };
        if facts.role == ParticipationRole::Instructor {
            // No enrolment ties an instructor to the course: the provider vouches only for
            // teachers in its own region; others claim their teaching through their school.
            let teacher_resource = Resource::Teacher {
                id: teacher_id,
                school: school.id,
                region: crate::rows::region(&school.region_code)?,
            };
            if !vouches_for_instructor(provider, &teacher_resource, &state.regions) {
                reject(
                    outcome,
                    row,
                    "teacherId",
                    InputError::new(
                        "NOT_IN_PROVIDER_REGION",
                        "an instructor's school must be in the provider's region; others claim their teaching credits",
                    )
                    .with(crate::msg!("completions.instructor_region")),
                );
                return Ok(None);
            }
        }
        if !self.seen.insert(key.to_owned()) {
            outcome.duplicates += 1;
            return Ok(None);
        }
        if facts.role == ParticipationRole::Trainee && !self.holds_place(teacher_id) {
            reject(
                outcome,
                row,
                "teacherId",
                InputError::new("NOT_ENROLLED", "the teacher holds no seat in this course")
                    .with(crate::msg!("completions.not_enrolled")),
            );
            self.seen.remove(key);
            return Ok(None);
        }
        Ok(Some(school))
    }
}
