//! How pandas DataFrames (and Series) map onto Arrow — the conventions every part of signet
//! shares.
//!
//! A pandas DataFrame is an Arrow [`RecordBatch`](arrow_array::RecordBatch); a Series is one
//! Arrow column plus an optional label ([`crate::input::Series`]); a numpy array is a
//! [`crate::input::Tensor`] (a dtype, a shape and a flat Arrow array in C order, or a
//! `Vec<Value>` for `object` arrays). Any other Python object is a [`Value`].
//!
//! # Model inputs
//!
//! | Python object | signet |
//! | --- | --- |
//! | `pandas.DataFrame` | [`ModelInput::Table`](crate::input::ModelInput::Table) (columns below) |
//! | `pandas.Series` | [`ModelInput::Series`](crate::input::ModelInput::Series) |
//! | `numpy.ndarray` | [`ModelInput::Tensor`](crate::input::ModelInput::Tensor): [`NumpyDtype`], shape, flat Arrow array in C order (bool, numeric, Utf8 for `str`, Binary for `bytes`, Timestamp or Date32 for `datetime64`), or `Vec<Value>` for `object` |
//! | `dict` of `numpy.ndarray` | [`ModelInput::TensorDict`](crate::input::ModelInput::TensorDict) (key order kept) |
//! | `scipy.sparse` csr/csc matrix | [`ModelInput::Sparse`](crate::input::ModelInput::Sparse) |
//! | anything else | [`ModelInput::Value`](crate::input::ModelInput::Value); `None` there means "not given" |
//!
//! | Python value | [`Value`] |
//! | --- | --- |
//! | `None`, `bool`, `int`, `float` (NaN, ±inf included), `str`, `bytes` | `None`, `Bool`, `Int` (128 bits), `Float`, `Str`, `Bytes` |
//! | `list`, `tuple`, `dict` (insertion order) | `List`, `Tuple`, `Dict` |
//! | `datetime.date`, naive `datetime.datetime`, `pandas.Timestamp` | `Date`, `DateTime`, `Timestamp` |
//! | `numpy.datetime64` (with its unit) | `Datetime64` |
//! | numpy numeric/bool scalar (`np.int32(5)`) | `Numpy(dtype, value)` |
//! | `numpy.ndarray` inside a value | `Ndarray` |
//! | `pandas.NaT`, `pandas.NA` | `NaT`, `NA` |
//!
//! # Column dtypes
//!
//! The Arrow type decides the pandas dtype; the field metadata key [`PANDAS_DTYPE_KEY`]
//! (`signet.pandas_dtype`) overrides it where the Arrow type alone does not decide.
//!
//! | pandas / numpy notion | Arrow type | metadata `signet.pandas_dtype` | missing value |
//! | --- | --- | --- | --- |
//! | `bool` | Boolean | — | (none) |
//! | `int8` … `int64`, `uint8` … `uint64` | Int8 … Int64, UInt8 … UInt64 | — | (none) |
//! | `float16` / `float32` / `float64` | Float16 / Float32 / Float64 | — | null or NaN (both are pandas NaN) |
//! | nullable `Int8` … `Int64`, `UInt8` … `UInt64` | Int8 … UInt64 | `Int64` etc., or absent when the column has nulls | null = `pd.NA` |
//! | nullable `Float32` / `Float64` | Float32 / Float64 | `Float32` / `Float64` | null = `pd.NA` (NaN stays NaN) |
//! | nullable `boolean` | Boolean | `boolean`, or absent when the column has nulls | null = `pd.NA` |
//! | `str` (pandas' default text dtype) | Utf8 / LargeUtf8 / Utf8View | — | null = NaN |
//! | `string` (nullable `StringDtype`) | Utf8 … | `string` | null = `pd.NA` |
//! | `object` column of strings | Utf8 … | `object` | null = `None` |
//! | `object` column of bytes | Binary / LargeBinary / BinaryView / FixedSizeBinary | — | null = `None` |
//! | `object` column of arbitrary Python values | Utf8 with extension `arrow.json` (field metadata `ARROW:extension:name` = `arrow.json`); each cell is the [Elem](crate::elem) JSON text of the value | — | null = `None` |
//! | `object` column of lists | List / LargeList / FixedSizeList | — | null = `None` |
//! | `object` column of dicts | Struct or Map | — | null = `None` |
//! | `object` column of `datetime.date` | Date32 / Date64 | — | null = `None` |
//! | `object` column of any other Arrow type | that type | `object` | null = `None` |
//! | `datetime64[unit]` | Timestamp(unit, None) | — | null = `NaT` |
//! | `datetime64[unit, tz]` | Timestamp(unit, tz) | — | null = `NaT` |
//! | `timedelta64[unit]` | Duration(unit) | — | null = `NaT` |
//! | `category` | Dictionary | — | null = NaN |
//!
//! Column labels: the field name is the label; an integer label (pandas `0`, `1`, … from
//! unnamed data) has the metadata [`LABEL_KIND_KEY`] (`signet.label`) = `int` and its decimal
//! text as the field name.
//!
//! # Elements
//!
//! [`array_value`] gives an element the way iterating a numpy array does (numpy scalars,
//! [`Value::Numpy`], for numeric dtypes; `numpy.datetime64` for datetimes); [`object_values`]
//! gives a column's cells the way pandas' `Series.tolist()` does (plain Python values, the
//! dtype's missing-value marker for nulls).
//!
//! Values Python has but [`Value`] cannot hold are approximated: timedeltas are given as integer
//! counts of the column's unit, decimals as floats, times of day as `HH:MM:SS` strings, and
//! tz-aware timestamps as their wall time when the zone is `UTC` or a fixed `±HH:MM` offset
//! (the UTC instant otherwise).

