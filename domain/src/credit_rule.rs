//! The credits a new ledger record is posted with, decided in one place for claims and
//! completions alike ([`posted`]): the policy in force where and when the activity was earned
//! prices it; where none is, the default rule "1 hour = 1 credit" does. The default follows the
//! seeds where they agree: a failed assessment earns nothing (004, third document), and
//! instructors earn twice the hours they teach (004 art. on instructors; 003 "instructors 2
//! credits per hour taught").
//!
//! Why the default rule rather than nothing: a record always says how its credits were found
//! (`policy_key` is never empty on a new record), a claim and a completion with the same facts
//! show the same credits, and the README has promised the default rule for completions since
//! before policies existed. Posted credits are a preview in any case: compliance re-prices every
//! record's facts under the policy that judges the teacher.

use crate::amount::Amount;
use crate::codes::{ActivityKind, Modality, ParticipationRole, TrainingLevel};
use crate::policy::{Activity, PolicyDocument};
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

/// A new record's credits and the key of what priced them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted<'a> {
    pub credits: Amount,
    /// The policy's key, or [`DefaultRule::KEY`].
    pub policy_key: &'a str,
}

/// The credits `activity` is posted with under `policy` (its key and document), or under the
/// default rule where no policy is in force — for a claim as for a completion.
pub fn posted<'a>(policy: Option<(&'a str, &PolicyDocument)>, activity: &Activity) -> Posted<'a> {
    match policy {
        Some((key, document)) => Posted {
            credits: document.posted_credits(activity).credits,
            policy_key: key,
        },
        None => Posted {
            credits: DefaultRule.credits(&CreditFacts::of(activity)),
            policy_key: DefaultRule::KEY,
        },
    }
}

impl CreditFacts {
    /// What the default rule reads of an activity.
    pub fn of(activity: &Activity) -> Self {
        CreditFacts {
            kind: activity.kind,
            level: activity.level,
            modality: activity.modality,
            role: activity.role,
            hours: activity.hours,
            attended_hours: activity.attended_hours,
            taught_hours: activity.taught_hours,
            passed: activity.passed,
        }
    }
}

#[cfg(test)]
mod tests;
