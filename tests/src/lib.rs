//! Test harness: each test gets the real server on a loopback port 0 and its own database.
//! SQLite always; PostgreSQL (with Redis as the cache) when `TEST_DATABASE_URL` and
//! `TEST_REDIS_URL` are set. Under CI (`CI` set) a missing URL fails the test instead of
//! skipping it, so a run can never pass without exercising PostgreSQL and Redis.

use anyhow::Context;
use credit_bank::auth::{OperatorTask, Permit};
use credit_bank::config::Settings;
use credit_bank::services::accounts::{insert, AccountTarget, NewAccount};
use credit_bank::startup::Application;
use credit_bank::state::AppState;
use domain::identity::{Password, Username};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub state: AppState,
    pub backend: Backend,
    sqlite_file: Option<std::path::PathBuf>,
}

pub const ADMIN: &str = "root-admin";
pub const PASSWORD: &str = "test-password-1";

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

fn required_env(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if std::env::var("CI").is_ok() => {
            panic!("{name} must be set under CI: the PostgreSQL/Redis tests may not be skipped")
        }
        _ => None,
    }
}

/// Settings for a test server on `database_url`; `tweak` adjusts them before start.
pub fn test_settings(database_url: String) -> Settings {
    let mut s = Settings::development(database_url);
    s.bind = "127.0.0.1:0".into();
    s.workers = Some(1);
    s.login_attempts.max_failures = 3;
    s
}

/// A fresh database URL for `backend`, or `None` when PostgreSQL is not configured (outside CI).
pub async fn fresh_database(
    backend: Backend,
) -> anyhow::Result<Option<(String, Option<std::path::PathBuf>)>> {
    match backend {
        Backend::Sqlite => {
            let path =
                std::env::temp_dir().join(format!("credit-bank-test-{}.db", uuid::Uuid::new_v4()));
            Ok(Some((
                format!("sqlite://{}?mode=rwc", path.display()),
                Some(path),
            )))
        }
        Backend::Postgres => {
            let Some(base) = required_env("TEST_DATABASE_URL") else {
                eprintln!("TEST_DATABASE_URL not set: skipping the PostgreSQL variant");
                return Ok(None);
            };
            let name = format!("cb_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base)
                .await
                .context("TEST_DATABASE_URL unreachable")?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let (prefix, _) = base
                .rsplit_once('/')
                .context("TEST_DATABASE_URL needs a database name")?;
            Ok(Some((format!("{prefix}/{name}"), None)))
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(
    backend: Backend,
    tweak: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    credit_bank::telemetry::init_with_default(false, "warn");
    let (url, sqlite_file) = fresh_database(backend).await.expect("test database")?;
    let mut settings = test_settings(url);
    if backend == Backend::Postgres {
        settings.redis_url = Some(required_env("TEST_REDIS_URL")?);
        settings.cache_prefix = format!("cb-test-{}:", uuid::Uuid::new_v4().simple());
    }
    tweak(&mut settings);
    let app = Application::build(settings, false)
        .await
        .expect("application starts");
    let port = app.port();
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let test_app = TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::new(),
        state,
        backend,
        sqlite_file,
    };
    test_app.create_root_admin().await;
    Some(test_app)
}

impl TestApp {
    async fn create_root_admin(&self) {
        let new = NewAccount {
            username: Username::parse(ADMIN).expect("valid username"),
            password: Password::parse(PASSWORD.into()).expect("valid password"),
            target: AccountTarget::System,
        };
        insert(
            &self.state.db,
            &Permit::for_operator(OperatorTask::CreateAdmin),
            new,
            None,
        )
        .await
        .expect("root admin");
    }

    /// The Prometheus text of `/metrics`.
    pub async fn metrics_text(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// POSTs a GraphQL request, with a bearer token if given; returns the JSON body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_in(None, token, query, variables).await
    }

    /// [`TestApp::gql`] with `Accept-Language: <language>` when given (`"en"`, `"zh-CN"`).
    pub async fn gql_in(
        &self,
        language: Option<&str>,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.address))
            .header("Accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(language) = language {
            req = req.header("Accept-Language", language);
        }
        let res = req.send().await.expect("request sent");
        res.json().await.expect("JSON body")
    }

    /// [`TestApp::ok`] in a language (`Accept-Language`).
    pub async fn ok_in(
        &self,
        language: &str,
        token: &str,
        query: &str,
        variables: Value,
        field: &str,
    ) -> Value {
        let body = self
            .gql_in(Some(language), Some(token), query, variables)
            .await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"][field].clone()
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = self
            .gql(
                None,
                "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }",
                json!({"u": username, "p": password}),
            )
            .await;
        body["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login as {username} failed: {body}"))
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN, PASSWORD).await
    }

    /// Runs a mutation that must succeed and returns `data.<field>`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value, field: &str) -> Value {
        let body = self.gql(Some(token), query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"][field].clone()
    }
}

/// The code of the first error of a response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

/// Declares each listed `async fn name(app: TestApp)` as two tests: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::spawn_app($crate::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::spawn_app($crate::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
    };
}

/// The key (a UUID) of a Relay global id such as `Q291cnNlOjEyMw==` ("Course:…").
pub fn uuid_of(global_id: &str) -> String {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(global_id)
        .expect("a global id");
    let text = String::from_utf8(bytes).expect("utf-8");
    text.split_once(':')
        .map(|(_, key)| key.to_owned())
        .expect("Type:key")
}
