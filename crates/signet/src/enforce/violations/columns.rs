//! Typed columns: which cells of a refused scalar or composite column are the cause.

use super::*;

/// One column of a batch, with its label.
pub(super) struct Column {
    pub(super) field: Arc<Field>,
    pub(super) array: ArrayRef,
    pub(super) name: String,
}

impl Column {
    pub(super) fn of(batch: &RecordBatch, i: usize) -> Column {
        let field = batch.schema().fields()[i].clone();
        let name = table::column_label(&field).as_text();
        Column {
            array: batch.column(i).clone(),
            field,
            name,
        }
    }

    /// The one-column DataFrame enforcement is run on.
    pub(super) fn frame(&self) -> Option<RecordBatch> {
        table::frame_of(
            vec![self.field.clone()],
            vec![self.array.clone()],
            self.array.len(),
        )
        .ok()
    }
}

pub(super) fn labels_of(batch: &RecordBatch) -> Vec<ColumnName> {
    table::column_labels(batch)
}

/// A signature whose inputs are the one spec.
pub(super) fn one_column_signature(spec: &ColSpec) -> Option<ModelSignature> {
    let schema = Schema::columns(vec![spec.clone()]).ok()?;
    ModelSignature::new(Some(schema), None, None).ok()
}

/// Enforcement's verdict on a one-column frame.
pub(super) fn verdict(
    sig: &ModelSignature,
    frame: RecordBatch,
    compat: Compat,
) -> Result<(), EnforceError> {
    enforce(Some(sig), ModelInput::Table(frame), None, compat).map(|_| ())
}

pub(super) fn column_level(name: &str, reason: String, refusal: Option<Arc<str>>) -> Violation {
    Violation {
        column: name.to_string(),
        row: None,
        value: None,
        reason,
        refusal,
    }
}

pub(super) fn check_column(
    spec: &ColSpec,
    col: &Column,
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) {
    let (Some(sig), Some(frame)) = (one_column_signature(spec), col.frame()) else {
        return;
    };
    let Err(refusal) = verdict(&sig, frame.clone(), compat) else {
        return;
    };
    let message: Arc<str> = Arc::from(refusal.message());
    // A refusal naming a row is Strict mode's own (its row is 0-based within the batch): the
    // row-level reasons say it for every row instead.
    let shared = refusal.location.row.is_none().then(|| message.clone());
    let before = out.len();
    match &spec.ty {
        ColType::Scalar(t) => pinpoint_scalar(*t, col, row_offset, shared.as_ref(), out),
        ColType::Any => {}
        _ => {
            // Composite types are enforced cell by cell in MLflow: so is the pinpointing.
            let values = table::object_values(&col.field, col.array.as_ref());
            for (i, value) in values.iter().enumerate() {
                if let Err(e) = verdict(&sig, frame.slice(i, 1), compat) {
                    out.push(Violation {
                        column: col.name.clone(),
                        row: Some(row_offset + i),
                        value: Some(show(value)),
                        reason: without_row(&e),
                        refusal: shared.clone(),
                    });
                }
            }
        }
    }
    if out.len() == before {
        out.push(column_level(&col.name, message.to_string(), shared));
    }
}

/// Enforcement's message for a one-row slice, without the (always 0) row Strict mode's
/// messages name: the violation carries the real row.
pub(super) fn without_row(e: &EnforceError) -> String {
    let message = e.message();
    match e.location.row {
        Some(r) => message
            .replacen(&format!(" at row {r} of "), " of ", 1)
            .replacen(&format!(" (row {r}: "), " (", 1),
        None => message.to_string(),
    }
}

/// The Python value as the report shows it: numpy scalars as plain numbers, everything else as
/// Python's `repr`.
pub fn show(v: &Value) -> String {
    match v {
        Value::Numpy(_, inner) => show(inner),
        other => py_repr(other),
    }
}

/// The plain Python value under a numpy scalar.
pub(super) fn plain(v: &Value) -> &Value {
    match v {
        Value::Numpy(_, inner) => plain(inner),
        other => other,
    }
}

/// The value range of an MLflow integer type: int32's for `integer`, int64's otherwise.
pub(super) fn int_range(t: DataType) -> (i128, i128) {
    let dtype = if t == DataType::Integer {
        NumpyDtype::Int32
    } else {
        NumpyDtype::Int64
    };
    dtype
        .int_bounds()
        .unwrap_or((i64::MIN.into(), i64::MAX.into()))
}

