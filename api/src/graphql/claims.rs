//! Declared activities, the review chain, revocation and annual closing (API.md "The credit
//! ledger and claims").

use super::batch::{bulk, BulkResult};
use super::connection::{from_page, Conn};
use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::auth::{Producer, RecordNeed, RegionNeed, TeacherDeed, TeacherNeed};
use crate::error::AppError;
use crate::services::page::PageRequest;
use crate::services::{claims, closing, recognition, review_queue, revocation};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use domain::claim::{ClaimInput as DomainClaim, EvidenceInput as DomainEvidence};
use domain::region::RegionCode;
use std::str::FromStr;

/// A document supporting a claim; the document itself stays where it is hosted.
#[derive(InputObject)]
pub struct EvidenceInput {
    /// What the document is (1 to 200 characters), e.g. 期刊封面.
    pub name: String,
    /// An http(s) address of the document (certificate, article, recording).
    pub url: String,
    /// Hex SHA-256 of the document, so a reviewer can tell it was not swapped.
    pub sha256: Option<String>,
}

/// An activity a teacher declares for credit. Which facts are required depends on `kind`
/// (see `ActivityKind`); a fact a kind does not have (a prize outside a COMPETITION, a word count
/// on an open class) is refused with `BAD_USER_INPUT` naming the field.
#[derive(InputObject)]
pub struct ClaimInput {
    /// What kind of activity it was.
    pub kind: enums::ActivityKind,
    /// A title for the activity (1 to 200 characters), e.g. the paper's title.
    pub title: String,
    /// The level it was organised or recognised at (county, municipal…).
    pub level: Option<enums::TrainingLevel>,
    /// How it was delivered, for trainings.
    pub modality: Option<enums::Modality>,
    /// A category key of ../shared/DOMAIN.md "Categories" (e.g. RESEARCH).
    pub category: Option<String>,
    /// A compulsory (必修) activity; elective when left out. Schemes such as Weifang's keep
    /// compulsory and elective credits apart.
    pub compulsory: Option<bool>,
    /// TRAINEE (the default) or INSTRUCTOR.
    pub role: Option<enums::ParticipationRole>,
    /// Class hours, 0 to 10000.
    pub hours: Option<Decimal>,
    /// How many days it lasted, 0 to 3660.
    pub days: Option<i32>,
    /// How many months it lasted, 0 to 120.
    pub months: Option<i32>,
    /// Characters written, for a PAPER, MONOGRAPH or TEXTBOOK only.
    pub words: Option<i32>,
    /// FIRST, SECOND or THIRD (一等奖…), for a COMPETITION.
    pub prize: Option<String>,
    /// The day the activity took place or was completed: not in the future, and not in a year
    /// closed for the teacher's region (`closeYear`) unless a make-up allowance covers it.
    pub earned_on: Date,
    /// Supporting documents, at most 20.
    #[graphql(default)]
    pub evidence: Vec<EvidenceInput>,
    /// Retrying with the same key returns the first claim instead of making a second.
    pub idempotency_key: Option<String>,
}

/// What `revokeCredits` did.
#[derive(SimpleObject)]
pub struct RevocationResult {
    /// How many certified records were revoked (each got a reversal entry).
    pub revoked: u64,
}

/// A year closed for a region's subtree: claims dated in it are refused from then on.
#[derive(SimpleObject)]
pub struct YearClosing {
    /// The GB/T 2260 code of the region whose subtree is closed.
    pub region_code: String,
    /// The calendar year closed.
    pub year: i32,
    /// When it was closed.
    pub closed_at: chrono::DateTime<chrono::Utc>,
}

/// Permission for one teacher to claim credits dated in a closed year (Shandong art. 21:
/// after maternity or sick leave).
#[derive(SimpleObject)]
pub struct MakeUpAllowance {
    /// The teacher it is for (global id).
    pub teacher_id: ID,
    /// The closed calendar year the teacher may still claim for.
    pub year: i32,
    /// Why it was granted, e.g. maternity leave.
    pub reason: String,
    /// The last day such claims are accepted; a policy with `period.makeUp` also counts
    /// activities earned before it toward the missed year.
    pub deadline: Date,
}

/// Bulk decisions take at most this many records per call.
const MAX_BULK: usize = 500;

