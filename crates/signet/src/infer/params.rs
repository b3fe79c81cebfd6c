//! Params inference (`_infer_param_schema` / `_infer_type_and_shape`), with MLflow's error
//! texts.

use super::pandas::numpy_kind_type;
use super::values::{infer_colspec_type, tensor_consistent, tensor_element, tensor_len};
use super::InferError;
use crate::input::{Tensor, TensorData};
use crate::pyjson::float_repr;
use crate::repr::{py_repr, py_str, py_str_of};
use crate::types::{ColType, DataType, NumpyDtype, ParamSchema, ParamShape, ParamSpec, ParamType};
use crate::value::Value;
use crate::SchemaError;

/// numpy's dtype discovery for `np.array(x)`, reduced to what params inference looks at.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Disc {
    Object,
    Str,
    Bytes,
    Dt(NumpyDtype),
}

fn discover(v: &Value) -> Disc {
    match v {
        Value::Bool(_) => Disc::Dt(NumpyDtype::Bool),
        Value::Int(i) => {
            if i64::try_from(*i).is_ok() {
                Disc::Dt(NumpyDtype::Int64)
            } else if u64::try_from(*i).is_ok() {
                Disc::Dt(NumpyDtype::UInt64)
            } else {
                Disc::Object
            }
        }
        Value::Float(_) => Disc::Dt(NumpyDtype::Float64),
        Value::Str(_) => Disc::Str,
        Value::Bytes(_) => Disc::Bytes,
        Value::Datetime64(_, unit) => Disc::Dt(NumpyDtype::Datetime64(*unit)),
        Value::Numpy(d, _) => of_dtype(*d),
        Value::Ndarray(t) => of_dtype(t.dtype),
        _ => Disc::Object,
    }
}

fn of_dtype(d: NumpyDtype) -> Disc {
    match d {
        NumpyDtype::Str => Disc::Str,
        NumpyDtype::Bytes => Disc::Bytes,
        NumpyDtype::Object => Disc::Object,
        other => Disc::Dt(other),
    }
}

fn promote(a: Disc, b: Disc) -> Disc {
    match (a, b) {
        (Disc::Object, _) | (_, Disc::Object) => Disc::Object,
        (Disc::Str, _) | (_, Disc::Str) => Disc::Str,
        (Disc::Bytes, _) | (_, Disc::Bytes) => Disc::Bytes,
        (Disc::Dt(x), Disc::Dt(y)) => {
            crate::numpy::promote_types(x, y).map_or(Disc::Object, Disc::Dt)
        }
    }
}

/// `_infer_numpy_dtype(np.array(value).dtype)`.
fn numpy_type(d: Disc) -> Result<DataType, InferError> {
    match d {
        Disc::Object => numpy_kind_type("object", 'O', 0),
        Disc::Str => Ok(DataType::String),
        Disc::Bytes => Ok(DataType::Binary),
        Disc::Dt(dt) => numpy_kind_type(&dt.name(), dt.kind(), dt.itemsize().unwrap_or(8)),
    }
}

/// `_get_array_depth`.
fn depth(v: &Value) -> usize {
    match v {
        Value::Ndarray(t) => t.shape.len(),
        Value::List(items) => items.iter().map(depth).max().unwrap_or(0) + 1,
        _ => 0,
    }
}

/// `DataType.check_type(DataType.datetime, v)`: an exact type check against `datetime.date`,
/// `datetime.datetime` and `numpy.datetime64`, so a `pandas.Timestamp` (a `datetime`
/// subclass) is not one (`conformance/cases/infer.jsonl`, `param-timestamp`).
fn is_datetime(v: &Value) -> bool {
    matches!(
        v,
        Value::Date(_) | Value::DateTime(_) | Value::Datetime64(..)
    )
}

fn shape_error(what: String) -> InferError {
    InferError::mlflow(format!(
        "Expected parameters to be 1D array or scalar, got {what}"
    ))
}

