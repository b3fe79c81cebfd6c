//! Enforcement: an input checked against a signature before the model runs, as MLflow's
//! `PyFuncModel.predict` does it — columns selected and reordered, safe conversions applied,
//! unsafe ones refused — in one of two [`Compat`] modes.

mod columns;
mod error;
pub mod nested;
mod tensors;
pub mod violations;

pub use error::{EnforceError, ErrorKind, Location};
pub use tensors::unnamed_frame_shape;

use crate::input::ModelInput;
use crate::repr::{param_spec_repr, py_repr, py_set, py_str, py_tuple};
use crate::types::{DataType, ModelSignature, ParamSchema, ParamShape, ParamType, SchemaKind};
use crate::value::Value;
use arrow_schema::FieldRef;

/// How faithfully MLflow's quirks are reproduced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compat {
    /// MLflow's decisions, except that every lossy or nonsensical conversion (1500.5 truncated
    /// to a long, `"abc"` read as `true`, `null` read as the text `'None'`, ...) is refused
    /// with an error naming column, row and value. See `docs/divergences.md`.
    #[default]
    Strict,
    /// Exactly MLflow's decisions, quirks included.
    Mlflow,
}

/// A warning MLflow logs while enforcing (extra columns dropped, unknown params ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// MLflow's log text.
    pub message: String,
}

/// The outcome of a successful enforcement: what the model receives.
#[derive(Clone, Debug)]
pub struct Enforced {
    /// The input as the model receives it.
    pub input: ModelInput,
    /// The params as the model receives them (`None` when MLflow passes `None`).
    pub params: Option<Value>,
    /// What MLflow would have logged.
    pub warnings: Vec<Warning>,
}

/// Checks `input` and `params` against `signature` and returns what the model receives
/// (docs/enforcement.md#order-of-operations).
///
/// * No input schema (or no signature at all): the input reaches the model untouched.
/// * Input schema present: column-based schemas go through §2–§6, tensor-based ones through
///   §7; any failure is an input-schema error ([`EnforceError::wrapped`]). It is checked before
///   the params, so a bad input wins over bad params.
/// * Params (§8), whether or not there is a signature (MLflow's `_validate_prediction_input`
///   always runs `_enforce_params_schema`, so even a model without signature receives `{}`
///   for non-empty params): with a params schema, `None` becomes the defaults, unknown keys
///   are dropped with a warning, values are validated and converted; without one, `None` and
///   `{}` pass as they are and anything else becomes `{}` with a warning. Params errors are
///   not wrapped. [`Enforced::params`] is `None` only when MLflow passes `None`.
///
/// [`Compat::Strict`] also refuses integer params outside their type's range (`long` = 64
/// bits, `integer` = 32 bits), which MLflow lets through as unbounded Python ints.
pub fn enforce(
    signature: Option<&ModelSignature>,
    input: ModelInput,
    params: Option<&Value>,
    compat: Compat,
) -> Result<Enforced, EnforceError> {
    let mut warnings = Vec::new();
    let input = match signature.and_then(|s| s.inputs.as_ref()) {
        None => input,
        Some(schema) => match schema.kind() {
            SchemaKind::Columns(specs) => {
                let distinct = schema.names_distinct();
                columns::enforce_columns(specs, distinct, input, compat, &mut warnings)?
            }
            SchemaKind::Tensors(specs) => {
                tensors::enforce_tensors(specs, input, compat, &mut warnings)?
            }
        },
    };
    let (params, logged) = enforce_params(signature, params, compat)?;
    warnings.extend(logged);
    Ok(Enforced {
        input,
        params,
        warnings,
    })
}

/// The params half of [`enforce`] (§8): the params as the model receives them (`None` when
/// MLflow passes `None`) and what MLflow logs.
pub fn enforce_params(
    signature: Option<&ModelSignature>,
    params: Option<&Value>,
    compat: Compat,
) -> Result<(Option<Value>, Vec<Warning>), EnforceError> {
    let params_schema = signature.and_then(|s| s.params.as_ref());
    let (params, logged) = crate::params::enforce_params(params_schema, params)
        .map_err(|e| params_error(e.message()))?;
    if compat == Compat::Strict {
        if let Some(schema) = params_schema {
            strict_param_ranges(schema, &params)?;
        }
    }
    let params = match params {
        Value::None => None,
        other => Some(other),
    };
    Ok((
        params,
        logged
            .into_iter()
            .map(|message| Warning { message })
            .collect(),
    ))
}

