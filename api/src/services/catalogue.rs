//! The course catalogue: providers publish, region admins approve, everybody browses.

use super::catalogue_search::{escape_like, Term};
use super::organisation::{json_list, stored_region};
use super::page::{page_of, Direction, KeyKind, Page, PageRequest, Sort, SortKey};
use crate::auth::{Guard, Principal};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::catalogue::{self, CourseAction, CourseDraft};
use domain::codes::{ActivityKind, CourseStatus, Decision, Modality, Stage, TrainingLevel};
use domain::region::RegionCode;
use domain::scope::{course_reach, Action, CourseReach, Deed, Resource};
use entities::{course_reviews, courses, enrollments, providers};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::str::FromStr;
use uuid::Uuid;

/// Teachers (and anonymous visitors) see only what a region admin approved.
const PUBLIC_STATUSES: [CourseStatus; 2] = [CourseStatus::Published, CourseStatus::Closed];

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

pub async fn provider_resource(
    db: &impl ConnectionTrait,
    provider_id: Uuid,
) -> AppResult<Option<(providers::Model, Resource)>> {
    let Some(p) = providers::Entity::find_by_id(provider_id).one(db).await? else {
        return Ok(None);
    };
    let resource = Resource::Provider {
        id: p.id,
        region: stored_region(&p.region_code)?,
    };
    Ok(Some((p, resource)))
}

/// A course and the resource of its provider, for the gate.
pub async fn locate(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<(courses::Model, providers::Model, Resource)> {
    let course = courses::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("course"))?;
    let (provider, resource) = provider_resource(db, course.provider_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("course {id} has no provider")))?;
    Ok((course, provider, resource))
}

pub async fn create(
    state: &AppState,
    guard: &Guard<'_>,
    provider_id: Uuid,
    draft: CourseDraft,
) -> AppResult<courses::Model> {
    let (_, resource) = provider_resource(&state.db, provider_id)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "input.providerId",
                "NOT_FOUND",
                crate::msg!("input.no_such_provider"),
            )
        })?;
    let _permit = guard.require(Action::Manage, &resource)?;
    let now = state.clock.now();
    let mut model = courses::Model {
        id: Uuid::now_v7(),
        provider_id,
        code: String::new(),
        title: String::new(),
        description: String::new(),
        kind: String::new(),
        level: String::new(),
        modality: String::new(),
        category: String::new(),
        compulsory: false,
        hours_e4: 0,
        capacity: None,
        target_stages: String::new(),
        subjects: String::new(),
        enrollment_opens_on: None,
        enrollment_closes_on: None,
        starts_on: None,
        ends_on: None,
        status: CourseStatus::Draft.as_str().to_owned(),
        approved_by: None,
        approved_at: None,
        created_at: now,
        updated_at: now,
    };
    apply(&mut model, &draft);
    courses::Entity::insert(courses::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("catalogue.duplicate_code")))?;
    super::catalogue_count::changed(state).await;
    Ok(model)
}

fn apply(model: &mut courses::Model, d: &CourseDraft) {
    model.code = d.code.clone();
    model.title = d.title.clone();
    model.description = d.description.clone();
    model.kind = d.kind.as_str().to_owned();
    model.level = d.level.as_str().to_owned();
    model.modality = d.modality.as_str().to_owned();
    model.category = d.category.as_str().to_owned();
    model.compulsory = d.compulsory;
    model.hours_e4 = d.hours.to_e4();
    model.capacity = d.capacity.map(|c| i32::try_from(c).unwrap_or(i32::MAX));
    model.target_stages = json_list(d.target_stages.iter().map(|s| s.as_str()));
    model.subjects = json_list(d.subjects.iter().map(|s| s.as_str()));
    model.enrollment_opens_on = d.enrollment_opens_on;
    model.enrollment_closes_on = d.enrollment_closes_on;
    model.starts_on = d.starts_on;
    model.ends_on = d.ends_on;
}

pub async fn update(
    state: &AppState,
    guard: &Guard<'_>,
    id: Uuid,
    provider_id: Uuid,
    draft: CourseDraft,
) -> AppResult<courses::Model> {
    let (course, _, resource) = locate(&state.db, id).await?;
    let _permit = guard.require(Action::Manage, &resource)?;
    if provider_id != course.provider_id {
        return Err(AppError::invalid(
            "input.providerId",
            "NOT_ALLOWED",
            crate::msg!("catalogue.provider_fixed"),
        ));
    }
    let status = status_of(&course)?;
    if !catalogue::editable(status) {
        return Err(AppError::Conflict(crate::msg!(
            "catalogue.not_editable",
            status = status
        )));
    }
    let enrolled = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(id))
        .count(&state.db)
        .await?;
    let old = draft_of(&course)?;
    let changed = catalogue::credit_bearing_changed(&old, &draft);
    if !changed.is_empty() && !catalogue::credit_bearing_editable(status, enrolled > 0) {
        return Err(AppError::Conflict(crate::msg!(
            "catalogue.credit_bearing_frozen",
            fields = changed.join(", ")
        )));
    }
    let mut model = course.clone();
    apply(&mut model, &draft);
    model.updated_at = state.clock.now();
    courses::Entity::update(courses::ActiveModel::from(model.clone()).reset_all())
        .exec(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("catalogue.duplicate_code")))?;
    super::catalogue_count::changed(state).await;
    Ok(model)
}

