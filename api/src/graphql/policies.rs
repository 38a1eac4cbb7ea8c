//! Credit policies and compliance (API.md "Policies", "Credit account and compliance").

use super::ids::{self, Kind};
use super::ledger::CreditRecord;
use super::organisation::{Region, School};
use super::scalars::{Date, Decimal};
use super::{enums, ContextExt};
use crate::error::AppError;
use crate::services::compliance::{self as svc, TeacherCompliance};
use crate::services::policies::{self, StoredPolicy};
use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use chrono::Utc;
use domain::amount::Amount;
use domain::codes::BUILT_IN_CATEGORIES;
use domain::policy::{ComplianceReport as Report, RecordResult, RequirementResult};
use domain::region::RegionCode;
use rust_decimal::Decimal as RustDecimal;
use std::str::FromStr;

pub struct CreditPolicy(pub StoredPolicy);

/// A course and claim category as a policy names it.
#[derive(SimpleObject)]
pub struct PolicyCategory {
    /// The category key used on courses and records, e.g. INFORMATION.
    key: String,
    /// Its label under this policy, e.g. 信息技术应用能力.
    label: String,
}

/// A regional credit scheme as a validated policy document: how activities become credits,
/// the limits, and the requirements a teacher must meet per period. Each save of a key is a new
/// immutable version. Readable by any signed-in caller.
#[Object]
impl CreditPolicy {
    /// The policy's key (`shandong`, `weifang`…), shared by all its versions.
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// The scheme's name, e.g. 潍坊市中小学教师继续教育学分制管理规定.
    async fn name(&self) -> &str {
        &self.0.document.name
    }
    /// Versions count up from 1 per key; the latest is in force.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The policy document (see the README's "Credit policies" for the language).
    async fn document(&self) -> Json<serde_json::Value> {
        Json(self.0.json.clone())
    }
    /// Where the rules come from (the official document), as the policy's author noted it;
    /// null when not given.
    async fn source_note(&self) -> Option<&str> {
        self.0.document.source_note.as_deref()
    }
    /// Shipped inside the binary (one per seed scheme); only a SYSTEM_ADMIN may version it.
    async fn built_in(&self) -> bool {
        self.0.built_in
    }
    /// The built-in categories with the policy's own added or relabelled.
    async fn categories(&self) -> Vec<PolicyCategory> {
        let lang = crate::i18n::current();
        let mut out: Vec<PolicyCategory> = BUILT_IN_CATEGORIES
            .iter()
            .map(|(key, label)| PolicyCategory {
                key: (*key).to_owned(),
                label: crate::i18n::enum_label(lang, "Category", key)
                    .unwrap_or_else(|| (*label).to_owned()),
            })
            .collect();
        for c in &self.0.document.categories {
            let label = crate::i18n::render_arg(
                &crate::i18n::Arg::Label {
                    zh: c.label.clone(),
                    en: c.label_en.clone(),
                },
                lang,
            );
            match out.iter_mut().find(|o| o.key == c.key.as_str()) {
                Some(existing) => existing.label = label,
                None => out.push(PolicyCategory {
                    key: c.key.as_str().to_owned(),
                    label,
                }),
            }
        }
        out
    }
    /// The review chain a declared activity goes through under this policy.
    async fn review_steps(&self) -> Vec<enums::ReviewStep> {
        match &self.0.document.review {
            Some(r) => r.steps.iter().map(|s| (*s).into()).collect(),
            None => domain::codes::ReviewStep::ALL
                .iter()
                .map(|s| (*s).into())
                .collect(),
        }
    }
}

/// A problem found in a policy document.
#[derive(SimpleObject)]
pub struct PolicyError {
    /// JSON path of the bad field in the document, e.g. `rules[2].earn.perHour`.
    path: String,
    /// A stable code for the problem (REQUIRED, UNKNOWN_VALUE, OUT_OF_RANGE…).
    code: String,
    /// What is wrong, for a person to read.
    message: String,
}

/// One requirement of a compliance report, evaluated for the period.
#[derive(SimpleObject)]
pub struct Requirement {
    /// The requirement's key in the policy; an annual minimum's is `key:year` (`annual:2026`),
    /// a new hire's `key:year` too (`new-hire:2026`).
    key: String,
    /// What the requirement is, as the policy words it (with the year or dates it covers), e.g.
    /// 必修课10学分.
    label: String,
    /// What `required`, `counted` and `shortfall` count: CREDITS, or HOURS received as a trainee
    /// (such as 试用期培训不少于120学时).
    unit: RequirementUnit,
    /// The minimum to reach (scaled down for a teacher hired during the cycle), in `unit`.
    required: Decimal,
    /// What the teacher's records count toward it.
    counted: Decimal,
    /// What is still missing: `required - counted`, never below 0.
    shortfall: Decimal,
    /// Whether the minimum is met.
    satisfied: bool,
    /// Set for an annual minimum.
    year: Option<i32>,
    /// Set when the requirement counts only credits of this one training level; null otherwise.
    level: Option<enums::TrainingLevel>,
    /// Set when the requirement counts only what was earned at this level or above (县级及以上);
    /// null otherwise.
    min_level: Option<enums::TrainingLevel>,
    /// Set when the requirement counts only credits of this one category; null otherwise.
    category: Option<String>,
    /// Set when the requirement counts only compulsory (true) or only elective (false) credits.
    compulsory: Option<bool>,
}

