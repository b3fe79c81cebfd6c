//! docs/enforcement.md#composite-columns: Array / Object / Map / Any / SparkML vector columns, enforced value by
//! value (`_enforce_type`), and the column rebuilt from the results as `pd.Series(results)`.
//!
//! The Array / Object / Map rules themselves are [`crate::enforce::nested`]'s; this module
//! supplies what a cell's scalars and arrays of scalars become (§5 applied to one-element and
//! one-array columns, then `to_numpy`).

use super::build;
use super::scalar::{self, classify, leaked, Pd};
use super::Col;
use crate::enforce::nested::{self, LeafError, Leaves};
use crate::enforce::{Compat, EnforceError, ErrorKind};
use crate::input::{Tensor, TensorData};
use crate::repr::{py_repr, py_str_of};
use crate::table;
use crate::types::{ColType, ColumnName, DataType, NumpyDtype};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int32Type, Int64Type, TimestampNanosecondType, UInt64Type,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryArray, BooleanArray, PrimitiveArray, StringArray,
    TimestampNanosecondArray,
};
use arrow_schema::DataType as ArrowType;
use std::sync::Arc;

fn mismatch(message: String) -> EnforceError {
    EnforceError::new(ErrorKind::IncompatibleType, message)
}

/// Enforces a composite column type on a column: every value enforced with `required`, the
/// results typed as pandas types `pd.Series(results)`. `Any` columns keep their values.
pub(crate) fn enforce_composite(
    c: Col,
    ty: &ColType,
    required: bool,
    compat: Compat,
) -> Result<Col, EnforceError> {
    let label = table::column_label(&c.field);
    if *ty == ColType::Any {
        return Ok(any_column(c, &label));
    }
    let values = build::iter_values(&c.field, c.array.as_ref());
    let mut results = Vec::with_capacity(values.len());
    for v in values {
        results.push(enforce_value(v, ty, required, compat)?);
    }
    Ok(build::column(&label, &results, true))
}

/// An `Any` column: `pd.Series(list(series))` — numpy integers widen to `int64`, floats to
/// `float64`, nullable dtypes lose their mask (or become `object` when they hold `pd.NA`),
/// `object` columns are re-inferred.
fn any_column(c: Col, label: &ColumnName) -> Col {
    let len = c.array.len();
    if len == 0 {
        return build::object_col(label, &[]);
    }
    let nulls = c.array.null_count() > 0;
    let pd = classify(&c.field, c.array.as_ref());
    let to = match pd {
        Pd::Bool | Pd::Str | Pd::Datetime { .. } => return c,
        Pd::StringNa => ArrowType::Utf8,
        Pd::Int { nullable, .. } | Pd::Float { nullable, .. } if nullable && nulls => {
            return values_column(&c, label)
        }
        Pd::Boolean if nulls => return values_column(&c, label),
        Pd::Boolean => ArrowType::Boolean,
        Pd::Int {
            bytes: 8,
            signed: false,
            ..
        } => {
            let fits = c
                .array
                .as_primitive_opt::<UInt64Type>()
                .is_some_and(|a| a.values().iter().all(|v| *v <= i64::MAX as u64));
            if fits {
                ArrowType::Int64
            } else {
                ArrowType::UInt64
            }
        }
        Pd::Int { .. } => ArrowType::Int64,
        Pd::Float { .. } => ArrowType::Float64,
        Pd::Object | Pd::Other(_) => return values_column(&c, label),
    };
    let unchanged = c.array.data_type() == &to && c.field.metadata().len() <= 1 && {
        let md = c.field.metadata();
        md.is_empty() || md.contains_key(table::LABEL_KIND_KEY)
    };
    if unchanged {
        return c;
    }
    match arrow_cast::cast(c.array.as_ref(), &to) {
        Ok(array) => Col {
            field: Arc::new(build::field(label, to, &[])),
            array,
        },
        Err(_) => values_column(&c, label),
    }
}

