//! The single gate between a caller and the data: every rule comes from `domain::scope`.

use super::principal::Principal;
use crate::error::{AppError, AppResult};
use domain::codes::Role;
use domain::region::RegionTree;
use domain::scope::{self, Action, Resource, Scope};

/// Proof that an authorization check passed. Only this module can make one, and services that
/// read protected data or write anything demand one.
#[derive(Debug)]
#[must_use]
pub struct Permit {
    _sealed: (),
}

pub struct Guard<'a> {
    principal: &'a Principal,
    regions: &'a RegionTree,
}

impl<'a> Guard<'a> {
    pub fn new(principal: &'a Principal, regions: &'a RegionTree) -> Self {
        Guard { principal, regions }
    }

    pub fn principal(&self) -> &'a Principal {
        self.principal
    }

    pub fn require(&self, action: Action, resource: &Resource) -> AppResult<Permit> {
        if scope::permits(&self.principal.scope, action, resource, self.regions) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn require_account_creation(&self, new_account: &Scope) -> AppResult<Permit> {
        if scope::may_create_account(&self.principal.scope, new_account, self.regions) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }

    /// A caller's own account is always theirs to read.
    pub fn require_self_or(
        &self,
        account_id: uuid::Uuid,
        resource: &Resource,
    ) -> AppResult<Permit> {
        if account_id == self.principal.account_id {
            return Ok(Permit { _sealed: () });
        }
        self.require(Action::Read, resource)
    }

    pub fn require_role(&self, roles: &[Role]) -> AppResult<Permit> {
        if roles.contains(&self.principal.role()) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }
}

/// For work the system does on its own behalf (migrations, demo data, the CLI).
pub fn system_permit() -> Permit {
    Permit { _sealed: () }
}
