//! The Relay `Node` interface and `node(id:)`.

use super::api_keys::ApiKey;
use super::course::Course;
use super::enrolment::Enrollment;
use super::identity::Account;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::organisation::{Provider, School, University};
use super::regions::{region_of, Region};
use super::teacher_file::Teacher;
use super::universities::{AccessGrant, Conversion, TransferMapping, UniversityCourse};
use super::ContextExt;
use crate::auth::{AccountNeed, ConversionNeed, RecordNeed, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::services::{catalogue, organisation as org, universities};
use async_graphql::{Context, Interface, ID};
use uuid::Uuid;

// Nodes are built once per `node(id:)` call; boxing the larger variants buys nothing.
#[allow(clippy::large_enum_variant)]
/// An object with a global id (Relay): `Query.node(id:)` fetches any of them again by that id.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The global id: opaque, stable, and unique across all types."
))]
pub enum Node {
    Account(Account),
    School(School),
    Teacher(Teacher),
    Provider(Provider),
    University(University),
    Region(Region),
    Course(Course),
    CreditRecord(CreditRecord),
    Enrollment(Enrollment),
    UniversityCourse(UniversityCourse),
    TransferMapping(TransferMapping),
    Conversion(Conversion),
    AccessGrant(AccessGrant),
    ApiKey(ApiKey),
}

/// `null` for an id that names nothing; `FORBIDDEN` for an object outside the caller's scope.
pub async fn resolve(ctx: &Context<'_>, id: &ID) -> AppResult<Option<Node>> {
    let Some((kind, key)) = ids::decode_any(id) else {
        return Err(AppError::invalid(
            "id",
            "INVALID_ID",
            crate::msg!("ids.not_global"),
        ));
    };
    if kind == Kind::Region {
        return Ok(region_of(ctx, &key)?.map(Node::Region));
    }
    let uuid = Uuid::parse_str(&key)
        .map_err(|_| AppError::invalid("id", "INVALID_ID", crate::msg!("ids.not_global")))?;
    let state = ctx.state()?;
    if kind == Kind::Course {
        return Ok(catalogue::get(state, ctx.auth().principal().ok(), uuid)
            .await?
            .map(|c| Node::Course(Course(c))));
    }
    let guard = ctx.guard()?;
    let found = match kind {
        Kind::CreditRecord => guard
            .record(&state.db, uuid, RecordNeed::Read)
            .await
            .map(|a| Node::CreditRecord(CreditRecord(a.record))),
        Kind::Account => guard
            .account(&state.db, uuid, AccountNeed::Read)
            .await
            .map(|a| Node::Account(Account(a.account))),
        Kind::Teacher => guard
            .teacher(&state.db, uuid, TeacherNeed::Read)
            .await
            .map(|a| Node::Teacher(Teacher(a.teacher))),
        Kind::School => org::find_school(state, uuid)
            .await?
            .map(|s| Node::School(School(s)))
            .ok_or_else(|| AppError::not_found("school")),
        Kind::Provider => org::find_provider(state, uuid)
            .await?
            .map(|p| Node::Provider(Provider(p)))
            .ok_or_else(|| AppError::not_found("provider")),
        Kind::University => org::find_university(state, uuid)
            .await?
            .map(|u| Node::University(University(u)))
            .ok_or_else(|| AppError::not_found("university")),
        Kind::Region | Kind::Course => unreachable_region(),
        // Read as in `Teacher.enrollments`: whoever may read the teacher, a provider only the
        // places in its own courses.
        Kind::Enrollment => guard
            .enrollment(&state.db, uuid)
            .await
            .map(|e| Node::Enrollment(Enrollment(e.enrollment))),
        // Public catalogue data, like `transferMappings`: any signed-in caller.
        Kind::UniversityCourse => universities::course(state, uuid)
            .await
            .map(|c| Node::UniversityCourse(UniversityCourse(c))),
        Kind::TransferMapping => universities::mapping(state, uuid)
            .await
            .map(|m| Node::TransferMapping(TransferMapping(m))),
        // Read as in `conversions(teacherId)`: the teacher, its admins, a university with access.
        Kind::Conversion => guard
            .conversion(&state.db, uuid, ConversionNeed::Read)
            .await
            .map(|c| Node::Conversion(Conversion(c.conversion))),
        Kind::AccessGrant => guard
            .access_grant(&state.db, uuid)
            .await
            .map(|g| Node::AccessGrant(AccessGrant::new(g.grant, state.clock.today()))),
        // Its owner and the admins who may revoke it; the key itself is never shown again.
        Kind::ApiKey => guard
            .api_key(&state.db, uuid)
            .await
            .map(|k| Node::ApiKey(ApiKey(k.key))),
        // Webhooks are read by their owner through `viewer { webhooks }` only.
        Kind::Webhook | Kind::WebhookDelivery => Err(AppError::not_found("webhook")),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

fn unreachable_region() -> AppResult<Node> {
    Err(AppError::internal(anyhow::anyhow!(
        "regions are resolved before this point"
    )))
}
