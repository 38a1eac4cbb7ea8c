//! Reading the credit ledger: a teacher's records and their credit account, for a teacher
//! handle checked for [`TeacherNeed::Records`]. One record is read through `Guard::record`.

use super::page::{page_of, Page, PageRequest, Sort, SortKey};
use crate::auth::{TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::account::{summarise, CreditAccount};
use domain::codes::{ActivityKind, CreditStatus};
use entities::credit_records;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select,
};

#[derive(Debug, Default, Clone)]
pub struct RecordFilter {
    pub year: Option<i32>,
    pub status: Option<CreditStatus>,
    pub kind: Option<ActivityKind>,
    pub category: Option<String>,
}

/// The teacher's records the caller may list: all of them, or for a provider those its own
/// courses produced. The handle must have been checked for [`TeacherNeed::Records`].
fn scoped(access: &TeacherAccess) -> AppResult<Select<credit_records::Entity>> {
    access.checked_for(TeacherNeed::Records)?;
    let query = credit_records::Entity::find()
        .filter(credit_records::Column::TeacherId.eq(access.teacher.id));
    Ok(match access.only_courses_of {
        None => query,
        Some(provider) => query.filter(
            credit_records::Column::CourseId.in_subquery(super::catalogue::courses_of(provider)),
        ),
    })
}

pub async fn records(
    state: &AppState,
    access: &TeacherAccess,
    f: &RecordFilter,
    page: &PageRequest,
) -> AppResult<Page<credit_records::Model>> {
    let mut q = scoped(access)?;
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
pub async fn account(state: &AppState, access: &TeacherAccess) -> AppResult<CreditAccount> {
    let rows = scoped(access)?.all(&state.db).await?;
    let entries = rows
        .iter()
        .map(crate::rows::ledger_entry)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(summarise(&entries))
}