use crate::types::{ColumnName, NumpyDtype, TimeUnit};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, BinaryArray, StringArray};
use arrow_schema::{DataType as ArrowType, Field, TimeUnit as ArrowUnit};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::sync::Arc;

/// Field metadata key holding the pandas dtype name when the Arrow type alone does not decide
/// it (`object`, `string`, `Int64`, `Float64`, `boolean`, ...).
pub const PANDAS_DTYPE_KEY: &str = "signet.pandas_dtype";

/// Field metadata key marking an integer column label (`"int"`); the field name is its text.
pub const LABEL_KIND_KEY: &str = "signet.label";

/// Arrow's field metadata key naming an extension type.
pub const EXTENSION_NAME_KEY: &str = "ARROW:extension:name";

/// The extension name of JSON-text columns; signet uses them for `object` columns of arbitrary
/// Python values, each cell holding the [Elem](crate::elem) text of its value.
pub const JSON_EXTENSION: &str = "arrow.json";

/// Whether the field is an `arrow.json` column (cells are Elem texts).
pub fn is_json_field(field: &Field) -> bool {
    field.metadata().get(EXTENSION_NAME_KEY).map(String::as_str) == Some(JSON_EXTENSION)
}

/// A pandas dtype as signet classifies it: its name and numpy's `kind` / `itemsize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DtypeInfo {
    /// The dtype name as pandas prints it (`int64`, `Int64`, `str`, `object`,
    /// `datetime64[ns, UTC]`, `category`, ...).
    pub name: String,
    /// numpy's kind character: `b`, `i`, `u`, `f`, `c`, `M`, `m`, or `O` for object-like dtypes
    /// (`object`, `str`, `string`, `category`).
    pub kind: char,
    /// Item size in bytes for fixed-size kinds (0 for object-like dtypes).
    pub itemsize: usize,
}

impl DtypeInfo {
    fn from_name(name: String) -> DtypeInfo {
        let lower = name.to_ascii_lowercase();
        let digits: String = lower.chars().filter(|c| c.is_ascii_digit()).collect();
        let bits: usize = digits.parse().unwrap_or(0);
        let (kind, itemsize) = if lower == "bool" || lower == "boolean" {
            ('b', 1)
        } else if lower.starts_with("uint") {
            ('u', bits / 8)
        } else if lower.starts_with("int") {
            ('i', bits / 8)
        } else if lower.starts_with("float") {
            ('f', bits / 8)
        } else if lower.starts_with("complex") {
            ('c', bits / 8)
        } else if lower.starts_with("datetime64") {
            ('M', 8)
        } else if lower.starts_with("timedelta64") {
            ('m', 8)
        } else {
            ('O', 0)
        };
        DtypeInfo {
            name,
            kind,
            itemsize,
        }
    }

    /// Whether the dtype is a pandas nullable extension dtype (`Int64`, `Float64`, `boolean`)
    /// whose missing value is `pd.NA`.
    pub fn is_nullable_extension(&self) -> bool {
        self.name == "boolean"
            || self.name.starts_with("Int")
            || self.name.starts_with("UInt")
            || self.name.starts_with("Float")
    }
}

fn unit_code(u: &ArrowUnit) -> &'static str {
    match u {
        ArrowUnit::Second => "s",
        ArrowUnit::Millisecond => "ms",
        ArrowUnit::Microsecond => "us",
        ArrowUnit::Nanosecond => "ns",
    }
}

fn metadata_dtype(field: &Field) -> Option<&str> {
    field.metadata().get(PANDAS_DTYPE_KEY).map(String::as_str)
}

