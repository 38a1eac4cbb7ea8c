//! GraphQL over HTTP (the GraphQL-over-HTTP specification), done by hand so that media types,
//! status codes, size caps and refusals are ours to decide:
//! - the response media type follows `Accept`, see [`super::negotiate`];
//! - POST bodies must be `application/json` or `multipart/form-data` (uploads), else 415;
//! - bodies over the cap get 413; batched requests get 400;
//! - GET may only query: a mutation over GET gets 405;
//! - a request that does not parse or validate gets 400 when the answer is
//!   `application/graphql-response+json` (with `application/json` the spec keeps 200);
//! - persisted queries (APQ) over POST and GET, see [`super::apq`];
//! - caching headers and `304 Not Modified`, see [`super::caching`];
//! - `Accept-Language` sets the language of messages for the whole execution.

use super::apq::{self, ApqError};
use super::caching::{self, Policy};
use super::document;
use super::negotiate::{negotiate, MediaType, JSON};
use super::public_answers;
use crate::auth::{principal, token, RequestAuth};
use crate::error::AppError;
use crate::graphql::AppSchema;
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::http::MultipartOptions;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, Request, Response, ServerError, Variables};
use futures_util::StreamExt;
use serde_json::{json, Value};

pub async fn post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "the response can only be application/graphql-response+json or application/json",
        );
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let multipart = essence == "multipart/form-data";
    if essence != JSON && !multipart {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send the request as application/json (or multipart/form-data for uploads)",
        );
    }
    let cap = if multipart {
        state.settings.max_upload_bytes
    } else {
        state.settings.max_body_bytes
    };
    let body = match read_capped(payload, cap).await {
        Ok(body) => body,
        Err(ReadError::TooLarge) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                &format!("the request body is larger than {cap} bytes"),
            )
        }
        Err(ReadError::Broken) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "the request body could not be read",
            )
        }
    };
    let request = if multipart {
        let opts = MultipartOptions::default()
            .max_file_size(state.settings.max_upload_bytes)
            .max_num_files(4);
        match async_graphql::http::receive_batch_body(
            Some(content_type),
            futures_util::io::Cursor::new(body),
            opts,
        )
        .await
        {
            Ok(BatchRequest::Single(r)) => r,
            Ok(BatchRequest::Batch(_)) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    media,
                    "batched requests are not supported; send one operation per request",
                )
            }
            Err(e) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    media,
                    &format!("malformed multipart request: {e}"),
                )
            }
        }
    } else {
        match parse_json_body(&body) {
            Ok(r) => r,
            Err(message) => return refuse(StatusCode::BAD_REQUEST, media, &message),
        }
    };
    execute(&req, request, media, false, &state, &schema).await
}

pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "the response can only be application/graphql-response+json or application/json",
        );
    };
    match parse_query_string(req.query_string()) {
        Ok(request) if !request.query.is_empty() || apq::is_persisted(&request) => {
            execute(&req, request, media, true, &state, &schema).await
        }
        Ok(_) => refuse(
            StatusCode::BAD_REQUEST,
            media,
            "the query parameter is required",
        ),
        Err(message) => refuse(StatusCode::BAD_REQUEST, media, &message),
    }
}

