//! Reading a policy document: JSON shape first (with the path of the bad field), then the rules
//! a well-formed document must still keep (unique keys, known references, no negative rates,
//! no substitution cycles).

use std::collections::{BTreeMap, BTreeSet};

use super::document::{Match, PolicyDocument};
use crate::amount::Amount;
use crate::codes::{ReviewStep, BUILT_IN_CATEGORIES};

/// A problem in a policy document, at a JSON path such as `rules[2].earn.perHour`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

impl PolicyError {
    fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

mod requirements;

mod rules;

use requirements::{check_applies_to, check_substitutions, check_unit};
use rules::check_rules;

/// The most requirements one pool may hold (the allocation keeps them in a 64-bit set).
pub const MAX_POOL: usize = 64;

/// Parses and validates a document; on failure every problem found, each with its path.
pub fn parse_policy(value: &serde_json::Value) -> Result<PolicyDocument, Vec<PolicyError>> {
    let document: PolicyDocument = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        vec![PolicyError::new(
            if path == "." { String::new() } else { path },
            "INVALID_DOCUMENT",
            e.into_inner().to_string(),
        )]
    })?;
    let errors = check(&document);
    if errors.is_empty() {
        Ok(document)
    } else {
        Err(errors)
    }
}

/// Every problem of a well-formed document: first those of its own fields and of its lists'
/// keys, then those inside each list, in the order met.
fn check(doc: &PolicyDocument) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    let mut more = Vec::new();
    check_header(doc, &mut errors);
    let matcher = Matcher::of(doc);
    check_rules(doc, &matcher, &mut errors, &mut more);
    check_limits(doc, &matcher, &mut errors, &mut more);
    check_requirements(doc, &matcher, &mut errors, &mut more);
    check_substitutions(doc, &mut more);
    for (i, s) in doc.substitutions.iter().enumerate() {
        if let Some(when) = &s.when {
            matcher.check(when, &format!("substitutions[{i}].when"), &mut more);
        }
    }
    check_review(doc, &mut more);
    errors.extend(more);
    errors
}

/// The policy's key, name and period.
fn check_header(doc: &PolicyDocument, errors: &mut Vec<PolicyError>) {
    let key_ok = |k: &str| {
        let mut chars = k.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && k.len() <= 64
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !key_ok(&doc.key) {
        errors.push(PolicyError::new(
            "key",
            "INVALID_FORMAT",
            "must be 1 to 64 of a-z, 0-9 and -, starting with a letter",
        ));
    }
    if doc.name.trim().is_empty() {
        errors.push(PolicyError::new("name", "REQUIRED", "must not be empty"));
    }
    if !(1..=10).contains(&doc.period.years) {
        errors.push(PolicyError::new(
            "period.years",
            "OUT_OF_RANGE",
            "must be 1 to 10",
        ));
    }
    if !(1..=12).contains(&doc.period.start_month) {
        errors.push(PolicyError::new(
            "period.startMonth",
            "OUT_OF_RANGE",
            "must be 1 to 12",
        ));
    }
}

/// What a `when` may name: the built-in and declared categories, and the document's rules.
struct Matcher<'a> {
    categories: BTreeSet<String>,
    rule_keys: BTreeSet<&'a str>,
}

impl<'a> Matcher<'a> {
    fn of(doc: &'a PolicyDocument) -> Self {
        let mut categories: BTreeSet<String> =
            BTreeSet::from_iter(BUILT_IN_CATEGORIES.iter().map(|(k, _)| (*k).to_owned()));
        categories.extend(doc.categories.iter().map(|c| c.key.as_str().to_owned()));
        let rule_keys = doc.rules.iter().map(|r| r.key.as_str()).collect();
        Self {
            categories,
            rule_keys,
        }
    }

    /// A `when` names only known categories and rules, and no negative minimum.
    fn check(&self, m: &Match, path: &str, errors: &mut Vec<PolicyError>) {
        for (i, c) in m.categories.iter().enumerate() {
            if !self.categories.contains(c.as_str()) {
                errors.push(PolicyError::new(
                    format!("{path}.categories[{i}]"),
                    "UNKNOWN_VALUE",
                    format!("category {c} is neither built in nor declared in categories"),
                ));
            }
        }
        for (i, r) in m.rules.iter().enumerate() {
            if !self.rule_keys.contains(r.as_str()) {
                errors.push(PolicyError::new(
                    format!("{path}.rules[{i}]"),
                    "UNKNOWN_VALUE",
                    format!("no rule has the key {r}"),
                ));
            }
        }
        for (name, v) in [("minMonths", m.min_months), ("minDays", m.min_days)] {
            if v.is_some_and(|v| v < 0) {
                errors.push(PolicyError::new(
                    format!("{path}.{name}"),
                    "OUT_OF_RANGE",
                    "must not be negative",
                ));
            }
        }
        for (name, v) in [("minHours", m.min_hours), ("minScore", m.min_score)] {
            if v.is_some_and(|v| v < Amount::ZERO) {
                errors.push(PolicyError::new(
                    format!("{path}.{name}"),
                    "OUT_OF_RANGE",
                    "must not be negative",
                ));
            }
        }
    }
}

