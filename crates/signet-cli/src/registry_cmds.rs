//! The MLflow registry in the CLI: model URIs accepted wherever a model is named, and
//! `signet log MODEL_DIR ...`.
//!
//! * [`resolve_model`] turns `models:/name/3`, `models:/name@alias`, `models:/name/latest`,
//!   `models:/m-<id>`, `runs:/<run>/<path>`, `mlflow-artifacts:/...` and `file:` URIs into a
//!   local model directory (downloaded once into signet's cache, with a progress bar on a
//!   terminal); plain paths are returned as they are, without touching the network.
//! * `signet log` logs a model directory as `mlflow.<flavor>.log_model(...)` does, optionally
//!   registers it and moves an alias, and with `--require-compatible-with URI` refuses to
//!   register a version whose signature breaks the one at URI (`--allow-breaking` overrides).

use crate::error::CliError;
use clap::Args;
use signet_mlflow::log::{log_model, LogOptions};
use signet_mlflow::resolve::{cache_root, Resolver};
use signet_mlflow::{Client, Config, ModelUri};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Resolves a model argument (a path or a model URI) to a local model directory.
pub fn resolve_model(arg: &Path) -> Result<PathBuf, CliError> {
    let text = arg.to_string_lossy();
    let parsed = ModelUri::parse(&text).map_err(|e| CliError::new(e.to_string()))?;
    if let ModelUri::Local(p) = parsed {
        return Ok(p);
    }
    resolve_with(&text, None)
}

/// The name a model URI gives the model (`models:/fraud@champion` → `fraud`), if any.
pub fn uri_model_name(arg: &Path) -> Option<String> {
    match ModelUri::parse(&arg.to_string_lossy()).ok()? {
        ModelUri::Version { name, .. }
        | ModelUri::Alias { name, .. }
        | ModelUri::Latest { name }
        | ModelUri::Stage { name, .. } => Some(name),
        ModelUri::ModelId(id) => Some(id),
        _ => None,
    }
}

fn client(tracking_uri: Option<&str>) -> Result<Client, CliError> {
    let mut config = Config::from_env().map_err(|e| CliError::new(e.to_string()))?;
    if let Some(u) = tracking_uri {
        let u = u.trim_end_matches('/').to_string();
        if config.registry_uri == config.tracking_uri {
            config.registry_uri = Some(u.clone());
        }
        config.tracking_uri = Some(u);
    }
    let interactive = std::io::stderr().is_terminal();
    Ok(Client::new(config)
        .map_err(|e| CliError::new(e.to_string()))?
        .on_retry(move |n, wait, reason| {
            if interactive || n == 1 {
                eprintln!("signet: {reason}; retry {n} in {:.1} s", wait.as_secs_f64());
            }
        }))
}

fn resolve_with(uri: &str, tracking_uri: Option<&str>) -> Result<PathBuf, CliError> {
    let client = client(tracking_uri)?;
    let cache = cache_root().map_err(|e| CliError::new(e.to_string()))?;
    let resolver = Resolver::new(Some(&client), cache);
    let bar = std::io::stderr().is_terminal();
    let mut last = String::new();
    let result = resolver.resolve(uri, &mut |file, done, total| {
        if !bar {
            return;
        }
        let line = progress_line(file, done, total);
        if line != last {
            eprint!("\r{line}");
            let _ = std::io::stderr().flush();
            last = line;
        }
    });
    if !last.is_empty() {
        eprintln!();
    }
    result.map_err(|e| CliError::new(e.to_string()))
}

fn progress_line(file: &str, done: u64, total: Option<u64>) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    match total {
        Some(t) if t > 0 => {
            let filled = ((done.min(t) * 30) / t) as usize;
            format!(
                "downloading {name:<24} [{}{}] {:>7.1}/{:.1} MiB",
                "#".repeat(filled),
                " ".repeat(30 - filled),
                mib(done),
                mib(t)
            )
        }
        _ => format!("downloading {name:<24} {:>7.1} MiB", mib(done)),
    }
}

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
