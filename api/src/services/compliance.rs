//! Compliance: a teacher's activities evaluated under the policy in force for their current
//! school's region, through [`super::evaluation`] — the path the region statistics take too.

use super::activities::{activity_of, activity_rows, Earned};
use super::evaluation::{Member, Subject};
use super::policies::{self, StoredPolicy};
use super::teacher_facts::facts_of;
use crate::auth::{TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::policy::ComplianceReport;
use domain::region::RegionCode;
use domain::scope::Resource;
use entities::credit_records;
use sea_orm::{ColumnTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

pub struct TeacherCompliance {
    pub policy: StoredPolicy,
    pub report: ComplianceReport,
    pub records: HashMap<Uuid, credit_records::Model>,
}

/// A teacher's compliance on `as_of`, for a teacher handle checked for
/// [`TeacherNeed::Compliance`]: reading it needs the whole ledger (a provider sees only part, so
/// it is refused). `NOT_FOUND` when no policy is in force for the teacher.
pub async fn of_access(
    state: &AppState,
    access: &TeacherAccess,
    as_of: NaiveDate,
    include_pending: bool,
) -> AppResult<TeacherCompliance> {
    let inputs = inputs(state, access, as_of).await?;
    let report = inputs
        .subject
        .evaluate(&inputs.policy.document, as_of, include_pending);
    state.metrics.teacher_evaluation();
    Ok(TeacherCompliance {
        policy: inputs.policy,
        report,
        records: inputs.rows.into_iter().map(|r| (r.id, r)).collect(),
    })
}

/// What evaluating a teacher's compliance on a day reads: the policy in force for their current
/// school's region, the [`Subject`] (activities recognised, allowances, facts) and the ledger
/// rows themselves.
pub struct TeacherInputs {
    pub policy: StoredPolicy,
    pub subject: Subject,
    pub rows: Vec<credit_records::Model>,
}

/// Loads a teacher's [`TeacherInputs`] for `as_of`, for a teacher handle checked for
/// [`TeacherNeed::Compliance`] (the whole ledger: the teacher, the admins over them; never a
/// provider).
pub async fn inputs(
    state: &AppState,
    access: &TeacherAccess,
    as_of: NaiveDate,
) -> AppResult<TeacherInputs> {
    access.checked_for(TeacherNeed::Compliance)?;
    let Resource::Teacher { region, .. } = &access.resource else {
        return Err(AppError::not_found("teacher"));
    };
    let policy = policies::effective(state, region, as_of)
        .await?
        .ok_or_else(|| no_policy(region, as_of))?;
    // Full rows, not only the engine's columns: the report shows each record.
    let rows = activity_rows()
        .filter(credit_records::Column::TeacherId.eq(access.teacher.id))
        .all(&state.db)
        .await?;
    let earned = rows
        .iter()
        .map(|r| {
            Ok(Earned {
                activity: activity_of(r)?,
                region_code: r.region_code.clone(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let member = Member {
        teacher: access.teacher.id,
        school: access.school.id,
        home: region.clone(),
        facts: facts_of(&access.teacher),
    };
    let mut subject = Subject::of_one(state, member, earned).await?;
    subject.recognise(state, &policy.document).await?;
    Ok(TeacherInputs {
        policy,
        subject,
        rows,
    })
}

fn no_policy(region: &RegionCode, on: NaiveDate) -> AppError {
    AppError::NotFound(crate::msg!(
        "compliance.no_policy",
        region = region.as_str(),
        on = on
    ))
}
