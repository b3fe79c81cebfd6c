//! The body of a successful `/invocations` response, byte for byte as MLflow writes it:
//! `json.dump({"predictions": _get_jsonable_obj(output)}, cls=NumpyEncoder)`.
//!
//! | model output | JSON |
//! | --- | --- |
//! | DataFrame | `DataFrame.to_dict(orient="records")`: one object per row, keys `str(label)`; numpy scalars as Python numbers (`float32` widened: `0.10000000149011612`), missing values by dtype (`NaN` for numpy floats and `str`, `null` for `<NA>`/`None`, `"NaT"` for datetimes), Timestamps in ISO form, bytes as base64 with a trailing `\n` |
//! | Series | the one-column DataFrame of it (an unnamed Series is column `0`) |
//! | ndarray | `tolist()` (datetime64[ns] elements become integer nanoseconds, coarser units ISO texts) |
//! | dict of ndarrays | an object of lists |
//! | anything else | `json.dump` with `NumpyEncoder` (numpy scalars via `.item()`, bytes base64, dates ISO) |
//!
//! Non-finite floats are written as the bare tokens `NaN`, `Infinity`, `-Infinity` (Python's
//! `allow_nan`), and all non-ASCII text is `\uXXXX`-escaped (`ensure_ascii`).
//!
//! Typed Arrow columns are written straight from their buffers; only `object`-like columns go
//! through per-cell [`Value`]s.

use super::join::write_joined;
use super::num::{write_float_repr, write_i128, write_i64, write_u128};
use super::pyrepr::numpy::element;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, BinaryArray, BooleanArray, Float16Array, Float32Array, Float64Array, Int16Array,
    Int32Array, Int64Array, Int8Array, LargeStringArray, RecordBatch, StringArray, StringViewArray,
    UInt16Array, UInt32Array, UInt64Array, UInt8Array,
};
use arrow_schema::{DataType, Field};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use signet::input::{ModelInput, Tensor, TensorData};
use signet::repr::base64_mime;
use signet::table::{array_value, column_label, dtype_info, py_value, DtypeInfo, PANDAS_DTYPE_KEY};
use signet::types::{ColumnName, NumpyDtype, TimeUnit};
use signet::value::Value;
use std::borrow::Cow;
use std::io::Write as _;

/// MLflow's 200 response body for a model output: `{"predictions": <output>}`, or the bare
/// output for unified-LLM requests (`unified_llm`).
pub fn predictions_json(output: &ModelInput, unified_llm: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(estimate(output));
    if !unified_llm {
        out.extend_from_slice(b"{\"predictions\": ");
    }
    write_output(&mut out, output);
    if !unified_llm {
        out.push(b'}');
    }
    out
}

fn estimate(output: &ModelInput) -> usize {
    match output {
        ModelInput::Table(b) => 24 + b.num_rows() * (2 + b.num_columns() * 24),
        ModelInput::Series(s) => 24 + s.values.len() * 24,
        ModelInput::Tensor(t) => 24 + t.len() * 12,
        _ => 64,
    }
}

/// Writes the JSON of a model output (without the `predictions` wrapper).
pub fn write_output(out: &mut Vec<u8>, output: &ModelInput) {
    match output {
        ModelInput::Table(batch) => write_records(out, batch),
        ModelInput::Series(s) => {
            let key = match &s.name {
                Some(ColumnName::Str(n)) => n.clone(),
                Some(ColumnName::Int(i)) => i.to_string(),
                None => "0".to_string(),
            };
            let columns = [Column::new(&s.field, s.values.as_ref())];
            write_rows(out, &[key.as_str()], &columns, s.values.len());
        }
        ModelInput::Tensor(t) => write_tolist(out, t),
        ModelInput::TensorDict(items) => {
            write_joined(out, ["{", ", ", "}"], items, |out, (k, t)| {
                write_str(out, k);
                out.extend_from_slice(b": ");
                write_ndarray_default(out, t);
            })
        }
        // MLflow cannot serialise a scipy matrix (500); its stored values are the best match.
        ModelInput::Sparse(m) => write_tolist(out, &m.data),
        ModelInput::Value(v) => write_value(out, v),
    }
}

