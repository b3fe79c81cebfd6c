//! [`log_model`]: logging a local model directory to a tracking server and registering it, the
//! calls `mlflow.<flavor>.log_model(..., registered_model_name=...)` makes in MLflow 3.17.2:
//!
//! 1. with `new_run`, `runs/create` (finished as `FINISHED`, or `FAILED` on error);
//! 2. `POST logged-models` (status `LOGGED_MODEL_PENDING`, `artifact_uri`
//!    `mlflow-artifacts:/<exp>/models/m-…/artifacts`);
//! 3. `runs/outputs` linking it to the run, when there is one;
//! 4. `PUT mlflow-artifacts/artifacts/<path>/<file>` for each file, streamed; the uploaded
//!    `MLmodel` gets `artifact_path`, `model_id`, `model_uuid` (= the model id) and `run_id` as
//!    `Model.log` writes them, and is uploaded last;
//! 5. `PATCH logged-models/{id}` with `LOGGED_MODEL_READY` — or `LOGGED_MODEL_UPLOAD_FAILED` if
//!    any upload failed, so a model with missing files is never READY;
//! 6. `registered-models/create` (an existing one is fine) and `model-versions/create` with
//!    `source: models:/m-…` and `model_id`;
//! 7. the logged model's `mlflow.modelVersions` tag extended with `{"name", "version"}` as
//!    `_register_model` does, then the alias, if asked for.

use crate::client::Client;
use crate::error::MlflowError;
use serde_json::Value;
use signet_model::{MlModel, Yaml};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// What to log and how.
#[derive(Clone, Debug, Default)]
pub struct LogOptions {
    /// The logged model's name (`log_model(name=...)`); default: the directory's name.
    pub name: Option<String>,
    /// The experiment, by name (created if missing); default: the run's, else `0`.
    pub experiment: Option<String>,
    /// An existing run to log the model from.
    pub run_id: Option<String>,
    /// Create a run for the model (ignored with `run_id`).
    pub new_run: bool,
    /// Register the model under this name.
    pub register_as: Option<String>,
    /// Point this alias at the new version (needs `register_as`).
    pub alias: Option<String>,
}

/// What was logged.
#[derive(Clone, Debug, PartialEq)]
pub struct Logged {
    /// `m-…`.
    pub model_id: String,
    /// `models:/m-…`.
    pub model_uri: String,
    /// The run it was logged from.
    pub run_id: Option<String>,
    /// The registered version, when registered.
    pub version: Option<String>,
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Logs `model_dir` (and registers it when asked); `note` receives progress lines.
pub fn log_model(
    client: &Client,
    model_dir: &Path,
    opts: &LogOptions,
    note: &mut dyn FnMut(&str),
) -> Result<Logged, MlflowError> {
    if opts.alias.is_some() && opts.register_as.is_none() {
        return Err(MlflowError::Other("--alias needs --register-as".into()));
    }
    let (mlmodel, dir) = MlModel::load(model_dir).map_err(|e| MlflowError::io(model_dir, e))?;
    let name = match &opts.name {
        Some(n) => n.clone(),
        None => dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "model".into()),
    };
    let files = list_files(&dir)?;

