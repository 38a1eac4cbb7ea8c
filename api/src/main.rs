use clap::Parser;
use std::process::ExitCode;

// glibc's allocator took a fifth of the server's CPU under load (many small, short-lived
// allocations per GraphQL request, across threads); mimalloc serves them from thread-local pages.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
