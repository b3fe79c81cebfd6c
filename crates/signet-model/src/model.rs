//! Rust models: the [`Model`] trait (signet's counterpart of MLflow's `PythonModel`) and
//! [`save_model`]; a program makes its model types loadable in the [`crate::Registry`].
//!
//! A saved Rust model is data, never code: its state ([`Model::save_state`], any bytes the
//! type chooses — JSON, bincode, ...) goes to the file `model_state`, and the `signet` flavor
//! records which registered type reads it back:
//!
//! ```text
//! flavors:
//!   python_function:
//!     data: model_state
//!     loader_module: signet_model_rs
//!   signet:
//!     data: model_state
//!     model_type: house_price
//!     signet_version: 0.1.0
//! ```
//!
//! Loading ([`crate::load_model`]) looks `model_type` up among the types the running program
//! registered with [`crate::Registry::register`] and calls that type's [`LoadModel::load_state`]; an
//! unregistered name is an error that says how to register it.
//!
//! The `python_function` section makes the directory a valid MLflow model: `mlflow.models.Model
//! .load`, `load_input_example` and the serving example work in MLflow. Its `loader_module`,
//! `signet_model_rs`, is not a Python module (MLflow cannot execute a Rust model), so
//! `mlflow.pyfunc.load_model` fails with `ModuleNotFoundError: No module named
//! 'signet_model_rs'`. No `requirements.txt`, `conda.yaml` or `python_env.yaml` is written: no
//! Python environment can run the model.

use crate::dir::{save_atomic, total_file_size, write_file};
use crate::error::ModelError;
use crate::example::{InputExample, SavedExample};
use crate::mlmodel::{MlModel, MLMODEL_FILE_NAME, PYFUNC_FLAVOR};
use crate::yaml::Yaml;
use signet::enforce::{enforce, Compat};
use signet::{ModelInput, ModelSignature, Schema, SchemaKind, Value};
use std::path::{Path, PathBuf};

/// What a model returns: any model input kind (a table, a tensor, a value, ...).
pub type ModelOutput = ModelInput;

/// The name of the flavor holding a Rust model.
pub const SIGNET_FLAVOR: &str = "signet";

/// The file holding a Rust model's state.
pub const STATE_FILE: &str = "model_state";

/// The `loader_module` written in the `python_function` flavor of Rust models: deliberately
/// not an importable Python module.
pub const SIGNET_LOADER_MODULE: &str = "signet_model_rs";

/// The version of signet written in the `signet` flavor.
pub const SIGNET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a model sees besides its input (MLflow's `PythonModelContext`).
#[derive(Clone, Debug, Default)]
pub struct PredictContext {
    /// The model directory (`None` while the model runs on its example during saving).
    pub model_dir: Option<PathBuf>,
    /// The `model_config` mapping of the `python_function` flavor, if any.
    pub model_config: Option<Yaml>,
}

/// A model implemented in Rust: signet's counterpart of MLflow's `PythonModel`.
///
/// [`crate::PyFuncModel::predict`] enforces the signature before calling [`Model::predict`],
/// so `predict` receives the input and params exactly as MLflow would hand them to a
/// `PythonModel` (columns selected and converted, params defaulted).
pub trait Model: Send + Sync {
    /// The name the type is registered under ([`crate::Registry::register`]); written as
    /// `model_type` in the `signet` flavor.
    fn model_type(&self) -> &str;

    /// Predicts. `params` is the enforced params dict (`None` when MLflow passes `None`).
    fn predict(
        &self,
        context: &PredictContext,
        input: ModelInput,
        params: Option<&Value>,
    ) -> Result<ModelOutput, ModelError>;

    /// The model's state, as bytes of the type's choosing, read back by
    /// [`LoadModel::load_state`].
    fn save_state(&self) -> Result<Vec<u8>, ModelError>;
}

/// A model type that can be rebuilt from its saved state.
pub trait LoadModel: Model + Sized + 'static {
    /// Rebuilds the model from the bytes [`Model::save_state`] produced.
    fn load_state(state: &[u8], context: &PredictContext) -> Result<Self, ModelError>;
}

