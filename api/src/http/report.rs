//! `GET /regions/{code}/report.html` and `/regions/{code}/report.csv`: the annual monitoring
//! report (`services::monitoring_report`), for the region admins over the region (bearer token
//! as for /graphql; the gate decides). Query: `year` (default the current year) and
//! `threshold` (a rate, default Weifang's 0.98). Chinese by default, English with
//! `Accept-Language: en`. Errors are the electronic file's: 401, 403, 404, 400, 429 and 503
//! with `Retry-After`.

use super::file::error;
use super::graphql::authenticate;
use crate::auth::{Guard, RegionNeed, RequestAuth};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::msg;
use crate::services::monitoring_report::{self, MonitoringReport};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use domain::error::InputError;
use domain::region::RegionCode;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ReportQuery {
    year: Option<String>,
    threshold: Option<String>,
}

pub async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let (code, format) = path.into_inner();
    let lang = Lang::negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    match render(&req, &state, &code, &format, &query, lang).await {
        Ok(response) => response,
        Err(e) => error(e, lang, state.settings.faults.retry_after_secs()),
    }
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    code: &str,
    format: &str,
    query: &ReportQuery,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    if format != "csv" && format != "html" {
        return Err(AppError::not_found("file format (csv or html)"));
    }
    // A code that is not one is a region that does not exist.
    let region = RegionCode::parse(code).map_err(|_| AppError::not_found("region"))?;
    let principal = match authenticate(req, state).await? {
        RequestAuth::Authenticated(p) => p,
        _ => return Err(AppError::Unauthenticated),
    };
    let year = query.year.as_deref().map(parse_year).transpose()?;
    let threshold = monitoring_report::threshold(query.threshold.as_deref())?;
    let guard = Guard::new(&principal, &state.regions, state.clock.today());
    let access = guard.region(&region, RegionNeed::Statistics)?;
    let report = monitoring_report::build(state, &access, year, threshold).await?;
    respond(&report, format, lang)
}

fn parse_year(text: &str) -> Result<i32, AppError> {
    let text = text.trim();
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            "year",
            InputError::INVALID_FORMAT,
            msg!("report.bad_year_format"),
        ));
    }
    text.parse().map_err(|_| {
        AppError::invalid(
            "year",
            InputError::INVALID_FORMAT,
            msg!("report.bad_year_format"),
        )
    })
}

fn respond(report: &MonitoringReport, format: &str, lang: Lang) -> Result<HttpResponse, AppError> {
    let mut res = HttpResponse::Ok();
    // Figures about named schools: never kept by a shared cache.
    res.insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::CONTENT_LANGUAGE, lang.tag()));
    if format == "csv" {
        let name = format!(
            "attachment; filename=\"monitoring-report-{}-{}.csv\"",
            report.region.code, report.year
        );
        let body = super::report_tables::csv(report, lang)?;
        Ok(res
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, name))
            .body(body))
    } else {
        Ok(res
            .content_type("text/html; charset=utf-8")
            .body(super::report_html::html(report, lang)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn years_are_four_digits() {
        assert_eq!(parse_year("2026").ok(), Some(2026));
        for bad in ["26", "20260", "abcd", "-202", ""] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
    }
}
