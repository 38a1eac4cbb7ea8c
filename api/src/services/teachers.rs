//! Finding teachers, reading many at once or a school's roster, and moving one to another
//! school (one teacher is read through `Guard::teacher`).

use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::{Guard, Permit, TransferAccess};
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::scope::{Action, Resource};
use entities::{schools, teachers};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// Where a teacher sits, read before anything else about them so the gate can decide: the
/// teacher and its school in one statement (the gate's own join); `None` when there is none.
pub async fn locate_teacher(state: &AppState, id: Uuid) -> AppResult<Option<Resource>> {
    let found = crate::auth::target::teacher_with_school(&state.db, id).await?;
    Ok(found.map(|(_, school, region)| Resource::Teacher {
        id,
        school: school.id,
        region,
    }))
}

/// [`locate_teacher`] for a teacher that must exist: NOT_FOUND otherwise.
pub async fn teacher_resource(state: &AppState, id: Uuid) -> AppResult<Resource> {
    locate_teacher(state, id)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))
}

/// The teachers among `ids` the caller may read, in two statements (teachers, then their
/// schools) however many there are; the rules are those of `Guard::teacher` with
/// [`TeacherNeed::Read`](crate::auth::TeacherNeed::Read), and only a caller the
/// plain scope rules refuse (a provider, a university) costs a further check per teacher.
/// Teachers the caller may not read are left out, as if absent.
pub async fn readable_teachers(
    state: &AppState,
    guard: &Guard<'_>,
    ids: &[Uuid],
) -> AppResult<std::collections::HashMap<Uuid, teachers::Model>> {
    let rows = teachers::Entity::find()
        .filter(teachers::Column::Id.is_in(ids.to_vec()))
        .all(&state.db)
        .await?;
    let school_ids: Vec<Uuid> = rows.iter().map(|t| t.school_id).collect();
    let schools: std::collections::HashMap<Uuid, schools::Model> = schools::Entity::find()
        .filter(schools::Column::Id.is_in(school_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut out = std::collections::HashMap::new();
    for teacher in rows {
        let Some(school) = schools.get(&teacher.school_id) else {
            continue;
        };
        let resource = Resource::Teacher {
            id: teacher.id,
            school: school.id,
            region: rows::region(&school.region_code)?,
        };
        match guard.read_teacher(&state.db, &resource).await {
            Ok(_permit) => {
                out.insert(teacher.id, teacher);
            }
            Err(AppError::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

pub async fn load_teacher(
    state: &AppState,
    _permit: &Permit,
    id: Uuid,
) -> AppResult<teachers::Model> {
    teachers::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))
}

/// The teachers of a school, oldest record first, for its school admin and the region admins
/// above it.
pub async fn school_teachers(
    state: &AppState,
    guard: &Guard<'_>,
    school: &schools::Model,
    page: &PageRequest,
) -> AppResult<Page<teachers::Model>> {
    // The roster is readable by whoever may read any teacher of the school: a teacher-scoped
    // caller fails here because the nil id is never theirs.
    let roster = Resource::Teacher {
        id: Uuid::nil(),
        school: school.id,
        region: rows::region(&school.region_code)?,
    };
    let _permit = guard.require(Action::Read, &roster)?;
    let base = teachers::Entity::find().filter(teachers::Column::SchoolId.eq(school.id));
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
