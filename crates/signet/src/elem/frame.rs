//! DataFrame and Series Values: columns to and from Arrow, and whole [`ModelInput`]s.

use super::{err, tags::*, text::*};
use crate::input::{ModelInput, Series};
use crate::numpy::{float16_array, timestamp_array};
use crate::table;
use crate::types::{ColumnName, NumpyDtype, TimeUnit};
use crate::value::Value;
use crate::SchemaError;
use arrow_array::{Array, ArrayRef, Float32Array, Float64Array, RecordBatch};
use arrow_schema::Field;
use std::collections::HashMap;
use std::sync::Arc;

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
    crate::table::frame_of(fields, arrays, rows).map_err(|e| err(e.to_string()))
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

/// Params given as a dict of Python values (the corpus' params object, already decoded from
/// its Elems) as `(name, value)` pairs in order; a non-string key is named by its `str()`.
pub fn params_from_value(v: &Value) -> Result<Vec<(String, Value)>, SchemaError> {
    match v {
        Value::Dict(items) => Ok(items
            .iter()
            .map(|(k, v)| {
                let name = match k {
                    Value::Str(s) => s.clone(),
                    other => crate::repr::py_str_of(other),
                };
                (name, v.clone())
            })
            .collect()),
        other => Err(err(format!(
            "params is not a dict: {}",
            crate::repr::py_repr(other)
        ))),
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
            let columns = table::fields_and_columns(batch)
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
