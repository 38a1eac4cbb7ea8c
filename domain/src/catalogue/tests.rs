#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(super) fn raw() -> CourseInputRaw {
    CourseInputRaw {
        code: " QD-IT.01 ".into(),
        title: "信息技术应用能力提升".into(),
        description: None,
        kind: ActivityKind::CourseCompletion,
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

fn refusal(mutate: impl FnOnce(&mut CourseInputRaw)) -> (&'static str, &'static str) {
    let mut r = raw();
    mutate(&mut r);
    let e = CourseDraft::parse(r).unwrap_err();
    (e.field, e.error.code)
}

fn accepted(mutate: impl FnOnce(&mut CourseInputRaw)) -> CourseDraft {
    let mut r = raw();
    mutate(&mut r);
    CourseDraft::parse(r).unwrap()
}

#[test]
fn limits_are_inclusive_and_one_past_them_is_refused() {
    let code40 = "a".repeat(40);
    assert_eq!(accepted(|r| r.code = code40.clone()).code, code40);
    assert_eq!(refusal(|r| r.code = "a".repeat(41)), ("code", "TOO_LONG"));
    assert_eq!(
        refusal(|r| r.code = "QD 01".into()),
        ("code", "INVALID_FORMAT")
    );
    assert_eq!(
        accepted(|r| r.title = "题".repeat(200))
            .title
            .chars()
            .count(),
        200
    );
    assert_eq!(
        refusal(|r| r.title = "题".repeat(201)),
        ("title", "TOO_LONG")
    );
    let long = "述".repeat(5000);
    assert_eq!(
        accepted(|r| r.description = Some(long.clone())).description,
        long
    );
    assert_eq!(
        refusal(|r| r.description = Some("述".repeat(5001))),
        ("description", "TOO_LONG")
    );
    assert_eq!(
        accepted(|r| r.hours = Amount::parse("2000").unwrap())
            .hours
            .to_string(),
        "2000"
    );
    assert_eq!(
        accepted(|r| r.hours = Amount::parse("0.5").unwrap())
            .hours
            .to_string(),
        "0.5"
    );
    assert_eq!(
        refusal(|r| r.hours = Amount::parse("-1").unwrap()),
        ("hours", "OUT_OF_RANGE")
    );
    assert_eq!(
        accepted(|r| r.capacity = Some(100_000)).capacity,
        Some(100_000)
    );
    assert_eq!(accepted(|r| r.capacity = None).capacity, None);
    assert_eq!(
        refusal(|r| r.capacity = Some(100_001)),
        ("capacity", "OUT_OF_RANGE")
    );
    assert_eq!(
        refusal(|r| r.capacity = Some(-1)),
        ("capacity", "OUT_OF_RANGE")
    );
    let twenty: Vec<String> = (0..20).map(|i| format!("学科{i}")).collect();
    assert_eq!(accepted(|r| r.subjects = twenty.clone()).subjects, twenty);
    let mut too_many = twenty.clone();
    too_many.push("多一个".into());
    assert_eq!(
        refusal(|r| r.subjects = too_many),
        ("subjects", "OUT_OF_RANGE")
    );
}

#[test]
fn text_is_trimmed_case_is_kept_and_a_missing_description_is_empty() {
    let draft = accepted(|r| {
        r.code = "\tQd-It_2026.a ".into();
        r.title = "  师德修养专题 ".into();
        r.subjects = vec![" 数学 ".into(), "数学".into()];
    });
    assert_eq!(draft.code, "Qd-It_2026.a");
    assert_eq!(draft.title, "师德修养专题");
    assert_eq!(draft.description, "");
    assert_eq!(draft.subjects, vec!["数学".to_owned()]);
}

#[test]
fn dates_must_be_in_order_but_any_may_be_left_out() {
    assert_eq!(
        refusal(|r| r.enrollment_opens_on = Some(d("2026-09-11"))),
        ("enrollmentClosesOn", "OUT_OF_RANGE")
    );
    assert_eq!(
        refusal(|r| r.enrollment_closes_on = Some(d("2026-10-01"))),
        ("enrollmentClosesOn", "OUT_OF_RANGE")
    );
    // Same-day windows and enrolment until the last day are fine.
    accepted(|r| {
        r.enrollment_opens_on = Some(d("2026-09-10"));
        r.enrollment_closes_on = Some(d("2026-09-30"));
        r.starts_on = Some(d("2026-09-30"));
    });
    accepted(|r| {
        r.enrollment_opens_on = None;
        r.enrollment_closes_on = None;
        r.starts_on = None;
        r.ends_on = None;
    });
    // Without an end date, enrolment may close after the start (rolling courses).
    accepted(|r| {
        r.ends_on = None;
        r.enrollment_closes_on = Some(d("2026-12-31"));
    });
}

#[test]
fn credit_bearing_fields_freeze_after_the_draft_or_the_first_enrolment() {
    assert!(credit_bearing_editable(CourseStatus::Draft, false));
    assert!(!credit_bearing_editable(CourseStatus::Draft, true));
    for status in &CourseStatus::ALL[1..] {
        assert!(!credit_bearing_editable(*status, false), "{status}");
    }
    assert!(editable(CourseStatus::Published));
    assert!(!editable(CourseStatus::Archived));
}

#[test]
fn refusals_read_as_sentences() {
    assert_eq!(
        EnrollRefusal::NotOpen.to_string(),
        "the course is not open for enrolment"
    );
    assert_eq!(
        EnrollRefusal::NotYetOpen(d("2026-09-01")).to_string(),
        "enrolment opens on 2026-09-01"
    );
    assert_eq!(
        EnrollRefusal::Closed(d("2026-09-10")).to_string(),
        "enrolment closed on 2026-09-10"
    );
    let e = next_status(CourseStatus::Archived, CourseAction::Publish).unwrap_err();
    assert_eq!(e.to_string(), "an ARCHIVED course cannot be published");
}

#[test]
fn the_window_is_inclusive_at_both_ends() {
    let w = EnrollmentWindow {
        status: CourseStatus::Published,
        capacity: None,
        opens_on: Some(d("2026-09-01")),
        closes_on: Some(d("2026-09-10")),
    };
    for day in ["2026-09-01", "2026-09-10"] {
        assert_eq!(
            decide_enrollment(&w, d(day), 1_000_000),
            Ok(EnrollDecision::Enrolled)
        );
    }
    // Status is checked before the dates: a closed course says so even inside its old window.
    let closed = EnrollmentWindow {
        status: CourseStatus::Closed,
        ..w
    };
    assert_eq!(
        decide_enrollment(&closed, d("2026-08-01"), 0),
        Err(EnrollRefusal::NotOpen)
    );
}

#[test]
fn a_course_is_a_programme_never_a_paper() {
    for kind in COURSE_KINDS {
        assert_eq!(accepted(|r| r.kind = *kind).kind, *kind);
    }
    for kind in [
        ActivityKind::Paper,
        ActivityKind::Teaching,
        ActivityKind::OpenClass,
        ActivityKind::Mentoring,
        ActivityKind::Competition,
        ActivityKind::OverseasTraining,
        ActivityKind::Other,
    ] {
        assert_eq!(
            refusal(|r| r.kind = kind),
            ("kind", "NOT_ALLOWED"),
            "{kind}"
        );
    }
    // The kind prices the course, so it is frozen with the other credit-bearing facts.
    let a = CourseDraft::parse(raw()).unwrap();
    let b = accepted(|r| r.kind = ActivityKind::DegreeStudy);
    assert_eq!(credit_bearing_changed(&a, &b), vec!["kind"]);
}
