//! Regions, schools, teachers, providers and universities.

use super::connection::{from_page, Conn};
use super::enums;
use super::ids::{self, Kind};
use super::scalars::Date;
use super::ContextExt;
use crate::error::{AppError, AppResult};
use crate::services::organisation::{
    self as svc, parse_json_list, NewProvider, NewSchool, NewTeacher, NewUniversity,
};
use crate::services::page::PageRequest;
use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};
use domain::codes::Stage;
use domain::identity::{parse_list, Name, Password, Subject, Username};
use domain::region::{RegionCode, RegionNode};
use entities::{providers, schools, teachers, universities};
use std::str::FromStr;

const INSTITUTION_NAME_MAX: usize = 100;
pub const PERSON_NAME_MAX: usize = 50;

pub struct Region(pub RegionNode);

/// An administrative region of the GB/T 2260 tree (country → province → city → county or
/// district). Credits are earned in a region and policies are assigned to regions. Public.
#[Object]
impl Region {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Region, &self.0.code)
    }
    /// GB/T 2260 six-digit code.
    async fn code(&self) -> &str {
        self.0.code.as_str()
    }
    /// The region's official name, e.g. 市南区.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Where the region sits in the tree.
    async fn level(&self) -> enums::RegionLevel {
        self.0.level.into()
    }
    /// The region directly above; null for the national root.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let state = ctx.state()?;
        Ok(self
            .0
            .parent
            .as_ref()
            .and_then(|p| state.regions.get(p))
            .cloned()
            .map(Region))
    }
    /// The policy in force on `on` (default today): the nearest assignment on the way up that
    /// took effect by then; null when none has. Needs a signed-in caller.
    async fn effective_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to ask about; default today.")] on: Option<Date>,
    ) -> Result<Option<super::policies::CreditPolicy>> {
        super::policies::effective_policy(ctx, &self.0.code, on).await
    }
    /// The regions directly below, by code (GB/T 2260 codes are fixed, not created).
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let state = ctx.state()?;
        Ok(state
            .regions
            .children(&self.0.code)
            .into_iter()
            .cloned()
            .map(Region)
            .collect())
    }
}

pub fn region_of(ctx: &Context<'_>, code: &str) -> AppResult<Option<Region>> {
    let state = ctx.state()?;
    Ok(RegionCode::parse(code)
        .ok()
        .and_then(|c| state.regions.get(&c))
        .cloned()
        .map(Region))
}

pub struct School(pub schools::Model);

/// A primary or secondary school (or kindergarten) in a region; its teachers' records are kept
/// here. The school itself (name, region) is public.
#[Object]
impl School {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::School, self.0.id)
    }
    /// The school's name, e.g. 青岛市市南区实验小学.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The region (usually a county or district) the school belongs to.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(region_of(ctx, &self.0.region_code)?)
    }
    /// The school's teachers, oldest record first: for its school admin and the region admins
    /// above it.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn teachers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<Teacher>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let page_after = page.after.is_some();
        let rows = svc::school_teachers(ctx.state()?, &ctx.guard()?, &self.0, &page).await?;
        Ok(from_page(rows, page_after, Teacher))
    }
}

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
        parse_json_list(&self.0.stages)
            .iter()
            .filter_map(|s| Stage::from_str(s).ok())
            .map(Into::into)
            .collect()
    }
    /// The subjects the teacher teaches, as free text (e.g. 数学).
    async fn subjects(&self) -> Vec<String> {
        parse_json_list(&self.0.subjects)
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
        let rows = crate::services::ledger::records(
            ctx.state()?,
            &ctx.guard()?,
            self.0.id,
            &filter,
            &page,
        )
        .await?;
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
    ) -> Result<Conn<super::catalogue::Enrollment>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let rows = crate::services::enrolment::of_teacher(
            ctx.state()?,
            &ctx.guard()?,
            self.0.id,
            status.map(Into::into),
            &page,
        )
        .await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::catalogue::Enrollment,
        ))
    }
    /// Totals of the certified credits, with their breakdowns; each figure is a sum of records.
    async fn credit_account(
        &self,
        ctx: &Context<'_>,
    ) -> Result<super::credit_account::CreditAccount> {
        Ok(
            crate::services::ledger::account(ctx.state()?, &ctx.guard()?, self.0.id)
                .await?
                .into(),
        )
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
        Ok(crate::services::compliance::for_teacher(
            ctx.state()?,
            &ctx.guard()?,
            self.0.id,
            as_of,
            include_pending,
        )
        .await?
        .into())
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

pub struct Provider(pub providers::Model);

/// A training provider (培训机构), e.g. a teacher development centre: publishes courses,
/// enrols teachers and reports completions. Public.
#[Object]
impl Provider {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Provider, self.0.id)
    }
    /// The provider's name, e.g. 青岛市教育科学研究院.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The training level the provider runs courses at.
    async fn level(&self) -> Result<enums::TrainingLevel> {
        Ok(domain::codes::TrainingLevel::from_str(&self.0.level)
            .map_err(AppError::corrupt)?
            .into())
    }
    /// The provider's region: the admins over it approve its courses, and it enrols and reports
    /// teachers of schools in its subtree.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(region_of(ctx, &self.0.region_code)?)
    }
    /// When the provider was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct University(pub universities::Model);

