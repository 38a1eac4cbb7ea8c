//! Revocation (Shandong art. 23: fraud cancels the credits): a reversal entry pointing at the
//! record, and the record's status REVOKED. Nothing is edited or deleted.

use crate::auth::{Permit, Producer, ProducerAccess, RecordAccess, RecordNeed};
use crate::error::{AppError, AppResult};
use crate::events::Event;
use crate::state::AppState;
use chrono::Utc;
use domain::codes::CreditStatus;
use entities::{courses, credit_records};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

const REASON_MAX: usize = 1000;

fn reason(text: &str) -> AppResult<String> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > REASON_MAX {
        return Err(AppError::invalid(
            "reason",
            "OUT_OF_RANGE",
            crate::msg!("input.chars_between", min = 1, max = REASON_MAX),
        ));
    }
    Ok(t.to_owned())
}

/// The reversal of `original`: the same facts, the credits negated, pointing at it.
fn reversal(
    original: &credit_records::Model,
    reason: &str,
    by: Uuid,
    now: chrono::DateTime<Utc>,
) -> credit_records::Model {
    credit_records::Model {
        id: Uuid::now_v7(),
        credits_e4: -original.credits_e4,
        status: CreditStatus::Certified.as_str().to_owned(),
        next_step: None,
        idempotency_key: format!("reversal:{}", original.id),
        reversal_of: Some(original.id),
        reason: Some(reason.to_owned()),
        created_by: Some(by),
        source: None,
        external_id: None,
        created_at: now,
        updated_at: now,
        ..original.clone()
    }
}

/// Marks `records` REVOKED and appends their reversals, in the caller's transaction. Records
/// that are no longer CERTIFIED (revoked meanwhile) are skipped; returns how many were revoked.
async fn revoke_rows(
    txn: &impl ConnectionTrait,
    records: &[credit_records::Model],
    reason: &str,
    by: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    _permit: &Permit,
) -> AppResult<Vec<Uuid>> {
    let mut done = Vec::new();
    for chunk in records.chunks(400) {
        let ids: Vec<Uuid> = chunk.iter().map(|r| r.id).collect();
        let still: Vec<Uuid> = credit_records::Entity::find()
            .select_only()
            .column(credit_records::Column::Id)
            .filter(credit_records::Column::Id.is_in(ids.clone()))
            .filter(credit_records::Column::Status.eq(CreditStatus::Certified.as_str()))
            .into_tuple()
            .all(txn)
            .await?;
        let chunk: Vec<&credit_records::Model> =
            chunk.iter().filter(|r| still.contains(&r.id)).collect();
        if chunk.is_empty() {
            continue;
        }
        credit_records::Entity::update_many()
            .col_expr(
                credit_records::Column::Status,
                Expr::value(CreditStatus::Revoked.as_str()),
            )
            .col_expr(credit_records::Column::UpdatedAt, Expr::value(now))
            .filter(credit_records::Column::Id.is_in(chunk.iter().map(|r| r.id)))
            .filter(credit_records::Column::Status.eq(CreditStatus::Certified.as_str()))
            .exec(txn)
            .await?;
        credit_records::Entity::insert_many(
            chunk
                .iter()
                .map(|r| credit_records::ActiveModel::from(reversal(r, reason, by, now))),
        )
        .exec_without_returning(txn)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("revocation.already_revoked")))?;
        let ids: Vec<Uuid> = chunk.iter().map(|r| r.id).collect();
        super::conversions::void_using(txn, &ids, now).await?;
        super::snapshot_marks::teachers(txn, chunk.iter().map(|r| r.teacher_id)).await?;
        done.extend(ids);
    }
    Ok(done)
}

/// Revokes one certified record, for a handle checked for [`RecordNeed::Revoke`] (a region admin
/// over the teacher, or over the region where the record was earned and certified — it stays
/// that region's word after the teacher moves away — or the system).
pub async fn revoke(
    state: &AppState,
    access: RecordAccess,
    why: &str,
) -> AppResult<credit_records::Model> {
    access.checked_for(RecordNeed::Revoke)?;
    let RecordAccess {
        record: original,
        actor,
        permit,
        ..
    } = access;
    let id = original.id;
    let why = reason(why)?;
    if original.reversal_of.is_some() {
        return Err(AppError::Conflict(crate::msg!("revocation.reversal")));
    }
    if original.status != CreditStatus::Certified.as_str() {
        return Err(AppError::Conflict(crate::msg!(
            "revocation.not_certified",
            state = original.status.to_lowercase(),
            status = crate::i18n::Arg::Enum("CreditStatus", original.status.clone())
        )));
    }
    let txn = super::sql::begin_write(&state.db).await?;
    let done = revoke_rows(
        &txn,
        std::slice::from_ref(&original),
        &why,
        actor,
        state.clock.now(),
        &permit,
    )
    .await?;
    if done.is_empty() {
        return Err(AppError::Conflict(crate::msg!(
            "revocation.revoked_meanwhile"
        )));
    }
    super::outbox::records_by_id(&txn, state, &[id]).await?;
    txn.commit().await?;
    tracing::info!(credit_record.id = %id, "credit revoked");
    let updated = credit_records::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("credit record"))?;
    state.events.publish(Event::record_changed(&updated)).await;
    Ok(updated)
}

/// Revokes every certified credit one course produced, or every one of a provider's courses (a
/// fraudulent provider), for a [`ProducerAccess`] (region admins over the provider). Returns how
/// many were revoked.
pub async fn revoke_produced_by(
    state: &AppState,
    access: &ProducerAccess,
    why: &str,
) -> AppResult<u64> {
    let provider_id = access.provider.id;
    let permit = &access.permit;
    let course = match access.producer {
        Producer::Course(c) => Some(c),
        Producer::Provider(_) => None,
    };
    let why = reason(why)?;
    let course_ids: Vec<Uuid> = match course {
        Some(c) => vec![c],
        None => {
            courses::Entity::find()
                .select_only()
                .column(courses::Column::Id)
                .filter(courses::Column::ProviderId.eq(provider_id))
                .into_tuple()
                .all(&state.db)
                .await?
        }
    };
    if course_ids.is_empty() {
        return Ok(0);
    }
    let txn = super::sql::begin_write(&state.db).await?;
    let records = credit_records::Entity::find()
        .filter(credit_records::Column::CourseId.is_in(course_ids))
        .filter(credit_records::Column::Status.eq(CreditStatus::Certified.as_str()))
        .filter(credit_records::Column::ReversalOf.is_null())
        .all(&txn)
        .await?;
    let done = revoke_rows(
        &txn,
        &records,
        &why,
        access.actor,
        state.clock.now(),
        permit,
    )
    .await?;
    super::outbox::records_by_id(&txn, state, &done).await?;
    txn.commit().await?;
    tracing::info!(provider.id = %provider_id, revoked = done.len(), "credits revoked in bulk");
    for r in records.iter().filter(|r| done.contains(&r.id)) {
        let mut changed = r.clone();
        changed.status = CreditStatus::Revoked.as_str().to_owned();
        state.events.publish(Event::record_changed(&changed)).await;
    }
    Ok(done.len() as u64)
}

/// The reversal that revoked a record, if any.
pub async fn reversal_of(state: &AppState, id: Uuid) -> AppResult<Option<credit_records::Model>> {
    Ok(credit_records::Entity::find()
        .filter(credit_records::Column::ReversalOf.eq(id))
        .one(&state.db)
        .await?)
}
