//! The `xgboost` and `lightgbm` MLflow flavors, plugged into `signet-model`'s registry, with
//! MLflow 3.17.2's pyfunc semantics (`_XGBModelWrapper`, `_LGBModelWrapper`):
//!
//! * XGBoost `Booster` (`model_class: xgboost.core.Booster`): `Booster.predict(DMatrix(df))`,
//!   all trees, a `float32` array of shape `(n,)` or `(n, outputs)`; params `output_margin`,
//!   `iteration_range`, `validate_features` are honoured, other `Booster.predict` params that
//!   signet does not compute (`pred_leaf`, `pred_contribs`, …) are refused, unknown ones
//!   ignored (as MLflow filters them).
//! * `XGBClassifier`: labels (`int64`; `int32` for `multi:softmax`), up to `best_iteration`;
//!   `XGBRegressor` and the other wrappers: `float32` values, up to `best_iteration`, through
//!   `inplace_predict`'s arithmetic.
//! * LightGBM `Booster` (`model.lgb`): `Booster.predict(df)` — `float64` probabilities or
//!   values, `(n,)` or `(n, classes)`; params are ignored, as MLflow's wrapper ignores them.
//! * `LGBMClassifier` / `LGBMRegressor` saved as skops (`model.skops`, the default): their
//!   `predict` (labels from the label encoder's `classes_`, or values), up to the Booster's
//!   `best_iteration`; params are ignored. Pickled models are refused with how to re-log them.

use crate::error::TreeError;
use crate::lightgbm::sklearn::SklearnModel as LgbSklearn;
use crate::lightgbm::Booster as LgbBooster;
use crate::xgboost::predict::Options;
use crate::xgboost::Model as XgbModel;
use arrow_array::{ArrayRef, Float32Array, Float64Array, Int32Array, Int64Array};
use signet::input::TensorData;
use signet::types::NumpyDtype;
use signet::{ModelInput, Tensor, Value};
use signet_model::{FlavorLoader, LoadContext, ModelError, Predictor};
use std::sync::Arc;

/// The XGBoost flavor name in `MLmodel`.
pub const XGBOOST_FLAVOR: &str = "xgboost";
/// The LightGBM flavor name in `MLmodel`.
pub const LIGHTGBM_FLAVOR: &str = "lightgbm";

fn model_error(e: TreeError) -> ModelError {
    ModelError::Model(e.to_string())
}

fn config_str<'a>(ctx: &'a LoadContext<'_>, key: &str) -> Option<&'a str> {
    ctx.config.get(key).and_then(signet_model::Yaml::as_str)
}

fn pickle_refusal(ctx: &LoadContext<'_>, flavor: &str, class: &str) -> ModelError {
    ModelError::UnsupportedFlavor(format!(
        "{}: this {flavor} model ({class}) is stored as a pickle, and signet never unpickles \
         anything. Re-log it without pickle: for LightGBM, `mlflow.lightgbm.log_model(model, \
         ..., serialization_format=\"skops\")` or log the `model.booster_` Booster; for \
         XGBoost, `mlflow.xgboost.log_model(model, ..., model_format=\"ubj\")`.",
        ctx.model_dir.display()
    ))
}

/// Loads the `xgboost` flavor: `model.ubj` / `model.json` / `model.xgb` (UBJSON).
#[derive(Clone, Copy, Debug, Default)]
pub struct XgboostFlavor;

/// What MLflow's wrapper calls on the loaded object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum XgbApi {
    Booster,
    Classifier,
    Regressor,
}

impl FlavorLoader for XgboostFlavor {
    fn load(&self, ctx: &LoadContext<'_>) -> Result<Box<dyn Predictor>, ModelError> {
        let class = config_str(ctx, "model_class").unwrap_or("xgboost.core.Booster");
        let api = match class {
            "xgboost.core.Booster" => XgbApi::Booster,
            "xgboost.sklearn.XGBClassifier" | "xgboost.sklearn.XGBRFClassifier" => {
                XgbApi::Classifier
            }
            "xgboost.sklearn.XGBRegressor"
            | "xgboost.sklearn.XGBRFRegressor"
            | "xgboost.sklearn.XGBRanker"
            | "xgboost.sklearn.XGBModel" => XgbApi::Regressor,
            other => {
                return Err(ModelError::UnsupportedFlavor(format!(
                    "signet cannot run xgboost models of class {other}"
                )))
            }
        };
        let path = ctx.data_path()?;
        if path
            .extension()
            .is_some_and(|e| e == "pkl" || e == "pickle")
        {
            return Err(pickle_refusal(ctx, "xgboost", class));
        }
        let model = XgbModel::load(&path).map_err(model_error)?;
        Ok(Box::new(XgbPredictor { model, api }))
    }
}

struct XgbPredictor {
    model: XgbModel,
    api: XgbApi,
}

fn param<'a>(params: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    params
        .and_then(|p| p.get(key))
        .filter(|v| !matches!(v, Value::None))
}

fn int_of(v: &Value) -> Option<i128> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Numpy(_, b) => int_of(b),
        _ => None,
    }
}

fn tensor(dtype: NumpyDtype, shape: Vec<usize>, data: ArrayRef) -> ModelInput {
    ModelInput::Tensor(Tensor {
        dtype,
        shape,
        data: TensorData::Arrow(data),
    })
}