fn at_most(ids: &[ID]) -> Result<(), AppError> {
    if ids.len() > MAX_BULK {
        return Err(AppError::invalid(
            "ids",
            "OUT_OF_RANGE",
            crate::msg!("claims.bulk_limit", max = MAX_BULK),
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
        #[graphql(desc = "Page size: 0 to 100, default 20.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; leave out for the first page.")]
        after: Option<String>,
    ) -> Result<Conn<CreditRecord>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let access = ctx.guard()?.review_queue()?;
        let rows = review_queue::queue(ctx.state()?, &access, &page).await?;
        Ok(from_page(rows, after.is_some(), CreditRecord))
    }
}

#[derive(Default)]
pub struct ClaimMutation;

#[Object]
impl ClaimMutation {
    /// A teacher declares an activity; the record starts PENDING, with the credits it would
    /// earn under the teacher's policy as a preview.
    async fn claim_credit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and its evidence.")] input: ClaimInput,
    ) -> Result<CreditRecord> {
        let own = ctx.guard()?.as_teacher(TeacherDeed::Declare)?;
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
        let record = claims::claim(ctx.state()?, &own, domain, input.idempotency_key).await?;
        Ok(CreditRecord(record))
    }

    /// A decision by the reviewer of the record's current step. REJECT needs a comment.
    async fn review_credit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The PENDING record to decide.")] id: ID,
        #[graphql(desc = "APPROVE moves it to the next step (or certifies it); REJECT ends it.")]
        decision: enums::Decision,
        #[graphql(desc = "Why; required with REJECT. Kept in `CreditRecord.history`.")]
        comment: Option<String>,
    ) -> Result<CreditRecord> {
        let id = ids::decode("id", Kind::CreditRecord, &id)?;
        let state = ctx.state()?;
        let access = ctx.guard()?.review(&state.db, id).await?;
        let record = claims::review(state, access, decision.into(), comment).await?;
        Ok(CreditRecord(record))
    }

    /// The same decision on many records, with a result per record; the rest still proceed.
    async fn review_credits(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The PENDING records to decide, at most 500.")] ids: Vec<ID>,
        #[graphql(desc = "The decision for every one of them.")] decision: enums::Decision,
        #[graphql(desc = "Why; required with REJECT. The same comment goes on every record.")]
        comment: Option<String>,
    ) -> Result<BulkResult> {
        at_most(&ids)?;
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        bulk(ids, "ids", Kind::CreditRecord, |id| {
            let comment = comment.clone();
            let guard = &guard;
            async move {
                let access = guard.review(&state.db, id).await?;
                claims::review(state, access, decision.into(), comment)
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
        #[graphql(desc = "Records earned in another province, at most 500.")] ids: Vec<ID>,
        #[graphql(desc = "APPROVE counts them from now on; REJECT refuses them (NOT_RECOGNISED).")]
        decision: enums::Decision,
        #[graphql(desc = "Why; required with REJECT.")] comment: Option<String>,
    ) -> Result<BulkResult> {
        at_most(&ids)?;
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        bulk(ids, "ids", Kind::CreditRecord, |id| {
            let comment = comment.clone();
            let guard = &guard;
            async move {
                let access = guard.record(&state.db, id, RecordNeed::Recognise).await?;
                recognition::decide(state, access, decision.into(), comment)
                    .await
                    .map(|_| ())
            }
        })
        .await
    }

    /// Cancels a certified credit (fraud): a reversal entry is appended and the record becomes
    /// REVOKED; it stays visible with its reason. For a region admin over the teacher, or over
    /// the region where the record was earned.
    async fn revoke_credit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The CERTIFIED record to revoke.")] id: ID,
        #[graphql(desc = "Why (Shandong art. 23: fraud); shown on the record and its reversal.")]
        reason: String,
    ) -> Result<CreditRecord> {
        let id = ids::decode("id", Kind::CreditRecord, &id)?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .record(&state.db, id, RecordNeed::Revoke)
            .await?;
        Ok(CreditRecord(
            revocation::revoke(state, access, &reason).await?,
        ))
    }

    /// Revokes every certified credit one course — or every course of a provider — produced.
    /// For the region admins over the provider.
    async fn revoke_credits(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course whose records are revoked; give this or `providerId`.")]
        course_id: Option<ID>,
        #[graphql(desc = "The provider all of whose courses' records are revoked.")]
        provider_id: Option<ID>,
        #[graphql(desc = "Why; shown on every revoked record.")] reason: String,
    ) -> Result<RevocationResult> {
        let course = course_id
            .map(|c| ids::decode("courseId", Kind::Course, &c))
            .transpose()?;
        let provider = provider_id
            .map(|p| ids::decode("providerId", Kind::Provider, &p))
            .transpose()?;
        let guard = ctx.guard()?;
        let producer = match (course, provider) {
            (Some(c), None) => Producer::Course(c),
            (None, Some(p)) => Producer::Provider(p),
            _ => {
                return Err(AppError::invalid(
                    "courseId",
                    "NOT_ALLOWED",
                    crate::msg!("revocation.course_or_provider"),
                )
                .into())
            }
        };
        let state = ctx.state()?;
        let access = guard.producer(&state.db, producer).await?;
        let revoked = revocation::revoke_produced_by(state, &access, &reason).await?;
        Ok(RevocationResult { revoked })
    }

    /// Closes a past year for a region's subtree: claims dated in it are refused from now on,
    /// except under a make-up allowance.
    async fn close_year(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region whose subtree is closed; the caller must administer it.")]
        region_code: String,
        #[graphql(desc = "A past calendar year (2000 to last year).")] year: i32,
    ) -> Result<YearClosing> {
        let code = region("regionCode", &region_code)?;
        let access = ctx.guard()?.region(&code, RegionNeed::CloseYear)?;
        let row = closing::close_year(ctx.state()?, &access, year).await?;
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
        #[graphql(desc = "The teacher back from leave.")] teacher_id: ID,
        #[graphql(desc = "The closed calendar year the teacher may still claim for.")] year: i32,
        #[graphql(desc = "Why, e.g. maternity or sick leave.")] reason: String,
        #[graphql(desc = "The last day such claims are accepted.")] deadline: Date,
    ) -> Result<MakeUpAllowance> {
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, teacher, TeacherNeed::GrantMakeUp)
            .await?;
        let row = closing::grant_make_up(state, &access, year, &reason, deadline.0).await?;
        Ok(MakeUpAllowance {
            teacher_id,
            year: row.year,
            reason: row.reason,
            deadline: Date(row.deadline),
        })
    }
}
