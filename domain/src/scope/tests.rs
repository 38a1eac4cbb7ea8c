#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::test_support::{code, seed_tree};

use Action::{Manage, Read};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn school(n: u128, region: &str) -> Resource {
    Resource::School {
        id: id(n),
        region: code(region),
    }
}

fn teacher(n: u128, school: u128, region: &str) -> Resource {
    Resource::Teacher {
        id: id(n),
        school: id(school),
        region: code(region),
    }
}

fn provider(n: u128, region: &str) -> Resource {
    Resource::Provider {
        id: id(n),
        region: code(region),
    }
}

fn university(n: u128, region: &str) -> Resource {
    Resource::University {
        id: id(n),
        region: code(region),
    }
}

fn account(scope: Scope) -> Resource {
    Resource::Account { id: id(999), scope }
}

fn region_admin(region: &str) -> Scope {
    Scope::Region(code(region))
}

fn school_admin(n: u128, region: &str) -> Scope {
    Scope::School {
        school: id(n),
        region: code(region),
    }
}

fn teacher_scope(n: u128, school: u128, region: &str) -> Scope {
    Scope::Teacher {
        teacher: id(n),
        school: id(school),
        region: code(region),
    }
}

fn provider_admin(n: u128, region: &str) -> Scope {
    Scope::Provider {
        provider: id(n),
        region: code(region),
    }
}

fn university_admin(n: u128, region: &str) -> Scope {
    Scope::University {
        university: id(n),
        region: code(region),
    }
}

fn may(scope: &Scope, action: Action, resource: &Resource) -> bool {
    permits(scope, action, resource, &seed_tree())
}

fn may_create(creator: &Scope, new_account: &Scope) -> bool {
    may_create_account(creator, new_account, &seed_tree())
}

#[test]
fn scopes_know_their_role_and_region() {
    assert_eq!(Scope::System.role(), Role::SystemAdmin);
    assert_eq!(Scope::System.region(), None);
    assert_eq!(region_admin("370200").role(), Role::RegionAdmin);
    assert_eq!(school_admin(1, "370202").role(), Role::SchoolAdmin);
    assert_eq!(provider_admin(1, "370202").role(), Role::ProviderAdmin);
    assert_eq!(university_admin(1, "420100").role(), Role::UniversityAdmin);
    let t = teacher_scope(1, 2, "370202");
    assert_eq!(t.role(), Role::Teacher);
    assert_eq!(t.region(), Some(&code("370202")));
}

#[test]
fn the_system_may_do_anything() {
    assert!(may(&Scope::System, Manage, &school(1, "370202")));
    assert!(may(&Scope::System, Manage, &teacher(1, 2, "620902")));
    assert!(may(&Scope::System, Manage, &account(Scope::System)));
    assert!(may(
        &Scope::System,
        Manage,
        &Resource::Region(code("100000"))
    ));
}

#[test]
fn the_directory_is_readable_by_everyone_but_people_are_not() {
    let everyone = [
        region_admin("620902"),
        school_admin(7, "310104"),
        provider_admin(7, "310104"),
        university_admin(7, "310104"),
        teacher_scope(7, 8, "310104"),
    ];
    for scope in &everyone {
        assert!(may(scope, Read, &Resource::Region(code("370000"))));
        assert!(may(scope, Read, &school(1, "370202")));
        assert!(may(scope, Read, &provider(1, "370202")));
        assert!(may(scope, Read, &university(1, "420100")));
        assert!(!may(scope, Read, &teacher(1, 2, "370202")), "{scope:?}");
        assert!(
            !may(scope, Read, &account(teacher_scope(1, 2, "370202"))),
            "{scope:?}"
        );
    }
}