/// What kind of value a Python value is, for reasons (`a string`, `a float`, ...).
pub(super) fn kind_of(v: &Value) -> String {
    match plain(v) {
        Value::Str(_) => "text".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Int(_) => "an integer".into(),
        Value::Float(_) => "a float".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::List(_) | Value::Tuple(_) | Value::Ndarray(_) => "a list".into(),
        Value::Dict(_) => "a dict".into(),
        Value::Date(_) => "a date".into(),
        Value::DateTime(_) | Value::Timestamp(_) | Value::Datetime64(..) => "a datetime".into(),
        other => format!("a {}", other.type_name()),
    }
}

/// Why a cell of a refused scalar column is itself a cause of the refusal, if it is.
///
/// `object` says whether the column is an `object` column (cells typed one by one);
/// `has_float` whether it holds a float value (then ints in it are floats to pandas).
pub(super) fn scalar_cell_problem(
    t: DataType,
    v: &Value,
    object: bool,
    has_float: bool,
) -> Option<String> {
    let target = t.name();
    if v.is_missing() {
        return match t {
            DataType::Long | DataType::Integer => {
                Some("missing value: integer columns cannot hold missing values".into())
            }
            DataType::Boolean if !object => {
                Some("missing value: a bool column cannot hold missing values".into())
            }
            _ => None,
        };
    }
    let v = plain(v);
    match t {
        DataType::Long | DataType::Integer => match v {
            Value::Int(i) => {
                let (lo, hi) = int_range(t);
                (*i < lo || *i > hi).then(|| format!("{i} is out of the {} range", t.numpy_text()))
            }
            Value::Float(f) if !f.is_finite() => {
                Some(format!("{} is not a finite number", show(v)))
            }
            Value::Float(f) if f.fract() != 0.0 => {
                Some("not an integer: it has a fractional part".into())
            }
            Value::Float(_) if object => Some("a float, not an integer".into()),
            Value::Float(_) => None,
            other if object => Some(format!("{}, not an integer", kind_of(other))),
            _ => None,
        },
        DataType::Double | DataType::Float => match v {
            Value::Float(_) => None,
            Value::Int(i) if object && !has_float && !(*i == 0 || *i == 1) => Some(format!(
                "an integer, not a {target}: MLflow converts integer columns to {target} only \
                 when every value is 0 or 1 (write {i}.0)"
            )),
            Value::Int(_) => None,
            other if object => Some(format!("{}, not a number", kind_of(other))),
            _ => None,
        },
        DataType::Boolean => match v {
            Value::Bool(_) => None,
            other if object => Some(format!("{}, not a boolean", kind_of(other))),
            _ => None,
        },
        DataType::String => match v {
            Value::Str(_) => None,
            // A list of strings is one cell MLflow passes on (a dict input's list value).
            Value::List(items) if items.iter().all(|i| matches!(i, Value::Str(_))) => None,
            other if object => Some(format!("{}, not a string", kind_of(other))),
            _ => None,
        },
        DataType::Binary => match v {
            Value::Str(_) | Value::Bytes(_) => None,
            other if object => Some(format!("{}, not bytes", kind_of(other))),
            _ => None,
        },
        DataType::Datetime => match v {
            Value::Date(_) | Value::DateTime(_) | Value::Timestamp(_) | Value::Datetime64(..) => {
                None
            }
            Value::Str(_) if object => {
                Some("text, not a datetime (MLflow's predict does not parse datetime text)".into())
            }
            other if object => Some(format!("{}, not a datetime", kind_of(other))),
            _ => None,
        },
    }
}

pub(super) fn pinpoint_scalar(
    t: DataType,
    col: &Column,
    row_offset: usize,
    refusal: Option<&Arc<str>>,
    out: &mut Vec<Violation>,
) {
    let object = table::pandas_dtype(&col.field, col.array.as_ref()) == "object";
    let values = table::object_values(&col.field, col.array.as_ref());
    let has_float = object
        && values
            .iter()
            .any(|v| matches!(plain(v), Value::Float(f) if !f.is_nan()));
    for (i, v) in values.iter().enumerate() {
        if let Some(reason) = scalar_cell_problem(t, v, object, has_float) {
            out.push(Violation {
                column: col.name.clone(),
                row: Some(row_offset + i),
                value: Some(show(v)),
                reason,
                refusal: refusal.cloned(),
            });
        }
    }
}
