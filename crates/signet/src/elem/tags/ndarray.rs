//! ndarray Values of the corpus codec and the flat Arrow arrays built from their JSON elements.

use super::super::{err, text::*};
use super::{from_elem, to_elem};
use crate::input::{Tensor, TensorData};
use crate::numpy::{datetime_to_i64, timestamp_array};
use crate::table;
use crate::types::{NumpyDtype, TimeUnit};
use crate::value::Value;
use crate::SchemaError;
use arrow_array::{ArrayRef, BinaryArray, BooleanArray, StringArray};
use std::sync::Arc;

fn as_usize_list(v: Option<&Value>, what: &str) -> Result<Vec<usize>, SchemaError> {
    match v {
        Some(Value::List(items)) => items
            .iter()
            .map(|x| match x {
                Value::Int(i) if *i >= 0 => usize::try_from(*i).map_err(|_| err("shape too large")),
                _ => Err(err(format!(
                    "`{what}` must be a list of non-negative integers"
                ))),
            })
            .collect(),
        _ => Err(err(format!("missing `{what}`"))),
    }
}

/// Collects the elements of a nested list to depth `depth` in C order.
fn flatten<'a>(v: &'a Value, shape: &[usize], out: &mut Vec<&'a Value>) -> Result<(), SchemaError> {
    match shape.split_first() {
        None => {
            out.push(v);
            Ok(())
        }
        Some((&n, rest)) => match v {
            Value::List(items) if items.len() == n => {
                for item in items {
                    flatten(item, rest, out)?;
                }
                Ok(())
            }
            // numpy writes `[]` for any array with a zero dimension.
            Value::List(items) if items.is_empty() && (n == 0 || rest.contains(&0)) => Ok(()),
            _ => Err(err("ndarray `values` do not match its `shape`")),
        },
    }
}

/// Converts an ndarray Value (`{"type": "ndarray", "dtype", "shape", "values"}`) to a [`Tensor`].
pub fn tensor_from_value(v: &Value) -> Result<Tensor, SchemaError> {
    let dtype_name = match v.get("dtype") {
        Some(Value::Str(s)) => s,
        _ => return Err(err("ndarray value without `dtype`")),
    };
    let dtype = NumpyDtype::parse(dtype_name)?;
    let shape = as_usize_list(v.get("shape"), "shape")?;
    let values = v.get("values").unwrap_or(&Value::None);
    let total = shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| err("ndarray shape too large"))?;
    let mut flat = Vec::with_capacity(total.min(1 << 16));
    flatten(values, &shape, &mut flat)?;
    let data = if dtype == NumpyDtype::Object {
        TensorData::Object(flat.into_iter().map(from_elem).collect::<Result<_, _>>()?)
    } else {
        TensorData::Arrow(array_from_json(dtype, &flat)?)
    };
    Ok(Tensor { dtype, shape, data })
}

/// The ndarray Value of a tensor (inverse of [`tensor_from_value`]).
pub fn tensor_to_value(t: &Tensor) -> Value {
    fn build(t: &Tensor, dim: usize, offset: &mut usize) -> Value {
        if dim == t.shape.len() {
            let v = element_json(t, *offset);
            *offset += 1;
            return v;
        }
        Value::List(
            (0..t.shape[dim])
                .map(|_| build(t, dim + 1, offset))
                .collect(),
        )
    }
    let mut offset = 0;
    let values = if t.shape.contains(&0) {
        Value::List(Vec::new())
    } else {
        build(t, 0, &mut offset)
    };
    Value::dict([
        ("type", Value::str("ndarray")),
        ("dtype", Value::Str(t.dtype.name())),
        (
            "shape",
            Value::List(t.shape.iter().map(|&d| Value::Int(d as i128)).collect()),
        ),
        ("values", values),
    ])
}

fn element_json(t: &Tensor, i: usize) -> Value {
    match &t.data {
        TensorData::Object(v) => to_elem(&v[i]),
        TensorData::Arrow(a) => scalar_json(&table::array_value(a.as_ref(), i)),
    }
}

/// A numpy scalar as written in numeric columns/arrays: plain numbers, NaN as `null`,
/// bytes as base64, datetimes as ISO text at their unit.
pub(in crate::elem) fn scalar_json(v: &Value) -> Value {
    match v {
        Value::Numpy(_, inner) => scalar_json(inner),
        Value::Float(f) if !f.is_finite() => {
            if f.is_nan() {
                Value::None
            } else {
                to_elem(v)
            }
        }
        Value::Bytes(b) => Value::Str(base64_encode(b)),
        Value::Datetime64(dt, unit) => Value::Str(iso_at_unit(dt, *unit)),
        Value::Timestamp(dt) | Value::DateTime(dt) => {
            Value::Str(crate::repr::timestamp_isoformat(dt))
        }
        Value::Date(d) => Value::Str(d.format("%Y-%m-%d").to_string()),
        Value::NaT | Value::NA => Value::None,
        other => other.clone(),
    }
}

