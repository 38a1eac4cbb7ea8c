//! Declared activities (claims): which facts each kind of activity needs, checked before the
//! claim reaches the ledger, so a reviewer never sees a paper without a level.

use chrono::NaiveDate;

use crate::amount::Amount;
use crate::codes::{ActivityKind, CategoryKey, Modality, ParticipationRole, TrainingLevel};
use crate::error::{FieldError, InputError};
use crate::text::{Arg, Text};

/// A claim as the teacher sent it, every fact optional.
#[derive(Debug, Clone, Default)]
pub struct ClaimInput {
    pub kind: Option<ActivityKind>,
    pub title: String,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub category: Option<String>,
    /// A compulsory (必修) activity; elective when not said (Weifang art. 9 keeps them apart).
    pub compulsory: Option<bool>,
    pub role: Option<ParticipationRole>,
    pub hours: Option<Amount>,
    pub days: Option<i32>,
    pub months: Option<i32>,
    pub words: Option<i32>,
    pub prize: Option<String>,
    pub earned_on: Option<NaiveDate>,
    pub evidence: Vec<EvidenceInput>,
}

#[derive(Debug, Clone, Default)]
pub struct EvidenceInput {
    pub name: String,
    pub url: String,
    pub sha256: Option<String>,
}

/// A claim whose facts fit its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub kind: ActivityKind,
    pub title: String,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub category: Option<CategoryKey>,
    pub compulsory: Option<bool>,
    pub role: ParticipationRole,
    pub hours: Option<Amount>,
    pub days: Option<i32>,
    pub months: Option<i32>,
    pub words: Option<i32>,
    pub prize: Option<Prize>,
    pub earned_on: NaiveDate,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub name: String,
    pub url: String,
    pub sha256: Option<String>,
}

/// A competition result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prize {
    First,
    Second,
    Third,
}

impl Prize {
    pub fn as_str(&self) -> &'static str {
        match self {
            Prize::First => "FIRST",
            Prize::Second => "SECOND",
            Prize::Third => "THIRD",
        }
    }
}

/// A fact an activity kind needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Level,
    Hours,
    Months,
    Prize,
    /// Days, months or hours: how long it lasted, in any unit.
    Duration,
}

fn needs(kind: ActivityKind) -> &'static [Need] {
    use ActivityKind::*;
    match kind {
        Paper | Textbook | ResearchProject | OpenClass | Lecture | BackboneTraining => {
            &[Need::Level]
        }
        Competition => &[Need::Level, Need::Prize],
        OverseasTraining | TeachingSupport => &[Need::Months],
        TeachingResearchActivity | NewTeacherProbation | Teaching => &[Need::Hours],
        CourseCompletion => &[Need::Hours, Need::Level],
        Other => &[Need::Duration],
        DegreeStudy | GraduateClass | MasterStudio | Monograph | Mentoring | TraineeSupervision
        | SchoolBasedTopic => &[],
    }
}

const TITLE_MAX: usize = 200;
const EVIDENCE_MAX: usize = 20;

/// Checks a claim's facts against its kind. `today` bounds `earnedOn`: nothing is earned in the
/// future. The first problem found is reported, in the order of the checks below.
pub fn parse_claim(input: ClaimInput, today: NaiveDate) -> Result<Claim, FieldError> {
    let kind = input.kind.ok_or_else(|| {
        FieldError::new("input.kind", InputError::REQUIRED, "is required")
            .with(Text::new("input.required"))
    })?;
    let title = parse_title(&input.title)?;
    let earned_on = parse_earned_on(input.earned_on, today)?;
    check_needs(kind, &input)?;
    let prize = parse_prize(kind, input.prize.as_deref())?;
    check_quantities(kind, &input)?;
    let category = input
        .category
        .as_deref()
        .map(CategoryKey::parse)
        .transpose()
        .map_err(FieldError::at("input.category"))?;
    if input.evidence.len() > EVIDENCE_MAX {
        return Err(FieldError::new(
            "input.evidence",
            InputError::OUT_OF_RANGE,
            format!("at most {EVIDENCE_MAX} items"),
        )
        .with(Text::new("input.items_at_most").arg("max", EVIDENCE_MAX)));
    }
    let evidence = input
        .evidence
        .into_iter()
        .map(parse_evidence)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Claim {
        kind,
        title,
        level: input.level,
        modality: input.modality,
        category,
        compulsory: input.compulsory,
        role: input.role.unwrap_or(ParticipationRole::Trainee),
        hours: input.hours,
        days: input.days,
        months: input.months,
        words: input.words,
        prize,
        earned_on,
        evidence,
    })
}

/// The title, trimmed: not empty, at most [`TITLE_MAX`] characters.
fn parse_title(title: &str) -> Result<String, FieldError> {
    let title = title.trim().to_owned();
    if title.is_empty() {
        return Err(
            FieldError::new("input.title", InputError::REQUIRED, "must not be empty")
                .with(Text::new("input.not_empty")),
        );
    }
    if title.chars().count() > TITLE_MAX {
        return Err(FieldError::new(
            "input.title",
            InputError::TOO_LONG,
            format!("must be at most {TITLE_MAX} characters"),
        )
        .with(Text::new("input.chars_at_most").arg("max", TITLE_MAX)));
    }
    Ok(title)
}

