//! Typed handles: what the gate hands out after a check, carrying the rows it loaded for it, so
//! the service that asked does not read them again. A handle is built only here (and in the
//! sibling `access_*` files): its fields cannot all be named elsewhere, and each records the
//! need it was checked for, so a service refuses a handle checked for something else.

use super::authz::{Guard, LedgerView, Permit};
use super::target::teacher_with_school;
use crate::error::{AppError, AppResult};
use domain::region::RegionCode;
use domain::scope::{Action, Deed, Resource};
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
    /// Its whole ledger (transcripts, conversions, transfer previews): the teacher, the admins
    /// over it, a university while its access grant is in force; never a provider.
    Ledger,
    /// Its records as far as the caller reads them: the whole ledger (as for `Ledger`), or for a
    /// provider only what its own courses produced ([`TeacherAccess::only_courses_of`]).
    Records,
    /// Its places in courses: whoever reads the teacher (as for `Read`), a provider only the
    /// places in its own courses ([`TeacherAccess::only_courses_of`]).
    Places,
    /// Changing its facts: whoever administers the teacher (its school admin, the region admins
    /// above it, the system).
    Administer,
    /// Granting it a make-up allowance ([`Deed::GrantMakeUp`]).
    GrantMakeUp,
    /// Following its records live (`creditRecordChanged`): the teacher and the admins over
    /// it, no ties (a provider or a university does not follow a teacher).
    Follow,
}

/// A teacher the caller may reach for a [`TeacherNeed`], with its row, its current school's row
/// and the resource the rules were asked about. Built only by [`Guard::teacher`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct TeacherAccess {
    pub teacher: teachers::Model,
    pub school: schools::Model,
    pub resource: Resource,
    /// What the check was for.
    pub need: TeacherNeed,
    /// `Some(provider)` when the caller reads only what that provider's courses produced (a
    /// provider asking for [`TeacherNeed::Records`] or [`TeacherNeed::Places`]); else `None`.
    pub only_courses_of: Option<Uuid>,
    /// The caller's account, for the rows it writes (`granted_by`, `recorded_by`).
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

/// `$handle::checked_for(need)`: the handle, if it was checked for `need` (its `$field`); a
/// service given one checked for something else would skip a rule, so that is a bug, answered
/// INTERNAL.
macro_rules! checked_for {
    ($handle:ty, $need:ty, $field:ident, $kind:literal) => {
        impl $handle {
            /// This handle, if it was checked for `need` (else INTERNAL: a bug).
            pub fn checked_for(&self, need: $need) -> $crate::error::AppResult<&Self> {
                if self.$field == need {
                    Ok(self)
                } else {
                    Err($crate::auth::access::wrong_handle($kind, self.$field, need))
                }
            }
        }
    };
}
pub(super) use checked_for;

checked_for!(TeacherAccess, TeacherNeed, need, "teacher");

/// A handle checked for `got` given where `want` is needed.
pub(super) fn wrong_handle(
    kind: &str,
    got: impl std::fmt::Debug,
    want: impl std::fmt::Debug,
) -> AppError {
    AppError::internal(anyhow::anyhow!(
        "a {kind} handle checked for {got:?} was given where {want:?} is needed"
    ))
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
        let (teacher, school, region) = self
            .teacher_rows(db, id)
            .await?
            .ok_or_else(|| AppError::not_found("teacher"))?;
        let resource = Resource::Teacher {
            id,
            school: school.id,
            region,
        };
        let (permit, only_courses_of) = match need {
            TeacherNeed::Read => (self.read_teacher(db, &resource).await?, None),
            TeacherNeed::Compliance | TeacherNeed::Follow => {
                (self.require(Action::Read, &resource)?, None)
            }
            TeacherNeed::Ledger => (self.read_teacher_ledger(db, &resource).await?, None),
            TeacherNeed::Records => records_view(self.ledger_view_granted(db, &resource).await?),
            TeacherNeed::Places => {
                let _read = self.read_teacher(db, &resource).await?;
                records_view(self.ledger_view_granted(db, &resource).await?)
            }
            TeacherNeed::Administer => (self.require(Action::Administer, &resource)?, None),
            TeacherNeed::GrantMakeUp => {
                (self.allow(Deed::GrantMakeUp { teacher: &resource })?, None)
            }
        };
        Ok(TeacherAccess {
            teacher,
            school,
            resource,
            need,
            only_courses_of,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The teacher `id` with its current school and the school's region: from what
    /// authentication loaded when it is the caller itself (no statement), else in one statement.
    pub(super) async fn teacher_rows(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> AppResult<Option<(teachers::Model, schools::Model, RegionCode)>> {
        let own = self
            .principal()
            .loaded
            .as_ref()
            .and_then(|l| l.teacher.as_ref())
            .filter(|(t, _)| t.id == id);
        match own {
            Some((t, s)) => {
                let region = crate::rows::region(&s.region_code)?;
                Ok(Some((t.clone(), s.clone(), region)))
            }
            None => teacher_with_school(db, id).await,
        }
    }

    /// The caller's own account row, as authentication read it (none for built principals).
    pub(super) fn own_account(&self) -> Option<&accounts::Model> {
        self.principal().loaded.as_ref().map(|l| &l.account)
    }
}

fn records_view(view: LedgerView) -> (Permit, Option<Uuid>) {
    match view {
        LedgerView::Whole(permit) => (permit, None),
        LedgerView::ProviderCourses(provider, permit) => (permit, Some(provider)),
    }
}

/// Whether `account`, as it stands now (not as it stood when it subscribed), may still follow
/// `teacher` ([`TeacherNeed::Follow`]): false once the account is disabled or gone, its scope
/// changed, or the teacher moved out of its reach.
pub async fn may_still_follow(
    db: &DatabaseConnection,
    regions: &domain::region::RegionTree,
    today: chrono::NaiveDate,
    account: Uuid,
    teacher: Uuid,
) -> AppResult<bool> {
    let Some(principal) = super::principal::load(db, account).await? else {
        return Ok(false);
    };
    let guard = Guard::new(&principal, regions, today);
    match guard.teacher(db, teacher, TeacherNeed::Follow).await {
        Ok(_) => Ok(true),
        Err(AppError::Forbidden(_) | AppError::NotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether a reviewer's account, as it stands now, still holds the scope it subscribed to its
/// queue with (`reviewQueueChanged`): false once it is disabled, gone or moved elsewhere.
pub async fn still_reviews_as(
    db: &DatabaseConnection,
    account: Uuid,
    scope: &domain::scope::Scope,
) -> AppResult<bool> {
    Ok(super::principal::load(db, account)
        .await?
        .is_some_and(|p| &p.scope == scope))
}
