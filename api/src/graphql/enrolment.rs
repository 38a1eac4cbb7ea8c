//! A teacher's place in a course, and the mutations that take and give up places.

use super::batch::{bulk, BulkResult};
use super::course::Course;
use super::enums;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::error::AppError;
use crate::services::{catalogue, enrolment};
use async_graphql::{Context, Object, Result, ID};
use chrono::Utc;
use domain::codes::EnrollmentStatus;
use entities::enrollments;

pub struct Enrollment(pub enrollments::Model);

/// A teacher's place in a course: one per teacher and course (coming back after withdrawing
/// reuses it). Seen by the teacher, the admins over it, and the course's provider.
#[Object]
impl Enrollment {
    /// Global id (Relay); `withdraw` takes it.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Enrollment, self.0.id)
    }
    /// The course; null when the caller may no longer see it.
    async fn course(&self, ctx: &Context<'_>) -> Result<Option<Course>> {
        let state = ctx.state()?;
        let viewer = ctx.auth().principal().ok();
        Ok(catalogue::get(state, viewer, self.0.course_id)
            .await?
            .map(Course))
    }
    /// The teacher holding the place (global id).
    async fn teacher_id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.teacher_id)
    }
    /// The teacher holding the place, with their name and number (教师编号) for a provider's
    /// roster; whoever may read the place may read the teacher.
    async fn teacher(&self, ctx: &Context<'_>) -> Result<super::teacher_file::Teacher> {
        super::loaders::readable_teacher(ctx, self.0.teacher_id).await
    }
    /// The state of the place.
    async fn status(&self) -> Result<enums::EnrollmentStatus> {
        Ok(crate::rows::code::<EnrollmentStatus>(&self.0.status)?.into())
    }
    /// When the teacher enrolled or joined the waiting list (the last time, after a withdrawal);
    /// the waiting list moves up in this order.
    async fn enrolled_at(&self) -> chrono::DateTime<Utc> {
        self.0.enrolled_at
    }
}

#[derive(Default)]
pub struct EnrolmentMutation;

#[Object]
impl EnrolmentMutation {
    /// A teacher enrols itself (omit `teacherId`), or an admin or the provider enrols a teacher.
    /// When the course is full the teacher is WAITLISTED.
    async fn enroll(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A PUBLISHED course whose enrolment window includes today.")]
        course_id: ID,
        #[graphql(desc = "The teacher to enrol; leave out to enrol yourself (teachers only).")]
        teacher_id: Option<ID>,
    ) -> Result<Enrollment> {
        let guard = ctx.guard()?;
        let course = ids::decode("courseId", Kind::Course, &course_id)?;
        let teacher = super::teacher_or_self(
            &guard,
            teacher_id.as_ref(),
            crate::msg!("catalogue.which_teacher"),
        )?;
        let state = ctx.state()?;
        let access = guard.new_place(&state.db, course, teacher).await?;
        Ok(Enrollment(
            enrolment::enroll(state, access, state.clock.today()).await?,
        ))
    }

    /// Enrols many teachers; each gets its own result and one failure does not stop the rest.
    async fn enroll_teachers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course to enrol them in.")] course_id: ID,
        #[graphql(desc = "The teachers to enrol, at most 1000.")] teacher_ids: Vec<ID>,
    ) -> Result<BulkResult> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let course = ids::decode("courseId", Kind::Course, &course_id)?;
        if teacher_ids.len() > 1000 {
            return Err(AppError::invalid(
                "teacherIds",
                "OUT_OF_RANGE",
                crate::msg!("catalogue.bulk_teachers", max = 1000),
            )
            .into());
        }
        let today = state.clock.today();
        bulk(teacher_ids, "teacherIds", Kind::Teacher, |teacher| {
            let guard = &guard;
            async move {
                let access = guard.new_place(&state.db, course, teacher).await?;
                enrolment::enroll(state, access, today).await.map(|_| ())
            }
        })
        .await
    }

    /// Frees the place; the first waitlisted teacher moves up.
    async fn withdraw(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place (an ENROLLED or WAITLISTED enrolment) to give up.")]
        enrollment_id: ID,
    ) -> Result<Enrollment> {
        let guard = ctx.guard()?;
        let id = ids::decode("enrollmentId", Kind::Enrollment, &enrollment_id)?;
        let state = ctx.state()?;
        let access = guard.held_place(&state.db, id).await?;
        Ok(Enrollment(enrolment::withdraw(state, access).await?))
    }
}
