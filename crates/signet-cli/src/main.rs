//! `signet`: infer (and later check) MLflow-compatible model signatures from data files.

mod error;
mod infer;
mod read;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};
use error::CliError;
use std::io::Write;
use std::process::ExitCode;

/// MLflow-compatible model signatures: infer them from sample data.
#[derive(Parser)]
#[command(name = "signet", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Infer a model signature from example input (and output) data, as MLflow's
    /// `infer_signature` does.
    Infer(infer::InferArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Bare `signet`: the help, on stderr, as a usage error.
            eprint!("{}", e.render());
            return ExitCode::from(error::EXIT_ERROR);
        }
        Err(e) if e.use_stderr() => {
            // Usage errors: clap's text ("error: ...", usage, hint) under our prefix.
            eprint!("signet: {}", e.render());
            return ExitCode::from(error::EXIT_ERROR);
        }
        // --help, --version.
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Infer(args) => infer::run(&args),
    };
    match result.and_then(|out| write_stdout(&out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("signet: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Writes a command's output; a closed pipe (`signet ... | head`) is not an error.
fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::new(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}
