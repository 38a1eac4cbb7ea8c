//! Catalogue, course selection and completions (API.md "Catalogue, selection, completions").

use super::connection::{from_page, Conn};
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
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Upload, ID};
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

#[Object]
impl Course {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Course, self.0.id)
    }
    async fn provider(&self, ctx: &Context<'_>) -> Result<Provider> {
        let loaders = ctx.data::<Loaders>()?;
        let p = loaders.providers.load_one(self.0.provider_id).await?;
        Ok(Provider(p.ok_or_else(|| AppError::not_found("provider"))?))
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn level(&self) -> Result<enums::TrainingLevel> {
        Ok(domain::codes::TrainingLevel::from_str(&self.0.level)
            .map_err(AppError::corrupt)?
            .into())
    }
    async fn modality(&self) -> Result<enums::Modality> {
        Ok(domain::codes::Modality::from_str(&self.0.modality)
            .map_err(AppError::corrupt)?
            .into())
    }
    /// A category key of ../shared/DOMAIN.md "Categories" (or one a policy adds).
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn compulsory(&self) -> bool {
        self.0.compulsory
    }
    async fn hours(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.hours_e4))
    }
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }
    async fn target_stages(&self) -> Vec<enums::Stage> {
        parse_json_list(&self.0.target_stages)
            .iter()
            .filter_map(|s| Stage::from_str(s).ok())
            .map(Into::into)
            .collect()
    }
    async fn subjects(&self) -> Vec<String> {
        parse_json_list(&self.0.subjects)
    }
    async fn enrollment_opens_on(&self) -> Option<Date> {
        self.0.enrollment_opens_on.map(Date)
    }
    async fn enrollment_closes_on(&self) -> Option<Date> {
        self.0.enrollment_closes_on.map(Date)
    }
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    async fn status(&self) -> Result<enums::CourseStatus> {
        Ok(status_of(&self.0)?.into())
    }
    async fn enrolled_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(seats(ctx, &self.0).await?.0)
    }
    async fn waitlisted_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(seats(ctx, &self.0).await?.1)
    }
    /// Approval decisions with the reviewers' comments; shown to those who manage the provider.
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
}

async fn seats(ctx: &Context<'_>, course: &courses::Model) -> Result<(i64, i64)> {
    Ok(ctx
        .data::<Loaders>()?
        .seats
        .load_one(course.id)
        .await?
        .unwrap_or_default())
}

#[derive(SimpleObject)]
pub struct CourseReview {
    pub decision: enums::Decision,
    pub comment: Option<String>,
    pub at: chrono::DateTime<Utc>,
}

pub struct Enrollment(pub enrollments::Model);

#[Object]
impl Enrollment {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Enrollment, self.0.id)
    }
    async fn course(&self, ctx: &Context<'_>) -> Result<Option<Course>> {
        let state = ctx.state()?;
        let viewer = ctx.auth().principal().ok();
        Ok(svc::get(state, viewer, self.0.course_id).await?.map(Course))
    }
    async fn teacher_id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.teacher_id)
    }
    async fn status(&self) -> Result<enums::EnrollmentStatus> {
        Ok(EnrollmentStatus::from_str(&self.0.status)
            .map_err(AppError::corrupt)?
            .into())
    }
    async fn enrolled_at(&self) -> chrono::DateTime<Utc> {
        self.0.enrolled_at
    }
}

#[derive(InputObject)]
pub struct CourseInput {
    pub provider_id: ID,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub level: enums::TrainingLevel,
    pub modality: enums::Modality,
    pub category: String,
    #[graphql(default)]
    pub compulsory: bool,
    pub hours: Decimal,
    pub capacity: Option<i32>,
    #[graphql(default)]
    pub target_stages: Vec<enums::Stage>,
    #[graphql(default)]
    pub subjects: Vec<String>,
    pub enrollment_opens_on: Option<Date>,
    pub enrollment_closes_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

impl CourseInput {
    fn parse(self) -> AppResult<(uuid::Uuid, CourseDraft)> {
        let provider = ids::decode("input.providerId", Kind::Provider, &self.provider_id)?;
        let raw = CourseInputRaw {
            code: self.code,
            title: self.title,
            description: self.description,
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

#[derive(InputObject, Default)]
pub struct CourseFilter {
    /// Words in the title or description (Chinese included), or an exact course code.
    pub search: Option<String>,
    /// Courses of providers in this region's subtree.
    pub region_code: Option<String>,
    pub provider_id: Option<ID>,
    pub level: Option<enums::TrainingLevel>,
    pub modality: Option<enums::Modality>,
    pub category: Option<String>,
    pub stage: Option<enums::Stage>,
    pub subject: Option<String>,
    pub status: Option<enums::CourseStatus>,
    pub open_for_enrollment: Option<bool>,
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
        })
    }
}

#[derive(SimpleObject)]
pub struct BulkItem {
    /// The id the caller sent.
    pub id: ID,
    pub ok: bool,
    /// The error code when not ok (the same codes as `extensions.code`).
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(SimpleObject)]
pub struct BulkResult {
    pub succeeded: i32,
    pub failed: i32,
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

#[derive(InputObject)]
pub struct CompletionInput {
    pub teacher_id: ID,
    /// Hours attended; required for trainees.
    pub attended_hours: Option<Decimal>,
    pub passed: bool,
    /// 0–100.
    pub score: Option<Decimal>,
    #[graphql(default_with = "enums::ParticipationRole::Trainee")]
    pub role: enums::ParticipationRole,
    /// Hours taught; required for instructors.
    pub taught_hours: Option<Decimal>,
}

#[derive(SimpleObject)]
pub struct RowRejection {
    /// 1-based: the position in `rows`, or the line in the CSV file (the header is line 1).
    pub row: i32,
    pub field: String,
    pub code: String,
    pub message: String,
}

pub struct CompletionBatchResult {
    outcome: completions::BatchOutcome,
}

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
    /// of providers in its subtree.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        filter: Option<CourseFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Course>> {
        let state = ctx.state()?;
        let page = PageRequest::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().parse()?;
        let viewer = ctx.auth().principal().ok();
        let rows = svc::list(state, viewer, &filter, page, state.clock.today()).await?;
        Ok(from_page(rows, page.after.is_some(), Course))
    }

