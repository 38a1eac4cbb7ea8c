//! Catalogue reads: `courses` (filtered, ordered, paged) and `course` (API.md "Catalogue,
//! selection, completions"). The Course type is in `course.rs`, the writes in
//! `course_editing.rs`, `enrolment.rs` and `completions.rs`.

use super::connection::{from_page, Conn, OrderDirection};
use super::course::Course;
use super::enums;
use super::ids::{self, Kind};
use super::scalars::Date;
use super::ContextExt;
use crate::error::{AppError, AppResult};
use crate::services::catalogue;
use crate::services::catalogue_list::{self as svc, CourseFilter as Filter};
use crate::services::page::PageRequest;
use async_graphql::{Context, Enum, InputObject, Object, Result, ID};
use domain::codes::CategoryKey;
use domain::region::RegionCode;

/// Narrows `courses`: a course must match every field given.
#[derive(InputObject, Default)]
pub struct CourseFilter {
    /// Words in the title or description (Chinese included), or an exact course code.
    pub search: Option<String>,
    /// Courses of providers in this region's subtree.
    pub region_code: Option<String>,
    /// Courses of this provider.
    pub provider_id: Option<ID>,
    /// Courses run at exactly this level.
    pub level: Option<enums::TrainingLevel>,
    /// Courses delivered this way.
    pub modality: Option<enums::Modality>,
    /// Courses of this category key (e.g. INFORMATION).
    pub category: Option<String>,
    /// Courses that list this stage among their target stages.
    pub stage: Option<enums::Stage>,
    /// Courses that list this subject.
    pub subject: Option<String>,
    /// Courses in this status (only those the caller may see).
    pub status: Option<enums::CourseStatus>,
    /// true: PUBLISHED courses whose enrolment window includes today; false: all the others.
    pub open_for_enrollment: Option<bool>,
    /// Courses run at this level or above (SCHOOL < COUNTY < MUNICIPAL < PROVINCIAL < NATIONAL).
    pub min_level: Option<enums::TrainingLevel>,
    /// true: compulsory (必修) courses; false: elective ones.
    pub compulsory: Option<bool>,
    /// Courses that are programmes of this kind (e.g. DEGREE_STUDY).
    pub kind: Option<enums::ActivityKind>,
    /// Courses starting on or after this day; courses without a start date are left out.
    pub starts_on_or_after: Option<Date>,
    /// Courses starting on or before this day; courses without a start date are left out.
    pub starts_on_or_before: Option<Date>,
}

impl CourseFilter {
    fn parse(self) -> AppResult<Filter> {
        Ok(Filter {
            search: self.search,
            region: self
                .region_code
                .map(|c| {
                    RegionCode::parse(&c).map_err(|e| AppError::bad_input("filter.regionCode", e))
                })
                .transpose()?,
            provider_id: self
                .provider_id
                .map(|id| ids::decode("filter.providerId", Kind::Provider, &id))
                .transpose()?,
            level: self.level.map(Into::into),
            modality: self.modality.map(Into::into),
            category: self
                .category
                .map(|c| {
                    CategoryKey::parse(&c)
                        .map(|k| k.as_str().to_owned())
                        .map_err(|e| AppError::bad_input("filter.category", e))
                })
                .transpose()?,
            stage: self.stage.map(Into::into),
            subject: self.subject,
            status: self.status.map(Into::into),
            open_for_enrollment: self.open_for_enrollment,
            min_level: self.min_level.map(Into::into),
            compulsory: self.compulsory,
            kind: self.kind.map(Into::into),
            starts_on_or_after: self.starts_on_or_after.map(|d| d.0),
            starts_on_or_before: self.starts_on_or_before.map(|d| d.0),
        })
    }
}

/// What `courses` is sorted by; ties are broken by id, in the same direction.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseOrderField {
    /// The start date; courses without one come last in both directions.
    StartsOn,
    /// When the course was created (the default order).
    CreatedAt,
    /// The title, by Unicode code point (not by pinyin), the same on every database.
    Title,
    /// The course's class hours.
    Hours,
}

/// The order of `courses`.
#[derive(InputObject)]
pub struct CourseOrder {
    /// What to sort by.
    pub field: CourseOrderField,
    /// ASC when left out.
    pub direction: Option<OrderDirection>,
}

impl From<CourseOrder> for svc::CourseOrder {
    fn from(o: CourseOrder) -> Self {
        svc::CourseOrder {
            field: match o.field {
                CourseOrderField::StartsOn => svc::CourseOrderField::StartsOn,
                CourseOrderField::CreatedAt => svc::CourseOrderField::CreatedAt,
                CourseOrderField::Title => svc::CourseOrderField::Title,
                CourseOrderField::Hours => svc::CourseOrderField::Hours,
            },
            direction: o.direction.unwrap_or_default().into(),
        }
    }
}

#[derive(Default)]
pub struct CatalogueQuery;

#[Object]
impl CatalogueQuery {
    /// Approved courses for everybody; a provider also sees its own drafts, a region admin those
    /// of providers in its subtree. Oldest first unless `orderBy` says otherwise; a cursor
    /// belongs to the order it was read in.
    #[graphql(
        complexity = "first.unwrap_or(20).max(0) as usize * child_complexity",
        cache_control(max_age = 60)
    )]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the courses matching every field given.")] filter: Option<
            CourseFilter,
        >,
        #[graphql(desc = "The sort order; oldest first when left out.")] order_by: Option<
            CourseOrder,
        >,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<Course>> {
        let state = ctx.state()?;
        let page = PageRequest::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().parse()?;
        let order = order_by.map(Into::into);
        let viewer = ctx.auth().principal().ok();
        // Counting is the dearest part of a page: only when the client asks for it.
        let with_total = ctx.look_ahead().field("totalCount").exists();
        let today = state.clock.today();
        let rows = svc::list(state, viewer, &filter, order, &page, today, with_total).await?;
        Ok(from_page(rows, page.after.is_some(), Course))
    }

    /// One course by id; null when there is none or the caller may not see it (not yet
    /// approved).
    #[graphql(cache_control(max_age = 60))]
    async fn course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course's global id.")] id: ID,
    ) -> Result<Option<Course>> {
        let course = ids::decode("id", Kind::Course, &id)?;
        Ok(
            catalogue::get(ctx.state()?, ctx.auth().principal().ok(), course)
                .await?
                .map(Course),
        )
    }
}
