//! The transactional outbox: services announce a change by calling one of these inside the
//! transaction that makes it, so the change and its webhook events commit (or roll back)
//! together. Each reads what it needs through `db` — the caller's transaction — and writes
//! nothing when no webhook listens. An event's `data` carries global ids and states only:
//! a receiver reads the rest through the API, with its own access.

use super::outbox_fanout::{fan_out, Pending, Subscribers};
use crate::error::AppResult;
use crate::ids::{encode, Kind};
use crate::state::AppState;
use domain::codes::{CourseStatus, Decision};
use domain::webhook::EventType;
use entities::{
    access_grants, conversions, courses, credit_records, enrollments, transfer_mappings,
    university_courses,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

fn gid(kind: Kind, id: Uuid) -> String {
    encode(kind, id)
}

/// A course was approved (now `status`) or rejected (back to DRAFT).
pub async fn course_decided(
    db: &impl ConnectionTrait,
    state: &AppState,
    course: &courses::Model,
    decision: Decision,
    status: CourseStatus,
) -> AppResult<()> {
    let event = match decision {
        Decision::Approve => EventType::CourseApproved,
        Decision::Reject => EventType::CourseRejected,
    };
    let Some(hooks) = Subscribers::load(db, &[event]).await? else {
        return Ok(());
    };
    let change = Pending {
        event,
        subject_id: course.id,
        teacher: None,
        provider: Some(course.provider_id),
        university: None,
        produced_by: None,
        data: json!({
            "courseId": gid(Kind::Course, course.id),
            "providerId": gid(Kind::Provider, course.provider_id),
            "code": course.code,
            "status": status.as_str(),
        }),
    };
    fan_out(db, state, &hooks, vec![change]).await
}

/// Places taken, moved or freed, as they now stand.
pub async fn enrollments(
    db: &impl ConnectionTrait,
    state: &AppState,
    ids: &[Uuid],
) -> AppResult<()> {
    let Some(hooks) = Subscribers::load(db, &[EventType::EnrollmentChanged]).await? else {
        return Ok(());
    };
    let places = enrollments::Entity::find()
        .filter(enrollments::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let providers = providers_of(db, places.iter().map(|p| p.course_id)).await?;
    let pending = places
        .iter()
        .map(|p| Pending {
            event: EventType::EnrollmentChanged,
            subject_id: p.id,
            teacher: Some(p.teacher_id),
            provider: providers.get(&p.course_id).copied(),
            university: None,
            produced_by: None,
            data: json!({
                "enrollmentId": gid(Kind::Enrollment, p.id),
                "courseId": gid(Kind::Course, p.course_id),
                "teacherId": gid(Kind::Teacher, p.teacher_id),
                "status": p.status,
            }),
        })
        .collect();
    fan_out(db, state, &hooks, pending).await
}

/// Ledger records appended or changed, as they now stand.
pub async fn records(
    db: &impl ConnectionTrait,
    state: &AppState,
    records: &[credit_records::Model],
) -> AppResult<()> {
    if records.is_empty() {
        return Ok(());
    }
    let Some(hooks) = Subscribers::load(db, &[EventType::CreditRecordChanged]).await? else {
        return Ok(());
    };
    let producers = providers_of(db, records.iter().filter_map(|r| r.course_id)).await?;
    let pending = records
        .iter()
        .map(|r| Pending {
            event: EventType::CreditRecordChanged,
            subject_id: r.id,
            teacher: Some(r.teacher_id),
            provider: None,
            university: None,
            produced_by: r.course_id.and_then(|c| producers.get(&c).copied()),
            data: json!({
                "creditRecordId": gid(Kind::CreditRecord, r.id),
                "teacherId": gid(Kind::Teacher, r.teacher_id),
                "courseId": r.course_id.map(|c| gid(Kind::Course, c)),
                "status": r.status,
                "nextStep": r.next_step,
            }),
        })
        .collect();
    fan_out(db, state, &hooks, pending).await
}

/// [`records`] for records changed in place (a review, a revocation), read back through `db`.
pub async fn records_by_id(
    db: &impl ConnectionTrait,
    state: &AppState,
    ids: &[Uuid],
) -> AppResult<()> {
    if ids.is_empty()
        || Subscribers::load(db, &[EventType::CreditRecordChanged])
            .await?
            .is_none()
    {
        return Ok(());
    }
    let rows = credit_records::Entity::find()
        .filter(credit_records::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    records(db, state, &rows).await
}

/// A conversion was requested or decided: `event` says which.
pub async fn conversion(
    db: &impl ConnectionTrait,
    state: &AppState,
    id: Uuid,
    event: EventType,
) -> AppResult<()> {
    let Some(hooks) = Subscribers::load(db, &[event]).await? else {
        return Ok(());
    };
    let Some(c) = conversions::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let university = university_of_mapping(db, c.mapping_id).await?;
    let change = Pending {
        event,
        subject_id: c.id,
        teacher: Some(c.teacher_id),
        provider: None,
        university,
        produced_by: None,
        data: json!({
            "conversionId": gid(Kind::Conversion, c.id),
            "teacherId": gid(Kind::Teacher, c.teacher_id),
            "universityId": university.map(|u| gid(Kind::University, u)),
            "status": c.status,
        }),
    };
    fan_out(db, state, &hooks, vec![change]).await
}

/// A teacher granted a university access.
pub async fn access_granted(
    db: &impl ConnectionTrait,
    state: &AppState,
    grant: &access_grants::Model,
) -> AppResult<()> {
    access(db, state, grant, EventType::AccessGranted).await
}

/// A teacher ended the access it had granted a university (its latest grant now revoked).
pub async fn access_revoked(
    db: &impl ConnectionTrait,
    state: &AppState,
    teacher: Uuid,
    university: Uuid,
) -> AppResult<()> {
    let latest = access_grants::Entity::find()
        .filter(access_grants::Column::TeacherId.eq(teacher))
        .filter(access_grants::Column::UniversityId.eq(university))
        .order_by_desc(access_grants::Column::GrantedAt)
        .one(db)
        .await?;
    match latest {
        Some(grant) => access(db, state, &grant, EventType::AccessRevoked).await,
        None => Ok(()),
    }
}

async fn access(
    db: &impl ConnectionTrait,
    state: &AppState,
    grant: &access_grants::Model,
    event: EventType,
) -> AppResult<()> {
    let Some(hooks) = Subscribers::load(db, &[event]).await? else {
        return Ok(());
    };
    let change = Pending {
        event,
        subject_id: grant.id,
        teacher: Some(grant.teacher_id),
        provider: None,
        university: Some(grant.university_id),
        produced_by: None,
        data: json!({
            "accessGrantId": gid(Kind::AccessGrant, grant.id),
            "teacherId": gid(Kind::Teacher, grant.teacher_id),
            "universityId": gid(Kind::University, grant.university_id),
            "expiresOn": grant.expires_on,
            "revoked": grant.revoked_at.is_some(),
        }),
    };
    fan_out(db, state, &hooks, vec![change]).await
}

/// Each course's provider.
async fn providers_of(
    db: &impl ConnectionTrait,
    courses: impl Iterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Uuid>> {
    let mut ids: Vec<Uuid> = courses.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs: Vec<(Uuid, Uuid)> = courses::Entity::find()
        .select_only()
        .column(courses::Column::Id)
        .column(courses::Column::ProviderId)
        .filter(courses::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(pairs.into_iter().collect())
}

/// The university whose course a transfer mapping leads to.
async fn university_of_mapping(
    db: &impl ConnectionTrait,
    mapping: Uuid,
) -> AppResult<Option<Uuid>> {
    let Some(m) = transfer_mappings::Entity::find_by_id(mapping)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(
        university_courses::Entity::find_by_id(m.university_course_id)
            .one(db)
            .await?
            .map(|c| c.university_id),
    )
}
