//! [`OnnxError`]: why a model could not be loaded or could not predict.

use std::fmt;
use std::path::PathBuf;

/// An error of the ONNX engine.
#[derive(Debug)]
pub enum OnnxError {
    /// The model file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not an ONNX model (protobuf decoding failed, no graph).
    Parse(String),
    /// The graph uses an operator the engine does not implement.
    UnsupportedOperator {
        /// The operator (`op_type`).
        op_type: String,
        /// The operator's domain (`""` for the default ONNX domain, `ai.onnx.ml`, ...).
        domain: String,
        /// The node's name (or, for an unnamed node, its first output).
        node: String,
    },
    /// The model could not be analysed, typed or optimized (bad attributes, shapes that do not
    /// fit together, an operator configuration tract does not support, ...).
    Load(String),
    /// The input does not fit the model. `exception` is the Python exception class MLflow's
    /// ONNX wrapper or onnxruntime raises for the same input (`TypeError`, `KeyError`,
    /// `ValueError`, `MlflowException`, `InvalidArgument`), `message` its text.
    InvalidInput {
        /// The Python exception class name.
        exception: &'static str,
        /// The message.
        message: String,
    },
    /// The model failed while running.
    Run(String),
}

impl OnnxError {
    pub(crate) fn invalid(exception: &'static str, message: impl Into<String>) -> OnnxError {
        OnnxError::InvalidInput {
            exception,
            message: message.into(),
        }
    }

    /// onnxruntime's `INVALID_ARGUMENT` status as its Python exception prints it.
    pub(crate) fn ort_invalid(message: impl fmt::Display) -> OnnxError {
        OnnxError::invalid(
            "InvalidArgument",
            format!("[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : {message}"),
        )
    }
}

impl fmt::Display for OnnxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OnnxError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            OnnxError::Parse(m) => write!(f, "not a valid ONNX model: {m}"),
            OnnxError::UnsupportedOperator {
                op_type,
                domain,
                node,
            } => {
                let qualified = if domain.is_empty() || domain == "ai.onnx" {
                    op_type.clone()
                } else {
                    format!("{domain}.{op_type}")
                };
                write!(
                    f,
                    "unsupported ONNX operator `{qualified}` in node `{node}`: signet's ONNX \
                     engine does not implement it"
                )
            }
            OnnxError::Load(m) => write!(f, "could not prepare the ONNX model: {m}"),
            OnnxError::InvalidInput { message, .. } => f.write_str(message),
            OnnxError::Run(m) => write!(f, "the ONNX model failed: {m}"),
        }
    }
}

impl std::error::Error for OnnxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OnnxError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
