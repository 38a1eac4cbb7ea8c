//! Completions posted by a course's provider, typed (`recordCompletions`) or uploaded
//! (`importCompletions`), and what became of the rows.

use super::batch::RowRejection;
use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::scalars::Decimal;
use super::ContextExt;
use crate::auth::CourseNeed;
use crate::error::{AppError, AppResult};
use crate::services::completions::{self, IncomingRow};
use crate::services::csv_import;
use async_graphql::{Context, InputObject, Object, Result, Upload, ID};
use domain::amount::Amount;
use domain::completion::{validate_completion, CompletionFacts};
use domain::error::FieldError;
use entities::courses;

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
pub struct CompletionMutation;

#[Object]
impl CompletionMutation {
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
    let access = guard
        .course(&state.db, course_id, CourseNeed::ReportCompletions)
        .await?;
    let (course, permit) = completions::authorize(access)?;
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
