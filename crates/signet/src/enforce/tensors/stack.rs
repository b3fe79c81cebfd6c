//! numpy's array building as the DataFrame → tensor path uses it: `np.asarray` of a cell,
//! `np.vstack` of a column's cells, dtype promotion.

use super::cast::{self, CastFailure};
use super::check;
use crate::enforce::Compat;
use crate::input::{Tensor, TensorData};
use crate::numpy::promote_types;
use crate::table;
use crate::types::{NumpyDtype, TimeUnit};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType as ArrowType, Field};

fn unit_rank(u: TimeUnit) -> u8 {
    match u {
        TimeUnit::Generic => 0,
        TimeUnit::Year => 1,
        TimeUnit::Month => 2,
        TimeUnit::Week => 3,
        TimeUnit::Day => 4,
        TimeUnit::Hour => 5,
        TimeUnit::Minute => 6,
        TimeUnit::Second => 7,
        TimeUnit::Milli => 8,
        TimeUnit::Micro => 9,
        TimeUnit::Nano => 10,
        TimeUnit::Pico => 11,
        TimeUnit::Femto => 12,
        TimeUnit::Atto => 13,
    }
}

/// numpy's `result_type` of two dtypes, for the dtypes signet meets: [`promote_types`] for
/// the numeric ones, the finer unit for two datetimes, a string for a string with a number.
/// Combinations numpy refuses (datetimes with numbers) give `object`.
pub(super) fn promote(a: NumpyDtype, b: NumpyDtype) -> NumpyDtype {
    use NumpyDtype::*;
    if let Some(d) = promote_types(a, b) {
        return d;
    }
    match (a, b) {
        (Datetime64(x), Datetime64(y)) => {
            if unit_rank(x) >= unit_rank(y) {
                a
            } else {
                b
            }
        }
        (Object, _) | (_, Object) => Object,
        (Str, o) | (o, Str) if o == Bytes || o.is_numeric() => Str,
        (Bytes, o) | (o, Bytes) if o.is_numeric() => Bytes,
        _ => Object,
    }
}

pub(super) use crate::numpy::is_scalar;

/// The dtype numpy discovers for one Python scalar in `np.asarray([...])`.
fn scalar_dtype(v: &Value) -> NumpyDtype {
    match v {
        Value::Bool(_) => NumpyDtype::Bool,
        Value::Int(n) if i64::try_from(*n).is_ok() => NumpyDtype::Int64,
        Value::Int(n) if u64::try_from(*n).is_ok() => NumpyDtype::UInt64,
        Value::Float(_) => NumpyDtype::Float64,
        Value::Str(_) => NumpyDtype::Str,
        Value::Bytes(_) => NumpyDtype::Bytes,
        Value::Numpy(d, _) => *d,
        Value::Datetime64(_, u) => NumpyDtype::Datetime64(*u),
        _ => NumpyDtype::Object,
    }
}

fn ragged() -> CastFailure {
    CastFailure::Raw {
        exception: "ValueError",
        message: "setting an array element with a sequence. The requested array has an \
                  inhomogeneous shape."
            .into(),
    }
}

/// Collects the shape and the leaves of a nested list as `np.asarray` does; ragged nesting is a
/// `ValueError`.
fn discover(
    v: &Value,
    shape: &mut Vec<usize>,
    depth: usize,
    leaves: &mut Vec<Value>,
) -> Result<(), CastFailure> {
    let items: Vec<Value> = match v {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        Value::Ndarray(t) => {
            check::consistent(t).map_err(|e| CastFailure::Unsupported(e.message().to_string()))?;
            let mut sub = t.shape.clone();
            if t.shape.is_empty() {
                return discover(&t.element(0), shape, depth, leaves);
            }
            let n = sub.remove(0);
            let per = sub.iter().product::<usize>();
            (0..n)
                .map(|i| {
                    if sub.is_empty() {
                        t.element(i)
                    } else {
                        let elems: Vec<Value> = (0..per).map(|j| t.element(i * per + j)).collect();
                        Value::List(nest(&elems, &sub))
                    }
                })
                .collect()
        }
        leaf => {
            if depth != shape.len() {
                return Err(ragged());
            }
            leaves.push(leaf.clone());
            return Ok(());
        }
    };
    if depth == shape.len() {
        if !leaves.is_empty() {
            // A sequence where earlier elements were scalars.
            return Err(ragged());
        }
        shape.push(items.len());
    } else if shape[depth] != items.len() {
        return Err(ragged());
    }
    for item in &items {
        discover(item, shape, depth + 1, leaves)?;
    }
    Ok(())
}

