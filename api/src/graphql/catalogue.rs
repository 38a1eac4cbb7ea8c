//! Catalogue, course selection and completions (API.md "Catalogue, selection, completions").

use super::connection::{from_page, Conn, OrderDirection};
use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::loaders::Loaders;
use super::organisation::Provider;
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::error::{AppError, AppResult};
use crate::services::catalogue::{self as svc, status_of, CourseFilter as Filter};
use crate::services::completions::{self, IncomingRow};
use crate::services::organisation::parse_json_list;
use crate::services::page::PageRequest;
use crate::services::{csv_import, enrolment};
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, Upload, ID};
use chrono::Utc;
use domain::amount::Amount;
use domain::catalogue::{CourseAction, CourseDraft, CourseInputRaw};
use domain::codes::{CategoryKey, EnrollmentStatus, Stage};
use domain::completion::{validate_completion, CompletionFacts};
use domain::error::FieldError;
use domain::region::RegionCode;
use entities::{courses, enrollments};
use std::str::FromStr;

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
        Ok(domain::codes::TrainingLevel::from_str(&self.0.level)
            .map_err(AppError::corrupt)?
            .into())
    }
    /// How the course is delivered.
    async fn modality(&self) -> Result<enums::Modality> {
        Ok(domain::codes::Modality::from_str(&self.0.modality)
            .map_err(AppError::corrupt)?
            .into())
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
        Ok(domain::codes::ActivityKind::from_str(&self.0.kind)
            .map_err(AppError::corrupt)?
            .into())
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
        parse_json_list(&self.0.target_stages)
            .iter()
            .filter_map(|s| Stage::from_str(s).ok())
            .map(Into::into)
            .collect()
    }
    /// The subjects the course is meant for (free text); empty for all.
    async fn subjects(&self) -> Vec<String> {
        parse_json_list(&self.0.subjects)
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
        Ok(status_of(&self.0)?.into())
    }
    /// Teachers holding a seat (ENROLLED).
    async fn enrolled_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(seats(ctx, &self.0).await?.0)
    }
    /// Teachers waiting for a seat (WAITLISTED).
    async fn waitlisted_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(seats(ctx, &self.0).await?.1)
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
        Ok(svc::get(state, viewer, self.0.course_id).await?.map(Course))
    }
    /// The teacher holding the place (global id).
    async fn teacher_id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.teacher_id)
    }
    /// The state of the place.
    async fn status(&self) -> Result<enums::EnrollmentStatus> {
        Ok(EnrollmentStatus::from_str(&self.0.status)
            .map_err(AppError::corrupt)?
            .into())
    }
    /// When the teacher enrolled or joined the waiting list (the last time, after a withdrawal);
    /// the waiting list moves up in this order.
    async fn enrolled_at(&self) -> chrono::DateTime<Utc> {
        self.0.enrolled_at
    }
}

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

/// Narrows `courses`: a course must match every field given.
#[derive(InputObject, Default)]
pub struct CourseFilter {
    /// Words in the title or description (Chinese included), or an exact course code.
    pub search: Option<String>,
    /// Courses of providers in this region's subtree.
    pub region_code: Option<String>,
    /// Courses of this provider.
    pub provider_id: Option<ID>,
    /// Courses run at exactly this level.
    pub level: Option<enums::TrainingLevel>,
    /// Courses delivered this way.
    pub modality: Option<enums::Modality>,
    /// Courses of this category key (e.g. INFORMATION).
    pub category: Option<String>,
    /// Courses that list this stage among their target stages.
    pub stage: Option<enums::Stage>,
    /// Courses that list this subject.
    pub subject: Option<String>,
    /// Courses in this status (only those the caller may see).
    pub status: Option<enums::CourseStatus>,
    /// true: PUBLISHED courses whose enrolment window includes today; false: all the others.
    pub open_for_enrollment: Option<bool>,
    /// Courses run at this level or above (SCHOOL < COUNTY < MUNICIPAL < PROVINCIAL < NATIONAL).
    pub min_level: Option<enums::TrainingLevel>,
    /// true: compulsory (必修) courses; false: elective ones.
    pub compulsory: Option<bool>,
    /// Courses that are programmes of this kind (e.g. DEGREE_STUDY).
    pub kind: Option<enums::ActivityKind>,
    /// Courses starting on or after this day; courses without a start date are left out.
    pub starts_on_or_after: Option<Date>,
    /// Courses starting on or before this day; courses without a start date are left out.
    pub starts_on_or_before: Option<Date>,
}

