//! The `credit-bank` command line (API.md "Process and HTTP").

use crate::auth::authz;
use crate::config::Settings;
use crate::services::accounts::{self, AccountTarget, NewAccount};
use crate::startup::{prepare, Application};
use crate::{db, demo, graphql, telemetry};
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
    /// Print the GraphQL schema (SDL).
    ExportSchema,
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
            let permit = authz::system_permit();
            let new = NewAccount {
                username,
                password,
                target: AccountTarget::System,
            };
            let account = accounts::insert(&state.db, &permit, new, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created SYSTEM_ADMIN {}", account.username);
        }
        Command::ExportSchema => {}
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
