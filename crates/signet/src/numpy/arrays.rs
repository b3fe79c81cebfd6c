//! Arrow arrays holding numpy dtypes that Arrow spells differently: `float16` from f64 values
//! and `datetime64[unit]` from epoch counts, with the count of a datetime at a unit.

use crate::types::TimeUnit;
use arrow_array::types::Float16Type;
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, Date32Array, Float16Array, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray,
};
use arrow_buffer::{Buffer, ScalarBuffer};
use chrono::NaiveDateTime;
use std::sync::Arc;

/// numpy's `float16` (IEEE half precision), as Arrow stores it.
pub type F16 = <Float16Type as ArrowPrimitiveType>::Native;

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
