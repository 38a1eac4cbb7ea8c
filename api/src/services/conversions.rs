//! Conversions of training credits into a university's academic credits. A record reserved or
//! used by a live conversion can never back another: the allocation table's unique
//! `live_credit_record_id` makes the database refuse the second, whatever the race.

use super::activities::activity_of;
use super::universities::{mapping, mapping_of, MappingRow};
use crate::auth::{
    ConversionAccess, ConversionNeed, OwnTeacherAccess, TeacherAccess, TeacherDeed, TeacherNeed,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{ConversionStatus, CreditStatus, Decision};
use domain::transfer::{preview as evaluate, Candidate, Preview};
use domain::webhook::EventType;
use entities::{conversion_allocations, conversions, credit_records};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use std::collections::HashSet;
use uuid::Uuid;

pub struct TransferPreview {
    pub mapping: MappingRow,
    pub preview: Preview,
    pub records: Vec<credit_records::Model>,
}

/// Records of the teacher that live conversions hold.
async fn reserved(db: &impl ConnectionTrait, teacher: Uuid) -> AppResult<HashSet<Uuid>> {
    let ids: Vec<Option<Uuid>> = conversion_allocations::Entity::find()
        .select_only()
        .column(conversion_allocations::Column::LiveCreditRecordId)
        .filter(conversion_allocations::Column::LiveCreditRecordId.is_not_null())
        .filter(
            conversion_allocations::Column::ConversionId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(conversions::Column::Id)
                    .from(conversions::Entity)
                    .and_where(conversions::Column::TeacherId.eq(teacher))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().flatten().collect())
}

async fn compute(
    db: &impl ConnectionTrait,
    teacher: Uuid,
    row: MappingRow,
    today: NaiveDate,
) -> AppResult<TransferPreview> {
    let records = credit_records::Entity::find()
        .filter(credit_records::Column::TeacherId.eq(teacher))
        .filter(credit_records::Column::ReversalOf.is_null())
        .all(db)
        .await?;
    let held = reserved(db, teacher).await?;
    // The facts as the policy engine reads them: one parsing of the stored columns.
    let candidates = records
        .iter()
        .map(|r| {
            let a = activity_of(r)?;
            Ok(Candidate {
                id: a.id,
                category: a.category,
                level: a.level,
                modality: a.modality,
                hours: a.hours,
                earned_on: a.earned_on,
                certified: a.status == CreditStatus::Certified,
                reserved: held.contains(&a.id),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let preview = evaluate(&mapping_of(&row.row)?, &candidates, today);
    let used: Vec<credit_records::Model> = preview
        .usable
        .iter()
        .filter_map(|id| records.iter().find(|r| r.id == *id).cloned())
        .collect();
    Ok(TransferPreview {
        mapping: row,
        preview,
        records: used,
    })
}

/// For a teacher handle checked for [`TeacherNeed::Ledger`]: the teacher itself, the admins
/// over it, or a university it granted access to.
pub async fn preview(
    state: &AppState,
    access: &TeacherAccess,
    mapping_id: Uuid,
) -> AppResult<TransferPreview> {
    access.checked_for(TeacherNeed::Ledger)?;
    let row = mapping(state, mapping_id).await?;
    compute(&state.db, access.teacher.id, row, state.clock.today()).await
}

/// The teacher asks for a conversion: the records it uses are reserved at once.
pub async fn request(
    state: &AppState,
    own: &OwnTeacherAccess,
    mapping_id: Uuid,
) -> AppResult<conversions::Model> {
    let teacher = &own.checked_for(TeacherDeed::RequestConversion)?.teacher;
    let row = mapping(state, mapping_id).await?;
    let txn = super::sql::begin_write(&state.db).await?;
    let computed = compute(&txn, *teacher, row, state.clock.today()).await?;
    if !computed.preview.eligible {
        return Err(AppError::invalid(
            "mappingId",
            "NOT_ELIGIBLE",
            crate::msg!(
                "conversions.not_eligible",
                missing = crate::i18n::Arg::Each(
                    computed
                        .preview
                        .missing_items
                        .iter()
                        .map(|m| crate::i18n::IntoArg::into_arg(crate::i18n::missing_text(m)))
                        .collect()
                )
            ),
        ));
    }
    let now = state.clock.now();
    let conversion = conversions::Model {
        id: Uuid::now_v7(),
        teacher_id: *teacher,
        mapping_id,
        status: ConversionStatus::Requested.as_str().to_owned(),
        academic_credits_e4: computed.preview.academic_credits.to_e4(),
        requested_at: now,
        decided_at: None,
        decided_by: None,
        comment: None,
    };
    conversions::Entity::insert(conversions::ActiveModel::from(conversion.clone()))
        .exec_without_returning(&txn)
        .await?;
    conversion_allocations::Entity::insert_many(computed.records.iter().map(|r| {
        conversion_allocations::ActiveModel {
            id: Set(Uuid::now_v7()),
            conversion_id: Set(conversion.id),
            credit_record_id: Set(r.id),
            credits_e4: Set(r.credits_e4),
            live_credit_record_id: Set(Some(r.id)),
            created_at: Set(now),
        }
    }))
    .exec_without_returning(&txn)
    .await
    .map_err(|e| AppError::db(e, crate::msg!("conversions.records_reserved")))?;
    super::outbox::conversion(&txn, state, conversion.id, EventType::ConversionRequested).await?;
    txn.commit()
        .await
        .map_err(|e| AppError::db(e, crate::msg!("conversions.records_reserved")))?;
    tracing::info!(conversion.id = %conversion.id, "conversion requested");
    Ok(conversion)
}

/// The university decides: APPROVE makes it final; REJECT frees the records.
pub async fn decide(
    state: &AppState,
    access: ConversionAccess,
    decision: Decision,
    comment: Option<String>,
) -> AppResult<conversions::Model> {
    access.checked_for(ConversionNeed::Decide)?;
    let conversion = access.conversion;
    let id = conversion.id;
    if decision == Decision::Reject && comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err(AppError::invalid(
            "comment",
            "REQUIRED",
            crate::msg!("review.comment_required"),
        ));
    }
    let status = match decision {
        Decision::Approve => ConversionStatus::Approved,
        Decision::Reject => ConversionStatus::Rejected,
    };
    let txn = super::sql::begin_write(&state.db).await?;
    let moved = conversions::Entity::update_many()
        .col_expr(conversions::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            conversions::Column::DecidedAt,
            Expr::value(state.clock.now()),
        )
        .col_expr(conversions::Column::DecidedBy, Expr::value(access.actor))
        .col_expr(conversions::Column::Comment, Expr::value(comment))
        .filter(conversions::Column::Id.eq(id))
        .filter(conversions::Column::Status.eq(ConversionStatus::Requested.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict(crate::msg!(
            "conversions.already_decided",
            state = conversion.status.to_lowercase(),
            status = crate::i18n::Arg::Enum("ConversionStatus", conversion.status.clone())
        )));
    }
    if status == ConversionStatus::Rejected {
        release(&txn, &[id]).await?;
    }
    super::outbox::conversion(&txn, state, id, EventType::ConversionDecided).await?;
    txn.commit().await?;
    conversions::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("conversion"))
}

/// Frees the records of conversions that are no longer live.
async fn release(db: &impl ConnectionTrait, conversions: &[Uuid]) -> AppResult<()> {
    conversion_allocations::Entity::update_many()
        .col_expr(
            conversion_allocations::Column::LiveCreditRecordId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(conversion_allocations::Column::ConversionId.is_in(conversions.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// A revoked record voids the live conversions that used it: CANCELLED, saying why, and the
/// rest of their records freed. Runs in the revocation's transaction.
pub async fn void_using(
    db: &impl ConnectionTrait,
    records: &[Uuid],
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<u64> {
    if records.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = conversion_allocations::Entity::find()
        .select_only()
        .column(conversion_allocations::Column::ConversionId)
        .filter(conversion_allocations::Column::LiveCreditRecordId.is_in(records.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let voided = conversions::Entity::update_many()
        .col_expr(
            conversions::Column::Status,
            Expr::value(ConversionStatus::Cancelled.as_str()),
        )
        .col_expr(conversions::Column::DecidedAt, Expr::value(now))
        .col_expr(
            conversions::Column::Comment,
            Expr::value("voided: a credit record it used was revoked"),
        )
        .filter(conversions::Column::Id.is_in(ids.clone()))
        .exec(db)
        .await?
        .rows_affected;
    release(db, &ids).await?;
    Ok(voided)
}

/// The records a conversion used (live or not), oldest first.
pub async fn records_of(
    state: &AppState,
    conversion: Uuid,
) -> AppResult<Vec<credit_records::Model>> {
    use sea_orm::QueryOrder;
    let ids: Vec<Uuid> = conversion_allocations::Entity::find()
        .select_only()
        .column(conversion_allocations::Column::CreditRecordId)
        .filter(conversion_allocations::Column::ConversionId.eq(conversion))
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(credit_records::Entity::find()
        .filter(credit_records::Column::Id.is_in(ids))
        .order_by_asc(credit_records::Column::CreatedAt)
        .order_by_asc(credit_records::Column::Id)
        .all(&state.db)
        .await?)
}

/// A teacher's conversions, oldest request first, for a teacher handle checked for
/// [`TeacherNeed::Ledger`]: the teacher, the admins over it, universities it granted access to.
pub async fn of_teacher(
    state: &AppState,
    access: &TeacherAccess,
) -> AppResult<Vec<conversions::Model>> {
    use sea_orm::QueryOrder;
    access.checked_for(TeacherNeed::Ledger)?;
    Ok(conversions::Entity::find()
        .filter(conversions::Column::TeacherId.eq(access.teacher.id))
        .order_by_asc(conversions::Column::RequestedAt)
        .order_by_asc(conversions::Column::Id)
        .all(&state.db)
        .await?)
}
