//! The credit ledger as teachers and admins read it (API.md "The credit ledger and claims",
//! "Credit account and compliance").

use super::enums;
use super::ids::{self, Kind};
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::services::ledger::RecordFilter as Filter;
use crate::services::{claims, revocation};
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use domain::amount::Amount;
use domain::codes::{
    ActivityKind, CategoryKey, CreditStatus, Decision, Modality, ParticipationRole, ReviewStep,
    TrainingLevel,
};
use entities::credit_records;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub struct CreditRecord(pub credit_records::Model);

/// An entry of the append-only credit ledger: a course completion posted by a provider, or an
/// activity the teacher declared, with the facts it was priced from. Never edited or deleted:
/// a revocation appends a reversal entry (`reversalOf`). Readable by whoever may read the
/// teacher's ledger (a provider only the records its own courses produced).
#[Object]
impl CreditRecord {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::CreditRecord, self.0.id)
    }
    /// The teacher the record belongs to (global id).
    async fn teacher_id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.teacher_id)
    }
    /// What the record is for.
    async fn kind(&self) -> async_graphql::Result<enums::ActivityKind> {
        Ok(rows::code::<ActivityKind>(&self.0.kind)?.into())
    }
    /// The course title, or the declared activity's title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The teacher the record belongs to (whoever may read the record may read the teacher).
    async fn teacher(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::teacher_file::Teacher> {
        super::loaders::readable_teacher(ctx, self.0.teacher_id).await
    }
    /// The catalogue course a completion came from; null for declared activities.
    async fn course(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::course::Course>> {
        let Some(id) = self.0.course_id else {
            return Ok(None);
        };
        let state = ctx.state()?;
        let viewer = ctx.auth().principal().ok();
        let Some(l) = ctx.data_opt::<super::loaders::Loaders>() else {
            return Ok(crate::services::catalogue::get(state, viewer, id)
                .await?
                .map(super::course::Course));
        };
        let Some(course) = l.courses.load_one(id).await? else {
            return Ok(None);
        };
        let Some(provider) = l.providers.load_one(course.provider_id).await? else {
            return Ok(None);
        };
        Ok(
            crate::services::catalogue::visible(state, viewer, &course, &provider)?
                .then_some(super::course::Course(course)),
        )
    }
    /// The catalogue course's global id (even when the caller may not see the course); null
    /// for declared activities.
    async fn course_id(&self) -> Option<ID> {
        self.0.course_id.map(|c| ids::encode(Kind::Course, c))
    }
    /// The training level of the course or activity; null when none was given.
    async fn level(&self) -> async_graphql::Result<Option<enums::TrainingLevel>> {
        Ok(self
            .0
            .level
            .as_deref()
            .map(rows::code::<TrainingLevel>)
            .transpose()?
            .map(Into::into))
    }
    /// How the training was delivered; null when none was given.
    async fn modality(&self) -> async_graphql::Result<Option<enums::Modality>> {
        Ok(self
            .0
            .modality
            .as_deref()
            .map(rows::code::<Modality>)
            .transpose()?
            .map(Into::into))
    }
    /// The category key (../shared/DOMAIN.md "Categories"); null when none was given.
    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }
    /// Compulsory (必修) or elective training; null when not said.
    async fn compulsory(&self) -> Option<bool> {
        self.0.compulsory
    }
    /// Whether the teacher took part as a trainee or taught.
    async fn role(&self) -> async_graphql::Result<enums::ParticipationRole> {
        Ok(rows::code::<ParticipationRole>(&self.0.role)?.into())
    }
    /// The course's (or activity's) class hours.
    async fn hours(&self) -> Option<Decimal> {
        self.0.hours_e4.map(|h| Decimal(Amount::from_e4(h)))
    }
    /// Hours the trainee attended, as the provider reported; null for declared activities and
    /// instructors.
    async fn attended_hours(&self) -> Option<Decimal> {
        self.0
            .attended_hours_e4
            .map(|h| Decimal(Amount::from_e4(h)))
    }
    /// Hours the instructor taught; null for trainees.
    async fn taught_hours(&self) -> Option<Decimal> {
        self.0.taught_hours_e4.map(|h| Decimal(Amount::from_e4(h)))
    }
    /// Whether the assessment was passed; null when there was none (declared activities).
    async fn passed(&self) -> Option<bool> {
        self.0.passed
    }
    /// The assessment score, 0–100; null when none was reported.
    async fn score(&self) -> Option<Decimal> {
        self.0.score_e4.map(|s| Decimal(Amount::from_e4(s)))
    }
    /// Credits as registered, under `policyKey` (the policy in force where and when the record
    /// was earned); negative on a reversal entry. A claim shows them from the start, while
    /// still PENDING. `Teacher.compliance` re-prices records under the teacher's current policy.
    async fn credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.credits_e4))
    }
    /// The policy that priced `credits` (`default` where no policy was in force: 1 hour = 1
    /// credit, for completions, claims and imported records alike).
    async fn policy_key(&self) -> Option<&str> {
        self.0.policy_key.as_deref()
    }
    /// The day the training was completed or the activity took place.
    async fn earned_on(&self) -> Date {
        Date(self.0.earned_on)
    }
    /// Where it was earned (the teacher's school's region at the time).
    async fn region_code(&self) -> &str {
        &self.0.region_code
    }
    /// Where the record stands: only CERTIFIED records count.
    async fn status(&self) -> async_graphql::Result<enums::CreditStatus> {
        Ok(rows::code::<CreditStatus>(&self.0.status)?.into())
    }
    /// On a reversal entry, the record it cancels; null on every other record.
    async fn reversal_of(&self) -> Option<ID> {
        self.0
            .reversal_of
            .map(|r| ids::encode(Kind::CreditRecord, r))
    }
    /// The earlier platform the record was imported from (`importCreditRecords`), such as
    /// 青岛市教师教育信息化管理服务平台; null for records born here.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// The record's id on its `source` platform; null for records born here.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    /// Why it was revoked (on the revoked record and on its reversal).
    async fn reason(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if self.0.reason.is_some() || self.0.status != CreditStatus::Revoked.as_str() {
            return Ok(self.0.reason.clone());
        }
        Ok(reversal(ctx, self.0.id).await?.and_then(|r| r.reason))
    }
    /// The review step the record waits for; null once decided.
    async fn next_step(&self) -> async_graphql::Result<Option<enums::ReviewStep>> {
        Ok(self
            .0
            .next_step
            .as_deref()
            .map(rows::code::<ReviewStep>)
            .transpose()?
            .map(Into::into))
    }
    /// Every review decision, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ReviewEvent>> {
        let state = ctx.state()?;
        // Subscriptions have no per-request loaders; they load one record's history directly.
        let events = match ctx.data_opt::<super::loaders::Loaders>() {
            Some(l) => l.history.load_one(self.0.id).await?.unwrap_or_default(),
            None => claims::history(&state.db, self.0.id).await?,
        };
        let actors = actors(ctx, events.iter().map(|e| e.actor_account_id)).await?;
        events
            .into_iter()
            .map(|e| {
                Ok(ReviewEvent {
                    step: rows::code::<ReviewStep>(&e.step)?.into(),
                    decision: rows::code::<Decision>(&e.decision)?.into(),
                    actor: actors.get(&e.actor_account_id).cloned(),
                    comment: e.comment,
                    at: e.at,
                })
            })
            .collect()
    }
    /// The documents the teacher attached to a claim; empty for completions.
    async fn evidence(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Evidence>> {
        let rows = match ctx.data_opt::<super::loaders::Loaders>() {
            Some(l) => l.evidence.load_one(self.0.id).await?.unwrap_or_default(),
            None => claims::evidence_of(&ctx.state()?.db, self.0.id).await?,
        };
        Ok(rows
            .into_iter()
            .map(|e| Evidence {
                name: e.name,
                url: e.url,
                sha256: e.sha256,
            })
            .collect())
    }
    /// Who revoked the record, if it was revoked.
    async fn revoked_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Actor>> {
        if self.0.status != CreditStatus::Revoked.as_str() {
            return Ok(None);
        }
        let Some(by) = reversal(ctx, self.0.id).await?.and_then(|r| r.created_by) else {
            return Ok(None);
        };
        Ok(actors(ctx, [by]).await?.remove(&by))
    }
    /// When the record was registered in the ledger.
    async fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.created_at
    }
}

