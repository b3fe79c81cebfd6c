//! `GET /openapi.json`: an OpenAPI 3.1 document of the server, generated from the model's
//! signature.
//!
//! [`document`] is a pure function of the signature: every request format `/invocations`
//! accepts (SERVING.md §3–§7) is described with the model's real columns, types, required
//! flags, tensor shapes and params, and so are the responses (SERVING.md §8–§9), the small
//! routes and the V2 inference routes (as the `v2` module answers them). The router renders the
//! document once, when it is built.
//!
//! Known looseness: `dataframe_split` rows are typed (`prefixItems`) in the signature's column
//! order, so a request listing `columns` in another order can be refused by the schema though
//! the server accepts it; and MLflow's lenient coercions (`"1500"` for a `long` under
//! `--compat mlflow`) are not described — the schemas state the types the signature declares.
//!
//! MLflow → JSON Schema mapping (JSON Schema 2020-12, OpenAPI 3.1's dialect):
//!
//! | MLflow | JSON Schema |
//! | --- | --- |
//! | `boolean` | `boolean` |
//! | `integer` / `long` | `integer` (`int32` / `int64` bounds) |
//! | `float` / `double` | `number` |
//! | `string` | `string` |
//! | `binary` | `string`, `contentEncoding: base64` |
//! | `datetime` | `string`, `format: date-time` |
//! | `Array(T)` | `array` of `T` |
//! | `Object(...)` | `object` with `properties` / `required`, no other keys |
//! | `Map(V)` | `object` with `additionalProperties: V` |
//! | `AnyType` | `{}` |
//! | optional column or property | the type or `null` |
//! | tensor `(d0, d1, ...)` | nested arrays; a fixed dimension bounds `minItems` / `maxItems` |

use crate::error::{respond, TIMEOUT_BODY};
use crate::routes::MLFLOW_VERSION;
use crate::ServerConfig;
use axum::body::Bytes;
use axum::response::Response;
use signet::repr::{param_schema_repr, schema_repr};
use signet::types::{
    ColSpec, ColType, DataType, ModelSignature, NumpyDtype, ObjectType, ParamShape, ParamSpec,
    ParamType, Schema, SchemaKind, TensorSpec,
};
use signet::{pyjson, Value};

/// What [`document`] describes besides the signature.
#[derive(Clone, Debug, Default)]
pub struct DocumentOptions {
    /// Whether `GET /metrics` is served ([`ServerConfig::metrics`]).
    pub metrics: bool,
    /// The model name the V2 routes answer to ([`ServerConfig::model_name`]; `None`: not
    /// enumerated).
    pub model_name: Option<String>,
    /// The model version the V2 `/versions/{version}` routes answer to
    /// ([`ServerConfig::model_version`]; `None`: those routes are not described, as every
    /// versioned request is answered 404).
    pub model_version: Option<String>,
}

/// The V2 protocol's tensor data types.
const V2_DATATYPES: [&str; 13] = [
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
    "FP32", "FP64", "BYTES",
];

/// The four JSON request formats, in the order the document lists them.
const FORMAT_KEYS: [&str; 4] = [
    "dataframe_split",
    "dataframe_records",
    "instances",
    "inputs",
];

/// The keys of the unified LLM form (SERVING.md §4.3).
const LLM_KEYS: [&str; 3] = ["messages", "prompt", "input"];

