//! Live updates over graphql-transport-ws (API.md "Transcripts, monitoring, live updates").

use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::ContextExt;
use crate::auth::access::{may_still_follow, still_reviews_as};
use crate::auth::TeacherNeed;
use crate::error::AppError;
use crate::events::Event;
use crate::state::AppState;
use async_graphql::{Context, Result, Subscription, ID};
use domain::codes::{CreditStatus, ReviewStep};
use domain::region::RegionCode;
use domain::scope::Scope;
use entities::credit_records;
use futures_util::stream::{self, Stream, StreamExt};
use sea_orm::EntityTrait;
use std::str::FromStr;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// The events of this instance (and, with Redis, of every instance) as a stream.
fn events(state: &AppState) -> impl Stream<Item = Event> + Send + 'static {
    stream::unfold(state.events.subscribe(), |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => return Some((event, rx)),
                // A slow subscriber misses events rather than holding everyone up.
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(events.missed = n, "a subscriber fell behind");
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

/// The record as it is now, for an event that passed the subscriber's filter.
fn records(
    state: AppState,
    events: impl Stream<Item = Event> + Send + 'static,
) -> impl Stream<Item = CreditRecord> + Send + 'static {
    events.filter_map(move |event| {
        let db = state.db.clone();
        async move {
            match credit_records::Entity::find_by_id(event.record_id)
                .one(&db)
                .await
            {
                Ok(Some(r)) => Some(CreditRecord(r)),
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!(error.message = %e, "could not load a changed record");
                    None
                }
            }
        }
    })
}

/// The subscriber's access at the moment an event is to be sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Allowed,
    /// Gone for good: the subscription completes.
    Lost,
    /// Could not be checked (the database did not answer): this event is withheld, the
    /// subscription stays.
    Unknown,
}

fn unknown(e: impl std::fmt::Display) -> Access {
    tracing::warn!(error.message = %e, "could not re-check a subscriber's access");
    Access::Unknown
}

/// Whether the subscriber may still follow the teacher (`auth::access::may_still_follow`): a
/// disabled account, a teacher moved to another school or a changed scope ends the
/// subscription at the next event instead of leaking it.
async fn still_reads(state: AppState, account: Uuid, teacher: Uuid) -> Access {
    let today = state.clock.today();
    match may_still_follow(&state.db, &state.regions, today, account, teacher).await {
        Ok(true) => Access::Allowed,
        Ok(false) => Access::Lost,
        Err(e) => unknown(e),
    }
}

/// Whether the reviewer's account still holds the scope it subscribed with.
async fn still_reviews(state: AppState, account: Uuid, scope: Scope) -> Access {
    match still_reviews_as(&state.db, account, &scope).await {
        Ok(true) => Access::Allowed,
        Ok(false) => Access::Lost,
        Err(e) => unknown(e),
    }
}

/// Sends each event only while `check` allows it; completes when access is lost.
fn guarded<F, Fut>(
    events: impl Stream<Item = Event> + Send + 'static,
    check: F,
) -> impl Stream<Item = Event> + Send + 'static
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Access> + Send + 'static,
{
    events
        .then(move |e| {
            let access = check();
            async move { (access.await, e) }
        })
        .take_while(|(access, _)| std::future::ready(*access != Access::Lost))
        .filter_map(|(access, e)| std::future::ready((access == Access::Allowed).then_some(e)))
}

#[derive(Default)]
pub struct Subscription;

/// Live updates over the WebSocket at `/graphql` (graphql-transport-ws; send the token in
/// `connection_init` as `{"Authorization": "Bearer …"}`). Access is checked again before every
/// event; when the subscriber may no longer read it, the server completes the subscription.
#[Subscription]
impl Subscription {
    /// A teacher's records as they are created and change state. A teacher follows its own
    /// (no argument); an administrator names a teacher it may read.
    async fn credit_record_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher to follow; leave out to follow yourself (teachers only).")]
        teacher_id: Option<ID>,
    ) -> Result<impl Stream<Item = CreditRecord>> {
        let state = ctx.state()?.clone();
        let guard = ctx.guard()?;
        let teacher = match (teacher_id, guard.principal().scope.own_teacher()) {
            (Some(id), _) => ids::decode("teacherId", Kind::Teacher, &id)?,
            (None, Some(own)) => own.teacher,
            (None, None) => {
                return Err(AppError::invalid(
                    "teacherId",
                    "REQUIRED",
                    crate::msg!("input.name_the_teacher"),
                )
                .into())
            }
        };
        let _access = guard
            .teacher(&state.db, teacher, TeacherNeed::Follow)
            .await?;
        let account = guard.principal().account_id;
        let watch = state.clone();
        let mine = events(&state).filter(move |e| std::future::ready(e.teacher_id == teacher));
        let mine = guarded(mine, move || still_reads(watch.clone(), account, teacher));
        Ok(records(state, mine))
    }

    /// Claims arriving at the viewer's review step, within its scope.
    async fn review_queue_changed(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = CreditRecord>> {
        let state = ctx.state()?.clone();
        let guard = ctx.guard()?;
        let reach = guard.review_queue()?.reach;
        let regions = state.regions.clone();
        let (account, watch, subscribed) = (
            guard.principal().account_id,
            state.clone(),
            guard.principal().scope.clone(),
        );
        let waiting = events(&state).filter(move |e| {
            let pending = e.status == CreditStatus::Pending.as_str();
            let at = e
                .next_step
                .as_deref()
                .and_then(|s| ReviewStep::from_str(s).ok());
            let region = RegionCode::from_str(&e.region_code).ok();
            let ours = reach.holds(at, e.school_id, region.as_ref(), &regions);
            std::future::ready(pending && ours)
        });
        let waiting = guarded(waiting, move || {
            still_reviews(watch.clone(), account, subscribed.clone())
        });
        Ok(records(state, waiting))
    }
}
