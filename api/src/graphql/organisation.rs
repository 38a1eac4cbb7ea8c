//! Schools, providers and universities, and the mutations that register them and their
//! teachers. Regions are in `regions.rs`, a teacher's file in `teacher_file.rs`.

use super::connection::{from_page, Conn};
use super::enums;
use super::ids::{self, Kind};
use super::regions::{region_of, Region};
use super::scalars::Date;
use super::teacher_file::Teacher;
use super::ContextExt;
use crate::auth::{RegionNeed, UniversityNeed};
use crate::error::{AppError, AppResult};
use crate::services::organisation::{
    self as svc, NewProvider, NewSchool, NewTeacher, NewUniversity,
};
use crate::services::page::PageRequest;
use crate::services::teachers;
use crate::services::university_lists;
use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};
use domain::identity::{parse_list, Name, Password, Subject, Username};
use entities::{providers, schools, universities};

const INSTITUTION_NAME_MAX: usize = 100;
pub const PERSON_NAME_MAX: usize = 50;

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
        let access = ctx.guard()?.school_roster(&self.0)?;
        let rows = teachers::school_teachers(ctx.state()?, &access, &page).await?;
        Ok(from_page(rows, page_after, Teacher))
    }
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
        Ok(crate::rows::code::<domain::codes::TrainingLevel>(&self.0.level)?.into())
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
    /// The conversions teachers asked of this university's mappings, oldest request first: its
    /// work list (`status: REQUESTED` for those waiting for a decision). For the university's
    /// admins (`FORBIDDEN` for anyone else, the admins of its region too).
    async fn conversions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only conversions in this state; all when left out.")] status: Option<
            enums::ConversionStatus,
        >,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<super::universities::Conversion>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .university(&state.db, self.0.id, UniversityNeed::ReadWork)
            .await?;
        let rows =
            university_lists::conversions(state, &access, status.map(Into::into), &page).await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::universities::Conversion,
        ))
    }
    /// The access grants teachers gave this university, oldest first, revoked and expired ones
    /// included (`active` tells which hold today). For the university's admins.
    async fn access_grants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<super::universities::AccessGrant>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .university(&state.db, self.0.id, UniversityNeed::ReadWork)
            .await?;
        let rows = university_lists::access_grants(state, &access, &page).await?;
        let today = state.clock.today();
        Ok(from_page(rows, page.after.is_some(), |g| {
            super::universities::AccessGrant::new(g, today)
        }))
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
        let region = svc::known_region(&state.regions, "input.regionCode", &input.region_code)?;
        let new = NewSchool {
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
        };
        let access = guard.region(&region, RegionNeed::Organise)?;
        Ok(School(svc::create_school(state, &access, new).await?))
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
        let school = ids::decode("input.schoolId", Kind::School, &input.school_id)?;
        let new = NewTeacher {
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
        let access = guard
            .new_teacher(&state.db, school, new.login.is_some())
            .await?;
        Ok(Teacher(svc::create_teacher(state, access, new).await?))
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
        let state = ctx.state()?;
        let access = guard.transfer(&state.db, teacher, school).await?;
        Ok(Teacher(
            teachers::transfer_teacher(state, &access, on.0).await?,
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
        let region = svc::known_region(&state.regions, "input.regionCode", &input.region_code)?;
        let new = NewProvider {
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
            level: input.level.into(),
        };
        let access = guard.region(&region, RegionNeed::Organise)?;
        Ok(Provider(svc::create_provider(state, &access, new).await?))
    }

    /// Registers a university; for the region admins over its region.
    async fn create_university(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The university to create.")] input: CreateUniversityInput,
    ) -> Result<University> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let region = svc::known_region(&state.regions, "input.regionCode", &input.region_code)?;
        let new = NewUniversity {
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
        };
        let access = guard.region(&region, RegionNeed::Organise)?;
        Ok(University(
            svc::create_university(state, &access, new).await?,
        ))
    }
}
