//! `signet infer DATA [--output DATA] [--params FILE.json] [--format json|pretty|mlmodel]`.

use crate::error::CliError;
use crate::read;
use clap::{Args, ValueEnum};
use signet::{infer_signature, pyjson, signature_to_dict, SignatureDict, Value};
use std::path::PathBuf;

/// Arguments of `signet infer`.
#[derive(Args)]
pub struct InferArgs {
    /// Example model input: .csv, .parquet, .json (one JSON value, e.g. a list of records),
    /// .jsonl (one JSON value per line), or .arrow/.ipc/.feather (Arrow IPC file or stream).
    pub data: PathBuf,

    /// Example model output, in any of the same formats.
    #[arg(long, value_name = "DATA")]
    pub output: Option<PathBuf>,

    /// Inference parameters: a JSON object of name → default value.
    #[arg(long, value_name = "FILE.json")]
    pub params: Option<PathBuf>,

    /// How to print the signature.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Output forms of the inferred signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `json.dumps(signature.to_dict())` on one line.
    Json,
    /// The same dict, indented (`json.dumps(..., indent=2)`).
    Pretty,
    /// The `signature:` block of an MLmodel file.
    Mlmodel,
}

/// Runs `signet infer` and returns what to print.
pub fn run(args: &InferArgs) -> Result<String, CliError> {
    let input = read::read_data(&args.data)?;
    let output = args.output.as_deref().map(read::read_data).transpose()?;
    let params = args.params.as_deref().map(read::read_params).transpose()?;
    let signature = infer_signature(Some(&input), output.as_ref(), params.as_deref())
        .map_err(|e| CliError::new(format!("cannot infer a signature: {e}")))?;
    Ok(render(&signature_to_dict(&signature), args.format))
}

/// The signature's dict form in the requested format, ending with a newline.
pub fn render(dict: &SignatureDict, format: Format) -> String {
    let part = |s: &Option<String>| s.clone().map_or(Value::None, Value::Str);
    let value = Value::dict([
        ("inputs", part(&dict.inputs)),
        ("outputs", part(&dict.outputs)),
        ("params", part(&dict.params)),
    ]);
    match format {
        Format::Json => pyjson::dumps(&value) + "\n",
        Format::Pretty => pyjson::dumps_indent(&value, 2) + "\n",
        Format::Mlmodel => signet_model::signature_block(dict),
    }
}