/// Unique limit keys, the categories' English labels, and each limit's label, match, scope and
/// bound.
fn check_limits(
    doc: &PolicyDocument,
    matcher: &Matcher,
    errors: &mut Vec<PolicyError>,
    more: &mut Vec<PolicyError>,
) {
    duplicates(doc.limits.iter().map(|l| l.key.as_str()), "limits", errors);
    for (i, c) in doc.categories.iter().enumerate() {
        check_label_en(c.label_en.as_deref(), &format!("categories[{i}]"), more);
    }
    for (i, limit) in doc.limits.iter().enumerate() {
        let path = format!("limits[{i}]");
        check_label_en(limit.label_en.as_deref(), &path, more);
        matcher.check(&limit.when, &format!("{path}.when"), more);
        check_applies_to(&limit.applies_to, false, &path, more);
        if let Some(max) = limit.max {
            negative(max, format!("{path}.max"), more);
        }
        if limit.mode == super::document::LimitMode::Sum
            && limit.max.is_none()
            && limit.max_share.is_none()
        {
            more.push(PolicyError::new(
                path,
                "REQUIRED",
                "a SUM limit needs max or maxShare",
            ));
        }
    }
}

/// At least one requirement, unique keys, each requirement's fields, and pools of at most
/// [`MAX_POOL`].
fn check_requirements(
    doc: &PolicyDocument,
    matcher: &Matcher,
    errors: &mut Vec<PolicyError>,
    more: &mut Vec<PolicyError>,
) {
    if doc.requirements.is_empty() {
        errors.push(PolicyError::new(
            "requirements",
            "REQUIRED",
            "a policy needs at least one requirement",
        ));
    }
    duplicates(
        doc.requirements.iter().map(|r| r.key.as_str()),
        "requirements",
        errors,
    );
    let mut pool_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in doc.requirements.iter().enumerate() {
        let path = format!("requirements[{i}]");
        if r.key.trim().is_empty() || r.key.contains(':') {
            more.push(PolicyError::new(
                format!("{path}.key"),
                "INVALID_FORMAT",
                "must not be empty or contain ':'",
            ));
        }
        check_label_en(r.label_en.as_deref(), &path, more);
        negative(r.min, format!("{path}.min"), more);
        matcher.check(&r.when, &format!("{path}.when"), more);
        if let Some(pool) = &r.pool {
            *pool_sizes.entry(pool).or_default() += 1;
        }
        check_applies_to(&r.applies_to, r.each_year, &path, more);
        check_unit(r, &path, more);
    }
    for (pool, size) in pool_sizes {
        if size > MAX_POOL {
            errors.push(PolicyError::new(
                "requirements",
                "OUT_OF_RANGE",
                format!("pool {pool} has {size} requirements; at most {MAX_POOL}"),
            ));
        }
    }
}

/// Review steps run from the school upwards without gaps.
fn check_review(doc: &PolicyDocument, more: &mut Vec<PolicyError>) {
    if let Some(review) = &doc.review {
        let steps = &review.steps;
        let ordered = ReviewStep::ALL.iter().take(steps.len()).eq(steps.iter());
        if steps.is_empty() || !ordered {
            more.push(PolicyError::new(
                "review.steps",
                "INVALID_VALUE",
                "must be SCHOOL, or SCHOOL then COUNTY, or SCHOOL, COUNTY, PROVINCE",
            ));
        }
    }
}

/// The most characters of a `labelEn`.
pub const MAX_LABEL_EN: usize = 300;

/// An English label, when given, says something and fits a line of a report.
fn check_label_en(label_en: Option<&str>, path: &str, errors: &mut Vec<PolicyError>) {
    let Some(label) = label_en else { return };
    let path = format!("{path}.labelEn");
    if label.trim().is_empty() {
        errors.push(PolicyError::new(
            path,
            "REQUIRED",
            "must not be empty; leave labelEn out to show the label",
        ));
    } else if label.chars().count() > MAX_LABEL_EN {
        errors.push(PolicyError::new(
            path,
            "TOO_LONG",
            format!("must be at most {MAX_LABEL_EN} characters"),
        ));
    }
}

fn duplicates<'a>(keys: impl Iterator<Item = &'a str>, list: &str, errors: &mut Vec<PolicyError>) {
    let mut seen = BTreeSet::new();
    for (i, key) in keys.enumerate() {
        if !seen.insert(key) {
            errors.push(PolicyError::new(
                format!("{list}[{i}].key"),
                "DUPLICATE",
                format!("the key {key} is used twice"),
            ));
        }
    }
}

fn negative(v: Amount, path: String, errors: &mut Vec<PolicyError>) {
    if v < Amount::ZERO {
        errors.push(PolicyError::new(
            path,
            "OUT_OF_RANGE",
            "must not be negative",
        ));
    }
}
