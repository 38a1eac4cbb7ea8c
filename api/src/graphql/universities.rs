//! Universities and conversion (API.md "Universities and conversion").

use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::error::AppError;
use crate::services::conversions;
use crate::services::universities::{self as svc, MappingRow};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use domain::amount::Amount;
use domain::codes::CategoryKey;
use domain::transfer::Mapping;
use entities::{access_grants, conversions as conversion_rows, university_courses};

pub struct UniversityCourse(pub university_courses::Model);

#[Object]
impl UniversityCourse {
    async fn id(&self) -> ID {
        ids::encode(Kind::UniversityCourse, self.0.id)
    }
    async fn university_id(&self) -> ID {
        ids::encode(Kind::University, self.0.university_id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn academic_credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.academic_credits_e4))
    }
}

/// A rule turning training credits into academic credits, after Credential Engine's
/// TransferValueProfile: value (`academicCredits`) and unit, validity (`withinYears`), owner.
pub struct TransferMapping(pub MappingRow);

#[Object]
impl TransferMapping {
    async fn id(&self) -> ID {
        ids::encode(Kind::TransferMapping, self.0.row.id)
    }
    async fn university_course(&self) -> UniversityCourse {
        UniversityCourse(self.0.course.clone())
    }
    /// The owner: the university whose course it grants.
    async fn university_id(&self) -> ID {
        ids::encode(Kind::University, self.0.course.university_id)
    }
    async fn categories(&self) -> Result<Vec<String>> {
        Ok(serde_json::from_str(&self.0.row.categories).map_err(AppError::corrupt)?)
    }
    async fn min_level(&self) -> Option<&str> {
        self.0.row.min_level.as_deref()
    }
    async fn modalities(&self) -> Result<Vec<String>> {
        Ok(serde_json::from_str(&self.0.row.modalities).map_err(AppError::corrupt)?)
    }
    async fn min_hours(&self) -> Option<Decimal> {
        self.0.row.min_hours_e4.map(|h| Decimal(Amount::from_e4(h)))
    }
    async fn within_years(&self) -> Option<i32> {
        self.0.row.within_years
    }
    async fn academic_credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.row.academic_credits_e4))
    }
    /// The unit of `academicCredits`.
    async fn unit(&self) -> &'static str {
        "academic credit"
    }
}

#[derive(SimpleObject)]
pub struct AccessGrant {
    university_id: ID,
    teacher_id: ID,
    granted_at: chrono::DateTime<chrono::Utc>,
    expires_on: Option<Date>,
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    active: bool,
}

impl AccessGrant {
    /// A grant as read on `today` (it is active until it is revoked or expires).
    pub fn new(g: access_grants::Model, today: chrono::NaiveDate) -> Self {
        Self {
            university_id: ids::encode(Kind::University, g.university_id),
            teacher_id: ids::encode(Kind::Teacher, g.teacher_id),
            granted_at: g.granted_at,
            active: g.revoked_at.is_none() && g.expires_on.is_none_or(|d| d >= today),
            expires_on: g.expires_on.map(Date),
            revoked_at: g.revoked_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct TransferPreview {
    eligible: bool,
    academic_credits: Decimal,
    /// The records a conversion would use, earliest-expiring first.
    usable_records: Vec<CreditRecord>,
    /// Hours those records add up to.
    hours: Decimal,
    missing: Vec<String>,
}

pub struct Conversion(pub conversion_rows::Model);

#[Object]
impl Conversion {
    async fn id(&self) -> ID {
        ids::encode(Kind::Conversion, self.0.id)
    }
    async fn teacher_id(&self) -> ID {
        ids::encode(Kind::Teacher, self.0.teacher_id)
    }
    /// The teacher (read with the caller's rights: a university needs the teacher's grant).
    async fn teacher(&self, ctx: &Context<'_>) -> Result<super::organisation::Teacher> {
        Ok(super::organisation::Teacher(
            crate::services::organisation::get_teacher(
                ctx.state()?,
                &ctx.guard()?,
                self.0.teacher_id,
            )
            .await?,
        ))
    }
    async fn mapping(&self, ctx: &Context<'_>) -> Result<TransferMapping> {
        Ok(TransferMapping(
            svc::mapping(ctx.state()?, self.0.mapping_id).await?,
        ))
    }
    async fn status(&self) -> Result<enums::ConversionStatus> {
        Ok(self
            .0
            .status
            .parse::<domain::codes::ConversionStatus>()
            .map_err(AppError::corrupt)?
            .into())
    }
    async fn academic_credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.academic_credits_e4))
    }
    async fn records(&self, ctx: &Context<'_>) -> Result<Vec<CreditRecord>> {
        Ok(conversions::records_of(ctx.state()?, self.0.id)
            .await?
            .into_iter()
            .map(CreditRecord)
            .collect())
    }
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    async fn requested_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.requested_at
    }
    async fn decided_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.decided_at
    }
}

