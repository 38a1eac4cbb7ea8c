//! `importCourses`: a provider's courses from one spreadsheet, upserted as drafts by code
//! (API.md "Providers' and universities' systems"; the rules are in services::course_import).

use super::batch::RowRejection;
use super::course::Course;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::error::AppError;
use crate::services::completions::RowError;
use crate::services::course_import::{self, CourseImportOutcome};
use async_graphql::{Context, Object, Result, Upload, ID};

pub struct CourseImportResult(CourseImportOutcome);

/// What `importCourses` did with the file's rows: each row created a draft, rewrote one, left
/// one as it was, or was rejected (with its row number, field and code) while the rest went in.
#[Object]
impl CourseImportResult {
    /// Rows whose code was new: each created a DRAFT course.
    async fn created(&self) -> u64 {
        self.0.created
    }
    /// Rows that rewrote the provider's DRAFT course with that code.
    async fn updated(&self) -> u64 {
        self.0.updated
    }
    /// Rows equal to the DRAFT course with that code: nothing changed (a file imported again).
    async fn unchanged(&self) -> u64 {
        self.0.unchanged
    }
    /// Rows refused: invalid fields, a code repeated in the file (DUPLICATE_CODE), or a course
    /// that is no longer a draft (NOT_DRAFT: change it with `updateCourse`).
    async fn rejected(&self) -> Vec<RowRejection> {
        self.0.rejected.iter().map(rejection).collect()
    }
    /// The courses this import created or rewrote, in file order.
    async fn courses(&self, ctx: &Context<'_>) -> Result<Vec<Course>> {
        let state = ctx.state()?;
        let found = course_import::courses(state, &self.0.course_ids).await?;
        Ok(found.into_iter().map(Course).collect())
    }
}

pub fn rejection(r: &RowError) -> RowRejection {
    RowRejection {
        row: i32::try_from(r.row).unwrap_or(i32::MAX),
        field: r.field.clone(),
        code: r.code.to_owned(),
        message: r.message.clone(),
    }
}

#[derive(Default)]
pub struct CourseImportMutation;

#[Object]
impl CourseImportMutation {
    /// Creates or rewrites a provider's DRAFT courses from a CSV (UTF-8 or GB18030) or XLSX
    /// file whose header row names `CourseInput` fields, in English or Chinese (课程编号,
    /// 课程名称, 培训级别, 培训形式, 课程类别, 学时…; `GET /templates/courses.xlsx`). A row
    /// whose code the provider already has rewrites that draft; importing the same file
    /// twice changes nothing (`unchanged`). The caller must manage the provider.
    async fn import_courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The provider whose courses the file lists.")] provider_id: ID,
        #[graphql(desc = "The CSV or XLSX file, as a GraphQL multipart upload.")] file: Upload,
    ) -> Result<CourseImportResult> {
        let provider = ids::decode("providerId", Kind::Provider, &provider_id)?;
        let content = read_upload(ctx, &file)?;
        let state = ctx.state()?;
        // Refused as a whole, before the file is read, rather than once per row.
        let access = ctx
            .guard()?
            .provider(&state.db, provider, "providerId")
            .await?;
        let outcome = course_import::import(state, &access, &content).await?;
        Ok(CourseImportResult(outcome))
    }
}

/// The whole uploaded file.
pub fn read_upload(ctx: &Context<'_>, file: &Upload) -> Result<Vec<u8>, AppError> {
    let mut upload = file.value(ctx).map_err(|e| {
        AppError::invalid(
            "file",
            "INVALID_UPLOAD",
            crate::msg!("completions.bad_upload", detail = e.to_string()),
        )
    })?;
    let mut content = Vec::new();
    std::io::Read::read_to_end(&mut upload.content, &mut content).map_err(AppError::internal)?;
    Ok(content)
}