/// Whether [`enforce`] gives the model a DataFrame whose columns are `fields` as it is (the
/// same columns, in order, no warning), decided from the fields alone — labels and types by
/// [`crate::table`]'s conventions — for columns that hold no missing values. A reader can
/// then skip reading values it would only hand back. `false` when the values would decide,
/// and when the frame would be changed or refused. Params are [`enforce_params`]' part.
pub fn frame_passes_as_is(signature: Option<&ModelSignature>, fields: &[FieldRef]) -> bool {
    let Some(schema) = signature.and_then(|s| s.inputs.as_ref()) else {
        return true;
    };
    match schema.kind() {
        SchemaKind::Columns(specs) => columns::passes_as_is(specs, schema.names_distinct(), fields),
        SchemaKind::Tensors(_) => false,
    }
}

/// A params failure: MLflow's own errors are `MlflowException`s; the few raw Python errors
/// that escape its validation keep their class.
fn params_error(message: &str) -> EnforceError {
    let raw = |class: &'static str| {
        let mut e = EnforceError::params(message).exception(class);
        e.kind = ErrorKind::Other;
        e
    };
    if message.starts_with("setting an array element with a sequence") {
        raw("ValueError")
    } else if message.contains("object has no attribute") {
        raw("AttributeError")
    } else {
        EnforceError::params(message)
    }
}

