//! Accounts: creation within the creator's scope, and login (limited: [`super::login_limit`]).

use super::login_limit::{self, Attempt};
use crate::auth::client_address::ClientAddress;
use crate::auth::{password, token, NewAccountAccess, Permit, Principal};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::identity::{Password, Username};
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

/// Creates the account the gate allowed ([`Guard::new_account`](crate::auth::Guard::new_account)).
pub async fn create(
    state: &AppState,
    access: &NewAccountAccess,
    username: Username,
    password: Password,
) -> AppResult<accounts::Model> {
    let new = NewAccount {
        username,
        password,
        target: access.target.clone(),
    };
    insert(&state.db, &access.permit, new, Some(access.actor)).await
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
        session_epoch: 0,
        kept_session_id: None,
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
/// Repeated failures are slowed per account and address (see [`super::login_limit`]).
pub async fn login(
    state: &AppState,
    username: &str,
    password_text: String,
    client: ClientAddress,
    now: DateTime<Utc>,
) -> AppResult<Session> {
    // Usernames are at most 64 characters; a longer one cannot exist, and must not become a
    // megabyte-long cache key either.
    let normalised: String = username.trim().to_lowercase().chars().take(65).collect();
    let attempt = Attempt {
        username: &normalised,
        client,
    };
    login_limit::check(state, &attempt).await?;
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
            login_limit::failed(state, &attempt).await?;
            return Err(AppError::BadCredentials);
        }
    };
    login_limit::succeeded(state, &attempt).await?;
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
        account.session_epoch,
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
