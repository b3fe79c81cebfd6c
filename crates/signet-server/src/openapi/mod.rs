//! `GET /openapi.json`: an OpenAPI 3.1 document of the server, generated from the model's
//! signature.
//!
//! [`document`] is a pure function of the signature: every request format `/invocations`
//! accepts (docs/serving.md#content-type, #json-envelope, #json-payload, #csv, #parquet) is described with the model's real columns, types, required
//! flags, tensor shapes and params, and so are the responses (docs/serving.md#predictions, #error-responses), the small
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

mod builders;
mod errors;
mod formats;
mod invocations;
mod routes;
mod types;
mod v2;

use crate::error::respond;
use crate::routes::MLFLOW_VERSION;
use crate::ServerConfig;
use axum::body::Bytes;
use axum::response::Response;
use builders::{obj, s, tag, Components};
use signet::repr::{param_schema_repr, schema_repr};
use signet::types::ModelSignature;
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

/// The OpenAPI 3.1 document of a server whose model has `signature` (`None`: a model saved
/// without one, whose bodies are described as any JSON of the accepted shapes).
pub fn document(signature: Option<&ModelSignature>, options: &DocumentOptions) -> Value {
    let inputs = signature.and_then(|s| s.inputs.as_ref());
    let outputs = signature.and_then(|s| s.outputs.as_ref());
    let params = signature
        .and_then(|s| s.params.as_ref())
        .filter(|p| !p.is_empty());

    let mut components = Components::default();
    components.add("Error", errors::error_schema());
    components.add("Detail", errors::detail_schema());
    components.add("Params", types::params_schema(params.map(|p| p.params())));
    let invocations = invocations::invocations_path(inputs, outputs, &mut components);
    v2::v2_components(&mut components, inputs.map(v2::v2_input_names));

    let mut paths = vec![("/invocations".to_string(), invocations)];
    paths.extend(routes::server_paths(options.metrics));
    paths.extend(v2::v2_paths(
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
