//! The seam between the server and a model: [`Predictor`] and its failure type [`PredictError`];
//! a loaded MLflow model ([`signet_model::PyFuncModel`]) is a [`Predictor`].

use signet::{ModelInput, Value};
use std::fmt;

/// A model the server can call: `predict` receives the input and params exactly as MLflow's
/// `PyFuncModel.predict` hands them to the model, after schema enforcement.
///
/// `predict` runs on a blocking thread (`tokio::task::spawn_blocking`), so it may compute
/// for as long as it needs; the server bounds how many run at once. Small requests to a model
/// whose recent calls took under 200 µs run inline on the runtime thread instead (a thread
/// hand-off would cost more than the call; see `scoring.rs`).
pub trait Predictor: Send + Sync + 'static {
    /// Runs the model on one request's input and params (`None` when MLflow passes `None`).
    fn predict(&self, input: ModelInput, params: Option<Value>)
        -> Result<ModelInput, PredictError>;
}

/// Why a model's `predict` failed, in the two shapes MLflow's scoring server distinguishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PredictError {
    /// The model raised an `MlflowException`: the response keeps its `error_code` (and so its
    /// HTTP status, `sqlstate` and `error_class`, docs/serving.md#error-responses) and wraps the message as
    /// `Failed to predict data '<data>'. \nError: <message>`.
    Mlflow {
        /// MLflow's error code (`INTERNAL_ERROR`, `INVALID_PARAMETER_VALUE`, ...).
        error_code: String,
        /// The exception's message.
        message: String,
    },
    /// Any other failure: MLflow answers 400 `BAD_REQUEST`
    /// `Encountered an unexpected error while evaluating the model. ...` with a `stack_trace`
    /// ending in `<exception>: <message>`.
    Other {
        /// The exception class the trace names (`ValueError`, `RuntimeError`, ...).
        exception: String,
        /// The exception's message.
        message: String,
    },
}

impl PredictError {
    /// An `MlflowException` with this error code and message.
    pub fn mlflow(error_code: impl Into<String>, message: impl Into<String>) -> PredictError {
        PredictError::Mlflow {
            error_code: error_code.into(),
            message: message.into(),
        }
    }

    /// Any other failure, reported as a Python `exception` class with this message.
    pub fn other(exception: impl Into<String>, message: impl Into<String>) -> PredictError {
        PredictError::Other {
            exception: exception.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for PredictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PredictError::Mlflow {
                error_code,
                message,
            } => write!(f, "{error_code}: {message}"),
            PredictError::Other { exception, message } => write!(f, "{exception}: {message}"),
        }
    }
}

impl std::error::Error for PredictError {}

/// A loaded MLflow model, served as `signet serve` serves it: the server has parsed and
/// enforced the request, so the model runs on the enforced input
/// ([`PyFuncModel::predict_enforced`](signet_model::PyFuncModel::predict_enforced)). A failure
/// with an MLflow error code is an `MlflowException` of that code; any other is reported as an
/// `MlflowException` without one (a 400 `BAD_REQUEST` with a `stack_trace`).
impl Predictor for signet_model::PyFuncModel {
    fn predict(
        &self,
        input: ModelInput,
        params: Option<Value>,
    ) -> Result<ModelInput, PredictError> {
        self.predict_enforced(input, params.as_ref())
            .map_err(|e| match e.error_code() {
                Some(code) => PredictError::mlflow(code, e.to_string()),
                None => PredictError::other("MlflowException", e.to_string()),
            })
    }
}
