//! numpy's casts as the tensor paths use them (`np.array(column, dtype=...)`,
//! `ndarray.astype(...)`): Arrow kernels for numeric and boolean data, Python's conversion
//! rules (`int()`, `float()`, `str()`, truthiness) for objects and text.
//!
//! numpy casts numbers unsafely: `1.5` becomes `1`, `300` becomes `44` in an `int8`, NaN becomes
//! `-9223372036854775808` in an `int64`. [`Compat::Mlflow`] reproduces that (with the values an
//! x86-64 build of numpy produces); [`Compat::Strict`] refuses every element whose value would
//! change beyond ordinary float rounding, and text or missing values read as something else.

use crate::enforce::Compat;
use crate::input::{Tensor, TensorData};
use crate::repr::{float32_repr, py_repr, py_str_of};
use crate::types::{NumpyDtype, TimeUnit};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float16Type, Float64Type, Int64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryArray, BooleanArray, Float32Array, Float64Array,
    Int16Array, Int32Array, Int64Array, Int8Array, StringArray, UInt16Array, UInt32Array,
    UInt64Array, UInt8Array,
};
use arrow_cast::{cast_with_options, CastOptions};
use arrow_schema::{DataType as ArrowType, TimeUnit as ArrowUnit};
use chrono::NaiveDateTime;
use std::sync::Arc;

type F16 = <Float16Type as ArrowPrimitiveType>::Native;

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

/// Whether numpy counts the dtype as bool or numeric (kinds `b`, `i`, `u`, `f`).
pub(super) fn is_numeric(d: NumpyDtype) -> bool {
    is_int(d) || is_float(d) || d == NumpyDtype::Bool
}

/// Signed or unsigned integer dtype.
pub(super) fn is_int(d: NumpyDtype) -> bool {
    use NumpyDtype::*;
    matches!(
        d,
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64
    )
}

/// Unsigned integer dtype.
pub(super) fn is_unsigned(d: NumpyDtype) -> bool {
    use NumpyDtype::*;
    matches!(d, UInt8 | UInt16 | UInt32 | UInt64)
}

/// Floating dtype.
pub(super) fn is_float(d: NumpyDtype) -> bool {
    matches!(
        d,
        NumpyDtype::Float16 | NumpyDtype::Float32 | NumpyDtype::Float64
    )
}

/// `[min, max]` of an integer dtype.
fn int_bounds(d: NumpyDtype) -> (i128, i128) {
    use NumpyDtype::*;
    match d {
        Int8 => (i8::MIN as i128, i8::MAX as i128),
        Int16 => (i16::MIN as i128, i16::MAX as i128),
        Int32 => (i32::MIN as i128, i32::MAX as i128),
        UInt8 => (0, u8::MAX as i128),
        UInt16 => (0, u16::MAX as i128),
        UInt32 => (0, u32::MAX as i128),
        UInt64 => (0, u64::MAX as i128),
        _ => (i64::MIN as i128, i64::MAX as i128),
    }
}

/// The Arrow type signet stores a numpy dtype's elements in (see [`crate::table`]).
pub(super) fn arrow_type(d: NumpyDtype) -> Option<ArrowType> {
    use NumpyDtype::*;
    Some(match d {
        Bool => ArrowType::Boolean,
        Int8 => ArrowType::Int8,
        Int16 => ArrowType::Int16,
        Int32 => ArrowType::Int32,
        Int64 => ArrowType::Int64,
        UInt8 => ArrowType::UInt8,
        UInt16 => ArrowType::UInt16,
        UInt32 => ArrowType::UInt32,
        UInt64 => ArrowType::UInt64,
        Float16 => ArrowType::Float16,
        Float32 => ArrowType::Float32,
        Float64 => ArrowType::Float64,
        Str => ArrowType::Utf8,
        Bytes => ArrowType::Binary,
        Datetime64(u) => match u {
            TimeUnit::Nano => ArrowType::Timestamp(ArrowUnit::Nanosecond, None),
            TimeUnit::Micro => ArrowType::Timestamp(ArrowUnit::Microsecond, None),
            TimeUnit::Milli => ArrowType::Timestamp(ArrowUnit::Millisecond, None),
            TimeUnit::Year | TimeUnit::Month | TimeUnit::Week | TimeUnit::Day => ArrowType::Date32,
            _ => ArrowType::Timestamp(ArrowUnit::Second, None),
        },
        _ => return None,
    })
}

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
        TensorData::Arrow(a) if is_numeric(t.dtype) && is_numeric(to) => {
            cast_numeric(a, t.dtype, to, compat).map(TensorData::Arrow)
        }
        // pandas turns a nullable integer column with NA into floats before making text.
        TensorData::Arrow(a)
            if is_int(t.dtype)
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

