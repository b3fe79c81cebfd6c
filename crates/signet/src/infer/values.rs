//! Types of Python values (`_infer_datatype`, `_infer_array_datatype`,
//! `_infer_scalar_datatype`) and the merging of types (`_merge` of Array/Object/Map/AnyType).

use super::InferError;
use crate::input::{Tensor, TensorData};
use crate::repr::{coltype_repr, coltype_str, py_str_of};
use crate::types::{ColType, DataType, NumpyDtype, ObjectType, Property, Required};
use crate::value::Value;

/// MLflow's `MULTIPLE_TYPES_ERROR_MSG`.
pub(crate) const MULTIPLE_TYPES: &str = "Expected all values in the list to be of the same type. To specify a model signature with a list containing elements of multiple types, define the signature manually using the Array(AnyType()) type from mlflow.models.schema.";

/// MLflow's `_is_none_or_nan`: `None`, `pd.NA`, `pd.NaT`, or a NaN of Python `float` (numpy
/// `float64` is a subclass of `float`; other numpy floats are not).
pub(crate) fn is_none_or_nan(v: &Value) -> bool {
    match v {
        Value::None | Value::NA | Value::NaT => true,
        Value::Float(f) => f.is_nan(),
        Value::Numpy(NumpyDtype::Float64, inner) => {
            matches!(**inner, Value::Float(f) if f.is_nan())
        }
        _ => false,
    }
}

/// MLflow's `_infer_required` for a dict value: a list is required when none of its items is
/// missing, anything else when it is not missing itself.
pub(crate) fn infer_required(v: &Value) -> bool {
    match v {
        Value::List(items) => !items.iter().any(is_none_or_nan),
        other => !is_none_or_nan(other),
    }
}

/// Python's class name of a type object, as in `type(other).__name__`.
fn type_class(t: &ColType) -> &'static str {
    match t {
        ColType::Scalar(_) => "DataType",
        ColType::Array(_) => "Array",
        ColType::Object(_) => "Object",
        ColType::Map(_) => "Map",
        ColType::Any => "AnyType",
        ColType::SparkMLVector => "SparkMLVector",
    }
}

fn is_composite(t: &ColType) -> bool {
    !matches!(t, ColType::Scalar(_))
}

fn optional(p: &Property) -> Property {
    Property {
        name: p.name.clone(),
        ty: p.ty.clone(),
        required: Required::No,
    }
}

fn object(props: Vec<Property>) -> Result<ColType, InferError> {
    ObjectType::new(props)
        .map(ColType::Object)
        .map_err(|e| InferError::mlflow(e.message()))
}

/// `Property._merge`.
fn merge_property(a: &Property, b: &Property) -> Result<Property, InferError> {
    let required = (a.required.is_required() && b.required.is_required()).into();
    match (&a.ty, &b.ty) {
        (ColType::Scalar(x), ColType::Scalar(y)) => {
            if x == y {
                Ok(Property {
                    name: a.name.clone(),
                    ty: a.ty.clone(),
                    required,
                })
            } else {
                Err(InferError::mlflow(format!(
                    "Properties are incompatible for {} and {}",
                    x.qualified(),
                    y.qualified()
                )))
            }
        }
        (ColType::Scalar(_), _) => Err(InferError::mlflow("Properties are incompatible")),
        (x, y) => Ok(Property {
            name: a.name.clone(),
            ty: merge(x, y)?,
            required,
        }),
    }
}

