//! Writing a GraphQL answer as HTTP: status, media type, body, caching and language headers,
//! and the refusals that answer before anything runs.

use super::caching::{self, Policy};
use super::negotiate::MediaType;
use crate::error::AppError;
use crate::i18n::Lang;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::{Response, ServerError};
use serde_json::{json, Value};

/// Caching and language headers on a rendered answer.
pub(super) fn finish(
    req: &HttpRequest,
    lang: Lang,
    policy: Policy,
    rendered: Rendered,
) -> HttpResponse {
    let res = HttpResponse::build(rendered.status)
        .content_type(rendered.media.as_str())
        .insert_header((header::CONTENT_LANGUAGE, lang.tag()))
        .finish();
    caching::apply(req, policy, rendered.body, res)
}

/// Apollo's answer to an unknown hash: the client then sends the query with its hash. HTTP 200
/// (as Apollo Server does), because Apollo clients stop using APQ after a 400.
pub(super) fn persisted_query_not_found(media: MediaType) -> HttpResponse {
    let body = json!({ "errors": [{
        "message": "PersistedQueryNotFound",
        "extensions": { "code": "PERSISTED_QUERY_NOT_FOUND" },
    }] });
    HttpResponse::Ok()
        .content_type(media.as_str())
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body.to_string())
}

pub(super) fn code_of(err: &ServerError) -> &'static str {
    let code = err
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        });
    match code {
        Some("UNAUTHENTICATED") => "UNAUTHENTICATED",
        Some("FORBIDDEN") => "FORBIDDEN",
        Some("NOT_FOUND") => "NOT_FOUND",
        Some("CONFLICT") => "CONFLICT",
        Some("RATE_LIMITED") => "RATE_LIMITED",
        Some("INTERNAL") => "INTERNAL",
        Some("UNAVAILABLE") => "UNAVAILABLE",
        // Errors async-graphql raises itself (syntax, validation, limits, input coercion)
        // are all the caller's to fix.
        _ => "BAD_USER_INPUT",
    }
}

pub(super) fn error_response(err: AppError) -> Response {
    let gql: async_graphql::Error = err.into();
    Response::from_errors(vec![gql.into_server_error(async_graphql::Pos::default())])
}

/// A GraphQL answer as status, media type and JSON text.
pub(super) struct Rendered {
    pub status: StatusCode,
    pub media: MediaType,
    pub body: String,
}

/// The body of an answer, serialised straight from the executed value (no intermediate tree).
#[derive(serde::Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Value>,
    #[serde(skip_serializing_if = "no_extensions")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

fn no_extensions(e: &&std::collections::BTreeMap<String, async_graphql::Value>) -> bool {
    e.is_empty()
}

pub(super) fn respond(media: MediaType, response: &Response, request_error: bool) -> Rendered {
    let body = Body {
        data: (!request_error).then_some(&response.data),
        errors: response.errors.iter().map(error_json).collect(),
        extensions: &response.extensions,
    };
    let body = serde_json::to_string(&body)
        .unwrap_or_else(|_| json!({ "errors": [{ "message": "internal error" }] }).to_string());
    let status = if request_error && media == MediaType::GraphqlResponseJson {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Rendered {
        status,
        media,
        body,
    }
}

fn error_json(err: &ServerError) -> Value {
    let mut value =
        serde_json::to_value(err).unwrap_or_else(|_| json!({ "message": "internal error" }));
    if let Value::Object(obj) = &mut value {
        let ext = obj.entry("extensions").or_insert_with(|| json!({}));
        if let Value::Object(ext) = ext {
            ext.entry("code")
                .or_insert_with(|| Value::String(code_of(err).into()));
        }
    }
    value
}

/// An HTTP-level refusal, still shaped as a GraphQL response so clients can read it.
pub(super) fn refuse(status: StatusCode, media: MediaType, message: &str) -> HttpResponse {
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::BAD_REQUEST => "BAD_USER_INPUT",
        StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_ACCEPTABLE => "BAD_USER_INPUT",
        _ => "INTERNAL",
    };
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    let media = if status == StatusCode::NOT_ACCEPTABLE {
        MediaType::Json
    } else {
        media
    };
    HttpResponse::build(status)
        .content_type(media.as_str())
        .body(body.to_string())
}
