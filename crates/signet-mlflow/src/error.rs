//! [`MlflowError`]: every way a call to a tracking server, a download or a log can fail, each
//! naming the URI and the call.

use std::fmt;
use std::path::PathBuf;

/// An error from the MLflow client.
#[derive(Debug)]
pub enum MlflowError {
    /// The server answered with MLflow's `{"error_code": ..., "message": ...}` body.
    Api {
        /// The call, e.g. `GET /api/2.0/mlflow/registered-models/alias`.
        call: String,
        /// The full URL the call went to.
        uri: String,
        /// The HTTP status.
        status: u16,
        /// MLflow's error code, e.g. `RESOURCE_DOES_NOT_EXIST`.
        error_code: String,
        /// MLflow's message.
        message: String,
    },
    /// The server answered with a non-success status and a body that is not MLflow's error
    /// JSON (a proxy, a non-MLflow URL, an auth layer).
    Http {
        /// The call.
        call: String,
        /// The full URL.
        uri: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body, as text.
        body: String,
    },
    /// The server could not be reached, or the connection failed (after the retries).
    Transport {
        /// The call.
        call: String,
        /// The full URL.
        uri: String,
        /// What went wrong.
        message: String,
    },
    /// A success status whose body is not what the API promises.
    BadResponse {
        /// The call.
        call: String,
        /// The full URL.
        uri: String,
        /// What is wrong with the body.
        message: String,
    },
    /// A URI that cannot be used (bad form, unsupported scheme).
    Uri {
        /// The URI as given.
        uri: String,
        /// Why it cannot be used.
        message: String,
    },
    /// A local file or directory could not be read or written.
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error's text.
        message: String,
    },
    /// The configuration (environment variables, credentials file, certificates) is invalid.
    Config(String),
    /// Something else, already worded for the user.
    Other(String),
}

impl MlflowError {
    /// MLflow's error code, for [`MlflowError::Api`] errors.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            MlflowError::Api { error_code, .. } => Some(error_code),
            _ => None,
        }
    }

    /// The HTTP status, for errors that carry one.
    pub fn status(&self) -> Option<u16> {
        match self {
            MlflowError::Api { status, .. } | MlflowError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, e: impl fmt::Display) -> Self {
        MlflowError::Io {
            path: path.into(),
            message: e.to_string(),
        }
    }
}

fn auth_hint(status: u16) -> &'static str {
    match status {
        401 => " (check MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD, ~/.mlflow/credentials or MLFLOW_TRACKING_TOKEN)",
        403 => " (the credentials lack the permission for this call)",
        _ => "",
    }
}

impl fmt::Display for MlflowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MlflowError::Api {
                call,
                uri,
                status,
                error_code,
                message,
            } => write!(
                f,
                "{call} ({uri}) failed with HTTP {status}: {error_code}: {message}{}",
                auth_hint(*status)
            ),
            MlflowError::Http {
                call,
                uri,
                status,
                body,
            } => {
                write!(f, "{call} ({uri}) failed with HTTP {status}")?;
                f.write_str(auth_hint(*status))?;
                if body.trim().is_empty() {
                    Ok(())
                } else if matches!(status, 401 | 403) {
                    write!(f, ": {body}")
                } else {
                    write!(f, "; the response is not MLflow's (is this an MLflow tracking server?): {body}")
                }
            }
            MlflowError::Transport { call, uri, message } => {
                write!(f, "{call} ({uri}) failed: {message}")
            }
            MlflowError::BadResponse { call, uri, message } => {
                f.write_str(call)?;
                if !uri.is_empty() {
                    write!(f, " ({uri})")?;
                }
                write!(
                    f,
                    " answered something that is not MLflow's API (is this an MLflow tracking server?): {message}"
                )
            }
            MlflowError::Uri { uri, message } => write!(f, "{uri}: {message}"),
            MlflowError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            MlflowError::Config(m) | MlflowError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for MlflowError {}

/// Decodes a non-success response body: MLflow's `{"error_code", "message"}` JSON becomes
/// [`MlflowError::Api`], anything else [`MlflowError::Http`] with the body's start.
pub fn decode_error(call: &str, uri: &str, status: u16, body: &[u8]) -> MlflowError {
    if let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Some(code) = obj.get("error_code").and_then(|v| v.as_str()) {
            return MlflowError::Api {
                call: call.to_string(),
                uri: uri.to_string(),
                status,
                error_code: code.to_string(),
                message: obj
                    .get("message")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
            };
        }
    }
    let text = String::from_utf8_lossy(body);
    let mut shown: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        shown.push_str(" ...");
    }
    MlflowError::Http {
        call: call.to_string(),
        uri: uri.to_string(),
        status,
        body: shown.trim().to_string(),
    }
}
