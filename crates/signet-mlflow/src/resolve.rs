//! Resolving a model URI to a local model directory, through the download cache.
//!
//! * The cache is `$SIGNET_CACHE_DIR`, else `$XDG_CACHE_HOME/signet`, else `~/.cache/signet`;
//!   inside, one directory per tracking server, then `registry/<name>/<version>`,
//!   `models/<model id>`, `runs/<run id>/<path>` or `artifacts/<path>`.
//! * A download goes into a temporary sibling directory and is renamed into place only when
//!   every file has arrived complete, so a cached directory is always whole; an interrupted
//!   download leaves only a `.partial-*` directory, which is never served and is removed.
//! * Registered versions and logged models never change, so a cached copy is reused; an alias
//!   or `latest` costs one registry call to find the version.
//! * As MLflow's `ModelsArtifactRepository`, a directory downloaded from the registry gets a
//!   `registered_model_meta` file (`model_name`, `model_version`).

use crate::api::LoggedModel;
use crate::client::Client;
use crate::error::MlflowError;
use crate::uri::ModelUri;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// A progress report: (file being downloaded, bytes of it so far, its size if known).
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, Option<u64>);

/// The cache's root directory.
pub fn cache_root() -> Result<PathBuf, MlflowError> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("SIGNET_CACHE_DIR") {
        return Ok(d);
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return Ok(d.join("signet"));
    }
    var("HOME")
        .map(|h| h.join(".cache").join("signet"))
        .ok_or_else(|| MlflowError::Config("no cache directory: set XDG_CACHE_HOME or HOME".into()))
}

/// Where a URI's files are, once the registry has been asked.
#[derive(Debug)]
struct Located {
    /// The artifact location (`mlflow-artifacts:/...`, `file:...` or a path).
    artifact_uri: String,
    /// The cache key, relative to the server's cache directory.
    key: PathBuf,
    /// For registry URIs: (name, version) for `registered_model_meta`.
    registered: Option<(String, String)>,
}

/// Resolves model URIs to local directories.
pub struct Resolver<'a> {
    client: Option<&'a Client>,
    cache: PathBuf,
}

impl<'a> Resolver<'a> {
    /// A resolver using `client` for remote URIs (none: only local ones resolve) and the
    /// cache under `cache`.
    pub fn new(client: Option<&'a Client>, cache: PathBuf) -> Self {
        Resolver { client, cache }
    }

