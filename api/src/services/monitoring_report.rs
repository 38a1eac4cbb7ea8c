//! The annual monitoring report of a region (Ministry guidance, seed 002: "annual and regular
//! monitoring reports"): compliance per child region and per school on the year's last day (or
//! today for the current year), the rate's trend over the cycle's years, the distribution of
//! counted credits, the schools below a threshold (Weifang art. 19, seed 004: a school whose
//! pass rate is under 98% loses its awards) and the cycle-end projection
//! ([`super::monitoring_projection`]). Figures come from [`super::monitoring_data`]; this
//! module only arranges them. Rendered by `http::report` as HTML and CSV.

use super::monitoring_data;
use super::monitoring_tally::{buckets, Bucket, Count, Tally};
use super::{fresh_statistics, policies};
use crate::auth::{RegionAccess, RegionNeed};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::state::AppState;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::amount::Amount;
use domain::error::InputError;
use domain::policy::{PeriodKind, PolicyDocument};
use domain::region::{RegionCode, RegionNode, RegionTree};
use entities::schools;
use std::collections::BTreeMap;

/// Weifang's rule (seed 004, art. 19): a school under a 98% pass rate loses its awards.
pub const DEFAULT_THRESHOLD: &str = "0.98";
/// The first year a report may be asked for.
pub const FIRST_YEAR: i32 = 2000;
/// The trend never reaches further back than this many years.
const MAX_TREND_YEARS: i32 = 10;
/// Years shown when the region's period is a single year (nothing carries over) or no
/// policy is in force: the year-ends before it.
const YEARLY_TREND_YEARS: i32 = 5;

pub struct MonitoringReport {
    pub region: RegionNode,
    pub year: i32,
    /// The day evaluated: 31 December of `year`, or today for the current year.
    pub as_of: NaiveDate,
    /// A school whose rate is below this is listed.
    pub threshold: Amount,
    /// The region's own policy on `as_of`: (key, name).
    pub policy: Option<(String, String)>,
    /// Its period containing `as_of`, which the trend and the projection run over.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub total: Count,
    pub without_policy: u64,
    pub by_area: Vec<AreaRow>,
    pub by_school: Vec<SchoolRow>,
    pub trend: Vec<TrendPoint>,
    pub distribution: Vec<Bucket>,
    pub computed_at: DateTime<Utc>,
}

/// A child region of the report's region, or (`direct`) the schools directly under it.
pub struct AreaRow {
    pub code: String,
    pub name: String,
    pub direct: bool,
    pub count: Count,
}

pub struct SchoolRow {
    pub school: schools::Model,
    /// The name of the child region the school lies in (the region's own for a direct school).
    pub area: String,
    pub count: Count,
}

pub struct TrendPoint {
    pub year: i32,
    pub as_of: NaiveDate,
    pub count: Count,
}

impl MonitoringReport {
    /// Schools with teachers whose rate is below the threshold, lowest rate first.
    pub fn below_threshold(&self) -> Vec<&SchoolRow> {
        let mut below: Vec<&SchoolRow> = self
            .by_school
            .iter()
            .filter(|s| s.count.teachers > 0 && s.count.rate() < self.threshold)
            .collect();
        below.sort_by_key(|s| s.count.rate());
        below
    }
}

/// The threshold a request gave, or Weifang's rule: a rate from 0 to 1, four places at most.
pub fn threshold(given: Option<&str>) -> AppResult<Amount> {
    let text = given.unwrap_or(DEFAULT_THRESHOLD);
    let value = Amount::parse(text).map_err(|e| AppError::bad_input("threshold", e))?;
    if value < Amount::ZERO || value > Amount::from_e4(10_000) {
        return Err(AppError::invalid(
            "threshold",
            InputError::OUT_OF_RANGE,
            msg!("report.bad_threshold"),
        ));
    }
    Ok(value)
}

