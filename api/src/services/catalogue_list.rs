//! A page of the catalogue: what the viewer may see, narrowed by the filter, in the order
//! asked for (or by relevance when searching).

use super::catalogue::PUBLIC_STATUSES;
use super::catalogue_search::{escape_like, Term};
use super::page::{page_of, Direction, KeyKind, Page, PageRequest, Sort, SortKey};
use crate::auth::access_provider::catalogue_reach;
use crate::auth::Principal;
use crate::error::AppResult;
use crate::rows;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::codes::{ActivityKind, CourseStatus, Modality, Stage, TrainingLevel};
use domain::region::RegionCode;
use domain::scope::CourseReach;
use entities::{courses, providers};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    Select,
};
use uuid::Uuid;

#[derive(Debug, Default, Clone)]
pub struct CourseFilter {
    pub search: Option<String>,
    pub region: Option<RegionCode>,
    pub provider_id: Option<Uuid>,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub category: Option<String>,
    pub stage: Option<Stage>,
    pub subject: Option<String>,
    pub status: Option<CourseStatus>,
    pub open_for_enrollment: Option<bool>,
    /// This level or above ([`TrainingLevel`]'s order: School < County < … < National).
    pub min_level: Option<TrainingLevel>,
    pub compulsory: Option<bool>,
    pub kind: Option<ActivityKind>,
    /// Courses starting on or after / on or before these days (both inclusive); a course
    /// without a start date matches neither.
    pub starts_on_or_after: Option<NaiveDate>,
    pub starts_on_or_before: Option<NaiveDate>,
}

/// What the catalogue is sorted by; ties are broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CourseOrderField {
    /// Courses without a start date come last in both directions.
    StartsOn,
    #[default]
    CreatedAt,
    /// By code point (the same on SQLite and PostgreSQL, whatever the database's collation).
    Title,
    Hours,
}

/// The catalogue's order; the default is oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CourseOrder {
    pub field: CourseOrderField,
    pub direction: Direction,
}

