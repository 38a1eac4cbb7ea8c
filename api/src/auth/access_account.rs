//! Typed handles for accounts other than (or besides) the caller's own: reading one, disabling
//! one, creating one, and an API key to read or revoke.

use super::access::checked_for;
use super::authz::{Guard, Permit};
use super::target::{scope_for, target_of, AccountTarget};
use crate::error::{AppError, AppResult};
use domain::scope::{Deed, Resource, Scope};
use entities::{accounts, api_keys};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use uuid::Uuid;

/// What the caller wants of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountNeed {
    /// Read it: the account itself, an admin over its scope.
    Read,
    /// Disable or enable its login ([`Deed::SetAccountDisabled`]).
    SetDisabled,
}

/// An account the caller may reach for an [`AccountNeed`]. Built only by [`Guard::account`].
// Sealed by a private field: no module but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct AccountAccess {
    pub account: accounts::Model,
    pub need: AccountNeed,
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(AccountAccess, AccountNeed, need, "account");

/// An API key the caller may read and revoke (its owner, an admin over the owner's account).
/// Built only by [`Guard::api_key`].
#[allow(clippy::manual_non_exhaustive)]
pub struct ApiKeyAccess {
    pub key: api_keys::Model,
    pub permit: Permit,
    _sealed: (),
}

/// An account the caller may create: the scope it will have. Built only by
/// [`Guard::new_account`].
#[allow(clippy::manual_non_exhaustive)]
pub struct NewAccountAccess {
    pub target: AccountTarget,
    pub scope: Scope,
    /// The creator, for `created_by`.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

impl Guard<'_> {
    /// The account `id` for `need`: NOT_FOUND when it (or what it is attached to) is gone,
    /// FORBIDDEN when out of reach. The caller's own account costs no statement to read.
    pub async fn account(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        need: AccountNeed,
    ) -> AppResult<AccountAccess> {
        let own = id == self.principal().account_id;
        let loaded = self.own_account().filter(|a| a.id == id).cloned();
        let (account, permit) = match (need, loaded) {
            (AccountNeed::Read, Some(account)) => {
                let resource = own_resource(self);
                (account, self.require_self_or(id, &resource)?)
            }
            (AccountNeed::Read, None) => {
                let (account, resource) = account_with_resource(db, id).await?;
                (account, self.require_self_or(id, &resource)?)
            }
            (AccountNeed::SetDisabled, _) => {
                let (account, resource) = account_with_resource(db, id).await?;
                let deed = Deed::SetAccountDisabled {
                    account: &resource,
                    own,
                };
                (account, self.allow(deed)?)
            }
        };
        Ok(AccountAccess {
            account,
            need,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The API key `id`, to read or revoke ([`Deed::RevokeApiKey`]).
    pub async fn api_key(&self, db: &DatabaseConnection, id: Uuid) -> AppResult<ApiKeyAccess> {
        let key = api_keys::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("API key"))?;
        let (_, owner) = account_with_resource(db, key.account_id).await?;
        let permit = self.allow(Deed::RevokeApiKey {
            owner: &owner,
            own: key.account_id == self.principal().account_id,
        })?;
        Ok(ApiKeyAccess {
            key,
            permit,
            _sealed: (),
        })
    }

    /// An account attached to `target` ([`Deed::CreateAccount`]); a target that does not exist
    /// is BAD_USER_INPUT at its field.
    pub async fn new_account(
        &self,
        db: &DatabaseConnection,
        target: AccountTarget,
    ) -> AppResult<NewAccountAccess> {
        let scope = scope_for(db, &target).await?.ok_or_else(|| {
            AppError::invalid(
                target.field(),
                "NOT_FOUND",
                crate::msg!("input.no_such_record"),
            )
        })?;
        let permit = self.require_account_creation(&scope)?;
        Ok(NewAccountAccess {
            target,
            scope,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}

fn own_resource(guard: &Guard<'_>) -> Resource {
    let p = guard.principal();
    Resource::Account {
        id: p.account_id,
        scope: p.scope.clone(),
    }
}

/// An account and what the rules need to know about it (its scope); NOT_FOUND when it, or
/// what it is attached to, is gone.
async fn account_with_resource(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<(accounts::Model, Resource)> {
    let account = accounts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let scope = scope_for(db, &target_of(&account)?)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    Ok((account, Resource::Account { id, scope }))
}
