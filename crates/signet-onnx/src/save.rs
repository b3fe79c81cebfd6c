//! Saving an ONNX file as an MLflow model directory, as `mlflow.onnx.save_model` writes it, so
//! that MLflow loads it with `mlflow.pyfunc.load_model` (its own onnxruntime wrapper) and
//! signet loads it with [`crate::OnnxFlavor`].
//!
//! The directory holds `model.onnx`, the input example files, `MLmodel` with an `onnx` flavor
//! and a `python_function` flavor whose `loader_module` is `mlflow.onnx`, and the Python
//! environment files MLflow's `--env-manager` options read (`requirements.txt`,
//! `python_env.yaml`, `conda.yaml`), naming the packages MLflow's onnx flavor needs.

use crate::OnnxModel;
use signet::{ModelInput, Value};
use signet_model::dir::write_file;
use signet_model::mlmodel::PYFUNC_FLAVOR;
use signet_model::{save_model_dir, ModelError, SaveOptions, SavedModel, Yaml, MLFLOW_VERSION};
use std::path::Path;

/// The file name of the model inside the directory (MLflow's `_MODEL_DATA_SUBPATH`).
pub const MODEL_FILE: &str = "model.onnx";

/// The execution providers MLflow records by default (`ONNX_EXECUTION_PROVIDERS`).
const PROVIDERS: [&str; 2] = ["CUDAExecutionProvider", "CPUExecutionProvider"];

/// Options of [`save_onnx_model`] beyond the signature, example and metadata.
#[derive(Clone, Debug)]
pub struct OnnxSaveOptions {
    /// Signature, input example and user metadata (signature inferred from the example when
    /// `None`: input schema from the example, output schema from the model's prediction).
    pub model: SaveOptions,
    /// The Python version written to `python_env.yaml`, `conda.yaml` and the
    /// `python_function` flavor, for MLflow's virtualenv/conda environment managers.
    pub python_version: String,
}

impl Default for OnnxSaveOptions {
    /// No signature, no example, Python 3.11.
    fn default() -> OnnxSaveOptions {
        OnnxSaveOptions {
            model: SaveOptions::default(),
            python_version: "3.11".to_string(),
        }
    }
}

/// Saves the ONNX model `onnx` (the bytes of a self-contained `.onnx` file) as an MLflow
/// model directory at `path`, atomically; see the module documentation.
///
/// The model is loaded first, so a file tract cannot run (an operator missing, external
/// tensor data) is refused before anything is written. Errors are the ones of
/// [`signet_model::save_model_dir`] (target not empty, example not matching the signature).
pub fn save_onnx_model(
    path: impl AsRef<Path>,
    onnx: &[u8],
    options: OnnxSaveOptions,
) -> Result<SavedModel, ModelError> {
    let model = OnnxModel::from_bytes(onnx).map_err(|e| ModelError::Model(e.to_string()))?;
    let predict = |input: ModelInput, _params: Option<&Value>| {
        model
            .predict(input)
            .map_err(|e| ModelError::Model(e.to_string()))
    };
    let python = options.python_version;
    save_model_dir(
        path.as_ref(),
        options.model,
        &predict,
        |tmp, mlmodel| {
            write_file(&tmp.join(MODEL_FILE), onnx)?;
            mlmodel.add_flavor(
                PYFUNC_FLAVOR,
                Yaml::map([
                    ("loader_module", Yaml::str("mlflow.onnx")),
                    ("data", Yaml::str(MODEL_FILE)),
                    (
                        "env",
                        Yaml::map([
                            ("conda", Yaml::str("conda.yaml")),
                            ("virtualenv", Yaml::str("python_env.yaml")),
                        ]),
                    ),
                    ("python_version", Yaml::str(&python)),
                ]),
            );
            mlmodel.add_flavor(
                crate::ONNX_FLAVOR,
                Yaml::map([
                    ("code", Yaml::Null),
                    ("data", Yaml::str(MODEL_FILE)),
                    ("onnx_session_options", Yaml::Null),
                    (
                        "providers",
                        Yaml::Seq(PROVIDERS.iter().map(|p| Yaml::str(*p)).collect()),
                    ),
                    ("signet_version", Yaml::str(env!("CARGO_PKG_VERSION"))),
                ]),
            );
            Ok(())
        },
        // After MLmodel, outside `model_size_bytes`, as mlflow.onnx.save_model writes them.
        |tmp| {
            let requirements = python_requirements();
            write_file(
                &tmp.join("requirements.txt"),
                requirements.join("\n").as_bytes(),
            )?;
            write_file(
                &tmp.join("python_env.yaml"),
                python_env_yaml(&python).as_bytes(),
            )?;
            write_file(
                &tmp.join("conda.yaml"),
                conda_yaml(&python, &requirements).as_bytes(),
            )?;
            Ok(())
        },
    )
}

/// What MLflow's onnx flavor needs to load the model (`get_default_pip_requirements`, with
/// MLflow itself pinned).
fn python_requirements() -> Vec<String> {
    vec![
        format!("mlflow=={MLFLOW_VERSION}"),
        "numpy".to_string(),
        "onnx".to_string(),
        "onnxruntime".to_string(),
        "pandas".to_string(),
    ]
}

/// `python_env.yaml` as MLflow's `_PythonEnv.to_yaml` writes it.
fn python_env_yaml(python: &str) -> String {
    format!(
        "python: {python}\nbuild_dependencies:\n- pip\n- setuptools\n- wheel\ndependencies:\n- -r requirements.txt\n"
    )
}

/// `conda.yaml` as MLflow's `_mlflow_conda_env` writes it.
fn conda_yaml(python: &str, requirements: &[String]) -> String {
    let mut out =
        format!("channels:\n- conda-forge\ndependencies:\n- python={python}\n- pip\n- pip:\n");
    for r in requirements {
        out.push_str(&format!("  - {r}\n"));
    }
    out.push_str("name: mlflow-env\n");
    out
}
