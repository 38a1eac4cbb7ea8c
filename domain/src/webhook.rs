//! Webhooks: what an integration is told about, who may be told it, where it may be sent and
//! how long we keep trying (API.md "Webhooks"). Pure rules: the api layer resolves host names,
//! reads the clock, draws the jitter and sends.

mod audience;
mod retry;
mod target;

pub use audience::{may_hear, may_subscribe, Subject};
pub use retry::Schedule;
pub use target::{address_allowed, check_host, check_scheme, is_public, TargetError, Targets};

use crate::error::InputError;

/// What happened, as a webhook subscribes to it. The code is also the payload's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    CourseApproved,
    CourseRejected,
    EnrollmentChanged,
    CreditRecordChanged,
    ConversionRequested,
    ConversionDecided,
    AccessGranted,
    AccessRevoked,
}

impl EventType {
    pub const ALL: [EventType; 8] = [
        EventType::CourseApproved,
        EventType::CourseRejected,
        EventType::EnrollmentChanged,
        EventType::CreditRecordChanged,
        EventType::ConversionRequested,
        EventType::ConversionDecided,
        EventType::AccessGranted,
        EventType::AccessRevoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::CourseApproved => "COURSE_APPROVED",
            EventType::CourseRejected => "COURSE_REJECTED",
            EventType::EnrollmentChanged => "ENROLLMENT_CHANGED",
            EventType::CreditRecordChanged => "CREDIT_RECORD_CHANGED",
            EventType::ConversionRequested => "CONVERSION_REQUESTED",
            EventType::ConversionDecided => "CONVERSION_DECIDED",
            EventType::AccessGranted => "ACCESS_GRANTED",
            EventType::AccessRevoked => "ACCESS_REVOKED",
        }
    }
}

impl std::str::FromStr for EventType {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventType::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| InputError::new(InputError::UNKNOWN_VALUE, "is not a webhook event"))
    }
}

/// The events a new webhook subscribes to: at least one, each once (kept in a stable order so
/// that a webhook reads back as it was created, whatever order the caller listed them in).
pub fn subscription(events: &[EventType]) -> Result<Vec<EventType>, InputError> {
    let mut list = events.to_vec();
    list.sort();
    list.dedup();
    if list.is_empty() {
        return Err(InputError::new(
            InputError::REQUIRED,
            "must name at least one event",
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests;
