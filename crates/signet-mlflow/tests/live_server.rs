//! Against a real `mlflow server` 3.17.2 (started by scripts/registry_test.sh, which passes
//! its URI in SIGNET_MLFLOW_URI): logging, registering, aliases, the `mlflow.modelVersions`
//! tag, resolving every URI form through the cache, and MLflow's errors.

use signet_mlflow::log::{log_model, LogOptions};
use signet_mlflow::resolve::Resolver;
use signet_mlflow::{Client, Config, RetryPolicy};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn server() -> String {
    std::env::var("SIGNET_MLFLOW_URI").expect(
        "SIGNET_MLFLOW_URI is not set: run scripts/registry_test.sh, which starts mlflow server",
    )
}

fn client() -> Client {
    let mut c = Config::from_lookup(&|_| None, None).unwrap();
    c.tracking_uri = Some(server());
    c.registry_uri = Some(server());
    c.retry = RetryPolicy {
        max_retries: 2,
        backoff_factor: 0.1,
        ..RetryPolicy::default()
    };
    Client::new(c).unwrap()
}

fn house_price() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/models/house_price")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "signet-live-{name}-{}",
        &signet_model::mlmodel::uuid4_hex()[..8]
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", &signet_model::mlmodel::uuid4_hex()[..8])
}