/// Re-nests flat C-order elements into lists of `shape`.
fn nest(elems: &[Value], shape: &[usize]) -> Vec<Value> {
    match shape.split_first() {
        None => elems.to_vec(),
        Some((_, [])) => elems.to_vec(),
        Some((&n, rest)) => {
            let per = rest.iter().product::<usize>();
            (0..n)
                .map(|i| Value::List(nest(&elems[i * per..(i + 1) * per], rest)))
                .collect()
        }
    }
}

/// `np.asarray(v)`.
pub(super) fn asarray(v: &Value) -> Result<Tensor, CastFailure> {
    if let Value::Ndarray(t) = v {
        check::consistent(t).map_err(|e| CastFailure::Unsupported(e.message().to_string()))?;
        return Ok((**t).clone());
    }
    let mut shape = Vec::new();
    let mut leaves = Vec::new();
    discover(v, &mut shape, 0, &mut leaves)?;
    // A list nested only in lists whose leaves are all at the same depth.
    if shape.iter().product::<usize>() != leaves.len() {
        return Err(ragged());
    }
    let dtype = if leaves.is_empty() {
        NumpyDtype::Float64
    } else {
        leaves
            .iter()
            .map(scalar_dtype)
            .reduce(promote)
            .unwrap_or(NumpyDtype::Object)
    };
    let data = match cast::cast_values(&leaves, dtype, Compat::Mlflow) {
        Ok(d) => d,
        Err(CastFailure::Unsupported(_)) => TensorData::Object(leaves),
        Err(e) => return Err(e),
    };
    Ok(Tensor { dtype, shape, data })
}

/// Converts an array to `dtype` for concatenation (numpy's promotion casts).
fn promote_to(t: &Tensor, dtype: NumpyDtype) -> Result<TensorData, CastFailure> {
    if t.dtype == dtype {
        return Ok(t.data.clone());
    }
    if dtype == NumpyDtype::Object {
        let values = (0..t.len())
            .map(|i| cast::plain(&t.element(i)).clone())
            .collect();
        return Ok(TensorData::Object(values));
    }
    match (&t.data, dtype) {
        (TensorData::Arrow(a), NumpyDtype::Datetime64(_)) => {
            let target = crate::table::numpy_arrow_type(dtype).ok_or_else(|| {
                CastFailure::Unsupported(format!("signet does not support arrays of dtype {dtype}"))
            })?;
            arrow_cast::cast(a, &target)
                .map(TensorData::Arrow)
                .map_err(|e| CastFailure::Unsupported(e.to_string()))
        }
        _ => cast::astype(t, dtype, Compat::Mlflow),
    }
}