    let mut run_id = opts.run_id.clone();
    let experiment_id = match (&opts.experiment, &run_id) {
        (Some(exp), _) => match client.experiment_id_by_name(exp)? {
            Some(id) => id,
            None => {
                note(&format!("creating experiment '{exp}'"));
                client.create_experiment(exp)?
            }
        },
        (None, Some(r)) => client
            .get_run(r)?
            .pointer("/info/experiment_id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| MlflowError::Other(format!("run {r} has no experiment_id")))?,
        (None, None) => "0".to_string(),
    };
    let tags = source_tags();
    let created_run = if run_id.is_none() && opts.new_run {
        let r = client.create_run(&experiment_id, now_ms(), &tags)?;
        run_id = Some(r.clone());
        Some(r)
    } else {
        None
    };
    let result = log_in_run(
        client,
        &dir,
        &mlmodel,
        &files,
        &name,
        &experiment_id,
        run_id.as_deref(),
        &tags,
        opts,
        note,
    );
    if let Some(r) = created_run {
        let status = if result.is_ok() { "FINISHED" } else { "FAILED" };
        client.update_run(&r, status, now_ms())?;
    }
    result
}

#[allow(clippy::too_many_arguments)]
fn log_in_run(
    client: &Client,
    dir: &Path,
    mlmodel: &MlModel,
    files: &[PathBuf],
    name: &str,
    experiment_id: &str,
    run_id: Option<&str>,
    tags: &[(String, String)],
    opts: &LogOptions,
    note: &mut dyn FnMut(&str),
) -> Result<Logged, MlflowError> {
    let logged = client.create_logged_model(experiment_id, name, run_id, tags)?;
    let model_id = logged.model_id.clone();
    if let Some(r) = run_id {
        client.log_model_output(r, &model_id)?;
    }
    note(&format!(
        "logged model {model_id}: uploading {} files to {}",
        files.len(),
        logged.artifact_uri
    ));
    if let Err(e) = upload(
        client,
        dir,
        mlmodel,
        files,
        &logged.artifact_uri,
        &model_id,
        run_id,
        note,
    ) {
        let marked = client.finalize_logged_model(&model_id, "LOGGED_MODEL_UPLOAD_FAILED");
        let how = match marked {
            Ok(()) => "it is marked LOGGED_MODEL_UPLOAD_FAILED".to_string(),
            Err(m) => format!("marking it LOGGED_MODEL_UPLOAD_FAILED failed too ({m}); it stays LOGGED_MODEL_PENDING, never READY"),
        };
        return Err(MlflowError::Other(format!(
            "uploading logged model {model_id} failed, {how}: {e}"
        )));
    }
    client.finalize_logged_model(&model_id, "LOGGED_MODEL_READY")?;
    let model_uri = format!("models:/{model_id}");
    let mut version = None;
    if let Some(reg) = &opts.register_as {
        if client.create_registered_model(reg)? {
            note(&format!("Successfully registered model '{reg}'."));
        } else {
            note(&format!(
                "Registered model '{reg}' already exists. Creating a new version of this model..."
            ));
        }
        let v = client.create_model_version(reg, &model_uri, None, Some(&model_id))?;
        note(&format!("Created version '{v}' of model '{reg}'."));
        add_model_version_tag(client, &model_id, reg, &v)?;
        if let Some(alias) = &opts.alias {
            client.set_alias(reg, alias, &v)?;
            note(&format!(
                "alias '{alias}' of '{reg}' now points at version {v}"
            ));
        }
        version = Some(v);
    }
    Ok(Logged {
        model_id,
        model_uri,
        run_id: run_id.map(str::to_string),
        version,
    })
}

/// `_register_model`: `mlflow.modelVersions` = the existing list + `{"name", "version"}`,
/// JSON as Python's `json.dumps` writes it.
fn add_model_version_tag(
    client: &Client,
    model_id: &str,
    name: &str,
    version: &str,
) -> Result<(), MlflowError> {
    const KEY: &str = "mlflow.modelVersions";
    let model = client.get_logged_model(model_id)?;
    let entry = format!(
        "{{\"name\": {}, \"version\": {}}}",
        py_json_str(name),
        py_json_str(version)
    );
    let value = match model
        .tags
        .iter()
        .find(|(k, _)| k == KEY)
        .map(|(_, v)| v.trim())
    {
        Some(existing) if !existing.is_empty() => match serde_json::from_str::<Value>(existing) {
            Ok(Value::Array(a)) if a.is_empty() => format!("[{entry}]"),
            Ok(Value::Array(_)) => {
                format!("{}, {entry}]", existing.trim_end_matches(']').trim_end())
            }
            _ => {
                return Err(MlflowError::Other(format!(
                    "logged model {model_id}: its {KEY} tag is not a JSON list: {existing}"
                )))
            }
        },
        _ => format!("[{entry}]"),
    };
    client.set_logged_model_tags(model_id, &[(KEY.to_string(), value)])
}

/// A JSON string as Python's `json.dumps` (with `ensure_ascii=True`) writes it.
pub fn py_json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    signet::pyjson::write_str(&mut out, s);
    out
}

