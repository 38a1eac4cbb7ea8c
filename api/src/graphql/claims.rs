//! Declared activities, the review chain, revocation and annual closing (API.md "The credit
//! ledger and claims").

use super::catalogue::{bulk, BulkResult};
use super::connection::{from_page, Conn};
use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::error::AppError;
use crate::services::page::PageRequest;
use crate::services::{claims, closing, recognition, review_queue, revocation};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use domain::claim::{ClaimInput as DomainClaim, EvidenceInput as DomainEvidence};
use domain::region::RegionCode;
use std::str::FromStr;

#[derive(InputObject)]
pub struct EvidenceInput {
    pub name: String,
    /// An http(s) address of the document (certificate, article, recording).
    pub url: String,
    /// Hex SHA-256 of the document, so a reviewer can tell it was not swapped.
    pub sha256: Option<String>,
}

#[derive(InputObject)]
pub struct ClaimInput {
    pub kind: enums::ActivityKind,
    pub title: String,
    pub level: Option<enums::TrainingLevel>,
    pub modality: Option<enums::Modality>,
    pub category: Option<String>,
    /// A compulsory (必修) activity; elective when left out. Schemes such as Weifang's keep
    /// compulsory and elective credits apart.
    pub compulsory: Option<bool>,
    pub role: Option<enums::ParticipationRole>,
    pub hours: Option<Decimal>,
    pub days: Option<i32>,
    pub months: Option<i32>,
    pub words: Option<i32>,
    /// FIRST, SECOND or THIRD (一等奖…), for a COMPETITION.
    pub prize: Option<String>,
    pub earned_on: Date,
    #[graphql(default)]
    pub evidence: Vec<EvidenceInput>,
    /// Retrying with the same key returns the first claim instead of making a second.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct RevocationResult {
    pub revoked: u64,
}

#[derive(SimpleObject)]
pub struct YearClosing {
    pub region_code: String,
    pub year: i32,
    pub closed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(SimpleObject)]
pub struct MakeUpAllowance {
    pub teacher_id: ID,
    pub year: i32,
    pub reason: String,
    pub deadline: Date,
}

/// Bulk decisions take at most this many records per call.
const MAX_BULK: usize = 500;

fn at_most(ids: &[ID]) -> Result<(), AppError> {
    if ids.len() > MAX_BULK {
        return Err(AppError::invalid(
            "ids",
            "OUT_OF_RANGE",
            format!("at most {MAX_BULK} records per call"),
        ));
    }
    Ok(())
}

fn region(field: &str, code: &str) -> Result<RegionCode, AppError> {
    RegionCode::from_str(code).map_err(|e| AppError::bad_input(field, e))
}

#[derive(Default)]
pub struct ClaimQuery;

#[Object]
impl ClaimQuery {
    /// Pending claims waiting for the viewer's review step, oldest first.
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<CreditRecord>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let rows = review_queue::queue(ctx.state()?, &ctx.guard()?, page).await?;
        Ok(from_page(rows, after.is_some(), CreditRecord))
    }
}

#[derive(Default)]
pub struct ClaimMutation;

#[Object]
impl ClaimMutation {
    /// A teacher declares an activity; the record starts PENDING, with the credits it would
    /// earn under the teacher's policy as a preview.
    async fn claim_credit(&self, ctx: &Context<'_>, input: ClaimInput) -> Result<CreditRecord> {
        let domain = DomainClaim {
            kind: Some(input.kind.into()),
            title: input.title,
            level: input.level.map(Into::into),
            modality: input.modality.map(Into::into),
            category: input.category,
            compulsory: input.compulsory,
            role: input.role.map(Into::into),
            hours: input.hours.map(|h| h.0),
            days: input.days,
            months: input.months,
            words: input.words,
            prize: input.prize,
            earned_on: Some(input.earned_on.0),
            evidence: input
                .evidence
                .into_iter()
                .map(|e| DomainEvidence {
                    name: e.name,
                    url: e.url,
                    sha256: e.sha256,
                })
                .collect(),
        };
        let record =
            claims::claim(ctx.state()?, &ctx.guard()?, domain, input.idempotency_key).await?;
        Ok(CreditRecord(record))
    }