/// Who took a decision: enough to name them, nothing more.
#[derive(SimpleObject, Clone)]
pub struct Actor {
    /// The account's username.
    pub username: String,
    /// The account's role.
    pub role: enums::Role,
}

/// One decision in a claim's review chain.
#[derive(SimpleObject)]
pub struct ReviewEvent {
    /// The step the decision was taken at.
    pub step: enums::ReviewStep,
    /// APPROVE moved the claim on (or certified it at the last step); REJECT ended it.
    pub decision: enums::Decision,
    /// The reviewer; null if its account cannot be found.
    pub actor: Option<Actor>,
    /// The reviewer's comment; always present on a rejection.
    pub comment: Option<String>,
    /// When the decision was taken.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A document supporting a claim (certificate, article, recording).
#[derive(SimpleObject)]
pub struct Evidence {
    /// What the document is, e.g. 期刊封面.
    pub name: String,
    /// Its http(s) address.
    pub url: String,
    /// Hex SHA-256 of the document as the teacher attached it; null when not given.
    pub sha256: Option<String>,
}

/// Names the accounts: through the request's loader when there is one (a page of records asks
/// once), directly otherwise (subscriptions).
async fn actors(
    ctx: &Context<'_>,
    ids: impl IntoIterator<Item = Uuid>,
) -> async_graphql::Result<std::collections::HashMap<Uuid, Actor>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<entities::accounts::Model> = match ctx.data_opt::<super::loaders::Loaders>() {
        Some(l) => l.accounts.load_many(ids).await?.into_values().collect(),
        None => entities::accounts::Entity::find()
            .filter(entities::accounts::Column::Id.is_in(ids))
            .all(&ctx.state()?.db)
            .await
            .map_err(AppError::from)?,
    };
    rows.into_iter()
        .map(|a| {
            let role = rows::code::<domain::codes::Role>(&a.role)?;
            Ok((
                a.id,
                Actor {
                    username: a.username,
                    role: role.into(),
                },
            ))
        })
        .collect()
}

