//! Writing events to the outbox: for each event, one delivery per subscribed webhook whose
//! owner may hear it (decided through the gate, [`crate::auth::audience`]), both inside the
//! caller's transaction. An event no webhook may hear is not written at all, so a database
//! without webhooks pays one indexed read per change and nothing more.

use crate::auth::audience::Audience;
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use crate::webhooks::claim::PENDING;
use domain::scope::Resource;
use domain::webhook::{EventType, Subject};
use entities::{
    providers, schools, teachers, universities, webhook_deliveries, webhook_events, webhooks,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// Rows per INSERT: far below either database's limit on bound parameters.
const CHUNK: usize = 500;

/// A change to announce, with the ids the audience is decided on.
pub struct Pending {
    pub event: EventType,
    pub subject_id: Uuid,
    pub teacher: Option<Uuid>,
    pub provider: Option<Uuid>,
    pub university: Option<Uuid>,
    /// A credit record's producing provider (its course's).
    pub produced_by: Option<Uuid>,
    pub data: serde_json::Value,
}

/// The live webhooks subscribed to `event`, with their subscriptions parsed.
pub struct Subscribers(Vec<(webhooks::Model, Vec<EventType>)>);

impl Subscribers {
    /// `None` when no live webhook listens for any of `events`: the caller has nothing to do.
    pub async fn load(db: &impl ConnectionTrait, events: &[EventType]) -> AppResult<Option<Self>> {
        let hooks = webhooks::Entity::find()
            .filter(webhooks::Column::DeletedAt.is_null())
            .all(db)
            .await?;
        let listening: Vec<_> = hooks
            .into_iter()
            .map(|h| {
                let subscribed = events_of(&h)?;
                Ok((h, subscribed))
            })
            .collect::<AppResult<Vec<_>>>()?
            .into_iter()
            .filter(|(_, subscribed)| subscribed.iter().any(|e| events.contains(e)))
            .collect();
        Ok((!listening.is_empty()).then_some(Subscribers(listening)))
    }
}

/// A webhook's subscription, as stored (a JSON array of codes).
pub fn events_of(hook: &webhooks::Model) -> AppResult<Vec<EventType>> {
    let codes: Vec<String> = serde_json::from_str(&hook.events).map_err(AppError::corrupt)?;
    codes
        .iter()
        .map(|c| crate::rows::code::<EventType>(c))
        .collect()
}

/// Writes `pending` and its deliveries to the webhooks of `subscribers` that may hear each.
pub async fn fan_out(
    db: &impl ConnectionTrait,
    state: &AppState,
    subscribers: &Subscribers,
    pending: Vec<Pending>,
) -> AppResult<()> {
    let facts = Facts::load(db, &pending).await?;
    let owners: Vec<Uuid> = subscribers.0.iter().map(|(h, _)| h.account_id).collect();
    let teacher_ids: Vec<Uuid> = facts.teachers.keys().copied().collect();
    let audience = Audience::load(
        db,
        &state.regions,
        &owners,
        &teacher_ids,
        state.clock.today(),
    )
    .await?;
    let now = state.clock.now();
    let (mut events, mut deliveries) = (Vec::new(), Vec::new());
    for change in pending {
        let Some(subject) = facts.subject(&change) else {
            continue;
        };
        let event_id = Uuid::now_v7();
        let before = deliveries.len();
        for (hook, subscribed) in &subscribers.0 {
            if subscribed.contains(&change.event) && audience.hears(hook.account_id, &subject) {
                deliveries.push(delivery(hook.id, event_id, change.event, now));
            }
        }
        if deliveries.len() > before {
            events.push(webhook_events::Model {
                id: event_id,
                event_type: change.event.as_str().to_owned(),
                occurred_at: now,
                payload: change.data.to_string(),
                subject_id: change.subject_id,
                teacher_id: change.teacher,
                provider_id: change.provider,
                university_id: change.university,
            });
        }
    }
    for chunk in events.chunks(CHUNK) {
        webhook_events::Entity::insert_many(
            chunk.iter().cloned().map(webhook_events::ActiveModel::from),
        )
        .exec_without_returning(db)
        .await?;
    }
    for chunk in deliveries.chunks(CHUNK) {
        webhook_deliveries::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(webhook_deliveries::ActiveModel::from),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn delivery(
    webhook: Uuid,
    event: Uuid,
    kind: EventType,
    now: chrono::DateTime<chrono::Utc>,
) -> webhook_deliveries::Model {
    webhook_deliveries::Model {
        id: Uuid::now_v7(),
        webhook_id: webhook,
        event_id: event,
        event_type: kind.as_str().to_owned(),
        status: PENDING.to_owned(),
        attempts: 0,
        next_attempt_at: Some(now),
        lease_id: None,
        last_attempt_at: None,
        response_status: None,
        last_error: None,
        created_at: now,
    }
}

/// The resources the rules are asked about, for every teacher, provider and university the
/// pending changes name: three statements at most, however many changes.
struct Facts {
    teachers: HashMap<Uuid, Resource>,
    providers: HashMap<Uuid, Resource>,
    universities: HashMap<Uuid, Resource>,
}

impl Facts {
    async fn load(db: &impl ConnectionTrait, pending: &[Pending]) -> AppResult<Self> {
        let ids = |f: fn(&Pending) -> Option<Uuid>| {
            let mut v: Vec<Uuid> = pending.iter().filter_map(f).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let teacher_ids = ids(|p| p.teacher);
        let provider_ids = ids(|p| p.provider);
        let university_ids = ids(|p| p.university);
        Ok(Facts {
            teachers: teacher_resources(db, &teacher_ids).await?,
            providers: resources::<providers::Entity>(
                db,
                &provider_ids,
                providers::Column::Id,
                |p| {
                    let region = rows::region(&p.region_code)?;
                    Ok((p.id, Resource::Provider { id: p.id, region }))
                },
            )
            .await?,
            universities: resources::<universities::Entity>(
                db,
                &university_ids,
                universities::Column::Id,
                |u| {
                    let region = rows::region(&u.region_code)?;
                    Ok((u.id, Resource::University { id: u.id, region }))
                },
            )
            .await?,
        })
    }

    fn subject<'a>(&'a self, change: &'a Pending) -> Option<Subject<'a>> {
        let teacher = change.teacher.and_then(|t| self.teachers.get(&t));
        let provider = change.provider.and_then(|p| self.providers.get(&p));
        let university = change.university.and_then(|u| self.universities.get(&u));
        Some(match change.event {
            EventType::CourseApproved | EventType::CourseRejected => Subject::CourseReview {
                provider: provider?,
            },
            EventType::EnrollmentChanged => Subject::Enrollment {
                teacher: teacher?,
                provider: provider?,
            },
            EventType::CreditRecordChanged => Subject::CreditRecord {
                teacher: teacher?,
                produced_by: change.produced_by,
            },
            EventType::ConversionRequested | EventType::ConversionDecided => Subject::Conversion {
                teacher: teacher?,
                university: university?,
            },
            EventType::AccessGranted | EventType::AccessRevoked => Subject::AccessGrant {
                teacher: change.teacher?,
                university: change.university?,
            },
        })
    }
}

/// Teachers as the gate sees them: at their current school, in its region (one statement).
async fn teacher_resources(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Resource>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let school_of = teachers::Entity::belongs_to(schools::Entity)
        .from(teachers::Column::SchoolId)
        .to(schools::Column::Id)
        .into();
    let rows = teachers::Entity::find()
        .select_also(schools::Entity)
        .join(JoinType::InnerJoin, school_of)
        .filter(teachers::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    rows.into_iter()
        .filter_map(|(t, s)| s.map(|s| (t.id, s)))
        .map(|(id, s)| {
            let region = rows::region(&s.region_code)?;
            let resource = Resource::Teacher {
                id,
                school: s.id,
                region,
            };
            Ok((id, resource))
        })
        .collect()
}

/// Rows of `E` by id, each turned into its resource.
async fn resources<E: EntityTrait>(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    id: E::Column,
    resource: impl Fn(E::Model) -> AppResult<(Uuid, Resource)>,
) -> AppResult<HashMap<Uuid, Resource>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    E::find()
        .filter(id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(resource)
        .collect()
}
