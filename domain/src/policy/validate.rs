//! Reading a policy document: JSON shape first (with the path of the bad field), then the rules
//! a well-formed document must still keep (unique keys, known references, no negative rates,
//! no substitution cycles).

use std::collections::{BTreeMap, BTreeSet};

use super::document::{Earn, Fact, Match, PolicyDocument, Rule};
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

use requirements::{check_applies_to, check_substitutions, check_unit};

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

fn check(doc: &PolicyDocument) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    let mut err = |path: String, code: &'static str, message: String| {
        errors.push(PolicyError::new(path, code, message))
    };
    let key_ok = |k: &str| {
        let mut chars = k.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && k.len() <= 64
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !key_ok(&doc.key) {
        err(
            "key".into(),
            "INVALID_FORMAT",
            "must be 1 to 64 of a-z, 0-9 and -, starting with a letter".into(),
        );
    }
    if doc.name.trim().is_empty() {
        err("name".into(), "REQUIRED", "must not be empty".into());
    }
    if !(1..=10).contains(&doc.period.years) {
        err(
            "period.years".into(),
            "OUT_OF_RANGE",
            "must be 1 to 10".into(),
        );
    }
    if !(1..=12).contains(&doc.period.start_month) {
        err(
            "period.startMonth".into(),
            "OUT_OF_RANGE",
            "must be 1 to 12".into(),
        );
    }

    let mut categories: BTreeSet<String> =
        BTreeSet::from_iter(BUILT_IN_CATEGORIES.iter().map(|(k, _)| (*k).to_owned()));
    categories.extend(doc.categories.iter().map(|c| c.key.as_str().to_owned()));
    let rule_keys: BTreeSet<&str> = doc.rules.iter().map(|r| r.key.as_str()).collect();
    let check_match = |m: &Match, path: &str, errors: &mut Vec<PolicyError>| {
        for (i, c) in m.categories.iter().enumerate() {
            if !categories.contains(c.as_str()) {
                errors.push(PolicyError::new(
                    format!("{path}.categories[{i}]"),
                    "UNKNOWN_VALUE",
                    format!("category {c} is neither built in nor declared in categories"),
                ));
            }
        }
        for (i, r) in m.rules.iter().enumerate() {
            if !rule_keys.contains(r.as_str()) {
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
    };

    if doc.rules.is_empty() {
        err(
            "rules".into(),
            "REQUIRED",
            "a policy needs at least one rule".into(),
        );
    }
    duplicates(doc.rules.iter().map(|r| r.key.as_str()), "rules", &mut err);
    let mut more = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        let path = format!("rules[{i}]");
        if rule.key.trim().is_empty() {
            more.push(PolicyError::new(
                format!("{path}.key"),
                "REQUIRED",
                "must not be empty",
            ));
        }
        check_match(&rule.when, &format!("{path}.when"), &mut more);
        check_earn(&rule.earn, &format!("{path}.earn"), &mut more);
        check_hours_basis(rule, &path, &mut more);
        for (j, m) in rule.multipliers.iter().enumerate() {
            check_match(&m.when, &format!("{path}.multipliers[{j}].when"), &mut more);
            negative(
                m.factor,
                format!("{path}.multipliers[{j}].factor"),
                &mut more,
            );
        }
        for (j, f) in rule.fills.iter().enumerate() {
            match doc.requirements.iter().find(|r| &r.key == f) {
                None => more.push(PolicyError::new(
                    format!("{path}.fills[{j}]"),
                    "UNKNOWN_VALUE",
                    format!("no requirement has the key {f}"),
                )),
                Some(r) if r.pool.is_none() => more.push(PolicyError::new(
                    format!("{path}.fills[{j}]"),
                    "NOT_ALLOWED",
                    format!(
                        "requirement {f} is in no pool, so it already sees every matching credit"
                    ),
                )),
                Some(_) => {}
            }
        }
    }
    duplicates(
        doc.limits.iter().map(|l| l.key.as_str()),
        "limits",
        &mut err,
    );
    for (i, c) in doc.categories.iter().enumerate() {
        check_label_en(
            c.label_en.as_deref(),
            &format!("categories[{i}]"),
            &mut more,
        );
    }
    for (i, limit) in doc.limits.iter().enumerate() {
        let path = format!("limits[{i}]");
        check_label_en(limit.label_en.as_deref(), &path, &mut more);
        check_match(&limit.when, &format!("{path}.when"), &mut more);
        check_applies_to(&limit.applies_to, false, &path, &mut more);
        if let Some(max) = limit.max {
            negative(max, format!("{path}.max"), &mut more);
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

    if doc.requirements.is_empty() {
        err(
            "requirements".into(),
            "REQUIRED",
            "a policy needs at least one requirement".into(),
        );
    }
    duplicates(
        doc.requirements.iter().map(|r| r.key.as_str()),
        "requirements",
        &mut err,
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
        check_label_en(r.label_en.as_deref(), &path, &mut more);
        negative(r.min, format!("{path}.min"), &mut more);
        check_match(&r.when, &format!("{path}.when"), &mut more);
        if let Some(pool) = &r.pool {
            *pool_sizes.entry(pool).or_default() += 1;
        }
        check_applies_to(&r.applies_to, r.each_year, &path, &mut more);
        check_unit(r, &path, &mut more);
    }
    for (pool, size) in pool_sizes {
        if size > MAX_POOL {
            err(
                "requirements".into(),
                "OUT_OF_RANGE",
                format!("pool {pool} has {size} requirements; at most {MAX_POOL}"),
            );
        }
    }
    check_substitutions(doc, &mut more);
    for (i, s) in doc.substitutions.iter().enumerate() {
        if let Some(when) = &s.when {
            check_match(when, &format!("substitutions[{i}].when"), &mut more);
        }
    }
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
    errors.extend(more);
    errors
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

fn duplicates<'a>(
    keys: impl Iterator<Item = &'a str>,
    list: &str,
    err: &mut impl FnMut(String, &'static str, String),
) {
    let mut seen = BTreeSet::new();
    for (i, key) in keys.enumerate() {
        if !seen.insert(key) {
            err(
                format!("{list}[{i}].key"),
                "DUPLICATE",
                format!("the key {key} is used twice"),
            );
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

fn check_earn(earn: &Earn, path: &str, errors: &mut Vec<PolicyError>) {
    match earn {
        Earn::PerHour(v) => negative(*v, format!("{path}.perHour"), errors),
        Earn::PerDay(v) => negative(*v, format!("{path}.perDay"), errors),
        Earn::PerMonth(v) => negative(*v, format!("{path}.perMonth"), errors),
        Earn::Fixed(v) => negative(*v, format!("{path}.fixed"), errors),
        Earn::HoursPerCredit(v) => {
            if *v <= Amount::ZERO {
                errors.push(PolicyError::new(
                    format!("{path}.hoursPerCredit"),
                    "OUT_OF_RANGE",
                    "must be more than 0",
                ));
            }
        }
        Earn::ByLevel(table) => {
            for (level, v) in table {
                negative(*v, format!("{path}.byLevel.{level}"), errors);
            }
        }
        Earn::Table(table) => {
            if table.rows.is_empty() {
                errors.push(PolicyError::new(
                    format!("{path}.table.rows"),
                    "REQUIRED",
                    "needs at least one row",
                ));
            }
            for (i, row) in table.rows.iter().enumerate() {
                negative(
                    row.at_least,
                    format!("{path}.table.rows[{i}].atLeast"),
                    errors,
                );
                negative(
                    row.credits,
                    format!("{path}.table.rows[{i}].credits"),
                    errors,
                );
            }
        }
    }
}

/// `hoursBasis` chooses which hours a rule prices, so it is refused on a rule that prices none
/// (a fixed amount, a level table, days, months, words): there it would silently do nothing.
fn check_hours_basis(rule: &Rule, path: &str, errors: &mut Vec<PolicyError>) {
    let prices_hours = match &rule.earn {
        Earn::PerHour(_) | Earn::HoursPerCredit(_) => true,
        Earn::Table(table) => table.fact == Fact::Hours,
        Earn::Fixed(_) | Earn::ByLevel(_) | Earn::PerDay(_) | Earn::PerMonth(_) => false,
    };
    if rule.hours_basis.is_some() && !prices_hours {
        errors.push(PolicyError::new(
            format!("{path}.hoursBasis"),
            "NOT_ALLOWED",
            "this rule prices no hours (perHour, hoursPerCredit or a table of HOURS)",
        ));
    }
}