    /// A decision by the reviewer of the record's current step. REJECT needs a comment.
    async fn review_credit(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: enums::Decision,
        comment: Option<String>,
    ) -> Result<CreditRecord> {
        let id = ids::decode("id", Kind::CreditRecord, &id)?;
        let record =
            claims::review(ctx.state()?, &ctx.guard()?, id, decision.into(), comment).await?;
        Ok(CreditRecord(record))
    }

    /// The same decision on many records, with a result per record; the rest still proceed.
    async fn review_credits(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
        decision: enums::Decision,
        comment: Option<String>,
    ) -> Result<BulkResult> {
        at_most(&ids)?;
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        bulk(ids, "ids", Kind::CreditRecord, |id| {
            let comment = comment.clone();
            let guard = &guard;
            async move {
                claims::review(state, guard, id, decision.into(), comment)
                    .await
                    .map(|_| ())
            }
        })
        .await
    }

    /// By a region admin over the teacher's current school: accepts (APPROVE) or refuses
    /// (REJECT, with a comment) records the teacher earned in another province, for policies
    /// that count those only once recognised. A result per record.
    async fn recognize_credits(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
        decision: enums::Decision,
        comment: Option<String>,
    ) -> Result<BulkResult> {
        at_most(&ids)?;
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        bulk(ids, "ids", Kind::CreditRecord, |id| {
            let comment = comment.clone();
            let guard = &guard;
            async move {
                recognition::decide(state, guard, id, decision.into(), comment)
                    .await
                    .map(|_| ())
            }
        })
        .await
    }

    /// Cancels a certified credit (fraud): a reversal entry is appended and the record becomes
    /// REVOKED; it stays visible with its reason.
    async fn revoke_credit(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> Result<CreditRecord> {
        let id = ids::decode("id", Kind::CreditRecord, &id)?;
        Ok(CreditRecord(
            revocation::revoke(ctx.state()?, &ctx.guard()?, id, &reason).await?,
        ))
    }

    /// Revokes every certified credit one course — or every course of a provider — produced.
    async fn revoke_credits(
        &self,
        ctx: &Context<'_>,
        course_id: Option<ID>,
        provider_id: Option<ID>,
        reason: String,
    ) -> Result<RevocationResult> {
        let course = course_id
            .map(|c| ids::decode("courseId", Kind::Course, &c))
            .transpose()?;
        let provider = provider_id
            .map(|p| ids::decode("providerId", Kind::Provider, &p))
            .transpose()?;
        let revoked =
            revocation::revoke_produced_by(ctx.state()?, &ctx.guard()?, course, provider, &reason)
                .await?;
        Ok(RevocationResult { revoked })
    }

    /// Closes a past year for a region's subtree: claims dated in it are refused from now on,
    /// except under a make-up allowance.
    async fn close_year(
        &self,
        ctx: &Context<'_>,
        region_code: String,
        year: i32,
    ) -> Result<YearClosing> {
        let code = region("regionCode", &region_code)?;
        let row = closing::close_year(ctx.state()?, &ctx.guard()?, &code, year).await?;
        Ok(YearClosing {
            region_code: row.region_code,
            year: row.year,
            closed_at: row.closed_at,
        })
    }

    /// Lets a teacher back from leave claim for a closed year until `deadline` (Shandong art. 21).
    async fn grant_make_up(
        &self,
        ctx: &Context<'_>,
        teacher_id: ID,
        year: i32,
        reason: String,
        deadline: Date,
    ) -> Result<MakeUpAllowance> {
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let row = closing::grant_make_up(
            ctx.state()?,
            &ctx.guard()?,
            teacher,
            year,
            &reason,
            deadline.0,
        )
        .await?;
        Ok(MakeUpAllowance {
            teacher_id,
            year: row.year,
            reason: row.reason,
            deadline: Date(row.deadline),
        })
    }
}
