//! The REST calls signet makes, typed: experiments, runs, logged models, the model registry
//! (registered models, versions, aliases) and the `mlflow-artifacts` proxy. Endpoints and
//! bodies are those of `mlflow/store/tracking/rest_store.py`,
//! `mlflow/store/model_registry/rest_store.py` and `http_artifact_repo.py` (MLflow 3.17.2).

use crate::client::{Client, Method, Server};
use crate::error::MlflowError;
use serde_json::{json, Value};

const API: &str = "/api/2.0/mlflow";

/// An MLflow error code that means "exists already".
pub fn is_already_exists(e: &MlflowError) -> bool {
    matches!(
        e.error_code(),
        Some("RESOURCE_ALREADY_EXISTS" | "ALREADY_EXISTS")
    )
}

/// A logged model (`LoggedModelInfo`), the fields signet uses.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedModel {
    /// `m-<32 hex>`.
    pub model_id: String,
    /// Its experiment.
    pub experiment_id: String,
    /// Its name (the `name=` of `log_model`).
    pub name: String,
    /// Where its files are, e.g. `mlflow-artifacts:/1/models/m-…/artifacts`.
    pub artifact_uri: String,
    /// `LOGGED_MODEL_PENDING`, `LOGGED_MODEL_READY` or `LOGGED_MODEL_UPLOAD_FAILED`.
    pub status: String,
    /// The run it was logged from, if any.
    pub source_run_id: Option<String>,
    /// Its tags, key → value.
    pub tags: Vec<(String, String)>,
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn need<'a>(v: &'a Value, path: &[&str], call: &str) -> Result<&'a Value, MlflowError> {
    let mut cur = v;
    for k in path {
        cur = cur.get(*k).ok_or_else(|| MlflowError::BadResponse {
            call: call.to_string(),
            uri: String::new(),
            message: format!("no `{}` in the response", path.join(".")),
        })?;
    }
    Ok(cur)
}

fn need_str(v: &Value, path: &[&str], call: &str) -> Result<String, MlflowError> {
    let x = need(v, path, call)?;
    match x {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(MlflowError::BadResponse {
            call: call.to_string(),
            uri: String::new(),
            message: format!("`{}` is not a string", path.join(".")),
        }),
    }
}

fn logged_model(model: &Value, call: &str) -> Result<LoggedModel, MlflowError> {
    let info = need(model, &["info"], call)?;
    let tags = info
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    Some((
                        str_field(t, "key")?.to_string(),
                        str_field(t, "value").unwrap_or("").to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(LoggedModel {
        model_id: need_str(info, &["model_id"], call)?,
        experiment_id: need_str(info, &["experiment_id"], call)?,
        name: str_field(info, "name").unwrap_or("").to_string(),
        artifact_uri: need_str(info, &["artifact_uri"], call)?,
        status: str_field(info, "status").unwrap_or("").to_string(),
        source_run_id: str_field(info, "source_run_id").map(str::to_string),
        tags,
    })
}

/// A decoded reply and the endpoint that gave it (named in errors about its contents).
struct Reply<'e> {
    value: Value,
    endpoint: &'e str,
}

impl Reply<'_> {
    /// The value at `path`.
    fn field(&self, path: &[&str]) -> Result<Value, MlflowError> {
        Ok(need(&self.value, path, self.endpoint)?.clone())
    }

    /// The string (or number, as text) at `path`.
    fn string(&self, path: &[&str]) -> Result<String, MlflowError> {
        need_str(&self.value, path, self.endpoint)
    }
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect(),
    )
}