/// Strict mode: integer params must fit their declared type.
fn strict_param_ranges(schema: &ParamSchema, params: &Value) -> Result<(), EnforceError> {
    let mut invalid = Vec::new();
    for spec in schema.params() {
        let (lo, hi, dtype) = match spec.dtype() {
            ParamType::Scalar(DataType::Long) => {
                (i64::MIN as i128, i64::MAX as i128, DataType::Long)
            }
            ParamType::Scalar(DataType::Integer) => {
                (i32::MIN as i128, i32::MAX as i128, DataType::Integer)
            }
            _ => continue,
        };
        let Some(value) = params.get(spec.name()) else {
            continue;
        };
        let values: &[Value] = match (spec.shape(), value) {
            (ParamShape::List, Value::List(items)) => items,
            _ => std::slice::from_ref(value),
        };
        if let Some(bad) = values
            .iter()
            .find(|v| matches!(v, Value::Int(n) if *n < lo || *n > hi))
        {
            let message = format!(
                "Failed to validate type and shape for {}, error: Value `{}` is out of range for \
                 `{}`",
                param_spec_repr(spec),
                py_repr(bad),
                dtype.qualified()
            );
            invalid.push(py_tuple(&[py_str(spec.name()), py_str(&message)]));
        }
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(EnforceError::params(format!(
            "Invalid parameters found: {}",
            py_set(&invalid)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elem::model_input_from_value;
    use crate::json_form::signature_from_value;
    use crate::pyjson::{dumps, loads};

    const PARAMS: &str = r#"[{"name": "n", "type": "long", "default": 10, "shape": null}, {"name": "i", "type": "integer", "default": 3, "shape": null}, {"name": "ids", "type": "long", "default": [1], "shape": [-1]}]"#;
    const TENSOR: &str =
        r#"[{"name": "x", "type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]"#;

    fn signature(inputs: Option<&str>, params: Option<&str>) -> ModelSignature {
        let part = |s: Option<&str>| s.map_or(Value::None, Value::str);
        signature_from_value(&Value::dict([
            ("inputs", part(inputs)),
            ("outputs", Value::None),
            ("params", part(params)),
        ]))
        .unwrap()
    }

    fn input(json: &str) -> ModelInput {
        model_input_from_value(&loads(json).unwrap()).unwrap()
    }

    fn array() -> ModelInput {
        input(r#"{"type": "ndarray", "dtype": "int64", "shape": [1], "values": [1]}"#)
    }

    fn shown(v: &Option<Value>) -> String {
        v.as_ref()
            .map_or("None".into(), |v| dumps(&crate::elem::to_elem(v)))
    }

    #[test]
    fn no_signature_passes_input_and_empties_params() {
        let e = enforce(None, array(), None, Compat::Strict).unwrap();
        assert!(matches!(e.input, ModelInput::Tensor(_)));
        assert_eq!((e.params, e.warnings.len()), (None, 0));
        let e = enforce(
            None,
            array(),
            Some(&Value::dict([] as [(&str, Value); 0])),
            Compat::Mlflow,
        )
        .unwrap();
        assert_eq!(shown(&e.params), "{}");
        let given = Value::dict([("k", Value::Int(1))]);
        let e = enforce(None, array(), Some(&given), Compat::Mlflow).unwrap();
        assert_eq!(shown(&e.params), "{}");
        assert_eq!(
            e.warnings[0].message,
            "`params` can only be specified at inference time if the model signature defines a \
             params schema. This model does not define a params schema. Ignoring provided \
             params: ['k']"
        );
    }

    #[test]
    fn params_none_and_defaults() {
        let sig = signature(Some(TENSOR), Some(PARAMS));
        let e = enforce(Some(&sig), array(), None, Compat::Mlflow).unwrap();
        assert_eq!(shown(&e.params), r#"{"n": 10, "i": 3, "ids": [1]}"#);
        let given = Value::dict([("i", Value::Int(7)), ("zzz", Value::Int(1))]);
        let e = enforce(Some(&sig), array(), Some(&given), Compat::Mlflow).unwrap();
        assert_eq!(shown(&e.params), r#"{"i": 7, "n": 10, "ids": [1]}"#);
        assert!(e.warnings[0]
            .message
            .starts_with("Unrecognized params ['zzz']"));
        // Params only: the input is not looked at.
        let sig = signature(None, Some(PARAMS));
        let e = enforce(
            Some(&sig),
            input(r#"{"type": "json", "value": "anything"}"#),
            None,
            Compat::Strict,
        )
        .unwrap();
        assert!(matches!(e.input, ModelInput::Value(Value::Str(_))));
    }

    #[test]
    fn params_errors_are_not_wrapped_and_input_errors_win() {
        let sig = signature(Some(TENSOR), Some(PARAMS));
        let bad = Value::dict([("n", Value::str("x"))]);
        let e = enforce(Some(&sig), array(), Some(&bad), Compat::Mlflow).unwrap_err();
        assert_eq!((e.kind, e.wrapped), (ErrorKind::InvalidParams, false));
        assert!(e.message().starts_with("Invalid parameters found: {('n', "));
        let e = enforce(
            Some(&sig),
            array(),
            Some(&Value::List(vec![])),
            Compat::Mlflow,
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "Parameters must be a dictionary. Got type 'list'."
        );
        // A bad input is reported before bad params.
        let wrong = input(r#"{"type": "ndarray", "dtype": "int32", "shape": [1], "values": [1]}"#);
        let e = enforce(Some(&sig), wrong, Some(&bad), Compat::Mlflow).unwrap_err();
        assert_eq!((e.kind, e.wrapped), (ErrorKind::IncompatibleType, true));
    }

    #[test]
    fn warnings_from_input_and_params_are_collected() {
        let sig = signature(Some(TENSOR), Some(PARAMS));
        let x = r#"{"type": "ndarray", "dtype": "int64", "shape": [1], "values": [1]}"#;
        let dict = input(&format!(
            r#"{{"type": "tensor_dict", "arrays": {{"x": {x}, "extra": {x}}}}}"#
        ));
        let given = Value::dict([("zzz", Value::Int(1))]);
        let e = enforce(Some(&sig), dict, Some(&given), Compat::Mlflow).unwrap();
        assert_eq!(e.warnings.len(), 2);
        assert!(e.warnings[0].message.starts_with("Found extra inputs"));
        assert!(e.warnings[1].message.starts_with("Unrecognized params"));
    }

    #[test]
    fn strict_refuses_out_of_range_integer_params() {
        let sig = signature(Some(TENSOR), Some(PARAMS));
        for (name, value) in [
            ("n", Value::Int(1 << 70)),
            ("i", Value::Int(1 << 40)),
            (
                "ids",
                Value::List(vec![Value::Int(1), Value::Int(-(1 << 70))]),
            ),
        ] {
            let given = Value::dict([(name, value)]);
            assert!(enforce(Some(&sig), array(), Some(&given), Compat::Mlflow).is_ok());
            let e = enforce(Some(&sig), array(), Some(&given), Compat::Strict).unwrap_err();
            assert_eq!((e.kind, e.wrapped), (ErrorKind::InvalidParams, false));
            assert!(
                e.message().contains("is out of range for `DataType."),
                "{}",
                e.message()
            );
        }
        let e = enforce(
            Some(&sig),
            array(),
            Some(&Value::dict([("i", Value::Int(1 << 40))])),
            Compat::Strict,
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid parameters found: {('i', \"Failed to validate type and shape for 'i': \
             integer (default: 3), error: Value `1099511627776` is out of range for \
             `DataType.integer`\")}"
        );
    }
}