// ---------------------------------------------------------------------------------------------
// strings

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes a JSON string literal as Python's `json` does with `ensure_ascii=True`.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if bytes
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let plain = (' '..='~').contains(&c) && c != '"' && c != '\\';
        if plain {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + c.len_utf8();
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.extend_from_slice(b"\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[((*unit >> shift) & 0xf) as usize]);
                    }
                }
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Writes a Python float as `json` does (`NaN`, `Infinity`, `-Infinity` for non-finite).
#[inline]
fn write_float(out: &mut Vec<u8>, f: f64) {
    if f.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        write_float_repr(out, f);
    }
}

fn write_bytes_b64(out: &mut Vec<u8>, b: &[u8]) {
    write_str(out, &base64_mime(b));
}

fn push_2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10 % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

fn write_date_text(out: &mut Vec<u8>, d: &NaiveDate) {
    use chrono::Datelike;
    let y = d.year();
    if (0..10000).contains(&y) {
        let y = y as u32;
        push_2(out, y / 100);
        push_2(out, y % 100);
    } else {
        let _ = write!(out, "{y:04}");
    }
    out.push(b'-');
    push_2(out, d.month());
    out.push(b'-');
    push_2(out, d.day());
}

/// `datetime.isoformat()` (`frac` = 6 digits when the microseconds are not zero) or
/// `Timestamp.isoformat()` (`nanos`: 9 digits when there are nanoseconds).
fn write_iso(out: &mut Vec<u8>, dt: &NaiveDateTime, nanos: bool) {
    write_date_text(out, &dt.date());
    out.push(b'T');
    push_2(out, dt.hour());
    out.push(b':');
    push_2(out, dt.minute());
    out.push(b':');
    push_2(out, dt.second());
    let n = dt.nanosecond() % 1_000_000_000;
    if nanos && !n.is_multiple_of(1000) {
        let _ = write!(out, ".{n:09}");
    } else if n / 1000 != 0 {
        let _ = write!(out, ".{:06}", n / 1000);
    }
}

fn write_iso_str(out: &mut Vec<u8>, dt: &NaiveDateTime, nanos: bool, tz: Option<&str>) {
    out.push(b'"');
    write_iso(out, dt, nanos);
    if let Some(tz) = tz {
        out.extend_from_slice(tz.as_bytes());
    }
    out.push(b'"');
}

fn write_date(out: &mut Vec<u8>, d: &NaiveDate) {
    out.push(b'"');
    write_date_text(out, d);
    out.push(b'"');
}

// ---------------------------------------------------------------------------------------------
// Python values (NumpyEncoder)

/// `numpy.datetime64.item()`: integer nanoseconds for `ns` and finer units, `datetime.date`
/// for days and coarser, `datetime.datetime` otherwise.
fn write_datetime64_item(out: &mut Vec<u8>, dt: &NaiveDateTime, unit: TimeUnit) {
    match unit {
        TimeUnit::Nano | TimeUnit::Pico | TimeUnit::Femto | TimeUnit::Atto | TimeUnit::Generic => {
            match dt.and_utc().timestamp_nanos_opt() {
                Some(ns) => write_i64(out, ns),
                None => write_iso_str(out, dt, false, None),
            }
        }
        TimeUnit::Year | TimeUnit::Month | TimeUnit::Week | TimeUnit::Day => {
            write_date(out, &dt.date())
        }
        _ => write_iso_str(out, dt, false, None),
    }
}

fn write_key(out: &mut Vec<u8>, k: &Value) {
    match k {
        Value::Str(s) => write_str(out, s),
        Value::Int(i) => {
            out.push(b'"');
            write_i128(out, *i);
            out.push(b'"');
        }
        Value::Bool(b) => out.extend_from_slice(if *b { b"\"true\"" } else { b"\"false\"" }),
        Value::None => out.extend_from_slice(b"\"null\""),
        Value::Float(f) => {
            out.push(b'"');
            write_float(out, *f);
            out.push(b'"');
        }
        other => write_str(out, &super::pyrepr::py_str_value(other)),
    }
}

