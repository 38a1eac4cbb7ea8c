//! One test per named action: a caller it allows and one it refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::test_support::{code, seed_codes, seed_tree};

pub(super) fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub(super) fn region(s: &str) -> Scope {
    Scope::Region(code(s))
}

pub(super) fn school_admin(n: u128, r: &str) -> Scope {
    Scope::School {
        school: id(n),
        region: code(r),
    }
}

pub(super) fn provider_admin(n: u128, r: &str) -> Scope {
    Scope::Provider {
        provider: id(n),
        region: code(r),
    }
}

pub(super) fn university_admin(n: u128, r: &str) -> Scope {
    Scope::University {
        university: id(n),
        region: code(r),
    }
}

pub(super) fn teacher_scope(n: u128) -> Scope {
    Scope::Teacher {
        teacher: id(n),
        school: id(20),
        region: code("370202"),
    }
}

/// Teacher 1 of school 20 in 市南区.
pub(super) fn shinan_teacher() -> Resource {
    Resource::Teacher {
        id: id(1),
        school: id(20),
        region: code("370202"),
    }
}

pub(super) fn allows(scope: &Scope, deed: Deed<'_>) -> bool {
    may(scope, &deed, &seed_tree())
}

#[test]
fn a_region_admin_approves_courses_there_and_the_provider_does_not() {
    let at = code("370202");
    let deed = || Deed::ApproveCourse {
        provider_region: &at,
    };
    assert!(allows(&region("370200"), deed()));
    assert!(allows(&Scope::System, deed()));
    assert!(!allows(&provider_admin(1, "370202"), deed()));
    assert!(!allows(&region("370702"), deed()));
}

#[test]
fn a_refusal_says_whether_the_role_or_the_reach_was_wrong() {
    let at = code("370202");
    let deed = Deed::ApproveCourse {
        provider_region: &at,
    };
    let tree = seed_tree();
    let p = provider_admin(1, "370202");
    assert_eq!(refusal(&p, &deed, &tree), Some(Refusal::NotForYourRole));
    assert_eq!(
        refusal(&region("370702"), &deed, &tree),
        Some(Refusal::OutOfReach)
    );
    assert_eq!(refusal(&region("370202"), &deed, &tree), None);
}

#[test]
fn a_region_admin_over_the_teacher_recognises_records() {
    let t = shinan_teacher();
    assert!(allows(&region("370000"), Deed::Recognise { teacher: &t }));
    assert!(!allows(
        &school_admin(20, "370202"),
        Deed::Recognise { teacher: &t }
    ));
    assert!(!allows(&region("420100"), Deed::Recognise { teacher: &t }));
}

#[test]
fn region_admins_save_policies_and_others_do_not() {
    assert!(allows(&region("370700"), Deed::SavePolicy));
    assert!(!allows(&school_admin(1, "370702"), Deed::SavePolicy));
    assert!(!allows(&teacher_scope(1), Deed::SavePolicy));
}

#[test]
fn a_key_is_versioned_by_its_owner_and_a_built_in_one_by_the_system() {
    let weifang = code("370700");
    let owned = || Deed::VersionPolicy {
        owner: PolicyOwner::Region(&weifang),
    };
    assert!(allows(&region("370000"), owned()));
    assert!(!allows(&region("370200"), owned()));
    let built_in = || Deed::VersionPolicy {
        owner: PolicyOwner::BuiltIn,
    };
    assert!(allows(&Scope::System, built_in()));
    assert!(!allows(&region("370000"), built_in()));
}

#[test]
fn a_record_is_revoked_over_the_teacher_or_where_it_was_earned() {
    let t = shinan_teacher();
    let wuhan = code("420100");
    let deed = || Deed::RevokeRecord {
        teacher: &t,
        earned_in: &wuhan,
    };
    assert!(allows(&region("370202"), deed()));
    assert!(allows(&region("420000"), deed()));
    assert!(!allows(&region("620902"), deed()));
    assert!(!allows(&school_admin(20, "370202"), deed()));
}

