//! # signet-server — an MLflow 3.17.2-compatible scoring server
//!
//! This crate owns the HTTP side of model serving, byte for byte as MLflow 3.17.2's FastAPI
//! scoring server answers (docs/serving.md): the routes (`/ping`,
//! `/health`, `/version`, `POST /invocations`), FastAPI's 404 / 405 / 307 pages, MLflow's
//! error JSON, the 415 / 500 plain-text pages, the per-request timeout (504) and graceful
//! shutdown. Request parsing, enforcement and response rendering are `signet`'s
//! ([`signet_protocol::request`], [`signet::enforce`], [`signet_protocol::render`]); the model is whatever
//! implements [`Predictor`].
//!
//! Beyond MLflow: a request body limit (413), a bound on concurrent predictions, request logs
//! (`tracing`, with request ids), `GET /openapi.json` (an OpenAPI 3.1 document generated from the
//! model's signature, see [`openapi`]) and, when [`ServerConfig::metrics`] is set,
//! `GET /metrics` in Prometheus text format.
//!
//! Also beyond MLflow: the Open Inference Protocol (KServe V2, REST) as Seldon MLServer serves
//! an MLflow model, for the one model named [`ServerConfig::model_name`] — `GET /v2/health/live`,
//! `GET /v2/health/ready`, `GET /v2` (server metadata), `GET /v2/models/{name}` (metadata
//! derived from the signature), `GET /v2/models/{name}/ready` and
//! `POST /v2/models/{name}/infer`, each model route also under
//! `/v2/models/{name}/versions/{version}/...`. Inference requests go through the same
//! enforcement and concurrency bound as `/invocations`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use signet::ModelInput;
//! use signet_server::{router, serve, PredictError, Predictor, ServerConfig};
//!
//! struct Echo;
//! impl Predictor for Echo {
//!     fn predict(&self, input: ModelInput, _: Option<signet::Value>) -> Result<ModelInput, PredictError> {
//!         Ok(input)
//!     }
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let app = router(Arc::new(Echo), ServerConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:5000").await?;
//! serve(listener, app, std::future::pending()).await
//! # }
//! ```

#![warn(missing_docs)]

mod error;
mod invocations;
mod metrics;
pub mod openapi;
mod predictor;
mod routes;
mod scoring;
mod v2;

pub use error::{ApiError, MlflowError, TIMEOUT_BODY, UNEXPECTED_ERROR};
pub use metrics::Metrics;
pub use predictor::{PredictError, Predictor};
pub use routes::MLFLOW_VERSION;
pub use v2::decode_infer_body as decode_v2_infer;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use signet::enforce::Compat;
use signet::ModelSignature;
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The model's signature (`None`: a model saved without one).
    pub signature: Option<ModelSignature>,
    /// How faithfully MLflow's quirks are reproduced while parsing and enforcing
    /// ([`Compat::Mlflow`] = exactly MLflow's answers).
    pub compat: Compat,
    /// The longest a request may take before the 504 (MLflow's
    /// `MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT`, default 60 s).
    pub request_timeout: Duration,
    /// The largest request body accepted, in bytes (413 beyond; MLflow has no limit).
    pub body_limit: usize,
    /// The widest `/invocations` request accepted, in columns (see
    /// [`signet_protocol::request::check_width`]): past it the request is refused with a 400
    /// before it is parsed or takes a prediction slot. MLflow has no limit.
    pub max_columns: usize,
    /// How many requests may be parsed, enforced and predicted at once (at least 1).
    pub max_concurrency: usize,
    /// How many requests may wait for one of those slots; beyond, requests are shed at once
    /// with 503 `TEMPORARILY_UNAVAILABLE` instead of queueing without bound.
    pub max_queue: usize,
    /// MLflow's `MLFLOW_DISABLE_SCHEMA_DETAILS`: enforcement failures say only
    /// `Failed to enforce model input schema. Please check your input data.`
    pub disable_schema_details: bool,
    /// Serve `GET /metrics` (Prometheus text). Off by default: MLflow answers it with 404.
    pub metrics: bool,
    /// The model's name in the V2 routes (`/v2/models/{name}`): requests naming another model
    /// get MLServer's 404 `Model <name> not found`. Default `model`.
    pub model_name: String,
    /// The model's version in the V2 routes: reported in the model metadata (`versions`) and
    /// inference responses (`model_version`), and the only version
    /// `/v2/models/{name}/versions/{version}` accepts. Default: none.
    pub model_version: Option<String>,
}

impl Default for ServerConfig {
    /// No signature, [`Compat::default`], MLflow's 60 s timeout, a 100 MiB body limit, 65,536 columns at most, one
    /// concurrent prediction per core and up to 1024 waiting, schema details shown, no `/metrics`, V2 model name
    /// `model` without version.
    fn default() -> ServerConfig {
        ServerConfig {
            signature: None,
            compat: Compat::default(),
            request_timeout: Duration::from_secs(60),
            body_limit: 100 << 20,
            max_columns: signet_protocol::request::DEFAULT_MAX_COLUMNS,
            max_concurrency: std::thread::available_parallelism().map_or(1, |n| n.get()),
            max_queue: 1024,
            disable_schema_details: false,
            metrics: false,
            model_name: "model".to_string(),
            model_version: None,
        }
    }
}

