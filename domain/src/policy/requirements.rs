//! Requirements: floors that see every matching credit, and pools whose credits are shared out
//! by maximum flow (see `allocate`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::allocate::{allocate, Claim};
use super::document::{PolicyDocument, Requirement, RequirementUnit};
use super::evaluate::Working;
use super::explain::Detail;
use super::instances::instance_key;
use super::period::Period;
use super::report::{Allocation, RequirementResult};
use super::teacher::{Span, TeacherFacts};
use crate::amount::Amount;
use crate::text::{Arg, Text};

/// What one record gave to requirements.
#[derive(Default)]
pub(super) struct Allocated {
    /// The most of its credits counted (a floor counts all of them; a pool what it allocated).
    pub counted: i64,
    pub list: Vec<Allocation>,
}

struct Instance<'p> {
    requirement: &'p Requirement,
    span: Span,
    key: String,
    min: i64,
    share: Option<(i64, i64)>,
}

impl Instance<'_> {
    fn matches(&self, w: &Working<'_>) -> bool {
        self.same_year(w) && self.requirement.when.matches(w.activity, w.rule_key())
    }

    /// Whether the record falls in the instance's span at all.
    fn same_year(&self, w: &Working<'_>) -> bool {
        match self.span {
            Span::Period => true,
            Span::Year(y) => y == w.year,
            Span::Dates { from, until } => {
                from <= w.activity.earned_on && w.activity.earned_on < until
            }
        }
    }
}

impl PolicyDocument {
    pub(super) fn allocate(
        &self,
        work: &[Working<'_>],
        period: &Period,
        as_of: NaiveDate,
        teacher: &TeacherFacts,
        detail: Detail,
    ) -> (Vec<RequirementResult>, Vec<Allocated>) {
        let listed = detail == Detail::Explained;
        let instances: Vec<Instance<'_>> = self
            .instances(period, as_of, teacher)
            .into_iter()
            .map(|spec| Instance {
                requirement: &self.requirements[spec.index],
                span: spec.span,
                key: instance_key(&self.requirements[spec.index], spec.span),
                min: spec.min,
                share: spec.share,
            })
            .collect();
        let mut counted = vec![0i64; instances.len()];
        let mut per_record: Vec<Allocated> = work.iter().map(|_| Allocated::default()).collect();

        // Floors: every matching credit counts toward each. A floor over a new hire's dates
        // also sees its records on the other side of the period's edge (`outside_period`);
        // they count toward it, never toward the period's total.
        for (ii, inst) in instances.iter().enumerate() {
            if inst.requirement.pool.is_some() {
                continue;
            }
            let spans_dates = matches!(inst.span, Span::Dates { .. });
            for (ri, w) in work.iter().enumerate() {
                if inst.requirement.unit == RequirementUnit::Hours {
                    // Hours are not credits: they fill the floor, never a record's allocations.
                    let hours = if w.received == 0 && spans_dates {
                        w.received_outside
                    } else {
                        w.received
                    };
                    if hours > 0 && inst.matches(w) {
                        counted[ii] += hours;
                    }
                    continue;
                }
                let credits = if w.eligible == 0 && spans_dates {
                    w.outside_period
                } else {
                    w.eligible
                };
                if credits > 0 && inst.matches(w) {
                    counted[ii] += credits;
                    give(&mut per_record[ri], &inst.key, credits, listed);
                    per_record[ri].counted = per_record[ri].counted.max(w.eligible.min(credits));
                }
            }
        }

        // Pools: credits are shared out.
        let mut pools: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (ii, inst) in instances.iter().enumerate() {
            if let Some(pool) = &inst.requirement.pool {
                pools.entry(pool.as_str()).or_default().push(ii);
            }
        }
        for members in pools.values() {
            let claims: Vec<Claim> = work
                .iter()
                .map(|w| self.claim(w, &instances, members))
                .collect();
            let minimums: Vec<i64> = members.iter().map(|&ii| instances[ii].min).collect();
            for (ri, gifts) in allocate(&minimums, &claims).into_iter().enumerate() {
                let mut total = 0;
                for (bi, credits) in gifts {
                    let ii = members[bi];
                    counted[ii] += credits;
                    total += credits;
                    give(&mut per_record[ri], &instances[ii].key, credits, listed);
                }
                per_record[ri].counted = per_record[ri].counted.max(total);
            }
        }

        let results = instances
            .iter()
            .zip(counted)
            .map(|(inst, counted)| result(inst, counted))
            .collect();
        (results, per_record)
    }

    fn claim(&self, w: &Working<'_>, instances: &[Instance<'_>], members: &[usize]) -> Claim {
        let mut matches = 0u64;
        for (bi, &ii) in members.iter().enumerate() {
            if instances[ii].matches(w) {
                matches |= 1 << bi;
            }
        }
        let mut may_fill = matches;
        let fills: &[String] = w.rule.map(|r| r.fills.as_slice()).unwrap_or(&[]);
        for (bi, &ii) in members.iter().enumerate() {
            let target = &instances[ii];
            if !target.same_year(w) {
                continue;
            }
            let by_fill = fills.contains(&target.requirement.key);
            // A substitution starts from a requirement the record matches (`from`), or from the
            // record's own facts (`when`) where no requirement describes them.
            let by_substitution = self.substitutions.iter().any(|s| {
                s.to == target.requirement.key
                    && (s.from.as_deref().is_some_and(|from| {
                        members.iter().enumerate().any(|(bj, &ij)| {
                            matches & (1 << bj) != 0 && instances[ij].requirement.key == from
                        })
                    }) || s
                        .when
                        .as_ref()
                        .is_some_and(|m| m.matches(w.activity, w.rule_key())))
            });
            if by_fill || by_substitution {
                may_fill |= 1 << bi;
            }
        }
        Claim {
            credits: w.eligible,
            may_fill,
            matches,
        }
    }
}