/// A university that turns training credits into its own academic credits (seed 002's
/// "overpass" into degree study): it publishes courses and transfer mappings and decides
/// conversions. Public.
#[Object]
impl University {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::University, self.0.id)
    }
    /// The university's name, e.g. 山东师范大学.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The region the university is registered in.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(region_of(ctx, &self.0.region_code)?)
    }
}

#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// A region by its GB/T 2260 code; null when no region has that code. Public.
    #[graphql(cache_control(max_age = 3600))]
    async fn region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A six-digit GB/T 2260 code, e.g. \"370202\".")] code: String,
    ) -> Result<Option<Region>> {
        RegionCode::parse(&code).map_err(|e| AppError::bad_input("code", e))?;
        Ok(region_of(ctx, &code)?)
    }

    /// The root regions (the national level), by code, to walk the tree from the top; public.
    #[graphql(cache_control(max_age = 3600))]
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let state = ctx.state()?;
        Ok(state
            .regions
            .roots()
            .into_iter()
            .cloned()
            .map(Region)
            .collect())
    }
}

/// A new school.
#[derive(InputObject)]
pub struct CreateSchoolInput {
    /// The GB/T 2260 code of the school's region, within the caller's subtree.
    pub region_code: String,
    /// The school's name, at most 100 characters.
    pub name: String,
}

/// A new teacher, optionally with a login.
#[derive(InputObject)]
pub struct CreateTeacherInput {
    /// The teacher's school; the caller must administer it (its school admin or a region admin
    /// over it).
    pub school_id: ID,
    /// The teacher's full name, at most 50 characters.
    pub name: String,
    /// The day the teacher was hired; new-hire requirements depend on it.
    pub hired_on: Option<Date>,
    /// The school stages the teacher teaches at.
    #[graphql(default)]
    pub stages: Vec<enums::Stage>,
    /// The subjects the teacher teaches (free text, at most 20).
    #[graphql(default)]
    pub subjects: Vec<String>,
    /// Serves as a class head teacher (班主任).
    #[graphql(default)]
    pub head_teacher: bool,
    /// Graduated from a normal (teacher-training) programme (师范类).
    #[graphql(default)]
    pub normal_school_graduate: bool,
    /// The teacher's number (教师编号) as the school's own records know it: up to 40 letters,
    /// digits, `-`, `_` and `.` (letters are upper-cased); unique across the credit bank.
    /// Completion rows and files may name the teacher by it.
    pub teacher_number: Option<String>,
    /// With `password`, also creates the teacher's login (a TEACHER account).
    pub username: Option<String>,
    /// The login's password (8 to 128 characters); required with `username`.
    pub password: Option<String>,
}

/// A new training provider.
#[derive(InputObject)]
pub struct CreateProviderInput {
    /// The GB/T 2260 code of the provider's region, within the caller's subtree.
    pub region_code: String,
    /// The provider's name, at most 100 characters.
    pub name: String,
    /// The training level the provider runs courses at.
    pub level: enums::TrainingLevel,
}

