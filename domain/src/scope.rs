//! Who may do what: the single source of the authorization rules (API.md "Who may do what").
//!
//! The api layer turns an account into a [`Scope`] and what a request touches into a
//! [`Resource`], then asks [`permits`] — or, for a named action ([`Deed`]), [`may`]. Facts that
//! take a query (a provider's trainees through enrolments, a university's access grants) come
//! in as [`Ties`] the gate loaded; the rule that uses them is still decided here.

use uuid::Uuid;

use crate::codes::Role;
use crate::region::{RegionCode, RegionTree};

/// The reach of an account: its role and the organisation (and region) it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    System,
    Region(RegionCode),
    School {
        school: Uuid,
        region: RegionCode,
    },
    Provider {
        provider: Uuid,
        region: RegionCode,
    },
    University {
        university: Uuid,
        region: RegionCode,
    },
    Teacher {
        teacher: Uuid,
        school: Uuid,
        region: RegionCode,
    },
}

/// Something a request reads or changes, with the facts the rules need about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Region(RegionCode),
    School {
        id: Uuid,
        region: RegionCode,
    },
    Teacher {
        id: Uuid,
        school: Uuid,
        region: RegionCode,
    },
    Provider {
        id: Uuid,
        region: RegionCode,
    },
    University {
        id: Uuid,
        region: RegionCode,
    },
    Account {
        id: Uuid,
        scope: Scope,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    /// Act on the resource's behalf: a teacher enrols itself, claims its own credits.
    Manage,
    /// Change the record of who the resource is: a teacher's school, hire date, head-teacher
    /// role, diploma. Like `Manage`, except that a teacher never administers its own record.
    Administer,
}

impl Scope {
    pub fn role(&self) -> Role {
        match self {
            Self::System => Role::SystemAdmin,
            Self::Region(_) => Role::RegionAdmin,
            Self::School { .. } => Role::SchoolAdmin,
            Self::Provider { .. } => Role::ProviderAdmin,
            Self::University { .. } => Role::UniversityAdmin,
            Self::Teacher { .. } => Role::Teacher,
        }
    }

    /// The region the scope acts in; none for the system, which is above every region.
    pub fn region(&self) -> Option<&RegionCode> {
        match self {
            Self::System => None,
            Self::Region(region)
            | Self::School { region, .. }
            | Self::Provider { region, .. }
            | Self::University { region, .. }
            | Self::Teacher { region, .. } => Some(region),
        }
    }
}

impl Resource {
    /// The region the resource belongs to. An account of the system scope belongs to none, so
    /// no region admin can ever reach it.
    pub fn region(&self) -> Option<&RegionCode> {
        match self {
            Self::Region(region)
            | Self::School { region, .. }
            | Self::Teacher { region, .. }
            | Self::Provider { region, .. }
            | Self::University { region, .. } => Some(region),
            Self::Account { scope, .. } => scope.region(),
        }
    }

    /// Regions and organisations form a public directory: anyone signed in may look them up
    /// (to pick a school, browse providers), while people and accounts are private.
    fn is_directory_entry(&self) -> bool {
        match self {
            Self::Region(_)
            | Self::School { .. }
            | Self::Provider { .. }
            | Self::University { .. } => true,
            Self::Teacher { .. } | Self::Account { .. } => false,
        }
    }
}

pub fn permits(scope: &Scope, action: Action, resource: &Resource, tree: &RegionTree) -> bool {
    if action == Action::Read && resource.is_directory_entry() {
        return true;
    }
    // Matched exhaustively, without a catch-all, so a new scope cannot slip in with access.
    match scope {
        Scope::System => true,
        Scope::Region(own) => resource
            .region()
            .is_some_and(|region| tree.contains(own, region)),
        Scope::School { school, .. } => match resource {
            Resource::Teacher { school: of, .. } => of == school,
            // A school sees its teachers' logins but changing them is the bureau's business.
            Resource::Account {
                scope: Scope::Teacher { school: of, .. },
                ..
            } => action == Action::Read && of == school,
            _ => false,
        },
        Scope::Provider { provider, .. } => {
            matches!(resource, Resource::Provider { id, .. } if id == provider)
        }
        Scope::University { university, .. } => {
            matches!(resource, Resource::University { id, .. } if id == university)
        }
        Scope::Teacher { teacher, .. } => {
            action != Action::Administer
                && matches!(resource, Resource::Teacher { id, .. } if id == teacher)
        }
    }
}

/// Whether a provider may act for a teacher it has no other tie to (enrol them, report them as an
/// instructor): only for teachers of schools in its own region's subtree, so a district's
/// training college reaches the district's teachers and a provincial one the province's.
pub fn provider_reaches(provider: &Resource, teacher: &Resource, tree: &RegionTree) -> bool {
    match (provider, teacher) {
        (Resource::Provider { region: own, .. }, Resource::Teacher { region, .. }) => {
            tree.contains(own, region)
        }
        _ => false,
    }
}

/// Whether `creator` may open an account with the scope `new_account`. Nobody below the system
/// can mint a system account, and a region admin only staffs its own subtree.
pub fn may_create_account(creator: &Scope, new_account: &Scope, tree: &RegionTree) -> bool {
    match creator {
        Scope::System => true,
        Scope::Region(own) => new_account
            .region()
            .is_some_and(|region| tree.contains(own, region)),
        Scope::School { school, .. } => {
            matches!(new_account, Scope::Teacher { school: of, .. } if of == school)
        }
        Scope::Provider { .. } | Scope::University { .. } | Scope::Teacher { .. } => false,
    }
}

mod deeds;
pub use deeds::{
    course_reach, may, refusal, CourseReach, Deed, OwnTeacher, PolicyOwner, Refusal, Ties,
};

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