/// What a compliance requirement counts.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementUnit {
    /// Credits, as the policy's rules price the records.
    Credits,
    /// Class hours received as a trainee: attended where the record says, the course's hours
    /// otherwise; hours taught as an instructor do not count.
    Hours,
}

impl From<domain::policy::RequirementUnit> for RequirementUnit {
    fn from(u: domain::policy::RequirementUnit) -> Self {
        match u {
            domain::policy::RequirementUnit::Credits => Self::Credits,
            domain::policy::RequirementUnit::Hours => Self::Hours,
        }
    }
}

impl From<RequirementResult> for Requirement {
    fn from(r: RequirementResult) -> Self {
        Self {
            key: r.key,
            label: crate::i18n::say(&r.label_text),
            unit: r.unit.into(),
            min_level: r.min_level.map(Into::into),
            required: Decimal(r.required),
            counted: Decimal(r.counted),
            shortfall: Decimal(r.shortfall),
            satisfied: r.satisfied,
            year: r.year,
            level: r.level.map(Into::into),
            category: r.category.map(|c| c.as_str().to_owned()),
            compulsory: r.compulsory,
        }
    }
}

/// Credits of one record assigned to one requirement.
#[derive(SimpleObject)]
pub struct Allocation {
    /// The `Requirement.key` the credits went to.
    requirement_key: String,
    /// How many of the record's credits went there.
    credits: Decimal,
}

/// Why a record counts less than its credits, or how it was counted.
#[derive(SimpleObject)]
pub struct ComplianceNote {
    /// Stable: CAP_REACHED, SHARE_LIMIT, ABSENCE, NOT_PASSED, OUT_OF_PERIOD, NOT_CERTIFIED,
    /// NOT_APPROVED, HIGHER_LEVEL_COUNTED, ALREADY_COUNTED, CATEGORY_NOT_ACCEPTED,
    /// ONLY_FILLS_SHORTFALL, NO_RULE, LEVEL_NOT_ACCEPTED, BELOW_THRESHOLD, MISSING_FACT, MADE_UP,
    /// PENDING_INCLUDED, AWAITING_RECOGNITION, NOT_RECOGNISED.
    code: String,
    /// The reason in words, in the request's language.
    message: String,
}

pub struct ComplianceRecord {
    result: RecordResult,
    record: Option<CreditRecord>,
}

/// How one of the teacher's records counted in a compliance report.
#[Object]
impl ComplianceRecord {
    /// The ledger record evaluated.
    async fn record(&self) -> Option<&CreditRecord> {
        self.record.as_ref()
    }
    /// The rule of the policy that priced the record.
    async fn rule(&self) -> Option<&str> {
        self.result.rule.as_deref()
    }
    /// What the record earns under this policy (re-denominated from its facts).
    async fn credits(&self) -> Decimal {
        Decimal(self.result.credits)
    }
    /// What of it counts toward this period's requirements.
    async fn counted(&self) -> Decimal {
        Decimal(self.result.counted)
    }
    /// Which requirements its counted credits went to; empty when nothing counted.
    async fn allocations(&self) -> Vec<Allocation> {
        self.result
            .allocations
            .iter()
            .map(|a| Allocation {
                requirement_key: a.requirement_key.clone(),
                credits: Decimal(a.credits),
            })
            .collect()
    }
    /// Every reason it counted less than its credits (or how it was counted), each with a
    /// stable code.
    async fn notes(&self) -> Vec<ComplianceNote> {
        self.result
            .notes
            .iter()
            .map(|n| ComplianceNote {
                code: n.code.to_owned(),
                message: crate::i18n::say(&n.text),
            })
            .collect()
    }
}

pub struct ComplianceReport {
    policy: StoredPolicy,
    report: Report,
    records: std::collections::HashMap<uuid::Uuid, entities::credit_records::Model>,
}

impl From<TeacherCompliance> for ComplianceReport {
    fn from(c: TeacherCompliance) -> Self {
        Self {
            policy: c.policy,
            report: c.report,
            records: c.records,
        }
    }
}