/// The GET parameters of GraphQL over HTTP: `query`, `operationName`, and `variables` and
/// `extensions` as JSON text. (async-graphql's own parser reads `operation_name`.)
#[derive(serde::Deserialize)]
struct GetParams {
    #[serde(default)]
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

fn parse_query_string(query_string: &str) -> Result<Request, String> {
    let params = web::Query::<GetParams>::from_query(query_string)
        .map_err(|e| format!("malformed query string: {e}"))?
        .into_inner();
    let mut request = Request::new(params.query);
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(text) = params.variables.filter(|v| !v.is_empty()) {
        let json: Value = serde_json::from_str(&text)
            .map_err(|e| format!("\"variables\" is not valid JSON: {e}"))?;
        if !(json.is_object() || json.is_null()) {
            return Err("\"variables\" must be an object".into());
        }
        request = request.variables(Variables::from_json(json));
    }
    if let Some(text) = params.extensions.filter(|v| !v.is_empty()) {
        request.extensions = serde_json::from_str(&text)
            .map_err(|e| format!("\"extensions\" is not valid JSON: {e}"))?;
    }
    Ok(request)
}

fn parse_json_body(body: &[u8]) -> Result<Request, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    match value {
        Value::Array(_) => {
            Err("batched requests are not supported; send one operation per request".into())
        }
        Value::Object(ref obj) => {
            // A persisted query may come as its hash alone (APQ).
            let persisted = obj
                .get("extensions")
                .is_some_and(|e| e.get("persistedQuery").is_some());
            match obj.get("query") {
                Some(Value::String(_)) => {}
                None | Some(Value::Null) if persisted => {}
                _ => return Err("the body must have a string \"query\"".into()),
            }
            if let Some(v) = obj.get("variables") {
                if !(v.is_object() || v.is_null()) {
                    return Err("\"variables\" must be an object".into());
                }
            }
            let mut value = value;
            if let Value::Object(obj) = &mut value {
                obj.entry("query")
                    .or_insert_with(|| Value::String(String::new()));
                if obj.get("query").is_some_and(Value::is_null) {
                    obj.insert("query".into(), Value::String(String::new()));
                }
            }
            serde_json::from_value(value).map_err(|e| format!("malformed GraphQL request: {e}"))
        }
        _ => Err("the body must be a JSON object with a \"query\"".into()),
    }
}

async fn execute(
    req: &HttpRequest,
    mut request: Request,
    media: MediaType,
    via_get: bool,
    state: &AppState,
    schema: &AppSchema,
) -> HttpResponse {
    let lang = Lang::negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    if let Some(refusal) = super::limits::check(&request.query, &state.settings.documents) {
        return super::limits::refuse(&refusal, media.as_str(), lang);
    }
    request = match apq::resolve(state, request).await {
        Ok(request) => request,
        Err(ApqError::NotFound) => return persisted_query_not_found(media),
        Err(ApqError::Invalid(message)) => return refuse(StatusCode::BAD_REQUEST, media, &message),
    };
    // Parsed once: execution reuses the document (a parse error is reported by execution).
    let operation_name = request.operation_name.clone();
    let inspection = request
        .parsed_query()
        .ok()
        .map(|doc| document::inspect(doc, operation_name.as_deref()));
    if let Some(inspection) = &inspection {
        if via_get && inspection.operation != Some(OperationType::Query) {
            let mut res = refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                "only queries may be sent with GET; use POST",
            );
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return res;
        }
        if inspection.introspects && !state.settings.introspection {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "introspection is disabled on this server",
            );
        }
        if let Some(refusal) =
            super::limits::check_fields(inspection.fields, &state.settings.documents)
        {
            return super::limits::refuse(&refusal, media.as_str(), lang);
        }
        let max = state.settings.limits.aliases;
        if inspection.aliases > max {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                &format!("the query uses more than {max} aliases"),
            );
        }
        if inspection.operation == Some(OperationType::Subscription) {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "subscriptions use the WebSocket at /graphql (graphql-transport-ws)",
            );
        }
        if let Some(kind) = inspection.operation {
            state.metrics.operation(match kind {
                OperationType::Query => "query",
                OperationType::Mutation => "mutation",
                OperationType::Subscription => "subscription",
            });
        }
    }
    if let Some(message) = request
        .parsed_query()
        .ok()
        .and_then(super::directives::violation)
    {
        return refuse(StatusCode::BAD_REQUEST, media, &message);
    }
    let with_token = req.headers().contains_key(header::AUTHORIZATION);
    let public_read = inspection.as_ref().is_some_and(|i| i.public_read);
    let kept = if public_read && !with_token && request.uploads.is_empty() {
        public_answers::prepare(state, &request, lang, media.as_str()).await
    } else {
        None
    };
    if let Some(hit) = kept.as_ref().and_then(|k| public_answers::hit(state, k)) {
        let policy = public_answers::policy(state, via_get, &hit);
        let rendered = Rendered {
            status: StatusCode::from_u16(hit.status).unwrap_or(StatusCode::OK),
            media,
            body: hit.body.clone(),
        };
        return finish(req, lang, policy, rendered);
    }
    let auth = match i18n::scope(lang, authenticate(req, state)).await {
        Ok(auth) => auth,
        Err(e) => {
            let response = i18n::scope(lang, async { error_response(e) }).await;
            let rendered = finish(req, lang, Policy::Private, respond(media, &response, true));
            let retry = state.settings.faults.retry_after_secs();
            return super::unavailable::apply(rendered, super::unavailable::seen(&response), retry);
        }
    };
    let loaders = crate::graphql::loaders::Loaders::new(state, auth.principal().ok().cloned());
    request = request.data(auth).data(loaders).data(lang);
    let response = i18n::scope(lang, schema.execute(request)).await;
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    for err in &response.errors {
        state.metrics.error(code_of(err));
    }
    let policy = Policy::decide(
        via_get,
        with_token,
        response.errors.is_empty() && public_read,
        response.cache_control,
        state.settings.http_cache_max_age,
    );
    let rendered = respond(media, &response, request_error);
    if let Some(kept) = kept {
        public_answers::keep(
            state,
            kept,
            &response,
            rendered.status.as_u16(),
            &rendered.body,
        );
    }
    let retry = state.settings.faults.retry_after_secs();
    let unavailable = super::unavailable::seen(&response);
    super::unavailable::apply(finish(req, lang, policy, rendered), unavailable, retry)
}

