//! Universities: their courses, transfer mappings, and the access teachers grant them.

use super::organisation::find_university;
use crate::auth::{OwnTeacherAccess, TeacherDeed, UniversityAccess, UniversityNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::codes::{CategoryKey, Modality, TrainingLevel};
use domain::transfer::Mapping;
use entities::{access_grants, transfer_mappings, university_courses};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::str::FromStr;
use uuid::Uuid;

/// Adds a course to a university the caller manages ([`UniversityNeed::Manage`]).
pub async fn create_course(
    state: &AppState,
    access: &UniversityAccess,
    code: &str,
    title: &str,
    academic_credits: Amount,
) -> AppResult<university_courses::Model> {
    let university = access.checked_for(UniversityNeed::Manage)?.university.id;
    let (code, title) = (code.trim(), title.trim());
    if code.is_empty() || code.chars().count() > 40 {
        return Err(AppError::invalid(
            "input.code",
            "OUT_OF_RANGE",
            crate::msg!("input.chars_between", min = 1, max = 40),
        ));
    }
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid(
            "input.title",
            "OUT_OF_RANGE",
            crate::msg!("input.chars_between", min = 1, max = 200),
        ));
    }
    if academic_credits <= Amount::ZERO {
        return Err(AppError::invalid(
            "input.academicCredits",
            "OUT_OF_RANGE",
            crate::msg!("input.positive"),
        ));
    }
    let row = university_courses::Model {
        id: Uuid::now_v7(),
        university_id: university,
        code: code.to_owned(),
        title: title.to_owned(),
        academic_credits_e4: academic_credits.to_e4(),
        created_at: state.clock.now(),
    };
    university_courses::Entity::insert(university_courses::ActiveModel::from(row.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("universities.duplicate_course_code")))?;
    Ok(row)
}

pub struct MappingRow {
    pub row: transfer_mappings::Model,
    pub course: university_courses::Model,
}

pub fn mapping_of(row: &transfer_mappings::Model) -> AppResult<Mapping> {
    let categories: Vec<String> =
        serde_json::from_str(&row.categories).map_err(AppError::corrupt)?;
    let modalities: Vec<String> =
        serde_json::from_str(&row.modalities).map_err(AppError::corrupt)?;
    Ok(Mapping {
        categories: categories
            .iter()
            .map(|c| CategoryKey::parse(c))
            .collect::<Result<_, _>>()
            .map_err(AppError::corrupt)?,
        min_level: row
            .min_level
            .as_deref()
            .map(TrainingLevel::from_str)
            .transpose()
            .map_err(AppError::corrupt)?,
        modalities: modalities
            .iter()
            .map(|m| Modality::from_str(m))
            .collect::<Result<_, _>>()
            .map_err(AppError::corrupt)?,
        min_hours: row.min_hours_e4.map(Amount::from_e4),
        within_years: row.within_years,
        academic_credits: Amount::from_e4(row.academic_credits_e4),
    })
}

/// Adds a transfer mapping to the course the handle was reached through
/// ([`Guard::university_course`](crate::auth::Guard::university_course)).
pub async fn create_mapping(
    state: &AppState,
    access: &UniversityAccess,
    mapping: Mapping,
) -> AppResult<MappingRow> {
    let course = access
        .checked_for(UniversityNeed::Manage)?
        .course
        .clone()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a mapping needs its course")))?;
    mapping
        .validate()
        .map_err(|e| AppError::bad_input(e.field, e.error))?;
    let row = transfer_mappings::Model {
        id: Uuid::now_v7(),
        university_course_id: course.id,
        categories: serde_json::to_string(
            &mapping
                .categories
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
        )
        .map_err(AppError::internal)?,
        min_level: mapping.min_level.map(|l| l.as_str().to_owned()),
        modalities: serde_json::to_string(
            &mapping
                .modalities
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>(),
        )
        .map_err(AppError::internal)?,
        min_hours_e4: mapping.min_hours.map(|h| h.to_e4()),
        within_years: mapping.within_years,
        academic_credits_e4: mapping.academic_credits.to_e4(),
        created_by: Some(access.actor),
        created_at: state.clock.now(),
    };
    transfer_mappings::Entity::insert(transfer_mappings::ActiveModel::from(row.clone()))
        .exec_without_returning(&state.db)
        .await?;
    Ok(MappingRow { row, course })
}

