//! docs/enforcement.md#normalising-column-input: any model input turned into the DataFrame a column-based schema needs,
//! as MLflow's `_enforce_schema` builds it with pandas' constructors.

use super::build;
use super::Col;
use crate::enforce::{EnforceError, ErrorKind};
use crate::input::{ModelInput, Tensor, TensorData};
use crate::types::{ColSpec, ColType, ColumnName, NumpyDtype};
use crate::value::Value;
use arrow_array::RecordBatch;
use std::sync::Arc;

/// A DataFrame under construction: its columns and row count, and the record batch it came
/// from when the input already was one.
pub(crate) struct Frame {
    /// The columns, in frame order.
    pub cols: Vec<Col>,
    /// The number of rows.
    pub rows: usize,
    /// The input batch, when the input was a DataFrame.
    pub batch: Option<RecordBatch>,
}

fn invalid(message: impl Into<String>) -> EnforceError {
    EnforceError::new(ErrorKind::InvalidInput, message)
}

/// A pandas construction error MLflow wraps in its "error casting" message.
fn casting(message: &str) -> EnforceError {
    invalid(format!(
        "This model contains a column-based signature, which suggests a DataFrame input. There \
         was an error casting the input data to a DataFrame: {message}"
    ))
}

/// A pandas construction error that escapes unformatted.
fn raw(class: &'static str, message: impl Into<String>) -> EnforceError {
    invalid(message).exception(class)
}

fn not_a_frame(type_name: &str) -> EnforceError {
    invalid(format!(
        "Expected input to be DataFrame. Found: {type_name}"
    ))
}

/// `np.isscalar(v) or v is None`.
fn is_scalar_or_none(v: &Value) -> bool {
    matches!(v, Value::None) || crate::numpy::is_scalar(v)
}

use crate::table::label_of_value as key_label;

/// Normalises `input` into a frame (`specs` decide how a dict is read).
pub(crate) fn normalise(input: ModelInput, specs: &[ColSpec]) -> Result<Frame, EnforceError> {
    match input {
        ModelInput::Table(batch) => {
            let cols = crate::table::fields_and_columns(&batch)
                .map(|(f, a)| Col {
                    field: f.clone(),
                    array: a.clone(),
                })
                .collect();
            Ok(Frame {
                cols,
                rows: batch.num_rows(),
                batch: Some(batch),
            })
        }
        ModelInput::Series(s) => {
            let field = crate::table::series_field(&s);
            let rows = s.values.len();
            Ok(Frame {
                cols: vec![Col {
                    field: Arc::new(field),
                    array: s.values,
                }],
                rows,
                batch: None,
            })
        }
        ModelInput::Tensor(t) => tensor_frame(&t),
        ModelInput::TensorDict(items) => dict_frame(
            items
                .into_iter()
                .map(|(k, t)| (Value::Str(k), Value::Ndarray(Box::new(t))))
                .collect(),
            specs,
        ),
        ModelInput::Sparse(m) => Err(not_a_frame(if m.csr { "csr_matrix" } else { "csc_matrix" })),
        ModelInput::Value(v) => value_frame(v, specs),
    }
}

fn value_frame(v: Value, specs: &[ColSpec]) -> Result<Frame, EnforceError> {
    match v {
        Value::None => Err(not_a_frame("NoneType")),
        v if is_scalar_or_none(&v) => Ok(Frame {
            cols: vec![build::column(&ColumnName::Int(0), &[v], true)],
            rows: 1,
            batch: None,
        }),
        Value::Dict(items) => dict_frame(items, specs),
        Value::List(items) => list_frame(items),
        Value::Ndarray(t) => tensor_frame(&t),
        other => Err(not_a_frame(&other.type_name())),
    }
}

/// A tensor whose data does not match its shape.
fn malformed() -> EnforceError {
    invalid("ndarray data does not match its shape")
}

/// `pd.DataFrame(ndarray)`.
fn tensor_frame(t: &Tensor) -> Result<Frame, EnforceError> {
    if !build::consistent(t) {
        return Err(malformed());
    }
    match t.shape.len() {
        0 => Err(raw(
            "ValueError",
            "DataFrame constructor not properly called!",
        )),
        1 | 2 => {
            let cols = build::tensor_columns(t)
                .ok_or_else(|| raw("ValueError", "could not build the DataFrame columns"))?;
            Ok(Frame {
                cols,
                rows: t.shape[0],
                batch: None,
            })
        }
        _ => Err(raw(
            "ValueError",
            format!(
                "Must pass 2-d input. shape={}",
                crate::repr::py_tuple(&t.shape.iter().map(|d| d.to_string()).collect::<Vec<_>>())
            ),
        )),
    }
}

