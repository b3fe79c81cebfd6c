//! MLflow's `_enforce_type` on one value (docs/enforcement.md#composite-columns), written once: the Array / Object /
//! Map rules — when an optional value counts as absent, the container checks, the property and
//! key checks, how a nested failure is reported — with their exact messages.
//!
//! Three callers share them: column enforcement (each cell of an Array / Object / Map column),
//! request parsing (MLflow runs `_enforce_array` / `_enforce_object` / `_enforce_map` while it
//! parses a request) and params validation (an Object param is checked with `_enforce_object`).
//! What a scalar or an array of scalars becomes differs between them, and so do a few details
//! of the rules; each caller states those in its [`Leaves`].

use super::columns::build;
use crate::input::{Tensor, TensorData};
use crate::repr::{coltype_repr, object_repr, py_repr, py_set, py_str, py_str_of};
use crate::types::{ColType, DataType, NumpyDtype, ObjectType};
use crate::value::Value;

/// What a caller of the shared rules supplies: its failure type, its scalar conversions and
/// the details in which it departs from the defaults.
pub trait Leaves {
    /// The caller's failure.
    type Error: LeafError;

    /// An `MlflowException` carrying MLflow's `message`; `types` is the (expected, received)
    /// pair of type texts when the failure names them.
    fn mismatch(&self, message: String, types: Option<(String, String)>) -> Self::Error {
        Self::Error::mismatch(message, types)
    }

    /// Whether a property's failure is an `MlflowException`, which `_enforce_object` re-raises
    /// as `Failed to enforce schema for key ...` (anything else escapes unchanged).
    fn is_mlflow_exception(&self, e: &Self::Error) -> bool {
        e.is_mlflow_exception()
    }

    /// `_is_none_or_nan`: whether an optional scalar is missing (it then becomes `None`).
    fn none_or_nan(&self, v: &Value) -> bool {
        is_none_or_nan(v)
    }

    /// `data is None or data == {}`: whether an optional Object (`object`) or Map value, or a
    /// Map of `Any`, passes as it is.
    fn no_dict(&self, v: &Value, object: bool) -> Result<bool, Self::Error> {
        let _ = object;
        Ok(matches!(v, Value::None) || matches!(v, Value::Dict(d) if d.is_empty()))
    }

    /// `_enforce_datatype`'s conversion of a scalar `v` (`np.isscalar` holds) to `t`.
    /// `Err(None)` is an `MlflowException`, which `_enforce_datatype` replaces by its own
    /// message; `Err(Some(e))` escapes unchanged.
    fn scalar(&self, v: &Value, t: DataType) -> Result<Value, Option<Self::Error>>;

    /// An `Array(t)` value, a list or an ndarray whose data matches its shape, enforced as one
    /// column of `t`.
    fn scalar_items(&self, v: Value, t: DataType) -> Result<Value, Self::Error>;
}

/// The failure of a [`Leaves`]: how it carries an `MlflowException` and tells one apart.
pub trait LeafError {
    /// An `MlflowException` carrying MLflow's `message`; `types` is the (expected, received)
    /// pair of type texts when the failure names them.
    fn mismatch(message: String, types: Option<(String, String)>) -> Self;

    /// Whether this failure is an `MlflowException`.
    fn is_mlflow_exception(&self) -> bool;
}

/// A bare `MlflowException` message: every failure is one (Strict mode's refusals included),
/// and the type texts are not kept.
impl LeafError for String {
    fn mismatch(message: String, _types: Option<(String, String)>) -> String {
        message
    }

    fn is_mlflow_exception(&self) -> bool {
        true
    }
}

/// `_enforce_type(v, ty, required)`: the value the model receives, or the caller's failure.
pub fn enforce_type<L: Leaves>(
    l: &L,
    v: Value,
    ty: &ColType,
    required: bool,
) -> Result<Value, L::Error> {
    match ty {
        ColType::Any => Ok(v),
        ColType::Scalar(t) => enforce_datatype(l, v, *t, required),
        ColType::Array(item) => enforce_array(l, v, item, required),
        ColType::SparkMLVector => enforce_array(l, v, &ColType::Scalar(DataType::Double), required),
        ColType::Object(o) => enforce_object(l, v, o, required),
        ColType::Map(value_type) => enforce_map(l, v, value_type, required),
    }
}

/// `_is_none_or_nan`: `None`, a float NaN, `pd.NA`, `pd.NaT`.
pub fn is_none_or_nan(v: &Value) -> bool {
    match v {
        Value::None | Value::NA | Value::NaT => true,
        Value::Float(f) => f.is_nan(),
        Value::Numpy(NumpyDtype::Float16 | NumpyDtype::Float32 | NumpyDtype::Float64, inner) => {
            matches!(inner.as_ref(), Value::Float(f) if f.is_nan())
        }
        _ => false,
    }
}

/// `isinstance(data, (list, np.ndarray)) and len(data) == 0`.
fn is_empty_seq(v: &Value) -> bool {
    match v {
        Value::List(l) => l.is_empty(),
        Value::Ndarray(t) => t.shape.contains(&0),
        _ => false,
    }
}

