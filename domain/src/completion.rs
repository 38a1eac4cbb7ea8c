//! A completion reported by a provider: a trainee's attendance and result, or an instructor's
//! taught hours. Rows arrive as text (CSV) or typed (GraphQL); both end in the same checks.

use crate::amount::Amount;
use crate::codes::ParticipationRole;
use crate::error::{FieldError, InputError};
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
            ))
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
            ))
        }
        Some(t) => yes_no(t).ok_or_else(|| {
            FieldError::new(
                "passed",
                InputError::INVALID_FORMAT,
                "must be true or false (是/否, 通过/不通过)",
            )
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

pub fn validate_completion(f: &CompletionFacts, course_hours: Amount) -> Result<(), FieldError> {
    let within = |a: Amount| a.decimal() >= Decimal::ZERO && a <= course_hours;
    if !within(f.attended_hours) {
        return Err(FieldError::new(
            "attendedHours",
            InputError::OUT_OF_RANGE,
            format!("must be 0 to the course's {course_hours} hours"),
        ));
    }
    if let Some(score) = f.score {
        if score.decimal() < Decimal::ZERO || score.decimal() > Decimal::from(100) {
            return Err(FieldError::new(
                "score",
                InputError::OUT_OF_RANGE,
                "must be 0 to 100",
            ));
        }
    }
    match (f.role, f.taught_hours) {
        (ParticipationRole::Instructor, None) => Err(FieldError::new(
            "taughtHours",
            InputError::REQUIRED,
            "is required for an instructor",
        )),
        (ParticipationRole::Instructor, Some(t))
            if t.decimal() <= Decimal::ZERO || t > course_hours =>
        {
            Err(FieldError::new(
                "taughtHours",
                InputError::OUT_OF_RANGE,
                format!("must be more than 0 and at most the course's {course_hours} hours"),
            ))
        }
        (ParticipationRole::Trainee, Some(_)) => Err(FieldError::new(
            "taughtHours",
            "NOT_ALLOWED",
            "is only for instructors",
        )),
        _ => Ok(()),
    }
}

/// The ledger's idempotency key for a completion: the same course, teacher and role post once.
pub fn completion_key(course: Uuid, teacher: Uuid, role: ParticipationRole) -> String {
    format!("completion:{course}:{teacher}:{}", role.as_str())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn row(attended: &str, passed: &str) -> CompletionRaw {
        CompletionRaw {
            teacher: "t".into(),
            attended_hours: Some(attended.into()),
            passed: Some(passed.into()),
            ..Default::default()
        }
    }

    fn hours() -> Amount {
        Amount::parse("24").unwrap()
    }

    #[test]
    fn spreadsheet_yes_and_no_are_understood() {
        for (text, expected) in [
            ("通过", true),
            ("不合格", false),
            ("TRUE", true),
            ("0", false),
            ("是", true),
        ] {
            assert_eq!(
                parse_completion(&row("24", text), hours()).unwrap().passed,
                expected,
                "{text}"
            );
        }
        assert_eq!(
            parse_completion(&row("24", "maybe"), hours())
                .unwrap_err()
                .field,
            "passed"
        );
    }

    #[test]
    fn each_bad_cell_names_its_field() {
        assert_eq!(
            parse_completion(&row("25", "true"), hours())
                .unwrap_err()
                .field,
            "attendedHours"
        );
        assert_eq!(
            parse_completion(&row("abc", "true"), hours())
                .unwrap_err()
                .error
                .code,
            "INVALID_FORMAT"
        );
        let mut r = row("24", "true");
        r.score = Some("101".into());
        assert_eq!(parse_completion(&r, hours()).unwrap_err().field, "score");
        r.score = None;
        r.taught_hours = Some("2".into());
        assert_eq!(
            parse_completion(&r, hours()).unwrap_err().error.code,
            "NOT_ALLOWED"
        );
        r.role = Some("instructor".into());
        assert_eq!(
            parse_completion(&r, hours()).unwrap().taught_hours,
            Some(Amount::parse("2").unwrap())
        );
        r.taught_hours = None;
        assert_eq!(
            parse_completion(&r, hours()).unwrap_err().field,
            "taughtHours"
        );
        r.role = Some("KING".into());
        assert_eq!(parse_completion(&r, hours()).unwrap_err().field, "role");
    }

    #[test]
    fn keys_differ_by_role_and_are_stable() {
        let (c, t) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(
            completion_key(c, t, ParticipationRole::Trainee),
            completion_key(c, t, ParticipationRole::Trainee)
        );
        assert_ne!(
            completion_key(c, t, ParticipationRole::Trainee),
            completion_key(c, t, ParticipationRole::Instructor)
        );
    }
}
