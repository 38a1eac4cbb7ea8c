//! Handles for deeds allowed as a whole and then asked again per item, with facts only the
//! service finds out along the way: importing a ledger file (each row's teacher and region),
//! saving a policy (the owner of the key, read in the saving transaction).

use super::authz::{Guard, Permit};
use crate::error::AppResult;
use domain::region::RegionCode;
use domain::scope::{Deed, PolicyOwner, Resource};
use uuid::Uuid;

/// Allowed to import an earlier platform's records ([`Deed::ImportLedger`]); each record is
/// then asked about with [`LedgerImportAccess::may_import`]. Built only by
/// [`Guard::ledger_import`].
// Sealed by a private field: no module but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct LedgerImportAccess<'g> {
    guard: &'g Guard<'g>,
    pub permit: Permit,
    _sealed: (),
}

impl LedgerImportAccess<'_> {
    /// Whether one record may come in: a region admin over both the teacher (at `school` in
    /// `home`) and the region where the record was earned ([`Deed::ImportRecord`]).
    pub fn may_import(
        &self,
        teacher: Uuid,
        school: Uuid,
        home: RegionCode,
        earned_in: &RegionCode,
    ) -> bool {
        let teacher = Resource::Teacher {
            id: teacher,
            school,
            region: home,
        };
        self.guard
            .allow(Deed::ImportRecord {
                teacher: &teacher,
                earned_in,
            })
            .is_ok()
    }
}

/// Allowed to save policies ([`Deed::SavePolicy`]); a key that exists already is then asked
/// about with [`PolicyAuthorAccess::may_version`]. Built only by [`Guard::policy_author`].
#[allow(clippy::manual_non_exhaustive)]
pub struct PolicyAuthorAccess<'g> {
    guard: &'g Guard<'g>,
    /// The author's region (none for the system): a new key is owned by it.
    pub own_region: Option<RegionCode>,
    /// The author's account, for `created_by`.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

impl PolicyAuthorAccess<'_> {
    /// Versioning a key someone else may own needs authority over its owner: the region admins
    /// over `owner_region`, the system administrator for a built-in key (or one without an
    /// owner) ([`Deed::VersionPolicy`]).
    pub fn may_version(
        &self,
        owner_region: Option<&RegionCode>,
        built_in: bool,
    ) -> AppResult<Permit> {
        let owner = match (owner_region, built_in) {
            (Some(owner), false) => PolicyOwner::Region(owner),
            _ => PolicyOwner::BuiltIn,
        };
        self.guard.allow(Deed::VersionPolicy { owner })
    }
}

impl Guard<'_> {
    /// Import a ledger file at all; refused before the file is read, with why for a role that
    /// never imports.
    pub fn ledger_import(&self) -> AppResult<LedgerImportAccess<'_>> {
        let permit = self.allow_or(
            Deed::ImportLedger,
            Some(crate::msg!("imports.only_regions")),
        )?;
        Ok(LedgerImportAccess {
            guard: self,
            permit,
            _sealed: (),
        })
    }

    /// Save policies at all.
    pub fn policy_author(&self) -> AppResult<PolicyAuthorAccess<'_>> {
        let permit = self.allow(Deed::SavePolicy)?;
        Ok(PolicyAuthorAccess {
            guard: self,
            own_region: self.principal().scope.region().cloned(),
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}
