//! What waits for the viewer's review step, oldest first.

use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::codes::{CreditStatus, ReviewStep};
use domain::review::step_of;
use domain::scope::Scope;
use entities::credit_records;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select};

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
        _ => return Err(AppError::Forbidden(crate::msg!("review.only_reviewers"))),
    })
}

pub async fn queue(
    state: &AppState,
    guard: &Guard<'_>,
    page: &PageRequest,
) -> AppResult<Page<credit_records::Model>> {
    let q = scoped(state, guard)?;
    let total = q.clone().count(&state.db).await?;
    // A queue: the longest-waiting claim first.
    let sort = Sort::oldest_first("review_queue.created", credit_records::Column::CreatedAt);
    let rows = sort
        .apply(q, credit_records::Column::Id, page.after.as_ref())?
        .limit(page.first + 1)
        .all(&state.db)
        .await?;
    Ok(page_of(rows, page, total, |r| {
        sort.cursor(SortKey::Time(r.created_at), r.id)
    }))
}