/// The report of `region` for `year` (default the current year): region admins over it.
pub async fn build(
    state: &AppState,
    access: &RegionAccess,
    year: Option<i32>,
    threshold: Amount,
) -> AppResult<MonitoringReport> {
    let access = access.checked_for(RegionNeed::Statistics)?;
    let (region, permit) = (&access.region, &access.permit);
    let node = state
        .regions
        .get(region)
        .cloned()
        .ok_or_else(|| AppError::not_found("region"))?;
    let today = state.clock.today();
    let year = year.unwrap_or(today.year());
    if !(FIRST_YEAR..=today.year()).contains(&year) {
        return Err(AppError::invalid(
            "year",
            InputError::OUT_OF_RANGE,
            msg!("report.bad_year", min = FIRST_YEAR, max = today.year()),
        ));
    }
    // Every teacher is evaluated again, several times: the fresh statistics' budget.
    fresh_statistics::allow(state, access.actor).await?;
    let as_of = day_of(year, today);
    let own = policies::effective(state, region, as_of).await?;
    let years = trend_years(own.as_ref().map(|p| &p.document), as_of, year);
    let days: Vec<NaiveDate> = years.iter().map(|y| day_of(*y, today)).collect();
    let schools = monitoring_data::schools_of(state, permit, region).await?;
    let tallies = monitoring_data::gather(state, permit, &schools, &days, today).await?;
    let main = tallies.last().map(Tally::total).unwrap_or_default();
    let trend = years
        .iter()
        .zip(&days)
        .zip(&tallies)
        .map(|((year, as_of), tally)| TrendPoint {
            year: *year,
            as_of: *as_of,
            count: tally.total(),
        })
        .collect();
    let last = tallies.last();
    let (by_area, by_school) = arrange(&state.regions, &node, schools, last);
    Ok(MonitoringReport {
        year,
        as_of,
        threshold,
        policy: own
            .as_ref()
            .map(|p| (p.key.clone(), p.document.name.clone())),
        period: own.as_ref().map(|p| {
            let period = p.document.period.containing(as_of);
            (period.start, period.end)
        }),
        total: main,
        without_policy: last.map_or(0, |t| t.without_policy),
        by_area,
        by_school,
        trend,
        distribution: last.map(|t| buckets(&t.credits)).unwrap_or_default(),
        computed_at: state.clock.now(),
        region: node,
    })
}

/// The day a year is judged on: its last day, or today while it runs.
fn day_of(year: i32, today: NaiveDate) -> NaiveDate {
    if year >= today.year() {
        return today;
    }
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today)
}

/// The years of the trend: those of the region's cycle up to `year`; for a yearly period or
/// without a policy, the five years up to it.
fn trend_years(policy: Option<&PolicyDocument>, as_of: NaiveDate, year: i32) -> Vec<i32> {
    let first = match policy {
        Some(p) if p.period.kind == PeriodKind::Cycle => p.period.containing(as_of).start.year(),
        _ => year - (YEARLY_TREND_YEARS - 1),
    };
    (first.max(year - (MAX_TREND_YEARS - 1)).min(year)..=year).collect()
}

/// Per child region (in code order, the region's own schools first) and per school.
fn arrange(
    tree: &RegionTree,
    region: &RegionNode,
    schools: Vec<(schools::Model, RegionCode)>,
    tally: Option<&Tally>,
) -> (Vec<AreaRow>, Vec<SchoolRow>) {
    let mut areas: BTreeMap<(bool, String), AreaRow> = BTreeMap::new();
    let mut rows = Vec::with_capacity(schools.len());
    for (school, code) in schools {
        let count = tally
            .and_then(|t| t.per_school.get(&school.id).copied())
            .unwrap_or_default();
        let child = tree
            .ancestors(&code)
            .into_iter()
            .find(|n| n.parent.as_ref() == Some(&region.code));
        let (code, name, direct) = match child {
            Some(n) => (n.code.to_string(), n.name.clone(), false),
            None => (region.code.to_string(), region.name.clone(), true),
        };
        areas
            .entry((!direct, code.clone()))
            .or_insert_with(|| AreaRow {
                code,
                name: name.clone(),
                direct,
                count: Count::default(),
            })
            .count
            .add(count);
        rows.push(SchoolRow {
            school,
            area: name,
            count,
        });
    }
    (areas.into_values().collect(), rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_past_year_is_judged_on_its_last_day_the_current_one_today() {
        let today = d("2026-06-30");
        assert_eq!(day_of(2025, today), d("2025-12-31"));
        assert_eq!(day_of(2026, today), today);
    }

    #[test]
    fn the_trend_runs_over_the_cycle_or_five_years() {
        let cycle: PolicyDocument = serde_json::from_value(serde_json::json!({
            "key": "c", "name": "c", "period": {"kind": "CYCLE", "years": 5, "anchorYear": 2021},
            "rules": [], "requirements": []
        }))
        .unwrap();
        let as_of = d("2024-12-31");
        assert_eq!(
            trend_years(Some(&cycle), as_of, 2024),
            vec![2021, 2022, 2023, 2024]
        );
        assert_eq!(
            trend_years(None, as_of, 2024),
            (2020..=2024).collect::<Vec<_>>()
        );
    }

    #[test]
    fn thresholds_are_rates() {
        assert_eq!(threshold(None).unwrap().to_string(), "0.98");
        assert_eq!(threshold(Some("0.9")).unwrap().to_string(), "0.9");
        assert_eq!(threshold(Some("1")).unwrap().to_string(), "1");
        for bad in ["1.5", "-0.1", "abc", "0.12345", ""] {
            assert!(
                matches!(threshold(Some(bad)), Err(AppError::BadInput { .. })),
                "{bad}"
            );
        }
    }
}
