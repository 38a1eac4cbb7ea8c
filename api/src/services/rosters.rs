//! `Course.enrollments`: a course's roster, so a provider can report completions for teachers
//! who enrolled themselves. For whoever manages the course's provider (its admins, the region
//! admins over its region, the system); every place listed is in this course, so a provider
//! never sees another provider's places through it.

use super::page::{fetch_page, Page, PageRequest, Sort, SortKey};
use crate::auth::{CourseAccess, CourseNeed};
use crate::error::AppResult;
use crate::state::AppState;
use domain::codes::EnrollmentStatus;
use entities::enrollments;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The course's places, in `status` if given, earliest enrolment first.
pub async fn roster(
    state: &AppState,
    access: &CourseAccess,
    status: Option<EnrollmentStatus>,
    page: &PageRequest,
) -> AppResult<Page<enrollments::Model>> {
    let course = &access.checked_for(CourseNeed::Roster)?.course;
    let mut base = enrollments::Entity::find().filter(enrollments::Column::CourseId.eq(course.id));
    if let Some(s) = status {
        base = base.filter(enrollments::Column::Status.eq(s.as_str()));
    }
    let sort = Sort::oldest_first("enrollments.enrolled", enrollments::Column::EnrolledAt);
    fetch_page(&state.db, base, &sort, enrollments::Column::Id, page, |e| {
        (SortKey::Time(e.enrolled_at), e.id)
    })
    .await
}