impl CourseOrder {
    fn sort(self, backend: DbBackend) -> Sort {
        use CourseOrderField as F;
        let d = self.direction;
        let named = |asc, desc| if d == Direction::Desc { desc } else { asc };
        let col = |c: courses::Column| Expr::col(c.as_column_ref());
        match self.field {
            F::CreatedAt => Sort::by(
                named("courses.created.asc", "courses.created.desc"),
                col(courses::Column::CreatedAt),
                KeyKind::Time,
                d,
            ),
            F::StartsOn => Sort::by(
                named("courses.starts.asc", "courses.starts.desc"),
                col(courses::Column::StartsOn),
                KeyKind::Date,
                d,
            )
            .nullable(),
            F::Title => Sort::by(
                named("courses.title.asc", "courses.title.desc"),
                // SQLite compares text bytewise; PostgreSQL is told to, not to follow the locale.
                match backend {
                    DbBackend::Postgres => Expr::cust(r#""courses"."title" COLLATE "C""#),
                    _ => col(courses::Column::Title),
                },
                KeyKind::Text,
                d,
            ),
            F::Hours => Sort::by(
                named("courses.hours.asc", "courses.hours.desc"),
                col(courses::Column::HoursE4),
                KeyKind::Int,
                d,
            ),
        }
    }

    fn key_of(self, c: &courses::Model) -> SortKey {
        match self.field {
            CourseOrderField::CreatedAt => SortKey::Time(c.created_at),
            CourseOrderField::StartsOn => SortKey::Date(c.starts_on),
            CourseOrderField::Title => SortKey::Text(c.title.clone()),
            CourseOrderField::Hours => SortKey::Int(c.hours_e4),
        }
    }
}

/// A course's sort key in the order of its page.
type KeyOf = Box<dyn Fn(&courses::Model) -> SortKey + Send>;

/// A page of the catalogue. `order: None` is oldest first, or by relevance when searching;
/// `with_total: false` (the client did not select `totalCount`) skips the count.
pub async fn list(
    state: &AppState,
    viewer: Option<&Principal>,
    filter: &CourseFilter,
    order: Option<CourseOrder>,
    page: &PageRequest,
    today: NaiveDate,
    with_total: bool,
) -> AppResult<Page<courses::Model>> {
    let backend = state.db.get_database_backend();
    let term = Term::parse(filter.search.as_deref(), backend)?;
    let query = filtered(state, viewer, filter, term.as_ref(), today);
    let total = if with_total {
        let counted = query.clone();
        super::catalogue_count::cached(state, viewer, filter, today, || async move {
            Ok(counted.count(&state.db).await?)
        })
        .await?
    } else {
        0
    };
    let (sort, key_of): (Sort, KeyOf) = match (order, &term) {
        (None, Some(term)) => {
            let term = term.clone();
            (term.sort(), Box::new(move |c| term.rank_of(c)))
        }
        (order, _) => {
            let order = order.unwrap_or_default();
            (order.sort(backend), Box::new(move |c| order.key_of(c)))
        }
    };
    let query = sort
        .apply(query, courses::Column::Id, page.after.as_ref())?
        .limit(page.first + 1);
    let rows = query.all(&state.db).await?;
    Ok(page_of(rows, page, total, |c| sort.cursor(key_of(c), c.id)))
}

fn provider_ids_in(state: &AppState, region: &RegionCode) -> sea_orm::sea_query::SelectStatement {
    let codes: Vec<String> = state
        .regions
        .subtree(region)
        .into_iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    sea_orm::sea_query::Query::select()
        .column(providers::Column::Id)
        .from(providers::Entity)
        .and_where(providers::Column::RegionCode.is_in(codes))
        .to_owned()
}

fn filtered(
    state: &AppState,
    viewer: Option<&Principal>,
    f: &CourseFilter,
    term: Option<&Term>,
    today: NaiveDate,
) -> Select<courses::Entity> {
    let public: Vec<&str> = PUBLIC_STATUSES.iter().map(|s| s.as_str()).collect();
    // What the viewer may see beyond the public statuses.
    let visible = match catalogue_reach(viewer) {
        CourseReach::Everything => Condition::all(),
        CourseReach::Subtree(r) => Condition::any()
            .add(courses::Column::Status.is_in(public.clone()))
            .add(courses::Column::ProviderId.in_subquery(provider_ids_in(state, &r))),
        CourseReach::Provider(provider) => Condition::any()
            .add(courses::Column::Status.is_in(public.clone()))
            .add(courses::Column::ProviderId.eq(provider)),
        CourseReach::Public => Condition::all().add(courses::Column::Status.is_in(public.clone())),
    };
    let mut q = courses::Entity::find().filter(visible);
    if let Some(term) = term {
        q = q.filter(term.condition());
    }
    if let Some(region) = &f.region {
        q = q.filter(courses::Column::ProviderId.in_subquery(provider_ids_in(state, region)));
    }
    if let Some(p) = f.provider_id {
        q = q.filter(courses::Column::ProviderId.eq(p));
    }
    if let Some(l) = f.level {
        q = q.filter(courses::Column::Level.eq(l.as_str()));
    }
    if let Some(m) = f.modality {
        q = q.filter(courses::Column::Modality.eq(m.as_str()));
    }
    if let Some(c) = &f.category {
        q = q.filter(courses::Column::Category.eq(c.as_str()));
    }
    // Lists are stored as JSON arrays of strings, so an element is matched with its quotes.
    if let Some(s) = f.stage {
        q = q.filter(courses::Column::TargetStages.like(format!("%\"{}\"%", s.as_str())));
    }
    if let Some(s) = &f.subject {
        let element = rows::json_list([s.as_str()].into_iter());
        let pattern = format!("%{}%", escape_like(element.trim_matches(['[', ']'])));
        q = q.filter(courses::Column::Subjects.like(LikeExpr::new(pattern).escape('\\')));
    }
    if let Some(s) = f.status {
        q = q.filter(courses::Column::Status.eq(s.as_str()));
    }
    if let Some(open) = f.open_for_enrollment {
        let is_open = open_for_enrollment(today);
        q = q.filter(if open { is_open } else { is_open.not() });
    }
    if let Some(min) = f.min_level {
        let levels: Vec<&str> = TrainingLevel::ALL
            .iter()
            .filter(|l| **l >= min)
            .map(|l| l.as_str())
            .collect();
        q = q.filter(courses::Column::Level.is_in(levels));
    }
    if let Some(c) = f.compulsory {
        q = q.filter(courses::Column::Compulsory.eq(c));
    }
    if let Some(k) = f.kind {
        q = q.filter(courses::Column::Kind.eq(k.as_str()));
    }
    if let Some(d) = f.starts_on_or_after {
        q = q.filter(courses::Column::StartsOn.gte(d));
    }
    if let Some(d) = f.starts_on_or_before {
        q = q.filter(courses::Column::StartsOn.lte(d));
    }
    q
}

/// Published, and `today` inside the enrolment window (an open end is no bound).
pub fn open_for_enrollment(today: NaiveDate) -> Condition {
    Condition::all()
        .add(courses::Column::Status.eq(CourseStatus::Published.as_str()))
        .add(
            Condition::any()
                .add(courses::Column::EnrollmentOpensOn.is_null())
                .add(courses::Column::EnrollmentOpensOn.lte(today)),
        )
        .add(
            Condition::any()
                .add(courses::Column::EnrollmentClosesOn.is_null())
                .add(courses::Column::EnrollmentClosesOn.gte(today)),
        )
}