#[test]
fn a_course_is_revoked_by_a_region_admin_over_its_provider() {
    let p = Resource::Provider {
        id: id(5),
        region: code("370202"),
    };
    assert!(allows(
        &region("370200"),
        Deed::RevokeCourse { provider: &p }
    ));
    assert!(!allows(
        &provider_admin(5, "370202"),
        Deed::RevokeCourse { provider: &p }
    ));
}

#[test]
fn a_region_admin_closes_years_in_its_subtree() {
    let r = code("370202");
    assert!(allows(&region("370202"), Deed::CloseYear { region: &r }));
    assert!(!allows(&region("370203"), Deed::CloseYear { region: &r }));
    assert!(!allows(
        &school_admin(20, "370202"),
        Deed::CloseYear { region: &r }
    ));
}

#[test]
fn the_school_admin_grants_make_up_allowances_and_the_teacher_does_not() {
    let t = shinan_teacher();
    assert!(allows(
        &school_admin(20, "370202"),
        Deed::GrantMakeUp { teacher: &t }
    ));
    assert!(allows(&region("370200"), Deed::GrantMakeUp { teacher: &t }));
    assert!(!allows(
        &teacher_scope(1),
        Deed::GrantMakeUp { teacher: &t }
    ));
    assert!(!allows(
        &school_admin(21, "370202"),
        Deed::GrantMakeUp { teacher: &t }
    ));
}

#[test]
fn only_a_teacher_declares_asks_for_conversions_and_grants_access() {
    for deed in [Deed::Declare, Deed::RequestConversion, Deed::GrantAccess] {
        assert!(allows(&teacher_scope(1), deed));
        assert!(!allows(&Scope::System, deed));
        assert!(!allows(&school_admin(20, "370202"), deed));
    }
}

#[test]
fn an_access_grant_is_read_by_its_two_parties() {
    let deed = || Deed::ReadAccessGrant {
        teacher: id(1),
        university: id(9),
    };
    assert!(allows(&teacher_scope(1), deed()));
    assert!(allows(&university_admin(9, "370000"), deed()));
    assert!(!allows(&teacher_scope(2), deed()));
    assert!(!allows(&region("370000"), deed()));
    assert!(!allows(&school_admin(20, "370202"), deed()));
}

#[test]
fn reviewers_decide_at_their_step() {
    let r = code("370202");
    let at = |step| Deed::Review {
        step,
        school: id(20),
        region: &r,
    };
    assert!(allows(&school_admin(20, "370202"), at(ReviewStep::School)));
    assert!(!allows(&school_admin(20, "370202"), at(ReviewStep::County)));
    assert!(allows(&region("370200"), at(ReviewStep::County)));
    assert!(allows(&region("370000"), at(ReviewStep::Province)));
    assert!(!allows(&region("370000"), at(ReviewStep::County)));
}

#[test]
fn only_the_system_decides_a_claim_twice() {
    assert!(allows(&Scope::System, Deed::ReviewAgain));
    assert!(!allows(&region("370000"), Deed::ReviewAgain));
}

#[test]
fn account_creation_follows_may_create_account() {
    let new = teacher_scope(1);
    assert!(allows(
        &school_admin(20, "370202"),
        Deed::CreateAccount { new_account: &new }
    ));
    assert!(!allows(
        &school_admin(21, "370202"),
        Deed::CreateAccount { new_account: &new }
    ));
    assert!(!allows(
        &region("370000"),
        Deed::CreateAccount {
            new_account: &Scope::System
        }
    ));
}

#[test]
fn a_training_provider_reads_the_teacher_but_not_the_whole_ledger() {
    let t = shinan_teacher();
    let trains = Ties {
        trains: true,
        granted: false,
    };
    let p = provider_admin(5, "420100");
    assert!(allows(
        &p,
        Deed::ReadTeacher {
            teacher: &t,
            ties: trains
        }
    ));
    assert!(!allows(
        &p,
        Deed::ReadTeacher {
            teacher: &t,
            ties: Ties::default()
        }
    ));
    assert!(!allows(
        &p,
        Deed::ReadWholeLedger {
            teacher: &t,
            ties: trains
        }
    ));
}