/// The pandas dtype of a column (see the table in the module docs).
pub fn dtype_info(field: &Field, array: &dyn Array) -> DtypeInfo {
    let meta = metadata_dtype(field);
    if is_json_field(field) || meta == Some("object") {
        return DtypeInfo::from_name("object".into());
    }
    let nulls = array.null_count() > 0;
    let numeric = |numpy: &str, ext: &str| -> String {
        if meta == Some(ext) || (nulls && !numpy.starts_with("float")) {
            ext.to_string()
        } else {
            numpy.to_string()
        }
    };
    let name = match array.data_type() {
        ArrowType::Boolean => numeric("bool", "boolean"),
        ArrowType::Int8 => numeric("int8", "Int8"),
        ArrowType::Int16 => numeric("int16", "Int16"),
        ArrowType::Int32 => numeric("int32", "Int32"),
        ArrowType::Int64 => numeric("int64", "Int64"),
        ArrowType::UInt8 => numeric("uint8", "UInt8"),
        ArrowType::UInt16 => numeric("uint16", "UInt16"),
        ArrowType::UInt32 => numeric("uint32", "UInt32"),
        ArrowType::UInt64 => numeric("uint64", "UInt64"),
        ArrowType::Float16 => "float16".into(),
        ArrowType::Float32 => numeric("float32", "Float32"),
        ArrowType::Float64 => numeric("float64", "Float64"),
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => match meta {
            Some("string") => "string".into(),
            _ => "str".into(),
        },
        ArrowType::Timestamp(u, None) => format!("datetime64[{}]", unit_code(u)),
        ArrowType::Timestamp(u, Some(tz)) => format!("datetime64[{}, {}]", unit_code(u), tz),
        ArrowType::Duration(u) => format!("timedelta64[{}]", unit_code(u)),
        ArrowType::Dictionary(..) => "category".into(),
        _ => "object".into(),
    };
    DtypeInfo::from_name(name)
}

/// The pandas dtype name of a column as it appears in messages (`int64`, `str`, `object`,
/// `datetime64[ns]`, `datetime64[us, UTC]`, `Int64`, `category`, ...).
pub fn pandas_dtype(field: &Field, array: &dyn Array) -> String {
    dtype_info(field, array).name
}

/// The pandas column label of a field: its name, or an integer when marked with
/// [`LABEL_KIND_KEY`] = `int`.
pub fn column_label(field: &Field) -> ColumnName {
    if field.metadata().get(LABEL_KIND_KEY).map(String::as_str) == Some("int") {
        if let Ok(i) = field.name().parse::<i64>() {
            return ColumnName::Int(i);
        }
    }
    ColumnName::Str(field.name().clone())
}

fn naive_from(v: i64, unit: &ArrowUnit) -> Option<NaiveDateTime> {
    let dt = match unit {
        ArrowUnit::Second => DateTime::from_timestamp(v, 0)?,
        ArrowUnit::Millisecond => DateTime::from_timestamp_millis(v)?,
        ArrowUnit::Microsecond => DateTime::from_timestamp_micros(v)?,
        ArrowUnit::Nanosecond => DateTime::from_timestamp_nanos(v),
    };
    Some(dt.naive_utc())
}

fn signet_unit(unit: &ArrowUnit) -> TimeUnit {
    match unit {
        ArrowUnit::Second => TimeUnit::Second,
        ArrowUnit::Millisecond => TimeUnit::Milli,
        ArrowUnit::Microsecond => TimeUnit::Micro,
        ArrowUnit::Nanosecond => TimeUnit::Nano,
    }
}