impl XgbPredictor {
    fn options(&self, params: Option<&Value>) -> Result<Options, ModelError> {
        let mut opts = Options {
            inplace: self.api != XgbApi::Booster,
            ..Options::default()
        };
        if self.api == XgbApi::Booster {
            for unsupported in [
                "pred_leaf",
                "pred_contribs",
                "approx_contribs",
                "pred_interactions",
                "training",
                "strict_shape",
            ] {
                if param(params, unsupported).is_some_and(Value::is_truthy) {
                    return Err(ModelError::Model(format!(
                        "the xgboost predict param `{unsupported}` is not supported by signet"
                    )));
                }
            }
        } else if param(params, "base_margin").is_some() {
            return Err(ModelError::Model(
                "the xgboost predict param `base_margin` is not supported by signet".into(),
            ));
        }
        opts.margin = param(params, "output_margin").is_some_and(Value::is_truthy);
        if let Some(r) = param(params, "iteration_range") {
            let items = match r {
                Value::List(v) | Value::Tuple(v) => v.as_slice(),
                _ => &[],
            };
            let pair = match items {
                [a, b] => int_of(a).zip(int_of(b)),
                _ => None,
            };
            let (a, b) = pair
                .and_then(|(a, b)| Some((usize::try_from(a).ok()?, usize::try_from(b).ok()?)))
                .ok_or_else(|| {
                    ModelError::Model(
                        "iteration_range must be a pair of non-negative integers".into(),
                    )
                })?;
            opts.iteration_range = Some((a, b));
        } else if self.api != XgbApi::Booster {
            // The sklearn wrappers stop at best_iteration (`_get_iteration_range`).
            if let Some(b) = self.model.best_iteration {
                opts.iteration_range = Some((0, b + 1));
            }
        }
        Ok(opts)
    }
}

impl Predictor for XgbPredictor {
    fn predict(&self, input: ModelInput, params: Option<&Value>) -> Result<ModelInput, ModelError> {
        let opts = self.options(params)?;
        let (x, rows) = crate::input::xgboost_matrix(&input, &self.model).map_err(model_error)?;
        let out = self.model.predict(&x, rows, &opts).map_err(model_error)?;
        let width = self.model.output_width(opts.margin);
        let shape = if width == 1 {
            vec![rows]
        } else {
            vec![rows, width]
        };
        if self.api == XgbApi::Classifier && !opts.margin {
            let softmax = self.model.objective_name == "multi:softmax";
            let n_classes = self
                .model
                .sklearn
                .as_ref()
                .and_then(|s| s.n_classes)
                .unwrap_or(self.model.num_class.max(2));
            if width > 1 && n_classes != 2 {
                let labels: Vec<i64> = out
                    .chunks(width)
                    .map(|row| {
                        let mut best = 0usize;
                        for (i, v) in row.iter().enumerate() {
                            if *v > row[best] {
                                best = i;
                            }
                        }
                        best as i64
                    })
                    .collect();
                return Ok(tensor(
                    NumpyDtype::Int64,
                    vec![rows],
                    Arc::new(Int64Array::from(labels)),
                ));
            }
            if width > 1 {
                // multi-label: 0/1 per column, float64 as numpy builds it
                let v: Vec<f64> = out
                    .iter()
                    .map(|p| if *p > 0.5 { 1.0 } else { 0.0 })
                    .collect();
                return Ok(tensor(
                    NumpyDtype::Float64,
                    shape,
                    Arc::new(Float64Array::from(v)),
                ));
            }
            if softmax {
                let v: Vec<i32> = out.iter().map(|p| *p as i32).collect();
                return Ok(tensor(
                    NumpyDtype::Int32,
                    shape,
                    Arc::new(Int32Array::from(v)),
                ));
            }
            let v: Vec<i64> = out.iter().map(|p| i64::from(*p > 0.5)).collect();
            return Ok(tensor(
                NumpyDtype::Int64,
                shape,
                Arc::new(Int64Array::from(v)),
            ));
        }
        Ok(tensor(
            NumpyDtype::Float32,
            shape,
            Arc::new(Float32Array::from(out)),
        ))
    }
}

/// Loads the `lightgbm` flavor: a `Booster` saved as `model.lgb` text.
#[derive(Clone, Copy, Debug, Default)]
pub struct LightGbmFlavor;

impl FlavorLoader for LightGbmFlavor {
    fn load(&self, ctx: &LoadContext<'_>) -> Result<Box<dyn Predictor>, ModelError> {
        let class = config_str(ctx, "model_class").unwrap_or("lightgbm.basic.Booster");
        let path = ctx.data_path()?;
        if class != "lightgbm.basic.Booster" {
            let format = config_str(ctx, "serialization_format").unwrap_or("cloudpickle");
            if format != "skops" {
                return Err(pickle_refusal(ctx, "lightgbm", class));
            }
            let trusted = signet_sklearn::flavor::skops_trusted_types(ctx.config)?;
            let model = LgbSklearn::load(&path, &trusted).map_err(model_error)?;
            return Ok(Box::new(move |input, _: Option<&Value>| {
                let (x, rows) =
                    crate::input::lightgbm_matrix(&input, &model.booster).map_err(model_error)?;
                let out = model.predict(&x, rows).map_err(model_error)?;
                Ok(ModelInput::Tensor(signet_sklearn::flavor::to_tensor(out)))
            }));
        }
        let booster = LgbBooster::load(&path).map_err(model_error)?;
        Ok(Box::new(move |input, _: Option<&Value>| {
            lgb_predict(&booster, input)
        }))
    }
}

/// A LightGBM Booster's raw predictions, as `lgb.Booster.predict` returns them.
fn lgb_predict(booster: &LgbBooster, input: ModelInput) -> Result<ModelInput, ModelError> {
    let (x, rows) = crate::input::lightgbm_matrix(&input, booster).map_err(model_error)?;
    let out = booster
        .predict(&x, rows, None, false)
        .map_err(model_error)?;
    let width = booster.output_width();
    let shape = if width == 1 {
        vec![rows]
    } else {
        vec![rows, width]
    };
    Ok(tensor(
        NumpyDtype::Float64,
        shape,
        Arc::new(Float64Array::from(out)),
    ))
}
