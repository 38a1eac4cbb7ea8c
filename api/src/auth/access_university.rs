//! Typed handles for a university's side: managing its courses and mappings, reading its work
//! lists, deciding conversions, and the rows a teacher's grant or request made.

use super::access::{checked_for, TeacherNeed};
use super::authz::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::rows;
use domain::scope::{Action, Deed, Resource};
use entities::{access_grants, conversions, transfer_mappings, universities, university_courses};
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

/// What the caller wants of a university.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniversityNeed {
    /// Add courses and transfer mappings, decide conversions: its admins, the region and
    /// system admins over it.
    Manage,
    /// Read its work lists (conversions asked of it, grants it holds): its own admins only
    /// ([`Deed::ReadUniversityWork`]).
    ReadWork,
}

/// A university the caller may act on for a [`UniversityNeed`]. Built only by
/// [`Guard::university`] and [`Guard::university_course`].
// Sealed by a private field: no module but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct UniversityAccess {
    pub university: universities::Model,
    /// The course it was reached through, when it was ([`Guard::university_course`]).
    pub course: Option<university_courses::Model>,
    pub need: UniversityNeed,
    /// The caller's account, for the rows it writes (`created_by`, `decided_by`).
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(UniversityAccess, UniversityNeed, need, "university");

/// What the caller wants of a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversionNeed {
    /// Read it, as in `conversions(teacherId)`: whoever reads the teacher's whole ledger.
    Read,
    /// Decide it: whoever manages the university whose mapping it was asked under.
    Decide,
}

/// A conversion the caller may reach for a [`ConversionNeed`]. Built only by
/// [`Guard::conversion`].
#[allow(clippy::manual_non_exhaustive)]
pub struct ConversionAccess {
    pub conversion: conversions::Model,
    pub need: ConversionNeed,
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(ConversionAccess, ConversionNeed, need, "conversion");

/// An access grant the caller may read: the teacher who gave it, the university it was given
/// to. Built only by [`Guard::access_grant`].
#[allow(clippy::manual_non_exhaustive)]
pub struct AccessGrantAccess {
    pub grant: access_grants::Model,
    pub permit: Permit,
    _sealed: (),
}

impl Guard<'_> {
    /// The university `id` for `need`: NOT_FOUND when there is none, FORBIDDEN out of reach.
    pub async fn university(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        need: UniversityNeed,
    ) -> AppResult<UniversityAccess> {
        let university = universities::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("university"))?;
        self.university_handle(university, None, need)
    }

    /// The university of the course `id`, to manage (add a mapping to the course).
    pub async fn university_course(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> AppResult<UniversityAccess> {
        let course = university_courses::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("university course"))?;
        let university = universities::Entity::find_by_id(course.university_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("university"))?;
        self.university_handle(university, Some(course), UniversityNeed::Manage)
    }

    fn university_handle(
        &self,
        university: universities::Model,
        course: Option<university_courses::Model>,
        need: UniversityNeed,
    ) -> AppResult<UniversityAccess> {
        let permit = match need {
            UniversityNeed::Manage => {
                let region = rows::region(&university.region_code)?;
                let resource = Resource::University {
                    id: university.id,
                    region,
                };
                self.require(Action::Manage, &resource)?
            }
            UniversityNeed::ReadWork => self.allow(Deed::ReadUniversityWork {
                university: university.id,
            })?,
        };
        Ok(UniversityAccess {
            university,
            course,
            need,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The conversion `id` for `need`.
    pub async fn conversion(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        need: ConversionNeed,
    ) -> AppResult<ConversionAccess> {
        let conversion = conversions::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("conversion"))?;
        let permit = match need {
            ConversionNeed::Read => {
                self.teacher(db, conversion.teacher_id, TeacherNeed::Ledger)
                    .await?
                    .permit
            }
            ConversionNeed::Decide => {
                let mapping = transfer_mappings::Entity::find_by_id(conversion.mapping_id)
                    .one(db)
                    .await?
                    .ok_or_else(|| AppError::not_found("transfer mapping"))?;
                self.university_course(db, mapping.university_course_id)
                    .await?
                    .permit
            }
        };
        Ok(ConversionAccess {
            conversion,
            need,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The access grant `id` ([`Deed::ReadAccessGrant`]).
    pub async fn access_grant(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> AppResult<AccessGrantAccess> {
        let grant = access_grants::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("access grant"))?;
        let permit = self.allow(Deed::ReadAccessGrant {
            teacher: grant.teacher_id,
            university: grant.university_id,
        })?;
        Ok(AccessGrantAccess {
            grant,
            permit,
            _sealed: (),
        })
    }
}
