//! Turning an `Authorization: Bearer …` value into a caller: a session token from `login`, or an
//! API key (`cbk_…`). Both end up as the same [`Principal`] — the account's role and scope — so a
//! key can do exactly what its account can, no more.
//!
//! Per request this costs: for a token, one cache lookup (the logout list) and the account row;
//! for a key, the key joined with its account in one statement (and, at most once a minute per
//! key, a `lastUsedAt` write). Whether the account is disabled comes with that row (see
//! [`principal::from_account`]).

use super::api_key;
use super::principal::{self, Credential, Principal, RequestAuth};
use super::token;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entities::{accounts, api_keys};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

/// `lastUsedAt` is kept to the minute: a busy integration must not write a row per request.
const LAST_USED_RESOLUTION: chrono::Duration = chrono::Duration::seconds(60);

/// The caller an `Authorization` header names: none (anonymous), a bad one (invalid), or a
/// principal. Only an unreachable database is an error.
pub async fn authenticate(state: &AppState, header: Option<&str>) -> AppResult<RequestAuth> {
    let Some(header) = header else {
        return Ok(RequestAuth::Anonymous);
    };
    let Some(bearer) = header.strip_prefix("Bearer ") else {
        return Ok(RequestAuth::Invalid);
    };
    let bearer = bearer.trim();
    let found = if api_key::is_key(bearer) {
        by_key(state, bearer).await?
    } else {
        by_token(state, bearer).await?
    };
    Ok(found.map_or(RequestAuth::Invalid, RequestAuth::Authenticated))
}

async fn by_token(state: &AppState, text: &str) -> AppResult<Option<Principal>> {
    let Ok(claims) = token::verify(&state.settings.jwt_secret, text) else {
        return Ok(None);
    };
    if is_logged_out(state, claims.jti).await? {
        return Ok(None);
    }
    let Some(account) = accounts::Entity::find_by_id(claims.sub)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    // A password change moved the account to a new generation: only the session that made
    // the change keeps working.
    let current =
        claims.sep == account.session_epoch || account.kept_session_id == Some(claims.jti);
    if !current {
        return Ok(None);
    }
    let credential = Credential::Session {
        id: claims.jti,
        expires_at: claims.expires_at(),
    };
    principal::from_account(&state.db, account, Some(credential)).await
}

/// A key is found by its hash with one indexed equality. Comparing hashes in the database is
/// not a timing oracle worth guarding: learning how much of a SHA-256 matches says nothing
/// about the key that produces it.
async fn by_key(state: &AppState, text: &str) -> AppResult<Option<Principal>> {
    let row = api_keys::Entity::find()
        .filter(api_keys::Column::Hash.eq(api_key::hash(text)))
        .find_also_related(accounts::Entity)
        .one(&state.db)
        .await?;
    let Some((key, Some(account))) = row else {
        return Ok(None);
    };
    // `expiresOn` is the last day the key works, in `TIME_ZONE` (as access grants expire).
    let expired = key
        .expires_on
        .is_some_and(|last| last < state.clock.today());
    if key.revoked_at.is_some() || expired {
        return Ok(None);
    }
    touch(state, &key).await;
    let credential = Credential::ApiKey { id: key.id };
    principal::from_account(&state.db, account, Some(credential)).await
}

/// Records that the key was used, at most once a minute: the row says when it was last
/// written, and the update is conditional, so replicas racing on the same key write it once.
/// A failed write is logged, never a reason to refuse the request.
async fn touch(state: &AppState, key: &api_keys::Model) {
    let now = state.clock.now();
    let stale = now - LAST_USED_RESOLUTION;
    if key.last_used_at.is_some_and(|at| at > stale) {
        return;
    }
    let written = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::LastUsedAt, Expr::value(now))
        .filter(api_keys::Column::Id.eq(key.id))
        .filter(
            Condition::any()
                .add(api_keys::Column::LastUsedAt.is_null())
                .add(api_keys::Column::LastUsedAt.lt(stale)),
        )
        .exec(&state.db)
        .await;
    if let Err(e) = written {
        tracing::warn!(api_key.id = %key.id, error.message = %e, "could not record a key's use");
    }
}

fn logout_key(state: &AppState, session: Uuid) -> String {
    state.cache_key(&["logged-out", &session.to_string()])
}

/// Puts the session on the logout list until the token would have expired anyway. The list
/// lives in the shared cache (Redis with several replicas), so every replica refuses the token
/// from the next request on; while Redis is unreachable it is kept in this replica's memory only.
pub async fn log_out(state: &AppState, session: Uuid, expires_at: DateTime<Utc>) -> AppResult<()> {
    let left = (expires_at - Utc::now())
        .to_std()
        .unwrap_or_default()
        .max(std::time::Duration::from_secs(1));
    state
        .cache
        .set(&logout_key(state, session), "1", left)
        .await
        .map_err(AppError::internal)
}

async fn is_logged_out(state: &AppState, session: Uuid) -> AppResult<bool> {
    Ok(state
        .cache
        .get(&logout_key(state, session))
        .await
        .map_err(AppError::internal)?
        .is_some())
}
