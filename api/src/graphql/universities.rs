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

/// A course of a university's own programme that training credits can be converted into.
#[Object]
impl UniversityCourse {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::UniversityCourse, self.0.id)
    }
    /// The university that teaches it (global id).
    async fn university_id(&self) -> ID {
        ids::encode(Kind::University, self.0.university_id)
    }
    /// The university's code for the course (unique per university), e.g. EDU-501.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The course title, e.g. 教育信息技术.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The academic credits the course is worth at the university.
    async fn academic_credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.academic_credits_e4))
    }
}

pub struct TransferMapping(pub MappingRow);

/// A rule turning training credits into academic credits, after Credential Engine's
/// TransferValueProfile: what counts (categories, level, modalities), how much (`minHours`),
/// for how long (`withinYears`), what it is worth (`academicCredits` of one university course)
/// and who owns it. Readable by any signed-in caller.
#[Object]
impl TransferMapping {
    /// Global id (Relay); `transferPreview` and `requestConversion` take it.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::TransferMapping, self.0.row.id)
    }
    /// The university course a conversion under this mapping grants.
    async fn university_course(&self) -> UniversityCourse {
        UniversityCourse(self.0.course.clone())
    }
    /// The owner: the university whose course it grants.
    async fn university_id(&self) -> ID {
        ids::encode(Kind::University, self.0.course.university_id)
    }
    /// The category keys whose records count; empty: any category.
    async fn categories(&self) -> Result<Vec<String>> {
        Ok(serde_json::from_str(&self.0.row.categories).map_err(AppError::corrupt)?)
    }
    /// The lowest training level that counts (a TrainingLevel name, e.g. MUNICIPAL); null:
    /// any level.
    async fn min_level(&self) -> Option<&str> {
        self.0.row.min_level.as_deref()
    }
    /// The modalities (Modality names) whose records count; empty: any modality.
    async fn modalities(&self) -> Result<Vec<String>> {
        Ok(serde_json::from_str(&self.0.row.modalities).map_err(AppError::corrupt)?)
    }
    /// Hours the matching records must add up to; null: one matching record suffices.
    async fn min_hours(&self) -> Option<Decimal> {
        self.0.row.min_hours_e4.map(|h| Decimal(Amount::from_e4(h)))
    }
    /// Only records earned in the last this many years count; null: no time limit.
    async fn within_years(&self) -> Option<i32> {
        self.0.row.within_years
    }
    /// The academic credits a conversion grants.
    async fn academic_credits(&self) -> Decimal {
        Decimal(Amount::from_e4(self.0.row.academic_credits_e4))
    }
    /// The unit of `academicCredits`.
    async fn unit(&self) -> &'static str {
        "academic credit"
    }
}

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
    eligible: bool,
    /// The academic credits a conversion would grant now; 0 when not eligible.
    academic_credits: Decimal,
    /// The records a conversion would use, earliest-expiring first.
    usable_records: Vec<CreditRecord>,
    /// Hours those records add up to.
    hours: Decimal,
    /// What to do to become eligible, in words in the request's language (e.g. "还需 12 学时市级及
    /// 以上的“信息技术应用能力”类培训…", or with `Accept-Language: en` "12 more hours of
    /// INFORMATION training at MUNICIPAL level or above, earned since 2021-11-01"); empty when
    /// eligible. `missingItems` says the same as data.
    missing: Vec<String>,
    /// What is missing as data, one item per entry of `missing`, for a portal that words it
    /// itself; empty when eligible.
    missing_items: Vec<MissingItem>,
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

/// A new university course.
#[derive(InputObject)]
pub struct UniversityCourseInput {
    /// The university that teaches it; the caller must administer it.
    pub university_id: ID,
    /// The university's code for the course, unique per university.
    pub code: String,
    /// The course title.
    pub title: String,
    /// The academic credits the course is worth.
    pub academic_credits: Decimal,
}

/// A new transfer mapping for one of the caller's university courses.
#[derive(InputObject)]
pub struct TransferMappingInput {
    /// The university course a conversion grants; the caller must administer its university.
    pub university_course_id: ID,
    /// Category keys whose records count; empty (the default): any category.
    #[graphql(default)]
    pub categories: Vec<String>,
    /// The lowest training level that counts; leave out for any level.
    pub min_level: Option<enums::TrainingLevel>,
    /// Modalities whose records count; empty (the default): any modality.
    #[graphql(default)]
    pub modalities: Vec<enums::Modality>,
    /// Hours the matching records must add up to (not negative); leave out and one matching
    /// record suffices.
    pub min_hours: Option<Decimal>,
    /// Only records earned in the last this many years (1 to 50) count; leave out for no limit.
    pub within_years: Option<i32>,
    /// The academic credits a conversion grants; more than 0.
    pub academic_credits: Decimal,
}

#[derive(Default)]
pub struct UniversityQuery;

#[Object]
impl UniversityQuery {
    /// Published mappings, of one university or all, oldest first.
    async fn transfer_mappings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this university's mappings; all universities' when left out.")]
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

