//! A university's work lists (`University.conversions`, `University.accessGrants`): the
//! conversion requests made against its mappings, and the access grants teachers gave it,
//! oldest first, for its own admins (and the system). A region admin over the university's
//! region does not see them: the requests and grants are the teachers' business with the
//! university, wherever the teachers are (see `Deed::ReadUniversityWork`).

use super::page::{fetch_page, Page, PageRequest, Sort, SortKey};
use crate::auth::{UniversityAccess, UniversityNeed};
use crate::error::AppResult;
use crate::state::AppState;
use domain::codes::ConversionStatus;
use entities::{access_grants, conversions, transfer_mappings, university_courses};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The conversions asked of the university's mappings, in `status` if given, oldest request
/// first.
pub async fn conversions(
    state: &AppState,
    access: &UniversityAccess,
    status: Option<ConversionStatus>,
    page: &PageRequest,
) -> AppResult<Page<conversions::Model>> {
    let university = access.checked_for(UniversityNeed::ReadWork)?.university.id;
    let courses = Query::select()
        .column(university_courses::Column::Id)
        .from(university_courses::Entity)
        .and_where(university_courses::Column::UniversityId.eq(university))
        .to_owned();
    let mappings = Query::select()
        .column(transfer_mappings::Column::Id)
        .from(transfer_mappings::Entity)
        .and_where(transfer_mappings::Column::UniversityCourseId.in_subquery(courses))
        .to_owned();
    let mut base =
        conversions::Entity::find().filter(conversions::Column::MappingId.in_subquery(mappings));
    if let Some(s) = status {
        base = base.filter(conversions::Column::Status.eq(s.as_str()));
    }
    let sort = Sort::oldest_first("conversions.requested", conversions::Column::RequestedAt);
    fetch_page(&state.db, base, &sort, conversions::Column::Id, page, |c| {
        (SortKey::Time(c.requested_at), c.id)
    })
    .await
}

/// Every grant teachers gave the university, revoked and expired ones too (each says whether
/// it is active), oldest first.
pub async fn access_grants(
    state: &AppState,
    access: &UniversityAccess,
    page: &PageRequest,
) -> AppResult<Page<access_grants::Model>> {
    let university = access.checked_for(UniversityNeed::ReadWork)?.university.id;
    let base =
        access_grants::Entity::find().filter(access_grants::Column::UniversityId.eq(university));
    let sort = Sort::oldest_first("accessGrants.granted", access_grants::Column::GrantedAt);
    fetch_page(
        &state.db,
        base,
        &sort,
        access_grants::Column::Id,
        page,
        |g| (SortKey::Time(g.granted_at), g.id),
    )
    .await
}