/// `np.vstack(cells)`: every cell made at least 2-D, all with the same trailing dimensions,
/// concatenated along the first axis in the promoted dtype.
pub(super) fn vstack(cells: &[Tensor]) -> Result<Tensor, CastFailure> {
    let mismatch = || CastFailure::Raw {
        exception: "ValueError",
        message: "all the input array dimensions except for the concatenation axis must match \
                  exactly"
            .into(),
    };
    let shapes: Vec<Vec<usize>> = cells
        .iter()
        .map(|t| match t.shape.len() {
            0 => vec![1, 1],
            1 => vec![1, t.shape[0]],
            _ => t.shape.clone(),
        })
        .collect();
    let Some(first) = shapes.first() else {
        return Err(CastFailure::Raw {
            exception: "ValueError",
            message: "need at least one array to concatenate".into(),
        });
    };
    if shapes
        .iter()
        .any(|s| s.len() != first.len() || s[1..] != first[1..])
    {
        return Err(mismatch());
    }
    let dtype = cells
        .iter()
        .map(|t| t.dtype)
        .reduce(promote)
        .unwrap_or(NumpyDtype::Object);
    let mut shape = first.clone();
    shape[0] = shapes.iter().map(|s| s[0]).sum();
    let parts = cells
        .iter()
        .map(|t| promote_to(t, dtype))
        .collect::<Result<Vec<_>, _>>()?;
    let data = if parts.iter().all(|p| matches!(p, TensorData::Arrow(_))) {
        let arrays: Vec<&dyn Array> = parts
            .iter()
            .filter_map(|p| match p {
                TensorData::Arrow(a) => Some(a.as_ref()),
                TensorData::Object(_) => None,
            })
            .collect();
        TensorData::Arrow(
            arrow_select::concat::concat(&arrays)
                .map_err(|e| CastFailure::Unsupported(e.to_string()))?,
        )
    } else {
        let mut values = Vec::new();
        for (p, t) in parts.iter().zip(cells) {
            match p {
                TensorData::Object(v) => values.extend(v.iter().cloned()),
                TensorData::Arrow(_) => values.extend((0..t.len()).map(|i| t.element(i))),
            }
        }
        TensorData::Object(values)
    };
    Ok(Tensor { dtype, shape, data })
}

/// The numpy dtype Python values of an Arrow list's child type come out as when a list cell is
/// turned into an array (Python ints → `int64`, floats → `float64`), for the fast path.
fn list_child_dtype(t: &ArrowType) -> Option<NumpyDtype> {
    Some(match t {
        ArrowType::Boolean => NumpyDtype::Bool,
        // uint64 values beyond int64 would not come out as `int64`.
        t if t.is_integer() && *t != ArrowType::UInt64 => NumpyDtype::Int64,
        ArrowType::Float16 | ArrowType::Float32 | ArrowType::Float64 => NumpyDtype::Float64,
        ArrowType::Utf8 | ArrowType::LargeUtf8 => NumpyDtype::Str,
        _ => return None,
    })
}

/// `np.vstack` of an Arrow list column without nulls whose child is a plain scalar type: the
/// child values, cast once, shaped `(rows, length)`. `None` when the column does not qualify.
fn stack_list_column(array: &ArrayRef) -> Option<Result<Tensor, CastFailure>> {
    if array.null_count() > 0 {
        return None;
    }
    let (values, offsets): (ArrayRef, Vec<usize>) = match array.data_type() {
        ArrowType::List(_) => {
            let l = array.as_list::<i32>();
            (
                l.values().clone(),
                l.value_offsets().iter().map(|o| *o as usize).collect(),
            )
        }
        ArrowType::LargeList(_) => {
            let l = array.as_list::<i64>();
            (
                l.values().clone(),
                l.value_offsets().iter().map(|o| *o as usize).collect(),
            )
        }
        ArrowType::FixedSizeList(_, n) => {
            let l = array.as_fixed_size_list();
            let n = *n as usize;
            let start = l.offset() * n;
            (
                l.values().clone(),
                (0..=l.len()).map(|i| start + i * n).collect(),
            )
        }
        _ => return None,
    };
    let dtype = list_child_dtype(values.data_type())?;
    let (start, end) = (*offsets.first()?, *offsets.last()?);
    let flat = values.slice(start, end - start);
    if flat.null_count() > 0 {
        return None;
    }
    let rows = offsets.len() - 1;
    let width = offsets.get(1).map_or(0, |o| o - start);
    if offsets.windows(2).any(|w| w[1] - w[0] != width) {
        return Some(Err(CastFailure::Raw {
            exception: "ValueError",
            message: "all the input array dimensions except for the concatenation axis must \
                      match exactly"
                .into(),
        }));
    }
    let target = crate::table::numpy_arrow_type(dtype)?;
    let data = arrow_cast::cast(&flat, &target).ok()?;
    Some(Ok(Tensor {
        dtype,
        shape: vec![rows, width],
        data: TensorData::Arrow(data),
    }))
}

