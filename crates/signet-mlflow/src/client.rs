//! [`Client`]: blocking HTTP to a tracking server — authentication, TLS options, retries with
//! backoff ([`crate::retry`]), MLflow's error bodies decoded ([`crate::error`]), JSON calls,
//! streamed uploads and downloads.

use crate::config::{Auth, Config};
use crate::error::{decode_error, MlflowError};
use crate::retry::{jitter_random, RetryPolicy};
use base64::Engine as _;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::time::Duration;
use ureq::http::Response;
use ureq::tls::{Certificate, ClientCert, PemItem, RootCerts, TlsConfig};
use ureq::{Agent, Body};

/// Which server a call goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    /// `MLFLOW_TRACKING_URI`: runs, logged models, artifacts.
    Tracking,
    /// `MLFLOW_REGISTRY_URI`: registered models, versions, aliases.
    Registry,
}

/// A hook called before each retry with (retry number, wait, reason).
pub type RetryHook = dyn Fn(u32, Duration, &str) + Send + Sync;

/// Sends one attempt of a request: the agent and the `Authorization` header value.
pub type SendFn<'a> = dyn FnMut(&Agent, Option<&str>) -> Result<Response<Body>, ureq::Error> + 'a;

/// A blocking MLflow REST client.
pub struct Client {
    config: Config,
    agent: Agent,
    /// Called with (attempt, wait, reason) before each retry; used for progress messages.
    on_retry: Option<Box<RetryHook>>,
}

/// The HTTP method of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PATCH.
    Patch,
    /// PUT.
    Put,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
        }
    }
}

