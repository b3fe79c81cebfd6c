//! Models that return what they are given (or a fixed output), for tests of everything around
//! a model: saving and loading directories ([`EchoModel`], a `signet-model` [`Model`]) and
//! serving ([`EchoPredictor`], a `signet-server` [`Predictor`]).

use signet::{ModelInput, Value};
use signet_model::{LoadModel, Model, ModelError, PredictContext};
use signet_server::{PredictError, Predictor};
use std::sync::Mutex;

/// The model type [`EchoModel`] is saved and registered under.
pub const ECHO_MODEL_TYPE: &str = "echo";

/// A Rust model returning its input unchanged; its saved state is the two bytes `{}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct EchoModel;

impl Model for EchoModel {
    fn model_type(&self) -> &str {
        ECHO_MODEL_TYPE
    }

    fn predict(
        &self,
        _: &PredictContext,
        input: ModelInput,
        _: Option<&Value>,
    ) -> Result<ModelInput, ModelError> {
        Ok(input)
    }

    fn save_state(&self) -> Result<Vec<u8>, ModelError> {
        Ok(b"{}".to_vec())
    }
}

impl LoadModel for EchoModel {
    fn load_state(_: &[u8], _: &PredictContext) -> Result<Self, ModelError> {
        Ok(EchoModel)
    }
}

/// A served model returning its input (or `output`, when set), recording the params of every
/// call.
#[derive(Debug, Default)]
pub struct EchoPredictor {
    /// What to return instead of the input.
    pub output: Option<ModelInput>,
    /// The params of each call, in order.
    pub params: Mutex<Vec<Option<Value>>>,
}

impl EchoPredictor {
    /// An echo returning `output` (its input when `None`).
    pub fn returning(output: Option<ModelInput>) -> EchoPredictor {
        EchoPredictor {
            output,
            params: Mutex::default(),
        }
    }

    /// The params of each call so far.
    pub fn params_seen(&self) -> Vec<Option<Value>> {
        self.params.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

impl Predictor for EchoPredictor {
    fn predict(
        &self,
        input: ModelInput,
        params: Option<Value>,
    ) -> Result<ModelInput, PredictError> {
        if let Ok(mut seen) = self.params.lock() {
            seen.push(params);
        }
        Ok(self.output.clone().unwrap_or(input))
    }
}
