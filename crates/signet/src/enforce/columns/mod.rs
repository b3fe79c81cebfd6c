//! Column-based schemas (docs/enforcement.md#normalising-column-input, #column-presence, #unnamed-columns, #safe-conversion, #composite-columns): the input normalised to a table, columns
//! selected and reordered, each column converted by the safe-cast rules.
//!
//! * [`normalise`]: §2, any input → a DataFrame (an Arrow table) as pandas builds it;
//! * this module: §3 presence, order and extras of named schemas, §4 positional unnamed ones;
//! * [`scalar`]: §5, one column against a scalar type;
//! * [`composite`]: §6, Array / Object / Map / Any columns value by value;
//! * [`build`]: columns typed from Python values the way pandas' constructors type them.
//!
//! A typed column that already has the declared type is passed on as the same Arrow array (an
//! `Arc` clone); when nothing changes at all, the input record batch itself is returned.

#[cfg(test)]
mod as_is_tests;
pub(super) mod build;
mod composite;
mod normalise;
mod scalar;
#[cfg(test)]
mod tests;

use super::{Compat, EnforceError, ErrorKind, Warning};
use crate::input::ModelInput;
use crate::repr::column_name;
use crate::table;
use crate::types::{ColSpec, ColType, ColumnName};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::FieldRef;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One DataFrame column: its field (label and pandas dtype, see [`crate::table`]) and values.
#[derive(Clone, Debug)]
pub(crate) struct Col {
    /// The field.
    pub field: FieldRef,
    /// The values.
    pub array: ArrayRef,
}

fn list_repr(names: &[ColumnName]) -> String {
    let parts: Vec<String> = names.iter().map(column_name).collect();
    format!("[{}]", parts.join(", "))
}

/// Enforces a column-based schema (`specs`, all named or all unnamed, `distinct` when no two
/// share a name) on `input`.
pub(crate) fn enforce_columns(
    specs: &[ColSpec],
    distinct: bool,
    input: ModelInput,
    compat: Compat,
    warnings: &mut Vec<Warning>,
) -> Result<ModelInput, EnforceError> {
    let frame = normalise::normalise(input, specs)?;
    let named = specs.iter().any(|s| s.name.is_some());
    let mut out: Vec<Col> = Vec::with_capacity(specs.len());
    if named {
        let matching = Matching::new(specs, distinct, &frame.cols, |c| &c.field);
        select_named(specs, &frame.cols, &matching, warnings)?;
        for (spec, found) in specs.iter().zip(&matching.found) {
            let Some(name) = &spec.name else { continue };
            let Some((first, copies)) = *found else {
                continue;
            };
            let c = frame.cols[first].clone();
            if copies > 1 {
                // pandas selects a sub-frame for a repeated label, and MLflow's dtype check
                // fails on it with a raw AttributeError.
                let message = match compat {
                    Compat::Mlflow => "'DataFrame' object has no attribute 'dtype'".to_string(),
                    Compat::Strict => format!(
                        "Column {} appears {copies} times in the input; each column must appear once.",
                        crate::repr::column_name(name)
                    ),
                };
                return Err(EnforceError::new(ErrorKind::IncompatibleType, message)
                    .column(name.as_text())
                    .exception("AttributeError"));
            }
            let text: std::borrow::Cow<'_, str> = match name {
                ColumnName::Str(s) => s.as_str().into(),
                ColumnName::Int(i) => i.to_string().into(),
            };
            out.push(enforce_column(
                &text,
                c,
                &spec.ty,
                spec.is_required(),
                compat,
            )?);
        }
    } else {
        if frame.cols.len() < specs.len() {
            return Err(EnforceError::new(
                ErrorKind::MissingInputs,
                format!(
                    "Model inference is missing inputs. The model signature declares {} inputs  \
                     but the provided value only has {} inputs. Note: the inputs were not named \
                     in the signature so we can only verify their count.",
                    specs.len(),
                    frame.cols.len()
                ),
            ));
        }
        for (spec, c) in specs.iter().zip(frame.cols.iter()) {
            // An integer label's field name is its decimal text.
            out.push(enforce_column(
                c.field.name(),
                c.clone(),
                &spec.ty,
                true,
                compat,
            )?);
        }
    }
    if let Some(batch) = frame.batch {
        if unchanged(&batch, &out) {
            return Ok(ModelInput::Table(batch));
        }
    }
    let (fields, arrays): (Vec<FieldRef>, Vec<ArrayRef>) =
        out.into_iter().map(|c| (c.field, c.array)).unzip();
    let batch = crate::table::frame_of(fields, arrays, frame.rows)
        .map_err(|e| EnforceError::new(ErrorKind::Other, e.to_string()).exception("ValueError"))?;
    Ok(ModelInput::Table(batch))
}

