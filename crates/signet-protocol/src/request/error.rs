//! [`RequestError`]: a scoring request refused before the model runs, with the exact HTTP
//! response MLflow's scoring server sends for it.

use crate::error::MlflowError;
use std::fmt;

/// The content type of MLflow's JSON error bodies.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// The content type of the plain-text 415 / 500 responses.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// A scoring request that could not be turned into model input.
///
/// `status`, `content_type` and [`RequestError::body`] are the response MLflow 3.17.2's scoring
/// server sends (docs/serving.md#error-responses): a JSON object
/// `{"error_code": ..., "message": ..., "sqlstate": ..., "error_class": ...[, "stack_trace": ...]}`
/// for MLflow errors, or the bare text for the 415 / 500 pages (`error_code` is `None` then).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    /// HTTP status (400, 415 or 500).
    pub status: u16,
    /// MLflow's error code (`BAD_REQUEST`, `INVALID_PARAMETER_VALUE`, ...); `None` for the
    /// plain-text responses.
    pub error_code: Option<&'static str>,
    /// The message (the whole body for plain-text responses).
    pub message: String,
    /// The response's `Content-Type`.
    pub content_type: &'static str,
    /// Whether MLflow adds a `stack_trace` member (CSV / Parquet parse failures).
    pub stack_trace: bool,
    /// The Python exception line a traceback would end with (`ValueError: ...`), used to fill
    /// the `stack_trace` member.
    exception: String,
}

impl RequestError {
    /// A 400 `BAD_REQUEST` error with MLflow's message.
    pub fn bad_request(message: impl Into<String>) -> RequestError {
        RequestError {
            status: 400,
            error_code: Some("BAD_REQUEST"),
            message: message.into(),
            content_type: JSON_CONTENT_TYPE,
            stack_trace: false,
            exception: String::new(),
        }
    }

    /// MLflow's `MlflowInvalidInputException`: 400 `BAD_REQUEST`, message prefixed with
    /// `Invalid input. `.
    pub fn invalid_input(message: impl AsRef<str>) -> RequestError {
        RequestError::bad_request(format!("Invalid input. {}", message.as_ref()))
    }

    /// A 400 `BAD_REQUEST` error carrying a `stack_trace` member; `exception` is the Python
    /// exception line the trace ends with (`ValueError: ...`).
    pub fn with_trace(message: impl Into<String>, exception: impl Into<String>) -> RequestError {
        RequestError {
            stack_trace: true,
            exception: exception.into(),
            ..RequestError::bad_request(message)
        }
    }

    /// A plain-text response (`text/plain; charset=utf-8`) with this status and body.
    pub fn plain(status: u16, body: impl Into<String>) -> RequestError {
        RequestError {
            status,
            error_code: None,
            message: body.into(),
            content_type: TEXT_CONTENT_TYPE,
            stack_trace: false,
            exception: String::new(),
        }
    }

    /// The 500 page the web framework sends when an exception escapes MLflow's handlers.
    pub fn internal() -> RequestError {
        RequestError::plain(500, "Internal Server Error")
    }

    /// The `stack_trace` text: signet runs no Python, so the trace names the request parser and
    /// ends with the exception line MLflow's trace would end with.
    pub fn stack_trace_text(&self) -> Option<String> {
        if !self.stack_trace {
            return None;
        }
        Some(format!(
            "Traceback (most recent call last):\n  File \"signet/request\", in parse_request\n{}\n",
            self.exception
        ))
    }

    /// The response body exactly as MLflow writes it: the JSON error object (built by
    /// [`MlflowError::body`]) or, for plain-text responses, the text.
    pub fn body(&self) -> String {
        let Some(code) = self.error_code else {
            return self.message.clone();
        };
        MlflowError {
            stack_trace: self.stack_trace_text(),
            ..MlflowError::new(code, self.message.clone())
        }
        .body()
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}
