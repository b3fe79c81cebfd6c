//! The V2 (Open Inference Protocol) routes as `crate::v2` serves them (MLServer's answers for an
//! MLflow model): their path items and the `V2*` schemas.

use super::builders::{
    any_of, array_of, described, json_content, obj, object, operation, reference, response, s, set,
    string, strs, Components,
};
use signet::types::{Schema, SchemaKind};
use signet::Value;

/// The V2 protocol's tensor data types.
const V2_DATATYPES: [&str; 13] = [
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
    "FP32", "FP64", "BYTES",
];

/// The V2 names of the model's inputs: each spec's name, `input-<index>` when unnamed (as
/// MLServer's MLflow runtime names them).
pub(super) fn v2_input_names(schema: &Schema) -> Vec<String> {
    let unnamed = |i: usize| format!("input-{i}");
    match schema.kind() {
        SchemaKind::Columns(cols) => cols
            .iter()
            .enumerate()
            .map(|(i, c)| match &c.name {
                Some(n) if n.is_truthy() => n.as_text(),
                _ => unnamed(i),
            })
            .collect(),
        SchemaKind::Tensors(ts) => ts
            .iter()
            .enumerate()
            .map(|(i, t)| match &t.name {
                Some(n) if !n.is_empty() => n.clone(),
                _ => unnamed(i),
            })
            .collect(),
    }
}

/// Adds the `V2*` schemas to `components`; `input_names` (`None`: no signature) enumerates the
/// request inputs' names.
pub(super) fn v2_components(components: &mut Components, input_names: Option<Vec<String>>) {
    let datatype = || obj([("type", s("string")), ("enum", strs(V2_DATATYPES))]);
    let shape = |minimum: i128| {
        array_of(obj([
            ("type", s("integer")),
            ("minimum", Value::Int(minimum)),
        ]))
    };
    let content_type =
        |description: &str| object([("content_type", described(string(), description))], &[]);
    let tensor_parameters =
        || content_type("How the tensor is decoded: `np`, `str`, `base64`, `datetime`, `pd_json`.");
    let input_name = match input_names {
        Some(names) => obj([
            ("type", s("string")),
            ("description", s("One of the model's input names.")),
            ("enum", strs(names)),
        ]),
        None => string(),
    };
    let tensor = |name: Value| {
        object(
            [
                ("name", name),
                ("shape", shape(0)),
                ("datatype", datatype()),
                ("parameters", tensor_parameters()),
                ("data", reference("V2TensorData")),
            ],
            &["name", "shape", "datatype", "data"],
        )
    };
    components.add(
        "V2TensorData",
        described(
            array_of(obj([])),
            "The tensor's elements in row-major order, flat or nested by `shape`; the element count must match the shape.",
        ),
    );
    components.add("V2RequestInput", tensor(input_name));
    components.add(
        "V2RequestOutput",
        object(
            [
                ("name", string()),
                ("parameters", obj([("type", s("object"))])),
            ],
            &["name"],
        ),
    );
    let mut request_parameters = object(
        [
            (
                "content_type",
                described(
                    string(),
                    "How the whole request is decoded: `pd` (a DataFrame), `dict` (named tensors), `np` (one tensor), `str`; default from the signature.",
                ),
            ),
            ("headers", obj([("type", s("object"))])),
        ],
        &[],
    );
    set(
        &mut request_parameters,
        "additionalProperties",
        described(
            obj([]),
            "Any other key is an inference param of the model (see `Params`).",
        ),
    );
    components.add(
        "V2InferenceRequest",
        object(
            [
                ("id", string()),
                ("parameters", request_parameters),
                (
                    "inputs",
                    obj([
                        ("type", s("array")),
                        ("items", reference("V2RequestInput")),
                        ("minItems", Value::Int(1)),
                    ]),
                ),
                ("outputs", array_of(reference("V2RequestOutput"))),
            ],
            &["inputs"],
        ),
    );
    components.add("V2ResponseOutput", tensor(string()));
    components.add(
        "V2InferenceResponse",
        object(
            [
                ("model_name", string()),
                ("model_version", string()),
                (
                    "id",
                    described(string(), "The request's `id`, else a generated one."),
                ),
                ("parameters", content_type("How the output was encoded.")),
                ("outputs", array_of(reference("V2ResponseOutput"))),
            ],
            &["model_name", "id", "outputs"],
        ),
    );
    components.add(
        "V2MetadataTensor",
        object(
            [
                ("name", string()),
                ("datatype", datatype()),
                ("shape", described(shape(-1), "-1: any size.")),
                ("parameters", tensor_parameters()),
            ],
            &["name", "datatype", "shape"],
        ),
    );
    components.add(
        "V2ModelMetadata",
        object(
            [
                ("name", string()),
                ("versions", array_of(string())),
                ("platform", string()),
                ("inputs", array_of(reference("V2MetadataTensor"))),
                ("outputs", array_of(reference("V2MetadataTensor"))),
                (
                    "parameters",
                    content_type("How requests are decoded by default."),
                ),
            ],
            &["name", "platform", "inputs", "outputs"],
        ),
    );
    components.add(
        "V2ServerMetadata",
        object(
            [
                ("name", string()),
                ("version", string()),
                ("extensions", array_of(string())),
            ],
            &["name", "version", "extensions"],
        ),
    );
    components.add("V2Error", object([("error", string())], &["error"]));
}

