//! What a compliance evaluation answers: every requirement and every record, explained.

use chrono::NaiveDate;
use uuid::Uuid;

use super::document::RequirementUnit;
use crate::amount::Amount;
use crate::codes::{CategoryKey, TrainingLevel};
use crate::text::Text;

#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceReport {
    pub policy_key: String,
    pub policy_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub satisfied: bool,
    pub total_counted: Amount,
    pub requirements: Vec<RequirementResult>,
    /// Every record given, in date order, with what it counted and why not more.
    pub records: Vec<RecordResult>,
}

/// The figures of a [`ComplianceReport`] without its records: what a snapshot keeps
/// (`PolicyDocument::evaluate_totals`).
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceTotals {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub satisfied: bool,
    pub total_counted: Amount,
    pub requirements: Vec<RequirementResult>,
}

impl ComplianceReport {
    /// The report's figures, as `evaluate_totals` gives them.
    pub fn totals(&self) -> ComplianceTotals {
        ComplianceTotals {
            period_start: self.period_start,
            period_end: self.period_end,
            satisfied: self.satisfied,
            total_counted: self.total_counted,
            requirements: self.requirements.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequirementResult {
    /// The requirement's key; an annual minimum's is `key:year` (`annual:2026`).
    pub key: String,
    /// The document's (Chinese) label with the instance's span, for logs and tests.
    pub label: String,
    /// What users read: the label in their language (`labelEn` where the document gives it)
    /// with the span (`requirement_label.*`).
    pub label_text: Text,
    /// Whether `required`, `counted` and `shortfall` are credits or hours received.
    pub unit: RequirementUnit,
    pub required: Amount,
    pub counted: Amount,
    pub shortfall: Amount,
    pub satisfied: bool,
    pub year: Option<i32>,
    pub level: Option<TrainingLevel>,
    /// Set when the requirement counts only what was earned at this level or above.
    pub min_level: Option<TrainingLevel>,
    pub category: Option<CategoryKey>,
    pub compulsory: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordResult {
    pub record_id: Uuid,
    /// The rule that priced the record under this policy.
    pub rule: Option<String>,
    /// What the record earns under this policy.
    pub credits: Amount,
    /// What of it counts toward this period's requirements.
    pub counted: Amount,
    pub allocations: Vec<Allocation>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub requirement_key: String,
    pub credits: Amount,
}

/// Why a record counts less than its credits (or how it was counted), with a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub code: &'static str,
    /// In English, for logs and tests.
    pub message: String,
    /// What users read (key `notes.*`, with the note's values as arguments).
    pub text: Text,
}

/// The stable note codes.
pub mod codes {
    pub const NO_RULE: &str = "NO_RULE";
    pub const NOT_CERTIFIED: &str = "NOT_CERTIFIED";
    pub const OUT_OF_PERIOD: &str = "OUT_OF_PERIOD";
    pub const NOT_PASSED: &str = "NOT_PASSED";
    pub const ABSENCE: &str = "ABSENCE";
    pub const NOT_APPROVED: &str = "NOT_APPROVED";
    pub const CAP_REACHED: &str = "CAP_REACHED";
    pub const SHARE_LIMIT: &str = "SHARE_LIMIT";
    pub const HIGHER_LEVEL_COUNTED: &str = "HIGHER_LEVEL_COUNTED";
    pub const ALREADY_COUNTED: &str = "ALREADY_COUNTED";
    pub const CATEGORY_NOT_ACCEPTED: &str = "CATEGORY_NOT_ACCEPTED";
    pub const ONLY_FILLS_SHORTFALL: &str = "ONLY_FILLS_SHORTFALL";
    pub const SUBSTITUTED: &str = "SUBSTITUTED";
    pub const MADE_UP: &str = "MADE_UP";
    pub const PENDING_INCLUDED: &str = "PENDING_INCLUDED";
    pub const AWAITING_RECOGNITION: &str = "AWAITING_RECOGNITION";
    pub const NOT_RECOGNISED: &str = "NOT_RECOGNISED";
    /// A course preview only: the course is already on the teacher's record, and a completion
    /// posts once per course and teacher.
    pub const ALREADY_RECORDED: &str = "ALREADY_RECORDED";
}
