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

#[Object]
impl Region {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Region, &self.0.code)
    }
    /// GB/T 2260 six-digit code.
    async fn code(&self) -> &str {
        self.0.code.as_str()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn level(&self) -> enums::RegionLevel {
        self.0.level.into()
    }
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
    /// The policy in force on `on` (default today): the nearest assignment on the way up.
    async fn effective_policy(
        &self,
        ctx: &Context<'_>,
        on: Option<Date>,
    ) -> Result<Option<super::policies::CreditPolicy>> {
        super::policies::effective_policy(ctx, &self.0.code, on).await
    }
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

#[Object]
impl School {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::School, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(region_of(ctx, &self.0.region_code)?)
    }
    /// The school's teachers: for its school admin and the region admins above it.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn teachers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Teacher>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let page_after = page.after.is_some();
        let rows = svc::school_teachers(ctx.state()?, &ctx.guard()?, &self.0, page).await?;
        Ok(from_page(rows, page_after, Teacher))
    }
}

pub struct Teacher(pub teachers::Model);

#[Object]
impl Teacher {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
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
    async fn stages(&self) -> Vec<enums::Stage> {
        parse_json_list(&self.0.stages)
            .iter()
            .filter_map(|s| Stage::from_str(s).ok())
            .map(Into::into)
            .collect()
    }
    async fn subjects(&self) -> Vec<String> {
        parse_json_list(&self.0.subjects)
    }
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        Ok(School(school_of(ctx, self.0.school_id).await?))
    }
    /// The teacher's credit records, newest registration last; see API.md for who may read them.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn credit_records(
        &self,
        ctx: &Context<'_>,
        filter: Option<super::ledger::CreditRecordFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<super::ledger::CreditRecord>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().parse()?;
        let rows =
            crate::services::ledger::records(ctx.state()?, &ctx.guard()?, self.0.id, &filter, page)
                .await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::ledger::CreditRecord,
        ))
    }
    /// The teacher's places in courses (enrolled, waitlisted, withdrawn, completed, failed).
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn enrollments(
        &self,
        ctx: &Context<'_>,
        status: Option<enums::EnrollmentStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<super::catalogue::Enrollment>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let rows = crate::services::enrolment::of_teacher(
            ctx.state()?,
            &ctx.guard()?,
            self.0.id,
            status.map(Into::into),
            page,
        )
        .await?;
        Ok(from_page(
            rows,
            page.after.is_some(),
            super::catalogue::Enrollment,
        ))
    }
    /// Totals of the certified credits, with their breakdowns; each figure is a sum of records.
    async fn credit_account(&self, ctx: &Context<'_>) -> Result<super::ledger::CreditAccount> {
        Ok(
            crate::services::ledger::account(ctx.state()?, &ctx.guard()?, self.0.id)
                .await?
                .into(),
        )
    }
    /// Compliance on `asOf` (default today); the same as `Query.compliance` for this teacher.
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
        #[graphql(default = false)] include_pending: bool,
    ) -> Result<super::policies::ComplianceReport> {
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

#[Object]
impl Provider {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Provider, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The training level the provider runs courses at.
    async fn level(&self) -> Result<enums::TrainingLevel> {
        Ok(domain::codes::TrainingLevel::from_str(&self.0.level)
            .map_err(AppError::corrupt)?
            .into())
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(region_of(ctx, &self.0.region_code)?)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct University(pub universities::Model);

#[Object]
impl University {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::University, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(region_of(ctx, &self.0.region_code)?)
    }
}

#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// A region by its GB/T 2260 code; public.
    async fn region(&self, ctx: &Context<'_>, code: String) -> Result<Option<Region>> {
        RegionCode::parse(&code).map_err(|e| AppError::bad_input("code", e))?;
        Ok(region_of(ctx, &code)?)
    }

    /// The root regions (the national level), to walk the tree from the top; public.
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

#[derive(InputObject)]
pub struct CreateSchoolInput {
    pub region_code: String,
    pub name: String,
}

#[derive(InputObject)]
pub struct CreateTeacherInput {
    pub school_id: ID,
    pub name: String,
    pub hired_on: Option<Date>,
    #[graphql(default)]
    pub stages: Vec<enums::Stage>,
    #[graphql(default)]
    pub subjects: Vec<String>,
    /// Serves as a class head teacher (班主任).
    #[graphql(default)]
    pub head_teacher: bool,
    /// Graduated from a normal (teacher-training) programme (师范类).
    #[graphql(default)]
    pub normal_school_graduate: bool,
    /// With `password`, also creates the teacher's login.
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(InputObject)]
pub struct CreateProviderInput {
    pub region_code: String,
    pub name: String,
    pub level: enums::TrainingLevel,
}

#[derive(InputObject)]
pub struct CreateUniversityInput {
    pub region_code: String,
    pub name: String,
}

fn name(field: &str, value: &str, max: usize) -> AppResult<Name> {
    Name::parse(value, max).map_err(|e| AppError::bad_input(field, e))
}

#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    async fn create_school(&self, ctx: &Context<'_>, input: CreateSchoolInput) -> Result<School> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let new = NewSchool {
            region: svc::known_region(&state.regions, "input.regionCode", &input.region_code)?,
            name: name("input.name", &input.name, INSTITUTION_NAME_MAX)?,
        };
        Ok(School(svc::create_school(state, &guard, new).await?))
    }

    async fn create_teacher(
        &self,
        ctx: &Context<'_>,
        input: CreateTeacherInput,
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
                    "a login needs a password",
                )
                .into())
            }
            (None, Some(_)) => {
                return Err(AppError::invalid(
                    "input.username",
                    "REQUIRED",
                    "a login needs a username",
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
            login,
        };
        Ok(Teacher(svc::create_teacher(state, &guard, new).await?))
    }

    /// Moves a teacher to another school from `on`; every credit record stays on their file.
    async fn transfer_teacher(
        &self,
        ctx: &Context<'_>,
        teacher_id: ID,
        to_school_id: ID,
        on: Date,
    ) -> Result<Teacher> {
        let guard = ctx.guard()?;
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let school = ids::decode("toSchoolId", Kind::School, &to_school_id)?;
        Ok(Teacher(
            svc::transfer_teacher(ctx.state()?, &guard, teacher, school, on.0).await?,
        ))
    }

    async fn create_provider(
        &self,
        ctx: &Context<'_>,
        input: CreateProviderInput,
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

    async fn create_university(
        &self,
        ctx: &Context<'_>,
        input: CreateUniversityInput,
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
