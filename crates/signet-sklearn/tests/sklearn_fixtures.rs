//! signet against real scikit-learn 1.9.1 / MLflow 3.17.2 / skops 0.16: every model
//! `tests/sklearn/make_fixtures.py` saved with `mlflow.sklearn.save_model` loads through the
//! `sklearn` flavor and predicts on its saved input example what `mlflow.pyfunc.load_model(dir)
//! .predict(example)` returned (same dtype and shape; floats within 1e-6 relative, labels
//! equal); signet's skops audit finds the untrusted types skops' `get_untrusted_types` found;
//! inputs sklearn refuses are refused with sklearn's message.
//!
//! Run by `scripts/sklearn_fixtures.sh`, which generates the fixtures into a temporary
//! directory and passes it as `SIGNET_SKLEARN_FIXTURES`.

use signet::enforce::Compat;
use signet::{pyjson, ModelInput, NumpyDtype, Value};
use signet_model::{load_model, Registry};
use signet_protocol::request::parse_request;
use signet_sklearn::{SklearnFlavor, SKLEARN_FLAVOR};
use signet_skops::{untrusted_types, SkopsFile};
use std::path::PathBuf;

const TOLERANCE: f64 = 1e-6;

fn fixtures() -> PathBuf {
    let dir = std::env::var("SIGNET_SKLEARN_FIXTURES").expect(
        "SIGNET_SKLEARN_FIXTURES is not set: run scripts/sklearn_fixtures.sh, which generates the \
         fixtures with real scikit-learn and MLflow and runs this test",
    );
    PathBuf::from(dir)
}

fn member<'a>(v: &'a Value, key: &str) -> &'a Value {
    match v {
        Value::Dict(items) => items
            .iter()
            .find(|(k, _)| *k == Value::str(key))
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no {key:?} in {}", pyjson::dumps(v))),
        _ => panic!("not an object: {}", pyjson::dumps(v)),
    }
}

fn numpy_dtype_name(d: &NumpyDtype) -> &'static str {
    match d {
        NumpyDtype::Float64 => "float64",
        NumpyDtype::Float32 => "float32",
        NumpyDtype::Int64 => "int64",
        NumpyDtype::Int32 => "int32",
        NumpyDtype::Bool => "bool",
        NumpyDtype::Object => "object",
        NumpyDtype::Str => "str",
        _ => "other",
    }
}

fn plain(v: Value) -> Value {
    match v {
        Value::Numpy(_, inner) => *inner,
        other => other,
    }
}

/// Differences between signet's prediction and MLflow's encoded one.
fn compare(expected: &Value, got: &ModelInput) -> Vec<String> {
    let ModelInput::Tensor(t) = got else {
        return vec![format!("expected a numpy array, got {got:?}")];
    };
    let mut diffs = Vec::new();
    let dtype = match member(expected, "dtype") {
        Value::Str(s) => s.clone(),
        other => panic!("dtype {other:?}"),
    };
    let ours = numpy_dtype_name(&t.dtype);
    let same_dtype = dtype == ours || (ours == "str" && dtype.starts_with("<U"));
    if !same_dtype {
        diffs.push(format!("dtype {ours} != MLflow's {dtype}"));
    }
    let shape: Vec<usize> = match member(expected, "shape") {
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::Int(n) => *n as usize,
                other => panic!("shape {other:?}"),
            })
            .collect(),
        other => panic!("shape {other:?}"),
    };
    if shape != t.shape {
        diffs.push(format!("shape {:?} != MLflow's {shape:?}", t.shape));
        return diffs;
    }
    let Value::List(data) = member(expected, "data") else {
        panic!("data is not a list");
    };
    for (i, want) in data.iter().enumerate() {
        let have = plain(t.element(i));
        let ok = match (want, &have) {
            (Value::Float(w), Value::Float(h)) => {
                (w - h).abs() <= TOLERANCE * w.abs().max(1e-300) || (w - h).abs() < 1e-12
            }
            (Value::None, Value::Float(h)) => h.is_nan(),
            (Value::Int(w), Value::Int(h)) => w == h,
            (Value::Int(w), Value::Float(h)) => (*w as f64 - h).abs() < 1e-12,
            (Value::Str(w), Value::Str(h)) => w == h,
            (Value::Bool(w), Value::Bool(h)) => w == h,
            _ => false,
        };
        if !ok {
            diffs.push(format!(
                "[{i}]: signet {} != MLflow {}",
                pyjson::dumps(&have),
                pyjson::dumps(want)
            ));
        }
    }
    diffs
}

