//! The facts about a teacher that requirements read (hire date, head teacher, normal-school
//! graduate), and their correction by the teacher's administrators. Changing them changes which
//! requirements bind the teacher from the next evaluation on; no credit record changes.

use super::organisation::{json_list, locate_teacher};
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{NaiveDate, Utc};
use domain::codes::Stage;
use domain::identity::{Name, Subject};
use domain::policy::TeacherFacts;
use domain::scope::Action;
use entities::teachers;
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;

/// What an update changes; `None` leaves a field as it is. `hired_on: Some(None)` clears it.
#[derive(Default)]
pub struct TeacherChanges {
    pub name: Option<Name>,
    pub hired_on: Option<Option<NaiveDate>>,
    pub stages: Option<Vec<Stage>>,
    pub subjects: Option<Vec<Subject>>,
    pub head_teacher: Option<bool>,
    pub normal_school_graduate: Option<bool>,
}

pub fn facts_of(teacher: &teachers::Model) -> TeacherFacts {
    TeacherFacts {
        hired_on: teacher.hired_on,
        head_teacher: teacher.head_teacher,
        normal_school_graduate: teacher.normal_school_graduate,
    }
}

fn set<V: Into<sea_orm::Value>>(value: Option<V>) -> sea_orm::ActiveValue<V> {
    value.map_or(sea_orm::ActiveValue::NotSet, Set)
}

/// The facts of one teacher, for an evaluation its caller is already allowed to make.
pub async fn load(state: &AppState, teacher_id: Uuid) -> AppResult<TeacherFacts> {
    teachers::Entity::find_by_id(teacher_id)
        .one(&state.db)
        .await?
        .map(|t| facts_of(&t))
        .ok_or_else(|| AppError::not_found("teacher"))
}

/// Applies `changes` for whoever manages the teacher (their school's admin, the region admins
/// above it); the teacher cannot change their own record.
pub async fn update(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
    changes: TeacherChanges,
) -> AppResult<teachers::Model> {
    let resource = locate_teacher(state, teacher_id)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))?;
    let _permit = guard.require(Action::Administer, &resource)?;
    let update = teachers::ActiveModel {
        id: Set(teacher_id),
        name: set(changes.name.map(|n| n.as_str().to_owned())),
        hired_on: set(changes.hired_on),
        stages: set(changes
            .stages
            .map(|s| json_list(s.iter().map(|s| s.as_str())))),
        subjects: set(changes
            .subjects
            .map(|s| json_list(s.iter().map(|s| s.as_str())))),
        head_teacher: set(changes.head_teacher),
        normal_school_graduate: set(changes.normal_school_graduate),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    teachers::Entity::update(update).exec(&state.db).await?;
    teachers::Entity::find_by_id(teacher_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))
}
