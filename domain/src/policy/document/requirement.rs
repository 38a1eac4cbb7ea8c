//! Requirements in a policy document — what a teacher must reach — and the substitutions that
//! let one requirement's credits fill another's shortfall.

use serde::{Deserialize, Serialize};

use super::Match;
use crate::amount::Amount;
use crate::policy::teacher::AppliesTo;

/// What a requirement counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RequirementUnit {
    /// Credits, as the rules priced them (after conditions and limits).
    #[default]
    Credits,
    /// Class hours received as a trainee ("试用期培训不少于120学时"): the hours attended where
    /// the record says, the course's hours otherwise, of every admitted trainee record it
    /// matches. Instructors' hours are given, not received, and count nothing here.
    Hours,
}

impl RequirementUnit {
    pub fn is_credits(&self) -> bool {
        *self == RequirementUnit::Credits
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Requirement {
    pub key: String,
    pub label: String,
    /// The label in English, shown to English readers (the Chinese `label` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    pub min: Amount,
    /// Credits (the default) or hours received; an hour requirement takes no `pool`.
    #[serde(default, skip_serializing_if = "RequirementUnit::is_credits")]
    pub unit: RequirementUnit,
    #[serde(default)]
    pub when: Match,
    /// An annual minimum: one requirement per year of the period, each over that year's credits.
    #[serde(default)]
    pub each_year: bool,
    /// Requirements of one pool share the credits: each credit counts toward one of them, and
    /// only `substitutions` (and rules' `fills`) let one's credits fill another. Requirements
    /// without a pool see every matching credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Which teachers the requirement binds (every teacher when absent).
    #[serde(default, skip_serializing_if = "AppliesTo::is_everyone")]
    pub applies_to: AppliesTo,
}

/// Credits may fill requirement `to`'s shortfall (one way) when they match requirement `from`,
/// or — where no requirement describes them — when their facts match `when` (seed 000: municipal
/// literacy credits fill the district literacy shortfall, and there is no municipal literacy
/// requirement to start from). Exactly one of `from` and `when` is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Substitution {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Match>,
    pub to: String,
}