#[derive(InputObject)]
pub struct UniversityCourseInput {
    pub university_id: ID,
    pub code: String,
    pub title: String,
    pub academic_credits: Decimal,
}

#[derive(InputObject)]
pub struct TransferMappingInput {
    pub university_course_id: ID,
    #[graphql(default)]
    pub categories: Vec<String>,
    pub min_level: Option<enums::TrainingLevel>,
    #[graphql(default)]
    pub modalities: Vec<enums::Modality>,
    pub min_hours: Option<Decimal>,
    pub within_years: Option<i32>,
    pub academic_credits: Decimal,
}

#[derive(Default)]
pub struct UniversityQuery;

#[Object]
impl UniversityQuery {
    /// Published mappings, of one university or all.
    async fn transfer_mappings(
        &self,
        ctx: &Context<'_>,
        university_id: Option<ID>,
    ) -> Result<Vec<TransferMapping>> {
        ctx.guard()?;
        let university = university_id
            .map(|u| ids::decode("universityId", Kind::University, &u))
            .transpose()?;
        Ok(svc::mappings(ctx.state()?, university)
            .await?
            .into_iter()
            .map(TransferMapping)
            .collect())
    }

    /// A teacher's conversions, newest first.
    async fn conversions(&self, ctx: &Context<'_>, teacher_id: ID) -> Result<Vec<Conversion>> {
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        Ok(
            conversions::of_teacher(ctx.state()?, &ctx.guard()?, teacher)
                .await?
                .into_iter()
                .map(Conversion)
                .collect(),
        )
    }

    /// Whether a teacher's certified records satisfy a mapping, which it would use, and what
    /// is missing. For the teacher, the admins over it, and universities it granted access to.
    async fn transfer_preview(
        &self,
        ctx: &Context<'_>,
        teacher_id: ID,
        mapping_id: ID,
    ) -> Result<TransferPreview> {
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let mapping = ids::decode("mappingId", Kind::TransferMapping, &mapping_id)?;
        let p = conversions::preview(ctx.state()?, &ctx.guard()?, teacher, mapping).await?;
        Ok(TransferPreview {
            eligible: p.preview.eligible,
            academic_credits: Decimal(p.preview.academic_credits),
            usable_records: p.records.into_iter().map(CreditRecord).collect(),
            hours: Decimal(p.preview.hours),
            missing: p.preview.missing,
        })
    }
}

#[derive(Default)]
pub struct UniversityMutation;

#[Object]
impl UniversityMutation {
    async fn create_university_course(
        &self,
        ctx: &Context<'_>,
        input: UniversityCourseInput,
    ) -> Result<UniversityCourse> {
        let university = ids::decode("input.universityId", Kind::University, &input.university_id)?;
        let row = svc::create_course(
            ctx.state()?,
            &ctx.guard()?,
            university,
            &input.code,
            &input.title,
            input.academic_credits.0,
        )
        .await?;
        Ok(UniversityCourse(row))
    }

