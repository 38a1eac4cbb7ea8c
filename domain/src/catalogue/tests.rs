#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn raw() -> CourseInputRaw {
    CourseInputRaw {
        code: " QD-IT.01 ".into(),
        title: "信息技术应用能力提升".into(),
        description: None,
        level: TrainingLevel::Municipal,
        modality: Modality::Concentrated,
        category: "INFORMATION".into(),
        compulsory: true,
        hours: Amount::parse("24").unwrap(),
        capacity: Some(40),
        target_stages: vec![Stage::Primary, Stage::Primary],
        subjects: vec!["数学".into()],
        enrollment_opens_on: Some(d("2026-09-01")),
        enrollment_closes_on: Some(d("2026-09-10")),
        starts_on: Some(d("2026-09-15")),
        ends_on: Some(d("2026-09-30")),
    }
}

#[test]
fn a_valid_course_is_trimmed_and_deduplicated() {
    let draft = CourseDraft::parse(raw()).unwrap();
    assert_eq!(draft.code, "QD-IT.01");
    assert_eq!(draft.target_stages, vec![Stage::Primary]);
    assert_eq!(draft.capacity, Some(40));
}

#[test]
fn each_bad_fact_names_its_field() {
    type Mutation = Box<dyn Fn(&mut CourseInputRaw)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (Box::new(|r| r.code = "".into()), "code"),
        (Box::new(|r| r.code = "有中文".into()), "code"),
        (Box::new(|r| r.title = " ".into()), "title"),
        (Box::new(|r| r.category = "lower".into()), "category"),
        (Box::new(|r| r.hours = Amount::ZERO), "hours"),
        (
            Box::new(|r| r.hours = Amount::parse("2000.5").unwrap()),
            "hours",
        ),
        (Box::new(|r| r.capacity = Some(0)), "capacity"),
        (Box::new(|r| r.subjects = vec!["".into()]), "subjects"),
        (
            Box::new(|r| r.enrollment_closes_on = Some(d("2026-08-01"))),
            "enrollmentClosesOn",
        ),
        (Box::new(|r| r.ends_on = Some(d("2026-09-01"))), "endsOn"),
    ];
    for (mutate, field) in cases {
        let mut r = raw();
        mutate(&mut r);
        assert_eq!(CourseDraft::parse(r).unwrap_err().field, field);
    }
}

#[test]
fn credit_bearing_changes_are_listed_by_field() {
    let a = CourseDraft::parse(raw()).unwrap();
    let mut b = a.clone();
    b.title = "新标题".into();
    assert!(credit_bearing_changed(&a, &b).is_empty());
    b.hours = Amount::parse("30").unwrap();
    b.compulsory = false;
    assert_eq!(credit_bearing_changed(&a, &b), vec!["hours", "compulsory"]);
}

#[test]
fn the_lifecycle_allows_only_its_arrows() {
    use CourseAction as A;
    use CourseStatus as S;
    assert_eq!(next_status(S::Draft, A::Publish), Ok(S::PendingApproval));
    assert_eq!(
        next_status(S::PendingApproval, A::Approve),
        Ok(S::Published)
    );
    assert_eq!(next_status(S::PendingApproval, A::Reject), Ok(S::Draft));
    assert_eq!(next_status(S::Published, A::Close), Ok(S::Closed));
    assert_eq!(next_status(S::Closed, A::Archive), Ok(S::Archived));
    let err = next_status(S::Draft, A::Approve).unwrap_err();
    assert_eq!(err.to_string(), "a DRAFT course cannot be approved");
    assert!(next_status(S::Published, A::Approve).is_err());
    assert!(!editable(S::Closed));
}

#[test]
fn enrolment_respects_status_window_and_capacity() {
    let w = EnrollmentWindow {
        status: CourseStatus::Published,
        capacity: Some(2),
        opens_on: Some(d("2026-09-01")),
        closes_on: Some(d("2026-09-10")),
    };
    assert_eq!(
        decide_enrollment(&w, d("2026-09-05"), 1),
        Ok(EnrollDecision::Enrolled)
    );
    assert_eq!(
        decide_enrollment(&w, d("2026-09-05"), 2),
        Ok(EnrollDecision::Waitlisted)
    );
    assert_eq!(
        decide_enrollment(&w, d("2026-08-31"), 0),
        Err(EnrollRefusal::NotYetOpen(d("2026-09-01")))
    );
    assert_eq!(
        decide_enrollment(&w, d("2026-09-11"), 0),
        Err(EnrollRefusal::Closed(d("2026-09-10")))
    );
    let draft = EnrollmentWindow {
        status: CourseStatus::Draft,
        ..w
    };
    assert_eq!(
        decide_enrollment(&draft, d("2026-09-05"), 0),
        Err(EnrollRefusal::NotOpen)
    );
    assert_eq!(promote_from_waitlist(Some(2), 1, 5), 1);
    assert_eq!(promote_from_waitlist(None, 1, 5), 5);
}

proptest! {
    #[test]
    fn seats_are_never_oversold(cap in 1u32..500, taken in 0u64..1000) {
        let w = EnrollmentWindow { status: CourseStatus::Published, capacity: Some(cap), opens_on: None, closes_on: None };
        let decision = decide_enrollment(&w, d("2026-01-01"), taken).unwrap();
        prop_assert_eq!(decision == EnrollDecision::Enrolled, taken < u64::from(cap));
    }
}
