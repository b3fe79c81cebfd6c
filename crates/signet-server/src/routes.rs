//! The small routes: `/ping`, `/health`, `/version`, FastAPI's 405 pages, and the fallback
//! (Starlette's trailing-slash redirect, else 404).

use crate::error::{respond, ApiError};
use axum::http::{header, HeaderMap, Uri};
use axum::response::Response;

/// The paths MLflow's application serves.
pub(crate) const ROUTES: [&str; 4] = ["/ping", "/health", "/version", "/invocations"];

/// MLflow's version, as `/version` reports it.
pub const MLFLOW_VERSION: &str = "3.17.2";

/// `GET /ping` and `GET /health`: a single newline.
pub(crate) async fn health() -> Response {
    respond(200, "application/json", "\n")
}

/// `GET /version`: the bare version text.
pub(crate) async fn version() -> Response {
    respond(200, "application/json", MLFLOW_VERSION)
}

/// Any method but `GET` on a `GET` route.
pub(crate) async fn get_only() -> ApiError {
    ApiError::method_not_allowed("GET")
}

/// Any method but `POST` on `/invocations`.
pub(crate) async fn post_only() -> ApiError {
    ApiError::method_not_allowed("POST")
}

/// No route matched: Starlette redirects `/ping/` to `/ping` (any method, query kept),
/// everything else is 404.
pub(crate) async fn fallback(uri: Uri, headers: HeaderMap) -> ApiError {
    let path = uri.path();
    let trimmed = path.trim_end_matches('/');
    if path != "/" && path.ends_with('/') && ROUTES.contains(&trimmed) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        return ApiError::Redirect(format!("http://{host}{trimmed}{query}"));
    }
    ApiError::not_found()
}
