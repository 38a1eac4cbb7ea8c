//! Completions reported by providers become credit records ("who organises, registers").
//! Rows are idempotent (one record per course, teacher and role, guarded by the ledger's unique
//! idempotency key); bad rows are reported and the good ones still post; each chunk of rows is one
//! transaction, so a crash leaves whole chunks and re-running the same file completes it.

use super::catalogue::{self, status_of};
use super::compliance::activity_of;
use super::policies::{self, StoredPolicy};
use super::sql::{insert_array_rows, one_of};
use crate::auth::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{
    ActivityKind, CourseStatus, CreditStatus, EnrollmentStatus, ParticipationRole,
};
use domain::completion::{completion_key, CompletionFacts};
use domain::credit_rule::{CreditFacts, DefaultRule};
use domain::error::{FieldError, InputError};
use domain::region::RegionCode;
use domain::scope::{provider_reaches, Action, Resource};
use entities::{courses, credit_records, enrollments, schools, teachers};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DbBackend, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
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

/// Checks that the caller may report completions for the course and that the course is approved.
pub async fn authorize(
    state: &AppState,
    guard: &Guard<'_>,
    course_id: Uuid,
) -> AppResult<(courses::Model, Permit)> {
    let (course, _, provider) = catalogue::locate(&state.db, course_id).await?;
    let permit = guard.require(Action::Manage, &provider)?;
    ensure_approved(&course)?;
    Ok((course, permit))
}