impl CourseFilter {
    fn parse(self) -> AppResult<Filter> {
        Ok(Filter {
            search: self.search,
            region: self
                .region_code
                .map(|c| {
                    RegionCode::parse(&c).map_err(|e| AppError::bad_input("filter.regionCode", e))
                })
                .transpose()?,
            provider_id: self
                .provider_id
                .map(|id| ids::decode("filter.providerId", Kind::Provider, &id))
                .transpose()?,
            level: self.level.map(Into::into),
            modality: self.modality.map(Into::into),
            category: self
                .category
                .map(|c| {
                    CategoryKey::parse(&c)
                        .map(|k| k.as_str().to_owned())
                        .map_err(|e| AppError::bad_input("filter.category", e))
                })
                .transpose()?,
            stage: self.stage.map(Into::into),
            subject: self.subject,
            status: self.status.map(Into::into),
            open_for_enrollment: self.open_for_enrollment,
            min_level: self.min_level.map(Into::into),
            compulsory: self.compulsory,
            kind: self.kind.map(Into::into),
            starts_on_or_after: self.starts_on_or_after.map(|d| d.0),
            starts_on_or_before: self.starts_on_or_before.map(|d| d.0),
        })
    }
}

/// What `courses` is sorted by; ties are broken by id, in the same direction.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseOrderField {
    /// The start date; courses without one come last in both directions.
    StartsOn,
    /// When the course was created (the default order).
    CreatedAt,
    /// The title, by Unicode code point (not by pinyin), the same on every database.
    Title,
    /// The course's class hours.
    Hours,
}

/// The order of `courses`.
#[derive(InputObject)]
pub struct CourseOrder {
    /// What to sort by.
    pub field: CourseOrderField,
    /// ASC when left out.
    pub direction: Option<OrderDirection>,
}

impl From<CourseOrder> for svc::CourseOrder {
    fn from(o: CourseOrder) -> Self {
        svc::CourseOrder {
            field: match o.field {
                CourseOrderField::StartsOn => svc::CourseOrderField::StartsOn,
                CourseOrderField::CreatedAt => svc::CourseOrderField::CreatedAt,
                CourseOrderField::Title => svc::CourseOrderField::Title,
                CourseOrderField::Hours => svc::CourseOrderField::Hours,
            },
            direction: o.direction.unwrap_or_default().into(),
        }
    }
}

/// The outcome for one id of a bulk operation.
#[derive(SimpleObject)]
pub struct BulkItem {
    /// The id the caller sent.
    pub id: ID,
    /// Whether the operation succeeded for this id.
    pub ok: bool,
    /// The error code when not ok (the same codes as `extensions.code`).
    pub code: Option<String>,
    /// Why it failed, for a person to read; null when ok.
    pub message: Option<String>,
}

/// The outcome of an operation on many ids at once: one failure does not stop the rest.
#[derive(SimpleObject)]
pub struct BulkResult {
    /// How many ids succeeded.
    pub succeeded: i32,
    /// How many ids failed.
    pub failed: i32,
    /// A result per id, in the order sent.
    pub items: Vec<BulkItem>,
}

/// Runs `f` for each id (decoded as `kind`), a result per id: one failure does not stop the
/// rest, but an internal error stops it all.
pub async fn bulk<F, Fut>(ids: Vec<ID>, field: &str, kind: Kind, f: F) -> Result<BulkResult>
where
    F: Fn(uuid::Uuid) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let mut items = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        let outcome = match ids::decode(&format!("{field}.{i}"), kind, &id) {
            Ok(uuid) => f(uuid).await,
            Err(e) => Err(e),
        };
        items.push(match outcome {
            Ok(()) => BulkItem {
                id,
                ok: true,
                code: None,
                message: None,
            },
            Err(AppError::Internal(e)) => return Err(AppError::Internal(e).into()),
            Err(e) => BulkItem {
                id,
                ok: false,
                code: Some(e.code().to_owned()),
                message: Some(e.to_string()),
            },
        });
    }
    let succeeded = items.iter().filter(|i| i.ok).count() as i32;
    Ok(BulkResult {
        succeeded,
        failed: items.len() as i32 - succeeded,
        items,
    })
}

