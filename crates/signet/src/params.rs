//! Validation of parameter values against a [`ParamSpec`] (MLflow's
//! `ParamSpec.validate_type_and_shape` and `_enforce_param_datatype`), used for defaults when a
//! spec is built and for the caller's params at inference time ([`enforce_params`],
//! docs/enforcement.md#params).
//!
//! Values are converted as MLflow converts them: an `int` for a `double` param becomes a
//! `float`, numpy scalars become Python values, a numpy array becomes a list, datetime strings
//! are parsed with numpy's `datetime64` rules into a `date` or a `datetime`.

use crate::enforce::nested::{self, Leaves};
use crate::numpy::is_scalar as is_np_scalar;
use crate::numpy::{datetime_item, parse_datetime64, truncate_to_micros, Parsed};
use crate::repr::{
    object_repr, param_spec_repr, param_spec_repr_parts, py_class, py_repr, py_set, py_str,
    py_str_of, py_tuple,
};
use crate::types::{DataType, NumpyDtype, ParamSchema, ParamShape, ParamSpec, ParamType};
use crate::value::Value;
use crate::SchemaError;

/// A failure inside validation: an `MlflowException` (caught and collected by MLflow), or
/// another Python exception that escapes MLflow's handlers unchanged.
enum Failure {
    Mlflow(String),
    Raw(String),
}

impl Failure {
    fn message(self) -> String {
        match self {
            Failure::Mlflow(m) | Failure::Raw(m) => m,
        }
    }
}

/// Validates `value` against `spec` and returns the converted value.
///
/// `for_default` selects the message form used when a ParamSpec is constructed: the spec's
/// repr in messages then shows `value` as its default (MLflow stores the raw default before
/// validating it).
pub fn validate_param(
    spec: &ParamSpec,
    value: &Value,
    for_default: bool,
) -> Result<Value, SchemaError> {
    validate(spec, value, for_default).map_err(|f| SchemaError::new(f.message()))
}

fn validate(spec: &ParamSpec, value: &Value, for_default: bool) -> Result<Value, Failure> {
    let spec_repr = if for_default {
        let shape = match spec.shape() {
            ParamShape::Scalar => None,
            ParamShape::List => Some("(-1,)"),
        };
        param_spec_repr_parts(spec.name(), spec.dtype(), value, shape)
    } else {
        param_spec_repr(spec)
    };
    let wrap = |f: Failure| {
        Failure::Mlflow(format!(
            "Failed to validate type and shape for {spec_repr}, error: {}",
            f.message()
        ))
    };
    match spec.shape() {
        ParamShape::List => {
            let ndim = ndim(value)?;
            let elements = match value {
                Value::List(items) if ndim == 1 => items.clone(),
                Value::Ndarray(t) if ndim == 1 => (0..t.len()).map(|i| t.element(i)).collect(),
                _ => {
                    return Err(Failure::Mlflow(format!(
                        "Value must be a 1D array with shape (-1,) for param {spec_repr}, \
                         received {} with ndim {ndim}",
                        value.type_name()
                    )))
                }
            };
            elements
                .iter()
                .map(|v| enforce_element(v, spec.dtype()))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List)
                .map_err(wrap)
        }
        ParamShape::Scalar => match spec.dtype() {
            ParamType::Scalar(t) => enforce_scalar(value, *t).map_err(wrap),
            ParamType::Object(o) => {
                // Validated on a copy (MLflow's `deepcopy`); the original value is what MLflow
                // keeps.
                nested::enforce_object(&ObjectParam, value.clone(), o, true)
                    .map_err(|m| wrap(Failure::Mlflow(m)))?;
                Ok(value.clone())
            }
        },
    }
}

/// `np.array(value).ndim`, with numpy's refusal of ragged nesting.
fn ndim(value: &Value) -> Result<usize, Failure> {
    let (shape, homogeneous) = discover_shape(value);
    if homogeneous {
        return Ok(shape.len());
    }
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    Err(Failure::Raw(format!(
        "setting an array element with a sequence. The requested array has an inhomogeneous \
         shape after {} dimensions. The detected shape was {} + inhomogeneous part.",
        shape.len(),
        py_tuple(&dims)
    )))
}

