//! The core check of one array against one TensorSpec (docs/enforcement.md#tensor-check): shape, then
//! dtype, never a cast.

use crate::enforce::{Compat, EnforceError, ErrorKind};
use crate::input::{SparseMatrix, Tensor, TensorData};
use crate::repr::{py_repr, py_tuple, shape_repr, tensor_spec_repr};
use crate::table;
use crate::types::{NumpyDtype, TensorSpec};
use crate::value::Value;
use arrow_array::Array;
use arrow_schema::DataType as ArrowType;

/// Length of the longest element of a `str` (characters) or `bytes` (bytes) array, at least 1:
/// the size numpy gives the array's dtype (`<U5`, `|S3`).
fn flexible_size(t: &Tensor) -> usize {
    let TensorData::Arrow(a) = &t.data else {
        return 1;
    };
    let a = a.as_ref();
    let valid = (0..a.len()).filter(|&i| a.is_valid(i));
    let longest = match a.data_type() {
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => valid
            .filter_map(|i| table::str_at(a, i))
            .map(|s| s.chars().count())
            .max(),
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => valid
            .filter_map(|i| table::bytes_at(a, i))
            .map(<[u8]>::len)
            .max(),
        ArrowType::FixedSizeBinary(n) => Some(*n as usize),
        _ => None,
    };
    longest.unwrap_or(0).max(1)
}

/// numpy's `str(array.dtype)`: `float64`, `object`, `datetime64[s]`, and sized flexible types
/// (`<U2`, `|S3`).
pub(crate) fn array_dtype_text(t: &Tensor) -> String {
    match t.dtype {
        NumpyDtype::Str => format!("<U{}", flexible_size(t)),
        NumpyDtype::Bytes => format!("|S{}", flexible_size(t)),
        d => d.name(),
    }
}

/// numpy's `str(np.dtype(spec_dtype))`: unsized `str` and `bytes` print as `<U0` and `|S0`.
pub(crate) fn spec_dtype_text(d: NumpyDtype) -> String {
    match d {
        NumpyDtype::Str => "<U0".into(),
        NumpyDtype::Bytes => "|S0".into(),
        d => d.name(),
    }
}

/// Python's repr of an array shape: `(3,)`, `(2, 3)`, `()`.
pub(crate) fn actual_shape_text(shape: &[usize]) -> String {
    py_tuple(&shape.iter().map(usize::to_string).collect::<Vec<_>>())
}

fn shape_matches(actual: &[usize], expected: &[i64]) -> bool {
    actual.len() == expected.len()
        && expected
            .iter()
            .zip(actual)
            .all(|(e, a)| *e == -1 || usize::try_from(*e).is_ok_and(|e| e == *a))
}

/// `_enforce_tensor_spec`'s shape and dtype rules on an array of `shape` and `dtype`
/// (`dtype_text` renders the dtype for the message).
fn check(
    shape: &[usize],
    dtype: NumpyDtype,
    dtype_text: impl FnOnce() -> String,
    spec: &TensorSpec,
) -> Result<(), EnforceError> {
    if !shape_matches(shape, &spec.shape) {
        return Err(EnforceError::new(
            ErrorKind::ShapeMismatch,
            format!(
                "Shape of input {} does not match expected shape {}.",
                actual_shape_text(shape),
                shape_repr(&spec.shape)
            ),
        ));
    }
    if dtype != spec.dtype {
        let found = dtype_text();
        let expected = spec_dtype_text(spec.dtype);
        return Err(EnforceError::new(
            ErrorKind::IncompatibleType,
            format!("dtype of input {found} does not match expected dtype {expected}"),
        )
        .types(expected, found));
    }
    Ok(())
}

/// Whether the spec lets any input through (`Tensor('object', (-1,))`).
fn accepts_anything(spec: &TensorSpec) -> bool {
    spec.shape == [-1] && spec.dtype == NumpyDtype::Object
}

