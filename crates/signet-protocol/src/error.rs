//! MLflow's error codes and what each maps to on the wire: the HTTP status, the `sqlstate` and
//! the default `error_class` of the JSON error body (`mlflow/protos/databricks.proto` and
//! `mlflow/exceptions.py`; [docs/serving.md](../../../docs/serving.md#errors)).
//!
//! [`MlflowError`] is an `MlflowException` as the scoring server serializes it; every JSON error
//! body signet sends is built by [`MlflowError::body`].

use signet::{pyjson, Value};

/// What an MLflow error code maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCode {
    /// The HTTP status (500 for codes MLflow does not map).
    pub status: u16,
    /// The `sqlstate` member, if the code has one.
    pub sqlstate: Option<&'static str>,
    /// The default `error_class` member, if the code has one.
    pub error_class: Option<&'static str>,
}

impl ErrorCode {
    /// The mapping of `code` (`BAD_REQUEST`, `INVALID_PARAMETER_VALUE`, ...).
    pub fn of(code: &str) -> ErrorCode {
        let (status, sqlstate, error_class) = match code {
            "BAD_REQUEST" | "INVALID_PARAMETER_VALUE" => (400, "KAM00", "INVALID_PARAMETER_VALUE"),
            "INTERNAL_ERROR" => (500, "XXM00", "CLIENT_INTERNAL_ERROR"),
            "TEMPORARILY_UNAVAILABLE" => (503, "XXM00", "CLIENT_INTERNAL_ERROR"),
            "RESOURCE_DOES_NOT_EXIST" | "NOT_FOUND" | "ENDPOINT_NOT_FOUND" => {
                (404, "KAM00", "RESOURCE_NOT_FOUND")
            }
            "RESOURCE_ALREADY_EXISTS" => (400, "KAM00", "RESOURCE_ALREADY_EXISTS"),
            "PERMISSION_DENIED" => (403, "KAM00", "PERMISSION_DENIED"),
            _ => {
                return ErrorCode {
                    status: 500,
                    sqlstate: None,
                    error_class: None,
                }
            }
        };
        ErrorCode {
            status,
            sqlstate: Some(sqlstate),
            error_class: Some(error_class),
        }
    }
}

/// The `error_class` of schema-enforcement failures, which carries its own `sqlstate`.
pub const SCHEMA_ENFORCEMENT_FAILED: &str = "SCHEMA_ENFORCEMENT_FAILED";

/// An MLflow exception as the scoring server serializes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlflowError {
    /// MLflow's error code (`BAD_REQUEST`, `INVALID_PARAMETER_VALUE`, ...).
    pub error_code: String,
    /// The message.
    pub message: String,
    /// An `error_class` replacing the code's default ([`SCHEMA_ENFORCEMENT_FAILED`]).
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

    /// The HTTP status MLflow maps the error code to.
    pub fn status(&self) -> u16 {
        ErrorCode::of(&self.error_code).status
    }

    /// The JSON body: members in MLflow's order, `json.dumps` separators and escaping.
    pub fn body(&self) -> String {
        let code = ErrorCode::of(&self.error_code);
        let (sqlstate, class) = match self.error_class {
            Some(SCHEMA_ENFORCEMENT_FAILED) => (Some("KAM01"), Some(SCHEMA_ENFORCEMENT_FAILED)),
            Some(c) => (code.sqlstate, Some(c)),
            None => (code.sqlstate, code.error_class),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_follow_the_code_table() {
        let cases = [
            (
                "BAD_REQUEST",
                None,
                400,
                r#"{"error_code": "BAD_REQUEST", "message": "m", "sqlstate": "KAM00", "error_class": "INVALID_PARAMETER_VALUE"}"#,
            ),
            (
                "INVALID_PARAMETER_VALUE",
                Some(SCHEMA_ENFORCEMENT_FAILED),
                400,
                r#"{"error_code": "INVALID_PARAMETER_VALUE", "message": "m", "sqlstate": "KAM01", "error_class": "SCHEMA_ENFORCEMENT_FAILED"}"#,
            ),
            (
                "TEMPORARILY_UNAVAILABLE",
                None,
                503,
                r#"{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "m", "sqlstate": "XXM00", "error_class": "CLIENT_INTERNAL_ERROR"}"#,
            ),
            (
                "PERMISSION_DENIED",
                None,
                403,
                r#"{"error_code": "PERMISSION_DENIED", "message": "m", "sqlstate": "KAM00", "error_class": "PERMISSION_DENIED"}"#,
            ),
            (
                "SOMETHING_ELSE",
                None,
                500,
                r#"{"error_code": "SOMETHING_ELSE", "message": "m"}"#,
            ),
        ];
        for (code, class, status, body) in cases {
            let e = MlflowError {
                error_class: class,
                ..MlflowError::new(code, "m")
            };
            assert_eq!(e.status(), status, "{code}");
            assert_eq!(e.body(), body, "{code}");
        }
    }
}
