//! Model URIs, accepted wherever the CLI names a model: [`resolve_model`] turns
//! `models:/name/3`, `models:/name@alias`, `models:/name/latest`, `models:/m-<id>`,
//! `runs:/<run>/<path>`, `mlflow-artifacts:/...` and `file:` URIs into a local model directory
//! (downloaded once into signet's cache, with a progress bar on a terminal); plain paths are
//! returned as they are, without touching the network.

use crate::error::CliError;
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

/// A client of the tracking server (`tracking_uri`, else `MLFLOW_TRACKING_URI`) that reports
/// its retries on stderr.
pub(crate) fn client(tracking_uri: Option<&str>) -> Result<Client, CliError> {
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

/// Resolves `uri` against `tracking_uri` (else the environment's server) to a local directory.
pub(crate) fn resolve_with(uri: &str, tracking_uri: Option<&str>) -> Result<PathBuf, CliError> {
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
