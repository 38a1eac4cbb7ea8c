//! GraphiQL served from the binary, and the server seen from a real browser: headless Chromium
//! (Debian's `/usr/bin/chromium`, driven by `tests/browser/run.mjs` with playwright-core) opens
//! GraphiQL with the network restricted to the server and runs a query, then pages on an allowed
//! and on a not allowed origin POST to `/graphql` across origins.
//!
//! The browser test needs `node`, Chromium (`CHROMIUM`, default `/usr/bin/chromium`) and
//! `npm ci` in `tests/browser`; without them it is skipped, and under CI (`CI` set) it fails.

use credit_bank_tests::{spawn_app_with, Backend, TestApp};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The origin the browser test's server allows; `run.mjs` serves its probe page there.
const PORTAL: &str = "http://portal.example";
/// An origin the server does not allow.
const EVIL: &str = "http://evil.example";

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn graphiql_offline_and_cors_in_chromium() {
        super::graphiql_offline_and_cors_in_chromium().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn graphiql_assets_are_embedded_and_cached() {
        super::graphiql_assets_are_embedded_and_cached().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn graphiql_and_its_assets_are_off_without_introspection() {
        super::graphiql_and_its_assets_are_off_without_introspection().await;
    }
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("request sent")
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The `src`/`href` values of the GraphiQL page.
fn referenced_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            urls.push(rest[..rest.find('"').unwrap_or(rest.len())].to_owned());
        }
    }
    urls
}

async fn graphiql_assets_are_embedded_and_cached() {
    let app = spawn_app_with(Backend::Sqlite, |_| {})
        .await
        .expect("SQLite always runs");
    let page = get(&app, "/").await;
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
    let html = page.text().await.expect("html");
    let urls = referenced_urls(&html);
    assert_eq!(
        urls.len(),
        4,
        "GraphiQL, its CSS, React, ReactDOM: {urls:?}"
    );
    for url in &urls {
        assert!(
            url.starts_with("/assets/graphiql/"),
            "the page loads only this server's files, not {url}"
        );
        let res = get(&app, url).await;
        assert_eq!(res.status(), 200, "{url}");
        let expected_type = if url.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            "text/javascript; charset=utf-8"
        };
        assert_eq!(header(&res, "content-type"), expected_type, "{url}");
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable",
            "{url}"
        );
        let file = url.trim_start_matches("/assets/graphiql/");
        assert!(
            file.chars().any(|c| c.is_ascii_digit()) && file.contains('.'),
            "{url}: immutable caching needs the version in the name"
        );
        let body = res.bytes().await.expect("asset body");
        let on_disk = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../api/assets/graphiql")
                .join(file),
        )
        .expect("the asset is committed under api/assets/graphiql");
        assert!(body == on_disk, "{url} is served as committed");
    }
    for missing in [
        "/assets/graphiql/graphiql.min.js",
        "/assets/graphiql/README.md",
        "/assets/graphiql/LICENSE-graphiql",
        "/assets/graphiql/..%2F..%2FCargo.toml",
        "/assets/graphiql/",
    ] {
        assert_eq!(get(&app, missing).await.status(), 404, "{missing}");
    }
}

async fn graphiql_and_its_assets_are_off_without_introspection() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.introspection = false)
        .await
        .expect("SQLite always runs");
    let page = get(&app, "/").await;
    assert_eq!(page.status(), 404);
    assert_eq!(
        page.text().await.expect("body"),
        "GraphiQL is disabled on this server"
    );
    let asset = get(&app, "/assets/graphiql/graphiql-3.9.0.min.js").await;
    assert_eq!(asset.status(), 404);
}

/// Where `run.mjs` lives, once node, Chromium and the npm packages are all there; otherwise what
/// is missing.
fn browser_setup() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    if !Path::new(&chromium).exists() {
        return Err(format!(
            "{chromium} is missing (apt-get install chromium, or set CHROMIUM)"
        ));
    }
    if !dir
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return Err(format!(
            "{}/node_modules is missing (npm ci there)",
            dir.display()
        ));
    }
    Ok(dir)
}

/// `tests/browser`, ready to run; `None` (the test is skipped) when something is missing,
/// except under CI, where that fails the test.
pub(super) fn browser_dir() -> Option<PathBuf> {
    match browser_setup() {
        Ok(dir) => Some(dir),
        Err(missing) if std::env::var_os("CI").is_some() => {
            panic!("the browser test may not be skipped under CI: {missing}")
        }
        Err(missing) => {
            eprintln!("skipping the browser test: {missing}");
            None
        }
    }
}

async fn graphiql_offline_and_cors_in_chromium() {
    let Some(dir) = browser_dir() else {
        return;
    };
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.cors_allowed_origins = vec![PORTAL.into()];
    })
    .await
    .expect("SQLite always runs");

    let run = tokio::process::Command::new("node")
        .arg("run.mjs")
        .arg(&app.address)
        .args(["--allowed-origin", PORTAL, "--denied-origin", EVIL])
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .expect("run.mjs finishes within 3 minutes")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("run.mjs stdout:\n{stdout}");
    if !stderr.trim().is_empty() {
        eprintln!("run.mjs stderr:\n{stderr}");
    }
    let lines: Vec<Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let check = |name: &str| -> &Value {
        lines
            .iter()
            .find(|l| l["check"] == name)
            .unwrap_or_else(|| panic!("run.mjs reported no {name} check:\n{stdout}\n{stderr}"))
    };

    let graphiql = check("graphiql");
    assert_eq!(
        graphiql["aborted"],
        serde_json::json!([]),
        "GraphiQL asked for something not on this server: {graphiql}"
    );
    assert_eq!(
        graphiql["result"]["data"]["region"]["name"], "市南区",
        "GraphiQL ran the query and showed its result: {graphiql}"
    );
    let served = graphiql["served"].to_string();
    for asset in [
        "/assets/graphiql/graphiql-3.9.0.min.js",
        "/assets/graphiql/graphiql-3.9.0.min.css",
        "/assets/graphiql/react-18.3.1.production.min.js",
        "/assets/graphiql/react-dom-18.3.1.production.min.js",
    ] {
        assert!(served.contains(asset), "{asset} was loaded: {graphiql}");
    }
    assert_eq!(
        graphiql["docs"], "schema loaded",
        "GraphiQL's introspection query was answered, so its documentation explorer and \
         completion work (GraphiQL 3.9's query is 15 levels deep): {graphiql}"
    );
    assert_eq!(graphiql["ok"], true, "{graphiql}");

    let allowed = check("cors-allowed");
    assert_eq!(
        allowed["outcome"]["read"], true,
        "a page on {PORTAL} (allowed) reads the answer: {allowed}"
    );
    assert_eq!(allowed["ok"], true, "{allowed}");

    let denied = check("cors-denied");
    assert_eq!(
        denied["outcome"]["read"], false,
        "a page on {EVIL} (not allowed) cannot read the answer: {denied}"
    );
    assert_eq!(denied["outcome"]["error"], "TypeError", "{denied}");
    assert_eq!(denied["ok"], true, "{denied}");

    assert!(
        lines
            .iter()
            .any(|l| l["summary"] == true && l["ok"] == true),
        "run.mjs passed:\n{stdout}"
    );
    assert!(
        output.status.success(),
        "run.mjs exit status: {}",
        output.status
    );
}
