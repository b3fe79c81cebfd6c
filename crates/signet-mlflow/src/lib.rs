//! # signet-mlflow — MLflow 3.x tracking server and model registry client
//!
//! A blocking client for MLflow's REST API (the calls signet needs), model URIs resolved to
//! local directories through a download cache, and logging a model directory as
//! `mlflow.<flavor>.log_model(..., registered_model_name=...)` does.
//!
//! | module | owns |
//! | --- | --- |
//! | [`config`] | [`Config`]: MLflow's environment variables, `~/.mlflow/credentials`, auth, TLS, timeouts |
//! | [`retry`] | [`RetryPolicy`]: MLflow's retried statuses and urllib3's backoff with jitter |
//! | [`error`] | [`MlflowError`]: typed errors naming the URI and the call; MLflow's `{error_code, message}` decoded |
//! | [`client`] | [`Client`]: HTTP (ureq + rustls), retries, JSON calls, streamed uploads and downloads |
//! | [`api`] | the typed REST calls: experiments, runs, logged models, registry, artifact listing |
//! | [`uri`] | [`ModelUri`]: parsing `models:/`, `runs:/`, `mlflow-artifacts:/`, `file:` and paths |
//! | [`resolve`] | resolving a model URI to a local directory through the atomic download cache |
//! | [`log`] | [`log::log_model`]: logging and registering a local model directory |

pub mod api;
pub mod client;
pub mod config;
pub mod error;
pub mod log;
pub mod resolve;
pub mod retry;
pub mod uri;

pub use client::Client;
pub use config::{Auth, Config};
pub use error::MlflowError;
pub use retry::RetryPolicy;
pub use uri::ModelUri;
