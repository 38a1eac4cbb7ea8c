//! Course selection that closes the teacher's gap (API.md): `Course.creditPreview` and
//! `recommendedCourses`.
//!
//! A request evaluates each teacher once: [`PreviewLoader`] (a DataLoader keyed by teacher)
//! loads the teacher's records, policy and facts and evaluates them into a
//! `domain::policy::PreviewBasis`, kept for the rest of the request; every course is then priced
//! against it in memory.

use super::connection::{from_page, Conn};
use super::course::Course;
use super::loaders::{LoadError, Loaders};
use super::scalars::Decimal;
use super::ContextExt;
use crate::auth::{Guard, Principal, TeacherNeed};
use crate::error::AppError;
use crate::services::course_preview::{self as svc, MAX_CANDIDATES};
use crate::services::page::PageRequest;
use crate::state::AppState;
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use domain::policy::{CreditPreview as Preview, PreviewBasis};
use entities::courses;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// A teacher's evaluated state, or why the caller may not have it.
pub type Basis = Result<Arc<PreviewBasis>, LoadError>;

/// Each teacher's [`PreviewBasis`], loaded at most once per request: the DataLoader batches the
/// concurrent asks of a page, and this memo answers those that come after the batch (the
/// DataLoader itself does not cache, and would load again a key asked while it is loading).
pub struct PreviewLoader {
    state: AppState,
    principal: Option<Principal>,
    memo: tokio::sync::Mutex<HashMap<Uuid, Basis>>,
}

impl PreviewLoader {
    pub fn new(state: AppState, principal: Option<Principal>) -> Self {
        Self {
            state,
            principal,
            memo: tokio::sync::Mutex::new(HashMap::new()),
        }
    }
}

impl Loader<Uuid> for PreviewLoader {
    type Value = Basis;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(principal) = &self.principal else {
            let refused = LoadError(Arc::new(AppError::Unauthenticated));
            return Ok(keys.iter().map(|k| (*k, Err(refused.clone()))).collect());
        };
        let today = self.state.clock.today();
        let guard = Guard::new(principal, &self.state.regions, today);
        // Held while loading, so a second batch for the same teacher waits for the first.
        let mut memo = self.memo.lock().await;
        for key in keys {
            if !memo.contains_key(key) {
                let basis = async {
                    let access = guard
                        .teacher(&self.state.db, *key, TeacherNeed::Compliance)
                        .await?;
                    svc::basis(&self.state, &access, today).await
                };
                let basis = basis
                    .await
                    .map(Arc::new)
                    .map_err(|e| LoadError(Arc::new(e)));
                memo.insert(*key, basis);
            }
        }
        Ok(keys
            .iter()
            .filter_map(|k| memo.get(k).map(|b| (*k, b.clone())))
            .collect())
    }
}

/// The teacher named by `teacherId`, or the viewer's own teacher without it, with its basis.
pub async fn basis_for(
    ctx: &Context<'_>,
    teacher_id: Option<&ID>,
) -> Result<(Uuid, Arc<PreviewBasis>)> {
    let guard = ctx.guard()?;
    let teacher = super::teacher_or_self(
        &guard,
        teacher_id,
        crate::msg!("course_selection.which_teacher"),
    )?;
    let basis = ctx
        .data::<Loaders>()?
        .previews
        .load_one(teacher)
        .await?
        .ok_or_else(|| AppError::not_found("teacher"))??;
    Ok((teacher, basis))
}

/// `Course.creditPreview`.
pub async fn credit_preview(
    ctx: &Context<'_>,
    course: &courses::Model,
    teacher_id: Option<&ID>,
) -> Result<CreditPreview> {
    let (_, basis) = basis_for(ctx, teacher_id).await?;
    Ok(CreditPreview(svc::preview(&basis, course)?))
}

/// `Course.creditPreview`: a domain preview, rendered in the request's language.
pub struct CreditPreview(pub Preview);