/// `json.dump(value, cls=NumpyEncoder)`.
pub(crate) fn write_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::None | Value::NA => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => write_i128(out, *i),
        Value::Float(f) => write_float(out, *f),
        Value::Str(s) => write_str(out, s),
        Value::Bytes(b) => write_bytes_b64(out, b),
        Value::Date(d) => write_date(out, d),
        Value::DateTime(dt) => write_iso_str(out, dt, false, None),
        Value::Timestamp(dt) => write_iso_str(out, dt, true, None),
        Value::Datetime64(dt, unit) => write_datetime64_item(out, dt, *unit),
        Value::NaT => out.extend_from_slice(b"\"NaT\""),
        // `.item()`: the scalar's own value, widened to a Python float.
        Value::Numpy(dtype, inner) => match (dtype, inner.as_ref()) {
            (NumpyDtype::Float16, Value::Float(f)) => {
                write_float(out, HalfF16::from_f64(*f).to_f64())
            }
            (NumpyDtype::Float16, Value::Int(i)) => {
                write_float(out, HalfF16::from_f64(*i as f64).to_f64())
            }
            (NumpyDtype::Float32, Value::Float(f)) => write_float(out, *f as f32 as f64),
            (NumpyDtype::Float32, Value::Int(i)) => write_float(out, *i as f32 as f64),
            (NumpyDtype::Float64, Value::Int(i)) => write_float(out, *i as f64),
            (_, inner) => write_value(out, inner),
        },
        Value::List(items) | Value::Tuple(items) => {
            write_joined(out, ["[", ", ", "]"], items, write_value)
        }
        Value::Dict(items) => write_joined(out, ["{", ", ", "}"], items, |out, (k, val)| {
            write_key(out, k);
            out.extend_from_slice(b": ");
            write_value(out, val);
        }),
        Value::Ndarray(t) => write_ndarray_default(out, t),
    }
}

/// A DataFrame cell after pandas' `maybe_box_native` (numpy datetimes become Timestamps,
/// `pd.NA` becomes `None`).
fn write_cell_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Datetime64(dt, _) => write_iso_str(out, dt, true, None),
        other => write_value(out, other),
    }
}

/// `NumpyEncoder.try_convert` of an ndarray met inside a value: `tolist()`, except that an
/// `object` array is iterated (a 0-d object array yields the items of its element).
fn write_ndarray_default(out: &mut Vec<u8>, t: &Tensor) {
    if t.dtype == NumpyDtype::Object && t.shape.is_empty() {
        let v = element(t, 0);
        let items: Vec<Value> = match &v {
            Value::Dict(d) => d.iter().map(|(k, _)| k.clone()).collect(),
            Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
            Value::List(l) | Value::Tuple(l) => l.clone(),
            Value::Bytes(b) => b.iter().map(|&x| Value::Int(x as i128)).collect(),
            _ => {
                write_value(out, &v);
                return;
            }
        };
        write_value(out, &Value::List(items));
        return;
    }
    write_tolist(out, t);
}

/// `ndarray.tolist()` written as JSON.
fn write_tolist(out: &mut Vec<u8>, t: &Tensor) {
    if t.shape.is_empty() {
        write_element(out, t, 0);
        return;
    }
    if t.shape.contains(&0) {
        write_nested_empty(out, &t.shape);
        return;
    }
    let mut offset = 0;
    write_level(out, t, 0, &mut offset);
}

/// `tolist()` of an array with a zero-length axis: nested empty lists down to that axis.
fn write_nested_empty(out: &mut Vec<u8>, shape: &[usize]) {
    match shape.split_first() {
        Some((&0, _)) | None => out.extend_from_slice(b"[]"),
        Some((&n, rest)) => write_joined(out, ["[", ", ", "]"], 0..n, |out, _| {
            write_nested_empty(out, rest)
        }),
    }
}

fn write_level(out: &mut Vec<u8>, t: &Tensor, dim: usize, offset: &mut usize) {
    if dim == t.shape.len() {
        write_element(out, t, *offset);
        *offset += 1;
        return;
    }
    write_joined(out, ["[", ", ", "]"], 0..t.shape[dim], |out, _| {
        write_level(out, t, dim + 1, offset)
    });
}

