//! The named actions on accounts and their API keys: a caller each allows and one it refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::test_support::{code, seed_tree};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn region(s: &str) -> Scope {
    Scope::Region(code(s))
}

fn provider_admin(n: u128, r: &str) -> Scope {
    Scope::Provider {
        provider: id(n),
        region: code(r),
    }
}

fn allows(scope: &Scope, deed: Deed<'_>) -> bool {
    may(scope, &deed, &seed_tree())
}

/// A provider admin's login at provider 5 in 市南区.
fn provider_login() -> Resource {
    Resource::Account {
        id: id(40),
        scope: provider_admin(5, "370202"),
    }
}

#[test]
fn a_region_admin_over_the_account_disables_it_and_nobody_disables_their_own() {
    let login = provider_login();
    let deed = |own| Deed::SetAccountDisabled {
        account: &login,
        own,
    };
    assert!(allows(&region("370200"), deed(false)));
    assert!(allows(&Scope::System, deed(false)));
    // Another region, the provider itself, the school of a teacher: refused.
    assert!(!allows(&region("420100"), deed(false)));
    assert!(!allows(&provider_admin(5, "370202"), deed(false)));
    let teacher_login = Resource::Account {
        id: id(41),
        scope: Scope::Teacher {
            teacher: id(1),
            school: id(20),
            region: code("370202"),
        },
    };
    let by_school = Deed::SetAccountDisabled {
        account: &teacher_login,
        own: false,
    };
    assert!(!allows(
        &Scope::School {
            school: id(20),
            region: code("370202"),
        },
        by_school
    ));
    // Not one's own, even the system's.
    assert!(!allows(&Scope::System, deed(true)));
    assert!(!allows(&region("370200"), deed(true)));
}

#[test]
fn an_api_key_is_revoked_by_its_owner_or_an_admin_over_the_account() {
    let login = provider_login();
    let deed = |own| Deed::RevokeApiKey { owner: &login, own };
    assert!(allows(&provider_admin(5, "370202"), deed(true)));
    assert!(allows(&region("370202"), deed(false)));
    assert!(allows(&Scope::System, deed(false)));
    // Another provider, another region, a school: refused.
    assert!(!allows(&provider_admin(6, "370202"), deed(false)));
    assert!(!allows(&region("370700"), deed(false)));
    assert!(!allows(
        &Scope::School {
            school: id(20),
            region: code("370202"),
        },
        deed(false)
    ));
}