    fn client(&self) -> Result<&'a Client, MlflowError> {
        self.client.ok_or_else(|| {
            MlflowError::Config("no tracking server: set MLFLOW_TRACKING_URI".into())
        })
    }

    /// Resolves `uri` to a local model directory, downloading it into the cache if needed.
    pub fn resolve(&self, uri: &str, progress: Progress) -> Result<PathBuf, MlflowError> {
        let parsed = ModelUri::parse(uri)?;
        if let ModelUri::Local(p) = parsed {
            return Ok(p);
        }
        let client = self.client()?;
        let server_dir = self.cache.join(server_key(client.config().tracking()?));
        let cached = |key: &Path| server_dir.join(key).join("MLmodel").is_file();
        let located = self.locate(client, uri, &parsed, &cached)?;
        let dest = server_dir.join(&located.key);
        if dest.join("MLmodel").is_file() {
            return Ok(dest);
        }
        if dest.exists() {
            // Not a model directory (a file artifact, or a foreign directory): refuse it
            // rather than serve it.
            return Err(MlflowError::Other(format!(
                "{uri}: the cached copy {} has no MLmodel file; remove it and retry",
                dest.display()
            )));
        }
        self.download_dir(client, uri, &located, &dest, progress)?;
        Ok(dest)
    }

    fn locate(
        &self,
        client: &Client,
        uri: &str,
        parsed: &ModelUri,
        cached: &dyn Fn(&Path) -> bool,
    ) -> Result<Located, MlflowError> {
        let in_registry = |name: &str, version: String| -> Result<Located, MlflowError> {
            let key = Path::new("registry")
                .join(safe_component(name, uri)?)
                .join(&version);
            // A registered version never changes: a cached copy needs no further call.
            let artifact_uri = if cached(&key) {
                String::new()
            } else {
                client.version_download_uri(name, &version)?
            };
            Ok(Located {
                artifact_uri,
                key,
                registered: Some((name.to_string(), version)),
            })
        };
        match parsed {
            ModelUri::Version { name, version } => in_registry(name, version.clone()),
            ModelUri::Alias { name, alias } => {
                in_registry(name, client.version_by_alias(name, alias)?)
            }
            ModelUri::Latest { name } => in_registry(name, client.latest_version(name)?),
            ModelUri::Stage { name, stage } => {
                let v = client.call_json(
                    crate::client::Server::Registry,
                    crate::client::Method::Get,
                    "/api/2.0/mlflow/registered-models/get-latest-versions",
                    &[("name", name), ("stages", stage)],
                    None,
                )?;
                let version = v
                    .get("model_versions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|mv| mv.get("version")?.as_str()?.parse::<u64>().ok())
                    .max()
                    .ok_or_else(|| {
                        MlflowError::Other(format!(
                            "No versions of model with name '{name}' and stage '{stage}' found"
                        ))
                    })?;
                in_registry(name, version.to_string())
            }
            ModelUri::ModelId(id) => {
                let m = client.get_logged_model(id)?;
                check_ready(uri, &m)?;
                Ok(Located {
                    artifact_uri: m.artifact_uri,
                    key: Path::new("models").join(safe_component(id, uri)?),
                    registered: None,
                })
            }
            ModelUri::Run { run_id, path } => {
                let run = client.get_run(run_id)?;
                let root = run
                    .pointer("/info/artifact_uri")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        MlflowError::Other(format!("{uri}: the run has no artifact_uri"))
                    })?;
                let key = Path::new("runs")
                    .join(safe_component(run_id, uri)?)
                    .join(safe_rel(path, uri)?);
                let dir_uri = if path.is_empty() {
                    root.to_string()
                } else {
                    format!("{}/{path}", root.trim_end_matches('/'))
                };
                let has_mlmodel = match artifact_path(&dir_uri) {
                    Some(p) => client
                        .list_artifacts(&p)?
                        .iter()
                        .any(|(f, _, _)| f.rsplit('/').next() == Some("MLmodel")),
                    None => local_path(&dir_uri).join("MLmodel").is_file(),
                };
                if has_mlmodel {
                    return Ok(Located {
                        artifact_uri: dir_uri,
                        key,
                        registered: None,
                    });
                }
                // MLflow 3: the run's logged model of that name.
                let m = run_logged_model(client, &run, run_id, path, uri)?;
                check_ready(uri, &m)?;
                Ok(Located {
                    artifact_uri: m.artifact_uri,
                    key,
                    registered: None,
                })
            }
            ModelUri::Artifacts(p) => Ok(Located {
                artifact_uri: format!("mlflow-artifacts:/{p}"),
                key: Path::new("artifacts").join(safe_rel(p, uri)?),
                registered: None,
            }),
            ModelUri::Local(_) => Err(MlflowError::Other("a local path needs no download".into())),
        }
    }

    fn download_dir(
        &self,
        client: &Client,
        uri: &str,
        located: &Located,
        dest: &Path,
        progress: Progress,
    ) -> Result<(), MlflowError> {
        let parent = dest.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| MlflowError::io(parent, e))?;
        let name = dest.file_name().and_then(|n| n.to_str()).unwrap_or("model");
        let tmp = parent.join(format!(
            ".partial-{name}-{}-{}",
            std::process::id(),
            &signet_model::mlmodel::uuid4_hex()[..8]
        ));
        let result = (|| {
            std::fs::create_dir_all(&tmp).map_err(|e| MlflowError::io(&tmp, e))?;
            match artifact_path(&located.artifact_uri) {
                Some(root) => download_tree(client, &root, &tmp, progress)?,
                None => copy_tree(&local_path(&located.artifact_uri), &tmp)?,
            }
            if !tmp.join("MLmodel").is_file() {
                return Err(MlflowError::Other(format!(
                    "{uri}: {} has no MLmodel file: not an MLflow model",
                    located.artifact_uri
                )));
            }
            if let Some((name, version)) = &located.registered {
                let meta = signet_model::yaml::to_string(&signet_model::Yaml::map([
                    ("model_name", signet_model::Yaml::str(name)),
                    ("model_version", signet_model::Yaml::str(version)),
                ]));
                let p = tmp.join("registered_model_meta");
                std::fs::write(&p, meta).map_err(|e| MlflowError::io(&p, e))?;
            }
            match std::fs::rename(&tmp, dest) {
                Ok(()) => Ok(()),
                // Another process finished the same download first: use its copy.
                Err(_) if dest.join("MLmodel").is_file() => {
                    let _ = std::fs::remove_dir_all(&tmp);
                    Ok(())
                }
                Err(e) => Err(MlflowError::io(dest, e)),
            }
        })();
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result
    }
}

