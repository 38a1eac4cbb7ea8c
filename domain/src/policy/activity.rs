//! The facts of one ledger record, as the policy engine reads them.

use chrono::NaiveDate;
use uuid::Uuid;

use super::document::HoursBasis;
use crate::amount::Amount;
use crate::codes::{
    ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
};

/// Everything a policy may look at. Credits are never read from the ledger: they are computed
/// from these facts under the policy being evaluated, which is how a record earned under
/// another region's scheme is re-denominated.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub category: Option<CategoryKey>,
    pub compulsory: Option<bool>,
    pub role: ParticipationRole,
    /// The course's (or activity's) hours.
    pub hours: Option<Amount>,
    pub attended_hours: Option<Amount>,
    pub taught_hours: Option<Amount>,
    pub days: Option<i32>,
    pub months: Option<i32>,
    pub words: Option<i32>,
    pub prize: Option<String>,
    pub passed: Option<bool>,
    pub score: Option<Amount>,
    pub earned_on: NaiveDate,
    pub status: CreditStatus,
    /// Whether the record came from a course in the catalogue (approved before it could run).
    pub from_catalogue: bool,
    /// For a record earned in another province than the teacher's current one: where its
    /// recognition stands. `None` for a record earned in the teacher's province.
    pub foreign: Option<Recognition>,
}

/// A decision of the teacher's current region on a record earned in another province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognition {
    Pending,
    Accepted,
    Rejected,
}

impl Activity {
    /// A minimal activity, for tests and previews: a passed trainee with nothing else known.
    pub fn new(id: Uuid, kind: ActivityKind, earned_on: NaiveDate) -> Self {
        Self {
            id,
            kind,
            level: None,
            modality: None,
            category: None,
            compulsory: None,
            role: ParticipationRole::Trainee,
            hours: None,
            attended_hours: None,
            taught_hours: None,
            days: None,
            months: None,
            words: None,
            prize: None,
            passed: None,
            score: None,
            earned_on,
            status: CreditStatus::Certified,
            from_catalogue: false,
            foreign: None,
        }
    }

    /// The hours a rate applies to: taught hours for an instructor, the activity's hours
    /// otherwise.
    pub fn credited_hours(&self) -> Option<Amount> {
        match self.role {
            ParticipationRole::Instructor => self.taught_hours.or(self.hours),
            ParticipationRole::Trainee => self.hours,
        }
    }

    /// The hours a rule prices under `basis`: taught hours for an instructor; for a trainee the
    /// course's hours, or those attended (never more than the course's, and the course's when
    /// attendance is not recorded).
    pub fn priced_hours(&self, basis: HoursBasis) -> Option<Amount> {
        match (self.role, basis) {
            (ParticipationRole::Trainee, HoursBasis::Attended) => self.received_hours(),
            _ => self.credited_hours(),
        }
    }

    /// The hours received as a trainee: attended where recorded (at most the course's hours),
    /// the course's otherwise; nothing for an instructor, who gives hours rather than receives.
    pub fn received_hours(&self) -> Option<Amount> {
        if self.role != ParticipationRole::Trainee {
            return None;
        }
        match (self.attended_hours, self.hours) {
            (Some(attended), Some(hours)) => Some(attended.min(hours)),
            (attended, hours) => attended.or(hours),
        }
    }
}
