//! `POST /invocations`: its request bodies (one component per JSON format, the unified LLM
//! form, CSV and Parquet), its responses (`Predictions`, errors) and its path item.

use super::builders::{
    any_of, array_of, content, described, json_content, obj, operation, pascal, reference,
    response, s, set, string, string_const, strs, text_content, Components,
};
use super::formats::input_formats;
use super::types::{cell, tensor};
use crate::error::TIMEOUT_BODY;
use signet::repr::schema_repr;
use signet::types::{Schema, SchemaKind};
use signet::Value;
use signet_protocol::request::{FORMATS, LLM_KEYS};

/// The `/invocations` path item of a model with these `inputs` and `outputs`; the schemas it
/// refers to are added to `components` (input formats, `Predictions`, one `<Format>Request` per
/// JSON format, `UnifiedLlmRequest`).
pub(super) fn invocations_path(
    inputs: Option<&Schema>,
    outputs: Option<&Schema>,
    components: &mut Components,
) -> Value {
    let formats = input_formats(inputs, components);
    let predictions = output_schema(outputs, components);
    components.add(
        "Predictions",
        obj([
            ("type", s("object")),
            (
                "description",
                s("A successful prediction: the model's output under `predictions`."),
            ),
            ("properties", obj([("predictions", predictions)])),
            ("required", strs(["predictions"])),
        ]),
    );
    let mut request_refs = Vec::new();
    for (key, body) in formats.bodies {
        let name = format!("{}Request", pascal(key));
        // Exactly one format key, and none of the unified LLM form's keys (which win).
        let others: Vec<Value> = FORMATS
            .iter()
            .chain(&LLM_KEYS)
            .filter(|k| **k != key)
            .map(|k| obj([("required", strs([*k]))]))
            .collect();
        components.add(
            &name,
            obj([
                ("type", s("object")),
                (
                    "description",
                    s(format!(
                        "The `{key}` format, with optional inference `params`. Other top-level keys are ignored; exactly one of `dataframe_split`, `dataframe_records`, `inputs`, `instances` may be present, and none of `messages`, `prompt`, `input` (the unified LLM form)."
                    )),
                ),
                (
                    "properties",
                    obj([(key, body), ("params", reference("Params"))]),
                ),
                ("required", strs([key])),
                ("not", obj([("anyOf", Value::List(others))])),
            ]),
        );
        request_refs.push(reference(&name));
    }
    components.add("UnifiedLlmRequest", llm_request_schema());
    request_refs.push(reference("UnifiedLlmRequest"));
    path_item(inputs, request_refs, formats.csv, formats.examples)
}

/// The unified LLM form (docs/serving.md#unified-llm-form).
fn llm_request_schema() -> Value {
    obj([
        ("type", s("object")),
        (
            "description",
            s("The unified LLM form: a body with any of `messages`, `prompt`, `input` goes to the model as a plain dict, unparsed (keys named in the params schema become params); the response is the model's output, not wrapped in `predictions`."),
        ),
        (
            "anyOf",
            Value::List(
                LLM_KEYS
                    .into_iter()
                    .map(|k| obj([("required", strs([k]))]))
                    .collect(),
            ),
        ),
    ])
}

/// The model's output, as the `predictions` of a successful response.
fn output_schema(outputs: Option<&Schema>, components: &mut Components) -> Value {
    match outputs.map(Schema::kind) {
        None => obj([("description", s("The model's output."))]),
        Some(SchemaKind::Columns(cols)) if cols[0].name.is_some() => {
            let (names, required) = super::formats::names_and_required(cols);
            let mut row = obj([
                ("type", s("object")),
                ("description", s("One row of model output.")),
                (
                    "properties",
                    Value::dict(names.iter().cloned().zip(cols.iter().map(cell))),
                ),
            ]);
            if !required.is_empty() {
                set(&mut row, "required", strs(required));
            }
            components.add("ModelOutputRow", row);
            let mut forms = vec![described(
                array_of(reference("ModelOutputRow")),
                "A table (DataFrame or named Series) as a list of records.",
            )];
            if cols.len() == 1 {
                forms.push(described(array_of(cell(&cols[0])), "An array of values."));
            }
            forms.push(described(
                obj([
                    ("type", s("object")),
                    (
                        "properties",
                        Value::dict(
                            names
                                .iter()
                                .cloned()
                                .zip(cols.iter().map(|c| array_of(cell(c)))),
                        ),
                    ),
                ]),
                "A dict of arrays.",
            ));
            any_of(forms)
        }
        Some(SchemaKind::Columns(cols)) => {
            if cols.len() == 1 {
                any_of(vec![
                    described(array_of(cell(&cols[0])), "An array of values."),
                    described(array_of(obj([("type", s("object"))])), "A list of records."),
                ])
            } else {
                described(
                    array_of(obj([("type", strs(["object", "array"]))])),
                    "A list of records (or rows).",
                )
            }
        }
        Some(SchemaKind::Tensors(ts)) if ts[0].name.is_some() => {
            let names: Vec<String> = ts
                .iter()
                .map(|t| t.name.clone().unwrap_or_default())
                .collect();
            obj([
                ("type", s("object")),
                ("description", s("The output tensors by name.")),
                (
                    "properties",
                    Value::dict(names.into_iter().zip(ts.iter().map(tensor))),
                ),
            ])
        }
        Some(SchemaKind::Tensors(ts)) => tensor(&ts[0]),
    }
}

