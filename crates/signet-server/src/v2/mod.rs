//! The Open Inference Protocol (KServe V2, REST), answered the way Seldon MLServer answers it
//! for an MLflow model (SeldonIO/MLServer: routes in `mlserver/rest/app.py`, handlers in
//! `mlserver/rest/endpoints.py` and `mlserver/handlers/dataplane.py`, errors in
//! `mlserver/errors.py` and `mlserver/rest/errors.py`, the MLflow runtime in
//! `runtimes/mlflow/mlserver_mlflow/`):
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /v2/health/live`, `GET /v2/health/ready` | 200, empty body |
//! | `GET /v2` | `{"name":"signet","version":"<crate version>","extensions":[]}` |
//! | `GET /v2/models/{name}[/versions/{version}]` | the model metadata ([`metadata`]) |
//! | `GET /v2/models/{name}[/versions/{version}]/ready` | 200, empty body |
//! | `POST /v2/models/{name}[/versions/{version}]/infer` | the inference response |
//!
//! An inference request is decoded into a [`signet::ModelInput`] ([`decode`]), enforced
//! against the signature exactly as `/invocations` enforces it ([`signet::enforce::enforce`],
//! same [`Compat`](signet::enforce::Compat), refusals counted in the metrics), predicted
//! (off the async threads, behind the same concurrency bound), and the output encoded
//! ([`encode`]). Request `parameters` other than `content_type` and `headers` reach the model
//! as its params, as mlserver_mlflow passes them (`predict(..., params=...)`).
//!
//! Bodies are compact JSON as MLServer sends them. Failures are `{"error":"<message>"}`
//! (MLServer's `APIErrorResponse`): 404 `Model <name> not found` (or `Model <name> with version
//! <version> not found`) for another model, 400 for a request that cannot be decoded or is
//! refused by enforcement (MLServer answers a malformed body with FastAPI's 422 and an
//! enforcement failure with a 500; signet says 400 with the reason), the model's own failures
//! with their MLflow status (500 for anything else).

mod datatype;
mod decode;
mod encode;
mod json;
mod metadata;

use crate::error::respond;
use crate::invocations::{read_body, NO_SCHEMA_DETAILS, OVERLOADED, SHUTTING_DOWN};
use crate::predictor::PredictError;
use crate::{routes, App, MlflowError, Refusal, ServerConfig};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use signet::enforce::enforce;
use signet::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A V2 failure: an HTTP status and MLServer's `{"error": "..."}` body.
#[derive(Debug)]
struct V2Error {
    status: u16,
    message: String,
}

impl V2Error {
    fn new(status: u16, message: impl Into<String>) -> V2Error {
        V2Error {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> V2Error {
        V2Error::new(400, message)
    }
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        let body = json::to_json(&Value::dict([("error", Value::Str(self.message))]));
        respond(self.status, "application/json", body)
    }
}

/// The V2 routes, added to the scoring server's router.
pub(crate) fn add_routes(router: Router<Arc<App>>) -> Router<Arc<App>> {
    fn get_route<H, T>(handler: H) -> MethodRouter<Arc<App>>
    where
        H: axum::handler::Handler<T, Arc<App>>,
        T: 'static,
    {
        get(handler)
            .head(routes::get_only)
            .fallback(routes::get_only)
    }
    router
        .route("/v2", get_route(server_metadata))
        .route("/v2/health/live", get_route(healthy))
        .route("/v2/health/ready", get_route(healthy))
        .route("/v2/models/{name}", get_route(model_metadata))
        .route(
            "/v2/models/{name}/versions/{version}",
            get_route(model_metadata_version),
        )
        .route("/v2/models/{name}/ready", get_route(model_ready))
        .route(
            "/v2/models/{name}/versions/{version}/ready",
            get_route(model_ready_version),
        )
        .route(
            "/v2/models/{name}/infer",
            post(infer).fallback(routes::post_only),
        )
        .route(
            "/v2/models/{name}/versions/{version}/infer",
            post(infer_version).fallback(routes::post_only),
        )
}

/// MLServer's answer to a successful health or readiness check: 200 with an empty body.
fn empty_ok() -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::OK;
    resp
}

fn json_ok(body: String) -> Response {
    respond(200, "application/json", body)
}

/// `GET /v2/health/live` and `GET /v2/health/ready`: the server is up and its one model is
/// loaded before it listens.
async fn healthy() -> Response {
    empty_ok()
}

/// `GET /v2`: MLServer's `MetadataServerResponse`.
async fn server_metadata() -> Response {
    json_ok(json::to_json(&Value::dict([
        ("name", Value::str("signet")),
        ("version", Value::str(env!("CARGO_PKG_VERSION"))),
        ("extensions", Value::List(Vec::new())),
    ])))
}

/// MLServer's `ModelNotFound` unless `name` (and `version`, when given) are the served model's.
fn check_model(app: &App, name: &str, version: Option<&str>) -> Result<(), V2Error> {
    let config = &app.config;
    let found = name == config.model_name
        && version.is_none_or(|v| config.model_version.as_deref() == Some(v));
    if found {
        return Ok(());
    }
    Err(V2Error::new(
        404,
        match version {
            Some(v) => format!("Model {name} with version {v} not found"),
            None => format!("Model {name} not found"),
        },
    ))
}

async fn model_metadata(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    metadata_response(&app, &name, None)
}

