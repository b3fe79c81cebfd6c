//! The YAML form of MLmodel files: a small document model ([`Yaml`]) and an emitter that writes
//! what PyYAML 6's `yaml.safe_dump(doc, default_flow_style=False)` writes, byte for byte
//! (docs/model-directory.md#yaml-bytes).
//!
//! The emitter is a port of the parts of PyYAML's `Emitter` that `safe_dump` exercises: block
//! mappings (keys sorted by code point) and sequences, `{}`/`[]` for empty collections, and
//! plain, single-quoted or double-quoted scalars chosen by PyYAML's own analysis, including its
//! YAML 1.1 implicit-type resolution (`'yes'`, `'1.0'`, `'2020-01-01'` are quoted) and its
//! folding of long scalars at column 80.
//!
//! Reading is the other half: [`load`] reads a document as PyYAML's `yaml.safe_load` does
//! (YAML 1.1 implicit types, key order kept in [`Node`]), see the `load` module.

mod emit;
mod load;
mod resolve;

pub use emit::to_string;
pub use load::{load, LoadError, Node};
pub use resolve::resolves_to_str;

use signet::{SignatureDict, Value};
use std::collections::BTreeMap;

/// A YAML node as `safe_dump` sees the Python value.
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    /// `None` → `null`.
    Null,
    /// `bool` → `true` / `false`.
    Bool(bool),
    /// `int`, written in decimal.
    Int(i128),
    /// `float`: `1.5`, `1.0e+20`, `.inf`, `-.inf`, `.nan`.
    Float(f64),
    /// `str`, quoted when needed.
    Str(String),
    /// `list`, a block sequence (`[]` when empty).
    Seq(Vec<Yaml>),
    /// `dict` with string keys, a block mapping (`{}` when empty). The map's order (by code
    /// point) is the order `safe_dump` writes with its default `sort_keys=True`.
    Map(BTreeMap<String, Yaml>),
}

impl Yaml {
    /// A string node.
    pub fn str(s: impl Into<String>) -> Yaml {
        Yaml::Str(s.into())
    }

    /// A mapping node from `(key, value)` pairs (later duplicates win).
    pub fn map<K: Into<String>>(items: impl IntoIterator<Item = (K, Yaml)>) -> Yaml {
        Yaml::Map(items.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// An optional string: `None` becomes `null`.
    pub fn opt_str(s: Option<&str>) -> Yaml {
        s.map_or(Yaml::Null, Yaml::str)
    }

    /// Python's type name of the value the node stands for (`dict`, `str`, `NoneType`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "NoneType",
            Yaml::Bool(_) => "bool",
            Yaml::Int(_) => "int",
            Yaml::Float(_) => "float",
            Yaml::Str(_) => "str",
            Yaml::Seq(_) => "list",
            Yaml::Map(_) => "dict",
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// The string, when the node is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The node as the Python value `safe_load` gives (mappings as string-keyed dicts).
    pub fn to_value(&self) -> Value {
        match self {
            Yaml::Null => Value::None,
            Yaml::Bool(b) => Value::Bool(*b),
            Yaml::Int(i) => Value::Int(*i),
            Yaml::Float(f) => Value::Float(*f),
            Yaml::Str(s) => Value::Str(s.clone()),
            Yaml::Seq(items) => Value::List(items.iter().map(Yaml::to_value).collect()),
            Yaml::Map(m) => Value::Dict(
                m.iter()
                    .map(|(k, v)| (Value::Str(k.clone()), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// A JSON-like Python value as a node (`safe_dump`'s view of it). Values YAML has no
    /// plain form for (bytes, dates, numpy values, arrays) are written as their Python `str()`;
    /// non-string dict keys likewise.
    pub fn from_value(v: &Value) -> Yaml {
        match v {
            Value::None | Value::NaT | Value::NA => Yaml::Null,
            Value::Bool(b) => Yaml::Bool(*b),
            Value::Int(i) => Yaml::Int(*i),
            Value::Float(f) => Yaml::Float(*f),
            Value::Str(s) => Yaml::Str(s.clone()),
            Value::Numpy(_, inner) => Yaml::from_value(inner),
            Value::List(items) | Value::Tuple(items) => {
                Yaml::Seq(items.iter().map(Yaml::from_value).collect())
            }
            Value::Dict(items) => Yaml::Map(
                items
                    .iter()
                    .map(|(k, v)| (signet::repr::py_str_of(k), Yaml::from_value(v)))
                    .collect(),
            ),
            other => Yaml::Str(signet::repr::py_str_of(other)),
        }
    }
}

/// The `signature:` block of an MLmodel file for a signature's dict form (docs/model-directory.md#signature-block),
/// ending with a newline:
///
/// ```
/// use signet::SignatureDict;
/// let dict = SignatureDict {
///     inputs: Some(r#"[{"type": "long", "name": "a", "required": true}]"#.into()),
///     outputs: None,
///     params: None,
/// };
/// assert_eq!(
///     signet_model::yaml::signature_block(&dict),
///     "signature:\n  inputs: '[{\"type\": \"long\", \"name\": \"a\", \"required\": true}]'\n  outputs: null\n  params: null\n"
/// );
/// ```
pub fn signature_block(dict: &SignatureDict) -> String {
    to_string(&Yaml::map([("signature", signature_node(dict))]))
}

/// The value of the `signature` key: a mapping with `inputs`, `outputs`, `params` (each a JSON
/// string or `null`).
pub fn signature_node(dict: &SignatureDict) -> Yaml {
    Yaml::map([
        ("inputs", Yaml::opt_str(dict.inputs.as_deref())),
        ("outputs", Yaml::opt_str(dict.outputs.as_deref())),
        ("params", Yaml::opt_str(dict.params.as_deref())),
    ])
}

#[cfg(test)]
mod tests;
