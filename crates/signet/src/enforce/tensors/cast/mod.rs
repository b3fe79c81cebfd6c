//! numpy's casts as the tensor paths use them (`np.array(column, dtype=...)`,
//! `ndarray.astype(...)`): Arrow kernels for numeric and boolean data, Python's conversion
//! rules (`int()`, `float()`, `str()`, truthiness) for objects and text.
//!
//! numpy casts numbers unsafely: `1.5` becomes `1`, `300` becomes `44` in an `int8`, NaN becomes
//! `-9223372036854775808` in an `int64`. [`Compat::Mlflow`] reproduces that (with the values an
//! x86-64 build of numpy produces); [`Compat::Strict`] refuses every element whose value would
//! change beyond ordinary float rounding, and text or missing values read as something else.
//!
//! [`numeric`] holds the numeric → numeric casts (Arrow kernels with numpy's C results),
//! [`objects`] the conversions of Python objects and text.

mod numeric;
mod objects;
#[cfg(test)]
mod tests;

pub(super) use numeric::cast_numeric;
pub(super) use objects::cast_values;

use crate::enforce::Compat;
use crate::input::{Tensor, TensorData};
use crate::repr::py_repr;
use crate::types::NumpyDtype;
use crate::value::Value;
use arrow_array::Array;
use arrow_schema::DataType as ArrowType;

/// Why a cast failed.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum CastFailure {
    /// The Python exception numpy raises (`ValueError`, `TypeError`, `OverflowError`, ...).
    Raw {
        /// Python exception class.
        exception: &'static str,
        /// Its message.
        message: String,
    },
    /// Strict mode refuses the element at flat position `index`.
    Lossy {
        /// Flat (C-order) position of the element.
        index: usize,
        /// The element as Python renders it.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// signet cannot hold arrays of the target dtype.
    Unsupported(String),
}

impl CastFailure {
    fn raw(exception: &'static str, message: impl Into<String>) -> CastFailure {
        CastFailure::Raw {
            exception,
            message: message.into(),
        }
    }

    /// Whether numpy raised a `ValueError` (the exception MLflow catches around reshapes).
    pub(super) fn is_value_error(&self) -> bool {
        matches!(
            self,
            CastFailure::Raw {
                exception: "ValueError",
                ..
            }
        )
    }
}

const FRACTION: &str = "the fractional part would be lost";
const MISSING_INT: &str = "a missing value has no integer form";
const RANGE: &str = "it is out of range";
const INFINITY: &str = "it would overflow to infinity";
const PRECISION: &str = "the integer cannot be represented exactly";
const BOOL_NUMBER: &str = "only 0 and 1 convert to bool";
const BOOL_OTHER: &str = "only booleans and the numbers 0 and 1 convert to bool";
const TEXT_MISSING: &str = "a missing value would become text";
const DATETIME_NUMBER: &str = "numbers are not read as datetimes";

fn lossy(index: usize, value: &Value, reason: &'static str) -> CastFailure {
    CastFailure::Lossy {
        index,
        value: py_repr(plain(value)),
        reason,
    }
}

/// A numpy scalar's Python value (`np.int64(5)` → `5`); other values unchanged.
pub(super) fn plain(v: &Value) -> &Value {
    match v {
        Value::Numpy(_, inner) => plain(inner),
        other => other,
    }
}

/// The bounds of `int64`, numpy's default integer.
const INT64_BOUNDS: (i128, i128) = (i64::MIN as i128, i64::MAX as i128);

/// The numpy dtype of a plain (non-nullable-extension) Arrow numeric or boolean array.
pub(super) fn numeric_dtype(t: &ArrowType) -> Option<NumpyDtype> {
    use NumpyDtype::*;
    Some(match t {
        ArrowType::Boolean => Bool,
        ArrowType::Int8 => Int8,
        ArrowType::Int16 => Int16,
        ArrowType::Int32 => Int32,
        ArrowType::Int64 => Int64,
        ArrowType::UInt8 => UInt8,
        ArrowType::UInt16 => UInt16,
        ArrowType::UInt32 => UInt32,
        ArrowType::UInt64 => UInt64,
        ArrowType::Float16 => Float16,
        ArrowType::Float32 => Float32,
        ArrowType::Float64 => Float64,
        _ => return None,
    })
}

fn unsupported(d: NumpyDtype) -> CastFailure {
    CastFailure::Unsupported(format!("signet does not support arrays of dtype {d}"))
}

/// `t.astype(to)` with numpy's semantics (strict refusals in [`Compat::Strict`]).
///
/// An integer or boolean Arrow array holding nulls stands for a pandas nullable column
/// (`Int64`, `boolean`) with `pd.NA`: numpy refuses to turn it into an integer or bool array.
pub(super) fn astype(
    t: &Tensor,
    to: NumpyDtype,
    compat: Compat,
) -> Result<TensorData, CastFailure> {
    match &t.data {
        TensorData::Arrow(a) if t.dtype == to && a.null_count() == 0 => {
            Ok(TensorData::Arrow(a.clone()))
        }
        TensorData::Arrow(a) if t.dtype.is_bool_or_real() && to.is_bool_or_real() => {
            cast_numeric(a, t.dtype, to, compat).map(TensorData::Arrow)
        }
        // pandas turns a nullable integer column with NA into floats before making text.
        TensorData::Arrow(a)
            if t.dtype.is_int()
                && a.null_count() > 0
                && matches!(to, NumpyDtype::Str | NumpyDtype::Bytes) =>
        {
            let floats = cast_numeric(a, t.dtype, NumpyDtype::Float64, compat)?;
            let as_float = Tensor {
                dtype: NumpyDtype::Float64,
                shape: t.shape.clone(),
                data: TensorData::Arrow(floats),
            };
            astype(&as_float, to, compat)
        }
        _ if t.dtype == to && to == NumpyDtype::Object => Ok(t.data.clone()),
        _ => {
            let values: Vec<Value> = (0..t.len()).map(|i| t.element(i)).collect();
            cast_values(&values, to, compat)
        }
    }
}
