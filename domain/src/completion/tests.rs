#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn row(attended: &str, passed: &str) -> CompletionRaw {
    CompletionRaw {
        teacher: "t".into(),
        attended_hours: Some(attended.into()),
        passed: Some(passed.into()),
        ..Default::default()
    }
}

fn instructor(taught: Option<&str>) -> CompletionRaw {
    CompletionRaw {
        teacher: "t".into(),
        passed: Some("true".into()),
        role: Some("INSTRUCTOR".into()),
        taught_hours: taught.map(Into::into),
        ..Default::default()
    }
}

fn hours() -> Amount {
    Amount::parse("24").unwrap()
}

fn amount(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}

/// (field, code) of the refusal, which is what the api reports per bad row.
fn refusal(raw: &CompletionRaw) -> (&'static str, &'static str) {
    let e = parse_completion(raw, hours()).unwrap_err();
    (e.field, e.error.code)
}

#[test]
fn spreadsheet_yes_and_no_are_understood() {
    for (text, expected) in [
        ("true", true),
        ("TRUE", true),
        ("1", true),
        ("Yes", true),
        ("是", true),
        ("通过", true),
        (" 合格 ", true),
        ("False", false),
        ("0", false),
        ("NO", false),
        ("否", false),
        ("不通过", false),
        ("不合格", false),
    ] {
        assert_eq!(
            parse_completion(&row("24", text), hours()).unwrap().passed,
            expected,
            "{text}"
        );
    }
    assert_eq!(refusal(&row("24", "maybe")), ("passed", "INVALID_FORMAT"));
}

#[test]
fn a_plain_trainee_row_defaults_its_role_and_keeps_the_score() {
    let mut r = row(" 20.5 ", "是");
    r.score = Some("87.5".into());
    r.role = Some("  ".into());
    let facts = parse_completion(&r, hours()).unwrap();
    assert_eq!(
        facts,
        CompletionFacts {
            attended_hours: amount("20.5"),
            passed: true,
            score: Some(amount("87.5")),
            role: ParticipationRole::Trainee,
            taught_hours: None,
        }
    );
}

#[test]
fn required_cells_are_named_when_empty() {
    assert_eq!(refusal(&row(" ", "true")), ("attendedHours", "REQUIRED"));
    let mut r = row("24", "true");
    r.passed = None;
    assert_eq!(refusal(&r), ("passed", "REQUIRED"));
    r.passed = Some("".into());
    assert_eq!(refusal(&r), ("passed", "REQUIRED"));
    assert_eq!(refusal(&instructor(None)), ("taughtHours", "REQUIRED"));
}

#[test]
fn each_bad_cell_names_its_field_and_code() {
    assert_eq!(
        refusal(&row("25", "true")),
        ("attendedHours", "OUT_OF_RANGE")
    );
    assert_eq!(
        refusal(&row("-1", "true")),
        ("attendedHours", "OUT_OF_RANGE")
    );
    assert_eq!(
        refusal(&row("abc", "true")),
        ("attendedHours", "INVALID_FORMAT")
    );
    assert_eq!(
        refusal(&row("1e2", "true")),
        ("attendedHours", "INVALID_FORMAT")
    );
    let mut r = row("24", "true");
    r.score = Some("100.01".into());
    assert_eq!(refusal(&r), ("score", "OUT_OF_RANGE"));
    r.score = Some("-0.5".into());
    assert_eq!(refusal(&r), ("score", "OUT_OF_RANGE"));
    r.score = Some("九十".into());
    assert_eq!(refusal(&r), ("score", "INVALID_FORMAT"));
    r.score = None;
    r.taught_hours = Some("2".into());
    assert_eq!(refusal(&r), ("taughtHours", "NOT_ALLOWED"));
    r.taught_hours = None;
    r.role = Some("KING".into());
    assert_eq!(refusal(&r), ("role", "UNKNOWN_VALUE"));
}

#[test]
fn instructors_need_taught_hours_within_the_course() {
    let facts = parse_completion(&instructor(Some("2")), hours()).unwrap();
    assert_eq!(facts.role, ParticipationRole::Instructor);
    assert_eq!(facts.taught_hours, Some(amount("2")));
    assert_eq!(
        facts.attended_hours,
        Amount::ZERO,
        "attendance defaults to 0"
    );
    assert!(parse_completion(&instructor(Some("24")), hours()).is_ok());
    for bad in ["0", "24.5", "-2"] {
        assert_eq!(
            refusal(&instructor(Some(bad))),
            ("taughtHours", "OUT_OF_RANGE"),
            "{bad}"
        );
    }
    let mut attended = instructor(Some("2"));
    attended.attended_hours = Some("30".into());
    assert_eq!(refusal(&attended), ("attendedHours", "OUT_OF_RANGE"));
}

#[test]
fn keys_are_stable_and_differ_by_role() {
    let (c, t) = (Uuid::from_u128(1), Uuid::from_u128(2));
    assert_eq!(
        completion_key(c, t, ParticipationRole::Trainee),
        "completion:00000000-0000-0000-0000-000000000001:00000000-0000-0000-0000-000000000002:TRAINEE"
    );
    assert_ne!(
        completion_key(c, t, ParticipationRole::Trainee),
        completion_key(c, t, ParticipationRole::Instructor)
    );
    assert_ne!(
        completion_key(c, t, ParticipationRole::Trainee),
        completion_key(t, c, ParticipationRole::Trainee)
    );
}

fn arb_facts(course_e4: i64) -> impl Strategy<Value = CompletionFacts> {
    let within = move || (0..=course_e4).prop_map(Amount::from_e4);
    (
        within(),
        any::<bool>(),
        prop::option::of((0i64..=1_000_000).prop_map(Amount::from_e4)),
        prop::option::of((1..=course_e4).prop_map(Amount::from_e4)),
    )
        .prop_map(|(attended_hours, passed, score, taught_hours)| {
            let role = match taught_hours {
                Some(_) => ParticipationRole::Instructor,
                None => ParticipationRole::Trainee,
            };
            CompletionFacts {
                attended_hours,
                passed,
                score,
                role,
                taught_hours,
            }
        })
}

/// The text a CSV export (or the GraphQL path) would write for these facts.
fn as_text(f: &CompletionFacts) -> CompletionRaw {
    CompletionRaw {
        teacher: "t".into(),
        attended_hours: Some(f.attended_hours.to_string()),
        passed: Some(f.passed.to_string()),
        score: f.score.map(|s| s.to_string()),
        role: Some(f.role.as_str().to_lowercase()),
        taught_hours: f.taught_hours.map(|t| t.to_string()),
    }
}

proptest! {
    #[test]
    fn valid_facts_survive_a_trip_through_text(
        (course_e4, f) in (1i64..=20_000_000).prop_flat_map(|c| (Just(c), arb_facts(c)))
    ) {
        let course = Amount::from_e4(course_e4);
        prop_assert_eq!(validate_completion(&f, course), Ok(()));
        prop_assert_eq!(parse_completion(&as_text(&f), course), Ok(f));
    }

    #[test]
    fn attendance_is_accepted_exactly_up_to_the_course_hours(
        course_e4 in 1i64..=20_000_000,
        attended_e4 in -1_000_000i64..=30_000_000,
    ) {
        let r = row(&Amount::from_e4(attended_e4).to_string(), "true");
        let ok = parse_completion(&r, Amount::from_e4(course_e4)).is_ok();
        prop_assert_eq!(ok, (0..=course_e4).contains(&attended_e4));
    }
}
