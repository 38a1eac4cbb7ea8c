//! Compliance: conditions, then limits, then requirements, each step explained per record.

use chrono::NaiveDate;

use super::activity::Activity;
use super::document::{NewHires, PeriodKind, PolicyDocument, Requirement};
use super::period::{MakeUpAllowance, Period};
use super::report::{codes, ComplianceReport, Note, RecordResult};
use super::teacher::{Span, TeacherFacts};
use crate::amount::Amount;
use crate::codes::CreditStatus;
use crate::text::Text;

/// What to evaluate: a teacher's activities on a day.
#[derive(Debug, Clone, Copy)]
pub struct Evaluation<'a> {
    pub as_of: NaiveDate,
    /// Count PENDING records as if certified (a "what if everything is approved" view).
    pub include_pending: bool,
    pub activities: &'a [Activity],
    pub allowances: &'a [MakeUpAllowance],
    /// Who the teacher is: some requirements bind head teachers or new hires only.
    pub teacher: TeacherFacts,
}

/// One record on its way through the evaluation.
pub(super) struct Working<'a> {
    pub activity: &'a Activity,
    pub rule: Option<String>,
    pub credits: Amount,
    /// What may still count, in 10⁻⁴ credit, after conditions and limits so far.
    pub eligible: i64,
    /// The period-year the record counts for (its own, or an earlier one by make-up).
    pub year: i32,
    /// What the record would be eligible for were it inside the period: set only when being
    /// outside it is its sole refusal. A new hire's probation or service year may straddle two
    /// periods; its requirement sees its whole span, in either period.
    pub outside_period: i64,
    /// Hours received as a trainee (10⁻⁴ hour), for hour requirements: set when the record is
    /// admitted, whatever limits later do to its credits (a cap limits credits, not the hours
    /// a teacher sat through).
    pub received: i64,
    /// As `outside_period`, for hours.
    pub received_outside: i64,
    pub notes: Vec<Note>,
}

impl PolicyDocument {
    /// Evaluates the period containing `as_of`. Deterministic: the result does not depend on
    /// the order of `activities`.
    pub fn evaluate(&self, input: Evaluation<'_>) -> ComplianceReport {
        let period = self.period.containing(input.as_of);
        let mut ordered: Vec<&Activity> = input.activities.iter().collect();
        ordered.sort_by_key(|a| (a.earned_on, a.id));
        let mut work: Vec<Working<'_>> = ordered
            .into_iter()
            .map(|a| self.admit(a, &period, &input))
            .collect();
        self.apply_limits(&mut work, &period, &input.teacher);
        let (requirements, allocations) =
            self.allocate(&work, &period, input.as_of, &input.teacher);

        let mut total = 0i64;
        let records = work
            .into_iter()
            .zip(allocations)
            .map(|(mut w, allocated)| {
                let counted = allocated.counted.min(w.eligible);
                if w.eligible > 0 && counted == 0 {
                    w.notes.push(note(
                        codes::CATEGORY_NOT_ACCEPTED,
                        "no requirement of this policy accepts this record".to_owned(),
                        Text::new("notes.CATEGORY_NOT_ACCEPTED"),
                    ));
                } else if counted < w.eligible {
                    w.notes.push(note(
                        codes::ONLY_FILLS_SHORTFALL,
                        format!(
                            "this record only fills other requirements' shortfalls; {} of it was needed",
                            Amount::from_e4(counted)
                        ),
                        Text::new("notes.ONLY_FILLS_SHORTFALL")
                            .arg("counted", Amount::from_e4(counted)),
                    ));
                }
                total += counted;
                RecordResult {
                    record_id: w.activity.id,
                    rule: w.rule,
                    credits: w.credits,
                    counted: Amount::from_e4(counted),
                    allocations: allocated.list,
                    notes: w.notes,
                }
            })
            .collect();
        ComplianceReport {
            policy_key: self.key.clone(),
            policy_name: self.name.clone(),
            period_start: period.start,
            period_end: period.end,
            satisfied: requirements.iter().all(|r| r.satisfied),
            total_counted: Amount::from_e4(total),
            requirements,
            records,
        }
    }

