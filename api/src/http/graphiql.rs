//! GraphiQL at `/`, served entirely from the binary: the page names only this server's paths and
//! its scripts and styles (`api/assets/graphiql/`, see the README there) are embedded at build
//! time, so GraphiQL works without internet access. Both answer 404 when introspection is off.

use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

/// Where the assets are served; each file name carries its package version, so a file's URL
/// never changes its content and may be cached forever.
pub const ASSETS_PATH: &str = "/assets/graphiql";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The embedded files: URL file name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql-3.9.0.min.js",
        JS,
        include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.js"),
    ),
    (
        "graphiql-3.9.0.min.css",
        CSS,
        include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.css"),
    ),
    (
        "react-18.3.1.production.min.js",
        JS,
        include_bytes!("../../assets/graphiql/react-18.3.1.production.min.js"),
    ),
    (
        "react-dom-18.3.1.production.min.js",
        JS,
        include_bytes!("../../assets/graphiql/react-dom-18.3.1.production.min.js"),
    ),
];

/// The page. Headers typed into GraphiQL's Headers tab (e.g. `Authorization: Bearer …`) are sent
/// with each request; they are not persisted in the browser. Subscriptions are not wired in.
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Credit Bank · GraphiQL</title>
<link rel="stylesheet" href="/assets/graphiql/graphiql-3.9.0.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/assets/graphiql/react-18.3.1.production.min.js"></script>
<script src="/assets/graphiql/react-dom-18.3.1.production.min.js"></script>
<script src="/assets/graphiql/graphiql-3.9.0.min.js"></script>
<script>
  const defaultQuery = [
    '# Credit Bank. Public queries need no login; for the rest run',
    '#   mutation { login(username: "…", password: "…") { token } }',
    '# and put {"Authorization": "Bearer <token>"} into the Headers tab below.',
    '',
    '{',
    '  regions { code name children { code name } }',
    '}',
    '',
  ].join('\n');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: '/graphql' }),
      defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
</script>
</body>
</html>
"#;

const DISABLED: &str = "GraphiQL is disabled on this server";

/// `GET /`: the GraphiQL page.
pub async fn page(state: web::Data<AppState>) -> HttpResponse {
    if !state.settings.introspection {
        return HttpResponse::NotFound().body(DISABLED);
    }
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(PAGE)
}

/// `GET /assets/graphiql/{file}`: one embedded file, cached as immutable; 404 for any other name.
pub async fn asset(state: web::Data<AppState>, file: web::Path<String>) -> HttpResponse {
    if !state.settings.introspection {
        return HttpResponse::NotFound().body(DISABLED);
    }
    match find(&file) {
        Some((content_type, body)) => HttpResponse::Ok()
            .content_type(content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(body),
        None => HttpResponse::NotFound().body("no such GraphiQL asset"),
    }
}

fn find(file: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .map(|(_, content_type, body)| (*content_type, *body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `src`/`href` of the page is one of the embedded assets: nothing comes from elsewhere.
    #[test]
    fn the_page_names_only_embedded_assets() {
        let mut named = 0;
        for attr in ["src=\"", "href=\""] {
            for (at, _) in PAGE.match_indices(attr) {
                let rest = &PAGE[at + attr.len()..];
                let url = &rest[..rest.find('"').unwrap_or(rest.len())];
                let file = url.strip_prefix(&format!("{ASSETS_PATH}/"));
                assert!(
                    file.and_then(find).is_some(),
                    "{url} is not an embedded asset"
                );
                named += 1;
            }
        }
        assert_eq!(named, ASSETS.len(), "every asset is used by the page");
        assert!(!PAGE.contains("//cdn") && !PAGE.contains("https:"));
    }

    #[test]
    fn assets_are_not_empty_and_unknown_files_are_not_found() {
        for (name, _, body) in ASSETS {
            assert!(body.len() > 1000, "{name} looks truncated");
        }
        assert!(find("graphiql.min.js").is_none());
        assert!(find("../Cargo.toml").is_none());
    }
}
