//! Tensor-based schemas (docs/enforcement.md#tensors): dtype and shape checks, named tensors, and
//! DataFrame columns turned into tensors.
//!
//! * An unnamed spec takes an ndarray or sparse matrix (checked, never cast), or a DataFrame
//!   (one column converted, or all columns' values as one array).
//! * Named specs take a dict of ndarrays (checked one by one, extra keys dropped with a
//!   warning), a DataFrame (each named column converted), or — for a single spec — an ndarray
//!   bound to its name.
//!
//! [`Compat::Strict`] departs from MLflow only where MLflow lets nonsense through: lossy casts of
//! DataFrame values, DataFrame array cells of the wrong dtype, and ragged object arrays whose
//! elements do not fit the spec.

mod cast;
mod check;
mod frame;
mod stack;

pub use frame::unnamed_frame_shape;

use super::{Compat, EnforceError, ErrorKind, Warning};
use crate::input::{ModelInput, Series, Tensor};
use crate::repr::{py_class, py_repr, py_str};
use crate::table;
use crate::types::{ColumnName, TensorSpec};
use crate::value::Value;
use arrow_array::RecordBatch;
use arrow_schema::Schema as ArrowSchema;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Enforces a tensor-based schema on `input`: the model receives an ndarray (or the sparse
/// matrix) for an unnamed spec, a dict of ndarrays in schema order for named specs.
pub(crate) fn enforce_tensors(
    specs: &[TensorSpec],
    input: ModelInput,
    compat: Compat,
    warnings: &mut Vec<Warning>,
) -> Result<ModelInput, EnforceError> {
    match specs.first() {
        None => Ok(input),
        Some(first) if first.name.is_none() => unnamed(first, input, compat),
        Some(_) => named(specs, input, compat, warnings),
    }
}

/// Python's `type(x)` of an input, as MLflow's messages print it.
fn input_class(input: &ModelInput) -> String {
    match input {
        ModelInput::Table(_) => "<class 'pandas.core.frame.DataFrame'>".into(),
        ModelInput::Series(_) => "<class 'pandas.core.series.Series'>".into(),
        ModelInput::Tensor(_) => "<class 'numpy.ndarray'>".into(),
        ModelInput::TensorDict(_) => "<class 'dict'>".into(),
        ModelInput::Sparse(m) => format!(
            "<class 'scipy.sparse._{0}.{0}_matrix'>",
            if m.csr { "csr" } else { "csc" }
        ),
        ModelInput::Value(v) => py_class(v),
    }
}

/// A Series as the one-column DataFrame `pd.DataFrame(series)` makes (label = series name, or
/// `0`).
fn series_frame(s: &Series) -> Result<RecordBatch, EnforceError> {
    let field = table::series_field(s);
    RecordBatch::try_new(
        Arc::new(ArrowSchema::new(vec![field])),
        vec![s.values.clone()],
    )
    .map_err(|e| EnforceError::new(ErrorKind::Other, e.to_string()))
}

/// A single unnamed spec (§7.2).
fn unnamed(
    spec: &TensorSpec,
    input: ModelInput,
    compat: Compat,
) -> Result<ModelInput, EnforceError> {
    match input {
        ModelInput::Tensor(t) => {
            check::enforce_spec(&t, spec, compat)?;
            Ok(ModelInput::Tensor(t))
        }
        ModelInput::Value(Value::Ndarray(t)) => {
            check::enforce_spec(&t, spec, compat)?;
            Ok(ModelInput::Tensor(*t))
        }
        ModelInput::Sparse(m) => {
            check::enforce_sparse(&m, spec)?;
            Ok(ModelInput::Sparse(m))
        }
        ModelInput::Table(batch) => {
            frame::unnamed_frame(&batch, spec, compat).map(ModelInput::Tensor)
        }
        ModelInput::Series(s) => {
            frame::unnamed_frame(&series_frame(&s)?, spec, compat).map(ModelInput::Tensor)
        }
        other => Err(EnforceError::new(
            ErrorKind::InvalidInput,
            format!(
                "This model contains a tensor-based model signature with no input names, which \
                 suggests a numpy array input or a pandas dataframe input with proper column \
                 values, but an input of type {} was found.",
                input_class(&other)
            ),
        )),
    }
}

/// An input name as found in the input: its text when it is a string (only strings can match
/// a tensor name), and its Python repr for messages.
struct Found {
    name: Option<String>,
    repr: String,
}

fn found_names(input: &ModelInput) -> Vec<Found> {
    let of_label = |l: ColumnName| match l {
        ColumnName::Str(s) => Found {
            repr: py_str(&s),
            name: Some(s),
        },
        ColumnName::Int(i) => Found {
            name: None,
            repr: i.to_string(),
        },
    };
    match input {
        ModelInput::Table(b) => b
            .schema()
            .fields()
            .iter()
            .map(|f| of_label(table::column_label(f)))
            .collect(),
        ModelInput::TensorDict(items) => items
            .iter()
            .map(|(k, _)| Found {
                name: Some(k.clone()),
                repr: py_str(k),
            })
            .collect(),
        ModelInput::Value(Value::Dict(items)) => items
            .iter()
            .map(|(k, _)| match k {
                Value::Str(s) => Found {
                    name: Some(s.clone()),
                    repr: py_str(s),
                },
                other => Found {
                    name: None,
                    repr: py_repr(other),
                },
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The presence checks of §3: missing names fail, extra names are dropped with a warning.
fn check_presence(
    names: &[&str],
    input: &ModelInput,
    warnings: &mut Vec<Warning>,
) -> Result<(), EnforceError> {
    let found = found_names(input);
    // Sets, not list scans: a request may carry 100k names (linear in the width).
    let found_set: HashSet<&str> = found.iter().filter_map(|f| f.name.as_deref()).collect();
    let declared: HashSet<&str> = names.iter().copied().collect();
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !found_set.contains(n))
        .collect();
    let mut extra: Vec<&str> = Vec::new();
    let mut listed_extra: HashSet<&str> = HashSet::new();
    for f in &found {
        let known = f.name.as_deref().is_some_and(|n| declared.contains(n));
        if !known && listed_extra.insert(f.repr.as_str()) {
            extra.push(&f.repr);
        }
    }
    let extra_list = format!("[{}]", extra.join(", "));
    if let Some(first) = missing.first() {
        let listed: Vec<String> = missing.iter().map(|m| py_str(m)).collect();
        let mut message = format!("Model is missing inputs [{}].", listed.join(", "));
        if !extra.is_empty() {
            message.push_str(&format!(
                " Note that there were extra inputs: {extra_list}."
            ));
        }
        return Err(EnforceError::new(ErrorKind::MissingInputs, message).column(*first));
    }
    if !extra.is_empty() {
        warnings.push(Warning {
            message: format!(
                "Found extra inputs in the model input that are not defined in the model \
                 signature: `{extra_list}`. These inputs will be ignored."
            ),
        });
    }
    Ok(())
}

/// Name → position of its last occurrence (`last`: a dict, where a repeated key's later value
/// wins) or its first (a table's first column of that label). Built once, so that looking every
/// spec up stays linear in the input's width.
fn positions<'a>(
    keys: impl Iterator<Item = Option<&'a str>>,
    last: bool,
) -> HashMap<&'a str, usize> {
    let mut at = HashMap::new();
    for (i, k) in keys.enumerate() {
        if let Some(k) = k {
            if last {
                at.insert(k, i);
            } else {
                at.entry(k).or_insert(i);
            }
        }
    }
    at
}

/// Named specs (§7.3).
fn named(
    specs: &[TensorSpec],
    input: ModelInput,
    compat: Compat,
    warnings: &mut Vec<Warning>,
) -> Result<ModelInput, EnforceError> {
    let names: Vec<&str> = specs
        .iter()
        .map(|s| s.name.as_deref().unwrap_or(""))
        .collect();
    let input = match input {
        ModelInput::Tensor(t) if names.len() == 1 => {
            ModelInput::TensorDict(vec![(names[0].to_string(), t)])
        }
        ModelInput::Value(Value::Ndarray(t)) if names.len() == 1 => {
            ModelInput::TensorDict(vec![(names[0].to_string(), *t)])
        }
        ModelInput::Series(s) => ModelInput::Table(series_frame(&s)?),
        other => other,
    };
    check_presence(&names, &input, warnings)?;
    let mut out: Vec<(String, Tensor)> = Vec::with_capacity(specs.len());
    match input {
        ModelInput::TensorDict(items) => {
            let at = positions(items.iter().map(|(k, _)| Some(k.as_str())), true);
            for (spec, name) in specs.iter().zip(&names) {
                let Some(t) = at.get(name).map(|&i| &items[i].1) else {
                    continue;
                };
                check::enforce_spec(t, spec, compat)?;
                out.push((name.to_string(), t.clone()));
            }
        }
        ModelInput::Value(Value::Dict(items)) => {
            let keys = items.iter().map(|(k, _)| k.as_str());
            let at = positions(keys, true);
            for (spec, name) in specs.iter().zip(&names) {
                let value = at.get(name).map(|&i| &items[i].1);
                match value {
                    Some(Value::Ndarray(t)) => {
                        check::enforce_spec(t, spec, compat)?;
                        out.push((name.to_string(), (**t).clone()));
                    }
                    Some(v) => {
                        return Err(EnforceError::new(
                            ErrorKind::InvalidInput,
                            format!(
                                "This model contains a tensor-based model signature with input \
                                 names, which suggests a dictionary input mapping input name to a \
                                 numpy array, but a dict with value type {} was found.",
                                py_class(v)
                            ),
                        )
                        .column(*name));
                    }
                    None => {}
                }
            }
        }
        ModelInput::Table(batch) => {
            let schema = batch.schema();
            let labels = table::column_labels(&batch);
            let keys = labels.iter().map(|l| match l {
                ColumnName::Str(s) => Some(s.as_str()),
                ColumnName::Int(_) => None,
            });
            let at = positions(keys, false);
            for (spec, name) in specs.iter().zip(&names) {
                let Some(&i) = at.get(name) else {
                    continue;
                };
                let t = frame::column_to_tensor(
                    Some(name),
                    schema.field(i),
                    batch.column(i),
                    spec,
                    compat,
                )?;
                out.push((name.to_string(), t));
            }
        }
        other => {
            return Err(EnforceError::new(
                ErrorKind::InvalidInput,
                format!(
                    "This model contains a tensor-based model signature with input names, which \
                     suggests a dictionary input mapping input name to tensor, or a pandas \
                     DataFrame input containing columns mapping input name to flattened list \
                     value from tensor, but an input of type {} was found.",
                    input_class(&other)
                ),
            ))
        }
    }
    Ok(ModelInput::TensorDict(out))
}

#[cfg(test)]
mod tests;
