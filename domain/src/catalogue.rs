//! Courses: what a provider may publish, how a course moves through its life, and whether a
//! teacher gets a seat.

use crate::amount::Amount;
use crate::codes::{ActivityKind, CategoryKey, CourseStatus, Modality, Stage, TrainingLevel};
use crate::error::{FieldError, InputError};
use crate::identity::{parse_list, Name, Subject};
use crate::text::{Arg, Text};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Course facts as they arrive, before validation.
#[derive(Debug, Clone)]
pub struct CourseInputRaw {
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// What kind of programme the course is; its trainees' records carry it.
    pub kind: ActivityKind,
    pub level: TrainingLevel,
    pub modality: Modality,
    pub category: String,
    pub compulsory: bool,
    pub hours: Amount,
    pub capacity: Option<i32>,
    pub target_stages: Vec<Stage>,
    pub subjects: Vec<String>,
    pub enrollment_opens_on: Option<NaiveDate>,
    pub enrollment_closes_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Validated course facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseDraft {
    pub code: String,
    pub title: String,
    pub description: String,
    /// One of [`COURSE_KINDS`].
    pub kind: ActivityKind,
    pub level: TrainingLevel,
    pub modality: Modality,
    pub category: CategoryKey,
    pub compulsory: bool,
    pub hours: Amount,
    pub capacity: Option<u32>,
    pub target_stages: Vec<Stage>,
    pub subjects: Vec<String>,
    pub enrollment_opens_on: Option<NaiveDate>,
    pub enrollment_closes_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

const MAX_HOURS: i64 = 2000;
const MAX_CAPACITY: i32 = 100_000;
const MAX_DESCRIPTION: usize = 5000;

/// The kinds of activity a catalogue course may be: programmes a teacher enrols in and attends,
/// priced from the facts a course has (hours, level, modality, category, compulsory). The other
/// kinds are things a teacher does or produces (a paper, an open class, mentoring, a research
/// project, a competition), teaching itself (an instructor's record), or need facts a course
/// does not carry (months abroad or in teaching support, the days of `OTHER`): those are claimed.
pub const COURSE_KINDS: &[ActivityKind] = &[
    ActivityKind::CourseCompletion,
    ActivityKind::NewTeacherProbation,
    ActivityKind::BackboneTraining,
    ActivityKind::DegreeStudy,
    ActivityKind::GraduateClass,
    ActivityKind::MasterStudio,
    ActivityKind::TeachingResearchActivity,
    ActivityKind::Lecture,
];

fn course_kind(kind: ActivityKind) -> Result<ActivityKind, FieldError> {
    if COURSE_KINDS.contains(&kind) {
        return Ok(kind);
    }
    let accepted: Vec<&str> = COURSE_KINDS.iter().map(|k| k.as_str()).collect();
    let list = accepted.join(", ");
    Err(FieldError::new(
        "kind",
        InputError::NOT_ALLOWED,
        format!(
            "{} cannot be a course; a course is one of {list}",
            kind.as_str()
        ),
    )
    .with(
        Text::new("input.not_a_course_kind")
            .arg("kind", kind)
            .arg("kinds", list),
    ))
}

fn code(raw: &str) -> Result<String, FieldError> {
    let c = raw.trim();
    if c.is_empty() {
        return Err(FieldError::new("code", InputError::REQUIRED, "is required")
            .with(Text::new("input.required")));
    }
    if c.chars().count() > 40 {
        return Err(FieldError::new(
            "code",
            InputError::TOO_LONG,
            "must be at most 40 characters",
        )
        .with(Text::new("input.chars_at_most").arg("max", 40)));
    }
    if !c
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'))
    {
        return Err(FieldError::new(
            "code",
            InputError::INVALID_FORMAT,
            "may contain only letters, digits, '-', '_' and '.'",
        )
        .with(Text::new("input.code_format")));
    }
    Ok(c.to_owned())
}

impl CourseDraft {
    pub fn parse(raw: CourseInputRaw) -> Result<CourseDraft, FieldError> {
        let code = code(&raw.code)?;
        let title = Name::parse(&raw.title, 200).map_err(FieldError::at("title"))?;
        let description = raw.description.unwrap_or_default().trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION {
            return Err(FieldError::new(
                "description",
                InputError::TOO_LONG,
                format!("must be at most {MAX_DESCRIPTION} characters"),
            )
            .with(Text::new("input.chars_at_most").arg("max", MAX_DESCRIPTION)));
        }
        let kind = course_kind(raw.kind)?;
        let category = CategoryKey::parse(&raw.category).map_err(FieldError::at("category"))?;
        if raw.hours.decimal() <= Decimal::ZERO || raw.hours.decimal() > Decimal::from(MAX_HOURS) {
            return Err(FieldError::new(
                "hours",
                InputError::OUT_OF_RANGE,
                format!("must be more than 0 and at most {MAX_HOURS}"),
            )
            .with(Text::new("input.positive_at_most").arg("max", MAX_HOURS)));
        }
        let capacity = match raw.capacity {
            None => None,
            Some(n) if (1..=MAX_CAPACITY).contains(&n) => u32::try_from(n).ok(),
            Some(_) => {
                return Err(FieldError::new(
                    "capacity",
                    InputError::OUT_OF_RANGE,
                    format!("must be 1 to {MAX_CAPACITY}, or left out for no limit"),
                )
                .with(Text::new("input.capacity").arg("max", MAX_CAPACITY)))
            }
        };
        let subjects = parse_list(&raw.subjects, Subject::parse, 20)
            .map_err(|(_, e)| FieldError {
                field: "subjects",
                error: e,
            })?
            .into_iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        let mut target_stages = Vec::new();
        for s in raw.target_stages {
            if !target_stages.contains(&s) {
                target_stages.push(s);
            }
        }
        let before = |a: Option<NaiveDate>, b: Option<NaiveDate>| !matches!((a, b), (Some(a), Some(b)) if a > b);
        if !before(raw.enrollment_opens_on, raw.enrollment_closes_on) {
            return Err(FieldError::new(
                "enrollmentClosesOn",
                InputError::OUT_OF_RANGE,
                "must not be before enrollmentOpensOn",
            )
            .with(Text::new("input.not_before").arg("other", "enrollmentOpensOn")));
        }
        if !before(raw.starts_on, raw.ends_on) {
            return Err(FieldError::new(
                "endsOn",
                InputError::OUT_OF_RANGE,
                "must not be before startsOn",
            )
            .with(Text::new("input.not_before").arg("other", "startsOn")));
        }
        if !before(raw.enrollment_closes_on, raw.ends_on) {
            return Err(FieldError::new(
                "enrollmentClosesOn",
                InputError::OUT_OF_RANGE,
                "must not be after endsOn",
            )
            .with(Text::new("input.not_after").arg("other", "endsOn")));
        }
        Ok(CourseDraft {
            code,
            title: title.as_str().to_owned(),
            description,
            kind,
            level: raw.level,
            modality: raw.modality,
            category,
            compulsory: raw.compulsory,
            hours: raw.hours,
            capacity,
            target_stages,
            subjects,
            enrollment_opens_on: raw.enrollment_opens_on,
            enrollment_closes_on: raw.enrollment_closes_on,
            starts_on: raw.starts_on,
            ends_on: raw.ends_on,
        })
    }
}

/// The fields that decide a course's credits, as input field names, that differ between the two.
/// Once teachers enrol these are frozen: a changed offering is a new course.
pub fn credit_bearing_changed(old: &CourseDraft, new: &CourseDraft) -> Vec<&'static str> {
    let mut out = Vec::new();
    if old.kind != new.kind {
        out.push("kind");
    }
    if old.hours != new.hours {
        out.push("hours");
    }
    if old.level != new.level {
        out.push("level");
    }
    if old.modality != new.modality {
        out.push("modality");
    }
    if old.category != new.category {
        out.push("category");
    }
    if old.compulsory != new.compulsory {
        out.push("compulsory");
    }
    out
}

/// What a provider (publish, close, archive) or a region admin (approve, reject) does to a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseAction {
    Publish,
    Approve,
    Reject,
    Close,
    Archive,
}

