//! numpy's conversions of Python objects and text (`int()`, `float()`, `str()`, truthiness,
//! datetime strings) when it builds an array of a dtype from them.

use super::numeric::{float_overflows, int_fits_float, ints_array};
use super::{
    lossy, plain, unsupported, CastFailure, BOOL_NUMBER, BOOL_OTHER, DATETIME_NUMBER, FRACTION,
    INFINITY, INT64_BOUNDS, PRECISION, TEXT_MISSING,
};
use crate::enforce::Compat;
use crate::input::TensorData;
use crate::numpy::F16;
use crate::pyjson::{float_text, Bits};
use crate::repr::{float32_repr, py_repr, py_str_of};
use crate::types::{NumpyDtype, TimeUnit};
use crate::value::Value;
use arrow_array::{ArrayRef, BinaryArray, BooleanArray, Float32Array, Float64Array, StringArray};
use chrono::NaiveDateTime;
use std::sync::Arc;

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

/// Python's `int(text)` ([`crate::pynum::parse_int`]); beyond 128 bits it saturates, so that
/// the dtype's range check reports the overflow.
pub(super) fn parse_py_int(text: &str) -> Option<i128> {
    match crate::pynum::parse_int(text) {
        Ok(v) => Some(v),
        Err(crate::pynum::IntText::TooLarge) => {
            Some(if crate::pynum::strip(text).starts_with('-') {
                i128::MIN
            } else {
                i128::MAX
            })
        }
        Err(crate::pynum::IntText::Invalid) => None,
    }
}

pub(super) use crate::pynum::parse_float as parse_py_float;

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
        other => from_text(
            other,
            parse_py_int,
            "invalid literal for int() with base 10",
            "int() argument must be a string, a bytes-like object or a real number",
        ),
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
        other => from_text(
            other,
            parse_py_float,
            "could not convert string to float",
            "float() argument must be a string or a real number",
        ),
    }
}

/// What Python's `int(v)` and `float(v)` do with a value that is not a number: a str or bytes
/// text goes through `parse` (a ValueError `invalid: repr(v)` when it fails), a sequence raises
/// numpy's ValueError, any other value the TypeError `refused, not 'type'`.
fn from_text<T>(
    v: &Value,
    parse: impl Fn(&str) -> Option<T>,
    invalid: &str,
    refused: &str,
) -> Result<T, CastFailure> {
    let text = match v {
        Value::Str(s) => Some(s.as_str()),
        Value::Bytes(b) => std::str::from_utf8(b).ok(),
        Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => return Err(sequence_error()),
        other => {
            return Err(CastFailure::raw(
                "TypeError",
                format!("{refused}, not '{}'", error_type_name(other)),
            ))
        }
    };
    text.and_then(parse)
        .ok_or_else(|| CastFailure::raw("ValueError", format!("{invalid}: {}", py_repr(v))))
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
                return Ok(float_text(F16::from_f64(*f).to_f64(), Bits::F16));
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
        let parsed = crate::numpy::parse_iso_datetime(s);
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
        Some(dt) => crate::numpy::datetime_to_i64(&dt, unit)
            .map(Some)
            .ok_or_else(|| CastFailure::raw("OverflowError", "Overflow when converting datetime")),
    }
}

/// `f(i, value)` for every element, up to the first failure.
fn each<T>(
    values: &[Value],
    f: impl Fn(usize, &Value) -> Result<T, CastFailure>,
) -> Result<Vec<T>, CastFailure> {
    values.iter().enumerate().map(|(i, v)| f(i, v)).collect()
}

/// `np.array(values, dtype=to)` for Python objects (strict refusals in [`Compat::Strict`]).
pub(in crate::enforce::tensors) fn cast_values(
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
        Bool => Arc::new(BooleanArray::from(each(values, |i, v| {
            py_bool(i, v, compat)
        })?)),
        Float16 | Float32 | Float64 => {
            let out = each(values, |i, v| {
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
                Ok(f)
            })?;
            match to {
                Float16 => Arc::new(crate::numpy::float16_array(
                    &out.iter().map(|f| Some(*f)).collect::<Vec<_>>(),
                )),
                Float32 => Arc::new(Float32Array::from(
                    out.iter().map(|f| *f as f32).collect::<Vec<_>>(),
                )),
                _ => Arc::new(Float64Array::from(out)),
            }
        }
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => {
            let (lo, hi) = to.int_bounds().unwrap_or(INT64_BOUNDS);
            let out = each(values, |i, v| {
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
                Ok(n)
            })?;
            ints_array(&out, to)
        }
        Str => Arc::new(StringArray::from(each(values, |i, v| {
            py_text(i, v, compat)
        })?)),
        Bytes => {
            let bytes = each(values, |i, v| match plain(v) {
                Value::Bytes(b) => Ok(b.clone()),
                _ => ascii_bytes(&py_text(i, v, compat)?),
            })?;
            Arc::new(BinaryArray::from_vec(
                bytes.iter().map(Vec::as_slice).collect(),
            ))
        }
        Datetime64(unit) => {
            let counts = each(values, |i, v| datetime_count(i, v, unit, compat))?;
            crate::numpy::timestamp_array(unit, None, counts)
        }
        other => return Err(unsupported(other)),
    };
    Ok(TensorData::Arrow(data))
}
