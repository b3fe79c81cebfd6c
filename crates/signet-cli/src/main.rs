//! `signet`: infer MLflow-compatible model signatures from data files, check data files
//! against them, show, run and serve MLflow models. Thin glue over the library crates.

mod check;
mod diff_cmd;
mod error;
mod example_model;
mod infer;
mod log_cmd;
mod model_cmds;
mod model_uri;
mod package;
mod read;
mod serve;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};
use error::CliError;
use std::io::Write;
use std::process::ExitCode;

/// MLflow-compatible model signatures: infer them from sample data, check data against them.
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
    /// Check data files against a model signature's inputs and report every violation (exit
    /// code 0: valid, 1: violations, 2: usage or I/O error).
    Check(check::CheckArgs),
    /// Show an MLflow model: flavors, signature (columns, tensors, params) and input example.
    Show(model_cmds::ShowArgs),
    /// Predict with a model, like `mlflow models predict`: enforce the signature, run the
    /// model, print the predictions as JSON (exit code 1: input refused, 2: usage or I/O error).
    Predict(model_cmds::PredictArgs),
    /// Serve a model over HTTP, a drop-in for `mlflow models serve`: every request is parsed
    /// and checked against the signature before the model runs.
    Serve(serve::ServeArgs),
    /// Package an ONNX file as an MLflow model (loadable by `mlflow.pyfunc.load_model`), with
    /// a signature inferred from an input example and the model's own outputs.
    Package(package::PackageArgs),
    /// Compare two models' signatures and classify every change as breaking or compatible
    /// for existing callers (exit code 0: compatible, 1: breaking, 2: error). OLD and NEW are
    /// paths or model URIs (models:/name@alias, models:/name/3, runs:/ID/model, ...).
    Diff(diff_cmd::DiffArgs),
    /// Log a model directory to an MLflow tracking server (as mlflow.<flavor>.log_model
    /// does), optionally register it and set an alias; prints models:/m-... and
    /// models:/NAME/VERSION.
    Log(log_cmd::LogArgs),
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
        Command::Infer(args) => infer::run(&args).map(|out| (out, 0)),
        Command::Check(args) => check::run(&args),
        Command::Show(args) => model_cmds::show(&args),
        Command::Predict(args) => model_cmds::predict(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Package(args) => package::run(&args),
        Command::Diff(args) => diff_cmd::run(&args),
        Command::Log(args) => log_cmd::log(&args),
    };
    match result.and_then(|(out, code)| write_stdout(&out).map(|()| code)) {
        Ok(code) => ExitCode::from(code),
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
