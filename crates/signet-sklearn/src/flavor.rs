//! The `sklearn` flavor of MLflow model directories: [`SklearnModel`] (a skops file rebuilt
//! into an [`Estimator`] plus MLflow's `pyfunc_predict_fn`) and [`SklearnFlavor`], its
//! `signet_model::FlavorLoader`. `serialization_format: skops` is read natively; `pickle` and
//! `cloudpickle` are refused (signet never unpickles) with the way to re-log the model.

use crate::error::SklearnError;
use crate::estimator::{Classes, Estimator, Method, Output};
use crate::frame::Frame;
use crate::registry::build;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int16Array, Int32Array, Int64Array, Int8Array,
    StringArray, UInt64Array,
};
use signet::{ModelInput, NumpyDtype, Tensor, TensorData, Value};
use signet_model::{FlavorLoader, LoadContext, ModelError, Predictor, Yaml};
use signet_skops::SkopsFile;
use std::path::Path;
use std::sync::Arc;

/// The flavor name in `MLmodel`.
pub const SKLEARN_FLAVOR: &str = "sklearn";

/// A scikit-learn model read from a skops file, with the method pyfunc calls.
#[derive(Debug)]
pub struct SklearnModel {
    estimator: Box<dyn Estimator>,
    method: Method,
}

impl SklearnModel {
    /// Reads `path` (a skops file), trusting skops' defaults plus `trusted`, and checks the
    /// estimator has `method`.
    pub fn load(
        path: &Path,
        trusted: &[String],
        method: Method,
    ) -> Result<SklearnModel, SklearnError> {
        let file = SkopsFile::open(path, trusted)?;
        let estimator =
            build(&file.root).map_err(|e| SklearnError::new(format!("{}: {e}", path.display())))?;
        if !estimator.supports(method) {
            return Err(SklearnError::new(format!(
                "{}: '{}' object has no attribute '{}' (the model's pyfunc predict_fn)",
                path.display(),
                estimator.class(),
                method.name()
            )));
        }
        Ok(SklearnModel { estimator, method })
    }

    /// The estimator.
    pub fn estimator(&self) -> &dyn Estimator {
        self.estimator.as_ref()
    }

    /// MLflow's `_SklearnModelWrapper.<predict_fn>(data)`: a numpy array.
    pub fn predict(&self, input: &ModelInput) -> Result<ModelInput, SklearnError> {
        let frame = Frame::from_input(input)?;
        let out = self.estimator.predict(frame, self.method)?;
        Ok(ModelInput::Tensor(to_tensor(out)))
    }
}

/// An output as the numpy array sklearn returns.
pub fn to_tensor(out: Output) -> Tensor {
    match out {
        Output::Values { data, shape } => Tensor {
            dtype: NumpyDtype::Float64,
            shape,
            data: TensorData::Arrow(Arc::new(Float64Array::from(data))),
        },
        Output::Labels { index, classes } => {
            let shape = vec![index.len()];
            let (dtype, data) = match classes {
                Classes::Int(v, dtype) => {
                    let vals: Vec<i64> = index.iter().map(|&i| v[i]).collect();
                    let arr: ArrayRef = match dtype {
                        NumpyDtype::Int32 => Arc::new(Int32Array::from(
                            vals.iter().map(|&x| x as i32).collect::<Vec<_>>(),
                        )),
                        NumpyDtype::Int16 => Arc::new(Int16Array::from(
                            vals.iter().map(|&x| x as i16).collect::<Vec<_>>(),
                        )),
                        NumpyDtype::Int8 => Arc::new(Int8Array::from(
                            vals.iter().map(|&x| x as i8).collect::<Vec<_>>(),
                        )),
                        NumpyDtype::UInt64 => Arc::new(UInt64Array::from(
                            vals.iter().map(|&x| x as u64).collect::<Vec<_>>(),
                        )),
                        _ => Arc::new(Int64Array::from(vals)),
                    };
                    (dtype, TensorData::Arrow(arr))
                }
                Classes::Float(v) => (
                    NumpyDtype::Float64,
                    TensorData::Arrow(Arc::new(Float64Array::from(
                        index.iter().map(|&i| v[i]).collect::<Vec<_>>(),
                    ))),
                ),
                Classes::Bool(v) => (
                    NumpyDtype::Bool,
                    TensorData::Arrow(Arc::new(BooleanArray::from(
                        index.iter().map(|&i| v[i]).collect::<Vec<_>>(),
                    ))),
                ),
                Classes::Str(v, true) => (
                    NumpyDtype::Object,
                    TensorData::Object(index.iter().map(|&i| Value::Str(v[i].clone())).collect()),
                ),
                Classes::Str(v, false) => (
                    NumpyDtype::Str,
                    TensorData::Arrow(Arc::new(StringArray::from(
                        index.iter().map(|&i| v[i].clone()).collect::<Vec<_>>(),
                    ))),
                ),
            };
            Tensor { dtype, shape, data }
        }
    }
}

