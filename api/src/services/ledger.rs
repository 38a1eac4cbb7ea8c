//! Reading the credit ledger: a teacher's records and their credit account.

use super::organisation::locate_teacher;
use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::authz::LedgerView;
use crate::auth::Guard;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::account::{summarise, CreditAccount, LedgerEntry};
use domain::amount::Amount;
use domain::codes::{ActivityKind, CategoryKey, CreditStatus, TrainingLevel};
use domain::region::RegionCode;
use entities::credit_records;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select,
};
use std::str::FromStr;
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
    let teacher = locate_teacher(state, teacher_id)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))?;
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
    let entries = rows.iter().map(entry).collect::<AppResult<Vec<_>>>()?;
    Ok(summarise(&entries))
}

fn entry(r: &credit_records::Model) -> AppResult<LedgerEntry> {
    Ok(LedgerEntry {
        credits: Amount::from_e4(r.credits_e4),
        status: CreditStatus::from_str(&r.status).map_err(AppError::corrupt)?,
        earned_on: r.earned_on,
        category: r
            .category
            .as_deref()
            .map(CategoryKey::parse)
            .transpose()
            .map_err(AppError::corrupt)?,
        level: r
            .level
            .as_deref()
            .map(TrainingLevel::from_str)
            .transpose()
            .map_err(AppError::corrupt)?,
        region: RegionCode::parse(&r.region_code).map_err(AppError::corrupt)?,
        reversal_of: r.reversal_of,
    })
}
