//! Configuration from the environment (a `.env` file is read first when present).
//! Every setting has a safe development default; `CREDIT_BANK_ENV=production` turns the
//! defaults that are only fit for a laptop into errors or off switches.

use anyhow::{bail, Context};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone)]
pub struct Settings {
    pub environment: Environment,
    pub database_url: String,
    pub redis_url: Option<String>,
    /// Prefix for every cache key, so that several deployments (or tests) can share one Redis.
    pub cache_prefix: String,
    pub bind: String,
    pub jwt_secret: Vec<u8>,
    pub token_ttl: Duration,
    pub introspection: bool,
    pub max_body_bytes: usize,
    pub max_upload_bytes: usize,
    pub limits: QueryLimits,
    pub login_attempts: LoginLimit,
    /// HTTP worker threads; `None` lets actix use one per core.
    pub workers: Option<usize>,
    /// Snapshot rounds run side by side in this replica (`SNAPSHOT_WORKERS`); `None`: two per
    /// core on PostgreSQL, one on SQLite (see [`Settings::snapshot_workers`]).
    pub snapshot_workers: Option<usize>,
    /// One JSON object per log line (production) instead of the compact human format.
    pub json_logs: bool,
    /// Where the transcript signing key comes from.
    pub signing_key: crate::signing::KeySource,
    /// Public keys of earlier signing keys: they still verify transcripts they signed.
    pub retired_signing_keys: Vec<String>,
    /// The issuer URL written into transcripts.
    pub public_url: String,
    /// How long a `complianceStatistics` result is served from the cache (zero: never cached).
    pub statistics_ttl: Duration,
    /// Origins allowed to call the API from a browser (`CORS_ALLOWED_ORIGINS`); empty: none.
    pub cors_allowed_origins: Vec<String>,
    /// The zone whose civil date is "today" (`TIME_ZONE`, default `Asia/Shanghai`).
    pub time_zone: chrono_tz::Tz,
    /// The longest `max-age` a public GET answer may carry (`HTTP_CACHE_MAX_AGE_SECONDS`; the
    /// schema's hints give each field's own; zero turns public caching off).
    pub http_cache_max_age: Duration,
    /// The longest an anonymous public answer is kept by the server itself
    /// (`RESPONSE_CACHE_SECONDS`, default 30; zero turns the response cache off).
    pub response_cache: Duration,
    /// Timeouts that make a request fail fast when a dependency is down (README "Faults").
    pub faults: crate::fault_settings::FaultSettings,
    /// Limits on a GraphQL document checked before it is parsed.
    pub documents: crate::fault_settings::DocumentLimits,
    /// The webhook delivery worker (README "Webhooks").
    pub webhooks: crate::webhooks::WebhookSettings,
    /// Peers whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`; empty: none).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub depth: usize,
    pub complexity: usize,
    pub aliases: usize,
    pub directives: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct LoginLimit {
    /// Failed logins allowed per account from one address within `window` before the next
    /// attempt must wait (`RATE_LIMITED`); an address gets 5 times as many across accounts, an
    /// account 20 times as many across addresses (see `services::login_limit`).
    pub max_failures: u64,
    pub window: Duration,
    /// The first wait; each further failure doubles it, up to `window`.
    pub first_delay: Duration,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret or a database password.
        f.debug_struct("Settings")
            .field("environment", &self.environment)
            .field("bind", &self.bind)
            .field("database", &redact_url(&self.database_url))
            .field("redis", &self.redis_url.as_deref().map(redact_url))
            .field("introspection", &self.introspection)
            .finish_non_exhaustive()
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://credit-bank.db?mode=rwc";

impl Settings {
    /// Defaults for development and tests: in-process cache, a random signing secret.
    pub fn development(database_url: impl Into<String>) -> Self {
        Settings {
            environment: Environment::Development,
            database_url: database_url.into(),
            redis_url: None,
            cache_prefix: "credit-bank:".into(),
            bind: "127.0.0.1:8080".into(),
            jwt_secret: random_secret(),
            token_ttl: Duration::from_secs(8 * 3600),
            introspection: true,
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            limits: QueryLimits {
                // GraphiQL's own introspection query is 15 levels deep.
                depth: 15,
                complexity: 5_000,
                aliases: 30,
                directives: 20,
            },
            login_attempts: LoginLimit {
                max_failures: 10,
                window: Duration::from_secs(15 * 60),
                first_delay: Duration::from_secs(2),
            },
            workers: None,
            snapshot_workers: None,
            json_logs: false,
            signing_key: crate::signing::KeySource::Ephemeral,
            retired_signing_keys: Vec::new(),
            public_url: "http://127.0.0.1:8080".into(),
            statistics_ttl: Duration::from_secs(300),
            cors_allowed_origins: Vec::new(),
            time_zone: chrono_tz::Asia::Shanghai,
            http_cache_max_age: Duration::from_secs(300),
            response_cache: Duration::from_secs(30),
            faults: Default::default(),
            documents: Default::default(),
            webhooks: Default::default(),
            trusted_proxies: Vec::new(),
        }
    }

    /// How many snapshot rounds this replica runs at once. A round spends about half its time
    /// waiting for the database, so two per core keep the cores busy (measured: README
    /// "Benchmarks"); SQLite has one writer, so a second round there would only wait.
    pub fn snapshot_workers(&self) -> usize {
        match self.snapshot_workers {
            Some(n) => n,
            None if self.database_url.starts_with("sqlite:") => 1,
            None => 2 * std::thread::available_parallelism().map_or(1, usize::from),
        }
    }

    pub fn from_env() -> anyhow::Result<Self> {
        let _ = dotenvy::dotenv();
        let environment = match var("CREDIT_BANK_ENV").as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                bail!("CREDIT_BANK_ENV must be development or production, not {other:?}")
            }
        };
        let mut s = Settings::development(
            var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
        );
        s.environment = environment;
        s.redis_url = var("REDIS_URL");
        if let Some(prefix) = var("CACHE_PREFIX") {
            s.cache_prefix = prefix;
        }
        if let Some(bind) = var("BIND") {
            s.bind = bind;
        }
        match var("JWT_SECRET") {
            Some(secret) if secret.len() >= 32 => s.jwt_secret = secret.into_bytes(),
            Some(_) => bail!("JWT_SECRET must be at least 32 characters"),
            None if environment == Environment::Production => {
                bail!("JWT_SECRET is required in production (every replica must share it)")
            }
            None => {}
        }
        if let Some(ttl) = var("TOKEN_TTL_SECONDS") {
            let secs: u64 = ttl
                .parse()
                .context("TOKEN_TTL_SECONDS must be a whole number")?;
            s.token_ttl = Duration::from_secs(secs.clamp(60, 7 * 24 * 3600));
        }
        s.introspection = match var("GRAPHQL_INTROSPECTION") {
            Some(v) => parse_bool("GRAPHQL_INTROSPECTION", &v)?,
            None => environment == Environment::Development,
        };
        s.json_logs = match var("LOG_FORMAT").as_deref() {
            Some("json") => true,
            Some("text") => false,
            Some(other) => bail!("LOG_FORMAT must be json or text, not {other:?}"),
            None => environment == Environment::Production,
        };
        s.signing_key = match (var("SIGNING_KEY"), var("SIGNING_KEY_FILE")) {
            (Some(seed), _) => crate::signing::KeySource::Seed(seed),
            (None, file) => crate::signing::KeySource::File(
                file.unwrap_or_else(|| "credit-bank-signing.key".into())
                    .into(),
            ),
        };
        if let Some(keys) = var("SIGNING_KEYS_RETIRED") {
            s.retired_signing_keys = keys
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect();
        }
        s.read_serving()?;
        s.faults = crate::fault_settings::FaultSettings::from_env()?;
        s.documents = crate::fault_settings::DocumentLimits::from_env()?;
        s.webhooks = crate::webhooks::WebhookSettings::from_env()?;
        Ok(s)
    }

