//! `GET /openapi.json`: the OpenAPI 3.1 document generated from the model signature — real
//! columns, types, required flags, tensor shapes and params for several signatures, the route
//! serving the same JSON (through the router in memory), and (when `SIGNET_OPENAPI_VALIDATOR`
//! names a python with `openapi-spec-validator`) every document checked by that standard
//! validator.

#[path = "../common/mod.rs"]
mod common;
mod documents;
mod validation;

use common::call;
use signet::json_form::{param_schema_from_json, schema_from_json};
use signet::{pyjson, ModelInput, ModelSignature, Value};
use signet_server::openapi::{document, DocumentOptions};
use signet_server::{router, MlflowError, PredictError, Predictor, ServerConfig};
use signet_testkit::echo::EchoPredictor;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

fn signature(inputs: Option<&str>, outputs: Option<&str>, params: Option<&str>) -> ModelSignature {
    ModelSignature::new(
        inputs.map(|s| schema_from_json(s).expect("inputs")),
        outputs.map(|s| schema_from_json(s).expect("outputs")),
        params.map(|s| param_schema_from_json(s).expect("params")),
    )
    .expect("signature")
}

fn house_price() -> ModelSignature {
    signature(
        Some(
            r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name": "bedrooms", "required": true}]"#,
        ),
        Some(r#"[{"type": "double", "name": "price", "required": true}]"#),
        None,
    )
}

fn mixed() -> ModelSignature {
    signature(
        Some(
            r#"[
            {"type": "string", "name": "name", "required": true},
            {"type": "boolean", "name": "active", "required": false},
            {"type": "datetime", "name": "ts", "required": true},
            {"type": "binary", "name": "blob", "required": false},
            {"type": "array", "items": {"type": "string"}, "name": "tags", "required": true},
            {"type": "object", "properties": {"y": {"type": "string", "required": false}, "x": {"type": "long", "required": true}}, "name": "meta", "required": false},
            {"type": "map", "values": {"type": "double"}, "name": "attrs", "required": true},
            {"type": "integer", "name": "n", "required": true},
            {"type": "any", "name": "extra", "required": false}
        ]"#,
        ),
        None,
        None,
    )
}

fn mnist() -> ModelSignature {
    signature(
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]}}]"#),
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 10]}}]"#),
        None,
    )
}

fn tensor_dict() -> ModelSignature {
    signature(
        Some(
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}, "name": "x"}, {"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "y"}]"#,
        ),
        None,
        None,
    )
}

fn with_params() -> ModelSignature {
    signature(
        Some(r#"[{"type": "string", "name": "prompt", "required": true}]"#),
        Some(r#"[{"type": "string", "required": true}]"#),
        Some(
            r#"[{"name": "k", "type": "long", "default": 1, "shape": null}, {"name": "temperature", "type": "double", "default": 0.5, "shape": null}, {"name": "stop", "type": "string", "default": ["a", "b"], "shape": [-1]}, {"name": "flag", "type": "boolean", "default": true, "shape": null}]"#,
        ),
    )
}

/// The value at `path` (dict keys, or list indices as decimal text).
fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    let mut cur = v;
    for (i, key) in path.iter().enumerate() {
        cur = match cur {
            Value::List(items) => key.parse::<usize>().ok().and_then(|n| items.get(n)),
            other => other.get(key),
        }
        .unwrap_or_else(|| panic!("no {:?} in {}", &path[..=i], pyjson::dumps(cur)));
    }
    cur
}

/// Where `/invocations`' JSON request body is described in a document.
const INVOCATIONS_JSON: [&str; 6] = [
    "paths",
    "/invocations",
    "post",
    "requestBody",
    "content",
    "application/json",
];

/// The value at `rest` under `/invocations`' JSON request body.
fn invocations_json<'a>(doc: &'a Value, rest: &[&str]) -> &'a Value {
    at(doc, &[&INVOCATIONS_JSON[..], rest].concat())
}

/// The `const` of the `application/json` schema of an operation's `status` response.
fn json_response_const<'a>(operation: &'a Value, status: &str) -> &'a Value {
    let media = ["content", "application/json", "schema", "const"];
    at(at(operation, &["responses", status]), &media)
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    at(doc, &["components", "schemas", name])
}

fn json(text: &str) -> Value {
    pyjson::loads(text).expect("test JSON")
}

fn keys(v: &Value) -> Vec<String> {
    match v {
        Value::Dict(items) => items
            .iter()
            .map(|(k, _)| match k {
                Value::Str(s) => s.clone(),
                other => panic!("key {other:?}"),
            })
            .collect(),
        other => panic!("not a dict: {other:?}"),
    }
}

fn doc(sig: Option<&ModelSignature>) -> Value {
    let d = document(sig, &DocumentOptions::default());
    // The served text is `dumps` of it: it must parse back to the same document.
    assert_eq!(pyjson::loads(&pyjson::dumps(&d)).expect("valid JSON"), d);
    d
}

const LONG: &str = r#"{"type": "integer", "format": "int64", "minimum": -9223372036854775808, "maximum": 9223372036854775807}"#;
