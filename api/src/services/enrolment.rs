//! Course selection (自主选学): enrolment, waitlist and withdrawal. Capacity is never exceeded:
//! every change to a course's seats first takes a write lock on the course row, so concurrent
//! enrolments in one course queue behind each other on SQLite and PostgreSQL alike.

use super::catalogue::{self, status_of};
use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::{PlaceAccess, PlaceNeed, TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{NaiveDate, Utc};
use domain::catalogue::{decide_enrollment, EnrollDecision, EnrollmentWindow};
use domain::codes::EnrollmentStatus;
use domain::scope::Resource;
use entities::{courses, enrollments};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select,
};
use std::str::FromStr;
use uuid::Uuid;

/// The id of the teacher a place handle is about.
fn teacher_of(access: &PlaceAccess) -> AppResult<Uuid> {
    match access.teacher {
        Resource::Teacher { id, .. } => Ok(id),
        _ => Err(AppError::internal(anyhow::anyhow!(
            "a place handle without a teacher"
        ))),
    }
}

/// Takes the course row's write lock for the rest of the transaction.
async fn lock_course(txn: &DatabaseTransaction, course_id: Uuid) -> AppResult<()> {
    courses::Entity::update_many()
        .col_expr(
            courses::Column::UpdatedAt,
            Expr::col(courses::Column::UpdatedAt),
        )
        .filter(courses::Column::Id.eq(course_id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn seats_taken(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<u64> {
    Ok(enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course_id))
        .filter(enrollments::Column::Status.eq(EnrollmentStatus::Enrolled.as_str()))
        .count(db)
        .await?)
}

/// A new place (or the waitlist) for a handle checked for [`PlaceNeed::Take`].
pub async fn enroll(
    state: &AppState,
    access: PlaceAccess,
    today: NaiveDate,
) -> AppResult<enrollments::Model> {
    access.checked_for(PlaceNeed::Take)?;
    let course_id = access.course.id;
    let teacher_id = teacher_of(&access)?;
    let txn = super::sql::begin_write(&state.db).await?;
    lock_course(&txn, course_id).await?;
    let course = courses::Entity::find_by_id(course_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("course"))?;
    let window = EnrollmentWindow {
        status: status_of(&course)?,
        capacity: course.capacity.and_then(|c| u32::try_from(c).ok()),
        opens_on: course.enrollment_opens_on,
        closes_on: course.enrollment_closes_on,
    };
    let decision = decide_enrollment(&window, today, seats_taken(&txn, course_id).await?)
        .map_err(|refusal| AppError::Conflict(refusal.text()))?;
    let status = match decision {
        EnrollDecision::Enrolled => EnrollmentStatus::Enrolled,
        EnrollDecision::Waitlisted => EnrollmentStatus::Waitlisted,
    };
    let now = state.clock.now();
    let existing = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course_id))
        .filter(enrollments::Column::TeacherId.eq(teacher_id))
        .one(&txn)
        .await?;
    let model = match existing {
        Some(e) if e.status != EnrollmentStatus::Withdrawn.as_str() => {
            return Err(AppError::Conflict(crate::msg!(
                "enrolment.already_in_course",
                status = crate::i18n::Arg::Enum("EnrollmentStatus", e.status.clone())
            )));
        }
        // Coming back after withdrawing reuses the row: one teacher, one place per course.
        Some(e) => {
            let mut m = e;
            m.status = status.as_str().to_owned();
            m.enrolled_by = Some(access.actor);
            m.enrolled_at = now;
            m.updated_at = now;
            enrollments::Entity::update(enrollments::ActiveModel::from(m.clone()).reset_all())
                .exec(&txn)
                .await?;
            m
        }
        None => {
            let m = enrollments::Model {
                id: Uuid::now_v7(),
                course_id,
                teacher_id,
                status: status.as_str().to_owned(),
                enrolled_by: Some(access.actor),
                enrolled_at: now,
                updated_at: now,
            };
            enrollments::Entity::insert(enrollments::ActiveModel::from(m.clone()))
                .exec_without_returning(&txn)
                .await
                .map_err(|e| AppError::db(e, crate::msg!("enrolment.already_enrolled")))?;
            m
        }
    };
    super::outbox::enrollments(&txn, state, &[model.id]).await?;
    txn.commit().await?;
    // Seat counts are public catalogue data.
    state.responses.changed(&state.cache).await;
    Ok(model)
}