/// `pd.DataFrame(list)`: records, rows of lists, or one column of values.
fn list_frame(items: Vec<Value>) -> Result<Frame, EnforceError> {
    let Some(first) = items.first() else {
        return Ok(Frame {
            cols: Vec::new(),
            rows: 0,
            batch: None,
        });
    };
    let rows = items.len();
    if matches!(first, Value::Dict(_)) {
        return records_frame(items);
    }
    let nested = match first {
        Value::List(_) | Value::Tuple(_) => true,
        Value::Ndarray(t) => t.shape.len() == 1,
        _ => false,
    };
    if !nested {
        return Ok(Frame {
            cols: vec![build::column(&ColumnName::Int(0), &items, true)],
            rows,
            batch: None,
        });
    }
    let mut table: Vec<Vec<Value>> = Vec::with_capacity(rows);
    for row in items {
        let cells = match row {
            Value::List(v) | Value::Tuple(v) => v,
            Value::Ndarray(t) if t.shape.len() == 1 && build::consistent(&t) => {
                (0..t.len()).map(|i| build::tensor_element(&t, i)).collect()
            }
            other => {
                return Err(raw(
                    "TypeError",
                    format!("'{}' object is not iterable", other.type_name()),
                ))
            }
        };
        table.push(cells);
    }
    let width = table.iter().map(Vec::len).max().unwrap_or(0);
    let cols = (0..width)
        .map(|j| {
            let values: Vec<Value> = table
                .iter()
                .map(|r| r.get(j).cloned().unwrap_or(Value::None))
                .collect();
            build::column(&ColumnName::Int(j as i64), &values, true)
        })
        .collect();
    Ok(Frame {
        cols,
        rows,
        batch: None,
    })
}

/// `pd.DataFrame(list_of_dicts)`: columns are the union of the keys in first-seen order, a
/// missing key is NaN.
fn records_frame(items: Vec<Value>) -> Result<Frame, EnforceError> {
    let rows = items.len();
    let mut keys = KeyUnion::default();
    // One list of cells per key, filled row by row (a repeated key's later value wins).
    let mut cells: Vec<Vec<Value>> = Vec::new();
    for (r, row) in items.into_iter().enumerate() {
        let Value::Dict(d) = row else {
            return Err(raw(
                "TypeError",
                format!("'{}' object is not iterable", row.type_name()),
            ));
        };
        for (k, v) in d {
            let j = keys.insert(&k);
            if j == cells.len() {
                cells.push(vec![Value::Float(f64::NAN); rows]);
            }
            cells[j][r] = v;
        }
    }
    let cols = keys
        .keys
        .iter()
        .zip(&cells)
        .map(|(k, values)| build::column(&key_label(k), values, true))
        .collect();
    Ok(Frame {
        cols,
        rows,
        batch: None,
    })
}

/// Dict keys in first-seen order, with a hashed look-up for string keys (the usual kind) so
/// that collecting the keys of wide dicts stays linear; other keys are compared one by one
/// (derived equality, as before: a string never equals a non-string).
#[derive(Default)]
struct KeyUnion {
    keys: Vec<Value>,
    strs: std::collections::HashMap<String, usize>,
    others: Vec<usize>,
}

impl KeyUnion {
    /// The position of `k`, if seen.
    fn position(&self, k: &Value) -> Option<usize> {
        match k {
            Value::Str(s) => self.strs.get(s).copied(),
            other => self
                .others
                .iter()
                .copied()
                .find(|&j| self.keys[j] == *other),
        }
    }

    /// The position of `k`, appended when new.
    fn insert(&mut self, k: &Value) -> usize {
        if let Some(j) = self.position(k) {
            return j;
        }
        let j = self.keys.len();
        match k {
            Value::Str(s) => {
                self.strs.insert(s.clone(), j);
            }
            _ => self.others.push(j),
        }
        self.keys.push(k.clone());
        j
    }
}

/// A dict value as `pd.DataFrame(dict)` sees it.
enum Part {
    /// A list-like of this many values.
    Values(Vec<Value>),
    /// A 1-D numpy array.
    Array(Tensor),
    /// A dict: a Series indexed by its keys.
    Keyed(Vec<(Value, Value)>),
    /// A scalar, broadcast.
    Scalar(Value),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Values(v) => v.len(),
            Part::Array(t) => t.len(),
            Part::Keyed(d) => d.len(),
            Part::Scalar(_) => 1,
        }
    }
}

