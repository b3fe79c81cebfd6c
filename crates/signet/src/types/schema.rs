//! `Schema`: the ordered list of column or tensor specs of a signature's inputs or outputs.

use super::{ColSpec, ColumnName, TensorSpec};
use crate::SchemaError;

/// One element of a schema list before validation.
#[derive(Clone, Debug, PartialEq)]
pub enum Spec {
    /// A column spec.
    Col(ColSpec),
    /// A tensor spec.
    Tensor(TensorSpec),
}

/// A validated schema: non-empty, all columns or all tensors, all named or all unnamed.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    kind: SchemaKind,
    /// Whether no two specs share a name (derived from `kind` once).
    distinct_names: bool,
}

/// The two kinds of schema.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaKind {
    /// Column-based (`ColSpec`s): tables, dicts, lists, scalars.
    Columns(Vec<ColSpec>),
    /// Tensor-based (`TensorSpec`s): arrays or dicts of arrays.
    Tensors(Vec<TensorSpec>),
}

impl Schema {
    /// Validates `specs` with MLflow's rules, in MLflow's order, with its exact messages.
    pub fn new(specs: Vec<Spec>) -> Result<Schema, SchemaError> {
        if specs.is_empty() {
            return Err(SchemaError::new(
                "Creating Schema with empty inputs is not allowed.",
            ));
        }
        let named = |s: &Spec| match s {
            Spec::Col(c) => c.name.is_some(),
            Spec::Tensor(t) => t.name.is_some(),
        };
        let first_named = named(&specs[0]);
        if specs.iter().any(|s| named(s) != first_named) {
            let names: Vec<String> = specs
                .iter()
                .map(|s| match s {
                    Spec::Col(ColSpec { name: Some(n), .. }) => crate::repr::column_name(n),
                    Spec::Tensor(TensorSpec { name: Some(n), .. }) => crate::repr::py_str(n),
                    _ => "None".to_string(),
                })
                .collect();
            return Err(SchemaError::new(format!(
                "Creating Schema with a combination of named and unnamed inputs is not allowed. Got input names [{}]",
                names.join(", ")
            )));
        }
        // Not empty (checked above): all columns or all tensors.
        let (mut cols, mut tensors) = (Vec::new(), Vec::new());
        for spec in specs {
            match spec {
                Spec::Col(c) => cols.push(c),
                Spec::Tensor(t) => tensors.push(t),
            }
        }
        if !cols.is_empty() && !tensors.is_empty() {
            return Err(SchemaError::new(
                "Creating Schema with a combination of {0} and {1} is not supported. Please choose one of ColSpec or TensorSpec",
            ));
        }
        if !tensors.is_empty() {
            if tensors.len() > 1 && tensors.iter().any(|t| t.name.is_none()) {
                return Err(SchemaError::new(
                    "Creating Schema with multiple unnamed TensorSpecs is not supported. Please provide names for each TensorSpec.",
                ));
            }
            let mut seen = std::collections::HashSet::new();
            let distinct_names = tensors
                .iter()
                .filter_map(|t| t.name.as_ref())
                .all(|n| seen.insert(n));
            return Ok(Schema {
                kind: SchemaKind::Tensors(tensors),
                distinct_names,
            });
        }
        if cols
            .iter()
            .any(|c| c.name.is_none() && c.required.is_false())
        {
            return Err(SchemaError::new(
                "Creating Schema with unnamed optional inputs is not supported. Please name all inputs or make all inputs required.",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        let distinct_names = cols
            .iter()
            .filter_map(|c| c.name.as_ref())
            .all(|n| seen.insert(n));
        Ok(Schema {
            kind: SchemaKind::Columns(cols),
            distinct_names,
        })
    }

    /// A column-based schema.
    pub fn columns(cols: Vec<ColSpec>) -> Result<Schema, SchemaError> {
        Schema::new(cols.into_iter().map(Spec::Col).collect())
    }

    /// A tensor-based schema.
    pub fn tensors(tensors: Vec<TensorSpec>) -> Result<Schema, SchemaError> {
        Schema::new(tensors.into_iter().map(Spec::Tensor).collect())
    }

    /// The specs.
    pub fn kind(&self) -> &SchemaKind {
        &self.kind
    }

    /// The column specs, when column-based.
    pub fn col_specs(&self) -> Option<&[ColSpec]> {
        match &self.kind {
            SchemaKind::Columns(c) => Some(c),
            SchemaKind::Tensors(_) => None,
        }
    }

    /// The tensor specs, when tensor-based.
    pub fn tensor_specs(&self) -> Option<&[TensorSpec]> {
        match &self.kind {
            SchemaKind::Tensors(t) => Some(t),
            SchemaKind::Columns(_) => None,
        }
    }

    /// Whether no two specs share a name. MLflow allows repeated names: each spec of a
    /// repeated name selects the same input.
    pub fn names_distinct(&self) -> bool {
        self.distinct_names
    }

    /// Number of specs.
    pub fn len(&self) -> usize {
        match &self.kind {
            SchemaKind::Columns(c) => c.len(),
            SchemaKind::Tensors(t) => t.len(),
        }
    }

    /// Always false: a schema is never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// MLflow's `has_input_names()`: decided by the first spec.
    pub fn has_input_names(&self) -> bool {
        match &self.kind {
            SchemaKind::Columns(c) => c[0].name.is_some(),
            SchemaKind::Tensors(t) => t[0].name.is_some(),
        }
    }

    /// MLflow's `input_names()`: each spec's name, or its position when the name is falsy.
    pub fn input_names(&self) -> Vec<ColumnName> {
        match &self.kind {
            SchemaKind::Columns(c) => c
                .iter()
                .enumerate()
                .map(|(i, s)| match &s.name {
                    Some(n) if n.is_truthy() => n.clone(),
                    _ => ColumnName::Int(i as i64),
                })
                .collect(),
            SchemaKind::Tensors(t) => t
                .iter()
                .enumerate()
                .map(|(i, s)| match &s.name {
                    Some(n) if !n.is_empty() => ColumnName::Str(n.clone()),
                    _ => ColumnName::Int(i as i64),
                })
                .collect(),
        }
    }
}