/// Offset in seconds of a `UTC` / `±HH:MM` zone name.
fn fixed_offset(tz: &str) -> Option<i64> {
    if tz.eq_ignore_ascii_case("utc") || tz == "Z" {
        return Some(0);
    }
    let sign = match tz.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = tz[1..].split_once(':').unwrap_or((&tz[1..], "0"));
    let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
    if !(0..=99).contains(&h) || !(0..=59).contains(&m) {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn timestamp_raw(array: &dyn Array, unit: &ArrowUnit, i: usize) -> Option<i64> {
    Some(match unit {
        ArrowUnit::Second => array.as_primitive_opt::<TimestampSecondType>()?.value(i),
        ArrowUnit::Millisecond => array
            .as_primitive_opt::<TimestampMillisecondType>()?
            .value(i),
        ArrowUnit::Microsecond => array
            .as_primitive_opt::<TimestampMicrosecondType>()?
            .value(i),
        ArrowUnit::Nanosecond => array
            .as_primitive_opt::<TimestampNanosecondType>()?
            .value(i),
    })
}

fn timestamp_at(array: &dyn Array, i: usize) -> Option<(NaiveDateTime, TimeUnit)> {
    match array.data_type() {
        ArrowType::Timestamp(unit, tz) => {
            let raw = timestamp_raw(array, unit, i)?;
            let mut dt = naive_from(raw, unit)?;
            if let Some(off) = tz.as_deref().and_then(fixed_offset) {
                dt = dt.checked_add_signed(chrono::Duration::seconds(off))?;
            }
            Some((dt, signet_unit(unit)))
        }
        ArrowType::Date32 => {
            let days = array
                .as_primitive_opt::<arrow_array::types::Date32Type>()?
                .value(i);
            let d = NaiveDate::from_num_days_from_ce_opt(days.checked_add(719_163)?)?;
            Some((d.and_time(chrono::NaiveTime::MIN), TimeUnit::Day))
        }
        ArrowType::Date64 => {
            let ms = array
                .as_primitive_opt::<arrow_array::types::Date64Type>()?
                .value(i);
            Some((
                DateTime::from_timestamp_millis(ms)?.naive_utc(),
                TimeUnit::Day,
            ))
        }
        _ => None,
    }
}

fn numpy(dtype: NumpyDtype, v: Value) -> Value {
    Value::Numpy(dtype, Box::new(v))
}

/// The element at `i` of an Arrow array as iterating a numpy array yields it: numpy scalars
/// ([`Value::Numpy`]) for bool and numeric arrays (a null float is NaN, a null integer or bool
/// `pd.NA`), `numpy.datetime64` for Timestamp/Date arrays (null = `NaT`), `str`/`bytes` for
/// Utf8/Binary; anything else as [`object_values`] would give it.
pub fn array_value(array: &dyn Array, i: usize) -> Value {
    use NumpyDtype as D;
    if i >= array.len() {
        return Value::None;
    }
    let null = array.is_null(i);
    macro_rules! prim {
        ($t:ty, $d:expr, $conv:expr) => {
            match array.as_primitive_opt::<$t>() {
                Some(a) if !null => numpy($d, $conv(a.value(i))),
                _ => Value::NA,
            }
        };
    }
    match array.data_type() {
        ArrowType::Boolean => match array.as_boolean_opt() {
            Some(a) if !null => numpy(D::Bool, Value::Bool(a.value(i))),
            _ => Value::NA,
        },
        ArrowType::Int8 => prim!(Int8Type, D::Int8, |v| Value::Int(v as i128)),
        ArrowType::Int16 => prim!(Int16Type, D::Int16, |v| Value::Int(v as i128)),
        ArrowType::Int32 => prim!(Int32Type, D::Int32, |v| Value::Int(v as i128)),
        ArrowType::Int64 => prim!(Int64Type, D::Int64, |v| Value::Int(v as i128)),
        ArrowType::UInt8 => prim!(UInt8Type, D::UInt8, |v| Value::Int(v as i128)),
        ArrowType::UInt16 => prim!(UInt16Type, D::UInt16, |v| Value::Int(v as i128)),
        ArrowType::UInt32 => prim!(UInt32Type, D::UInt32, |v| Value::Int(v as i128)),
        ArrowType::UInt64 => prim!(UInt64Type, D::UInt64, |v| Value::Int(v as i128)),
        ArrowType::Float16 | ArrowType::Float32 | ArrowType::Float64 => {
            let d = match array.data_type() {
                ArrowType::Float16 => D::Float16,
                ArrowType::Float32 => D::Float32,
                _ => D::Float64,
            };
            let f = if null {
                f64::NAN
            } else {
                float_at(array, i).unwrap_or(f64::NAN)
            };
            numpy(d, Value::Float(f))
        }
        ArrowType::Timestamp(..) | ArrowType::Date32 | ArrowType::Date64 => {
            if null {
                return Value::NaT;
            }
            match timestamp_at(array, i) {
                Some((dt, unit)) => Value::Datetime64(dt, unit),
                None => Value::NaT,
            }
        }
        ArrowType::Duration(u) => {
            if null {
                return Value::NaT;
            }
            numpy(
                D::Timedelta64(signet_unit(u)),
                Value::Int(duration_at(array, i).unwrap_or(0) as i128),
            )
        }
        _ => py_value(None, array, i),
    }
}

fn float_at(array: &dyn Array, i: usize) -> Option<f64> {
    Some(match array.data_type() {
        ArrowType::Float16 => array.as_primitive_opt::<Float16Type>()?.value(i).to_f64(),
        ArrowType::Float32 => array.as_primitive_opt::<Float32Type>()?.value(i) as f64,
        ArrowType::Float64 => array.as_primitive_opt::<Float64Type>()?.value(i),
        _ => return None,
    })
}

fn duration_at(array: &dyn Array, i: usize) -> Option<i64> {
    Some(match array.data_type() {
        ArrowType::Duration(ArrowUnit::Second) => {
            array.as_primitive_opt::<DurationSecondType>()?.value(i)
        }
        ArrowType::Duration(ArrowUnit::Millisecond) => array
            .as_primitive_opt::<DurationMillisecondType>()?
            .value(i),
        ArrowType::Duration(ArrowUnit::Microsecond) => array
            .as_primitive_opt::<DurationMicrosecondType>()?
            .value(i),
        ArrowType::Duration(ArrowUnit::Nanosecond) => {
            array.as_primitive_opt::<DurationNanosecondType>()?.value(i)
        }
        _ => return None,
    })
}

fn int_at(array: &dyn Array, i: usize) -> Option<i128> {
    Some(match array.data_type() {
        ArrowType::Int8 => array.as_primitive_opt::<Int8Type>()?.value(i) as i128,
        ArrowType::Int16 => array.as_primitive_opt::<Int16Type>()?.value(i) as i128,
        ArrowType::Int32 => array.as_primitive_opt::<Int32Type>()?.value(i) as i128,
        ArrowType::Int64 => array.as_primitive_opt::<Int64Type>()?.value(i) as i128,
        ArrowType::UInt8 => array.as_primitive_opt::<UInt8Type>()?.value(i) as i128,
        ArrowType::UInt16 => array.as_primitive_opt::<UInt16Type>()?.value(i) as i128,
        ArrowType::UInt32 => array.as_primitive_opt::<UInt32Type>()?.value(i) as i128,
        ArrowType::UInt64 => array.as_primitive_opt::<UInt64Type>()?.value(i) as i128,
        _ => return None,
    })
}

fn str_at(array: &dyn Array, i: usize) -> Option<&str> {
    match array.data_type() {
        ArrowType::Utf8 => Some(array.as_string_opt::<i32>()?.value(i)),
        ArrowType::LargeUtf8 => Some(array.as_string_opt::<i64>()?.value(i)),
        ArrowType::Utf8View => Some(array.as_string_view_opt()?.value(i)),
        _ => None,
    }
}

fn bytes_at(array: &dyn Array, i: usize) -> Option<&[u8]> {
    match array.data_type() {
        ArrowType::Binary => Some(array.as_binary_opt::<i32>()?.value(i)),
        ArrowType::LargeBinary => Some(array.as_binary_opt::<i64>()?.value(i)),
        ArrowType::BinaryView => Some(array.as_binary_view_opt()?.value(i)),
        ArrowType::FixedSizeBinary(_) => Some(array.as_fixed_size_binary_opt()?.value(i)),
        _ => None,
    }
}

/// The element at `i` as a plain Python value (`tolist()` of an object column): `None` for
/// nulls, Python `bool`/`int`/`float`/`str`/`bytes`, `pandas.Timestamp` for timestamps,
/// `datetime.date` for dates, lists for list arrays and dicts for struct and map arrays.
/// `field` (when known) tells whether a Utf8 array is an `arrow.json` column.
pub fn py_value(field: Option<&Field>, array: &dyn Array, i: usize) -> Value {
    if i >= array.len() || array.is_null(i) {
        return Value::None;
    }
    let dt = array.data_type();
    match dt {
        ArrowType::Null => Value::None,
        ArrowType::Boolean => array
            .as_boolean_opt()
            .map(|a| Value::Bool(a.value(i)))
            .unwrap_or(Value::None),
        ArrowType::Int8
        | ArrowType::Int16
        | ArrowType::Int32
        | ArrowType::Int64
        | ArrowType::UInt8
        | ArrowType::UInt16
        | ArrowType::UInt32
        | ArrowType::UInt64 => int_at(array, i).map(Value::Int).unwrap_or(Value::None),
        ArrowType::Float16 | ArrowType::Float32 | ArrowType::Float64 => {
            float_at(array, i).map(Value::Float).unwrap_or(Value::None)
        }
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => {
            let Some(s) = str_at(array, i) else {
                return Value::None;
            };
            if field.is_some_and(is_json_field) {
                crate::elem::decode(s).unwrap_or_else(|_| Value::str(s))
            } else {
                Value::str(s)
            }
        }
        ArrowType::Binary
        | ArrowType::LargeBinary
        | ArrowType::BinaryView
        | ArrowType::FixedSizeBinary(_) => bytes_at(array, i)
            .map(|b| Value::Bytes(b.to_vec()))
            .unwrap_or(Value::None),
        ArrowType::Timestamp(..) => match timestamp_at(array, i) {
            Some((dt, _)) => Value::Timestamp(dt),
            None => Value::None,
        },
        ArrowType::Date32 | ArrowType::Date64 => match timestamp_at(array, i) {
            Some((dt, _)) => Value::Date(dt.date()),
            None => Value::None,
        },
        ArrowType::Duration(_) => duration_at(array, i)
            .map(|d| Value::Int(d as i128))
            .unwrap_or(Value::None),
        ArrowType::Time32(_) | ArrowType::Time64(_) => {
            let secs = match dt {
                ArrowType::Time32(arrow_schema::TimeUnit::Second) => array
                    .as_primitive_opt::<arrow_array::types::Time32SecondType>()
                    .map(|a| a.value(i) as i64),
                ArrowType::Time32(_) => array
                    .as_primitive_opt::<arrow_array::types::Time32MillisecondType>()
                    .map(|a| a.value(i) as i64 / 1000),
                ArrowType::Time64(arrow_schema::TimeUnit::Microsecond) => array
                    .as_primitive_opt::<arrow_array::types::Time64MicrosecondType>()
                    .map(|a| a.value(i) / 1_000_000),
                _ => array
                    .as_primitive_opt::<arrow_array::types::Time64NanosecondType>()
                    .map(|a| a.value(i) / 1_000_000_000),
            };
            match secs {
                Some(s) => Value::Str(format!(
                    "{:02}:{:02}:{:02}",
                    s / 3600,
                    (s / 60) % 60,
                    s % 60
                )),
                None => Value::None,
            }
        }
        ArrowType::Decimal128(_, scale) => array
            .as_primitive_opt::<arrow_array::types::Decimal128Type>()
            .map(|a| Value::Float(a.value(i) as f64 / 10f64.powi(*scale as i32)))
            .unwrap_or(Value::None),
        ArrowType::Dictionary(..) => match array.as_any_dictionary_opt() {
            Some(d) => match int_at(d.keys(), i).and_then(|k| usize::try_from(k).ok()) {
                Some(key) => py_value(None, d.values().as_ref(), key),
                None => Value::None,
            },
            None => Value::None,
        },
        ArrowType::List(child) | ArrowType::LargeList(child) => {
            let values = match dt {
                ArrowType::List(_) => array.as_list_opt::<i32>().map(|l| l.value(i)),
                _ => array.as_list_opt::<i64>().map(|l| l.value(i)),
            };
            match values {
                Some(v) => Value::List(
                    (0..v.len())
                        .map(|j| py_value(Some(child), v.as_ref(), j))
                        .collect(),
                ),
                None => Value::None,
            }
        }
        ArrowType::FixedSizeList(child, _) => match array.as_fixed_size_list_opt() {
            Some(l) => {
                let v = l.value(i);
                Value::List(
                    (0..v.len())
                        .map(|j| py_value(Some(child), v.as_ref(), j))
                        .collect(),
                )
            }
            None => Value::None,
        },
        ArrowType::Struct(fields) => match array.as_struct_opt() {
            Some(s) => Value::Dict(
                fields
                    .iter()
                    .zip(s.columns())
                    .map(|(f, c)| (Value::str(f.name()), py_value(Some(f), c.as_ref(), i)))
                    .collect(),
            ),
            None => Value::None,
        },
        ArrowType::Map(entries, _) => match array.as_map_opt() {
            Some(m) => {
                let e = m.value(i);
                let (kf, vf) = match entries.data_type() {
                    ArrowType::Struct(f) if f.len() == 2 => (Some(&f[0]), Some(&f[1])),
                    _ => (None, None),
                };
                let cols = e.columns();
                if cols.len() != 2 {
                    return Value::None;
                }
                Value::Dict(
                    (0..e.len())
                        .map(|j| {
                            (
                                py_value(kf.map(|f| f.as_ref()), cols[0].as_ref(), j),
                                py_value(vf.map(|f| f.as_ref()), cols[1].as_ref(), j),
                            )
                        })
                        .collect(),
                )
            }
            None => Value::None,
        },
        _ => Value::None,
    }
}

/// pandas' missing-value marker for a null cell of a column of this dtype.
fn missing_marker(info: &DtypeInfo) -> Value {
    match info.name.as_str() {
        "object" => Value::None,
        "string" => Value::NA,
        "str" | "category" => Value::Float(f64::NAN),
        _ if info.is_nullable_extension() => Value::NA,
        _ if info.kind == 'f' => Value::Float(f64::NAN),
        _ if info.kind == 'M' || info.kind == 'm' => Value::NaT,
        _ => Value::None,
    }
}

/// The cells of a column as pandas' `Series.tolist()` gives them: plain Python values, with the
/// dtype's missing-value marker for nulls (`None` for `object`, NaN for numpy floats, `str` and
/// `category`, `pd.NA` for nullable extension dtypes and `string`, `NaT` for datetimes).
/// `arrow.json` cells are decoded from their Elem text.
pub fn object_values(field: &Field, array: &dyn Array) -> Vec<Value> {
    let info = dtype_info(field, array);
    let marker = missing_marker(&info);
    (0..array.len())
        .map(|i| {
            if array.is_null(i) {
                marker.clone()
            } else {
                py_value(Some(field), array, i)
            }
        })
        .collect()
}

/// Whether a Python value is one pandas counts as missing in a Series (`None`, a float NaN,
/// `pd.NA`, `pd.NaT`).
pub fn is_missing(v: &Value) -> bool {
    v.is_missing()
}

/// Whether any cell of the column is missing (null, NaN in a float column, or a missing value
/// inside an `object` column).
pub fn has_missing(field: &Field, array: &dyn Array) -> bool {
    if array.null_count() > 0 {
        return true;
    }
    if is_json_field(field) {
        return (0..array.len()).any(|i| is_missing(&py_value(Some(field), array, i)));
    }
    match array.data_type() {
        ArrowType::Float16 => array
            .as_primitive_opt::<Float16Type>()
            .is_some_and(|a| a.values().iter().any(|v| v.is_nan())),
        ArrowType::Float32 => array
            .as_primitive_opt::<Float32Type>()
            .is_some_and(|a| a.values().iter().any(|v| v.is_nan())),
        ArrowType::Float64 => array
            .as_primitive_opt::<Float64Type>()
            .is_some_and(|a| a.values().iter().any(|v| v.is_nan())),
        _ => false,
    }
}

fn field_with(name: &str, array: &ArrayRef, meta: &[(&str, &str)]) -> Field {
    let field = Field::new(name, array.data_type().clone(), true);
    if meta.is_empty() {
        return field;
    }
    let md: HashMap<String, String> = meta
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    field.with_metadata(md)
}

/// Builds an `object` column from Python values: strings (with `None`) become a Utf8 column
/// marked `object`, bytes (with `None`) a Binary column, anything else an `arrow.json` column
/// of Elem texts. `None` cells are nulls.
pub fn object_column(name: &str, values: &[Value]) -> (Field, ArrayRef) {
    let all_str = values
        .iter()
        .all(|v| matches!(v, Value::Str(_) | Value::None));
    if all_str {
        let array: ArrayRef = Arc::new(StringArray::from(
            values
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ));
        let field = field_with(name, &array, &[(PANDAS_DTYPE_KEY, "object")]);
        return (field, array);
    }
    let all_bytes = values
        .iter()
        .all(|v| matches!(v, Value::Bytes(_) | Value::None));
    if all_bytes {
        let array: ArrayRef = Arc::new(BinaryArray::from_opt_vec(
            values
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => Some(b.as_slice()),
                    _ => None,
                })
                .collect(),
        ));
        let field = field_with(name, &array, &[]);
        return (field, array);
    }
    let texts: Vec<Option<String>> = values
        .iter()
        .map(|v| match v {
            Value::None => None,
            other => Some(crate::elem::encode(other)),
        })
        .collect();
    let array: ArrayRef = Arc::new(StringArray::from(texts));
    let field = field_with(name, &array, &[(EXTENSION_NAME_KEY, JSON_EXTENSION)]);
    (field, array)
}