/// Options of [`save_model_with`].
#[derive(Clone, Debug, Default)]
pub struct SaveOptions {
    /// The signature; `None` infers one from the input example (as MLflow does: input schema
    /// from the example, output schema from running the model on it).
    pub signature: Option<ModelSignature>,
    /// The input example.
    pub input_example: Option<InputExample>,
    /// The user `metadata` mapping.
    pub metadata: Option<Yaml>,
}

/// The result of a save.
#[derive(Clone, Debug)]
pub struct SavedModel {
    /// The MLmodel written.
    pub mlmodel: MlModel,
    /// What MLflow would have logged (e.g. a signature that could not be inferred).
    pub warnings: Vec<String>,
}

/// `mlflow.pyfunc.save_model(path, python_model=model, signature=..., input_example=...)` for
/// a Rust model; see [`save_model_with`].
pub fn save_model(
    path: impl AsRef<Path>,
    model: &dyn Model,
    signature: Option<ModelSignature>,
    input_example: Option<InputExample>,
) -> Result<SavedModel, ModelError> {
    save_model_with(
        path,
        model,
        SaveOptions {
            signature,
            input_example,
            metadata: None,
        },
    )
}

/// Saves a Rust model as an MLflow model directory, atomically (see [`crate::dir`]).
///
/// As in MLflow: a non-empty target is refused (`Path '<path>' already exists and is not
/// empty`); the example is rendered first (its params validated); without a signature one is
/// inferred from the example — input schema from the data, params schema from the example
/// params, output schema from the model's prediction on the enforced example (a 1-D tensor
/// answering column input is read as a Series) — and a failure there is only a warning; with
/// a signature the example must pass enforcement (`Input example does not match the model
/// signature. <error>`). `model_size_bytes` is the size of the state file plus the example
/// files.
pub fn save_model_with(
    path: impl AsRef<Path>,
    model: &dyn Model,
    options: SaveOptions,
) -> Result<SavedModel, ModelError> {
    let state = model.save_state()?;
    let model_type = model.model_type().to_string();
    let predict = |input: ModelInput, params: Option<&Value>| {
        model.predict(&PredictContext::default(), input, params)
    };
    save_model_dir(
        path.as_ref(),
        options,
        &predict,
        move |tmp, mlmodel| {
            write_file(&tmp.join(STATE_FILE), &state)?;
            mlmodel.add_flavor(
                PYFUNC_FLAVOR,
                Yaml::map([
                    ("loader_module", Yaml::str(SIGNET_LOADER_MODULE)),
                    ("data", Yaml::str(STATE_FILE)),
                ]),
            );
            mlmodel.add_flavor(
                SIGNET_FLAVOR,
                Yaml::map([
                    ("model_type", Yaml::str(&model_type)),
                    ("data", Yaml::str(STATE_FILE)),
                    ("signet_version", Yaml::str(SIGNET_VERSION)),
                ]),
            );
            Ok(())
        },
        |_| Ok(()),
    )
}

/// How a model runs on its input example while being saved (to infer the output schema).
pub type ExamplePredict<'a> =
    dyn Fn(ModelInput, Option<&Value>) -> Result<ModelOutput, ModelError> + 'a;

