//! The `credit-bank` command line (API.md "Process and HTTP").

use crate::auth::{OperatorTask, Permit};
use crate::config::Settings;
use crate::error::AppError;
use crate::services::accounts::{self, AccountTarget, NewAccount};
use crate::startup::{prepare, Application};
use crate::{db, demo, graphql, telemetry};

pub use crate::cli_imports::import_completions;
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use domain::identity::{Password, Username};
use std::io::BufRead;

#[derive(Parser, Debug)]
#[command(
    name = "credit-bank",
    version,
    about = "Teacher training credit bank: GraphQL server and tools"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run pending migrations, then serve HTTP on BIND.
    Serve {
        /// Load the demo data set if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Load the demo data set into an empty database.
    SeedDemo,
    /// Create a SYSTEM_ADMIN. The password comes from CREDIT_BANK_ADMIN_PASSWORD or the first line of stdin.
    CreateAdmin {
        #[arg(long)]
        username: String,
    },
    /// Post completions from a CSV (UTF-8 or GB18030) or XLSX file (the columns of
    /// importCompletions) for a course, in chunked transactions; re-running the same file after
    /// a crash completes it.
    ImportCompletions {
        /// The course's id (global id or UUID).
        #[arg(long)]
        course: String,
        file: std::path::PathBuf,
    },
    /// Bring an earlier platform's records into the ledger, CERTIFIED, from a CSV (UTF-8 or
    /// GB18030) or XLSX file (the columns of importCreditRecords), as the system; one record
    /// per (source, externalId), so re-running the same file changes nothing.
    ImportLedger {
        /// The platform the records come from, e.g. 青岛市教师教育信息化管理服务平台.
        #[arg(long)]
        source: String,
        file: std::path::PathBuf,
    },
    /// Print the GraphQL schema (SDL).
    ExportSchema,
    /// Measure: `bench import` (completions per second) or `bench read` (query latency).
    /// Adds generated data to DATABASE_URL: point it at a scratch database.
    Bench {
        #[command(subcommand)]
        which: BenchKind,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchKind {
    /// Imports generated completions through the import-completions path.
    Import {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    /// Imports generated records of an earlier platform through the import-ledger path, then
    /// the same file again (every row unchanged).
    ImportLedger {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    /// Time of `complianceStatistics` over a district of generated teachers.
    Compliance {
        #[arg(long, default_value_t = 10_000)]
        teachers: usize,
        #[arg(long, default_value_t = 50)]
        records_per_teacher: usize,
        /// Measure the teachers an earlier run loaded into this database (no loading).
        #[arg(long)]
        reuse: bool,
    },
    /// Time of `complianceStatistics` from snapshots generated in SQL, without ledgers (a
    /// million teachers in minutes; PostgreSQL only).
    Statistics {
        #[arg(long, default_value_t = 1_000_000)]
        teachers: usize,
    },
    /// p50/p99 of the catalogue's first page and of a credit account, on a large ledger.
    Read {
        #[arg(long, default_value_t = 10_000)]
        courses: usize,
        #[arg(long, default_value_t = 1_000_000)]
        records: usize,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::ExportSchema = cli.command {
        print!("{}", graphql::sdl());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    telemetry::init(settings.json_logs);
    match cli.command {
        Command::Serve { demo } => {
            let app = Application::build(settings, demo).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = db::connect(&settings.database_url).await?;
            db::migrate(&db).await?;
            println!("migrations are up to date");
        }
        Command::SeedDemo => {
            let state = prepare(settings).await?;
            if demo::seed_if_empty(&state).await? {
                println!(
                    "demo data loaded; every demo login uses the password {:?}",
                    demo::DEMO_PASSWORD
                );
            } else {
                bail!("the database already has accounts; demo data is only loaded into an empty database");
            }
        }
        Command::CreateAdmin { username } => {
            let username =
                Username::parse(&username).map_err(|e| anyhow::anyhow!("username: {e}"))?;
            let password = match std::env::var("CREDIT_BANK_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => read_password_line()?,
            };
            let password =
                Password::parse(password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
            let state = prepare(settings).await?;
            let permit = Permit::for_operator(OperatorTask::CreateAdmin);
            let new = NewAccount {
                username,
                password,
                target: AccountTarget::System,
            };
            // The command line speaks English, like the rest of its output.
            let account = accounts::insert(&state.db, &permit, new, None)
                .await
                .map_err(AppError::for_operator)?;
            println!("created SYSTEM_ADMIN {}", account.username);
        }
        Command::ImportCompletions { course, file } => {
            let state = prepare(settings).await?;
            let summary = crate::i18n::scope(
                crate::i18n::Lang::English,
                import_completions(&state, &course, &file),
            )
            .await?;
            println!("{summary}");
        }
        Command::ImportLedger { source, file } => {
            let state = prepare(settings).await?;
            let summary = crate::i18n::scope(
                crate::i18n::Lang::English,
                crate::cli_imports::import_ledger(&state, &source, &file),
            )
            .await?;
            println!("{summary}");
        }
        Command::ExportSchema => {}
        Command::Bench { which } => {
            let state = prepare(settings).await?;
            let report = match which {
                BenchKind::Import { rows } => crate::bench::import(&state, rows).await?,
                BenchKind::ImportLedger { rows } => {
                    crate::bench::import_ledger(&state, rows).await?
                }
                BenchKind::Compliance {
                    teachers,
                    records_per_teacher,
                    reuse,
                } => crate::bench::compliance(&state, teachers, records_per_teacher, reuse).await?,
                BenchKind::Statistics { teachers } => {
                    crate::bench::statistics(&state, teachers).await?
                }
                BenchKind::Read { courses, records } => {
                    crate::bench::read(&state, courses, records).await?
                }
            };
            println!("database: {}", db::backend_name(&state.db));
            for line in report.0 {
                println!("{line}");
            }
        }
    }
    Ok(())
}

fn read_password_line() -> anyhow::Result<String> {
    eprintln!("password for the new admin (one line on stdin):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("could not read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
