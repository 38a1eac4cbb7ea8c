//! The facts about a teacher that requirements read (hire date, head teacher, normal-school
//! graduate), and their correction by the teacher's administrators. Changing them changes which
//! requirements bind the teacher from the next evaluation on; no credit record changes. The
//! head-teacher role is kept as dated terms, so a cycle in which the teacher served stays bound.

use crate::auth::{TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::Stage;
use domain::identity::{Name, Subject};
use domain::policy::{PolicyDocument, TeacherFacts, Term};
use entities::{head_teacher_terms, teachers};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter,
};
use std::collections::HashMap;
use uuid::Uuid;

/// What an update changes; `None` leaves a field as it is. `hired_on: Some(None)` clears it.
#[derive(Default)]
pub struct TeacherChanges {
    pub name: Option<Name>,
    pub hired_on: Option<Option<NaiveDate>>,
    pub stages: Option<Vec<Stage>>,
    pub subjects: Option<Vec<Subject>>,
    pub head_teacher: Option<bool>,
    /// The first day a `head_teacher` change holds (default today).
    pub effective_on: Option<NaiveDate>,
    pub normal_school_graduate: Option<bool>,
    /// The teacher's number (教师编号); `Some(None)` clears it.
    pub teacher_number: Option<Option<domain::teacher_number::TeacherNumber>>,
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

/// The head-teacher terms of each of `teachers`, in one statement.
pub async fn terms(
    db: &impl ConnectionTrait,
    teachers: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Term>>> {
    let rows = head_teacher_terms::Entity::find()
        .filter(head_teacher_terms::Column::TeacherId.is_in(teachers.to_vec()))
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<Term>> = HashMap::new();
    for r in rows {
        out.entry(r.teacher_id).or_default().push(Term {
            from: r.starts_on,
            until: r.ends_on,
        });
    }
    Ok(out)
}

/// The facts of one teacher as `policy`'s period containing `as_of` reads them, for an
/// evaluation its caller is already allowed to make.
pub async fn load(
    state: &AppState,
    teacher_id: Uuid,
    policy: &PolicyDocument,
    as_of: NaiveDate,
) -> AppResult<TeacherFacts> {
    let teacher = teachers::Entity::find_by_id(teacher_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))?;
    of_row(state, &teacher, policy, as_of).await
}

/// As [`load`], for a teacher row the caller already holds (a gate handle's).
pub async fn of_row(
    state: &AppState,
    teacher: &teachers::Model,
    policy: &PolicyDocument,
    as_of: NaiveDate,
) -> AppResult<TeacherFacts> {
    let terms = terms(&state.db, &[teacher.id]).await?;
    let served = terms.get(&teacher.id).map_or(&[][..], Vec::as_slice);
    Ok(facts_of(teacher).in_period_of(served, policy, as_of))
}

/// Records a change of the head-teacher role taking effect on `on` (its first day), inside the
/// caller's transaction: serving opens a term (`on: None`: since an unknown date); stepping
/// down ends the open term the day before. A term that would end before it began was a mistake
/// corrected, and is dropped rather than kept as a day served.
pub async fn record_head_teacher(
    txn: &DatabaseTransaction,
    teacher_id: Uuid,
    serving: bool,
    on: Option<NaiveDate>,
    recorded_by: Option<Uuid>,
    clock: &crate::clock::Clock,
) -> AppResult<()> {
    if serving {
        head_teacher_terms::Entity::insert(head_teacher_terms::ActiveModel {
            id: Set(Uuid::now_v7()),
            teacher_id: Set(teacher_id),
            starts_on: Set(on),
            ends_on: Set(None),
            recorded_by: Set(recorded_by),
            recorded_at: Set(clock.now()),
        })
        .exec_without_returning(txn)
        .await?;
        return Ok(());
    }
    let on = on.unwrap_or_else(|| clock.today());
    let open = || {
        Condition::all()
            .add(head_teacher_terms::Column::TeacherId.eq(teacher_id))
            .add(head_teacher_terms::Column::EndsOn.is_null())
    };
    head_teacher_terms::Entity::delete_many()
        .filter(open())
        .filter(head_teacher_terms::Column::StartsOn.gte(on))
        .exec(txn)
        .await?;
    head_teacher_terms::Entity::update_many()
        .col_expr(
            head_teacher_terms::Column::EndsOn,
            Expr::value(on.pred_opt().unwrap_or(on)),
        )
        .filter(open())
        .exec(txn)
        .await?;
    Ok(())
}

/// Applies `changes` for a teacher handle checked for [`TeacherNeed::Administer`] (their
/// school's admin, the region admins above it); the teacher cannot change their own record.
pub async fn update(
    state: &AppState,
    access: &TeacherAccess,
    changes: TeacherChanges,
) -> AppResult<teachers::Model> {
    access.checked_for(TeacherNeed::Administer)?;
    let teacher_id = access.teacher.id;
    if changes
        .effective_on
        .is_some_and(|d| d > state.clock.today())
    {
        return Err(AppError::invalid(
            "input.effectiveOn",
            "OUT_OF_RANGE",
            crate::msg!("input.not_in_future"),
        ));
    }
    let txn = super::sql::begin_write(&state.db).await?;
    let before = teachers::Entity::find_by_id(teacher_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))?;
    if let Some(serving) = changes
        .head_teacher
        .filter(|now| *now != before.head_teacher)
    {
        let on = changes.effective_on.unwrap_or_else(|| state.clock.today());
        let by = Some(access.actor);
        record_head_teacher(&txn, teacher_id, serving, Some(on), by, &state.clock).await?;
    }
    let update = teachers::ActiveModel {
        id: Set(teacher_id),
        name: set(changes.name.map(|n| n.as_str().to_owned())),
        hired_on: set(changes.hired_on),
        stages: set(changes
            .stages
            .map(|s| rows::json_list(s.iter().map(|s| s.as_str())))),
        subjects: set(changes
            .subjects
            .map(|s| rows::json_list(s.iter().map(|s| s.as_str())))),
        head_teacher: set(changes.head_teacher),
        normal_school_graduate: set(changes.normal_school_graduate),
        teacher_number: set(changes.teacher_number.map(|n| n.map(|n| n.into_string()))),
        updated_at: Set(state.clock.now()),
        ..Default::default()
    };
    teachers::Entity::update(update)
        .exec(&txn)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("organisation.teacher_number_taken")))?;
    super::snapshot_marks::teachers(&txn, [teacher_id]).await?;
    txn.commit().await?;
    teachers::Entity::find_by_id(teacher_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))
}