    async fn course(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Course>> {
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
    async fn create_course(&self, ctx: &Context<'_>, input: CourseInput) -> Result<Course> {
        let guard = ctx.guard()?;
        let (provider, draft) = input.parse()?;
        Ok(Course(
            svc::create(ctx.state()?, &guard, provider, draft).await?,
        ))
    }

    /// Credit-bearing fields (hours, level, modality, category, compulsory) change only while
    /// the course is a draft without enrolments.
    async fn update_course(&self, ctx: &Context<'_>, id: ID, input: CourseInput) -> Result<Course> {
        let guard = ctx.guard()?;
        let course = ids::decode("id", Kind::Course, &id)?;
        let (provider, draft) = input.parse()?;
        Ok(Course(
            svc::update(ctx.state()?, &guard, course, provider, draft).await?,
        ))
    }

    /// DRAFT → PENDING_APPROVAL.
    async fn publish_course(&self, ctx: &Context<'_>, id: ID) -> Result<Course> {
        transition(ctx, &id, CourseAction::Publish, None).await
    }

    /// By a region admin over the provider: APPROVE → PUBLISHED, REJECT (with a comment) → DRAFT.
    async fn approve_course(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: enums::Decision,
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
                        "a rejection needs a comment",
                    )
                    .into());
                }
                CourseAction::Reject
            }
        };
        transition(ctx, &id, action, comment).await
    }

    /// PUBLISHED → CLOSED: no more enrolments; completions may still be recorded.
    async fn close_course(&self, ctx: &Context<'_>, id: ID) -> Result<Course> {
        transition(ctx, &id, CourseAction::Close, None).await
    }

    /// A teacher enrols itself (omit `teacherId`), or an admin or the provider enrols a teacher.
    /// When the course is full the teacher is WAITLISTED.
    async fn enroll(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
        teacher_id: Option<ID>,
    ) -> Result<Enrollment> {
        let guard = ctx.guard()?;
        let course = ids::decode("courseId", Kind::Course, &course_id)?;
        let teacher = match teacher_id {
            Some(id) => ids::decode("teacherId", Kind::Teacher, &id)?,
            None => match &guard.principal().scope {
                domain::scope::Scope::Teacher { teacher, .. } => *teacher,
                _ => {
                    return Err(AppError::invalid(
                        "teacherId",
                        "REQUIRED",
                        "say which teacher to enrol",
                    )
                    .into())
                }
            },
        };
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
        course_id: ID,
        teacher_ids: Vec<ID>,
    ) -> Result<BulkResult> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let course = ids::decode("courseId", Kind::Course, &course_id)?;
        if teacher_ids.len() > 1000 {
            return Err(AppError::invalid(
                "teacherIds",
                "OUT_OF_RANGE",
                "at most 1000 teachers per call",
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
    async fn withdraw(&self, ctx: &Context<'_>, enrollment_id: ID) -> Result<Enrollment> {
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
        course_id: ID,
        rows: Vec<CompletionInput>,
    ) -> Result<CompletionBatchResult> {
        if rows.len() > 5000 {
            return Err(AppError::invalid(
                "rows",
                "OUT_OF_RANGE",
                "at most 5000 rows per call; upload larger files with importCompletions",
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

    /// The same as `recordCompletions`, from a CSV file (GraphQL multipart request): UTF-8 with
    /// or without BOM, a header row with the columns teacherId, attendedHours, passed, score, role, taughtHours.
    async fn import_completions(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
        file: Upload,
    ) -> Result<CompletionBatchResult> {
        let mut content = Vec::new();
        let mut upload = file.value(ctx).map_err(|e| {
            AppError::invalid(
                "file",
                "INVALID_UPLOAD",
                format!("the upload could not be read: {e}"),
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
            ))
        } else {
            validate_completion(&facts, course_hours).map(|()| facts)
        };
    IncomingRow {
        row,
        teacher: r.teacher_id.0,
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