#[test]
#[ignore = "needs fixtures from real scikit-learn and MLflow; run scripts/sklearn_fixtures.sh"]
fn sklearn_models_predict_as_mlflow_does() {
    let root = fixtures();
    let cases =
        pyjson::loads(&std::fs::read_to_string(root.join("cases.json")).expect("cases.json"))
            .expect("cases.json is JSON");
    let Value::List(cases) = cases else {
        panic!("cases.json is not a list")
    };
    assert!(!cases.is_empty(), "no fixture cases in {}", root.display());
    let mut registry = Registry::new();
    registry.register_flavor(SKLEARN_FLAVOR, SklearnFlavor);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        let Value::Str(name) = case else {
            panic!("case name {case:?}")
        };
        let dir = root.join(name);
        let expected =
            pyjson::loads(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();

        // The audit agrees with skops' get_untrusted_types.
        let file = SkopsFile::open(&dir.join("model.skops"), &[]);
        let want_untrusted: Vec<String> = match member(&expected, "untrusted") {
            Value::List(items) => items
                .iter()
                .map(|i| pyjson::dumps(i).trim_matches('"').to_string())
                .collect(),
            _ => panic!("untrusted"),
        };
        match (file, want_untrusted.is_empty()) {
            (Ok(_), true) => {}
            (Ok(_), false) => failures.push(format!("{name}: signet trusted {want_untrusted:?}")),
            (Err(e), true) => failures.push(format!("{name}: refused a file skops trusts: {e}")),
            (Err(e), false) => {
                for t in &want_untrusted {
                    if !e.message.contains(t.as_str()) {
                        failures.push(format!("{name}: the refusal does not name {t}: {e}"));
                    }
                }
            }
        }
        let trusted = SkopsFile::open(&dir.join("model.skops"), &want_untrusted)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours: Vec<String> = untrusted_types(&trusted.root, &[]).into_keys().collect();
        if ours != want_untrusted {
            failures.push(format!(
                "{name}: untrusted {ours:?} != skops' {want_untrusted:?}"
            ));
        }

        // pyfunc: load_model + the saved example, as MLflow did.
        let model = match load_model(&dir, &registry) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: load failed: {e}"));
                continue;
            }
        };
        let example = model
            .input_example()
            .unwrap()
            .expect("an input example")
            .data;
        match model.predict(example, None) {
            Ok(out) => {
                for d in compare(member(&expected, "pyfunc"), &out) {
                    failures.push(format!("{name}: {d}"));
                }
            }
            Err(e) => failures.push(format!("{name}: predict failed: {e}")),
        }

        // Inputs sklearn refuses.
        let refusals = dir.join("refusals.json");
        if refusals.exists() {
            let r = pyjson::loads(&std::fs::read_to_string(&refusals).unwrap()).unwrap();
            let body = pyjson::dumps(member(&r, "request"));
            let parsed = parse_request(
                Some("application/json"),
                body.as_bytes(),
                model.signature(),
                Compat::Mlflow,
            )
            .unwrap_or_else(|e| panic!("{name}: request refused: {e:?}"));
            let Value::Str(message) = member(&r, "message") else {
                panic!("message")
            };
            match model.predict(parsed.input, None) {
                Ok(out) => failures.push(format!(
                    "{name}: accepted an input sklearn refuses: {out:?}"
                )),
                Err(e) if e.to_string().contains(message.as_str()) => {}
                Err(e) => failures.push(format!(
                    "{name}: refused with {e:?}, sklearn says {message:?}"
                )),
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{checked} sklearn fixture models predict as MLflow does");
}

#[test]
#[ignore = "needs fixtures from real scikit-learn, LightGBM and skops; run scripts/sklearn_fixtures.sh"]
fn skops_reader_reads_the_lightgbm_sklearn_wrapper() {
    let dir = fixtures().join("readers");
    let expected = pyjson::loads(
        &std::fs::read_to_string(dir.join("lgbm_classifier.json")).expect("lgbm_classifier.json"),
    )
    .unwrap();
    let untrusted: Vec<String> = match member(&expected, "untrusted") {
        Value::List(items) => items
            .iter()
            .map(|i| pyjson::dumps(i).trim_matches('"').to_string())
            .collect(),
        _ => panic!("untrusted"),
    };
    let path = dir.join("lgbm_classifier.skops");
    let e = SkopsFile::open(&path, &[]).unwrap_err();
    for t in &untrusted {
        assert!(e.message.contains(t.as_str()), "{e} does not name {t}");
    }
    let file = SkopsFile::open(&path, &untrusted).unwrap();
    let ours: Vec<String> = untrusted_types(&file.root, &[]).into_keys().collect();
    assert_eq!(ours, untrusted);
    let handle = file
        .root
        .lookup("_Booster/_handle")
        .expect("_Booster._handle")
        .str()
        .unwrap();
    let Value::Str(booster) = member(&expected, "booster") else {
        panic!("booster")
    };
    assert_eq!(handle, booster.as_str());
    let classes =
        signet_sklearn::Classes::from_node(file.root.lookup("_le/classes_").expect("_le.classes_"))
            .unwrap();
    let Value::List(want) = member(&expected, "classes") else {
        panic!("classes")
    };
    let want: Vec<String> = want
        .iter()
        .map(|v| pyjson::dumps(v).trim_matches('"').to_string())
        .collect();
    assert_eq!(classes, signet_sklearn::Classes::Str(want, true));
}
