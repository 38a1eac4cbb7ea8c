//! The conditions an activity must meet by its own facts to earn anything: a passed
//! assessment, attendance, an approved course. Status and period are the evaluation's business.

use rust_decimal::Decimal;

use super::activity::{Activity, Recognition};
use super::convert::Conversion;
use super::document::{AbsenceRule, PolicyDocument};
use super::evaluate::note;
use super::report::{codes, Note};
use crate::amount::Amount;
use crate::codes::{ActivityKind, ParticipationRole};
use crate::text::Text;

/// A condition an activity fails. Its words are built only when asked for ([`Refusal::note`]):
/// an evaluation that only counts needs the code alone.
#[derive(Debug, Clone, Copy)]
pub(super) enum Refusal<'p> {
    NotPassed,
    Absence {
        absent: Decimal,
        hours: Amount,
        rule: &'p AbsenceRule,
    },
    NotApproved,
    AwaitingRecognition,
    NotRecognised,
}

impl Refusal<'_> {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotPassed => codes::NOT_PASSED,
            Refusal::Absence { .. } => codes::ABSENCE,
            Refusal::NotApproved => codes::NOT_APPROVED,
            Refusal::AwaitingRecognition => codes::AWAITING_RECOGNITION,
            Refusal::NotRecognised => codes::NOT_RECOGNISED,
        }
    }

    pub fn note(&self) -> Note {
        let (message, text) = match *self {
            Refusal::NotPassed => (
                "the assessment was not passed".to_owned(),
                Text::new("notes.NOT_PASSED"),
            ),
            Refusal::Absence {
                absent,
                hours,
                rule,
            } => (
                format!(
                    "absent {absent} of {hours} hours, {} {}",
                    if rule.inclusive { "at least" } else { "over" },
                    rule.limit
                ),
                Text::new(if rule.inclusive {
                    "notes.ABSENCE_INCLUSIVE"
                } else {
                    "notes.ABSENCE"
                })
                .arg("absent", Amount::round_credits(absent))
                .arg("hours", hours)
                .arg("limit", rule.limit.to_string()),
            ),
            Refusal::NotApproved => (
                "training not approved in the catalogue earns no credit".to_owned(),
                Text::new("notes.NOT_APPROVED"),
            ),
            Refusal::AwaitingRecognition => (
                "earned in another province: counts once this region recognises it".to_owned(),
                Text::new("notes.AWAITING_RECOGNITION"),
            ),
            Refusal::NotRecognised => (
                "earned in another province and not recognised here".to_owned(),
                Text::new("notes.NOT_RECOGNISED"),
            ),
        };
        note(self.code(), message, text)
    }
}

impl PolicyDocument {
    /// Every condition the activity fails, as notes; empty when it may earn its credits.
    pub fn refusals(&self, activity: &Activity) -> Vec<Note> {
        self.failed_conditions(activity)
            .iter()
            .map(Refusal::note)
            .collect()
    }

    /// Every condition the activity fails, in the order [`Self::refusals`] gives them (usually
    /// none, and then nothing is allocated).
    pub(super) fn failed_conditions(&self, activity: &Activity) -> Vec<Refusal<'_>> {
        let mut out = Vec::new();
        let trainee = activity.role == ParticipationRole::Trainee;
        if self.conditions.require_passed && trainee && activity.passed == Some(false) {
            out.push(Refusal::NotPassed);
        }
        if let (Some(rule), true) = (&self.conditions.absence, trainee) {
            if let (Some(hours), Some(attended)) = (activity.hours, activity.attended_hours) {
                let absent = (hours.decimal() - attended.decimal()).max(Decimal::ZERO);
                let over = rule.limit.compare_share(absent, hours.decimal());
                let lost = over.is_gt() || (rule.inclusive && over.is_eq());
                if lost && !hours.is_zero() {
                    out.push(Refusal::Absence {
                        absent,
                        hours,
                        rule,
                    });
                }
            }
        }
        if self.conditions.require_approved_course
            && activity.kind == ActivityKind::CourseCompletion
            && !activity.from_catalogue
        {
            out.push(Refusal::NotApproved);
        }
        if self.recognition.outside_province {
            match activity.foreign {
                Some(Recognition::Pending) => out.push(Refusal::AwaitingRecognition),
                Some(Recognition::Rejected) => out.push(Refusal::NotRecognised),
                Some(Recognition::Accepted) | None => {}
            }
        }
        out
    }

    /// The credits a record is posted with: its conversion, or nothing when its own facts fail
    /// a condition (a failed assessment earns nothing, 004 third document (7)). Caps, periods and
    /// requirements are applied when a compliance report is evaluated, never at posting.
    pub fn posted_credits(&self, activity: &Activity) -> Conversion {
        let mut conversion = self.convert(activity);
        if let Some(refusal) = self.failed_conditions(activity).first() {
            conversion.credits = Amount::ZERO;
            conversion.shortfall = Some(refusal.note());
        }
        conversion
    }
}
