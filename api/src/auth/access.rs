//! Typed handles: what the gate hands out after a check, carrying the rows it loaded for it, so
//! the service that asked does not read them again.

use super::authz::{Guard, Permit};
use super::target::teacher_with_school;
use crate::error::{AppError, AppResult};
use domain::scope::{Action, Resource};
use entities::{accounts, schools, teachers};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

/// What the caller wants of a teacher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeacherNeed {
    /// Its profile: whoever reads the teacher, with a provider's or a university's tie.
    Read,
    /// Its compliance: the teacher and the admins over it, no ties.
    Compliance,
}

/// A teacher the caller may reach for a [`TeacherNeed`], with its row, its current school's row
/// and the resource the rules were asked about. Built only by [`Guard::teacher`].
pub struct TeacherAccess {
    pub teacher: teachers::Model,
    pub school: schools::Model,
    pub resource: Resource,
    pub permit: Permit,
}

impl Guard<'_> {
    /// The teacher `id`, if the caller may have it for `need`: from what authentication loaded
    /// when it is the caller itself (no statement), else in one statement. NOT_FOUND when no
    /// such teacher, FORBIDDEN when out of reach.
    pub async fn teacher(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        need: TeacherNeed,
    ) -> AppResult<TeacherAccess> {
        let own = self
            .principal()
            .loaded
            .as_ref()
            .and_then(|l| l.teacher.as_ref())
            .filter(|(t, _)| t.id == id);
        let (teacher, school, region) = match own {
            Some((t, s)) => {
                let region = crate::rows::region(&s.region_code)?;
                (t.clone(), s.clone(), region)
            }
            None => teacher_with_school(db, id)
                .await?
                .ok_or_else(|| AppError::not_found("teacher"))?,
        };
        let resource = Resource::Teacher {
            id,
            school: school.id,
            region,
        };
        let permit = match need {
            TeacherNeed::Read => self.read_teacher(db, &resource).await?,
            TeacherNeed::Compliance => self.require(Action::Read, &resource)?,
        };
        Ok(TeacherAccess {
            teacher,
            school,
            resource,
            permit,
        })
    }

    /// The caller's own account row, as authentication read it (none for built principals).
    pub fn own_account(&self) -> Option<&accounts::Model> {
        self.principal().loaded.as_ref().map(|l| &l.account)
    }
}