/// `_enforce_datatype`.
fn enforce_datatype<L: Leaves>(
    l: &L,
    v: Value,
    t: DataType,
    required: bool,
) -> Result<Value, L::Error> {
    if !required && l.none_or_nan(&v) {
        return Ok(Value::None);
    }
    let types = |v: &Value| Some((t.name().to_string(), v.type_name()));
    if !crate::numpy::is_scalar(&v) {
        return Err(l.mismatch(
            format!("Expected data to be scalar, got {}", v.type_name()),
            types(&v),
        ));
    }
    match l.scalar(&v, t) {
        Ok(out) => Ok(out),
        Err(None) => Err(l.mismatch(
            format!(
                "Failed to enforce schema of data `{}` with dtype `{}`",
                py_str_of(&v),
                t.name()
            ),
            types(&v),
        )),
        Err(Some(e)) => Err(e),
    }
}

/// `_enforce_array`: an ndarray of other than scalars comes back as a 1-D object ndarray.
fn enforce_array<L: Leaves>(
    l: &L,
    v: Value,
    item: &ColType,
    required: bool,
) -> Result<Value, L::Error> {
    if (!required || *item == ColType::Any) && (matches!(v, Value::None) || is_empty_seq(&v)) {
        return Ok(v);
    }
    if matches!(&v, Value::Ndarray(t) if !build::consistent(t)) {
        return Err(l.mismatch("ndarray data does not match its shape".to_string(), None));
    }
    if !matches!(v, Value::List(_) | Value::Ndarray(_)) {
        return Err(l.mismatch(
            format!(
                "Expected data to be list or numpy array, got {}",
                v.type_name()
            ),
            Some((format!("Array({})", coltype_repr(item)), v.type_name())),
        ));
    }
    if let ColType::Scalar(t) = item {
        return l.scalar_items(v, *t);
    }
    match v {
        Value::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(enforce_type(l, x, item, required)?);
            }
            Ok(Value::List(out))
        }
        Value::Ndarray(t) => {
            let mut out = Vec::with_capacity(t.len());
            for i in 0..t.len() {
                out.push(enforce_type(
                    l,
                    build::tensor_element(&t, i),
                    item,
                    required,
                )?);
            }
            let n = out.len();
            Ok(Value::Ndarray(Box::new(Tensor {
                dtype: NumpyDtype::Object,
                shape: vec![n],
                data: TensorData::Object(out),
            })))
        }
        other => Ok(other),
    }
}

/// `_enforce_object`: the dict with each property enforced in place.
pub(crate) fn enforce_object<L: Leaves>(
    l: &L,
    v: Value,
    obj: &ObjectType,
    required: bool,
) -> Result<Value, L::Error> {
    if !required && l.no_dict(&v, true)? {
        return Ok(v);
    }
    let Value::Dict(items) = v else {
        return Err(l.mismatch(
            format!(
                "Failed to enforce schema of '{}' with type '{}'. Expected data to be \
                 dictionary, got {}",
                py_str_of(&v),
                object_repr(obj),
                v.type_name()
            ),
            Some((object_repr(obj), v.type_name())),
        ));
    };
    let has_key = |name: &str| {
        items
            .iter()
            .any(|(k, _)| matches!(k, Value::Str(s) if s == name))
    };
    let missing: Vec<String> = obj
        .properties()
        .iter()
        .filter(|p| p.required.is_required() && !has_key(&p.name))
        .map(|p| py_str(&p.name))
        .collect();
    if !missing.is_empty() {
        return Err(l.mismatch(
            format!("Missing required properties: {}", py_set(&missing)),
            None,
        ));
    }
    let invalid: Vec<String> = items
        .iter()
        .filter(|(k, _)| !matches!(k, Value::Str(s) if obj.get(s).is_some()))
        .map(|(k, _)| py_repr(k))
        .collect();
    if !invalid.is_empty() {
        return Err(l.mismatch(
            format!(
                "Invalid properties not defined in the schema found: {}",
                py_set(&invalid)
            ),
            None,
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (k, x) in items {
        let prop = match &k {
            Value::Str(name) => obj.get(name),
            _ => None,
        };
        let Some(prop) = prop else {
            out.push((k, x));
            continue;
        };
        let received = x.type_name();
        match enforce_type(l, x, &prop.ty, prop.required.is_required()) {
            Ok(y) => out.push((k, y)),
            Err(e) if l.is_mlflow_exception(&e) => {
                return Err(l.mismatch(
                    format!(
                        "Failed to enforce schema for key `{}`. Expected type {}, received type \
                         {}",
                        py_str_of(&k),
                        prop.ty.type_name(),
                        received
                    ),
                    Some((prop.ty.type_name().to_string(), received)),
                ))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Value::Dict(out))
}

/// `_enforce_map`.
fn enforce_map<L: Leaves>(
    l: &L,
    v: Value,
    value_type: &ColType,
    required: bool,
) -> Result<Value, L::Error> {
    if (!required || *value_type == ColType::Any) && l.no_dict(&v, false)? {
        return Ok(v);
    }
    let Value::Dict(items) = v else {
        return Err(l.mismatch(
            format!("Expected data to be a dict, got {}", v.type_name()),
            Some((
                format!("Map(str -> {})", coltype_repr(value_type)),
                v.type_name(),
            )),
        ));
    };
    if !items.iter().all(|(k, _)| matches!(k, Value::Str(_))) {
        return Err(l.mismatch(
            "Expected all keys in the map type data are string type.".to_string(),
            None,
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (k, x) in items {
        out.push((k, enforce_type(l, x, value_type, required)?));
    }
    Ok(Value::Dict(out))
}
