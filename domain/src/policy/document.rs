//! The policy language: a credit scheme written as data.
//!
//! A document says how an activity's facts become credits (`rules`), when an activity earns
//! nothing (`conditions`), how much of a kind may count (`limits`), what a teacher must reach
//! (`requirements`) and which requirement's surplus may fill which other's shortfall
//! (`substitutions`). The README's "Credit policies" section is the user-facing reference; the
//! seven built-in documents in `domain/policies/` are worked examples, one per seed scheme.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ratio::Ratio;
use crate::amount::Amount;
use crate::codes::{
    ActivityKind, CategoryKey, Modality, ParticipationRole, ReviewStep, TrainingLevel,
};

mod limit;
mod requirement;

pub use limit::{Limit, LimitMode, Window};
pub use requirement::{Requirement, RequirementUnit, Substitution};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyDocument {
    /// Stable key, lower-case letters, digits and `-` (`shandong-ab`).
    pub key: String,
    pub name: String,
    /// Where the rules come from (seed, article), shown to administrators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
    #[serde(default)]
    pub period: PeriodSpec,
    /// Categories this policy adds to (or relabels among) the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryDef>,
    #[serde(default)]
    pub conditions: Conditions,
    /// Which hours a per-hour rule prices for a trainee, unless the rule says: the course's
    /// (default) or those attended (seed 003: "根据实际参训学时计算学分").
    #[serde(default, skip_serializing_if = "HoursBasis::is_course")]
    pub hours_basis: HoursBasis,
    /// Conversion rules, tried in order: the first whose `when` matches an activity prices it.
    pub rules: Vec<Rule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<Limit>,
    pub requirements: Vec<Requirement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub substitutions: Vec<Substitution>,
    /// Which records need the recognition of the teacher's region before they count.
    #[serde(default, skip_serializing_if = "Recognition::is_default")]
    pub recognition: Recognition,
    /// The review chain a declared activity goes through; the full chain when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CategoryDef {
    pub key: CategoryKey,
    pub label: String,
    /// The label in English, shown to English readers (the Chinese `label` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PeriodKind {
    /// Several years evaluated together, with optional annual minimums.
    Cycle,
    /// Each year stands alone: credits do not carry over.
    Year,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeriodSpec {
    pub kind: PeriodKind,
    /// Length of a cycle in years (ignored for `YEAR`).
    #[serde(default = "default_years")]
    pub years: u32,
    /// A year in which a cycle starts; cycles repeat every `years` from it.
    #[serde(default = "default_anchor")]
    pub anchor_year: i32,
    /// First month of the period's years: 1 for calendar years, 9 for academic years.
    #[serde(default = "default_month")]
    pub start_month: u32,
    /// Whether a teacher with a make-up allowance (leave, Shandong art. 21) may count activities
    /// earned after a year's end, up to the allowance's deadline, toward that year.
    #[serde(default)]
    pub make_up: bool,
    /// Teachers hired during a cycle (seed 004, Weifang art. 13: "the remaining years of the
    /// cycle"): `PRO_RATA` scales the cycle's requirements to the years left from the hire year
    /// and owes no annual minimum before it; `FULL` holds them to the whole cycle.
    #[serde(default, skip_serializing_if = "NewHires::is_pro_rata")]
    pub new_hires: NewHires,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NewHires {
    #[default]
    ProRata,
    Full,
}

impl NewHires {
    fn is_pro_rata(&self) -> bool {
        *self == NewHires::ProRata
    }
}

fn default_years() -> u32 {
    5
}
fn default_anchor() -> i32 {
    2021
}
fn default_month() -> u32 {
    1
}

impl Default for PeriodSpec {
    fn default() -> Self {
        Self {
            kind: PeriodKind::Cycle,
            years: default_years(),
            anchor_year: default_anchor(),
            start_month: default_month(),
            make_up: false,
            new_hires: NewHires::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Conditions {
    /// A failed assessment earns nothing.
    #[serde(default = "yes")]
    pub require_passed: bool,
    /// Too much absence earns nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absence: Option<AbsenceRule>,
    /// A course completion must come from an approved course in the catalogue.
    #[serde(default)]
    pub require_approved_course: bool,
}

fn yes() -> bool {
    true
}

impl Default for Conditions {
    fn default() -> Self {
        Self {
            require_passed: true,
            absence: None,
            require_approved_course: false,
        }
    }
}

/// Absence is the share of a course's hours not attended. The credit is lost when the share is
/// over `limit`, or at `limit` already when `inclusive` (Wuhan: "1/5 or more").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AbsenceRule {
    pub limit: Ratio,
    #[serde(default)]
    pub inclusive: bool,
}

/// Which activities something applies to. Every list that is present must contain the
/// activity's value; an empty or absent list matches anything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Match {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<ActivityKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<TrainingLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<TrainingLevel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modalities: Vec<Modality>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<ParticipationRole>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compulsory: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prizes: Vec<String>,
    /// Keys of the conversion rules that priced the activity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// At least this many hours (course hours, or taught hours for an instructor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_hours: Option<Amount>,
    /// At least this many months (off-duty training "over a month").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_months: Option<i32>,
    /// At least this many days (the same training given in days: Suzhou art. 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_days: Option<i32>,
    /// At least this assessment score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default)]
    pub when: Match,
    pub earn: Earn,
    /// Overrides the document's `hoursBasis` for this rule; only for a rule that prices hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_basis: Option<HoursBasis>,
    /// Applied in order to the earned amount when their `when` matches (instructors ×2, a
    /// better result earns more per hour).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multipliers: Vec<Multiplier>,
    /// Requirements (of a pool) this rule's credits may fill although their own facts do not
    /// match them: a higher degree fills ethics and knowledge; teaching support fills district
    /// credits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fills: Vec<String>,
}

/// Which hours a rule prices for a trainee. An instructor is always priced on the hours taught.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HoursBasis {
    /// The course's hours: what a completed course is worth.
    #[default]
    Course,
    /// The hours attended, never more than the course's; the course's hours when the record
    /// does not say (a claim). Seed 003 registers credits "根据…实际出勤情况".
    Attended,
}

impl HoursBasis {
    pub fn is_course(&self) -> bool {
        *self == HoursBasis::Course
    }
}

/// How an activity's facts become credits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Earn {
    /// Credits per hour (course hours; taught hours for an instructor).
    PerHour(Amount),
    /// Hours that make one credit ("10 hours = 1 credit"), exact where a rate would not be.
    HoursPerCredit(Amount),
    Fixed(Amount),
    /// A fixed amount by training level; a level not listed earns nothing.
    ByLevel(BTreeMap<TrainingLevel, Amount>),
    PerDay(Amount),
    PerMonth(Amount),
    /// The credits of the highest row whose threshold the fact reaches.
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Table {
    pub fact: Fact,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Fact {
    Hours,
    Days,
    Months,
    Words,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TableRow {
    pub at_least: Amount,
    pub credits: Amount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Multiplier {
    #[serde(default)]
    pub when: Match,
    pub factor: Amount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReviewSpec {
    pub steps: Vec<ReviewStep>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Recognition {
    /// Records earned in another province count only once an admin of the teacher's region
    /// has accepted them (seed 000 item 9; Shandong credits are valid province-wide, art. 6).
    #[serde(default)]
    pub outside_province: bool,
}

impl Recognition {
    fn is_default(&self) -> bool {
        !self.outside_province
    }
}
