//! The "Elem" encoding: Python values as tagged JSON, and the conversion of whole model inputs
//! written in that encoding (the conformance corpus' "Values") into [`ModelInput`]s.
//!
//! # Elem: one Python value as JSON
//!
//! Plain JSON maps to itself (`null` = `None`, `true`/`false` = `bool`, an integer literal =
//! `int`, a number with `.` or an exponent = `float`, string = `str`, array = `list`, object =
//! `dict` with string keys). Every other Python value is a one-member object whose key starts
//! with `$`:
//!
//! | tag | Python value | signet [`Value`] |
//! | --- | --- | --- |
//! | `{"$float": "nan"}` / `"inf"` / `"-inf"` | non-finite `float` | `Float` |
//! | `{"$bytes": "<base64>"}` | `bytes` (standard alphabet, padded) | `Bytes` |
//! | `{"$datetime": "2023-06-26T12:00:00"}` | naive `datetime.datetime` | `DateTime` |
//! | `{"$date": "2023-06-26"}` | `datetime.date` | `Date` |
//! | `{"$datetime64": "2023-06-26T00:00:00"}` | `numpy.datetime64`, unit = precision written | `Datetime64` |
//! | `{"$timestamp": "2023-06-26T00:00:00"}` | `pandas.Timestamp` | `Timestamp` |
//! | `{"$nat": true}` / `{"$na": true}` | `pandas.NaT` / `pandas.NA` | `NaT` / `NA` |
//! | `{"$numpy": ["int32", 5]}` | numpy scalar of that dtype | `Numpy` |
//! | `{"$ndarray": <ndarray Value>}` | numpy array nested in a value | `Ndarray` |
//! | `{"$tuple": [...]}` | `tuple` | `Tuple` |
//! | `{"$dict": [[k, v], ...]}` | `dict` whose keys are not all strings | `Dict` |
//! | `{"$value": <Value>}` | DataFrame/Series nested in a value | not supported (error) |
//!
//! [`to_elem`] / [`encode`] write this form (a string-keyed dict that would look like a tag —
//! one key starting with `$` — is written with `$dict` so that decoding is unambiguous);
//! [`from_elem`] / [`decode`] read it. The cells of `arrow.json` object columns
//! ([`crate::table`]) are Elem texts.
//!
//! # Values: whole inputs and outputs
//!
//! A "Value" is `{"type": "dataframe" | "series" | "ndarray" | "tensor_dict" | "json", ...}`
//! (see the conformance FORMAT). [`model_input_from_value`] turns one into a [`ModelInput`]:
//! a DataFrame becomes an Arrow [`RecordBatch`] following the column conventions of
//! [`crate::table`] (its row index, if any, is dropped), a Series a [`Series`], an ndarray a
//! [`Tensor`], a dict of arrays a `TensorDict`, anything else a [`Value`].

use crate::input::{ModelInput, Series, Tensor, TensorData};
use crate::pyjson;
use crate::table;
use crate::types::{ColumnName, NumpyDtype, TimeUnit};
use crate::value::Value;
use crate::SchemaError;
use arrow_array::types::Float16Type;
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryArray, BooleanArray, Date32Array, Float16Array,
    Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, Int8Array, RecordBatch,
    RecordBatchOptions, StringArray, TimestampMicrosecondArray, TimestampMillisecondArray,
    TimestampNanosecondArray, TimestampSecondArray, UInt16Array, UInt32Array, UInt64Array,
    UInt8Array,
};
use arrow_buffer::{Buffer, ScalarBuffer};
use arrow_schema::{Field, Schema as ArrowSchema};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::collections::HashMap;
use std::sync::Arc;

fn err(msg: impl Into<String>) -> SchemaError {
    SchemaError::new(msg)
}

// ---------------------------------------------------------------------------------------------
// base64

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard, padded base64 without line breaks (`base64.b64encode`).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, ASCII whitespace ignored).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, SchemaError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return Err(err(format!("invalid base64 text {text:?}"))),
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// dates