/// `a._merge(b)` for a composite type `a` (Array, Object, Map, AnyType, SparkMLVector), with
/// MLflow's asymmetries kept (e.g. `Array(long)` with `Array(Any)` fails while `Array(Any)`
/// with `Array(long)` gives `Array(long)`).
pub(crate) fn merge(a: &ColType, b: &ColType) -> Result<ColType, InferError> {
    match a {
        ColType::Any => match b {
            ColType::Any | ColType::Scalar(_) => Ok(b.clone()),
            other => merge(other, a),
        },
        ColType::Array(x) | ColType::Map(x) => {
            let is_array = matches!(a, ColType::Array(_));
            if matches!(b, ColType::Any) || a == b {
                return Ok(a.clone());
            }
            let (kind, y) = match (is_array, b) {
                (true, ColType::Array(y)) => ("array", y),
                (false, ColType::Map(y)) => ("map", y),
                _ => {
                    let kind = if is_array { "array" } else { "map" };
                    return Err(InferError::mlflow(format!(
                        "Can't merge {kind} with non-{kind} type: {}",
                        type_class(b)
                    )));
                }
            };
            let wrap = |t: ColType| {
                if is_array {
                    ColType::Array(Box::new(t))
                } else {
                    ColType::Map(Box::new(t))
                }
            };
            match x.as_ref() {
                ColType::Scalar(_) => {
                    if x == y {
                        Ok(wrap(x.as_ref().clone()))
                    } else if is_array {
                        Err(InferError::mlflow(format!(
                            "Array types are incompatible for {} with dtype={} and {} with dtype={}",
                            coltype_repr(a),
                            coltype_str(x),
                            coltype_repr(b),
                            coltype_str(y)
                        )))
                    } else {
                        Err(InferError::mlflow(format!(
                            "Map types are incompatible for {} with value_type={} and {} with value_type={}",
                            coltype_repr(a),
                            coltype_str(x),
                            coltype_repr(b),
                            coltype_str(y)
                        )))
                    }
                }
                inner => {
                    let _ = kind;
                    Ok(wrap(merge(inner, y)?))
                }
            }
        }
        ColType::Object(o) => match b {
            ColType::Any => object(o.properties().iter().map(optional).collect()),
            ColType::Object(p) => {
                if o == p {
                    return Ok(a.clone());
                }
                let mut props = Vec::new();
                for x in o.properties() {
                    match p.get(&x.name) {
                        Some(y) => props.push(merge_property(x, y)?),
                        None => props.push(optional(x)),
                    }
                }
                for y in p.properties() {
                    if o.get(&y.name).is_none() {
                        props.push(optional(y));
                    }
                }
                object(props)
            }
            other => Err(InferError::mlflow(format!(
                "Can't merge object with non-object type: {}",
                type_class(other)
            ))),
        },
        ColType::SparkMLVector => match b {
            ColType::SparkMLVector => Ok(ColType::SparkMLVector),
            _ => Err(InferError::mlflow(
                "SparkML vector type can't be merged with another Array type.",
            )),
        },
        ColType::Scalar(_) => Err(InferError::other(
            "AttributeError",
            "'DataType' object has no attribute '_merge'",
        )),
    }
}

/// Folds the item types of a list or array (`_infer_array_datatype`); `None` when every item
/// is undetermined (empty numpy arrays) or there are no items.
fn fold_items(
    items: impl Iterator<Item = Result<Option<ColType>, InferError>>,
) -> Result<Option<ColType>, InferError> {
    let mut result: Option<ColType> = None;
    for item in items {
        let Some(dtype) = item? else { continue };
        result = Some(match result {
            None => dtype,
            Some(r) if is_composite(&r) => {
                merge(&r, &dtype).map_err(|_| InferError::mlflow(MULTIPLE_TYPES))?
            }
            Some(r) => {
                if !matches!(dtype, ColType::Any) && dtype != r {
                    return Err(InferError::mlflow(MULTIPLE_TYPES));
                }
                r
            }
        });
    }
    Ok(result.map(|t| ColType::Array(Box::new(t))))
}

/// `_infer_array_datatype` over a slice of values: `Some(Array(T))`, or `None` when undetermined.
pub(crate) fn infer_list(items: &[Value]) -> Result<Option<ColType>, InferError> {
    fold_items(items.iter().map(infer_datatype))
}

/// The DataType of a numpy scalar of this dtype, when MLflow maps it.
fn numpy_scalar_type(dtype: NumpyDtype) -> Option<DataType> {
    Some(match dtype {
        NumpyDtype::Bool => DataType::Boolean,
        NumpyDtype::Int64 => DataType::Long,
        NumpyDtype::Int32 => DataType::Integer,
        NumpyDtype::Float64 => DataType::Double,
        NumpyDtype::Float32 => DataType::Float,
        NumpyDtype::Str => DataType::String,
        NumpyDtype::Bytes => DataType::Binary,
        NumpyDtype::Datetime64(_) => DataType::Datetime,
        _ => return None,
    })
}

/// The element at flat index `i` (numpy scalar semantics), `None` past the data's end.
pub(crate) fn tensor_element(t: &Tensor, i: usize) -> Value {
    match &t.data {
        TensorData::Object(v) => v.get(i).cloned().unwrap_or(Value::None),
        TensorData::Arrow(a) => crate::table::array_value(a.as_ref(), i),
    }
}

/// Number of elements of a tensor (product of its shape, saturating).
pub(crate) fn tensor_len(t: &Tensor) -> usize {
    t.shape.iter().fold(1usize, |acc, &d| acc.saturating_mul(d))
}

/// Whether the tensor's data holds exactly as many elements as its shape says.
pub(crate) fn tensor_consistent(t: &Tensor) -> bool {
    let stored = match &t.data {
        TensorData::Object(v) => v.len(),
        TensorData::Arrow(a) => a.len(),
    };
    stored == tensor_len(t)
}