/// Published mappings are public rules: any signed-in caller lists them, oldest first.
pub async fn mappings(state: &AppState, university: Option<Uuid>) -> AppResult<Vec<MappingRow>> {
    let mut courses = university_courses::Entity::find();
    if let Some(u) = university {
        courses = courses.filter(university_courses::Column::UniversityId.eq(u));
    }
    let courses = courses.all(&state.db).await?;
    let rows = transfer_mappings::Entity::find()
        .filter(transfer_mappings::Column::UniversityCourseId.is_in(courses.iter().map(|c| c.id)))
        .order_by_asc(transfer_mappings::Column::CreatedAt)
        .order_by_asc(transfer_mappings::Column::Id)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let course = courses
                .iter()
                .find(|c| c.id == row.university_course_id)?
                .clone();
            Some(MappingRow { row, course })
        })
        .collect())
}

/// A university's course: public catalogue data, like the mappings that grant it.
pub async fn course(state: &AppState, id: Uuid) -> AppResult<university_courses::Model> {
    university_courses::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("university course"))
}

pub async fn mapping(state: &AppState, id: Uuid) -> AppResult<MappingRow> {
    let row = transfer_mappings::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("transfer mapping"))?;
    let course = university_courses::Entity::find_by_id(row.university_course_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("university course"))?;
    Ok(MappingRow { row, course })
}

/// A teacher lets a university read its record, until `expires_on` if given. Granting again
/// replaces the grant in force.
pub async fn grant(
    state: &AppState,
    own: &OwnTeacherAccess,
    university: Uuid,
    expires_on: Option<NaiveDate>,
) -> AppResult<access_grants::Model> {
    let teacher = own.checked_for(TeacherDeed::GrantAccess)?.teacher;
    find_university(state, university)
        .await?
        .ok_or_else(|| AppError::not_found("university"))?;
    let today = state.clock.today();
    if expires_on.is_some_and(|d| d < today) {
        return Err(AppError::invalid(
            "expiresOn",
            "OUT_OF_RANGE",
            crate::msg!("input.not_in_past"),
        ));
    }
    // The grant it replaces, the new grant and its webhook event commit together.
    let txn = super::sql::begin_write(&state.db).await?;
    end_grants(&txn, state, teacher, university).await?;
    let row = access_grants::Model {
        id: Uuid::now_v7(),
        teacher_id: teacher,
        university_id: university,
        granted_at: state.clock.now(),
        expires_on,
        revoked_at: None,
    };
    access_grants::Entity::insert(access_grants::ActiveModel::from(row.clone()))
        .exec_without_returning(&txn)
        .await?;
    super::outbox::access_granted(&txn, state, &row).await?;
    txn.commit().await?;
    tracing::info!(university.id = %university, "access granted");
    Ok(row)
}

async fn end_grants(
    db: &impl ConnectionTrait,
    state: &AppState,
    teacher: Uuid,
    university: Uuid,
) -> AppResult<u64> {
    Ok(access_grants::Entity::update_many()
        .col_expr(
            access_grants::Column::RevokedAt,
            Expr::value(state.clock.now()),
        )
        .filter(access_grants::Column::TeacherId.eq(teacher))
        .filter(access_grants::Column::UniversityId.eq(university))
        .filter(access_grants::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn revoke(
    state: &AppState,
    own: &OwnTeacherAccess,
    university: Uuid,
) -> AppResult<access_grants::Model> {
    let teacher = own.checked_for(TeacherDeed::GrantAccess)?.teacher;
    // The revocation and its webhook event commit together (or not at all).
    let txn = super::sql::begin_write(&state.db).await?;
    if end_grants(&txn, state, teacher, university).await? == 0 {
        return Err(AppError::not_found("access grant"));
    }
    super::outbox::access_revoked(&txn, state, teacher, university).await?;
    txn.commit().await?;
    tracing::info!(university.id = %university, "access revoked");
    access_grants::Entity::find()
        .filter(access_grants::Column::TeacherId.eq(teacher))
        .filter(access_grants::Column::UniversityId.eq(university))
        .order_by_desc(access_grants::Column::GrantedAt)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("access grant"))
}
