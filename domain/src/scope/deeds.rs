//! The named actions: every rule beyond "read or manage this resource" that a service used to
//! decide for itself. Each names what it needs to know; facts that take a query (a provider
//! trains the teacher, a university's grant is in force) come in as [`Ties`] that the gate loaded.

use uuid::Uuid;

use super::{permits, Action, Resource, Scope};
use crate::codes::ReviewStep;
use crate::region::{RegionCode, RegionTree};
use crate::review;

/// What the gate found in the database about the caller and a teacher.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ties {
    /// The caller is a provider that holds, waits or finished a place for the teacher in one of
    /// its courses (a withdrawn place is no tie).
    pub trains: bool,
    /// The caller is a university the teacher granted access to, in force today.
    pub granted: bool,
}

/// Who owns a policy key that exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOwner<'a> {
    /// Built in (or saved without an owner): only the system versions it.
    BuiltIn,
    Region(&'a RegionCode),
}

/// A named action, with the facts its rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deed<'a> {
    /// Approve or reject a course: a region admin over the provider's region, never the
    /// provider itself (it publishes, the bureau approves).
    ApproveCourse {
        provider_region: &'a RegionCode,
    },
    /// Accept or refuse a record earned in another province: a region admin over the teacher.
    Recognise {
        teacher: &'a Resource,
    },
    /// Save a policy under a new key: region and system admins.
    SavePolicy,
    /// Save a new version of an existing key: an admin over its owner region; a built-in key
    /// only the system.
    VersionPolicy {
        owner: PolicyOwner<'a>,
    },
    /// Revoke one record: a region admin over the teacher or over where it was earned.
    RevokeRecord {
        teacher: &'a Resource,
        earned_in: &'a RegionCode,
    },
    /// Revoke every record a course (or a provider) produced: a region admin over the provider.
    RevokeCourse {
        provider: &'a Resource,
    },
    /// Bring an earlier platform's records at all: region and system admins, refused before
    /// the file is read; each record then needs [`Deed::ImportRecord`].
    ImportLedger,
    /// Bring a record of an earlier platform into the ledger, certified: a region admin over
    /// both the teacher and the region where the record was earned.
    ImportRecord {
        teacher: &'a Resource,
        earned_in: &'a RegionCode,
    },
    /// Close a year for a region's subtree: its region admins.
    CloseYear {
        region: &'a RegionCode,
    },
    /// Grant a make-up allowance: the teacher's school admin or a region admin over it.
    GrantMakeUp {
        teacher: &'a Resource,
    },
    /// Declare an activity, ask for a conversion, grant a university access: a teacher, for
    /// itself only (nobody declares on a teacher's behalf).
    Declare,
    RequestConversion,
    GrantAccess,
    /// Read an access grant: the two it binds (and the system), not the teacher's admins.
    ReadAccessGrant {
        teacher: Uuid,
        university: Uuid,
    },
    /// Read a university's work lists (the conversions asked of it, the grants it holds): its
    /// own admins and the system, not the admins of its region.
    ReadUniversityWork {
        university: Uuid,
    },
    /// Decide a claim at `step`: see [`review::reviews`].
    Review {
        step: ReviewStep,
        school: Uuid,
        region: &'a RegionCode,
    },
    /// Decide a claim one has decided before (at another step): only the system, which may act
    /// at every step.
    ReviewAgain,
    /// Open an account with the given scope.
    CreateAccount {
        new_account: &'a Scope,
    },
    /// Disable or re-enable a login: a region admin over the account (the system: any), never
    /// the caller's own (nobody locks themselves out by accident). `own` says it is the caller's.
    SetAccountDisabled {
        account: &'a Resource,
        own: bool,
    },
    /// Revoke an API key: its owner, or an admin who may disable the owning account (to cut
    /// off a leaked key without waiting for its owner).
    RevokeApiKey {
        owner: &'a Resource,
        own: bool,
    },
    /// Read a teacher: whoever `permits` lets read it, a provider that trains it (seed 003:
    /// providers enrol trainees and grade them), a university it granted access to.
    ReadTeacher {
        teacher: &'a Resource,
        ties: Ties,
    },
    /// Read the teacher's whole ledger (transcripts, conversions, transfer previews): as
    /// `ReadTeacher`, but a provider's tie is no longer enough.
    ReadWholeLedger {
        teacher: &'a Resource,
        ties: Ties,
    },
    /// Register a webhook for an event: an account whose kind can ever read such events
    /// (see [`crate::webhook::may_subscribe`]); which ones it hears is decided per event.
    SubscribeWebhook {
        event: crate::webhook::EventType,
    },
}

fn is_region_admin(scope: &Scope) -> bool {
    matches!(scope, Scope::System | Scope::Region(_))
}

/// Why a deed is refused: the caller's kind never does it (a provider approving a course), or
/// it does, but not over this resource (another region's course).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotForYourRole,
    OutOfReach,
}

/// Whether `scope` may do `deed`.
pub fn may(scope: &Scope, deed: &Deed<'_>, tree: &RegionTree) -> bool {
    refusal(scope, deed, tree).is_none()
}

/// `None` when `scope` may do `deed`, else why not.
pub fn refusal(scope: &Scope, deed: &Deed<'_>, tree: &RegionTree) -> Option<Refusal> {
    if !role_may(scope, deed) {
        Some(Refusal::NotForYourRole)
    } else if !reaches(scope, deed, tree) {
        Some(Refusal::OutOfReach)
    } else {
        None
    }
}