/// Records just created by the caller's own call, in the order given.
pub async fn load_many(ctx: &Context<'_>, ids: &[Uuid]) -> AppResult<Vec<CreditRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let state = ctx.state()?;
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        rows.extend(
            credit_records::Entity::find()
                .filter(credit_records::Column::Id.is_in(chunk.to_vec()))
                .all(&state.db)
                .await?,
        );
    }
    let order: std::collections::HashMap<Uuid, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| order.get(&r.id).copied().unwrap_or(usize::MAX));
    Ok(rows.into_iter().map(CreditRecord).collect())
}

/// Narrows `Teacher.creditRecords`: a record must match every field given.
#[derive(InputObject, Default)]
pub struct CreditRecordFilter {
    /// Calendar year of `earnedOn`.
    pub year: Option<i32>,
    /// Records in this status.
    pub status: Option<enums::CreditStatus>,
    /// Records of this kind.
    pub kind: Option<enums::ActivityKind>,
    /// Records of this category key (e.g. INFORMATION).
    pub category: Option<String>,
}

impl CreditRecordFilter {
    pub fn parse(self) -> AppResult<Filter> {
        Ok(Filter {
            year: self.year,
            status: self.status.map(Into::into),
            kind: self.kind.map(Into::into),
            category: self
                .category
                .map(|c| {
                    CategoryKey::parse(&c)
                        .map(|k| k.as_str().to_owned())
                        .map_err(|e| AppError::bad_input("filter.category", e))
                })
                .transpose()?,
        })
    }
}

/// The reversal entry of a revoked record, batched per request where loaders exist.
async fn reversal(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Option<credit_records::Model>> {
    Ok(match ctx.data_opt::<super::loaders::Loaders>() {
        Some(l) => l.reversals.load_one(id).await?,
        None => revocation::reversal_of(ctx.state()?, id).await?,
    })
}