/// The `/invocations` path item: the request body in every accepted format and the responses.
fn path_item(
    inputs: Option<&Schema>,
    request_refs: Vec<Value>,
    csv: Option<String>,
    examples: Vec<(String, Value)>,
) -> Value {
    let mut json = obj([("schema", obj([("oneOf", Value::List(request_refs))]))]);
    if !examples.is_empty() {
        set(
            &mut json,
            "examples",
            Value::dict(examples.into_iter().map(|(name, value)| {
                let summary = format!("`{name}` format");
                (name, obj([("summary", s(summary)), ("value", value)]))
            })),
        );
    }
    let mut media = vec![("application/json".to_string(), json)];
    let with_schema = |schema| obj([("schema", schema)]);
    if let Some(csv) = csv {
        media.push((
            "text/csv".to_string(),
            with_schema(described(string(), csv)),
        ));
    }
    let parquet = obj([
        ("type", s("string")),
        ("contentMediaType", s("application/vnd.apache.parquet")),
    ]);
    media.push((
        "application/vnd.apache.parquet".to_string(),
        with_schema(described(
            parquet,
            "A Parquet file (as `pandas.DataFrame.to_parquet()` writes it).",
        )),
    ));
    let input_text = inputs.map_or("none (any input is passed through)".to_string(), |s| {
        format!("`{}`", schema_repr(s))
    });
    let description = format!(
        "Runs the model on the request body, after enforcing the input schema {input_text}. The `Content-Type` must be one of `application/json`, `text/csv`, `application/vnd.apache.parquet` (parameter `charset=utf-8` only). Other methods answer 405 `{{\"detail\":\"Method Not Allowed\"}}` with `allow: POST`."
    );
    operation(
        "post",
        "scoring",
        "invocations",
        "Score the model",
        [
            ("description", s(description)),
            (
                "requestBody",
                obj([("required", Value::Bool(true)), ("content", Value::dict(media))]),
            ),
            (
                "responses",
                obj([
                    (
                        "200",
                        response(
                            "The predictions (`json.dumps` of the model's output; unified LLM requests get the bare output).",
                            json_content(reference("Predictions")),
                        ),
                    ),
                    (
                        "400",
                        response(
                            "Malformed body, wrong envelope, conversion or schema-enforcement failure, invalid params, or an unexpected model error (MLflow's error JSON); a body cut short gets a `detail` page.",
                            json_content(any_of(vec![reference("Error"), reference("Detail")])),
                        ),
                    ),
                    (
                        "413",
                        response(
                            "The body exceeds the server's limit (`{\"detail\":\"Request Entity Too Large\"}`).",
                            json_content(reference("Detail")),
                        ),
                    ),
                    (
                        "415",
                        response(
                            "Unsupported media type, charset or content-type parameter (plain text).",
                            text_content(string()),
                        ),
                    ),
                    (
                        "500",
                        response(
                            "The model raised an MLflow `INTERNAL_ERROR` (error JSON), or the request had no `Content-Type` (plain text `Internal Server Error`).",
                            content([
                                ("application/json", reference("Error")),
                                (
                                    "text/plain",
                                    string_const("Internal Server Error"),
                                ),
                            ]),
                        ),
                    ),
                    (
                        "503",
                        response(
                            "The server is shutting down (`TEMPORARILY_UNAVAILABLE`).",
                            json_content(reference("Error")),
                        ),
                    ),
                    (
                        "504",
                        response(
                            "The request outlived the server's timeout: the bare text below, labelled `application/json` as MLflow sends it.",
                            json_content(string_const(TIMEOUT_BODY)),
                        ),
                    ),
                ]),
            ),
        ],
    )
}
