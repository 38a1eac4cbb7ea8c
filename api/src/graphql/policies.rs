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

#[derive(SimpleObject)]
pub struct PolicyCategory {
    key: String,
    label: String,
}

#[Object]
impl CreditPolicy {
    async fn key(&self) -> &str {
        &self.0.key
    }
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
    async fn source_note(&self) -> Option<&str> {
        self.0.document.source_note.as_deref()
    }
    async fn built_in(&self) -> bool {
        self.0.built_in
    }
    /// The built-in categories with the policy's own added or relabelled.
    async fn categories(&self) -> Vec<PolicyCategory> {
        let mut out: Vec<PolicyCategory> = BUILT_IN_CATEGORIES
            .iter()
            .map(|(key, label)| PolicyCategory {
                key: (*key).to_owned(),
                label: (*label).to_owned(),
            })
            .collect();
        for c in &self.0.document.categories {
            match out.iter_mut().find(|o| o.key == c.key.as_str()) {
                Some(existing) => existing.label = c.label.clone(),
                None => out.push(PolicyCategory {
                    key: c.key.as_str().to_owned(),
                    label: c.label.clone(),
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

#[derive(SimpleObject)]
pub struct PolicyError {
    /// JSON path of the bad field in the document, e.g. `rules[2].earn.perHour`.
    path: String,
    code: String,
    message: String,
}

#[derive(SimpleObject)]
pub struct Requirement {
    key: String,
    label: String,
    required: Decimal,
    counted: Decimal,
    shortfall: Decimal,
    satisfied: bool,
    /// Set for an annual minimum.
    year: Option<i32>,
    level: Option<enums::TrainingLevel>,
    category: Option<String>,
    compulsory: Option<bool>,
}

impl From<RequirementResult> for Requirement {
    fn from(r: RequirementResult) -> Self {
        Self {
            key: r.key,
            label: r.label,
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

#[derive(SimpleObject)]
pub struct Allocation {
    requirement_key: String,
    credits: Decimal,
}

#[derive(SimpleObject)]
pub struct ComplianceNote {
    /// Stable: CAP_REACHED, SHARE_LIMIT, ABSENCE, NOT_PASSED, OUT_OF_PERIOD, NOT_CERTIFIED,
    /// NOT_APPROVED, HIGHER_LEVEL_COUNTED, ALREADY_COUNTED, CATEGORY_NOT_ACCEPTED,
    /// ONLY_FILLS_SHORTFALL, NO_RULE, LEVEL_NOT_ACCEPTED, BELOW_THRESHOLD, MISSING_FACT, MADE_UP,
    /// PENDING_INCLUDED, AWAITING_RECOGNITION, NOT_RECOGNISED.
    code: String,
    message: String,
}

pub struct ComplianceRecord {
    result: RecordResult,
    record: Option<CreditRecord>,
}

#[Object]
impl ComplianceRecord {
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
    async fn notes(&self) -> Vec<ComplianceNote> {
        self.result
            .notes
            .iter()
            .map(|n| ComplianceNote {
                code: n.code.to_owned(),
                message: n.message.clone(),
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

#[Object]
impl ComplianceReport {
    async fn policy(&self) -> CreditPolicy {
        CreditPolicy(self.policy.clone())
    }
    async fn period_start(&self) -> Date {
        Date(self.report.period_start)
    }
    async fn period_end(&self) -> Date {
        Date(self.report.period_end)
    }
    async fn satisfied(&self) -> bool {
        self.report.satisfied
    }
    async fn total_counted(&self) -> Decimal {
        Decimal(self.report.total_counted)
    }
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

#[derive(SimpleObject)]
pub struct SchoolCompliance {
    school: School,
    teachers: u64,
    compliant: u64,
    rate: Decimal,
}

#[derive(SimpleObject)]
pub struct ComplianceStatistics {
    region_code: String,
    as_of: Date,
    teachers: u64,
    compliant: u64,
    /// compliant / teachers, to four places; 0 when there are no teachers.
    rate: Decimal,
    /// Teachers whose region has no policy in force on the day; counted, never compliant.
    without_policy: u64,
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
    /// The latest version of every policy.
    async fn credit_policies(&self, ctx: &Context<'_>) -> Result<Vec<CreditPolicy>> {
        ctx.guard()?;
        Ok(policies::list(ctx.state()?)
            .await?
            .into_iter()
            .map(CreditPolicy)
            .collect())
    }

    async fn credit_policy(&self, ctx: &Context<'_>, key: String) -> Result<Option<CreditPolicy>> {
        ctx.guard()?;
        Ok(policies::latest(ctx.state()?, &key)
            .await?
            .map(CreditPolicy))
    }

    /// Every problem of a document, each with its JSON path; empty when it is valid.
    async fn validate_credit_policy(
        &self,
        ctx: &Context<'_>,
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

    /// A teacher's compliance on `asOf` (default today) under the policy in force for them.
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        teacher_id: ID,
        as_of: Option<Date>,
        #[graphql(default = false)] include_pending: bool,
    ) -> Result<ComplianceReport> {
        let id = ids::decode("teacherId", Kind::Teacher, &teacher_id)?;
        let as_of = as_of.map_or_else(|| ctx.state().map(|s| s.clock.today()), |d| Ok(d.0))?;
        Ok(
            svc::for_teacher(ctx.state()?, &ctx.guard()?, id, as_of, include_pending)
                .await?
                .into(),
        )
    }

    /// Every teacher of a region's subtree evaluated on `asOf` (default today).
    async fn compliance_statistics(
        &self,
        ctx: &Context<'_>,
        region_code: String,
        as_of: Option<Date>,
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
    /// Saves a new version of a policy (region or system administrators).
    async fn save_credit_policy(
        &self,
        ctx: &Context<'_>,
        document: Json<serde_json::Value>,
    ) -> Result<CreditPolicy> {
        Ok(CreditPolicy(
            policies::save(ctx.state()?, &ctx.guard()?, &document.0).await?,
        ))
    }

    /// Puts a policy in force for a region's subtree from `effectiveFrom` on.
    async fn assign_credit_policy(
        &self,
        ctx: &Context<'_>,
        region_code: String,
        policy_key: String,
        effective_from: Date,
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
