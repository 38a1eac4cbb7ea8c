//! What browser portals and phone apps rely on, spoken to as they speak: CORS preflights and
//! cross-origin calls, security headers, gzip and brotli bodies, Apollo persisted queries over
//! POST and GET, HTTP caching with ETags, `operationName` over GET, and "today" in Shanghai.

use super::fixtures;
use credit_bank_tests::{error_code, spawn_app_with, Backend, TestApp, PASSWORD};
use reqwest::header::{HeaderMap, ACCEPT_ENCODING};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::Read;

const PORTAL: &str = "http://portal.example";
const EVIL: &str = "http://evil.example";

macro_rules! with_cors {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = super::spawn(super::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = super::spawn(super::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
    };
}

with_cors!(
    preflights_and_cross_origin_calls_follow_the_allowed_origins,
    every_response_carries_the_security_headers,
    bodies_are_compressed_with_gzip_and_brotli,
    persisted_queries_round_trip_over_post_and_get,
    public_gets_are_cacheable_and_revalidate_with_304,
    get_honours_operation_name,
    a_claim_dated_today_in_shanghai_is_accepted_late_in_the_utc_evening,
);

async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |s| {
        s.cors_allowed_origins = vec![PORTAL.into(), "http://localhost:5173".into()];
    })
    .await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn lower_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .collect()
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, format!("{}/graphql", app.address))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, accept-language",
        )
        .send()
        .await
        .expect("preflight sent")
}

async fn post_from(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("Origin", origin)
        .json(&json!({ "query": "{ regions { code } }" }))
        .send()
        .await
        .expect("request sent")
}