/// Parses an ISO 8601 date or datetime as numpy writes it (`2020-01-01`,
/// `2020-01-01T12:00:00.123`, `2020-01`, `2020`, `2020-01-01T12`, `2020-01-01T12:30`), returning
/// the value and the unit its precision implies. A trailing `Z` or `+HH:MM` offset is applied
/// (the result is then UTC).
pub fn parse_iso(text: &str) -> Option<(NaiveDateTime, TimeUnit)> {
    let text = text.trim();
    let (text, offset_secs) = split_offset(text);
    let (date_part, time_part) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut dparts = date_part.splitn(3, '-');
    // A leading '-' (negative year) is not supported.
    let year: i32 = dparts.next()?.parse().ok()?;
    let month = dparts.next();
    let day = dparts.next();
    let (date, date_unit) = match (month, day) {
        (None, _) => (NaiveDate::from_ymd_opt(year, 1, 1)?, TimeUnit::Year),
        (Some(m), None) => (
            NaiveDate::from_ymd_opt(year, m.parse().ok()?, 1)?,
            TimeUnit::Month,
        ),
        (Some(m), Some(d)) => (
            NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)?,
            TimeUnit::Day,
        ),
    };
    let Some(time_part) = time_part else {
        return Some((date.and_time(NaiveTime::MIN), date_unit));
    };
    let (hms, frac) = match time_part.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (time_part, None),
    };
    let mut tparts = hms.split(':');
    let h: u32 = tparts.next()?.parse().ok()?;
    let (m, s, mut unit) = match (tparts.next(), tparts.next()) {
        (None, _) => (0, 0, TimeUnit::Hour),
        (Some(m), None) => (m.parse().ok()?, 0, TimeUnit::Minute),
        (Some(m), Some(s)) => (m.parse().ok()?, s.parse().ok()?, TimeUnit::Second),
    };
    let mut nanos = 0u32;
    if let Some(frac) = frac {
        if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let padded = format!("{frac:0<9}");
        nanos = padded.parse().ok()?;
        unit = match frac.len() {
            1..=3 => TimeUnit::Milli,
            4..=6 => TimeUnit::Micro,
            _ => TimeUnit::Nano,
        };
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, s, nanos)?;
    let dt = date
        .and_time(time)
        .checked_sub_signed(chrono::Duration::seconds(offset_secs as i64))?;
    Some((dt, unit))
}

fn split_offset(text: &str) -> (&str, i32) {
    if let Some(t) = text.strip_suffix('Z') {
        return (t, 0);
    }
    // `+HH:MM` / `-HH:MM` after a time part.
    if let Some(tpos) = text.find('T') {
        let time = &text[tpos..];
        if let Some(p) = time.rfind(['+', '-']) {
            let off = &time[p + 1..];
            let sign = if time.as_bytes()[p] == b'-' { -1 } else { 1 };
            let (hh, mm) = off.split_once(':').unwrap_or((off, "0"));
            if let (Ok(hh @ 0..=99), Ok(mm @ 0..=59)) = (hh.parse::<i32>(), mm.parse::<i32>()) {
                return (&text[..tpos + p], sign * (hh * 3600 + mm * 60));
            }
        }
    }
    (text, 0)
}

fn parse_datetime(text: &str) -> Result<NaiveDateTime, SchemaError> {
    parse_iso(text)
        .map(|(dt, _)| dt)
        .ok_or_else(|| err(format!("invalid ISO datetime {text:?}")))
}

/// numpy's ISO text of a datetime at a unit (no fraction for seconds, `YYYY-MM-DD` for days).
pub fn iso_at_unit(dt: &NaiveDateTime, unit: TimeUnit) -> String {
    crate::repr::numpy_datetime(dt, unit)
}

// ---------------------------------------------------------------------------------------------
// Elem <-> Value