/// Caching and language headers on a rendered answer.
fn finish(req: &HttpRequest, lang: Lang, policy: Policy, rendered: Rendered) -> HttpResponse {
    let res = HttpResponse::build(rendered.status)
        .content_type(rendered.media.as_str())
        .insert_header((header::CONTENT_LANGUAGE, lang.tag()))
        .finish();
    caching::apply(req, policy, rendered.body, res)
}

/// Apollo's answer to an unknown hash: the client then sends the query with its hash. HTTP 200
/// (as Apollo Server does), because Apollo clients stop using APQ after a 400.
fn persisted_query_not_found(media: MediaType) -> HttpResponse {
    let body = json!({ "errors": [{
        "message": "PersistedQueryNotFound",
        "extensions": { "code": "PERSISTED_QUERY_NOT_FOUND" },
    }] });
    HttpResponse::Ok()
        .content_type(media.as_str())
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body.to_string())
}

/// Resolves the bearer token. A missing token is anonymous; a bad one is remembered as invalid
/// so that only fields that need a caller fail.
pub(crate) async fn authenticate(
    req: &HttpRequest,
    state: &AppState,
) -> Result<RequestAuth, AppError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(RequestAuth::Anonymous);
    };
    let Some(bearer) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return Ok(RequestAuth::Invalid);
    };
    let Ok(account) = token::verify(&state.settings.jwt_secret, bearer.trim()) else {
        return Ok(RequestAuth::Invalid);
    };
    Ok(match principal::load(&state.db, account).await? {
        Some(p) => RequestAuth::Authenticated(p),
        None => RequestAuth::Invalid,
    })
}

fn code_of(err: &ServerError) -> &'static str {
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

fn error_response(err: AppError) -> Response {
    let gql: async_graphql::Error = err.into();
    Response::from_errors(vec![gql.into_server_error(async_graphql::Pos::default())])
}

/// A GraphQL answer as status, media type and JSON text.
struct Rendered {
    status: StatusCode,
    media: MediaType,
    body: String,
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

fn respond(media: MediaType, response: &Response, request_error: bool) -> Rendered {
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
fn refuse(status: StatusCode, media: MediaType, message: &str) -> HttpResponse {
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

enum ReadError {
    TooLarge,
    Broken,
}

async fn read_capped(mut payload: web::Payload, cap: usize) -> Result<web::BytesMut, ReadError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ReadError::Broken)?;
        if body.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
