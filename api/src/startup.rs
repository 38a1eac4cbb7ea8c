//! Builds the application: database, migrations, cache, schema, HTTP server.

use crate::cache::Cache;
use crate::config::Settings;
use crate::events::Events;
use crate::graphql::{self, AppSchema};
use crate::metrics::Metrics;
use crate::services::regions;
use crate::state::AppState;
use crate::{db, demo, http};
use actix_web::dev::{Server, Service};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Compress;
use actix_web::{web, App, HttpMessage, HttpServer};
use anyhow::Context;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;
use tracing_actix_web::{RequestId, TracingLogger};

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    /// Delivers webhooks while the server runs; stopped after it.
    webhooks: Option<crate::webhooks::Worker>,
    /// Keeps compliance snapshots current while the server runs; stopped after it.
    snapshots: crate::snapshots::Worker,
}

/// Connects, migrates and loads what every request shares.
pub async fn prepare(settings: Settings) -> anyhow::Result<AppState> {
    let mut db = db::connect_with(&settings.database_url, &settings.faults).await?;
    let metrics = Metrics::default();
    let counter = metrics.clone();
    db.set_metric_callback(move |_| counter.db_statement());
    db::migrate(&db).await?;
    let regions = regions::load_tree(&db)
        .await
        .context("could not load the region tree")?;
    // Redis may be down at start: the cache and the event relay begin degraded and catch up.
    let redis_timeout = settings.faults.redis_timeout;
    let cache = match &settings.redis_url {
        Some(url) => Cache::redis_with_timeout(url, redis_timeout)?,
        None => Cache::memory(),
    };
    let events = match &settings.redis_url {
        Some(url) => Events::with_redis_timeout(
            url,
            format!("{}events", settings.cache_prefix),
            redis_timeout,
        )
        .context("could not set up the Redis event relay")?,
        None => Events::in_process(),
    };
    tracing::info!(
        db.backend = db::backend_name(&db),
        cache.backend = cache.backend(),
        regions.count = regions.len(),
        "prepared"
    );
    let signer = Arc::new(
        crate::signing::Signer::load_with_retired(
            &settings.signing_key,
            &settings.retired_signing_keys,
        )
        .context("could not load the transcript signing key")?,
    );
    let clock = crate::clock::Clock::new(settings.time_zone);
    let responses = Arc::new(crate::response_cache::ResponseCache::new(
        settings.response_cache,
        format!("{}public-version", settings.cache_prefix),
    ));
    Ok(AppState {
        clock,
        db,
        cache,
        settings: Arc::new(settings),
        regions: Arc::new(regions),
        metrics,
        events,
        signer,
        responses,
    })
}

impl Application {
    /// Binds `settings.bind` (port 0 picks a free port; see [`Application::port`]).
    pub async fn build(settings: Settings, load_demo: bool) -> anyhow::Result<Self> {
        let state = prepare(settings).await?;
        if load_demo {
            demo::seed_if_empty(&state).await?;
        }
        let listener = TcpListener::bind(&state.settings.bind)
            .with_context(|| format!("could not bind {}", state.settings.bind))?;
        let port = listener.local_addr()?.port();
        let schema = graphql::build_schema(state.clone());
        let server = run(listener, state.clone(), schema)?;
        tracing::info!(
            http.port = port,
            "listening on {}",
            listener_addr(&state.settings.bind, port)
        );
        let webhooks = start_webhooks(&state).await?;
        let snapshot_db =
            db::connect_with(&state.settings.database_url, &state.settings.faults).await?;
        let snapshots =
            crate::snapshots::Worker::spawn(&state, snapshot_db, state.settings.snapshot_workers());
        Ok(Application {
            port,
            server,
            state,
            webhooks,
            snapshots,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT/SIGTERM, then stops accepting and lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(worker) = self.webhooks {
            let wait = self.state.settings.webhooks.timeout * 2;
            worker.stop(wait).await;
        }
        self.snapshots
            .stop(std::time::Duration::from_secs(30))
            .await;
        served
    }
}

/// The webhook delivery worker of this replica, on its own small connection pool (see
/// `webhooks::worker`); none when `WEBHOOK_WORKER=false`.
async fn start_webhooks(state: &AppState) -> anyhow::Result<Option<crate::webhooks::Worker>> {
    let settings = &state.settings;
    if !settings.webhooks.worker {
        return Ok(None);
    }
    let db = db::connect_with(&settings.database_url, &settings.faults).await?;
    let worker = crate::webhooks::Worker::spawn(
        db,
        settings.webhooks,
        crate::services::webhooks::targets(state),
        state.clock.clone(),
        state.metrics.clone(),
    )?;
    Ok(Some(worker))
}

fn listener_addr(bind: &str, port: u16) -> String {
    match bind.rsplit_once(':') {
        Some((host, _)) => format!("http://{host}:{port}/"),
        None => format!("http://{bind}/"),
    }
}

fn run(listener: TcpListener, state: AppState, schema: AppSchema) -> anyhow::Result<Server> {
    let workers = state.settings.workers;
    let state_data = web::Data::new(state);
    let schema_data = web::Data::new(schema);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state_data.clone())
            .app_data(schema_data.clone())
            .wrap(cors(&state_data.settings.cors_allowed_origins))
            .wrap_fn(|req, srv| {
                let started = Instant::now();
                let route = known_route(req.path());
                let preflight = req.method() == Method::OPTIONS;
                let metrics = req
                    .app_data::<web::Data<AppState>>()
                    .map(|s| s.metrics.clone());
                let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Some(m) = metrics {
                        m.request(route, res.status().as_u16(), started.elapsed());
                    }
                    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), id);
                    }
                    if preflight
                        && res.status() == StatusCode::OK
                        && res
                            .headers()
                            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                    {
                        // A preflight has nothing to say beyond its headers (API.md: 204).
                        *res.response_mut().status_mut() = StatusCode::NO_CONTENT;
                    }
                    security_headers(res.headers_mut());
                    Ok(res)
                }
            })
            .wrap(TracingLogger::default())
            .wrap(Compress::default())
            .configure(http::routes)
    })
    .shutdown_timeout(30)
    .listen(listener)?;
    if let Some(n) = workers {
        server = server.workers(n);
    }
    Ok(server.run())
}

/// Cross-origin access for the origins of `CORS_ALLOWED_ORIGINS` only (API.md "CORS"). Other
/// origins get no `Access-Control-Allow-Origin`, so a browser keeps the answer from their pages;
/// requests without `Origin` (servers, curl) are unaffected.
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods([Method::GET, Method::POST])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
        ])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// On every response: no MIME sniffing, no referrer, and nothing kept by caches unless the
/// handler said otherwise (GraphQL answers, JWKS and GraphiQL assets set their own).
fn security_headers(headers: &mut actix_web::http::header::HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Bounded label values for metrics: unknown paths are not a way to grow memory.
fn known_route(path: &str) -> &'static str {
    match path {
        "/graphql" => "/graphql",
        "/" => "/",
        p if p.starts_with("/assets/graphiql/") => "/assets/graphiql/{file}",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        "/schema.graphql" => "/schema.graphql",
        p if p.starts_with("/teachers/") => "/teachers/{id}/file",
        "/.well-known/jwks.json" => "/.well-known/jwks.json",
        _ => "other",
    }
}