/// The shape numpy discovers for a nested value, and whether it is homogeneous (when it is
/// not, the shape is the common prefix found before the raggedness).
fn discover_shape(v: &Value) -> (Vec<usize>, bool) {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            let mut shape = vec![items.len()];
            let subs: Vec<Option<(Vec<usize>, bool)>> = items
                .iter()
                .map(|x| match x {
                    Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => Some(discover_shape(x)),
                    _ => None,
                })
                .collect();
            if subs.is_empty() || subs.iter().all(Option::is_none) {
                return (shape, true);
            }
            if subs.iter().any(Option::is_none) {
                return (shape, false);
            }
            let subs: Vec<(Vec<usize>, bool)> = subs.into_iter().flatten().collect();
            let first = &subs[0].0;
            let mut common = first.len();
            for (s, _) in &subs[1..] {
                common = common.min(
                    first
                        .iter()
                        .zip(s.iter())
                        .take_while(|(a, b)| a == b)
                        .count(),
                );
            }
            let homogeneous = subs.iter().all(|(s, h)| *h && s == first);
            shape.extend_from_slice(&first[..common]);
            (shape, homogeneous)
        }
        Value::Ndarray(t) => (t.shape.clone(), true),
        _ => (Vec::new(), true),
    }
}

/// `_enforce_param_datatype` for an element of a list param (the dtype may be an Object).
fn enforce_element(v: &Value, dtype: &ParamType) -> Result<Value, Failure> {
    match dtype {
        ParamType::Scalar(t) => enforce_scalar(v, *t),
        ParamType::Object(o) => {
            if matches!(v, Value::None) {
                Ok(Value::None)
            } else if !is_np_scalar(v) {
                Err(Failure::Mlflow(format!(
                    "Value must be a scalar for type `{}`, got `{}`",
                    object_repr(o),
                    py_str_of(v)
                )))
            } else {
                Err(Failure::Raw(
                    "'Object' object has no attribute 'to_numpy'".into(),
                ))
            }
        }
    }
}

fn is_numpy(v: &Value, dtype: NumpyDtype) -> bool {
    matches!(v, Value::Numpy(d, _) if *d == dtype)
}

/// `DataType.check_type(t, v)`: the value's type is t's numpy, pandas or Python type.
fn check_type(t: DataType, v: &Value) -> bool {
    match t {
        DataType::Boolean => matches!(v, Value::Bool(_)) || is_numpy(v, NumpyDtype::Bool),
        DataType::Integer => matches!(v, Value::Int(_)) || is_numpy(v, NumpyDtype::Int32),
        DataType::Long => matches!(v, Value::Int(_)) || is_numpy(v, NumpyDtype::Int64),
        DataType::Float => matches!(v, Value::Float(_)) || is_numpy(v, NumpyDtype::Float32),
        DataType::Double => matches!(v, Value::Float(_)) || is_numpy(v, NumpyDtype::Float64),
        DataType::String => matches!(v, Value::Str(_)) || is_numpy(v, NumpyDtype::Str),
        DataType::Binary => matches!(v, Value::Bytes(_)) || is_numpy(v, NumpyDtype::Bytes),
        DataType::Datetime => matches!(
            v,
            Value::Date(_) | Value::DateTime(_) | Value::Datetime64(..)
        ),
    }
}

/// The widenings MLflow allows for params (`_ALLOWED_CONVERSIONS_FOR_PARAMS`).
fn allowed_conversion(t: DataType, v: &Value) -> bool {
    let from: &[DataType] = match t {
        DataType::Long => &[DataType::Integer],
        DataType::Float => &[DataType::Integer, DataType::Long],
        DataType::Double => &[DataType::Integer, DataType::Long, DataType::Float],
        _ => &[],
    };
    from.iter().any(|f| check_type(*f, v))
}

/// `t.to_python()(v)` for a value already known to be of (or convertible to) `t`.
fn to_python(t: DataType, v: &Value) -> Value {
    let v = match v {
        Value::Numpy(_, inner) => inner.as_ref(),
        other => other,
    };
    match (t, v) {
        (DataType::Boolean, v) => Value::Bool(v.is_truthy()),
        (DataType::Float | DataType::Double, Value::Int(i)) => Value::Float(*i as f64),
        (_, v) => v.clone(),
    }
}

