//! The Teacher type: a teacher's file (教师档案) with its school, records, places, credit
//! account and compliance.

use super::connection::{from_page, Conn};
use super::enums;
use super::ids::{self, Kind};
use super::organisation::School;
use super::regions::{region_of, Region};
use super::scalars::Date;
use super::ContextExt;
use crate::auth::TeacherNeed;
use crate::error::AppError;
use crate::rows;
use crate::services::page::PageRequest;
use async_graphql::{Context, Object, Result, ID};
use entities::{schools, teachers};

pub struct Teacher(pub teachers::Model);

/// A teacher's file (教师档案): who they are, where they teach, and their credit ledger and
/// compliance. Readable by the teacher, its school admin, the region admins over the school, a
/// provider for the teachers in its courses, and a university while the teacher's access grant
/// is in force.
#[Object]
impl Teacher {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.id)
    }
    /// The teacher's full name, e.g. 张伟.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The day the teacher was hired; null when not recorded (then no new-hire requirement
    /// applies).
    async fn hired_on(&self) -> Option<Date> {
        self.0.hired_on.map(Date)
    }
    /// Serves as a class head teacher (班主任); some schemes require head-teacher training.
    async fn head_teacher(&self) -> bool {
        self.0.head_teacher
    }
    /// Graduated from a normal (teacher-training) programme; some probation totals depend on it.
    async fn normal_school_graduate(&self) -> bool {
        self.0.normal_school_graduate
    }
    /// The teacher's number (教师编号), unique where set; null when none was recorded.
    /// Completion rows and files may name the teacher by it instead of `teacherId`.
    async fn teacher_number(&self) -> Option<&str> {
        self.0.teacher_number.as_deref()
    }
    /// The school stages the teacher teaches at.
    async fn stages(&self) -> Vec<enums::Stage> {
        rows::stages(&self.0.stages)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// The subjects the teacher teaches, as free text (e.g. 数学).
    async fn subjects(&self) -> Vec<String> {
        rows::parse_json_list(&self.0.subjects)
    }
    /// The teacher's current school (`transferTeacher` changes it).
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        Ok(School(school_of(ctx, self.0.school_id).await?))
    }
    /// The teacher's credit records, newest registration last, every status and reversals
    /// included. The teacher, its school admin, the region admins over it and a university
    /// under the teacher's access grant read all of them; a provider only those its own courses
    /// produced.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn credit_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the records matching every field given.")] filter: Option<
            super::ledger::CreditRecordFilter,
        >,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<super::ledger::CreditRecord>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().parse()?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, self.0.id, TeacherNeed::Records)
            .await?;
        let rows = crate::services::ledger::records(state, &access, &filter, &page).await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::ledger::CreditRecord,
        ))
    }
    /// The teacher's places in courses (enrolled, waitlisted, withdrawn, completed, failed), in
    /// the order they were taken.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
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
            .teacher(&state.db, self.0.id, TeacherNeed::Places)
            .await?;
        let rows =
            crate::services::enrolment::of_teacher(state, &access, status.map(Into::into), &page)
                .await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::enrolment::Enrollment,
        ))
    }
    /// Totals of the certified credits, with their breakdowns; each figure is a sum of records.
    async fn credit_account(
        &self,
        ctx: &Context<'_>,
    ) -> Result<super::credit_account::CreditAccount> {
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, self.0.id, TeacherNeed::Records)
            .await?;
        Ok(crate::services::ledger::account(state, &access)
            .await?
            .into())
    }
    /// Compliance on `asOf` (default today); the same as `Query.compliance` for this teacher.
    #[graphql(complexity = "crate::graphql::weights::COMPLIANCE + child_complexity")]
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The day to evaluate; its period (cycle or year) is reported. Default today."
        )]
        as_of: Option<Date>,
        #[graphql(
            default = false,
            desc = "Count claims still under review as if certified (a forecast; noted PENDING_INCLUDED)."
        )]
        include_pending: bool,
    ) -> Result<super::compliance::ComplianceReport> {
        let as_of = as_of.map_or_else(|| ctx.state().map(|s| s.clock.today()), |d| Ok(d.0))?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, self.0.id, TeacherNeed::Compliance)
            .await?;
        Ok(
            crate::services::compliance::of_access(state, &access, as_of, include_pending)
                .await?
                .into(),
        )
    }
    /// The region of the teacher's current school.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let school = school_of(ctx, self.0.school_id).await?;
        Ok(region_of(ctx, &school.region_code)?)
    }
}

/// A school through the request's DataLoader: a page of teachers loads its schools at once.
async fn school_of(ctx: &Context<'_>, id: uuid::Uuid) -> Result<schools::Model> {
    let loaders = ctx.data::<super::loaders::Loaders>()?;
    Ok(loaders
        .schools
        .load_one(id)
        .await?
        .ok_or_else(|| AppError::not_found("school"))?)
}
