//! API keys for machine clients: made by an account for itself, shown once, listed by their
//! owner, revoked by the owner or an admin over the account (`Deed::RevokeApiKey`). How a key
//! signs a request in is `auth::bearer`'s business; its text and hash are `auth::api_key`'s.

use crate::auth::{api_key, ApiKeyAccess, OwnAccess, OwnNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::identity::Name;
use entities::api_keys;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

const NAME_MAX_CHARS: usize = 100;

/// A key just made: `text` is the only time anyone sees it.
pub struct Created {
    pub text: String,
    pub key: api_keys::Model,
}

/// Makes a key for the caller's own account (the gate allows it only from a password session:
/// [`OwnNeed::MintKey`]).
pub async fn create(
    state: &AppState,
    own: &OwnAccess,
    name: &str,
    expires_on: Option<NaiveDate>,
) -> AppResult<Created> {
    own.checked_for(OwnNeed::MintKey)?;
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
        account_id: own.account_id,
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
pub async fn list_own(state: &AppState, own: &OwnAccess) -> AppResult<Vec<api_keys::Model>> {
    own.checked_for(OwnNeed::Keys)?;
    Ok(api_keys::Entity::find()
        .filter(api_keys::Column::AccountId.eq(own.account_id))
        .order_by_desc(api_keys::Column::CreatedAt)
        .order_by_desc(api_keys::Column::Id)
        .all(&state.db)
        .await?)
}

/// Revokes a key ([`Guard::api_key`](crate::auth::Guard::api_key) found it and allowed it);
/// from the next request on it is `UNAUTHENTICATED`. Revoking a revoked key changes nothing and
/// answers it as it is.
pub async fn revoke(state: &AppState, access: ApiKeyAccess) -> AppResult<api_keys::Model> {
    let key = access.key;
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
