//! A completion reported by a provider: a trainee's attendance and result, or an instructor's
//! taught hours. Rows arrive as text (CSV) or typed (GraphQL); both end in the same checks.

use crate::amount::Amount;
use crate::codes::{ActivityKind, ParticipationRole};
use crate::error::{FieldError, InputError};
use crate::text::Text;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

/// A row as text, exactly as a CSV file holds it (empty cells are `None`).
#[derive(Debug, Clone, Default)]
pub struct CompletionRaw {
    pub teacher: String,
    pub attended_hours: Option<String>,
    pub passed: Option<String>,
    pub score: Option<String>,
    pub role: Option<String>,
    pub taught_hours: Option<String>,
}

/// A checked completion: what the credit rule and the ledger record are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletionFacts {
    pub attended_hours: Amount,
    pub passed: bool,
    pub score: Option<Amount>,
    pub role: ParticipationRole,
    pub taught_hours: Option<Amount>,
}

fn amount(field: &'static str, text: &str) -> Result<Amount, FieldError> {
    Amount::parse(text).map_err(FieldError::at(field))
}

/// Yes/no as people type it in spreadsheets, Chinese included.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "是" | "通过" | "合格" => Some(true),
        "false" | "0" | "no" | "n" | "否" | "不通过" | "不合格" => Some(false),
        _ => None,
    }
}

/// Reads a row of text cells into facts and checks them against the course.
///
/// The role is read first because it decides what else is required: an instructor may leave
/// attendance out (they taught rather than attended), a trainee may not.
pub fn parse_completion(
    raw: &CompletionRaw,
    course_hours: Amount,
) -> Result<CompletionFacts, FieldError> {
    let role = match raw.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => ParticipationRole::Trainee,
        Some(r) => ParticipationRole::from_str(r).map_err(FieldError::at("role"))?,
    };
    let attended_hours = match raw
        .attended_hours
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => amount("attendedHours", t)?,
        None if role == ParticipationRole::Trainee => {
            return Err(FieldError::new(
                "attendedHours",
                InputError::REQUIRED,
                "is required for a trainee",
            )
            .with(Text::new("input.required_for_trainee")))
        }
        None => Amount::ZERO,
    };
    let passed = match raw
        .passed
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => {
            return Err(FieldError::new(
                "passed",
                InputError::REQUIRED,
                "is required (true or false)",
            )
            .with(Text::new("input.passed_required")))
        }
        Some(t) => yes_no(t).ok_or_else(|| {
            FieldError::new(
                "passed",
                InputError::INVALID_FORMAT,
                "must be true or false (是/否, 通过/不通过)",
            )
            .with(Text::new("input.passed_format"))
        })?,
    };
    let score = raw
        .score
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| amount("score", t))
        .transpose()?;
    let taught_hours = raw
        .taught_hours
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| amount("taughtHours", t))
        .transpose()?;
    let facts = CompletionFacts {
        attended_hours,
        passed,
        score,
        role,
        taught_hours,
    };
    validate_completion(&facts, course_hours)?;
    Ok(facts)
}

/// The checks every completion passes, however it arrived: the GraphQL path builds
/// [`CompletionFacts`] from typed values and calls this directly.
pub fn validate_completion(f: &CompletionFacts, course_hours: Amount) -> Result<(), FieldError> {
    let within = |a: Amount| a.decimal() >= Decimal::ZERO && a <= course_hours;
    if !within(f.attended_hours) {
        return Err(FieldError::new(
            "attendedHours",
            InputError::OUT_OF_RANGE,
            format!("must be 0 to the course's {course_hours} hours"),
        )
        .with(Text::new("input.attended_hours").arg("hours", course_hours)));
    }
    if let Some(score) = f.score {
        if score.decimal() < Decimal::ZERO || score.decimal() > Decimal::from(100) {
            return Err(
                FieldError::new("score", InputError::OUT_OF_RANGE, "must be 0 to 100")
                    .with(Text::new("input.between").arg("min", 0).arg("max", 100)),
            );
        }
    }
    match (f.role, f.taught_hours) {
        (ParticipationRole::Instructor, None) => Err(FieldError::new(
            "taughtHours",
            InputError::REQUIRED,
            "is required for an instructor",
        )
        .with(Text::new("input.required_for_instructor"))),
        (ParticipationRole::Instructor, Some(t))
            if t.decimal() <= Decimal::ZERO || t > course_hours =>
        {
            Err(FieldError::new(
                "taughtHours",
                InputError::OUT_OF_RANGE,
                format!("must be more than 0 and at most the course's {course_hours} hours"),
            )
            .with(Text::new("input.taught_hours").arg("hours", course_hours)))
        }
        (ParticipationRole::Trainee, Some(_)) => Err(FieldError::new(
            "taughtHours",
            InputError::NOT_ALLOWED,
            "is only for instructors",
        )
        .with(Text::new("input.instructors_only"))),
        _ => Ok(()),
    }
}

/// The kind of the record a completion of a course of `course_kind` posts for `role`.
///
/// A trainee's record carries the programme's kind, so each policy prices it as the seed says
/// (a `DEGREE_STUDY` course earns Shandong's 72 for degree study, not 1 credit an hour).
///
/// An instructor's record stays `TEACHING` — they taught the programme, they did not take it: a
/// degree programme's lecturer has earned no degree (Weifang's `degree` rule would otherwise
/// give them its 15 credits), and the policies price teaching by the hours taught (Shandong
/// art. 17, Shinan's "instructors 2 credits per hour"). The exceptions are the kinds whose own
/// rules price the presenter: a `TEACHING_RESEARCH_ACTIVITY` (Shinan: "presenters double", a
/// multiplier on the instructor role inside that kind's rule) and a `LECTURE` (giving a lecture
/// is what Suzhou's 1/3/6/10 and the three-level scheme's open-class rule credit), so there the
/// instructor's record keeps the programme's kind and its role says who presented.
pub fn record_kind(course_kind: ActivityKind, role: ParticipationRole) -> ActivityKind {
    match (role, course_kind) {
        (ParticipationRole::Trainee, kind) => kind,
        (
            ParticipationRole::Instructor,
            kind @ (ActivityKind::TeachingResearchActivity | ActivityKind::Lecture),
        ) => kind,
        (ParticipationRole::Instructor, _) => ActivityKind::Teaching,
    }
}

/// The ledger's idempotency key for a completion: the same course, teacher and role post once.
pub fn completion_key(course: Uuid, teacher: Uuid, role: ParticipationRole) -> String {
    format!("completion:{course}:{teacher}:{}", role.as_str())
}

#[cfg(test)]
mod tests;
