//! `GET /teachers/{id}/file.csv` and `/teachers/{id}/file.html`: the electronic file, for the
//! teacher and the administrators over them (bearer token as for /graphql).

use super::graphql::authenticate;
use crate::auth::{Guard, RequestAuth, TeacherNeed};
use crate::error::AppError;
use crate::graphql::ids::{self, Kind};
use crate::services::electronic_file::{build, ElectronicFile, FileEntry};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use domain::amount::Amount;
use serde_json::json;
use uuid::Uuid;

pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (id, format) = path.into_inner();
    let lang = crate::i18n::Lang::negotiate(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    match render(&req, &state, &id, &format).await {
        Ok(response) => response,
        Err(e) => error(e, lang, state.settings.faults.retry_after_secs()),
    }
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    id: &str,
    format: &str,
) -> Result<HttpResponse, AppError> {
    if format != "csv" && format != "html" {
        return Err(AppError::not_found("file format (csv or html)"));
    }
    let teacher = Uuid::parse_str(id)
        .or_else(|_| ids::decode("id", Kind::Teacher, &async_graphql::ID(id.to_owned())))?;
    let auth = authenticate(req, state).await?;
    let principal = match &auth {
        RequestAuth::Authenticated(p) => p,
        _ => return Err(AppError::Unauthenticated),
    };
    let guard = Guard::new(principal, &state.regions, state.clock.today());
    let access = guard
        .teacher(&state.db, teacher, TeacherNeed::Compliance)
        .await?;
    let file = build(state, access, state.clock.today()).await?;
    Ok(if format == "csv" {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"training-file.csv\"",
            ))
            .body(csv(&file)?)
    } else {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html(&file))
    })
}

/// The JSON error body with the status a plain HTTP client acts on: 429 and 503 carry
/// `Retry-After` (`unavailable_retry` seconds for a database that cannot be reached), as the
/// GraphQL route's are, so a retry library waits instead of hammering.
pub(super) fn error(e: AppError, lang: crate::i18n::Lang, unavailable_retry: u64) -> HttpResponse {
    let body = json!({"code": e.code(), "message": e.message_in(lang)});
    match e {
        AppError::Unauthenticated | AppError::BadCredentials => {
            HttpResponse::Unauthorized().json(body)
        }
        AppError::Forbidden(_) => HttpResponse::Forbidden().json(body),
        AppError::NotFound(_) => HttpResponse::NotFound().json(body),
        AppError::BadInput { .. } => HttpResponse::BadRequest().json(body),
        AppError::Conflict(_) => HttpResponse::Conflict().json(body),
        AppError::RateLimited { retry_after_secs } => HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", retry_after_secs.to_string()))
            .json(json!({"code": "RATE_LIMITED", "message": body["message"],
                "retryAfterSeconds": retry_after_secs})),
        AppError::Unavailable => HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", unavailable_retry.to_string()))
            .json(body),
        AppError::Internal(err) => {
            tracing::error!(error.message = %err, "electronic file failed");
            HttpResponse::InternalServerError().json(
                json!({"code": "INTERNAL", "message": AppError::Internal(err).message_in(lang)}),
            )
        }
    }
}

fn amount(a: Option<Amount>) -> String {
    a.map(|a| a.to_string()).unwrap_or_default()
}

