//! Validation of data against a signature's input schema that reports **every** problem, row by
//! row — what `signet check` prints — where [`crate::enforce::enforce`] stops at the first one.
//!
//! The decisions are enforcement's: each column of a batch is enforced on its own
//! ([`Compat::Strict`] unless told otherwise) and a column that enforcement accepts has no
//! violations. When it refuses a column, the offending rows are pinpointed:
//!
//! * scalar columns ([`DataType`]): the cells that are themselves the cause — missing values
//!   in `long`/`integer` (and non-object `boolean`) columns, fractional or non-finite numbers
//!   and out-of-range integers for integer types, and, in `object` columns (whose cells carry
//!   their own Python types, e.g. JSON records), every value of the wrong kind (`'1500'` text
//!   for a `long`, `1.5` or `True` for a `long`, `5` for a `string`, ...);
//! * Array / Object / Map columns: every cell is enforced on its own (MLflow enforces these
//!   cell by cell anyway), each refused cell with MLflow's message for it;
//! * when no cell is the cause — the column's *type* is (an `int64` column for `integer`, a
//!   `float64` column of integral values for `long`, a `float64` column for `float`) — one
//!   column-level [`Violation`] (`row: None`) carries MLflow's message.
//!
//! Presence (missing required columns, extra columns) is decided once per file by
//! [`presence`]; [`violations`] checks only the schema columns a batch has.
//!
//! [`violations_with`] and [`text_violations_with`] take the mode explicitly: in
//! [`Compat::Mlflow`] mode only what MLflow's own enforcement refuses is a violation (e.g. an
//! `object` column of mixed values for a `string` input, docs/divergences.md S1, passes).
//!
//! CSV cells are checked by [`text_violations`]: each cell is read as the type the schema
//! declares for its column (`pd.read_csv(dtype=...)`-style, not by whole-file type inference),
//! and a cell that cannot be that type is a violation at its row.
//!
//! Rows are 0-based positions in the data (`row_offset` + the row's index in the batch); the
//! CLI shows them 1-based.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Float64Array, RecordBatch};
//! use signet::check::violations;
//! use signet::{ColSpec, DataType, Schema};
//!
//! let schema = Schema::columns(vec![ColSpec::new("sqft", DataType::Long, true)]).unwrap();
//! let sqft: ArrayRef = Arc::new(Float64Array::from(vec![Some(1500.0), None, Some(1.5)]));
//! let batch = RecordBatch::try_from_iter([("sqft", sqft)]).unwrap();
//! // MLflow refuses the float64 column; the missing value and the fraction are the causes.
//! let found = violations(&schema, &batch, 100);
//! let rows: Vec<Option<usize>> = found.iter().map(|v| v.row).collect();
//! assert_eq!(rows, [Some(101), Some(102)]);
//! assert_eq!(found[1].value.as_deref(), Some("1.5"));
//! assert_eq!(
//!     found[0].refusal.as_deref(),
//!     Some("Incompatible input types for column sqft. Can not safely convert float64 to int64.")
//! );
//! ```

use crate::enforce::{enforce, Compat, EnforceError};
use crate::input::ModelInput;
use crate::pyjson;
use crate::repr::{self, py_repr};
use crate::table;
use crate::types::{
    ColSpec, ColType, ColumnName, DataType, ModelSignature, NumpyDtype, Schema, SchemaKind,
    TensorSpec,
};
use crate::value::Value;
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions, StringArray};
use arrow_schema::{DataType as ArrowType, Field, Schema as ArrowSchema};
use std::sync::Arc;

/// pandas' default `na_values` (`pandas._libs.parsers.STR_NA_VALUES`) plus the empty cell: CSV
/// cells [`text_violations`] reads as missing values.
pub const NA_TEXTS: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// One problem found in the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The column's label as text (MLflow's `str()` of it).
    pub column: String,
    /// The 0-based row (`row_offset` + index in the batch); `None` for a problem of the whole
    /// column (its type), which no single cell causes.
    pub row: Option<usize>,
    /// The offending value: the cell text as written for CSV cells, otherwise the value as
    /// Python shows it (`'1500'`, `1500.5`, `nan`, `None`, `[1, 'a']`); `None` with `row`.
    pub value: Option<String>,
    /// Why the value (or column) is refused.
    pub reason: String,
    /// MLflow's message refusing the column in this batch — what `predict` would raise (inner
    /// message, without the `Failed to enforce schema ...` wrapper). `None` for CSV cells that
    /// cannot be read as their type, and when the refusal is Strict mode's own and names one
    /// row (the row-level reasons then say it for every row).
    pub refusal: Option<Arc<str>>,
}