impl Client {
    /// A client for `config`: builds the TLS settings (CA bundle, client certificate,
    /// verification switch) once.
    pub fn new(config: Config) -> Result<Client, MlflowError> {
        let mut tls = TlsConfig::builder().disable_verification(config.insecure_tls);
        if let Some(path) = &config.server_cert_path {
            let pem = std::fs::read(path).map_err(|e| MlflowError::io(path, e))?;
            let certs = pem_certs(&pem, path)?;
            tls = tls.root_certs(RootCerts::new_with_certs(&certs));
        }
        if let Some(path) = &config.client_cert_path {
            tls = tls.client_cert(Some(client_cert(path)?));
        }
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.timeout))
            .user_agent(format!("signet/{}", env!("CARGO_PKG_VERSION")))
            .tls_config(tls.build())
            .build()
            .into();
        Ok(Client {
            config,
            agent,
            on_retry: None,
        })
    }

    /// A client configured from the environment ([`Config::from_env`]).
    pub fn from_env() -> Result<Client, MlflowError> {
        Client::new(Config::from_env()?)
    }

    /// Calls `f(attempt, wait, reason)` before each retry.
    pub fn on_retry(mut self, f: impl Fn(u32, Duration, &str) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(Box::new(f));
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The full URL of `endpoint` (`/api/2.0/...`) on `server`.
    pub fn url(&self, server: Server, endpoint: &str) -> Result<String, MlflowError> {
        let base = match server {
            Server::Tracking => self.config.tracking()?,
            Server::Registry => self.config.registry()?,
        };
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(MlflowError::Uri {
                uri: base.to_string(),
                message: "signet talks to tracking servers over http:// or https:// only (set MLFLOW_TRACKING_URI to the server's URL)".into(),
            });
        }
        Ok(format!("{base}{endpoint}"))
    }

    fn auth_header(&self) -> Option<String> {
        match &self.config.auth {
            Auth::None => None,
            Auth::Basic { username, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
            )),
            Auth::Bearer(t) => Some(format!("Bearer {t}")),
        }
    }

    /// Sends a request built by `send` (once per attempt), retrying transient failures with
    /// [`RetryPolicy`]; returns the successful (2xx) response, or the decoded error.
    pub fn execute(
        &self,
        method: Method,
        url: &str,
        call: &str,
        send: &mut SendFn,
    ) -> Result<Response<Body>, MlflowError> {
        let policy: &RetryPolicy = &self.config.retry;
        let auth = self.auth_header();
        let mut errors = 0u32;
        loop {
            let outcome = send(&self.agent, auth.as_deref());
            let (wait, reason) = match outcome {
                Ok(resp) if resp.status().is_success() => return Ok(resp),
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    if !RetryPolicy::retries_status(status) || errors >= policy.max_retries {
                        let body = resp
                            .body_mut()
                            .with_config()
                            .limit(64 * 1024)
                            .read_to_vec()
                            .unwrap_or_default();
                        let mut e = decode_error(call, url, status, &body);
                        if errors > 0 {
                            e = with_retries(e, errors);
                        }
                        return Err(e);
                    }
                    errors += 1;
                    let header = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    let wait = policy
                        .retry_after(status, header.as_deref())
                        .unwrap_or_else(|| policy.backoff(errors, jitter_random()));
                    (wait, format!("HTTP {status}"))
                }
                Err(e) => {
                    let retryable = matches!(
                        e,
                        ureq::Error::Io(_)
                            | ureq::Error::ConnectionFailed
                            | ureq::Error::Timeout(_)
                            | ureq::Error::HostNotFound
                    );
                    if !retryable || errors >= policy.max_retries {
                        let mut message = e.to_string();
                        if matches!(e, ureq::Error::Timeout(_)) {
                            message.push_str(
                                "; to increase the timeout, set the environment variable MLFLOW_HTTP_REQUEST_TIMEOUT to a larger value",
                            );
                        }
                        if errors > 0 {
                            message.push_str(&format!(" (after {errors} retries)"));
                        }
                        return Err(MlflowError::Transport {
                            call: call.to_string(),
                            uri: url.to_string(),
                            message,
                        });
                    }
                    errors += 1;
                    (policy.backoff(errors, jitter_random()), e.to_string())
                }
            };
            let _ = method;
            if let Some(f) = &self.on_retry {
                f(errors, wait, &reason);
            }
            std::thread::sleep(wait);
        }
    }

    /// A JSON call: `GET` with `query`, or `POST`/`PATCH` with `body`. Returns the response
    /// object (`{}` for an empty body).
    pub fn call_json(
        &self,
        server: Server,
        method: Method,
        endpoint: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, MlflowError> {
        let url = self.url(server, endpoint)?;
        let call = format!("{} {endpoint}", method.as_str());
        let payload = body.map(|b| b.to_string());
        let mut resp = self.execute(method, &url, &call, &mut |agent, auth| {
            let builder = match method {
                Method::Get => {
                    let mut r = agent.get(&url).query_pairs(query.iter().copied());
                    if let Some(a) = auth {
                        r = r.header("Authorization", a);
                    }
                    return r.call();
                }
                Method::Post => agent.post(&url),
                Method::Patch => agent.patch(&url),
                Method::Put => agent.put(&url),
            };
            let mut r = builder
                .query_pairs(query.iter().copied())
                .header("Content-Type", "application/json");
            if let Some(a) = auth {
                r = r.header("Authorization", a);
            }
            r.send(payload.as_deref().unwrap_or("{}"))
        })?;
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| MlflowError::Transport {
                call: call.clone(),
                uri: url.clone(),
                message: format!("reading the response: {e}"),
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Object(Default::default()));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v @ Value::Object(_)) => Ok(v),
            _ => Err(MlflowError::BadResponse {
                call,
                uri: url,
                message: format!(
                    "the body is not a JSON object: {}",
                    String::from_utf8_lossy(&bytes)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ),
            }),
        }
    }

    /// Uploads a local file with `PUT` to `endpoint`, streaming it (the file is reopened for
    /// each retry) with its length and MLflow's guessed content type.
    pub fn put_file(&self, endpoint: &str, file: &Path) -> Result<(), MlflowError> {
        let url = self.url(Server::Tracking, endpoint)?;
        let call = format!("PUT {endpoint}");
        let len = std::fs::metadata(file)
            .map_err(|e| MlflowError::io(file, e))?
            .len();
        let mime = guess_mime_type(file);
        let mut open_error = None;
        let result = self.execute(Method::Put, &url, &call, &mut |agent, auth| {
            let mut f = match std::fs::File::open(file) {
                Ok(f) => f,
                Err(e) => {
                    open_error = Some(MlflowError::io(file, e));
                    return Err(ureq::Error::Other("cannot open the file".into()));
                }
            };
            let mut r = agent
                .put(&url)
                .header("Content-Type", mime)
                .header("Content-Length", len.to_string());
            if let Some(a) = auth {
                r = r.header("Authorization", a);
            }
            r.send(ureq::SendBody::from_reader(&mut f))
        });
        if let Some(e) = open_error {
            return Err(e);
        }
        result.map(|_| ())
    }

    /// Downloads `endpoint` into `dest` (created), streaming; `progress(bytes_so_far, total)`
    /// is called as data arrives. A body shorter than its `Content-Length` is an error.
    pub fn download(
        &self,
        endpoint: &str,
        dest: &Path,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<u64, MlflowError> {
        let url = self.url(Server::Tracking, endpoint)?;
        let call = format!("GET {endpoint}");
        let resp = self.execute(Method::Get, &url, &call, &mut |agent, auth| {
            let mut r = agent.get(&url);
            if let Some(a) = auth {
                r = r.header("Authorization", a);
            }
            r.call()
        })?;
        let total = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let mut reader = resp.into_body().into_reader();
        let mut out = std::fs::File::create(dest).map_err(|e| MlflowError::io(dest, e))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut done = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    return Err(MlflowError::Transport {
                        call,
                        uri: url,
                        message: format!("the download broke off after {done} bytes: {e}"),
                    })
                }
            };
            std::io::Write::write_all(&mut out, &buf[..n]).map_err(|e| MlflowError::io(dest, e))?;
            done += n as u64;
            progress(done, total);
        }
        if let Some(t) = total {
            if done != t {
                return Err(MlflowError::Transport {
                    call,
                    uri: url,
                    message: format!("truncated download: {done} of {t} bytes"),
                });
            }
        }
        out.sync_all().map_err(|e| MlflowError::io(dest, e))?;
        Ok(done)
    }
}

