//! Registering schools, teachers, training providers and universities, and the public
//! directory of them. Reading and moving teachers is in `teachers`.

use super::accounts::{self, AccountTarget, NewAccount};
use super::regions;
use crate::auth::{NewTeacherAccess, RegionAccess, RegionNeed};
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{RegionLevel, Stage, TrainingLevel};
use domain::identity::{Name, Password, Subject, Username};
use entities::{providers, schools, teachers, universities};
use sea_orm::EntityTrait;
use uuid::Uuid;

/// A school to register, in the region of the [`RegionAccess`] it is registered with.
pub struct NewSchool {
    pub name: Name,
}

/// A teacher to register, at the school of the [`NewTeacherAccess`] it is registered with.
pub struct NewTeacher {
    pub name: Name,
    pub hired_on: Option<NaiveDate>,
    pub stages: Vec<Stage>,
    pub subjects: Vec<Subject>,
    pub head_teacher: bool,
    pub normal_school_graduate: bool,
    /// The teacher's number (教师编号); unique where set.
    pub teacher_number: Option<domain::teacher_number::TeacherNumber>,
    pub login: Option<(Username, Password)>,
}

pub struct NewProvider {
    pub name: Name,
    pub level: TrainingLevel,
}

pub struct NewUniversity {
    pub name: Name,
}

/// Schools sit in a county or a city: the levels whose bureaus review their declarations.
const SCHOOL_REGION_LEVELS: &[RegionLevel] = &[RegionLevel::County, RegionLevel::City];

/// Registers a school in the region the handle was checked for ([`RegionNeed::Organise`]).
pub async fn create_school(
    state: &AppState,
    access: &RegionAccess,
    new: NewSchool,
) -> AppResult<schools::Model> {
    let region = &access.checked_for(RegionNeed::Organise)?.region;
    let level = state.regions.get(region).map(|r| r.level);
    if !level.is_some_and(|l| SCHOOL_REGION_LEVELS.contains(&l)) {
        return Err(AppError::invalid(
            "input.regionCode",
            "WRONG_REGION_LEVEL",
            crate::msg!("organisation.school_region_level"),
        ));
    }
    let model = schools::Model {
        id: Uuid::now_v7(),
        region_code: region.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        created_at: state.clock.now(),
    };
    schools::Entity::insert(schools::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("organisation.school_exists")))?;
    Ok(model)
}

/// Registers a teacher (and its login, if `new.login` is given) as the handle allows
/// ([`Guard::new_teacher`](crate::auth::Guard::new_teacher), asked with the login wanted).
pub async fn create_teacher(
    state: &AppState,
    access: NewTeacherAccess,
    new: NewTeacher,
) -> AppResult<teachers::Model> {
    let (id, school) = (access.id, &access.school);
    let now = state.clock.now();
    let model = teachers::Model {
        id,
        school_id: school.id,
        name: new.name.as_str().to_owned(),
        hired_on: new.hired_on,
        stages: rows::json_list(new.stages.iter().map(|s| s.as_str())),
        subjects: rows::json_list(new.subjects.iter().map(|s| s.as_str())),
        head_teacher: new.head_teacher,
        normal_school_graduate: new.normal_school_graduate,
        teacher_number: new.teacher_number.map(|n| n.into_string()),
        created_at: now,
        updated_at: now,
    };
    let txn = super::sql::begin_write(&state.db).await?;
    teachers::Entity::insert(teachers::ActiveModel::from(model.clone()))
        .exec_without_returning(&txn)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("organisation.teacher_number_taken")))?;
    if new.head_teacher {
        // Serving when registered, since an unknown date.
        let by = Some(access.actor);
        super::teacher_facts::record_head_teacher(&txn, id, true, None, by, &state.clock).await?;
    }
    if new.login.is_some() && access.login.is_none() {
        return Err(AppError::internal(anyhow::anyhow!(
            "a teacher's login without the handle's permission for it"
        )));
    }
    if let (Some((username, password)), Some(permit)) = (new.login, &access.login) {
        let login = NewAccount {
            username,
            password,
            target: AccountTarget::Teacher(id),
        };
        accounts::insert(&txn, permit, login, Some(access.actor))
            .await
            .map_err(|e| match e {
                AppError::Conflict(_) => AppError::Conflict(crate::msg!("accounts.username_taken")),
                other => other,
            })?;
    }
    super::snapshot_marks::teachers(&txn, [id]).await?;
    txn.commit().await?;
    Ok(model)
}

/// Registers a provider in the region the handle was checked for ([`RegionNeed::Organise`]).
pub async fn create_provider(
    state: &AppState,
    access: &RegionAccess,
    new: NewProvider,
) -> AppResult<providers::Model> {
    let region = &access.checked_for(RegionNeed::Organise)?.region;
    let model = providers::Model {
        id: Uuid::now_v7(),
        region_code: region.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        level: new.level.as_str().to_owned(),
        created_at: state.clock.now(),
    };
    providers::Entity::insert(providers::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("organisation.provider_exists")))?;
    Ok(model)
}

/// Registers a university in the region the handle was checked for ([`RegionNeed::Organise`]).
pub async fn create_university(
    state: &AppState,
    access: &RegionAccess,
    new: NewUniversity,
) -> AppResult<universities::Model> {
    let region = &access.checked_for(RegionNeed::Organise)?.region;
    let model = universities::Model {
        id: Uuid::now_v7(),
        region_code: region.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        created_at: state.clock.now(),
    };
    universities::Entity::insert(universities::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("organisation.university_exists")))?;
    Ok(model)
}

/// Schools, providers and universities form a public directory: any signed-in caller may read them.
pub async fn find_school(state: &AppState, id: Uuid) -> AppResult<Option<schools::Model>> {
    Ok(schools::Entity::find_by_id(id).one(&state.db).await?)
}

pub async fn find_provider(state: &AppState, id: Uuid) -> AppResult<Option<providers::Model>> {
    Ok(providers::Entity::find_by_id(id).one(&state.db).await?)
}

pub async fn find_university(state: &AppState, id: Uuid) -> AppResult<Option<universities::Model>> {
    Ok(universities::Entity::find_by_id(id).one(&state.db).await?)
}

pub use regions::known as known_region;
