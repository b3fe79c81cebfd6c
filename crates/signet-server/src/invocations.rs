//! `POST /invocations`: body read → width guard ([`check_width`]) → [`parse_request`] → [`enforce`] → the predictor →
//! [`predictions_json`], with every failure turned into MLflow's response (docs/serving.md).

use crate::error::{respond, ApiError, MlflowError};
use crate::predictor::PredictError;
use crate::{App, Refusal};
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use http_body_util::BodyExt;
use signet::enforce::{enforce, EnforceError};
use signet::repr::schema_repr;
use signet::ModelInput;
use signet_protocol::render::{data_str, predictions_json};
use signet_protocol::request::{check_width, parse_request, ParsedRequest};
use std::sync::Arc;

/// What MLflow says instead of the enforcement details under `MLFLOW_DISABLE_SCHEMA_DETAILS`.
pub(crate) const NO_SCHEMA_DETAILS: &str =
    "Failed to enforce model input schema. Please check your input data.";

/// The 503 message of a shed request.
pub(crate) const OVERLOADED: &str =
    "The server is overloaded: too many requests are waiting. Retry later.";

/// The 503 message of a request arriving while the server shuts down.
pub(crate) const SHUTTING_DOWN: &str = "The server is shutting down.";

/// The `/invocations` handler.
pub(crate) async fn invocations(
    State(app): State<Arc<App>>,
    req: Request,
) -> Result<Response, ApiError> {
    let content_type = header_text(req.headers(), header::CONTENT_TYPE);
    let body = read_body(req.into_body(), app.config.body_limit).await?;
    check_width(content_type.as_deref(), &body, app.config.max_columns)?;
    let permit = app.admit().await.map_err(|r| {
        let message = match r {
            Refusal::Overloaded => OVERLOADED,
            Refusal::ShuttingDown => SHUTTING_DOWN,
        };
        MlflowError::new("TEMPORARILY_UNAVAILABLE", message)
    })?;
    let worker = Arc::clone(&app);
    let outcome = crate::scoring::run(&app, body.len(), move || {
        let _permit = permit;
        score(&worker, content_type.as_deref(), &body)
    })
    .await;
    match outcome {
        Ok(Ok(json)) => Ok(respond(200, "application/json", json)),
        Ok(Err(e)) => Err(e),
        Err(panic) => Err(ApiError::unexpected("RuntimeError", &panic)),
    }
}

/// A header's value as Starlette decodes it (Latin-1), `None` when absent.
fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| v.as_bytes().iter().map(|&b| char::from(b)).collect())
}

/// Reads the whole body, refusing more than `limit` bytes (413) and a body cut short (400).
pub(crate) async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, ApiError> {
    if body.size_hint().lower() > limit as u64 {
        return Err(ApiError::too_large());
    }
    let mut buf: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ApiError::body_unreadable())?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(ApiError::too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}

/// The CPU-bound part of a request (run where [`crate::scoring`] decides): parse, enforce, predict,
/// render the 200 body.
fn score(app: &App, content_type: Option<&str>, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let config = &app.config;
    let signature = config.signature.as_ref();
    let parsed = parse_request(content_type, body, signature, config.compat)?;
    // MLflow quotes the data as parsed (before enforcement) in its `predict` errors (a
    // DataFrame read straight into a tensor is rebuilt only for such a message).
    let shown = ParsedRequest {
        input: parsed.input.clone(),
        params: None,
        unified_llm: parsed.unified_llm,
        frame_labels: parsed.frame_labels.clone(),
    };
    let enforced = enforce(
        signature,
        parsed.input,
        parsed.params.as_ref(),
        config.compat,
    )
    .map_err(|e| enforce_error(app, &e, &shown.as_parsed()))?;
    for w in &enforced.warnings {
        tracing::warn!(target: "signet_server", "{}", w.message);
    }
    let output = app
        .predictor
        .predict(enforced.input, enforced.params)
        .map_err(|e| predict_error(e, &shown.as_parsed()))?;
    Ok(predictions_json(&output, parsed.unified_llm))
}

/// An enforcement failure as MLflow's scoring server reports it.
fn enforce_error(app: &App, e: &EnforceError, shown: &ModelInput) -> ApiError {
    app.metrics.refused(e);
    if !e.wrapped && e.exception != "MlflowException" {
        // A raw Python error escaping params validation: not an MlflowException.
        return ApiError::unexpected(e.exception, e.message());
    }
    let data = data_str(shown);
    let inner = if !e.wrapped {
        e.message().to_string()
    } else if app.config.disable_schema_details {
        NO_SCHEMA_DETAILS.to_string()
    } else {
        let schema = app
            .config
            .signature
            .as_ref()
            .and_then(|s| s.inputs.as_ref())
            .map(schema_repr)
            .unwrap_or_default();
        e.wrapped_message(&data, &schema)
    };
    ApiError::Mlflow(MlflowError {
        error_class: e.wrapped.then_some("SCHEMA_ENFORCEMENT_FAILED"),
        ..MlflowError::new("INVALID_PARAMETER_VALUE", predict_message(&data, &inner))
    })
}

/// A model failure as MLflow's scoring server reports it.
fn predict_error(e: PredictError, shown: &ModelInput) -> ApiError {
    match e {
        PredictError::Mlflow {
            error_code,
            message,
        } => ApiError::Mlflow(MlflowError::new(
            error_code,
            predict_message(&data_str(shown), &message),
        )),
        PredictError::Other { exception, message } => ApiError::unexpected(&exception, &message),
    }
}

/// `Failed to predict data '<data>'. \nError: <message>` (the space before `\n` is MLflow's).
fn predict_message(data: &str, message: &str) -> String {
    format!("Failed to predict data '{data}'. \nError: {message}")
}
