//! What the Array / Object / Map rules of docs/enforcement.md#composite-columns make of JSON values while a
//! request is parsed (MLflow runs `_enforce_array` / `_enforce_object` / `_enforce_map` at
//! parse time for composite columns and for `inputs` / `instances` values).
//!
//! The rules are [`signet::enforce::nested`]'s; this module supplies the JSON side: a scalar or
//! an array of scalars read with the safe-cast rules as pandas would type the parsed values.
//! Errors are the `MlflowException` messages; callers add MLflow's wrappers.

use super::columns::{jtype_of, JType};
use signet::enforce::nested::{self, is_none_or_nan, Leaves};
use signet::enforce::Compat;
use signet::repr::py_str_of;
use signet::types::{ColType, DataType, NumpyDtype};
use signet::value::Value;

/// `_enforce_type`: enforces `v` against a column type with the given required flag.
pub(crate) fn enforce(
    v: Value,
    ty: &ColType,
    required: bool,
    compat: Compat,
) -> Result<Value, String> {
    nested::enforce_type(&Json(compat), v, ty, required)
}

/// Parsed JSON values (no ndarrays, numpy scalars or non-string keys); every failure is an
/// `MlflowException` message.
struct Json(Compat);

impl Leaves for Json {
    /// A bare `MlflowException` message (every failure is one, Strict mode's refusals
    /// included: `LeafError for String`).
    type Error = String;

    /// One scalar run through the column rules as a one-element column.
    fn scalar(&self, v: &Value, t: DataType) -> Result<Value, Option<String>> {
        enforce_datatype(v, t).ok_or(None)
    }

    fn scalar_items(&self, v: Value, t: DataType) -> Result<Value, String> {
        let list = match v {
            Value::List(l) => l,
            Value::Ndarray(t) => match t.to_list() {
                Value::List(l) => l,
                other => vec![other],
            },
            other => return Ok(other),
        };
        array_of_scalars(list, t, self.0).map(Value::List)
    }
}

/// The numpy scalar MLflow produces for an accepted value.
fn numpy(dt: NumpyDtype, v: Value) -> Value {
    Value::Numpy(dt, Box::new(v))
}

/// `_enforce_datatype`'s conversion of a scalar: the value, or `None` when MLflow refuses it.
fn enforce_datatype(v: &Value, t: DataType) -> Option<Value> {
    let zero_one = |v: &Value| matches!(v, Value::Int(0 | 1));
    let out = match (t, v) {
        (DataType::Boolean, Value::Bool(b)) => numpy(NumpyDtype::Bool, Value::Bool(*b)),
        (DataType::Long, Value::Int(i)) if i64::try_from(*i).is_ok() => {
            numpy(NumpyDtype::Int64, Value::Int(*i))
        }
        (DataType::Double, Value::Float(f)) => numpy(NumpyDtype::Float64, Value::Float(*f)),
        (DataType::Double, Value::Int(i)) if zero_one(v) => {
            numpy(NumpyDtype::Float64, Value::Float(*i as f64))
        }
        (DataType::Float, Value::Int(i)) if zero_one(v) => {
            numpy(NumpyDtype::Float32, Value::Float(*i as f64))
        }
        (DataType::String, Value::Str(_) | Value::Bytes(_)) => v.clone(),
        (DataType::Binary, Value::Str(_) | Value::Bytes(_)) => v.clone(),
        (_, Value::Numpy(..)) => v.clone(),
        _ => return None,
    };
    Some(out)
}

/// The numpy dtype text MLflow prints for a DataType target.
fn target_text(t: DataType) -> &'static str {
    t.numpy_text()
}

fn incompatible(from: &str, t: DataType, hint: bool) -> String {
    let mut m = format!(
        "Incompatible input types for column . Can not safely convert {from} to {}.",
        target_text(t)
    );
    if hint {
        m.push_str(" Hint: the type mismatch is likely caused by missing values. Integer columns in python can not represent missing values and are therefore encoded as floats. The best way to avoid this problem is to infer the model schema based on a realistic data sample (training dataset) that includes missing values. Alternatively, you can declare integer columns as doubles (float64) whenever these columns may have missing values. See `Handling Integers With Missing Values <https://www.mlflow.org/docs/latest/models.html#handling-integers-with-missing-values>`_ for more details.");
    }
    m
}

