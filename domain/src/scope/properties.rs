//! Property tests of the scope rules over the seed region tree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::test_support::{seed_codes, seed_tree};

use Action::{Administer, Manage, Read};

fn arb_region() -> impl Strategy<Value = RegionCode> {
    prop::sample::select(seed_codes())
}

/// Few distinct ids, so that "same organisation" comes up often.
fn arb_id() -> impl Strategy<Value = Uuid> {
    (1u128..4).prop_map(Uuid::from_u128)
}

fn arb_scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        Just(Scope::System),
        arb_region().prop_map(Scope::Region),
        (arb_id(), arb_region()).prop_map(|(school, region)| Scope::School { school, region }),
        (arb_id(), arb_region())
            .prop_map(|(provider, region)| Scope::Provider { provider, region }),
        (arb_id(), arb_region())
            .prop_map(|(university, region)| Scope::University { university, region }),
        (arb_id(), arb_id(), arb_region()).prop_map(|(teacher, school, region)| Scope::Teacher {
            teacher,
            school,
            region
        }),
    ]
}

fn arb_resource() -> impl Strategy<Value = Resource> {
    prop_oneof![
        arb_region().prop_map(Resource::Region),
        (arb_id(), arb_region()).prop_map(|(id, region)| Resource::School { id, region }),
        (arb_id(), arb_id(), arb_region()).prop_map(|(id, school, region)| Resource::Teacher {
            id,
            school,
            region
        }),
        (arb_id(), arb_region()).prop_map(|(id, region)| Resource::Provider { id, region }),
        (arb_id(), arb_region()).prop_map(|(id, region)| Resource::University { id, region }),
        (arb_id(), arb_scope()).prop_map(|(id, scope)| Resource::Account { id, scope }),
    ]
}

fn arb_action() -> impl Strategy<Value = Action> {
    prop_oneof![Just(Read), Just(Manage)]
}

fn may(scope: &Scope, action: Action, resource: &Resource) -> bool {
    permits(scope, action, resource, &seed_tree())
}

fn may_create(creator: &Scope, new_account: &Scope) -> bool {
    may_create_account(creator, new_account, &seed_tree())
}

proptest! {
    #[test]
    fn the_system_is_never_refused(action in arb_action(), resource in arb_resource()) {
        prop_assert!(may(&Scope::System, action, &resource));
    }

    #[test]
    fn managing_implies_reading(scope in arb_scope(), resource in arb_resource()) {
        if may(&scope, Manage, &resource) {
            prop_assert!(may(&scope, Read, &resource));
        }
    }

    #[test]
    fn region_admins_reach_exactly_their_subtree_plus_the_directory(
        own in arb_region(), action in arb_action(), resource in arb_resource()
    ) {
        let tree = seed_tree();
        let inside = resource.region().is_some_and(|r| tree.contains(&own, r));
        let directory = action == Read
            && !matches!(resource, Resource::Teacher { .. } | Resource::Account { .. });
        prop_assert_eq!(
            permits(&Scope::Region(own), action, &resource, &tree),
            inside || directory
        );
    }

    #[test]
    fn a_parent_region_reaches_whatever_its_child_reaches(
        own in arb_region(), action in arb_action(), resource in arb_resource()
    ) {
        let tree = seed_tree();
        if let Some(parent) = tree.get(&own).and_then(|n| n.parent.clone()) {
            if permits(&Scope::Region(own), action, &resource, &tree) {
                prop_assert!(permits(&Scope::Region(parent), action, &resource, &tree));
            }
        }
    }

    #[test]
    fn only_the_system_creates_system_accounts(creator in arb_scope()) {
        prop_assert_eq!(may_create(&creator, &Scope::System), creator == Scope::System);
    }

    #[test]
    fn whoever_creates_an_account_may_read_it(creator in arb_scope(), new_account in arb_scope()) {
        if may_create(&creator, &new_account) {
            let resource = Resource::Account { id: Uuid::from_u128(99), scope: new_account };
            prop_assert!(may(&creator, Read, &resource));
        }
    }

    #[test]
    fn organisation_admins_and_teachers_manage_only_their_own_record(
        scope in arb_scope(), resource in arb_resource()
    ) {
        let own = match (&scope, &resource) {
            (Scope::School { school, .. }, Resource::Teacher { school: of, .. }) => of == school,
            (Scope::Provider { provider, .. }, Resource::Provider { id, .. }) => id == provider,
            (Scope::University { university, .. }, Resource::University { id, .. }) => {
                id == university
            }
            (Scope::Teacher { teacher, .. }, Resource::Teacher { id, .. }) => id == teacher,
            (Scope::System | Scope::Region(_), _) => return Ok(()),
            _ => false,
        };
        prop_assert_eq!(may(&scope, Manage, &resource), own);
    }

    /// The record of who a teacher is belongs to their administrators: the teacher may act for
    /// itself but not administer itself; for everyone else administering is managing.
    #[test]
    fn nobody_administers_their_own_teacher_record(
        scope in arb_scope(), resource in arb_resource()
    ) {
        let expected = match scope {
            Scope::Teacher { .. } => false,
            _ => may(&scope, Manage, &resource),
        };
        prop_assert_eq!(may(&scope, Administer, &resource), expected);
    }
}
