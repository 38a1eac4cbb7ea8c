#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::test_support::seed_tree as tree;

const FULL: &[ReviewStep] = &[ReviewStep::School, ReviewStep::County, ReviewStep::Province];

#[test]
fn each_approval_moves_the_claim_on_and_the_last_certifies() {
    let pending = CreditStatus::Pending;
    let a = decide(
        FULL,
        pending,
        Some(ReviewStep::School),
        Decision::Approve,
        None,
    )
    .unwrap();
    assert_eq!(a.next_step, Some(ReviewStep::County));
    let b = decide(
        FULL,
        pending,
        Some(ReviewStep::County),
        Decision::Approve,
        None,
    )
    .unwrap();
    assert_eq!(b.next_step, Some(ReviewStep::Province));
    let c = decide(
        FULL,
        pending,
        Some(ReviewStep::Province),
        Decision::Approve,
        None,
    )
    .unwrap();
    assert_eq!((c.status, c.next_step), (CreditStatus::Certified, None));
}

#[test]
fn a_shortened_chain_certifies_at_the_county() {
    let short = chain(Some(&[ReviewStep::School, ReviewStep::County]));
    let c = decide(
        &short,
        CreditStatus::Pending,
        Some(ReviewStep::County),
        Decision::Approve,
        None,
    )
    .unwrap();
    assert_eq!(c.status, CreditStatus::Certified);
    assert_eq!(chain(None), FULL.to_vec());
}

#[test]
fn a_rejection_needs_a_comment_and_a_finished_record_takes_no_decision() {
    let r = decide(
        FULL,
        CreditStatus::Pending,
        Some(ReviewStep::School),
        Decision::Reject,
        Some(" "),
    );
    assert_eq!(r, Err(Refusal::CommentRequired));
    let r = decide(
        FULL,
        CreditStatus::Pending,
        Some(ReviewStep::School),
        Decision::Reject,
        Some("证书不清晰"),
    )
    .unwrap();
    assert_eq!(r.status, CreditStatus::Rejected);
    let done = decide(FULL, CreditStatus::Certified, None, Decision::Approve, None);
    assert_eq!(done, Err(Refusal::Finished));
}

#[test]
fn only_the_reviewer_of_the_step_may_act() {
    let regions = tree();
    let shinan = RegionCode::parse("370202").unwrap();
    let school = Uuid::from_u128(7);
    let own_school = Scope::School {
        school,
        region: shinan.clone(),
    };
    let other_school = Scope::School {
        school: Uuid::from_u128(8),
        region: shinan.clone(),
    };
    let county = Scope::Region(shinan.clone());
    let city = Scope::Region(RegionCode::parse("370200").unwrap());
    let province = Scope::Region(RegionCode::parse("370000").unwrap());
    let hubei = Scope::Region(RegionCode::parse("420000").unwrap());
    assert!(reviews(
        &own_school,
        ReviewStep::School,
        school,
        &shinan,
        &regions
    ));
    assert!(!reviews(
        &other_school,
        ReviewStep::School,
        school,
        &shinan,
        &regions
    ));
    assert!(!reviews(
        &own_school,
        ReviewStep::County,
        school,
        &shinan,
        &regions
    ));
    assert!(reviews(
        &county,
        ReviewStep::County,
        school,
        &shinan,
        &regions
    ));
    assert!(reviews(
        &city,
        ReviewStep::County,
        school,
        &shinan,
        &regions
    ));
    assert!(!reviews(
        &province,
        ReviewStep::County,
        school,
        &shinan,
        &regions
    ));
    assert!(reviews(
        &province,
        ReviewStep::Province,
        school,
        &shinan,
        &regions
    ));
    assert!(!reviews(
        &hubei,
        ReviewStep::Province,
        school,
        &shinan,
        &regions
    ));
    assert!(reviews(
        &Scope::System,
        ReviewStep::Province,
        school,
        &shinan,
        &regions
    ));
    assert_eq!(step_of(&city, &regions), Some(ReviewStep::County));
    assert_eq!(step_of(&province, &regions), Some(ReviewStep::Province));
}