/// The part of each rule that depends on the caller's kind alone.
fn role_may(scope: &Scope, deed: &Deed<'_>) -> bool {
    match deed {
        Deed::ApproveCourse { .. }
        | Deed::Recognise { .. }
        | Deed::SavePolicy
        | Deed::RevokeRecord { .. }
        | Deed::RevokeCourse { .. }
        | Deed::ImportLedger
        | Deed::ImportRecord { .. }
        | Deed::CloseYear { .. }
        | Deed::SetAccountDisabled { .. } => is_region_admin(scope),
        Deed::GrantMakeUp { .. } => matches!(
            scope,
            Scope::System | Scope::Region(_) | Scope::School { .. }
        ),
        Deed::Declare | Deed::RequestConversion | Deed::GrantAccess => {
            scope.own_teacher().is_some()
        }
        Deed::ReviewAgain => *scope == Scope::System,
        Deed::SubscribeWebhook { event } => crate::webhook::may_subscribe(scope, *event),
        Deed::ReadUniversityWork { .. } => {
            matches!(scope, Scope::System | Scope::University { .. })
        }
        Deed::VersionPolicy { .. }
        | Deed::ReadAccessGrant { .. }
        | Deed::Review { .. }
        | Deed::CreateAccount { .. }
        | Deed::RevokeApiKey { .. }
        | Deed::ReadTeacher { .. }
        | Deed::ReadWholeLedger { .. } => true,
    }
}

/// The part of each rule that depends on what the deed is about.
fn reaches(scope: &Scope, deed: &Deed<'_>, tree: &RegionTree) -> bool {
    let manages = |resource: &Resource| permits(scope, Action::Manage, resource, tree);
    let manages_region = |code: &RegionCode| manages(&Resource::Region(code.clone()));
    match deed {
        Deed::ApproveCourse { provider_region } => manages_region(provider_region),
        Deed::Recognise { teacher } | Deed::GrantMakeUp { teacher } => manages(teacher),
        Deed::SavePolicy
        | Deed::ImportLedger
        | Deed::Declare
        | Deed::RequestConversion
        | Deed::GrantAccess
        | Deed::ReviewAgain
        | Deed::SubscribeWebhook { .. } => true,
        Deed::ReadUniversityWork { university } => match scope {
            Scope::University {
                university: own, ..
            } => own == university,
            _ => *scope == Scope::System,
        },
        Deed::VersionPolicy { owner } => match owner {
            PolicyOwner::BuiltIn => *scope == Scope::System,
            PolicyOwner::Region(owner) => manages_region(owner),
        },
        Deed::RevokeRecord { teacher, earned_in } => manages(teacher) || manages_region(earned_in),
        Deed::ImportRecord { teacher, earned_in } => manages(teacher) && manages_region(earned_in),
        Deed::RevokeCourse { provider } => manages(provider),
        Deed::CloseYear { region } => manages_region(region),
        Deed::ReadAccessGrant {
            teacher,
            university,
        } => match scope {
            Scope::System => true,
            Scope::Teacher { teacher: own, .. } => own == teacher,
            Scope::University {
                university: own, ..
            } => own == university,
            Scope::Region(_) | Scope::School { .. } | Scope::Provider { .. } => false,
        },
        Deed::Review {
            step,
            school,
            region,
        } => review::reviews(scope, *step, *school, region, tree),
        Deed::CreateAccount { new_account } => super::may_create_account(scope, new_account, tree),
        Deed::SetAccountDisabled { account, own } => !own && manages(account),
        Deed::RevokeApiKey { owner, own } => *own || (is_region_admin(scope) && manages(owner)),
        Deed::ReadTeacher { teacher, ties } => {
            permits(scope, Action::Read, teacher, tree)
                || (ties.trains && matches!(scope, Scope::Provider { .. }))
                || (ties.granted && matches!(scope, Scope::University { .. }))
        }
        Deed::ReadWholeLedger { teacher, ties } => {
            permits(scope, Action::Read, teacher, tree)
                || (ties.granted && matches!(scope, Scope::University { .. }))
        }
    }
}

impl Scope {
    /// The teacher the caller is, if it is one: who "myself" means when no teacher is named.
    pub fn own_teacher(&self) -> Option<OwnTeacher<'_>> {
        match self {
            Scope::Teacher {
                teacher,
                school,
                region,
            } => Some(OwnTeacher {
                teacher: *teacher,
                school: *school,
                region,
            }),
            _ => None,
        }
    }

    /// The school the caller belongs to: a school admin's, or a teacher's current school.
    pub fn own_school(&self) -> Option<Uuid> {
        match self {
            Scope::School { school, .. } | Scope::Teacher { school, .. } => Some(*school),
            _ => None,
        }
    }
}

/// A teacher acting for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnTeacher<'a> {
    pub teacher: Uuid,
    pub school: Uuid,
    pub region: &'a RegionCode,
}

/// Which courses beyond the published ones a caller sees in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseReach {
    /// Every course, in every status (the system).
    Everything,
    /// The public ones, and every course of the providers in the region's subtree (their
    /// approvers).
    Subtree(RegionCode),
    /// The public ones, and every course of the provider (its own drafts).
    Provider(Uuid),
    /// Only the public ones.
    Public,
}

/// What `scope` sees of the catalogue (`None`: an anonymous visitor).
pub fn course_reach(scope: Option<&Scope>) -> CourseReach {
    match scope {
        Some(Scope::System) => CourseReach::Everything,
        Some(Scope::Region(own)) => CourseReach::Subtree(own.clone()),
        Some(Scope::Provider { provider, .. }) => CourseReach::Provider(*provider),
        Some(Scope::School { .. } | Scope::University { .. } | Scope::Teacher { .. }) | None => {
            CourseReach::Public
        }
    }
}

#[cfg(test)]
mod account_tests;
#[cfg(test)]
mod institution_tests;
#[cfg(test)]
mod tests;