    async fn create_transfer_mapping(
        &self,
        ctx: &Context<'_>,
        input: TransferMappingInput,
    ) -> Result<TransferMapping> {
        let course = ids::decode(
            "input.universityCourseId",
            Kind::UniversityCourse,
            &input.university_course_id,
        )?;
        let categories = input
            .categories
            .iter()
            .map(|c| CategoryKey::parse(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::bad_input("input.categories", e))?;
        let mapping = Mapping {
            categories,
            min_level: input.min_level.map(Into::into),
            modalities: input.modalities.into_iter().map(Into::into).collect(),
            min_hours: input.min_hours.map(|h| h.0),
            within_years: input.within_years,
            academic_credits: input.academic_credits.0,
        };
        Ok(TransferMapping(
            svc::create_mapping(ctx.state()?, &ctx.guard()?, course, mapping).await?,
        ))
    }

    /// By the teacher: lets the university read its record (until `expiresOn`, if given).
    async fn grant_access(
        &self,
        ctx: &Context<'_>,
        university_id: ID,
        expires_on: Option<Date>,
    ) -> Result<AccessGrant> {
        let university = ids::decode("universityId", Kind::University, &university_id)?;
        let state = ctx.state()?;
        let grant = svc::grant(state, &ctx.guard()?, university, expires_on.map(|d| d.0)).await?;
        Ok(AccessGrant::new(grant, state.clock.today()))
    }

    async fn revoke_access(&self, ctx: &Context<'_>, university_id: ID) -> Result<AccessGrant> {
        let university = ids::decode("universityId", Kind::University, &university_id)?;
        let state = ctx.state()?;
        let grant = svc::revoke(state, &ctx.guard()?, university).await?;
        Ok(AccessGrant::new(grant, state.clock.today()))
    }

    /// By the teacher: reserves the records the mapping uses (CERTIFIED only, oldest first).
    async fn request_conversion(&self, ctx: &Context<'_>, mapping_id: ID) -> Result<Conversion> {
        let mapping = ids::decode("mappingId", Kind::TransferMapping, &mapping_id)?;
        Ok(Conversion(
            conversions::request(ctx.state()?, &ctx.guard()?, mapping).await?,
        ))
    }

    /// By the university: APPROVE makes the conversion final; REJECT (with a comment) frees
    /// the records.
    async fn decide_conversion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: enums::Decision,
        comment: Option<String>,
    ) -> Result<Conversion> {
        let id = ids::decode("id", Kind::Conversion, &id)?;
        Ok(Conversion(
            conversions::decide(ctx.state()?, &ctx.guard()?, id, decision.into(), comment).await?,
        ))
    }
}

#[derive(SimpleObject)]
pub struct Transcript {
    id: ID,
    /// The credential as a compact JWS (EdDSA); its key is at /.well-known/jwks.json.
    jwt: String,
    issued_at: chrono::DateTime<chrono::Utc>,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    record_count: usize,
}

#[derive(SimpleObject)]
pub struct TranscriptVerification {
    valid: bool,
    reason: Option<String>,
    teacher_name: Option<String>,
    record_count: usize,
    issued_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Default)]
pub struct TranscriptQuery;

#[Object]
impl TranscriptQuery {
    /// Checks a transcript's signature, expiry and whether a listed record was revoked since.
    /// Needs no token.
    async fn verify_transcript(
        &self,
        ctx: &Context<'_>,
        jwt: String,
    ) -> Result<TranscriptVerification> {
        let v = crate::services::transcripts::verify(ctx.state()?, &jwt).await?;
        Ok(TranscriptVerification {
            valid: v.valid,
            reason: v.reason,
            teacher_name: v.teacher_name,
            record_count: v.record_count,
            issued_at: v.issued_at,
        })
    }
}

#[derive(Default)]
pub struct TranscriptMutation;

#[Object]
impl TranscriptMutation {
    /// A signed transcript of the teacher's certified records (the caller's own without
    /// `teacherId`).
    async fn issue_transcript(
        &self,
        ctx: &Context<'_>,
        teacher_id: Option<ID>,
    ) -> Result<Transcript> {
        let teacher = teacher_id
            .map(|t| ids::decode("teacherId", Kind::Teacher, &t))
            .transpose()?;
        let issued =
            crate::services::transcripts::issue(ctx.state()?, &ctx.guard()?, teacher).await?;
        Ok(Transcript {
            id: ID(format!("urn:uuid:{}", issued.row.id)),
            jwt: issued.row.jwt,
            issued_at: issued.row.issued_at,
            expires_at: issued.row.expires_at,
            record_count: issued.record_count,
        })
    }
}
