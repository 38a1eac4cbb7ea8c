//! What happens to an account after it is made: its owner changes the password or logs out, an
//! admin over it disables it (`Deed::SetAccountDisabled`) or enables it again.
//!
//! How each reaches the next request: a password change increments the account's session
//! generation, which every older token carries, so they are all refused — except the session
//! that made the change (`kept_session_id`): the caller keeps working without signing in again,
//! every other browser, app and stolen token is out. API keys are not sessions and survive a
//! password change (revoke them with `revokeApiKey`). `logout` puts the token on a revocation
//! list in the cache until it would expire. `disabled` is read with the account row by every
//! request (`auth::principal::from_account`), so tokens and keys stop at once and work again
//! when re-enabled.

use super::login_limit::{self, Attempt};
use crate::auth::client_address::ClientAddress;
use crate::auth::{bearer, password, AccountAccess, AccountNeed, Credential, OwnAccess, OwnNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::identity::Password;
use entities::accounts;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Sets a new password, given the current one; ends every other session of the account. Wrong
/// current passwords count as failed logins (a stolen token must not become a password oracle).
pub async fn change_password(
    state: &AppState,
    own: &OwnAccess,
    client: ClientAddress,
    current: String,
    new: String,
) -> AppResult<()> {
    own.checked_for(OwnNeed::Password)?;
    let new = Password::parse(new).map_err(|e| AppError::bad_input("new", e))?;
    let account = match &own.account {
        Some(account) => account.clone(),
        None => accounts::Entity::find_by_id(own.account_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::Unauthenticated)?,
    };
    let attempt = Attempt {
        username: &account.username,
        client,
    };
    login_limit::check(state, &attempt).await?;
    if !password::verify(Some(account.password_hash.clone()), current).await? {
        login_limit::failed(state, &attempt).await?;
        return Err(AppError::invalid(
            "current",
            "WRONG_PASSWORD",
            crate::msg!("accounts.wrong_password"),
        ));
    }
    login_limit::succeeded(state, &attempt).await?;
    let hash = password::hash(&new).await?;
    let kept = match own.credential {
        Some(Credential::Session { id, .. }) => Some(id),
        _ => None,
    };
    accounts::Entity::update_many()
        .col_expr(accounts::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            accounts::Column::SessionEpoch,
            Expr::col(accounts::Column::SessionEpoch).add(1),
        )
        .col_expr(accounts::Column::KeptSessionId, Expr::value(kept))
        .filter(accounts::Column::Id.eq(account.id))
        .exec(&state.db)
        .await?;
    tracing::info!(account.id = %account.id, "password changed; other sessions ended");
    Ok(())
}

/// Ends the session the request came with. An API key is no session: it is ended with
/// `revokeApiKey`, and saying so beats pretending it was logged out.
pub async fn logout(state: &AppState, own: &OwnAccess) -> AppResult<()> {
    match own.checked_for(OwnNeed::Logout)?.credential {
        Some(Credential::Session { id, expires_at }) => {
            bearer::log_out(state, id, expires_at).await
        }
        Some(Credential::ApiKey { .. }) => Err(AppError::invalid(
            "logout",
            "NOT_A_SESSION",
            crate::msg!("accounts.logout_api_key"),
        )),
        None => Err(AppError::Unauthenticated),
    }
}

/// Disables (or enables again) a login; answered with the account as it now is.
pub async fn set_disabled(
    state: &AppState,
    access: AccountAccess,
    disabled: bool,
) -> AppResult<accounts::Model> {
    access.checked_for(AccountNeed::SetDisabled)?;
    let account = access.account;
    if account.disabled == disabled {
        return Ok(account);
    }
    let updated = accounts::Entity::update(accounts::ActiveModel {
        id: Set(account.id),
        disabled: Set(disabled),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    tracing::info!(account.id = %updated.id, account.disabled = disabled, "account status changed");
    Ok(updated)
}