impl Client {
    /// `GET {API}/endpoint` with a query.
    fn get<'e>(
        &self,
        server: Server,
        endpoint: &'e str,
        query: &[(&str, &str)],
    ) -> Result<Reply<'e>, MlflowError> {
        self.call_api(server, Method::Get, endpoint, query, None)
    }

    /// `POST {API}/endpoint` with a JSON body.
    fn post<'e>(
        &self,
        server: Server,
        endpoint: &'e str,
        body: &Value,
    ) -> Result<Reply<'e>, MlflowError> {
        self.call_api(server, Method::Post, endpoint, &[], Some(body))
    }

    /// `{API}/endpoint` with `method`: the decoded reply, tagged with its endpoint.
    fn call_api<'e>(
        &self,
        server: Server,
        method: Method,
        endpoint: &'e str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Reply<'e>, MlflowError> {
        let value = self.call_json(server, method, &format!("{API}/{endpoint}"), query, body)?;
        Ok(Reply { value, endpoint })
    }

    /// `experiments/get-by-name`: the experiment's id, `None` when there is none of that name.
    pub fn experiment_id_by_name(&self, name: &str) -> Result<Option<String>, MlflowError> {
        match self.get(
            Server::Tracking,
            "experiments/get-by-name",
            &[("experiment_name", name)],
        ) {
            Ok(v) => Ok(Some(v.string(&["experiment", "experiment_id"])?)),
            Err(e) if e.error_code() == Some("RESOURCE_DOES_NOT_EXIST") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `experiments/create`: the new experiment's id.
    pub fn create_experiment(&self, name: &str) -> Result<String, MlflowError> {
        self.post(
            Server::Tracking,
            "experiments/create",
            &json!({"name": name}),
        )?
        .string(&["experiment_id"])
    }

    /// `runs/create` in `experiment_id` with `tags`: the run id.
    pub fn create_run(
        &self,
        experiment_id: &str,
        start_time_ms: u128,
        tags: &[(String, String)],
    ) -> Result<String, MlflowError> {
        let v = self.post(Server::Tracking, "runs/create", &json!({"experiment_id": experiment_id, "start_time": start_time_ms as u64, "tags": tags_json(tags)}))?;
        v.string(&["run", "info", "run_id"])
    }

    /// `runs/get`: the run object (`{"info": ..., "data": ..., "outputs": ...}`).
    pub fn get_run(&self, run_id: &str) -> Result<Value, MlflowError> {
        self.get(
            Server::Tracking,
            "runs/get",
            &[("run_uuid", run_id), ("run_id", run_id)],
        )?
        .field(&["run"])
    }

    /// `runs/update`: sets a run's status (`FINISHED`, `FAILED`) and end time.
    pub fn update_run(
        &self,
        run_id: &str,
        status: &str,
        end_time_ms: u128,
    ) -> Result<(), MlflowError> {
        self.post(Server::Tracking, "runs/update", &json!({"run_uuid": run_id, "status": status, "end_time": end_time_ms as u64, "run_id": run_id}))?;
        Ok(())
    }

    /// `POST logged-models`: creates a pending logged model.
    pub fn create_logged_model(
        &self,
        experiment_id: &str,
        name: &str,
        source_run_id: Option<&str>,
        tags: &[(String, String)],
    ) -> Result<LoggedModel, MlflowError> {
        let mut body =
            json!({"experiment_id": experiment_id, "name": name, "tags": tags_json(tags)});
        if let Some(r) = source_run_id {
            body["source_run_id"] = json!(r);
        }
        let v = self.post(Server::Tracking, "logged-models", &body)?.value;
        logged_model(
            need(&v, &["model"], "POST logged-models")?,
            "POST logged-models",
        )
    }

    /// `GET logged-models/{id}`.
    pub fn get_logged_model(&self, model_id: &str) -> Result<LoggedModel, MlflowError> {
        let call = format!("{API}/logged-models/{model_id}");
        let v = self.call_json(Server::Tracking, Method::Get, &call, &[], None)?;
        logged_model(need(&v, &["model"], &call)?, &call)
    }

    /// `PATCH logged-models/{id}` with `status` (`LOGGED_MODEL_READY` or
    /// `LOGGED_MODEL_UPLOAD_FAILED`).
    pub fn finalize_logged_model(&self, model_id: &str, status: &str) -> Result<(), MlflowError> {
        self.call_json(
            Server::Tracking,
            Method::Patch,
            &format!("{API}/logged-models/{model_id}"),
            &[],
            Some(&json!({"model_id": model_id, "status": status})),
        )?;
        Ok(())
    }

    /// `PATCH logged-models/{id}/tags`.
    pub fn set_logged_model_tags(
        &self,
        model_id: &str,
        tags: &[(String, String)],
    ) -> Result<(), MlflowError> {
        self.call_json(
            Server::Tracking,
            Method::Patch,
            &format!("{API}/logged-models/{model_id}/tags"),
            &[],
            Some(&json!({"tags": tags_json(tags)})),
        )?;
        Ok(())
    }

    /// `POST logged-models/search` in `experiment_ids` with `filter`, all pages.
    pub fn search_logged_models(
        &self,
        experiment_ids: &[String],
        filter: &str,
    ) -> Result<Vec<LoggedModel>, MlflowError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut body = json!({"experiment_ids": experiment_ids, "filter": filter});
            if let Some(t) = &token {
                body["page_token"] = json!(t);
            }
            let v = self
                .post(Server::Tracking, "logged-models/search", &body)?
                .value;
            for m in v
                .get("models")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push(logged_model(m, "logged-models/search")?);
            }
            match str_field(&v, "next_page_token") {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(out),
            }
        }
    }

    /// `runs/outputs`: links a logged model to a run as an output at step 0.
    pub fn log_model_output(&self, run_id: &str, model_id: &str) -> Result<(), MlflowError> {
        self.post(
            Server::Tracking,
            "runs/outputs",
            &json!({"run_id": run_id, "models": [{"model_id": model_id, "step": 0}]}),
        )?;
        Ok(())
    }

    /// `registered-models/create`; `Ok(false)` when it exists already.
    pub fn create_registered_model(&self, name: &str) -> Result<bool, MlflowError> {
        match self.post(
            Server::Registry,
            "registered-models/create",
            &json!({"name": name}),
        ) {
            Ok(_) => Ok(true),
            Err(e) if is_already_exists(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `model-versions/create` from `source` (`models:/m-…`): the new version.
    pub fn create_model_version(
        &self,
        name: &str,
        source: &str,
        run_id: Option<&str>,
        model_id: Option<&str>,
    ) -> Result<String, MlflowError> {
        let mut body = json!({"name": name, "source": source});
        if let Some(r) = run_id {
            body["run_id"] = json!(r);
        }
        if let Some(m) = model_id {
            body["model_id"] = json!(m);
        }
        self.post(Server::Registry, "model-versions/create", &body)?
            .string(&["model_version", "version"])
    }

    /// `model-versions/get`: the version object.
    pub fn get_model_version(&self, name: &str, version: &str) -> Result<Value, MlflowError> {
        self.get(
            Server::Registry,
            "model-versions/get",
            &[("name", name), ("version", version)],
        )?
        .field(&["model_version"])
    }

    /// `registered-models/alias` (GET): the version an alias points at.
    pub fn version_by_alias(&self, name: &str, alias: &str) -> Result<String, MlflowError> {
        self.get(
            Server::Registry,
            "registered-models/alias",
            &[("name", name), ("alias", alias)],
        )?
        .string(&["model_version", "version"])
    }

    /// `registered-models/alias` (POST): points `alias` at `version`.
    pub fn set_alias(&self, name: &str, alias: &str, version: &str) -> Result<(), MlflowError> {
        self.post(
            Server::Registry,
            "registered-models/alias",
            &json!({"name": name, "alias": alias, "version": version}),
        )?;
        Ok(())
    }

    /// `registered-models/get-latest-versions`: the highest version of `name`, as
    /// `models:/name/latest` resolves it.
    pub fn latest_version(&self, name: &str) -> Result<String, MlflowError> {
        let v = self
            .get(
                Server::Registry,
                "registered-models/get-latest-versions",
                &[("name", name)],
            )?
            .value;
        v.get("model_versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|mv| str_field(mv, "version")?.parse::<u64>().ok())
            .max()
            .map(|n| n.to_string())
            .ok_or_else(|| {
                MlflowError::Other(format!("No versions of model with name '{name}' found"))
            })
    }

    /// `model-versions/get-download-uri`: where a version's files are.
    pub fn version_download_uri(&self, name: &str, version: &str) -> Result<String, MlflowError> {
        self.get(
            Server::Registry,
            "model-versions/get-download-uri",
            &[("name", name), ("version", version)],
        )?
        .string(&["artifact_uri"])
    }

    /// `GET mlflow-artifacts/artifacts?path=`: the entries directly under `path`
    /// (path relative to the artifact root, is_dir, size).
    pub fn list_artifacts(
        &self,
        path: &str,
    ) -> Result<Vec<(String, bool, Option<u64>)>, MlflowError> {
        let v = self.call_json(
            Server::Tracking,
            Method::Get,
            "/api/2.0/mlflow-artifacts/artifacts",
            &[("path", path)],
            None,
        )?;
        let mut out = Vec::new();
        for f in v
            .get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let p = str_field(f, "path").ok_or_else(|| MlflowError::BadResponse {
                call: "GET /api/2.0/mlflow-artifacts/artifacts".into(),
                uri: path.to_string(),
                message: "a file entry without `path`".into(),
            })?;
            let size = match f.get("file_size") {
                Some(Value::Number(n)) => n.as_u64(),
                Some(Value::String(s)) => s.parse().ok(),
                _ => None,
            };
            out.push((
                p.to_string(),
                f.get("is_dir").and_then(Value::as_bool).unwrap_or(false),
                size,
            ));
        }
        out.sort();
        Ok(out)
    }
}
