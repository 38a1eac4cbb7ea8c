//! Typed handles for one region of the tree: closing a year, assigning a policy, registering
//! organisations in it, reading its statistics.

use super::access::checked_for;
use super::authz::{Guard, Permit};
use crate::error::{AppError, AppResult};
use domain::region::RegionCode;
use domain::scope::{Action, Deed, Resource};
use uuid::Uuid;

/// What the caller wants of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionNeed {
    /// Close a year for its subtree ([`Deed::CloseYear`]).
    CloseYear,
    /// Put a policy in force for its subtree: whoever manages the region.
    AssignPolicy,
    /// Register a school, a provider or a university in it: whoever manages the region.
    Organise,
    /// Read figures about its teachers (compliance statistics): the administrators over it
    /// (regions themselves are public).
    Statistics,
}

/// A region of the tree the caller may act on for a [`RegionNeed`]. Built only by
/// [`Guard::region`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct RegionAccess {
    pub region: RegionCode,
    pub need: RegionNeed,
    /// The caller's account, for the rows it writes (`closed_by`, `assigned_by`).
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(RegionAccess, RegionNeed, need, "region");

impl Guard<'_> {
    /// The region `code`, if it is in the tree (else NOT_FOUND) and the caller may act on it for
    /// `need` (else FORBIDDEN). No statement: the tree is in memory.
    pub fn region(&self, code: &RegionCode, need: RegionNeed) -> AppResult<RegionAccess> {
        if self.tree().get(code).is_none() {
            return Err(AppError::not_found("region"));
        }
        let permit = match need {
            RegionNeed::CloseYear => self.allow(Deed::CloseYear { region: code })?,
            RegionNeed::AssignPolicy | RegionNeed::Organise | RegionNeed::Statistics => {
                self.require(Action::Manage, &Resource::Region(code.clone()))?
            }
        };
        Ok(RegionAccess {
            region: code.clone(),
            need,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}
