//! What an account is attached to, and the scope that gives it: what the gate needs to turn a
//! token into a [`super::Principal`]. Here, below the services, so the gate never calls up.

use crate::error::{AppError, AppResult};
use domain::codes::Role;
use domain::region::RegionCode;
use domain::scope::Scope;
use entities::{accounts, providers, schools, teachers, universities};
use sea_orm::{ConnectionTrait, EntityTrait, JoinType, QuerySelect};
use std::str::FromStr;
use uuid::Uuid;

/// What a new account is attached to; the role follows from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountTarget {
    System,
    Region(RegionCode),
    School(Uuid),
    Provider(Uuid),
    University(Uuid),
    Teacher(Uuid),
}

impl AccountTarget {
    pub fn role(&self) -> Role {
        match self {
            AccountTarget::System => Role::SystemAdmin,
            AccountTarget::Region(_) => Role::RegionAdmin,
            AccountTarget::School(_) => Role::SchoolAdmin,
            AccountTarget::Provider(_) => Role::ProviderAdmin,
            AccountTarget::University(_) => Role::UniversityAdmin,
            AccountTarget::Teacher(_) => Role::Teacher,
        }
    }

    /// The input field that names the target, for error paths.
    pub fn field(&self) -> &'static str {
        match self {
            AccountTarget::System => "input.role",
            AccountTarget::Region(_) => "input.regionCode",
            AccountTarget::School(_) => "input.schoolId",
            AccountTarget::Provider(_) => "input.providerId",
            AccountTarget::University(_) => "input.universityId",
            AccountTarget::Teacher(_) => "input.teacherId",
        }
    }
}

pub fn target_of(account: &accounts::Model) -> AppResult<AccountTarget> {
    let role = Role::from_str(&account.role).map_err(|e| corrupt(account.id, e))?;
    let missing = || corrupt(account.id, "missing scope reference");
    Ok(match role {
        Role::SystemAdmin => AccountTarget::System,
        Role::RegionAdmin => {
            let code = account.region_code.as_deref().ok_or_else(missing)?;
            AccountTarget::Region(RegionCode::parse(code).map_err(|e| corrupt(account.id, e))?)
        }
        Role::SchoolAdmin => AccountTarget::School(account.school_id.ok_or_else(missing)?),
        Role::ProviderAdmin => AccountTarget::Provider(account.provider_id.ok_or_else(missing)?),
        Role::UniversityAdmin => {
            AccountTarget::University(account.university_id.ok_or_else(missing)?)
        }
        Role::Teacher => AccountTarget::Teacher(account.teacher_id.ok_or_else(missing)?),
    })
}

/// The scope an account attached to `target` has; `None` when the target does not exist.
pub async fn scope_for(
    db: &impl ConnectionTrait,
    target: &AccountTarget,
) -> AppResult<Option<Scope>> {
    let region = |code: &str| {
        RegionCode::parse(code)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored region code: {e}")))
    };
    Ok(match target {
        AccountTarget::System => Some(Scope::System),
        AccountTarget::Region(code) => Some(Scope::Region(code.clone())),
        AccountTarget::School(id) => match schools::Entity::find_by_id(*id).one(db).await? {
            Some(s) => Some(Scope::School {
                school: s.id,
                region: region(&s.region_code)?,
            }),
            None => None,
        },
        AccountTarget::Provider(id) => match providers::Entity::find_by_id(*id).one(db).await? {
            Some(p) => Some(Scope::Provider {
                provider: p.id,
                region: region(&p.region_code)?,
            }),
            None => None,
        },
        AccountTarget::University(id) => match universities::Entity::find_by_id(*id).one(db).await?
        {
            Some(u) => Some(Scope::University {
                university: u.id,
                region: region(&u.region_code)?,
            }),
            None => None,
        },
        AccountTarget::Teacher(id) => match teachers::Entity::find_by_id(*id).one(db).await? {
            Some(t) => match schools::Entity::find_by_id(t.school_id).one(db).await? {
                Some(s) => Some(Scope::Teacher {
                    teacher: t.id,
                    school: s.id,
                    region: region(&s.region_code)?,
                }),
                None => None,
            },
            None => None,
        },
    })
}

fn corrupt(id: Uuid, e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("account {id} is inconsistent: {e}"))
}

/// A teacher with its current school and the school's region, in one statement.
pub async fn teacher_with_school(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<(teachers::Model, schools::Model, RegionCode)>> {
    let school_of = teachers::Entity::belongs_to(schools::Entity)
        .from(teachers::Column::SchoolId)
        .to(schools::Column::Id)
        .into();
    let row = teachers::Entity::find_by_id(id)
        .select_also(schools::Entity)
        .join(JoinType::InnerJoin, school_of)
        .one(db)
        .await?;
    let Some((teacher, Some(school))) = row else {
        return Ok(None);
    };
    let region = RegionCode::parse(&school.region_code)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored region code: {e}")))?;
    Ok(Some((teacher, school, region)))
}
