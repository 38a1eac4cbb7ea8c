//! The typed handle for moving a teacher to another school: the caller must administer the
//! teacher where they are and where they go.

use super::authz::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::rows;
use domain::scope::{Action, Resource};
use entities::{schools, teachers};
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

/// A teacher the caller may move to `destination`, with the rows the gate read. Built only by
/// [`Guard::transfer`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct TransferAccess {
    pub teacher: teachers::Model,
    /// The school the teacher is at now.
    pub from: schools::Model,
    /// The school the teacher moves to.
    pub destination: schools::Model,
    /// The caller's account, for `recorded_by`.
    pub actor: Uuid,
    /// Administering the teacher here and there.
    pub permits: (Permit, Permit),
    _sealed: (),
}

impl Guard<'_> {
    /// The teacher `id` and the school `to_school`, if the caller administers the teacher both
    /// where they are and where they go (a region admin over both schools, or the system). In
    /// this order: NOT_FOUND without such a teacher; an invalid `toSchoolId` (NOT_FOUND) without
    /// such a school; FORBIDDEN when either side is out of reach.
    pub async fn transfer(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        to_school: Uuid,
    ) -> AppResult<TransferAccess> {
        let (teacher, from, region) = self
            .teacher_rows(db, id)
            .await?
            .ok_or_else(|| AppError::not_found("teacher"))?;
        let destination = schools::Entity::find_by_id(to_school)
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "toSchoolId",
                    "NOT_FOUND",
                    crate::msg!("input.no_such_school"),
                )
            })?;
        let here = self.require(
            Action::Administer,
            &Resource::Teacher {
                id,
                school: from.id,
                region,
            },
        )?;
        let there = self.require(
            Action::Administer,
            &Resource::Teacher {
                id,
                school: destination.id,
                region: rows::region(&destination.region_code)?,
            },
        )?;
        Ok(TransferAccess {
            teacher,
            from,
            destination,
            actor: self.principal().account_id,
            permits: (here, there),
            _sealed: (),
        })
    }
}