    /// How the server serves: its public address, workers, body caps, cache lifetimes, CORS,
    /// time zone and trusted proxies.
    fn read_serving(&mut self) -> anyhow::Result<()> {
        if let Some(url) = var("PUBLIC_URL") {
            self.public_url = url.trim_end_matches('/').to_owned();
        }
        if let Some(v) = var("WORKERS") {
            self.workers = Some(v.parse().context("WORKERS must be a whole number")?);
        }
        if let Some(v) = var("SNAPSHOT_WORKERS") {
            let n: usize = v
                .parse()
                .context("SNAPSHOT_WORKERS must be a whole number")?;
            self.snapshot_workers = Some(n.clamp(1, 16));
        }
        if let Some(v) = var("MAX_BODY_BYTES") {
            self.max_body_bytes = v.parse().context("MAX_BODY_BYTES must be a whole number")?;
        }
        if let Some(v) = var("MAX_UPLOAD_BYTES") {
            self.max_upload_bytes = v
                .parse()
                .context("MAX_UPLOAD_BYTES must be a whole number")?;
        }
        if let Some(ttl) = seconds("STATISTICS_TTL_SECONDS")? {
            self.statistics_ttl = ttl;
        }
        if let Some(origins) = var("CORS_ALLOWED_ORIGINS") {
            self.cors_allowed_origins = parse_origins(&origins)?;
        }
        if let Some(zone) = var("TIME_ZONE") {
            self.time_zone = zone.parse().map_err(|_| {
                anyhow::anyhow!(
                    "TIME_ZONE must be an IANA zone such as Asia/Shanghai, not {zone:?}"
                )
            })?;
        }
        if let Some(age) = seconds("HTTP_CACHE_MAX_AGE_SECONDS")? {
            self.http_cache_max_age = age;
        }
        if let Some(kept) = seconds("RESPONSE_CACHE_SECONDS")? {
            self.response_cache = kept;
        }
        if let Some(list) = var("TRUSTED_PROXIES") {
            self.trusted_proxies = parse_proxies(&list)?;
        }
        Ok(())
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

pub(crate) fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A whole number of seconds from `name`, when set.
fn seconds(name: &str) -> anyhow::Result<Option<Duration>> {
    var(name)
        .map(|v| {
            v.parse()
                .map(Duration::from_secs)
                .with_context(|| format!("{name} must be a whole number"))
        })
        .transpose()
}

/// `https://a.example, http://localhost:5173` → each origin, checked to be `scheme://host[:port]`.
fn parse_origins(list: &str) -> anyhow::Result<Vec<String>> {
    list.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let rest = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains('/') => {
                    Ok(o.trim_end_matches('/').to_owned())
                }
                _ => bail!(
                    "CORS_ALLOWED_ORIGINS lists origins such as https://portal.example, not {o:?}"
                ),
            }
        })
        .collect()
}

/// `10.0.0.0/8, 127.0.0.1` → address ranges (a bare address is a range of one).
fn parse_proxies(list: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "TRUSTED_PROXIES lists addresses or ranges (10.0.0.0/8), not {p:?}"
                    )
                })
        })
        .collect()
}

fn parse_bool(name: &str, v: &str) -> anyhow::Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{name} must be true or false"),
    }
}

fn random_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_rounds_are_two_per_core_on_postgres_and_one_on_sqlite() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let mut pg = Settings::development("postgres://postgres@127.0.0.1/cb");
        assert_eq!(pg.snapshot_workers(), 2 * cores);
        pg.snapshot_workers = Some(3);
        assert_eq!(pg.snapshot_workers(), 3);
        let sqlite = Settings::development("sqlite://cb.db?mode=rwc");
        assert_eq!(sqlite.snapshot_workers(), 1);
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            redact_url("sqlite://credit-bank.db?mode=rwc"),
            "sqlite://credit-bank.db?mode=rwc"
        );
        assert_eq!(
            redact_url("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
    }
}