fn values_column(c: &Col, label: &ColumnName) -> Col {
    let values = build::iter_values(&c.field, c.array.as_ref());
    build::column(label, &values, true)
}

/// `data is None or data == {}` as Python evaluates it (an ndarray of other than one element
/// makes the comparison's truth value ambiguous).
fn none_or_empty_dict(v: &Value) -> Result<bool, EnforceError> {
    match v {
        Value::None => Ok(true),
        Value::Dict(d) => Ok(d.is_empty()),
        Value::Ndarray(t) if t.shape.iter().any(|&d| d != 1) => Err(leaked(
            "ValueError",
            if t.shape.contains(&0) {
                "The truth value of an empty array is ambiguous. Use `array.size > 0` to check \
                 that an array is not empty."
            } else {
                "The truth value of an array with more than one element is ambiguous. Use a.any() \
                 or a.all()"
            },
        )),
        _ => Ok(false),
    }
}

/// `_enforce_type(v, ty, required)` on one cell: the value the model receives, or MLflow's
/// failure.
pub(crate) fn enforce_value(
    v: Value,
    ty: &ColType,
    required: bool,
    compat: Compat,
) -> Result<Value, EnforceError> {
    nested::enforce_type(&Cells(compat), v, ty, required)
}

/// The cells of a DataFrame column: scalars go through §5 as one-element columns, arrays of
/// scalars as one column each; every failure is an [`EnforceError`].
struct Cells(Compat);

impl LeafError for EnforceError {
    fn mismatch(message: String, types: Option<(String, String)>) -> EnforceError {
        match types {
            Some((expected, found)) => mismatch(message).types(expected, found),
            None => mismatch(message),
        }
    }

    /// Strict mode's refusals name a row and escape `_enforce_object`'s re-raise.
    fn is_mlflow_exception(&self) -> bool {
        self.exception == "MlflowException" && self.location.row.is_none()
    }
}

impl Leaves for Cells {
    type Error = EnforceError;

    fn no_dict(&self, v: &Value, _object: bool) -> Result<bool, EnforceError> {
        none_or_empty_dict(v)
    }

    /// `_enforce_datatype`: a scalar run through §5 as a one-element column.
    fn scalar(&self, v: &Value, t: DataType) -> Result<Value, Option<EnforceError>> {
        let c = build::scalar_column(v);
        match scalar::enforce_scalar("", c, t, self.0) {
            Ok(out) => Ok(build::element(&out, 0)),
            Err(e) if self.is_mlflow_exception(&e) => Err(None),
            Err(e) => Err(Some(e)),
        }
    }

    fn scalar_items(&self, v: Value, t: DataType) -> Result<Value, EnforceError> {
        array_of_scalars(v, t, self.0)
    }
}

/// An array of scalars: `pd.Series(data)` enforced as one column (its name empty), then
/// `.to_numpy(dtype=T)` — a list comes back as a list of Python values, an ndarray as an
/// ndarray.
fn array_of_scalars(v: Value, t: DataType, compat: Compat) -> Result<Value, EnforceError> {
    let label = ColumnName::Str(String::new());
    let (c, tensor) = match &v {
        Value::List(items) => {
            if items.is_empty() {
                return Ok(v);
            }
            (build::column(&label, items, true), false)
        }
        Value::Ndarray(nd) => {
            if nd.is_empty() {
                return Ok(v);
            }
            if nd.shape.len() != 1 {
                return Err(leaked(
                    "ValueError",
                    format!(
                        "Data must be 1-dimensional, got ndarray of shape {} instead",
                        crate::repr::py_tuple(
                            &nd.shape.iter().map(|d| d.to_string()).collect::<Vec<_>>()
                        )
                    ),
                ));
            }
            let c = match &nd.data {
                TensorData::Arrow(a) => build::arrow_column(&label, a.clone()),
                TensorData::Object(values) => build::column(&label, values, false),
            };
            (c, true)
        }
        _ => return Ok(v),
    };
    let out = scalar::enforce_scalar("", c, t, compat)?;
    to_numpy(&out, t, tensor, compat)
}

