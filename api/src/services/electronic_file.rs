//! The teacher's electronic training file (教师培训电子档案): every record with its evidence,
//! its review history and its credits under the policy in force today. It follows the teacher
//! from school to school: records are the teacher's, not the school's.

use super::compliance;
use crate::auth::{TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::amount::Amount;
use entities::{accounts, credit_records, evidence, review_events, schools, teachers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

pub struct ElectronicFile {
    pub teacher: teachers::Model,
    pub school: schools::Model,
    pub as_of: NaiveDate,
    /// The policy the "counted" figures are under, if one is in force.
    pub policy: Option<(String, String)>,
    pub total_counted: Option<Amount>,
    pub entries: Vec<FileEntry>,
}

pub struct FileEntry {
    pub record: credit_records::Model,
    /// Credits and what counted under today's policy (None for reversals or without a policy).
    pub current: Option<(Amount, Amount)>,
    pub history: Vec<(review_events::Model, String)>,
    pub evidence: Vec<evidence::Model>,
}

/// The file of the teacher of a handle checked for [`TeacherNeed::Compliance`]: it shows the
/// whole ledger, so it is read as compliance is (the teacher and the admins over them).
pub async fn build(
    state: &AppState,
    access: TeacherAccess,
    as_of: NaiveDate,
) -> AppResult<ElectronicFile> {
    access.checked_for(TeacherNeed::Compliance)?;
    let teacher_id = access.teacher.id;
    let records = credit_records::Entity::find()
        .filter(credit_records::Column::TeacherId.eq(teacher_id))
        .order_by_asc(credit_records::Column::EarnedOn)
        .order_by_asc(credit_records::Column::CreatedAt)
        .order_by_asc(credit_records::Column::Id)
        .all(&state.db)
        .await?;
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let events = review_events::Entity::find()
        .filter(review_events::Column::CreditRecordId.is_in(ids.clone()))
        .order_by_asc(review_events::Column::At)
        .order_by_asc(review_events::Column::Id)
        .all(&state.db)
        .await?;
    let actor_ids: Vec<Uuid> = events.iter().map(|e| e.actor_account_id).collect();
    let names: HashMap<Uuid, String> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(actor_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.username))
        .collect();
    let mut history: HashMap<Uuid, Vec<(review_events::Model, String)>> = HashMap::new();
    for e in events {
        let name = names.get(&e.actor_account_id).cloned().unwrap_or_default();
        history
            .entry(e.credit_record_id)
            .or_default()
            .push((e, name));
    }
    let mut proofs: HashMap<Uuid, Vec<evidence::Model>> = HashMap::new();
    for e in evidence::Entity::find()
        .filter(evidence::Column::CreditRecordId.is_in(ids))
        .order_by_asc(evidence::Column::CreatedAt)
        .order_by_asc(evidence::Column::Id)
        .all(&state.db)
        .await?
    {
        proofs.entry(e.credit_record_id).or_default().push(e);
    }
    // Credits under today's policy; a teacher whose region has none still gets the file.
    let report = match compliance::of_access(state, &access, as_of, false).await {
        Ok(c) => Some(c),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let current: HashMap<Uuid, (Amount, Amount)> = report
        .as_ref()
        .map(|c| {
            c.report
                .records
                .iter()
                .map(|r| (r.record_id, (r.credits, r.counted)))
                .collect()
        })
        .unwrap_or_default();
    let entries = records
        .into_iter()
        .map(|record| FileEntry {
            current: current.get(&record.id).copied(),
            history: history.remove(&record.id).unwrap_or_default(),
            evidence: proofs.remove(&record.id).unwrap_or_default(),
            record,
        })
        .collect();
    Ok(ElectronicFile {
        teacher: access.teacher,
        school: access.school,
        as_of,
        policy: report
            .as_ref()
            .map(|c| (c.policy.key.clone(), c.policy.document.name.clone())),
        total_counted: report.as_ref().map(|c| c.report.total_counted),
        entries,
    })
}
