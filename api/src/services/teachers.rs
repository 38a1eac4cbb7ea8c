//! A school's roster, and moving a teacher to another school. One teacher is read through
//! `Guard::teacher`, many at once through `Guard::readable_teachers`.

use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::{SchoolAccess, TransferAccess};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use entities::teachers;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// The teachers of a school, oldest record first, for its school admin and the region admins
/// above it.
pub async fn school_teachers(
    state: &AppState,
    access: &SchoolAccess,
    page: &PageRequest,
) -> AppResult<Page<teachers::Model>> {
    let base = teachers::Entity::find().filter(teachers::Column::SchoolId.eq(access.school));
    let total = base.clone().count(&state.db).await?;
    let sort = Sort::oldest_first("teachers.created", teachers::Column::CreatedAt);
    let rows = sort
        .apply(base, teachers::Column::Id, page.after.as_ref())?
        .limit(page.first + 1)
        .all(&state.db)
        .await?;
    Ok(page_of(rows, page, total, |t| {
        sort.cursor(SortKey::Time(t.created_at), t.id)
    }))
}

/// Moves a teacher to another school from `on`, for a [`TransferAccess`] (the caller administers
/// the teacher both where they are and where they go: a region admin over both schools, or the
/// system). The ledger is untouched: every record keeps the school and region where it was
/// earned, and the teacher's file follows them.
pub async fn transfer_teacher(
    state: &AppState,
    access: &TransferAccess,
    on: NaiveDate,
) -> AppResult<teachers::Model> {
    let teacher_id = access.teacher.id;
    let (from_school, destination) = (access.from.id, &access.destination);
    if from_school == destination.id {
        return Err(AppError::Conflict(crate::msg!(
            "organisation.already_at_school"
        )));
    }
    let now = state.clock.now();
    let txn = super::sql::begin_write(&state.db).await?;
    teachers::Entity::update(teachers::ActiveModel {
        id: sea_orm::ActiveValue::Set(teacher_id),
        school_id: sea_orm::ActiveValue::Set(destination.id),
        updated_at: sea_orm::ActiveValue::Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    entities::teacher_transfers::Entity::insert(entities::teacher_transfers::ActiveModel::from(
        entities::teacher_transfers::Model {
            id: Uuid::now_v7(),
            teacher_id,
            from_school_id: from_school,
            to_school_id: destination.id,
            effective_on: on,
            recorded_by: Some(access.actor),
            recorded_at: now,
        },
    ))
    .exec_without_returning(&txn)
    .await?;
    super::snapshot_marks::teachers(&txn, [teacher_id]).await?;
    txn.commit().await?;
    teachers::Entity::find_by_id(teacher_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))
}