/// Which schema inputs a file has: the file-level part of the check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presence {
    /// Required inputs absent from the data, in schema order.
    pub missing: Vec<ColumnName>,
    /// Columns of the data the schema does not declare, in data order.
    pub extra: Vec<ColumnName>,
    /// MLflow's refusal when inputs are missing (`Model is missing inputs ['bedrooms']. Note
    /// that there were extra inputs: ['bathrooms'].`, or the positional count message).
    pub message: Option<String>,
    /// MLflow's warning about ignored extra columns, when there are some and nothing is
    /// missing.
    pub note: Option<String>,
}

impl Presence {
    /// Whether the data lacks a required input.
    pub fn is_refused(&self) -> bool {
        self.message.is_some()
    }
}

/// Checks which inputs of `schema` the data's column `labels` provide (ENFORCEMENT.md §3/§4):
/// missing required names, extra names and MLflow's messages about them.
pub fn presence(schema: &Schema, labels: &[ColumnName]) -> Presence {
    let list = |names: &[ColumnName]| {
        let reprs: Vec<String> = names.iter().map(repr::column_name).collect();
        format!("[{}]", reprs.join(", "))
    };
    if !schema.has_input_names() {
        // Unnamed: only the count of columns is checked (tensor: nothing to check).
        return match schema.kind() {
            SchemaKind::Columns(specs) if labels.len() < specs.len() => Presence {
                message: Some(format!(
                    "Model inference is missing inputs. The model signature declares {} inputs  \
                     but the provided value only has {} inputs. Note: the inputs were not named \
                     in the signature so we can only verify their count.",
                    specs.len(),
                    labels.len()
                )),
                ..Presence::default()
            },
            _ => Presence::default(),
        };
    }
    let names = schema.input_names();
    let required: Vec<bool> = match schema.kind() {
        SchemaKind::Columns(specs) => specs.iter().map(ColSpec::is_required).collect(),
        SchemaKind::Tensors(specs) => specs.iter().map(|_| true).collect(),
    };
    let missing: Vec<ColumnName> = names
        .iter()
        .zip(&required)
        .filter(|(n, req)| **req && !labels.contains(n))
        .map(|(n, _)| n.clone())
        .collect();
    let mut extra: Vec<ColumnName> = Vec::new();
    for label in labels.iter().filter(|l| !names.contains(l)) {
        if !extra.contains(label) {
            extra.push(label.clone());
        }
    }
    let mut out = Presence {
        missing,
        extra,
        ..Presence::default()
    };
    if !out.missing.is_empty() {
        let mut message = format!("Model is missing inputs {}.", list(&out.missing));
        if !out.extra.is_empty() {
            message.push_str(&format!(
                " Note that there were extra inputs: {}.",
                list(&out.extra)
            ));
        }
        out.message = Some(message);
    } else if !out.extra.is_empty() {
        out.note = Some(format!(
            "Found extra inputs in the model input that are not defined in the model signature: \
             `{}`. These inputs will be ignored.",
            list(&out.extra)
        ));
    }
    out
}

/// For each column spec, the index of the batch column it checks (by name for named schemas,
/// by position for unnamed ones); absent columns are left out.
pub fn matched_columns(specs: &[ColSpec], labels: &[ColumnName]) -> Vec<(usize, usize)> {
    let named = specs.first().is_some_and(|s| s.name.is_some());
    specs
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| {
            let column = if named {
                let name = spec.name.as_ref()?;
                labels.iter().position(|l| l == name)?
            } else {
                (i < labels.len()).then_some(i)?
            };
            Some((i, column))
        })
        .collect()
}

/// Every violation of `schema` in `batch` (a DataFrame in [`crate::table`]'s conventions), in
/// [`Compat::Strict`] mode. Rows are reported as `row_offset` + the row's index. See the
/// module docs for how rows are pinpointed; presence is [`presence`]'s job.
pub fn violations(schema: &Schema, batch: &RecordBatch, row_offset: usize) -> Vec<Violation> {
    violations_with(schema, batch, row_offset, Compat::Strict)
}

/// [`violations`] with an explicit [`Compat`] mode.
pub fn violations_with(
    schema: &Schema,
    batch: &RecordBatch,
    row_offset: usize,
    compat: Compat,
) -> Vec<Violation> {
    let labels = labels_of(batch);
    let mut out = Vec::new();
    match schema.kind() {
        SchemaKind::Columns(specs) => {
            for (spec, column) in matched_columns(specs, &labels) {
                let col = Column::of(batch, column);
                check_column(&specs[spec], &col, row_offset, compat, &mut out);
            }
        }
        SchemaKind::Tensors(specs) => {
            check_tensors(schema, specs, batch, compat, row_offset, &mut out)
        }
    }
    out
}

