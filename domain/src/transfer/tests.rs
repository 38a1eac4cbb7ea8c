#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn it_mapping() -> Mapping {
    Mapping {
        categories: vec![CategoryKey::parse("INFORMATION").unwrap()],
        min_level: Some(TrainingLevel::Provincial),
        modalities: vec![],
        min_hours: Some(Amount::parse("36").unwrap()),
        within_years: Some(5),
        academic_credits: Amount::parse("2").unwrap(),
    }
}

fn record(n: u128, level: TrainingLevel, hours: &str, on: NaiveDate) -> Candidate {
    Candidate {
        id: Uuid::from_u128(n),
        category: Some(CategoryKey::parse("INFORMATION").unwrap()),
        level: Some(level),
        modality: Some(Modality::Online),
        hours: Some(Amount::parse(hours).unwrap()),
        earned_on: on,
        certified: true,
        reserved: false,
    }
}

#[test]
fn the_oldest_matching_records_are_used_until_the_hours_are_reached() {
    let today = day(2026, 11, 23);
    let records = vec![
        record(1, TrainingLevel::National, "24", day(2025, 3, 1)),
        record(2, TrainingLevel::Provincial, "24", day(2023, 3, 1)),
        record(3, TrainingLevel::Provincial, "24", day(2026, 3, 1)),
        record(4, TrainingLevel::Municipal, "100", day(2024, 3, 1)),
        record(5, TrainingLevel::National, "100", day(2020, 3, 1)),
    ];
    let p = preview(&it_mapping(), &records, today);
    assert!(p.eligible);
    assert_eq!(p.usable, vec![Uuid::from_u128(2), Uuid::from_u128(1)]);
    assert_eq!(p.academic_credits.to_string(), "2");
}

#[test]
fn what_is_missing_is_said_in_hours_category_and_level() {
    let today = day(2026, 11, 23);
    let mut reserved = record(2, TrainingLevel::Provincial, "24", day(2023, 3, 1));
    reserved.reserved = true;
    let mut pending = record(3, TrainingLevel::Provincial, "24", day(2026, 3, 1));
    pending.certified = false;
    let records = vec![
        record(1, TrainingLevel::National, "24", day(2025, 3, 1)),
        reserved,
        pending,
    ];
    let p = preview(&it_mapping(), &records, today);
    assert!(!p.eligible);
    assert!(p.usable.is_empty());
    assert_eq!(
        p.missing,
        vec!["12 more hours of INFORMATION training at PROVINCIAL level or above, earned since 2021-11-01".to_owned()]
    );
}

#[test]
fn a_mapping_needs_positive_credits_and_a_sane_window() {
    let mut m = it_mapping();
    m.academic_credits = Amount::ZERO;
    assert_eq!(m.validate().unwrap_err().field, "input.academicCredits");
    let mut m = it_mapping();
    m.within_years = Some(0);
    assert_eq!(m.validate().unwrap_err().field, "input.withinYears");
}
