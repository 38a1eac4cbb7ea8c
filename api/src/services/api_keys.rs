//! API keys for machine clients: made by an account for itself, shown once, listed by their
//! owner, revoked by the owner or an admin over the account (`Deed::RevokeApiKey`). How a key
//! signs a request in is `auth::bearer`'s business; its text and hash are `auth::api_key`'s.

use crate::auth::{api_key, Credential, Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::identity::Name;
use domain::scope::{Deed, Resource};
use entities::api_keys;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

const NAME_MAX_CHARS: usize = 100;

/// A key just made: `text` is the only time anyone sees it.
pub struct Created {
    pub text: String,
    pub key: api_keys::Model,
}

/// Makes a key for the caller's own account. Only from a password session: a key that could
/// mint further keys would outlive its own revocation.
pub async fn create(
    state: &AppState,
    guard: &Guard<'_>,
    name: &str,
    expires_on: Option<NaiveDate>,
) -> AppResult<Created> {
    let principal = guard.principal();
    if !matches!(principal.credential(), Some(Credential::Session { .. })) {
        return Err(AppError::Forbidden(crate::msg!(
            "api_keys.session_required"
        )));
    }
    let _permit = own(guard)?;
    let name = Name::parse(name, NAME_MAX_CHARS).map_err(|e| AppError::bad_input("name", e))?;
    if expires_on.is_some_and(|last| last < state.clock.today()) {
        return Err(AppError::invalid(
            "expiresOn",
            "IN_THE_PAST",
            crate::msg!("api_keys.expires_in_the_past"),
        ));
    }
    let made = api_key::generate();
    let key = api_keys::Model {
        id: Uuid::now_v7(),
        account_id: principal.account_id,
        name: name.as_str().to_owned(),
        prefix: made.prefix,
        hash: made.hash,
        created_at: state.clock.now(),
        last_used_at: None,
        expires_on,
        revoked_at: None,
    };
    api_keys::Entity::insert(api_keys::ActiveModel::from(key.clone()))
        .exec_without_returning(&state.db)
        .await?;
    tracing::info!(account.id = %key.account_id, api_key.id = %key.id, "API key created");
    Ok(Created {
        text: made.text,
        key,
    })
}

/// The caller's own keys, newest first, revoked and expired ones included (with their dates).
pub async fn list_own(state: &AppState, guard: &Guard<'_>) -> AppResult<Vec<api_keys::Model>> {
    let _permit = own(guard)?;
    Ok(api_keys::Entity::find()
        .filter(api_keys::Column::AccountId.eq(guard.principal().account_id))
        .order_by_desc(api_keys::Column::CreatedAt)
        .order_by_desc(api_keys::Column::Id)
        .all(&state.db)
        .await?)
}

/// One key, to whoever may revoke it (its owner, an admin over the account).
pub async fn get(state: &AppState, guard: &Guard<'_>, id: Uuid) -> AppResult<api_keys::Model> {
    let (key, _permit) = revocable(state, guard, id).await?;
    Ok(key)
}

/// Revokes a key; from the next request on it is `UNAUTHENTICATED`. Revoking a revoked key
/// changes nothing and answers it as it is.
pub async fn revoke(state: &AppState, guard: &Guard<'_>, id: Uuid) -> AppResult<api_keys::Model> {
    let (key, _permit) = revocable(state, guard, id).await?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let now = state.clock.now();
    let revoked = api_keys::Entity::update(api_keys::ActiveModel {
        id: Set(key.id),
        revoked_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    tracing::info!(account.id = %key.account_id, api_key.id = %key.id, "API key revoked");
    Ok(revoked)
}

/// The caller's own account is always its own to keep keys for.
fn own(guard: &Guard<'_>) -> AppResult<Permit> {
    let principal = guard.principal();
    let resource = Resource::Account {
        id: principal.account_id,
        scope: principal.scope.clone(),
    };
    guard.require_self_or(principal.account_id, &resource)
}

async fn revocable(
    state: &AppState,
    guard: &Guard<'_>,
    id: Uuid,
) -> AppResult<(api_keys::Model, Permit)> {
    let key = api_keys::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("API key"))?;
    let (_, owner) = super::accounts::find_with_resource(state, key.account_id).await?;
    let permit = guard.allow(Deed::RevokeApiKey {
        owner: &owner,
        own: key.account_id == guard.principal().account_id,
    })?;
    Ok((key, permit))
}
