//! Credit policies and compliance (API.md "Policies", "Credit account and compliance").

use super::compliance::{ComplianceReport, ComplianceStatistics};
use super::ids::{self, Kind};
use super::regions::Region;
use super::scalars::Date;
use super::{enums, ContextExt};
use crate::auth::{RegionNeed, TeacherNeed};
use crate::error::AppError;
use crate::services::compliance as svc;
use crate::services::policies::{self, StoredPolicy};
use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use domain::codes::BUILT_IN_CATEGORIES;
use domain::region::RegionCode;
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
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .teacher(&state.db, id, TeacherNeed::Compliance)
            .await?;
        Ok(svc::of_access(state, &access, as_of, include_pending)
            .await?
            .into())
    }

    /// How many teachers of a region's subtree meet their requirements on `asOf` (default
    /// today; today's figures come from compliance snapshots); for the region admins over it.
    #[graphql(complexity = "crate::graphql::weights::COMPLIANCE_STATISTICS + child_complexity")]
    async fn compliance_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The GB/T 2260 code of the region whose subtree is evaluated.")]
        region_code: String,
        #[graphql(desc = "The day to evaluate; default today.")] as_of: Option<Date>,
        #[graphql(
            default,
            desc = "Evaluate every teacher from the ledger again (an audit) instead of aggregating snapshots (today) or serving a result computed in the last few minutes (another day)."
        )]
        fresh: bool,
    ) -> Result<ComplianceStatistics> {
        let code = parse_region("regionCode", &region_code)?;
        let as_of = as_of.map_or_else(|| ctx.state().map(|s| s.clock.today()), |d| Ok(d.0))?;
        let access = ctx.guard()?.region(&code, RegionNeed::Statistics)?;
        let stats =
            crate::services::statistics_cache::statistics(ctx.state()?, &access, as_of, fresh)
                .await?;
        Ok(ComplianceStatistics::new(region_code, Date(as_of), stats))
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
            policies::save(ctx.state()?, &ctx.guard()?.policy_author()?, &document.0).await?,
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
        let access = ctx.guard()?.region(&code, RegionNeed::AssignPolicy)?;
        policies::assign(state, &access, &policy_key, effective_from.0).await?;
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