async fn model_metadata_version(
    State(app): State<Arc<App>>,
    Path((name, version)): Path<(String, String)>,
) -> Response {
    metadata_response(&app, &name, Some(&version))
}

fn metadata_response(app: &App, name: &str, version: Option<&str>) -> Response {
    match check_model(app, name, version) {
        Ok(()) => json_ok(metadata::model_metadata_json(&app.config)),
        Err(e) => e.into_response(),
    }
}

async fn model_ready(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    match check_model(&app, &name, None) {
        Ok(()) => empty_ok(),
        Err(e) => e.into_response(),
    }
}

async fn model_ready_version(
    State(app): State<Arc<App>>,
    Path((name, version)): Path<(String, String)>,
) -> Response {
    match check_model(&app, &name, Some(&version)) {
        Ok(()) => empty_ok(),
        Err(e) => e.into_response(),
    }
}

async fn infer(State(app): State<Arc<App>>, Path(name): Path<String>, req: Request) -> Response {
    infer_model(app, name, None, req).await
}

async fn infer_version(
    State(app): State<Arc<App>>,
    Path((name, version)): Path<(String, String)>,
    req: Request,
) -> Response {
    infer_model(app, name, Some(version), req).await
}

/// `POST /v2/models/{name}[/versions/{version}]/infer`: body read, then the CPU-bound part on
/// its scoring thread ([`crate::scoring`]) behind the server's concurrency bound, as
/// `/invocations` does.
async fn infer_model(
    app: Arc<App>,
    name: String,
    version: Option<String>,
    req: Request,
) -> Response {
    if let Err(e) = check_model(&app, &name, version.as_deref()) {
        return e.into_response();
    }
    let body = match read_body(req.into_body(), app.config.body_limit).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let permit = match app.admit().await {
        Ok(permit) => permit,
        Err(Refusal::Overloaded) => return V2Error::new(503, OVERLOADED).into_response(),
        Err(Refusal::ShuttingDown) => return V2Error::new(503, SHUTTING_DOWN).into_response(),
    };
    let worker = Arc::clone(&app);
    let outcome = crate::scoring::run(&app, body.len(), move || {
        let _permit = permit;
        score(&worker, &body)
    })
    .await;
    match outcome {
        Ok(Ok(json)) => json_ok(json),
        Ok(Err(e)) => e.into_response(),
        Err(panic) => V2Error::new(500, panic).into_response(),
    }
}

/// The decoding half of `POST /v2/models/{name}/infer`, without HTTP: the body parsed and
/// decoded for `config`'s model into what enforcement receives (the model input and the
/// request's params), or the 400 message. The server runs exactly this before enforcing;
/// exposed for the fuzz harness (`signet-fuzz-harness`).
pub fn decode_infer_body(
    body: &[u8],
    config: &ServerConfig,
) -> Result<(signet::ModelInput, Option<Value>), String> {
    let request = decode::parse_request(body)?;
    let input = decode::decode(&request, config)?;
    Ok((input, request.params))
}

/// Decode, enforce, predict, encode: the response body.
fn score(app: &App, body: &[u8]) -> Result<String, V2Error> {
    let config = &app.config;
    let request = decode::parse_request(body).map_err(V2Error::bad_request)?;
    let input = decode::decode(&request, config).map_err(V2Error::bad_request)?;
    let enforced = enforce(
        config.signature.as_ref(),
        input,
        request.params.as_ref(),
        config.compat,
    )
    .map_err(|e| {
        app.metrics.refused(&e);
        if e.wrapped && config.disable_schema_details {
            V2Error::bad_request(NO_SCHEMA_DETAILS)
        } else {
            V2Error::bad_request(e.message())
        }
    })?;
    for w in &enforced.warnings {
        tracing::warn!(target: "signet_server", "{}", w.message);
    }
    let output = app
        .predictor
        .predict(enforced.input, enforced.params)
        .map_err(|e| match e {
            PredictError::Mlflow {
                error_code,
                message,
            } => V2Error::new(MlflowError::new(error_code, "").status(), message),
            PredictError::Other { exception, message } => {
                V2Error::new(500, format!("{exception}: {message}"))
            }
        })?;
    let (content_type, outputs) = encode::encode(&output).map_err(|e| V2Error::new(500, e))?;
    let mut members = vec![("model_name", Value::str(config.model_name.clone()))];
    if let Some(v) = &config.model_version {
        members.push(("model_version", Value::str(v.clone())));
    }
    members.push(("id", Value::Str(request.id.unwrap_or_else(new_id))));
    members.push((
        "parameters",
        Value::dict([("content_type", Value::str(content_type))]),
    ));
    members.push((
        "outputs",
        Value::List(
            outputs
                .iter()
                .map(encode::ResponseOutput::to_value)
                .collect(),
        ),
    ));
    Ok(json::to_json(&Value::dict(members)))
}

/// A random (version 4 style) UUID for a request without `id`, as MLServer's `generate_uuid`.
fn new_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let word = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.write_u128(nanos);
        h.write_u64(salt);
        h.finish()
    };
    let bits = (u128::from(word(1)) << 64) | u128::from(word(2));
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_uuid4_shaped_and_distinct() {
        let a = super::new_id();
        let b = super::new_id();
        assert_ne!(a, b);
        for id in [&a, &b] {
            let parts: Vec<&str> = id.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lens, vec![8, 4, 4, 4, 12], "{id}");
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
        }
    }
}
