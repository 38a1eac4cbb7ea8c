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
use super::caching::Policy;
use super::document::{self, Inspection};
use super::graphql_request::{parse_query_string, read_post};
use super::graphql_response::{
    code_of, error_response, finish, persisted_query_not_found, refuse, respond, Rendered,
};
use super::negotiate::{negotiate, MediaType};
use super::public_answers;
use crate::auth::{bearer, RequestAuth};
use crate::error::AppError;
use crate::graphql::AppSchema;
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::parser::types::OperationType;
use async_graphql::Request;

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
    match read_post(&req, payload, &state, media).await {
        Ok(request) => execute(&req, request, media, false, &state, &schema).await,
        Err(refusal) => refusal,
    }
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

/// One request being answered: who sent it, the language and media type of the answer, and
/// whether it came over GET (which may only query, and may be cached publicly).
struct Exchange<'a> {
    req: &'a HttpRequest,
    state: &'a AppState,
    media: MediaType,
    lang: Lang,
    via_get: bool,
}

async fn execute(
    req: &HttpRequest,
    request: Request,
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
    let exchange = Exchange {
        req,
        state,
        media,
        lang,
        via_get,
    };
    match exchange.prepare(request).await {
        Ok((request, inspection)) => exchange.answer(request, inspection, schema).await,
        Err(refusal) => refusal,
    }
}

impl Exchange<'_> {
    /// Size limits, persisted queries and the checks on the parsed document: a request refused
    /// here is answered before anything runs.
    async fn prepare(
        &self,
        request: Request,
    ) -> Result<(Request, Option<Inspection>), HttpResponse> {
        let (state, media, lang) = (self.state, self.media, self.lang);
        if let Some(refusal) = super::limits::check(&request.query, &state.settings.documents) {
            return Err(super::limits::refuse(&refusal, media.as_str(), lang));
        }
        let mut request = match apq::resolve(state, request).await {
            Ok(request) => request,
            Err(ApqError::NotFound) => return Err(persisted_query_not_found(media)),
            Err(ApqError::Invalid(message)) => {
                return Err(refuse(StatusCode::BAD_REQUEST, media, &message))
            }
        };
        // Parsed once: execution reuses the document (a parse error is reported by execution).
        let operation_name = request.operation_name.clone();
        let inspection = request
            .parsed_query()
            .ok()
            .map(|doc| document::inspect(doc, operation_name.as_deref()));
        if let Some(refusal) = inspection.as_ref().and_then(|i| self.screen(i)) {
            return Err(refusal);
        }
        if let Some(message) = request
            .parsed_query()
            .ok()
            .and_then(super::directives::violation)
        {
            return Err(refuse(StatusCode::BAD_REQUEST, media, &message));
        }
        Ok((request, inspection))
    }

    /// What the server will not run whatever the schema says (a mutation over GET,
    /// introspection when disabled, too many fields or aliases, a subscription over HTTP); an
    /// operation that passes is counted by kind.
    fn screen(&self, inspection: &Inspection) -> Option<HttpResponse> {
        let (state, media) = (self.state, self.media);
        if self.via_get && inspection.operation != Some(OperationType::Query) {
            let mut res = refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                "only queries may be sent with GET; use POST",
            );
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return Some(res);
        }
        if inspection.introspects && !state.settings.introspection {
            return Some(refuse(
                StatusCode::BAD_REQUEST,
                media,
                "introspection is disabled on this server",
            ));
        }
        if let Some(refusal) =
            super::limits::check_fields(inspection.fields, &state.settings.documents)
        {
            return Some(super::limits::refuse(&refusal, media.as_str(), self.lang));
        }
        let max = state.settings.limits.aliases;
        if inspection.aliases > max {
            return Some(refuse(
                StatusCode::BAD_REQUEST,
                media,
                &format!("the query uses more than {max} aliases"),
            ));
        }
        if inspection.operation == Some(OperationType::Subscription) {
            return Some(refuse(
                StatusCode::BAD_REQUEST,
                media,
                "subscriptions use the WebSocket at /graphql (graphql-transport-ws)",
            ));
        }
        if let Some(kind) = inspection.operation {
            state.metrics.operation(match kind {
                OperationType::Query => "query",
                OperationType::Mutation => "mutation",
                OperationType::Subscription => "subscription",
            });
        }
        None
    }

    /// A kept public answer when there is one; else authenticates, executes and renders (and
    /// keeps a public answer for the next anonymous reader).
    async fn answer(
        &self,
        mut request: Request,
        inspection: Option<Inspection>,
        schema: &AppSchema,
    ) -> HttpResponse {
        let (req, state, media, lang, via_get) =
            (self.req, self.state, self.media, self.lang, self.via_get);
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
                return super::unavailable::apply(
                    rendered,
                    super::unavailable::seen(&response),
                    retry,
                );
            }
        };
        let loaders = crate::graphql::loaders::Loaders::new(state, auth.principal().ok().cloned());
        let client = crate::auth::client_address::ClientAddress::resolve(
            req.peer_addr().map(|a| a.ip()),
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok()),
            &state.settings.trusted_proxies,
        );
        request = request.data(auth).data(loaders).data(lang).data(client);
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
}

/// Resolves the bearer token or API key. A missing one is anonymous; a bad one is remembered
/// as invalid so that only fields that need a caller fail.
pub(crate) async fn authenticate(
    req: &HttpRequest,
    state: &AppState,
) -> Result<RequestAuth, AppError> {
    let header = match req.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(value) => match value.to_str() {
            Ok(text) => Some(text),
            Err(_) => return Ok(RequestAuth::Invalid),
        },
    };
    bearer::authenticate(state, header).await
}