    /// A teacher's conversions, oldest request first: for the teacher, the admins over it, and
    /// universities it granted access to.
    async fn conversions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher whose conversions to list.")] teacher_id: ID,
    ) -> Result<Vec<Conversion>> {
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
    #[graphql(complexity = "crate::graphql::weights::TRANSFER_PREVIEW + child_complexity")]
    async fn transfer_preview(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher whose records are checked.")] teacher_id: ID,
        #[graphql(desc = "The transfer mapping to check them against.")] mapping_id: ID,
    ) -> Result<TransferPreview> {
        let teacher = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let mapping = ids::decode("mappingId", Kind::TransferMapping, &mapping_id)?;
        let p = conversions::preview(ctx.state()?, &ctx.guard()?, teacher, mapping).await?;
        Ok(TransferPreview {
            eligible: p.preview.eligible,
            academic_credits: Decimal(p.preview.academic_credits),
            usable_records: p.records.into_iter().map(CreditRecord).collect(),
            hours: Decimal(p.preview.hours),
            missing: p
                .preview
                .missing_items
                .iter()
                .map(|m| crate::i18n::say(&crate::i18n::missing_text(m)))
                .collect(),
            missing_items: p.preview.missing_items.iter().map(Into::into).collect(),
        })
    }
}

#[derive(Default)]
pub struct UniversityMutation;

#[Object]
impl UniversityMutation {
    /// Publishes a course of the university's programme; for its university admins.
    async fn create_university_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course to create.")] input: UniversityCourseInput,
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

    /// Publishes a rule turning training records into one of the university's courses; for
    /// its university admins.
    async fn create_transfer_mapping(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mapping to create.")] input: TransferMappingInput,
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
        #[graphql(desc = "The university allowed to read.")] university_id: ID,
        #[graphql(
            desc = "The last day the grant holds (not in the past); leave out: until revoked."
        )]
        expires_on: Option<Date>,
    ) -> Result<AccessGrant> {
        let university = ids::decode("universityId", Kind::University, &university_id)?;
        let state = ctx.state()?;
        let grant = svc::grant(state, &ctx.guard()?, university, expires_on.map(|d| d.0)).await?;
        Ok(AccessGrant::new(grant, state.clock.today()))
    }

    /// By the teacher: ends a university's access; from then on its reads of the teacher's
    /// record are `FORBIDDEN`.
    async fn revoke_access(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The university whose access ends.")] university_id: ID,
    ) -> Result<AccessGrant> {
        let university = ids::decode("universityId", Kind::University, &university_id)?;
        let state = ctx.state()?;
        let grant = svc::revoke(state, &ctx.guard()?, university).await?;
        Ok(AccessGrant::new(grant, state.clock.today()))
    }

    /// By the teacher: reserves the records the mapping uses (CERTIFIED only, oldest first).
    async fn request_conversion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The transfer mapping to convert under.")] mapping_id: ID,
    ) -> Result<Conversion> {
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
        #[graphql(desc = "The REQUESTED conversion to decide.")] id: ID,
        #[graphql(desc = "APPROVE makes it final; REJECT frees its records.")]
        decision: enums::Decision,
        #[graphql(
            desc = "Why; required with REJECT. The teacher reads it in `Conversion.comment`."
        )]
        comment: Option<String>,
    ) -> Result<Conversion> {
        let id = ids::decode("id", Kind::Conversion, &id)?;
        Ok(Conversion(
            conversions::decide(ctx.state()?, &ctx.guard()?, id, decision.into(), comment).await?,
        ))
    }
}

/// A signed transcript: a W3C verifiable credential in the Open Badges 3.0
/// AchievementCredential shape listing the teacher's certified records, for anyone the teacher
/// shows it to (`verifyTranscript` checks it).
#[derive(SimpleObject)]
pub struct Transcript {
    /// The credential's id, a `urn:uuid:` URN.
    id: ID,
    /// The credential as a compact JWS (EdDSA); its key is at /.well-known/jwks.json.
    jwt: String,
    /// When it was issued.
    issued_at: chrono::DateTime<chrono::Utc>,
    /// When it stops being valid (a year after issue); null: never.
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// How many certified records it lists.
    record_count: usize,
}

/// The result of checking a transcript.
#[derive(SimpleObject)]
pub struct TranscriptVerification {
    /// Signed by this server, not expired, and none of its records revoked since.
    valid: bool,
    /// Why it is not valid (bad signature, expired, records revoked since); null when valid.
    reason: Option<String>,
    /// The teacher it was issued to; null when the signature does not check.
    teacher_name: Option<String>,
    /// How many records it lists; 0 when the signature does not check.
    record_count: usize,
    /// When it was issued; null when the signature does not check.
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
        #[graphql(desc = "The transcript's `jwt` (compact JWS), as issued.")] jwt: String,
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
        #[graphql(desc = "The teacher; leave out for your own (teachers only).")]
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