/// The flavor-independent part of every save: `mlflow.<flavor>.save_model`'s handling of the
/// target, the signature and the input example, around the flavor's own artifacts.
///
/// Refuses a non-empty `path`; renders the example; infers the signature from the example
/// when none is given (output schema from `predict` on the enforced example; a failure is a
/// warning, as in MLflow) or checks the example against the given one; then, inside a
/// temporary directory that replaces `path` atomically, calls `write_flavor` (which writes the
/// flavor's artifacts and adds its flavor sections), writes the example files, sets
/// `model_size_bytes` and writes `MLmodel`, then calls `write_env` for the files MLflow writes
/// after `MLmodel` and leaves out of `model_size_bytes` (`requirements.txt`, `conda.yaml`,
/// `python_env.yaml`).
pub fn save_model_dir(
    path: &Path,
    options: SaveOptions,
    predict: &ExamplePredict<'_>,
    write_flavor: impl FnOnce(&Path, &mut MlModel) -> Result<(), ModelError>,
    write_env: impl FnOnce(&Path) -> Result<(), ModelError>,
) -> Result<SavedModel, ModelError> {
    if crate::dir::exists_non_empty(path) {
        return Err(crate::dir::already_exists(path));
    }
    let mut warnings = Vec::new();
    let mut mlmodel = MlModel::new();
    let example = match &options.input_example {
        Some(ex) => SavedExample::new(ex)?.map(|saved| (ex, saved)),
        None => None,
    };
    let signature = match (options.signature, &example) {
        (Some(sig), Some((ex, _))) => {
            let params = ex.params.as_ref().map(|p| params_value(p));
            enforce(Some(&sig), ex.data.clone(), params.as_ref(), Compat::Mlflow).map_err(|e| {
                ModelError::InvalidExample(format!(
                    "Input example does not match the model signature. {}",
                    e.message()
                ))
            })?;
            Some(sig)
        }
        (Some(sig), None) => Some(sig),
        (None, Some((ex, _))) => match infer_from_example(predict, ex) {
            Ok(sig) => Some(sig),
            Err(e) => {
                warnings.push(format!(
                    "Failed to infer model signature from input example, error: {e}"
                ));
                None
            }
        },
        (None, None) => None,
    };
    mlmodel.signature = signature;
    mlmodel.metadata = options.metadata.filter(|m| *m != Yaml::Null);
    let mlmodel = save_atomic(path, move |tmp| {
        write_flavor(tmp, &mut mlmodel)?;
        if let Some((_, saved)) = &example {
            for (name, text) in saved.files() {
                write_file(&tmp.join(name), text.as_bytes())?;
            }
            mlmodel.saved_input_example_info = Some(saved.info.to_yaml());
        }
        let size = total_file_size(tmp)?;
        if size > 0 {
            mlmodel.model_size_bytes = Some(Yaml::Int(size as i128));
        }
        write_file(
            &tmp.join(MLMODEL_FILE_NAME),
            mlmodel.to_yaml_string().as_bytes(),
        )?;
        write_env(tmp)?;
        Ok(mlmodel)
    })?;
    Ok(SavedModel { mlmodel, warnings })
}

/// Example params as the dict MLflow passes.
pub(crate) fn params_value(params: &[(String, Value)]) -> Value {
    Value::Dict(
        params
            .iter()
            .map(|(k, v)| (Value::Str(k.clone()), v.clone()))
            .collect(),
    )
}

/// MLflow's `_infer_signature_from_input_example`: the input schema from the example data,
/// the params schema from the example params, the output schema from `predict` on the
/// example enforced against that input schema.
pub fn infer_from_example(
    predict: &ExamplePredict<'_>,
    ex: &InputExample,
) -> Result<ModelSignature, ModelError> {
    let input_schema = signet::infer::infer_schema(&ex.data)?;
    let params_schema = match &ex.params {
        Some(p) if !p.is_empty() => Some(signet::infer::infer_param_schema(p)?),
        _ => None,
    };
    let sig = ModelSignature {
        inputs: Some(input_schema.clone()),
        outputs: None,
        params: params_schema.clone(),
    };
    let params = ex.params.as_ref().map(|p| params_value(p));
    let enforced = enforce(Some(&sig), ex.data.clone(), params.as_ref(), Compat::Mlflow)?;
    let prediction = predict(enforced.input, enforced.params.as_ref())?;
    let prediction = series_for_column_input(&input_schema, prediction);
    let output_schema =
        signet::infer::infer_schema(&prediction).unwrap_or_else(|_| signet::infer::any_schema());
    Ok(ModelSignature {
        inputs: Some(input_schema),
        outputs: Some(output_schema),
        params: params_schema,
    })
}

/// MLflow reads a 1-D array answering column-based input as a `pd.Series`.
fn series_for_column_input(schema: &Schema, prediction: ModelOutput) -> ModelOutput {
    match (schema.kind(), prediction) {
        (SchemaKind::Columns(_), ModelInput::Tensor(t)) if t.shape.len() == 1 => match &t.data {
            signet::TensorData::Arrow(values) => ModelInput::Series(signet::Series {
                name: None,
                field: arrow_schema::Field::new("", values.data_type().clone(), true),
                values: values.clone(),
            }),
            signet::TensorData::Object(items) => {
                let (field, values) = signet::table::object_column("", items);
                ModelInput::Series(signet::Series {
                    name: None,
                    field,
                    values,
                })
            }
        },
        (_, other) => other,
    }
}