/// pandas dtypes that the Arrow type alone does not restore from a file's `pandas` metadata.
const RESTORED_DTYPES: &[&str] = &[
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64",
    "boolean", "string", "object",
];

/// What pyarrow's `Table.to_pandas()` gives for the record batches of a Parquet or Arrow file,
/// decided once from the file's Arrow schema and applied to each batch read with it
/// ([`PandasPlan::apply`]). In signet's conventions: index columns (named in the schema's
/// `pandas` metadata) dropped, pandas' extension dtypes restored from that metadata's
/// `numpy_type`, and otherwise integers with nulls as float64 and booleans with nulls as
/// `object` (decided per batch). Columns already carrying [`PANDAS_DTYPE_KEY`] are kept.
///
/// [`pandas_view`] is the plan of a batch's own schema applied to it.
#[derive(Clone, Debug)]
pub struct PandasPlan {
    /// pandas' index columns, by field name (dropped).
    index_columns: std::collections::HashSet<String>,
    /// pandas dtypes to restore, by field name.
    restored: HashMap<String, String>,
    /// The DataFrame's columns: each field's index in the schema and its label.
    columns: Vec<(usize, ColumnName)>,
}

impl PandasPlan {
    /// The plan for batches with this Arrow schema (as read from a Parquet or Arrow file,
    /// pandas' metadata included). When that metadata has several entries for one field name,
    /// the last one decides the dtype to restore.
    pub fn new(schema: &arrow_schema::Schema) -> PandasPlan {
        let pandas = schema
            .metadata()
            .get("pandas")
            .and_then(|t| crate::pyjson::loads(t).ok());
        let index_columns: std::collections::HashSet<String> =
            match pandas.as_ref().and_then(|p| p.get("index_columns")) {
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(|v| match v {
                        Value::Str(s) => Some(s.clone()),
                        _ => None, // RangeIndex descriptors
                    })
                    .collect(),
                _ => Default::default(),
            };
        let mut restored = HashMap::new();
        if let Some(Value::List(cols)) = pandas.as_ref().and_then(|p| p.get("columns")) {
            for c in cols {
                if let (Some(Value::Str(f)), Some(Value::Str(t))) =
                    (c.get("field_name"), c.get("numpy_type"))
                {
                    if RESTORED_DTYPES.contains(&t.as_str()) {
                        restored.insert(f.clone(), t.clone());
                    } else {
                        restored.remove(f);
                    }
                }
            }
        }
        let columns = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| !index_columns.contains(f.name()))
            .map(|(i, f)| (i, column_label(f)))
            .collect();
        PandasPlan {
            index_columns,
            restored,
            columns,
        }
    }

    /// The DataFrame's columns, in order: for each field of the schema that is not an index
    /// column, its index in the schema and its pandas label ([`column_label`]).
    pub fn columns(&self) -> &[(usize, ColumnName)] {
        &self.columns
    }

    /// A batch as pandas shows it. The batch may hold only some of the schema's fields (a
    /// projection); fields are matched by name. The batch's schema metadata is kept.
    pub fn apply(
        &self,
        batch: arrow_array::RecordBatch,
    ) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
        let schema = batch.schema();
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for (field, column) in schema.fields().iter().zip(batch.columns()) {
            if self.index_columns.contains(field.name()) {
                continue;
            }
            let mut md = field.metadata().clone();
            let mut column = column.clone();
            let text_or_bool = matches!(
                field.data_type(),
                ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View | ArrowType::Boolean
            );
            let restored = self
                .restored
                .get(field.name())
                .filter(|t| t.as_str() != "object" || text_or_bool);
            if md.contains_key(PANDAS_DTYPE_KEY) {
                // Already in signet's conventions.
            } else if let Some(d) = restored {
                md.insert(PANDAS_DTYPE_KEY.to_string(), d.clone());
            } else if column.null_count() > 0 && field.data_type().is_integer() {
                column = arrow_cast::cast(&column, &ArrowType::Float64)?;
            } else if column.null_count() > 0 && field.data_type() == &ArrowType::Boolean {
                md.insert(PANDAS_DTYPE_KEY.to_string(), "object".to_string());
            }
            fields
                .push(Field::new(field.name(), column.data_type().clone(), true).with_metadata(md));
            columns.push(column);
        }
        let rows = batch.num_rows();
        arrow_array::RecordBatch::try_new_with_options(
            Arc::new(arrow_schema::Schema::new(fields).with_metadata(schema.metadata().clone())),
            columns,
            &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
        )
    }
}