#[test]
#[ignore = "needs a running mlflow server; run scripts/registry_test.sh"]
fn log_register_alias_and_resolve_every_uri_form() {
    let c = client();
    let name = unique("live");
    let opts = LogOptions {
        name: Some("model".into()),
        experiment: Some(unique("exp")),
        new_run: true,
        register_as: Some(name.clone()),
        alias: Some("champion".into()),
        ..LogOptions::default()
    };
    let v1 = log_model(&c, &house_price(), &opts, &mut |_| {}).unwrap();
    assert_eq!(v1.version.as_deref(), Some("1"));
    assert!(v1.model_id.starts_with("m-") && v1.model_uri == format!("models:/{}", v1.model_id));
    let v2 = log_model(
        &c,
        &house_price(),
        &LogOptions {
            alias: Some("champion".into()),
            ..opts.clone()
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(v2.version.as_deref(), Some("2"));
    // The alias moved; the registry and the logged models agree.
    assert_eq!(c.version_by_alias(&name, "champion").unwrap(), "2");
    assert_eq!(c.latest_version(&name).unwrap(), "2");
    let lm = c.get_logged_model(&v2.model_id).unwrap();
    assert_eq!(lm.status, "LOGGED_MODEL_READY");
    let tag = lm
        .tags
        .iter()
        .find(|(k, _)| k == "mlflow.modelVersions")
        .map(|(_, v)| v.clone());
    assert!(
        tag.as_deref().is_some_and(|t| t.ends_with(&format!("{{\"name\": \"{name}\", \"version\": \"2\"}}]"))),
        "{tag:?}"
    );
    let mv = c.get_model_version(&name, "2").unwrap();
    assert_eq!(mv["source"], format!("models:/{}", v2.model_id));
    assert_eq!(mv["run_id"].as_str(), v2.run_id.as_deref());

    let cache = scratch("cache");
    let r = Resolver::new(Some(&c), cache.clone());
    let mut files = Vec::new();
    let dir = r
        .resolve(&format!("models:/{name}@champion"), &mut |f, _, _| {
            files.push(f.to_string())
        })
        .unwrap();
    assert!(dir.starts_with(&cache), "{}", dir.display());
    assert!(
        files.iter().any(|f| f.ends_with("/model.onnx")),
        "{files:?}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("registered_model_meta")).unwrap(),
        format!("model_name: {name}\nmodel_version: '2'\n")
    );
    let mlmodel = std::fs::read_to_string(dir.join("MLmodel")).unwrap();
    assert!(
        mlmodel.contains(&format!("model_id: {}\n", v2.model_id)),
        "{mlmodel}"
    );
    assert!(
        mlmodel.contains(&format!("model_uuid: {}\n", v2.model_id)),
        "{mlmodel}"
    );
    assert!(
        mlmodel.contains(&format!("run_id: {}\n", v2.run_id.clone().unwrap())),
        "{mlmodel}"
    );
    assert!(
        mlmodel.contains(&format!("artifact_path: {}\n", lm.artifact_uri)),
        "{mlmodel}"
    );
    assert_eq!(
        std::fs::read(dir.join("model.onnx")).unwrap(),
        std::fs::read(house_price().join("model.onnx")).unwrap()
    );
    // Cached: no download the second time, and fast.
    let t = Instant::now();
    let again = r
        .resolve(&format!("models:/{name}/2"), &mut |f, _, _| {
            panic!("downloaded {f} again")
        })
        .unwrap();
    assert_eq!(again, dir);
    assert!(t.elapsed() < Duration::from_secs(2));
    // Other forms.
    let latest = r
        .resolve(&format!("models:/{name}/latest"), &mut |_, _, _| {})
        .unwrap();
    assert_eq!(latest, dir);
    let by_id = r.resolve(&v1.model_uri, &mut |_, _, _| {}).unwrap();
    assert!(by_id.join("MLmodel").is_file() && !by_id.join("registered_model_meta").exists());
    // runs:/<run>/model: no files there in MLflow 3, so the run's logged model "model".
    let by_run = r
        .resolve(
            &format!("runs:/{}/model", v1.run_id.clone().unwrap()),
            &mut |_, _, _| {},
        )
        .unwrap();
    assert!(std::fs::read_to_string(by_run.join("MLmodel"))
        .unwrap()
        .contains(&v1.model_id));
    let art = r
        .resolve(
            &format!(
                "mlflow-artifacts:/{}",
                lm.artifact_uri.trim_start_matches("mlflow-artifacts:/")
            ),
            &mut |_, _, _| {},
        )
        .unwrap();
    assert!(art.join("model.onnx").is_file());
    // No partial directory left behind.
    for entry in walk(&cache) {
        assert!(
            !entry.to_string_lossy().contains(".partial-"),
            "{}",
            entry.display()
        );
    }

    // Errors: MLflow's codes and messages, naming the call and the URI.
    let e = r
        .resolve(&format!("models:/{name}@nope"), &mut |_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("GET /api/2.0/mlflow/registered-models/alias")
            && e.contains("failed with HTTP 400: INVALID_PARAMETER_VALUE: Registered model alias nope not found."),
        "{e}"
    );
    let e = r
        .resolve("models:/no_such_model_xyz/1", &mut |_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("model-versions/get-download-uri") && e.contains("RESOURCE_DOES_NOT_EXIST"),
        "{e}"
    );
    let e = r
        .resolve(&format!("models:/{name}/99"), &mut |_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("RESOURCE_DOES_NOT_EXIST"), "{e}");
    std::fs::remove_dir_all(&cache).unwrap();
}

#[test]
#[ignore = "needs a running mlflow server; run scripts/registry_test.sh"]
fn a_failed_upload_marks_the_logged_model_failed() {
    let c = client();
    // A model directory whose model.onnx vanishes once the logged model exists: the upload
    // fails part-way, after MLflow created the logged model.
    let dir = scratch("broken");
    for f in ["MLmodel", "model.onnx"] {
        std::fs::copy(house_price().join(f), dir.join(f)).unwrap();
    }
    let opts = LogOptions {
        name: Some("broken".into()),
        register_as: Some(unique("broken")),
        ..LogOptions::default()
    };
    let mut removed = false;
    let err = log_model(&c, &dir, &opts, &mut |line| {
        if line.starts_with("logged model ") && !removed {
            // The logged model exists now; its first file disappears before upload.
            std::fs::remove_file(dir.join("model.onnx")).unwrap();
            removed = true;
        }
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("uploading logged model m-"), "{err}");
    assert!(
        err.contains("failed, it is marked LOGGED_MODEL_UPLOAD_FAILED"),
        "{err}"
    );
    let id = err.split_whitespace().nth(3).unwrap();
    let lm = c.get_logged_model(id).unwrap();
    assert_eq!(lm.status, "LOGGED_MODEL_UPLOAD_FAILED");
    // Nothing registered.
    let e = c
        .latest_version(opts.register_as.as_deref().unwrap())
        .unwrap_err();
    assert!(
        e.to_string().contains("RESOURCE_DOES_NOT_EXIST") || e.to_string().contains("No versions"),
        "{e}"
    );
    // Resolving it says why it is refused.
    let cache = scratch("cache-failed");
    let e = Resolver::new(Some(&c), cache.clone())
        .resolve(&format!("models:/{id}"), &mut |_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("is marked LOGGED_MODEL_UPLOAD_FAILED"), "{e}");
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(d) {
        for e in rd.flatten() {
            out.push(e.path());
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            }
        }
    }
    out
}
