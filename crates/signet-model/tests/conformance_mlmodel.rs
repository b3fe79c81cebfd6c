//! Replays every `mlmodel` case of the conformance corpus (`SIGNET_CONFORMANCE_DIR`, default
//! `../shared/conformance` relative to the workspace root) through signet-model's reader and,
//! for the `mlmodel/saved/...` cases, through its writer.
//!
//! Reader: the case's MLmodel text (and its example files) is put in a directory and loaded
//! with [`MlModel::load`]: the signature (`to_dict()` form), the flavor names in file order,
//! `saved_input_example_info` and MLflow's error message must match `expect` exactly. A loaded
//! MLflow-written file must be written back byte for byte except for its `model_uuid` (the
//! corpus replaced it by 32 zeros, which YAML 1.1 — PyYAML as well as signet — reads as the
//! integer 0), and its input example must load and re-render to the same `input_example.json`.
//!
//! Writer: the case's `save_args` (signature, example, example params) are saved with
//! [`save_model`] for an echo model (the corpus' model returns its input). The example files
//! must be byte-identical to MLflow's, and the MLmodel text identical after this
//! normalisation, applied to both texts:
//! * `model_uuid` and `utc_time_created` lines: replaced by a placeholder (random / clock);
//! * the `flavors:` block: replaced by a placeholder — MLflow's holds the cloudpickled
//!   `PythonModel`'s `python_function` section (`cloudpickle_version`, `python_version`,
//!   `python_model`, `env`, ...), signet's its own `python_function` and `signet` sections,
//!   which are checked separately;
//! * `model_size_bytes`: replaced by a placeholder after checking that both count the same
//!   example bytes: MLflow's value minus its 142-byte `python_model.pkl` equals signet's value
//!   minus its state file.

use signet::elem::{from_elem, model_input_from_value};
use signet::{signature_to_dict, SignatureDict, Value};
use signet_model::example::{load_input_example, SavedExample};
use signet_model::model::STATE_FILE;
use signet_model::{save_model, InputExample, MlModel, Yaml};
use signet_testkit::corpus::{cases, Tally};
use std::fs;
use std::path::{Path, PathBuf};

/// Size of the cloudpickled echo model in the corpus (`model_size_bytes` of the cases saved
/// without an example).
const MLFLOW_PICKLE_SIZE: i128 = 142;
use signet_testkit::echo::EchoModel as Echo;
use signet_testkit::messages::canonical_json as canonical;

fn opt_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn sig_dict(v: &Value) -> Option<SignatureDict> {
    match v {
        Value::Dict(_) => Some(SignatureDict {
            inputs: opt_str(v.get("inputs")),
            outputs: opt_str(v.get("outputs")),
            params: opt_str(v.get("params")),
        }),
        _ => None,
    }
}