/// Converts a Python value to its Elem form (a JSON tree; write it with [`pyjson::dumps`]).
pub fn to_elem(value: &Value) -> Value {
    fn tag(name: &str, v: Value) -> Value {
        Value::Dict(vec![(Value::str(name), v)])
    }
    match value {
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Str(_) => value.clone(),
        Value::Float(f) => {
            if f.is_nan() {
                tag("$float", Value::str("nan"))
            } else if f.is_infinite() {
                tag("$float", Value::str(if *f > 0.0 { "inf" } else { "-inf" }))
            } else {
                Value::Float(*f)
            }
        }
        Value::Bytes(b) => tag("$bytes", Value::Str(base64_encode(b))),
        Value::Date(d) => tag("$date", Value::Str(d.format("%Y-%m-%d").to_string())),
        Value::DateTime(dt) => tag("$datetime", Value::Str(crate::repr::iso_datetime(dt))),
        Value::Timestamp(dt) => tag("$timestamp", Value::Str(iso_fraction(dt))),
        Value::Datetime64(dt, unit) => tag("$datetime64", Value::Str(iso_at_unit(dt, *unit))),
        Value::NaT => tag("$nat", Value::Bool(true)),
        Value::NA => tag("$na", Value::Bool(true)),
        Value::Numpy(dt, inner) => tag(
            "$numpy",
            Value::List(vec![Value::Str(dt.name()), to_elem(inner)]),
        ),
        Value::List(items) => Value::List(items.iter().map(to_elem).collect()),
        Value::Tuple(items) => tag("$tuple", Value::List(items.iter().map(to_elem).collect())),
        Value::Dict(items) => {
            let plain = items.iter().all(|(k, _)| matches!(k, Value::Str(_)))
                && !(items.len() == 1
                    && matches!(&items[0].0, Value::Str(s) if s.starts_with('$')));
            if plain {
                Value::Dict(items.iter().map(|(k, v)| (k.clone(), to_elem(v))).collect())
            } else {
                tag(
                    "$dict",
                    Value::List(
                        items
                            .iter()
                            .map(|(k, v)| Value::List(vec![to_elem(k), to_elem(v)]))
                            .collect(),
                    ),
                )
            }
        }
        Value::Ndarray(t) => tag("$ndarray", tensor_to_value(t)),
    }
}

/// ISO text with the fraction digits only when non-zero (nanosecond precision kept).
fn iso_fraction(dt: &NaiveDateTime) -> String {
    let base = dt.format("%Y-%m-%dT%H:%M:%S").to_string();
    let n = dt.nanosecond();
    if n == 0 {
        base
    } else if n.is_multiple_of(1000) {
        format!("{base}.{:06}", n / 1000)
    } else {
        format!("{base}.{n:09}")
    }
}

/// The Elem text of a Python value (`json.dumps` of [`to_elem`]).
pub fn encode(value: &Value) -> String {
    pyjson::dumps(&to_elem(value))
}

/// Decodes the Elem text of a Python value.
pub fn decode(text: &str) -> Result<Value, SchemaError> {
    let json = pyjson::loads(text).map_err(|e| err(e.to_string()))?;
    from_elem(&json)
}

/// Converts an Elem (a JSON tree as parsed by [`pyjson::loads`]) to the Python value it stands
/// for.
pub fn from_elem(elem: &Value) -> Result<Value, SchemaError> {
    match elem {
        Value::List(items) => Ok(Value::List(
            items.iter().map(from_elem).collect::<Result<_, _>>()?,
        )),
        Value::Dict(items) => {
            if items.len() == 1 {
                if let Value::Str(key) = &items[0].0 {
                    if key.starts_with('$') {
                        return from_tag(key, &items[0].1);
                    }
                }
            }
            Ok(Value::Dict(
                items
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), from_elem(v)?)))
                    .collect::<Result<_, SchemaError>>()?,
            ))
        }
        other => Ok(other.clone()),
    }
}

fn tag_str<'a>(tag: &str, v: &'a Value) -> Result<&'a str, SchemaError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(err(format!("`{tag}` expects a string"))),
    }
}

