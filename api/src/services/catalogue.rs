//! The course catalogue: finding a course and its provider, and who sees it. Listing is in
//! `catalogue_list`, writes (create, update, the approval lifecycle) in `course_editing`.

use crate::auth::access_provider::sees_unpublished;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use domain::codes::CourseStatus;
use domain::scope::Resource;
use entities::{course_reviews, courses, providers};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Teachers (and anonymous visitors) see only what a region admin approved.
pub(super) const PUBLIC_STATUSES: [CourseStatus; 2] =
    [CourseStatus::Published, CourseStatus::Closed];

pub async fn provider_resource(
    db: &impl ConnectionTrait,
    provider_id: Uuid,
) -> AppResult<Option<(providers::Model, Resource)>> {
    let Some(p) = providers::Entity::find_by_id(provider_id).one(db).await? else {
        return Ok(None);
    };
    let resource = Resource::Provider {
        id: p.id,
        region: rows::region(&p.region_code)?,
    };
    Ok(Some((p, resource)))
}

/// A course and the resource of its provider, for the gate.
pub async fn locate(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<(courses::Model, providers::Model, Resource)> {
    let course = courses::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("course"))?;
    let (provider, resource) = provider_resource(db, course.provider_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("course {id} has no provider")))?;
    Ok((course, provider, resource))
}

/// A course's review decisions, oldest first, for those who manage its provider; others get none.
pub async fn reviews(
    state: &AppState,
    viewer: Option<&Principal>,
    course: &courses::Model,
) -> AppResult<Vec<course_reviews::Model>> {
    let Some((provider, _)) = provider_resource(&state.db, course.provider_id).await? else {
        return Ok(Vec::new());
    };
    if !sees_unpublished(viewer, &provider, &state.regions, state.clock.today()) {
        return Ok(Vec::new());
    }
    Ok(course_reviews::Entity::find()
        .filter(course_reviews::Column::CourseId.eq(course.id))
        .order_by_asc(course_reviews::Column::At)
        .order_by_asc(course_reviews::Column::Id)
        .all(&state.db)
        .await?)
}

pub async fn get(
    state: &AppState,
    viewer: Option<&Principal>,
    id: Uuid,
) -> AppResult<Option<courses::Model>> {
    let (course, provider, _) = match locate(&state.db, id).await {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(visible(state, viewer, &course, &provider)?.then_some(course))
}

/// Whether the viewer sees the course: anyone once it is approved, before that only whoever
/// manages its provider.
pub fn visible(
    state: &AppState,
    viewer: Option<&Principal>,
    course: &courses::Model,
    provider: &providers::Model,
) -> AppResult<bool> {
    let public = PUBLIC_STATUSES.contains(&rows::course_status(course)?);
    Ok(public || sees_unpublished(viewer, provider, &state.regions, state.clock.today()))
}

/// `SELECT id FROM courses WHERE provider_id = …`: what a provider's view is narrowed to.
pub fn courses_of(provider: Uuid) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(courses::Column::Id)
        .from(courses::Entity)
        .and_where(courses::Column::ProviderId.eq(provider))
        .to_owned()
}

/// Kept under its old name for `enrolment.rs`, which is being edited elsewhere; new code uses
/// [`rows::course_status`].
pub use crate::rows::course_status as status_of;
