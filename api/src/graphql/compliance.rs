//! Compliance as GraphQL reads it: a teacher's report (requirements, records with their
//! allocations and notes) and a region's statistics. Resolved by `compliance` and
//! `complianceStatistics` in [`super::policies`].

use super::enums;
use super::ledger::CreditRecord;
use super::organisation::School;
use super::policies::CreditPolicy;
use super::regions::Region;
use super::scalars::{Date, Decimal};
use crate::services::compliance::TeacherCompliance;
use crate::services::policies::StoredPolicy;
use crate::services::statistics::Statistics;
use async_graphql::{Object, SimpleObject};
use chrono::Utc;
use domain::amount::Amount;
use domain::policy::{ComplianceReport as Report, RecordResult, RequirementResult};
use rust_decimal::Decimal as RustDecimal;

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
    pub(super) school: School,
    /// Its teachers evaluated.
    pub(super) teachers: u64,
    /// Those satisfying every requirement.
    pub(super) compliant: u64,
    /// compliant / teachers, to four places; 0 when there are no teachers.
    pub(super) rate: Decimal,
}

/// Compliance figures of one child region of the region asked about, its whole subtree.
#[derive(SimpleObject)]
pub struct RegionCompliance {
    /// The child region.
    region: Region,
    /// Teachers of its schools (its whole subtree) counted.
    teachers: u64,
    /// Those satisfying every requirement.
    compliant: u64,
    /// compliant / teachers, to four places; 0 when there are no teachers.
    rate: Decimal,
}

/// How many teachers of a region's subtree meet their requirements on a day (monitoring).
///
/// For today (`asOf` omitted or today, `fresh` false) the figures are aggregated from each
/// teacher's compliance snapshot, which every change that can alter the outcome marks for
/// re-evaluation in its own transaction; the snapshot worker evaluates marked teachers within
/// about a second. While `snapshotBacklog` is not zero the figures hold each marked teacher's
/// outcome as last evaluated (before the change, at the school it was evaluated at), and
/// teachers never evaluated yet are counted in the backlog only. Another day, or
/// `fresh: true`, evaluates every teacher from the ledger again.
#[derive(SimpleObject)]
pub struct ComplianceStatistics {
    /// The region asked about (GB/T 2260 code); its whole subtree is counted.
    region_code: String,
    /// The day evaluated.
    as_of: Date,
    /// Teachers counted: every teacher of a school in the subtree (from snapshots: every
    /// teacher evaluated at least once).
    teachers: u64,
    /// Teachers satisfying every requirement of their period on `asOf`.
    compliant: u64,
    /// compliant / teachers, to four places; 0 when there are no teachers.
    rate: Decimal,
    /// Teachers whose region has no policy in force on the day; counted, never compliant.
    without_policy: u64,
    /// By school name (a directory, not a history).
    by_school: Vec<SchoolCompliance>,
    /// The region's children by code, each with its whole subtree; schools placed in the
    /// region itself belong to none. Empty for a region without children.
    by_region: Vec<RegionCompliance>,
    /// Teachers of the subtree marked for (re-)evaluation whose snapshot is not current yet,
    /// including those never evaluated; 0 when the figures were recomputed (`fresh`, another
    /// day). Progress of a policy change across a province.
    snapshot_backlog: u64,
    /// When these figures were computed: today's from snapshots at the moment asked; another
    /// day's are served from the cache for a few minutes (`STATISTICS_TTL_SECONDS`) unless
    /// `fresh: true` is asked.
    computed_at: chrono::DateTime<Utc>,
}

impl ComplianceStatistics {
    pub(super) fn new(region_code: String, as_of: Date, stats: Statistics) -> Self {
        Self {
            region_code,
            as_of,
            teachers: stats.teachers,
            compliant: stats.compliant,
            rate: rate(stats.compliant, stats.teachers),
            without_policy: stats.without_policy,
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
            by_region: stats
                .by_region
                .into_iter()
                .map(|r| RegionCompliance {
                    rate: rate(r.compliant, r.teachers),
                    teachers: r.teachers,
                    compliant: r.compliant,
                    region: Region(r.region),
                })
                .collect(),
            snapshot_backlog: stats.snapshot_backlog,
            computed_at: stats.computed_at,
        }
    }
}

pub(super) fn rate(compliant: u64, teachers: u64) -> Decimal {
    if teachers == 0 {
        return Decimal(Amount::ZERO);
    }
    Decimal(Amount::round_credits(
        RustDecimal::from(compliant) / RustDecimal::from(teachers),
    ))
}