/// Every violation of `schema` in a batch of CSV cells: each column Utf8, a cell's text as
/// written (a null cell is absent, e.g. a short row). Each cell is read as its column's
/// declared type:
///
/// | type | a cell is valid when |
/// | --- | --- |
/// | `long` / `integer` | an integer (optional sign, surrounding spaces) in the int64 / int32 range; missing cells are refused |
/// | `double` / `float` | a number (`1.5`, `1e3`, `inf`), or missing |
/// | `boolean` | `True`/`TRUE`/`true`/`False`/`FALSE`/`false`, or missing |
/// | `string` / `binary` | always |
/// | `datetime` | an ISO date or naive date-time (`2020-01-01`, `2020-01-01 12:30:00.5`), or missing |
/// | Array / Object / Map | JSON text whose value MLflow accepts for the type (missing = `None`) |
/// | Any | always |
///
/// Missing cells are [`NA_TEXTS`] (pandas' NA strings, the empty cell). Tensor-based schemas
/// read each cell as the tensor's dtype (numbers, bools or text) and check shapes with
/// enforcement. Enforcement runs in [`Compat::Strict`] mode; see [`text_violations_with`].
pub fn text_violations(schema: &Schema, batch: &RecordBatch, row_offset: usize) -> Vec<Violation> {
    text_violations_with(schema, batch, row_offset, Compat::Strict)
}

