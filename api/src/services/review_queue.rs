//! What waits for the viewer's review step, oldest first.

use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::QueueAccess;
use crate::error::AppResult;
use crate::state::AppState;
use domain::codes::{CreditStatus, ReviewStep};
use domain::review::ReviewReach;
use entities::credit_records;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select};

/// The records waiting at the caller's step within its scope: a school admin's school, a county
/// or city admin's subtree at the COUNTY step, a province admin's at the PROVINCE step; the
/// system administrator sees every pending claim.
fn scoped(state: &AppState, access: &QueueAccess) -> Select<credit_records::Entity> {
    let reach = access.reach.clone();
    let pending = credit_records::Entity::find()
        .filter(credit_records::Column::Status.eq(CreditStatus::Pending.as_str()));
    match reach {
        ReviewReach::Everything => pending,
        ReviewReach::School(school) => pending
            .filter(credit_records::Column::NextStep.eq(ReviewStep::School.as_str()))
            .filter(credit_records::Column::SchoolId.eq(school)),
        ReviewReach::Subtree { region, step } => {
            let codes: Vec<String> = state
                .regions
                .subtree(&region)
                .into_iter()
                .map(|c| c.as_str().to_owned())
                .collect();
            pending
                .filter(credit_records::Column::NextStep.eq(step.as_str()))
                .filter(credit_records::Column::RegionCode.is_in(codes))
        }
    }
}

pub async fn queue(
    state: &AppState,
    access: &QueueAccess,
    page: &PageRequest,
) -> AppResult<Page<credit_records::Model>> {
    let q = scoped(state, access);
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
