//! Which media type a GraphQL answer is sent as, from the request's `Accept` header.
//!
//! `application/graphql-response+json` is what a client gets when it names it; a client that
//! names only `application/json`, sends only a wildcard (`*/*`, as browsers' `fetch` does) or no
//! `Accept` at all gets `application/json`, with its legacy status codes (a request error is
//! still 200). Such clients predate the newer type and may not read it, which is why the
//! GraphQL-over-HTTP audits of graphql-http expect `application/json` for them. Anything else
//! is 406.

use actix_web::http::header;
use actix_web::HttpRequest;

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponseJson => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => JSON,
        }
    }
}

/// The best media type the request accepts, or `None` (406).
pub fn negotiate(req: &HttpRequest) -> Option<MediaType> {
    match req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    {
        Some(accept) => choose(accept),
        None => Some(MediaType::Json),
    }
}

/// The highest-weighted acceptable range; on a tie the newer type wins, so a client listing
/// both (`application/graphql-response+json, application/json`) gets the newer one.
fn choose(accept: &str) -> Option<MediaType> {
    let mut best: Option<(f32, MediaType)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match essence.as_str() {
            GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponseJson,
            JSON | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bq, bm)) => {
                q > bq
                    || (q == bq && bm == MediaType::Json && media == MediaType::GraphqlResponseJson)
            }
        };
        if better {
            best = Some((q, media));
        }
    }
    best.map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MediaType::{GraphqlResponseJson as Modern, Json as Legacy};

    #[test]
    fn names_win_wildcards_and_silence_mean_legacy_json() {
        assert_eq!(choose(GRAPHQL_RESPONSE_JSON), Some(Modern));
        assert_eq!(choose("application/json"), Some(Legacy));
        assert_eq!(choose("*/*"), Some(Legacy));
        assert_eq!(choose("application/*"), Some(Legacy));
        assert_eq!(
            choose("application/json, application/graphql-response+json"),
            Some(Modern)
        );
        assert_eq!(
            choose("*/*, application/graphql-response+json; charset=utf-8"),
            Some(Modern)
        );
        assert_eq!(
            choose("application/graphql-response+json;q=0.5, application/json"),
            Some(Legacy)
        );
        assert_eq!(choose("text/html"), None);
        assert_eq!(choose("application/json;q=0"), None);
        let req = actix_web::test::TestRequest::default().to_http_request();
        assert_eq!(negotiate(&req), Some(Legacy));
    }
}
