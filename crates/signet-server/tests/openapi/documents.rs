//! The documents generated for several signatures: columns, types, required flags, tensor
//! shapes, params, and no signature.

use super::*;

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
        json_response_const(post, "504"),
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
        json_response_const(at(&d, &["paths", "/version", "get"]), "200"),
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
    let example = invocations_json(
        &d,
        &[
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