fn check_ready(uri: &str, m: &LoggedModel) -> Result<(), MlflowError> {
    if m.status == "LOGGED_MODEL_UPLOAD_FAILED" {
        return Err(MlflowError::Other(format!(
            "{uri}: logged model {} is marked LOGGED_MODEL_UPLOAD_FAILED: its upload did not complete, its files cannot be trusted",
            m.model_id
        )));
    }
    Ok(())
}

/// MLflow 3's fallback for `runs:/<run>/<name>` without files there: the run's logged model
/// named `name` (the one at the largest step when there are several).
fn run_logged_model(
    client: &Client,
    run: &Value,
    run_id: &str,
    name: &str,
    uri: &str,
) -> Result<LoggedModel, MlflowError> {
    let exp = run
        .pointer("/info/experiment_id")
        .and_then(Value::as_str)
        .ok_or_else(|| MlflowError::Other(format!("{uri}: the run has no experiment_id")))?;
    let filter = format!("name = '{}'", name.replace('\'', "\\'"));
    let mut models: Vec<LoggedModel> = client
        .search_logged_models(&[exp.to_string()], &filter)?
        .into_iter()
        .filter(|m| m.source_run_id.as_deref() == Some(run_id))
        .collect();
    let step_of = |id: &str| -> i64 {
        run.pointer("/outputs/model_outputs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|o| o.get("model_id").and_then(Value::as_str) == Some(id))
            .and_then(|o| o.get("step"))
            .and_then(|s| s.as_i64().or_else(|| s.as_str()?.parse().ok()))
            .unwrap_or(0)
    };
    models.sort_by_key(|m| step_of(&m.model_id));
    models.pop().ok_or_else(|| {
        MlflowError::Other(format!(
            "{uri}: Unable to find a logged_model with artifact_path {name} under run {run_id}"
        ))
    })
}

/// The path under the artifact proxy for an `mlflow-artifacts:` URI; `None` for local ones.
pub(crate) fn artifact_path(artifact_uri: &str) -> Option<String> {
    match ModelUri::parse(artifact_uri).ok()? {
        ModelUri::Artifacts(p) => Some(p),
        _ => None,
    }
}

pub(crate) fn local_path(artifact_uri: &str) -> PathBuf {
    match ModelUri::parse(artifact_uri) {
        Ok(ModelUri::Local(p)) => p,
        _ => PathBuf::from(artifact_uri),
    }
}

/// Downloads every file under `root` (recursively) into `dest`.
fn download_tree(
    client: &Client,
    root: &str,
    dest: &Path,
    progress: Progress,
) -> Result<(), MlflowError> {
    let entries = client.list_artifacts(root)?;
    if entries.is_empty() {
        return Err(MlflowError::Other(format!(
            "mlflow-artifacts:/{root}: no artifacts there"
        )));
    }
    for (path, is_dir, _) in entries {
        let rel = safe_rel(&path, root)?;
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sub = format!("{root}/{name}");
        let local = dest.join(&name);
        if is_dir {
            std::fs::create_dir_all(&local).map_err(|e| MlflowError::io(&local, e))?;
            download_tree(client, &sub, &local, progress)?;
        } else {
            let endpoint = format!("/api/2.0/mlflow-artifacts/artifacts/{}", encode_path(&sub));
            client.download(&endpoint, &local, &mut |done, total| {
                progress(&sub, done, total)
            })?;
        }
    }
    Ok(())
}

pub(crate) fn copy_tree(src: &Path, dest: &Path) -> Result<(), MlflowError> {
    let entries = std::fs::read_dir(src).map_err(|e| MlflowError::io(src, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| MlflowError::io(src, e))?;
        let from = entry.path();
        let to = dest.join(entry.file_name());
        let ty = entry.file_type().map_err(|e| MlflowError::io(&from, e))?;
        if ty.is_dir() {
            std::fs::create_dir_all(&to).map_err(|e| MlflowError::io(&to, e))?;
            copy_tree(&from, &to)?;
        } else if ty.is_file() {
            std::fs::copy(&from, &to).map_err(|e| MlflowError::io(&from, e))?;
        }
    }
    Ok(())
}

/// Percent-encodes a path for a URL, keeping `/`.
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A relative path from a server or a URI, refused if it could leave its directory.
fn safe_rel(p: &str, context: &str) -> Result<PathBuf, MlflowError> {
    let path = Path::new(p);
    if p.is_empty() {
        return Ok(PathBuf::new());
    }
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path.to_path_buf())
    } else {
        Err(MlflowError::Uri {
            uri: context.to_string(),
            message: format!("unsafe artifact path {p:?}"),
        })
    }
}