/// The OpenAPI 3.1 document of a server whose model has `signature` (`None`: a model saved
/// without one, whose bodies are described as any JSON of the accepted shapes).
pub fn document(signature: Option<&ModelSignature>, options: &DocumentOptions) -> Value {
    let inputs = signature.and_then(|s| s.inputs.as_ref());
    let outputs = signature.and_then(|s| s.outputs.as_ref());
    let params = signature
        .and_then(|s| s.params.as_ref())
        .filter(|p| !p.is_empty());

    let mut components = Components::default();
    components.add("Error", error_schema());
    components.add("Detail", detail_schema());
    components.add("Params", params_schema(params.map(|p| p.params())));
    let formats = input_formats(inputs, &mut components);
    let predictions = output_schema(outputs, &mut components);
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
        let others: Vec<Value> = FORMAT_KEYS
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
    v2_components(&mut components, inputs.map(v2_input_names));

    let mut paths: Vec<(String, Value)> = [
        ("/invocations", invocations_path(inputs, request_refs, formats.csv, formats.examples)),
        (
            "/ping",
            small_route(
                "ping",
                "Liveness check",
                "Answers 200 with a single newline (`\\n`, labelled `application/json` as MLflow does) while the server runs.",
                "A single newline.",
                obj([("type", s("string")), ("const", s("\n"))]),
            ),
        ),
        (
            "/health",
            small_route(
                "health",
                "Health check",
                "Same as `/ping`.",
                "A single newline.",
                obj([("type", s("string")), ("const", s("\n"))]),
            ),
        ),
        (
            "/version",
            small_route(
                "version",
                "MLflow version",
                "The MLflow version whose protocol the server speaks, as bare text (not a JSON string) labelled `application/json`, as MLflow sends it.",
                "The version text.",
                obj([("type", s("string")), ("const", s(MLFLOW_VERSION))]),
            ),
        ),
        (
            "/openapi.json",
            small_route(
                "openapi",
                "This document",
                "The OpenAPI 3.1 document of this server, generated from the model's signature.",
                "An OpenAPI 3.1 document.",
                obj([("type", s("object"))]),
            ),
        ),
    ]
    .into_iter()
    .map(|(path, item)| (path.to_string(), item))
    .collect();
    if options.metrics {
        paths.push(("/metrics".to_string(), metrics_path()));
    }
    paths.extend(v2_paths(
        options.model_name.as_deref(),
        options.model_version.as_deref(),
    ));

    let mut description = format!(
        "The scoring server of one model, compatible with MLflow {MLFLOW_VERSION}'s `mlflow models serve` (same routes, request formats, status codes and error bodies), plus the V2 (Open Inference Protocol) routes. Generated from the model's signature."
    );
    match signature {
        None => description.push_str(
            "\n\nThe model has no signature: bodies are any JSON of the accepted shapes.",
        ),
        Some(sig) => {
            let part = |name: &str, v: Option<String>| {
                format!("\n* {name}: `{}`", v.unwrap_or_else(|| "None".into()))
            };
            description.push_str("\n\nModel signature:");
            description.push_str(&part("inputs", sig.inputs.as_ref().map(schema_repr)));
            description.push_str(&part("outputs", sig.outputs.as_ref().map(schema_repr)));
            description.push_str(&part("params", params.map(param_schema_repr)));
        }
    }

    obj([
        ("openapi", s("3.1.0")),
        (
            "jsonSchemaDialect",
            s("https://spec.openapis.org/oas/3.1/dialect/base"),
        ),
        (
            "info",
            obj([
                ("title", s("signet scoring server")),
                ("version", s(env!("CARGO_PKG_VERSION"))),
                ("description", s(description)),
            ]),
        ),
        (
            "tags",
            Value::List(vec![
                tag("scoring", "MLflow's scoring protocol."),
                tag("server", "Health, version and this document."),
                tag("v2", "The V2 (Open Inference Protocol) inference routes."),
            ]),
        ),
        ("paths", Value::dict(paths)),
        (
            "components",
            obj([("schemas", Value::dict(components.schemas))]),
        ),
    ])
}

/// The `GET /openapi.json` handler of a router configured by `config`: the document is rendered
/// here, once; every request gets the same bytes.
pub(crate) fn openapi_json(
    config: &ServerConfig,
) -> impl Fn() -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    let options = DocumentOptions {
        metrics: config.metrics,
        model_name: Some(config.model_name.clone()),
        model_version: config.model_version.clone(),
    };
    let body = Bytes::from(pyjson::dumps(&document(
        config.signature.as_ref(),
        &options,
    )));
    move || std::future::ready(respond(200, "application/json", body.clone()))
}

// ---------------------------------------------------------------------------------------------
// Value builders.

fn obj<const N: usize>(items: [(&str, Value); N]) -> Value {
    Value::dict(items)
}

fn s(text: impl Into<String>) -> Value {
    Value::str(text)
}

fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::List(items.into_iter().map(|x| Value::Str(x.into())).collect())
}

fn reference(name: &str) -> Value {
    obj([("$ref", s(format!("#/components/schemas/{name}")))])
}

fn array_of(items: Value) -> Value {
    obj([("type", s("array")), ("items", items)])
}

fn any_of(items: Vec<Value>) -> Value {
    if items.len() == 1 {
        return items.into_iter().next().unwrap_or(Value::Dict(Vec::new()));
    }
    obj([("anyOf", Value::List(items))])
}

/// Sets `key` in a dict value (appending it when new).
fn set(target: &mut Value, key: &str, value: Value) {
    if let Value::Dict(items) = target {
        if let Some(slot) = items
            .iter_mut()
            .find(|(k, _)| matches!(k, Value::Str(x) if x == key))
        {
            slot.1 = value;
        } else {
            items.push((Value::str(key), value));
        }
    }
}

fn described(mut schema: Value, description: impl Into<String>) -> Value {
    set(&mut schema, "description", s(description));
    schema
}

fn tag(name: &str, description: &str) -> Value {
    obj([("name", s(name)), ("description", s(description))])
}

