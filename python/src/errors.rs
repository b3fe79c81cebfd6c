//! signet's errors as the Python exceptions of `signet._errors`, with MLflow's messages.

use pyo3::prelude::*;
use signet::enforce::EnforceError;
use signet::SchemaError;

/// Builds `signet._errors.<class>(message)` with extra attributes set on the instance.
pub fn raise(py: Python<'_>, class: &str, message: &str, attrs: &[(&str, PyObject)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = py.import("signet._errors")?.getattr(class)?;
        let err = cls.call1((message,))?;
        for (k, v) in attrs {
            err.setattr(*k, v)?;
        }
        Ok(PyErr::from_value(err))
    };
    build().unwrap_or_else(|e| e)
}

/// A schema that cannot be built, parsed or inferred: `signet.SchemaError`.
pub fn schema_error(py: Python<'_>, e: &SchemaError) -> PyErr {
    raise(py, "SchemaError", e.message(), &[])
}

/// Data or params refused by enforcement: `signet.EnforceError` carrying MLflow's message (the
/// inner one, as `_enforce_schema` raises it, or `message` when given) and its details.
pub fn enforce_error(py: Python<'_>, e: &EnforceError, message: Option<&str>) -> PyErr {
    let attrs = |py: Python<'_>| -> PyResult<Vec<(&'static str, PyObject)>> {
        Ok(vec![
            (
                "error_class",
                e.kind.as_str().into_pyobject(py)?.into_any().unbind(),
            ),
            (
                "column",
                e.location
                    .column
                    .clone()
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
            ),
            ("row", e.location.row.into_pyobject(py)?.into_any().unbind()),
            (
                "exception",
                e.exception.into_pyobject(py)?.into_any().unbind(),
            ),
            (
                "wrapped",
                pyo3::types::PyBool::new(py, e.wrapped)
                    .to_owned()
                    .into_any()
                    .unbind(),
            ),
            (
                "inner_message",
                e.message().into_pyobject(py)?.into_any().unbind(),
            ),
        ])
    };
    match attrs(py) {
        Ok(a) => raise(py, "EnforceError", message.unwrap_or(e.message()), &a),
        Err(err) => err,
    }
}

/// Data that cannot be read as a model input: `signet.InputError` (a `TypeError`).
pub fn input_error(py: Python<'_>, message: impl AsRef<str>) -> PyErr {
    raise(py, "InputError", message.as_ref(), &[])
}

/// A model that cannot be resolved, loaded or run: `signet.ModelError`.
pub fn model_error(py: Python<'_>, message: impl AsRef<str>) -> PyErr {
    raise(py, "ModelError", message.as_ref(), &[])
}
