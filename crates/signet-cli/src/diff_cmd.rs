//! `signet diff OLD NEW [--format text|json]`: every change between two models' signatures,
//! classified breaking or compatible (`signet::diff`); OLD and NEW are model directories,
//! MLmodel files or model URIs. Exit code 0: compatible, 1: breaking, 2: error.

use crate::error::CliError;
use crate::model_uri::resolve_model;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn model_with_inputs(root: &Path, name: &str, extra: &str) -> PathBuf {
        let src =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/models/house_price/MLmodel");
        let text = std::fs::read_to_string(src).unwrap();
        let text = text.replace(
            r#"{"type": "long", "name":
    "bedrooms", "required": true}]'"#,
            &format!(r#"{{"type": "long", "name": "bedrooms", "required": true}}{extra}]'"#),
        );
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("MLmodel"), text).unwrap();
        dir
    }

    #[test]
    fn exit_codes_and_formats() {
        let root = std::env::temp_dir().join(format!("signet-cli-diff-{}", std::process::id()));
        let old = model_with_inputs(&root, "old", "");
        let same = model_with_inputs(&root, "same", "");
        let new = model_with_inputs(
            &root,
            "new",
            r#", {"type": "long", "name": "baths", "required": true}"#,
        );
        let args = |a: &Path, b: &Path, format| DiffArgs {
            old: a.to_path_buf(),
            new: b.to_path_buf(),
            format,
        };
        let (text, code) = run(&args(&old, &same, DiffFormat::Text)).unwrap();
        assert_eq!(
            (text.as_str(), code),
            ("no changes: the signatures are identical\n", 0)
        );
        let (text, code) = run(&args(&old, &new, DiffFormat::Text)).unwrap();
        assert_eq!(code, 1);
        assert!(
            text.starts_with("BREAKING    inputs baths added: long (required)\n"),
            "{text}"
        );
        let (json, code) = run(&args(&new, &old, DiffFormat::Json)).unwrap();
        assert_eq!(code, 0);
        assert!(json.starts_with(r#"{"breaking": false, "changes": [{"section": "inputs", "item": "baths", "kind": "removed""#), "{json}");
        let err = run(&args(&old, &root.join("missing"), DiffFormat::Text)).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string()
                .contains("Could not find an \"MLmodel\" configuration file"),
            "{err}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