/// Records `credits` of a record given to the requirement `key` (only when `listed`: the
/// per-record list is an explanation; the counts are kept apart).
fn give(into: &mut Allocated, key: &str, credits: i64, listed: bool) {
    if credits <= 0 || !listed {
        return;
    }
    match into.list.iter_mut().find(|a| a.requirement_key == key) {
        Some(a) => a.credits = Amount::from_e4(a.credits.to_e4() + credits),
        None => into.list.push(Allocation {
            requirement_key: key.to_owned(),
            credits: Amount::from_e4(credits),
        }),
    }
}

fn result(inst: &Instance<'_>, counted: i64) -> RequirementResult {
    let r = inst.requirement;
    let required = Amount::from_e4(inst.min);
    let shortfall = (required.to_e4() - counted).max(0);
    let single = |n: usize| n == 1;
    let label = Arg::Label {
        zh: r.label.clone(),
        en: r.label_en.clone(),
    };
    let label_text = match inst.span {
        Span::Year(y) => Text::new("requirement_label.year")
            .arg("label", label)
            .arg("year", y),
        Span::Dates { from, until } => Text::new("requirement_label.dates")
            .arg("label", label)
            .arg("from", from)
            .arg("until", until.pred_opt().unwrap_or(until)),
        Span::Period => match inst.share {
            Some((left, total)) => Text::new("requirement_label.pro_rata")
                .arg("label", label)
                .arg("left", left)
                .arg("total", total)
                .arg("required", required)
                .arg("min", r.min),
            None => Text::new("requirement_label.plain").arg("label", label),
        },
    };
    RequirementResult {
        label_text,
        key: inst.key.clone(),
        label: match inst.span {
            Span::Year(y) => format!("{} ({y})", r.label),
            Span::Dates { from, until } => format!(
                "{} ({from} – {})",
                r.label,
                until.pred_opt().unwrap_or(until)
            ),
            Span::Period => match inst.share {
                Some((left, total)) => format!(
                    "{} (hired during the cycle: {left} of {total} years, {} of {})",
                    r.label, required, r.min
                ),
                None => r.label.clone(),
            },
        },
        unit: r.unit,
        required,
        counted: Amount::from_e4(counted),
        shortfall: Amount::from_e4(shortfall),
        satisfied: shortfall == 0,
        year: match inst.span {
            Span::Year(y) => Some(y),
            Span::Period | Span::Dates { .. } => None,
        },
        level: single(r.when.levels.len()).then(|| r.when.levels[0]),
        min_level: r.when.min_level,
        category: single(r.when.categories.len()).then(|| r.when.categories[0].clone()),
        compulsory: r.when.compulsory,
    }
}
