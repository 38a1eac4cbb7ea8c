#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use std::fmt::{Debug, Display};
use std::str::FromStr;

/// The code every variant must have: its name in SCREAMING_SNAKE_CASE.
fn screaming_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn check<T>(all: &[T], as_str: fn(&T) -> &'static str)
where
    T: Copy + Debug + Display + Eq + FromStr<Err = InputError>,
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let mut codes: Vec<&str> = all.iter().map(as_str).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len(), "codes are distinct");
    for &v in all {
        let code = as_str(&v);
        assert_eq!(code, screaming_snake(&format!("{v:?}")));
        assert_eq!(v.to_string(), code);
        assert_eq!(T::from_str(code).unwrap(), v);
        assert_eq!(
            T::from_str(&format!(" {} ", code.to_lowercase())).unwrap(),
            v
        );
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, format!("\"{code}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
    }
    let err = T::from_str("NO_SUCH_VALUE").unwrap_err();
    assert_eq!(err.code, InputError::UNKNOWN_VALUE);
    assert!(err.message.contains(as_str(&all[0])), "{}", err.message);
}

#[test]
fn every_enum_uses_its_screaming_snake_code_everywhere() {
    check(Role::ALL, Role::as_str);
    check(RegionLevel::ALL, RegionLevel::as_str);
    check(TrainingLevel::ALL, TrainingLevel::as_str);
    check(Modality::ALL, Modality::as_str);
    check(CourseStatus::ALL, CourseStatus::as_str);
    check(EnrollmentStatus::ALL, EnrollmentStatus::as_str);
    check(CreditStatus::ALL, CreditStatus::as_str);
    check(ReviewStep::ALL, ReviewStep::as_str);
    check(Decision::ALL, Decision::as_str);
    check(ParticipationRole::ALL, ParticipationRole::as_str);
    check(ActivityKind::ALL, ActivityKind::as_str);
    check(ConversionStatus::ALL, ConversionStatus::as_str);
    check(Stage::ALL, Stage::as_str);
}

#[test]
fn all_lists_every_variant_in_the_api_order() {
    assert_eq!(Role::ALL.len(), 6);
    assert_eq!(ActivityKind::ALL.len(), 21);
    assert_eq!(
        TrainingLevel::ALL,
        &[
            TrainingLevel::National,
            TrainingLevel::Provincial,
            TrainingLevel::Municipal,
            TrainingLevel::County,
            TrainingLevel::School
        ]
    );
}

#[test]
fn unknown_value_lists_what_is_accepted() {
    let err = Decision::from_str("maybe").unwrap_err();
    assert_eq!(err.message, "must be one of APPROVE, REJECT");
}

#[test]
fn higher_training_levels_compare_greater() {
    assert!(TrainingLevel::National > TrainingLevel::Provincial);
    assert!(TrainingLevel::Provincial > TrainingLevel::Municipal);
    assert!(TrainingLevel::Municipal > TrainingLevel::County);
    assert!(TrainingLevel::County > TrainingLevel::School);
    assert!(TrainingLevel::County >= TrainingLevel::County);
    let ranks: Vec<u8> = TrainingLevel::ALL.iter().map(|l| l.rank()).collect();
    assert_eq!(ranks, [5, 4, 3, 2, 1]);
}

#[test]
fn region_levels_order_from_the_root_down() {
    assert!(RegionLevel::National < RegionLevel::Province);
    assert!(RegionLevel::City < RegionLevel::County);
}

#[test]
fn review_steps_order_as_a_claim_passes_them() {
    assert!(ReviewStep::School < ReviewStep::County);
    assert!(ReviewStep::County < ReviewStep::Province);
}