/// Whether [`enforce_columns`] returns a DataFrame of columns `fields` (none holding missing
/// values) as it is — the same columns in the same order, no warning — decided from the fields
/// alone: each spec met, in order, by exactly one column that already has its scalar type
/// ([`scalar::passes_as_is`]), and no other column. `false` also when the values would decide.
pub(crate) fn passes_as_is(specs: &[ColSpec], distinct: bool, fields: &[FieldRef]) -> bool {
    if fields.len() != specs.len() {
        return false;
    }
    let typed = |spec: &ColSpec, field: &FieldRef| match spec.ty {
        ColType::Scalar(t) => scalar::passes_as_is(field, t),
        _ => false,
    };
    if !specs.iter().any(|s| s.name.is_some()) {
        return specs.iter().zip(fields).all(|(s, f)| typed(s, f));
    }
    let matching = Matching::new(specs, distinct, fields, |f| f);
    matching.unknown.is_empty()
        && specs
            .iter()
            .zip(fields)
            .enumerate()
            .all(|(i, (spec, field))| matching.found[i] == Some((i, 1)) && typed(spec, field))
}

/// Whether the enforced columns are exactly the batch's columns, in order.
fn unchanged(batch: &RecordBatch, out: &[Col]) -> bool {
    batch.num_columns() == out.len()
        && crate::table::fields_and_columns(batch)
            .zip(out)
            .all(|((f, a), c)| Arc::ptr_eq(f, &c.field) && Arc::ptr_eq(a, &c.array))
}

/// Where a frame's columns meet a named schema: for each spec (by position), its column (the
/// first carrying its name) and how many columns carry that name, `None` when none does; and
/// the columns no spec names, in frame order. A frame whose columns carry the schema's
/// distinct names in its order is recognised by comparing labels alone (no hashing: wide
/// frames are usually sent that way); any other is matched in one pass over its columns with
/// look-ups in maps the size of the schema (no allocation per column), so that matching stays
/// linear in the frame's width.
struct Matching {
    found: Vec<Option<(usize, usize)>>,
    unknown: Vec<usize>,
}

impl Matching {
    fn new<'f, T>(
        specs: &[ColSpec],
        distinct: bool,
        cols: &'f [T],
        field: impl Fn(&'f T) -> &'f FieldRef,
    ) -> Matching {
        let in_order = distinct
            && cols.len() == specs.len()
            && specs.iter().zip(cols).all(|(spec, c)| {
                spec.name
                    .as_ref()
                    .is_some_and(|name| carries(field(c), name))
            });
        if in_order {
            return Matching {
                found: (0..specs.len()).map(|i| Some((i, 1))).collect(),
                unknown: Vec::new(),
            };
        }
        // Names by their look-up keys (`label_key`), each key's first spec.
        let mut strs: HashMap<&str, &ColumnName> = HashMap::new();
        let mut ints: HashMap<i64, &ColumnName> = HashMap::new();
        for name in specs.iter().filter_map(|s| s.name.as_ref()) {
            match name {
                ColumnName::Str(s) => strs.entry(s.as_str()).or_insert(name),
                ColumnName::Int(i) => ints.entry(*i).or_insert(name),
            };
        }
        let mut by_name: HashMap<&ColumnName, (usize, usize)> = HashMap::new();
        let mut unknown = Vec::new();
        for (i, c) in cols.iter().enumerate() {
            let hit = match label_key(field(c)) {
                Some(LabelKey::Str(s)) => strs.get(s).copied(),
                Some(LabelKey::Int(v)) => ints.get(&v).copied(),
                None => None,
            };
            match hit {
                Some(name) => by_name.entry(name).or_insert((i, 0)).1 += 1,
                None => unknown.push(i),
            }
        }
        let found = specs
            .iter()
            .map(|s| s.name.as_ref().and_then(|n| by_name.get(n)).copied())
            .collect();
        Matching { found, unknown }
    }
}