/// The V2 path items; `model_name` / `model_version` (when known) enumerate the path parameters,
/// and the `/versions/{version}` routes are described only with a version.
pub(super) fn v2_paths(
    model_name: Option<&str>,
    model_version: Option<&str>,
) -> Vec<(String, Value)> {
    let path_param = |name: &str, description: &str, value: Option<&str>| {
        let mut schema = string();
        if let Some(v) = value {
            set(&mut schema, "enum", strs([v]));
        }
        obj([
            ("name", s(name)),
            ("in", s("path")),
            ("required", Value::Bool(true)),
            ("description", s(description)),
            ("schema", schema),
        ])
    };
    let params = |versioned: bool| {
        let mut out = vec![path_param("name", "The model's name.", model_name)];
        if versioned {
            out.push(path_param("version", "The model's version.", model_version));
        }
        Value::List(out)
    };
    let v2_error = |description: &str| response(description, json_content(reference("V2Error")));
    let empty = |description: &str| obj([("description", s(description))]);
    let v2_operation = |method: &str,
                        id: String,
                        summary: &str,
                        params: Option<Value>,
                        extra: Vec<(&str, Value)>| {
        let params = params.map(|p| ("parameters", p));
        operation(method, "v2", &id, summary, params.into_iter().chain(extra))
    };
    let get_ok = |id: &str, summary: &str, ok: Value| {
        v2_operation(
            "get",
            id.to_string(),
            summary,
            None,
            vec![("responses", obj([("200", ok)]))],
        )
    };

    let mut paths = vec![
        (
            "/v2".to_string(),
            get_ok(
                "v2_server_metadata",
                "Server metadata",
                response(
                    "The server's name, version and protocol extensions.",
                    json_content(reference("V2ServerMetadata")),
                ),
            ),
        ),
        (
            "/v2/health/live".to_string(),
            get_ok("v2_live", "Server liveness", empty("Live (empty body).")),
        ),
        (
            "/v2/health/ready".to_string(),
            get_ok("v2_ready", "Server readiness", empty("Ready (empty body).")),
        ),
    ];
    let mut variants = vec![(false, "/v2/models/{name}".to_string(), String::new())];
    if model_version.is_some() {
        variants.push((
            true,
            "/v2/models/{name}/versions/{version}".to_string(),
            "_version".to_string(),
        ));
    }
    let not_found = "Another model (or version): `Model <name> not found`.";
    for (versioned, base, suffix) in variants {
        paths.push((
            base.clone(),
            v2_operation(
                "get",
                format!("v2_model_metadata{suffix}"),
                "Model metadata",
                Some(params(versioned)),
                vec![(
                    "responses",
                    obj([
                        (
                            "200",
                            response(
                                "The model's name, versions, platform and input / output tensors (from the signature).",
                                json_content(reference("V2ModelMetadata")),
                            ),
                        ),
                        ("404", v2_error(not_found)),
                    ]),
                )],
            ),
        ));
        paths.push((
            format!("{base}/ready"),
            v2_operation(
                "get",
                format!("v2_model_ready{suffix}"),
                "Model readiness",
                Some(params(versioned)),
                vec![(
                    "responses",
                    obj([
                        ("200", empty("Ready (empty body).")),
                        ("404", v2_error(not_found)),
                    ]),
                )],
            ),
        ));
        paths.push((
            format!("{base}/infer"),
            v2_operation(
                "post",
                format!("v2_infer{suffix}"),
                "Inference (V2 protocol)",
                Some(params(versioned)),
                vec![
                    (
                        "description",
                        s("Decodes the input tensors, enforces the signature as `/invocations` does, runs the model and encodes its output."),
                    ),
                    (
                        "requestBody",
                        obj([
                            ("required", Value::Bool(true)),
                            ("content", json_content(reference("V2InferenceRequest"))),
                        ]),
                    ),
                    (
                        "responses",
                        obj([
                            (
                                "200",
                                response(
                                    "The output tensors.",
                                    json_content(reference("V2InferenceResponse")),
                                ),
                            ),
                            (
                                "400",
                                response(
                                    "A request that cannot be decoded or is refused by schema enforcement; a body cut short gets a `detail` page.",
                                    json_content(any_of(vec![
                                        reference("V2Error"),
                                        reference("Detail"),
                                    ])),
                                ),
                            ),
                            ("404", v2_error(not_found)),
                            (
                                "413",
                                response(
                                    "The body exceeds the server's limit.",
                                    json_content(reference("Detail")),
                                ),
                            ),
                            ("500", v2_error("The model failed.")),
                            ("503", v2_error("The server is shutting down.")),
                        ]),
                    ),
                ],
            ),
        ));
    }
    paths
}
