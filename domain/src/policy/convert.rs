//! Conversion: an activity's facts become credits under one policy.

use rust_decimal::Decimal;

use super::activity::Activity;
use super::document::{Earn, Fact, HoursBasis, PolicyDocument, Rule};
use super::evaluate::note;
use super::report::{codes, Note};
use crate::amount::Amount;
use crate::codes::TrainingLevel;
use crate::text::{Arg, Text};

/// What a policy makes of an activity before conditions, limits and requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// The key of the rule that priced it; `None` when no rule applies to it.
    pub rule: Option<String>,
    pub credits: Amount,
    /// Why the rule gave nothing although it matched (a level its table does not list, a
    /// missing fact), or why no rule did: a note with a stable code.
    pub shortfall: Option<Note>,
}

/// A price before its words: the rule, the credits, and why nothing was earned. The shortfall's
/// note is built only when asked for ([`Shortfall::note`]): an evaluation that only counts
/// needs to know there is one, not what it says.
pub(super) struct Priced<'p> {
    pub rule: Option<&'p Rule>,
    pub credits: Amount,
    pub shortfall: Option<Shortfall>,
}

/// Why a matching rule (or no rule) gave nothing.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shortfall {
    NoRule,
    /// The fact the rule prices is not recorded (`hours`, `days`, `months`, `words`, `level`).
    Missing(&'static str),
    LevelNotAccepted(TrainingLevel),
    BelowThreshold(Decimal),
}

impl Shortfall {
    pub fn code(&self) -> &'static str {
        match self {
            Shortfall::NoRule => codes::NO_RULE,
            Shortfall::Missing(_) => "MISSING_FACT",
            Shortfall::LevelNotAccepted(_) => "LEVEL_NOT_ACCEPTED",
            Shortfall::BelowThreshold(_) => "BELOW_THRESHOLD",
        }
    }

    pub fn note(&self, policy: &PolicyDocument, activity: &Activity) -> Note {
        match *self {
            Shortfall::NoRule => note(
                codes::NO_RULE,
                format!(
                    "{} earns no credit under {}",
                    describe(activity),
                    policy.name
                ),
                Text::new("notes.NO_RULE")
                    .arg("activity", described(activity))
                    .arg("policy", &policy.name),
            ),
            Shortfall::Missing(what) => missing(what),
            Shortfall::LevelNotAccepted(level) => note(
                self.code(),
                format!("{level} level earns nothing for this kind of activity"),
                Text::new("notes.LEVEL_NOT_ACCEPTED").arg("level", level),
            ),
            Shortfall::BelowThreshold(n) => note(
                self.code(),
                format!("{n} is below the smallest threshold of the rule"),
                Text::new("notes.BELOW_THRESHOLD").arg("value", n.normalize().to_string()),
            ),
        }
    }
}

impl PolicyDocument {
    /// The first rule whose `when` matches the activity.
    pub fn rule_for(&self, activity: &Activity) -> Option<&Rule> {
        self.rules.iter().find(|r| r.when.matches(activity, None))
    }

    /// Prices an activity: the credits it earns under this policy if it counts at all.
    pub fn convert(&self, activity: &Activity) -> Conversion {
        let priced = self.price(activity);
        Conversion {
            rule: priced.rule.map(|r| r.key.clone()),
            credits: priced.credits,
            shortfall: priced.shortfall.map(|s| s.note(self, activity)),
        }
    }

    /// [`Self::convert`] without its words.
    pub(super) fn price(&self, activity: &Activity) -> Priced<'_> {
        let Some(rule) = self.rule_for(activity) else {
            return Priced {
                rule: None,
                credits: Amount::ZERO,
                shortfall: Some(Shortfall::NoRule),
            };
        };
        let basis = rule.hours_basis.unwrap_or(self.hours_basis);
        let (base, shortfall) = earn(&rule.earn, &Facts { activity, basis });
        let factor = rule
            .multipliers
            .iter()
            .filter(|m| m.when.matches(activity, Some(&rule.key)))
            .fold(Decimal::ONE, |acc, m| acc * m.factor.decimal());
        Priced {
            rule: Some(rule),
            credits: Amount::round_credits(base * factor),
            shortfall,
        }
    }
}