/// What completing a course would add to a teacher's compliance in the current period (the
/// period containing today), under the policy in force for the teacher: priced by the policy
/// engine from the teacher's records plus the record the course would post for a trainee who
/// attends every hour and passes, earned on the course's last day.
#[Object]
impl CreditPreview {
    /// What the course would earn under the teacher's policy (a programme is priced by its
    /// kind: a DEGREE_STUDY course by the policy's degree rules).
    async fn credits(&self) -> Decimal {
        Decimal(self.0.credits)
    }
    /// How much of it would count toward the period's total, after the policy's conditions,
    /// limits and requirements, and net of what it would push out (a higher backbone training
    /// replacing a lower one adds only the difference). 0 when it counts nothing (see `notes`).
    async fn counted(&self) -> Decimal {
        Decimal(self.0.counted)
    }
    /// The requirements whose shortfall it would close, and by how much; empty when every
    /// requirement it counts toward is already met.
    async fn fills(&self) -> Vec<CreditPreviewFill> {
        self.0
            .fills
            .iter()
            .map(|f| CreditPreviewFill {
                requirement_key: f.requirement_key.clone(),
                label: crate::i18n::say(&f.label_text),
                credits: Decimal(f.credits),
            })
            .collect()
    }
    /// Why it would count less than it earns — why it counts nothing, when `counted` is 0 —
    /// each with a stable code.
    async fn notes(&self) -> Vec<CreditPreviewNote> {
        self.0
            .notes
            .iter()
            .map(|n| CreditPreviewNote {
                code: n.code.to_owned(),
                message: crate::i18n::say(&n.text),
            })
            .collect()
    }
}

/// A requirement a course would fill, and by how much its shortfall would shrink.
#[derive(SimpleObject)]
pub struct CreditPreviewFill {
    /// The `Requirement.key` of the compliance report (`annual:2026` for a year's minimum).
    requirement_key: String,
    /// The requirement's label in the request's language, as the compliance report shows it.
    label: String,
    /// How much of the requirement's shortfall the course would close.
    credits: Decimal,
}

/// Why a course would count less than it earns.
#[derive(SimpleObject)]
pub struct CreditPreviewNote {
    /// Stable: the codes of compliance notes (NO_RULE, OUT_OF_PERIOD, CAP_REACHED,
    /// HIGHER_LEVEL_COUNTED, ALREADY_COUNTED, SHARE_LIMIT, CATEGORY_NOT_ACCEPTED,
    /// ONLY_FILLS_SHORTFALL, LEVEL_NOT_ACCEPTED, BELOW_THRESHOLD, MISSING_FACT…), and
    /// ALREADY_RECORDED: the course is already on the teacher's record, and is completed once.
    code: String,
    /// The reason in words, in the request's language.
    message: String,
}

// `recommendedCourses`' description names the cap.
const _: () = assert!(MAX_CANDIDATES == 200);

#[derive(Default)]
pub struct CourseSelectionQuery;

#[Object]
impl CourseSelectionQuery {
    /// Open courses (PUBLISHED, enrolment window including today) the teacher may enrol in —
    /// not those it holds, waits for or finished a place in, nor any already on its record —
    /// ranked by how much of the teacher's current shortfall each would close (the sum of its
    /// `creditPreview.fills`), then by start date (unscheduled last), then by id. At most 200
    /// candidate courses are priced: the 200 open courses starting soonest. Cursors encode the
    /// rank position and the course: the next page continues after that course in the ranking
    /// as it stands (after that position if the course left the list); `totalCount` counts the
    /// ranked courses. For whoever may read the teacher's compliance.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn recommended_courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher; leave out for your own (teachers only).")]
        teacher_id: Option<ID>,
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<Course>> {
        let state = ctx.state()?;
        let page = PageRequest::parse(first, after.as_deref())?;
        let (teacher, basis) = basis_for(ctx, teacher_id.as_ref()).await?;
        let access = ctx
            .guard()?
            .teacher(&state.db, teacher, TeacherNeed::Compliance)
            .await?;
        let rows = svc::recommended(state, &access, &basis, state.clock.today(), &page).await?;
        Ok(from_page(rows, page.after.is_some(), Course))
    }
}