/// The day it was earned: given, and not after `today`.
fn parse_earned_on(
    earned_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let earned_on = earned_on.ok_or_else(|| {
        FieldError::new("input.earnedOn", InputError::REQUIRED, "is required")
            .with(Text::new("input.required"))
    })?;
    if earned_on > today {
        return Err(FieldError::new(
            "input.earnedOn",
            InputError::OUT_OF_RANGE,
            "must not be in the future",
        )
        .with(Text::new("input.not_in_future")));
    }
    Ok(earned_on)
}

/// Every fact the kind [`needs`] is given.
fn check_needs(kind: ActivityKind, input: &ClaimInput) -> Result<(), FieldError> {
    let missing = |field: &'static str, what: &str, key: &'static str| {
        FieldError::new(
            field,
            InputError::REQUIRED,
            format!("is required for {} ({what})", kind.as_str()),
        )
        .with(
            Text::new("input.required_for_kind")
                .arg("kind", kind)
                .arg("what", Arg::Key(key)),
        )
    };
    for need in needs(kind) {
        match need {
            Need::Level if input.level.is_none() => {
                return Err(missing(
                    "input.level",
                    "the level it was recognised at",
                    "claim_needs.level",
                ))
            }
            Need::Hours if input.hours.is_none() => {
                return Err(missing("input.hours", "its hours", "claim_needs.hours"))
            }
            Need::Months if input.months.is_none() => {
                return Err(missing(
                    "input.months",
                    "how many months it lasted",
                    "claim_needs.months",
                ))
            }
            Need::Prize if input.prize.is_none() => {
                return Err(missing("input.prize", "the prize won", "claim_needs.prize"))
            }
            Need::Duration
                if input.hours.is_none() && input.days.is_none() && input.months.is_none() =>
            {
                return Err(missing(
                    "input.days",
                    "its hours, days or months",
                    "claim_needs.duration",
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// A prize, on a competition only, in English or Chinese (一等奖…).
fn parse_prize(kind: ActivityKind, prize: Option<&str>) -> Result<Option<Prize>, FieldError> {
    Ok(match prize.map(str::trim) {
        None => None,
        Some(_) if kind != ActivityKind::Competition => {
            return Err(FieldError::new(
                "input.prize",
                InputError::NOT_ALLOWED,
                "only a COMPETITION has a prize",
            )
            .with(Text::new("input.prize_only_competition")))
        }
        Some(p) => Some(match p.to_ascii_uppercase().as_str() {
            "FIRST" | "一等奖" => Prize::First,
            "SECOND" | "二等奖" => Prize::Second,
            "THIRD" | "三等奖" => Prize::Third,
            _ => {
                return Err(FieldError::new(
                    "input.prize",
                    InputError::UNKNOWN_VALUE,
                    "must be one of FIRST, SECOND, THIRD",
                )
                .with(Text::new("input.prize_values")))
            }
        }),
    })
}

/// A word count only on writing; hours, days, months and words within their ranges.
fn check_quantities(kind: ActivityKind, input: &ClaimInput) -> Result<(), FieldError> {
    if input.words.is_some()
        && !matches!(
            kind,
            ActivityKind::Paper | ActivityKind::Monograph | ActivityKind::Textbook
        )
    {
        return Err(FieldError::new(
            "input.words",
            InputError::NOT_ALLOWED,
            "only a PAPER, MONOGRAPH or TEXTBOOK has a word count",
        )
        .with(Text::new("input.words_only_writing")));
    }
    if let Some(h) = input.hours {
        let h = h.non_negative().map_err(FieldError::at("input.hours"))?;
        if h > Amount::from_e4(10_000 * 10_000) {
            return Err(FieldError::new(
                "input.hours",
                InputError::OUT_OF_RANGE,
                "must be at most 10000",
            )
            .with(Text::new("input.at_most").arg("max", 10000)));
        }
    }
    for (field, value, max) in [
        ("input.days", input.days, 3660),
        ("input.months", input.months, 120),
        ("input.words", input.words, 10_000_000),
    ] {
        if value.is_some_and(|v| v < 0 || v > max) {
            return Err(FieldError::new(
                field,
                InputError::OUT_OF_RANGE,
                format!("must be 0 to {max}"),
            )
            .with(Text::new("input.between").arg("min", 0).arg("max", max)));
        }
    }
    Ok(())
}

fn parse_evidence(e: EvidenceInput) -> Result<Evidence, FieldError> {
    let name = e.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(FieldError::new(
            "input.evidence.name",
            InputError::OUT_OF_RANGE,
            "must be 1 to 200 characters",
        )
        .with(
            Text::new("input.chars_between")
                .arg("min", 1)
                .arg("max", 200),
        ));
    }
    let url = e.url.trim().to_owned();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.len() > 2000 || url.chars().any(char::is_whitespace) {
        return Err(FieldError::new(
            "input.evidence.url",
            InputError::INVALID_FORMAT,
            "must be an http(s) address of at most 2000 characters",
        )
        .with(Text::new("input.url").arg("max", 2000)));
    }
    let sha256 = match e.sha256.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(h) if h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()) => {
            Some(h.to_ascii_lowercase())
        }
        Some(_) => {
            return Err(FieldError::new(
                "input.evidence.sha256",
                InputError::INVALID_FORMAT,
                "must be 64 hexadecimal digits",
            )
            .with(Text::new("input.sha256")))
        }
    };
    Ok(Evidence { name, url, sha256 })
}

#[cfg(test)]
mod tests;