/// The scalar rule (`_enforce_param_datatype`) for one value against a DataType.
fn enforce_scalar(v: &Value, t: DataType) -> Result<Value, Failure> {
    if matches!(v, Value::None) {
        return Ok(Value::None);
    }
    if t == DataType::Datetime {
        return to_datetime(v);
    }
    if !is_np_scalar(v) {
        return Err(Failure::Mlflow(format!(
            "Value must be a scalar for type `{}`, got `{}`",
            t.qualified(),
            py_str_of(v)
        )));
    }
    if check_type(t, v) || allowed_conversion(t, v) {
        return Ok(to_python(t, v));
    }
    Err(Failure::Mlflow(format!(
        "Can not safely convert `{}` to `{}` for value `{}`",
        py_class(v),
        t.qualified(),
        py_str_of(v)
    )))
}

/// The datetime branch of the scalar rule: `np.datetime64(v).item()`.
fn to_datetime(v: &Value) -> Result<Value, Failure> {
    let cannot_convert = || {
        Failure::Mlflow(format!(
            "Failed to convert value `{}` from type `{}` to `DataType.datetime`",
            py_str_of(v),
            py_class(v)
        ))
    };
    let not_a_date = || {
        Failure::Mlflow(format!(
            "Failed to convert value to `DataType.datetime`. It must be convertible to \
             datetime.date/datetime, got `{}`",
            py_str_of(v)
        ))
    };
    let text = match v {
        Value::Str(s) => Some(s.clone()),
        Value::Numpy(NumpyDtype::Str, inner) => match inner.as_ref() {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        },
        Value::Bytes(b) => Some(
            std::str::from_utf8(b)
                .map_err(|_| cannot_convert())?
                .to_string(),
        ),
        Value::Numpy(NumpyDtype::Bytes, inner) => match inner.as_ref() {
            Value::Bytes(b) => Some(
                std::str::from_utf8(b)
                    .map_err(|_| cannot_convert())?
                    .to_string(),
            ),
            _ => None,
        },
        _ => None,
    };
    if let Some(text) = text {
        return match parse_datetime64(&text) {
            Some(Parsed::NaT) => Ok(Value::None),
            Some(Parsed::At(dt, unit)) => datetime_item(&dt, unit).ok_or_else(not_a_date),
            Some(Parsed::OutOfRange) => Err(not_a_date()),
            None => Err(cannot_convert()),
        };
    }
    match v {
        Value::Date(d) => Ok(Value::Date(*d)),
        Value::DateTime(dt) | Value::Timestamp(dt) => Ok(Value::DateTime(truncate_to_micros(dt))),
        Value::Datetime64(dt, unit) => datetime_item(dt, *unit).ok_or_else(not_a_date),
        Value::NaT => Ok(Value::None),
        _ => Err(cannot_convert()),
    }
}

// ---------------------------------------------------------------------------------------------
// Object params: `_enforce_object` and the nested `_enforce_type` checks (docs/enforcement.md#composite-columns),
// the rules of `enforce::nested` with accept-or-refuse scalar checks.

/// An Object param's value: only whether `_enforce_object` accepts it matters (MLflow keeps the
/// original), and every nested failure is reported for its key.
struct ObjectParam;

impl Leaves for ObjectParam {
    type Error = String;

    /// `None` or a NaN (`pd.NA` and `pd.NaT` are not missing here).
    fn none_or_nan(&self, v: &Value) -> bool {
        match v {
            Value::None => true,
            Value::Float(f) => f.is_nan(),
            Value::Numpy(_, inner) => matches!(inner.as_ref(), Value::Float(f) if f.is_nan()),
            _ => false,
        }
    }

    fn scalar(&self, v: &Value, t: DataType) -> Result<Value, Option<String>> {
        if column_accepts(std::slice::from_ref(v), t) {
            Ok(v.clone())
        } else {
            Err(None)
        }
    }

