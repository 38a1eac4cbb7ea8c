//! Recognition of records earned in another province (seed 000 item 9): the teacher's current
//! region decides once per record; a policy with `recognition.outsideProvince` counts a foreign
//! record only once accepted.

use super::teachers::teacher_resource;
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::codes::{Decision, RegionLevel};
use domain::policy::RecognitionState;
use domain::region::{RegionCode, RegionTree};
use domain::scope::{Deed, Resource};
use entities::{credit_recognitions, credit_records};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::str::FromStr;
use uuid::Uuid;

/// The province a region lies in (itself, if it is one).
pub fn province_of(regions: &RegionTree, code: &RegionCode) -> Option<RegionCode> {
    regions
        .ancestors(code)
        .into_iter()
        .find(|n| n.level == RegionLevel::Province)
        .map(|n| n.code.clone())
}

/// For each record (id, region earned in) from outside the teacher's province: where its
/// recognition stands. Records earned in the province are absent.
pub async fn foreign_states(
    db: &DatabaseConnection,
    regions: &RegionTree,
    teacher_region: &RegionCode,
    records: &[(Uuid, &str)],
) -> AppResult<HashMap<Uuid, RecognitionState>> {
    let Some(home) = province_of(regions, teacher_region) else {
        return Ok(HashMap::new());
    };
    let foreign: Vec<Uuid> = records
        .iter()
        .filter(|(_, region)| {
            RegionCode::from_str(region)
                .ok()
                .and_then(|r| province_of(regions, &r))
                .is_some_and(|p| p != home)
        })
        .map(|(id, _)| *id)
        .collect();
    if foreign.is_empty() {
        return Ok(HashMap::new());
    }
    let mut out: HashMap<Uuid, RecognitionState> = foreign
        .iter()
        .map(|id| (*id, RecognitionState::Pending))
        .collect();
    for d in credit_recognitions::Entity::find()
        .filter(credit_recognitions::Column::CreditRecordId.is_in(foreign))
        .filter(credit_recognitions::Column::ProvinceCode.eq(home.as_str()))
        .all(db)
        .await?
    {
        let state = if d.decision == Decision::Approve.as_str() {
            RecognitionState::Accepted
        } else {
            RecognitionState::Rejected
        };
        out.insert(d.credit_record_id, state);
    }
    Ok(out)
}

/// A region admin over the teacher's current school accepts or refuses a record the teacher
/// earned in another province.
pub async fn decide(
    state: &AppState,
    guard: &Guard<'_>,
    record_id: Uuid,
    decision: Decision,
    comment: Option<String>,
) -> AppResult<credit_recognitions::Model> {
    let record = credit_records::Entity::find_by_id(record_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("credit record"))?;
    let teacher = teacher_resource(state, record.teacher_id).await?;
    let _permit = guard.allow(Deed::Recognise { teacher: &teacher })?;
    let Resource::Teacher { region, .. } = &teacher else {
        return Err(AppError::not_found("teacher"));
    };
    let home = province_of(&state.regions, region).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "region {} has no province",
            region.as_str()
        ))
    })?;
    let earned = crate::rows::region(&record.region_code)?;
    if province_of(&state.regions, &earned).as_ref() == Some(&home) || record.reversal_of.is_some()
    {
        return Err(AppError::Conflict(crate::msg!("recognition.home_province")));
    }
    if decision == Decision::Reject && comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err(AppError::invalid(
            "comment",
            "REQUIRED",
            crate::msg!("recognition.comment_required"),
        ));
    }
    let row = credit_recognitions::Model {
        id: Uuid::now_v7(),
        credit_record_id: record_id,
        province_code: home.as_str().to_owned(),
        decision: decision.as_str().to_owned(),
        comment: comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
        decided_by: guard.principal().account_id,
        decided_at: state.clock.now(),
    };
    let txn = super::sql::begin_write(&state.db).await?;
    credit_recognitions::Entity::insert(credit_recognitions::ActiveModel::from(row.clone()))
        .exec_without_returning(&txn)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("recognition.already_decided")))?;
    super::outbox::records_by_id(&txn, state, &[record_id]).await?;
    super::snapshot_marks::teachers(&txn, [record.teacher_id]).await?;
    txn.commit().await?;
    tracing::info!(credit_record.id = %record_id, recognition.decision = decision.as_str(), "recognition decided");
    Ok(row)
}
