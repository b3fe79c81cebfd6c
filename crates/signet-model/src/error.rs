//! [`ModelError`]: why a model directory could not be read, written, loaded or run.

use signet::enforce::EnforceError;
use signet::SchemaError;
use std::fmt;

/// A failure of this crate. `Display` is the message (MLflow's exact text where MLflow has
/// one, e.g. `Could not find an "MLmodel" configuration file at "<path>"`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ModelError {
    /// A model, file or artifact does not exist (MLflow's `RESOURCE_DOES_NOT_EXIST`).
    NotFound(String),
    /// The save target exists and is not empty (MLflow's `RESOURCE_ALREADY_EXISTS`).
    AlreadyExists(String),
    /// The MLmodel file is not valid YAML, or not a YAML mapping.
    Yaml(String),
    /// A signature or schema in the MLmodel file is invalid (MLflow's schema messages).
    Schema(SchemaError),
    /// The MLmodel file is valid YAML but a value has the wrong shape (e.g. `flavors` is not a
    /// mapping).
    InvalidModel(String),
    /// An input example cannot be saved or read.
    InvalidExample(String),
    /// A path in the MLmodel file leaves the model directory (absolute, `..`, or a symlink
    /// pointing outside).
    UnsafePath(String),
    /// The `signet` flavor names a model type the running program has not registered.
    UnknownModelType(String),
    /// No registered loader can execute any of the model's flavors.
    UnsupportedFlavor(String),
    /// The input or params were refused by signature enforcement. `message` is the message
    /// MLflow raises from `PyFuncModel.predict` (input failures wrapped as `Failed to enforce
    /// schema of data '<data>' with schema '<schema>'. Error: <error>`); `error` holds the
    /// inner failure.
    Enforce {
        /// The enforcement failure (its `Display` is MLflow's inner message).
        error: Box<EnforceError>,
        /// The whole message MLflow raises.
        message: String,
    },
    /// The model's own code failed (state (de)serialisation or `predict`).
    Model(String),
    /// A file-system operation failed.
    Io(String),
}

impl ModelError {
    /// MLflow's error code for the failure, where MLflow has one.
    pub fn error_code(&self) -> Option<&'static str> {
        match self {
            ModelError::NotFound(_) | ModelError::UnsupportedFlavor(_) => {
                Some("RESOURCE_DOES_NOT_EXIST")
            }
            ModelError::AlreadyExists(_) => Some("RESOURCE_ALREADY_EXISTS"),
            ModelError::Schema(_)
            | ModelError::InvalidExample(_)
            | ModelError::Enforce { .. }
            | ModelError::UnsafePath(_) => Some("INVALID_PARAMETER_VALUE"),
            _ => None,
        }
    }

    /// The enforcement failure, when the input or params were refused.
    pub fn enforce_error(&self) -> Option<&EnforceError> {
        match self {
            ModelError::Enforce { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }

    pub(crate) fn io(what: impl fmt::Display, e: std::io::Error) -> ModelError {
        ModelError::Io(format!("{what}: {e}"))
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Schema(e) => f.write_str(e.message()),
            ModelError::Enforce { message, .. } => f.write_str(message),
            ModelError::NotFound(m)
            | ModelError::AlreadyExists(m)
            | ModelError::Yaml(m)
            | ModelError::InvalidModel(m)
            | ModelError::InvalidExample(m)
            | ModelError::UnsafePath(m)
            | ModelError::UnknownModelType(m)
            | ModelError::UnsupportedFlavor(m)
            | ModelError::Model(m)
            | ModelError::Io(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ModelError {}

impl From<SchemaError> for ModelError {
    fn from(e: SchemaError) -> ModelError {
        ModelError::Schema(e)
    }
}

impl From<EnforceError> for ModelError {
    /// The failure with its inner message as the whole message.
    fn from(e: EnforceError) -> ModelError {
        ModelError::Enforce {
            message: e.message().to_string(),
            error: Box::new(e),
        }
    }
}
