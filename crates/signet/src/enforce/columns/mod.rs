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

/// Enforces a column-based schema (`specs`, all named or all unnamed) on `input`.
pub(crate) fn enforce_columns(
    specs: &[ColSpec],
    input: ModelInput,
    compat: Compat,
    warnings: &mut Vec<Warning>,
) -> Result<ModelInput, EnforceError> {
    let frame = normalise::normalise(input, specs)?;
    let named = specs.iter().any(|s| s.name.is_some());
    let mut out: Vec<Col> = Vec::with_capacity(specs.len());
    if named {
        let matching = Matching::new(specs, frame.cols.iter().map(|c| &c.field));
        select_named(specs, &frame.cols, &matching, warnings)?;
        for spec in specs {
            let Some(name) = &spec.name else { continue };
            let Some(&(first, copies)) = matching.found.get(name) else {
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
pub(crate) fn passes_as_is(specs: &[ColSpec], fields: &[FieldRef]) -> bool {
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
    let matching = Matching::new(specs, fields.iter());
    matching.unknown.is_empty()
        && specs
            .iter()
            .zip(fields)
            .enumerate()
            .all(|(i, (spec, field))| {
                let at = spec.name.as_ref().and_then(|n| matching.found.get(n));
                at == Some(&(i, 1)) && typed(spec, field)
            })
}

/// Whether the enforced columns are exactly the batch's columns, in order.
fn unchanged(batch: &RecordBatch, out: &[Col]) -> bool {
    batch.num_columns() == out.len()
        && crate::table::fields_and_columns(batch)
            .zip(out)
            .all(|((f, a), c)| Arc::ptr_eq(f, &c.field) && Arc::ptr_eq(a, &c.array))
}

/// Where a frame's columns meet a named schema: spec name → (its first column, how many columns
/// carry it), and the columns no spec names, in frame order. Built in one pass over the columns
/// with look-ups in maps the size of the schema (no allocation per column), so that matching
/// stays linear in the frame's width.
struct Matching<'s> {
    found: HashMap<&'s ColumnName, (usize, usize)>,
    unknown: Vec<usize>,
}

impl<'s> Matching<'s> {
    fn new<'f>(specs: &'s [ColSpec], fields: impl Iterator<Item = &'f FieldRef>) -> Matching<'s> {
        // A string name selects a column of that name without the integer-label mark; an
        // integer name selects the integer label of that value.
        let mut strs: HashMap<&str, &'s ColumnName> = HashMap::new();
        let mut ints: HashMap<i64, &'s ColumnName> = HashMap::new();
        for name in specs.iter().filter_map(|s| s.name.as_ref()) {
            match name {
                ColumnName::Str(s) => strs.entry(s.as_str()).or_insert(name),
                ColumnName::Int(i) => ints.entry(*i).or_insert(name),
            };
        }
        let mut found: HashMap<&'s ColumnName, (usize, usize)> = HashMap::new();
        let mut unknown = Vec::new();
        for (i, field) in fields.enumerate() {
            let hit = if field.metadata().contains_key(table::LABEL_KIND_KEY) {
                match table::column_label(field) {
                    ColumnName::Int(v) => ints.get(&v).copied(),
                    ColumnName::Str(_) => None,
                }
            } else {
                strs.get(field.name().as_str()).copied()
            };
            match hit {
                Some(name) => found.entry(name).or_insert((i, 0)).1 += 1,
                None => unknown.push(i),
            }
        }
        Matching { found, unknown }
    }
}

/// §3: missing required columns (schema order) are an error, extra columns (input order) a
/// warning.
fn select_named(
    specs: &[ColSpec],
    cols: &[Col],
    matching: &Matching<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<(), EnforceError> {
    let missing: Vec<ColumnName> = specs
        .iter()
        .filter(|s| s.is_required())
        .filter_map(|s| s.name.as_ref())
        .filter(|n| !matching.found.contains_key(n))
        .cloned()
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