/// Publish, approve/reject, close, archive. Approval belongs to the region admins over the
/// provider, every other step to whoever manages the provider.
pub async fn transition(
    state: &AppState,
    guard: &Guard<'_>,
    id: Uuid,
    action: CourseAction,
    comment: Option<String>,
) -> AppResult<courses::Model> {
    let (course, provider, resource) = locate(&state.db, id).await?;
    let _permit = match action {
        CourseAction::Approve | CourseAction::Reject => guard.allow_or(
            Deed::ApproveCourse {
                provider_region: &stored_region(&provider.region_code)?,
            },
            Some(crate::msg!("catalogue.only_region_approves")),
        )?,
        _ => guard.require(Action::Manage, &resource)?,
    };
    let from = status_of(&course)?;
    let to = catalogue::next_status(from, action).map_err(|e| AppError::Conflict(e.text()))?;
    let now = state.clock.now();
    let mut update = courses::ActiveModel {
        status: Set(to.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    if action == CourseAction::Approve {
        update.approved_by = Set(Some(guard.principal().account_id));
        update.approved_at = Set(Some(now));
    }
    let txn = super::sql::begin_write(&state.db).await?;
    // Conditional on the old status, so two concurrent transitions cannot both win.
    let result = courses::Entity::update_many()
        .set(update)
        .filter(courses::Column::Id.eq(id))
        .filter(courses::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::Conflict(crate::msg!(
            "catalogue.changed_meanwhile"
        )));
    }
    if let CourseAction::Approve | CourseAction::Reject = action {
        let decision = match action {
            CourseAction::Approve => Decision::Approve,
            _ => Decision::Reject,
        };
        course_reviews::Entity::insert(course_reviews::ActiveModel::from(course_reviews::Model {
            id: Uuid::now_v7(),
            course_id: id,
            decision: decision.as_str().to_owned(),
            comment: comment
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
            actor_account_id: guard.principal().account_id,
            at: now,
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    super::catalogue_count::changed(state).await;
    courses::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("course"))
}

/// A course's review decisions, oldest first, for those who manage its provider; others get none.
pub async fn reviews(
    state: &AppState,
    viewer: Option<&Principal>,
    course: &courses::Model,
) -> AppResult<Vec<course_reviews::Model>> {
    let Some((provider, _)) = provider_resource(&state.db, course.provider_id).await? else {
        return Ok(Vec::new());
    };
    if !sees_unpublished(viewer, &provider, state) {
        return Ok(Vec::new());
    }
    Ok(course_reviews::Entity::find()
        .filter(course_reviews::Column::CourseId.eq(course.id))
        .order_by_asc(course_reviews::Column::At)
        .order_by_asc(course_reviews::Column::Id)
        .all(&state.db)
        .await?)
}

/// Whether `viewer` may see a course in any status (not only the public ones).
fn sees_unpublished(
    viewer: Option<&Principal>,
    provider: &providers::Model,
    state: &AppState,
) -> bool {
    let Some(p) = viewer else { return false };
    let Ok(region) = stored_region(&provider.region_code) else {
        return false;
    };
    Guard::new(p, &state.regions, state.clock.today())
        .require(
            Action::Manage,
            &Resource::Provider {
                id: provider.id,
                region,
            },
        )
        .is_ok()
}

pub async fn get(
    state: &AppState,
    viewer: Option<&Principal>,
    id: Uuid,
) -> AppResult<Option<courses::Model>> {
    let (course, provider, _) = match locate(&state.db, id).await {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(visible(state, viewer, &course, &provider)?.then_some(course))
}

/// Whether the viewer sees the course: anyone once it is approved, before that only whoever
/// manages its provider.
pub fn visible(
    state: &AppState,
    viewer: Option<&Principal>,
    course: &courses::Model,
    provider: &providers::Model,
) -> AppResult<bool> {
    let public = PUBLIC_STATUSES.contains(&status_of(course)?);
    Ok(public || sees_unpublished(viewer, provider, state))
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
    let visible = match course_reach(viewer.map(|p| &p.scope)) {
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
        let element = json_list([s.as_str()].into_iter());
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

/// `SELECT id FROM courses WHERE provider_id = …`: what a provider's view is narrowed to.
pub fn courses_of(provider: Uuid) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(courses::Column::Id)
        .from(courses::Entity)
        .and_where(courses::Column::ProviderId.eq(provider))
        .to_owned()
}

pub fn status_of(course: &courses::Model) -> AppResult<CourseStatus> {
    CourseStatus::from_str(&course.status).map_err(AppError::corrupt)
}

/// The stored course as a draft, to compare credit-bearing fields.
pub fn draft_of(c: &courses::Model) -> AppResult<CourseDraft> {
    use domain::amount::Amount;
    use domain::codes::CategoryKey;
    let list = |s: &str| super::organisation::parse_json_list(s);
    Ok(CourseDraft {
        code: c.code.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        kind: ActivityKind::from_str(&c.kind).map_err(AppError::corrupt)?,
        level: TrainingLevel::from_str(&c.level).map_err(AppError::corrupt)?,
        modality: Modality::from_str(&c.modality).map_err(AppError::corrupt)?,
        category: CategoryKey::parse(&c.category).map_err(AppError::corrupt)?,
        compulsory: c.compulsory,
        hours: Amount::from_e4(c.hours_e4),
        capacity: c.capacity.and_then(|n| u32::try_from(n).ok()),
        target_stages: list(&c.target_stages)
            .iter()
            .filter_map(|s| Stage::from_str(s).ok())
            .collect(),
        subjects: list(&c.subjects),
        enrollment_opens_on: c.enrollment_opens_on,
        enrollment_closes_on: c.enrollment_closes_on,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
    })
}
