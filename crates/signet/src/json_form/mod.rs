//! The JSON form of signatures, byte-identical to MLflow's `ModelSignature.to_dict()`, and its
//! parsing with MLflow's messages.
//!
//! Serialisation goes through [`Value`] trees written by [`crate::pyjson::dumps`] (Python's
//! `json.dumps` defaults); parsing decodes with [`crate::pyjson::loads`] and replays MLflow's
//! `from_json_dict` logic, quirks included (docs/types.md).

mod read;
mod write;

pub use read::{
    array_from_dict, colspec_from_value, coltype_from_value, map_from_dict, object_from_dict,
    param_schema_from_json, param_schema_from_value, param_spec_from_value, schema_from_json,
    schema_from_value, tensor_spec_from_value,
};
pub use write::{
    colspec_to_json, colspec_to_value, coltype_to_json, coltype_to_value, column_name_to_value,
    param_schema_to_json, param_schema_to_value, param_spec_to_json, param_spec_to_value,
    property_to_value, required_to_value, schema_to_json, schema_to_value, tensor_spec_to_json,
    tensor_spec_to_value,
};

use crate::types::ModelSignature;
use crate::value::Value;
use crate::SchemaError;

/// `ModelSignature.to_dict()`: the three JSON strings (or `None`) for inputs, outputs, params.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureDict {
    /// Schema JSON text of the inputs.
    pub inputs: Option<String>,
    /// Schema JSON text of the outputs.
    pub outputs: Option<String>,
    /// ParamSchema JSON text.
    pub params: Option<String>,
}

impl SignatureDict {
    /// The dict of three JSON texts, each possibly absent.
    pub fn from_texts(
        inputs: Option<&str>,
        outputs: Option<&str>,
        params: Option<&str>,
    ) -> SignatureDict {
        SignatureDict {
            inputs: inputs.map(String::from),
            outputs: outputs.map(String::from),
            params: params.map(String::from),
        }
    }
}

/// Serialises a signature to its dict form, byte-identical to MLflow. An empty params schema
/// is written as `None`, as MLflow does (it is falsy).
pub fn signature_to_dict(sig: &ModelSignature) -> SignatureDict {
    SignatureDict {
        inputs: sig.inputs.as_ref().map(schema_to_json),
        outputs: sig.outputs.as_ref().map(schema_to_json),
        params: sig
            .params
            .as_ref()
            .filter(|p| !p.is_empty())
            .map(param_schema_to_json),
    }
}

/// [`signature_to_dict`] as a Python dict value (`{"inputs": str|None, ...}`), e.g. for
/// embedding in an MLmodel document.
pub fn signature_to_value(sig: &ModelSignature) -> Value {
    let d = signature_to_dict(sig);
    let part = |s: Option<String>| s.map_or(Value::None, Value::Str);
    Value::dict([
        ("inputs", part(d.inputs)),
        ("outputs", part(d.outputs)),
        ("params", part(d.params)),
    ])
}

/// Parses a signature from its dict form (`ModelSignature.from_dict`).
///
/// A part that is `None` or the empty string is absent. When all three are absent MLflow's
/// constructor refuses the signature (`At least one of inputs, outputs or params must be
/// provided`), so on success the result is always `Some`; `params: "[]"` gives an empty
/// params schema (kept, and written back as `None`).
pub fn signature_from_dict(dict: &SignatureDict) -> Result<Option<ModelSignature>, SchemaError> {
    let part = |s: &Option<String>| s.clone().map_or(Value::None, Value::Str);
    let value = Value::dict([
        ("inputs", part(&dict.inputs)),
        ("outputs", part(&dict.outputs)),
        ("params", part(&dict.params)),
    ]);
    signature_from_value(&value).map(Some)
}

/// `ModelSignature.from_dict(d)` for any Python value `d` (as read from an MLmodel YAML
/// document): each of `inputs`, `outputs`, `params` is parsed when truthy (text or UTF-8
/// bytes); any other truthy value is refused as `json.loads` refuses it.
pub fn signature_from_value(dict: &Value) -> Result<ModelSignature, SchemaError> {
    if !matches!(dict, Value::Dict(_)) {
        return Err(SchemaError::new(format!(
            "'{}' object has no attribute 'get'",
            dict.type_name()
        )));
    }
    let text = |key: &str| -> Result<Option<String>, SchemaError> {
        match dict.get(key) {
            Some(v) if v.is_truthy() => match v {
                Value::Str(s) => Ok(Some(s.clone())),
                Value::Bytes(b) => Ok(Some(String::from_utf8_lossy(b).into_owned())),
                other => Err(SchemaError::new(format!(
                    "the JSON object must be str, bytes or bytearray, not {}",
                    other.type_name()
                ))),
            },
            _ => Ok(None),
        }
    };
    let inputs = text("inputs")?.map(|s| schema_from_json(&s)).transpose()?;
    let outputs = text("outputs")?.map(|s| schema_from_json(&s)).transpose()?;
    let params = text("params")?
        .map(|s| param_schema_from_json(&s))
        .transpose()?;
    ModelSignature::new(inputs, outputs, params)
}

#[cfg(test)]
mod tests;
