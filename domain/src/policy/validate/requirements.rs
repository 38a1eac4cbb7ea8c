//! The checks on what a policy counts toward: requirements (their unit, the teachers and the
//! stretch of time they bind), limits bound to a stretch of time, and substitutions.

use super::PolicyError;
use crate::policy::document::{PolicyDocument, Requirement, RequirementUnit};
use crate::policy::teacher::AppliesTo;

/// A new hire's requirement (or limit) looks at one stretch of time: the hire year, the
/// probation months or one year of service. `path` is the requirement's or limit's.
pub(super) fn check_applies_to(
    a: &AppliesTo,
    each_year: bool,
    path: &str,
    errors: &mut Vec<PolicyError>,
) {
    let path = format!("{path}.appliesTo");
    if let Some(months) = a.probation_months {
        if !(1..=60).contains(&months) {
            errors.push(PolicyError::new(
                format!("{path}.probationMonths"),
                "OUT_OF_RANGE",
                "must be from 1 to 60 months",
            ));
        }
    }
    if let Some(year) = a.service_year {
        if !(1..=10).contains(&year) {
            errors.push(PolicyError::new(
                format!("{path}.serviceYear"),
                "OUT_OF_RANGE",
                "must be from 1 to 10",
            ));
        }
    }
    let stretches = [
        a.hire_year,
        a.probation_months.is_some(),
        a.service_year.is_some(),
    ];
    let stretch = stretches.iter().filter(|s| **s).count();
    if stretch > 1 || (each_year && (a.probation_months.is_some() || a.service_year.is_some())) {
        errors.push(PolicyError::new(
            path,
            "INVALID_VALUE",
            "a requirement looks at one stretch of time: hireYear, probationMonths or serviceYear, and probationMonths or serviceYear not with eachYear",
        ));
    }
}

/// Hours received are not shared out like credits: an hour requirement counts every matching
/// hour, so it stands in no pool, and nothing fills it by substitution.
pub(super) fn check_unit(r: &Requirement, path: &str, errors: &mut Vec<PolicyError>) {
    if r.unit == RequirementUnit::Hours && r.pool.is_some() {
        errors.push(PolicyError::new(
            format!("{path}.unit"),
            "NOT_ALLOWED",
            "an HOURS requirement counts every matching hour and takes no pool",
        ));
    }
}

/// Substitutions join two requirements of one pool, one way, without cycles: a cycle would
/// make its requirements one shared requirement, which a pool says more plainly. Each starts
/// from a requirement (`from`) or from facts (`when`), never both; `when` itself is checked
/// with the other matches.
pub(super) fn check_substitutions(doc: &PolicyDocument, errors: &mut Vec<PolicyError>) {
    let pool_of = |key: &str| {
        doc.requirements
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.pool.clone())
    };
    for (i, s) in doc.substitutions.iter().enumerate() {
        let path = format!("substitutions[{i}]");
        if s.from.is_some() == s.when.is_some() {
            errors.push(PolicyError::new(
                path.clone(),
                "INVALID_VALUE",
                "give either from (a requirement key) or when (the facts of the credits), not both",
            ));
        }
        let to = pool_of(&s.to);
        if to.is_none() {
            errors.push(PolicyError::new(
                format!("{path}.to"),
                "UNKNOWN_VALUE",
                format!("no requirement has the key {}", s.to),
            ));
        }
        if let Some(None) = to {
            errors.push(PolicyError::new(
                format!("{path}.to"),
                "NOT_ALLOWED",
                format!(
                    "requirement {} is in no pool, so it already sees every matching credit",
                    s.to
                ),
            ));
        }
        let Some(from_key) = s.from.as_deref() else {
            continue;
        };
        let from = pool_of(from_key);
        if from.is_none() {
            errors.push(PolicyError::new(
                format!("{path}.from"),
                "UNKNOWN_VALUE",
                format!("no requirement has the key {from_key}"),
            ));
        }
        if let (Some(from), Some(to)) = (from, &to) {
            if from.is_none() || &from != to {
                errors.push(PolicyError::new(
                    path.clone(),
                    "NOT_ALLOWED",
                    "both requirements must be in the same pool",
                ));
            }
        }
        if from_key == s.to {
            errors.push(PolicyError::new(
                path,
                "SUBSTITUTION_CYCLE",
                "a requirement cannot substitute itself",
            ));
        }
    }
    // Depth-first search for a cycle through the substitution edges between requirements.
    let edges: Vec<(&str, &str)> = doc
        .substitutions
        .iter()
        .filter_map(|s| s.from.as_deref().map(|f| (f, s.to.as_str())))
        .filter(|(f, t)| f != t)
        .collect();
    for (i, (from, to)) in doc
        .substitutions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.from.as_deref().map(|f| (i, (f, s.to.as_str()))))
    {
        if from != to && reaches(&edges, to, from, edges.len()) {
            errors.push(PolicyError::new(
                format!("substitutions[{i}]"),
                "SUBSTITUTION_CYCLE",
                format!(
                    "{from} and {to} fill each other in a cycle; put them in one requirement instead"
                ),
            ));
            break;
        }
    }
}

fn reaches(edges: &[(&str, &str)], from: &str, to: &str, depth: usize) -> bool {
    if from == to {
        return true;
    }
    depth > 0
        && edges
            .iter()
            .filter(|(a, _)| *a == from)
            .any(|(_, b)| reaches(edges, b, to, depth - 1))
}
