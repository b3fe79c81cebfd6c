//! [`Config`]: where the tracking server is and how to talk to it, read from MLflow's
//! environment variables exactly as `mlflow.utils.credentials.get_default_host_creds` and
//! `mlflow.utils.rest_utils.http_request` read them.
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `MLFLOW_TRACKING_URI` | the tracking server | (required for remote URIs) |
//! | `MLFLOW_REGISTRY_URI` | the model registry | the tracking URI |
//! | `MLFLOW_TRACKING_USERNAME` / `_PASSWORD` | basic auth (else `[mlflow]` in `~/.mlflow/credentials`) | none |
//! | `MLFLOW_TRACKING_TOKEN` | bearer auth (when no basic credentials) | none |
//! | `MLFLOW_TRACKING_INSECURE_TLS` | skip TLS verification | false |
//! | `MLFLOW_TRACKING_SERVER_CERT_PATH` | CA bundle (PEM) to trust | the system's web roots |
//! | `MLFLOW_TRACKING_CLIENT_CERT_PATH` | client certificate and key (PEM) | none |
//! | `MLFLOW_HTTP_REQUEST_TIMEOUT` | seconds per request | 120 |
//! | `MLFLOW_HTTP_REQUEST_MAX_RETRIES` | retries | 7 |
//! | `MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR` | backoff factor | 2 |
//! | `MLFLOW_HTTP_REQUEST_BACKOFF_JITTER` | backoff jitter, seconds | 1.0 |
//! | `MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER` | honour `Retry-After` | true |

use crate::error::MlflowError;
use crate::retry::RetryPolicy;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How requests authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    None,
    /// `Authorization: Basic ...`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer ...`.
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets.
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

/// Everything the client needs to reach a tracking server.
#[derive(Clone, Debug)]
pub struct Config {
    /// The tracking server's URI (`http(s)://host:port[/prefix]`), without a trailing slash.
    pub tracking_uri: Option<String>,
    /// The registry's URI; defaults to the tracking URI.
    pub registry_uri: Option<String>,
    /// Authentication.
    pub auth: Auth,
    /// Skip TLS certificate verification.
    pub insecure_tls: bool,
    /// A PEM CA bundle to trust instead of the built-in web roots.
    pub server_cert_path: Option<PathBuf>,
    /// A PEM file with the client certificate chain and its private key.
    pub client_cert_path: Option<PathBuf>,
    /// The timeout of one request.
    pub timeout: Duration,
    /// Retries and backoff.
    pub retry: RetryPolicy,
}

impl Config {
    /// Reads the configuration from the process environment and `~/.mlflow/credentials`.
    pub fn from_env() -> Result<Config, MlflowError> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        Config::from_lookup(&|k| std::env::var(k).ok(), home.as_deref())
    }

    /// Reads the configuration from `env` (a variable lookup) and `home`'s
    /// `.mlflow/credentials`.
    pub fn from_lookup(
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<Config, MlflowError> {
        let get = |k: &str| env(k).filter(|v| !v.is_empty());
        let tracking_uri = get("MLFLOW_TRACKING_URI").map(|u| u.trim_end_matches('/').to_string());
        let registry_uri = get("MLFLOW_REGISTRY_URI")
            .map(|u| u.trim_end_matches('/').to_string())
            .or_else(|| tracking_uri.clone());
        let (file_user, file_pass) = match home {
            Some(h) => read_credentials_file(&h.join(".mlflow").join("credentials"))?,
            None => (None, None),
        };
        let username = get("MLFLOW_TRACKING_USERNAME").or(file_user);
        let password = get("MLFLOW_TRACKING_PASSWORD").or(file_pass);
        let auth = match (username, password, get("MLFLOW_TRACKING_TOKEN")) {
            (Some(username), Some(password), _) => Auth::Basic { username, password },
            (_, _, Some(token)) => Auth::Bearer(token),
            _ => Auth::None,
        };
        let insecure_tls = parse_bool(&get, "MLFLOW_TRACKING_INSECURE_TLS", false)?;
        let server_cert_path = get("MLFLOW_TRACKING_SERVER_CERT_PATH").map(PathBuf::from);
        if insecure_tls && server_cert_path.is_some() {
            return Err(MlflowError::Config(
                "When 'ignore_tls_verification' is true then 'server_cert_path' must not be set! \
                 (MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH are both set)"
                    .into(),
            ));
        }
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            max_retries: parse_num(
                &get,
                "MLFLOW_HTTP_REQUEST_MAX_RETRIES",
                defaults.max_retries,
            )?,
            backoff_factor: parse_num(
                &get,
                "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR",
                defaults.backoff_factor,
            )?,
            backoff_jitter: parse_num(
                &get,
                "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER",
                defaults.backoff_jitter,
            )?,
            respect_retry_after: parse_bool(
                &get,
                "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER",
                defaults.respect_retry_after,
            )?,
            ..defaults
        };
        Ok(Config {
            tracking_uri,
            registry_uri,
            auth,
            insecure_tls,
            server_cert_path,
            client_cert_path: get("MLFLOW_TRACKING_CLIENT_CERT_PATH").map(PathBuf::from),
            timeout: Duration::from_secs(parse_num(&get, "MLFLOW_HTTP_REQUEST_TIMEOUT", 120u64)?),
            retry,
        })
    }

    /// The tracking URI, or an error saying how to set it.
    pub fn tracking(&self) -> Result<&str, MlflowError> {
        self.tracking_uri.as_deref().ok_or_else(|| {
            MlflowError::Config(
                "no tracking server: set MLFLOW_TRACKING_URI (or pass --tracking-uri), e.g. \
                 http://127.0.0.1:5000 after `mlflow server --port 5000`"
                    .into(),
            )
        })
    }

    /// The registry URI (the tracking URI unless `MLFLOW_REGISTRY_URI` is set).
    pub fn registry(&self) -> Result<&str, MlflowError> {
        match &self.registry_uri {
            Some(u) => Ok(u),
            None => self.tracking(),
        }
    }
}