/// [`text_violations`] with an explicit [`Compat`] mode: the mode of the enforcement that
/// judges Array / Object / Map cells (once parsed from their JSON text), non-text columns and
/// tensor columns. Scalar cells are read as their declared type in both modes.
pub fn text_violations_with(
    schema: &Schema,
    batch: &RecordBatch,
    row_offset: usize,
    compat: Compat,
) -> Vec<Violation> {
    let labels = labels_of(batch);
    let mut out = Vec::new();
    match schema.kind() {
        SchemaKind::Columns(specs) => {
            for (spec, column) in matched_columns(specs, &labels) {
                let spec = &specs[spec];
                let col = Column::of(batch, column);
                let Some(cells) = col.array.as_any().downcast_ref::<StringArray>() else {
                    // Not text after all: check it as typed data.
                    check_column(spec, &col, row_offset, compat, &mut out);
                    continue;
                };
                check_text_column(spec, &col, cells, row_offset, compat, &mut out);
            }
        }
        SchemaKind::Tensors(specs) => {
            let typed = tensor_text_batch(specs, batch, &labels, row_offset, compat, &mut out);
            if let Some(typed) = typed {
                check_tensors(schema, specs, &typed, compat, row_offset, &mut out);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// typed columns

/// One column of a batch, with its label.
struct Column {
    field: Arc<Field>,
    array: ArrayRef,
    name: String,
}

impl Column {
    fn of(batch: &RecordBatch, i: usize) -> Column {
        let field = batch.schema().fields()[i].clone();
        let name = table::column_label(&field).as_text();
        Column {
            array: batch.column(i).clone(),
            field,
            name,
        }
    }

    /// The one-column DataFrame enforcement is run on.
    fn frame(&self) -> Option<RecordBatch> {
        RecordBatch::try_new_with_options(
            Arc::new(ArrowSchema::new(vec![self.field.clone()])),
            vec![self.array.clone()],
            &RecordBatchOptions::new().with_row_count(Some(self.array.len())),
        )
        .ok()
    }
}

fn labels_of(batch: &RecordBatch) -> Vec<ColumnName> {
    batch
        .schema()
        .fields()
        .iter()
        .map(|f| table::column_label(f))
        .collect()
}

/// A signature whose inputs are the one spec.
fn one_column_signature(spec: &ColSpec) -> Option<ModelSignature> {
    let schema = Schema::columns(vec![spec.clone()]).ok()?;
    ModelSignature::new(Some(schema), None, None).ok()
}

/// Enforcement's verdict on a one-column frame.
fn verdict(sig: &ModelSignature, frame: RecordBatch, compat: Compat) -> Result<(), EnforceError> {
    enforce(Some(sig), ModelInput::Table(frame), None, compat).map(|_| ())
}

fn column_level(name: &str, reason: String, refusal: Option<Arc<str>>) -> Violation {
    Violation {
        column: name.to_string(),
        row: None,
        value: None,
        reason,
        refusal,
    }
}

fn check_column(
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
fn without_row(e: &EnforceError) -> String {
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
fn plain(v: &Value) -> &Value {
    match v {
        Value::Numpy(_, inner) => plain(inner),
        other => other,
    }
}

fn int_range(t: DataType) -> (i128, i128) {
    if t == DataType::Integer {
        (i32::MIN as i128, i32::MAX as i128)
    } else {
        (i64::MIN as i128, i64::MAX as i128)
    }
}

/// What kind of value a Python value is, for reasons (`a string`, `a float`, ...).
fn kind_of(v: &Value) -> String {
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
fn scalar_cell_problem(t: DataType, v: &Value, object: bool, has_float: bool) -> Option<String> {
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

fn pinpoint_scalar(
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

// ---------------------------------------------------------------------------------------------
// CSV text

/// An integer as pandas' tokenizer reads it: optional sign, decimal digits, surrounding spaces.
fn parse_int(s: &str) -> Option<i128> {
    let t = s.trim_matches([' ', '\t']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.trim_start_matches('+').parse::<i128>().ok()
}

/// A float as pandas' tokenizer reads it (decimal or scientific notation, `inf`/`infinity`).
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_matches([' ', '\t']);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t).to_ascii_lowercase();
    if unsigned == "inf" || unsigned == "infinity" {
        return t.parse().ok();
    }
    if unsigned.is_empty()
        || !unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    t.parse().ok()
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "True" | "TRUE" | "true" => Some(true),
        "False" | "FALSE" | "false" => Some(false),
        _ => None,
    }
}

/// Whether ISO date-time text carries a zone (`Z`, `+01:00`, `-0500` after the time).
fn has_zone(text: &str) -> bool {
    let t = text.trim();
    let Some(pos) = t.find(['T', ' ']) else {
        return false;
    };
    let time = &t[pos + 1..];
    time.ends_with('Z') || time.contains(['+', '-'])
}

/// Why CSV cell `text` cannot be a value of scalar type `t` (`None`: it can).
fn text_cell_problem(t: DataType, text: &str) -> Option<String> {
    let missing = NA_TEXTS.contains(&text);
    match t {
        DataType::Long | DataType::Integer => {
            if missing {
                return Some("missing value: integer columns cannot hold missing values".into());
            }
            match parse_int(text) {
                Some(i) => {
                    let (lo, hi) = int_range(t);
                    (i < lo || i > hi)
                        .then(|| format!("{} is out of the {} range", i, t.numpy_text()))
                }
                None => Some(match parse_float(text) {
                    Some(f) if f.is_finite() && f.fract() == 0.0 => {
                        "a decimal number, not an integer (pandas reads it as float64)".into()
                    }
                    Some(f) if f.is_finite() => "not an integer: it has a fractional part".into(),
                    Some(_) => "not a finite number".into(),
                    None if text.len() > 40 => "not an integer".into(),
                    None => format!("not an integer ({} is text)", repr::py_str(text.trim())),
                }),
            }
        }
        DataType::Double | DataType::Float => {
            if missing || parse_float(text).is_some() {
                let too_big = t == DataType::Float
                    && parse_float(text).is_some_and(|f| f.is_finite() && (f as f32).is_infinite());
                return too_big.then(|| "out of the float32 range".into());
            }
            Some("not a number".into())
        }
        DataType::Boolean => (!missing && parse_bool(text).is_none())
            .then(|| "not a boolean (pandas reads True/TRUE/true and False/FALSE/false)".into()),
        DataType::String | DataType::Binary => None,
        DataType::Datetime => {
            if missing {
                return None;
            }
            match crate::elem::parse_iso(text) {
                Some(_) if has_zone(text) => Some(
                    "a timezone-aware datetime: MLflow requires timezone-naive datetimes".into(),
                ),
                Some(_) => None,
                None => Some("not a date or date-time (ISO 8601, e.g. 2020-01-31 12:00:00)".into()),
            }
        }
    }
}

fn check_text_column(
    spec: &ColSpec,
    col: &Column,
    cells: &StringArray,
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) {
    let text_at = |i: usize| if cells.is_null(i) { "" } else { cells.value(i) };
    match &spec.ty {
        ColType::Scalar(t) => {
            for i in 0..cells.len() {
                let text = text_at(i);
                if let Some(reason) = text_cell_problem(*t, text) {
                    out.push(Violation {
                        column: col.name.clone(),
                        row: Some(row_offset + i),
                        value: Some(text.to_string()),
                        reason,
                        refusal: None,
                    });
                }
            }
        }
        ColType::Any => {}
        _ => {
            // Composite cells are JSON text; the parsed values are checked as an object column.
            let mut values = Vec::with_capacity(cells.len());
            let mut rows = Vec::with_capacity(cells.len());
            for i in 0..cells.len() {
                let text = text_at(i);
                if NA_TEXTS.contains(&text) {
                    values.push(Value::None);
                    rows.push(i);
                    continue;
                }
                match pyjson::loads(text) {
                    Ok(v) => {
                        values.push(v);
                        rows.push(i);
                    }
                    Err(e) => out.push(Violation {
                        column: col.name.clone(),
                        row: Some(row_offset + i),
                        value: Some(text.to_string()),
                        reason: format!(
                            "not valid JSON for {} ({} at column {})",
                            repr::coltype_repr(&spec.ty),
                            e.msg,
                            e.column
                        ),
                        refusal: None,
                    }),
                }
            }
            let (field, array) = table::object_column(col.field.name(), &values);
            let metadata = merged_metadata(&col.field, &field);
            let field = Arc::new(field.with_metadata(metadata));
            let parsed = Column {
                field,
                array,
                name: col.name.clone(),
            };
            let mut found = Vec::new();
            check_column(spec, &parsed, 0, compat, &mut found);
            for mut v in found {
                if let Some(r) = v.row {
                    v.row = Some(row_offset + rows[r]);
                    v.value = Some(text_at(rows[r]).to_string());
                }
                out.push(v);
            }
        }
    }
}

/// The new field's metadata plus the label kind of the original field.
fn merged_metadata(original: &Field, new: &Field) -> std::collections::HashMap<String, String> {
    let mut md = new.metadata().clone();
    if let Some(kind) = original.metadata().get(table::LABEL_KIND_KEY) {
        md.insert(table::LABEL_KIND_KEY.to_string(), kind.clone());
    }
    md
}

// ---------------------------------------------------------------------------------------------
// tensors

/// Tensor-based schemas: each named tensor's column (or the whole frame, for an unnamed
/// tensor) is enforced; a refused one is pinpointed by enforcing its rows one by one (each
/// row of a DataFrame column is cast on its own, ENFORCEMENT.md §7.4). When every row fails
/// alone too, the problem is the column's type or shape: one column-level violation.
fn check_tensors(
    schema: &Schema,
    specs: &[TensorSpec],
    batch: &RecordBatch,
    compat: Compat,
    row_offset: usize,
    out: &mut Vec<Violation>,
) {
    if batch.num_rows() == 0 {
        return;
    }
    let labels = labels_of(batch);
    if !schema.has_input_names() {
        let Ok(sig) = ModelSignature::new(Some(schema.clone()), None, None) else {
            return;
        };
        pinpoint_rows(&sig, batch, None, row_offset, compat, out);
        return;
    }
    for spec in specs {
        let Some(name) = spec.name.as_deref() else {
            continue;
        };
        let Some(i) = labels
            .iter()
            .position(|l| matches!(l, ColumnName::Str(s) if s == name))
        else {
            continue;
        };
        let col = Column::of(batch, i);
        let (Ok(one), Some(frame)) = (Schema::tensors(vec![spec.clone()]), col.frame()) else {
            continue;
        };
        let Ok(sig) = ModelSignature::new(Some(one), None, None) else {
            continue;
        };
        pinpoint_rows(&sig, &frame, Some(&col), row_offset, compat, out);
    }
}

/// Enforces `frame`; when refused, enforces each row alone and reports the rows that fail,
/// or one column-level violation when all of them (or none) do.
fn pinpoint_rows(
    sig: &ModelSignature,
    frame: &RecordBatch,
    col: Option<&Column>,
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) {
    let Err(refusal) = verdict(sig, frame.clone(), compat) else {
        return;
    };
    let name = match col {
        Some(c) => c.name.clone(),
        None => refusal
            .location
            .column
            .clone()
            .unwrap_or_else(|| "(input)".into()),
    };
    let message: Arc<str> = Arc::from(refusal.message());
    let shared = refusal.location.row.is_none().then(|| message.clone());
    let rows = frame.num_rows();
    let mut failed = Vec::new();
    if rows > 1 {
        for i in 0..rows {
            if let Err(e) = verdict(sig, frame.slice(i, 1), compat) {
                failed.push((i, e));
            }
        }
    }
    if failed.is_empty() || failed.len() == rows {
        out.push(column_level(&name, message.to_string(), shared));
        return;
    }
    let values = col.map(|c| table::object_values(&c.field, c.array.as_ref()));
    for (i, e) in failed {
        out.push(Violation {
            column: name.clone(),
            row: Some(row_offset + i),
            value: values.as_ref().and_then(|v| v.get(i)).map(show),
            reason: without_row(&e),
            refusal: shared.clone(),
        });
    }
}

/// CSV cells of the tensor columns read as the tensors' dtypes (cells that cannot be read are
/// reported, and hold a neutral value) in Strict mode; in Mlflow mode read as `pd.read_csv`
/// infers them, for enforcement's casts to judge. `None` when the frame cannot be built.
fn tensor_text_batch(
    specs: &[TensorSpec],
    batch: &RecordBatch,
    labels: &[ColumnName],
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) -> Option<RecordBatch> {
    let named = specs.first().is_some_and(|s| s.name.is_some());
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let spec = if named {
            specs
                .iter()
                .find(|s| matches!((&s.name, label), (Some(n), ColumnName::Str(l)) if n == l))
        } else {
            specs.first()
        };
        let col = Column::of(batch, i);
        let (Some(spec), Some(cells)) = (spec, col.array.as_any().downcast_ref::<StringArray>())
        else {
            fields.push(col.field.clone());
            arrays.push(col.array.clone());
            continue;
        };
        let (field, array) = match compat {
            Compat::Strict => tensor_text_column(spec.dtype, &col, cells, row_offset, out),
            Compat::Mlflow => inferred_text_column(spec.dtype, &col, cells),
        };
        fields.push(field);
        arrays.push(array);
    }
    RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(batch.num_rows())),
    )
    .ok()
}

/// The Arrow type of a numeric or bool numpy dtype.
fn numeric_arrow_type(dtype: NumpyDtype) -> Option<ArrowType> {
    Some(match dtype.name().as_str() {
        "bool" => ArrowType::Boolean,
        "int8" => ArrowType::Int8,
        "int16" => ArrowType::Int16,
        "int32" => ArrowType::Int32,
        "int64" => ArrowType::Int64,
        "uint8" => ArrowType::UInt8,
        "uint16" => ArrowType::UInt16,
        "uint32" => ArrowType::UInt32,
        "uint64" => ArrowType::UInt64,
        "float16" => ArrowType::Float16,
        "float32" => ArrowType::Float32,
        "float64" => ArrowType::Float64,
        _ => return None,
    })
}

/// One CSV column read as a tensor dtype: numbers and bools parsed (and range-checked) into
/// exactly that dtype; text and other dtypes keep the text.
fn tensor_text_column(
    dtype: NumpyDtype,
    col: &Column,
    cells: &StringArray,
    row_offset: usize,
    out: &mut Vec<Violation>,
) -> (Arc<Field>, ArrayRef) {
    use arrow_array::{BooleanArray, Float64Array, Int64Array, UInt64Array};
    let Some(target) = numeric_arrow_type(dtype) else {
        return (col.field.clone(), col.array.clone());
    };
    let text_at = |i: usize| if cells.is_null(i) { "" } else { cells.value(i) };
    let name = dtype.name();
    let mut bad = |i: usize, reason: String| {
        out.push(Violation {
            column: col.name.clone(),
            row: Some(row_offset + i),
            value: Some(text_at(i).to_string()),
            reason,
            refusal: None,
        })
    };
    // Parsed at full width first; cells that cannot be the dtype hold 0 / false.
    let wide: ArrayRef = match &target {
        ArrowType::Boolean => Arc::new(
            (0..cells.len())
                .map(|i| {
                    Some(parse_bool(text_at(i)).unwrap_or_else(|| {
                        bad(i, format!("not a {name} value"));
                        false
                    }))
                })
                .collect::<BooleanArray>(),
        ),
        ArrowType::UInt64 => Arc::new(
            (0..cells.len())
                .map(|i| match parse_int(text_at(i)).map(u64::try_from) {
                    Some(Ok(v)) => Some(v),
                    Some(Err(_)) => {
                        bad(i, format!("out of the {name} range"));
                        Some(0)
                    }
                    None => {
                        bad(i, format!("not an integer ({name} tensor)"));
                        Some(0)
                    }
                })
                .collect::<UInt64Array>(),
        ),
        t if t.is_integer() => {
            let (lo, hi) = int_bounds(t);
            Arc::new(
                (0..cells.len())
                    .map(|i| match parse_int(text_at(i)) {
                        Some(v) if (lo..=hi).contains(&v) => Some(v as i64),
                        Some(_) => {
                            bad(i, format!("out of the {name} range"));
                            Some(0)
                        }
                        None => {
                            bad(i, format!("not an integer ({name} tensor)"));
                            Some(0)
                        }
                    })
                    .collect::<Int64Array>(),
            )
        }
        _ => Arc::new(
            (0..cells.len())
                .map(|i| {
                    let text = text_at(i);
                    if NA_TEXTS.contains(&text) {
                        return Some(f64::NAN);
                    }
                    Some(parse_float(text).unwrap_or_else(|| {
                        bad(i, format!("not a number ({name} tensor)"));
                        0.0
                    }))
                })
                .collect::<Float64Array>(),
        ),
    };
    let array = if wide.data_type() == &target {
        wide
    } else {
        // In range by construction (floats may round, as numpy's cast does).
        arrow_cast::cast(&wide, &target).unwrap_or(wide)
    };
    let field = Field::new(col.field.name(), array.data_type().clone(), true)
        .with_metadata(col.field.metadata().clone());
    (Arc::new(field), array)
}

/// One CSV column of a numeric or bool tensor as `pd.read_csv` reads it: int64 when every
/// cell is an integer, float64 when every cell is a number or missing, bool when every cell
/// is a boolean, otherwise the text. MLflow's casts (Mlflow mode: lossy ones included) then
/// decide what is refused.
fn inferred_text_column(
    dtype: NumpyDtype,
    col: &Column,
    cells: &StringArray,
) -> (Arc<Field>, ArrayRef) {
    use arrow_array::{BooleanArray, Float64Array, Int64Array};
    if numeric_arrow_type(dtype).is_none() {
        return (col.field.clone(), col.array.clone());
    }
    let text_at = |i: usize| if cells.is_null(i) { "" } else { cells.value(i) };
    let n = cells.len();
    let ints: Option<Vec<i64>> = (0..n)
        .map(|i| parse_int(text_at(i)).and_then(|v| i64::try_from(v).ok()))
        .collect();
    let array: Option<ArrayRef> = if let Some(ints) = ints {
        Some(Arc::new(Int64Array::from(ints)))
    } else if let Some(floats) = (0..n)
        .map(|i| {
            let text = text_at(i);
            if NA_TEXTS.contains(&text) {
                Some(f64::NAN)
            } else {
                parse_float(text)
            }
        })
        .collect::<Option<Vec<f64>>>()
    {
        Some(Arc::new(Float64Array::from(floats)))
    } else {
        (0..n)
            .map(|i| parse_bool(text_at(i)).map(Some))
            .collect::<Option<BooleanArray>>()
            .map(|b| Arc::new(b) as ArrayRef)
    };
    let Some(array) = array else {
        return (col.field.clone(), col.array.clone());
    };
    let field = Field::new(col.field.name(), array.data_type().clone(), true)
        .with_metadata(col.field.metadata().clone());
    (Arc::new(field), array)
}

/// The value range of an Arrow integer type (64-bit types: int64's).
fn int_bounds(t: &ArrowType) -> (i128, i128) {
    match t {
        ArrowType::Int8 => (i8::MIN as i128, i8::MAX as i128),
        ArrowType::Int16 => (i16::MIN as i128, i16::MAX as i128),
        ArrowType::Int32 => (i32::MIN as i128, i32::MAX as i128),
        ArrowType::UInt8 => (0, u8::MAX as i128),
        ArrowType::UInt16 => (0, u16::MAX as i128),
        ArrowType::UInt32 => (0, u32::MAX as i128),
        _ => (i64::MIN as i128, i64::MAX as i128),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ColSpec;

    fn house() -> Schema {
        Schema::columns(vec![
            ColSpec::new("sqft", DataType::Long, true),
            ColSpec::new("bedrooms", DataType::Long, true),
        ])
        .unwrap()
    }

    #[test]
    fn presence_messages_are_mlflows() {
        let p = presence(&house(), &["sqft".into(), "bathrooms".into()]);
        assert_eq!(
            p.message.as_deref(),
            Some(
                "Model is missing inputs ['bedrooms']. Note that there were extra inputs: \
                 ['bathrooms']."
            )
        );
        let p = presence(&house(), &["bedrooms".into(), "x".into(), "sqft".into()]);
        assert!(!p.is_refused());
        assert_eq!(p.extra, [ColumnName::from("x")]);
        assert!(p.note.unwrap().contains("`['x']`"));
        let unnamed = Schema::columns(vec![
            ColSpec::unnamed(DataType::Long),
            ColSpec::unnamed(DataType::String),
        ])
        .unwrap();
        let p = presence(&unnamed, &["a".into()]);
        assert!(p.message.unwrap().contains("declares 2 inputs  but"));
    }

    #[test]
    fn csv_cells_follow_the_declared_type() {
        assert_eq!(text_cell_problem(DataType::Long, " 1500 "), None);
        assert!(text_cell_problem(DataType::Long, "1500.0").is_some());
        assert!(text_cell_problem(DataType::Long, "1500.5").is_some());
        assert!(text_cell_problem(DataType::Long, "").is_some());
        assert!(text_cell_problem(DataType::Long, "NA").is_some());
        assert!(text_cell_problem(DataType::Long, "abc").is_some());
        assert!(text_cell_problem(DataType::Long, "99999999999999999999").is_some());
        assert!(text_cell_problem(DataType::Integer, "3000000000").is_some());
        assert_eq!(text_cell_problem(DataType::Double, "1e3"), None);
        assert_eq!(text_cell_problem(DataType::Double, ""), None);
        assert!(text_cell_problem(DataType::Double, "1,5").is_some());
        assert!(text_cell_problem(DataType::Float, "1e300").is_some());
        assert_eq!(text_cell_problem(DataType::Boolean, "TRUE"), None);
        assert!(text_cell_problem(DataType::Boolean, "yes").is_some());
        assert_eq!(
            text_cell_problem(DataType::Datetime, "2020-01-31 12:00:00"),
            None
        );
        assert!(text_cell_problem(DataType::Datetime, "2020-01-31T12:00:00Z").is_some());
        assert!(text_cell_problem(DataType::Datetime, "31/01/2020").is_some());
        assert_eq!(text_cell_problem(DataType::String, ""), None);
    }

    #[test]
    fn object_cells_are_judged_by_their_own_type() {
        let p = |t, v: Value| scalar_cell_problem(t, &v, true, false);
        assert!(p(DataType::Long, Value::str("1500")).is_some());
        assert!(p(DataType::Long, Value::Float(1500.0)).is_some());
        assert!(p(DataType::Long, Value::Bool(true)).is_some());
        assert!(p(DataType::Long, Value::None).is_some());
        assert_eq!(p(DataType::Long, Value::Int(1500)), None);
        assert!(p(DataType::Double, Value::Int(5)).is_some());
        assert_eq!(p(DataType::Double, Value::Int(1)), None);
        assert_eq!(
            scalar_cell_problem(DataType::Double, &Value::Int(5), true, true),
            None
        );
        assert!(p(DataType::String, Value::Int(5)).is_some());
        assert_eq!(p(DataType::String, Value::None), None);
        // Typed columns: only value-specific causes.
        let typed = |t, v: Value| scalar_cell_problem(t, &v, false, false);
        assert_eq!(typed(DataType::Long, Value::Float(1500.0)), None);
        assert!(typed(DataType::Long, Value::Float(f64::NAN)).is_some());
        assert!(typed(DataType::Long, Value::Float(1.5)).is_some());
        assert_eq!(typed(DataType::Integer, Value::Int(5)), None);
        assert!(typed(DataType::Integer, Value::Int(1 << 40)).is_some());
    }

    fn csv_batch(columns: &[(&str, &[&str])]) -> RecordBatch {
        RecordBatch::try_from_iter(columns.iter().map(|(name, cells)| {
            let array: ArrayRef = Arc::new(StringArray::from(cells.to_vec()));
            (*name, array)
        }))
        .unwrap()
    }

    fn rows(found: &[Violation]) -> Vec<Option<usize>> {
        found.iter().map(|v| v.row).collect()
    }

    #[test]
    fn mlflow_mode_reports_only_what_mlflow_refuses() {
        // S1: an object column of mixed values for a string input passes in MLflow.
        let schema = Schema::columns(vec![
            ColSpec::new("name", DataType::String, true),
            ColSpec::new("sqft", DataType::Long, true),
        ])
        .unwrap();
        let (name_field, name) = table::object_column("name", &[Value::Int(5), Value::str("x")]);
        let (sqft_field, sqft) =
            table::object_column("sqft", &[Value::Int(1500), Value::str("1500")]);
        let batch = RecordBatch::try_new(
            Arc::new(ArrowSchema::new(vec![name_field, sqft_field])),
            vec![name, sqft],
        )
        .unwrap();
        let strict = violations_with(&schema, &batch, 10, Compat::Strict);
        assert_eq!(strict, violations(&schema, &batch, 10));
        let columns: Vec<&str> = strict.iter().map(|v| v.column.as_str()).collect();
        assert_eq!(columns, ["name", "sqft"]);
        assert_eq!(rows(&strict), [Some(10), Some(11)]);
        // Text in a long column is refused by MLflow too.
        let mlflow = violations_with(&schema, &batch, 10, Compat::Mlflow);
        assert_eq!(mlflow.len(), 1);
        assert_eq!(
            (mlflow[0].column.as_str(), mlflow[0].row),
            ("sqft", Some(11))
        );
    }

    #[test]
    fn csv_checks_take_the_mode() {
        // S4: an Array(string) cell holding a number passes in MLflow (numpy makes it '1').
        let schema = crate::json_form::schema_from_json(
            r#"[{"type": "array", "items": {"type": "string"}, "name": "tags", "required": true}]"#,
        )
        .unwrap();
        let batch = csv_batch(&[("tags", &["[\"a\"]", "[\"a\", 1]", "[1,oops]"])]);
        let strict = text_violations_with(&schema, &batch, 0, Compat::Strict);
        assert_eq!(strict, text_violations(&schema, &batch, 0));
        assert_eq!(rows(&strict), [Some(2), Some(1)]);
        let mlflow = text_violations_with(&schema, &batch, 0, Compat::Mlflow);
        assert_eq!(rows(&mlflow), [Some(2)]);
        assert!(mlflow[0].reason.starts_with("not valid JSON"), "{mlflow:?}");

        // T1: a decimal in an int64 tensor's CSV column is cast with loss by MLflow.
        let tensors = crate::json_form::schema_from_json(
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "x"}]"#,
        )
        .unwrap();
        let batch = csv_batch(&[("x", &["1", "1.5", "2"])]);
        assert_eq!(
            rows(&text_violations_with(&tensors, &batch, 0, Compat::Strict)),
            [Some(1)]
        );
        assert!(text_violations_with(&tensors, &batch, 0, Compat::Mlflow).is_empty());
        // Text that is no number is refused in both modes.
        let batch = csv_batch(&[("x", &["1", "abc", "2"])]);
        assert_eq!(
            rows(&text_violations_with(&tensors, &batch, 0, Compat::Strict)),
            [Some(1)]
        );
        assert_eq!(
            rows(&text_violations_with(&tensors, &batch, 0, Compat::Mlflow)),
            [Some(1)]
        );
    }
}
