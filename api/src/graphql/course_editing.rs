//! Courses written by their providers: creation, rewriting, and the approval lifecycle
//! (publish, approve or reject, close).

use super::course::Course;
use super::enums;
use super::ids::{self, Kind};
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::auth::CourseNeed;
use crate::error::{AppError, AppResult};
use crate::services::course_editing as svc;
use async_graphql::{Context, InputObject, Object, Result, ID};
use domain::catalogue::{CourseAction, CourseDraft, CourseInputRaw};
use domain::error::FieldError;

/// A course as its provider describes it (`createCourse`, `updateCourse`).
#[derive(InputObject)]
pub struct CourseInput {
    /// The provider offering the course; the caller must manage it.
    pub provider_id: ID,
    /// The provider's code for the course: at most 40 letters, digits, `-`, `_` and `.`;
    /// unique per provider.
    pub code: String,
    /// The title, at most 200 characters.
    pub title: String,
    /// What the course covers, at most 5000 characters.
    pub description: Option<String>,
    /// What kind of programme the course is; COURSE_COMPLETION (plain training) when left out.
    /// One of COURSE_COMPLETION, NEW_TEACHER_PROBATION, BACKBONE_TRAINING, DEGREE_STUDY,
    /// GRADUATE_CLASS, MASTER_STUDIO, TEACHING_RESEARCH_ACTIVITY and LECTURE; other kinds (a
    /// PAPER, an OPEN_CLASS, TEACHING…) are not programmes one enrols in, and are claimed.
    #[graphql(default_with = "enums::ActivityKind::CourseCompletion")]
    pub kind: enums::ActivityKind,
    /// The training level the course is run at.
    pub level: enums::TrainingLevel,
    /// How the course is delivered.
    pub modality: enums::Modality,
    /// A category key of ../shared/DOMAIN.md "Categories" (e.g. INFORMATION).
    pub category: String,
    /// Compulsory (必修) rather than elective; elective when left out.
    #[graphql(default)]
    pub compulsory: bool,
    /// Class hours of the whole course: more than 0, at most 2000.
    pub hours: Decimal,
    /// Seats, 1 to 100000; leave out for no limit. When full, teachers are waitlisted.
    pub capacity: Option<i32>,
    /// The school stages the course is meant for; empty for all.
    #[graphql(default)]
    pub target_stages: Vec<enums::Stage>,
    /// The subjects the course is meant for (free text); empty for all.
    #[graphql(default)]
    pub subjects: Vec<String>,
    /// The first day teachers may enrol; leave out to open at publication.
    pub enrollment_opens_on: Option<Date>,
    /// The last day teachers may enrol; not before `enrollmentOpensOn` nor after `endsOn`.
    pub enrollment_closes_on: Option<Date>,
    /// The first day of the course.
    pub starts_on: Option<Date>,
    /// The last day of the course; not before `startsOn`.
    pub ends_on: Option<Date>,
}

impl CourseInput {
    fn parse(self) -> AppResult<(uuid::Uuid, CourseDraft)> {
        let provider = ids::decode("input.providerId", Kind::Provider, &self.provider_id)?;
        let raw = CourseInputRaw {
            code: self.code,
            title: self.title,
            description: self.description,
            kind: self.kind.into(),
            level: self.level.into(),
            modality: self.modality.into(),
            category: self.category,
            compulsory: self.compulsory,
            hours: self.hours.0,
            capacity: self.capacity,
            target_stages: self.target_stages.into_iter().map(Into::into).collect(),
            subjects: self.subjects,
            enrollment_opens_on: self.enrollment_opens_on.map(|d| d.0),
            enrollment_closes_on: self.enrollment_closes_on.map(|d| d.0),
            starts_on: self.starts_on.map(|d| d.0),
            ends_on: self.ends_on.map(|d| d.0),
        };
        let draft = CourseDraft::parse(raw).map_err(|e| field_error("input", e))?;
        Ok((provider, draft))
    }
}

fn field_error(prefix: &str, e: FieldError) -> AppError {
    AppError::bad_input(format!("{prefix}.{}", e.field), e.error)
}

#[derive(Default)]
pub struct CourseEditingMutation;

#[Object]
impl CourseEditingMutation {
    /// Creates a DRAFT course for a provider; for those who manage the provider.
    async fn create_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course to create.")] input: CourseInput,
    ) -> Result<Course> {
        let guard = ctx.guard()?;
        let (provider, draft) = input.parse()?;
        let state = ctx.state()?;
        let access = guard
            .provider(&state.db, provider, "input.providerId")
            .await?;
        Ok(Course(svc::create(state, &access, draft).await?))
    }

    /// Rewrites a course that is not yet CLOSED; for those who manage its provider. Credit-bearing
    /// fields (kind, hours, level, modality, category, compulsory) change only while the course is a
    /// draft without enrolments.
    async fn update_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course to change.")] id: ID,
        #[graphql(desc = "The whole course as it should read from now on.")] input: CourseInput,
    ) -> Result<Course> {
        let guard = ctx.guard()?;
        let course = ids::decode("id", Kind::Course, &id)?;
        let (provider, draft) = input.parse()?;
        let state = ctx.state()?;
        let access = guard.course(&state.db, course, CourseNeed::Edit).await?;
        Ok(Course(svc::update(state, access, provider, draft).await?))
    }

    /// DRAFT → PENDING_APPROVAL: the provider submits the course for approval.
    async fn publish_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course to submit.")] id: ID,
    ) -> Result<Course> {
        transition(ctx, &id, CourseAction::Publish, None).await
    }

    /// By a region admin over the provider: APPROVE → PUBLISHED, REJECT (with a comment) → DRAFT.
    async fn approve_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course waiting for approval.")] id: ID,
        #[graphql(desc = "APPROVE publishes it; REJECT sends it back to DRAFT.")]
        decision: enums::Decision,
        #[graphql(desc = "Why; required with REJECT. The provider reads it in `Course.reviews`.")]
        comment: Option<String>,
    ) -> Result<Course> {
        let action = match decision {
            enums::Decision::Approve => CourseAction::Approve,
            enums::Decision::Reject => {
                if comment
                    .as_deref()
                    .map(str::trim)
                    .unwrap_or_default()
                    .is_empty()
                {
                    return Err(AppError::invalid(
                        "comment",
                        "REQUIRED",
                        crate::msg!("catalogue.rejection_comment"),
                    )
                    .into());
                }
                CourseAction::Reject
            }
        };
        transition(ctx, &id, action, comment).await
    }

    /// PUBLISHED → CLOSED: no more enrolments; completions may still be recorded.
    async fn close_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The published course to close.")] id: ID,
    ) -> Result<Course> {
        transition(ctx, &id, CourseAction::Close, None).await
    }
}

async fn transition(
    ctx: &Context<'_>,
    id: &ID,
    action: CourseAction,
    comment: Option<String>,
) -> Result<Course> {
    let guard = ctx.guard()?;
    let course = ids::decode("id", Kind::Course, id)?;
    let state = ctx.state()?;
    let access = guard
        .course(&state.db, course, CourseNeed::Transition(action))
        .await?;
    Ok(Course(svc::transition(state, access, comment).await?))
}
