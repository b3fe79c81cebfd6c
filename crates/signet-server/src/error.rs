//! Every response that is not a success, and the one place ([`ApiError`]'s `IntoResponse`)
//! that turns them into bytes exactly as MLflow's FastAPI server sends them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
pub use signet_protocol::error::MlflowError;
use signet_protocol::RequestError;

/// The message MLflow sends when the model raised something other than an `MlflowException`.
pub const UNEXPECTED_ERROR: &str = "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.";

/// The body of the 504 sent when a request outlives the timeout (plain text, though MLflow
/// labels it `application/json`).
pub const TIMEOUT_BODY: &str = "Request processing time exceeded limit";

/// A refused request, whatever refused it.
#[derive(Debug)]
pub enum ApiError {
    /// The request parser's refusal, with the response MLflow sends for it.
    Request(RequestError),
    /// An MLflow exception (enforcement, params, or raised by the model).
    Mlflow(MlflowError),
    /// FastAPI's `{"detail":"..."}` pages (404, 405 with its `allow` header, 413, 400).
    Detail {
        /// HTTP status.
        status: u16,
        /// The `detail` text.
        detail: &'static str,
        /// The `allow` header of a 405.
        allow: Option<&'static str>,
    },
    /// Starlette's trailing-slash redirect (307, empty body) to this location.
    Redirect(String),
    /// The request took longer than the configured timeout (504).
    Timeout,
}

impl ApiError {
    /// FastAPI's 404 page.
    pub fn not_found() -> ApiError {
        ApiError::Detail {
            status: 404,
            detail: "Not Found",
            allow: None,
        }
    }

    /// FastAPI's 405 page for a route answering only `allow`.
    pub fn method_not_allowed(allow: &'static str) -> ApiError {
        ApiError::Detail {
            status: 405,
            detail: "Method Not Allowed",
            allow: Some(allow),
        }
    }

    /// The 413 sent for a body over the configured limit.
    pub fn too_large() -> ApiError {
        ApiError::Detail {
            status: 413,
            detail: "Request Entity Too Large",
            allow: None,
        }
    }

    /// The 400 sent when the body could not be read (connection cut mid-body).
    pub fn body_unreadable() -> ApiError {
        ApiError::Detail {
            status: 400,
            detail: "Could not read the request body",
            allow: None,
        }
    }

    /// MLflow's answer to a model failure that is not an `MlflowException`.
    pub fn unexpected(exception: &str, message: &str) -> ApiError {
        ApiError::Mlflow(MlflowError {
            stack_trace: Some(format!(
                "Traceback (most recent call last):\n  File \"signet-server\", in predict\n{exception}: {message}\n"
            )),
            ..MlflowError::new("BAD_REQUEST", UNEXPECTED_ERROR)
        })
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Request(e) => e.status,
            ApiError::Mlflow(e) => e.status(),
            ApiError::Detail { status, .. } => *status,
            ApiError::Redirect(_) => 307,
            ApiError::Timeout => 504,
        }
    }
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> ApiError {
        ApiError::Request(e)
    }
}

impl From<MlflowError> for ApiError {
    fn from(e: MlflowError) -> ApiError {
        ApiError::Mlflow(e)
    }
}

/// A response with this status, content type and body.
pub(crate) fn respond(
    status: u16,
    content_type: &'static str,
    body: impl Into<axum::body::Body>,
) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Request(e) => respond(status, e.content_type, e.body()),
            ApiError::Mlflow(e) => respond(status, "application/json", e.body()),
            ApiError::Detail { detail, allow, .. } => {
                let body = format!("{{\"detail\":\"{detail}\"}}");
                let mut resp = respond(status, "application/json", body);
                if let Some(a) = allow {
                    resp.headers_mut()
                        .insert(header::ALLOW, HeaderValue::from_static(a));
                }
                resp
            }
            ApiError::Redirect(location) => {
                let mut resp = Response::new(axum::body::Body::empty());
                *resp.status_mut() = StatusCode::TEMPORARY_REDIRECT;
                if let Ok(v) = HeaderValue::from_str(&location) {
                    resp.headers_mut().insert(header::LOCATION, v);
                }
                resp
            }
            ApiError::Timeout => respond(status, "application/json", TIMEOUT_BODY),
        }
    }
}
