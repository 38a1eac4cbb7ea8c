//! The language's smaller parts, on documents written for the test: which hours a rule prices
//! (`hoursBasis`), requirements in hours (`unit`), limits bound to a stretch of the teacher's
//! time (`limits[].appliesTo`), substitutions from facts (`substitutions[].when`), `minDays`;
//! and the validation errors for their misuse, each with its JSON path.

use serde_json::{json, Value};

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::Concentrated;
use crate::codes::TrainingLevel::*;
use crate::policy::{parse_policy, PolicyDocument, PolicyError, TeacherFacts};

fn doc(value: Value) -> PolicyDocument {
    parse_policy(&value).unwrap_or_else(|e| panic!("{e:?}"))
}

fn base() -> Value {
    json!({
        "key": "test",
        "name": "Test",
        "rules": [{ "key": "hour", "earn": { "perHour": "1" } }],
        "requirements": [{ "key": "total", "label": "Total", "min": "10" }]
    })
}

fn refused(edit: impl FnOnce(&mut Value)) -> Vec<(String, &'static str)> {
    let mut d = base();
    edit(&mut d);
    let errors: Vec<PolicyError> = parse_policy(&d).expect_err("should be refused");
    errors.into_iter().map(|e| (e.path, e.code)).collect()
}

#[test]
fn hours_basis_prices_attended_hours_for_trainees_only() {
    let mut d = base();
    d["hoursBasis"] = json!("ATTENDED");
    d["rules"] = json!([
        { "key": "course", "when": { "levels": ["SCHOOL"] }, "earn": { "perHour": "1" }, "hoursBasis": "COURSE" },
        { "key": "hour", "earn": { "hoursPerCredit": "2" } }
    ]);
    let p = doc(d);
    let acts = vec![
        course(0, date(2026, 3, 1), County, Concentrated, "8").attended("2"),
        course(1, date(2026, 3, 2), School, Concentrated, "8").attended("2"),
        // Attended more than the course: the course's hours.
        course(2, date(2026, 3, 3), County, Concentrated, "8").attended("9"),
        course(3, date(2026, 3, 4), County, Concentrated, "8").instructor("6"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("1"));
    assert_eq!(record(&r, 1).0, amount("8"));
    assert_eq!(record(&r, 2).0, amount("4"));
    assert_eq!(record(&r, 3).0, amount("3"));
}

#[test]
fn an_hour_requirement_counts_hours_received_and_allocates_no_credits() {
    let mut d = base();
    d["rules"] = json!([{ "key": "fixed", "earn": { "fixed": "1" } }]);
    d["requirements"] = json!([
        { "key": "hours", "label": "Hours", "min": "30", "unit": "HOURS", "when": { "minLevel": "COUNTY" } }
    ]);
    let p = doc(d);
    let acts = vec![
        course(0, date(2026, 3, 1), County, Concentrated, "20").attended("18"),
        course(1, date(2026, 4, 1), Municipal, Concentrated, "20").failed(),
        course(2, date(2026, 5, 1), County, Concentrated, "20").instructor("20"),
        course(3, date(2026, 6, 1), School, Concentrated, "20"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    let req = &r.requirements[0];
    assert_eq!((req.counted, req.shortfall), (amount("18"), amount("12")));
    assert_eq!(req.min_level, Some(County));
    assert!(r.records.iter().all(|x| x.allocations.is_empty()));
}

#[test]
fn a_limit_bound_to_a_service_year_caps_only_that_year() {
    let mut d = base();
    d["limits"] = json!([{ "key": "first", "max": "10", "appliesTo": { "serviceYear": 1 } }]);
    let p = doc(d);
    let teacher = TeacherFacts {
        hired_on: Some(date(2026, 9, 1)),
        ..TeacherFacts::default()
    };
    let acts = || {
        vec![
            course(0, date(2026, 10, 1), County, Concentrated, "8"),
            course(1, date(2027, 3, 1), County, Concentrated, "8"),
            course(2, date(2027, 10, 1), County, Concentrated, "8"),
        ]
    };
    let r = evaluate_for(&p, teacher, date(2027, 12, 31), acts());
    assert_eq!(
        record(&r, 1),
        (amount("8"), amount("2"), vec!["CAP_REACHED"])
    );
    assert_eq!(record(&r, 2).1, amount("8"));
    // A teacher without a hire date is not bound by it.
    let r = evaluate(&p, date(2027, 12, 31), acts());
    assert_eq!(r.total_counted, amount("24"));
}

#[test]
fn a_substitution_from_facts_fills_only_its_target() {
    let mut d = base();
    d["requirements"] = json!([
        { "key": "district", "label": "D", "min": "4", "pool": "p", "when": { "levels": ["COUNTY"] } },
        { "key": "school", "label": "S", "min": "4", "pool": "p", "when": { "levels": ["SCHOOL"] } }
    ]);
    d["substitutions"] = json!([{ "when": { "minLevel": "MUNICIPAL" }, "to": "district" }]);
    let p = doc(d);
    let acts = vec![course(0, date(2026, 3, 1), Municipal, Concentrated, "6")];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("4"));
    assert_eq!(r.requirements[1].shortfall, amount("4"));
}

#[test]
fn min_days_matches_days() {
    let mut d = base();
    d["rules"] = json!([
        { "key": "long", "when": { "minDays": 30 }, "earn": { "fixed": "42" } },
        { "key": "day", "earn": { "perDay": "6" } }
    ]);
    let p = doc(d);
    let acts = vec![
        act(0, Other, date(2026, 3, 1)).days(30),
        act(1, Other, date(2026, 4, 1)).days(2),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        (record(&r, 0).0, record(&r, 1).0),
        (amount("42"), amount("12"))
    );
}

#[test]
fn misuse_is_refused_with_its_path() {
    let path = |p: &str, c: &'static str| (p.to_owned(), c);
    assert_eq!(
        refused(|d| {
            d["rules"][0]["earn"] = json!({ "fixed": "2" });
            d["rules"][0]["hoursBasis"] = json!("ATTENDED");
        }),
        vec![path("rules[0].hoursBasis", "NOT_ALLOWED")]
    );
    assert_eq!(
        refused(|d| d["hoursBasis"] = json!("ALL")),
        vec![path("hoursBasis", "INVALID_DOCUMENT")]
    );
    assert_eq!(
        refused(|d| {
            d["requirements"][0]["unit"] = json!("HOURS");
            d["requirements"][0]["pool"] = json!("p");
        }),
        vec![path("requirements[0].unit", "NOT_ALLOWED")]
    );
    assert_eq!(
        refused(|d| d["requirements"][0]["unit"] = json!("MINUTES")),
        vec![path("requirements[0].unit", "INVALID_DOCUMENT")]
    );
    assert_eq!(
        refused(|d| {
            d["limits"] = json!([{ "key": "l", "max": "1", "appliesTo": { "serviceYear": 11 } }])
        }),
        vec![path("limits[0].appliesTo.serviceYear", "OUT_OF_RANGE")]
    );
    assert_eq!(
        refused(|d| d["rules"][0]["when"] = json!({ "minDays": -1 })),
        vec![path("rules[0].when.minDays", "OUT_OF_RANGE")]
    );
}

#[test]
fn a_substitution_names_from_or_when_and_a_pool_requirement() {
    let path = |p: &str, c: &'static str| (p.to_owned(), c);
    assert_eq!(
        refused(|d| d["substitutions"] = json!([{ "to": "total" }])),
        vec![
            path("substitutions[0]", "INVALID_VALUE"),
            path("substitutions[0].to", "NOT_ALLOWED")
        ]
    );
    assert_eq!(
        refused(|d| {
            d["requirements"][0]["pool"] = json!("p");
            d["substitutions"] = json!([{ "when": { "categories": ["POETRY"] }, "to": "total" }]);
        }),
        vec![path("substitutions[0].when.categories[0]", "UNKNOWN_VALUE")]
    );
}
