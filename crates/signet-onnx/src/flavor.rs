//! The `onnx` flavor of MLflow model directories, plugged into `signet-model`'s registry:
//! `registry.register_flavor("onnx", OnnxFlavor)` lets `signet_model::load_model` execute
//! models saved by `mlflow.onnx.save_model` (and by signet).

use crate::{OnnxError, OnnxModel};
use signet::{ModelInput, Value};
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
        Ok(Box::new(OnnxPredictor { model }))
    }
}

/// An ONNX model behind `signet-model`'s [`Predictor`] (params are ignored, as MLflow's ONNX
/// wrapper ignores them).
struct OnnxPredictor {
    model: OnnxModel,
}

impl Predictor for OnnxPredictor {
    fn predict(
        &self,
        input: ModelInput,
        _params: Option<&Value>,
    ) -> Result<ModelInput, ModelError> {
        self.model.predict(input).map_err(|e| to_model_error(&e))
    }
}

fn to_model_error(e: &OnnxError) -> ModelError {
    ModelError::Model(e.to_string())
}
