//! Compliance: conditions, then limits, then requirements, each step explained per record
//! (or, for the figures alone, counted: see `explain`).

use chrono::NaiveDate;

use super::activity::Activity;
use super::document::{PolicyDocument, Rule};
use super::explain::{Detail, Notes};
use super::period::{MakeUpAllowance, Period};
use super::report::{codes, ComplianceReport, ComplianceTotals, Note, RecordResult};
use super::teacher::TeacherFacts;
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
    /// The rule that priced it.
    pub rule: Option<&'a Rule>,
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
    pub notes: Notes,
}

impl Working<'_> {
    /// The key of the rule that priced the record, as `Match::matches` reads it.
    pub fn rule_key(&self) -> Option<&str> {
        self.rule.map(|r| r.key.as_str())
    }
}

impl PolicyDocument {
    /// Evaluates the period containing `as_of`, every record explained. Deterministic: the
    /// result does not depend on the order of `activities`.
    pub fn evaluate(&self, input: Evaluation<'_>) -> ComplianceReport {
        let (totals, records) = self.run(input, Detail::Explained);
        ComplianceReport {
            policy_key: self.key.clone(),
            policy_name: self.name.clone(),
            period_start: totals.period_start,
            period_end: totals.period_end,
            satisfied: totals.satisfied,
            total_counted: totals.total_counted,
            requirements: totals.requirements,
            records,
        }
    }

    /// The figures of [`Self::evaluate`] (equal to its `totals()`), without explaining the
    /// records: what snapshots and statistics keep, at a fraction of the cost.
    pub fn evaluate_totals(&self, input: Evaluation<'_>) -> ComplianceTotals {
        self.run(input, Detail::Counted).0
    }

    /// The figures, and each record explained when `detail` asks for it (else none).
    fn run<'a>(
        &'a self,
        input: Evaluation<'a>,
        detail: Detail,
    ) -> (ComplianceTotals, Vec<RecordResult>) {
        let period = self.period.containing(input.as_of);
        let mut ordered: Vec<&Activity> = input.activities.iter().collect();
        ordered.sort_by_key(|a| (a.earned_on, a.id));
        let mut work: Vec<Working<'a>> = ordered
            .into_iter()
            .map(|a| self.admit(a, &period, &input, detail))
            .collect();
        self.apply_limits(&mut work, &period, &input.teacher);
        let (requirements, allocations) =
            self.allocate(&work, &period, input.as_of, &input.teacher, detail);

        let mut total = 0i64;
        let mut records = Vec::new();
        for (mut w, allocated) in work.into_iter().zip(allocations) {
            let counted = allocated.counted.min(w.eligible);
            total += counted;
            if !w.notes.explained() {
                continue;
            }
            if w.eligible > 0 && counted == 0 {
                w.notes.add(codes::CATEGORY_NOT_ACCEPTED, || {
                    (
                        "no requirement of this policy accepts this record".to_owned(),
                        Text::new("notes.CATEGORY_NOT_ACCEPTED"),
                    )
                });
            } else if counted < w.eligible {
                w.notes.add(codes::ONLY_FILLS_SHORTFALL, || {
                    (
                        format!(
                            "this record only fills other requirements' shortfalls; {} of it was needed",
                            Amount::from_e4(counted)
                        ),
                        Text::new("notes.ONLY_FILLS_SHORTFALL")
                            .arg("counted", Amount::from_e4(counted)),
                    )
                });
            }
            records.push(RecordResult {
                record_id: w.activity.id,
                rule: w.rule.map(|r| r.key.clone()),
                credits: w.credits,
                counted: Amount::from_e4(counted),
                allocations: allocated.list,
                notes: w.notes.into_list(),
            });
        }
        let totals = ComplianceTotals {
            period_start: period.start,
            period_end: period.end,
            satisfied: requirements.iter().all(|r| r.satisfied),
            total_counted: Amount::from_e4(total),
            requirements,
        };
        (totals, records)
    }

    /// Prices a record and applies the conditions: status, period, outcome, absence, approval.
    fn admit<'a>(
        &'a self,
        activity: &'a Activity,
        period: &Period,
        input: &Evaluation<'_>,
        detail: Detail,
    ) -> Working<'a> {
        let priced = self.price(activity);
        let mut notes = Notes::new(detail);
        // How many conditions refuse the record, and whether one is being outside the period.
        let (mut refused, mut outside) = (0u32, false);
        if let Some(shortfall) = priced.shortfall {
            refused += u32::from(priced.credits.is_zero());
            notes.add_built(|| shortfall.note(self, activity));
        }
        match activity.status {
            CreditStatus::Certified => {}
            CreditStatus::Pending if input.include_pending => {
                notes.add(codes::PENDING_INCLUDED, || {
                    (
                        "still under review; counted because pending records were included"
                            .to_owned(),
                        Text::new("notes.PENDING_INCLUDED"),
                    )
                })
            }
            status => {
                refused += 1;
                notes.add_built(|| not_certified(status));
            }
        }
        let mut year = period.year_of(activity.earned_on);
        match self.made_up_year(activity, period, input.allowances) {
            Some(made_up) => {
                year = made_up;
                notes.add(codes::MADE_UP, || {
                    (
                        format!("counted toward {made_up} under a make-up allowance"),
                        Text::new("notes.MADE_UP").arg("year", made_up),
                    )
                });
            }
            None if !period.contains(activity.earned_on) => {
                refused += 1;
                outside = true;
                notes.add_built(|| out_of_period(activity, period));
            }
            None => {}
        }
        for refusal in self.failed_conditions(activity) {
            refused += 1;
            notes.add_built(|| refusal.note());
        }
        let credits = priced.credits.to_e4().max(0);
        let hours = activity.received_hours().map_or(0, |h| h.to_e4().max(0));
        let admitted = refused == 0;
        let only_outside = outside && refused == 1;
        Working {
            activity,
            rule: priced.rule,
            credits: priced.credits,
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
}

fn not_certified(status: CreditStatus) -> Note {
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
    }
}

fn out_of_period(activity: &Activity, period: &Period) -> Note {
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
    )
}

pub(super) fn note(code: &'static str, message: String, text: Text) -> Note {
    Note {
        code,
        message,
        text,
    }
}
