use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = credit_bank::cli::Cli::parse();
    match credit_bank::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The whole cause chain, once, for the operator.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
