//! Registering schools, teachers, training providers and universities, and the public
//! directory of them. Reading and moving teachers is in `teachers`.

use super::accounts::{self, AccountTarget, NewAccount};
use super::regions;
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{RegionLevel, Stage, TrainingLevel};
use domain::identity::{Name, Password, Subject, Username};
use domain::region::RegionCode;
use domain::scope::{Action, Resource};
use entities::{providers, schools, teachers, universities};
use sea_orm::EntityTrait;
use uuid::Uuid;

pub struct NewSchool {
    pub region: RegionCode,
    pub name: Name,
}

pub struct NewTeacher {
    pub school_id: Uuid,
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
    pub region: RegionCode,
    pub name: Name,
    pub level: TrainingLevel,
}

pub struct NewUniversity {
    pub region: RegionCode,
    pub name: Name,
}

/// Schools sit in a county or a city: the levels whose bureaus review their declarations.
const SCHOOL_REGION_LEVELS: &[RegionLevel] = &[RegionLevel::County, RegionLevel::City];

pub async fn create_school(
    state: &AppState,
    guard: &Guard<'_>,
    new: NewSchool,
) -> AppResult<schools::Model> {
    let _permit = guard.require(Action::Manage, &Resource::Region(new.region.clone()))?;
    let level = state.regions.get(&new.region).map(|r| r.level);
    if !level.is_some_and(|l| SCHOOL_REGION_LEVELS.contains(&l)) {
        return Err(AppError::invalid(
            "input.regionCode",
            "WRONG_REGION_LEVEL",
            crate::msg!("organisation.school_region_level"),
        ));
    }
    let model = schools::Model {
        id: Uuid::now_v7(),
        region_code: new.region.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        created_at: state.clock.now(),
    };
    schools::Entity::insert(schools::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("organisation.school_exists")))?;
    Ok(model)
}

pub async fn create_teacher(
    state: &AppState,
    guard: &Guard<'_>,
    new: NewTeacher,
) -> AppResult<teachers::Model> {
    let school = find_school(state, new.school_id).await?.ok_or_else(|| {
        AppError::invalid(
            "input.schoolId",
            "NOT_FOUND",
            crate::msg!("input.no_such_school"),
        )
    })?;
    let region = rows::region(&school.region_code)?;
    let id = Uuid::now_v7();
    let _permit = guard.require(
        Action::Manage,
        &Resource::Teacher {
            id,
            school: school.id,
            region: region.clone(),
        },
    )?;
    let account_permit = match &new.login {
        Some(_) => Some(
            guard.require_account_creation(&domain::scope::Scope::Teacher {
                teacher: id,
                school: school.id,
                region,
            })?,
        ),
        None => None,
    };
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
        let by = Some(guard.principal().account_id);
        super::teacher_facts::record_head_teacher(&txn, id, true, None, by, &state.clock).await?;
    }
    if let (Some((username, password)), Some(permit)) = (new.login, account_permit) {
        let login = NewAccount {
            username,
            password,
            target: AccountTarget::Teacher(id),
        };
        accounts::insert(&txn, &permit, login, Some(guard.principal().account_id))
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

pub async fn create_provider(
    state: &AppState,
    guard: &Guard<'_>,
    new: NewProvider,
) -> AppResult<providers::Model> {
    let _permit = guard.require(Action::Manage, &Resource::Region(new.region.clone()))?;
    let model = providers::Model {
        id: Uuid::now_v7(),
        region_code: new.region.as_str().to_owned(),
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

pub async fn create_university(
    state: &AppState,
    guard: &Guard<'_>,
    new: NewUniversity,
) -> AppResult<universities::Model> {
    let _permit = guard.require(Action::Manage, &Resource::Region(new.region.clone()))?;
    let model = universities::Model {
        id: Uuid::now_v7(),
        region_code: new.region.as_str().to_owned(),
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
