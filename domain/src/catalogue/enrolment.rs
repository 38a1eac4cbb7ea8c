//! Whether a teacher gets a seat in a course: the enrolment window, the waitlist, and who moves
//! up when a place is freed.

use crate::codes::CourseStatus;
use crate::text::Text;
use chrono::NaiveDate;

/// The facts of a course that decide enrolment. Both window dates are inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrollmentWindow {
    pub status: CourseStatus,
    pub capacity: Option<u32>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollDecision {
    Enrolled,
    Waitlisted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnrollRefusal {
    #[error("the course is not open for enrolment")]
    NotOpen,
    #[error("enrolment opens on {0}")]
    NotYetOpen(NaiveDate),
    #[error("enrolment closed on {0}")]
    Closed(NaiveDate),
}

impl EnrollRefusal {
    /// What users read.
    pub fn text(&self) -> Text {
        match self {
            EnrollRefusal::NotOpen => Text::new("enrolment.not_open"),
            EnrollRefusal::NotYetOpen(on) => Text::new("enrolment.not_yet_open").arg("on", *on),
            EnrollRefusal::Closed(on) => Text::new("enrolment.closed").arg("on", *on),
        }
    }
}

/// A seat while one is free, the waitlist once the course is full.
pub fn decide_enrollment(
    course: &EnrollmentWindow,
    today: NaiveDate,
    enrolled_now: u64,
) -> Result<EnrollDecision, EnrollRefusal> {
    if course.status != CourseStatus::Published {
        return Err(EnrollRefusal::NotOpen);
    }
    if let Some(opens) = course.opens_on.filter(|o| today < *o) {
        return Err(EnrollRefusal::NotYetOpen(opens));
    }
    if let Some(closes) = course.closes_on.filter(|c| today > *c) {
        return Err(EnrollRefusal::Closed(closes));
    }
    Ok(match course.capacity {
        Some(cap) if enrolled_now >= u64::from(cap) => EnrollDecision::Waitlisted,
        _ => EnrollDecision::Enrolled,
    })
}

/// How many waitlisted teachers move up: as many as there are free seats.
pub fn promote_from_waitlist(capacity: Option<u32>, enrolled_now: u64, waitlisted: u64) -> u64 {
    match capacity {
        None => waitlisted,
        Some(cap) => u64::from(cap).saturating_sub(enrolled_now).min(waitlisted),
    }
}
