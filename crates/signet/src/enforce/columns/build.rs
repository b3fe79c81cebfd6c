//! Columns built from Python values the way pandas types them, and the values a column yields
//! when Python iterates it.
//!
//! pandas' constructors (`pd.Series(list)`, `pd.DataFrame(list_of_dicts)`,
//! `pd.DataFrame(dict_of_lists)`) run `lib.maybe_convert_objects` over the values: only ints →
//! `int64` (`uint64` past `int64`), ints/floats with `None`/NaN → `float64`, only bools → `bool`,
//! strings with missing values → pandas 3's `str`, naive datetimes (with `None`/`NaT`) →
//! `datetime64[us]`, anything else (mixed, all-`None`, bytes, dates, containers, `pd.NA` with
//! numbers) → `object`. Object *arrays* (`pd.DataFrame(np.array([...], dtype=object))`) only
//! get the non-numeric part of that inference (strings and datetimes).

use super::Col;
use crate::input::{Tensor, TensorData};
use crate::table;
use crate::types::{ColumnName, NumpyDtype, TimeUnit};
use crate::value::Value;
use arrow_array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Float32Array, Float64Array, Int16Array, Int32Array,
    Int64Array, Int8Array, StringArray, TimestampMicrosecondArray, TimestampMillisecondArray,
    TimestampNanosecondArray, TimestampSecondArray, UInt16Array, UInt32Array, UInt64Array,
    UInt8Array,
};
use arrow_schema::{DataType as ArrowType, Field, TimeUnit as ArrowUnit};
use std::sync::Arc;

/// The dtype pandas gives a column built from Python values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inferred {
    /// `bool`
    Bool,
    /// `int64`
    Int64,
    /// `uint64` (non-negative ints past `int64`)
    UInt64,
    /// `float64`
    Float64,
    /// pandas 3's `str` (strings, missing values as NaN)
    Str,
    /// `datetime64[us]` (or `[ns]` when a value needs nanoseconds)
    Datetime { nanos: bool },
    /// `object`
    Object,
}

/// A numeric view of a Python value (Python or numpy int/float).
fn number(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        Value::Numpy(dt, inner) if dt.is_int() || dt.is_float() => match inner.as_ref() {
            Value::Int(i) => Some(Num::Int(*i)),
            Value::Float(f) => Some(Num::Float(*f)),
            _ => None,
        },
        _ => None,
    }
}

/// A number as pandas' inference sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    /// An integer (Python or numpy).
    Int(i128),
    /// A float (Python or numpy), NaN included.
    Float(f64),
}

fn is_bool(v: &Value) -> bool {
    matches!(v, Value::Bool(_)) || matches!(v, Value::Numpy(NumpyDtype::Bool, _))
}

fn bool_of(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Numpy(_, inner) => inner.is_truthy(),
        _ => false,
    }
}

fn is_datetime(v: &Value) -> bool {
    matches!(
        v,
        Value::DateTime(_) | Value::Timestamp(_) | Value::Datetime64(..)
    )
}

/// The dtype `pd.Series(values)` gets (`numeric`), or `pd.Series(np.array(values,
/// dtype=object))` (not `numeric`: only strings and datetimes are recognised).
pub(crate) fn infer(values: &[Value], numeric: bool) -> Inferred {
    let (mut none, mut nan, mut nat, mut na) = (false, false, false, false);
    let (mut bools, mut ints, mut floats, mut strs, mut dts) = (false, false, false, false, false);
    let (mut min, mut max) = (0i128, 0i128);
    let mut nanos = false;
    for v in values {
        match v {
            Value::None => none = true,
            Value::NaT => nat = true,
            Value::NA => na = true,
            Value::Str(_) => strs = true,
            v if is_bool(v) => bools = true,
            v if is_datetime(v) => {
                dts = true;
                let dt = match v {
                    Value::DateTime(d) | Value::Timestamp(d) | Value::Datetime64(d, _) => d,
                    _ => continue,
                };
                if chrono::Timelike::nanosecond(dt) % 1000 != 0 {
                    nanos = true;
                }
            }
            v => match number(v) {
                Some(Num::Int(i)) => {
                    if !ints {
                        (min, max) = (i, i);
                    }
                    ints = true;
                    min = min.min(i);
                    max = max.max(i);
                }
                Some(Num::Float(f)) => {
                    if f.is_nan() {
                        nan = true;
                    } else {
                        floats = true;
                    }
                }
                None => return Inferred::Object,
            },
        }
    }
    let numbers = ints || floats;
    if strs {
        return if numbers || bools || dts || nat {
            Inferred::Object
        } else {
            Inferred::Str
        };
    }
    if na {
        return Inferred::Object;
    }
    if dts {
        return if numbers || bools {
            Inferred::Object
        } else {
            Inferred::Datetime { nanos }
        };
    }
    if !numeric || nat {
        return Inferred::Object;
    }
    if bools {
        return if numbers || none || nan {
            Inferred::Object
        } else {
            Inferred::Bool
        };
    }
    if floats || nan || (ints && none) {
        return Inferred::Float64;
    }
    if ints {
        if min < i64::MIN as i128 || max > u64::MAX as i128 {
            return Inferred::Object;
        }
        if max > i64::MAX as i128 {
            return if min < 0 {
                Inferred::Object
            } else {
                Inferred::UInt64
            };
        }
        return Inferred::Int64;
    }
    Inferred::Object
}