/// The variable `name` as `parse` reads it, `default` when it is unset; a value `parse`
/// refuses (`Err` holds the message) is a configuration error.
fn parse_var<T>(
    get: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: T,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, MlflowError> {
    match get(name) {
        None => Ok(default),
        Some(v) => parse(&v).map_err(MlflowError::Config),
    }
}

/// MLflow's `_BooleanEnvironmentVariable`: `true`/`false`/`1`/`0`, case-insensitive.
fn parse_bool(
    get: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: bool,
) -> Result<bool, MlflowError> {
    parse_var(get, name, default, |v| {
        match v.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(format!(
                "{name} value must be one of ['true', 'false', '1', '0'] (case-insensitive), \
                 but got {v}"
            )),
        }
    })
}

fn parse_num<T: std::str::FromStr>(
    get: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: T,
) -> Result<T, MlflowError> {
    parse_var(get, name, default, |v| {
        v.trim()
            .parse()
            .map_err(|_| format!("{name}: {v:?} is not a valid number"))
    })
}

/// Reads `mlflow_tracking_username` / `mlflow_tracking_password` from the `[mlflow]` section
/// of an INI credentials file (as `configparser` does); a missing file gives nothing.
pub fn read_credentials_file(path: &Path) -> Result<(Option<String>, Option<String>), MlflowError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, None)),
        Err(e) => return Err(MlflowError::io(path, e)),
    };
    let (mut user, mut pass) = (None, None);
    let mut in_mlflow = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            in_mlflow = &line[1..line.len() - 1] == "mlflow";
            continue;
        }
        if !in_mlflow {
            continue;
        }
        let Some((k, v)) = line.split_once(['=', ':']) else {
            continue;
        };
        let value = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        match k.trim().to_ascii_lowercase().as_str() {
            "mlflow_tracking_username" => user = value,
            "mlflow_tracking_password" => pass = value,
            _ => {}
        }
    }
    Ok((user, pass))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)], home: Option<&Path>) -> Result<Config, MlflowError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(&|k| map.get(k).cloned(), home)
    }

    #[test]
    fn defaults_are_mlflows() {
        let c = config(&[("MLFLOW_TRACKING_URI", "http://h:5000/")], None).unwrap();
        assert_eq!(c.tracking_uri.as_deref(), Some("http://h:5000"));
        assert_eq!(c.registry().unwrap(), "http://h:5000");
        assert_eq!(c.timeout, Duration::from_secs(120));
        assert_eq!(c.retry.max_retries, 7);
        assert_eq!(c.retry.backoff_factor, 2.0);
        assert_eq!(c.retry.backoff_jitter, 1.0);
        assert_eq!(c.auth, Auth::None);
        assert!(!c.insecure_tls);
        let c = config(&[("MLFLOW_REGISTRY_URI", "http://r")], None).unwrap();
        assert_eq!(c.registry().unwrap(), "http://r");
        let e = c.tracking().unwrap_err().to_string();
        assert!(e.contains("set MLFLOW_TRACKING_URI"), "{e}");
    }

    #[test]
    fn auth_precedence_env_file_token() {
        let home = std::env::temp_dir().join(format!("signet-mlflow-cred-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".mlflow")).unwrap();
        std::fs::write(
            home.join(".mlflow/credentials"),
            "[other]\nmlflow_tracking_username = no\n[mlflow]\nmlflow_tracking_username = fileuser\nmlflow_tracking_password = filepass\n",
        )
        .unwrap();
        let c = config(&[], Some(&home)).unwrap();
        assert_eq!(
            c.auth,
            Auth::Basic {
                username: "fileuser".into(),
                password: "filepass".into()
            }
        );
        let c = config(&[("MLFLOW_TRACKING_USERNAME", "envuser")], Some(&home)).unwrap();
        assert_eq!(
            c.auth,
            Auth::Basic {
                username: "envuser".into(),
                password: "filepass".into()
            }
        );
        let c = config(&[("MLFLOW_TRACKING_TOKEN", "tok")], None).unwrap();
        assert_eq!(c.auth, Auth::Bearer("tok".into()));
        assert_eq!(format!("{:?}", c.auth), "Bearer(***)");
        std::fs::remove_dir_all(&home).unwrap();
    }

    #[test]
    fn bad_values_are_named() {
        let e = config(&[("MLFLOW_TRACKING_INSECURE_TLS", "maybe")], None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "MLFLOW_TRACKING_INSECURE_TLS value must be one of ['true', 'false', '1', '0'] \
             (case-insensitive), but got maybe"
        );
        let e = config(&[("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "x")], None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES: \"x\" is not a valid number"
        );
        let e = config(
            &[
                ("MLFLOW_TRACKING_INSECURE_TLS", "true"),
                ("MLFLOW_TRACKING_SERVER_CERT_PATH", "/ca.pem"),
            ],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("must not be set"), "{e}");
    }
}