fn from_tag(tag: &str, v: &Value) -> Result<Value, SchemaError> {
    Ok(match tag {
        "$float" => match tag_str(tag, v)? {
            "nan" => Value::Float(f64::NAN),
            "inf" => Value::Float(f64::INFINITY),
            "-inf" => Value::Float(f64::NEG_INFINITY),
            other => Value::Float(
                other
                    .parse()
                    .map_err(|_| err(format!("invalid `$float` {other:?}")))?,
            ),
        },
        "$bytes" => Value::Bytes(base64_decode(tag_str(tag, v)?)?),
        "$datetime" => Value::DateTime(parse_datetime(tag_str(tag, v)?)?),
        "$timestamp" => Value::Timestamp(parse_datetime(tag_str(tag, v)?)?),
        "$date" => Value::Date(parse_datetime(tag_str(tag, v)?)?.date()),
        "$datetime64" => {
            let text = tag_str(tag, v)?;
            let (dt, unit) =
                parse_iso(text).ok_or_else(|| err(format!("invalid `$datetime64` {text:?}")))?;
            Value::Datetime64(dt, unit)
        }
        "$nat" => Value::NaT,
        "$na" => Value::NA,
        "$numpy" => match v {
            Value::List(pair) if pair.len() == 2 => {
                let name = tag_str(tag, &pair[0])?;
                let dtype = NumpyDtype::parse(name)?;
                let inner = from_elem(&pair[1])?;
                match (dtype, inner) {
                    (NumpyDtype::Datetime64(_), Value::Str(s)) => {
                        let (dt, unit) = parse_iso(&s)
                            .ok_or_else(|| err(format!("invalid datetime64 {s:?}")))?;
                        Value::Datetime64(dt, unit)
                    }
                    (NumpyDtype::Str, s @ Value::Str(_)) => s,
                    (NumpyDtype::Bytes, Value::Str(s)) => Value::Bytes(base64_decode(&s)?),
                    (dtype, Value::Int(i)) if is_float_dtype(dtype) => {
                        Value::Numpy(dtype, Box::new(Value::Float(i as f64)))
                    }
                    (dtype, inner) => Value::Numpy(dtype, Box::new(inner)),
                }
            }
            _ => return Err(err("`$numpy` expects [dtype, value]")),
        },
        "$ndarray" => Value::Ndarray(Box::new(tensor_from_value(v)?)),
        "$tuple" => match v {
            Value::List(items) => {
                Value::Tuple(items.iter().map(from_elem).collect::<Result<_, _>>()?)
            }
            _ => return Err(err("`$tuple` expects a list")),
        },
        "$dict" => match v {
            Value::List(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for p in pairs {
                    match p {
                        Value::List(kv) if kv.len() == 2 => {
                            out.push((from_elem(&kv[0])?, from_elem(&kv[1])?))
                        }
                        _ => return Err(err("`$dict` expects [[key, value], ...]")),
                    }
                }
                Value::Dict(out)
            }
            _ => return Err(err("`$dict` expects a list of pairs")),
        },
        "$value" => {
            return Err(err(
                "a DataFrame or Series nested inside a value (`$value`) is not supported",
            ))
        }
        other => return Err(err(format!("unknown Elem tag `{other}`"))),
    })
}

fn is_float_dtype(d: NumpyDtype) -> bool {
    matches!(
        d,
        NumpyDtype::Float16 | NumpyDtype::Float32 | NumpyDtype::Float64
    )
}

