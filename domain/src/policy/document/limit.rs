//! Limits in a policy document: caps per kind or group, one-only items and shares of the total.

use serde::{Deserialize, Serialize};

use super::Match;
use crate::amount::Amount;
use crate::policy::ratio::Ratio;
use crate::policy::teacher::AppliesTo;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Window {
    /// The whole evaluated period.
    Cycle,
    /// Each calendar year.
    Year,
    /// Each academic year, September to August.
    AcademicYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitMode {
    /// The matching credits count up to `max`, earliest first.
    Sum,
    /// Only the best matching activity counts ("only the highest level, once").
    HighestOnly,
    /// Only the first matching activity counts ("taking part is not counted twice").
    Once,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Limit {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The label in English, shown to English readers (the Chinese `label` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    #[serde(default)]
    pub when: Match,
    #[serde(default = "sum")]
    pub mode: LimitMode,
    /// The cap for `SUM`; for `HIGHEST_ONLY` and `ONCE` an optional cap on the one activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Amount>,
    /// At most this share of all counted credits ("public subjects at most 1/3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_share: Option<Ratio>,
    #[serde(default = "cycle")]
    pub per: Window,
    /// Binds the limit to some teachers and a stretch of their time, as a requirement's
    /// `appliesTo` does: a programme's value is capped where the seed prices the programme as a
    /// whole (Shinan: a new teacher's first year of service is 72 credits however it is split).
    /// Records outside the stretch are not limited by it.
    #[serde(default, skip_serializing_if = "AppliesTo::is_everyone")]
    pub applies_to: AppliesTo,
}

fn sum() -> LimitMode {
    LimitMode::Sum
}
fn cycle() -> Window {
    Window::Cycle
}