/// `dataframe_split` → `DataframeSplit`.
fn pascal(key: &str) -> String {
    key.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `components/schemas`, in insertion order.
#[derive(Default)]
struct Components {
    schemas: Vec<(String, Value)>,
}

impl Components {
    fn add(&mut self, name: &str, schema: Value) {
        self.schemas.push((name.to_string(), schema));
    }
}

// ---------------------------------------------------------------------------------------------
// MLflow types → JSON Schema.

/// A scalar MLflow type.
fn data_type(t: DataType) -> Value {
    match t {
        DataType::Boolean => obj([("type", s("boolean"))]),
        DataType::Integer => obj([
            ("type", s("integer")),
            ("format", s("int32")),
            ("minimum", Value::Int(i32::MIN.into())),
            ("maximum", Value::Int(i32::MAX.into())),
        ]),
        DataType::Long => obj([
            ("type", s("integer")),
            ("format", s("int64")),
            ("minimum", Value::Int(i64::MIN.into())),
            ("maximum", Value::Int(i64::MAX.into())),
        ]),
        DataType::Float => obj([("type", s("number")), ("format", s("float"))]),
        DataType::Double => obj([("type", s("number")), ("format", s("double"))]),
        DataType::String => obj([("type", s("string"))]),
        DataType::Binary => obj([("type", s("string")), ("contentEncoding", s("base64"))]),
        DataType::Datetime => obj([("type", s("string")), ("format", s("date-time"))]),
    }
}

/// A column type (scalar or composite).
fn col_type(t: &ColType) -> Value {
    match t {
        ColType::Scalar(d) => data_type(*d),
        ColType::Array(item) => array_of(col_type(item)),
        ColType::Object(o) => object_type(o),
        ColType::Map(v) => obj([("type", s("object")), ("additionalProperties", col_type(v))]),
        ColType::Any => obj([("description", s("AnyType: any value."))]),
        ColType::SparkMLVector => described(
            array_of(data_type(DataType::Double)),
            "SparkML vector (an array of doubles).",
        ),
    }
}

/// An Object type: its properties (optional ones may be null), the required ones listed, no
/// other keys (MLflow refuses properties not in the schema).
fn object_type(o: &ObjectType) -> Value {
    let props = o.properties().iter().map(|p| {
        let ty = col_type(&p.ty);
        let ty = if p.required.is_required() {
            ty
        } else {
            nullable(ty)
        };
        (p.name.clone(), ty)
    });
    let required: Vec<&str> = o
        .properties()
        .iter()
        .filter(|p| p.required.is_required())
        .map(|p| p.name.as_str())
        .collect();
    let mut out = obj([("type", s("object")), ("properties", Value::dict(props))]);
    if !required.is_empty() {
        set(&mut out, "required", strs(required));
    }
    set(&mut out, "additionalProperties", Value::Bool(false));
    out
}

/// `schema` or `null`.
fn nullable(mut schema: Value) -> Value {
    match schema.get("type") {
        Some(Value::Str(t)) => {
            let t = t.clone();
            set(&mut schema, "type", strs([t, "null".to_string()]));
            schema
        }
        _ if schema.get("$ref").is_some() || schema.get("anyOf").is_some() => obj([(
            "anyOf",
            Value::List(vec![schema, obj([("type", s("null"))])]),
        )]),
        // No `type`: already admits null.
        _ => schema,
    }
}

/// A column's cell: its type, or null too when the column is optional.
fn cell(c: &ColSpec) -> Value {
    let t = col_type(&c.ty);
    if c.is_required() {
        t
    } else {
        nullable(t)
    }
}

/// The element of a tensor of this dtype.
fn tensor_elem(d: NumpyDtype) -> Value {
    let int = |format: Option<&str>, min: i128, max: i128| {
        let mut v = obj([("type", s("integer"))]);
        if let Some(f) = format {
            set(&mut v, "format", s(f));
        }
        set(&mut v, "minimum", Value::Int(min));
        set(&mut v, "maximum", Value::Int(max));
        v
    };
    match d {
        NumpyDtype::Bool => obj([("type", s("boolean"))]),
        NumpyDtype::Int8 => int(None, i8::MIN.into(), i8::MAX.into()),
        NumpyDtype::Int16 => int(None, i16::MIN.into(), i16::MAX.into()),
        NumpyDtype::Int32 => int(Some("int32"), i32::MIN.into(), i32::MAX.into()),
        NumpyDtype::Int64 => int(Some("int64"), i64::MIN.into(), i64::MAX.into()),
        NumpyDtype::UInt8 => int(None, 0, u8::MAX.into()),
        NumpyDtype::UInt16 => int(None, 0, u16::MAX.into()),
        NumpyDtype::UInt32 => int(None, 0, u32::MAX.into()),
        NumpyDtype::UInt64 => int(None, 0, u64::MAX.into()),
        NumpyDtype::Float16 => obj([("type", s("number"))]),
        NumpyDtype::Float32 => obj([("type", s("number")), ("format", s("float"))]),
        NumpyDtype::Float64 => obj([("type", s("number")), ("format", s("double"))]),
        NumpyDtype::Str | NumpyDtype::Bytes => obj([("type", s("string"))]),
        NumpyDtype::Datetime64(_) => obj([("type", s("string")), ("format", s("date-time"))]),
        NumpyDtype::Timedelta64(_) => obj([("type", s("integer"))]),
        NumpyDtype::Complex64 | NumpyDtype::Complex128 | NumpyDtype::Object => {
            obj([("description", s(format!("numpy {}", d.name())))])
        }
    }
}

/// Nested arrays of `elem` with these dimensions (`-1`: any length).
fn nested(elem: Value, dims: &[i64]) -> Value {
    dims.iter().rev().fold(elem, |inner, &d| {
        let mut a = array_of(inner);
        if d >= 0 {
            set(&mut a, "minItems", Value::Int(d.into()));
            set(&mut a, "maxItems", Value::Int(d.into()));
        }
        a
    })
}

/// A whole tensor.
fn tensor(t: &TensorSpec) -> Value {
    described(
        nested(tensor_elem(t.dtype), &t.shape),
        format!(
            "{} tensor of shape {}",
            t.dtype.name(),
            shape_text(&t.shape)
        ),
    )
}

/// One row of a tensor (the first dimension dropped): what a table cell or an `instances`
/// record holds.
fn tensor_row(t: &TensorSpec) -> Value {
    nested(tensor_elem(t.dtype), t.shape.get(1..).unwrap_or(&[]))
}

fn shape_text(shape: &[i64]) -> String {
    signet::repr::shape_repr(shape)
}

/// A JSON-safe copy of a default (no NaN / infinities, which JSON cannot hold).
fn json_safe(v: &Value) -> Option<Value> {
    finite(v).then(|| v.clone())
}

/// Whether `v` holds no NaN or infinity (and no array, which a default never is).
fn finite(v: &Value) -> bool {
    match v {
        Value::Float(f) => f.is_finite(),
        Value::Numpy(_, inner) => finite(inner),
        Value::List(items) | Value::Tuple(items) => items.iter().all(finite),
        Value::Dict(items) => items.iter().all(|(_, x)| finite(x)),
        Value::Ndarray(_) => false,
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Request bodies.

/// The schemas of the four JSON formats' values (in MLflow's order), whether `text/csv` is
/// accepted, and request examples.
struct Formats {
    bodies: Vec<(&'static str, Value)>,
    csv: Option<String>,
    examples: Vec<(String, Value)>,
}

fn input_formats(inputs: Option<&Schema>, components: &mut Components) -> Formats {
    match inputs.map(Schema::kind) {
        None => untyped_formats(),
        Some(SchemaKind::Columns(cols)) if cols[0].name.is_some() => {
            named_columns(cols, components)
        }
        Some(SchemaKind::Columns(cols)) => unnamed_columns(cols),
        Some(SchemaKind::Tensors(ts)) if ts[0].name.is_some() => named_tensors(ts, components),
        Some(SchemaKind::Tensors(ts)) => unnamed_tensor(&ts[0]),
    }
}

/// `dataframe_split`'s object: `columns`, `data` rows, `index`.
fn split_schema(columns: Value, row: Value, required: &[&str], description: String) -> Value {
    obj([
        ("type", s("object")),
        ("description", s(description)),
        (
            "properties",
            obj([
                ("columns", columns),
                ("data", array_of(row)),
                (
                    "index",
                    described(array_of(obj([])), "Row labels (ignored)."),
                ),
            ]),
        ),
        ("required", strs(required.iter().copied())),
        ("additionalProperties", Value::Bool(false)),
    ])
}

fn any_columns() -> Value {
    described(
        array_of(obj([("type", strs(["string", "integer"]))])),
        "Column labels (default: 0, 1, ...).",
    )
}

fn untyped_formats() -> Formats {
    let any = || obj([]);
    Formats {
        bodies: vec![
            (
                "dataframe_split",
                split_schema(
                    any_columns(),
                    array_of(any()),
                    &["data"],
                    "A table in pandas' `split` orientation.".into(),
                ),
            ),
            (
                "dataframe_records",
                described(
                    array_of(obj([("type", strs(["object", "array"]))])),
                    "A table as a list of records (objects keyed by column, or arrays).",
                ),
            ),
            (
                "instances",
                described(any(), "Any JSON value (arrays become numpy arrays)."),
            ),
            (
                "inputs",
                described(any(), "Any JSON value (arrays become numpy arrays)."),
            ),
        ],
        csv: Some("A CSV table with a header row.".into()),
        examples: Vec::new(),
    }
}

/// CSV is refused for tensor signatures, composite columns and (named) datetime columns.
fn csv_description(cols: &[ColSpec]) -> Option<String> {
    if cols.iter().any(|c| c.ty.as_scalar().is_none()) {
        return None;
    }
    let named = cols[0].name.is_some();
    if named
        && cols
            .iter()
            .any(|c| c.is_required() && c.ty == ColType::Scalar(DataType::Datetime))
    {
        return None;
    }
    if !named {
        return Some("A CSV table with a header row; columns are matched by position.".into());
    }
    let is_datetime = |c: &&ColSpec| c.ty == ColType::Scalar(DataType::Datetime);
    let names = |datetime: bool| {
        cols.iter()
            .filter(|c| is_datetime(c) == datetime)
            .filter_map(|c| c.name.as_ref().map(|n| format!("`{}`", n.as_text())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "A CSV table with a header row naming the columns ({}).",
        names(false)
    );
    if cols.iter().any(|c| is_datetime(&c)) {
        text.push_str(&format!(
            " The optional datetime column(s) {} cannot be sent as CSV.",
            names(true)
        ));
    }
    Some(text)
}

fn named_columns(cols: &[ColSpec], components: &mut Components) -> Formats {
    let names: Vec<String> = cols
        .iter()
        .filter_map(|c| c.name.as_ref().map(|n| n.as_text()))
        .collect();
    let required: Vec<&str> = cols
        .iter()
        .zip(&names)
        .filter(|(c, _)| c.is_required())
        .map(|(_, n)| n.as_str())
        .collect();
    let with_required = |mut v: Value| {
        if !required.is_empty() {
            set(&mut v, "required", strs(required.iter().copied()));
        }
        v
    };

    let row = with_required(obj([
        ("type", s("object")),
        (
            "description",
            s("One row of model input: a value per column (optional columns may be absent or null; other keys are dropped)."),
        ),
        (
            "properties",
            Value::dict(names.iter().cloned().zip(cols.iter().map(cell))),
        ),
    ]));
    components.add("ModelInputRow", row);
    let columns = with_required(obj([
        ("type", s("object")),
        (
            "description",
            s("Model input by column: each column's values (a single value is broadcast to every row)."),
        ),
        (
            "properties",
            Value::dict(names.iter().cloned().zip(cols.iter().map(|c| {
                any_of(vec![array_of(cell(c)), cell(c)])
            }))),
        ),
    ]));
    components.add("ModelInputColumns", columns);

    let order = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut split_columns = described(
        array_of(obj([("enum", strs(names.iter().cloned()))])),
        format!("The column names, in the order of the cells of each row; the signature's order is {order}."),
    );
    set(&mut split_columns, "uniqueItems", Value::Bool(true));
    set(
        &mut split_columns,
        "examples",
        Value::List(vec![strs(names.iter().cloned())]),
    );
    let split_row = obj([
        ("type", s("array")),
        (
            "description",
            s(format!("A row's cells, in the order of `columns`; typed here for the signature's order ({order}).")),
        ),
        ("prefixItems", Value::List(cols.iter().map(cell).collect())),
    ]);
    let split_required: &[&str] = if required.is_empty() {
        &["data"]
    } else {
        &["columns", "data"]
    };
    let split = split_schema(
        split_columns,
        split_row,
        split_required,
        "A table in pandas' `split` orientation.".into(),
    );
    let records = described(
        array_of(reference("ModelInputRow")),
        "A table as a list of records.",
    );
    let instances = any_of(vec![
        described(array_of(reference("ModelInputRow")), "A list of records."),
        reference("ModelInputColumns"),
    ]);
    let mut inputs = vec![
        reference("ModelInputColumns"),
        described(array_of(reference("ModelInputRow")), "A list of records."),
    ];
    if cols.len() == 1 {
        inputs.push(described(
            array_of(cell(&cols[0])),
            format!("The values of `{}`.", names[0]),
        ));
    }

    let sample_row: Vec<Value> = cols.iter().map(|c| sample(&c.ty)).collect();
    let sample_record = Value::dict(names.iter().cloned().zip(sample_row.iter().cloned()));
    let examples = vec![
        (
            "dataframe_split".to_string(),
            obj([(
                "dataframe_split",
                obj([
                    ("columns", strs(names.iter().cloned())),
                    ("data", Value::List(vec![Value::List(sample_row.clone())])),
                ]),
            )]),
        ),
        (
            "dataframe_records".to_string(),
            obj([(
                "dataframe_records",
                Value::List(vec![sample_record.clone()]),
            )]),
        ),
        (
            "inputs".to_string(),
            obj([("inputs", Value::List(vec![sample_record]))]),
        ),
    ];
    Formats {
        bodies: vec![
            ("dataframe_split", split),
            ("dataframe_records", records),
            ("instances", instances),
            ("inputs", any_of(inputs)),
        ],
        csv: csv_description(cols),
        examples,
    }
}

fn unnamed_columns(cols: &[ColSpec]) -> Formats {
    let row = obj([
        ("type", s("array")),
        ("description", s("A row's cells, by position.")),
        ("prefixItems", Value::List(cols.iter().map(cell).collect())),
        ("minItems", Value::Int(cols.len() as i128)),
    ]);
    let split = split_schema(
        any_columns(),
        row.clone(),
        &["data"],
        "A table in pandas' `split` orientation; columns are matched by position.".into(),
    );
    let records = described(
        array_of(row.clone()),
        "A table as a list of rows (columns are matched by position).",
    );
    let values = if cols.len() == 1 {
        any_of(vec![
            described(array_of(cell(&cols[0])), "The column's values."),
            described(cell(&cols[0]), "A single value."),
        ])
    } else {
        described(array_of(row), "A list of rows.")
    };
    Formats {
        bodies: vec![
            ("dataframe_split", split),
            ("dataframe_records", records),
            ("instances", values.clone()),
            ("inputs", values),
        ],
        csv: csv_description(cols),
        examples: Vec::new(),
    }
}

fn unnamed_tensor(t: &TensorSpec) -> Formats {
    let row = if t.shape.len() >= 2 {
        tensor_row(t)
    } else {
        let mut r = array_of(tensor_elem(t.dtype));
        set(&mut r, "minItems", Value::Int(1));
        set(&mut r, "maxItems", Value::Int(1));
        r
    };
    let split = split_schema(
        any_columns(),
        row.clone(),
        &["data"],
        format!(
            "A table whose rows are the tensor's rows (shape {}).",
            shape_text(&t.shape)
        ),
    );
    Formats {
        bodies: vec![
            ("dataframe_split", split),
            (
                "dataframe_records",
                described(array_of(row), "The tensor's rows."),
            ),
            ("instances", tensor(t)),
            ("inputs", tensor(t)),
        ],
        csv: None,
        examples: Vec::new(),
    }
}

fn named_tensors(ts: &[TensorSpec], components: &mut Components) -> Formats {
    let names: Vec<String> = ts
        .iter()
        .map(|t| t.name.clone().unwrap_or_default())
        .collect();
    components.add(
        "ModelInputTensors",
        obj([
            ("type", s("object")),
            ("description", s("The model's input tensors by name.")),
            (
                "properties",
                Value::dict(names.iter().cloned().zip(ts.iter().map(tensor))),
            ),
            ("required", strs(names.iter().cloned())),
        ]),
    );
    let record = obj([
        ("type", s("object")),
        (
            "description",
            s("One row of each tensor (the first dimension dropped)."),
        ),
        (
            "properties",
            Value::dict(names.iter().cloned().zip(ts.iter().map(tensor_row))),
        ),
        ("required", strs(names.iter().cloned())),
    ]);
    let mut split_columns = described(
        array_of(obj([("enum", strs(names.iter().cloned()))])),
        "The tensor names, in the order of the cells of each row.",
    );
    set(&mut split_columns, "uniqueItems", Value::Bool(true));
    let split_row = obj([
        ("type", s("array")),
        (
            "description",
            s("A row of each tensor, in the order of `columns` (typed here for the signature's order)."),
        ),
        ("prefixItems", Value::List(ts.iter().map(tensor_row).collect())),
    ]);
    Formats {
        bodies: vec![
            (
                "dataframe_split",
                split_schema(
                    split_columns,
                    split_row,
                    &["columns", "data"],
                    "A table with one column per tensor.".into(),
                ),
            ),
            (
                "dataframe_records",
                described(
                    array_of(record.clone()),
                    "A list of records, one row of each tensor.",
                ),
            ),
            (
                "instances",
                any_of(vec![
                    described(
                        array_of(record),
                        "A list of records, one row of each tensor.",
                    ),
                    reference("ModelInputTensors"),
                ]),
            ),
            ("inputs", reference("ModelInputTensors")),
        ],
        csv: None,
        examples: Vec::new(),
    }
}

/// A sample value of a column type, for request examples.
fn sample(t: &ColType) -> Value {
    match t {
        ColType::Scalar(d) => match d {
            DataType::Boolean => Value::Bool(true),
            DataType::Integer | DataType::Long => Value::Int(1),
            DataType::Float | DataType::Double => Value::Float(1.5),
            DataType::String => s("text"),
            DataType::Binary => s("AAEC"),
            DataType::Datetime => s("2020-01-01T00:00:00"),
        },
        ColType::Array(item) => Value::List(vec![sample(item)]),
        ColType::Object(o) => Value::dict(
            o.properties()
                .iter()
                .filter(|p| p.required.is_required())
                .map(|p| (p.name.clone(), sample(&p.ty))),
        ),
        ColType::Map(v) => obj([("key", sample(v))]),
        ColType::Any => s("any"),
        ColType::SparkMLVector => Value::List(vec![Value::Float(1.5)]),
    }
}

/// The params object: one property per ParamSpec (type, default, `shape: (-1,)` → array).
fn params_schema(params: Option<&[ParamSpec]>) -> Value {
    let Some(params) = params else {
        return obj([
            ("type", s("object")),
            (
                "description",
                s("Inference parameters. The model's signature declares none: they are dropped (with a warning)."),
            ),
        ]);
    };
    let props = params.iter().map(|p| {
        let elem = match p.dtype() {
            ParamType::Scalar(d) => data_type(*d),
            ParamType::Object(o) => object_type(o),
        };
        let mut schema = match p.shape() {
            ParamShape::Scalar => elem,
            ParamShape::List => array_of(elem),
        };
        if let Some(d) = json_safe(p.default()) {
            set(&mut schema, "default", d);
        }
        set(
            &mut schema,
            "description",
            s(signet::repr::param_spec_repr(p)),
        );
        (p.name().to_string(), schema)
    });
    obj([
        ("type", s("object")),
        (
            "description",
            s("Inference parameters; absent ones take their default, unknown ones are ignored (with a warning)."),
        ),
        ("properties", Value::dict(props)),
    ])
}

/// The unified LLM form (SERVING.md §4.3).
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

// ---------------------------------------------------------------------------------------------
// Responses.

fn output_schema(outputs: Option<&Schema>, components: &mut Components) -> Value {
    match outputs.map(Schema::kind) {
        None => obj([("description", s("The model's output."))]),
        Some(SchemaKind::Columns(cols)) if cols[0].name.is_some() => {
            let names: Vec<String> = cols
                .iter()
                .filter_map(|c| c.name.as_ref().map(|n| n.as_text()))
                .collect();
            let required: Vec<&str> = cols
                .iter()
                .zip(&names)
                .filter(|(c, _)| c.is_required())
                .map(|(_, n)| n.as_str())
                .collect();
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

fn error_schema() -> Value {
    obj([
        ("type", s("object")),
        (
            "description",
            s("An MLflow exception, members in this order (`json.dumps` separators)."),
        ),
        (
            "properties",
            obj([
                (
                    "error_code",
                    obj([
                        ("type", s("string")),
                        (
                            "examples",
                            strs([
                                "BAD_REQUEST",
                                "INVALID_PARAMETER_VALUE",
                                "INTERNAL_ERROR",
                                "TEMPORARILY_UNAVAILABLE",
                            ]),
                        ),
                    ]),
                ),
                ("message", obj([("type", s("string"))])),
                (
                    "sqlstate",
                    obj([
                        ("type", s("string")),
                        ("examples", strs(["KAM00", "KAM01", "XXM00"])),
                    ]),
                ),
                (
                    "error_class",
                    obj([
                        ("type", s("string")),
                        (
                            "examples",
                            strs([
                                "INVALID_PARAMETER_VALUE",
                                "SCHEMA_ENFORCEMENT_FAILED",
                                "CLIENT_INTERNAL_ERROR",
                            ]),
                        ),
                    ]),
                ),
                (
                    "stack_trace",
                    described(
                        obj([("type", s("string"))]),
                        "A Python-style traceback (CSV / Parquet parse failures, unexpected model errors).",
                    ),
                ),
            ]),
        ),
        ("required", strs(["error_code", "message"])),
    ])
}

fn detail_schema() -> Value {
    obj([
        ("type", s("object")),
        ("description", s("FastAPI's error page (compact JSON).")),
        (
            "properties",
            obj([("detail", obj([("type", s("string"))]))]),
        ),
        ("required", strs(["detail"])),
    ])
}

fn json_content(schema: Value) -> Value {
    obj([("application/json", obj([("schema", schema)]))])
}

fn text_content(schema: Value) -> Value {
    obj([("text/plain", obj([("schema", schema)]))])
}

fn response(description: &str, content: Value) -> Value {
    obj([("description", s(description)), ("content", content)])
}

fn invocations_path(
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
    let mut content = vec![("application/json".to_string(), json)];
    if let Some(csv) = csv {
        content.push((
            "text/csv".to_string(),
            obj([(
                "schema",
                obj([("type", s("string")), ("description", s(csv))]),
            )]),
        ));
    }
    content.push((
        "application/vnd.apache.parquet".to_string(),
        obj([(
            "schema",
            obj([
                ("type", s("string")),
                ("contentMediaType", s("application/vnd.apache.parquet")),
                (
                    "description",
                    s("A Parquet file (as `pandas.DataFrame.to_parquet()` writes it)."),
                ),
            ]),
        )]),
    ));
    let input_text = inputs.map_or("none (any input is passed through)".to_string(), |s| {
        format!("`{}`", schema_repr(s))
    });
    let description = format!(
        "Runs the model on the request body, after enforcing the input schema {input_text}. The `Content-Type` must be one of `application/json`, `text/csv`, `application/vnd.apache.parquet` (parameter `charset=utf-8` only). Other methods answer 405 `{{\"detail\":\"Method Not Allowed\"}}` with `allow: POST`."
    );
    obj([(
        "post",
        obj([
            ("tags", strs(["scoring"])),
            ("operationId", s("invocations")),
            ("summary", s("Score the model")),
            ("description", s(description)),
            (
                "requestBody",
                obj([("required", Value::Bool(true)), ("content", Value::dict(content))]),
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
                            text_content(obj([("type", s("string"))])),
                        ),
                    ),
                    (
                        "500",
                        response(
                            "The model raised an MLflow `INTERNAL_ERROR` (error JSON), or the request had no `Content-Type` (plain text `Internal Server Error`).",
                            obj([
                                ("application/json", obj([("schema", reference("Error"))])),
                                (
                                    "text/plain",
                                    obj([(
                                        "schema",
                                        obj([
                                            ("type", s("string")),
                                            ("const", s("Internal Server Error")),
                                        ]),
                                    )]),
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
                            json_content(obj([
                                ("type", s("string")),
                                ("const", s(TIMEOUT_BODY)),
                            ])),
                        ),
                    ),
                ]),
            ),
        ]),
    )])
}

/// `GET` route answering 200 with `schema`; other methods 405.
fn small_route(
    operation_id: &str,
    summary: &str,
    description: &str,
    response_description: &str,
    schema: Value,
) -> Value {
    obj([(
        "get",
        obj([
            ("tags", strs(["server"])),
            ("operationId", s(operation_id)),
            ("summary", s(summary)),
            (
                "description",
                s(format!(
                    "{description} Other methods answer 405 `{{\"detail\":\"Method Not Allowed\"}}` with `allow: GET`."
                )),
            ),
            (
                "responses",
                obj([("200", response(response_description, json_content(schema)))]),
            ),
        ]),
    )])
}

fn metrics_path() -> Value {
    obj([(
        "get",
        obj([
            ("tags", strs(["server"])),
            ("operationId", s("metrics")),
            ("summary", s("Prometheus metrics")),
            (
                "responses",
                obj([(
                    "200",
                    response(
                        "Request counts and latencies in Prometheus text format 0.0.4.",
                        text_content(obj([("type", s("string"))])),
                    ),
                )]),
            ),
        ]),
    )])
}

// ---------------------------------------------------------------------------------------------
// V2 inference protocol (as `crate::v2` serves it: MLServer's answers for an MLflow model).

/// The V2 names of the model's inputs: each spec's name, `input-<index>` when unnamed (as
/// MLServer's MLflow runtime names them).
fn v2_input_names(schema: &Schema) -> Vec<String> {
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

fn v2_components(components: &mut Components, input_names: Option<Vec<String>>) {
    let datatype = || obj([("type", s("string")), ("enum", strs(V2_DATATYPES))]);
    let shape = || array_of(obj([("type", s("integer")), ("minimum", Value::Int(0))]));
    let content_type = |description: &str| {
        obj([(
            "content_type",
            obj([("type", s("string")), ("description", s(description))]),
        )])
    };
    let tensor_parameters = || {
        obj([
            ("type", s("object")),
            (
                "properties",
                content_type(
                    "How the tensor is decoded: `np`, `str`, `base64`, `datetime`, `pd_json`.",
                ),
            ),
        ])
    };
    let input_name = match input_names {
        Some(names) => obj([
            ("type", s("string")),
            ("description", s("One of the model's input names.")),
            ("enum", strs(names)),
        ]),
        None => obj([("type", s("string"))]),
    };
    components.add(
        "V2TensorData",
        described(
            array_of(obj([])),
            "The tensor's elements in row-major order, flat or nested by `shape`; the element count must match the shape.",
        ),
    );
    components.add(
        "V2RequestInput",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("name", input_name),
                    ("shape", shape()),
                    ("datatype", datatype()),
                    ("parameters", tensor_parameters()),
                    ("data", reference("V2TensorData")),
                ]),
            ),
            ("required", strs(["name", "shape", "datatype", "data"])),
        ]),
    );
    components.add(
        "V2RequestOutput",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("name", obj([("type", s("string"))])),
                    ("parameters", obj([("type", s("object"))])),
                ]),
            ),
            ("required", strs(["name"])),
        ]),
    );
    let mut request_parameters = obj([("type", s("object"))]);
    let mut props = content_type(
        "How the whole request is decoded: `pd` (a DataFrame), `dict` (named tensors), `np` (one tensor), `str`; default from the signature.",
    );
    set(&mut props, "headers", obj([("type", s("object"))]));
    set(&mut request_parameters, "properties", props);
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
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("id", obj([("type", s("string"))])),
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
                ]),
            ),
            ("required", strs(["inputs"])),
        ]),
    );
    components.add(
        "V2ResponseOutput",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("name", obj([("type", s("string"))])),
                    ("shape", shape()),
                    ("datatype", datatype()),
                    ("parameters", tensor_parameters()),
                    ("data", reference("V2TensorData")),
                ]),
            ),
            ("required", strs(["name", "shape", "datatype", "data"])),
        ]),
    );
    components.add(
        "V2InferenceResponse",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("model_name", obj([("type", s("string"))])),
                    ("model_version", obj([("type", s("string"))])),
                    (
                        "id",
                        described(
                            obj([("type", s("string"))]),
                            "The request's `id`, else a generated one.",
                        ),
                    ),
                    (
                        "parameters",
                        obj([
                            ("type", s("object")),
                            ("properties", content_type("How the output was encoded.")),
                        ]),
                    ),
                    ("outputs", array_of(reference("V2ResponseOutput"))),
                ]),
            ),
            ("required", strs(["model_name", "id", "outputs"])),
        ]),
    );
    components.add(
        "V2MetadataTensor",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("name", obj([("type", s("string"))])),
                    ("datatype", datatype()),
                    (
                        "shape",
                        described(
                            array_of(obj([("type", s("integer")), ("minimum", Value::Int(-1))])),
                            "-1: any size.",
                        ),
                    ),
                    ("parameters", tensor_parameters()),
                ]),
            ),
            ("required", strs(["name", "datatype", "shape"])),
        ]),
    );
    components.add(
        "V2ModelMetadata",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("name", obj([("type", s("string"))])),
                    ("versions", array_of(obj([("type", s("string"))]))),
                    ("platform", obj([("type", s("string"))])),
                    ("inputs", array_of(reference("V2MetadataTensor"))),
                    ("outputs", array_of(reference("V2MetadataTensor"))),
                    (
                        "parameters",
                        obj([
                            ("type", s("object")),
                            (
                                "properties",
                                content_type("How requests are decoded by default."),
                            ),
                        ]),
                    ),
                ]),
            ),
            ("required", strs(["name", "platform", "inputs", "outputs"])),
        ]),
    );
    components.add(
        "V2ServerMetadata",
        obj([
            ("type", s("object")),
            (
                "properties",
                obj([
                    ("name", obj([("type", s("string"))])),
                    ("version", obj([("type", s("string"))])),
                    ("extensions", array_of(obj([("type", s("string"))]))),
                ]),
            ),
            ("required", strs(["name", "version", "extensions"])),
        ]),
    );
    components.add(
        "V2Error",
        obj([
            ("type", s("object")),
            ("properties", obj([("error", obj([("type", s("string"))]))])),
            ("required", strs(["error"])),
        ]),
    );
}

fn v2_paths(model_name: Option<&str>, model_version: Option<&str>) -> Vec<(String, Value)> {
    let path_param = |name: &str, description: &str, value: Option<&str>| {
        let mut schema = obj([("type", s("string"))]);
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
    let operation = |method: &str,
                     id: String,
                     summary: &str,
                     params: Option<Value>,
                     extra: Vec<(&str, Value)>| {
        let mut op = obj([
            ("tags", strs(["v2"])),
            ("operationId", s(id)),
            ("summary", s(summary)),
        ]);
        if let Some(p) = params {
            set(&mut op, "parameters", p);
        }
        for (k, v) in extra {
            set(&mut op, k, v);
        }
        Value::dict([(method, op)])
    };
    let get_ok = |id: &str, summary: &str, ok: Value| {
        operation(
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
            operation(
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
            operation(
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
            operation(
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