    fn scalar_items(&self, v: Value, t: DataType) -> Result<Value, String> {
        let accepted = match &v {
            Value::List(items) => items.is_empty() || column_accepts(items, t),
            Value::Ndarray(a) => {
                let items: Vec<Value> = (0..a.len()).map(|i| a.element(i)).collect();
                items.is_empty() || column_accepts(&items, t)
            }
            _ => true,
        };
        if accepted {
            Ok(v)
        } else {
            // Never shown: the property holding the array is reported instead.
            Err(format!("Array({}) items refused", t.name()))
        }
    }
}

/// The pandas dtype of `pd.Series(values)`, as far as the safe-conversion rules care.
#[derive(Clone, Copy, PartialEq)]
enum ColumnKind {
    Bool,
    /// Integer of this many bytes, signed or not.
    Int(usize, bool),
    Float(usize),
    Str,
    Datetime,
    Object,
}

fn numpy_kind(dt: NumpyDtype) -> ColumnKind {
    use NumpyDtype as N;
    match dt {
        N::Bool => ColumnKind::Bool,
        N::Int8 => ColumnKind::Int(1, true),
        N::Int16 => ColumnKind::Int(2, true),
        N::Int32 => ColumnKind::Int(4, true),
        N::Int64 => ColumnKind::Int(8, true),
        N::UInt8 => ColumnKind::Int(1, false),
        N::UInt16 => ColumnKind::Int(2, false),
        N::UInt32 => ColumnKind::Int(4, false),
        N::UInt64 => ColumnKind::Int(8, false),
        N::Float16 => ColumnKind::Float(2),
        N::Float32 => ColumnKind::Float(4),
        N::Float64 => ColumnKind::Float(8),
        N::Str => ColumnKind::Str,
        N::Datetime64(_) => ColumnKind::Datetime,
        _ => ColumnKind::Object,
    }
}

fn column_kind(values: &[Value]) -> ColumnKind {
    let present: Vec<&Value> = values
        .iter()
        .filter(|v| !matches!(v, Value::None))
        .collect();
    let has_none = present.len() < values.len();
    if present.is_empty() {
        return ColumnKind::Object;
    }
    if let Value::Numpy(dt, _) = present[0] {
        if !has_none && present.iter().all(|v| is_numpy(v, *dt)) {
            return numpy_kind(*dt);
        }
        return ColumnKind::Object;
    }
    if present.iter().all(|v| matches!(v, Value::Bool(_))) {
        return if has_none {
            ColumnKind::Object
        } else {
            ColumnKind::Bool
        };
    }
    if present
        .iter()
        .all(|v| matches!(v, Value::Int(_) | Value::Float(_)))
    {
        let all_int = present.iter().all(|v| matches!(v, Value::Int(_)));
        if !all_int || has_none {
            return ColumnKind::Float(8);
        }
        let fits = |lo: i128, hi: i128| {
            present
                .iter()
                .all(|v| matches!(v, Value::Int(i) if (lo..=hi).contains(i)))
        };
        return if fits(i64::MIN as i128, i64::MAX as i128) {
            ColumnKind::Int(8, true)
        } else if fits(0, u64::MAX as i128) {
            ColumnKind::Int(8, false)
        } else {
            ColumnKind::Object
        };
    }
    if present.iter().all(|v| matches!(v, Value::Str(_))) {
        return ColumnKind::Str;
    }
    if present.iter().all(|v| {
        matches!(
            v,
            Value::DateTime(_) | Value::Timestamp(_) | Value::Datetime64(..) | Value::NaT
        )
    }) {
        return ColumnKind::Datetime;
    }
    ColumnKind::Object
}