fn source_tags() -> Vec<(String, String)> {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    vec![
        ("mlflow.user".into(), user),
        ("mlflow.source.name".into(), "signet".into()),
        ("mlflow.source.type".into(), "LOCAL".into()),
    ]
}

/// The files to upload, relative to `dir`, sorted, `MLmodel` last; `registered_model_meta`
/// (a download's local note) is left out.
fn list_files(dir: &Path) -> Result<Vec<PathBuf>, MlflowError> {
    fn walk(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), MlflowError> {
        let here = root.join(rel);
        let mut entries: Vec<_> = std::fs::read_dir(&here)
            .map_err(|e| MlflowError::io(&here, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| MlflowError::io(&here, e))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let r = rel.join(e.file_name());
            let ty = e
                .file_type()
                .map_err(|err| MlflowError::io(e.path(), err))?;
            if ty.is_dir() {
                walk(root, &r, out)?;
            } else if ty.is_file() {
                out.push(r);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out)?;
    out.retain(|p| p != Path::new("registered_model_meta") && p != Path::new("MLmodel"));
    out.push(PathBuf::from("MLmodel"));
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn upload(
    client: &Client,
    dir: &Path,
    mlmodel: &MlModel,
    files: &[PathBuf],
    artifact_uri: &str,
    model_id: &str,
    run_id: Option<&str>,
    note: &mut dyn FnMut(&str),
) -> Result<(), MlflowError> {
    let mut m = mlmodel.clone();
    m.artifact_path = Some(Yaml::str(artifact_uri));
    m.model_id = Yaml::str(model_id);
    m.model_uuid = Yaml::str(model_id);
    m.run_id = run_id.map(Yaml::str);
    let staged = std::env::temp_dir().join(format!(
        "signet-log-{}-{}",
        std::process::id(),
        &signet_model::mlmodel::uuid4_hex()[..8]
    ));
    std::fs::create_dir_all(&staged).map_err(|e| MlflowError::io(&staged, e))?;
    let staged_mlmodel = staged.join("MLmodel");
    let result = (|| {
        std::fs::write(&staged_mlmodel, m.to_yaml_string())
            .map_err(|e| MlflowError::io(&staged_mlmodel, e))?;
        let root = crate::resolve::artifact_path(artifact_uri);
        for rel in files {
            let local = if rel == Path::new("MLmodel") {
                staged_mlmodel.clone()
            } else {
                dir.join(rel)
            };
            let rel_text = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            match &root {
                Some(root) => {
                    let endpoint = format!(
                        "/api/2.0/mlflow-artifacts/artifacts/{}",
                        crate::resolve::encode_path(&format!("{root}/{rel_text}"))
                    );
                    client.put_file(&endpoint, &local)?;
                }
                None => {
                    let dest = crate::resolve::local_path(artifact_uri).join(rel);
                    if let Some(p) = dest.parent() {
                        std::fs::create_dir_all(p).map_err(|e| MlflowError::io(p, e))?;
                    }
                    std::fs::copy(&local, &dest).map_err(|e| MlflowError::io(&dest, e))?;
                }
            }
            note(&format!("  uploaded {rel_text}"));
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&staged);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_strings() {
        assert_eq!(py_json_str("hp"), "\"hp\"");
        assert_eq!(py_json_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(py_json_str("é😀"), "\"\\u00e9\\ud83d\\ude00\"");
    }
}
