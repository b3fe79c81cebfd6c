//! Arrow arrays of numpy dtypes built from values already read as numbers (integer and float
//! dtypes, range-checked), and those Arrow spells differently: `float16` from f64 values and
//! `datetime64[unit]` from epoch counts, with the count of a datetime at a unit.

use crate::types::{NumpyDtype, TimeUnit};
use arrow_array::types::{
    Float16Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type,
    UInt8Type,
};
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, Date32Array, Float16Array, Float32Array, Float64Array,
    PrimitiveArray, TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
    TimestampSecondArray,
};
use arrow_buffer::{Buffer, ScalarBuffer};
use chrono::NaiveDateTime;
use std::sync::Arc;

/// numpy's `float16` (IEEE half precision), as Arrow stores it.
pub type F16 = <Float16Type as ArrowPrimitiveType>::Native;

/// An Arrow array of numpy integer dtype `dtype` from integer values (`None` = null):
/// `Err(i)` when value `i` is outside the dtype's range. `None` for a dtype that is not an
/// integer dtype.
pub fn int_array(
    dtype: NumpyDtype,
    values: impl IntoIterator<Item = Option<i128>>,
) -> Option<Result<ArrayRef, usize>> {
    fn build<P: ArrowPrimitiveType>(
        values: impl IntoIterator<Item = Option<i128>>,
    ) -> Result<ArrayRef, usize>
    where
        P::Native: TryFrom<i128>,
    {
        let array = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| v.map(|n| P::Native::try_from(n).map_err(|_| i)).transpose())
            .collect::<Result<PrimitiveArray<P>, usize>>()?;
        Ok(Arc::new(array))
    }
    use NumpyDtype as D;
    Some(match dtype {
        D::Int8 => build::<Int8Type>(values),
        D::Int16 => build::<Int16Type>(values),
        D::Int32 => build::<Int32Type>(values),
        D::Int64 => build::<Int64Type>(values),
        D::UInt8 => build::<UInt8Type>(values),
        D::UInt16 => build::<UInt16Type>(values),
        D::UInt32 => build::<UInt32Type>(values),
        D::UInt64 => build::<UInt64Type>(values),
        _ => return None,
    })
}

/// An Arrow array of numpy float dtype `dtype` (`float16` / `float32` / `float64`) from f64
/// values, each rounded to the dtype as numpy's cast rounds it. `None` for another dtype.
pub fn float_array(dtype: NumpyDtype, values: impl IntoIterator<Item = f64>) -> Option<ArrayRef> {
    let values = values.into_iter();
    Some(match dtype {
        NumpyDtype::Float16 => Arc::new(float16_array(&values.map(Some).collect::<Vec<_>>())),
        NumpyDtype::Float32 => Arc::new(Float32Array::from_iter_values(values.map(|f| f as f32))),
        NumpyDtype::Float64 => Arc::new(Float64Array::from_iter_values(values)),
        _ => return None,
    })
}

/// A Float16 array from f64 values (`None` = null).
pub fn float16_array(values: &[Option<f64>]) -> Float16Array {
    let bits: Vec<F16> = values
        .iter()
        .map(|v| F16::from_f64(v.unwrap_or(0.0)))
        .collect();
    let nulls: Option<arrow_buffer::NullBuffer> = if values.iter().any(Option::is_none) {
        Some(values.iter().map(Option::is_some).collect())
    } else {
        None
    };
    let len = bits.len();
    Float16Array::new(ScalarBuffer::new(Buffer::from_vec(bits), 0, len), nulls)
}

/// Seconds/milli/micro/nanoseconds since the epoch of a naive datetime at a unit.
pub fn datetime_to_i64(dt: &NaiveDateTime, unit: TimeUnit) -> Option<i64> {
    let u = dt.and_utc();
    Some(match unit {
        TimeUnit::Nano => u.timestamp_nanos_opt()?,
        TimeUnit::Micro => u.timestamp_micros(),
        TimeUnit::Milli => u.timestamp_millis(),
        _ => u.timestamp(),
    })
}

/// An Arrow array holding `datetime64[unit]` values (epoch counts at `unit`; days and coarser
/// units as Date32, hours/minutes as seconds).
pub fn timestamp_array(unit: TimeUnit, tz: Option<&str>, values: Vec<Option<i64>>) -> ArrayRef {
    match unit {
        TimeUnit::Nano => {
            Arc::new(TimestampNanosecondArray::from(values).with_timezone_opt(tz.map(Arc::from)))
        }
        TimeUnit::Micro => {
            Arc::new(TimestampMicrosecondArray::from(values).with_timezone_opt(tz.map(Arc::from)))
        }
        TimeUnit::Milli => {
            Arc::new(TimestampMillisecondArray::from(values).with_timezone_opt(tz.map(Arc::from)))
        }
        TimeUnit::Year | TimeUnit::Month | TimeUnit::Week | TimeUnit::Day => {
            Arc::new(Date32Array::from(
                values
                    .into_iter()
                    .map(|v| v.map(|s| s.div_euclid(86_400) as i32))
                    .collect::<Vec<_>>(),
            ))
        }
        _ => Arc::new(TimestampSecondArray::from(values).with_timezone_opt(tz.map(Arc::from))),
    }
}
