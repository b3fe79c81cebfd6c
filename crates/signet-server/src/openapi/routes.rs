//! The server's small routes: `/ping`, `/health`, `/version`, `/openapi.json` and `/metrics`.

use super::builders::{
    json_content, obj, operation, response, s, string, string_const, text_content,
};
use crate::routes::MLFLOW_VERSION;
use signet::Value;

/// The small routes' path items, in the document's order; `/metrics` when `metrics`.
pub(super) fn server_paths(metrics: bool) -> Vec<(String, Value)> {
    let mut paths: Vec<(String, Value)> = [
        (
            "/ping",
            small_route(
                "ping",
                "Liveness check",
                "Answers 200 with a single newline (`\\n`, labelled `application/json` as MLflow does) while the server runs.",
                "A single newline.",
                string_const("\n"),
            ),
        ),
        (
            "/health",
            small_route(
                "health",
                "Health check",
                "Same as `/ping`.",
                "A single newline.",
                string_const("\n"),
            ),
        ),
        (
            "/version",
            small_route(
                "version",
                "MLflow version",
                "The MLflow version whose protocol the server speaks, as bare text (not a JSON string) labelled `application/json`, as MLflow sends it.",
                "The version text.",
                string_const(MLFLOW_VERSION),
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
    if metrics {
        paths.push(("/metrics".to_string(), metrics_path()));
    }
    paths
}

/// `GET` route answering 200 with `schema`; other methods 405.
fn small_route(
    operation_id: &str,
    summary: &str,
    description: &str,
    response_description: &str,
    schema: Value,
) -> Value {
    operation(
        "get",
        "server",
        operation_id,
        summary,
        [
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
        ],
    )
}

/// `GET /metrics` (served when [`super::DocumentOptions::metrics`] is set).
fn metrics_path() -> Value {
    let ok = response(
        "Request counts and latencies in Prometheus text format 0.0.4.",
        text_content(string()),
    );
    operation(
        "get",
        "server",
        "metrics",
        "Prometheus metrics",
        [("responses", obj([("200", ok)]))],
    )
}
