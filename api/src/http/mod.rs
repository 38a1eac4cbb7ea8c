//! HTTP routes (API.md "Process and HTTP").

pub mod apq;
pub mod caching;
pub mod directives;
pub mod document;
pub mod file;
pub mod graphiql;
pub mod graphql;
pub mod graphql_request;
pub mod graphql_response;
pub mod limits;
pub mod negotiate;
pub mod public_answers;
pub mod readiness;
pub mod report;
mod report_charts;
mod report_html;
mod report_tables;
pub mod templates;
pub mod unavailable;
pub mod ws;

use crate::graphql::AppSchema;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/graphql",
        web::get()
            .guard(actix_web::guard::Header("upgrade", "websocket"))
            .to(ws::subscribe),
    )
    .route("/graphql", web::post().to(graphql::post))
    .route("/graphql", web::get().to(graphql::get))
    .route("/", web::get().to(graphiql::page))
    .route("/assets/graphiql/{file}", web::get().to(graphiql::asset))
    .route("/healthz", web::get().to(healthz))
    .route("/readyz", web::get().to(readiness::readyz))
    .route("/metrics", web::get().to(metrics))
    .route("/schema.graphql", web::get().to(schema_sdl))
    .route("/teachers/{id}/file.{format}", web::get().to(file::file))
    .route(
        "/regions/{code}/report.{format}",
        web::get().to(report::report),
    )
    .route("/templates/{name}", web::get().to(templates::template))
    .route("/.well-known/jwks.json", web::get().to(jwks));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render() + &readiness::metrics(&state))
}

async fn schema_sdl(state: web::Data<AppState>, schema: web::Data<AppSchema>) -> HttpResponse {
    if !state.settings.introspection {
        return HttpResponse::NotFound().body("the schema is not published on this server");
    }
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(schema.sdl())
}

/// The public key transcripts are signed with (RFC 7517 / RFC 8037).
async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(state.signer.jwks())
}
