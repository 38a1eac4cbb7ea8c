//! The named actions of institutions' own systems: importing an earlier platform's records and
//! reading a university's work lists; a caller each allows and one it refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::{
    allows, id, provider_admin, region, school_admin, shinan_teacher, teacher_scope,
    university_admin,
};
use super::*;
use crate::test_support::code;

#[test]
fn an_earlier_platforms_record_is_imported_over_both_the_teacher_and_where_it_was_earned() {
    let t = shinan_teacher();
    let shinan = code("370202");
    let wuhan = code("420100");
    let deed = |earned_in| Deed::ImportRecord {
        teacher: &t,
        earned_in,
    };
    assert!(allows(&region("370200"), deed(&shinan)));
    assert!(allows(&Scope::System, deed(&wuhan)));
    // Over the teacher but not over where the record says it was earned, and the reverse.
    assert!(!allows(&region("370202"), deed(&wuhan)));
    assert!(!allows(&region("420000"), deed(&wuhan)));
    // Schools and providers never write certified history.
    assert!(allows(&region("620902"), Deed::ImportLedger));
    assert!(!allows(&school_admin(20, "370202"), Deed::ImportLedger));
    assert!(!allows(&school_admin(20, "370202"), deed(&shinan)));
    assert!(!allows(&provider_admin(5, "370202"), deed(&shinan)));
}

#[test]
fn a_universitys_work_lists_are_its_own_admins_and_the_systems() {
    let deed = || Deed::ReadUniversityWork { university: id(7) };
    assert!(allows(&university_admin(7, "370200"), deed()));
    assert!(allows(&Scope::System, deed()));
    assert!(!allows(&university_admin(8, "370200"), deed()));
    // Not the bureau of its region: the requests are the teachers' business with it.
    assert!(!allows(&region("370200"), deed()));
    assert!(!allows(&teacher_scope(1), deed()));
}