fn describe(activity: &Activity) -> String {
    let mut text = activity.kind.as_str().to_owned();
    if let Some(level) = activity.level {
        text.push_str(&format!(" at {level} level"));
    }
    if let Some(category) = &activity.category {
        text.push_str(&format!(" in {category}"));
    }
    text
}

/// [`describe`] for users: kind, level and category shown with their labels.
fn described(activity: &Activity) -> Text {
    let key = match (activity.level, &activity.category) {
        (None, None) => "activity.kind",
        (Some(_), None) => "activity.kind_level",
        (None, Some(_)) => "activity.kind_category",
        (Some(_), Some(_)) => "activity.kind_level_category",
    };
    let mut text = Text::new(key).arg("kind", activity.kind);
    if let Some(level) = activity.level {
        text = text.arg("level", level);
    }
    if let Some(category) = &activity.category {
        text = text.arg("category", category);
    }
    text
}

/// An activity as one rule reads it: which of its hours the rule prices.
struct Facts<'a> {
    activity: &'a Activity,
    basis: HoursBasis,
}

fn fact(facts: &Facts<'_>, fact: Fact) -> Option<Decimal> {
    let activity = facts.activity;
    match fact {
        Fact::Hours => activity.priced_hours(facts.basis).map(|h| h.decimal()),
        Fact::Days => activity.days.map(Decimal::from),
        Fact::Months => activity.months.map(Decimal::from),
        Fact::Words => activity.words.map(Decimal::from),
    }
}

fn missing(what: &str) -> Note {
    let key = match what {
        "hours" => "facts.hours",
        "days" => "facts.days",
        "months" => "facts.months",
        "words" => "facts.words",
        _ => "facts.level",
    };
    note(
        Shortfall::Missing("").code(),
        format!("the activity does not say its {what}"),
        Text::new("notes.MISSING_FACT").arg("what", Arg::Key(key)),
    )
}

fn fact_name(fact: Fact) -> &'static str {
    match fact {
        Fact::Hours => "hours",
        Fact::Days => "days",
        Fact::Months => "months",
        Fact::Words => "words",
    }
}

fn earn(earn: &Earn, facts: &Facts<'_>) -> (Decimal, Option<Shortfall>) {
    let activity = facts.activity;
    let per = |rate: &Amount, f: Fact| match fact(facts, f) {
        Some(n) => (n * rate.decimal(), None),
        None => (Decimal::ZERO, Some(Shortfall::Missing(fact_name(f)))),
    };
    match earn {
        Earn::PerHour(rate) => per(rate, Fact::Hours),
        Earn::HoursPerCredit(hours) => match fact(facts, Fact::Hours) {
            Some(n) if !hours.decimal().is_zero() => (n / hours.decimal(), None),
            Some(_) => (Decimal::ZERO, None),
            None => (Decimal::ZERO, Some(Shortfall::Missing("hours"))),
        },
        Earn::PerDay(rate) => per(rate, Fact::Days),
        Earn::PerMonth(rate) => per(rate, Fact::Months),
        Earn::Fixed(amount) => (amount.decimal(), None),
        Earn::ByLevel(table) => match activity.level {
            Some(level) => match table.get(&level) {
                Some(amount) => (amount.decimal(), None),
                None => (Decimal::ZERO, Some(Shortfall::LevelNotAccepted(level))),
            },
            None => (Decimal::ZERO, Some(Shortfall::Missing("level"))),
        },
        Earn::Table(table) => match fact(facts, table.fact) {
            Some(n) => {
                let best = table
                    .rows
                    .iter()
                    .filter(|row| n >= row.at_least.decimal())
                    .max_by_key(|row| row.at_least);
                match best {
                    Some(row) => (row.credits.decimal(), None),
                    None => (Decimal::ZERO, Some(Shortfall::BelowThreshold(n))),
                }
            }
            None => (
                Decimal::ZERO,
                Some(Shortfall::Missing(fact_name(table.fact))),
            ),
        },
    }
}
