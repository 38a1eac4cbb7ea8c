//! Accounts: creation within the creator's scope, and login.

use crate::auth::{password, token, Guard, Permit, Principal};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::identity::{Password, Username};
use domain::scope::Resource;
use entities::accounts;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

// The account-to-scope mapping lives in the gate, which needs it to authenticate.
pub use crate::auth::target::{scope_for, target_of, AccountTarget};

pub struct NewAccount {
    pub username: Username,
    pub password: Password,
    pub target: AccountTarget,
}

pub async fn create(
    state: &AppState,
    guard: &Guard<'_>,
    new: NewAccount,
) -> AppResult<accounts::Model> {
    let scope = scope_for(&state.db, &new.target).await?.ok_or_else(|| {
        AppError::invalid(
            new.target.field(),
            "NOT_FOUND",
            crate::msg!("input.no_such_record"),
        )
    })?;
    let permit = guard.require_account_creation(&scope)?;
    insert(&state.db, &permit, new, Some(guard.principal().account_id)).await
}

/// Inserts an account whose creation was already authorized.
pub async fn insert(
    db: &impl ConnectionTrait,
    _permit: &Permit,
    new: NewAccount,
    _created_by: Option<Uuid>,
) -> AppResult<accounts::Model> {
    let hash = password::hash(&new.password).await?;
    let model = accounts::Model {
        id: Uuid::now_v7(),
        username: new.username.as_str().to_owned(),
        password_hash: hash,
        role: new.target.role().as_str().to_owned(),
        region_code: match &new.target {
            AccountTarget::Region(code) => Some(code.as_str().to_owned()),
            _ => None,
        },
        school_id: match new.target {
            AccountTarget::School(id) => Some(id),
            _ => None,
        },
        provider_id: match new.target {
            AccountTarget::Provider(id) => Some(id),
            _ => None,
        },
        university_id: match new.target {
            AccountTarget::University(id) => Some(id),
            _ => None,
        },
        teacher_id: match new.target {
            AccountTarget::Teacher(id) => Some(id),
            _ => None,
        },
        disabled: false,
        created_at: chrono::Utc::now(),
        last_login_at: None,
    };
    let taken = match new.target {
        AccountTarget::Teacher(_) => crate::msg!("accounts.username_or_teacher_taken"),
        _ => crate::msg!("accounts.username_taken"),
    };
    accounts::Entity::insert(accounts::ActiveModel::from(model.clone()))
        .exec_without_returning(db)
        .await
        .map_err(|e| AppError::db(e, taken))?;
    Ok(model)
}

pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub principal: Principal,
    pub account: accounts::Model,
}

/// Unknown user, wrong password and disabled account all give the same answer, in the same time.
pub async fn login(
    state: &AppState,
    username: &str,
    password_text: String,
    now: DateTime<Utc>,
) -> AppResult<Session> {
    // Usernames are at most 64 characters; a longer one cannot exist, and must not become a
    // megabyte-long cache key either.
    let normalised: String = username.trim().to_lowercase().chars().take(65).collect();
    let limit = state.settings.login_attempts;
    let key = state.cache_key(&["login-failures", &normalised]);
    if let Some(count) = state.cache.get(&key).await.map_err(AppError::internal)? {
        if count.parse::<u64>().unwrap_or(0) >= limit.max_failures {
            let wait = state
                .cache
                .ttl(&key)
                .await
                .map_err(AppError::internal)?
                .unwrap_or(limit.window);
            return Err(AppError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            });
        }
    }
    let account = match Username::parse(&normalised) {
        Ok(name) => accounts::Entity::find()
            .filter(accounts::Column::Username.eq(name.as_str()))
            .one(&state.db)
            .await?
            .filter(|a| !a.disabled),
        Err(_) => None,
    };
    let ok = password::verify(
        account.as_ref().map(|a| a.password_hash.clone()),
        password_text,
    )
    .await?;
    let account = match (ok, account) {
        (true, Some(account)) => account,
        _ => {
            state
                .cache
                .incr_window(&key, limit.window)
                .await
                .map_err(AppError::internal)?;
            return Err(AppError::BadCredentials);
        }
    };
    state.cache.delete(&key).await.map_err(AppError::internal)?;
    let scope = scope_for(&state.db, &target_of(&account)?)
        .await?
        .ok_or(AppError::BadCredentials)?;
    accounts::Entity::update(accounts::ActiveModel {
        id: Set(account.id),
        last_login_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    let (token, expires_at) = token::issue(
        &state.settings.jwt_secret,
        account.id,
        now,
        state.settings.token_ttl,
    )?;
    Ok(Session {
        token,
        expires_at,
        principal: Principal {
            account_id: account.id,
            username: account.username.clone(),
            scope,
            loaded: None,
        },
        account,
    })
}

/// An account, to a caller who may read it (itself, or an admin over its scope).
pub async fn get(state: &AppState, guard: &Guard<'_>, id: Uuid) -> AppResult<accounts::Model> {
    // The caller's own account was read by authentication; it is always theirs to read.
    if let Some(own) = guard.own_account().filter(|a| a.id == id) {
        return Ok(own.clone());
    }
    let account = accounts::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let scope = scope_for(&state.db, &target_of(&account)?)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let _permit: Permit = guard.require_self_or(id, &Resource::Account { id, scope })?;
    Ok(account)
}
