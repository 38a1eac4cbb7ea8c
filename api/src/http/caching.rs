//! HTTP caching of GraphQL answers (API.md "HTTP caching").
//!
//! Only a GET without a token that read nothing but fields the schema marks cacheable (catalogue,
//! regions, policies carry `cache_control` hints) and raised no error is public: `Cache-Control:
//! public, max-age=N` (N the smallest hint, capped by `HTTP_CACHE_MAX_AGE_SECONDS`) with a weak
//! `ETag`. Anything read with a token is `private, no-store`; everything else `no-store`.
//! An anonymous caller cannot read personal data, so a public answer is the same for everyone
//! who sends the same URL, `Accept` and `Accept-Language` (hence `Vary`).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::CacheControl;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Shared caches may keep the answer this many seconds.
    Public(u64),
    /// Read with a token: nobody keeps it.
    Private,
    /// Not cacheable (a POST, an error, or fields without hints).
    NoStore,
}

impl Policy {
    pub fn decide(
        via_get: bool,
        with_token: bool,
        ok: bool,
        hints: CacheControl,
        cap: Duration,
    ) -> Policy {
        if with_token {
            return Policy::Private;
        }
        let max_age = u64::try_from(hints.max_age).unwrap_or(0).min(cap.as_secs());
        if via_get && ok && hints.public && max_age > 0 {
            Policy::Public(max_age)
        } else {
            Policy::NoStore
        }
    }

    fn header(self) -> String {
        match self {
            Policy::Public(age) => format!("public, max-age={age}"),
            Policy::Private => "private, no-store".into(),
            Policy::NoStore => "no-store".into(),
        }
    }
}

/// A weak validator: the answer is the same JSON, not necessarily the same bytes on the wire
/// (compression happens after).
pub fn etag_of(body: &str) -> String {
    let hex = super::apq::sha256_hex(body);
    format!("W/\"{}\"", &hex[..32])
}

/// `If-None-Match` (a list of tags or `*`) names `etag`; weak comparison (RFC 9110 §13.1.2).
pub fn matches(req: &HttpRequest, etag: &str) -> bool {
    let Some(value) = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    value
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

/// Writes the caching headers of `policy` on a GraphQL answer; a public answer whose tag the
/// client already holds becomes `304 Not Modified` without a body.
pub fn apply(
    req: &HttpRequest,
    policy: Policy,
    body: String,
    mut res: HttpResponse,
) -> HttpResponse {
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&policy.header()) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language, Authorization"),
    );
    let Policy::Public(_) = policy else {
        return res.set_body(body).map_into_boxed_body();
    };
    let etag = etag_of(&body);
    if let Ok(v) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    if matches(req, &etag) {
        let mut not_modified = HttpResponse::NotModified().finish();
        for name in [header::CACHE_CONTROL, header::VARY, header::ETAG] {
            if let Some(v) = res.headers().get(&name) {
                not_modified.headers_mut().insert(name, v.clone());
            }
        }
        return not_modified;
    }
    res.set_body(body).map_into_boxed_body()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(public: bool, max_age: i32) -> CacheControl {
        CacheControl { public, max_age }
    }

    #[test]
    fn only_anonymous_successful_gets_with_hints_are_public() {
        let cap = Duration::from_secs(300);
        assert_eq!(
            Policy::decide(true, false, true, hints(true, 60), cap),
            Policy::Public(60)
        );
        assert_eq!(
            Policy::decide(true, false, true, hints(true, 3600), cap),
            Policy::Public(300)
        );
        assert_eq!(
            Policy::decide(true, true, true, hints(true, 60), cap),
            Policy::Private
        );
        assert_eq!(
            Policy::decide(false, false, true, hints(true, 60), cap),
            Policy::NoStore
        );
        assert_eq!(
            Policy::decide(true, false, false, hints(true, 60), cap),
            Policy::NoStore
        );
        assert_eq!(
            Policy::decide(true, false, true, hints(true, 0), cap),
            Policy::NoStore
        );
        assert_eq!(
            Policy::decide(true, false, true, hints(true, -1), cap),
            Policy::NoStore
        );
    }
}