fn scratch(id: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "signet-conf-{}-{}",
        std::process::id(),
        id.replace(['/', '+'], "_")
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn write_files(dir: &Path, expect: &Value) {
    if let Some(Value::Dict(files)) = expect.get("files") {
        for (name, text) in files {
            if let (Value::Str(name), Value::Str(text)) = (name, text) {
                fs::write(dir.join(name), text).unwrap();
            }
        }
    }
}

/// Checks the reader; returns the failures.
fn check_reader(id: &str, case: &Value) -> Vec<String> {
    let mut fails = Vec::new();
    let text = opt_str(case.get("mlmodel")).unwrap_or_default();
    let expect = case.get("expect").cloned().unwrap_or(Value::None);
    let dir = scratch(id);
    fs::write(dir.join("MLmodel"), &text).unwrap();
    write_files(&dir, &expect);
    let loaded = MlModel::load(&dir);
    if let Some(Value::Str(err)) = expect.get("error") {
        match loaded {
            Ok(_) => fails.push(format!("{id}: loaded, expected error {err:?}")),
            Err(e) if e.to_string() != *err => {
                fails.push(format!("{id}: error {:?}, expected {err:?}", e.to_string()))
            }
            Err(_) => {}
        }
        let _ = fs::remove_dir_all(&dir);
        return fails;
    }
    let (model, mdir) = match loaded {
        Ok(m) => m,
        Err(e) => {
            fails.push(format!("{id}: load failed: {e}"));
            return fails;
        }
    };
    let got_sig = model.signature.as_ref().map(signature_to_dict);
    let want_sig = expect.get("signature").and_then(sig_dict);
    if got_sig != want_sig {
        fails.push(format!(
            "{id}: signature {got_sig:?}, expected {want_sig:?}"
        ));
    }
    let want_flavors = match expect.get("flavors") {
        Some(Value::List(f)) => f.iter().filter_map(|v| opt_str(Some(v))).collect(),
        _ => Vec::new(),
    };
    if model.flavor_names() != want_flavors {
        fails.push(format!(
            "{id}: flavors {:?}, expected {want_flavors:?}",
            model.flavor_names()
        ));
    }
    let got_info = model
        .saved_input_example_info
        .as_ref()
        .map_or(Value::None, Yaml::to_value);
    let want_info = expect
        .get("saved_input_example_info")
        .cloned()
        .unwrap_or(Value::None);
    if canonical(&got_info) != canonical(&want_info) {
        fails.push(format!(
            "{id}: saved_input_example_info {}, expected {}",
            canonical(&got_info),
            canonical(&want_info)
        ));
    }
    // The corpus normalised `model_uuid` to 32 zeros, which YAML 1.1 reads as the integer 0.
    if id.starts_with("mlmodel/saved/") && normalise(&model.to_yaml_string()) != normalise(&text) {
        fails.push(format!(
            "{id}: written back differently:\n{}",
            model.to_yaml_string()
        ));
    }
    // The example loads back and re-renders to the same file.
    if let Some(Value::Str(file)) = expect
        .get("files")
        .and_then(|f| f.get("input_example.json"))
    {
        match load_input_example(&mdir, &model) {
            Ok(Some(ex)) => {
                let params = match &ex.params {
                    Some(Value::Dict(items)) => Some(
                        items
                            .iter()
                            .map(|(k, v)| (signet::repr::py_str_of(k), v.clone()))
                            .collect(),
                    ),
                    _ => None,
                };
                let again = SavedExample::new(&InputExample {
                    data: ex.data,
                    params,
                });
                match again {
                    Ok(Some(s)) if s.input_example_json == *file => {}
                    Ok(Some(s)) => fails.push(format!(
                        "{id}: example reloaded and re-rendered as {}, file is {file}",
                        s.input_example_json
                    )),
                    other => fails.push(format!("{id}: example re-render failed: {other:?}")),
                }
            }
            other => fails.push(format!("{id}: example did not load: {other:?}")),
        }
    }
    let _ = fs::remove_dir_all(&dir);
    fails
}

/// The MLmodel text with the fields that legitimately differ replaced (see the module doc).
fn normalise(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_flavors = false;
    for line in text.lines() {
        if in_flavors {
            if line.starts_with(' ') {
                continue;
            }
            in_flavors = false;
        }
        if line.starts_with("flavors:") {
            out.push("flavors: <normalised>".to_string());
            in_flavors = true;
        } else if line.starts_with("model_uuid: ") {
            out.push("model_uuid: <normalised>".into());
        } else if line.starts_with("utc_time_created: ") {
            out.push("utc_time_created: <normalised>".into());
        } else if line.starts_with("model_size_bytes: ") {
            out.push("model_size_bytes: <normalised>".into());
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn size_of(text: &str) -> Option<i128> {
    text.lines()
        .find_map(|l| l.strip_prefix("model_size_bytes: "))
        .and_then(|s| s.trim().parse().ok())
}

/// Checks the writer; returns the failures.
fn check_writer(id: &str, case: &Value) -> Vec<String> {
    let mut fails = Vec::new();
    let args = case.get("save_args").cloned().unwrap_or(Value::None);
    let want_text = opt_str(case.get("mlmodel")).unwrap_or_default();
    let expect = case.get("expect").cloned().unwrap_or(Value::None);
    let signature = match args.get("signature").and_then(sig_dict) {
        Some(d) => signet::signature_from_dict(&d).expect("corpus signature parses"),
        None => None,
    };
    let example = match args.get("input_example") {
        Some(v @ Value::Dict(_)) => {
            let data = model_input_from_value(v).expect("corpus example converts");
            let params = match args.get("input_example_params") {
                Some(Value::Dict(items)) => Some(
                    items
                        .iter()
                        .map(|(k, v)| {
                            (
                                signet::repr::py_str_of(k),
                                from_elem(v).expect("corpus param decodes"),
                            )
                        })
                        .collect(),
                ),
                _ => None,
            };
            Some(InputExample { data, params })
        }
        _ => None,
    };
    let dir = scratch(id).join("model");
    let saved = match save_model(&dir, &Echo, signature, example) {
        Ok(s) => s,
        Err(e) => {
            fails.push(format!("{id}: save failed: {e}"));
            return fails;
        }
    };
    let got_text = fs::read_to_string(dir.join("MLmodel")).unwrap();
    if normalise(&got_text) != normalise(&want_text) {
        fails.push(format!(
            "{id}: MLmodel differs (normalised)\n--- signet\n{}\n--- mlflow\n{}\nwarnings: {:?}",
            normalise(&got_text),
            normalise(&want_text),
            saved.warnings
        ));
    }
    let flavors = saved.mlmodel.flavor_names();
    if flavors != ["python_function", "signet"]
        || saved
            .mlmodel
            .flavor("signet")
            .and_then(|f| f.get("model_type"))
            != Some(&Yaml::str("echo"))
    {
        fails.push(format!("{id}: unexpected flavors {flavors:?}"));
    }
    let state_len = fs::metadata(dir.join(STATE_FILE)).unwrap().len() as i128;
    match (size_of(&got_text), size_of(&want_text)) {
        (Some(g), Some(w)) if g - state_len == w - MLFLOW_PICKLE_SIZE => {}
        other => fails.push(format!(
            "{id}: model_size_bytes (signet, mlflow) = {other:?}, state file {state_len} bytes"
        )),
    }
    let want_files: Vec<(String, String)> = match expect.get("files") {
        Some(Value::Dict(files)) => files
            .iter()
            .filter_map(|(k, v)| Some((opt_str(Some(k))?, opt_str(Some(v))?)))
            .collect(),
        _ => Vec::new(),
    };
    for name in ["input_example.json", "serving_input_example.json"] {
        let got = fs::read_to_string(dir.join(name)).ok();
        let want = want_files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone());
        if got != want {
            fails.push(format!("{id}: {name} is {got:?}, expected {want:?}"));
        }
    }
    let _ = fs::remove_dir_all(dir.parent().unwrap());
    fails
}

#[test]
fn mlmodel_cases_through_reader_and_writer() {
    let mut tally = Tally::new("mlmodel", "");
    let (mut read, mut written) = (0, 0);
    for case in cases("mlmodel") {
        let mut fails = check_reader(&case.id, &case.value);
        read += 1;
        if case.id.starts_with("mlmodel/saved/") {
            fails.extend(check_writer(&case.id, &case.value));
            written += 1;
        }
        let outcome = if fails.is_empty() {
            Ok(())
        } else {
            Err(fails.join("\n\n"))
        };
        tally.record(&case, outcome);
    }
    println!("mlmodel cases: {read} read, {written} written");
    assert!(written > 0, "no mlmodel/saved/... case to write");
    tally.finish();
}
