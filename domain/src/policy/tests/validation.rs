//! Invalid documents are refused with the path of the bad field.

use serde_json::json;

use crate::policy::{parse_policy, PolicyError};

fn base() -> serde_json::Value {
    json!({
        "key": "test",
        "name": "Test",
        "rules": [{ "key": "hour", "earn": { "perHour": "1" } }],
        "requirements": [
            { "key": "a", "label": "A", "min": "10", "pool": "p", "when": { "categories": ["ETHICS"] } },
            { "key": "b", "label": "B", "min": "10", "pool": "p" }
        ]
    })
}

fn errors(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<PolicyError> {
    let mut doc = base();
    edit(&mut doc);
    parse_policy(&doc).expect_err("should be refused")
}

fn paths(errors: &[PolicyError]) -> Vec<(&str, &str)> {
    errors.iter().map(|e| (e.path.as_str(), e.code)).collect()
}

#[test]
fn the_base_document_is_valid() {
    assert!(parse_policy(&base()).is_ok());
}

#[test]
fn an_unknown_activity_kind_names_its_path() {
    let e = errors(|d| d["rules"][0]["when"] = json!({ "kinds": ["PAPER", "POEM"] }));
    assert_eq!(
        paths(&e),
        vec![("rules[0].when.kinds[1]", "INVALID_DOCUMENT")]
    );
    assert!(e[0].message.contains("POEM"), "{}", e[0].message);
}

#[test]
fn a_negative_rate_is_refused() {
    let e = errors(|d| d["rules"][0]["earn"] = json!({ "perHour": "-0.5" }));
    assert_eq!(paths(&e), vec![("rules[0].earn.perHour", "OUT_OF_RANGE")]);
}

#[test]
fn a_cap_below_zero_is_refused() {
    let e = errors(|d| d["limits"] = json!([{ "key": "cap", "max": "-1" }]));
    assert_eq!(paths(&e), vec![("limits[0].max", "OUT_OF_RANGE")]);
}

#[test]
fn a_missing_requirement_key_is_refused() {
    let e = errors(|d| {
        d["requirements"][1]
            .as_object_mut()
            .expect("object")
            .remove("key");
    });
    assert_eq!(e[0].path, "requirements[1]");
    assert!(e[0].message.contains("key"), "{}", e[0].message);
}

#[test]
fn a_substitution_cycle_is_refused() {
    let e = errors(|d| {
        d["substitutions"] = json!([{ "from": "a", "to": "b" }, { "from": "b", "to": "a" }])
    });
    assert_eq!(paths(&e), vec![("substitutions[0]", "SUBSTITUTION_CYCLE")]);
    let e = errors(|d| d["substitutions"] = json!([{ "from": "a", "to": "a" }]));
    assert_eq!(paths(&e), vec![("substitutions[0]", "SUBSTITUTION_CYCLE")]);
}

#[test]
fn references_must_exist() {
    let e = errors(|d| {
        d["substitutions"] = json!([{ "from": "a", "to": "zzz" }]);
        d["requirements"][0]["when"] = json!({ "rules": ["nope"], "categories": ["POETRY"] });
    });
    assert_eq!(
        paths(&e),
        vec![
            ("requirements[0].when.categories[0]", "UNKNOWN_VALUE"),
            ("requirements[0].when.rules[0]", "UNKNOWN_VALUE"),
            ("substitutions[0].to", "UNKNOWN_VALUE"),
        ]
    );
}

#[test]
fn duplicate_keys_and_a_bad_policy_key_are_refused() {
    let e = errors(|d| {
        d["key"] = json!("Shandong Province");
        d["requirements"][1]["key"] = json!("a");
    });
    assert_eq!(
        paths(&e),
        vec![
            ("key", "INVALID_FORMAT"),
            ("requirements[1].key", "DUPLICATE")
        ]
    );
}

#[test]
fn a_review_chain_must_start_at_the_school() {
    let e = errors(|d| d["review"] = json!({ "steps": ["COUNTY", "PROVINCE"] }));
    assert_eq!(paths(&e), vec![("review.steps", "INVALID_VALUE")]);
}

#[test]
fn a_probation_is_one_stretch_of_1_to_60_months() {
    let e = errors(|d| d["requirements"][1]["appliesTo"] = json!({ "probationMonths": 0 }));
    assert_eq!(
        paths(&e),
        vec![("requirements[1].appliesTo.probationMonths", "OUT_OF_RANGE")]
    );
    let e = errors(|d| {
        d["requirements"][1]["appliesTo"] = json!({ "probationMonths": 12, "hireYear": true })
    });
    assert_eq!(
        paths(&e),
        vec![("requirements[1].appliesTo", "INVALID_VALUE")]
    );
    let e = errors(|d| d["requirements"][1]["appliesTo"] = json!({ "diploma": "PhD" }));
    assert_eq!(
        paths(&e),
        vec![("requirements[1].appliesTo.diploma", "INVALID_DOCUMENT")]
    );
}

#[test]
fn a_service_year_is_one_to_ten_and_names_the_only_stretch() {
    let e = errors(|d| d["requirements"][1]["appliesTo"] = json!({ "serviceYear": 0 }));
    assert_eq!(
        paths(&e),
        vec![("requirements[1].appliesTo.serviceYear", "OUT_OF_RANGE")]
    );
    let e = errors(|d| {
        d["requirements"][1]["appliesTo"] = json!({ "serviceYear": 2, "probationMonths": 12 })
    });
    assert_eq!(
        paths(&e),
        vec![("requirements[1].appliesTo", "INVALID_VALUE")]
    );
}

#[test]
fn an_english_label_is_optional_says_something_and_round_trips() {
    let mut doc = base();
    doc["requirements"][0]["labelEn"] = json!("At least 10 ethics credits");
    doc["categories"] = json!([{ "key": "LOCAL", "label": "本地", "labelEn": "Local" }]);
    doc["limits"] =
        json!([{ "key": "cap", "label": "上限", "labelEn": "Cap", "max": "5", "when": {} }]);
    let parsed = parse_policy(&doc).expect("valid");
    assert_eq!(
        parsed.requirements[0].label_en.as_deref(),
        Some("At least 10 ethics credits")
    );
    assert_eq!(parsed.requirements[1].label_en, None);
    let written = serde_json::to_value(&parsed).expect("serialises");
    assert_eq!(
        written["requirements"][0]["labelEn"],
        "At least 10 ethics credits"
    );
    assert!(written["requirements"][1].get("labelEn").is_none());
    assert_eq!(written["categories"][0]["labelEn"], "Local");
    assert_eq!(written["limits"][0]["labelEn"], "Cap");
    assert_eq!(parse_policy(&written).expect("valid again"), parsed);

    let e = errors(|d| d["requirements"][1]["labelEn"] = json!("  "));
    assert_eq!(paths(&e), vec![("requirements[1].labelEn", "REQUIRED")]);
    let e = errors(|d| d["requirements"][0]["labelEn"] = json!("x".repeat(301)));
    assert_eq!(paths(&e), vec![("requirements[0].labelEn", "TOO_LONG")]);
    let e = errors(|d| {
        d["limits"] = json!([{ "key": "cap", "labelEn": "", "max": "5" }]);
    });
    assert_eq!(paths(&e), vec![("limits[0].labelEn", "REQUIRED")]);
}
