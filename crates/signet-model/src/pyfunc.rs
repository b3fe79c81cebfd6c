//! Loaded models: [`load_model`] (`mlflow.pyfunc.load_model`) and [`PyFuncModel`], whose
//! [`predict`](PyFuncModel::predict) enforces the signature before the model runs, as MLflow's
//! `PyFuncModel.predict` does.
//!
//! Which code runs a model is decided by the program, never by the directory:
//! * a model with the `signet` flavor is rebuilt by the model type registered under its
//!   `model_type` ([`Registry::register`]);
//! * any other model is run by the first [`FlavorLoader`] registered
//!   ([`Registry::register_flavor`]) for one of its flavors — this is where the ONNX engine
//!   plugs in, as the loader of the `onnx` flavor;
//! * otherwise loading fails with an error naming the flavors (a `python_function` model backed
//!   by a pickled `PythonModel`, for instance: signet reads its signature and example but never
//!   unpickles or imports anything).

use crate::dir::check_artifact_paths;
use crate::error::ModelError;
use crate::example::{load_input_example, LoadedExample};
use crate::mlmodel::{MlModel, PYFUNC_FLAVOR};
use crate::model::{ModelOutput, PredictContext, SIGNET_FLAVOR};
use crate::registry::{LoadContext, Predictor, Registry};
use crate::yaml::Yaml;
use signet::enforce::{enforce, Compat, Warning};
use signet::{ModelInput, ModelSignature, Value};
use std::path::{Path, PathBuf};

/// A loaded model (MLflow's `PyFuncModel`).
pub struct PyFuncModel {
    dir: PathBuf,
    mlmodel: MlModel,
    flavor: String,
    predictor: Box<dyn Predictor>,
    compat: Compat,
}

impl std::fmt::Debug for PyFuncModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyFuncModel")
            .field("dir", &self.dir)
            .field("flavor", &self.flavor)
            .field("compat", &self.compat)
            .finish()
    }
}

/// A prediction with what MLflow would have logged while enforcing.
#[derive(Clone, Debug)]
pub struct Prediction {
    /// The model's output.
    pub output: ModelOutput,
    /// Enforcement warnings (extra columns dropped, params ignored, ...).
    pub warnings: Vec<Warning>,
}

impl PyFuncModel {
    /// The MLmodel.
    pub fn metadata(&self) -> &MlModel {
        &self.mlmodel
    }

    /// The model directory.
    pub fn model_dir(&self) -> &Path {
        &self.dir
    }

    /// The flavor that runs the model (`signet`, `onnx`, ...).
    pub fn flavor(&self) -> &str {
        &self.flavor
    }

    /// The signature.
    pub fn signature(&self) -> Option<&ModelSignature> {
        self.mlmodel.signature.as_ref()
    }

    /// The enforcement mode ([`Compat::Strict`] unless changed).
    pub fn compat(&self) -> Compat {
        self.compat
    }

    /// Sets the enforcement mode.
    pub fn set_compat(&mut self, compat: Compat) {
        self.compat = compat;
    }

    /// The saved input example, if any.
    pub fn input_example(&self) -> Result<Option<LoadedExample>, ModelError> {
        load_input_example(&self.dir, &self.mlmodel)
    }

    /// `PyFuncModel.predict(data, params)`: enforces the signature's inputs and params (only
    /// the params when the signature came from type hints), then runs the model.
    pub fn predict(
        &self,
        input: ModelInput,
        params: Option<&Value>,
    ) -> Result<ModelOutput, ModelError> {
        self.predict_with_warnings(input, params).map(|p| p.output)
    }

    /// Runs the model on an input and params that were already enforced against this
    /// model's signature (e.g. by a scoring server that parses and enforces requests itself).
    pub fn predict_enforced(
        &self,
        input: ModelInput,
        params: Option<&Value>,
    ) -> Result<ModelOutput, ModelError> {
        self.predictor.predict(input, params)
    }

    /// [`predict`](Self::predict), also returning the enforcement warnings.
    pub fn predict_with_warnings(
        &self,
        input: ModelInput,
        params: Option<&Value>,
    ) -> Result<Prediction, ModelError> {
        let from_type_hint = self.mlmodel.signature.is_some()
            && self
                .mlmodel
                .is_signature_from_type_hint
                .to_value()
                .is_truthy();
        let params_only;
        let signature = match &self.mlmodel.signature {
            Some(sig) if from_type_hint => {
                params_only = ModelSignature {
                    inputs: None,
                    outputs: None,
                    params: sig.params.clone(),
                };
                Some(&params_only)
            }
            other => other.as_ref(),
        };
        // MLflow names the data as it was given; tables and tensors clone cheaply (Arrow).
        let original = input.clone();
        let enforced = enforce(signature, input, params, self.compat).map_err(|error| {
            let schema = signature.and_then(|s| s.inputs.as_ref());
            let message = match schema {
                Some(schema) => error.wrapped_message(
                    &signet_protocol::render::data_str(&original),
                    &signet::repr::schema_repr(schema),
                ),
                None => error.message().to_string(),
            };
            ModelError::Enforce {
                error: Box::new(error),
                message,
            }
        })?;
        let output = self
            .predictor
            .predict(enforced.input, enforced.params.as_ref())?;
        Ok(Prediction {
            output,
            warnings: enforced.warnings,
        })
    }
}

