//! `signet show MODEL` and `signet predict MODEL DATA [--params FILE] [--compat MODE]`: the
//! MLflow model directory commands.
//!
//! * `show` reads any MLflow model (directory or `MLmodel` file) — nothing in it is executed —
//!   and prints its flavors, its signature as tables (columns: name, type, required; tensors:
//!   name, dtype, shape), its params with defaults and its input example.
//! * `predict` is `mlflow models predict -m MODEL -i DATA`: the data file is read as the
//!   scoring server reads a request body (`.json`: `dataframe_split`, `dataframe_records`,
//!   `inputs`, `instances` or the LLM form; `.csv`; `.parquet`), the signature is enforced,
//!   the model runs, and the predictions are printed as MLflow prints them
//!   (`{"predictions": ...}`). `--params FILE.json` replaces the request's params.
//!   Refused input exits with 1 after printing MLflow's message (`Failed to enforce schema of
//!   data '...' with schema '...'. Error: ...`, or the scoring server's message for a body it
//!   cannot read); usage, I/O and model-loading errors exit with 2.
//!
//! The CLI registers the ONNX engine (`onnx` flavor), the native scikit-learn engine (`sklearn`
//! flavor, skops files) and no Rust model type; for other models
//! it explains which flavor it cannot run. Programs embedding signet-model register their own
//! types.

use crate::error::CliError;
use crate::read;
use clap::{Args, ValueEnum};
use signet::enforce::Compat;
use signet::repr;
use signet::types::{ColSpec, ParamShape, Schema, SchemaKind, TensorSpec};
use signet::{pyjson, ModelInput, Value};
use signet_model::example::{example_display_json, load_input_example};
use signet_model::{load_model, MlModel, ModelError, Registry, Yaml};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `signet show`.
#[derive(Args)]
pub struct ShowArgs {
    /// The model: a model directory, its MLmodel file or a model URI (models:/name@alias,
    /// models:/name/3, runs:/ID/model, ...).
    pub model: PathBuf,
}

/// Arguments of `signet predict`.
#[derive(Args)]
pub struct PredictArgs {
    /// The model: a model directory, its MLmodel file or a model URI (models:/name@alias,
    /// models:/name/3, runs:/ID/model, ...).
    pub model: PathBuf,

    /// The input, as a scoring request body: .json (`{"dataframe_split": ...}`,
    /// `{"dataframe_records": ...}`, `{"inputs": ...}`, `{"instances": ...}`), .csv or
    /// .parquet.
    pub data: PathBuf,

    /// Inference parameters: a JSON object of name → value (replaces the request's params).
    #[arg(long, value_name = "FILE.json")]
    pub params: Option<PathBuf>,

    /// How faithfully to reproduce MLflow's conversions: `strict` refuses the lossy ones.
    #[arg(long, value_enum, default_value_t = CompatArg::Strict)]
    pub compat: CompatArg,
}

/// `--compat` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompatArg {
    /// MLflow's decisions, lossy conversions refused.
    Strict,
    /// Exactly MLflow's decisions, quirks included.
    Mlflow,
}

impl From<CompatArg> for Compat {
    fn from(arg: CompatArg) -> Compat {
        match arg {
            CompatArg::Strict => Compat::Strict,
            CompatArg::Mlflow => Compat::Mlflow,
        }
    }
}

/// The program's registry: every flavor signet runs natively ([`signet_flavors::registry`]).
pub(crate) fn registry() -> Registry {
    signet_flavors::registry()
}

fn model_error(path: &Path, e: ModelError) -> CliError {
    CliError::file(path, e)
}

