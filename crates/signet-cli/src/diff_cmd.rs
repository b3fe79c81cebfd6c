//! `signet diff OLD NEW [--format text|json]`: every change between two models' signatures,
//! classified breaking or compatible (`signet::diff`); OLD and NEW are model directories,
//! MLmodel files or model URIs. Exit code 0: compatible, 1: breaking, 2: error.

use crate::error::CliError;
use crate::registry_cmds::resolve_model;
use clap::{Args, ValueEnum};
use signet::diff::{diff_signatures, render_json, render_text, DiffReport};
use signet_model::MlModel;
use std::path::{Path, PathBuf};

/// Output formats of `signet diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per change and a verdict.
    Text,
    /// `{"breaking": ..., "changes": [...]}`.
    Json,
}

/// Arguments of `signet diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// The old model: a directory, an MLmodel file or a model URI (models:/name@champion).
    pub old: PathBuf,
    /// The new model, likewise.
    pub new: PathBuf,
    /// The output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// Compares the signatures of two local model directories (or MLmodel files).
pub fn compare_dirs(old: &Path, new: &Path) -> Result<DiffReport, CliError> {
    let (o, _) = MlModel::load(old).map_err(|e| CliError::file(old, e))?;
    let (n, _) = MlModel::load(new).map_err(|e| CliError::file(new, e))?;
    Ok(diff_signatures(o.signature.as_ref(), n.signature.as_ref()))
}

/// Runs `signet diff`.
pub fn run(args: &DiffArgs) -> Result<(String, u8), CliError> {
    let old = resolve_model(&args.old)?;
    let new = resolve_model(&args.new)?;
    let report = compare_dirs(&old, &new)?;
    let text = match args.format {
        DiffFormat::Text => render_text(&report),
        DiffFormat::Json => render_json(&report),
    };
    Ok((text, u8::from(report.is_breaking())))
}