/// A `FixedSizeList` column of lists whose child already holds `dtype` values that survive the
/// round trip through Python numbers unchanged (`float32` → `float` → `float32`, `int32` →
/// `int` → `int32`, ...): `np.vstack` then `astype(dtype)` gives exactly the child buffer, so it
/// is handed through without a copy, shaped `(rows, length)`. `None` when the column does not
/// qualify (nulls, another child type), and the general stacking applies.
pub(super) fn stack_exact(array: &ArrayRef, dtype: NumpyDtype) -> Option<Tensor> {
    let ArrowType::FixedSizeList(_, n) = array.data_type() else {
        return None;
    };
    let lossless = matches!(
        dtype,
        NumpyDtype::Float32
            | NumpyDtype::Float64
            | NumpyDtype::Int8
            | NumpyDtype::Int16
            | NumpyDtype::Int32
            | NumpyDtype::Int64
            | NumpyDtype::UInt8
            | NumpyDtype::UInt16
            | NumpyDtype::UInt32
    );
    if !lossless || array.null_count() > 0 {
        return None;
    }
    let l = array.as_fixed_size_list();
    let n = usize::try_from(*n).ok()?;
    if l.values().data_type() != &crate::table::numpy_arrow_type(dtype)? {
        return None;
    }
    let flat = l.values().slice(l.offset() * n, l.len() * n);
    if flat.null_count() > 0 {
        return None;
    }
    Some(Tensor {
        dtype,
        shape: vec![l.len(), n],
        data: TensorData::Arrow(flat),
    })
}

/// `np.vstack(column.tolist())` for a DataFrame column.
pub(super) fn stack_column(field: &Field, array: &ArrayRef) -> Result<Tensor, CastFailure> {
    if let Some(result) = stack_list_column(array) {
        return result;
    }
    let cells = table::object_values(field, array.as_ref());
    let arrays = cells.iter().map(asarray).collect::<Result<Vec<_>, _>>()?;
    vstack(&arrays)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumpyDtype::*;

    #[test]
    fn promotion_matches_numpy() {
        assert_eq!(promote(Int8, Float16), Float16);
        assert_eq!(promote(Int16, Float16), Float32);
        assert_eq!(promote(Int32, Float32), Float64);
        assert_eq!(promote(UInt64, Int64), Float64);
        assert_eq!(promote(UInt8, Int8), Int16);
        assert_eq!(promote(Bool, Int64), Int64);
        assert_eq!(promote(Str, Int64), Str);
        assert_eq!(promote(Bytes, Int8), Bytes);
        assert_eq!(promote(Str, Bytes), Str);
        assert_eq!(promote(Float32, Float64), Float64);
        assert_eq!(
            promote(Datetime64(TimeUnit::Micro), Datetime64(TimeUnit::Nano)),
            Datetime64(TimeUnit::Nano)
        );
        assert_eq!(promote(Datetime64(TimeUnit::Nano), Int64), Object);
    }

    #[test]
    fn asarray_and_vstack() {
        let row = |v: Vec<Value>| asarray(&Value::List(v)).unwrap();
        let a = row(vec![Value::Int(1), Value::Float(2.5)]);
        assert_eq!((a.dtype, a.shape.clone()), (Float64, vec![2]));
        let b = row(vec![Value::Bool(true), Value::Int(2)]);
        assert_eq!(b.dtype, Int64);
        let c = row(vec![Value::str("a"), Value::Int(1)]);
        assert_eq!(c.dtype, Str);
        assert_eq!(c.element(1), Value::str("1"));
        let d = row(vec![Value::Int(1), Value::None]);
        assert_eq!(d.dtype, Object);
        assert!(asarray(&Value::List(vec![
            Value::Int(1),
            Value::List(vec![Value::Int(2)])
        ]))
        .is_err());
        let s = vstack(&[a.clone(), b.clone()]).unwrap();
        assert_eq!((s.dtype, s.shape.clone()), (Float64, vec![2, 2]));
        let short = row(vec![Value::Int(1)]);
        assert!(vstack(&[a, short]).is_err());
    }
}
