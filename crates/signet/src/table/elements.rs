//! The elements of an Arrow column as Python sees them: numpy scalars when iterating an array
//! ([`array_value`]), plain Python values as `Series.tolist()` gives them ([`object_values`]),
//! and pandas' missing values.

use super::{dtype_info, is_json_field};
use crate::types::{NumpyDtype, TimeUnit};
use crate::value::{Tensor, TensorData, Value};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::Array;
use arrow_schema::{DataType as ArrowType, Field, TimeUnit as ArrowUnit};
use chrono::{DateTime, NaiveDate, NaiveDateTime};

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

/// The text at `i` of a Utf8, LargeUtf8 or Utf8View array (`None` for other arrays; a null
/// slot gives what Arrow stores there).
pub(crate) fn str_at(array: &dyn Array, i: usize) -> Option<&str> {
    match array.data_type() {
        ArrowType::Utf8 => Some(array.as_string_opt::<i32>()?.value(i)),
        ArrowType::LargeUtf8 => Some(array.as_string_opt::<i64>()?.value(i)),
        ArrowType::Utf8View => Some(array.as_string_view_opt()?.value(i)),
        _ => None,
    }
}

/// The bytes at `i` of a Binary, LargeBinary, BinaryView or FixedSizeBinary array (`None` for
/// other arrays; a null slot gives what Arrow stores there).
pub(crate) fn bytes_at(array: &dyn Array, i: usize) -> Option<&[u8]> {
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
        t if t.is_integer() => int_at(array, i).map(Value::Int).unwrap_or(Value::None),
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

/// The cells of a column as pandas' `Series.tolist()` gives them: plain Python values, with the
/// dtype's missing-value marker for nulls (`None` for `object`, NaN for numpy floats, `str` and
/// `category`, `pd.NA` for nullable extension dtypes and `string`, `NaT` for datetimes).
/// `arrow.json` cells are decoded from their Elem text.
pub fn object_values(field: &Field, array: &dyn Array) -> Vec<Value> {
    let info = dtype_info(field, array);
    let marker = info.missing_value();
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

/// Elements of a [`Tensor`] as Python values: the Arrow reading of [`array_value`].
impl Tensor {
    /// The element at flat position `i` as a Python value (a numpy scalar for numeric dtypes).
    pub fn element(&self, i: usize) -> Value {
        match &self.data {
            TensorData::Object(v) => v[i].clone(),
            TensorData::Arrow(a) => array_value(a.as_ref(), i),
        }
    }

    /// The nested-list form (`ndarray.tolist()`), elements as plain Python values.
    pub fn to_list(&self) -> Value {
        fn build(t: &Tensor, dim: usize, offset: &mut usize) -> Value {
            if dim == t.shape.len() {
                let v = t.element(*offset);
                *offset += 1;
                return match v {
                    Value::Numpy(_, inner) => *inner,
                    other => other,
                };
            }
            Value::List(
                (0..t.shape[dim])
                    .map(|_| build(t, dim + 1, offset))
                    .collect(),
            )
        }
        let mut offset = 0;
        build(self, 0, &mut offset)
    }
}