pub(crate) use crate::table::labelled_field as field;

fn col(label: &ColumnName, array: ArrayRef, meta: &[(&str, &str)]) -> Col {
    Col {
        field: Arc::new(field(label, array.data_type().clone(), meta)),
        array,
    }
}

/// An `object` column holding exactly `values`.
pub(crate) fn object_col(label: &ColumnName, values: &[Value]) -> Col {
    let (f, array) = table::object_column(&label.as_text(), values);
    let f = table::with_label(f, label);
    Col {
        field: Arc::new(f),
        array,
    }
}

fn float_of(v: &Value) -> Option<f64> {
    match number(v)? {
        Num::Int(i) => Some(i as f64),
        Num::Float(f) if f.is_nan() => None,
        Num::Float(f) => Some(f),
    }
}

fn int_of(v: &Value) -> Option<i128> {
    match number(v)? {
        Num::Int(i) => Some(i),
        Num::Float(_) => None,
    }
}

/// Nanoseconds since the epoch of a naive datetime value (`None` when out of range).
pub(crate) fn datetime_nanos(v: &Value) -> Option<i64> {
    match v {
        Value::DateTime(d) | Value::Timestamp(d) | Value::Datetime64(d, _) => {
            d.and_utc().timestamp_nanos_opt()
        }
        Value::Date(d) => d
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp_nanos_opt(),
        _ => None,
    }
}

/// A column with the dtype pandas infers for `values` (see [`infer`]).
///
/// Values that are all numpy scalars of one numeric dtype keep it, as pandas keeps it
/// (`pd.DataFrame([{"a": np.int32(7)}])` is int32, so is a numpy scalar broadcast beside a
/// list; conformance/cases `scalar-inputs`).
pub(crate) fn column(label: &ColumnName, values: &[Value], numeric: bool) -> Col {
    if let Some(array) = shared_numpy_dtype(values).and_then(|dt| numpy_array(dt, values)) {
        return col(label, array, &[]);
    }
    build(label, values, infer(values, numeric))
}

/// The dtype every value is a numpy scalar of, if there is one.
fn shared_numpy_dtype(values: &[Value]) -> Option<NumpyDtype> {
    let Some(Value::Numpy(first, _)) = values.first() else {
        return None;
    };
    values
        .iter()
        .all(|v| matches!(v, Value::Numpy(dt, _) if dt == first))
        .then_some(*first)
}