fn numeric_text(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// docs/enforcement.md#safe-conversion for `pd.Series(values)` against `t`: accepted (possibly converted) or not.
fn column_accepts(values: &[Value], t: DataType) -> bool {
    let all_zero_one = || {
        values.iter().all(|v| {
            matches!(v, Value::Int(0 | 1))
                || matches!(v, Value::Numpy(_, i) if matches!(i.as_ref(), Value::Int(0 | 1)))
        })
    };
    match column_kind(values) {
        ColumnKind::Object => match t {
            DataType::String | DataType::Binary | DataType::Boolean => true,
            DataType::Datetime => values.iter().all(|v| {
                matches!(
                    v,
                    Value::None
                        | Value::NaT
                        | Value::Date(_)
                        | Value::DateTime(_)
                        | Value::Timestamp(_)
                        | Value::Datetime64(..)
                )
            }),
            DataType::Double => values.iter().all(|v| match v {
                Value::None | Value::Int(_) | Value::Float(_) | Value::Bool(_) => true,
                Value::Str(s) => numeric_text(s),
                Value::Bytes(b) => std::str::from_utf8(b).is_ok_and(numeric_text),
                Value::Numpy(dt, _) => !matches!(numpy_kind(*dt), ColumnKind::Object),
                _ => false,
            }),
            _ => false,
        },
        ColumnKind::Str => matches!(t, DataType::String | DataType::Binary),
        ColumnKind::Bool => t == DataType::Boolean,
        ColumnKind::Int(size, signed) => match t {
            DataType::Long => signed || size < 8,
            DataType::Integer => (signed && size <= 4) || size < 4,
            DataType::Double => size <= 4 || (signed && all_zero_one()),
            DataType::Float => signed && size == 8 && all_zero_one(),
            _ => false,
        },
        ColumnKind::Float(size) => match t {
            DataType::Float => size <= 4,
            DataType::Double => true,
            _ => false,
        },
        ColumnKind::Datetime => t == DataType::Datetime,
    }
}

// ---------------------------------------------------------------------------------------------
// Inference-time enforcement.

/// Inference-time params enforcement (`_enforce_params_schema`, docs/enforcement.md#params).
///
/// Returns the params the model receives (a dict, or `None` passed through when there is no
/// params schema) and the warnings MLflow logs. Errors carry MLflow's exact message
/// (`Parameters must be a dictionary. ...`, `Invalid parameters found: {...}` — the set in a
/// sorted order, MLflow's is arbitrary).
pub fn enforce_params(
    schema: Option<&ParamSchema>,
    params: Option<&Value>,
) -> Result<(Value, Vec<String>), SchemaError> {
    let mut warnings = Vec::new();
    let params = params.unwrap_or(&Value::None);
    let Some(schema) = schema else {
        match params {
            Value::None => return Ok((Value::None, warnings)),
            Value::Dict(d) if d.is_empty() => return Ok((params.clone(), warnings)),
            _ => {}
        }
        let info = match params {
            Value::Dict(d) => {
                let keys: Vec<String> = d.iter().map(|(k, _)| py_repr(k)).collect();
                format!("Ignoring provided params: [{}]", keys.join(", "))
            }
            _ => "Ignoring invalid params (not a dictionary).".to_string(),
        };
        warnings.push(format!(
            "`params` can only be specified at inference time if the model signature defines a \
             params schema. This model does not define a params schema. {info}"
        ));
        return Ok((Value::Dict(Vec::new()), warnings));
    };
    let items: Vec<(Value, Value)> = match params {
        Value::None => Vec::new(),
        Value::Dict(d) => d.clone(),
        other => {
            return Err(SchemaError::new(format!(
                "Parameters must be a dictionary. Got type '{}'.",
                other.type_name()
            )))
        }
    };
    let mut entries: Vec<(String, Value)> = Vec::with_capacity(items.len());
    if items.iter().any(|(k, _)| !matches!(k, Value::Str(_))) {
        warnings.push(
            "Keys in parameters should be of type `str`, but received non-string keys.\
             Converting all keys to string..."
                .to_string(),
        );
    }
    for (k, v) in items {
        let key = py_str_of(&k);
        match entries.iter_mut().find(|(name, _)| *name == key) {
            Some(slot) => slot.1 = v,
            None => entries.push((key, v)),
        }
    }
    let ignored: Vec<String> = entries
        .iter()
        .filter(|(k, _)| schema.get(k).is_none())
        .map(|(k, _)| py_str(k))
        .collect();
    if !ignored.is_empty() {
        let allowed: Vec<String> = schema.params().iter().map(|p| py_str(p.name())).collect();
        warnings.push(format!(
            "Unrecognized params [{}] are ignored for inference. Supported params are: {}. To \
             enable them, please add corresponding schema in ModelSignature.",
            ignored.join(", "),
            py_set(&allowed)
        ));
    }
    entries.retain(|(k, _)| schema.get(k).is_some());
    let mut invalid = Vec::new();
    for spec in schema.params() {
        match entries.iter().position(|(k, _)| k == spec.name()) {
            Some(i) => match validate(spec, &entries[i].1, false) {
                Ok(v) => entries[i].1 = v,
                Err(Failure::Mlflow(m)) => {
                    invalid.push(py_tuple(&[py_str(spec.name()), py_str(&m)]))
                }
                Err(Failure::Raw(m)) => return Err(SchemaError::new(m)),
            },
            None => entries.push((spec.name().to_string(), spec.default().clone())),
        }
    }
    if !invalid.is_empty() {
        return Err(SchemaError::new(format!(
            "Invalid parameters found: {}",
            py_set(&invalid)
        )));
    }
    Ok((Value::dict(entries), warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ObjectType, Property};
    use chrono::NaiveDate;

    fn spec(name: &str, t: DataType, default: Value, shape: ParamShape) -> ParamSpec {
        ParamSpec::new(name, ParamType::Scalar(t), default, shape).unwrap()
    }

    /// a params schema with one param of each kind (docs/enforcement.md#params).
    fn schema() -> ParamSchema {
        let obj = ObjectType::new(vec![Property::new("a", DataType::Long, true)]).unwrap();
        use DataType as T;
        let (s, l) = (ParamShape::Scalar, ParamShape::List);
        let ids = Value::List(vec![Value::Int(1), Value::Int(2)]);
        let scalars = [
            ("temp", T::Double, Value::Float(0.5), s),
            ("n", T::Long, Value::Int(10), s),
            ("flag", T::Boolean, Value::Bool(false), s),
            ("name", T::String, Value::str("x"), s),
            ("ids", T::Long, ids, l),
            ("when", T::Datetime, Value::str("2020-01-01"), s),
            ("f32", T::Float, Value::Float(1.5), s),
            ("i32", T::Integer, Value::Int(3), s),
        ];
        let mut specs: Vec<ParamSpec> = scalars
            .into_iter()
            .map(|(name, t, default, shape)| spec(name, t, default, shape))
            .collect();
        specs.push(
            ParamSpec::new(
                "obj",
                ParamType::Object(obj),
                Value::dict([("a", Value::Int(1))]),
                ParamShape::Scalar,
            )
            .unwrap(),
        );
        ParamSchema::new(specs).unwrap()
    }

    fn run(params: Value) -> Result<Value, String> {
        enforce_params(Some(&schema()), Some(&params))
            .map(|(v, _)| v)
            .map_err(|e| e.message().to_string())
    }

    fn one(key: &str, value: Value) -> Result<Value, String> {
        run(Value::dict([(key, value)])).map(|d| d.get(key).cloned().unwrap_or(Value::None))
    }

    fn invalid(key: &str, value: Value) -> String {
        one(key, value).unwrap_err()
    }

    fn date(y: i32, m: u32, d: u32) -> Value {
        Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn datetime(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, us: u32) -> Value {
        Value::DateTime(
            NaiveDate::from_ymd_opt(y, mo, d)
                .unwrap()
                .and_hms_micro_opt(h, mi, s, us)
                .unwrap(),
        )
    }

    #[test]
    fn defaults_are_converted_and_filled_in() {
        let got = run(Value::None).unwrap();
        let Value::Dict(items) = &got else { panic!() };
        let names: Vec<String> = items.iter().map(|(k, _)| py_str_of(k)).collect();
        assert_eq!(
            names,
            ["temp", "n", "flag", "name", "ids", "when", "f32", "i32", "obj"]
        );
        assert_eq!(got.get("when"), Some(&date(2020, 1, 1)));
        // Known params come first, in the caller's order, then the defaults.
        let got = run(Value::dict([("n", Value::Int(2)), ("temp", Value::Int(1))])).unwrap();
        let Value::Dict(items) = &got else { panic!() };
        assert_eq!(items[0], (Value::str("n"), Value::Int(2)));
        assert_eq!(items[1], (Value::str("temp"), Value::Float(1.0)));
    }

    #[test]
    fn scalar_rule() {
        assert_eq!(one("temp", Value::Int(1)), Ok(Value::Float(1.0)));
        assert_eq!(
            invalid("temp", Value::str("0.7")),
            "Invalid parameters found: {('temp', \"Failed to validate type and shape for \
             'temp': double (default: 0.5), error: Can not safely convert `<class 'str'>` to \
             `DataType.double` for value `0.7`\")}"
        );
        assert_eq!(one("temp", Value::None), Ok(Value::None));
        assert!(
            invalid("temp", Value::List(vec![Value::Float(0.5)])).ends_with(
                "error: Value must be a scalar for type `DataType.double`, got `[0.5]`\")}"
            )
        );
        assert!(invalid("n", Value::Float(3.0)).ends_with(
            "Can not safely convert `<class 'float'>` to `DataType.long` for value `3.0`\")}"
        ));
        assert!(invalid("n", Value::Bool(true)).ends_with(
            "Can not safely convert `<class 'bool'>` to `DataType.long` for value `True`\")}"
        ));
        assert_eq!(one("n", Value::Int(1 << 70)), Ok(Value::Int(1 << 70)));
        assert!(invalid("flag", Value::Int(1)).ends_with(
            "Can not safely convert `<class 'int'>` to `DataType.boolean` for value `1`\")}"
        ));
        assert_eq!(one("f32", Value::Int(2)), Ok(Value::Float(2.0)));
        assert_eq!(
            one(
                "f32",
                Value::Numpy(NumpyDtype::Float32, Box::new(Value::Float(1.5)))
            ),
            Ok(Value::Float(1.5))
        );
        assert!(invalid(
            "f32",
            Value::Numpy(NumpyDtype::Float64, Box::new(Value::Float(0.5)))
        )
        .contains("`<class 'numpy.float64'>` to `DataType.float` for value `0.5`"));
        assert_eq!(
            one(
                "n",
                Value::Numpy(NumpyDtype::Int32, Box::new(Value::Int(4)))
            ),
            Ok(Value::Int(4))
        );
        assert_eq!(one("i32", Value::Int(1 << 40)), Ok(Value::Int(1 << 40)));
    }

    #[test]
    fn list_params() {
        assert_eq!(
            invalid("ids", Value::Int(3)),
            "Invalid parameters found: {('ids', \"Value must be a 1D array with shape (-1,) for \
             param 'ids': long (default: [1, 2]) (shape: (-1,)), received int with ndim 0\")}"
        );
        let nested = Value::List(vec![Value::List(vec![Value::Int(3)])]);
        assert!(invalid("ids", nested).contains("received list with ndim 2"));
        assert!(
            invalid("ids", Value::List(vec![Value::Float(3.0)])).contains(
                "Can not safely convert `<class 'float'>` to `DataType.long` for value `3.0`"
            )
        );
        assert_eq!(one("ids", Value::List(vec![])), Ok(Value::List(vec![])));
        assert_eq!(
            one("ids", Value::List(vec![Value::None])),
            Ok(Value::List(vec![Value::None]))
        );
        let ragged = Value::List(vec![
            Value::List(vec![Value::Int(1), Value::Int(2)]),
            Value::List(vec![Value::Int(3)]),
        ]);
        assert_eq!(
            invalid("ids", ragged),
            "setting an array element with a sequence. The requested array has an \
             inhomogeneous shape after 1 dimensions. The detected shape was (2,) + \
             inhomogeneous part."
        );
    }

    #[test]
    fn datetimes() {
        let ok = |s: &str| one("when", Value::str(s)).unwrap();
        assert_eq!(ok("2021-05-06"), date(2021, 5, 6));
        assert_eq!(ok("2020-01"), date(2020, 1, 1));
        assert_eq!(ok("2020"), date(2020, 1, 1));
        assert_eq!(ok("2021-05-06T07:08:09"), datetime(2021, 5, 6, 7, 8, 9, 0));
        assert_eq!(
            ok("2021-05-06 07:08:09.5"),
            datetime(2021, 5, 6, 7, 8, 9, 500_000)
        );
        assert_eq!(ok("2021-05-06T07:08"), datetime(2021, 5, 6, 7, 8, 0, 0));
        assert_eq!(ok("2021-05-06T07:08:09Z"), datetime(2021, 5, 6, 7, 8, 9, 0));
        assert_eq!(
            ok("2021-05-06T00:30:00+01:00"),
            datetime(2021, 5, 5, 23, 30, 0, 0)
        );
        assert_eq!(ok("NaT"), Value::None);
        assert_eq!(ok(""), Value::None);
        assert!(matches!(ok("today"), Value::Date(_)));
        assert!(matches!(ok("now"), Value::DateTime(_)));
        assert_eq!(one("when", date(2020, 2, 3)), Ok(date(2020, 2, 3)));
        assert!(
            invalid("when", Value::str("2021-05-06T07:08:09.123456789")).contains(
                "error: Failed to convert value to `DataType.datetime`. It must be convertible to \
             datetime.date/datetime, got `2021-05-06T07:08:09.123456789`"
            )
        );
        assert!(invalid("when", Value::str("10000-01-01"))
            .contains("It must be convertible to datetime.date/datetime, got `10000-01-01`"));
        assert!(invalid("when", Value::str("nope")).contains(
            "error: Failed to convert value `nope` from type `<class 'str'>` to \
             `DataType.datetime`"
        ));
        assert!(invalid("when", Value::str("2021-02-30")).contains("Failed to convert value"));
        assert!(invalid("when", Value::Int(5)).contains(
            "Failed to convert value `5` from type `<class 'int'>` to `DataType.datetime`"
        ));
    }

    #[test]
    fn object_params() {
        assert!(
            invalid("obj", Value::dict([("a", Value::str("x"))])).ends_with(
                "error: Failed to enforce schema for key `a`. Expected type long, received type \
             str\")}"
            )
        );
        assert!(invalid(
            "obj",
            Value::dict([("a", Value::Int(1)), ("b", Value::Int(2))])
        )
        .ends_with("error: Invalid properties not defined in the schema found: {'b'}\")}"));
        assert!(invalid("obj", Value::dict([("b", Value::Int(2))]))
            .ends_with("error: Missing required properties: {'a'}\")}"));
        assert!(invalid("obj", Value::Int(1)).ends_with(
            "error: Failed to enforce schema of '1' with type '{a: long (required)}'. Expected \
             data to be dictionary, got int\")}"
        ));
        let v = Value::dict([("a", Value::Int(7))]);
        assert_eq!(one("obj", v.clone()), Ok(v));
    }

    #[test]
    fn params_without_schema_or_not_a_dict() {
        assert_eq!(
            run(Value::List(vec![Value::Int(1), Value::Int(2)])).unwrap_err(),
            "Parameters must be a dictionary. Got type 'list'."
        );
        let (got, warnings) =
            enforce_params(None, Some(&Value::dict([("x", Value::Int(1))]))).unwrap();
        assert_eq!(got, Value::Dict(vec![]));
        assert_eq!(
            warnings,
            [
                "`params` can only be specified at inference time if the model signature defines \
              a params schema. This model does not define a params schema. Ignoring provided \
              params: ['x']"
            ]
        );
        assert_eq!(enforce_params(None, None).unwrap(), (Value::None, vec![]));
        let (_, warnings) = enforce_params(
            Some(&schema()),
            Some(&Value::dict([("zzz", Value::Int(1))])),
        )
        .unwrap();
        assert!(warnings[0].starts_with(
            "Unrecognized params ['zzz'] are ignored for inference. Supported params are: {"
        ));
    }

    #[test]
    fn default_validation_messages() {
        let err = ParamSpec::new(
            "p",
            ParamType::Scalar(DataType::Long),
            Value::str("x"),
            ParamShape::Scalar,
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "Failed to validate type and shape for 'p': long (default: x), error: Can not \
             safely convert `<class 'str'>` to `DataType.long` for value `x`"
        );
        let p = spec("p", DataType::Double, Value::Int(1), ParamShape::Scalar);
        assert_eq!(p.default(), &Value::Float(1.0));
    }
}