/// Runs `signet show`: the text to print and the exit code.
pub fn show(args: &ShowArgs) -> Result<(String, u8), CliError> {
    let local = crate::model_uri::resolve_model(&args.model)?;
    let (model, dir) = MlModel::load(&local).map_err(|e| model_error(&args.model, e))?;
    let mut out = String::new();
    let _ = writeln!(out, "model: {}", dir.display());
    let text = |y: &Yaml| match y {
        Yaml::Null => "-".to_string(),
        Yaml::Str(s) => s.clone(),
        Yaml::Bool(b) => b.to_string(),
        other => repr::py_str_of(&other.to_value()),
    };
    let _ = writeln!(
        out,
        "mlflow_version: {}   created: {}   model_uuid: {}",
        text(&model.mlflow_version),
        model.utc_time_created,
        text(&model.model_uuid)
    );
    if let Some(size) = &model.model_size_bytes {
        let _ = writeln!(out, "model_size_bytes: {}", text(size));
    }
    out.push_str("\nflavors:\n");
    if model.flavors.is_empty() {
        out.push_str("  (none)\n");
    }
    for (name, conf) in &model.flavors {
        let details: Vec<String> = match conf {
            Yaml::Map(m) => m
                .iter()
                .filter(|(_, v)| !matches!(v, Yaml::Map(_) | Yaml::Seq(_) | Yaml::Null))
                .map(|(k, v)| format!("{k}: {}", text(v)))
                .collect(),
            _ => Vec::new(),
        };
        let _ = writeln!(out, "  {name}  ({})", details.join(", "));
    }
    match &model.signature {
        None => out.push_str("\nsignature: none\n"),
        Some(sig) => {
            schema_section(&mut out, "inputs", sig.inputs.as_ref());
            schema_section(&mut out, "outputs", sig.outputs.as_ref());
            match &sig.params {
                Some(p) if !p.is_empty() => {
                    out.push_str("\nparams:\n");
                    let mut rows = vec![vec![
                        "name".to_string(),
                        "type".into(),
                        "default".into(),
                        "shape".into(),
                    ]];
                    for spec in p.params() {
                        rows.push(vec![
                            spec.name().to_string(),
                            repr::param_type_repr(spec.dtype()),
                            repr::py_repr(spec.default()),
                            match spec.shape() {
                                ParamShape::Scalar => "-".into(),
                                ParamShape::List => "(-1,)".into(),
                            },
                        ]);
                    }
                    table(&mut out, &rows);
                }
                _ => out.push_str("\nparams: none\n"),
            }
        }
    }
    match load_input_example(&dir, &model) {
        Ok(None) => out.push_str("\ninput example: none\n"),
        Ok(Some(ex)) => {
            let _ = writeln!(
                out,
                "\ninput example ({}, {}):",
                ex.info.kind, ex.info.artifact_path
            );
            let shown = match &ex.data {
                ModelInput::Sparse(m) => format!(
                    "{} matrix {}x{}, stored values {}",
                    if m.csr { "CSR" } else { "CSC" },
                    m.shape.0,
                    m.shape.1,
                    pyjson::dumps(&example_display_json(&ex.data))
                ),
                data => pyjson::dumps(&example_display_json(data)),
            };
            let _ = writeln!(out, "  {}", clip(&shown));
            if let Some(p) = &ex.params {
                let _ = writeln!(out, "  params: {}", clip(&pyjson::dumps(p)));
            }
        }
        Err(e) => {
            let _ = writeln!(out, "\ninput example: cannot be read: {e}");
        }
    }
    Ok((out, 0))
}

fn clip(s: &str) -> String {
    const MAX: usize = 2000;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head} ... ({} characters)", s.chars().count())
    }
}

fn schema_section(out: &mut String, what: &str, schema: Option<&Schema>) {
    let Some(schema) = schema else {
        let _ = writeln!(out, "\n{what}: none");
        return;
    };
    match schema.kind() {
        SchemaKind::Columns(cols) => {
            let _ = writeln!(out, "\n{what} (columns):");
            let mut rows = vec![vec!["name".to_string(), "type".into(), "required".into()]];
            rows.extend(cols.iter().map(col_row));
            table(out, &rows);
        }
        SchemaKind::Tensors(tensors) => {
            let _ = writeln!(out, "\n{what} (tensors):");
            let mut rows = vec![vec!["name".to_string(), "dtype".into(), "shape".into()]];
            rows.extend(tensors.iter().map(tensor_row));
            table(out, &rows);
        }
    }
}

fn col_row(c: &ColSpec) -> Vec<String> {
    vec![
        c.name.as_ref().map_or("-".into(), |n| n.as_text()),
        repr::coltype_repr(&c.ty),
        if c.is_required() { "yes" } else { "no" }.into(),
    ]
}

fn tensor_row(t: &TensorSpec) -> Vec<String> {
    vec![
        t.name.clone().unwrap_or_else(|| "-".into()),
        t.dtype.name(),
        repr::shape_repr(&t.shape),
    ]
}