pub fn ensure_approved(course: &courses::Model) -> AppResult<()> {
    let status = status_of(course)?;
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
            match record_chunk(
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
                Err(AppError::Internal(e)) if in_flight > 1 => {
                    tracing::warn!(error.message = %e, "an import chunk failed; retrying it alone");
                    let mut outcome = BatchOutcome::default();
                    record_chunk(
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

fn reject(outcome: &mut BatchOutcome, row: usize, field: &str, err: InputError) {
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

async fn record_chunk(
    state: &AppState,
    course: &courses::Model,
    provider: &Resource,
    rows: Vec<IncomingRow>,
    recorded_by: Option<Uuid>,
    today: NaiveDate,
    outcome: &mut BatchOutcome,
) -> AppResult<()> {
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
    if parsed.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = parsed
        .iter()
        .map(|(_, t, _)| *t)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let backend = state.db.get_database_backend();
    let txn = super::sql::begin_write(&state.db).await?;
    let teachers: HashMap<Uuid, teachers::Model> = teachers::Entity::find()
        .filter(one_of(backend, teachers::Column::Id, ids.clone()))
        .all(&txn)
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
    let schools: HashMap<Uuid, schools::Model> = schools::Entity::find()
        .filter(one_of(backend, schools::Column::Id, school_ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let enrolled: HashMap<Uuid, enrollments::Model> = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course.id))
        .filter(one_of(backend, enrollments::Column::TeacherId, ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| (e.teacher_id, e))
        .collect();
    let keys: Vec<String> = parsed
        .iter()
        .map(|(_, t, f)| completion_key(course.id, *t, f.role))
        .collect();
    // PostgreSQL learns which rows were new from the insert itself (RETURNING); SQLite asks first.
    let mut seen: HashSet<String> = match backend {
        DbBackend::Postgres => HashSet::new(),
        _ => credit_records::Entity::find()
            .filter(one_of(
                backend,
                credit_records::Column::IdempotencyKey,
                keys.clone(),
            ))
            .all(&txn)
            .await?
            .into_iter()
            .map(|r| r.idempotency_key)
            .collect(),
    };

    let now = state.clock.now();
    let earned_on = course.ends_on.unwrap_or(today);
    let course_kind = ActivityKind::from_str(&course.kind).map_err(AppError::corrupt)?;
    // Credits are computed under the policy in force where and when the course was earned.
    let mut policy_of: HashMap<String, Option<StoredPolicy>> = HashMap::new();
    for school in schools.values() {
        if !policy_of.contains_key(&school.region_code) {
            let code = RegionCode::from_str(&school.region_code).map_err(AppError::corrupt)?;
            let policy = policies::effective(state, &code, earned_on).await?;
            policy_of.insert(school.region_code.clone(), policy);
        }
    }
    let mut records = Vec::new();
    let mut chunk_ids = Vec::new();
    let (mut completed, mut failed) = (Vec::new(), Vec::new());
    for ((row, teacher_id, facts), key) in parsed.into_iter().zip(keys) {
        let Some(teacher) = teachers.get(&teacher_id) else {
            reject(
                outcome,
                row,
                "teacherId",
                InputError::new("NOT_FOUND", "no such teacher")
                    .with(crate::msg!("input.no_such_teacher")),
            );
            continue;
        };
        let Some(school) = schools.get(&teacher.school_id) else {
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
                region: RegionCode::from_str(&school.region_code).map_err(AppError::corrupt)?,
            };
            if !provider_reaches(provider, &teacher_resource, &state.regions) {
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
                continue;
            }
        }
        if !seen.insert(key.clone()) {
            outcome.duplicates += 1;
            continue;
        }
        if facts.role == ParticipationRole::Trainee {
            let place = enrolled.get(&teacher_id).map(|e| e.status.as_str());
            let active = [
                EnrollmentStatus::Enrolled,
                EnrollmentStatus::Completed,
                EnrollmentStatus::Failed,
            ]
            .map(|s| s.as_str());
            if !place.is_some_and(|p| active.contains(&p)) {
                reject(
                    outcome,
                    row,
                    "teacherId",
                    InputError::new("NOT_ENROLLED", "the teacher holds no seat in this course")
                        .with(crate::msg!("completions.not_enrolled")),
                );
                seen.remove(&key);
                continue;
            }
            if let Some(e) = enrolled.get(&teacher_id) {
                if facts.passed {
                    completed.push(e.id)
                } else {
                    failed.push(e.id)
                }
            }
        }
        let id = Uuid::now_v7();
        records.push(credit_records::Model {
            id,
            teacher_id,
            school_id: school.id,
            region_code: school.region_code.clone(),
            kind: kind_for(course_kind, facts.role).as_str().to_owned(),
            title: course.title.clone(),
            course_id: Some(course.id),
            level: Some(course.level.clone()),
            modality: Some(course.modality.clone()),
            category: Some(course.category.clone()),
            compulsory: Some(course.compulsory),
            role: facts.role.as_str().to_owned(),
            hours_e4: Some(course.hours_e4),
            attended_hours_e4: Some(facts.attended_hours.to_e4()),
            taught_hours_e4: facts.taught_hours.map(|h| h.to_e4()),
            days: None,
            months: None,
            words: None,
            prize: None,
            passed: Some(facts.passed),
            score_e4: facts.score.map(|s| s.to_e4()),
            earned_on,
            policy_key: None,
            credits_e4: 0,
            status: CreditStatus::Certified.as_str().to_owned(),
            next_step: None,
            idempotency_key: key,
            reversal_of: None,
            reason: None,
            created_by: recorded_by,
            created_at: now,
            updated_at: now,
        });
        if let Some(record) = records.last_mut() {
            price(
                record,
                policy_of.get(&school.region_code).and_then(Option::as_ref),
            )?;
        }
        chunk_ids.push(id);
    }
    let attempted = records.len() as u64;
    if attempted > 0 {
        // A concurrent import of the same rows loses the race quietly: the unique key keeps one.
        let inserted = match backend {
            DbBackend::Postgres => {
                insert_array_rows::<credit_records::Entity>(
                    &txn,
                    &records,
                    credit_records::Column::IdempotencyKey,
                )
                .await?
            }
            _ => {
                credit_records::Entity::insert_many(
                    records.into_iter().map(credit_records::ActiveModel::from),
                )
                .on_conflict(
                    OnConflict::column(credit_records::Column::IdempotencyKey)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
                // Checked beforehand inside this transaction: every row was new.
                chunk_ids
            }
        };
        let inserted_count = inserted.len() as u64;
        outcome.record_ids.extend(inserted);
        outcome.accepted += inserted_count;
        outcome.duplicates += attempted - inserted_count.min(attempted);
    }
    for (ids, status) in [
        (completed, EnrollmentStatus::Completed),
        (failed, EnrollmentStatus::Failed),
    ] {
        if !ids.is_empty() {
            enrollments::Entity::update_many()
                .set(enrollments::ActiveModel {
                    status: Set(status.as_str().to_owned()),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .filter(one_of(backend, enrollments::Column::Id, ids))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    // Completed places leave the public seat counts.
    state.responses.changed(&state.cache).await;
    Ok(())
}

/// Sets a new record's credits and policy key: the policy's posted credits, or the default
/// "1 hour = 1 credit" rule where no policy is in force.
fn price(record: &mut credit_records::Model, policy: Option<&StoredPolicy>) -> AppResult<()> {
    let activity = activity_of(record)?;
    let (credits, key) = match policy {
        Some(p) => (p.document.posted_credits(&activity).credits, p.key.clone()),
        None => (
            DefaultRule.credits(&CreditFacts {
                kind: activity.kind,
                level: activity.level,
                modality: activity.modality,
                role: activity.role,
                hours: activity.hours,
                attended_hours: activity.attended_hours,
                taught_hours: activity.taught_hours,
                passed: activity.passed,
            }),
            DefaultRule::KEY.to_owned(),
        ),
    };
    record.credits_e4 = credits.to_e4();
    record.policy_key = Some(key);
    Ok(())
}

/// The record's kind: the course's programme kind for its trainees; `TEACHING` for its
/// instructors except where the kind's own rules price the presenter (see
/// [`domain::completion::record_kind`], which explains the choice).
fn kind_for(course_kind: ActivityKind, role: ParticipationRole) -> ActivityKind {
    domain::completion::record_kind(course_kind, role)
}