fn safe_component(p: &str, context: &str) -> Result<PathBuf, MlflowError> {
    let rel = safe_rel(p, context)?;
    if rel.components().count() != 1 {
        return Err(MlflowError::Uri {
            uri: context.to_string(),
            message: format!("{p:?} is not a valid name"),
        });
    }
    Ok(rel)
}

/// The cache directory name for a tracking server: its URI with every character outside
/// `[A-Za-z0-9.-]` replaced by `_`.
pub fn server_key(tracking_uri: &str) -> String {
    let rest = tracking_uri
        .split_once("://")
        .map_or(tracking_uri, |(_, r)| r);
    rest.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_paths() {
        assert_eq!(server_key("http://127.0.0.1:5000/"), "127.0.0.1_5000_");
        assert_eq!(
            encode_path("1/models/m-1/artifacts/a b.txt"),
            "1/models/m-1/artifacts/a%20b.txt"
        );
        assert!(safe_rel("../x", "u")
            .unwrap_err()
            .to_string()
            .contains("unsafe artifact path"));
        assert_eq!(
            safe_rel("/abs", "u").unwrap_err().to_string(),
            "u: unsafe artifact path \"/abs\""
        );
        assert_eq!(safe_rel("a/b", "u").unwrap(), PathBuf::from("a/b"));
        assert_eq!(
            safe_component("a/b", "u").unwrap_err().to_string(),
            "u: \"a/b\" is not a valid name"
        );
    }

    #[test]
    fn local_uris_resolve_without_a_server() {
        let r = Resolver::new(None, std::env::temp_dir());
        assert_eq!(
            r.resolve("file:///tmp/m", &mut |_, _, _| {}).unwrap(),
            PathBuf::from("/tmp/m")
        );
        assert_eq!(
            r.resolve("some/dir", &mut |_, _, _| {}).unwrap(),
            PathBuf::from("some/dir")
        );
        let e = r
            .resolve("models:/a/1", &mut |_, _, _| {})
            .unwrap_err()
            .to_string();
        assert_eq!(e, "no tracking server: set MLFLOW_TRACKING_URI");
    }
}
