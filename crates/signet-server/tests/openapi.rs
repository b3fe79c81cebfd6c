//! `GET /openapi.json`: the OpenAPI 3.1 document generated from the model signature — real
//! columns, types, required flags, tensor shapes and params for several signatures, the route
//! serving the same JSON over HTTP, and (when `SIGNET_OPENAPI_VALIDATOR` names a python with
//! `openapi-spec-validator`) every document checked by that standard validator.

mod common;

use common::{send, start};
use signet::json_form::{param_schema_from_json, schema_from_json};
use signet::{pyjson, ModelInput, ModelSignature, Value};
use signet_server::openapi::{document, DocumentOptions};
use signet_server::{MlflowError, PredictError, Predictor, ServerConfig};
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

#[test]
fn house_price_document() {
    let d = doc(Some(&house_price()));
    assert_eq!(at(&d, &["openapi"]), &Value::str("3.1.0"));
    assert_eq!(
        at(&d, &["info", "title"]),
        &Value::str("signet scoring server")
    );
    assert_eq!(
        at(&d, &["info", "version"]),
        &Value::str(env!("CARGO_PKG_VERSION"))
    );
    let Value::Str(desc) = at(&d, &["info", "description"]) else {
        panic!("description")
    };
    assert!(desc.contains("MLflow 3.17.2"), "{desc}");
    assert!(
        desc.contains("'sqft': long (required), 'bedrooms': long (required)"),
        "{desc}"
    );

    // dataframe_records: a list of ModelInputRow, whose properties and required list are the
    // signature's columns, exactly.
    assert_eq!(
        at(
            &d,
            &[
                "components",
                "schemas",
                "DataframeRecordsRequest",
                "properties",
                "dataframe_records",
                "items"
            ]
        ),
        &json(r##"{"$ref": "#/components/schemas/ModelInputRow"}"##)
    );
    let row = schema(&d, "ModelInputRow");
    assert_eq!(
        at(row, &["properties"]),
        &json(&format!(r#"{{"sqft": {LONG}, "bedrooms": {LONG}}}"#))
    );
    assert_eq!(at(row, &["required"]), &json(r#"["sqft", "bedrooms"]"#));
    assert_eq!(at(row, &["type"]), &Value::str("object"));

    // dataframe_split: column enum, typed rows.
    let split = at(
        &d,
        &[
            "components",
            "schemas",
            "DataframeSplitRequest",
            "properties",
            "dataframe_split",
        ],
    );
    assert_eq!(
        at(split, &["properties", "columns", "items", "enum"]),
        &json(r#"["sqft", "bedrooms"]"#)
    );
    assert_eq!(
        at(split, &["properties", "data", "items", "prefixItems"]),
        &json(&format!("[{LONG}, {LONG}]"))
    );
    assert_eq!(at(split, &["required"]), &json(r#"["columns", "data"]"#));
    assert_eq!(at(split, &["additionalProperties"]), &Value::Bool(false));
    // inputs: by column (a list or one value per column) or records.
    assert_eq!(
        at(schema(&d, "ModelInputColumns"), &["properties", "sqft"]),
        &json(&format!(
            r#"{{"anyOf": [{{"type": "array", "items": {LONG}}}, {LONG}]}}"#
        ))
    );
    assert_eq!(
        at(schema(&d, "ModelInputColumns"), &["required"]),
        &json(r#"["sqft", "bedrooms"]"#)
    );
    // Every format takes params.
    for format in ["DataframeSplit", "DataframeRecords", "Instances", "Inputs"] {
        let req = schema(&d, &format!("{format}Request"));
        assert_eq!(
            at(req, &["properties", "params"]),
            &json(r##"{"$ref": "#/components/schemas/Params"}"##)
        );
        assert_eq!(keys(at(req, &["properties"])).len(), 2);
    }

    // The output schema.
    assert_eq!(
        at(schema(&d, "ModelOutputRow"), &["properties"]),
        &json(r#"{"price": {"type": "number", "format": "double"}}"#)
    );
    assert_eq!(
        at(
            schema(&d, "Predictions"),
            &["properties", "predictions", "anyOf", "0", "items", "$ref"]
        ),
        &Value::str("#/components/schemas/ModelOutputRow")
    );

    // /invocations: the three media types, the five JSON forms, the responses.
    let post = at(&d, &["paths", "/invocations", "post"]);
    assert_eq!(
        keys(at(post, &["requestBody", "content"])),
        [
            "application/json",
            "text/csv",
            "application/vnd.apache.parquet"
        ]
    );
    let one_of = at(
        post,
        &[
            "requestBody",
            "content",
            "application/json",
            "schema",
            "oneOf",
        ],
    );
    assert_eq!(
        one_of,
        &json(
            r##"[{"$ref": "#/components/schemas/DataframeSplitRequest"}, {"$ref": "#/components/schemas/DataframeRecordsRequest"}, {"$ref": "#/components/schemas/InstancesRequest"}, {"$ref": "#/components/schemas/InputsRequest"}, {"$ref": "#/components/schemas/UnifiedLlmRequest"}]"##
        )
    );
    assert_eq!(
        at(
            post,
            &[
                "requestBody",
                "content",
                "application/json",
                "examples",
                "dataframe_split",
                "value"
            ]
        ),
        &json(r#"{"dataframe_split": {"columns": ["sqft", "bedrooms"], "data": [[1, 1]]}}"#)
    );
    assert_eq!(
        keys(at(post, &["responses"])),
        ["200", "400", "413", "415", "500", "503", "504"]
    );
    assert_eq!(
        keys(at(post, &["responses", "415", "content"])),
        ["text/plain"]
    );
    assert_eq!(
        at(
            post,
            &[
                "responses",
                "504",
                "content",
                "application/json",
                "schema",
                "const"
            ]
        ),
        &Value::str(signet_server::TIMEOUT_BODY)
    );

    // The error schema has exactly the members MLflow sends.
    let error = schema(&d, "Error");
    assert_eq!(
        keys(at(error, &["properties"])),
        [
            "error_code",
            "message",
            "sqlstate",
            "error_class",
            "stack_trace"
        ]
    );
    assert_eq!(
        at(error, &["required"]),
        &json(r#"["error_code", "message"]"#)
    );
    let mut sent = MlflowError::new("BAD_REQUEST", "boom");
    sent.stack_trace = Some("trace".into());
    assert_eq!(keys(&json(&sent.body())), keys(at(error, &["properties"])));

    // The other routes.
    assert_eq!(
        keys(at(&d, &["paths"])),
        [
            "/invocations",
            "/ping",
            "/health",
            "/version",
            "/openapi.json",
            "/v2",
            "/v2/health/live",
            "/v2/health/ready",
            "/v2/models/{name}",
            "/v2/models/{name}/ready",
            "/v2/models/{name}/infer",
        ]
    );
    assert_eq!(
        at(
            &d,
            &[
                "paths",
                "/version",
                "get",
                "responses",
                "200",
                "content",
                "application/json",
                "schema",
                "const"
            ]
        ),
        &Value::str(signet_server::MLFLOW_VERSION)
    );
    // V2: input names and datatypes.
    let input = schema(&d, "V2RequestInput");
    assert_eq!(
        at(input, &["properties", "name", "enum"]),
        &json(r#"["sqft", "bedrooms"]"#)
    );
    assert_eq!(
        at(input, &["properties", "datatype", "enum"]),
        &json(
            r#"["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"]"#
        )
    );
    assert_eq!(
        at(
            &d,
            &[
                "paths",
                "/v2/models/{name}/infer",
                "post",
                "requestBody",
                "content",
                "application/json",
                "schema",
                "$ref"
            ]
        ),
        &Value::str("#/components/schemas/V2InferenceRequest")
    );

    // Options: /metrics and the V2 model name.
    let d = document(
        Some(&house_price()),
        &DocumentOptions {
            metrics: true,
            model_name: Some("house".into()),
            model_version: Some("3".into()),
        },
    );
    assert!(keys(at(&d, &["paths"])).contains(&"/metrics".to_string()));
    assert_eq!(
        at(
            &d,
            &[
                "paths",
                "/v2/models/{name}",
                "get",
                "parameters",
                "0",
                "schema",
                "enum"
            ]
        ),
        &json(r#"["house"]"#)
    );
    let paths = keys(at(&d, &["paths"]));
    assert_eq!(
        paths[paths.len() - 6..],
        [
            "/v2/models/{name}",
            "/v2/models/{name}/ready",
            "/v2/models/{name}/infer",
            "/v2/models/{name}/versions/{version}",
            "/v2/models/{name}/versions/{version}/ready",
            "/v2/models/{name}/versions/{version}/infer",
        ]
    );
    assert_eq!(
        at(
            &d,
            &[
                "paths",
                "/v2/models/{name}/versions/{version}/infer",
                "post",
                "parameters",
                "1",
                "schema",
                "enum"
            ]
        ),
        &json(r#"["3"]"#)
    );
}

#[test]
fn mixed_columns_document() {
    let d = doc(Some(&mixed()));
    let row = schema(&d, "ModelInputRow");
    assert_eq!(
        at(row, &["required"]),
        &json(r#"["name", "ts", "tags", "attrs", "n"]"#)
    );
    let prop = |name: &str| at(row, &["properties", name]);
    assert_eq!(prop("name"), &json(r#"{"type": "string"}"#));
    assert_eq!(prop("active"), &json(r#"{"type": ["boolean", "null"]}"#));
    assert_eq!(
        prop("ts"),
        &json(r#"{"type": "string", "format": "date-time"}"#)
    );
    assert_eq!(
        prop("blob"),
        &json(r#"{"type": ["string", "null"], "contentEncoding": "base64"}"#)
    );
    assert_eq!(
        prop("tags"),
        &json(r#"{"type": "array", "items": {"type": "string"}}"#)
    );
    assert_eq!(
        prop("meta"),
        &json(&format!(
            r#"{{"type": ["object", "null"], "properties": {{"x": {LONG}, "y": {{"type": ["string", "null"]}}}}, "required": ["x"], "additionalProperties": false}}"#
        ))
    );
    assert_eq!(
        prop("attrs"),
        &json(
            r#"{"type": "object", "additionalProperties": {"type": "number", "format": "double"}}"#
        )
    );
    assert_eq!(
        prop("n"),
        &json(
            r#"{"type": "integer", "format": "int32", "minimum": -2147483648, "maximum": 2147483647}"#
        )
    );
    // AnyType: no constraint at all.
    assert_eq!(keys(prop("extra")), ["description"]);

    // Composite columns cannot be sent as CSV.
    assert_eq!(
        keys(at(
            &d,
            &["paths", "/invocations", "post", "requestBody", "content"]
        )),
        ["application/json", "application/vnd.apache.parquet"]
    );
    // The request examples use the real columns.
    let example = at(
        &d,
        &[
            "paths",
            "/invocations",
            "post",
            "requestBody",
            "content",
            "application/json",
            "examples",
            "dataframe_records",
            "value",
            "dataframe_records",
            "0",
        ],
    );
    assert_eq!(
        example,
        &json(
            r#"{"name": "text", "active": true, "ts": "2020-01-01T00:00:00", "blob": "AAEC", "tags": ["text"], "meta": {"x": 1}, "attrs": {"key": 1.5}, "n": 1, "extra": "any"}"#
        )
    );
}

#[test]
fn tensor_document() {
    let d = doc(Some(&mnist()));
    let inputs = at(schema(&d, "InputsRequest"), &["properties", "inputs"]);
    // (-1, 28, 28) float32: unbounded rows of 28 × 28 numbers.
    assert_eq!(at(inputs, &["type"]), &Value::str("array"));
    assert!(inputs.get("minItems").is_none() && inputs.get("maxItems").is_none());
    let row = at(inputs, &["items"]);
    assert_eq!(
        (at(row, &["minItems"]), at(row, &["maxItems"])),
        (&Value::Int(28), &Value::Int(28))
    );
    assert_eq!(
        at(row, &["items"]),
        &json(
            r#"{"type": "array", "items": {"type": "number", "format": "float"}, "minItems": 28, "maxItems": 28}"#
        )
    );
    assert_eq!(
        at(inputs, &["description"]),
        &Value::str("float32 tensor of shape (-1, 28, 28)")
    );
    assert_eq!(
        at(schema(&d, "InstancesRequest"), &["properties", "instances"]),
        inputs
    );
    // dataframe_split rows are the tensor's rows.
    assert_eq!(
        at(
            schema(&d, "DataframeSplitRequest"),
            &[
                "properties",
                "dataframe_split",
                "properties",
                "data",
                "items"
            ]
        ),
        row
    );
    // Output tensor (-1, 10).
    assert_eq!(
        at(
            schema(&d, "Predictions"),
            &["properties", "predictions", "items", "maxItems"]
        ),
        &Value::Int(10)
    );
    // No CSV for tensors; unnamed: no V2 name enum.
    assert_eq!(
        keys(at(
            &d,
            &["paths", "/invocations", "post", "requestBody", "content"]
        )),
        ["application/json", "application/vnd.apache.parquet"]
    );
    // Unnamed: MLServer's names.
    assert_eq!(
        at(
            schema(&d, "V2RequestInput"),
            &["properties", "name", "enum"]
        ),
        &json(r#"["input-0"]"#)
    );
}

#[test]
fn tensor_dict_document() {
    let d = doc(Some(&tensor_dict()));
    let tensors = schema(&d, "ModelInputTensors");
    assert_eq!(at(tensors, &["required"]), &json(r#"["x", "y"]"#));
    assert_eq!(
        at(tensors, &["properties", "x", "items"]),
        &json(
            r#"{"type": "array", "items": {"type": "number", "format": "float"}, "minItems": 2, "maxItems": 2}"#
        )
    );
    assert_eq!(at(tensors, &["properties", "y", "items"]), &json(LONG));
    assert_eq!(
        at(
            schema(&d, "InputsRequest"),
            &["properties", "inputs", "$ref"]
        ),
        &Value::str("#/components/schemas/ModelInputTensors")
    );
    // instances as records: one row of each tensor.
    let record = at(
        schema(&d, "InstancesRequest"),
        &["properties", "instances", "anyOf", "0", "items"],
    );
    assert_eq!(
        at(record, &["properties"]),
        &json(&format!(
            r#"{{"x": {{"type": "array", "items": {{"type": "number", "format": "float"}}, "minItems": 2, "maxItems": 2}}, "y": {LONG}}}"#
        ))
    );
    assert_eq!(
        at(
            schema(&d, "V2RequestInput"),
            &["properties", "name", "enum"]
        ),
        &json(r#"["x", "y"]"#)
    );
}

#[test]
fn params_document() {
    let d = doc(Some(&with_params()));
    let props = at(schema(&d, "Params"), &["properties"]);
    assert_eq!(keys(props), ["k", "temperature", "stop", "flag"]);
    let without_description = |name: &str| {
        let Value::Dict(items) = at(props, &[name]) else {
            panic!("{name}")
        };
        Value::Dict(
            items
                .iter()
                .filter(|(k, _)| k != &Value::str("description"))
                .cloned()
                .collect(),
        )
    };
    assert_eq!(
        without_description("k"),
        json(
            r#"{"type": "integer", "format": "int64", "minimum": -9223372036854775808, "maximum": 9223372036854775807, "default": 1}"#
        )
    );
    assert_eq!(
        without_description("temperature"),
        json(r#"{"type": "number", "format": "double", "default": 0.5}"#)
    );
    assert_eq!(
        without_description("stop"),
        json(r#"{"type": "array", "items": {"type": "string"}, "default": ["a", "b"]}"#)
    );
    assert_eq!(
        without_description("flag"),
        json(r#"{"type": "boolean", "default": true}"#)
    );
    assert_eq!(
        at(props, &["stop", "description"]),
        &Value::str("'stop': string (default: ['a', 'b']) (shape: (-1,))")
    );
    // A single named column: `inputs` may be the bare list of its values.
    assert_eq!(
        at(
            schema(&d, "InputsRequest"),
            &["properties", "inputs", "anyOf", "2"]
        ),
        &json(
            r#"{"type": "array", "items": {"type": "string"}, "description": "The values of `prompt`."}"#
        )
    );
    // Unnamed output column.
    assert_eq!(
        at(
            schema(&d, "Predictions"),
            &["properties", "predictions", "anyOf", "0", "items"]
        ),
        &json(r#"{"type": "string"}"#)
    );
}

#[test]
fn no_signature_document() {
    let d = doc(None);
    let schemas = keys(at(&d, &["components", "schemas"]));
    assert!(!schemas.contains(&"ModelInputRow".to_string()));
    assert!(schemas.contains(&"DataframeSplitRequest".to_string()));
    assert_eq!(
        at(
            schema(&d, "DataframeSplitRequest"),
            &["properties", "dataframe_split", "required"]
        ),
        &json(r#"["data"]"#)
    );
    // inputs / instances: any JSON.
    assert_eq!(
        keys(at(schema(&d, "InputsRequest"), &["properties", "inputs"])),
        ["description"]
    );
    assert_eq!(
        keys(at(
            &d,
            &["paths", "/invocations", "post", "requestBody", "content"]
        )),
        [
            "application/json",
            "text/csv",
            "application/vnd.apache.parquet"
        ]
    );
    assert!(schema(&d, "Params").get("properties").is_none());
    assert!(at(schema(&d, "V2RequestInput"), &["properties", "name"])
        .get("enum")
        .is_none());
}

#[tokio::test]
async fn served_over_http() {
    for metrics in [false, true] {
        let config = ServerConfig {
            signature: Some(house_price()),
            metrics,
            ..ServerConfig::default()
        };
        let expected = pyjson::dumps(&document(
            Some(&house_price()),
            &DocumentOptions {
                metrics,
                model_name: Some("model".into()),
                model_version: None,
            },
        ));
        let server = start(Arc::new(EchoPredictor::default()), config).await;
        let r = send(server.addr, "GET", "/openapi.json", None, b"").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.text(), expected);
        assert_eq!(
            keys(&json(&r.text()))
                .iter()
                .filter(|k| k.as_str() == "paths")
                .count(),
            1
        );
        assert_eq!(
            keys(at(&json(&r.text()), &["paths"])).contains(&"/metrics".to_string()),
            metrics
        );
        for method in ["HEAD", "POST"] {
            let r = send(server.addr, method, "/openapi.json", None, b"").await;
            assert_eq!(r.status, 405, "{method}");
            assert_eq!(r.header("allow"), Some("GET"));
        }
        server.shutdown().await;
    }
}

/// Every document through `openapi-spec-validator`, when `SIGNET_OPENAPI_VALIDATOR` names a
/// python that has it.
#[test]
#[ignore = "needs SIGNET_OPENAPI_VALIDATOR (a Python with openapi-spec-validator); scripts/interop.sh runs it"]
fn documents_pass_the_standard_validator() {
    let docs = [
        ("house_price", Some(house_price())),
        ("mixed", Some(mixed())),
        ("mnist", Some(mnist())),
        ("tensor_dict", Some(tensor_dict())),
        ("params", Some(with_params())),
        ("no_signature", None),
    ];
    let dir: PathBuf =
        std::env::temp_dir().join(format!("signet-openapi-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    for (name, sig) in &docs {
        let options = DocumentOptions {
            metrics: true,
            model_name: Some("model".into()),
            model_version: Some("1".into()),
        };
        for (suffix, opts) in [("", DocumentOptions::default()), ("_options", options)] {
            let path = dir.join(format!("{name}{suffix}.json"));
            std::fs::write(&path, pyjson::dumps(&document(sig.as_ref(), &opts))).expect("write");
            files.push(path);
        }
    }
    let python = validator();
    let mut failures = Vec::new();
    for file in &files {
        let out = Command::new(&python)
            .arg("-c")
            .arg("from openapi_spec_validator import validate; import json,sys; validate(json.load(open(sys.argv[1])))")
            .arg(file)
            .output()
            .expect("run the validator");
        if out.status.success() {
            println!("openapi: {} is valid", file.display());
        } else {
            failures.push(format!(
                "{}: {}\n{}",
                file.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `SIGNET_OPENAPI_VALIDATOR`: a python with `openapi-spec-validator`. A relative path with a
/// directory part is taken relative to the repository root (tests run in the crate directory);
/// a bare name is looked up in `PATH`.
fn validator() -> PathBuf {
    let given = PathBuf::from(std::env::var_os("SIGNET_OPENAPI_VALIDATOR").expect(
        "SIGNET_OPENAPI_VALIDATOR must name a Python with openapi-spec-validator and jsonschema (scripts/interop.sh sets it)",
    ));
    if given.is_relative() && given.components().count() > 1 {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(given)
    } else {
        given
    }
}

/// The house-price model: a constant price, as a list of records.
struct Price;

impl Predictor for Price {
    fn predict(&self, _: ModelInput, _: Option<Value>) -> Result<ModelInput, PredictError> {
        Ok(ModelInput::Value(Value::List(vec![Value::dict([(
            "price",
            Value::Float(150000.0),
        )])])))
    }
}

/// JSON pointer escaping (`/` → `~1`).
fn pointer(parts: &[&str]) -> String {
    let escaped: Vec<String> = parts
        .iter()
        .map(|p| p.replace('~', "~0").replace('/', "~1"))
        .collect();
    format!("#/{}", escaped.join("/"))
}

fn component(name: &str) -> String {
    pointer(&["components", "schemas", name])
}

fn invocations_body() -> String {
    pointer(&[
        "paths",
        "/invocations",
        "post",
        "requestBody",
        "content",
        "application/json",
        "schema",
    ])
}

/// One body to check against a document's schema.
struct Case {
    /// Index into the documents.
    doc: usize,
    name: String,
    /// JSON pointer of the schema in the document.
    pointer: String,
    instance: Value,
    /// Whether the schema must accept it (else refuse it).
    valid: bool,
}

/// Sends each `(body, accepted)` to `/invocations` of a server with `sig` (asserting 200 for
/// accepted bodies, 400 otherwise) and records it as a case against the request schema.
async fn request_cases(
    cases: &mut Vec<Case>,
    doc: usize,
    sig: ModelSignature,
    predictor: Arc<dyn Predictor>,
    bodies: &[(&str, bool)],
) {
    let config = ServerConfig {
        signature: Some(sig),
        ..ServerConfig::default()
    };
    let server = start(predictor, config).await;
    for (body, accepted) in bodies {
        let r = send(
            server.addr,
            "POST",
            "/invocations",
            Some("application/json"),
            body.as_bytes(),
        )
        .await;
        assert_eq!(
            r.status,
            if *accepted { 200 } else { 400 },
            "{body}: {}",
            r.text()
        );
        cases.push(Case {
            doc,
            name: format!("{} {body}", if *accepted { "accepted" } else { "refused" }),
            pointer: invocations_body(),
            instance: json(body),
            valid: *accepted,
        });
        cases.push(Case {
            doc,
            name: format!("answer to {body}"),
            pointer: component(if *accepted { "Predictions" } else { "Error" }),
            instance: json(&r.text()),
            valid: true,
        });
    }
    server.shutdown().await;
}

/// Real traffic against the documented schemas: requests the server accepts (every one answered
/// 200) and requests it refuses (the schema must refuse them too), for column, tensor and
/// tensor-dict signatures; the server's answers (predictions, MLflow errors, V2 metadata, V2
/// inference, V2 errors); and each document's own request examples. The bodies are checked
/// with `jsonschema` (installed with `openapi-spec-validator`) when `SIGNET_OPENAPI_VALIDATOR`
/// is set.
#[tokio::test]
#[ignore = "needs SIGNET_OPENAPI_VALIDATOR (a Python with jsonschema); scripts/interop.sh runs it"]
async fn real_bodies_match_the_documented_schemas() {
    let options = DocumentOptions {
        metrics: false,
        model_name: Some("model".into()),
        model_version: None,
    };
    let small_tensor = signature(
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]"#),
        None,
        None,
    );
    let sigs = [house_price(), mixed(), small_tensor, tensor_dict()];
    let docs: Vec<Value> = sigs.iter().map(|s| document(Some(s), &options)).collect();
    let mut cases = Vec::new();

    request_cases(
        &mut cases,
        0,
        house_price(),
        Arc::new(Price),
        &[
            (r#"{"dataframe_split": {"columns": ["sqft", "bedrooms"], "data": [[1500, 3], [2000, 4]]}}"#, true),
            (r#"{"dataframe_split": {"columns": ["bedrooms", "sqft"], "data": [[3, 1500]], "index": [7]}}"#, true),
            (r#"{"dataframe_records": [{"sqft": 1500, "bedrooms": 3}]}"#, true),
            (r#"{"instances": [{"sqft": 1500, "bedrooms": 3}]}"#, true),
            (r#"{"instances": {"sqft": [1500], "bedrooms": [3]}}"#, true),
            (r#"{"inputs": {"sqft": [1500, 2000], "bedrooms": 3}}"#, true),
            (r#"{"inputs": [{"sqft": 1500, "bedrooms": 3}], "params": {}}"#, true),
            (r#"{"dataframe_split": {"columns": ["sqft", "bathrooms"], "data": [[1500, 2]]}}"#, false),
            (r#"{"dataframe_split": 5}"#, false),
            (r#"{"inputs": {"sqft": ["abc"], "bedrooms": [3]}}"#, false),
            (r#"{"dataframe_records": [{"sqft": 1500}]}"#, false),
            (r#"{"dataframe_records": [{"sqft": 1500, "bedrooms": 3}], "inputs": {"sqft": [1500], "bedrooms": [3]}}"#, false),
            (r#"{"params": {}}"#, false),
        ],
    )
    .await;
    request_cases(
        &mut cases,
        1,
        mixed(),
        Arc::new(EchoPredictor::default()),
        &[
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": 1.5}, "n": 1}]}"#, true),
            (r#"{"dataframe_records": [{"name": "a", "active": true, "ts": "2020-01-01T00:00:00", "blob": "AAEC", "tags": ["x", "y"], "meta": {"x": 1, "y": null}, "attrs": {}, "n": 7, "extra": [1, "z"]}]}"#, true),
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": 1.5}}]}"#, false),
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": 1.5}, "n": 1, "meta": {"x": 1, "z": 2}}]}"#, false),
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": "high"}, "n": 1}]}"#, false),
        ],
    )
    .await;
    request_cases(
        &mut cases,
        2,
        sigs[2].clone(),
        Arc::new(EchoPredictor::default()),
        &[
            (r#"{"inputs": [[1, 2], [3, 4]]}"#, true),
            (r#"{"instances": [[1.5, 2]]}"#, true),
            (
                r#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}"#,
                true,
            ),
            (r#"{"inputs": [[1, 2, 3]]}"#, false),
            (r#"{"inputs": [[1, 2], [3]]}"#, false),
            (r#"{"inputs": [["a", "b"]]}"#, false),
            (r#"{"inputs": {"x": [[1, 2]]}}"#, false),
        ],
    )
    .await;
    request_cases(
        &mut cases,
        3,
        tensor_dict(),
        Arc::new(EchoPredictor::default()),
        &[
            (r#"{"inputs": {"x": [[1, 2]], "y": [5]}}"#, true),
            (r#"{"instances": [{"x": [1, 2], "y": 5}]}"#, true),
            (r#"{"inputs": {"x": [[1, 2]]}}"#, false),
            (r#"{"inputs": {"x": [[1, 2, 3]], "y": [5]}}"#, false),
        ],
    )
    .await;

    // V2, house price.
    let echo = start(
        Arc::new(EchoPredictor::default()),
        ServerConfig {
            signature: Some(house_price()),
            ..ServerConfig::default()
        },
    )
    .await;
    let mut v2 = |name: &str, schema: &str, instance: Value| {
        cases.push(Case {
            doc: 0,
            name: name.into(),
            pointer: component(schema),
            instance,
            valid: true,
        })
    };
    let r = send(echo.addr, "GET", "/v2", None, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    v2("v2 server", "V2ServerMetadata", json(&r.text()));
    let r = send(echo.addr, "GET", "/v2/models/model", None, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    v2("v2 metadata", "V2ModelMetadata", json(&r.text()));
    let infer = r#"{"id": "r1", "inputs": [{"name": "sqft", "shape": [2], "datatype": "INT64", "data": [1500, 2000]}, {"name": "bedrooms", "shape": [2, 1], "datatype": "INT64", "data": [[3], [4]]}]}"#;
    let r = send(
        echo.addr,
        "POST",
        "/v2/models/model/infer",
        Some("application/json"),
        infer.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    v2("v2 request", "V2InferenceRequest", json(infer));
    v2("v2 response", "V2InferenceResponse", json(&r.text()));
    let r = send(echo.addr, "GET", "/v2/models/other", None, b"").await;
    assert_eq!(r.status, 404, "{}", r.text());
    v2("v2 not found", "V2Error", json(&r.text()));
    echo.shutdown().await;

    // Each document's own request examples.
    for (i, d) in docs.iter().enumerate() {
        let content = at(
            d,
            &[
                "paths",
                "/invocations",
                "post",
                "requestBody",
                "content",
                "application/json",
            ],
        );
        let Some(examples) = content.get("examples") else {
            continue;
        };
        for name in keys(examples) {
            cases.push(Case {
                doc: i,
                name: format!("example {name} of document {i}"),
                pointer: invocations_body(),
                instance: at(examples, &[&name, "value"]).clone(),
                valid: true,
            });
        }
    }

    let python = validator();
    let dir: PathBuf =
        std::env::temp_dir().join(format!("signet-openapi-bodies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut doc_files = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let file = dir.join(format!("doc{i}.json"));
        std::fs::write(&file, pyjson::dumps(d)).expect("write");
        doc_files.push(Value::str(file.to_string_lossy()));
    }
    let cases_file = dir.join("cases.json");
    let cases_value = Value::dict([
        ("docs", Value::List(doc_files)),
        (
            "cases",
            Value::List(
                cases
                    .iter()
                    .map(|c| {
                        Value::dict([
                            ("doc", Value::Int(c.doc as i128)),
                            ("name", Value::str(c.name.clone())),
                            ("pointer", Value::str(c.pointer.clone())),
                            ("instance", c.instance.clone()),
                            ("valid", Value::Bool(c.valid)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ]);
    std::fs::write(&cases_file, pyjson::dumps(&cases_value)).expect("write");
    let script = r#"
import json, sys
from jsonschema import Draft202012Validator
spec = json.load(open(sys.argv[1]))
docs = [json.load(open(f)) for f in spec["docs"]]
bad = []
for case in spec["cases"]:
    validator = Draft202012Validator(dict(docs[case["doc"]], **{"$ref": case["pointer"]}))
    errors = list(validator.iter_errors(case["instance"]))
    if case["valid"] and errors:
        bad.append("%s: %s" % (case["name"], "; ".join(e.message for e in errors)))
    if not case["valid"] and not errors:
        bad.append("%s: accepted by the schema" % case["name"])
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
"#;
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&cases_file)
        .output()
        .expect("run the validator");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "bodies disagreeing with the documented schemas:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "openapi: {} real bodies agree with the documented schemas",
        cases.len()
    );
}