/// What pyarrow's `Table.to_pandas()` gives for a batch read from a Parquet or Arrow file, in
/// signet's conventions: the [`PandasPlan`] of the batch's own schema applied to it.
pub fn pandas_view(
    batch: arrow_array::RecordBatch,
) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    PandasPlan::new(&batch.schema()).apply(batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float64Array, Int64Array};

    #[test]
    fn dtypes_and_values() {
        let ints: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), None]));
        let f = Field::new("a", ints.data_type().clone(), true);
        assert_eq!(pandas_dtype(&f, ints.as_ref()), "Int64");
        assert_eq!(object_values(&f, ints.as_ref())[1], Value::NA);
        let floats: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.0), None]));
        let f = Field::new("a", floats.data_type().clone(), true);
        assert_eq!(pandas_dtype(&f, floats.as_ref()), "float64");
        assert!(has_missing(&f, floats.as_ref()));
        assert_eq!(
            array_value(floats.as_ref(), 0),
            Value::Numpy(NumpyDtype::Float64, Box::new(Value::Float(1.0)))
        );
    }

    #[test]
    fn pandas_plan_follows_the_metadata() {
        use arrow_array::{BooleanArray, RecordBatch};
        use arrow_schema::Schema as ArrowSchema;
        let pandas = r#"{"index_columns": ["__index_level_0__"], "columns": [
            {"field_name": "a", "numpy_type": "Int64"},
            {"field_name": "d", "numpy_type": "object"},
            {"field_name": "e", "numpy_type": "Int64"},
            {"field_name": "e", "numpy_type": "int64"},
            {"field_name": "__index_level_0__", "numpy_type": "int64"}]}"#;
        let ints = |v: Vec<Option<i64>>| -> ArrayRef { Arc::new(Int64Array::from(v)) };
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("a", ints(vec![Some(1), None])),
            ("b", ints(vec![Some(1), None])),
            ("c", Arc::new(BooleanArray::from(vec![Some(true), None]))),
            ("d", ints(vec![Some(1), Some(2)])),
            ("e", ints(vec![Some(1), None])),
            ("__index_level_0__", ints(vec![Some(0), Some(1)])),
        ];
        let schema = Arc::new(
            ArrowSchema::new(
                columns
                    .iter()
                    .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
                    .collect::<Vec<_>>(),
            )
            .with_metadata([("pandas".to_string(), pandas.to_string())].into()),
        );
        let batch = RecordBatch::try_new(
            schema.clone(),
            columns.into_iter().map(|(_, a)| a).collect(),
        )
        .unwrap();
        let plan = PandasPlan::new(&schema);
        let labels: Vec<String> = plan.columns().iter().map(|(_, l)| l.as_text()).collect();
        assert_eq!(labels, ["a", "b", "c", "d", "e"]);
        let dtypes = |b: &RecordBatch| -> Vec<String> {
            b.schema()
                .fields()
                .iter()
                .zip(b.columns())
                .map(|(f, a)| pandas_dtype(f, a.as_ref()))
                .collect()
        };
        let view = plan.apply(batch.clone()).unwrap();
        assert_eq!(view.schema().metadata(), schema.metadata());
        assert_eq!(
            dtypes(&view),
            ["Int64", "float64", "object", "int64", "float64"]
        );
        assert_eq!(dtypes(&pandas_view(batch.clone()).unwrap()), dtypes(&view));
        // A projection of the fields, as `signet check` reads them.
        // (`e` is named twice in the metadata: the last entry, `int64`, decides.)
        let view = plan.apply(batch.project(&[4, 5]).unwrap()).unwrap();
        assert_eq!(dtypes(&view), ["float64"]);
    }

    #[test]
    fn object_columns_round_trip() {
        let vals = vec![
            Value::Int(1),
            Value::str("a"),
            Value::None,
            Value::Float(f64::NAN),
        ];
        let (f, a) = object_column("x", &vals);
        assert!(is_json_field(&f));
        assert_eq!(pandas_dtype(&f, a.as_ref()), "object");
        let back = object_values(&f, a.as_ref());
        assert_eq!(back[..3], vals[..3]);
        assert!(matches!(back[3], Value::Float(x) if x.is_nan()));
        let (f, a) = object_column("s", &[Value::str("a"), Value::None]);
        assert_eq!(pandas_dtype(&f, a.as_ref()), "object");
        assert_eq!(object_values(&f, a.as_ref())[1], Value::None);
        let label = Field::new("0", arrow_schema::DataType::Int64, true).with_metadata(
            [(LABEL_KIND_KEY.to_string(), "int".to_string())]
                .into_iter()
                .collect(),
        );
        assert_eq!(column_label(&label), ColumnName::Int(0));
    }
}