/// Left-aligned columns, two spaces apart, indented by two.
fn table(out: &mut String, rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (i, cell) in row.iter().enumerate() {
            line.push(' ');
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count() + 1;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Runs `signet predict`: the predictions to print and the exit code (refusals print their
/// message on stderr and give 1).
pub fn predict(args: &PredictArgs) -> Result<(String, u8), CliError> {
    predict_with(args, &registry())
}

/// [`predict`] with the model types and flavors of `registry`.
fn predict_with(args: &PredictArgs, registry: &Registry) -> Result<(String, u8), CliError> {
    let content_type =
        match args
            .data
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => "application/json",
            Some("csv") => "text/csv",
            Some("parquet") => "application/vnd.apache.parquet",
            _ => return Err(CliError::file(
                &args.data,
                "unsupported input format: use .json (a scoring request body), .csv or .parquet",
            )),
        };
    let body = std::fs::read(&args.data).map_err(|e| CliError::file(&args.data, e.to_string()))?;
    let params = match &args.params {
        Some(p) => Some(Value::Dict(
            read::read_params(p)?
                .into_iter()
                .map(|(k, v)| (Value::Str(k), v))
                .collect(),
        )),
        None => None,
    };
    let local = crate::model_uri::resolve_model(&args.model)?;
    let mut model = load_model(&local, registry).map_err(|e| model_error(&args.model, e))?;
    let compat: Compat = args.compat.into();
    model.set_compat(compat);
    let parsed = match signet_protocol::request::parse_request(
        Some(content_type),
        &body,
        model.signature(),
        compat,
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("signet: error: {}: {}", args.data.display(), e.message);
            return Ok((String::new(), 1));
        }
    };
    let params = params.or(parsed.params);
    match model.predict(parsed.input, params.as_ref()) {
        Ok(output) => Ok((render(&output, parsed.unified_llm), 0)),
        Err(e @ ModelError::Enforce { .. }) => {
            eprintln!("signet: error: {e}");
            Ok((String::new(), 1))
        }
        Err(e) => Err(CliError::new(format!("the model failed: {e}"))),
    }
}

fn render(output: &ModelInput, unified_llm: bool) -> String {
    let mut text = String::from_utf8_lossy(&signet_protocol::render::predictions_json(
        output,
        unified_llm,
    ))
    .into_owned();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array, RecordBatch};
    use signet_model::{save_model, InputExample};
    use signet_testkit::echo::EchoModel as Echo;
    use std::sync::Arc;

    fn saved_model(root: &Path) -> PathBuf {
        let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500, 2000]));
        let bedrooms: ArrayRef = Arc::new(Int64Array::from(vec![3, 4]));
        let table = RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", bedrooms)]).unwrap();
        let dir = root.join("model");
        save_model(
            &dir,
            &Echo,
            None,
            Some(InputExample::with_params(
                ModelInput::Table(table),
                vec![("k".into(), Value::Int(5))],
            )),
        )
        .unwrap();
        dir
    }

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "signet-cli-model-{name}-{}",
            &signet_model::mlmodel::uuid4_hex()[..10]
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn args(model: &Path, data: &Path) -> PredictArgs {
        PredictArgs {
            model: model.to_path_buf(),
            data: data.to_path_buf(),
            params: None,
            compat: CompatArg::Strict,
        }
    }

    #[test]
    fn show_prints_flavors_signature_params_and_example() {
        let root = scratch("show");
        let dir = saved_model(&root);
        let (out, code) = show(&ShowArgs { model: dir.clone() }).unwrap();
        assert_eq!(code, 0);
        for expected in [
            "signet  (data: model_state, model_type: echo, signet_version: ",
            "inputs (columns):\n  name      type  required\n  sqft      long  yes\n  bedrooms  long  yes\n",
            "params:\n  name  type  default  shape\n  k     long  5        -\n",
            "input example (dataframe, input_example.json):\n  {\"columns\": [\"sqft\", \"bedrooms\"], \"data\": [[1500, 3], [2000, 4]]}\n  params: {\"k\": 5}\n",
        ] {
            assert!(out.contains(expected), "{expected:?} not in\n{out}");
        }
        let missing = root.join("nope");
        let err = show(&ShowArgs {
            model: missing.clone(),
        })
        .unwrap_err();
        let want = format!(
            "Could not find an \"MLmodel\" configuration file at \"{}\"",
            missing.display()
        );
        assert!(err.to_string().ends_with(&want), "{err}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn predict_enforces_and_prints_predictions() {
        let root = scratch("predict");
        let dir = saved_model(&root);
        let mut registry = Registry::new();
        registry.register::<Echo>("echo");
        let good = root.join("good.json");
        std::fs::write(
            &good,
            r#"{"dataframe_split": {"columns": ["sqft", "bedrooms"], "data": [[1500, 3]]}}"#,
        )
        .unwrap();
        let (out, code) = predict_with(&args(&dir, &good), &registry).unwrap();
        assert_eq!(code, 0);
        assert_eq!(
            out,
            "{\"predictions\": [{\"sqft\": 1500, \"bedrooms\": 3}]}\n"
        );

        let missing = root.join("missing.json");
        std::fs::write(
            &missing,
            r#"{"dataframe_split": {"columns": ["sqft", "bathrooms"], "data": [[1500, 2]]}}"#,
        )
        .unwrap();
        assert_eq!(
            predict_with(&args(&dir, &missing), &registry).unwrap(),
            (String::new(), 1)
        );
        let garbage = root.join("garbage.json");
        std::fs::write(&garbage, "{not json").unwrap();
        assert_eq!(
            predict_with(&args(&dir, &garbage), &registry).unwrap(),
            (String::new(), 1)
        );
        // Usage / loading errors are CliErrors (exit 2).
        let txt = root.join("data.txt");
        std::fs::write(&txt, "x").unwrap();
        assert_eq!(
            predict_with(&args(&dir, &txt), &registry).unwrap_err().to_string(),
            format!(
                "{}: unsupported input format: use .json (a scoring request body), .csv or .parquet",
                txt.display()
            )
        );
        let err = predict(&args(&dir, &good)).unwrap_err();
        assert!(
            err.to_string()
                .contains("registry.register::<YourModel>(\"echo\")"),
            "{err}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