/// `_infer_array_datatype` of the sub-array of `t` starting at flat index `start` with `shape`.
fn infer_tensor_block(
    t: &Tensor,
    start: usize,
    shape: &[usize],
) -> Result<Option<ColType>, InferError> {
    let Some((&n, rest)) = shape.split_first() else {
        return Err(InferError::other("TypeError", "iteration over a 0-d array"));
    };
    if !rest.is_empty() {
        let stride: usize = rest.iter().fold(1usize, |acc, &d| acc.saturating_mul(d));
        return fold_items((0..n).map(|r| infer_tensor_block(t, start + r * stride, rest)));
    }
    if n == 0 {
        return Ok(None);
    }
    match &t.data {
        TensorData::Object(vals) => match vals.get(start..start + n) {
            Some(slice) => infer_list(slice),
            None => Err(InferError::other(
                "IndexError",
                "tensor data shorter than its shape",
            )),
        },
        TensorData::Arrow(_) => {
            // Every element of a typed array is a numpy scalar of the array's dtype: one type
            // for all, except that float64 NaNs are undetermined.
            let Some(dt) = numpy_scalar_type(t.dtype) else {
                return Err(InferError::mlflow(format!(
                    "Data {} is not one of the supported DataType",
                    py_str_of(&tensor_element(t, start))
                )));
            };
            if t.dtype == NumpyDtype::Float64
                && (start..start + n).all(|i| is_none_or_nan(&tensor_element(t, i)))
            {
                return Ok(Some(ColType::Array(Box::new(ColType::Any))));
            }
            Ok(Some(ColType::Array(Box::new(ColType::Scalar(dt)))))
        }
    }
}

/// `_infer_array_datatype` of a numpy array.
pub(crate) fn infer_tensor(t: &Tensor) -> Result<Option<ColType>, InferError> {
    if !tensor_consistent(t) {
        return Err(InferError::other(
            "ValueError",
            "tensor data does not match its shape",
        ));
    }
    infer_tensor_block(t, 0, &t.shape)
}

/// `_infer_scalar_datatype`.
pub(crate) fn infer_scalar(v: &Value) -> Result<DataType, InferError> {
    let t = match v {
        Value::Bool(_) => Some(DataType::Boolean),
        Value::Int(_) => Some(DataType::Long),
        Value::Float(_) => Some(DataType::Double),
        Value::Str(_) => Some(DataType::String),
        Value::Bytes(_) => Some(DataType::Binary),
        Value::Date(_) | Value::DateTime(_) | Value::Datetime64(..) | Value::Timestamp(_) => {
            Some(DataType::Datetime)
        }
        Value::Numpy(dt, _) => numpy_scalar_type(*dt),
        _ => None,
    };
    t.ok_or_else(|| {
        InferError::mlflow(format!(
            "Data {} is not one of the supported DataType",
            py_str_of(v)
        ))
    })
}

/// `_infer_datatype`: dict → Object, list/array → Array, scalar → DataType, missing or empty →
/// Any; `None` when undetermined (an empty numpy array).
pub(crate) fn infer_datatype(v: &Value) -> Result<Option<ColType>, InferError> {
    if is_none_or_nan(v) {
        return Ok(Some(ColType::Any));
    }
    match v {
        Value::List(items) if items.is_empty() => Ok(Some(ColType::Any)),
        Value::Dict(items) if items.is_empty() => Ok(Some(ColType::Any)),
        Value::Dict(items) => {
            let mut props = Vec::with_capacity(items.len());
            for (k, val) in items {
                let dtype = infer_datatype(val)?.ok_or_else(|| {
                    InferError::mlflow("Dictionary value must not be an empty numpy array.")
                })?;
                let Value::Str(name) = k else {
                    return Err(InferError::mlflow(format!(
                        "Expected name to be a string, got type {}",
                        k.type_name()
                    )));
                };
                let required = !matches!(dtype, ColType::Any);
                props.push(Property::new(name.clone(), dtype, required));
            }
            object(props).map(Some)
        }
        Value::List(items) => infer_list(items),
        Value::Ndarray(t) => infer_tensor(t),
        other => infer_scalar(other).map(|t| Some(ColType::Scalar(t))),
    }
}

/// `_infer_colspec_type`: like [`infer_datatype`] but an undetermined type is an error.
pub(crate) fn infer_colspec_type(v: &Value) -> Result<ColType, InferError> {
    infer_datatype(v)?.ok_or_else(|| {
        InferError::mlflow(format!(
            "Numpy array must include at least one non-empty item. Invalid input `{}`.",
            py_str_of(v)
        ))
    })
}
