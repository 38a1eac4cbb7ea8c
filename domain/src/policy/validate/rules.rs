//! A policy's rules: unique keys, and for each what it matches, what it earns (no negative
//! rate, a positive hours-per-credit, a table with rows), its multipliers and the pooled
//! requirements it fills.

use super::{duplicates, negative, Matcher, PolicyError};
use crate::amount::Amount;
use crate::policy::document::{Earn, Fact, PolicyDocument, Rule};

/// At least one rule, unique keys, and each rule's match, earning, multipliers and fills.
pub(super) fn check_rules(
    doc: &PolicyDocument,
    matcher: &Matcher,
    errors: &mut Vec<PolicyError>,
    more: &mut Vec<PolicyError>,
) {
    if doc.rules.is_empty() {
        errors.push(PolicyError::new(
            "rules",
            "REQUIRED",
            "a policy needs at least one rule",
        ));
    }
    duplicates(doc.rules.iter().map(|r| r.key.as_str()), "rules", errors);
    for (i, rule) in doc.rules.iter().enumerate() {
        let path = format!("rules[{i}]");
        if rule.key.trim().is_empty() {
            more.push(PolicyError::new(
                format!("{path}.key"),
                "REQUIRED",
                "must not be empty",
            ));
        }
        matcher.check(&rule.when, &format!("{path}.when"), more);
        check_earn(&rule.earn, &format!("{path}.earn"), more);
        check_hours_basis(rule, &path, more);
        for (j, m) in rule.multipliers.iter().enumerate() {
            matcher.check(&m.when, &format!("{path}.multipliers[{j}].when"), more);
            negative(m.factor, format!("{path}.multipliers[{j}].factor"), more);
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