/// A teacher's progress toward the requirements of the period (cycle or year) containing
/// `asOf`, under the policy in force for the teacher's current school on that day. Every record
/// is re-priced from its facts under that policy, so each figure can be explained. For the
/// teacher and the admins over it; never a provider, which sees only part of the ledger.
#[Object]
impl ComplianceReport {
    /// The policy the report was evaluated under.
    async fn policy(&self) -> CreditPolicy {
        CreditPolicy(self.policy.clone())
    }
    /// The first day of the period evaluated.
    async fn period_start(&self) -> Date {
        Date(self.report.period_start)
    }
    /// The last day of the period evaluated (inclusive).
    async fn period_end(&self) -> Date {
        Date(self.report.period_end)
    }
    /// Whether every requirement is satisfied.
    async fn satisfied(&self) -> bool {
        self.report.satisfied
    }
    /// Credits counted toward the period's requirements, all records together.
    async fn total_counted(&self) -> Decimal {
        Decimal(self.report.total_counted)
    }
    /// Each requirement that binds the teacher in the period, with what counts toward it.
    async fn requirements(&self) -> Vec<Requirement> {
        self.report
            .requirements
            .iter()
            .cloned()
            .map(Into::into)
            .collect()
    }
    /// Every activity record of the teacher, in date order, with what it counted and why.
    async fn records(&self) -> Vec<ComplianceRecord> {
        self.report
            .records
            .iter()
            .map(|r| ComplianceRecord {
                record: self.records.get(&r.record_id).cloned().map(CreditRecord),
                result: r.clone(),
            })
            .collect()
    }
}

/// Compliance figures of one school.
#[derive(SimpleObject)]
pub struct SchoolCompliance {
    /// The school.
    school: School,
    /// Its teachers evaluated.
    teachers: u64,
    /// Those satisfying every requirement.
    compliant: u64,
    /// compliant / teachers, to four places; 0 when there are no teachers.
    rate: Decimal,
}

/// How many teachers of a region's subtree meet their requirements on a day (monitoring).
#[derive(SimpleObject)]
pub struct ComplianceStatistics {
    /// The region asked about (GB/T 2260 code); its whole subtree is counted.
    region_code: String,
    /// The day evaluated.
    as_of: Date,
    /// Teachers evaluated: every teacher of a school in the subtree.
    teachers: u64,
    /// Teachers satisfying every requirement of their period on `asOf`.
    compliant: u64,
    /// compliant / teachers, to four places; 0 when there are no teachers.
    rate: Decimal,
    /// Teachers whose region has no policy in force on the day; counted, never compliant.
    without_policy: u64,
    /// By school name (a directory, not a history).
    by_school: Vec<SchoolCompliance>,
    /// When these figures were computed: results are served from the cache for a few minutes
    /// (`STATISTICS_TTL_SECONDS`) unless `fresh: true` is asked.
    computed_at: chrono::DateTime<Utc>,
}

fn rate(compliant: u64, teachers: u64) -> Decimal {
    if teachers == 0 {
        return Decimal(Amount::ZERO);
    }
    Decimal(Amount::round_credits(
        RustDecimal::from(compliant) / RustDecimal::from(teachers),
    ))
}

fn parse_region(field: &str, code: &str) -> Result<RegionCode, AppError> {
    RegionCode::from_str(code).map_err(|e| AppError::bad_input(field, e))
}

#[derive(Default)]
pub struct PolicyQuery;

#[Object]
impl PolicyQuery {
    /// The latest version of every policy, by key.
    #[graphql(cache_control(max_age = 300))]
    async fn credit_policies(&self, ctx: &Context<'_>) -> Result<Vec<CreditPolicy>> {
        ctx.guard()?;
        Ok(policies::list(ctx.state()?)
            .await?
            .into_iter()
            .map(CreditPolicy)
            .collect())
    }