/// Whether the spec admits ragged input: a 1-D object array against a spec with a variable
/// dimension after the first.
fn is_ragged_case(shape: &[usize], dtype: NumpyDtype, spec: &TensorSpec) -> bool {
    spec.shape.len() > 1
        && spec.shape[1..].contains(&-1)
        && shape.len() == 1
        && dtype == NumpyDtype::Object
}

/// Whether a tensor's data holds exactly the number of elements its shape says (a malformed
/// tensor is refused rather than indexed out of bounds).
pub(crate) fn consistent(t: &Tensor) -> Result<(), EnforceError> {
    let expected = t
        .shape
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(*d));
    let held = match &t.data {
        TensorData::Arrow(a) => a.len(),
        TensorData::Object(v) => v.len(),
    };
    if expected == Some(held) {
        Ok(())
    } else {
        Err(EnforceError::new(
            ErrorKind::InvalidInput,
            format!(
                "The array of shape {} holds {held} elements.",
                actual_shape_text(&t.shape)
            ),
        ))
    }
}

/// Checks an ndarray against a spec (§7.1). The array is never changed.
///
/// In [`Compat::Strict`], a ragged input (1-D object array for a spec with variable inner
/// dimensions, which MLflow lets through unexamined) must hold arrays that fit the rest of the
/// spec.
pub(crate) fn enforce_spec(
    t: &Tensor,
    spec: &TensorSpec,
    compat: Compat,
) -> Result<(), EnforceError> {
    consistent(t)?;
    if accepts_anything(spec) {
        return Ok(());
    }
    if is_ragged_case(&t.shape, t.dtype, spec) {
        if compat == Compat::Strict {
            if let TensorData::Object(items) = &t.data {
                for (i, item) in items.iter().enumerate() {
                    if let Err(reason) = fits(item, &spec.shape[1..], spec.dtype) {
                        return Err(EnforceError::new(
                            ErrorKind::ShapeMismatch,
                            format!(
                                "Element {i} of the ragged input does not fit {}: {reason}.",
                                tensor_spec_repr(spec)
                            ),
                        )
                        .at(i, py_repr(item)));
                    }
                }
            }
        }
        return Ok(());
    }
    check(&t.shape, t.dtype, || array_dtype_text(t), spec)
}

/// Checks a sparse matrix against a spec: its 2-D shape and its stored values' dtype.
pub(crate) fn enforce_sparse(m: &SparseMatrix, spec: &TensorSpec) -> Result<(), EnforceError> {
    consistent(&m.data)?;
    if accepts_anything(spec) {
        return Ok(());
    }
    let shape = [m.shape.0, m.shape.1];
    check(&shape, m.data.dtype, || array_dtype_text(&m.data), spec)
}

/// Whether a Python scalar fits a dtype without conversion of kind (strict ragged check).
fn scalar_fits(v: &Value, dtype: NumpyDtype) -> bool {
    use NumpyDtype::*;
    let kind_ok = |d: NumpyDtype| match dtype {
        Bool => d == Bool,
        Float16 | Float32 | Float64 => d.is_int() || d.is_float(),
        d2 if d2.is_int() => d.is_int(),
        other => d == other,
    };
    match v {
        Value::Numpy(d, _) => kind_ok(*d),
        Value::Bool(_) => kind_ok(Bool),
        Value::Int(_) => kind_ok(Int64),
        Value::Float(_) => kind_ok(Float64),
        Value::Str(_) => dtype == Str,
        Value::Bytes(_) => dtype == Bytes,
        Value::Datetime64(..) | Value::DateTime(_) | Value::Date(_) | Value::Timestamp(_) => {
            matches!(dtype, Datetime64(_))
        }
        _ => dtype == Object,
    }
}

