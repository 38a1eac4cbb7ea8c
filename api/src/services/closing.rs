//! Annual closing (seed 003: credits are registered in January for the previous year) and
//! make-up allowances (Shandong art. 21: leave for maternity or illness).

use crate::auth::{RegionAccess, RegionNeed, TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};
use domain::policy::MakeUpAllowance;
use entities::{make_up_allowances, year_closings};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// Closes `year` for a region's subtree, for a handle checked for [`RegionNeed::CloseYear`]:
/// new claims dated in it are refused from now on.
pub async fn close_year(
    state: &AppState,
    access: &RegionAccess,
    year: i32,
) -> AppResult<year_closings::Model> {
    access.checked_for(RegionNeed::CloseYear)?;
    let region = &access.region;
    let this_year = state.clock.today().year();
    if !(2000..this_year).contains(&year) {
        return Err(AppError::invalid(
            "year",
            "OUT_OF_RANGE",
            crate::msg!("closing.past_year_only", last = this_year - 1),
        ));
    }
    let row = year_closings::Model {
        id: Uuid::now_v7(),
        region_code: region.as_str().to_owned(),
        year,
        closed_by: Some(access.actor),
        closed_at: state.clock.now(),
    };
    year_closings::Entity::insert(year_closings::ActiveModel::from(row.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("closing.already_closed")))?;
    tracing::info!(region.code = region.as_str(), year, "year closed");
    Ok(row)
}

/// Lets a teacher on leave still claim for a closed `year` until `deadline`, for a handle checked
/// for [`TeacherNeed::GrantMakeUp`] (the teacher's school admin, or a region or system admin
/// over the teacher).
pub async fn grant_make_up(
    state: &AppState,
    access: &TeacherAccess,
    year: i32,
    reason: &str,
    deadline: NaiveDate,
) -> AppResult<make_up_allowances::Model> {
    access.checked_for(TeacherNeed::GrantMakeUp)?;
    let teacher_id = access.teacher.id;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::invalid(
            "reason",
            "OUT_OF_RANGE",
            crate::msg!("input.chars_between", min = 1, max = 1000),
        ));
    }
    let today = state.clock.today();
    if deadline < today || deadline.year() <= year {
        return Err(AppError::invalid(
            "deadline",
            "OUT_OF_RANGE",
            crate::msg!("closing.deadline"),
        ));
    }
    let row = make_up_allowances::Model {
        id: Uuid::now_v7(),
        teacher_id,
        year,
        reason: reason.to_owned(),
        deadline,
        granted_by: Some(access.actor),
        created_at: state.clock.now(),
    };
    let txn = super::sql::begin_write(&state.db).await?;
    make_up_allowances::Entity::insert(make_up_allowances::ActiveModel::from(row.clone()))
        .exec_without_returning(&txn)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("closing.allowance_exists")))?;
    super::snapshot_marks::teachers(&txn, [teacher_id]).await?;
    txn.commit().await?;
    Ok(row)
}

/// The allowances of each of `teachers`, as the policy engine reads them, in one statement.
pub async fn allowances(
    db: &impl ConnectionTrait,
    teachers: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<MakeUpAllowance>>> {
    let mut out: HashMap<Uuid, Vec<MakeUpAllowance>> = HashMap::new();
    for a in make_up_allowances::Entity::find()
        .filter(make_up_allowances::Column::TeacherId.is_in(teachers.to_vec()))
        .all(db)
        .await?
    {
        out.entry(a.teacher_id).or_default().push(MakeUpAllowance {
            year: a.year,
            until: a.deadline,
        });
    }
    Ok(out)
}
