//! The period a compliance report covers, and the years inside it.

use chrono::{Datelike, NaiveDate};

use super::document::{PeriodKind, PeriodSpec, Window};

/// A make-up allowance (Shandong art. 21): activities up to `until` may count toward `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MakeUpAllowance {
    pub year: i32,
    pub until: NaiveDate,
}

/// `[start, end]`, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub start_month: u32,
}

impl PeriodSpec {
    /// The period containing `as_of`.
    pub fn containing(&self, as_of: NaiveDate) -> Period {
        let year = year_starting_in(as_of, self.start_month);
        let (first, length) = match self.kind {
            PeriodKind::Year => (year, 1),
            PeriodKind::Cycle => {
                let years = self.years.max(1) as i32;
                (year - (year - self.anchor_year).rem_euclid(years), years)
            }
        };
        let start = first_day(first, self.start_month);
        let end = first_day(first + length, self.start_month)
            .pred_opt()
            .unwrap_or(start);
        Period {
            start,
            end,
            start_month: self.start_month,
        }
    }
}

impl Period {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The period-year (labelled by the calendar year it starts in) a date falls in.
    pub fn year_of(&self, date: NaiveDate) -> i32 {
        year_starting_in(date, self.start_month)
    }

    /// The period's years up to the one containing `as_of`: annual minimums are due for these.
    pub fn years_due(&self, as_of: NaiveDate) -> std::ops::RangeInclusive<i32> {
        let first = self.year_of(self.start);
        let last = self.year_of(self.end).min(self.year_of(as_of)).max(first);
        first..=last
    }

    /// The last day of period-year `year`.
    pub fn year_end(&self, year: i32) -> NaiveDate {
        first_day(year + 1, self.start_month)
            .pred_opt()
            .unwrap_or(self.end)
    }
}

/// The window a limit groups activities by, labelled so distinct windows never share a label.
pub fn window_of(window: Window, period: &Period, date: NaiveDate) -> i32 {
    match window {
        Window::Cycle => period.year_of(period.start),
        Window::Year => date.year(),
        Window::AcademicYear => year_starting_in(date, 9),
    }
}

fn year_starting_in(date: NaiveDate, start_month: u32) -> i32 {
    if date.month() >= start_month {
        date.year()
    } else {
        date.year() - 1
    }
}

fn first_day(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month.clamp(1, 12), 1).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn five_year_cycles_are_anchored_at_2021() {
        let spec = PeriodSpec::default();
        let p = spec.containing(date(2026, 11, 23));
        assert_eq!((p.start, p.end), (date(2026, 1, 1), date(2030, 12, 31)));
        let p = spec.containing(date(2025, 12, 31));
        assert_eq!((p.start, p.end), (date(2021, 1, 1), date(2025, 12, 31)));
        let p = spec.containing(date(2019, 6, 1));
        assert_eq!((p.start, p.end), (date(2016, 1, 1), date(2020, 12, 31)));
        assert_eq!(p.years_due(date(2019, 6, 1)), 2016..=2019);
    }

    #[test]
    fn academic_years_start_in_september() {
        let spec = PeriodSpec {
            kind: PeriodKind::Year,
            start_month: 9,
            ..PeriodSpec::default()
        };
        let p = spec.containing(date(2026, 3, 1));
        assert_eq!((p.start, p.end), (date(2025, 9, 1), date(2026, 8, 31)));
        assert_eq!(window_of(Window::AcademicYear, &p, date(2026, 9, 1)), 2026);
        assert_eq!(window_of(Window::AcademicYear, &p, date(2026, 8, 31)), 2025);
    }
}
