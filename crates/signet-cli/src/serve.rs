//! `signet serve MODEL`: the scoring server, a drop-in for `mlflow models serve`.
//!
//! Loads the model once (the ONNX engine and any registered flavor), then serves MLflow's
//! protocol with `signet-server`: `/ping`, `/health`, `/version`, `/invocations`, and the Open
//! Inference Protocol (KServe V2) under `/v2`, the model named after its directory (or
//! `--model-name`). MLflow's environment variables are honoured: `MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT` (seconds) and
//! `MLFLOW_DISABLE_SCHEMA_DETAILS`.

use crate::error::CliError;
use crate::example_model::{self, ExampleModel};
use crate::model_cmds::{registry, CompatArg};
use clap::Args;
use signet_model::{load_model, ModelError};
use signet_server::ServerConfig;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `signet serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The model: a model directory, its MLmodel file or a model URI (models:/name@alias,
    /// ...). Without one, the example model built
    /// into the binary is served (`examples/models/house_price`: sqft, bedrooms → price).
    pub model: Option<PathBuf>,

    /// The address to listen on.
    #[arg(long, short = 'H', default_value = "127.0.0.1")]
    pub host: String,

    /// The port to listen on (MLflow's default is 5000).
    #[arg(long, short = 'p', default_value_t = 5000)]
    pub port: u16,

    /// How faithfully to reproduce MLflow's conversions: `strict` refuses the lossy ones,
    /// `mlflow` answers exactly as `mlflow models serve` does.
    #[arg(long, value_enum, default_value_t = CompatArg::Strict)]
    pub compat: CompatArg,

    /// The largest request body accepted, in MiB (413 beyond).
    #[arg(long, default_value_t = 100)]
    pub max_body_mib: usize,

    /// The widest request accepted, in columns (record keys, `columns` items, items of a row);
    /// past it the request is refused at once with a 400.
    #[arg(long, default_value_t = signet_protocol::request::DEFAULT_MAX_COLUMNS)]
    pub max_columns: usize,

    /// How many requests may be predicted at once (default: one per core).
    #[arg(long)]
    pub max_concurrency: Option<usize>,

    /// How many requests may wait for a prediction slot; beyond, requests are shed with 503.
    #[arg(long, default_value_t = 1024)]
    pub max_queue: usize,

    /// Serve Prometheus metrics at `/metrics` (request counts, latencies, refused inputs by
    /// column and reason).
    #[arg(long)]
    pub metrics: bool,

    /// The model's name in the V2 routes (`/v2/models/NAME/infer`); default: the model
    /// directory's name.
    #[arg(long)]
    pub model_name: Option<String>,
}

/// The model's default V2 name: the model directory's name (`examples/models/house_price` →
/// `house_price`; for an `MLmodel` file, its directory's), else `model`.
fn default_model_name(model: &Path) -> String {
    let dir = if model.file_name().is_some_and(|f| f == "MLmodel") {
        model.parent().unwrap_or(model)
    } else {
        model
    };
    let named = |p: &Path| {
        p.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .filter(|f| !f.is_empty() && f != "." && f != "..")
    };
    named(dir)
        .or_else(|| dir.canonicalize().ok().as_deref().and_then(named))
        .unwrap_or_else(|| "model".to_string())
}

fn env_flag(name: &str) -> bool {
    std::env::var(name)
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1"))
}

/// Caps glibc's malloc arenas at one per core (at least 2), unless `MALLOC_ARENA_MAX` is set.
///
/// glibc's default is 8 arenas per core, and the server's threads (the runtime's workers and
/// the blocking pool that predicts) each settle in one: a 10-minute soak with hostile bodies
/// of up to 1.4 MB grew the resident size ~1 MiB a minute, all of it arena fragmentation
/// (the same soak with 2 arenas stayed flat, at the same throughput; BENCHMARKS.md, "Soak").
/// Must run before any thread is started.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        let cores = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets a tuning parameter of the allocator; no thread other
        // than this one exists yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores);
        }
    }
}

/// Runs `signet serve` until SIGTERM or ctrl-c.
pub fn run(args: &ServeArgs) -> Result<(String, u8), CliError> {
    cap_malloc_arenas();
    let load = |path: &Path| {
        load_model(path, &registry()).map_err(|e: ModelError| CliError::file(path, e))
    };
    let (model, shown, name) = match &args.model {
        Some(path) => (
            load(&crate::model_uri::resolve_model(path)?)?,
            path.display().to_string(),
            crate::model_uri::uri_model_name(path).unwrap_or_else(|| default_model_name(path)),
        ),
        None => {
            // Loaded into memory; the extracted files are removed again right here.
            let example = ExampleModel::extract()?;
            (
                load(example.path())?,
                format!("the built-in example model {}", example_model::NAME),
                example_model::NAME.to_string(),
            )
        }
    };
    let timeout = match std::env::var("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT") {
        Ok(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| {
                CliError::new(format!(
                    "MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT: not a number of seconds: {v:?}"
                ))
            })?,
        Err(_) => Duration::from_secs(60),
    };
    let defaults = ServerConfig::default();
    let config = ServerConfig {
        signature: model.signature().cloned(),
        compat: args.compat.into(),
        request_timeout: timeout,
        body_limit: args.max_body_mib.saturating_mul(1 << 20),
        max_columns: args.max_columns,
        max_concurrency: args.max_concurrency.unwrap_or(defaults.max_concurrency),
        max_queue: args.max_queue,
        disable_schema_details: env_flag("MLFLOW_DISABLE_SCHEMA_DETAILS"),
        metrics: args.metrics,
        model_name: args.model_name.clone().unwrap_or(name),
        model_version: None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new(format!("cannot start the server runtime: {e}")))?;
    let addr = format!("{}:{}", args.host, args.port);
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| CliError::new(format!("cannot listen on {addr}: {e}")))?;
        eprintln!(
            "signet: serving {shown} on http://{addr} (V2: /v2/models/{})",
            config.model_name
        );
        if args.model.is_none() {
            eprintln!("{}", example_requests(&addr));
        }
        let router = signet_server::router(Arc::new(model), config);
        signet_server::serve(listener, router, std::future::pending())
            .await
            .map_err(|e| CliError::new(format!("server error: {e}")))
    })?;
    Ok((String::new(), 0))
}

/// Two requests to try against the built-in example model: one predicted, one refused.
fn example_requests(addr: &str) -> String {
    format!(
        "try:\n  curl -s http://{addr}/invocations -H 'Content-Type: application/json' \\\n    -d '{{\"dataframe_split\": {{\"columns\": [\"sqft\", \"bedrooms\"], \"data\": [[1500, 3], [2000, 4]]}}}}'\n  curl -s http://{addr}/invocations -H 'Content-Type: application/json' \\\n    -d '{{\"dataframe_split\": {{\"columns\": [\"sqft\", \"bathrooms\"], \"data\": [[1500, 2]]}}}}'"
    )
}

#[cfg(test)]
mod tests {
    use super::default_model_name;
    use std::path::Path;

    #[test]
    fn model_name_is_the_directory_name() {
        for (path, name) in [
            ("examples/models/house_price", "house_price"),
            ("examples/models/house_price/", "house_price"),
            ("examples/models/house_price/MLmodel", "house_price"),
            ("/", "model"),
        ] {
            assert_eq!(default_model_name(Path::new(path)), name, "{path}");
        }
    }
}
