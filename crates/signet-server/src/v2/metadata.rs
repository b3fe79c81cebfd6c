//! Model metadata from the model's signature, as Seldon MLServer's MLflow runtime derives it
//! (`runtimes/mlflow/mlserver_mlflow/metadata.py` in SeldonIO/MLServer: `to_metadata_tensors`,
//! `_get_content_type`, `_get_shape`, `to_model_content_type`; `MLModel.metadata()` in
//! `mlserver/model.py` for the response itself).

use super::datatype::{Datatype, BASE64, DATETIME, DICT, NP, PD, PD_JSON, STR};
use super::json;
use crate::ServerConfig;
use signet::{ColSpec, ColType, DataType, Schema, SchemaKind, TensorSpec, Value};

/// `DefaultInputPrefix` of mlserver_mlflow: unnamed inputs are `input-0`, `input-1`, ...
pub(crate) const INPUT_PREFIX: &str = "input-";
/// `DefaultOutputPrefix` of mlserver_mlflow: unnamed outputs are `output-0`, `output-1`, ...
pub(crate) const OUTPUT_PREFIX: &str = "output-";

/// One entry of a model's `inputs` / `outputs` metadata (MLServer's `MetadataTensor`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MetadataTensor {
    /// The spec's name, or `<prefix><index>` for an unnamed spec.
    pub name: String,
    /// The V2 datatype.
    pub datatype: Datatype,
    /// `[-1, 1]` for a column, the spec's shape for a tensor.
    pub shape: Vec<i64>,
    /// The content type MLServer decodes the input with (`parameters.content_type`).
    pub content_type: &'static str,
}

/// `_MLflowToContentType` of mlserver_mlflow: the datatype and content type of a scalar
/// column type.
fn scalar_content_type(t: DataType) -> (Datatype, &'static str) {
    match t {
        DataType::Boolean => (Datatype::Bool, NP),
        DataType::Integer => (Datatype::Int32, NP),
        DataType::Long => (Datatype::Int64, NP),
        DataType::Float => (Datatype::Fp32, NP),
        DataType::Double => (Datatype::Fp64, NP),
        DataType::String => (Datatype::Bytes, STR),
        DataType::Binary => (Datatype::Bytes, BASE64),
        DataType::Datetime => (Datatype::Bytes, DATETIME),
    }
}

/// `_get_content_type` of a column: composite types (Array, Object, Map, AnyType) are JSON
/// texts (`BYTES`, `pd_json`). MLServer has no entry for `SparkMLVector` (a `KeyError`); signet
/// treats it as the composite type it is.
pub(crate) fn column_content_type(spec: &ColSpec) -> (Datatype, &'static str) {
    match &spec.ty {
        ColType::Scalar(t) => scalar_content_type(*t),
        ColType::Array(_)
        | ColType::Object(_)
        | ColType::Map(_)
        | ColType::Any
        | ColType::SparkMLVector => (Datatype::Bytes, PD_JSON),
    }
}

/// `_get_content_type` of a tensor: `to_datatype(spec.type)` and `np`.
fn tensor_content_type(spec: &TensorSpec) -> (Datatype, &'static str) {
    (Datatype::of_numpy(spec.dtype), NP)
}

