//! The default credit rule, "1 hour = 1 credit", until the policy engine (a later issue) replaces
//! it with policy documents. It already follows the seeds where they agree: a failed assessment
//! earns nothing (004, third document), and instructors earn twice the hours they teach
//! (004 art. on instructors; 003 "instructors 2 credits per hour taught").

use crate::amount::Amount;
use crate::codes::{ActivityKind, Modality, ParticipationRole, TrainingLevel};
use rust_decimal::Decimal;

/// What a credit rule may look at. Everything but kind and role is optional because claims
/// (papers, open classes…) carry different facts from course completions; the policy engine
/// reads more of them than the default rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditFacts {
    pub kind: ActivityKind,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub role: ParticipationRole,
    pub hours: Option<Amount>,
    pub attended_hours: Option<Amount>,
    pub taught_hours: Option<Amount>,
    pub passed: Option<bool>,
}

/// "1 hour = 1 credit". Trainees earn the course hours when passed, and nothing when the
/// assessment failed; an unknown outcome (`passed: None`) counts as no assessment. Instructors
/// earn twice the hours they taught, whatever `passed` says: they are not assessed.
///
/// Attendance is not prorated: the seeds that look at absence (Weifang, Wuhan) refuse all credit
/// past a threshold rather than scale it, and that is policy data for the engine, not this rule.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultRule;

const INSTRUCTOR_MULTIPLIER: i64 = 2;

impl DefaultRule {
    /// The `policy_key` recorded on the credits this rule computed, so the policy engine can tell
    /// them apart when it re-denominates records.
    pub const KEY: &'static str = "default";

    pub fn credits(&self, facts: &CreditFacts) -> Amount {
        match facts.role {
            ParticipationRole::Instructor => {
                let taught = facts.taught_hours.unwrap_or(Amount::ZERO).decimal();
                Amount::round_credits(taught * Decimal::from(INSTRUCTOR_MULTIPLIER))
            }
            ParticipationRole::Trainee if facts.passed == Some(false) => Amount::ZERO,
            ParticipationRole::Trainee => facts.hours.unwrap_or(Amount::ZERO),
        }
    }
}

#[cfg(test)]
mod tests;