#[test]
fn a_granted_university_reads_the_whole_ledger() {
    let t = shinan_teacher();
    let granted = Ties {
        trains: false,
        granted: true,
    };
    let u = university_admin(9, "370000");
    assert!(allows(
        &u,
        Deed::ReadWholeLedger {
            teacher: &t,
            ties: granted
        }
    ));
    assert!(allows(
        &u,
        Deed::ReadTeacher {
            teacher: &t,
            ties: granted
        }
    ));
    assert!(!allows(
        &u,
        Deed::ReadWholeLedger {
            teacher: &t,
            ties: Ties::default()
        }
    ));
    // A tie only speaks for the kind of caller it belongs to.
    assert!(!allows(
        &region("420100"),
        Deed::ReadWholeLedger {
            teacher: &t,
            ties: granted
        }
    ));
}

#[test]
fn the_catalogue_reach_follows_the_scope() {
    assert_eq!(course_reach(None), CourseReach::Public);
    assert_eq!(course_reach(Some(&Scope::System)), CourseReach::Everything);
    assert_eq!(
        course_reach(Some(&region("370200"))),
        CourseReach::Subtree(code("370200"))
    );
    assert_eq!(
        course_reach(Some(&provider_admin(5, "370202"))),
        CourseReach::Provider(id(5))
    );
    assert_eq!(course_reach(Some(&teacher_scope(1))), CourseReach::Public);
}

proptest! {
    /// Every named action a region admin may take over a region it may also take from any
    /// region above it: authority only grows up the tree.
    #[test]
    fn authority_grows_up_the_tree(
        own in prop::sample::select(seed_codes()),
        at in prop::sample::select(seed_codes()),
    ) {
        let tree = seed_tree();
        let teacher = Resource::Teacher { id: id(1), school: id(20), region: at.clone() };
        let deeds = [
            Deed::ApproveCourse { provider_region: &at },
            Deed::Recognise { teacher: &teacher },
            Deed::CloseYear { region: &at },
            Deed::GrantMakeUp { teacher: &teacher },
            Deed::ImportRecord { teacher: &teacher, earned_in: &at },
        ];
        let scope = Scope::Region(own.clone());
        for deed in deeds {
            if may(&scope, &deed, &tree) {
                let mut up = tree.get(&own).and_then(|n| n.parent.clone());
                while let Some(parent) = up {
                    prop_assert!(may(&Scope::Region(parent.clone()), &deed, &tree), "{:?}", parent);
                    up = tree.get(&parent).and_then(|n| n.parent.clone());
                }
            }
        }
    }

    /// No tie lets anyone but a region or system admin revoke, recognise or close a year.
    #[test]
    fn ledger_authority_is_for_region_admins_only(n in 1u128..4, at in prop::sample::select(seed_codes())) {
        let tree = seed_tree();
        let teacher = Resource::Teacher { id: id(n), school: id(n), region: at.clone() };
        let others = [school_admin(n, at.as_str()), provider_admin(n, at.as_str()),
                      university_admin(n, at.as_str()), teacher_scope(n)];
        for scope in &others {
            let deed = Deed::Recognise { teacher: &teacher };
            prop_assert!(!may(scope, &deed, &tree), "{:?}", scope);
            let deed = Deed::RevokeRecord { teacher: &teacher, earned_in: &at };
            prop_assert!(!may(scope, &deed, &tree), "{:?}", scope);
            let deed = Deed::CloseYear { region: &at };
            prop_assert!(!may(scope, &deed, &tree), "{:?}", scope);
            let deed = Deed::ImportRecord { teacher: &teacher, earned_in: &at };
            prop_assert!(!may(scope, &deed, &tree), "{:?}", scope);
            prop_assert!(!may(scope, &Deed::SavePolicy, &tree), "{:?}", scope);
        }
    }
}
