//! Correcting a teacher's record: name, hire date, stages, subjects, and the facts some
//! requirements depend on (head teacher, normal-school graduate).

use super::enums;
use super::ids::{self, Kind};
use super::organisation::PERSON_NAME_MAX;
use super::scalars::Date;
use super::teacher_file::Teacher;
use super::ContextExt;
use crate::auth::TeacherNeed;
use crate::error::AppError;
use crate::services::teacher_facts::{self, TeacherChanges};
use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use domain::identity::{parse_list, Name, Subject};

/// Fields left out stay as they are; `hiredOn: null` clears the hire date.
#[derive(InputObject)]
pub struct UpdateTeacherInput {
    /// The corrected full name, at most 50 characters.
    pub name: Option<String>,
    /// The corrected hire date; `null` clears it (then no new-hire requirement applies).
    pub hired_on: MaybeUndefined<Date>,
    /// The school stages the teacher teaches at (replaces the list).
    pub stages: Option<Vec<enums::Stage>>,
    /// The subjects the teacher teaches (replaces the list; at most 20).
    pub subjects: Option<Vec<String>>,
    /// Serves as a class head teacher (班主任).
    pub head_teacher: Option<bool>,
    /// The first day a `headTeacher` change holds (default today; not in the future). Terms of
    /// service are kept: a cycle in which the teacher served stays bound by head-teacher rules.
    pub effective_on: Option<Date>,
    /// Graduated from a normal (teacher-training) programme (师范类).
    pub normal_school_graduate: Option<bool>,
    /// The teacher's number (教师编号), unique across the credit bank; `null` clears it.
    pub teacher_number: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct TeacherMutation;

#[Object]
impl TeacherMutation {
    /// Corrects a teacher's record (name, hire date, stages, subjects, head teacher, diploma).
    /// For the teacher's school admin and the region admins above it. Which requirements bind
    /// the teacher follows at once (`Teacher.compliance`); no credit record changes.
    async fn update_teacher(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher whose record is corrected.")] teacher_id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")]
        input: UpdateTeacherInput,
    ) -> Result<Teacher> {
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let changes = TeacherChanges {
            name: input
                .name
                .map(|n| Name::parse(&n, PERSON_NAME_MAX))
                .transpose()
                .map_err(|e| AppError::bad_input("input.name", e))?,
            hired_on: match input.hired_on {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(d) => Some(Some(d.0)),
            },
            stages: input
                .stages
                .map(|s| s.into_iter().map(Into::into).collect()),
            subjects: input
                .subjects
                .map(|s| parse_list(&s, Subject::parse, 20))
                .transpose()
                .map_err(|(i, e)| AppError::bad_input(format!("input.subjects.{i}"), e))?,
            head_teacher: input.head_teacher,
            effective_on: input.effective_on.map(|d| d.0),
            normal_school_graduate: input.normal_school_graduate,
            teacher_number: match input.teacher_number {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(n) => Some(Some(
                    domain::teacher_number::TeacherNumber::parse(&n)
                        .map_err(|e| AppError::bad_input("input.teacherNumber", e))?,
                )),
            },
        };
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, teacher, TeacherNeed::Administer)
            .await?;
        let updated = teacher_facts::update(state, &access, changes).await?;
        Ok(Teacher(updated))
    }
}
