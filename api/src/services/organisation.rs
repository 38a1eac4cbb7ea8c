//! Schools, teachers, training providers and universities.

use super::accounts::{self, AccountTarget, NewAccount};
use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use super::regions;
use crate::auth::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{RegionLevel, Stage, TrainingLevel};
use domain::identity::{Name, Password, Subject, Username};
use domain::region::RegionCode;
use domain::scope::{Action, Resource};
use entities::{providers, schools, teachers, universities};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
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
    let region = stored_region(&school.region_code)?;
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
        stages: json_list(new.stages.iter().map(|s| s.as_str())),
        subjects: json_list(new.subjects.iter().map(|s| s.as_str())),
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

/// Where a teacher sits, read before anything else about them so the gate can decide.
pub async fn locate_teacher(state: &AppState, id: Uuid) -> AppResult<Option<Resource>> {
    let Some(teacher) = teachers::Entity::find_by_id(id).one(&state.db).await? else {
        return Ok(None);
    };
    let Some(school) = find_school(state, teacher.school_id).await? else {
        return Ok(None);
    };
    Ok(Some(Resource::Teacher {
        id,
        school: school.id,
        region: stored_region(&school.region_code)?,
    }))
}

/// A teacher, to a caller allowed to read them; out of scope looks the same as absent to
/// callers who could not know the teacher exists.
pub async fn get_teacher(
    state: &AppState,
    guard: &Guard<'_>,
    id: Uuid,
) -> AppResult<teachers::Model> {
    let access = guard
        .teacher(&state.db, id, crate::auth::TeacherNeed::Read)
        .await?;
    Ok(access.teacher)
}

/// The teachers among `ids` the caller may read, in two statements (teachers, then their
/// schools) however many there are; the rules are those of `get_teacher`, and only a caller the
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
            region: stored_region(&school.region_code)?,
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
        region: stored_region(&school.region_code)?,
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

pub fn stored_region(code: &str) -> AppResult<RegionCode> {
    RegionCode::parse(code)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored region code {code:?}: {e}")))
}

pub fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    serde_json::Value::Array(
        items
            .map(|s| serde_json::Value::String(s.to_owned()))
            .collect(),
    )
    .to_string()
}

pub fn parse_json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

pub use regions::known as known_region;

/// Moves a teacher to another school from `on`. The ledger is untouched: every record keeps the
/// school and region where it was earned, and the teacher's file follows them. The caller must be
/// able to manage the teacher both where they are and where they go (a region admin over both
/// schools, or the system).
pub async fn transfer_teacher(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
    to_school: Uuid,
    on: NaiveDate,
) -> AppResult<teachers::Model> {
    let from = locate_teacher(state, teacher_id)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))?;
    let destination = find_school(state, to_school).await?.ok_or_else(|| {
        AppError::invalid(
            "toSchoolId",
            "NOT_FOUND",
            crate::msg!("input.no_such_school"),
        )
    })?;
    let _here = guard.require(Action::Administer, &from)?;
    let _there = guard.require(
        Action::Administer,
        &Resource::Teacher {
            id: teacher_id,
            school: destination.id,
            region: stored_region(&destination.region_code)?,
        },
    )?;
    let Resource::Teacher {
        school: from_school,
        ..
    } = from
    else {
        return Err(AppError::internal(anyhow::anyhow!(
            "a teacher resource was expected"
        )));
    };
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
            recorded_by: Some(guard.principal().account_id),
            recorded_at: now,
        },
    ))
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    teachers::Entity::find_by_id(teacher_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))
}