/// A column of `values` typed as `kind` (values that do not fit are written as missing).
pub(crate) fn build(label: &ColumnName, values: &[Value], kind: Inferred) -> Col {
    let array: ArrayRef = match kind {
        Inferred::Bool => Arc::new(BooleanArray::from(
            values.iter().map(|v| Some(bool_of(v))).collect::<Vec<_>>(),
        )),
        Inferred::Int64 => Arc::new(Int64Array::from(
            values
                .iter()
                .map(|v| int_of(v).and_then(|i| i64::try_from(i).ok()))
                .collect::<Vec<_>>(),
        )),
        Inferred::UInt64 => Arc::new(UInt64Array::from(
            values
                .iter()
                .map(|v| int_of(v).and_then(|i| u64::try_from(i).ok()))
                .collect::<Vec<_>>(),
        )),
        Inferred::Float64 => Arc::new(Float64Array::from(
            values.iter().map(float_of).collect::<Vec<_>>(),
        )),
        Inferred::Str => Arc::new(StringArray::from(
            values.iter().map(Value::as_str).collect::<Vec<_>>(),
        )),
        Inferred::Datetime { nanos } => {
            let ns: Vec<Option<i64>> = values.iter().map(datetime_nanos).collect();
            if nanos {
                Arc::new(TimestampNanosecondArray::from(ns))
            } else {
                Arc::new(TimestampMicrosecondArray::from(
                    values
                        .iter()
                        .map(|v| match v {
                            Value::DateTime(d) | Value::Timestamp(d) | Value::Datetime64(d, _) => {
                                Some(d.and_utc().timestamp_micros())
                            }
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ))
            }
        }
        Inferred::Object => return object_col(label, values),
    };
    col(label, array, &[])
}

/// The one-element column `pd.Series(v)` makes of a numpy-scalar-like value (its numpy dtype
/// kept for numpy scalars).
pub(crate) fn scalar_column(v: &Value) -> Col {
    let label = ColumnName::Str(String::new());
    let array: ArrayRef = match v {
        Value::Numpy(..) => return column(&label, std::slice::from_ref(v), true),
        Value::Datetime64(d, unit) => {
            let us = d.and_utc();
            match unit {
                TimeUnit::Nano => Arc::new(TimestampNanosecondArray::from(vec![
                    us.timestamp_nanos_opt()
                ])),
                TimeUnit::Micro => {
                    Arc::new(TimestampMicrosecondArray::from(vec![us.timestamp_micros()]))
                }
                TimeUnit::Milli => {
                    Arc::new(TimestampMillisecondArray::from(vec![us.timestamp_millis()]))
                }
                _ => Arc::new(TimestampSecondArray::from(vec![us.timestamp()])),
            }
        }
        Value::Bytes(b) => Arc::new(BinaryArray::from_vec(vec![b.as_slice()])),
        other => return column(&label, std::slice::from_ref(other), true),
    };
    col(&label, array, &[])
}

/// The array of numpy scalars of dtype `dt` (`None` when one does not fit it, or for a dtype
/// that is not numeric).
fn numpy_array(dt: NumpyDtype, values: &[Value]) -> Option<ArrayRef> {
    use NumpyDtype as D;
    let inner = |v: &Value| match v {
        Value::Numpy(_, inner) => Some(inner.as_ref().clone()),
        _ => None,
    };
    let int = |v: &Value| match inner(v)? {
        Value::Int(i) => Some(i),
        Value::Bool(b) => Some(b as i128),
        _ => None,
    };
    let float = |v: &Value| match inner(v)? {
        Value::Float(f) => Some(f),
        Value::Int(i) => Some(i as f64),
        _ => None,
    };
    fn ints<T: TryFrom<i128>>(
        values: &[Value],
        int: impl Fn(&Value) -> Option<i128>,
    ) -> Option<Vec<T>> {
        values.iter().map(|v| T::try_from(int(v)?).ok()).collect()
    }
    let floats = || values.iter().map(float).collect::<Option<Vec<f64>>>();
    Some(match dt {
        D::Bool => Arc::new(BooleanArray::from(
            values
                .iter()
                .map(|v| inner(v).is_some_and(|i| i.is_truthy()))
                .collect::<Vec<_>>(),
        )),
        D::Int8 => Arc::new(Int8Array::from(ints::<i8>(values, int)?)),
        D::Int16 => Arc::new(Int16Array::from(ints::<i16>(values, int)?)),
        D::Int32 => Arc::new(Int32Array::from(ints::<i32>(values, int)?)),
        D::Int64 => Arc::new(Int64Array::from(ints::<i64>(values, int)?)),
        D::UInt8 => Arc::new(UInt8Array::from(ints::<u8>(values, int)?)),
        D::UInt16 => Arc::new(UInt16Array::from(ints::<u16>(values, int)?)),
        D::UInt32 => Arc::new(UInt32Array::from(ints::<u32>(values, int)?)),
        D::UInt64 => Arc::new(UInt64Array::from(ints::<u64>(values, int)?)),
        D::Float16 => Arc::new(crate::numpy::float16_array(
            &floats()?.into_iter().map(Some).collect::<Vec<_>>(),
        )),
        D::Float32 => Arc::new(Float32Array::from(
            floats()?.into_iter().map(|f| f as f32).collect::<Vec<_>>(),
        )),
        D::Float64 => Arc::new(Float64Array::from(floats()?)),
        _ => return None,
    })
}

/// The numpy dtype of a nullable extension column's values (`Int64` → `int64`).
fn nullable_numpy(dt: &ArrowType) -> Option<NumpyDtype> {
    use NumpyDtype as D;
    Some(match dt {
        ArrowType::Boolean => D::Bool,
        ArrowType::Int8 => D::Int8,
        ArrowType::Int16 => D::Int16,
        ArrowType::Int32 => D::Int32,
        ArrowType::Int64 => D::Int64,
        ArrowType::UInt8 => D::UInt8,
        ArrowType::UInt16 => D::UInt16,
        ArrowType::UInt32 => D::UInt32,
        ArrowType::UInt64 => D::UInt64,
        ArrowType::Float32 => D::Float32,
        ArrowType::Float64 => D::Float64,
        _ => return None,
    })
}

/// The values Python gets by iterating the column (`for obj in series`): Python scalars for
/// numpy dtypes (NaN for missing floats), numpy scalars and `pd.NA` for nullable extension
/// dtypes, `str` (NaN or `pd.NA` for missing), `Timestamp`/`NaT` for datetimes, the objects of
/// `object` columns.
pub(crate) fn iter_values(field: &Field, array: &dyn Array) -> Vec<Value> {
    let info = table::dtype_info(field, array);
    if info.is_nullable_extension() {
        if let Some(dt) = nullable_numpy(array.data_type()) {
            return (0..array.len())
                .map(|i| {
                    if array.is_null(i) {
                        Value::NA
                    } else {
                        Value::Numpy(dt, Box::new(table::py_value(None, array, i)))
                    }
                })
                .collect();
        }
    }
    table::object_values(field, array)
}

/// The element at `i` of a converted column as `series[i]` gives it: numpy scalars for bool and
/// numeric dtypes, `Timestamp` for datetimes, the object itself for `object` columns.
pub(crate) fn element(c: &Col, i: usize) -> Value {
    let array = c.array.as_ref();
    let info = table::dtype_info(&c.field, array);
    if info.name == "object" || info.is_nullable_extension() || info.kind == 'O' {
        return iter_values(&c.field, array)
            .into_iter()
            .nth(i)
            .unwrap_or(Value::None);
    }
    match table::array_value(array, i) {
        Value::Datetime64(d, _) => Value::Timestamp(d),
        other => other,
    }
}

/// Whether a tensor's data holds exactly as many elements as its shape says (tensors built
/// by hand may not).
pub(crate) fn consistent(t: &Tensor) -> bool {
    let Some(n) = t
        .shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
    else {
        return false;
    };
    match &t.data {
        TensorData::Arrow(a) => a.len() == n,
        TensorData::Object(v) => v.len() == n,
    }
}

/// The flat element `i` of a tensor (`None` when out of range).
pub(crate) fn tensor_element(t: &Tensor, i: usize) -> Value {
    match &t.data {
        TensorData::Object(v) => v.get(i).cloned().unwrap_or(Value::None),
        TensorData::Arrow(a) => table::array_value(a.as_ref(), i),
    }
}

/// The columns `pd.DataFrame(ndarray)` makes of a 1-D or 2-D array (`numeric` inference is
/// not applied to object arrays; strings and datetimes are recognised).
pub(crate) fn tensor_columns(t: &Tensor) -> Option<Vec<Col>> {
    let (rows, cols) = match t.shape.as_slice() {
        [n] => (*n, 1),
        [n, k] => (*n, *k),
        _ => return None,
    };
    let mut out = Vec::with_capacity(cols);
    for j in 0..cols {
        let label = ColumnName::Int(j as i64);
        let c = match &t.data {
            TensorData::Object(values) => {
                let vals: Vec<Value> = (0..rows)
                    .map(|r| values.get(r * cols + j).cloned().unwrap_or(Value::None))
                    .collect();
                column(&label, &vals, false)
            }
            TensorData::Arrow(a) => {
                let a = if cols == 1 {
                    a.clone()
                } else {
                    let idx = arrow_array::UInt64Array::from(
                        (0..rows).map(|r| (r * cols + j) as u64).collect::<Vec<_>>(),
                    );
                    arrow_select::take::take(a.as_ref(), &idx, None).ok()?
                };
                arrow_column(&label, a)
            }
        };
        out.push(c);
    }
    Some(out)
}

/// A column of numpy array values: the Arrow array as is, days (`Date32`) widened to
/// `datetime64[s]` as pandas stores them.
pub(crate) fn arrow_column(label: &ColumnName, a: ArrayRef) -> Col {
    let a = match a.data_type() {
        ArrowType::Date32 | ArrowType::Date64 => {
            arrow_cast::cast(a.as_ref(), &ArrowType::Timestamp(ArrowUnit::Second, None))
                .unwrap_or(a)
        }
        _ => a,
    };
    col(label, a, &[])
}
