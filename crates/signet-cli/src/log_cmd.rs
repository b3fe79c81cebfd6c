//! `signet log MODEL_DIR ...`: logs a model directory as `mlflow.<flavor>.log_model(...)`
//! does, optionally registers it and moves an alias, and with `--require-compatible-with URI`
//! refuses to register a version whose signature breaks the one at URI (`--allow-breaking`
//! overrides).

use crate::error::CliError;
use crate::model_uri::{client, resolve_with};
use clap::Args;
use signet_mlflow::log::{log_model, LogOptions};
use signet_mlflow::ModelUri;
use std::path::PathBuf;

/// Arguments of `signet log`.
#[derive(Args)]
pub struct LogArgs {
    /// The model directory to log (an MLflow model: a directory with an MLmodel file).
    pub model_dir: PathBuf,
    /// The logged model's name (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The experiment, by name (created when missing; default: the run's, else Default).
    #[arg(long)]
    pub experiment: Option<String>,
    /// Log the model from this existing run.
    #[arg(long)]
    pub run_id: Option<String>,
    /// Create a run for the model (when no --run-id).
    #[arg(long)]
    pub new_run: bool,
    /// Register the model under this name (a new version).
    #[arg(long, value_name = "REGISTERED_NAME")]
    pub register_as: Option<String>,
    /// Point this alias of the registered model at the new version.
    #[arg(long, requires = "register_as")]
    pub alias: Option<String>,
    /// Refuse to log and register when the signature breaks the one at URI (a deployment
    /// gate): see `signet diff`.
    #[arg(long, value_name = "URI")]
    pub require_compatible_with: Option<String>,
    /// With --require-compatible-with: report breaking changes but log anyway.
    #[arg(long, requires = "require_compatible_with")]
    pub allow_breaking: bool,
    /// The tracking server (default: MLFLOW_TRACKING_URI).
    #[arg(long, value_name = "URI")]
    pub tracking_uri: Option<String>,
}

/// Runs `signet log`: prints the logged model's URI and, when registered, the version's.
pub fn log(args: &LogArgs) -> Result<(String, u8), CliError> {
    if let Some(base) = &args.require_compatible_with {
        let old = match ModelUri::parse(base).map_err(|e| CliError::new(e.to_string()))? {
            ModelUri::Local(p) => p,
            _ => resolve_with(base, args.tracking_uri.as_deref())?,
        };
        let report = crate::diff_cmd::compare_dirs(&old, &args.model_dir)?;
        if report.is_breaking() {
            let text = signet::diff::render_text(&report);
            if args.allow_breaking {
                eprintln!(
                    "signet: warning: breaking changes against {base} (--allow-breaking):\n{text}"
                );
            } else {
                eprint!("{text}");
                return Err(CliError::new(format!(
                    "refusing to log {}: its signature breaks {base} (pass --allow-breaking to log it anyway)",
                    args.model_dir.display()
                )));
            }
        }
    }
    let client = client(args.tracking_uri.as_deref())?;
    let opts = LogOptions {
        name: args.name.clone(),
        experiment: args.experiment.clone(),
        run_id: args.run_id.clone(),
        new_run: args.new_run,
        register_as: args.register_as.clone(),
        alias: args.alias.clone(),
    };
    let logged = log_model(&client, &args.model_dir, &opts, &mut |line| {
        eprintln!("signet: {line}")
    })
    .map_err(|e| CliError::new(e.to_string()))?;
    let mut out = format!("{}\n", logged.model_uri);
    if let (Some(name), Some(v)) = (&args.register_as, &logged.version) {
        out.push_str(&format!("models:/{name}/{v}\n"));
    }
    Ok((out, 0))
}