fn history(e: &FileEntry) -> String {
    e.history
        .iter()
        .map(|(ev, actor)| {
            let mut s = format!(
                "{} {} {} {}",
                ev.at.format("%Y-%m-%d"),
                ev.step,
                ev.decision,
                actor
            );
            if let Some(c) = &ev.comment {
                s.push_str(&format!(" ({c})"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn proofs(e: &FileEntry) -> String {
    e.evidence
        .iter()
        .map(|p| match &p.sha256 {
            Some(h) => format!("{} <{}> sha256:{h}", p.name, p.url),
            None => format!("{} <{}>", p.name, p.url),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const HEADER: [&str; 15] = [
    "earnedOn",
    "kind",
    "title",
    "level",
    "modality",
    "category",
    "hours",
    "regionCode",
    "status",
    "postedCredits",
    "policyKey",
    "creditsNow",
    "countedNow",
    "history",
    "evidence",
];

fn row(e: &FileEntry) -> [String; 15] {
    let r = &e.record;
    let title = match r.reversal_of {
        Some(of) => format!(
            "{} — reversal of {of}: {}",
            r.title,
            r.reason.clone().unwrap_or_default()
        ),
        None => r.title.clone(),
    };
    [
        r.earned_on.to_string(),
        r.kind.clone(),
        title,
        r.level.clone().unwrap_or_default(),
        r.modality.clone().unwrap_or_default(),
        r.category.clone().unwrap_or_default(),
        amount(r.hours_e4.map(Amount::from_e4)),
        r.region_code.clone(),
        r.status.clone(),
        Amount::from_e4(r.credits_e4).to_string(),
        r.policy_key.clone().unwrap_or_default(),
        amount(e.current.map(|c| c.0)),
        amount(e.current.map(|c| c.1)),
        history(e),
        proofs(e),
    ]
}

fn csv(file: &ElectronicFile) -> Result<Vec<u8>, AppError> {
    // A BOM so spreadsheet programs read the Chinese text as UTF-8.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = ::csv::Writer::from_writer(&mut out);
        w.write_record(HEADER).map_err(AppError::internal)?;
        for e in &file.entries {
            // Titles, reasons and evidence are typed by people: never let a cell be a formula.
            w.write_record(crate::services::csv_export::safe_row(&row(e)))
                .map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html(file: &ElectronicFile) -> String {
    let policy = file
        .policy
        .as_ref()
        .map(|(k, n)| format!("{} ({})", esc(n), esc(k)))
        .unwrap_or_else(|| "none in force".into());
    let mut rows = String::new();
    for e in &file.entries {
        rows.push_str("<tr>");
        for cell in row(e) {
            rows.push_str(&format!("<td>{}</td>", esc(&cell)));
        }
        rows.push_str("</tr>\n");
    }
    let head: String = HEADER.iter().map(|h| format!("<th>{h}</th>")).collect();
    format!(
        "<!doctype html>
<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>教师培训电子档案 — {name}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; width: 100%; font-size: 11px; }}
th, td {{ border: 1px solid #444; padding: 3px; vertical-align: top; }} .stamp {{ margin-top: 3em; display: flex; gap: 6em; }}
.stamp div {{ border: 1px dashed #444; width: 14em; height: 7em; padding: .5em; }}
@media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>教师培训电子档案 Teacher training file</h1>
<p>教师 Teacher: <strong>{name}</strong> · 学校 School: {school} ({region}) · 日期 As of: {as_of}</p>
<p>现行学分政策 Policy in force: {policy} · 本周期计入学分 Counted this period: {counted}</p>
<table><thead><tr>{head}</tr></thead><tbody>
{rows}</tbody></table>
<div class=\"stamp\"><div>学校审核（盖章）<br>School (stamp)</div><div>教育行政部门（盖章）<br>Bureau (stamp)</div></div>
</body></html>
",
        name = esc(&file.teacher.name),
        school = esc(&file.school.name),
        region = esc(&file.school.region_code),
        as_of = file.as_of,
        counted = amount(file.total_counted),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn answered(e: AppError) -> (u16, Option<String>) {
        let res = error(e, Lang::English, 2);
        let retry = res
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (res.status().as_u16(), retry)
    }

    #[test]
    fn rate_limiting_is_429_with_the_wait() {
        let limited = AppError::RateLimited {
            retry_after_secs: 7,
        };
        assert_eq!(answered(limited), (429, Some("7".to_owned())));
    }

    #[test]
    fn each_error_has_its_status() {
        assert_eq!(answered(AppError::Unavailable), (503, Some("2".to_owned())));
        assert_eq!(answered(AppError::Unauthenticated).0, 401);
        assert_eq!(answered(AppError::not_found("teacher")).0, 404);
        let conflict = AppError::Conflict(crate::msg!("errors.already_exists"));
        assert_eq!(answered(conflict).0, 409);
        assert_eq!(answered(AppError::internal(anyhow::anyhow!("boom"))).0, 500);
    }
}
