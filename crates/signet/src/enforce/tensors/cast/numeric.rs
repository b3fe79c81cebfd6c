//! numpy's C casts between bool, integer and float arrays: Arrow kernels, with the values
//! numpy produces where Arrow cannot convert (overflow, NaN) and strict mode's refusals.

use super::{
    lossy, unsupported, CastFailure, BOOL_NUMBER, FRACTION, INFINITY, INT64_BOUNDS, MISSING_INT,
    PRECISION, RANGE,
};
use crate::enforce::Compat;
use crate::numpy::F16;
use crate::types::NumpyDtype;
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Int16Array, Int32Array, Int64Array, Int8Array, UInt16Array,
    UInt32Array, UInt64Array, UInt8Array,
};
use arrow_cast::{cast_with_options, CastOptions};
use arrow_schema::DataType as ArrowType;
use std::sync::Arc;

/// Converts a numeric/bool Arrow array to another numeric/bool dtype as numpy's C casts do.
pub(in crate::enforce::tensors) fn cast_numeric(
    array: &ArrayRef,
    from: NumpyDtype,
    to: NumpyDtype,
    compat: Compat,
) -> Result<ArrayRef, CastFailure> {
    let to_type = crate::table::numpy_arrow_type(to).ok_or_else(|| unsupported(to))?;
    let float_src = from.is_float();
    if !float_src && array.null_count() > 0 && !to.is_float() {
        return Err(CastFailure::raw(
            "ValueError",
            format!(
                "cannot convert to '{to}'-dtype NumPy array with missing values. Specify an \
                 appropriate 'na_value' for this dtype."
            ),
        ));
    }
    if let Some(wide) = crate::numpy::widen(array.as_ref(), &to_type) {
        return Ok(wide); // lossless: nothing for the strict scan to find
    }
    if compat == Compat::Strict {
        strict_scan(array, from, to)?;
    }
    // `safe: true` makes Arrow give nulls (patched below) instead of errors for overflow.
    let options = CastOptions {
        safe: true,
        ..Default::default()
    };
    let out = cast_with_options(array, &to_type, &options)
        .map_err(|e| CastFailure::Unsupported(e.to_string()))?;
    if to.is_float() || out.null_count() == 0 {
        return Ok(out);
    }
    // Lanes Arrow could not convert (overflow, NaN): numpy's C cast gives garbage; reproduce it.
    let lanes = lanes(array, float_src)?;
    Ok(from_lanes(&lanes, to))
}

/// A source element as numpy's C cast sees it.
#[derive(Clone, Copy)]
enum Lane {
    Int(i128),
    Float(f64),
}

fn lanes(array: &ArrayRef, float_src: bool) -> Result<Vec<Lane>, CastFailure> {
    let options = CastOptions {
        safe: true,
        ..Default::default()
    };
    let cast = |t: &ArrowType| {
        cast_with_options(array, t, &options).map_err(|e| CastFailure::Unsupported(e.to_string()))
    };
    if float_src {
        let f = cast(&ArrowType::Float64)?;
        let f = f.as_primitive::<Float64Type>();
        return Ok((0..f.len())
            .map(|i| Lane::Float(if f.is_null(i) { f64::NAN } else { f.value(i) }))
            .collect());
    }
    if matches!(array.data_type(), ArrowType::UInt64) {
        let u = array.as_primitive::<UInt64Type>();
        return Ok(u.values().iter().map(|v| Lane::Int(*v as i128)).collect());
    }
    let i = cast(&ArrowType::Int64)?;
    let i = i.as_primitive::<Int64Type>();
    Ok(i.values().iter().map(|v| Lane::Int(*v as i128)).collect())
}

/// 2^63 as a float.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// numpy's (x86-64) float → int conversion through a 32-bit register: NaN and out-of-range
/// values give `i32::MIN`.
fn conv_i32(x: f64) -> i32 {
    if x.is_nan() || !(-2147483648.0..2147483648.0).contains(&x) {
        i32::MIN
    } else {
        x.trunc() as i32
    }
}

/// The same through a 64-bit register.
fn conv_i64(x: f64) -> i64 {
    if x.is_nan() || !(-TWO_63..TWO_63).contains(&x) {
        i64::MIN
    } else {
        x.trunc() as i64
    }
}

