//! `ParamSpec` / `ParamSchema`: inference-time parameters with types, defaults and shapes.

use super::{DataType, ObjectType};
use crate::value::Value;
use crate::SchemaError;

/// The type of a parameter: a scalar DataType (not binary) or an Object.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamType {
    /// A scalar type.
    Scalar(DataType),
    /// A dict with typed properties.
    Object(ObjectType),
}

impl ParamType {
    /// The JSON `type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamType::Scalar(t) => t.name(),
            ParamType::Object(_) => "object",
        }
    }
}

/// Shape of a parameter: a scalar (or Object value), or a 1-D list (`(-1,)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamShape {
    /// `shape: null`.
    Scalar,
    /// `shape: [-1]`.
    List,
}

/// One parameter: name, type, default (validated and converted) and shape.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    name: String,
    dtype: ParamType,
    default: Value,
    shape: ParamShape,
}

impl ParamSpec {
    /// Builds a parameter spec, validating (and converting) the default exactly as MLflow does.
    pub fn new(
        name: impl Into<String>,
        dtype: ParamType,
        default: Value,
        shape: ParamShape,
    ) -> Result<ParamSpec, SchemaError> {
        let mut spec = ParamSpec {
            name: name.into(),
            dtype,
            default: Value::None,
            shape,
        };
        if let ParamType::Scalar(DataType::Binary) = spec.dtype {
            return Err(SchemaError::new(format!(
                "Binary type is not supported for parameters, ParamSpec '{}'has dtype 'binary'",
                spec.name
            )));
        }
        spec.default = crate::params::validate_param(&spec, &default, true)?;
        Ok(spec)
    }

    /// Builds a spec without validating the default (the caller guarantees it is valid).
    pub fn new_unchecked(
        name: String,
        dtype: ParamType,
        default: Value,
        shape: ParamShape,
    ) -> ParamSpec {
        ParamSpec {
            name,
            dtype,
            default,
            shape,
        }
    }

    /// The parameter's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameter's type.
    pub fn dtype(&self) -> &ParamType {
        &self.dtype
    }

    /// The default value (already converted to the type).
    pub fn default(&self) -> &Value {
        &self.default
    }

    /// The shape.
    pub fn shape(&self) -> ParamShape {
        self.shape
    }
}

/// The parameters of a signature; names are unique.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ParamSchema {
    params: Vec<ParamSpec>,
}

impl ParamSchema {
    /// Builds a params schema, refusing duplicate names with MLflow's message.
    pub fn new(params: Vec<ParamSpec>) -> Result<ParamSchema, SchemaError> {
        let mut seen: Vec<&str> = Vec::new();
        let mut dups: Vec<&str> = Vec::new();
        for p in &params {
            if seen.contains(&p.name()) {
                if !dups.contains(&p.name()) {
                    dups.push(p.name());
                }
            } else {
                seen.push(p.name());
            }
        }
        if !dups.is_empty() {
            let list: Vec<String> = dups.iter().map(|d| crate::repr::py_str(d)).collect();
            return Err(SchemaError::new(format!(
                "Duplicated parameters found in schema: [{}]",
                list.join(", ")
            )));
        }
        Ok(ParamSchema { params })
    }

    /// The parameter specs in order.
    pub fn params(&self) -> &[ParamSpec] {
        &self.params
    }

    /// The spec with this name.
    pub fn get(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name() == name)
    }

    /// Whether there are no parameters (such a schema is written as `null`).
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }
}
