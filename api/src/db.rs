//! Database connection: SQLite (a file, the default) or PostgreSQL, chosen by the URL.

use crate::fault_settings::FaultSettings;
use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection};
use std::time::Duration;

/// Connects with the default timeouts (`DB_ACQUIRE_TIMEOUT_MS` and friends unset).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, &FaultSettings::default()).await
}

/// Connects with `faults`' timeouts: a request waits at most `db_acquire_timeout` for a pooled
/// connection, so a stopped database fails requests fast instead of holding every worker.
pub async fn connect_with(url: &str, faults: &FaultSettings) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(faults.db_acquire_timeout)
        .acquire_timeout(faults.db_acquire_timeout)
        // A connection that died with the server is found out before a request gets it.
        .test_before_acquire(true);
    if url.starts_with("sqlite:") {
        // WAL lets readers run beside the one writer; the busy timeout makes concurrent writers
        // wait for each other instead of failing with "database is locked".
        opts.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    } else {
        opts.max_connections(20);
        let statement_timeout = faults.db_statement_timeout.as_millis().to_string();
        if faults.db_statement_timeout > Duration::ZERO {
            // Set per session at connect time: a runaway query is cancelled (SQLSTATE 57014,
            // answered UNAVAILABLE) instead of holding a connection for ever.
            opts.map_sqlx_postgres_opts(move |o| {
                o.options([("statement_timeout", statement_timeout.as_str())])
            });
        }
    }
    Database::connect(opts).await.with_context(|| {
        format!(
            "could not connect to the database at {}",
            crate::config::redact_url(url)
        )
    })
}

/// Brings the schema up to date and installs the shipped credit policies (a new version of a
/// built-in policy is stored when the binary ships a changed document).
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("database migration failed")?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        // SQLite gathers no statistics by itself; without them it reads the catalogue through
        // its status index and sorts, instead of walking the order's index (see the README's
        // index table). 0x10002: analyse every table whose statistics are missing or stale.
        db.execute_unprepared("PRAGMA optimize=0x10002")
            .await
            .context("could not gather SQLite statistics")?;
    }
    crate::services::policies::install_built_ins(db).await
}

pub async fn ping(db: &DatabaseConnection) -> anyhow::Result<()> {
    db.ping().await.context("database unreachable")
}

/// A ping that gives up after `within`, for readiness probes that must answer in a second.
pub async fn ping_within(db: &DatabaseConnection, within: Duration) -> anyhow::Result<()> {
    match tokio::time::timeout(within, db.ping()).await {
        Ok(answer) => answer.context("database unreachable"),
        Err(_) => anyhow::bail!("database did not answer within {} ms", within.as_millis()),
    }
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => "sqlite",
        DatabaseBackend::Postgres => "postgres",
        _ => "other",
    }
}

/// Whether any account exists: the demo data set is only ever loaded into an empty database.
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    use entities::accounts;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let n = accounts::Entity::find().count(db).await?;
    Ok(n == 0)
}