#[test]
fn a_region_admin_manages_its_own_subtree_only() {
    let shinan = region_admin("370202");
    assert!(may(&shinan, Manage, &school(1, "370202")));
    assert!(!may(&shinan, Manage, &school(1, "370702")));
    assert!(!may(&shinan, Manage, &school(1, "370203")));

    let qingdao = region_admin("370200");
    assert!(may(&qingdao, Manage, &school(1, "370202")));
    assert!(may(&qingdao, Manage, &school(1, "370200")));
    assert!(!may(&qingdao, Manage, &school(1, "370781")));

    let shandong = region_admin("370000");
    assert!(may(&shandong, Manage, &school(1, "370781")));
    assert!(!may(&shandong, Manage, &school(1, "420106")));
}

#[test]
fn a_region_admin_manages_regions_within_but_not_above() {
    let qingdao = region_admin("370200");
    assert!(may(&qingdao, Manage, &Resource::Region(code("370200"))));
    assert!(may(&qingdao, Manage, &Resource::Region(code("370203"))));
    assert!(!may(&qingdao, Manage, &Resource::Region(code("370000"))));
    assert!(!may(&qingdao, Manage, &Resource::Region(code("370700"))));
}

#[test]
fn a_region_admin_reaches_teachers_providers_and_universities_in_its_subtree() {
    let wuhan = region_admin("420100");
    assert!(may(&wuhan, Read, &teacher(1, 2, "420106")));
    assert!(may(&wuhan, Manage, &teacher(1, 2, "420102")));
    assert!(!may(&wuhan, Read, &teacher(1, 2, "370202")));
    assert!(may(&wuhan, Manage, &provider(1, "420100")));
    assert!(!may(&wuhan, Manage, &provider(1, "420000")));
    assert!(may(&wuhan, Manage, &university(1, "420106")));
    assert!(!may(&wuhan, Manage, &university(1, "310104")));
}

#[test]
fn a_region_admin_manages_accounts_in_its_subtree_but_never_the_system() {
    let jiuquan = region_admin("620900");
    assert!(may(&jiuquan, Manage, &account(school_admin(1, "620902"))));
    assert!(may(&jiuquan, Read, &account(teacher_scope(1, 2, "620902"))));
    assert!(may(&jiuquan, Manage, &account(region_admin("620902"))));
    assert!(!may(&jiuquan, Manage, &account(region_admin("620000"))));
    assert!(!may(
        &jiuquan,
        Manage,
        &account(provider_admin(1, "370202"))
    ));
    let national = region_admin("100000");
    assert!(may(&national, Manage, &account(region_admin("370000"))));
    assert!(!may(&national, Read, &account(Scope::System)));
}

#[test]
fn a_region_admin_reaches_nothing_outside_the_known_tree() {
    let national = region_admin("100000");
    assert!(!may(&national, Manage, &school(1, "999999")));
    assert!(!may(&region_admin("999999"), Manage, &school(1, "999999")));
}

#[test]
fn a_school_admin_reaches_its_own_teachers_only() {
    let admin = school_admin(10, "370202");
    assert!(may(&admin, Read, &teacher(1, 10, "370202")));
    assert!(may(&admin, Manage, &teacher(1, 10, "370202")));
    assert!(!may(&admin, Read, &teacher(2, 11, "370202")));
    assert!(!may(&admin, Manage, &teacher(2, 11, "370202")));
}

#[test]
fn a_school_admin_manages_nothing_but_teachers() {
    let admin = school_admin(10, "370202");
    assert!(!may(&admin, Manage, &school(10, "370202")));
    assert!(!may(&admin, Manage, &Resource::Region(code("370202"))));
    assert!(!may(&admin, Manage, &provider(10, "370202")));
    assert!(!may(&admin, Manage, &university(10, "370202")));
}

#[test]
fn a_school_admin_reads_but_does_not_manage_its_teachers_accounts() {
    let admin = school_admin(10, "370202");
    let own = account(teacher_scope(1, 10, "370202"));
    assert!(may(&admin, Read, &own));
    assert!(!may(&admin, Manage, &own));
    assert!(!may(&admin, Read, &account(teacher_scope(2, 11, "370202"))));
    assert!(!may(&admin, Read, &account(school_admin(10, "370202"))));
}