/// One element of `tolist()`.
fn write_element(out: &mut Vec<u8>, t: &Tensor, i: usize) {
    if let TensorData::Arrow(a) = &t.data {
        if i < a.len() {
            match a.data_type() {
                DataType::Float64 => {
                    let a = a.as_primitive::<Float64Type>();
                    return write_float(out, if a.is_null(i) { f64::NAN } else { a.value(i) });
                }
                DataType::Float32 => {
                    let a = a.as_primitive::<Float32Type>();
                    return write_float(
                        out,
                        if a.is_null(i) {
                            f64::NAN
                        } else {
                            a.value(i) as f64
                        },
                    );
                }
                DataType::Int64 if !a.is_null(i) => {
                    return write_i64(out, a.as_primitive::<Int64Type>().value(i))
                }
                _ => {}
            }
        }
    }
    match element(t, i) {
        // `tolist()` of datetime64 arrays: the element's `.item()`.
        Value::Datetime64(dt, unit) => {
            let unit = match t.dtype {
                NumpyDtype::Datetime64(u) if tensor_unit_matches(t, u) => u,
                _ => unit,
            };
            write_datetime64_item(out, &dt, unit)
        }
        // `tolist()` gives `None` for the NaT elements of datetime arrays.
        Value::NaT
            if matches!(
                t.dtype,
                NumpyDtype::Datetime64(_) | NumpyDtype::Timedelta64(_)
            ) =>
        {
            out.extend_from_slice(b"null")
        }
        v => write_value(out, &v),
    }
}

/// Whether the dtype's unit is the one the Arrow array holds (Date32 stores D/W/M/Y,
/// second timestamps store s/m/h).
fn tensor_unit_matches(t: &Tensor, u: TimeUnit) -> bool {
    let TensorData::Arrow(a) = &t.data else {
        return false;
    };
    use arrow_schema::TimeUnit as A;
    matches!(
        (a.data_type(), u),
        (
            DataType::Date32 | DataType::Date64,
            TimeUnit::Day | TimeUnit::Week | TimeUnit::Month | TimeUnit::Year
        ) | (
            DataType::Timestamp(A::Second, _),
            TimeUnit::Second | TimeUnit::Minute | TimeUnit::Hour
        ) | (DataType::Timestamp(A::Millisecond, _), TimeUnit::Milli)
            | (DataType::Timestamp(A::Microsecond, _), TimeUnit::Micro)
            | (DataType::Timestamp(A::Nanosecond, _), TimeUnit::Nano)
    )
}

// ---------------------------------------------------------------------------------------------
// DataFrames