fn json_int(v: &Value) -> Result<Option<i128>, SchemaError> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        Value::Bool(b) => Ok(Some(*b as i128)),
        Value::Float(f) if f.fract() == 0.0 => Ok(Some(*f as i128)),
        other => Err(err(format!(
            "expected an integer, got {}",
            crate::repr::py_repr(other)
        ))),
    }
}

pub(in crate::elem) fn json_float(v: &Value) -> Result<Option<f64>, SchemaError> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        Value::Bool(b) => Ok(Some(*b as u8 as f64)),
        Value::Dict(_) => match from_elem(v)? {
            Value::Float(f) => Ok(Some(f)),
            _ => Err(err("expected a number")),
        },
        other => Err(err(format!(
            "expected a number, got {}",
            crate::repr::py_repr(other)
        ))),
    }
}

pub(in crate::elem) fn timestamps(
    values: &[&Value],
    unit: TimeUnit,
) -> Result<Vec<Option<i64>>, SchemaError> {
    values
        .iter()
        .map(|v| match v {
            Value::None => Ok(None),
            Value::Str(s) => {
                let dt = parse_datetime(s)?;
                datetime_to_i64(&dt, unit)
                    .map(Some)
                    .ok_or_else(|| err(format!("datetime {s:?} out of range")))
            }
            Value::Dict(_) => match from_elem(v)? {
                Value::NaT | Value::None => Ok(None),
                Value::DateTime(dt) | Value::Timestamp(dt) | Value::Datetime64(dt, _) => {
                    Ok(datetime_to_i64(&dt, unit))
                }
                _ => Err(err("expected a datetime")),
            },
            _ => Err(err("expected an ISO datetime string")),
        })
        .collect()
}

/// A flat Arrow array of a (non-object) numpy dtype from JSON elements as written in the corpus.
pub(in crate::elem) fn array_from_json(
    dtype: NumpyDtype,
    flat: &[&Value],
) -> Result<ArrayRef, SchemaError> {
    use NumpyDtype as D;
    Ok(match dtype {
        D::Bool => Arc::new(BooleanArray::from(
            flat.iter()
                .map(|v| match v {
                    Value::Bool(b) => Ok(Some(*b)),
                    Value::None => Ok(None),
                    _ => Err(err("expected a bool")),
                })
                .collect::<Result<Vec<_>, _>>()?,
        )),
        d if d.is_int() => {
            let values = flat
                .iter()
                .map(|v| json_int(v))
                .collect::<Result<Vec<_>, _>>()?;
            match crate::numpy::int_array(d, values.iter().copied()) {
                Some(Ok(array)) => array,
                Some(Err(i)) => {
                    let n = values[i].unwrap_or_default();
                    return Err(err(format!("integer {n} out of range")));
                }
                None => return Err(err(format!("no integer array for {}", d.name()))),
            }
        }
        D::Float16 | D::Float32 | D::Float64 => {
            // In numpy arrays `null` is NaN: store it as a NaN value.
            let vals: Vec<f64> = flat
                .iter()
                .map(|v| json_float(v).map(|f| f.unwrap_or(f64::NAN)))
                .collect::<Result<_, _>>()?;
            crate::numpy::float_array(dtype, vals)
                .ok_or_else(|| err(format!("no float array for {}", dtype.name())))?
        }
        D::Str => Arc::new(StringArray::from(
            flat.iter()
                .map(|v| match v {
                    Value::Str(s) => Ok(Some(s.as_str())),
                    Value::None => Ok(None),
                    _ => Err(err("expected a string")),
                })
                .collect::<Result<Vec<_>, _>>()?,
        )),
        D::Bytes => {
            let decoded = flat
                .iter()
                .map(|v| match v {
                    Value::Str(s) => base64_decode(s).map(Some),
                    Value::None => Ok(None),
                    _ => Err(err("expected base64 text")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(BinaryArray::from_opt_vec(
                decoded.iter().map(|b| b.as_deref()).collect(),
            ))
        }
        D::Datetime64(unit) => timestamp_array(unit, None, timestamps(flat, unit)?),
        other => {
            return Err(err(format!(
                "ndarray dtype {} is not supported",
                other.name()
            )))
        }
    })
}