/// Converts a numeric/bool Arrow array to another numeric/bool dtype as numpy's C casts do.
pub(super) fn cast_numeric(
    array: &ArrayRef,
    from: NumpyDtype,
    to: NumpyDtype,
    compat: Compat,
) -> Result<ArrayRef, CastFailure> {
    let to_type = arrow_type(to).ok_or_else(|| unsupported(to))?;
    let float_src = is_float(from);
    if !float_src && array.null_count() > 0 && !is_float(to) {
        return Err(CastFailure::raw(
            "ValueError",
            format!(
                "cannot convert to '{to}'-dtype NumPy array with missing values. Specify an \
                 appropriate 'na_value' for this dtype."
            ),
        ));
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
    if is_float(to) || out.null_count() == 0 {
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
fn ints_array(ints: &[i128], to: NumpyDtype) -> ArrayRef {
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
fn int_fits_float(v: i128, to: NumpyDtype) -> bool {
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
fn float_overflows(x: f64, to: NumpyDtype) -> bool {
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
    let lanes = lanes(array, is_float(from))?;
    for (i, lane) in lanes.iter().enumerate() {
        let (value, reason) = match *lane {
            Lane::Float(x) => {
                let v = Value::Float(x);
                let reason = if to == NumpyDtype::Bool {
                    (x != 0.0 && x != 1.0).then_some(BOOL_NUMBER)
                } else if is_int(to) {
                    let (lo, hi) = int_bounds(to);
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
                } else if is_int(to) {
                    let (lo, hi) = int_bounds(to);
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

// ---------------------------------------------------------------------------------------------
// Python objects

/// The type name Python's `int()` / `float()` errors quote (`'NoneType'`, `'datetime.date'`).
fn error_type_name(v: &Value) -> String {
    match v {
        Value::Date(_) => "datetime.date".into(),
        Value::DateTime(_) => "datetime.datetime".into(),
        Value::Timestamp(_) => "Timestamp".into(),
        Value::Datetime64(..) => "numpy.datetime64".into(),
        other => other.type_name(),
    }
}

fn sequence_error() -> CastFailure {
    CastFailure::raw("ValueError", "setting an array element with a sequence.")
}

/// Python's `int(text)`: optional sign, decimal digits with single underscores between them,
/// surrounding whitespace.
fn parse_py_int(text: &str) -> Option<i128> {
    let t = text.trim();
    let (neg, digits) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    // Beyond i128 numpy overflows anyway; saturate so that the range check reports it.
    let n = clean.parse::<i128>().unwrap_or(i128::MAX);
    Some(if neg { -n } else { n })
}

/// Python's `float(text)`: decimal/exponent forms, `inf`/`infinity`/`nan` in any case, single
/// underscores between digits, surrounding whitespace.
fn parse_py_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let body = t.trim_start_matches(['+', '-']);
    if t.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        let f = if lower == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        };
        return Some(if t.starts_with('-') { -f } else { f });
    }
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
    {
        return None;
    }
    let bytes = body.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'_' {
            let ok = i > 0
                && i + 1 < bytes.len()
                && bytes[i - 1].is_ascii_digit()
                && bytes[i + 1].is_ascii_digit();
            if !ok {
                return None;
            }
        }
    }
    let clean: String = t.chars().filter(|c| *c != '_').collect();
    clean.parse::<f64>().ok()
}

fn ascii_text(b: &[u8]) -> Result<String, CastFailure> {
    match b.iter().position(|c| !c.is_ascii()) {
        None => Ok(b.iter().map(|c| *c as char).collect()),
        Some(p) => Err(CastFailure::raw(
            "UnicodeDecodeError",
            format!(
                "'ascii' codec can't decode byte 0x{:02x} in position {p}: ordinal not in range(128)",
                b[p]
            ),
        )),
    }
}

fn ascii_bytes(s: &str) -> Result<Vec<u8>, CastFailure> {
    match s.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        None => Ok(s.as_bytes().to_vec()),
        Some((p, c)) => {
            let code = c as u32;
            let esc = if code <= 0xff {
                format!("\\x{code:02x}")
            } else if code <= 0xffff {
                format!("\\u{code:04x}")
            } else {
                format!("\\U{code:08x}")
            };
            Err(CastFailure::raw(
                "UnicodeEncodeError",
                format!(
                    "'ascii' codec can't encode character '{esc}' in position {p}: ordinal not in range(128)"
                ),
            ))
        }
    }
}

/// Python's `int(v)` as numpy applies it to an object element.
fn py_int(i: usize, v: &Value, compat: Compat) -> Result<i128, CastFailure> {
    match plain(v) {
        Value::Int(n) => Ok(*n),
        Value::Bool(b) => Ok(*b as i128),
        Value::Float(f) => {
            if f.is_nan() {
                Err(CastFailure::raw(
                    "ValueError",
                    "cannot convert float NaN to integer",
                ))
            } else if f.is_infinite() {
                Err(CastFailure::raw(
                    "OverflowError",
                    "cannot convert float infinity to integer",
                ))
            } else if compat == Compat::Strict && f.fract() != 0.0 {
                Err(lossy(i, v, FRACTION))
            } else {
                Ok(f.trunc() as i128)
            }
        }
        Value::Str(s) => parse_py_int(s).ok_or_else(|| {
            CastFailure::raw(
                "ValueError",
                format!(
                    "invalid literal for int() with base 10: {}",
                    py_repr(plain(v))
                ),
            )
        }),
        Value::Bytes(b) => std::str::from_utf8(b)
            .ok()
            .and_then(parse_py_int)
            .ok_or_else(|| {
                CastFailure::raw(
                    "ValueError",
                    format!(
                        "invalid literal for int() with base 10: {}",
                        py_repr(plain(v))
                    ),
                )
            }),
        Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => Err(sequence_error()),
        other => Err(CastFailure::raw(
            "TypeError",
            format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                error_type_name(other)
            ),
        )),
    }
}

/// Python's `float(v)` as numpy applies it to an object element (`None` gives NaN).
fn py_float(v: &Value) -> Result<f64, CastFailure> {
    match plain(v) {
        Value::Float(f) => Ok(*f),
        Value::Int(n) => {
            let f = *n as f64;
            if f.is_finite() {
                Ok(f)
            } else {
                Err(CastFailure::raw(
                    "OverflowError",
                    "int too large to convert to float",
                ))
            }
        }
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::None => Ok(f64::NAN),
        Value::Str(s) => parse_py_float(s).ok_or_else(|| {
            CastFailure::raw(
                "ValueError",
                format!("could not convert string to float: {}", py_repr(plain(v))),
            )
        }),
        Value::Bytes(b) => std::str::from_utf8(b)
            .ok()
            .and_then(parse_py_float)
            .ok_or_else(|| {
                CastFailure::raw(
                    "ValueError",
                    format!("could not convert string to float: {}", py_repr(plain(v))),
                )
            }),
        Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => Err(sequence_error()),
        other => Err(CastFailure::raw(
            "TypeError",
            format!(
                "float() argument must be a string or a real number, not '{}'",
                error_type_name(other)
            ),
        )),
    }
}

/// Python's truthiness as numpy applies it to an object element.
fn py_bool(i: usize, v: &Value, compat: Compat) -> Result<bool, CastFailure> {
    let p = plain(v);
    if compat == Compat::Strict {
        let reason = match p {
            Value::Bool(_) => None,
            Value::Int(n) => (*n != 0 && *n != 1).then_some(BOOL_NUMBER),
            Value::Float(f) => (*f != 0.0 && *f != 1.0).then_some(BOOL_NUMBER),
            _ => Some(BOOL_OTHER),
        };
        if let Some(reason) = reason {
            return Err(lossy(i, v, reason));
        }
    }
    match p {
        Value::NA => Err(CastFailure::raw(
            "TypeError",
            "boolean value of NA is ambiguous",
        )),
        Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => Err(sequence_error()),
        Value::NaT => Ok(true),
        other => Ok(other.is_truthy()),
    }
}

/// numpy's repr of a `float16` value: the shortest digits that round-trip through `float16`.
fn float16_repr(f: f64) -> String {
    let h = F16::from_f64(f);
    if !h.is_finite() || h.to_f64() == 0.0 {
        return py_repr(&Value::Float(h.to_f64()));
    }
    for digits in 0..8 {
        let text = format!("{:.*e}", digits, h.to_f64());
        if let Ok(back) = text.parse::<f64>() {
            if F16::from_f64(back) == h {
                return py_repr(&Value::Float(back));
            }
        }
    }
    py_repr(&Value::Float(h.to_f64()))
}

/// Python's `str(v)` as numpy applies it when building a `str` array.
fn py_text(i: usize, v: &Value, compat: Compat) -> Result<String, CastFailure> {
    let p = plain(v);
    if compat == Compat::Strict && p.is_missing() {
        return Err(lossy(i, v, TEXT_MISSING));
    }
    match v {
        Value::Numpy(NumpyDtype::Float32, inner) => {
            if let Value::Float(f) = inner.as_ref() {
                return Ok(float32_repr(*f as f32));
            }
        }
        Value::Numpy(NumpyDtype::Float16, inner) => {
            if let Value::Float(f) = inner.as_ref() {
                return Ok(float16_repr(*f));
            }
        }
        _ => {}
    }
    match p {
        Value::Str(s) => Ok(s.clone()),
        Value::Bytes(b) => ascii_text(b),
        Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => Err(sequence_error()),
        other => Ok(py_str_of(other)),
    }
}

fn datetime_count(
    i: usize,
    v: &Value,
    unit: TimeUnit,
    compat: Compat,
) -> Result<Option<i64>, CastFailure> {
    let convert = || CastFailure::raw("ValueError", "Could not convert object to NumPy datetime");
    let parse = |s: &str| -> Result<Option<NaiveDateTime>, CastFailure> {
        if s.is_empty() || s.eq_ignore_ascii_case("nat") {
            return Ok(None);
        }
        let parsed = (s.trim() == s).then(|| crate::elem::parse_iso(s)).flatten();
        match parsed {
            Some((dt, _)) => Ok(Some(dt)),
            None => Err(CastFailure::raw(
                "ValueError",
                format!("Error parsing datetime string \"{s}\" at position 0"),
            )),
        }
    };
    // numpy reads numbers as counts of the unit; coarse units are stored as seconds (see
    // `timestamp_array`).
    let count = |n: i128| -> Result<Option<i64>, CastFailure> {
        if compat == Compat::Strict {
            return Err(lossy(i, v, DATETIME_NUMBER));
        }
        let n = i64::try_from(n)
            .map_err(|_| CastFailure::raw("OverflowError", "int too big to convert"))?;
        let scale: i64 = match unit {
            TimeUnit::Minute => 60,
            TimeUnit::Hour => 3600,
            TimeUnit::Day => 86_400,
            TimeUnit::Week => 604_800,
            _ => 1,
        };
        Ok(Some(n.saturating_mul(scale)))
    };
    let dt = match plain(v) {
        Value::None | Value::NaT | Value::NA => return Ok(None),
        Value::Str(s) => parse(s)?,
        Value::Bytes(b) => parse(&ascii_text(b)?)?,
        Value::Date(d) => Some(d.and_time(chrono::NaiveTime::MIN)),
        Value::DateTime(dt) | Value::Timestamp(dt) | Value::Datetime64(dt, _) => Some(*dt),
        Value::Int(n) => return count(*n),
        Value::Bool(b) => return count(*b as i128),
        Value::Float(f) if f.is_nan() => return Ok(None),
        Value::Float(f) if f.is_finite() => return count(f.trunc() as i128),
        _ => return Err(convert()),
    };
    match dt {
        None => Ok(None),
        Some(dt) => crate::elem::datetime_to_i64(&dt, unit)
            .map(Some)
            .ok_or_else(|| CastFailure::raw("OverflowError", "Overflow when converting datetime")),
    }
}

/// `np.array(values, dtype=to)` for Python objects (strict refusals in [`Compat::Strict`]).
pub(super) fn cast_values(
    values: &[Value],
    to: NumpyDtype,
    compat: Compat,
) -> Result<TensorData, CastFailure> {
    use NumpyDtype::*;
    let data: ArrayRef = match to {
        Object => {
            return Ok(TensorData::Object(
                values.iter().map(|v| plain(v).clone()).collect(),
            ))
        }
        Bool => Arc::new(BooleanArray::from(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| py_bool(i, v, compat))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        Float16 | Float32 | Float64 => {
            let mut out = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                let f = py_float(v)?;
                if compat == Compat::Strict {
                    if let Value::Int(n) = plain(v) {
                        if !int_fits_float(*n, to) {
                            return Err(lossy(i, v, PRECISION));
                        }
                    }
                    if float_overflows(f, to) {
                        return Err(lossy(i, v, INFINITY));
                    }
                }
                out.push(f);
            }
            match to {
                Float16 => Arc::new(crate::elem::float16_array(
                    &out.iter().map(|f| Some(*f)).collect::<Vec<_>>(),
                )),
                Float32 => Arc::new(Float32Array::from(
                    out.iter().map(|f| *f as f32).collect::<Vec<_>>(),
                )),
                _ => Arc::new(Float64Array::from(out)),
            }
        }
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => {
            let (lo, hi) = int_bounds(to);
            let mut out = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                let n = py_int(i, v, compat)?;
                if n < lo || n > hi {
                    // numpy goes through a C long first (an unsigned one for uint64 when the
                    // value needs it).
                    let c_long = i64::try_from(n).is_ok() || (to == UInt64 && n > 0 && n <= hi);
                    let message = if c_long {
                        format!("Python integer {n} out of bounds for {to}")
                    } else {
                        "Python int too large to convert to C long".to_string()
                    };
                    return Err(CastFailure::raw("OverflowError", message));
                }
                out.push(n);
            }
            ints_array(&out, to)
        }
        Str => Arc::new(StringArray::from(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| py_text(i, v, compat))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        Bytes => {
            let bytes = values
                .iter()
                .enumerate()
                .map(|(i, v)| match plain(v) {
                    Value::Bytes(b) => Ok(b.clone()),
                    _ => ascii_bytes(&py_text(i, v, compat)?),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(BinaryArray::from_vec(
                bytes.iter().map(Vec::as_slice).collect(),
            ))
        }
        Datetime64(unit) => {
            let counts = values
                .iter()
                .enumerate()
                .map(|(i, v)| datetime_count(i, v, unit, compat))
                .collect::<Result<Vec<_>, _>>()?;
            crate::elem::timestamp_array(unit, None, counts)
        }
        other => return Err(unsupported(other)),
    };
    Ok(TensorData::Arrow(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64s(v: &[f64]) -> ArrayRef {
        Arc::new(Float64Array::from(v.to_vec()))
    }

    #[test]
    fn numpy_garbage_in_mlflow_mode() {
        let a = f64s(&[1.5, f64::NAN, 300.0, -1.0]);
        let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Int8, Compat::Mlflow).unwrap();
        let out = out.as_primitive::<arrow_array::types::Int8Type>();
        assert_eq!(out.values().to_vec(), vec![1, 0, 44, -1]);
        let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Int64, Compat::Mlflow).unwrap();
        let out = out.as_primitive::<Int64Type>();
        assert_eq!(out.values().to_vec(), vec![1, i64::MIN, 300, -1]);
        let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::UInt8, Compat::Mlflow).unwrap();
        let out = out.as_primitive::<arrow_array::types::UInt8Type>();
        assert_eq!(out.values().to_vec(), vec![1, 0, 44, 255]);
        let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Bool, Compat::Mlflow).unwrap();
        assert_eq!(
            out.as_boolean().values().iter().collect::<Vec<_>>(),
            vec![true; 4]
        );
    }

    #[test]
    fn strict_refuses_lossy_numbers() {
        let a = f64s(&[1.0, 1.5]);
        let err =
            cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Int64, Compat::Strict).unwrap_err();
        assert_eq!(
            err,
            CastFailure::Lossy {
                index: 1,
                value: "1.5".into(),
                reason: FRACTION
            }
        );
        let ints: ArrayRef = Arc::new(Int64Array::from(vec![1, 300]));
        assert!(cast_numeric(&ints, NumpyDtype::Int64, NumpyDtype::Int8, Compat::Strict).is_err());
        assert!(cast_numeric(
            &ints,
            NumpyDtype::Int64,
            NumpyDtype::Float32,
            Compat::Strict
        )
        .is_ok());
        let big: ArrayRef = Arc::new(Int64Array::from(vec![16_777_217]));
        assert!(
            cast_numeric(&big, NumpyDtype::Int64, NumpyDtype::Float32, Compat::Strict).is_err()
        );
        let wide = f64s(&[1e300]);
        assert!(cast_numeric(
            &wide,
            NumpyDtype::Float64,
            NumpyDtype::Float32,
            Compat::Strict
        )
        .is_err());
        assert!(cast_numeric(
            &wide,
            NumpyDtype::Float64,
            NumpyDtype::Float32,
            Compat::Mlflow
        )
        .is_ok());
    }

    #[test]
    fn python_object_rules() {
        let vals = vec![Value::str(" 1_0 "), Value::Int(2), Value::Bool(true)];
        let TensorData::Arrow(a) = cast_values(&vals, NumpyDtype::Int64, Compat::Mlflow).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            a.as_primitive::<Int64Type>().values().to_vec(),
            vec![10, 2, 1]
        );
        let err = cast_values(&[Value::str("1.5")], NumpyDtype::Int64, Compat::Mlflow).unwrap_err();
        assert_eq!(
            err,
            CastFailure::raw(
                "ValueError",
                "invalid literal for int() with base 10: '1.5'"
            )
        );
        let err =
            cast_values(&[Value::str("abc")], NumpyDtype::Float32, Compat::Mlflow).unwrap_err();
        assert_eq!(
            err,
            CastFailure::raw("ValueError", "could not convert string to float: 'abc'")
        );
        let err = cast_values(&[Value::None], NumpyDtype::Int64, Compat::Mlflow).unwrap_err();
        assert!(matches!(
            err,
            CastFailure::Raw {
                exception: "TypeError",
                ..
            }
        ));
        let err = cast_values(&[Value::Int(300)], NumpyDtype::Int8, Compat::Mlflow).unwrap_err();
        assert_eq!(
            err,
            CastFailure::raw("OverflowError", "Python integer 300 out of bounds for int8")
        );
        // Truthiness: "abc" and "0" are True for numpy, refused in strict mode.
        let TensorData::Arrow(a) = cast_values(
            &[Value::str("0"), Value::str("")],
            NumpyDtype::Bool,
            Compat::Mlflow,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(
            a.as_boolean().values().iter().collect::<Vec<_>>(),
            vec![true, false]
        );
        assert!(cast_values(&[Value::str("0")], NumpyDtype::Bool, Compat::Strict).is_err());
        // None becomes the text 'None' (refused in strict mode).
        let TensorData::Arrow(a) = cast_values(
            &[Value::None, Value::Float(1.5)],
            NumpyDtype::Str,
            Compat::Mlflow,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(a.as_string::<i32>().value(0), "None");
        assert_eq!(a.as_string::<i32>().value(1), "1.5");
        assert!(cast_values(&[Value::None], NumpyDtype::Str, Compat::Strict).is_err());
        assert_eq!(
            cast_values(&[Value::str("é")], NumpyDtype::Bytes, Compat::Mlflow).unwrap_err(),
            CastFailure::raw(
                "UnicodeEncodeError",
                "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)"
            )
        );
        assert_eq!(parse_py_float("1_0.5"), Some(10.5));
        assert_eq!(parse_py_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_py_float("1__0"), None);
        assert_eq!(parse_py_int("+3"), Some(3));
        assert_eq!(parse_py_int("1.0"), None);
    }
}
