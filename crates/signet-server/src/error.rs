//! Every response that is not a success, and the one place ([`ApiError`]'s `IntoResponse`)
//! that turns them into bytes exactly as MLflow's FastAPI server sends them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use signet::request::RequestError;
use signet::{pyjson, Value};

/// The message MLflow sends when the model raised something other than an `MlflowException`.
pub const UNEXPECTED_ERROR: &str = "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.";

/// The body of the 504 sent when a request outlives the timeout (plain text, though MLflow
/// labels it `application/json`).
pub const TIMEOUT_BODY: &str = "Request processing time exceeded limit";

/// An MLflow exception as the scoring server serializes it (SERVING.md §9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlflowError {
    /// MLflow's error code (`BAD_REQUEST`, `INVALID_PARAMETER_VALUE`, ...).
    pub error_code: String,
    /// The message.
    pub message: String,
    /// An `error_class` replacing the code's default (`SCHEMA_ENFORCEMENT_FAILED`).
    pub error_class: Option<&'static str>,
    /// The `stack_trace` member, when MLflow adds one.
    pub stack_trace: Option<String>,
}

impl MlflowError {
    /// An error with the code's default class and no stack trace.
    pub fn new(error_code: impl Into<String>, message: impl Into<String>) -> MlflowError {
        MlflowError {
            error_code: error_code.into(),
            message: message.into(),
            error_class: None,
            stack_trace: None,
        }
    }

    /// HTTP status, default `sqlstate` and default `error_class` of the error code.
    fn code_info(&self) -> (u16, Option<&'static str>, Option<&'static str>) {
        match self.error_code.as_str() {
            "BAD_REQUEST" | "INVALID_PARAMETER_VALUE" => {
                (400, Some("KAM00"), Some("INVALID_PARAMETER_VALUE"))
            }
            "INTERNAL_ERROR" => (500, Some("XXM00"), Some("CLIENT_INTERNAL_ERROR")),
            "TEMPORARILY_UNAVAILABLE" => (503, Some("XXM00"), Some("CLIENT_INTERNAL_ERROR")),
            "RESOURCE_DOES_NOT_EXIST" | "NOT_FOUND" | "ENDPOINT_NOT_FOUND" => {
                (404, Some("KAM00"), Some("RESOURCE_NOT_FOUND"))
            }
            "RESOURCE_ALREADY_EXISTS" => (400, Some("KAM00"), Some("RESOURCE_ALREADY_EXISTS")),
            "PERMISSION_DENIED" => (403, Some("KAM00"), Some("PERMISSION_DENIED")),
            _ => (500, None, None),
        }
    }

    /// The HTTP status MLflow maps the error code to.
    pub fn status(&self) -> u16 {
        self.code_info().0
    }

    /// The JSON body: members in MLflow's order, `json.dumps` separators.
    pub fn body(&self) -> String {
        let (_, default_sqlstate, default_class) = self.code_info();
        let (sqlstate, class) = match self.error_class {
            Some("SCHEMA_ENFORCEMENT_FAILED") => (Some("KAM01"), Some("SCHEMA_ENFORCEMENT_FAILED")),
            Some(c) => (default_sqlstate, Some(c)),
            None => (default_sqlstate, default_class),
        };
        let mut members = vec![
            ("error_code", Value::str(self.error_code.clone())),
            ("message", Value::str(self.message.clone())),
        ];
        if let Some(s) = sqlstate {
            members.push(("sqlstate", Value::str(s)));
        }
        if let Some(c) = class {
            members.push(("error_class", Value::str(c)));
        }
        if let Some(t) = &self.stack_trace {
            members.push(("stack_trace", Value::str(t.clone())));
        }
        pyjson::dumps(&Value::dict(members))
    }
}

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
