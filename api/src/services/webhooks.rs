//! Webhooks an account registers for itself (API.md "Webhooks"): where events go, which
//! events, and the history of their deliveries. Any signed-in account may register one for
//! the events its kind can read; only the owner sees, lists or deletes it.

use super::page::{page_of, Direction, KeyKind, Page, PageRequest, Sort, SortKey};
use crate::auth::{OwnAccess, OwnNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::webhooks::claim::{FAILED, PENDING};
use crate::webhooks::send::resolve_public;
use domain::webhook::{self, EventType, TargetError, Targets};
use entities::{webhook_deliveries, webhooks};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

/// Live webhooks one account may hold.
pub const MAX_PER_ACCOUNT: u64 = 20;
const MAX_URL_CHARS: usize = 2_000;

/// Which targets this deployment allows: any in development, public `https://` in production.
pub fn targets(state: &AppState) -> Targets {
    if state.settings.is_production() {
        Targets::PublicOnly
    } else {
        Targets::Anywhere
    }
}

/// The events a new webhook asks for, in normal form (sorted, once each); BAD_USER_INPUT at
/// `input.events` when there are none.
pub fn subscription(events: &[EventType]) -> AppResult<Vec<EventType>> {
    webhook::subscription(events).map_err(|e| AppError::bad_input("input.events", e))
}

/// Registers a webhook for the caller's account; the gate checked the events
/// ([`Guard::subscriber`](crate::auth::Guard::subscriber)) against `events`' normal form.
pub async fn create(
    state: &AppState,
    own: &OwnAccess,
    url: &str,
    events: Vec<EventType>,
) -> AppResult<webhooks::Model> {
    own.checked_for(OwnNeed::Webhooks)?;
    let account = own.account_id;
    let url = check_url(url, targets(state)).await?;
    let live = webhooks::Entity::find()
        .filter(webhooks::Column::AccountId.eq(account))
        .filter(webhooks::Column::DeletedAt.is_null())
        .count(&state.db)
        .await?;
    if live >= MAX_PER_ACCOUNT {
        return Err(AppError::Conflict(crate::msg!(
            "webhooks.too_many",
            max = MAX_PER_ACCOUNT
        )));
    }
    let hook = webhooks::Model {
        id: Uuid::now_v7(),
        account_id: account,
        url,
        events: crate::rows::json_list(events.iter().map(|e| e.as_str())),
        secret: new_secret(),
        created_at: state.clock.now(),
        deleted_at: None,
    };
    webhooks::Entity::insert(webhooks::ActiveModel::from(hook.clone()))
        .exec_without_returning(&state.db)
        .await?;
    tracing::info!(webhook.id = %hook.id, "webhook created");
    Ok(hook)
}

/// `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries expect.
fn new_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

/// The URL, normalised, if this deployment may send to it: an absolute `http(s)` URL without
/// credentials; in production `https://` to a host all of whose addresses are public (it is
/// checked again, against what it then resolves to, at every delivery).
async fn check_url(url: &str, targets: Targets) -> AppResult<String> {
    let field = "input.url";
    let refuse = |e: TargetError| {
        let text = match e {
            TargetError::Scheme => crate::msg!("webhooks.target_scheme"),
            TargetError::Credentials => crate::msg!("webhooks.target_credentials"),
            TargetError::Address => crate::msg!("webhooks.target_address"),
        };
        AppError::invalid(field, e.code(), text)
    };
    let trimmed = url.trim();
    if trimmed.chars().count() > MAX_URL_CHARS {
        return Err(AppError::invalid(
            field,
            "TOO_LONG",
            crate::msg!("input.chars_at_most", max = MAX_URL_CHARS),
        ));
    }
    let parsed = reqwest::Url::parse(trimmed)
        .ok()
        .filter(|u| u.has_host())
        .ok_or_else(|| {
            AppError::invalid(field, "INVALID_FORMAT", crate::msg!("webhooks.url_format"))
        })?;
    webhook::check_scheme(parsed.scheme(), targets).map_err(refuse)?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse(TargetError::Credentials));
    }
    let host = parsed.host_str().unwrap_or_default();
    webhook::check_host(host, targets).map_err(refuse)?;
    if targets == Targets::PublicOnly && host.parse::<std::net::IpAddr>().is_err() {
        resolve_public(host)
            .await
            .map_err(|_| refuse(TargetError::Address))?;
    }
    Ok(parsed.to_string())
}

/// The caller's live webhooks, oldest first.
pub async fn of_viewer(state: &AppState, own: &OwnAccess) -> AppResult<Vec<webhooks::Model>> {
    let account = own.checked_for(OwnNeed::Webhooks)?.account_id;
    Ok(webhooks::Entity::find()
        .filter(webhooks::Column::AccountId.eq(account))
        .filter(webhooks::Column::DeletedAt.is_null())
        .order_by_asc(webhooks::Column::CreatedAt)
        .order_by_asc(webhooks::Column::Id)
        .all(&state.db)
        .await?)
}

/// Deletes one of the caller's webhooks; its pending deliveries are given up with it. Another
/// account's webhook is NOT_FOUND, as if it did not exist.
pub async fn delete(state: &AppState, own: &OwnAccess, id: Uuid) -> AppResult<bool> {
    let account = own.checked_for(OwnNeed::Webhooks)?.account_id;
    let txn = state.db.begin().await?;
    let gone = webhooks::Entity::update_many()
        .col_expr(webhooks::Column::DeletedAt, Expr::value(state.clock.now()))
        .filter(webhooks::Column::Id.eq(id))
        .filter(webhooks::Column::AccountId.eq(account))
        .filter(webhooks::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Err(AppError::not_found("webhook"));
    }
    webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::Status, Expr::value(FAILED))
        .col_expr(
            webhook_deliveries::Column::NextAttemptAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(webhook_deliveries::Column::WebhookId.eq(id))
        .filter(webhook_deliveries::Column::Status.eq(PENDING))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(webhook.id = %id, "webhook deleted");
    Ok(true)
}

/// A webhook's deliveries, newest first, for its owner.
pub async fn deliveries(
    state: &AppState,
    own: &OwnAccess,
    hook: &webhooks::Model,
    page: &PageRequest,
) -> AppResult<Page<webhook_deliveries::Model>> {
    let account = own.checked_for(OwnNeed::Webhooks)?.account_id;
    if hook.account_id != account {
        return Err(AppError::forbidden());
    }
    let base = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::WebhookId.eq(hook.id));
    let total = base.clone().count(&state.db).await?;
    let sort = Sort::by(
        "webhook_deliveries.created.desc",
        Expr::col((
            webhook_deliveries::Entity,
            webhook_deliveries::Column::CreatedAt,
        )),
        KeyKind::Time,
        Direction::Desc,
    );
    let rows = sort
        .apply(base, webhook_deliveries::Column::Id, page.after.as_ref())?
        .limit(page.first + 1)
        .all(&state.db)
        .await?;
    Ok(page_of(rows, page, total, |d| {
        sort.cursor(SortKey::Time(d.created_at), d.id)
    }))
}

/// The events a webhook subscribes to.
pub fn events_of(hook: &webhooks::Model) -> AppResult<Vec<EventType>> {
    super::outbox_fanout::events_of(hook)
}