/// `to_metadata_tensors(schema, prefix)`: one entry per spec, in order. Columns get the shape
/// `[-1, 1]` (`_get_shape` of MLServer 1.4+, which encodes DataFrame columns as `[n, 1]`),
/// tensors their declared shape.
pub(crate) fn metadata_tensors(schema: &Schema, prefix: &str) -> Vec<MetadataTensor> {
    // Each spec's own name (if it has one), datatype and content type, and shape.
    type Entry = (Option<String>, (Datatype, &'static str), Vec<i64>);
    let entries: Vec<Entry> = match schema.kind() {
        SchemaKind::Columns(cols) => cols
            .iter()
            .map(|spec| {
                let name = spec.name.as_ref().filter(|n| n.is_truthy());
                (
                    name.map(|n| n.as_text()),
                    column_content_type(spec),
                    vec![-1, 1],
                )
            })
            .collect(),
        SchemaKind::Tensors(tensors) => tensors
            .iter()
            .map(|spec| {
                let name = spec.name.clone().filter(|n| !n.is_empty());
                (name, tensor_content_type(spec), spec.shape.clone())
            })
            .collect(),
    };
    entries
        .into_iter()
        .enumerate()
        .map(
            |(idx, (name, (datatype, content_type), shape))| MetadataTensor {
                name: name.unwrap_or_else(|| format!("{prefix}{idx}")),
                datatype,
                shape,
                content_type,
            },
        )
        .collect()
}

/// `to_model_content_type(schema)`: how a whole request is decoded — `pd` (a DataFrame) for
/// a column-based schema, `dict` (a dict of arrays) for named tensors, `np` (one array) for an
/// unnamed tensor.
pub(crate) fn model_content_type(schema: &Schema) -> &'static str {
    match schema.kind() {
        SchemaKind::Columns(_) => PD,
        SchemaKind::Tensors(_) if schema.has_input_names() => DICT,
        SchemaKind::Tensors(_) => NP,
    }
}

/// The metadata of the configured model's inputs (empty without an input schema).
pub(crate) fn input_metadata(config: &ServerConfig) -> Vec<MetadataTensor> {
    config
        .signature
        .as_ref()
        .and_then(|s| s.inputs.as_ref())
        .map(|s| metadata_tensors(s, INPUT_PREFIX))
        .unwrap_or_default()
}

fn tensor_value(t: &MetadataTensor) -> Value {
    Value::dict([
        ("name", Value::str(t.name.clone())),
        ("datatype", Value::str(t.datatype.name())),
        (
            "shape",
            Value::List(t.shape.iter().map(|d| Value::Int(*d as i128)).collect()),
        ),
        (
            "parameters",
            Value::dict([("content_type", Value::str(t.content_type))]),
        ),
    ])
}

/// The body of `GET /v2/models/{name}`: MLServer's `MetadataModelResponse` for an MLflow model
/// — `name`, `versions` (the configured version, else `[]`), `platform` (MLServer's default
/// `""`), `inputs` and `outputs` from the signature, and `parameters.content_type` from the
/// input schema. Without a signature the lists are empty and `parameters` is left out, as
/// MLServer skips `_sync_metadata` then.
pub(crate) fn model_metadata_json(config: &ServerConfig) -> String {
    let signature = config.signature.as_ref();
    let list = |schema: Option<&Schema>, prefix: &str| -> Value {
        Value::List(
            schema
                .map(|s| metadata_tensors(s, prefix))
                .unwrap_or_default()
                .iter()
                .map(tensor_value)
                .collect(),
        )
    };
    let inputs = signature.and_then(|s| s.inputs.as_ref());
    let outputs = signature.and_then(|s| s.outputs.as_ref());
    let versions = config
        .model_version
        .iter()
        .map(|v| Value::str(v.clone()))
        .collect();
    let mut members = vec![
        ("name", Value::str(config.model_name.clone())),
        ("versions", Value::List(versions)),
        ("platform", Value::str("")),
        ("inputs", list(inputs, INPUT_PREFIX)),
        ("outputs", list(outputs, OUTPUT_PREFIX)),
    ];
    if let Some(schema) = inputs {
        members.push((
            "parameters",
            Value::dict([("content_type", Value::str(model_content_type(schema)))]),
        ));
    }
    json::to_json(&Value::dict(members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use signet::json_form::signature_from_value;
    use signet::pyjson;

    fn schema(inputs: &str) -> Schema {
        let v = pyjson::loads(&format!(
            "{{\"inputs\": {}, \"outputs\": null, \"params\": null}}",
            pyjson::dumps(&Value::str(inputs))
        ))
        .expect("json");
        signature_from_value(&v)
            .expect("signature")
            .inputs
            .expect("inputs")
    }

    #[test]
    fn every_scalar_type_maps_as_mlserver_does() {
        let s = schema(
            r#"[{"type": "boolean"}, {"type": "integer"}, {"type": "long"}, {"type": "float"}, {"type": "double"}, {"type": "string"}, {"type": "binary"}, {"type": "datetime"}]"#,
        );
        let got: Vec<(String, &str, Vec<i64>, &str)> = metadata_tensors(&s, INPUT_PREFIX)
            .into_iter()
            .map(|t| (t.name, t.datatype.name(), t.shape, t.content_type))
            .collect();
        let expected = [
            ("BOOL", "np"),
            ("INT32", "np"),
            ("INT64", "np"),
            ("FP32", "np"),
            ("FP64", "np"),
            ("BYTES", "str"),
            ("BYTES", "base64"),
            ("BYTES", "datetime"),
        ];
        assert_eq!(got.len(), expected.len());
        for (i, ((name, dt, shape, ct), (edt, ect))) in got.iter().zip(expected).enumerate() {
            assert_eq!(name, &format!("input-{i}"));
            assert_eq!((*dt, shape.as_slice(), *ct), (edt, &[-1i64, 1][..], ect));
        }
        assert_eq!(model_content_type(&s), "pd");
    }

    #[test]
    fn composite_columns_are_json() {
        let s = schema(
            r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}, {"type": "map", "values": {"type": "string"}, "name": "m", "required": true}]"#,
        );
        let got: Vec<(String, &str, &str)> = metadata_tensors(&s, INPUT_PREFIX)
            .into_iter()
            .map(|t| (t.name, t.datatype.name(), t.content_type))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".to_string(), "BYTES", "pd_json"),
                ("m".to_string(), "BYTES", "pd_json")
            ]
        );
    }

    #[test]
    fn tensors_keep_their_shape_and_decide_np_or_dict() {
        let unnamed = schema(
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]"#,
        );
        let t = &metadata_tensors(&unnamed, INPUT_PREFIX)[0];
        assert_eq!(
            (
                t.name.as_str(),
                t.datatype.name(),
                t.shape.as_slice(),
                t.content_type
            ),
            ("input-0", "FP32", &[-1i64, 4][..], "np")
        );
        assert_eq!(model_content_type(&unnamed), "np");
        let named = schema(
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "uint8", "shape": [-1, 2]}, "name": "img"}, {"type": "tensor", "tensor-spec": {"dtype": "str", "shape": [-1]}, "name": "tag"}]"#,
        );
        let got: Vec<(String, &str)> = metadata_tensors(&named, INPUT_PREFIX)
            .into_iter()
            .map(|t| (t.name, t.datatype.name()))
            .collect();
        assert_eq!(
            got,
            vec![("img".to_string(), "UINT8"), ("tag".to_string(), "BYTES")]
        );
        assert_eq!(model_content_type(&named), "dict");
    }
}