/// `mlflow.pyfunc.load_model(path)` for the model types and flavors `registry` knows.
///
/// The MLmodel is read as [`MlModel::load`] reads it; every artifact path it names must stay
/// inside the directory; MLflow's refusals apply (`Model does not have the "python_function"
/// flavor`, external artifacts); then the model is built as the module documentation says.
pub fn load_model(path: impl AsRef<Path>, registry: &Registry) -> Result<PyFuncModel, ModelError> {
    let (mlmodel, dir) = MlModel::load(path)?;
    check_artifact_paths(&dir, &mlmodel)?;
    let Some(pyfunc) = mlmodel.flavor(PYFUNC_FLAVOR).cloned() else {
        return Err(ModelError::NotFound(format!(
            "Model does not have the \"{PYFUNC_FLAVOR}\" flavor"
        )));
    };
    if mlmodel.is_external() {
        return Err(ModelError::InvalidModel(
            "This model's artifacts are external and are not stored in the model directory. This model cannot be loaded with MLflow.".into(),
        ));
    }
    let model_config = pyfunc.get("model_config").cloned();
    let (flavor, predictor): (String, Box<dyn Predictor>) = if let Some(conf) =
        mlmodel.flavor(SIGNET_FLAVOR)
    {
        let model_type = match conf.get("model_type") {
            Some(Yaml::Str(s)) => s.clone(),
            _ => {
                return Err(ModelError::InvalidModel(
                    "Invalid MLmodel: the signet flavor has no `model_type`".into(),
                ))
            }
        };
        let Some(ctor) = registry.model_ctor(&model_type) else {
            return Err(ModelError::UnknownModelType(format!(
                "This model's type '{model_type}' is not registered in this program. Register \
                     the Rust type that implements it before loading: \
                     `registry.register::<YourModel>(\"{model_type}\")`."
            )));
        };
        let ctx = LoadContext {
            model_dir: &dir,
            mlmodel: &mlmodel,
            flavor: SIGNET_FLAVOR,
            config: conf,
        };
        let data = ctx.data_path()?;
        let state = std::fs::read(&data)
            .map_err(|e| ModelError::io(format!("cannot read {}", data.display()), e))?;
        let context = PredictContext {
            model_dir: Some(dir.clone()),
            model_config,
        };
        let model = ctor(&state, &context)?;
        (
            SIGNET_FLAVOR.to_string(),
            Box::new(move |input, params: Option<&Value>| model.predict(&context, input, params)),
        )
    } else {
        let found = registry
            .flavor_loaders()
            .iter()
            .find_map(|(name, loader)| mlmodel.flavor(name).map(|c| (name, loader, c)));
        match found {
            Some((name, loader, config)) => {
                let ctx = LoadContext {
                    model_dir: &dir,
                    mlmodel: &mlmodel,
                    flavor: name,
                    config,
                };
                (name.clone(), loader.load(&ctx)?)
            }
            None => return Err(unsupported(&mlmodel, &pyfunc)),
        }
    };
    Ok(PyFuncModel {
        dir,
        mlmodel,
        flavor,
        predictor,
        compat: Compat::default(),
    })
}

fn unsupported(mlmodel: &MlModel, pyfunc: &Yaml) -> ModelError {
    let names = mlmodel.flavor_names().join(", ");
    let module = match pyfunc.get("loader_module") {
        Some(Yaml::Str(m)) => m.clone(),
        _ => "(none)".into(),
    };
    let mut message = format!(
        "signet cannot run this model: its flavors are [{names}] and no loader for any of them \
         is registered in this program; its python_function flavor is implemented by the \
         Python module '{module}'"
    );
    if pyfunc.get("python_model").is_some() {
        message.push_str(" with a pickled PythonModel");
    }
    message.push_str(
        ", and signet never runs Python code or unpickles anything. Its signature and input \
         example can still be read (`signet show`).",
    );
    ModelError::UnsupportedFlavor(message)
}
