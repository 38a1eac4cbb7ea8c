//! Reading the credit ledger: a teacher's records and their credit account.

use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use super::teachers::teacher_resource;
use crate::auth::authz::LedgerView;
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::account::{summarise, CreditAccount};
use domain::codes::{ActivityKind, CreditStatus};
use entities::credit_records;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select,
};
use uuid::Uuid;

#[derive(Debug, Default, Clone)]
pub struct RecordFilter {
    pub year: Option<i32>,
    pub status: Option<CreditStatus>,
    pub kind: Option<ActivityKind>,
    pub category: Option<String>,
}

async fn scoped(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
) -> AppResult<Select<credit_records::Entity>> {
    let teacher = teacher_resource(state, teacher_id).await?;
    let query =
        credit_records::Entity::find().filter(credit_records::Column::TeacherId.eq(teacher_id));
    Ok(
        match guard.ledger_view_granted(&state.db, &teacher).await? {
            LedgerView::Whole(_permit) => query,
            LedgerView::ProviderCourses(provider, _permit) => query.filter(
                credit_records::Column::CourseId
                    .in_subquery(super::catalogue::courses_of(provider)),
            ),
        },
    )
}

pub async fn records(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
    f: &RecordFilter,
    page: &PageRequest,
) -> AppResult<Page<credit_records::Model>> {
    let mut q = scoped(state, guard, teacher_id).await?;
    if let Some(year) = f.year {
        let (from, to) = year_bounds(year)?;
        q = q.filter(
            Condition::all()
                .add(credit_records::Column::EarnedOn.gte(from))
                .add(credit_records::Column::EarnedOn.lte(to)),
        );
    }
    if let Some(s) = f.status {
        q = q.filter(credit_records::Column::Status.eq(s.as_str()));
    }
    if let Some(k) = f.kind {
        q = q.filter(credit_records::Column::Kind.eq(k.as_str()));
    }
    if let Some(c) = &f.category {
        q = q.filter(credit_records::Column::Category.eq(c.as_str()));
    }
    let total = q.clone().count(&state.db).await?;
    // In the order they were registered, oldest first.
    let sort = Sort::oldest_first("records.created", credit_records::Column::CreatedAt);
    let rows = sort
        .apply(q, credit_records::Column::Id, page.after.as_ref())?
        .limit(page.first + 1)
        .all(&state.db)
        .await?;
    Ok(page_of(rows, page, total, |r| {
        sort.cursor(SortKey::Time(r.created_at), r.id)
    }))
}

/// One record, to a caller who may read it.
pub async fn get(
    state: &AppState,
    guard: &Guard<'_>,
    id: Uuid,
) -> AppResult<credit_records::Model> {
    let record = credit_records::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("credit record"))?;
    scoped(state, guard, record.teacher_id)
        .await?
        .filter(credit_records::Column::Id.eq(id))
        .one(&state.db)
        .await?
        .ok_or_else(AppError::forbidden)
}

fn year_bounds(year: i32) -> AppResult<(NaiveDate, NaiveDate)> {
    let bad = || {
        AppError::invalid(
            "filter.year",
            "OUT_OF_RANGE",
            crate::msg!("input.not_a_year"),
        )
    };
    Ok((
        NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?,
        NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad)?,
    ))
}

/// The credit account: every figure is a sum of the records the caller can list.
pub async fn account(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
) -> AppResult<CreditAccount> {
    let rows = scoped(state, guard, teacher_id)
        .await?
        .all(&state.db)
        .await?;
    let entries = rows
        .iter()
        .map(crate::rows::ledger_entry)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(summarise(&entries))
}