/// A list of scalars treated as one pandas column, checked with the safe-cast rules and
/// converted to the item type's numpy dtype (then back to Python values).
fn array_of_scalars(list: Vec<Value>, t: DataType, compat: Compat) -> Result<Vec<Value>, String> {
    if list.is_empty() {
        return Ok(list);
    }
    let jt = jtype_of(&list);
    let strict = compat == Compat::Strict;
    let all_zero_one = || {
        list.iter()
            .all(|v| matches!(v, Value::Int(0 | 1)) || is_none_or_nan(v))
    };
    let as_f = |v: &Value| match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => *b as u8 as f64,
        _ => f64::NAN,
    };
    match (t, jt) {
        (DataType::Long, JType::Int64) => Ok(list),
        (DataType::Double, JType::Float64) => {
            Ok(list.iter().map(|v| Value::Float(as_f(v))).collect())
        }
        (DataType::Double | DataType::Float, JType::Int64) if all_zero_one() => {
            Ok(list.iter().map(|v| Value::Float(as_f(v))).collect())
        }
        (DataType::Double, JType::Object) => {
            if list
                .iter()
                .all(|v| matches!(v, Value::None | Value::Int(_) | Value::Float(_)))
            {
                Ok(list.iter().map(|v| Value::Float(as_f(v))).collect())
            } else {
                Err("Failed to convert column  from type object to DataType.double.".into())
            }
        }
        (DataType::Boolean, JType::Bool) => Ok(list),
        (DataType::Boolean, JType::Object) => {
            if strict {
                if let Some(bad) = list.iter().find(|v| !matches!(v, Value::Bool(_))) {
                    return Err(format!(
                        "Array(boolean) item {}: {} is not a boolean; refusing to read it by Python truthiness",
                        list.iter().position(|v| v == bad).unwrap_or(0),
                        signet::repr::py_repr(bad)
                    ));
                }
            }
            Ok(list.iter().map(|v| Value::Bool(v.is_truthy())).collect())
        }
        (DataType::String, JType::Str | JType::Object) => {
            if strict {
                if let Some(pos) = list.iter().position(|v| !matches!(v, Value::Str(_))) {
                    return Err(format!(
                        "Array(string) item {pos}: {} is not a string; refusing to store it as text",
                        signet::repr::py_repr(&list[pos])
                    ));
                }
            }
            // numpy sizes the unicode dtype from the strings present; a missing value becomes
            // the text `nan` (`None` in an object column) cut to that width.
            let texts: Vec<(String, bool)> = list
                .iter()
                .map(|v| match v {
                    Value::Str(s) => (s.clone(), true),
                    Value::None if jt == JType::Str => ("nan".to_string(), false),
                    Value::Float(f) if f.is_nan() && jt == JType::Str => ("nan".to_string(), false),
                    other => (py_str_of(other), true),
                })
                .collect();
            let width = texts
                .iter()
                .filter(|(_, present)| *present)
                .map(|(s, _)| s.chars().count())
                .max()
                .unwrap_or_else(|| {
                    texts
                        .iter()
                        .map(|(s, _)| s.chars().count())
                        .max()
                        .unwrap_or(0)
                });
            Ok(texts
                .into_iter()
                .map(|(s, _)| Value::Str(s.chars().take(width).collect()))
                .collect())
        }
        (DataType::Binary, JType::Str | JType::Object) => Ok(list
            .into_iter()
            .map(|v| match v {
                Value::Str(s) => Value::Bytes(s.into_bytes()),
                other => other,
            })
            .collect()),
        (DataType::Datetime, JType::Object) if list.iter().all(is_none_or_nan) => {
            Ok(list.iter().map(|_| Value::NaT).collect())
        }
        (DataType::Datetime, JType::Object) => {
            Err("Failed to convert column  from type object to DataType.datetime.".into())
        }
        (_, jt) => {
            let hint = jt == JType::Float64
                && matches!(t, DataType::Long | DataType::Integer)
                && list.iter().any(is_none_or_nan)
                && list.iter().all(|v| match v {
                    Value::Float(f) => f.is_nan() || f.fract() == 0.0,
                    _ => true,
                });
            Err(incompatible(jt.name(), t, hint))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use signet::pyjson::loads;
    use signet::types::{ObjectType, Property};

    fn arr(t: DataType) -> ColType {
        ColType::Array(Box::new(ColType::Scalar(t)))
    }

    /// `enforce(loads(json), ty, required=true)` with MLflow's compatibility.
    fn run(json: &str, ty: &ColType) -> Result<Value, String> {
        enforce(loads(json).unwrap(), ty, true, Compat::Mlflow)
    }

    #[test]
    fn arrays() {
        for (json, t, expected) in [
            ("[\"a\", null]", DataType::String, "[\"a\", \"n\"]"),
            ("[0, 1]", DataType::Double, "[0.0, 1.0]"),
        ] {
            assert_eq!(
                run(json, &arr(t)).unwrap(),
                loads(expected).unwrap(),
                "{json}"
            );
        }
        for (json, t, message) in [
            (
                "[1.5]",
                DataType::Long,
                "Incompatible input types for column . Can not safely convert float64 to int64.",
            ),
            (
                "1",
                DataType::Long,
                "Expected data to be list or numpy array, got int",
            ),
        ] {
            assert_eq!(run(json, &arr(t)).unwrap_err(), message, "{json}");
        }
        assert!(enforce(
            loads("[\"a\", null]").unwrap(),
            &arr(DataType::String),
            true,
            Compat::Strict
        )
        .is_err());
        let none = enforce(Value::None, &arr(DataType::Long), false, Compat::Mlflow);
        assert!(none.unwrap() == Value::None);
    }

    #[test]
    fn objects_and_maps() {
        let o = ObjectType::new(vec![
            Property::new("x", DataType::Long, true),
            Property::new("y", DataType::String, false),
        ])
        .unwrap();
        let object = ColType::Object(o);
        let map = ColType::Map(Box::new(ColType::Scalar(DataType::Double)));
        for (json, ty, message) in [
            (
                "{\"x\": \"s\"}",
                &object,
                "Failed to enforce schema for key `x`. Expected type long, received type str",
            ),
            ("{\"y\": \"s\"}", &object, "Missing required properties: {'x'}"),
            (
                "{\"x\": 1, \"z\": 2}",
                &object,
                "Invalid properties not defined in the schema found: {'z'}",
            ),
            (
                "\"s\"",
                &object,
                "Failed to enforce schema of 's' with type '{x: long (required), y: string (optional)}'. Expected data to be dictionary, got str",
            ),
            ("{\"a\": 2}", &map, "Failed to enforce schema of data `2` with dtype `double`"),
            ("{\"a\": null}", &map, "Expected data to be scalar, got NoneType"),
            ("1.5", &map, "Expected data to be a dict, got float"),
        ] {
            assert_eq!(run(json, ty).unwrap_err(), message, "{json}");
        }
    }
}
