//! The conditions an activity must meet by its own facts to earn anything: a passed
//! assessment, attendance, an approved course. Status and period are the evaluation's business.

use rust_decimal::Decimal;

use super::activity::Activity;
use super::convert::Conversion;
use super::document::PolicyDocument;
use super::evaluate::note;
use super::report::{codes, Note};
use crate::amount::Amount;
use crate::codes::{ActivityKind, ParticipationRole};
use crate::text::Text;

impl PolicyDocument {
    /// Every condition the activity fails, as notes; empty when it may earn its credits.
    pub fn refusals(&self, activity: &Activity) -> Vec<Note> {
        let mut out = Vec::new();
        let trainee = activity.role == ParticipationRole::Trainee;
        if self.conditions.require_passed && trainee && activity.passed == Some(false) {
            out.push(note(
                codes::NOT_PASSED,
                "the assessment was not passed".to_owned(),
                Text::new("notes.NOT_PASSED"),
            ));
        }
        if let (Some(rule), true) = (&self.conditions.absence, trainee) {
            if let (Some(hours), Some(attended)) = (activity.hours, activity.attended_hours) {
                let absent = (hours.decimal() - attended.decimal()).max(Decimal::ZERO);
                let over = rule.limit.compare_share(absent, hours.decimal());
                let lost = over.is_gt() || (rule.inclusive && over.is_eq());
                if lost && !hours.is_zero() {
                    out.push(note(
                        codes::ABSENCE,
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
                    ));
                }
            }
        }
        if self.conditions.require_approved_course
            && activity.kind == ActivityKind::CourseCompletion
            && !activity.from_catalogue
        {
            out.push(note(
                codes::NOT_APPROVED,
                "training not approved in the catalogue earns no credit".to_owned(),
                Text::new("notes.NOT_APPROVED"),
            ));
        }
        if self.recognition.outside_province {
            match activity.foreign {
                Some(super::activity::Recognition::Pending) => out.push(note(
                    codes::AWAITING_RECOGNITION,
                    "earned in another province: counts once this region recognises it".to_owned(),
                    Text::new("notes.AWAITING_RECOGNITION"),
                )),
                Some(super::activity::Recognition::Rejected) => out.push(note(
                    codes::NOT_RECOGNISED,
                    "earned in another province and not recognised here".to_owned(),
                    Text::new("notes.NOT_RECOGNISED"),
                )),
                Some(super::activity::Recognition::Accepted) | None => {}
            }
        }
        out
    }

    /// The credits a record is posted with: its conversion, or nothing when its own facts fail
    /// a condition (a failed assessment earns nothing, 004 third document (7)). Caps, periods and
    /// requirements are applied when a compliance report is evaluated, never at posting.
    pub fn posted_credits(&self, activity: &Activity) -> Conversion {
        let mut conversion = self.convert(activity);
        if let Some(refusal) = self.refusals(activity).into_iter().next() {
            conversion.credits = Amount::ZERO;
            conversion.shortfall = Some(refusal);
        }
        conversion
    }
}
