//! Who hears of an event: exactly the accounts that may read what it is about, by the same
//! rules the gate applies when they ask (`scope::permits`, `scope::may`). Decided when the
//! event is written, per webhook owner, so an event never carries more than its receiver
//! could have read for itself.

use uuid::Uuid;

use crate::region::RegionTree;
use crate::scope::{may, permits, Action, Deed, Resource, Scope, Ties};

/// What an event is about, with the facts the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A course's review decision: read (`Course.reviews`) by whoever manages its provider —
    /// the provider itself and the region admins over it, never another provider.
    CourseReview { provider: &'a Resource },
    /// A teacher's place in a course: the teacher's whole-ledger readers (`Teacher.enrollments`)
    /// and whoever manages the course's provider (`Course.enrollments`, the roster).
    Enrollment {
        teacher: &'a Resource,
        provider: &'a Resource,
    },
    /// A ledger record: the teacher's whole-ledger readers, and the provider whose course
    /// produced it (a provider reads only those).
    CreditRecord {
        teacher: &'a Resource,
        produced_by: Option<Uuid>,
    },
    /// A conversion request: the teacher's whole-ledger readers and the university that
    /// decides it.
    Conversion {
        teacher: &'a Resource,
        university: &'a Resource,
    },
    /// An access grant: the two it binds (and the system).
    AccessGrant { teacher: Uuid, university: Uuid },
}

/// Whether an account of `scope` may be told about `subject`. `ties` are those the gate loaded
/// between the account and the subject's teacher (a university's grant in force).
pub fn may_hear(scope: &Scope, subject: &Subject<'_>, ties: Ties, tree: &RegionTree) -> bool {
    let whole_ledger =
        |teacher: &Resource| may(scope, &Deed::ReadWholeLedger { teacher, ties }, tree);
    match subject {
        Subject::CourseReview { provider } => permits(scope, Action::Manage, provider, tree),
        Subject::Enrollment { teacher, provider } => {
            whole_ledger(teacher) || permits(scope, Action::Manage, provider, tree)
        }
        Subject::CreditRecord {
            teacher,
            produced_by,
        } => {
            whole_ledger(teacher)
                || matches!((scope, produced_by),
                    (Scope::Provider { provider, .. }, Some(by)) if provider == by)
        }
        Subject::Conversion {
            teacher,
            university,
        } => whole_ledger(teacher) || permits(scope, Action::Manage, university, tree),
        Subject::AccessGrant {
            teacher,
            university,
        } => may(
            scope,
            &Deed::ReadAccessGrant {
                teacher: *teacher,
                university: *university,
            },
            tree,
        ),
    }
}

impl Subject<'_> {
    /// The teacher the subject is about, whose ties to a listener (a university's grant) the
    /// gate must load.
    pub fn teacher(&self) -> Option<Uuid> {
        match self {
            Subject::CourseReview { .. } => None,
            Subject::Enrollment { teacher, .. }
            | Subject::CreditRecord { teacher, .. }
            | Subject::Conversion { teacher, .. } => match teacher {
                Resource::Teacher { id, .. } => Some(*id),
                _ => None,
            },
            Subject::AccessGrant { teacher, .. } => Some(*teacher),
        }
    }
}

/// Whether an account of `scope` could ever hear events of `event`'s kind: a webhook may
/// subscribe only to those (a teacher is never told about course reviews, a provider never
/// about conversions). Follows [`may_hear`]: whatever a scope may hear, it may subscribe to.
pub fn may_subscribe(scope: &Scope, event: super::EventType) -> bool {
    use super::EventType as E;
    match event {
        E::CourseApproved | E::CourseRejected => matches!(
            scope,
            Scope::System | Scope::Region(_) | Scope::Provider { .. }
        ),
        E::EnrollmentChanged | E::CreditRecordChanged => true,
        E::ConversionRequested | E::ConversionDecided => !matches!(scope, Scope::Provider { .. }),
        E::AccessGranted | E::AccessRevoked => matches!(
            scope,
            Scope::System | Scope::University { .. } | Scope::Teacher { .. }
        ),
    }
}
