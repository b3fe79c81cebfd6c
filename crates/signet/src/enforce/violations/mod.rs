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
//! use signet::enforce::violations::violations;
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
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType as ArrowType, Field};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

mod columns;
mod tensors;
#[cfg(test)]
mod tests;
mod text;

use columns::*;
use tensors::*;
use text::*;

pub use text::{text_cell_valid, text_cell_violation};

use crate::pandas::csv::{is_na, parse_bool, parse_float, parse_int};

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

/// Checks which inputs of `schema` the data's column `labels` provide (docs/enforcement.md#column-presence, #unnamed-columns):
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
    if names.as_slice() == labels {
        // The schema's names in its order: every input present, none extra (no hashing).
        return Presence::default();
    }
    let required: Vec<bool> = match schema.kind() {
        SchemaKind::Columns(specs) => specs.iter().map(ColSpec::is_required).collect(),
        SchemaKind::Tensors(specs) => specs.iter().map(|_| true).collect(),
    };
    // Sets, not list scans: linear in the widths of both schema and data.
    let present: HashSet<&ColumnName> = labels.iter().collect();
    let declared: HashSet<&ColumnName> = names.iter().collect();
    let missing: Vec<ColumnName> = names
        .iter()
        .zip(&required)
        .filter(|(n, req)| **req && !present.contains(n))
        .map(|(n, _)| n.clone())
        .collect();
    let mut extra: Vec<ColumnName> = Vec::new();
    let mut listed: HashSet<&ColumnName> = HashSet::new();
    for label in labels.iter().filter(|l| !declared.contains(l)) {
        if listed.insert(label) {
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
    // Label → its first column (hashed: linear in the widths).
    let mut first: HashMap<&ColumnName, usize> = HashMap::new();
    if named {
        for (j, l) in labels.iter().enumerate() {
            first.entry(l).or_insert(j);
        }
    }
    specs
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| {
            let column = if named {
                let name = spec.name.as_ref()?;
                *first.get(name)?
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
    violations_in(schema, batch, row_offset, compat, false)
}

/// The violations of `schema` in `batch`; with `text`, its Utf8 columns are CSV cells read as
/// their declared types (see [`text_violations`]).
fn violations_in(
    schema: &Schema,
    batch: &RecordBatch,
    row_offset: usize,
    compat: Compat,
    text: bool,
) -> Vec<Violation> {
    let labels = labels_of(batch);
    let mut out = Vec::new();
    match schema.kind() {
        SchemaKind::Columns(specs) => {
            for (spec, column) in matched_columns(specs, &labels) {
                let spec = &specs[spec];
                let col = Column::of(batch, column);
                match col.array.as_any().downcast_ref::<StringArray>() {
                    Some(cells) if text => {
                        check_text_column(spec, &col, cells, row_offset, compat, &mut out)
                    }
                    _ => check_column(spec, &col, row_offset, compat, &mut out),
                }
            }
        }
        SchemaKind::Tensors(specs) if text => {
            let typed = tensor_text_batch(specs, batch, &labels, row_offset, compat, &mut out);
            if let Some(typed) = typed {
                check_tensors(schema, specs, &typed, compat, row_offset, &mut out);
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
/// Missing cells are [`NA_VALUES`](crate::pandas::csv::NA_VALUES) (pandas' NA strings, the empty cell). Tensor-based schemas
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
    violations_in(schema, batch, row_offset, compat, true)
}