    /// The latest version of one policy; null when no policy has that key.
    #[graphql(cache_control(max_age = 300))]
    async fn credit_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The policy's key, e.g. \"shandong\".")] key: String,
    ) -> Result<Option<CreditPolicy>> {
        ctx.guard()?;
        Ok(policies::latest(ctx.state()?, &key)
            .await?
            .map(CreditPolicy))
    }

    /// Every problem of a document, each with its JSON path; empty when it is valid.
    async fn validate_credit_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A policy document (the README's \"Credit policies\" language); nothing is saved."
        )]
        document: Json<serde_json::Value>,
    ) -> Result<Vec<PolicyError>> {
        ctx.guard()?;
        Ok(policies::validate(&document.0)
            .into_iter()
            .map(|e| PolicyError {
                path: e.path,
                code: e.code.to_owned(),
                message: e.message,
            })
            .collect())
    }

    /// A teacher's compliance on `asOf` (default today) under the policy in force for them;
    /// `NOT_FOUND` when no policy is in force for the teacher's region on that day.
    #[graphql(complexity = "crate::graphql::weights::COMPLIANCE + child_complexity")]
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher to evaluate.")] teacher_id: ID,
        #[graphql(
            desc = "The day to evaluate; its period (cycle or year) is reported. Default today."
        )]
        as_of: Option<Date>,
        #[graphql(
            default = false,
            desc = "Count claims still under review as if certified (a forecast; noted PENDING_INCLUDED)."
        )]
        include_pending: bool,
    ) -> Result<ComplianceReport> {
        let id = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let as_of = as_of.map_or_else(|| ctx.state().map(|s| s.clock.today()), |d| Ok(d.0))?;
        Ok(
            svc::for_teacher(ctx.state()?, &ctx.guard()?, id, as_of, include_pending)
                .await?
                .into(),
        )
    }

    /// Every teacher of a region's subtree evaluated on `asOf` (default today); for the region
    /// admins over the region.
    #[graphql(complexity = "crate::graphql::weights::COMPLIANCE_STATISTICS + child_complexity")]
    async fn compliance_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The GB/T 2260 code of the region whose subtree is evaluated.")]
        region_code: String,
        #[graphql(desc = "The day to evaluate; default today.")] as_of: Option<Date>,
        #[graphql(
            default,
            desc = "Recompute instead of serving a result computed in the last few minutes."
        )]
        fresh: bool,
    ) -> Result<ComplianceStatistics> {
        let code = parse_region("regionCode", &region_code)?;
        let as_of = as_of.map_or_else(|| ctx.state().map(|s| s.clock.today()), |d| Ok(d.0))?;
        let stats = crate::services::statistics_cache::statistics(
            ctx.state()?,
            &ctx.guard()?,
            &code,
            as_of,
            fresh,
        )
        .await?;
        Ok(ComplianceStatistics {
            region_code,
            as_of: Date(as_of),
            teachers: stats.teachers,
            compliant: stats.compliant,
            rate: rate(stats.compliant, stats.teachers),
            without_policy: stats.without_policy,
            computed_at: stats.computed_at,
            by_school: stats
                .by_school
                .into_iter()
                .map(|s| SchoolCompliance {
                    rate: rate(s.compliant, s.teachers),
                    teachers: s.teachers,
                    compliant: s.compliant,
                    school: School(s.school),
                })
                .collect(),
        })
    }
}

#[derive(Default)]
pub struct PolicyMutation;

#[Object]
impl PolicyMutation {
    /// Saves a new version of a policy (region or system administrators). Only the owner
    /// region's admins may version a key, only a SYSTEM_ADMIN a built-in one; an invalid
    /// document is `BAD_USER_INPUT` with `extensions.field` = `document.<path>`.
    async fn save_credit_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The policy document; its `key` names the policy to version.")]
        document: Json<serde_json::Value>,
    ) -> Result<CreditPolicy> {
        Ok(CreditPolicy(
            policies::save(ctx.state()?, &ctx.guard()?, &document.0).await?,
        ))
    }

    /// Puts a policy in force for a region's subtree from `effectiveFrom` on: a built-in policy
    /// anywhere, a saved one only within its owner region's subtree (`NOT_IN_SCOPE` otherwise).
    /// Answers the region, whose `effectivePolicy` shows the result.
    async fn assign_credit_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The GB/T 2260 code of the region; the caller must administer it.")]
        region_code: String,
        #[graphql(
            desc = "The policy to put in force; its latest version applies, also after later saves."
        )]
        policy_key: String,
        #[graphql(desc = "The first day the policy is in force there.")] effective_from: Date,
    ) -> Result<Region> {
        let code = parse_region("regionCode", &region_code)?;
        let state = ctx.state()?;
        policies::assign(state, &ctx.guard()?, &code, &policy_key, effective_from.0).await?;
        Ok(state
            .regions
            .get(&code)
            .cloned()
            .map(Region)
            .ok_or_else(|| AppError::not_found("region"))?)
    }
}

/// `Region.effectivePolicy` and `Teacher.compliance` resolve through these.
pub async fn effective_policy(
    ctx: &Context<'_>,
    region: &RegionCode,
    on: Option<Date>,
) -> Result<Option<CreditPolicy>> {
    ctx.guard()?;
    let on = on.map_or_else(|| ctx.state().map(|s| s.clock.today()), |d| Ok(d.0))?;
    Ok(policies::effective(ctx.state()?, region, on)
        .await?
        .map(CreditPolicy))
}