/// What every request handler shares.
pub(crate) struct App {
    predictor: Arc<dyn Predictor>,
    config: ServerConfig,
    permits: Arc<Semaphore>,
    /// Requests waiting for a permit.
    waiting: AtomicUsize,
    metrics: Arc<Metrics>,
    next_request_id: AtomicU64,
    /// The moving average of recent scoring times, in nanoseconds ([`scoring`]).
    scoring_nanos: AtomicU64,
}

/// Why a request got no prediction slot.
pub(crate) enum Refusal {
    /// [`ServerConfig::max_queue`] requests are already waiting.
    Overloaded,
    /// The server is shutting down.
    ShuttingDown,
}

impl App {
    /// A prediction slot: at once when one is free, else after waiting in a queue bounded by
    /// [`ServerConfig::max_queue`] (a full queue sheds the request).
    pub(crate) async fn admit(&self) -> Result<OwnedSemaphorePermit, Refusal> {
        match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => return Ok(permit),
            Err(TryAcquireError::Closed) => return Err(Refusal::ShuttingDown),
            Err(TryAcquireError::NoPermits) => {}
        }
        /// Leaves the queue however the wait ends (including the request being dropped).
        struct InQueue<'a>(&'a AtomicUsize);
        impl Drop for InQueue<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.config.max_queue {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Refusal::Overloaded);
        }
        let _in_queue = InQueue(&self.waiting);
        Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| Refusal::ShuttingDown)
    }
}

/// The scoring server's routes for `predictor`, configured by `config`.
pub fn router(predictor: Arc<dyn Predictor>, config: ServerConfig) -> Router {
    router_with_metrics(predictor, config, Arc::new(Metrics::default()))
}

/// [`router`], recording into `metrics` (so the caller can read or expose them elsewhere).
pub fn router_with_metrics(
    predictor: Arc<dyn Predictor>,
    config: ServerConfig,
    metrics: Arc<Metrics>,
) -> Router {
    let timeout = config.request_timeout;
    let serve_metrics = config.metrics;
    let app = Arc::new(App {
        predictor,
        permits: Arc::new(Semaphore::new(config.max_concurrency.max(1))),
        waiting: AtomicUsize::new(0),
        config,
        metrics,
        next_request_id: AtomicU64::new(1),
        scoring_nanos: AtomicU64::new(scoring::UNMEASURED),
    });
    let health = || {
        get(routes::health)
            .head(routes::get_only)
            .fallback(routes::get_only)
    };
    let mut router = Router::new()
        .route("/ping", health())
        .route(
            "/openapi.json",
            get(openapi::openapi_json(&app.config))
                .head(routes::get_only)
                .fallback(routes::get_only),
        )
        .route("/health", health())
        .route(
            "/version",
            get(routes::version)
                .head(routes::get_only)
                .fallback(routes::get_only),
        )
        .route(
            "/invocations",
            post(invocations::invocations).fallback(routes::post_only),
        );
    router = v2::add_routes(router);
    if serve_metrics {
        router = router.route(
            "/metrics",
            get(metrics_page)
                .head(routes::get_only)
                .fallback(routes::get_only),
        );
    }
    router
        .fallback(routes::fallback)
        .layer(middleware::from_fn_with_state(timeout, with_timeout))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), observe))
        .with_state(app)
}

/// `GET /metrics`.
async fn metrics_page(State(app): State<Arc<App>>) -> Response {
    let mut resp = app.metrics.render().into_response();
    resp.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    resp
}

/// MLflow's timeout middleware: past `timeout`, the request is answered with the 504.
async fn with_timeout(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

/// Request log line and metrics for every request.
async fn observe(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = match req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
    {
        Some(given) => given.to_string(),
        None => app
            .next_request_id
            .fetch_add(1, Ordering::Relaxed)
            .to_string(),
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("other", |m| m.as_str())
        .to_string();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let elapsed = started.elapsed();
    let status = resp.status().as_u16();
    app.metrics.observe(&route, status, elapsed);
    tracing::info!(
        target: "signet_server",
        request_id = %id,
        %method,
        %path,
        status,
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    resp
}

/// Serves `router` on `listener` until `shutdown` completes, SIGTERM arrives or ctrl-c is
/// pressed; then stops accepting connections and returns once in-flight requests are answered.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            tokio::select! {
                () = shutdown => {}
                () = signal() => {}
            }
        })
        .await
}

/// Completes on ctrl-c or (Unix) SIGTERM; never when the handlers cannot be installed.
async fn signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
