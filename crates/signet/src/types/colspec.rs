//! `ColSpec`: one column of a column-based schema.

use super::{ColType, Required};

/// A column label: pandas allows strings and integers (integer labels come from unnamed data,
/// e.g. a list of lists turned into a DataFrame).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ColumnName {
    /// A string label.
    Str(String),
    /// An integer label, printed bare (`0`, not `'0'`).
    Int(i64),
}

impl ColumnName {
    /// The label as text (`"0"` for an integer label), as MLflow names columns in messages.
    pub fn as_text(&self) -> String {
        match self {
            ColumnName::Str(s) => s.clone(),
            ColumnName::Int(i) => i.to_string(),
        }
    }

    /// Python truthiness of the label (`""` and `0` are falsy).
    pub fn is_truthy(&self) -> bool {
        match self {
            ColumnName::Str(s) => !s.is_empty(),
            ColumnName::Int(i) => *i != 0,
        }
    }
}

impl From<&str> for ColumnName {
    fn from(s: &str) -> Self {
        ColumnName::Str(s.to_string())
    }
}

impl From<String> for ColumnName {
    fn from(s: String) -> Self {
        ColumnName::Str(s)
    }
}

impl From<i64> for ColumnName {
    fn from(i: i64) -> Self {
        ColumnName::Int(i)
    }
}

/// One column of a column-based schema: a type, an optional name and a required flag.
#[derive(Clone, Debug, PartialEq)]
pub struct ColSpec {
    /// The column's type.
    pub ty: ColType,
    /// The column's name; `None` for positional (unnamed) schemas.
    pub name: Option<ColumnName>,
    /// Whether the column must be present.
    pub required: Required,
}

impl ColSpec {
    /// A named column.
    pub fn new(name: impl Into<ColumnName>, ty: impl Into<ColType>, required: bool) -> ColSpec {
        ColSpec {
            ty: ty.into(),
            name: Some(name.into()),
            required: required.into(),
        }
    }

    /// An unnamed (positional) required column.
    pub fn unnamed(ty: impl Into<ColType>) -> ColSpec {
        ColSpec {
            ty: ty.into(),
            name: None,
            required: Required::Yes,
        }
    }

    /// Whether the column must be present (Python truthiness of the flag).
    pub fn is_required(&self) -> bool {
        self.required.is_required()
    }
}