/// A dict input: one row when the schema has Array/Object columns or every value is a scalar
/// or a list of strings, else `pd.DataFrame(dict)` (2-D arrays first turned into lists).
fn dict_frame(items: Vec<(Value, Value)>, specs: &[ColSpec]) -> Result<Frame, EnforceError> {
    let composite = specs.iter().any(|s| {
        matches!(
            s.ty,
            ColType::Array(_) | ColType::Object(_) | ColType::SparkMLVector
        )
    });
    let one_row = composite
        || items.iter().all(|(_, v)| {
            is_scalar_or_none(v)
                || matches!(v, Value::List(l) if l.iter().all(|x| matches!(x, Value::Str(_))))
        })
        || (!items.is_empty()
            && items.iter().all(|(_, v)| {
                matches!(v, Value::Ndarray(t) if t.dtype == NumpyDtype::Str && t.shape.is_empty())
            }));
    if one_row {
        let cols = items
            .iter()
            .map(|(k, v)| build::column(&key_label(k), std::slice::from_ref(v), true))
            .collect();
        return Ok(Frame {
            cols,
            rows: 1,
            batch: None,
        });
    }
    let mut parts: Vec<(ColumnName, Part)> = Vec::with_capacity(items.len());
    for (k, v) in items {
        let part = match v {
            Value::List(l) | Value::Tuple(l) => Part::Values(l),
            Value::Ndarray(t) if !build::consistent(&t) => return Err(malformed()),
            Value::Ndarray(t) => match t.shape.len() {
                0 => Part::Scalar(build::tensor_element(&t, 0)),
                1 => Part::Array(*t),
                _ => match t.to_list() {
                    Value::List(l) => Part::Values(l),
                    other => Part::Scalar(other),
                },
            },
            Value::Dict(d) => Part::Keyed(d),
            other => Part::Scalar(other),
        };
        parts.push((key_label(&k), part));
    }
    let keyed = parts.iter().any(|(_, p)| matches!(p, Part::Keyed(_)));
    let listed = parts
        .iter()
        .any(|(_, p)| matches!(p, Part::Values(_) | Part::Array(_)));
    if keyed && listed {
        return Err(casting(
            "Mixing dicts with non-Series may lead to ambiguous ordering.",
        ));
    }
    if keyed {
        let mut index = KeyUnion::default();
        for (_, p) in &parts {
            if let Part::Keyed(d) = p {
                for (k, _) in d {
                    index.insert(k);
                }
            }
        }
        let rows = index.keys.len();
        let cols = parts
            .into_iter()
            .map(|(label, p)| {
                let values: Vec<Value> = match p {
                    Part::Keyed(d) => {
                        // A repeated key's later value wins.
                        let mut values = vec![Value::Float(f64::NAN); rows];
                        for (k, v) in d {
                            if let Some(j) = index.position(&k) {
                                values[j] = v;
                            }
                        }
                        values
                    }
                    Part::Scalar(s) => vec![s; rows],
                    Part::Values(v) => v,
                    Part::Array(t) => (0..t.len()).map(|i| build::tensor_element(&t, i)).collect(),
                };
                build::column(&label, &values, true)
            })
            .collect();
        return Ok(Frame {
            cols,
            rows,
            batch: None,
        });
    }
    if !listed {
        return Err(casting(
            "If using all scalar values, you must pass an index",
        ));
    }
    let rows = parts
        .iter()
        .find(|(_, p)| !matches!(p, Part::Scalar(_)))
        .map(|(_, p)| p.len())
        .unwrap_or(0);
    if parts
        .iter()
        .any(|(_, p)| !matches!(p, Part::Scalar(_)) && p.len() != rows)
    {
        return Err(casting("All arrays must be of the same length"));
    }
    let cols = parts
        .into_iter()
        .map(|(label, p)| match p {
            Part::Values(v) => build::column(&label, &v, true),
            Part::Array(t) => match t.data {
                TensorData::Arrow(a) => build::arrow_column(&label, a),
                TensorData::Object(v) => build::column(&label, &v, false),
            },
            Part::Scalar(s) => build::column(&label, &vec![s; rows], true),
            Part::Keyed(_) => build::object_col(&label, &[]),
        })
        .collect();
    Ok(Frame {
        cols,
        rows,
        batch: None,
    })
}