/// The integer numpy's C cast produces for a float, before wrapping to the target width.
fn c_cast_float(x: f64, to: NumpyDtype) -> i128 {
    use NumpyDtype::*;
    match to {
        Int64 => conv_i64(x) as i128,
        UInt64 => {
            if x >= TWO_63 {
                ((conv_i64(x - TWO_63) as u64) ^ (1 << 63)) as i128
            } else {
                conv_i64(x) as u64 as i128
            }
        }
        UInt32 => {
            if x.is_nan() {
                0
            } else if x >= 2147483648.0 {
                ((conv_i32(x - 2147483648.0) as u32) ^ 0x8000_0000) as i128
            } else {
                conv_i32(x) as u32 as i128
            }
        }
        _ => conv_i32(x) as i128,
    }
}

fn from_lanes(lanes: &[Lane], to: NumpyDtype) -> ArrayRef {
    use NumpyDtype::*;
    if to == Bool {
        return Arc::new(BooleanArray::from(
            lanes
                .iter()
                .map(|l| match l {
                    Lane::Int(i) => *i != 0,
                    Lane::Float(f) => *f != 0.0,
                })
                .collect::<Vec<_>>(),
        ));
    }
    let ints: Vec<i128> = lanes
        .iter()
        .map(|l| match l {
            Lane::Int(i) => *i,
            Lane::Float(f) => c_cast_float(*f, to),
        })
        .collect();
    ints_array(&ints, to)
}

/// An integer array of dtype `to` from values wrapped to its width (C semantics).
pub(super) fn ints_array(ints: &[i128], to: NumpyDtype) -> ArrayRef {
    use NumpyDtype::*;
    macro_rules! wrap {
        ($arr:ty, $t:ty) => {
            Arc::new(<$arr>::from(
                ints.iter().map(|v| *v as $t).collect::<Vec<$t>>(),
            ))
        };
    }
    match to {
        Int8 => wrap!(Int8Array, i8),
        Int16 => wrap!(Int16Array, i16),
        Int32 => wrap!(Int32Array, i32),
        UInt8 => wrap!(UInt8Array, u8),
        UInt16 => wrap!(UInt16Array, u16),
        UInt32 => wrap!(UInt32Array, u32),
        UInt64 => wrap!(UInt64Array, u64),
        _ => wrap!(Int64Array, i64),
    }
}

/// Whether an integer survives the conversion to a float dtype unchanged.
pub(super) fn int_fits_float(v: i128, to: NumpyDtype) -> bool {
    match to {
        NumpyDtype::Float16 => {
            let f = F16::from_f64(v as f64).to_f64();
            f.is_finite() && f as i128 == v
        }
        NumpyDtype::Float32 => {
            let f = v as f32;
            f.is_finite() && f as i128 == v
        }
        _ => (v as f64) as i128 == v,
    }
}

/// Whether a finite float overflows to infinity in a narrower float dtype.
pub(super) fn float_overflows(x: f64, to: NumpyDtype) -> bool {
    if !x.is_finite() {
        return false;
    }
    match to {
        NumpyDtype::Float16 => F16::from_f64(x).is_infinite(),
        NumpyDtype::Float32 => (x as f32).is_infinite(),
        _ => false,
    }
}

/// Strict mode's refusals for numeric → numeric conversions.
fn strict_scan(array: &ArrayRef, from: NumpyDtype, to: NumpyDtype) -> Result<(), CastFailure> {
    if from == NumpyDtype::Bool || from == to {
        return Ok(());
    }
    let lanes = lanes(array, from.is_float())?;
    for (i, lane) in lanes.iter().enumerate() {
        let (value, reason) = match *lane {
            Lane::Float(x) => {
                let v = Value::Float(x);
                let reason = if to == NumpyDtype::Bool {
                    (x != 0.0 && x != 1.0).then_some(BOOL_NUMBER)
                } else if to.is_int() {
                    let (lo, hi) = to.int_bounds().unwrap_or(INT64_BOUNDS);
                    if x.is_nan() {
                        Some(MISSING_INT)
                    } else if !x.is_finite() || x < lo as f64 || x >= hi as f64 + 1.0 {
                        Some(RANGE)
                    } else if x.fract() != 0.0 {
                        Some(FRACTION)
                    } else {
                        None
                    }
                } else {
                    float_overflows(x, to).then_some(INFINITY)
                };
                (v, reason)
            }
            Lane::Int(n) => {
                let v = Value::Int(n);
                let reason = if to == NumpyDtype::Bool {
                    (n != 0 && n != 1).then_some(BOOL_NUMBER)
                } else if to.is_int() {
                    let (lo, hi) = to.int_bounds().unwrap_or(INT64_BOUNDS);
                    (n < lo || n > hi).then_some(RANGE)
                } else {
                    (!int_fits_float(n, to)).then_some(PRECISION)
                };
                (v, reason)
            }
        };
        if let Some(reason) = reason {
            return Err(lossy(i, &value, reason));
        }
    }
    Ok(())
}