/// One teacher's result in a course, as the provider reports it ("who organises, registers").
#[derive(InputObject)]
pub struct CompletionInput {
    /// The teacher. A trainee must hold a place in the course; an instructor must teach at a
    /// school in the provider's region's subtree. Give this or `teacherNumber`.
    pub teacher_id: Option<ID>,
    /// The teacher's number (教师编号), when the row does not give `teacherId`; a number that
    /// names no teacher rejects the row on `teacherNumber`.
    pub teacher_number: Option<String>,
    /// Hours attended; required for trainees.
    pub attended_hours: Option<Decimal>,
    /// Whether the teacher passed the assessment; a failed trainee earns nothing.
    pub passed: bool,
    /// 0–100.
    pub score: Option<Decimal>,
    /// TRAINEE (the default) or INSTRUCTOR.
    #[graphql(default_with = "enums::ParticipationRole::Trainee")]
    pub role: enums::ParticipationRole,
    /// Hours taught; required for instructors.
    pub taught_hours: Option<Decimal>,
}

/// A completion row that was not posted, and why.
#[derive(SimpleObject)]
pub struct RowRejection {
    /// 1-based: the position in `rows`, or the row in the uploaded file as a spreadsheet
    /// program numbers it (the header is row 1).
    pub row: i32,
    /// The column or input field at fault, e.g. `attendedHours`.
    pub field: String,
    /// A stable code: NOT_FOUND, INVALID_ID, NOT_ENROLLED, NOT_IN_PROVIDER_REGION, OUT_OF_RANGE,
    /// INVALID_FORMAT, REQUIRED…
    pub code: String,
    /// What is wrong, for a person to read.
    pub message: String,
}

pub struct CompletionBatchResult {
    outcome: completions::BatchOutcome,
}

/// What `recordCompletions` or `importCompletions` did with the rows: good rows post even when
/// others are rejected.
#[Object]
impl CompletionBatchResult {
    /// Rows that became credit records.
    async fn accepted(&self) -> u64 {
        self.outcome.accepted
    }
    /// Rows already recorded before (a retry, or the same row twice): nothing changed.
    async fn duplicates(&self) -> u64 {
        self.outcome.duplicates
    }
    /// Rows refused, each with its row number, field and code.
    async fn rejected(&self) -> Vec<RowRejection> {
        self.outcome
            .rejected
            .iter()
            .map(|r| RowRejection {
                row: i32::try_from(r.row).unwrap_or(i32::MAX),
                field: r.field.clone(),
                code: r.code.to_owned(),
                message: r.message.clone(),
            })
            .collect()
    }
    /// The records created by this call.
    async fn records(&self, ctx: &Context<'_>) -> Result<Vec<CreditRecord>> {
        Ok(super::ledger::load_many(ctx, &self.outcome.record_ids).await?)
    }
}

#[derive(Default)]
pub struct CatalogueQuery;

#[Object]
impl CatalogueQuery {
    /// Approved courses for everybody; a provider also sees its own drafts, a region admin those
    /// of providers in its subtree. Oldest first unless `orderBy` says otherwise; a cursor
    /// belongs to the order it was read in.
    #[graphql(
        complexity = "first.unwrap_or(20).max(0) as usize * child_complexity",
        cache_control(max_age = 60)
    )]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the courses matching every field given.")] filter: Option<
            CourseFilter,
        >,
        #[graphql(desc = "The sort order; oldest first when left out.")] order_by: Option<
            CourseOrder,
        >,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<Course>> {
        let state = ctx.state()?;
        let page = PageRequest::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().parse()?;
        let order = order_by.map(Into::into);
        let viewer = ctx.auth().principal().ok();
        // Counting is the dearest part of a page: only when the client asks for it.
        let with_total = ctx.look_ahead().field("totalCount").exists();
        let today = state.clock.today();
        let rows = svc::list(state, viewer, &filter, order, &page, today, with_total).await?;
        Ok(from_page(rows, page.after.is_some(), Course))
    }

    /// One course by id; null when there is none or the caller may not see it (not yet
    /// approved).
    #[graphql(cache_control(max_age = 60))]
    async fn course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course's global id.")] id: ID,
    ) -> Result<Option<Course>> {
        let course = ids::decode("id", Kind::Course, &id)?;
        Ok(svc::get(ctx.state()?, ctx.auth().principal().ok(), course)
            .await?
            .map(Course))
    }
}

#[derive(Default)]
pub struct CatalogueMutation;

