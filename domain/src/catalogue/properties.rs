//! Property tests of the lifecycle, enrolment and waitlist rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::tests::{d, raw};
use super::*;

const ACTIONS: [CourseAction; 5] = [
    CourseAction::Publish,
    CourseAction::Approve,
    CourseAction::Reject,
    CourseAction::Close,
    CourseAction::Archive,
];

/// The five arrows of the lifecycle and nothing else.
const ARROWS: [(CourseStatus, CourseAction, CourseStatus); 5] = [
    (
        CourseStatus::Draft,
        CourseAction::Publish,
        CourseStatus::PendingApproval,
    ),
    (
        CourseStatus::PendingApproval,
        CourseAction::Approve,
        CourseStatus::Published,
    ),
    (
        CourseStatus::PendingApproval,
        CourseAction::Reject,
        CourseStatus::Draft,
    ),
    (
        CourseStatus::Published,
        CourseAction::Close,
        CourseStatus::Closed,
    ),
    (
        CourseStatus::Closed,
        CourseAction::Archive,
        CourseStatus::Archived,
    ),
];

#[test]
fn every_status_and_action_pair_follows_the_arrows() {
    for from in CourseStatus::ALL {
        for action in ACTIONS {
            let expected = ARROWS
                .iter()
                .find(|(f, a, _)| f == from && *a == action)
                .map(|(_, _, to)| *to);
            match (next_status(*from, action), expected) {
                (Ok(to), Some(e)) => assert_eq!(to, e),
                (Err(err), None) => {
                    assert_eq!((err.from, err.action), (*from, action));
                    assert!(err.to_string().contains(from.as_str()), "{err}");
                }
                (got, want) => panic!("{from} + {action:?}: got {got:?}, want {want:?}"),
            }
        }
    }
}

fn arb_status() -> impl Strategy<Value = CourseStatus> {
    prop::sample::select(CourseStatus::ALL.to_vec())
}

fn arb_date() -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::of((0i64..60).prop_map(|n| d("2026-09-01") + chrono::Days::new(n as u64)))
}

proptest! {
    #[test]
    fn any_action_sequence_stays_on_the_lifecycle(
        actions in prop::collection::vec(prop::sample::select(ACTIONS.to_vec()), 0..20)
    ) {
        // Archived is terminal, and nothing but a rejection ever moves a course backwards.
        let mut status = CourseStatus::Draft;
        for action in actions {
            if let Ok(next) = next_status(status, action) {
                prop_assert!(next > status || action == CourseAction::Reject);
                prop_assert_ne!(status, CourseStatus::Archived);
                status = next;
            }
        }
    }

    #[test]
    fn seats_are_never_oversold(cap in 1u32..500, taken in 0u64..1000) {
        let w = EnrollmentWindow { status: CourseStatus::Published, capacity: Some(cap), opens_on: None, closes_on: None };
        let decision = decide_enrollment(&w, d("2026-01-01"), taken).unwrap();
        prop_assert_eq!(decision == EnrollDecision::Enrolled, taken < u64::from(cap));
    }

    #[test]
    fn only_a_published_course_inside_its_window_takes_anyone(
        status in arb_status(),
        opens in arb_date(),
        closes in arb_date(),
        today in arb_date(),
        taken in 0u64..10,
    ) {
        let today = today.unwrap_or(d("2026-10-01"));
        let w = EnrollmentWindow { status, capacity: Some(5), opens_on: opens, closes_on: closes };
        let inside = opens.is_none_or(|o| o <= today) && closes.is_none_or(|c| today <= c);
        let result = decide_enrollment(&w, today, taken);
        prop_assert_eq!(result.is_ok(), status == CourseStatus::Published && inside);
    }

    #[test]
    fn promotion_fills_free_seats_and_no_more(
        cap in prop::option::of(1u32..200),
        enrolled in 0u64..300,
        waitlisted in 0u64..300,
    ) {
        let moved = promote_from_waitlist(cap, enrolled, waitlisted);
        prop_assert!(moved <= waitlisted);
        if let Some(cap) = cap.map(u64::from) {
            // Never past capacity, and nobody left waiting while a seat is free.
            prop_assert!(enrolled + moved <= cap.max(enrolled));
            prop_assert!(moved == waitlisted || enrolled + moved >= cap);
        } else {
            prop_assert_eq!(moved, waitlisted);
        }
    }

    #[test]
    fn a_parsed_draft_parses_again_unchanged(hours_e4 in 1i64..=20_000_000, cap in prop::option::of(1i32..=100_000)) {
        let mut r = raw();
        r.hours = Amount::from_e4(hours_e4);
        r.capacity = cap;
        let draft = CourseDraft::parse(r.clone()).unwrap();
        let again = CourseDraft::parse(CourseInputRaw {
            code: draft.code.clone(),
            title: draft.title.clone(),
            description: Some(draft.description.clone()),
            category: draft.category.as_str().to_owned(),
            capacity: draft.capacity.map(|c| i32::try_from(c).unwrap()),
            target_stages: draft.target_stages.clone(),
            subjects: draft.subjects.clone(),
            ..r
        })
        .unwrap();
        prop_assert!(credit_bearing_changed(&draft, &again).is_empty());
        prop_assert_eq!(again, draft);
    }
}
