//! `signet package --onnx FILE --input-example DATA OUT`: an ONNX file packaged as an MLflow
//! model directory, as `mlflow.onnx.save_model(onnx_model, OUT, input_example=...)` followed by
//! signature inference writes it.
//!
//! The signature's inputs are inferred from the example (read as `signet infer` reads data
//! files), its outputs from the model's own prediction on that example (so the output
//! columns are the ONNX graph's output names), its params from `--params`. The directory loads
//! in signet (`signet show / predict / serve OUT`) and in MLflow (`mlflow.pyfunc.load_model`
//! runs it with onnxruntime). The save is atomic: on any error nothing is left at `OUT`.

use crate::error::CliError;
use crate::infer::{render, Format};
use crate::read;
use clap::Args;
use signet::{signature_to_dict, ModelInput, Value};
use signet_model::{infer_from_example, InputExample, ModelError, SaveOptions};
use signet_onnx::{save_onnx_model, OnnxModel, OnnxSaveOptions};
use std::path::PathBuf;

/// Arguments of `signet package`.
#[derive(Args)]
pub struct PackageArgs {
    /// The ONNX model file to package (self-contained: no external tensor data).
    #[arg(long, value_name = "FILE")]
    pub onnx: PathBuf,

    /// Example model input (.csv, .parquet, .json, .jsonl, .arrow): saved as the model's input
    /// example and used to infer its signature.
    #[arg(long, value_name = "DATA")]
    pub input_example: PathBuf,

    /// Inference parameters of the example: a JSON object of name → default value (becomes
    /// the signature's params schema).
    #[arg(long, value_name = "FILE.json")]
    pub params: Option<PathBuf>,

    /// The Python version recorded for MLflow's virtualenv/conda environment managers.
    #[arg(long, default_value = "3.11")]
    pub python_version: String,

    /// The model directory to create (must not exist, or be empty).
    pub out: PathBuf,
}

/// Runs `signet package`: prints the saved signature (as in an MLmodel file).
pub fn run(args: &PackageArgs) -> Result<(String, u8), CliError> {
    let onnx = read::read_file(&args.onnx)?;
    let data = read::read_data(&args.input_example)?;
    let example = match &args.params {
        Some(p) => InputExample::with_params(data, read::read_params(p)?),
        None => InputExample::new(data),
    };
    // The signature first, so a model that cannot run on its example is an error, not a
    // directory without a signature.
    let model = OnnxModel::from_bytes(&onnx).map_err(|e| CliError::file(&args.onnx, e))?;
    let predict = |input: ModelInput, _: Option<&Value>| {
        model
            .predict(input)
            .map_err(|e| ModelError::Model(e.to_string()))
    };
    let signature = infer_from_example(&predict, &example).map_err(|e| {
        CliError::file(
            &args.input_example,
            format!("cannot infer the signature from the input example: {e}"),
        )
    })?;
    drop(model);
    let options = OnnxSaveOptions {
        model: SaveOptions {
            signature: Some(signature),
            input_example: Some(example),
            metadata: None,
        },
        python_version: args.python_version.clone(),
    };
    let saved = save_onnx_model(&args.out, &onnx, options).map_err(|e| match e {
        ModelError::Model(m) => CliError::file(&args.onnx, m),
        other => CliError::file(&args.out, other),
    })?;
    for w in &saved.warnings {
        eprintln!("signet: warning: {w}");
    }
    eprintln!(
        "signet: packaged {} as an MLflow model in {}",
        args.onnx.display(),
        args.out.display()
    );
    let signature = saved.mlmodel.signature.as_ref().map(signature_to_dict);
    Ok((
        signature.map_or_else(String::new, |s| render(&s, Format::Mlmodel)),
        0,
    ))
}
