//! A GraphQL answer that failed because a dependency is unreachable is HTTP 503 with
//! `Retry-After` (API.md "Faults"), so that load balancers, clients and retry libraries treat
//! it as what it is: try again shortly, elsewhere or later; nothing the request did was wrong.

use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use async_graphql::Response;

/// Whether any error of `response` is `UNAVAILABLE`.
pub fn seen(response: &Response) -> bool {
    response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|ext| ext.get("code"))
            .is_some_and(
                |code| matches!(code, async_graphql::Value::String(c) if c == "UNAVAILABLE"),
            )
    })
}

/// Turns `res` into a 503 with `Retry-After` when `unavailable`; leaves it alone otherwise.
pub fn apply(mut res: HttpResponse, unavailable: bool, retry_after_secs: u64) -> HttpResponse {
    if unavailable {
        *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            res.headers_mut().insert(RETRY_AFTER, v);
        }
    }
    res
}