// ---------------------------------------------------------------------------------------------
// ndarray Values

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
fn scalar_json(v: &Value) -> Value {
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
        Value::Timestamp(dt) | Value::DateTime(dt) => Value::Str(iso_fraction(dt)),
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

fn json_float(v: &Value) -> Result<Option<f64>, SchemaError> {
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

fn ints<T: TryFrom<i128>>(values: &[&Value]) -> Result<Vec<Option<T>>, SchemaError> {
    values
        .iter()
        .map(|v| {
            json_int(v)?
                .map(|i| T::try_from(i).map_err(|_| err(format!("integer {i} out of range"))))
                .transpose()
        })
        .collect()
}

type F16 = <Float16Type as ArrowPrimitiveType>::Native;

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

fn timestamps(values: &[&Value], unit: TimeUnit) -> Result<Vec<Option<i64>>, SchemaError> {
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
fn array_from_json(dtype: NumpyDtype, flat: &[&Value]) -> Result<ArrayRef, SchemaError> {
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
        D::Int8 => Arc::new(Int8Array::from(ints::<i8>(flat)?)),
        D::Int16 => Arc::new(Int16Array::from(ints::<i16>(flat)?)),
        D::Int32 => Arc::new(Int32Array::from(ints::<i32>(flat)?)),
        D::Int64 => Arc::new(Int64Array::from(ints::<i64>(flat)?)),
        D::UInt8 => Arc::new(UInt8Array::from(ints::<u8>(flat)?)),
        D::UInt16 => Arc::new(UInt16Array::from(ints::<u16>(flat)?)),
        D::UInt32 => Arc::new(UInt32Array::from(ints::<u32>(flat)?)),
        D::UInt64 => Arc::new(UInt64Array::from(ints::<u64>(flat)?)),
        D::Float16 | D::Float32 | D::Float64 => {
            // In numpy arrays `null` is NaN: store it as a NaN value.
            let vals: Vec<f64> = flat
                .iter()
                .map(|v| json_float(v).map(|f| f.unwrap_or(f64::NAN)))
                .collect::<Result<_, _>>()?;
            match dtype {
                D::Float16 => Arc::new(float16_array(
                    &vals.iter().map(|f| Some(*f)).collect::<Vec<_>>(),
                )),
                D::Float32 => Arc::new(Float32Array::from(
                    vals.iter().map(|f| *f as f32).collect::<Vec<_>>(),
                )),
                _ => Arc::new(Float64Array::from(vals)),
            }
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

// ---------------------------------------------------------------------------------------------
// DataFrame / Series columns

/// Builds one DataFrame column from the corpus form: a label, a pandas dtype name and the
/// values as written (numbers, ISO strings, base64 text, Elems for `object`).
pub fn column_from_corpus(
    label: &ColumnName,
    dtype: &str,
    values: &[Value],
) -> Result<(Field, ArrayRef), SchemaError> {
    let refs: Vec<&Value> = values.iter().collect();
    let name = label.as_text();
    let (array, meta): (ArrayRef, Option<&str>) = match dtype {
        "object" => {
            let decoded: Vec<Value> = values.iter().map(from_elem).collect::<Result<_, _>>()?;
            let (field, array) = table::object_column(&name, &decoded);
            return Ok((with_label(field, label), array));
        }
        "bool" | "boolean" => (
            array_from_json(NumpyDtype::Bool, &refs)?,
            (dtype == "boolean").then_some("boolean"),
        ),
        "str" | "string" => (
            array_from_json(NumpyDtype::Str, &refs)?,
            (dtype == "string").then_some("string"),
        ),
        "bytes" => (array_from_json(NumpyDtype::Bytes, &refs)?, None),
        "Int8" | "Int16" | "Int32" | "Int64" | "UInt8" | "UInt16" | "UInt32" | "UInt64" => (
            array_from_json(NumpyDtype::parse(&dtype.to_lowercase())?, &refs)?,
            Some(dtype),
        ),
        "Float32" | "Float64" => {
            // Nullable floats: `null` is NA (an Arrow null), distinct from NaN.
            let vals = refs
                .iter()
                .map(|v| json_float(v))
                .collect::<Result<Vec<_>, _>>()?;
            let array: ArrayRef = if dtype == "Float32" {
                Arc::new(Float32Array::from(
                    vals.iter().map(|v| v.map(|f| f as f32)).collect::<Vec<_>>(),
                ))
            } else {
                Arc::new(Float64Array::from(vals))
            };
            (array, Some(dtype))
        }
        "float16" | "float32" | "float64" => {
            // numpy floats: `null` is NaN, kept as an Arrow null (both mean "missing").
            let vals = refs
                .iter()
                .map(|v| json_float(v))
                .collect::<Result<Vec<_>, _>>()?;
            let array: ArrayRef = match dtype {
                "float16" => Arc::new(float16_array(&vals)),
                "float32" => Arc::new(Float32Array::from(
                    vals.iter().map(|v| v.map(|f| f as f32)).collect::<Vec<_>>(),
                )),
                _ => Arc::new(Float64Array::from(vals)),
            };
            (array, None)
        }
        d if d.starts_with("datetime64[") => {
            let inner = &d["datetime64[".len()..d.len().saturating_sub(1)];
            let (unit_code, tz) = match inner.split_once(',') {
                Some((u, tz)) => (u.trim(), Some(tz.trim())),
                None => (inner, None),
            };
            let unit = TimeUnit::from_code(unit_code)
                .ok_or_else(|| err(format!("unsupported column dtype {d}")))?;
            (timestamp_array(unit, tz, timestamps(&refs, unit)?), None)
        }
        d => match NumpyDtype::parse(d) {
            Ok(nd) if nd.itemsize().is_some() && !matches!(nd, NumpyDtype::Timedelta64(_)) => {
                (array_from_json(nd, &refs)?, None)
            }
            _ => return Err(err(format!("unsupported column dtype {d}"))),
        },
    };
    let mut field = Field::new(name, array.data_type().clone(), true);
    if let Some(m) = meta {
        field = with_meta(field, table::PANDAS_DTYPE_KEY, m);
    }
    Ok((with_label(field, label), array))
}

fn with_meta(field: Field, key: &str, value: &str) -> Field {
    let mut md: HashMap<String, String> = field.metadata().clone();
    md.insert(key.to_string(), value.to_string());
    field.with_metadata(md)
}

/// Marks an integer column label in the field metadata.
fn with_label(field: Field, label: &ColumnName) -> Field {
    match label {
        ColumnName::Int(_) => with_meta(field, table::LABEL_KIND_KEY, "int"),
        ColumnName::Str(_) => field,
    }
}

fn label_of(v: Option<&Value>) -> Result<Option<ColumnName>, SchemaError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(ColumnName::Str(s.clone()))),
        Some(Value::Int(i)) => Ok(Some(ColumnName::Int(
            i64::try_from(*i).map_err(|_| err("column label out of range"))?,
        ))),
        Some(other) => Err(err(format!(
            "unsupported column label {}",
            crate::repr::py_repr(other)
        ))),
    }
}

fn values_of(v: &Value) -> Result<&[Value], SchemaError> {
    match v.get("values") {
        Some(Value::List(items)) => Ok(items),
        _ => Err(err("column without `values` list")),
    }
}

fn dtype_of(v: &Value) -> Result<&str, SchemaError> {
    match v.get("dtype") {
        Some(Value::Str(s)) => Ok(s),
        _ => Err(err("column without `dtype`")),
    }
}

/// A DataFrame Value as an Arrow record batch (the row index is dropped).
pub fn dataframe_from_value(v: &Value) -> Result<RecordBatch, SchemaError> {
    let cols = match v.get("columns") {
        Some(Value::List(c)) => c,
        _ => return Err(err("dataframe value without `columns`")),
    };
    let mut fields = Vec::with_capacity(cols.len());
    let mut arrays = Vec::with_capacity(cols.len());
    let mut rows = None;
    for c in cols {
        let label = label_of(c.get("name"))?.ok_or_else(|| err("column without a name"))?;
        let values = values_of(c)?;
        rows = Some(values.len());
        let (field, array) = column_from_corpus(&label, dtype_of(c)?, values)?;
        fields.push(field);
        arrays.push(array);
    }
    let rows = match (rows, v.get("index")) {
        (Some(r), _) => r,
        (None, Some(Value::List(ix))) => ix.len(),
        (None, _) => 0,
    };
    RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| err(e.to_string()))
}

/// A Series Value as a [`Series`] (the row index is dropped).
pub fn series_from_value(v: &Value) -> Result<Series, SchemaError> {
    let name = label_of(v.get("name"))?;
    let label = name.clone().unwrap_or(ColumnName::Str(String::new()));
    let (field, values) = column_from_corpus(&label, dtype_of(v)?, values_of(v)?)?;
    Ok(Series {
        name,
        field,
        values,
    })
}

/// Converts a corpus Value (`dataframe`, `series`, `ndarray`, `tensor_dict`, `json`) into the
/// model input it describes.
pub fn model_input_from_value(v: &Value) -> Result<ModelInput, SchemaError> {
    let kind = match v.get("type") {
        Some(Value::Str(s)) => s.as_str(),
        _ => return Err(err("value without `type`")),
    };
    match kind {
        "dataframe" => Ok(ModelInput::Table(dataframe_from_value(v)?)),
        "series" => Ok(ModelInput::Series(series_from_value(v)?)),
        "ndarray" => Ok(ModelInput::Tensor(tensor_from_value(v)?)),
        "tensor_dict" => match v.get("arrays") {
            Some(Value::Dict(items)) => Ok(ModelInput::TensorDict(
                items
                    .iter()
                    .map(|(k, a)| {
                        let name = match k {
                            Value::Str(s) => s.clone(),
                            other => crate::repr::py_str_of(other),
                        };
                        Ok((name, tensor_from_value(a)?))
                    })
                    .collect::<Result<_, SchemaError>>()?,
            )),
            _ => Err(err("tensor_dict value without `arrays`")),
        },
        "json" => Ok(ModelInput::Value(from_elem(
            v.get("value").unwrap_or(&Value::None),
        )?)),
        other => Err(err(format!("unknown value type `{other}`"))),
    }
}

/// The corpus form of one column's cells: numbers/bools for numeric dtypes (`null` for
/// missing), strings, base64 text for bytes, ISO text at the unit for datetimes, Elems for
/// `object` columns. Returns the dtype name written (`bytes` for an object column whose
/// non-null cells are all bytes) and the values.
pub fn column_to_corpus(field: &Field, array: &dyn Array) -> (String, Vec<Value>) {
    let info = table::dtype_info(field, array);
    let cells = table::object_values(field, array);
    let n = cells.len();
    if info.name == "object" {
        let any_bytes = cells.iter().any(|v| matches!(v, Value::Bytes(_)));
        let all_bytes = cells
            .iter()
            .all(|v| matches!(v, Value::Bytes(_) | Value::None));
        if any_bytes && all_bytes {
            let values = cells
                .into_iter()
                .map(|v| match v {
                    Value::Bytes(b) => Value::Str(base64_encode(&b)),
                    _ => Value::None,
                })
                .collect();
            return ("bytes".into(), values);
        }
        return ("object".into(), cells.iter().map(to_elem).collect());
    }
    let values = match info.kind {
        'M' => {
            let unit = match array.data_type() {
                arrow_schema::DataType::Timestamp(u, _) => match u {
                    arrow_schema::TimeUnit::Second => TimeUnit::Second,
                    arrow_schema::TimeUnit::Millisecond => TimeUnit::Milli,
                    arrow_schema::TimeUnit::Microsecond => TimeUnit::Micro,
                    arrow_schema::TimeUnit::Nanosecond => TimeUnit::Nano,
                },
                _ => TimeUnit::Nano,
            };
            (0..n)
                .map(|i| match table::array_value(array, i) {
                    Value::Datetime64(dt, _) => Value::Str(iso_at_unit(&dt, unit)),
                    _ => Value::None,
                })
                .collect()
        }
        'b' | 'i' | 'u' | 'f' => cells.iter().map(scalar_json).collect(),
        _ => cells
            .iter()
            .map(|v| match v {
                Value::Str(_) => v.clone(),
                other if other.is_missing() => Value::None,
                other => to_elem(other),
            })
            .collect(),
    };
    (info.name, values)
}

fn label_value(label: &ColumnName) -> Value {
    match label {
        ColumnName::Str(s) => Value::Str(s.clone()),
        ColumnName::Int(i) => Value::Int(*i as i128),
    }
}

/// The corpus Value of a model input (inverse of [`model_input_from_value`]; DataFrames and
/// Series are written without an index, a sparse matrix as the ndarray of its stored values).
pub fn model_input_to_value(input: &ModelInput) -> Value {
    match input {
        ModelInput::Table(batch) => {
            let schema = batch.schema();
            let columns = schema
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, a)| {
                    let (dtype, values) = column_to_corpus(f, a.as_ref());
                    Value::dict([
                        ("name", label_value(&table::column_label(f))),
                        ("dtype", Value::Str(dtype)),
                        ("values", Value::List(values)),
                    ])
                })
                .collect();
            Value::dict([
                ("type", Value::str("dataframe")),
                ("columns", Value::List(columns)),
            ])
        }
        ModelInput::Series(s) => {
            let (dtype, values) = column_to_corpus(&s.field, s.values.as_ref());
            Value::dict([
                ("type", Value::str("series")),
                ("name", s.name.as_ref().map_or(Value::None, label_value)),
                ("dtype", Value::Str(dtype)),
                ("values", Value::List(values)),
            ])
        }
        ModelInput::Tensor(t) => tensor_to_value(t),
        ModelInput::TensorDict(items) => Value::dict([
            ("type", Value::str("tensor_dict")),
            (
                "arrays",
                Value::Dict(
                    items
                        .iter()
                        .map(|(k, t)| (Value::Str(k.clone()), tensor_to_value(t)))
                        .collect(),
                ),
            ),
        ]),
        ModelInput::Sparse(m) => tensor_to_value(&m.data),
        ModelInput::Value(v) => Value::dict([("type", Value::str("json")), ("value", to_elem(v))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"\x00\x01\xff hello"] {
            let text = base64_encode(data);
            assert_eq!(base64_decode(&text).unwrap(), data);
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn elem_round_trip() {
        let text = r#"[1, 1.5, {"$float": "nan"}, {"$bytes": "AAE="}, {"$date": "2023-06-26"}, {"$datetime": "2023-06-26T12:00:00.5"}, {"$datetime64": "2023-06-26"}, {"$nat": true}, {"$numpy": ["int32", 5]}, {"$tuple": [1, "a"]}, {"$dict": [[1, "a"]]}, {"a": [null]}]"#;
        let v = decode(text).unwrap();
        let Value::List(items) = &v else { panic!() };
        assert!(matches!(items[2], Value::Float(f) if f.is_nan()));
        assert_eq!(items[3], Value::Bytes(vec![0, 1]));
        assert!(matches!(items[6], Value::Datetime64(_, TimeUnit::Day)));
        assert_eq!(
            items[8],
            Value::Numpy(NumpyDtype::Int32, Box::new(Value::Int(5)))
        );
        assert_eq!(decode(&encode(&v)).unwrap().type_name(), "list");
        assert_eq!(encode(&items[4]), r#"{"$date": "2023-06-26"}"#);
        assert_eq!(
            encode(&Value::dict([("$x", Value::Int(1))])),
            r#"{"$dict": [["$x", 1]]}"#
        );
    }

    #[test]
    fn ndarray_values() {
        let v = pyjson::loads(
            r#"{"type": "ndarray", "dtype": "object", "shape": [2], "values": [[1, 2, 3], [4, 5]]}"#,
        )
        .unwrap();
        let t = tensor_from_value(&v).unwrap();
        assert_eq!(t.shape, vec![2]);
        assert!(matches!(&t.data, TensorData::Object(v) if v.len() == 2));
        let v = pyjson::loads(
            r#"{"type": "ndarray", "dtype": "float32", "shape": [0, 3], "values": []}"#,
        )
        .unwrap();
        let t = tensor_from_value(&v).unwrap();
        assert_eq!(t.len(), 0);
        let v = pyjson::loads(
            r#"{"type": "ndarray", "dtype": "datetime64[D]", "shape": [2], "values": ["2021-01-01", "2021-01-02"]}"#,
        )
        .unwrap();
        let t = tensor_from_value(&v).unwrap();
        assert_eq!(pyjson::dumps(&tensor_to_value(&t)), pyjson::dumps(&v));
    }

    #[test]
    fn values_round_trip() {
        for text in [
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "int64", "values": [1, 2]}, {"name": 0, "dtype": "object", "values": [{"$bytes": "AAE="}, null]}, {"name": "c", "dtype": "datetime64[ms]", "values": ["2020-01-01T00:00:00.500", null]}, {"name": "d", "dtype": "Int32", "values": [1, null]}, {"name": "e", "dtype": "float32", "values": [1.5, null]}, {"name": "f", "dtype": "object", "values": [1, "x"]}, {"name": "g", "dtype": "string", "values": ["x", null]}]}"#,
            r#"{"type": "series", "name": null, "dtype": "bytes", "values": ["AAE=", null]}"#,
            r#"{"type": "tensor_dict", "arrays": {"a": {"type": "ndarray", "dtype": "str", "shape": [1], "values": ["x"]}}}"#,
            r#"{"type": "json", "value": {"a": [{"$float": "nan"}, {"$numpy": ["int32", 5]}]}}"#,
        ] {
            let v = pyjson::loads(text).unwrap();
            let back = model_input_to_value(&model_input_from_value(&v).unwrap());
            let want = text.replace(
                r#""name": 0, "dtype": "object""#,
                r#""name": 0, "dtype": "bytes""#,
            );
            let want = want.replace(r#"[{"$bytes": "AAE="}, null]"#, r#"["AAE=", null]"#);
            assert_eq!(pyjson::dumps(&back), want);
        }
    }

    #[test]
    fn iso_units() {
        assert_eq!(parse_iso("2021-01-01").unwrap().1, TimeUnit::Day);
        assert_eq!(
            parse_iso("2021-01-01T00:00:00").unwrap().1,
            TimeUnit::Second
        );
        assert_eq!(
            parse_iso("1970-01-01T00:00:00.000000001")
                .unwrap()
                .0
                .nanosecond(),
            1
        );
        assert_eq!(
            parse_iso("2021-01-01T00:00:00.123").unwrap().1,
            TimeUnit::Milli
        );
        assert_eq!(
            parse_iso("2021-01-01T01:00:00+01:00").unwrap().0,
            parse_iso("2021-01-01T00:00:00").unwrap().0
        );
    }
}
