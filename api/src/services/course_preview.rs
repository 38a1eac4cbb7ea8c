//! Course selection that closes the teacher's gap (API.md): what completing a course would add
//! to a teacher's compliance in the current period, and the open courses ranked by it.
//!
//! The teacher is loaded and evaluated once ([`basis`]: records, policy, facts); each course is
//! then priced against that state by the pure `domain::policy::PreviewBasis::price`, so a page
//! of courses with their previews costs one evaluation and a fixed number of statements, however
//! many courses it shows.

use super::compliance;
use super::page::{Cursor, Page, PageRequest, SortKey};
use crate::auth::{TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::codes::{EnrollmentStatus, ParticipationRole};
use domain::policy::{CreditPreview, PreviewBasis};
use entities::{courses, enrollments};
use sea_orm::sea_query::{NullOrdering, Query};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
use std::cmp::Reverse;
use uuid::Uuid;

/// How many open courses [`recommended`] prices at most: the first this many to start (soonest
/// first, unscheduled ones last, then by id). Each is priced in memory (one evaluation of the
/// teacher's records with the course added), so the cap bounds a request's work; the
/// statements do not depend on it.
pub const MAX_CANDIDATES: u64 = 200;

/// The order named in `recommendedCourses` cursors.
const ORDER: &str = "recommended.rank";

/// The teacher's state today under the policy in force for them, evaluated once (the same
/// inputs and authorization as `compliance`: a teacher handle checked for
/// [`TeacherNeed::Compliance`]): what every course is priced against. `NOT_FOUND` when no
/// policy is in force for the teacher's region.
pub async fn basis(
    state: &AppState,
    access: &TeacherAccess,
    today: NaiveDate,
) -> AppResult<PreviewBasis> {
    let inputs = compliance::inputs(state, access, today).await?;
    // A completion posts once per course, teacher and role: a course already on the record as
    // a trainee (revoked or not) cannot be completed again.
    let trainee = ParticipationRole::Trainee.as_str();
    let recorded: Vec<Uuid> = inputs
        .rows
        .iter()
        .filter(|r| r.role == trainee)
        .filter_map(|r| r.course_id)
        .collect();
    let teacher = inputs.subject.facts_on(&inputs.policy.document, today);
    let basis = PreviewBasis::new(
        inputs.policy.document,
        today,
        inputs.subject.activities,
        inputs.subject.allowances,
        teacher,
        recorded,
    );
    state.metrics.teacher_evaluation();
    Ok(basis)
}

/// What completing `course` would add to the teacher's compliance (see [`basis`]).
pub fn preview(basis: &PreviewBasis, course: &courses::Model) -> AppResult<CreditPreview> {
    Ok(basis.price(&rows::course_offer(course)?))
}

/// Open courses (PUBLISHED, enrolment window including `today`) the teacher may enrol in — not
/// those it holds, waits for or finished a place in, nor any already on its record — ranked by
/// how much of the teacher's current shortfall each would close, then by start date (unscheduled
/// last), then by id. At most [`MAX_CANDIDATES`] courses are ranked.
///
/// A cursor holds the course's rank position and id: the next page continues after that course
/// in the ranking as it stands, or after that position if the course has left the list (the
/// teacher enrolled meanwhile), so paging does not repeat courses while the ranking is stable.
///
/// For a teacher handle checked for [`TeacherNeed::Compliance`], as [`basis`].
pub async fn recommended(
    state: &AppState,
    access: &TeacherAccess,
    basis: &PreviewBasis,
    today: NaiveDate,
    page: &PageRequest,
) -> AppResult<Page<courses::Model>> {
    access.checked_for(TeacherNeed::Compliance)?;
    let teacher_id = access.teacher.id;
    let placed = Query::select()
        .column(enrollments::Column::CourseId)
        .from(enrollments::Entity)
        .and_where(enrollments::Column::TeacherId.eq(teacher_id))
        .and_where(enrollments::Column::Status.ne(EnrollmentStatus::Withdrawn.as_str()))
        .to_owned();
    let candidates = courses::Entity::find()
        .filter(super::catalogue_list::open_for_enrollment(today))
        .filter(courses::Column::Id.not_in_subquery(placed))
        .order_by_with_nulls(courses::Column::StartsOn, Order::Asc, NullOrdering::Last)
        .order_by_asc(courses::Column::Id)
        .limit(MAX_CANDIDATES)
        .all(&state.db)
        .await?;
    let mut ranked = Vec::with_capacity(candidates.len());
    for course in candidates {
        if basis.has_recorded(course.id) {
            continue;
        }
        let closes = preview(basis, &course)?.closes();
        ranked.push((closes, course));
    }
    ranked.sort_by_key(|(closes, c)| (Reverse(*closes), c.starts_on.is_none(), c.starts_on, c.id));
    let start = match &page.after {
        None => 0,
        Some(cursor) => resume_at(cursor, &ranked)?,
    };
    let total = ranked.len() as u64;
    let end = start.saturating_add(page.first as usize).min(ranked.len());
    let has_next = end < ranked.len();
    let items = ranked
        .into_iter()
        .enumerate()
        .skip(start)
        .take(end.saturating_sub(start))
        .map(|(position, (_, course))| {
            let cursor = Cursor {
                order: ORDER.to_owned(),
                key: SortKey::Int(position as i64),
                id: course.id,
            };
            (cursor, course)
        })
        .collect();
    Ok(Page {
        items,
        has_next,
        total,
    })
}

/// The position after the cursor's course in `ranked`, or after the cursor's position when the
/// course is no longer ranked.
fn resume_at(cursor: &Cursor, ranked: &[(Amount, courses::Model)]) -> AppResult<usize> {
    let SortKey::Int(position) = cursor.key else {
        return Err(bad_cursor());
    };
    if cursor.order != ORDER || position < 0 {
        return Err(bad_cursor());
    }
    Ok(match ranked.iter().position(|(_, c)| c.id == cursor.id) {
        Some(i) => i + 1,
        None => usize::try_from(position)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
    }
    .min(ranked.len()))
}

fn bad_cursor() -> AppError {
    AppError::invalid(
        "after",
        "INVALID_CURSOR",
        crate::msg!("page.invalid_cursor"),
    )
}