/// A column prepared for writing cells row by row.
enum Column<'a> {
    I8(&'a Int8Array),
    I16(&'a Int16Array),
    I32(&'a Int32Array),
    I64(&'a Int64Array),
    U8(&'a UInt8Array),
    U16(&'a UInt16Array),
    U32(&'a UInt32Array),
    U64(&'a UInt64Array),
    /// Floats; the flag: a null is `NaN` (numpy) rather than `null` (nullable `Float64`).
    F16(&'a Float16Array, bool),
    F32(&'a Float32Array, bool),
    F64(&'a Float64Array, bool),
    Bool(&'a BooleanArray),
    /// Strings; the flag: a null is `NaN` (pandas' `str` dtype) rather than `null`.
    Utf8(&'a StringArray, bool),
    LargeUtf8(&'a LargeStringArray, bool),
    Utf8View(&'a StringViewArray, bool),
    Binary(&'a BinaryArray),
    /// Datetimes; the offset suffix of a tz-aware column.
    Timestamp(&'a dyn Array, Option<String>),
    Date(&'a dyn Array),
    /// Anything else, cell by cell as Python values.
    Generic(&'a Field, &'a dyn Array, DtypeInfo),
}

impl<'a> Column<'a> {
    fn new(field: &'a Field, array: &'a dyn Array) -> Column<'a> {
        let meta = field.metadata().get(PANDAS_DTYPE_KEY).map(String::as_str);
        // numpy floats write a missing value as `NaN`, nullable `Float32`/`Float64` as `null`.
        let numpy_nan = !matches!(meta, Some("Float32" | "Float64" | "object"));
        match (array.data_type(), meta) {
            (DataType::Int8, None | Some("Int8")) => Column::I8(array.as_primitive::<Int8Type>()),
            (DataType::Int16, None | Some("Int16")) => {
                Column::I16(array.as_primitive::<Int16Type>())
            }
            (DataType::Int32, None | Some("Int32")) => {
                Column::I32(array.as_primitive::<Int32Type>())
            }
            (DataType::Int64, None | Some("Int64")) => {
                Column::I64(array.as_primitive::<Int64Type>())
            }
            (DataType::UInt8, None | Some("UInt8")) => {
                Column::U8(array.as_primitive::<UInt8Type>())
            }
            (DataType::UInt16, None | Some("UInt16")) => {
                Column::U16(array.as_primitive::<UInt16Type>())
            }
            (DataType::UInt32, None | Some("UInt32")) => {
                Column::U32(array.as_primitive::<UInt32Type>())
            }
            (DataType::UInt64, None | Some("UInt64")) => {
                Column::U64(array.as_primitive::<UInt64Type>())
            }
            (DataType::Float16, None) => {
                Column::F16(array.as_primitive::<Float16Type>(), numpy_nan)
            }
            (DataType::Float32, None | Some("Float32")) => {
                Column::F32(array.as_primitive::<Float32Type>(), numpy_nan)
            }
            (DataType::Float64, None | Some("Float64")) => {
                Column::F64(array.as_primitive::<Float64Type>(), numpy_nan)
            }
            (DataType::Boolean, None | Some("boolean")) => Column::Bool(array.as_boolean()),
            (DataType::Utf8, None | Some("str" | "string" | "object"))
                if !signet::table::is_json_field(field) =>
            {
                // pandas' `str` dtype holds NaN for a missing value; `string` and `object`
                // columns give `null`.
                Column::Utf8(
                    array.as_string::<i32>(),
                    meta.is_none() || meta == Some("str"),
                )
            }
            (DataType::LargeUtf8, None | Some("str" | "string" | "object")) => Column::LargeUtf8(
                array.as_string::<i64>(),
                meta.is_none() || meta == Some("str"),
            ),
            (DataType::Utf8View, None | Some("str" | "string" | "object")) => Column::Utf8View(
                array.as_string_view(),
                meta.is_none() || meta == Some("str"),
            ),
            (DataType::Binary, _) => Column::Binary(array.as_binary::<i32>()),
            (DataType::Timestamp(_, tz), None) => {
                Column::Timestamp(array, tz.as_deref().map(super::frame::tz_offset_suffix))
            }
            (DataType::Date32 | DataType::Date64, _) => Column::Date(array),
            _ => Column::Generic(field, array, dtype_info(field, array)),
        }
    }

    #[inline]
    fn write(&self, out: &mut Vec<u8>, i: usize) {
        macro_rules! int {
            ($a:expr, $w:expr) => {
                if $a.is_null(i) {
                    out.extend_from_slice(b"null")
                } else {
                    $w(out, $a.value(i))
                }
            };
        }
        macro_rules! float {
            ($a:expr, $nan:expr, $conv:expr) => {
                if $a.is_null(i) {
                    out.extend_from_slice(if $nan { b"NaN" } else { b"null" })
                } else {
                    write_float(out, $conv($a.value(i)))
                }
            };
        }
        macro_rules! text {
            ($a:expr, $nan:expr) => {
                if $a.is_null(i) {
                    out.extend_from_slice(if $nan { b"NaN" } else { b"null" })
                } else {
                    write_str(out, $a.value(i))
                }
            };
        }
        match self {
            Column::I8(a) => int!(a, |o: &mut Vec<u8>, v: i8| write_i64(o, v as i64)),
            Column::I16(a) => int!(a, |o: &mut Vec<u8>, v: i16| write_i64(o, v as i64)),
            Column::I32(a) => int!(a, |o: &mut Vec<u8>, v: i32| write_i64(o, v as i64)),
            Column::I64(a) => int!(a, write_i64),
            Column::U8(a) => int!(a, |o: &mut Vec<u8>, v: u8| write_i64(o, v as i64)),
            Column::U16(a) => int!(a, |o: &mut Vec<u8>, v: u16| write_i64(o, v as i64)),
            Column::U32(a) => int!(a, |o: &mut Vec<u8>, v: u32| write_i64(o, v as i64)),
            Column::U64(a) => int!(a, |o: &mut Vec<u8>, v: u64| write_u128(o, v as u128)),
            Column::F16(a, nan) => float!(a, *nan, |v: HalfF16| v.to_f64()),
            Column::F32(a, nan) => float!(a, *nan, |v: f32| v as f64),
            Column::F64(a, nan) => float!(a, *nan, |v: f64| v),
            Column::Bool(a) => {
                if a.is_null(i) {
                    out.extend_from_slice(b"null")
                } else {
                    out.extend_from_slice(if a.value(i) { b"true" } else { b"false" })
                }
            }
            Column::Utf8(a, nan) => text!(a, *nan),
            Column::LargeUtf8(a, nan) => text!(a, *nan),
            Column::Utf8View(a, nan) => text!(a, *nan),
            Column::Binary(a) => {
                if a.is_null(i) {
                    out.extend_from_slice(b"null")
                } else {
                    write_bytes_b64(out, a.value(i))
                }
            }
            Column::Timestamp(a, tz) => match array_value(*a, i) {
                Value::Datetime64(dt, _) => write_iso_str(out, &dt, true, tz.as_deref()),
                _ => out.extend_from_slice(b"\"NaT\""),
            },
            Column::Date(a) => match py_value(None, *a, i) {
                Value::Date(d) => write_date(out, &d),
                _ => out.extend_from_slice(b"null"),
            },
            Column::Generic(field, array, info) => {
                let v = if array.is_null(i) {
                    match info.name.as_str() {
                        "str" | "category" => Value::Float(f64::NAN),
                        _ if info.kind == 'f' && !info.is_nullable_extension() => {
                            Value::Float(f64::NAN)
                        }
                        _ if info.kind == 'M' => Value::NaT,
                        _ => Value::None,
                    }
                } else {
                    py_value(Some(field), *array, i)
                };
                write_cell_value(out, &v)
            }
        }
    }
}

type HalfF16 = <Float16Type as arrow_array::ArrowPrimitiveType>::Native;

/// `DataFrame.to_dict(orient="records")` as JSON.
fn write_records(out: &mut Vec<u8>, batch: &RecordBatch) {
    let fields = batch.schema_ref().fields();
    // The key is `str(label)`: the field name (an integer label's name is its decimal text).
    let labels: Vec<Cow<str>> = fields
        .iter()
        .map(|f| match column_label(f) {
            ColumnName::Int(i)
                if f.name().parse::<i64>().ok() != Some(i) || f.name().starts_with('+') =>
            {
                Cow::Owned(i.to_string())
            }
            _ => Cow::Borrowed(f.name().as_str()),
        })
        .collect();
    // Duplicate labels: one key, at its first position, holding the last column's value.
    let mut keys: Vec<&str> = Vec::with_capacity(labels.len());
    let mut source: Vec<usize> = Vec::with_capacity(labels.len());
    for (j, l) in labels.iter().enumerate() {
        match keys.iter().position(|k| *k == l.as_ref()) {
            Some(p) => source[p] = j,
            None => {
                keys.push(l);
                source.push(j);
            }
        }
    }
    let columns: Vec<Column> = source
        .iter()
        .map(|&j| Column::new(&fields[j], batch.column(j).as_ref()))
        .collect();
    write_rows(out, &keys, &columns, batch.num_rows());
}

fn write_rows(out: &mut Vec<u8>, keys: &[&str], columns: &[Column], rows: usize) {
    // Keys are escaped once.
    let mut key_buf = Vec::with_capacity(keys.iter().map(|k| k.len() + 4).sum());
    let mut key_end = Vec::with_capacity(keys.len());
    for k in keys {
        write_str(&mut key_buf, k);
        key_buf.extend_from_slice(b": ");
        key_end.push(key_buf.len());
    }
    out.push(b'[');
    for i in 0..rows {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.push(b'{');
        let mut start = 0;
        for (c, (col, &end)) in columns.iter().zip(&key_end).enumerate() {
            if c > 0 {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(&key_buf[start..end]);
            start = end;
            col.write(out, i);
        }
        out.push(b'}');
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::ArrayRef;
    use std::sync::Arc;

    fn text(input: &ModelInput) -> String {
        String::from_utf8(predictions_json(input, false)).unwrap()
    }

    #[test]
    fn house_prices() {
        let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500, 2000]));
        let beds: ArrayRef = Arc::new(Int64Array::from(vec![3, 4]));
        let b = RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", beds)]).unwrap();
        assert_eq!(
            text(&ModelInput::Table(b)),
            r#"{"predictions": [{"sqft": 1500, "bedrooms": 3}, {"sqft": 2000, "bedrooms": 4}]}"#
        );
    }

    #[test]
    fn values() {
        let v = Value::List(vec![
            Value::Float(f64::NAN),
            Value::Float(f64::INFINITY),
            Value::Float(1e300),
            Value::str("h\u{e9}\u{1F600}\n"),
            Value::Bytes(b"ab".to_vec()),
        ]);
        assert_eq!(
            String::from_utf8(predictions_json(&ModelInput::Value(v), true)).unwrap(),
            r#"[NaN, Infinity, 1e+300, "h\u00e9\ud83d\ude00\n", "YWI=\n"]"#
        );
    }
}