/// A new university.
#[derive(InputObject)]
pub struct CreateUniversityInput {
    /// The GB/T 2260 code of the university's region, within the caller's subtree.
    pub region_code: String,
    /// The university's name, at most 100 characters.
    pub name: String,
}

fn name(field: &str, value: &str, max: usize) -> AppResult<Name> {
    Name::parse(value, max).map_err(|e| AppError::bad_input(field, e))
}

#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Registers a school; for the region admins over its region.
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school to create.")] input: CreateSchoolInput,
    ) -> Result<School> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let new = NewSchool {
            region: svc::known_region(&state.regions, "input.regionCode", &input.region_code)?,
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
        };
        Ok(School(svc::create_school(state, &guard, new).await?))
    }

    /// Registers a teacher at a school (and its login, with `username` and `password`); for the
    /// school's admin and the region admins over it.
    async fn create_teacher(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher to create.")] input: CreateTeacherInput,
    ) -> Result<Teacher> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let login = match (input.username, input.password) {
            (Some(u), Some(p)) => Some((
                Username::parse(&u).map_err(|e| AppError::bad_input("input.username", e))?,
                Password::parse(p).map_err(|e| AppError::bad_input("input.password", e))?,
            )),
            (None, None) => None,
            (Some(_), None) => {
                return Err(AppError::invalid(
                    "input.password",
                    "REQUIRED",
                    crate::msg!("accounts.login_needs_password"),
                )
                .into())
            }
            (None, Some(_)) => {
                return Err(AppError::invalid(
                    "input.username",
                    "REQUIRED",
                    crate::msg!("accounts.login_needs_username"),
                )
                .into())
            }
        };
        let new = NewTeacher {
            school_id: ids::decode("input.schoolId", Kind::School, &input.school_id)?,
            name: name("input.name", &input.name, PERSON_NAME_MAX)?,
            hired_on: input.hired_on.map(|d| d.0),
            stages: input.stages.into_iter().map(Into::into).collect(),
            subjects: parse_list(&input.subjects, Subject::parse, 20)
                .map_err(|(i, e)| AppError::bad_input(format!("input.subjects.{i}"), e))?,
            head_teacher: input.head_teacher,
            normal_school_graduate: input.normal_school_graduate,
            teacher_number: input
                .teacher_number
                .map(|n| domain::teacher_number::TeacherNumber::parse(&n))
                .transpose()
                .map_err(|e| AppError::bad_input("input.teacherNumber", e))?,
            login,
        };
        Ok(Teacher(svc::create_teacher(state, &guard, new).await?))
    }

    /// Moves a teacher to another school from `on`; every credit record stays on their file and
    /// keeps the region where it was earned. The caller must manage the teacher on both sides
    /// (a region admin over both schools, or a SYSTEM_ADMIN); a teacher cannot move itself.
    async fn transfer_teacher(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher to move.")] teacher_id: ID,
        #[graphql(desc = "The school the teacher moves to.")] to_school_id: ID,
        #[graphql(desc = "The first day at the new school.")] on: Date,
    ) -> Result<Teacher> {
        let guard = ctx.guard()?;
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let school = ids::decode("toSchoolId", Kind::School, &to_school_id)?;
        Ok(Teacher(
            svc::transfer_teacher(ctx.state()?, &guard, teacher, school, on.0).await?,
        ))
    }

    /// Registers a training provider; for the region admins over its region.
    async fn create_provider(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The provider to create.")] input: CreateProviderInput,
    ) -> Result<Provider> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let new = NewProvider {
            region: svc::known_region(&state.regions, "input.regionCode", &input.region_code)?,
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
            level: input.level.into(),
        };
        Ok(Provider(svc::create_provider(state, &guard, new).await?))
    }

    /// Registers a university; for the region admins over its region.
    async fn create_university(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The university to create.")] input: CreateUniversityInput,
    ) -> Result<University> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let new = NewUniversity {
            region: svc::known_region(&state.regions, "input.regionCode", &input.region_code)?,
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
        };
        Ok(University(
            svc::create_university(state, &guard, new).await?,
        ))
    }
}
