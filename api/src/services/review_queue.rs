//! What waits for the viewer's review step, oldest first.

use super::page::{Page, PageRequest};
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::codes::{CreditStatus, ReviewStep};
use domain::review::step_of;
use domain::scope::Scope;
use entities::credit_records;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

/// The records waiting at the caller's step within its scope: a school admin's school, a county
/// or city admin's subtree at the COUNTY step, a province admin's at the PROVINCE step; the
/// system administrator sees every pending claim.
pub fn scoped(state: &AppState, guard: &Guard<'_>) -> AppResult<Select<credit_records::Entity>> {
    let scope = &guard.principal().scope;
    let pending = credit_records::Entity::find()
        .filter(credit_records::Column::Status.eq(CreditStatus::Pending.as_str()));
    Ok(match (scope, step_of(scope, &state.regions)) {
        (Scope::System, _) => pending,
        (Scope::School { school, .. }, Some(ReviewStep::School)) => pending
            .filter(credit_records::Column::NextStep.eq(ReviewStep::School.as_str()))
            .filter(credit_records::Column::SchoolId.eq(*school)),
        (Scope::Region(own), Some(step)) => {
            let codes: Vec<String> = state
                .regions
                .subtree(own)
                .into_iter()
                .map(|c| c.as_str().to_owned())
                .collect();
            pending
                .filter(credit_records::Column::NextStep.eq(step.as_str()))
                .filter(credit_records::Column::RegionCode.is_in(codes))
        }
        _ => {
            return Err(AppError::Forbidden(
                "only reviewers (school, county, city and province admins) have a review queue"
                    .into(),
            ))
        }
    })
}

pub async fn queue(
    state: &AppState,
    guard: &Guard<'_>,
    page: PageRequest,
) -> AppResult<Page<credit_records::Model>> {
    let q = scoped(state, guard)?;
    let total = q.clone().count(&state.db).await?;
    let mut q = q
        .order_by_asc(credit_records::Column::CreatedAt)
        .order_by_asc(credit_records::Column::Id)
        .limit(page.first + 1);
    if let Some(after) = page.after {
        let cursor = credit_records::Entity::find_by_id(after)
            .one(&state.db)
            .await?
            .ok_or_else(|| {
                AppError::invalid("after", "INVALID_CURSOR", "not a cursor from this list")
            })?;
        q = q.filter(
            Condition::any()
                .add(credit_records::Column::CreatedAt.gt(cursor.created_at))
                .add(
                    Condition::all()
                        .add(credit_records::Column::CreatedAt.eq(cursor.created_at))
                        .add(credit_records::Column::Id.gt(after)),
                ),
        );
    }
    let mut rows = q.all(&state.db).await?;
    let has_next = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok(Page {
        items: rows.into_iter().map(|r| (r.id, r)).collect(),
        has_next,
        total,
    })
}
