//! The monitoring report's tables, once for both renderings: the HTML page shows them beside
//! its charts, `report.csv` writes them one after another (a title row, a header row, the rows,
//! a blank row), so the two always hold the same figures. Rates are the API's decimals in the
//! CSV (`0.6667`, as `complianceStatistics.rate`) and percentages on the page.

use super::report_charts::percent;
use crate::error::AppError;
use crate::i18n::{render, Lang, Text};
use crate::msg;
use crate::services::monitoring_report::MonitoringReport;
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
    let t = |text: Text| say(lang, text);
    let counted = |c: &Count| {
        vec![
            c.teachers.to_string(),
            c.compliant.to_string(),
            rates.show(c.rate()),
            rates.show(c.projected_rate()),
        ]
    };
    let figures = || {
        vec![
            t(msg!("report.teachers")),
            t(msg!("report.compliant")),
            t(msg!("report.rate")),
            t(msg!("report.projected_rate")),
        ]
    };
    let with = |mut first: Vec<String>, rest: Vec<String>| {
        first.extend(rest);
        first
    };
    let summary = Table {
        title: t(msg!("report.summary")),
        head: with(
            vec![
                t(msg!("report.area_code")),
                t(msg!("report.area")),
                t(msg!("report.year")),
                t(msg!("report.as_of")),
            ],
            with(
                figures(),
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
                counted(&report.total),
                vec![
                    report.without_policy.to_string(),
                    rates.show(report.threshold),
                ],
            ),
        )],
    };
    let areas = Table {
        title: t(msg!("report.by_area")),
        head: with(
            vec![t(msg!("report.area_code")), t(msg!("report.area"))],
            figures(),
        ),
        rows: report
            .by_area
            .iter()
            .map(|a| {
                let name = if a.direct {
                    t(msg!("report.direct", name = a.name.as_str()))
                } else {
                    a.name.clone()
                };
                with(vec![a.code.clone(), name], counted(&a.count))
            })
            .collect(),
    };
    let school_head = || {
        with(
            vec![
                t(msg!("report.school")),
                t(msg!("report.area")),
                t(msg!("report.area_code")),
            ],
            figures(),
        )
    };
    let school_row = |s: &crate::services::monitoring_report::SchoolRow| {
        with(
            vec![
                s.school.name.clone(),
                s.area.clone(),
                s.school.region_code.clone(),
            ],
            counted(&s.count),
        )
    };
    let schools = Table {
        title: t(msg!("report.by_school")),
        head: school_head(),
        rows: report.by_school.iter().map(school_row).collect(),
    };
    let trend = Table {
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
                    rates.show(p.count.rate()),
                ]
            })
            .collect(),
    };
    let distribution = Table {
        title: t(msg!("report.distribution")),
        head: vec![
            t(msg!("report.credits_from")),
            t(msg!("report.credits_to")),
            t(msg!("report.teachers")),
        ],
        rows: report
            .distribution
            .iter()
            .map(|b| vec![b.from.to_string(), b.to.to_string(), b.teachers.to_string()])
            .collect(),
    };
    let below = Table {
        title: t(msg!(
            "report.below",
            threshold = rates.show(report.threshold)
        )),
        head: school_head(),
        rows: report
            .below_threshold()
            .into_iter()
            .map(school_row)
            .collect(),
    };
    vec![summary, areas, schools, trend, distribution, below]
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
