//! Universities and conversion (API.md "Universities and conversion").

use super::enums;
use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::scalars::{Date, Decimal};
use super::ContextExt;
use crate::auth::{ConversionNeed, TeacherDeed, TeacherNeed, UniversityNeed};
use crate::error::AppError;
use crate::services::conversions;
use crate::services::universities::{self as svc, MappingRow};
use async_graphql::{Context, InputObject, Object, Result, ID};
use domain::amount::Amount;
use domain::codes::CategoryKey;
use domain::transfer::Mapping;
use entities::university_courses;

pub use super::conversion_types::{AccessGrant, Conversion, MissingItem, TransferPreview};

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
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, teacher, TeacherNeed::Ledger)
            .await?;
        Ok(conversions::of_teacher(state, &access)
            .await?
            .into_iter()
            .map(Conversion)
            .collect())
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
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, teacher, TeacherNeed::Ledger)
            .await?;
        let p = conversions::preview(state, &access, mapping).await?;
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
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .university(&state.db, university, UniversityNeed::Manage)
            .await?;
        let row = svc::create_course(
            state,
            &access,
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
        let state = ctx.state()?;
        let access = ctx.guard()?.university_course(&state.db, course).await?;
        Ok(TransferMapping(
            svc::create_mapping(state, &access, mapping).await?,
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
        let own = ctx.guard()?.as_teacher(TeacherDeed::GrantAccess)?;
        let grant = svc::grant(state, &own, university, expires_on.map(|d| d.0)).await?;
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
        let own = ctx.guard()?.as_teacher(TeacherDeed::GrantAccess)?;
        let grant = svc::revoke(state, &own, university).await?;
        Ok(AccessGrant::new(grant, state.clock.today()))
    }

    /// By the teacher: reserves the records the mapping uses (CERTIFIED only, oldest first).
    async fn request_conversion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The transfer mapping to convert under.")] mapping_id: ID,
    ) -> Result<Conversion> {
        let mapping = ids::decode("mappingId", Kind::TransferMapping, &mapping_id)?;
        let own = ctx.guard()?.as_teacher(TeacherDeed::RequestConversion)?;
        Ok(Conversion(
            conversions::request(ctx.state()?, &own, mapping).await?,
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
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .conversion(&state.db, id, ConversionNeed::Decide)
            .await?;
        Ok(Conversion(
            conversions::decide(state, access, decision.into(), comment).await?,
        ))
    }
}
