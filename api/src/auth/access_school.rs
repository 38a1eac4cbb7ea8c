//! Typed handles for a school's people: registering a teacher (with a login, perhaps), reading
//! a school's roster, and reading many teachers at once (the DataLoader's batch).

use super::authz::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::rows;
use domain::region::RegionCode;
use domain::scope::{Action, Resource, Scope};
use entities::{schools, teachers};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// A teacher the caller may register at a school, with the id it will have. Built only by
/// [`Guard::new_teacher`].
// Sealed by a private field: no module but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct NewTeacherAccess {
    pub id: Uuid,
    pub school: schools::Model,
    pub region: RegionCode,
    /// Allowed to create the teacher's login too (asked only when one is wanted).
    pub login: Option<Permit>,
    /// The caller's account, for `created_by` and the head-teacher history.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

/// A school whose roster (its teachers) the caller may read. Built only by
/// [`Guard::school_roster`].
#[allow(clippy::manual_non_exhaustive)]
pub struct SchoolAccess {
    pub school: Uuid,
    pub permit: Permit,
    _sealed: (),
}

impl Guard<'_> {
    /// A new teacher at `school_id`: whoever manages the school's teachers; with `with_login`,
    /// also allowed to create a teacher account there. A school that does not exist is
    /// BAD_USER_INPUT at `input.schoolId`.
    pub async fn new_teacher(
        &self,
        db: &DatabaseConnection,
        school_id: Uuid,
        with_login: bool,
    ) -> AppResult<NewTeacherAccess> {
        let school = schools::Entity::find_by_id(school_id)
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "input.schoolId",
                    "NOT_FOUND",
                    crate::msg!("input.no_such_school"),
                )
            })?;
        let region = rows::region(&school.region_code)?;
        let id = Uuid::now_v7();
        let permit = self.require(
            Action::Manage,
            &Resource::Teacher {
                id,
                school: school.id,
                region: region.clone(),
            },
        )?;
        let login = if with_login {
            Some(self.require_account_creation(&Scope::Teacher {
                teacher: id,
                school: school.id,
                region: region.clone(),
            })?)
        } else {
            None
        };
        Ok(NewTeacherAccess {
            id,
            school,
            region,
            login,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The roster of `school`: readable by whoever may read any teacher of the school. A
    /// teacher-scoped caller is refused, since the nil id asked about is never theirs.
    pub fn school_roster(&self, school: &schools::Model) -> AppResult<SchoolAccess> {
        let roster = Resource::Teacher {
            id: Uuid::nil(),
            school: school.id,
            region: rows::region(&school.region_code)?,
        };
        let permit = self.require(Action::Read, &roster)?;
        Ok(SchoolAccess {
            school: school.id,
            permit,
            _sealed: (),
        })
    }

    /// The teachers among `ids` the caller may read, in two statements (teachers, then their
    /// schools) however many there are; the rules are those of [`Guard::teacher`] with
    /// [`TeacherNeed::Read`](super::TeacherNeed::Read), and only a caller the plain scope rules
    /// refuse (a provider, a university) costs a further check per teacher. Teachers the caller
    /// may not read are left out, as if absent.
    pub async fn readable_teachers(
        &self,
        db: &DatabaseConnection,
        ids: &[Uuid],
    ) -> AppResult<HashMap<Uuid, teachers::Model>> {
        let rows = teachers::Entity::find()
            .filter(teachers::Column::Id.is_in(ids.to_vec()))
            .all(db)
            .await?;
        let school_ids: Vec<Uuid> = rows.iter().map(|t| t.school_id).collect();
        let schools: HashMap<Uuid, schools::Model> = schools::Entity::find()
            .filter(schools::Column::Id.is_in(school_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut out = HashMap::new();
        for teacher in rows {
            let Some(school) = schools.get(&teacher.school_id) else {
                continue;
            };
            let resource = Resource::Teacher {
                id: teacher.id,
                school: school.id,
                region: rows::region(&school.region_code)?,
            };
            match self.read_teacher(db, &resource).await {
                Ok(_permit) => {
                    out.insert(teacher.id, teacher);
                }
                Err(AppError::Forbidden(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}
