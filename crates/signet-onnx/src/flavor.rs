//! The `onnx` flavor of MLflow model directories, plugged into `signet-model`'s registry:
//! `registry.register_flavor("onnx", OnnxFlavor)` lets `signet_model::load_model` execute
//! models saved by `mlflow.onnx.save_model` (and by signet).

use crate::{OnnxError, OnnxModel};
use signet::Value;
use signet_model::{FlavorLoader, LoadContext, ModelError, Predictor};

/// The flavor name in `MLmodel`.
pub const ONNX_FLAVOR: &str = "onnx";

/// Loads the `onnx` flavor: the flavor's `data` file (`model.onnx`) run by [`OnnxModel`].
#[derive(Clone, Copy, Debug, Default)]
pub struct OnnxFlavor;

impl FlavorLoader for OnnxFlavor {
    fn load(&self, ctx: &LoadContext<'_>) -> Result<Box<dyn Predictor>, ModelError> {
        let path = ctx.data_path()?;
        let model = OnnxModel::load(&path).map_err(|e| to_model_error(&e))?;
        // Params are ignored, as MLflow's ONNX wrapper ignores them.
        Ok(Box::new(move |input, _: Option<&Value>| {
            model.predict(input).map_err(|e| to_model_error(&e))
        }))
    }
}

fn to_model_error(e: &OnnxError) -> ModelError {
    ModelError::Model(e.to_string())
}