/// A Strict-mode refusal of an array element MLflow's `to_numpy` would turn into something
/// else (`None` → `'None'`, `'nan'` or `False`, `1` → `'1'`).
fn strict_element(t: DataType, row: usize, v: &Value) -> EnforceError {
    let what = if v.is_missing() {
        "a missing value".to_string()
    } else {
        format!("{} ({})", py_repr(v), v.type_name())
    };
    mismatch(format!(
        "Incompatible input types for column . Can not safely convert element {row} to {}: \
         {what} would not be kept as it is.",
        t.numpy_text()
    ))
    .types(t.numpy_text(), v.type_name())
    .at(row, py_repr(v))
}

/// `series.to_numpy(dtype=T's numpy type)`, as a list of Python values or as an ndarray.
fn to_numpy(c: &Col, t: DataType, tensor: bool, compat: Compat) -> Result<Value, EnforceError> {
    let a = c.array.as_ref();
    let n = a.len();
    let pd = classify(&c.field, a);
    let strict = compat == Compat::Strict;
    let objects = || table::object_values(&c.field, a);
    let items: Vec<Value> = match t {
        DataType::Boolean => {
            if pd == Pd::Object {
                let objs = objects();
                let mut out = Vec::with_capacity(n);
                for (i, v) in objs.iter().enumerate() {
                    if strict && !matches!(v, Value::Bool(_) | Value::Numpy(NumpyDtype::Bool, _)) {
                        return Err(strict_element(t, i, v));
                    }
                    out.push(Value::Bool(v.is_truthy() && !v.is_missing()));
                }
                out
            } else {
                let b = a.as_boolean_opt();
                (0..n)
                    .map(|i| Value::Bool(b.is_some_and(|b| !b.is_null(i) && b.value(i))))
                    .collect()
            }
        }
        DataType::Integer | DataType::Long => (0..n)
            .map(|i| match table::py_value(None, a, i) {
                Value::Int(x) => Value::Int(x),
                Value::Float(f) => Value::Int(f as i128),
                Value::Bool(b) => Value::Int(b as i128),
                other => other,
            })
            .collect(),
        DataType::Float | DataType::Double => (0..n)
            .map(|i| {
                let f = match table::py_value(None, a, i) {
                    Value::Int(x) => x as f64,
                    Value::Float(f) => f,
                    Value::Bool(b) => b as u8 as f64,
                    _ => f64::NAN,
                };
                Value::Float(if t == DataType::Float {
                    f as f32 as f64
                } else {
                    f
                })
            })
            .collect(),
        DataType::String | DataType::Binary => {
            let texts = texts(c, pd, t, strict)?;
            if t == DataType::String {
                texts.into_iter().map(Value::Str).collect()
            } else {
                let mut out = Vec::with_capacity(texts.len());
                for s in texts {
                    if let Some(pos) = s.chars().position(|ch| !ch.is_ascii()) {
                        let ch = s.chars().nth(pos).unwrap_or('?');
                        return Err(leaked(
                            "UnicodeEncodeError",
                            format!(
                                "'ascii' codec can't encode character '\\x{:02x}' in position \
                                 {pos}: ordinal not in range(128)",
                                ch as u32
                            ),
                        ));
                    }
                    out.push(Value::Bytes(s.into_bytes()));
                }
                out
            }
        }
        DataType::Datetime => {
            let ts = a.as_primitive_opt::<TimestampNanosecondType>();
            (0..n)
                .map(|i| match ts {
                    Some(ts) if !ts.is_null(i) => Value::Int(ts.value(i) as i128),
                    _ => Value::None,
                })
                .collect()
        }
    };
    if !tensor {
        return Ok(Value::List(items));
    }
    let dtype = t.numpy_dtype();
    Ok(Value::Ndarray(Box::new(Tensor {
        dtype,
        shape: vec![n],
        data: TensorData::Arrow(ndarray_data(dtype, &items, c)),
    })))
}