/// A column label as names select it: a string name selects a column of that name without
/// the integer-label mark, an integer name the integer label of that value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LabelKey<'a> {
    Str(&'a str),
    Int(i64),
}

/// The key a column is selected by; `None` for a label marked integer that is not one (no
/// name selects it).
fn label_key(field: &FieldRef) -> Option<LabelKey<'_>> {
    if !field.metadata().contains_key(table::LABEL_KIND_KEY) {
        return Some(LabelKey::Str(field.name()));
    }
    match table::column_label(field) {
        ColumnName::Int(v) => Some(LabelKey::Int(v)),
        ColumnName::Str(_) => None,
    }
}

/// Whether a column's field carries the label `name` (the same key, [`label_key`]).
fn carries(field: &FieldRef, name: &ColumnName) -> bool {
    let key = match name {
        ColumnName::Str(s) => LabelKey::Str(s),
        ColumnName::Int(i) => LabelKey::Int(*i),
    };
    label_key(field) == Some(key)
}

/// §3: missing required columns (schema order) are an error, extra columns (input order) a
/// warning.
fn select_named(
    specs: &[ColSpec],
    cols: &[Col],
    matching: &Matching,
    warnings: &mut Vec<Warning>,
) -> Result<(), EnforceError> {
    let missing: Vec<ColumnName> = specs
        .iter()
        .zip(&matching.found)
        .filter(|(s, found)| s.is_required() && found.is_none())
        .filter_map(|(s, _)| s.name.clone())
        .collect();
    if missing.is_empty() && matching.unknown.is_empty() {
        return Ok(());
    }
    // Each extra label once, in frame order (keyed by integer-ness and text, no allocation).
    let mut extra: Vec<ColumnName> = Vec::new();
    let mut listed: HashSet<(bool, &str)> = HashSet::new();
    for &i in &matching.unknown {
        let field = &cols[i].field;
        let label = table::column_label(field);
        if listed.insert((matches!(label, ColumnName::Int(_)), field.name().as_str())) {
            extra.push(label);
        }
    }
    if !missing.is_empty() {
        let mut message = format!("Model is missing inputs {}.", list_repr(&missing));
        if !extra.is_empty() {
            message.push_str(&format!(
                " Note that there were extra inputs: {}.",
                list_repr(&extra)
            ));
        }
        return Err(
            EnforceError::new(ErrorKind::MissingInputs, message).column(missing[0].as_text())
        );
    }
    warnings.push(Warning {
        message: format!(
            "Found extra inputs in the model input that are not defined in the model signature: \
             `{}`. These inputs will be ignored.",
            list_repr(&extra)
        ),
    });
    Ok(())
}

/// One column against its declared type.
fn enforce_column(
    name: &str,
    c: Col,
    ty: &ColType,
    required: bool,
    compat: Compat,
) -> Result<Col, EnforceError> {
    match ty {
        ColType::Scalar(t) => scalar::enforce_scalar(name, c, *t, compat),
        other => composite::enforce_composite(c, other, required, compat),
    }
}