impl CourseAction {
    fn verb(self) -> &'static str {
        match self {
            CourseAction::Publish => "published",
            CourseAction::Approve => "approved",
            CourseAction::Reject => "rejected",
            CourseAction::Close => "closed",
            CourseAction::Archive => "archived",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} {} course cannot be {}", article(*from), from.as_str(), action.verb())]
pub struct TransitionError {
    pub from: CourseStatus,
    pub action: CourseAction,
}

impl TransitionError {
    /// What users read (`catalogue.transition`).
    pub fn text(&self) -> Text {
        let action = match self.action {
            CourseAction::Publish => "course_action.publish",
            CourseAction::Approve => "course_action.approve",
            CourseAction::Reject => "course_action.reject",
            CourseAction::Close => "course_action.close",
            CourseAction::Archive => "course_action.archive",
        };
        Text::new("catalogue.transition")
            .arg("article", article(self.from))
            .arg("status", self.from)
            .arg("action", Arg::Key(action))
    }
}

/// "an ARCHIVED course", "a DRAFT course": the message names the status by its code.
fn article(status: CourseStatus) -> &'static str {
    if status.as_str().starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// The course lifecycle: DRAFT → PENDING_APPROVAL → PUBLISHED → CLOSED → ARCHIVED, and a
/// rejection back to DRAFT so the provider can fix and resubmit.
pub fn next_status(
    current: CourseStatus,
    action: CourseAction,
) -> Result<CourseStatus, TransitionError> {
    use CourseAction as A;
    use CourseStatus as S;
    match (current, action) {
        (S::Draft, A::Publish) => Ok(S::PendingApproval),
        (S::PendingApproval, A::Approve) => Ok(S::Published),
        (S::PendingApproval, A::Reject) => Ok(S::Draft),
        (S::Published, A::Close) => Ok(S::Closed),
        (S::Closed, A::Archive) => Ok(S::Archived),
        (from, action) => Err(TransitionError { from, action }),
    }
}

/// Whether a course's descriptive fields may still change (credit-bearing ones: see
/// [`credit_bearing_changed`]).
pub fn editable(status: CourseStatus) -> bool {
    matches!(
        status,
        CourseStatus::Draft | CourseStatus::PendingApproval | CourseStatus::Published
    )
}

/// Whether the credit-bearing fields (see [`credit_bearing_changed`]) may still change: only in a
/// draft nobody has enrolled in. Approval and enrolment were given for those facts, so a changed
/// offering is a new course.
pub fn credit_bearing_editable(status: CourseStatus, has_enrollments: bool) -> bool {
    status == CourseStatus::Draft && !has_enrollments
}

mod enrolment;
pub use enrolment::{
    decide_enrollment, promote_from_waitlist, EnrollDecision, EnrollRefusal, EnrollmentWindow,
};

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
