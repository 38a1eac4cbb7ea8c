//! The caller of a request, resolved from its bearer token before the operation runs.

use crate::error::{AppError, AppResult};
use crate::services::accounts::{scope_for, target_of};
use domain::codes::Role;
use domain::scope::Scope;
use entities::accounts;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: Uuid,
    pub username: String,
    pub scope: Scope,
}

impl Principal {
    pub fn role(&self) -> Role {
        self.scope.role()
    }
}

/// What the `Authorization` header amounted to.
#[derive(Debug, Clone)]
pub enum RequestAuth {
    Anonymous,
    /// A token was sent but is expired, forged or names a disabled account.
    Invalid,
    Authenticated(Principal),
}

impl RequestAuth {
    pub fn principal(&self) -> AppResult<&Principal> {
        match self {
            RequestAuth::Authenticated(p) => Ok(p),
            RequestAuth::Anonymous | RequestAuth::Invalid => Err(AppError::Unauthenticated),
        }
    }
}

/// Loads the account a token names and derives its scope. `None` when the account is gone or disabled.
pub async fn load(db: &DatabaseConnection, account_id: Uuid) -> AppResult<Option<Principal>> {
    let Some(account) = accounts::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(None);
    };
    if account.disabled {
        return Ok(None);
    }
    let Some(scope) = scope_for(db, &target_of(&account)?).await? else {
        return Ok(None);
    };
    Ok(Some(Principal {
        account_id: account.id,
        username: account.username,
        scope,
    }))
}