#[Object]
impl CatalogueMutation {
    /// Creates a DRAFT course for a provider; for those who manage the provider.
    async fn create_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course to create.")] input: CourseInput,
    ) -> Result<Course> {
        let guard = ctx.guard()?;
        let (provider, draft) = input.parse()?;
        Ok(Course(
            svc::create(ctx.state()?, &guard, provider, draft).await?,
        ))
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
        Ok(Course(
            svc::update(ctx.state()?, &guard, course, provider, draft).await?,
        ))
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
        Ok(Enrollment(
            enrolment::enroll(
                ctx.state()?,
                &guard,
                course,
                teacher,
                ctx.state()?.clock.today(),
            )
            .await?,
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
                enrolment::enroll(state, guard, course, teacher, today)
                    .await
                    .map(|_| ())
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
        Ok(Enrollment(
            enrolment::withdraw(ctx.state()?, &guard, id).await?,
        ))
    }

    /// Posts completions as CERTIFIED credit records. Each row is idempotent; bad rows are
    /// reported by row number and field while the good rows post.
    async fn record_completions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course the rows belong to; the caller must manage its provider.")]
        course_id: ID,
        #[graphql(desc = "At most 5000 rows; upload larger batches with `importCompletions`.")]
        rows: Vec<CompletionInput>,
    ) -> Result<CompletionBatchResult> {
        if rows.len() > 5000 {
            return Err(AppError::invalid(
                "rows",
                "OUT_OF_RANGE",
                crate::msg!("completions.bulk_rows", max = 5000),
            )
            .into());
        }
        post_completions(ctx, &course_id, |course| {
            let hours = Amount::from_e4(course.hours_e4);
            Ok(rows
                .into_iter()
                .enumerate()
                .map(|(i, r)| typed_row(i + 1, r, hours))
                .collect())
        })
        .await
    }

    /// The same as `recordCompletions`, from a file (GraphQL multipart request): a CSV in UTF-8
    /// (with or without BOM) or GB18030/GBK, or an XLSX workbook (its first sheet). A header row
    /// names the columns teacherId or teacherNumber, attendedHours, passed, score, role and
    /// taughtHours, or in Chinese 教师ID, 教师编号, 实际学时, 是否合格, 成绩, 角色, 授课学时
    /// (`GET /templates/completions.xlsx`); rejected rows carry the spreadsheet's row numbers.
    async fn import_completions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course the rows belong to; the caller must manage its provider.")]
        course_id: ID,
        #[graphql(desc = "The CSV or XLSX file, as a GraphQL multipart upload.")] file: Upload,
    ) -> Result<CompletionBatchResult> {
        let mut content = Vec::new();
        let mut upload = file.value(ctx).map_err(|e| {
            AppError::invalid(
                "file",
                "INVALID_UPLOAD",
                crate::msg!("completions.bad_upload", detail = e.to_string()),
            )
        })?;
        std::io::Read::read_to_end(&mut upload.content, &mut content)
            .map_err(AppError::internal)?;
        post_completions(ctx, &course_id, |course| {
            csv_import::parse(&content, Amount::from_e4(course.hours_e4))
        })
        .await
    }
}

/// Authorizes, builds the rows once the course is known, and posts them.
async fn post_completions(
    ctx: &Context<'_>,
    course_id: &ID,
    rows: impl FnOnce(&courses::Model) -> AppResult<Vec<IncomingRow>>,
) -> Result<CompletionBatchResult> {
    let state = ctx.state()?;
    let guard = ctx.guard()?;
    let course_id = ids::decode("courseId", Kind::Course, course_id)?;
    let (course, permit) = completions::authorize(state, &guard, course_id).await?;
    let incoming = rows(&course)?;
    let recorded_by = Some(guard.principal().account_id);
    let outcome = completions::record(
        state,
        &permit,
        &course,
        incoming,
        recorded_by,
        state.clock.today(),
    )
    .await?;
    Ok(CompletionBatchResult { outcome })
}

/// A typed GraphQL row checked by the same rules as a CSV row.
fn typed_row(row: usize, r: CompletionInput, course_hours: Amount) -> IncomingRow {
    let facts = CompletionFacts {
        attended_hours: r.attended_hours.map(|d| d.0).unwrap_or(Amount::ZERO),
        passed: r.passed,
        score: r.score.map(|d| d.0),
        role: r.role.into(),
        taught_hours: r.taught_hours.map(|d| d.0),
    };
    let checked =
        if r.attended_hours.is_none() && facts.role == domain::codes::ParticipationRole::Trainee {
            Err(FieldError::new(
                "attendedHours",
                domain::error::InputError::REQUIRED,
                "is required for a trainee",
            )
            .with(crate::msg!("input.required_for_trainee")))
        } else {
            validate_completion(&facts, course_hours).map(|()| facts)
        };
    IncomingRow {
        row,
        teacher: r.teacher_id.map(|id| id.0).unwrap_or_default(),
        teacher_number: r.teacher_number,
        facts: checked,
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
    Ok(Course(
        svc::transition(ctx.state()?, &guard, course, action, comment).await?,
    ))
}