#[test]
fn a_provider_admin_manages_its_own_provider_only() {
    let admin = provider_admin(20, "370202");
    assert!(may(&admin, Manage, &provider(20, "370202")));
    assert!(!may(&admin, Manage, &provider(21, "370202")));
    assert!(!may(&admin, Read, &teacher(1, 10, "370202")));
}

#[test]
fn a_university_admin_manages_its_own_university_only() {
    let admin = university_admin(30, "420106");
    assert!(may(&admin, Manage, &university(30, "420106")));
    assert!(!may(&admin, Manage, &university(31, "420106")));
    assert!(!may(&admin, Read, &teacher(1, 10, "420106")));
}

#[test]
fn a_teacher_reaches_itself_but_not_a_colleague() {
    let me = teacher_scope(1, 10, "370202");
    assert!(may(&me, Read, &teacher(1, 10, "370202")));
    assert!(may(&me, Manage, &teacher(1, 10, "370202")));
    assert!(!may(&me, Read, &teacher(2, 10, "370202")));
    assert!(!may(&me, Manage, &school(10, "370202")));
}

#[test]
fn the_system_may_create_any_account() {
    assert!(may_create(&Scope::System, &Scope::System));
    assert!(may_create(&Scope::System, &region_admin("100000")));
    assert!(may_create(&Scope::System, &teacher_scope(1, 2, "310104")));
}

#[test]
fn a_region_admin_creates_accounts_within_its_subtree_never_system() {
    let qingdao = region_admin("370200");
    assert!(may_create(&qingdao, &region_admin("370200")));
    assert!(may_create(&qingdao, &region_admin("370202")));
    assert!(!may_create(&qingdao, &region_admin("370000")));
    assert!(may_create(&qingdao, &school_admin(1, "370203")));
    assert!(!may_create(&qingdao, &school_admin(1, "370702")));
    assert!(may_create(&qingdao, &provider_admin(1, "370200")));
    assert!(!may_create(&qingdao, &provider_admin(1, "420100")));
    assert!(may_create(&qingdao, &university_admin(1, "370202")));
    assert!(!may_create(&qingdao, &university_admin(1, "310104")));
    assert!(may_create(&qingdao, &teacher_scope(1, 2, "370202")));
    assert!(!may_create(&qingdao, &teacher_scope(1, 2, "370781")));
    assert!(!may_create(&region_admin("100000"), &Scope::System));
}

#[test]
fn a_school_admin_creates_only_its_own_teachers() {
    let admin = school_admin(10, "370202");
    assert!(may_create(&admin, &teacher_scope(1, 10, "370202")));
    assert!(!may_create(&admin, &teacher_scope(1, 11, "370202")));
    assert!(!may_create(&admin, &school_admin(10, "370202")));
    assert!(!may_create(&admin, &Scope::System));
}

#[test]
fn other_scopes_create_no_accounts() {
    let new_teacher = teacher_scope(1, 10, "370202");
    assert!(!may_create(&provider_admin(20, "370202"), &new_teacher));
    assert!(!may_create(&university_admin(30, "370202"), &new_teacher));
    assert!(!may_create(&teacher_scope(2, 10, "370202"), &new_teacher));
}

#[test]
fn a_provider_reaches_the_teachers_of_its_own_region_subtree_only() {
    let tree = seed_tree();
    let qingdao = provider(1, "370200");
    assert!(provider_reaches(&qingdao, &teacher(2, 3, "370202"), &tree));
    assert!(!provider_reaches(&qingdao, &teacher(2, 3, "370702"), &tree));
    assert!(!provider_reaches(&qingdao, &teacher(2, 3, "420102"), &tree));
    let shandong = provider(4, "370000");
    assert!(provider_reaches(&shandong, &teacher(2, 3, "370702"), &tree));
    // Only a provider reaches this way.
    assert!(!provider_reaches(
        &school(5, "370200"),
        &teacher(2, 3, "370202"),
        &tree
    ));
}
