//! The numeric dtypes of MLflow's column casts: integer widths (range checks, C wrap-around,
//! numpy's errors for Python ints) and float widths (exactness, overflow).

use super::pyconv::PyErr;
use arrow_array::{
    ArrayRef, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, Int8Array,
    UInt16Array, UInt32Array, UInt64Array, UInt8Array,
};
use signet::types::NumpyDtype;
use std::sync::Arc;

/// An integer numpy dtype: bit width and signedness.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IntKind {
    /// Bit width.
    pub bits: u32,
    /// Signed or not.
    pub signed: bool,
}

impl IntKind {
    #[inline]
    pub(crate) fn of(d: NumpyDtype) -> Option<IntKind> {
        use NumpyDtype as D;
        let (bits, signed) = match d {
            D::Int8 => (8, true),
            D::Int16 => (16, true),
            D::Int32 => (32, true),
            D::Int64 => (64, true),
            D::UInt8 => (8, false),
            D::UInt16 => (16, false),
            D::UInt32 => (32, false),
            D::UInt64 => (64, false),
            _ => return None,
        };
        Some(IntKind { bits, signed })
    }

    #[inline]
    pub(crate) fn name(self) -> String {
        format!("{}int{}", if self.signed { "" } else { "u" }, self.bits)
    }

    #[inline]
    pub(crate) fn min(self) -> i128 {
        if self.signed {
            -(1i128 << (self.bits - 1))
        } else {
            0
        }
    }

    #[inline]
    pub(crate) fn max(self) -> i128 {
        if self.signed {
            (1i128 << (self.bits - 1)) - 1
        } else {
            (1i128 << self.bits) - 1
        }
    }

    /// C's wrap-around conversion of a 64-bit value to this width.
    #[inline]
    pub(crate) fn wrap(self, v: i128) -> i128 {
        let m = v & ((1i128 << self.bits) - 1);
        if self.signed && m > self.max() {
            m - (1i128 << self.bits)
        } else {
            m
        }
    }

    /// numpy's check of a Python int stored into this dtype.
    #[inline]
    pub(crate) fn check_py_int(self, v: i128) -> Result<i128, PyErr> {
        if v >= self.min() && v <= self.max() {
            return Ok(v);
        }
        let fits_c_long = i64::try_from(v).is_ok();
        if self.bits == 64 || !fits_c_long {
            if !self.signed && v < 0 && fits_c_long {
                return Err((
                    "OverflowError",
                    format!("Python integer {v} out of bounds for {}", self.name()),
                ));
            }
            return Err((
                "OverflowError",
                format!(
                    "Python int too large to convert to C {}",
                    if self.signed { "long" } else { "unsigned long" }
                ),
            ));
        }
        Err((
            "OverflowError",
            format!("Python integer {v} out of bounds for {}", self.name()),
        ))
    }

    #[inline]
    pub(crate) fn array(self, values: Vec<i128>) -> ArrayRef {
        macro_rules! arr {
            ($t:ty, $a:ty) => {
                Arc::new(<$a>::from(
                    values.into_iter().map(|v| v as $t).collect::<Vec<$t>>(),
                ))
            };
        }
        match (self.bits, self.signed) {
            (8, true) => arr!(i8, Int8Array),
            (16, true) => arr!(i16, Int16Array),
            (32, true) => arr!(i32, Int32Array),
            (64, true) => arr!(i64, Int64Array),
            (8, false) => arr!(u8, UInt8Array),
            (16, false) => arr!(u16, UInt16Array),
            (32, false) => arr!(u32, UInt32Array),
            _ => arr!(u64, UInt64Array),
        }
    }
}

/// A float numpy dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FloatKind {
    F16,
    F32,
    F64,
}

impl FloatKind {
    #[inline]
    pub(crate) fn name(self) -> &'static str {
        match self {
            FloatKind::F16 => "float16",
            FloatKind::F32 => "float32",
            FloatKind::F64 => "float64",
        }
    }

    #[inline]
    pub(crate) fn array(self, values: Vec<f64>) -> ArrayRef {
        match self {
            FloatKind::F64 => Arc::new(Float64Array::from(values)),
            FloatKind::F32 => Arc::new(Float32Array::from(
                values.into_iter().map(|v| v as f32).collect::<Vec<_>>(),
            )),
            FloatKind::F16 => {
                let v: Vec<Option<f64>> = values.into_iter().map(Some).collect();
                Arc::new(signet::numpy::float16_array(&v)) as ArrayRef
            }
        }
    }

    /// Whether the integer survives the conversion exactly.
    #[inline]
    pub(crate) fn exact_int(self, v: i128) -> bool {
        match self {
            FloatKind::F64 => (v as f64) as i128 == v,
            FloatKind::F32 => (v as f32) as i128 == v,
            FloatKind::F16 => v.abs() <= 2048,
        }
    }

    #[inline]
    pub(crate) fn overflows(self, f: f64) -> bool {
        f.is_finite()
            && match self {
                FloatKind::F64 => false,
                FloatKind::F32 => (f as f32).is_infinite(),
                FloatKind::F16 => f.abs() > 65504.0,
            }
    }
}

/// Python's `int()` error for a value of type `name`.
pub(crate) fn py_type_error_int(name: &str) -> PyErr {
    (
        "TypeError",
        format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{name}'"
        ),
    )
}

/// numpy's C cast of a float to an integer dtype (x86: out-of-range values become the
/// minimum of the target's C type).
pub(crate) fn float_to_int(f: f64, k: IntKind) -> i128 {
    let t = f.trunc();
    let (lo, hi) = if k.bits == 64 && !k.signed {
        (0.0, 18_446_744_073_709_551_615.0)
    } else if k.bits <= 32 {
        (i32::MIN as f64, i32::MAX as f64)
    } else {
        (i64::MIN as f64, i64::MAX as f64)
    };
    if t.is_nan() || t < lo || t > hi {
        return if k.bits <= 32 {
            k.wrap(i32::MIN as i128)
        } else {
            k.wrap(i64::MIN as i128)
        };
    }
    k.wrap(t as i128)
}
