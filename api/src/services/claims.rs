//! Declared activities: a teacher claims, the chain reviews, the last step certifies.

use super::policies;
use super::posting::OnDuplicate;
use crate::auth::{OwnTeacherAccess, ReviewAccess, TeacherDeed};
use crate::error::{AppError, AppResult};
use crate::events::Event;
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};
use domain::claim::{parse_claim, ClaimInput};
use domain::codes::{CreditStatus, Decision, ReviewStep};
use domain::error::InputError;
use domain::region::RegionCode;
use domain::review::{self, chain};
use entities::{
    credit_records, evidence, make_up_allowances, review_events, schools, year_closings,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// The review steps for a record earned in `region` on `on`: the policy's, or the full chain.
pub async fn steps_for(
    state: &AppState,
    region: &RegionCode,
    on: NaiveDate,
) -> AppResult<Vec<ReviewStep>> {
    Ok(steps_of(
        policies::effective(state, region, on).await?.as_ref(),
    ))
}

fn steps_of(policy: Option<&policies::StoredPolicy>) -> Vec<ReviewStep> {
    chain(
        policy
            .and_then(|p| p.document.review.as_ref())
            .map(|r| r.steps.as_slice()),
    )
}

/// A teacher declares an activity. Retrying with the same `idempotencyKey` returns the first
/// claim instead of a second one.
pub async fn claim(
    state: &AppState,
    own: &OwnTeacherAccess,
    input: ClaimInput,
    idempotency_key: Option<String>,
) -> AppResult<credit_records::Model> {
    own.checked_for(TeacherDeed::Declare)?;
    let (teacher, school, region) = (&own.teacher, &own.school, &own.region);
    let today = state.clock.today();
    let claim = parse_claim(input, today).map_err(|e| AppError::bad_input(e.field, e.error))?;
    let key = match idempotency_key.as_deref().map(str::trim) {
        Some(k) if !k.is_empty() && k.len() <= 100 => format!("claim:{teacher}:{k}"),
        Some(_) => {
            return Err(AppError::invalid(
                "idempotencyKey",
                InputError::OUT_OF_RANGE,
                crate::msg!("input.chars_between", min = 1, max = 100),
            ))
        }
        None => format!("claim:{teacher}:{}", Uuid::now_v7()),
    };
    if let Some(existing) = credit_records::Entity::find()
        .filter(credit_records::Column::IdempotencyKey.eq(&key))
        .one(&state.db)
        .await?
    {
        return Ok(existing);
    }
    ensure_year_open(state, *teacher, region, claim.earned_on, today).await?;
    let school_row = schools::Entity::find_by_id(*school)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("school"))?;
    // One lookup of the policy in force where and when the activity was earned: it gives the
    // review chain and prices the preview.
    let policy = policies::effective(state, region, claim.earned_on).await?;
    let steps = steps_of(policy.as_ref());
    let now = state.clock.now();
    let mut record = credit_records::Model {
        id: Uuid::now_v7(),
        teacher_id: *teacher,
        school_id: *school,
        region_code: school_row.region_code.clone(),
        kind: claim.kind.as_str().to_owned(),
        title: claim.title.clone(),
        course_id: None,
        level: claim.level.map(|l| l.as_str().to_owned()),
        modality: claim.modality.map(|m| m.as_str().to_owned()),
        category: claim.category.as_ref().map(|c| c.as_str().to_owned()),
        compulsory: claim.compulsory,
        role: claim.role.as_str().to_owned(),
        hours_e4: claim.hours.map(|h| h.to_e4()),
        attended_hours_e4: None,
        taught_hours_e4: None,
        days: claim.days,
        months: claim.months,
        words: claim.words,
        prize: claim.prize.map(|p| p.as_str().to_owned()),
        passed: None,
        score_e4: None,
        earned_on: claim.earned_on,
        policy_key: None,
        credits_e4: 0,
        status: CreditStatus::Pending.as_str().to_owned(),
        next_step: steps.first().map(|s| s.as_str().to_owned()),
        idempotency_key: key,
        reversal_of: None,
        reason: None,
        created_by: Some(own.actor),
        source: None,
        external_id: None,
        created_at: now,
        updated_at: now,
    };
    // The preview: what the claim earns where and when it was earned (see `posting::price`).
    super::posting::price(&mut record, policy.as_ref())?;
    let txn = super::sql::begin_write(&state.db).await?;
    let appended = super::posting::append(
        &txn,
        vec![record.clone()],
        OnDuplicate::Refuse(crate::msg!("claims.already_sent")),
    )
    .await?;
    if !claim.evidence.is_empty() {
        evidence::Entity::insert_many(claim.evidence.iter().map(|e| evidence::ActiveModel {
            id: Set(Uuid::now_v7()),
            credit_record_id: Set(record.id),
            name: Set(e.name.clone()),
            url: Set(e.url.clone()),
            sha256: Set(e.sha256.clone()),
            created_at: Set(now),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    appended.commit(state, txn).await?;
    tracing::info!(credit_record.id = %record.id, credit_record.kind = %record.kind, "claim declared");
    Ok(record)
}

/// Claims dated in a year a region over the teacher closed are refused, unless the teacher has
/// a make-up allowance for that year whose deadline has not passed.
async fn ensure_year_open(
    state: &AppState,
    teacher: Uuid,
    region: &RegionCode,
    earned_on: NaiveDate,
    today: NaiveDate,
) -> AppResult<()> {
    let chain: Vec<String> = state
        .regions
        .ancestors(region)
        .iter()
        .map(|n| n.code.as_str().to_owned())
        .collect();
    let year = earned_on.year();
    let closed = year_closings::Entity::find()
        .filter(year_closings::Column::RegionCode.is_in(chain))
        .filter(year_closings::Column::Year.eq(year))
        .one(&state.db)
        .await?;
    let Some(closed) = closed else { return Ok(()) };
    let allowed = make_up_allowances::Entity::find()
        .filter(make_up_allowances::Column::TeacherId.eq(teacher))
        .filter(make_up_allowances::Column::Year.eq(year))
        .filter(make_up_allowances::Column::Deadline.gte(today))
        .one(&state.db)
        .await?;
    if allowed.is_some() {
        return Ok(());
    }
    Err(AppError::invalid(
        "input.earnedOn",
        "YEAR_CLOSED",
        crate::msg!(
            "claims.year_closed",
            year = year,
            region = &closed.region_code
        ),
    ))
}

/// One decision by the reviewer of the record's current step, for a handle the gate checked
/// for that step ([`Guard::review`](crate::auth::Guard::review)).
pub async fn review(
    state: &AppState,
    access: ReviewAccess,
    decision: Decision,
    comment: Option<String>,
) -> AppResult<credit_records::Model> {
    let ReviewAccess {
        record,
        earned_in: region,
        status,
        step,
        actor,
        permit: _permit,
        ..
    } = access;
    let id = record.id;
    let steps = steps_for(state, &region, record.earned_on).await?;
    let outcome = review::decide(&steps, status, Some(step), decision, comment.as_deref())
        .map_err(|r| match r {
            review::Refusal::Finished => AppError::Conflict(crate::msg!("review.finished")),
            review::Refusal::CommentRequired => AppError::bad_input("comment", r.input_error()),
        })?;
    let now = state.clock.now();
    let txn = super::sql::begin_write(&state.db).await?;
    // Compare-and-set: a concurrent decision on the same step makes this one affect nothing.
    let moved = credit_records::Entity::update_many()
        .col_expr(
            credit_records::Column::Status,
            Expr::value(outcome.status.as_str()),
        )
        .col_expr(
            credit_records::Column::NextStep,
            Expr::value(outcome.next_step.map(|s| s.as_str().to_owned())),
        )
        .col_expr(credit_records::Column::UpdatedAt, Expr::value(now))
        .filter(credit_records::Column::Id.eq(id))
        .filter(credit_records::Column::Status.eq(CreditStatus::Pending.as_str()))
        .filter(credit_records::Column::NextStep.eq(step.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict(crate::msg!("claims.decided_first")));
    }
    review_events::Entity::insert(review_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        credit_record_id: Set(id),
        step: Set(step.as_str().to_owned()),
        decision: Set(decision.as_str().to_owned()),
        actor_account_id: Set(actor),
        comment: Set(comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())),
        at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    super::outbox::records_by_id(&txn, state, &[id]).await?;
    super::snapshot_marks::teachers(&txn, [record.teacher_id]).await?;
    txn.commit().await?;
    tracing::info!(credit_record.id = %id, review.step = step.as_str(), review.decision = decision.as_str(), "claim reviewed");
    let updated = credit_records::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("credit record"))?;
    state.events.publish(Event::record_changed(&updated)).await;
    Ok(updated)
}

/// A record's review events, oldest first.
pub async fn history(
    db: &DatabaseConnection,
    record: Uuid,
) -> AppResult<Vec<review_events::Model>> {
    Ok(review_events::Entity::find()
        .filter(review_events::Column::CreditRecordId.eq(record))
        .order_by_asc(review_events::Column::At)
        .order_by_asc(review_events::Column::Id)
        .all(db)
        .await?)
}

pub async fn evidence_of(db: &DatabaseConnection, record: Uuid) -> AppResult<Vec<evidence::Model>> {
    Ok(evidence::Entity::find()
        .filter(evidence::Column::CreditRecordId.eq(record))
        .order_by_asc(evidence::Column::CreatedAt)
        .order_by_asc(evidence::Column::Id)
        .all(db)
        .await?)
}