/// Loads the `sklearn` flavor (registered as `registry.register_flavor("sklearn",
/// SklearnFlavor)`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SklearnFlavor;

fn model_error(e: SklearnError) -> ModelError {
    ModelError::Model(e.message)
}

impl FlavorLoader for SklearnFlavor {
    fn load(&self, ctx: &LoadContext<'_>) -> Result<Box<dyn Predictor>, ModelError> {
        let format = ctx
            .config
            .get("serialization_format")
            .and_then(Yaml::as_str)
            .unwrap_or("pickle");
        if format != "skops" {
            return Err(ModelError::InvalidModel(format!(
                "This sklearn model is saved with serialization_format '{format}'. signet never \
                 unpickles models; re-log it in the skops format, which is read as data: \
                 `mlflow.sklearn.log_model(model, name=..., serialization_format=\"skops\")` (the \
                 default outside Databricks since MLflow 3), passing \
                 `skops_trusted_types=skops.io.get_untrusted_types(data=skops.io.dumps(model))` \
                 after reviewing that list."
            )));
        }
        let rel = ctx
            .config
            .get("pickled_model")
            .and_then(Yaml::as_str)
            .ok_or_else(|| {
                ModelError::InvalidModel(
                    "Invalid MLmodel: the sklearn flavor has no `pickled_model`".into(),
                )
            })?;
        let path = signet_model::dir::resolve_inside(ctx.model_dir, rel)?;
        let trusted = skops_trusted_types(ctx.config)?;
        let predict_fn = ctx
            .mlmodel
            .flavor("python_function")
            .and_then(|p| p.get("predict_fn"))
            .and_then(Yaml::as_str)
            .unwrap_or("predict");
        let method = match predict_fn {
            "predict" => Method::Predict,
            "predict_proba" => Method::PredictProba,
            "predict_log_proba" => Method::PredictLogProba,
            other => {
                return Err(ModelError::InvalidModel(format!(
                    "signet runs sklearn models with predict_fn predict, predict_proba or predict_log_proba; this one has '{other}'"
                )))
            }
        };
        let model = SklearnModel::load(&path, &trusted, method).map_err(model_error)?;
        // Params are ignored, as `_SklearnModelWrapper.predict` ignores them.
        Ok(Box::new(move |input: ModelInput, _: Option<&Value>| {
            model.predict(&input).map_err(model_error)
        }))
    }
}

/// A flavor's `skops_trusted_types` (MLflow's list of types trusted beyond skops' defaults);
/// absent or `null` is an empty list. Shared by every flavor that stores skops files.
pub fn skops_trusted_types(config: &Yaml) -> Result<Vec<String>, ModelError> {
    match config.get("skops_trusted_types") {
        None | Some(Yaml::Null) => Ok(Vec::new()),
        Some(Yaml::Seq(items)) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| {
                    ModelError::InvalidModel(
                        "Invalid MLmodel: skops_trusted_types holds a non-string".into(),
                    )
                })
            })
            .collect(),
        Some(_) => Err(ModelError::InvalidModel(
            "Invalid MLmodel: skops_trusted_types is not a list".into(),
        )),
    }
}