    /// Prices a record and applies the conditions: status, period, outcome, absence, approval.
    fn admit<'a>(
        &self,
        activity: &'a Activity,
        period: &Period,
        input: &Evaluation<'_>,
    ) -> Working<'a> {
        let conversion = self.convert(activity);
        let mut notes = Vec::new();
        let mut refusals: Vec<&'static str> = Vec::new();
        let mut refuse = |refusal: Note, notes: &mut Vec<Note>| {
            refusals.push(refusal.code);
            notes.push(refusal);
        };
        if let Some(shortfall) = conversion.shortfall.clone() {
            if conversion.credits.is_zero() {
                refuse(shortfall, &mut notes);
            } else {
                notes.push(shortfall);
            }
        }
        match activity.status {
            CreditStatus::Certified => {}
            CreditStatus::Pending if input.include_pending => notes.push(note(
                codes::PENDING_INCLUDED,
                "still under review; counted because pending records were included".to_owned(),
                Text::new("notes.PENDING_INCLUDED"),
            )),
            status => refuse(
                match status {
                    CreditStatus::Pending => note(
                        codes::NOT_CERTIFIED,
                        "still under review".to_owned(),
                        Text::new("notes.NOT_CERTIFIED_PENDING"),
                    ),
                    other => note(
                        codes::NOT_CERTIFIED,
                        format!("the record is {}", other.as_str().to_lowercase()),
                        Text::new("notes.NOT_CERTIFIED")
                            .arg("state", other.as_str().to_lowercase())
                            .arg("status", other),
                    ),
                },
                &mut notes,
            ),
        }
        let mut year = period.year_of(activity.earned_on);
        match self.made_up_year(activity, period, input.allowances) {
            Some(made_up) => {
                year = made_up;
                notes.push(note(
                    codes::MADE_UP,
                    format!("counted toward {made_up} under a make-up allowance"),
                    Text::new("notes.MADE_UP").arg("year", made_up),
                ));
            }
            None if !period.contains(activity.earned_on) => refuse(
                note(
                    codes::OUT_OF_PERIOD,
                    format!(
                        "earned on {}, outside the period {} to {}",
                        activity.earned_on, period.start, period.end
                    ),
                    Text::new("notes.OUT_OF_PERIOD")
                        .arg("on", activity.earned_on)
                        .arg("start", period.start)
                        .arg("end", period.end),
                ),
                &mut notes,
            ),
            None => {}
        }
        for refusal in self.refusals(activity) {
            refuse(refusal, &mut notes);
        }
        let credits = conversion.credits.to_e4().max(0);
        let hours = activity.received_hours().map_or(0, |h| h.to_e4().max(0));
        let admitted = refusals.is_empty();
        let only_outside = refusals == [codes::OUT_OF_PERIOD];
        Working {
            activity,
            rule: conversion.rule,
            credits: conversion.credits,
            eligible: if admitted { credits } else { 0 },
            outside_period: if only_outside { credits } else { 0 },
            received: if admitted { hours } else { 0 },
            received_outside: if only_outside { hours } else { 0 },
            year,
            notes,
        }
    }

    fn made_up_year(
        &self,
        activity: &Activity,
        period: &Period,
        allowances: &[MakeUpAllowance],
    ) -> Option<i32> {
        if !self.period.make_up {
            return None;
        }
        allowances
            .iter()
            .filter(|a| {
                (period.year_of(period.start)..=period.year_of(period.end)).contains(&a.year)
                    && activity.earned_on > period.year_end(a.year)
                    && activity.earned_on <= a.until
            })
            .map(|a| a.year)
            .min()
    }

    /// The requirement instances of this evaluation: those that bind the teacher, annual
    /// minimums expanded per due year, a new hire's over the year or months it names; each with
    /// its minimum (in 10⁻⁴ credit) and, for a teacher hired during the cycle, the share of the
    /// cycle's years it is scaled to.
    pub(super) fn instances(
        &self,
        period: &Period,
        as_of: NaiveDate,
        teacher: &TeacherFacts,
    ) -> Vec<InstanceSpec> {
        let mut out = Vec::new();
        // A teacher hired after `as_of` owes nothing of a new hire's yet.
        let hired_later = teacher.hired_on.is_some_and(|h| h > as_of);
        let first = period.year_of(period.start);
        let last = period.year_of(period.end);
        // The first period-year a teacher hired during this cycle owes in-service training for:
        // the year after the hire year, which is the probation year (seed 004: in-service
        // continuing education follows probation; Weifang art. 13: then "the remaining years").
        let joined = match (self.period.kind, self.period.new_hires, teacher.hired_on) {
            (PeriodKind::Cycle, NewHires::ProRata, Some(h)) if period.contains(h) => {
                Some(period.year_of(h) + 1)
            }
            _ => None,
        };
        for (i, r) in self.requirements.iter().enumerate() {
            let min = r.min.to_e4();
            let whole = |span| InstanceSpec {
                index: i,
                span,
                min,
                share: None,
            };
            match r.applies_to.span(teacher, period) {
                None => {}
                Some(Span::Year(_) | Span::Dates { .. }) if hired_later => {}
                // A service year not begun by `as_of` is not due.
                Some(Span::Dates { from, .. }) if from > as_of => {}
                Some(Span::Period) if r.each_year => out.extend(
                    period
                        .years_due(as_of)
                        .filter(|y| joined.is_none_or(|j| *y >= j))
                        .map(|y| whole(Span::Year(y))),
                ),
                // A hire year not yet reached by `as_of` is not due.
                Some(Span::Year(y)) if !period.years_due(as_of).contains(&y) => {}
                Some(Span::Period) => match joined {
                    // Hired in the cycle's last year: nothing of this cycle is owed.
                    Some(j) if j > last => {}
                    Some(j) => {
                        let (left, total) = (i64::from(last - j + 1), i64::from(last - first + 1));
                        out.push(InstanceSpec {
                            index: i,
                            span: Span::Period,
                            // Rounded up: a share of a minimum is never less than owed.
                            min: (min * left + total - 1) / total,
                            share: Some((left, total)),
                        });
                    }
                    None => out.push(whole(Span::Period)),
                },
                Some(span) => out.push(whole(span)),
            }
        }
        out
    }
}

/// One requirement instance, before credits are counted toward it.
pub(super) struct InstanceSpec {
    pub index: usize,
    pub span: Span,
    /// The minimum, in 10⁻⁴ credit, after any pro-rata scaling.
    pub min: i64,
    /// `(years left from the hire year, years in the cycle)` when scaled.
    pub share: Option<(i64, i64)>,
}

pub(super) fn note(code: &'static str, message: String, text: Text) -> Note {
    Note {
        code,
        message,
        text,
    }
}

pub(super) fn instance_key(requirement: &Requirement, span: Span) -> String {
    match span {
        Span::Year(y) => format!("{}:{y}", requirement.key),
        Span::Period | Span::Dates { .. } => requirement.key.clone(),
    }
}