async fn preflights_and_cross_origin_calls_follow_the_allowed_origins(app: TestApp) {
    let ok = preflight(&app, PORTAL).await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let h = ok.headers();
    assert_eq!(header(h, "access-control-allow-origin"), PORTAL);
    let methods = lower_list(header(h, "access-control-allow-methods"));
    assert!(methods.contains(&"get".into()) && methods.contains(&"post".into()));
    let allowed = lower_list(header(h, "access-control-allow-headers"));
    for wanted in ["authorization", "content-type", "accept", "accept-language"] {
        assert!(
            allowed.contains(&wanted.to_owned()),
            "{wanted} in {allowed:?}"
        );
    }
    assert_eq!(header(h, "access-control-max-age"), "3600");

    let refused = preflight(&app, EVIL).await;
    assert!(!refused.status().is_success(), "{}", refused.status());
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let cross = post_from(&app, PORTAL).await;
    assert_eq!(cross.status(), StatusCode::OK);
    assert_eq!(
        header(cross.headers(), "access-control-allow-origin"),
        PORTAL
    );
    assert!(
        lower_list(header(cross.headers(), "access-control-expose-headers"))
            .contains(&"x-request-id".to_owned())
    );
    assert!(!header(cross.headers(), "x-request-id").is_empty());
    let body: Value = cross.json().await.expect("json");
    assert!(body["data"]["regions"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));

    // The server still answers (it cannot tell a browser from a script), but says nothing that
    // would let a browser hand the answer to the other origin's page.
    let foreign = post_from(&app, EVIL).await;
    assert!(foreign
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let token = app.admin_token().await;
    let cases = [
        app.client.get(format!("{}/healthz", app.address)),
        app.client.get(format!("{}/nowhere", app.address)),
        app.client
            .post(format!("{}/graphql", app.address))
            .header("Content-Type", "text/plain")
            .body("{ regions { code } }"),
        app.client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .json(&json!({ "query": "{ viewer { username } }" })),
    ];
    let mut cache_controls = Vec::new();
    for request in cases {
        let res = request.send().await.expect("sent");
        assert_eq!(header(res.headers(), "x-content-type-options"), "nosniff");
        assert_eq!(header(res.headers(), "referrer-policy"), "no-referrer");
        cache_controls.push((
            res.status().as_u16(),
            header(res.headers(), "cache-control").to_owned(),
        ));
    }
    assert_eq!(
        cache_controls,
        vec![
            (200, "no-store".to_owned()),
            (404, "no-store".to_owned()),
            (415, "no-store".to_owned()),
            (200, "private, no-store".to_owned()),
        ]
    );
}

/// An answer of some kilobytes: every type of the schema with its description.
const BIG: &str = "{ __schema { types { name description } } }";

async fn compressed(app: &TestApp, encoding: &str) -> (String, Vec<u8>) {
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .header(ACCEPT_ENCODING, encoding)
        .json(&json!({ "query": BIG }))
        .send()
        .await
        .expect("sent");
    let enc = header(res.headers(), "content-encoding").to_owned();
    (enc, res.bytes().await.expect("body").to_vec())
}

async fn bodies_are_compressed_with_gzip_and_brotli(app: TestApp) {
    let plain = app.gql(None, BIG, json!({})).await;
    let (enc, gz) = compressed(&app, "gzip").await;
    assert_eq!(enc, "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("gunzip");
    assert_eq!(serde_json::from_str::<Value>(&text).expect("json"), plain);
    assert!(gz.len() < text.len(), "{} < {}", gz.len(), text.len());

    let (enc, br) = compressed(&app, "br").await;
    assert_eq!(enc, "br");
    let mut text = String::new();
    brotli_decompressor::Decompressor::new(&br[..], 4096)
        .read_to_string(&mut text)
        .expect("brotli");
    assert_eq!(serde_json::from_str::<Value>(&text).expect("json"), plain);
}

const APQ_QUERY: &str = "query Regions { regions { code } }";

fn apq_ext(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post_json(app: &TestApp, body: Value) -> Value {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("Accept", "application/graphql-response+json")
        .json(&body)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json")
}

async fn get_json(app: &TestApp, params: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .get(format!("{}/graphql", app.address))
        .query(params)
        .send()
        .await
        .expect("sent")
}

async fn persisted_queries_round_trip_over_post_and_get(app: TestApp) {
    let hash = credit_bank::http::apq::sha256_hex(APQ_QUERY);
    let unknown = post_json(&app, json!({ "extensions": apq_ext(&hash) })).await;
    assert_eq!(error_code(&unknown), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

    let registered = post_json(
        &app,
        json!({ "query": APQ_QUERY, "extensions": apq_ext(&hash) }),
    )
    .await;
    assert!(registered["data"]["regions"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));

    let by_hash = post_json(&app, json!({ "extensions": apq_ext(&hash) })).await;
    assert_eq!(by_hash["data"], registered["data"]);

    let ext = apq_ext(&hash).to_string();
    let res = get_json(&app, &[("extensions", ext.as_str())]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let over_get: Value = res.json().await.expect("json");
    assert_eq!(over_get["data"], registered["data"]);

    let wrong = "0".repeat(64);
    let mismatch = post_json(
        &app,
        json!({ "query": APQ_QUERY, "extensions": apq_ext(&wrong) }),
    )
    .await;
    assert_eq!(error_code(&mismatch), "BAD_USER_INPUT");
    let still_unknown = post_json(&app, json!({ "extensions": apq_ext(&wrong) })).await;
    assert_eq!(error_code(&still_unknown), "PERSISTED_QUERY_NOT_FOUND");
}

async fn public_gets_are_cacheable_and_revalidate_with_304(app: TestApp) {
    let query = [("query", "{ regions { code name } }")];
    let first = get_json(&app, &query).await;
    assert_eq!(first.status(), StatusCode::OK);
    let cache_control = header(first.headers(), "cache-control").to_owned();
    assert_eq!(cache_control, "public, max-age=300");
    let etag = header(first.headers(), "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(lower_list(header(first.headers(), "vary")).contains(&"accept-language".to_owned()));

    let again = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&query)
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(again.headers(), "etag"), etag);
    assert!(again.bytes().await.expect("body").is_empty());

    // The catalogue carries a shorter hint than regions.
    let courses = get_json(&app, &[("query", "{ courses(first: 2) { totalCount } }")]).await;
    assert_eq!(
        header(courses.headers(), "cache-control"),
        "public, max-age=60"
    );

    // A field without a hint, a token, or a POST: nothing is cached.
    let unhinted = get_json(&app, &[("query", "{ __typename }")]).await;
    assert_eq!(header(unhinted.headers(), "cache-control"), "no-store");
    let token = app.admin_token().await;
    let personal = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&query)
        .bearer_auth(&token)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        header(personal.headers(), "cache-control"),
        "private, no-store"
    );
    assert!(personal.headers().get("etag").is_none());
}

async fn get_honours_operation_name(app: TestApp) {
    let document = "query Name { __typename } query Codes { regions { code } }";
    let res = get_json(&app, &[("query", document), ("operationName", "Codes")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["data"]["regions"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    assert!(body["data"].get("__typename").is_none());

    let res = get_json(&app, &[("query", document), ("operationName", "Name")]).await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["data"], json!({ "__typename": "Query" }));
}

const CLAIM: &str = "mutation($i: ClaimInput!){ claimCredit(input:$i){ id status } }";

async fn a_claim_dated_today_in_shanghai_is_accepted_late_in_the_utc_evening(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370702", "潍城学校").await;
    fixtures::teacher(&app, &admin, &school, "王老师", Some("sh-t")).await;
    let token = app.login("sh-t", PASSWORD).await;
    // 23:30 UTC on 1 December is 07:30 on 2 December in Shanghai.
    let late = "2026-12-01T23:30:00Z".parse().expect("instant");
    app.state.clock.set(Some(late));
    let paper = |on: &str| {
        json!({"i": {"kind": "PAPER", "title": "课堂提问研究", "earnedOn": on, "level": "PROVINCIAL",
            "evidence": [{"name": "封面", "url": "https://files.example.cn/p.pdf", "sha256": "AB".repeat(32)}]}})
    };
    let today = app.gql(Some(&token), CLAIM, paper("2026-12-02")).await;
    assert!(today.get("errors").is_none(), "{today}");
    assert_eq!(today["data"]["claimCredit"]["status"], "PENDING");
    let tomorrow = app.gql(Some(&token), CLAIM, paper("2026-12-03")).await;
    assert_eq!(error_code(&tomorrow), "BAD_USER_INPUT");
}
