//! Column types: a scalar [`DataType`] or one of the composite types (Array, Object, Map,
//! AnyType, SparkMLVector), nested without limit.

use super::DataType;
use crate::value::Value;

/// The type of a column, a property, an array item or a map value.
#[derive(Clone, Debug, PartialEq)]
pub enum ColType {
    /// A scalar type.
    Scalar(DataType),
    /// `Array(T)`: a list of values of one type.
    Array(Box<ColType>),
    /// `Object(...)`: a dict with a fixed set of named, typed properties.
    Object(ObjectType),
    /// `Map(V)`: a dict with string keys and values of one type.
    Map(Box<ColType>),
    /// `AnyType()`: no checks at all.
    Any,
    /// `SparkMLVector()`: behaves as `Array(double)`.
    SparkMLVector,
}

impl ColType {
    /// The `type` key of the JSON form (`long`, `array`, `object`, `map`, `any`, `sparkml_vector`).
    pub fn type_name(&self) -> &'static str {
        match self {
            ColType::Scalar(t) => t.name(),
            ColType::Array(_) => "array",
            ColType::Object(_) => "object",
            ColType::Map(_) => "map",
            ColType::Any => "any",
            ColType::SparkMLVector => "sparkml_vector",
        }
    }

    /// The scalar type, when this is one.
    pub fn as_scalar(&self) -> Option<DataType> {
        match self {
            ColType::Scalar(t) => Some(*t),
            _ => None,
        }
    }
}

impl From<DataType> for ColType {
    fn from(t: DataType) -> Self {
        ColType::Scalar(t)
    }
}

/// The required flag of a ColSpec or Property as written in JSON.
///
/// MLflow keeps whatever JSON value it read (`true`, `false`, `null` for composite columns
/// without the key, even a string) and writes it back unchanged; enforcement uses its Python
/// truthiness.
#[derive(Clone, Debug, PartialEq)]
pub enum Required {
    /// `true`.
    Yes,
    /// `false`.
    No,
    /// `null`: written back as `null`, treated as optional.
    Null,
    /// Any other JSON value, kept verbatim (truthiness decides).
    Other(Value),
}

impl Required {
    /// Python truthiness of the flag: whether the column must be present.
    pub fn is_required(&self) -> bool {
        match self {
            Required::Yes => true,
            Required::No | Required::Null => false,
            Required::Other(v) => v.is_truthy(),
        }
    }

    /// True only for a literal `false` (the unnamed-optional schema rule checks exactly that).
    pub fn is_false(&self) -> bool {
        matches!(self, Required::No)
    }
}

impl From<bool> for Required {
    fn from(b: bool) -> Self {
        if b {
            Required::Yes
        } else {
            Required::No
        }
    }
}

/// A named, typed member of an [`ObjectType`].
#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    /// The key in the dict.
    pub name: String,
    /// The type of the value.
    pub ty: ColType,
    /// Whether the key must be present (and not None).
    pub required: Required,
}

impl Property {
    /// A property; `required` defaults to true in MLflow.
    pub fn new(name: impl Into<String>, ty: impl Into<ColType>, required: bool) -> Property {
        Property {
            name: name.into(),
            ty: ty.into(),
            required: required.into(),
        }
    }
}

/// `Object(properties)`: non-empty, unique names, stored sorted by name.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectType {
    properties: Vec<Property>,
}

impl ObjectType {
    /// Builds an object type, sorting properties by name (Unicode code point order) and
    /// refusing an empty list or duplicate names with MLflow's messages.
    pub fn new(mut properties: Vec<Property>) -> Result<ObjectType, crate::SchemaError> {
        if properties.is_empty() {
            return Err(crate::SchemaError::new(
                "Creating Object with empty properties is not allowed.",
            ));
        }
        properties.sort_by(|a, b| a.name.cmp(&b.name));
        let mut dups: Vec<&str> = Vec::new();
        for w in properties.windows(2) {
            if w[0].name == w[1].name && !dups.contains(&w[0].name.as_str()) {
                dups.push(&w[0].name);
            }
        }
        if !dups.is_empty() {
            return Err(crate::SchemaError::new(format!(
                "Found duplicated property names: `{}`",
                dups.join(", ")
            )));
        }
        Ok(ObjectType { properties })
    }

    /// The properties, sorted by name.
    pub fn properties(&self) -> &[Property] {
        &self.properties
    }

    /// The property with this name.
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.properties
            .binary_search_by(|p| p.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.properties[i])
    }
}
