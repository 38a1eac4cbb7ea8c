//! The types of a conversion's life (API.md "Universities and conversion"): a teacher's access
//! grant to a university, the preview of what a mapping would use, and the conversion itself.

use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::scalars::{Date, Decimal};
use super::universities::TransferMapping;
use super::ContextExt;
use crate::auth::TeacherNeed;
use crate::error::AppError;
use crate::services::conversions;
use crate::services::universities as svc;
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use domain::amount::Amount;
use entities::{access_grants, conversions as conversion_rows};

/// A teacher's consent for a university to read its record; readable by the two of them.
#[derive(SimpleObject)]
pub struct AccessGrant {
    /// Global id (Relay).
    #[graphql(owned)]
    pub id: ID,
    /// The university allowed to read (global id).
    university_id: ID,
    /// The teacher whose record it may read (global id).
    teacher_id: ID,
    /// When the teacher granted access (granting again starts a new grant).
    granted_at: chrono::DateTime<chrono::Utc>,
    /// The last day the grant holds; null: until revoked.
    expires_on: Option<Date>,
    /// When the teacher revoked it; null while not revoked.
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether the university may read the record today: neither revoked nor expired.
    active: bool,
}

impl AccessGrant {
    /// A grant as read on `today` (it is active until it is revoked or expires).
    pub fn new(g: access_grants::Model, today: chrono::NaiveDate) -> Self {
        Self {
            id: ids::encode(Kind::AccessGrant, g.id),
            university_id: ids::encode(Kind::University, g.university_id),
            teacher_id: ids::encode(Kind::Teacher, g.teacher_id),
            granted_at: g.granted_at,
            active: g.revoked_at.is_none() && g.expires_on.is_none_or(|d| d >= today),
            expires_on: g.expires_on.map(Date),
            revoked_at: g.revoked_at,
        }
    }
}

/// Whether a teacher's certified records satisfy a transfer mapping today, and what is missing.
#[derive(SimpleObject)]
pub struct TransferPreview {
    /// Whether `requestConversion` would succeed now.
    pub(super) eligible: bool,
    /// The academic credits a conversion would grant now; 0 when not eligible.
    pub(super) academic_credits: Decimal,
    /// The records a conversion would use, earliest-expiring first.
    pub(super) usable_records: Vec<CreditRecord>,
    /// Hours those records add up to.
    pub(super) hours: Decimal,
    /// What to do to become eligible, in words in the request's language (e.g. "还需 12 学时市级及
    /// 以上的“信息技术应用能力”类培训…", or with `Accept-Language: en` "12 more hours of
    /// INFORMATION training at MUNICIPAL level or above, earned since 2021-11-01"); empty when
    /// eligible. `missingItems` says the same as data.
    pub(super) missing: Vec<String>,
    /// What is missing as data, one item per entry of `missing`, for a portal that words it
    /// itself; empty when eligible.
    pub(super) missing_items: Vec<MissingItem>,
}

/// One thing a teacher still needs before a conversion under a mapping.
#[derive(SimpleObject)]
pub struct MissingItem {
    /// `HOURS`: `hours` more hours of matching training; `RECORD`: one certified record of
    /// matching training (the mapping sets no minimum hours).
    code: String,
    /// The training must be of one of these categories; empty: any category.
    categories: Vec<String>,
    /// … at this level or above; null: any level.
    min_level: Option<enums::TrainingLevel>,
    /// … delivered in one of these ways; empty: any modality.
    modalities: Vec<enums::Modality>,
    /// For `HOURS`: how many more hours are needed.
    hours: Option<Decimal>,
    /// … earned on or after this day (the mapping's `withinYears`); null: any time.
    since: Option<Date>,
}

impl From<&domain::transfer::Missing> for MissingItem {
    fn from(m: &domain::transfer::Missing) -> Self {
        Self {
            code: m.code.to_owned(),
            categories: m.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            min_level: m.min_level.map(Into::into),
            modalities: m.modalities.iter().map(|&x| x.into()).collect(),
            hours: m.hours.map(Decimal),
            since: m.since.map(Date),
        }
    }
}

pub struct Conversion(pub conversion_rows::Model);

/// A teacher's request to turn certified training records into a university course's academic
/// credits under a transfer mapping. For the teacher, the admins over it, and the university.
#[Object]
impl Conversion {
    /// Global id (Relay); `decideConversion` takes it.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Conversion, self.0.id)
    }
    /// The teacher who asked (global id).
    async fn teacher_id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.teacher_id)
    }
    /// The teacher (read with the caller's rights: a university needs the teacher's grant).
    async fn teacher(&self, ctx: &Context<'_>) -> Result<super::teacher_file::Teacher> {
        let access = ctx
            .guard()?
            .teacher(&ctx.state()?.db, self.0.teacher_id, TeacherNeed::Read)
            .await?;
        Ok(super::teacher_file::Teacher(access.teacher))
    }
    /// The mapping the conversion is made under.
    async fn mapping(&self, ctx: &Context<'_>) -> Result<TransferMapping> {
        Ok(TransferMapping(
            svc::mapping(ctx.state()?, self.0.mapping_id).await?,
        ))
    }
    /// Where the request stands.
    async fn status(&self) -> Result<enums::ConversionStatus> {
        Ok(self
            .0
            .status
            .parse::<domain::codes::ConversionStatus>()
            .map_err(AppError::corrupt)?
            .into())
    }
    /// The academic credits it grants (the mapping's value when requested).
    async fn academic_credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.academic_credits_e4))
    }
    /// The certified records it uses: reserved while REQUESTED, consumed once APPROVED (no other
    /// conversion may use them then), free again after REJECTED or CANCELLED.
    async fn records(&self, ctx: &Context<'_>) -> Result<Vec<CreditRecord>> {
        Ok(conversions::records_of(ctx.state()?, self.0.id)
            .await?
            .into_iter()
            .map(CreditRecord)
            .collect())
    }
    /// The university's comment (always on a rejection), or why it was voided; null otherwise.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// When the teacher asked.
    async fn requested_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.requested_at
    }
    /// When it was decided or voided; null while REQUESTED.
    async fn decided_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.decided_at
    }
}