fn with_retries(mut e: MlflowError, retries: u32) -> MlflowError {
    if let MlflowError::Http { call, .. } | MlflowError::Api { call, .. } = &mut e {
        call.push_str(&format!(" (after {retries} retries)"));
    }
    e
}

fn pem_certs(pem: &[u8], path: &Path) -> Result<Vec<Certificate<'static>>, MlflowError> {
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => return Err(MlflowError::io(path, format!("invalid PEM: {e}"))),
        }
    }
    if certs.is_empty() {
        return Err(MlflowError::io(path, "no PEM certificate in the file"));
    }
    Ok(certs)
}

/// `requests`' `cert=path`: one PEM file with the certificate chain and the private key.
fn client_cert(path: &Path) -> Result<ClientCert, MlflowError> {
    let pem = std::fs::read(path).map_err(|e| MlflowError::io(path, e))?;
    let mut certs = Vec::new();
    let mut key = None;
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(PemItem::PrivateKey(k)) => key = Some(k),
            Ok(_) => {}
            Err(e) => return Err(MlflowError::io(path, format!("invalid PEM: {e}"))),
        }
    }
    match (certs.is_empty(), key) {
        (false, Some(k)) => Ok(ClientCert::new_with_certs(&certs, k)),
        _ => Err(MlflowError::io(
            path,
            "MLFLOW_TRACKING_CLIENT_CERT_PATH must hold a PEM certificate and its private key",
        )),
    }
}

/// MLflow's `_guess_mime_type`: text extensions (and `MLmodel`) are `text/plain`, `.json` is
/// `application/json`, the rest `application/octet-stream`.
pub fn guess_mime_type(path: &Path) -> &'static str {
    const TEXT: [&str; 26] = [
        "txt",
        "log",
        "err",
        "cfg",
        "conf",
        "cnf",
        "cf",
        "ini",
        "properties",
        "prop",
        "hocon",
        "toml",
        "yaml",
        "yml",
        "xml",
        "json",
        "js",
        "py",
        "py3",
        "csv",
        "tsv",
        "md",
        "rst",
        "ipynb",
        "MLmodel",
        "MLproject",
    ];
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => name,
    };
    if TEXT.contains(&ext) {
        "text/plain"
    } else {
        match ext.to_ascii_lowercase().as_str() {
            "html" | "htm" => "text/html",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "svg" => "image/svg+xml",
            "pdf" => "application/pdf",
            "zip" => "application/zip",
            "gz" => "application/gzip",
            _ => "application/octet-stream",
        }
    }
}