/// The texts `to_numpy(dtype=str)` gives: a `str` column's strings, its missing values as
/// `'nan'` cut to the width of the longest string; an `object` column's values as `str(v)`.
fn texts(c: &Col, pd: Pd, t: DataType, strict: bool) -> Result<Vec<String>, EnforceError> {
    let a = c.array.as_ref();
    if pd == Pd::Object {
        let objs = table::object_values(&c.field, a);
        let mut out = Vec::with_capacity(objs.len());
        for (i, v) in objs.iter().enumerate() {
            let ok = match v {
                Value::Str(_) => true,
                Value::Bytes(_) => t == DataType::Binary,
                _ => false,
            };
            if strict && !ok {
                return Err(strict_element(t, i, v));
            }
            out.push(match v {
                Value::Bytes(b) if t == DataType::Binary => String::from_utf8_lossy(b).into_owned(),
                other => py_str_of(other),
            });
        }
        return Ok(out);
    }
    let n = a.len();
    let strs: Vec<Option<String>> = (0..n)
        .map(|i| match table::py_value(None, a, i) {
            Value::Str(s) => Some(s),
            Value::None => None,
            other => Some(py_str_of(&other)),
        })
        .collect();
    let width = strs
        .iter()
        .flatten()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = Vec::with_capacity(n);
    for (i, s) in strs.into_iter().enumerate() {
        match s {
            Some(s) => out.push(s),
            None => {
                if strict {
                    return Err(strict_element(t, i, &Value::None));
                }
                out.push("nan".chars().take(width).collect());
            }
        }
    }
    Ok(out)
}

/// The flat Arrow array of a converted ndarray.
fn ndarray_data(dtype: NumpyDtype, items: &[Value], c: &Col) -> ArrayRef {
    match dtype {
        NumpyDtype::Bool => Arc::new(BooleanArray::from(
            items.iter().map(|v| v.is_truthy()).collect::<Vec<_>>(),
        )),
        NumpyDtype::Int32 => primitive::<Int32Type>(c, items, true, |v| match v {
            Value::Int(i) => *i as i32,
            _ => 0,
        }),
        NumpyDtype::Int64 => primitive::<Int64Type>(c, items, true, |v| match v {
            Value::Int(i) => *i as i64,
            _ => 0,
        }),
        NumpyDtype::Float32 => primitive::<Float32Type>(c, items, false, |v| match v {
            Value::Float(f) => *f as f32,
            _ => f32::NAN,
        }),
        NumpyDtype::Float64 => primitive::<Float64Type>(c, items, false, |v| match v {
            Value::Float(f) => *f,
            _ => f64::NAN,
        }),
        NumpyDtype::Bytes => Arc::new(BinaryArray::from_vec(
            items
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => b.as_slice(),
                    _ => &[][..],
                })
                .collect(),
        )),
        NumpyDtype::Datetime64(_) => Arc::new(TimestampNanosecondArray::from(
            items
                .iter()
                .map(|v| match v {
                    Value::Int(i) => Some(*i as i64),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        _ => Arc::new(StringArray::from_iter_values(
            items.iter().map(|v| v.as_str().unwrap_or("")),
        )),
    }
}

/// `c`'s own array when it already holds `T` values (with nulls only when `keep_with_nulls`),
/// else `items` converted one by one into a new `T` array.
fn primitive<T: ArrowPrimitiveType>(
    c: &Col,
    items: &[Value],
    keep_with_nulls: bool,
    convert: impl Fn(&Value) -> T::Native,
) -> ArrayRef {
    match c.array.as_primitive_opt::<T>() {
        Some(_) if keep_with_nulls || c.array.null_count() == 0 => c.array.clone(),
        _ => Arc::new(PrimitiveArray::<T>::from_iter_values(
            items.iter().map(convert),
        )),
    }
}
