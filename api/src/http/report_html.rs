//! `report.html`: the monitoring report as a printable page (A4, one section a page when
//! printed, the bureau's stamp box at the end as on the electronic file), charts inline as SVG,
//! every word from the catalogue in the reader's language.

use super::report_charts::{esc, histogram, percent, rate_bars, trend_line, Bar};
use super::report_tables::{say, tables, Rates, Table};
use crate::i18n::Lang;
use crate::msg;
use crate::services::monitoring_report::MonitoringReport;
use crate::services::monitoring_tally::Count;

/// Schools drawn in the per-school chart: the lowest rates (the table lists every school).
const SCHOOLS_CHARTED: usize = 30;

const STYLE: &str = "
@page { size: A4; margin: 16mm 14mm; }
body { font-family: 'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei',
  'PingFang SC',sans-serif; margin: 2em auto; max-width: 190mm; color: #222; font-size: 13px; }
h1 { font-size: 22px; margin: 0 0 .2em; } h2 { font-size: 16px; border-bottom: 2px solid #4a7ab7;
  padding-bottom: 3px; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; font-size: 12px; margin: .6em 0 1em; }
th, td { border: 1px solid #888; padding: 3px 5px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; } thead { display: table-header-group; } tr { break-inside: avoid; }
svg.chart { display: block; max-width: 100%; break-inside: avoid; margin: .4em 0; }
.meta td { border: none; padding: 1px 8px 1px 0; } .note { color: #555; font-size: 11px; }
.stamp { margin-top: 3em; display: flex; gap: 4em; break-inside: avoid; }
.stamp div { border: 1px dashed #444; width: 16em; height: 8em; padding: .5em; }
@media print { body { margin: 0; max-width: none; } section.page { break-before: page; } }
";

pub fn html(report: &MonitoringReport, lang: Lang) -> String {
    let t = |text| esc(&say(lang, text));
    let [summary, areas, schools, trend, distribution, below] = tables_of(report, lang);
    let policy = match &report.policy {
        Some((key, name)) => format!("{} ({})", esc(name), esc(key)),
        None => t(msg!("report.no_policy")),
    };
    let period = report
        .period
        .map(|(start, end)| format!("{start} – {end}"))
        .unwrap_or_default();
    let title = t(msg!("report.title"));
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <title>{title} — {region}</title><style>{STYLE}</style></head><body>\n\
         <header><h1>{title}</h1><p><strong>{subtitle}</strong></p><table class=\"meta\">\
         <tr><td>{as_of_l}</td><td>{as_of}</td></tr><tr><td>{policy_l}</td><td>{policy}</td></tr>\
         <tr><td>{period_l}</td><td>{period}</td></tr><tr><td>{threshold_l}</td><td>{threshold}</td></tr>\
         <tr><td>{computed_l}</td><td>{computed}</td></tr></table></header>\n",
        tag = lang.tag(),
        region = esc(&report.region.name),
        subtitle = t(msg!(
            "report.subtitle",
            region = report.region.name.as_str(),
            code = report.region.code.as_str(),
            year = report.year
        )),
        as_of_l = t(msg!("report.as_of")),
        as_of = report.as_of,
        policy_l = t(msg!("report.policy")),
        period_l = t(msg!("report.period")),
        threshold_l = t(msg!("report.threshold")),
        threshold = percent(report.threshold),
        computed_l = t(msg!("report.computed_at")),
        computed = report.computed_at.format("%Y-%m-%d %H:%M UTC"),
    );
    out.push_str(&format!(
        "<section><h2>{}</h2>{}",
        esc(&summary.title),
        table(&summary)
    ));
    let area_bars: Vec<Bar> = report
        .by_area
        .iter()
        .zip(&areas.rows)
        .map(|(a, row)| bar(row[1].clone(), &a.count))
        .collect();
    out.push_str(&format!(
        "<h2>{}</h2>{}{}</section>\n",
        esc(&areas.title),
        rate_bars(&areas.title, &area_bars, report.threshold),
        table(&areas)
    ));
    out.push_str(&school_section(report, &schools, lang));
    let points: Vec<Bar> = report
        .trend
        .iter()
        .map(|p| bar(p.year.to_string(), &p.count))
        .collect();
    let counts: Vec<(String, u64)> = report
        .distribution
        .iter()
        .map(|b| (format!("{}–{}", b.from, b.to), b.teachers))
        .collect();
    out.push_str(&format!(
        "<section class=\"page\"><h2>{tt}</h2>{tc}<p class=\"note\">{tn}</p>{tt_table}\
         <h2>{dt}</h2>{dc}<p class=\"note\">{dn}</p>{dt_table}</section>\n",
        tt = esc(&trend.title),
        tc = trend_line(&trend.title, &points, report.threshold),
        tn = t(msg!("report.trend_note")),
        tt_table = table(&trend),
        dt = esc(&distribution.title),
        dc = histogram(&distribution.title, &counts),
        dn = t(msg!("report.distribution_note")),
        dt_table = table(&distribution),
    ));
    let below_body = if below.rows.is_empty() {
        format!("<p>{}</p>", t(msg!("report.none_below")))
    } else {
        table(&below)
    };
    out.push_str(&format!(
        "<section class=\"page\"><h2>{bt}</h2>{below_body}<h2>{pt}</h2>\
         <p>{projected}</p><p class=\"note\">{method}</p>\
         <div class=\"stamp\"><div>{bureau}</div><div>{signer}</div></div></section>\n</body></html>\n",
        bt = esc(&below.title),
        pt = t(msg!("report.projection")),
        projected = t(msg!(
            "report.projected_summary",
            projected = report.total.projected,
            teachers = report.total.teachers,
            rate = percent(report.total.projected_rate())
        )),
        method = t(msg!("report.projection_method")),
        bureau = t(msg!("report.stamp_bureau")),
        signer = t(msg!("report.stamp_signer")),
    ));
    out
}

fn tables_of(report: &MonitoringReport, lang: Lang) -> [Table; 6] {
    let mut all = tables(report, lang, Rates::Percent).into_iter();
    let mut next = || {
        all.next().unwrap_or(Table {
            title: String::new(),
            head: Vec::new(),
            rows: Vec::new(),
        })
    };
    [next(), next(), next(), next(), next(), next()]
}

/// The per-school chart (the lowest rates first) and the table of every school.
fn school_section(report: &MonitoringReport, schools: &Table, lang: Lang) -> String {
    let mut charted: Vec<&crate::services::monitoring_report::SchoolRow> = report
        .by_school
        .iter()
        .filter(|s| s.count.teachers > 0)
        .collect();
    charted.sort_by_key(|s| s.count.rate());
    let cut = charted.len() > SCHOOLS_CHARTED;
    charted.truncate(SCHOOLS_CHARTED);
    let bars: Vec<Bar> = charted
        .iter()
        .map(|s| bar(s.school.name.clone(), &s.count))
        .collect();
    let chart_title = if cut {
        say(lang, msg!("report.chart_lowest", n = SCHOOLS_CHARTED))
    } else {
        schools.title.clone()
    };
    format!(
        "<section class=\"page\"><h2>{}</h2>{}{}</section>\n",
        esc(&schools.title),
        rate_bars(&chart_title, &bars, report.threshold),
        table(schools)
    )
}

fn bar(label: String, count: &Count) -> Bar {
    Bar {
        label,
        value: count.rate(),
        shown: percent(count.rate()),
    }
}

fn table(t: &Table) -> String {
    let numeric = |cell: &str| {
        !cell.is_empty()
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '%' || c == '-')
    };
    let head: String = t
        .head
        .iter()
        .map(|h| format!("<th>{}</th>", esc(h)))
        .collect();
    let rows: String = t
        .rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| {
                    let class = if numeric(c) { " class=\"n\"" } else { "" };
                    format!("<td{class}>{}</td>", esc(c))
                })
                .collect();
            format!("<tr>{cells}</tr>\n")
        })
        .collect();
    format!("<table><thead><tr>{head}</tr></thead><tbody>\n{rows}</tbody></table>")
}