/// Frees the place of a handle checked for [`PlaceNeed::Withdraw`]; if it held a seat, the
/// longest-waiting teacher moves up.
pub async fn withdraw(state: &AppState, access: PlaceAccess) -> AppResult<enrollments::Model> {
    access.checked_for(PlaceNeed::Withdraw)?;
    let Some(enrollment) = &access.enrollment else {
        return Err(AppError::internal(anyhow::anyhow!(
            "a place handle without its place"
        )));
    };
    let enrollment_id = enrollment.id;
    let txn = super::sql::begin_write(&state.db).await?;
    lock_course(&txn, enrollment.course_id).await?;
    let current = enrollments::Entity::find_by_id(enrollment_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("enrolment"))?;
    let was = EnrollmentStatus::from_str(&current.status).map_err(AppError::corrupt)?;
    if !matches!(
        was,
        EnrollmentStatus::Enrolled | EnrollmentStatus::Waitlisted
    ) {
        return Err(AppError::Conflict(crate::msg!(
            "enrolment.cannot_withdraw",
            status = was
        )));
    }
    let now = state.clock.now();
    set_status(&txn, enrollment_id, EnrollmentStatus::Withdrawn, now).await?;
    if was == EnrollmentStatus::Enrolled {
        let next = enrollments::Entity::find()
            .filter(enrollments::Column::CourseId.eq(current.course_id))
            .filter(enrollments::Column::Status.eq(EnrollmentStatus::Waitlisted.as_str()))
            .order_by_asc(enrollments::Column::EnrolledAt)
            .order_by_asc(enrollments::Column::Id)
            .one(&txn)
            .await?;
        if let Some(next) = next {
            set_status(&txn, next.id, EnrollmentStatus::Enrolled, now).await?;
            super::outbox::enrollments(&txn, state, &[next.id]).await?;
        }
    }
    super::outbox::enrollments(&txn, state, &[enrollment_id]).await?;
    txn.commit().await?;
    // Seat counts are public catalogue data.
    state.responses.changed(&state.cache).await;
    enrollments::Entity::find_by_id(enrollment_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("enrolment"))
}

async fn set_status(
    txn: &DatabaseTransaction,
    id: Uuid,
    status: EnrollmentStatus,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    enrollments::Entity::update(enrollments::ActiveModel {
        id: Set(id),
        status: Set(status.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    Ok(())
}

/// Enrolment counts per course, for a page of courses in one statement.
pub async fn counts(
    db: &impl ConnectionTrait,
    course_ids: &[Uuid],
) -> AppResult<Vec<(Uuid, String, i64)>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(Uuid, String, i64)> = enrollments::Entity::find()
        .select_only()
        .column(enrollments::Column::CourseId)
        .column(enrollments::Column::Status)
        .column_as(enrollments::Column::Id.count(), "n")
        .filter(enrollments::Column::CourseId.is_in(course_ids.to_vec()))
        .group_by(enrollments::Column::CourseId)
        .group_by(enrollments::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// The teacher's places the caller may read, for a teacher handle checked for
/// [`TeacherNeed::Places`]: whoever may read the teacher, a provider only the places in its own
/// courses (not where else the teacher studies).
fn readable_places(access: &TeacherAccess) -> AppResult<Select<enrollments::Entity>> {
    access.checked_for(TeacherNeed::Places)?;
    let base =
        enrollments::Entity::find().filter(enrollments::Column::TeacherId.eq(access.teacher.id));
    Ok(match access.only_courses_of {
        Some(provider) => {
            base.filter(enrollments::Column::CourseId.in_subquery(catalogue::courses_of(provider)))
        }
        None => base,
    })
}

/// A teacher's enrolments in the order the places were taken (a place taken again after a
/// withdrawal counts from then), for whoever may read the teacher.
pub async fn of_teacher(
    state: &AppState,
    access: &TeacherAccess,
    status: Option<EnrollmentStatus>,
    page: &PageRequest,
) -> AppResult<Page<enrollments::Model>> {
    use sea_orm::QuerySelect;
    let mut base = readable_places(access)?;
    if let Some(s) = status {
        base = base.filter(enrollments::Column::Status.eq(s.as_str()));
    }
    let total = base.clone().count(&state.db).await?;
    let sort = Sort::oldest_first("enrollments.enrolled", enrollments::Column::EnrolledAt);
    let rows = sort
        .apply(base, enrollments::Column::Id, page.after.as_ref())?
        .limit(page.first + 1)
        .all(&state.db)
        .await?;
    Ok(page_of(rows, page, total, |e| {
        sort.cursor(SortKey::Time(e.enrolled_at), e.id)
    }))
}
