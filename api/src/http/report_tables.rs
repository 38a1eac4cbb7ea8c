//! The monitoring report's tables, once for both renderings: the HTML page shows them beside
//! its charts, `report.csv` writes them one after another (a title row, a header row, the rows,
//! a blank row), so the two always hold the same figures. Rates are the API's decimals in the
//! CSV (`0.6667`, as `complianceStatistics.rate`) and percentages on the page.

use super::report_charts::percent;
use crate::error::AppError;
use crate::i18n::{render, Lang, Text};
use crate::msg;
use crate::services::monitoring_report::{MonitoringReport, SchoolRow};
use crate::services::monitoring_tally::Count;
use domain::amount::Amount;

pub struct Table {
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// How a rate is written: a decimal for spreadsheets, a percentage for people.
#[derive(Clone, Copy)]
pub enum Rates {
    Decimal,
    Percent,
}

impl Rates {
    fn show(self, rate: Amount) -> String {
        match self {
            Rates::Decimal => rate.to_string(),
            Rates::Percent => percent(rate),
        }
    }
}

/// A catalogue text in `lang`.
pub fn say(lang: Lang, text: Text) -> String {
    render(&text, lang)
}

/// Summary, sub-regions, schools, trend, distribution and the schools below the threshold.
pub fn tables(report: &MonitoringReport, lang: Lang, rates: Rates) -> Vec<Table> {
    let c = Cells { lang, rates };
    vec![
        c.summary(report),
        c.areas(report),
        c.schools(report),
        c.trend(report),
        c.distribution(report),
        c.below(report),
    ]
}

fn with(mut first: Vec<String>, rest: Vec<String>) -> Vec<String> {
    first.extend(rest);
    first
}

/// What every table's cells share: texts in one language, rates written one way.
struct Cells {
    lang: Lang,
    rates: Rates,
}

impl Cells {
    fn t(&self, text: Text) -> String {
        say(self.lang, text)
    }

    fn counted(&self, c: &Count) -> Vec<String> {
        vec![
            c.teachers.to_string(),
            c.compliant.to_string(),
            self.rates.show(c.rate()),
            self.rates.show(c.projected_rate()),
        ]
    }

    fn figures(&self) -> Vec<String> {
        vec![
            self.t(msg!("report.teachers")),
            self.t(msg!("report.compliant")),
            self.t(msg!("report.rate")),
            self.t(msg!("report.projected_rate")),
        ]
    }

    fn summary(&self, report: &MonitoringReport) -> Table {
        let t = |text: Text| self.t(text);
        Table {
            title: t(msg!("report.summary")),
            head: with(
                vec![
                    t(msg!("report.area_code")),
                    t(msg!("report.area")),
                    t(msg!("report.year")),
                    t(msg!("report.as_of")),
                ],
                with(
                    self.figures(),
                    vec![
                        t(msg!("report.without_policy")),
                        t(msg!("report.threshold")),
                    ],
                ),
            ),
            rows: vec![with(
                vec![
                    report.region.code.to_string(),
                    report.region.name.clone(),
                    report.year.to_string(),
                    report.as_of.to_string(),
                ],
                with(
                    self.counted(&report.total),
                    vec![
                        report.without_policy.to_string(),
                        self.rates.show(report.threshold),
                    ],
                ),
            )],
        }
    }

    fn areas(&self, report: &MonitoringReport) -> Table {
        Table {
            title: self.t(msg!("report.by_area")),
            head: with(
                vec![
                    self.t(msg!("report.area_code")),
                    self.t(msg!("report.area")),
                ],
                self.figures(),
            ),
            rows: report
                .by_area
                .iter()
                .map(|a| {
                    let name = if a.direct {
                        self.t(msg!("report.direct", name = a.name.as_str()))
                    } else {
                        a.name.clone()
                    };
                    with(vec![a.code.clone(), name], self.counted(&a.count))
                })
                .collect(),
        }
    }

    fn school_head(&self) -> Vec<String> {
        with(
            vec![
                self.t(msg!("report.school")),
                self.t(msg!("report.area")),
                self.t(msg!("report.area_code")),
            ],
            self.figures(),
        )
    }

    fn school_row(&self, s: &SchoolRow) -> Vec<String> {
        with(
            vec![
                s.school.name.clone(),
                s.area.clone(),
                s.school.region_code.clone(),
            ],
            self.counted(&s.count),
        )
    }

    fn schools(&self, report: &MonitoringReport) -> Table {
        Table {
            title: self.t(msg!("report.by_school")),
            head: self.school_head(),
            rows: report
                .by_school
                .iter()
                .map(|s| self.school_row(s))
                .collect(),
        }
    }

    fn trend(&self, report: &MonitoringReport) -> Table {
        let t = |text: Text| self.t(text);
        Table {
            title: t(msg!("report.trend")),
            head: vec![
                t(msg!("report.year")),
                t(msg!("report.as_of")),
                t(msg!("report.teachers")),
                t(msg!("report.compliant")),
                t(msg!("report.rate")),
            ],
            rows: report
                .trend
                .iter()
                .map(|p| {
                    vec![
                        p.year.to_string(),
                        p.as_of.to_string(),
                        p.count.teachers.to_string(),
                        p.count.compliant.to_string(),
                        self.rates.show(p.count.rate()),
                    ]
                })
                .collect(),
        }
    }

    fn distribution(&self, report: &MonitoringReport) -> Table {
        Table {
            title: self.t(msg!("report.distribution")),
            head: vec![
                self.t(msg!("report.credits_from")),
                self.t(msg!("report.credits_to")),
                self.t(msg!("report.teachers")),
            ],
            rows: report
                .distribution
                .iter()
                .map(|b| vec![b.from.to_string(), b.to.to_string(), b.teachers.to_string()])
                .collect(),
        }
    }

    fn below(&self, report: &MonitoringReport) -> Table {
        Table {
            title: self.t(msg!(
                "report.below",
                threshold = self.rates.show(report.threshold)
            )),
            head: self.school_head(),
            rows: report
                .below_threshold()
                .into_iter()
                .map(|s| self.school_row(s))
                .collect(),
        }
    }
}

/// `report.csv`: UTF-8 with a BOM (so Excel reads the Chinese), every cell formula-safe.
pub fn csv(report: &MonitoringReport, lang: Lang) -> Result<Vec<u8>, AppError> {
    let safe = crate::services::csv_export::safe_row;
    let mut out = "\u{feff}".as_bytes().to_vec();
    for table in tables(report, lang, Rates::Decimal) {
        // One flexible writer per table (its title row is one cell wide), a blank line between
        // tables (a record of one empty field would be written `""`).
        let mut w = ::csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        w.write_record(safe(&[table.title]))
            .map_err(AppError::internal)?;
        w.write_record(safe(&table.head))
            .map_err(AppError::internal)?;
        for row in &table.rows {
            // School and region names are typed by people: never a formula.
            w.write_record(safe(row)).map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
        drop(w);
        out.push(b'\n');
    }
    Ok(out)
}
