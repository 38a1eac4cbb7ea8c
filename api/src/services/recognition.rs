//! Recognition of records earned in another province (seed 000 item 9): the teacher's current
//! region decides once per record; a policy with `recognition.outsideProvince` counts a foreign
//! record only once accepted.

use super::sql::one_of;
use crate::auth::{RecordAccess, RecordNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::codes::{Decision, RegionLevel};
use domain::policy::RecognitionState;
use domain::region::{RegionCode, RegionTree};
use domain::scope::Resource;
use entities::credit_recognitions;
use sea_orm::{DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QuerySelect};
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

/// For the records (id, region earned in) of each teacher (their current region, their
/// records): where the recognition of the teacher's province stands, for the records earned in
/// another province; records earned in the teacher's province are absent. One statement for
/// the whole batch (`= ANY($1)` on PostgreSQL), only when some record is foreign; each region
/// code's province is looked up once.
pub async fn foreign_states(
    db: &DatabaseConnection,
    regions: &RegionTree,
    teachers: &[(&RegionCode, Vec<(Uuid, &str)>)],
) -> AppResult<HashMap<Uuid, RecognitionState>> {
    let mut provinces: HashMap<&str, Option<RegionCode>> = HashMap::new();
    let mut foreign: HashMap<Uuid, RegionCode> = HashMap::new();
    for (teacher_region, records) in teachers {
        let Some(home) = province_of(regions, teacher_region) else {
            continue;
        };
        for (id, region) in records {
            let province = provinces.entry(*region).or_insert_with(|| {
                RegionCode::from_str(region)
                    .ok()
                    .and_then(|r| province_of(regions, &r))
            });
            if province.as_ref().is_some_and(|p| *p != home) {
                foreign.insert(*id, home.clone());
            }
        }
    }
    if foreign.is_empty() {
        return Ok(HashMap::new());
    }
    let mut out: HashMap<Uuid, RecognitionState> = foreign
        .keys()
        .map(|id| (*id, RecognitionState::Pending))
        .collect();
    let backend = db.get_database_backend();
    let ids: Vec<Uuid> = foreign.keys().copied().collect();
    // SQLite binds each id: stay well within its limit of bound values.
    let chunk = match backend {
        DbBackend::Postgres => ids.len(),
        _ => 5_000,
    };
    for ids in ids.chunks(chunk) {
        let rows: Vec<(Uuid, String, String)> = credit_recognitions::Entity::find()
            .select_only()
            .column(credit_recognitions::Column::CreditRecordId)
            .column(credit_recognitions::Column::ProvinceCode)
            .column(credit_recognitions::Column::Decision)
            .filter(one_of(
                backend,
                credit_recognitions::Column::CreditRecordId,
                ids.to_vec(),
            ))
            .into_tuple()
            .all(db)
            .await?;
        for (record, province, decision) in rows {
            // Only the decision of the province the teacher now belongs to counts.
            if foreign.get(&record).map(RegionCode::as_str) != Some(province.as_str()) {
                continue;
            }
            let state = if decision == Decision::Approve.as_str() {
                RecognitionState::Accepted
            } else {
                RecognitionState::Rejected
            };
            out.insert(record, state);
        }
    }
    Ok(out)
}

/// A region admin over the teacher's current school accepts or refuses a record the teacher
/// earned in another province.
pub async fn decide(
    state: &AppState,
    access: RecordAccess,
    decision: Decision,
    comment: Option<String>,
) -> AppResult<credit_recognitions::Model> {
    access.checked_for(RecordNeed::Recognise)?;
    let (record, record_id) = (&access.record, access.record.id);
    let Resource::Teacher { region, .. } = &access.teacher else {
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
        decided_by: access.actor,
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
