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

#[test]
fn a_review_reach_holds_what_the_reviewer_reviews() {
    let t = tree();
    let code = |s: &str| RegionCode::parse(s).unwrap();
    let school = Uuid::from_u128(1);
    let shinan = Scope::Region(code("370202"));
    let reach = reach_of(&shinan, &t).unwrap();
    assert!(reach.holds(Some(ReviewStep::County), school, Some(&code("370202")), &t));
    assert!(!reach.holds(Some(ReviewStep::School), school, Some(&code("370202")), &t));
    assert!(!reach.holds(Some(ReviewStep::County), school, Some(&code("370702")), &t));
    let admin = Scope::School {
        school,
        region: code("370202"),
    };
    let reach = reach_of(&admin, &t).unwrap();
    assert!(reach.holds(Some(ReviewStep::School), school, None, &t));
    assert!(!reach.holds(Some(ReviewStep::School), Uuid::from_u128(2), None, &t));
    assert_eq!(reach_of(&Scope::System, &t), Some(ReviewReach::Everything));
    let provider = Scope::Provider {
        provider: school,
        region: code("370202"),
    };
    assert_eq!(reach_of(&provider, &t), None);
    assert_eq!(reach_of(&Scope::Region(code("100000")), &t), None);
}

proptest::proptest! {
    /// The queue's reach and the per-claim rule agree: a claim is in a reviewer's reach exactly
    /// when `reviews` lets the reviewer decide it at the step it waits at.
    #[test]
    fn the_reach_agrees_with_reviews(
        scope_pick in 0usize..5,
        region_pick in 0usize..crate::test_support::SEED_REGIONS.len(),
        own_pick in 0usize..crate::test_support::SEED_REGIONS.len(),
        step_pick in 0usize..3,
        same_school: bool,
    ) {
        let t = tree();
        let pick = |i: usize| RegionCode::parse(crate::test_support::SEED_REGIONS[i].0).unwrap();
        let (own, region) = (pick(own_pick), pick(region_pick));
        let school = Uuid::from_u128(1);
        let claim_school = if same_school { school } else { Uuid::from_u128(2) };
        let scope = match scope_pick {
            0 => Scope::System,
            1 | 2 => Scope::Region(own),
            3 => Scope::School { school, region: own },
            _ => Scope::Teacher { teacher: school, school, region: own },
        };
        let step = ReviewStep::ALL[step_pick];
        let by_reach = reach_of(&scope, &t)
            .is_some_and(|r| r.holds(Some(step), claim_school, Some(&region), &t));
        proptest::prop_assert_eq!(by_reach, reviews(&scope, step, claim_school, &region, &t));
    }
}