/// Whether a ragged element fits the inner dimensions `dims` (`-1` = any length) and `dtype`;
/// `Err` says why not.
fn fits(v: &Value, dims: &[i64], dtype: NumpyDtype) -> Result<(), String> {
    let Some((&first, rest)) = dims.split_first() else {
        return if scalar_fits(v, dtype) {
            Ok(())
        } else {
            Err(format!("{} is not a {} value", py_repr(v), dtype))
        };
    };
    match v {
        Value::Ndarray(t) if t.dtype != NumpyDtype::Object => {
            if !shape_matches(&t.shape, dims) {
                Err(format!(
                    "an array of shape {} does not fit {}",
                    actual_shape_text(&t.shape),
                    shape_repr(dims)
                ))
            } else if t.dtype != dtype {
                Err(format!(
                    "an array of dtype {} does not fit {}",
                    array_dtype_text(t),
                    spec_dtype_text(dtype)
                ))
            } else {
                Ok(())
            }
        }
        Value::Ndarray(t) if t.shape.len() == 1 => {
            let items: Vec<Value> = (0..t.len()).map(|i| t.element(i)).collect();
            fits(&Value::List(items), dims, dtype)
        }
        Value::List(items) | Value::Tuple(items) => {
            if first != -1 && usize::try_from(first).ok() != Some(items.len()) {
                return Err(format!(
                    "a sequence of length {} where {first} is expected",
                    items.len()
                ));
            }
            items.iter().try_for_each(|x| fits(x, rest, dtype))
        }
        other => Err(format!("{} is not an array", py_repr(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Float32Array, StringArray};
    use std::sync::Arc;

    fn tensor(dtype: NumpyDtype, shape: Vec<usize>, data: ArrayRef) -> Tensor {
        Tensor {
            dtype,
            shape,
            data: TensorData::Arrow(data),
        }
    }

    fn spec(dtype: NumpyDtype, shape: &[i64]) -> TensorSpec {
        TensorSpec::new(dtype, shape.to_vec(), None)
    }

    #[test]
    fn shape_then_dtype() {
        let t = tensor(
            NumpyDtype::Float32,
            vec![3, 3],
            Arc::new(Float32Array::from(vec![0.0; 9])),
        );
        let s = tensor(
            NumpyDtype::Str,
            vec![2],
            Arc::new(StringArray::from(vec!["ab", "héé"])),
        );
        // The shape is checked before the dtype.
        for (input, dtype, shape, message, kind) in [
            (
                &t,
                NumpyDtype::Float32,
                &[-1, 2][..],
                "Shape of input (3, 3) does not match expected shape (-1, 2).",
                ErrorKind::ShapeMismatch,
            ),
            (
                &t,
                NumpyDtype::Float64,
                &[-1, 3],
                "dtype of input float32 does not match expected dtype float64",
                ErrorKind::IncompatibleType,
            ),
            (
                &s,
                NumpyDtype::Bytes,
                &[-1],
                "dtype of input <U3 does not match expected dtype |S0",
                ErrorKind::IncompatibleType,
            ),
        ] {
            let err = enforce_spec(input, &spec(dtype, shape), Compat::Mlflow).unwrap_err();
            assert_eq!((err.message(), err.kind), (message, kind));
        }
        assert!(enforce_spec(&t, &spec(NumpyDtype::Float32, &[-1, -1]), Compat::Mlflow).is_ok());
        assert!(enforce_spec(&s, &spec(NumpyDtype::Str, &[-1]), Compat::Mlflow).is_ok());
    }

    #[test]
    fn ragged_object_arrays() {
        let ragged = Tensor {
            dtype: NumpyDtype::Object,
            shape: vec![2],
            data: TensorData::Object(vec![
                Value::List(vec![Value::List(vec![Value::Float(1.0); 3])]),
                Value::str("nonsense"),
            ]),
        };
        let spec = spec(NumpyDtype::Float64, &[-1, -1, 3]);
        assert!(enforce_spec(&ragged, &spec, Compat::Mlflow).is_ok());
        let err = enforce_spec(&ragged, &spec, Compat::Strict).unwrap_err();
        assert_eq!(err.location.row, Some(1));
        assert_eq!(
            err.message(),
            "Element 1 of the ragged input does not fit Tensor('float64', (-1, -1, 3)): 'nonsense' is not an array."
        );
    }
}
