//! The cycle-end projection of the monitoring report (pure): will a teacher satisfy their
//! period if they go on earning at the pace they have kept so far?
//!
//! **Method.** Linear extrapolation of each requirement the teacher has not yet met, over the
//! elapsed share of the span it is judged on: the period (the cycle) for a period-wide
//! requirement, the period-year for an annual minimum or a hire-year one. What was counted by
//! `as_of` (days from the span's start, both ends included) is scaled to the whole span:
//! `projected = counted × span days / elapsed days`, and the requirement is projected met when
//! that reaches `required`. A span that has ended is settled: an annual minimum missed in a year
//! that is over stays missed (a make-up allowance already counts in the evaluation). The teacher
//! is projected compliant when every requirement is met or projected met; a teacher compliant
//! today stays so. The comparison is exact (`counted × span ≥ required × elapsed`, decimals).
//!
//! It is a pace, not a forecast: pooled requirements are extrapolated one by one (credits that
//! may fill only one of them are not shared out again), and a probation span within the cycle
//! is extrapolated over the cycle.

use chrono::{Duration, NaiveDate};
use domain::policy::{ComplianceTotals, Period, RequirementResult};
use rust_decimal::Decimal;

/// Whether `report` (evaluated on `as_of`, its period-years starting in `start_month`) is
/// projected to be satisfied at its period's end.
pub fn projected(report: &ComplianceTotals, start_month: u32, as_of: NaiveDate) -> bool {
    if report.satisfied {
        return true;
    }
    let period = Period {
        start: report.period_start,
        end: report.period_end,
        start_month,
    };
    report
        .requirements
        .iter()
        .all(|r| r.satisfied || on_pace(r, &period, as_of))
}

fn on_pace(r: &RequirementResult, period: &Period, as_of: NaiveDate) -> bool {
    let (start, end) = span(r, period);
    if as_of >= end {
        return false;
    }
    let elapsed = days(start, as_of.max(start));
    let whole = days(start, end);
    r.counted.decimal() * Decimal::from(whole) >= r.required.decimal() * Decimal::from(elapsed)
}

/// The days a requirement is judged over: its period-year, or the whole period.
fn span(r: &RequirementResult, period: &Period) -> (NaiveDate, NaiveDate) {
    match r.year {
        Some(year) => {
            let start = (period.year_end(year - 1) + Duration::days(1)).max(period.start);
            (start, period.year_end(year).min(period.end))
        }
        None => (period.start, period.end),
    }
}

/// Days from `from` to `to`, both included.
fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use domain::amount::Amount;
    use domain::policy::RequirementUnit;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn requirement(
        key: &str,
        year: Option<i32>,
        required: &str,
        counted: &str,
    ) -> RequirementResult {
        let required = Amount::parse(required).unwrap();
        let counted = Amount::parse(counted).unwrap();
        RequirementResult {
            key: key.into(),
            label: key.into(),
            label_text: domain::text::Text::new("raw"),
            unit: RequirementUnit::Credits,
            required,
            counted,
            shortfall: required.checked_sub(counted).unwrap().max(Amount::ZERO),
            satisfied: counted >= required,
            year,
            level: None,
            min_level: None,
            category: None,
            compulsory: None,
        }
    }

    /// A 2024–2026 cycle (1,096 days).
    fn report(requirements: Vec<RequirementResult>) -> ComplianceTotals {
        ComplianceTotals {
            period_start: d("2024-01-01"),
            period_end: d("2026-12-31"),
            satisfied: requirements.iter().all(|r| r.satisfied),
            total_counted: Amount::ZERO,
            requirements,
        }
    }

    #[test]
    fn the_cycle_total_is_extrapolated_over_the_elapsed_share() {
        // Half-way through (548 of 1,096 days): 180 of 360 is on pace, 179 is not.
        let half = d("2025-07-01");
        let on = report(vec![requirement("total", None, "360", "180")]);
        assert!(projected(&on, 1, half));
        let behind = report(vec![requirement("total", None, "360", "179")]);
        assert!(!projected(&behind, 1, half));
    }

    #[test]
    fn a_year_that_is_over_is_settled_and_the_running_year_is_extrapolated() {
        let as_of = d("2025-07-01");
        let missed = report(vec![
            requirement("total", None, "360", "300"),
            requirement("annual:2024", Some(2024), "48", "40"),
        ]);
        assert!(!projected(&missed, 1, as_of), "2024 is over: missed");
        let running = report(vec![
            requirement("total", None, "360", "300"),
            requirement("annual:2025", Some(2025), "48", "24"),
        ]);
        // 182 of 365 days of 2025: 24 × 365 ≥ 48 × 182.
        assert!(projected(&running, 1, as_of));
    }

    #[test]
    fn at_the_period_end_the_projection_is_the_outcome() {
        let end = d("2026-12-31");
        assert!(!projected(
            &report(vec![requirement("total", None, "36", "35.9")]),
            1,
            end
        ));
        assert!(projected(
            &report(vec![requirement("total", None, "36", "36")]),
            1,
            end
        ));
    }

    #[test]
    fn academic_years_use_their_own_span() {
        let r = requirement("annual:2024", Some(2024), "40", "10");
        let period = Period {
            start: d("2024-09-01"),
            end: d("2027-08-31"),
            start_month: 9,
        };
        assert_eq!(span(&r, &period), (d("2024-09-01"), d("2025-08-31")));
    }
}