/// `_infer_type_and_shape`: the param's type (a column type, to be checked for ParamSpec) and
/// shape.
fn infer_type_and_shape(value: &Value) -> Result<(ColType, ParamShape), InferError> {
    let scalar = |t: DataType| ColType::Scalar(t);
    match value {
        Value::List(_) | Value::Ndarray(_) => {
            let ndim = depth(value);
            if ndim != 1 {
                return Err(shape_error(format!("{ndim}D array")));
            }
            let disc = match value {
                Value::List(items) => {
                    if items.iter().all(is_datetime) {
                        return Ok((scalar(DataType::Datetime), ParamShape::List));
                    }
                    items
                        .iter()
                        .map(discover)
                        .reduce(promote)
                        .unwrap_or(Disc::Dt(NumpyDtype::Float64))
                }
                Value::Ndarray(t) => {
                    if tensor_consistent(t)
                        && (0..tensor_len(t)).all(|i| is_datetime(&tensor_element(t, i)))
                    {
                        return Ok((scalar(DataType::Datetime), ParamShape::List));
                    }
                    of_dtype(t.dtype)
                }
                _ => Disc::Object,
            };
            Ok((scalar(numpy_type(disc)?), ParamShape::List))
        }
        v if is_datetime(v) => Ok((scalar(DataType::Datetime), ParamShape::Scalar)),
        Value::Bool(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Str(_)
        | Value::Bytes(_)
        | Value::Numpy(..) => match numpy_type(discover(value)) {
            Ok(t) => Ok((scalar(t), ParamShape::Scalar)),
            Err(e) => Err(InferError::mlflow(format!(
                "Failed to infer schema for parameter {}: {}",
                py_str_of(value),
                e.repr()
            ))),
        },
        Value::Dict(_) => Ok((infer_colspec_type(value)?, ParamShape::Scalar)),
        other => Err(shape_error(other.type_name())),
    }
}

fn param_spec(name: &str, value: &Value) -> Result<ParamSpec, InferError> {
    let (ty, shape) = infer_type_and_shape(value)?;
    let dtype = match ty {
        ColType::Scalar(t) => ParamType::Scalar(t),
        ColType::Object(o) => ParamType::Object(o),
        other => {
            return Err(InferError::mlflow(format!(
                "'dtype' must be DataType, Object or str, got {}",
                crate::repr::coltype_str(&other)
            )))
        }
    };
    ParamSpec::new(name, dtype, value.clone(), shape).map_err(|e| InferError::mlflow(e.message()))
}

/// `_infer_param_schema`: one ParamSpec per entry, in order; every failure is collected and
/// reported in one error, `Failed to infer schema for parameters: [('p', None,
/// MlflowException('...'))]`.
pub fn infer_param_schema(params: &[(String, Value)]) -> Result<ParamSchema, SchemaError> {
    let mut specs = Vec::with_capacity(params.len());
    let mut invalid = Vec::new();
    for (name, value) in params {
        match param_spec(name, value) {
            Ok(spec) => specs.push(spec),
            Err(e) => invalid.push(format!(
                "({}, {}, {})",
                py_str(name),
                value_repr(value),
                e.repr()
            )),
        }
    }
    if !invalid.is_empty() {
        return Err(SchemaError::new(format!(
            "Failed to infer schema for parameters: [{}]",
            invalid.join(", ")
        )));
    }
    ParamSchema::new(specs)
}

/// Python `repr` of a param value, numpy arrays written as numpy writes them.
fn value_repr(v: &Value) -> String {
    match v {
        Value::Ndarray(t) => ndarray_repr(t),
        other => py_repr(other),
    }
}

/// numpy's float formatting in arrays (`maxprec`, 8 digits): `(integer part, fraction part)`.
fn float_parts(f: f64) -> (String, String) {
    if !f.is_finite() {
        return (float_repr(f), String::new());
    }
    let mut s = float_repr(f);
    if let Some((_, frac)) = s.split_once('.') {
        if frac.len() > 8 {
            s = format!("{f:.8}").trim_end_matches('0').to_string();
        }
    }
    match s.split_once('.') {
        Some((i, fr)) => {
            let fr = if fr == "0" { "" } else { fr };
            (format!("{i}."), fr.to_string())
        }
        None => (s, String::new()),
    }
}

/// `repr(ndarray)` as numpy writes it (`array([[1, 2],\n       [3, 4]])`,
/// `array(['a', 'bb'], dtype='<U2')`), without numpy's line wrapping.
pub(crate) fn ndarray_repr(t: &Tensor) -> String {
    use NumpyDtype as D;
    if !tensor_consistent(t) {
        return "array(...)".into();
    }
    let n = tensor_len(t);
    let elems: Vec<Value> = (0..n)
        .map(|i| match tensor_element(t, i) {
            Value::Numpy(_, inner) => *inner,
            other => other,
        })
        .collect();
    let mut suffix = match t.dtype {
        D::Int64 | D::Float64 | D::Bool => String::new(),
        D::Str => {
            let w = elems
                .iter()
                .map(|v| match v {
                    Value::Str(s) => s.chars().count(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
                .max(1);
            format!("dtype='<U{w}'")
        }
        D::Bytes => {
            let w = elems
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => b.len(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
                .max(1);
            format!("dtype='|S{w}'")
        }
        D::Datetime64(_) | D::Timedelta64(_) => format!("dtype='{}'", t.dtype.name()),
        other => format!("dtype={}", other.name()),
    };
    if n == 0 {
        let dt = format!("dtype={}", t.dtype.name());
        let dt = if suffix.is_empty() {
            dt
        } else {
            suffix.clone()
        };
        return if t.shape.len() == 1 {
            format!("array([], {dt})")
        } else {
            let dims: Vec<String> = t.shape.iter().map(|d| d.to_string()).collect();
            format!("array([], shape={}, {dt})", crate::repr::py_tuple(&dims))
        };
    }
    let texts: Vec<String> = if matches!(t.data, TensorData::Arrow(_))
        && matches!(t.dtype, D::Float16 | D::Float32 | D::Float64)
    {
        let parts: Vec<(String, String)> = elems
            .iter()
            .map(|v| match v {
                Value::Float(f) => float_parts(*f),
                other => (py_repr(other), String::new()),
            })
            .collect();
        let wi = parts.iter().map(|p| p.0.len()).max().unwrap_or(0);
        let wf = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
        parts
            .into_iter()
            .map(|(i, f)| format!("{i:>wi$}{f:<wf$}"))
            .collect()
    } else {
        let raw: Vec<String> = elems
            .iter()
            .map(|v| match v {
                Value::Datetime64(dt, unit) => {
                    format!("'{}'", crate::repr::numpy_datetime(dt, *unit))
                }
                other => py_repr(other),
            })
            .collect();
        if matches!(t.data, TensorData::Arrow(_)) && !matches!(t.dtype, D::Str | D::Bytes) {
            let w = raw.iter().map(|s| s.len()).max().unwrap_or(0);
            raw.into_iter().map(|s| format!("{s:>w$}")).collect()
        } else {
            raw
        }
    };
    if t.shape.is_empty() {
        if !suffix.is_empty() {
            suffix.insert_str(0, ", ");
        }
        return format!("array({}{suffix})", texts.first().map_or("", |s| s.trim()));
    }
    fn build(texts: &[String], shape: &[usize], axis: usize, start: usize, out: &mut String) {
        out.push('[');
        let ndim = shape.len();
        let stride: usize = shape[axis + 1..].iter().product();
        for k in 0..shape[axis] {
            if k > 0 {
                if axis + 1 == ndim {
                    out.push_str(", ");
                } else {
                    out.push(',');
                    for _ in 0..(ndim - axis - 1) {
                        out.push('\n');
                    }
                    for _ in 0..("array(".len() + axis + 1) {
                        out.push(' ');
                    }
                }
            }
            if axis + 1 == ndim {
                out.push_str(&texts[start + k]);
            } else {
                build(texts, shape, axis + 1, start + k * stride, out);
            }
        }
        out.push(']');
    }
    let mut body = String::new();
    build(&texts, &t.shape, 0, 0, &mut body);
    if suffix.is_empty() {
        format!("array({body})")
    } else {
        format!("array({body}, {suffix})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float64Array, Int64Array};
    use std::sync::Arc;

    fn tensor(shape: Vec<usize>, data: arrow_array::ArrayRef, dtype: NumpyDtype) -> Tensor {
        Tensor {
            dtype,
            shape,
            data: TensorData::Arrow(data),
        }
    }

    #[test]
    fn numpy_reprs() {
        let t = tensor(
            vec![2, 2],
            Arc::new(Int64Array::from(vec![1, 2, 3, 4])),
            NumpyDtype::Int64,
        );
        assert_eq!(ndarray_repr(&t), "array([[1, 2],\n       [3, 4]])");
        let t = tensor(
            vec![],
            Arc::new(Int64Array::from(vec![1])),
            NumpyDtype::Int64,
        );
        assert_eq!(ndarray_repr(&t), "array(1)");
        let t = tensor(
            vec![2],
            Arc::new(Float64Array::from(vec![1.0, 2.5])),
            NumpyDtype::Float64,
        );
        assert_eq!(ndarray_repr(&t), "array([1. , 2.5])");
        let t = tensor(
            vec![2],
            Arc::new(Int64Array::from(vec![1, 10])),
            NumpyDtype::Int64,
        );
        assert_eq!(ndarray_repr(&t), "array([ 1, 10])");
    }

    #[test]
    fn param_errors() {
        let params = vec![
            ("a".to_string(), Value::str("x")),
            (
                "b".to_string(),
                Value::Tuple(vec![Value::Int(1), Value::Int(2)]),
            ),
            ("c".to_string(), Value::None),
            (
                "d".to_string(),
                Value::List(vec![Value::List(vec![Value::Int(1)])]),
            ),
            ("e".to_string(), Value::List(vec![Value::None])),
            ("f".to_string(), Value::Int(1 << 63)),
        ];
        let err = infer_param_schema(&params).unwrap_err();
        assert_eq!(
            err.message(),
            "Failed to infer schema for parameters: [\
             ('b', (1, 2), MlflowException('Expected parameters to be 1D array or scalar, got tuple')), \
             ('c', None, MlflowException('Expected parameters to be 1D array or scalar, got NoneType')), \
             ('d', [[1]], MlflowException('Expected parameters to be 1D array or scalar, got 2D array')), \
             ('e', [None], Exception('Can not infer object without looking at the values, call _map_numpy_array instead.')), \
             ('f', 9223372036854775808, MlflowException('Failed to infer schema for parameter 9223372036854775808: MlflowException(\"Unsupported numpy data type \\'uint64\\', kind \\'u\\'\")'))]"
        );
    }

    #[test]
    fn list_dtypes() {
        let l = |v: Vec<Value>| numpy_type(v.iter().map(discover).reduce(promote).unwrap());
        assert_eq!(
            l(vec![Value::Int(1), Value::Float(2.5)]).unwrap(),
            DataType::Double
        );
        assert_eq!(
            l(vec![Value::str("a"), Value::Int(1)]).unwrap(),
            DataType::String
        );
        assert_eq!(
            l(vec![Value::Bool(true), Value::Int(1)]).unwrap(),
            DataType::Long
        );
        assert_eq!(
            l(vec![Value::Numpy(
                NumpyDtype::Int32,
                Box::new(Value::Int(1))
            )])
            .unwrap(),
            DataType::Integer
        );
    }
}
