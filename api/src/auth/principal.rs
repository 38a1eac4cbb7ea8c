//! The caller of a request, resolved from its bearer token before the operation runs.

use super::target::{scope_for, target_of, teacher_with_school, AccountTarget};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use domain::codes::Role;
use domain::scope::Scope;
use entities::{accounts, schools, teachers};
use sea_orm::{DatabaseConnection, EntityTrait};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: Uuid,
    pub username: String,
    pub scope: Scope,
    /// The rows authentication read to derive the scope, kept for the rest of the request so
    /// that `viewer { teacher … }` does not read them again; `None` for built principals.
    pub loaded: Option<Arc<Loaded>>,
}

/// What [`load`] read: the account and, for a teacher, its row and its current school's.
#[derive(Debug)]
pub struct Loaded {
    pub account: accounts::Model,
    pub teacher: Option<(teachers::Model, schools::Model)>,
    /// What the request signed in with; `None` when the principal was loaded by id (a
    /// subscription re-checking its account).
    pub credential: Option<Credential>,
}

/// What a request signed in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A session token from `login` (its `jti`), valid until `expires_at` unless logged out.
    Session { id: Uuid, expires_at: DateTime<Utc> },
    /// An API key (its row id).
    ApiKey { id: Uuid },
}

impl Principal {
    pub fn role(&self) -> Role {
        self.scope.role()
    }

    /// What the request signed in with (none for built principals).
    pub fn credential(&self) -> Option<Credential> {
        self.loaded.as_ref().and_then(|l| l.credential)
    }
}

/// What the `Authorization` header amounted to.
#[derive(Debug, Clone)]
pub enum RequestAuth {
    Anonymous,
    /// A token or key was sent but is expired, forged, revoked (logged out, a password changed
    /// since) or names a disabled account.
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
    from_account(db, account, None).await
}

/// The principal of an account row already read (with the credential that named it). `None`
/// when the account is disabled or what it is attached to is gone.
///
/// The `disabled` flag is read here, from the row every request reads anyway for its scope:
/// checking it costs no statement and no cache round trip, and since every replica reads the
/// same database, a disabled account is refused by all of them on its very next request — a
/// cached copy of the status could only be as fresh, never fresher (and while Redis is down a
/// replica's own memory would miss the change).
pub async fn from_account(
    db: &DatabaseConnection,
    account: accounts::Model,
    credential: Option<Credential>,
) -> AppResult<Option<Principal>> {
    if account.disabled {
        return Ok(None);
    }
    let target = target_of(&account)?;
    // A teacher's scope is its row and its school's, read in one statement and kept.
    let (scope, teacher) = match target {
        AccountTarget::Teacher(id) => match teacher_with_school(db, id).await? {
            Some((teacher, school, region)) => (
                Scope::Teacher {
                    teacher: teacher.id,
                    school: school.id,
                    region,
                },
                Some((teacher, school)),
            ),
            None => return Ok(None),
        },
        other => match scope_for(db, &other).await? {
            Some(scope) => (scope, None),
            None => return Ok(None),
        },
    };
    Ok(Some(Principal {
        account_id: account.id,
        username: account.username.clone(),
        scope,
        loaded: Some(Arc::new(Loaded {
            account,
            teacher,
            credential,
        })),
    }))
}
