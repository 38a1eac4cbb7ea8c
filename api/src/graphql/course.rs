//! The Course type: a catalogue entry as every reader sees it, with its seats and reviews.

use super::connection::{from_page, Conn};
use super::enums;
use super::ids::{self, Kind};
use super::loaders::Loaders;
use super::organisation::Provider;
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::auth::CourseNeed;
use crate::error::AppError;
use crate::rows;
use crate::services::catalogue as svc;
use crate::services::page::PageRequest;
use crate::services::rosters;
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::Utc;
use domain::amount::Amount;
use entities::courses;

pub struct Course(pub courses::Model);

/// A training course in the catalogue, offered by a provider. Public once approved (PUBLISHED
/// or CLOSED); before that, and once ARCHIVED, only those who manage the provider see it.
#[Object]
impl Course {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Course, self.0.id)
    }
    /// The provider that offers the course.
    async fn provider(&self, ctx: &Context<'_>) -> Result<Provider> {
        let loaders = ctx.data::<Loaders>()?;
        let p = loaders.providers.load_one(self.0.provider_id).await?;
        Ok(Provider(p.ok_or_else(|| AppError::not_found("provider"))?))
    }
    /// The provider's own code for the course (unique per provider), e.g. QD-IT-01.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The course title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the course covers, as the provider wrote it; empty when it wrote nothing.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The training level the course is run at.
    async fn level(&self) -> Result<enums::TrainingLevel> {
        Ok(crate::rows::code::<domain::codes::TrainingLevel>(&self.0.level)?.into())
    }
    /// How the course is delivered.
    async fn modality(&self) -> Result<enums::Modality> {
        Ok(crate::rows::code::<domain::codes::Modality>(&self.0.modality)?.into())
    }
    /// A category key of ../shared/DOMAIN.md "Categories" (or one a policy adds).
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// Compulsory (必修) rather than elective (选修) training.
    async fn compulsory(&self) -> bool {
        self.0.compulsory
    }
    /// What kind of programme the course is: COURSE_COMPLETION for plain training, or e.g.
    /// DEGREE_STUDY or NEW_TEACHER_PROBATION. Its trainees' credit records carry this kind, so
    /// a policy prices the programme by its rules for that kind.
    async fn kind(&self) -> Result<enums::ActivityKind> {
        Ok(crate::rows::code::<domain::codes::ActivityKind>(&self.0.kind)?.into())
    }
    /// Class hours (学时) of the whole course; a completion is priced from them.
    async fn hours(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.hours_e4))
    }
    /// Seats; null for no limit.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }
    /// The school stages the course is meant for; empty for all.
    async fn target_stages(&self) -> Vec<enums::Stage> {
        rows::stages(&self.0.target_stages)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// The subjects the course is meant for (free text); empty for all.
    async fn subjects(&self) -> Vec<String> {
        rows::parse_json_list(&self.0.subjects)
    }
    /// The first day teachers may enrol; null: from publication.
    async fn enrollment_opens_on(&self) -> Option<Date> {
        self.0.enrollment_opens_on.map(Date)
    }
    /// The last day teachers may enrol; null: until the course is closed.
    async fn enrollment_closes_on(&self) -> Option<Date> {
        self.0.enrollment_closes_on.map(Date)
    }
    /// The first day of the course; null when not scheduled.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }
    /// The last day of the course; null when not scheduled.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// Where the course is in its lifecycle.
    async fn status(&self) -> Result<enums::CourseStatus> {
        Ok(rows::course_status(&self.0)?.into())
    }
    /// Teachers holding a seat (ENROLLED).
    async fn enrolled_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(seats(ctx, &self.0).await?.0)
    }
    /// Teachers waiting for a seat (WAITLISTED).
    async fn waitlisted_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(seats(ctx, &self.0).await?.1)
    }
    /// The roster: the places held in this course, earliest enrolment first, so a provider can
    /// report completions for teachers who enrolled themselves. For the provider's admins and
    /// the admins over its region (`FORBIDDEN` for anyone else).
    async fn enrollments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only places in this state; all when left out.")] status: Option<
            enums::EnrollmentStatus,
        >,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<super::enrolment::Enrollment>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .course_of(&state.db, self.0.clone(), CourseNeed::Roster)
            .await?;
        let rows = rosters::roster(state, &access, status.map(Into::into), &page).await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::enrolment::Enrollment,
        ))
    }
    /// Approval decisions with the reviewers' comments, oldest first; shown to those who manage
    /// the provider (empty for everyone else).
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<CourseReview>> {
        let viewer = ctx.auth().principal().ok();
        let rows = svc::reviews(ctx.state()?, viewer, &self.0).await?;
        Ok(rows
            .into_iter()
            .map(|r| CourseReview {
                decision: if r.decision == "APPROVE" {
                    enums::Decision::Approve
                } else {
                    enums::Decision::Reject
                },
                comment: r.comment,
                at: r.at,
            })
            .collect())
    }
    /// Free seats; null for a course without a capacity.
    async fn seats_left(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        let (enrolled, _) = seats(ctx, &self.0).await?;
        Ok(self.0.capacity.map(|c| (i64::from(c) - enrolled).max(0)))
    }
    /// What completing this course would add to the teacher's compliance in the current period,
    /// under the teacher's policy. Each teacher is evaluated once per request, however many
    /// courses are previewed. For whoever may read the teacher's compliance; `NOT_FOUND` when no
    /// policy is in force for the teacher.
    #[graphql(complexity = "crate::graphql::weights::CREDIT_PREVIEW + child_complexity")]
    async fn credit_preview(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher; leave out for your own (teachers only).")]
        teacher_id: Option<ID>,
    ) -> Result<super::course_selection::CreditPreview> {
        super::course_selection::credit_preview(ctx, &self.0, teacher_id.as_ref()).await
    }
}

async fn seats(ctx: &Context<'_>, course: &courses::Model) -> Result<(i64, i64)> {
    Ok(ctx
        .data::<Loaders>()?
        .seats
        .load_one(course.id)
        .await?
        .unwrap_or_default())
}

/// A region admin's decision on a course submitted for approval.
#[derive(SimpleObject)]
pub struct CourseReview {
    /// APPROVE published the course; REJECT sent it back to DRAFT.
    pub decision: enums::Decision,
    /// The reviewer's comment; always present on a rejection.
    pub comment: Option<String>,
    /// When the decision was taken.
    pub at: chrono::DateTime<Utc>,
}
