//! signet against real scikit-learn 1.9.1 / MLflow 3.17.2 / skops 0.16: every model
//! `tests/sklearn/make_fixtures.py` saved with `mlflow.sklearn.save_model` loads through the
//! `sklearn` flavor and predicts on its saved input example what `mlflow.pyfunc.load_model(dir)
//! .predict(example)` returned (same dtype and shape; floats within 1e-6 relative, labels
//! equal); signet's skops audit finds the untrusted types skops' `get_untrusted_types` found;
//! inputs sklearn refuses are refused with sklearn's message. [`serving`] serves every skops and
//! ONNX fixture through signet-server's router and compares `/invocations` with MLflow's
//! scoring server byte for byte, and V2 with MLflow's predictions.
//!
//! Run by `scripts/sklearn_fixtures.sh`, which generates the fixtures into a temporary
//! directory and passes it as `SIGNET_SKLEARN_FIXTURES`.

use signet::enforce::Compat;
use signet::{pyjson, ModelInput, NumpyDtype, Value};
use signet_model::{load_model, Registry};
use signet_protocol::request::parse_request;
use signet_sklearn::{SklearnFlavor, SKLEARN_FLAVOR};
use signet_skops::{untrusted_types, SkopsFile};
use signet_testkit::corpus::assert_none;
use std::path::{Path, PathBuf};

#[path = "sklearn_fixtures/serving.rs"]
mod serving;

const TOLERANCE: f64 = 1e-6;

/// Whether signet's float is MLflow's within [`TOLERANCE`] (relative; absolute below 1e-12).
fn sklearn_close(want: f64, have: f64) -> bool {
    want == have
        || (want.is_nan() && have.is_nan())
        || (want - have).abs() <= TOLERANCE * want.abs().max(1e-300)
        || (want - have).abs() < 1e-12
}

fn fixtures() -> PathBuf {
    let dir = std::env::var("SIGNET_SKLEARN_FIXTURES").expect(
        "SIGNET_SKLEARN_FIXTURES is not set: run scripts/sklearn_fixtures.sh, which generates the \
         fixtures with real scikit-learn and MLflow and runs this test",
    );
    PathBuf::from(dir)
}

/// A fixture's JSON file, read with Python's `json` rules.
fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pyjson::loads(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The case names `root/cases.json` lists (at least one).
fn case_names(root: &Path) -> Vec<String> {
    let file = root.join("cases.json");
    let Value::List(cases) = read_json(&file) else {
        panic!("{} is not a list", file.display())
    };
    assert!(!cases.is_empty(), "no fixture cases in {}", root.display());
    cases
        .iter()
        .map(|case| match case {
            Value::Str(name) => name.clone(),
            other => panic!("case name {other:?}"),
        })
        .collect()
}

/// The type names skops' `get_untrusted_types` listed.
fn type_names(v: &Value) -> Vec<String> {
    match v {
        Value::List(items) => items
            .iter()
            .map(|i| pyjson::dumps(i).trim_matches('"').to_string())
            .collect(),
        other => panic!("untrusted: {other:?}"),
    }
}

/// A list of dimensions (`shape`).
fn usizes(v: &Value) -> Vec<usize> {
    match v {
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::Int(n) => *n as usize,
                other => panic!("not a dimension: {other:?}"),
            })
            .collect(),
        other => panic!("not a shape: {other:?}"),
    }
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
    let shape = usizes(member(expected, "shape"));
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
            (Value::Float(w), Value::Float(h)) => sklearn_close(*w, *h),
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
    let cases = case_names(&root);
    let mut registry = Registry::new();
    registry.register_flavor(SKLEARN_FLAVOR, SklearnFlavor);
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in &cases {
        let dir = root.join(name);
        let expected = read_json(&dir.join("expected.json"));

        // The audit agrees with skops' get_untrusted_types.
        let file = SkopsFile::open(&dir.join("model.skops"), &[]);
        let want_untrusted = type_names(member(&expected, "untrusted"));
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
            let r = read_json(&refusals);
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
    assert_none(
        &format!("differences over {} cases", cases.len()),
        &failures,
    );
    eprintln!("{checked} sklearn fixture models predict as MLflow does");
}

#[test]
#[ignore = "needs fixtures from real scikit-learn, LightGBM and skops; run scripts/sklearn_fixtures.sh"]
fn skops_reader_reads_the_lightgbm_sklearn_wrapper() {
    let dir = fixtures().join("readers");
    let expected = read_json(&dir.join("lgbm_classifier.json"));
    let untrusted = type_names(member(&expected, "untrusted"));
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

/// ONNX's float32 tolerance (absolute below 1, relative above).
const ONNX_TOLERANCE: f64 = 1e-5;

fn onnx_close(want: f64, have: f64) -> bool {
    want == have
        || (want.is_nan() && have.is_nan())
        || (want - have).abs() <= ONNX_TOLERANCE * want.abs().max(1.0)
}

/// One expected cell (`onnx_fixtures.py`'s `encode`) against signet's value.
fn onnx_cell_diff(want: &Value, have: &Value) -> Option<String> {
    let have = plain(have.clone());
    let ok = match (want, &have) {
        (Value::Float(w), Value::Float(h)) => onnx_close(*w, *h),
        (Value::Int(w), Value::Float(h)) => onnx_close(*w as f64, *h),
        (Value::None, Value::Float(h)) => h.is_nan(),
        (Value::Int(w), Value::Int(h)) => w == h,
        (Value::Str(w), Value::Str(h)) => w == h,
        (Value::Bool(w), Value::Bool(h)) => w == h,
        // ZipMap's dict: [[key, probability], ...].
        (Value::List(pairs), Value::Dict(items)) => {
            pairs.len() == items.len()
                && pairs.iter().zip(items).all(|(pair, (k, p))| match pair {
                    Value::List(kp) if kp.len() == 2 => {
                        kp[0] == plain(k.clone())
                            && onnx_cell_diff(&kp[1], &plain(p.clone())).is_none()
                    }
                    _ => false,
                })
        }
        _ => false,
    };
    (!ok).then(|| {
        format!(
            "signet {} != onnxruntime {}",
            pyjson::dumps(&have),
            pyjson::dumps(want)
        )
    })
}

/// Differences between one encoded output and signet's values for it.
fn onnx_output_diffs(name: &str, want: &Value, have: &[Value]) -> Vec<String> {
    let Value::Dict(items) = want else {
        return vec![format!("{name}: bad expected encoding")];
    };
    let cells = match items.first() {
        Some((k, Value::List(cells))) if *k == Value::str("dicts") => cells,
        _ => match member(want, "data") {
            Value::List(cells) => cells,
            _ => return vec![format!("{name}: expected data is not a list")],
        },
    };
    if cells.len() != have.len() {
        return vec![format!(
            "{name}: {} values, onnxruntime gave {}",
            have.len(),
            cells.len()
        )];
    }
    cells
        .iter()
        .zip(have)
        .enumerate()
        .filter_map(|(i, (w, h))| onnx_cell_diff(w, h).map(|d| format!("{name}[{i}]: {d}")))
        .collect()
}

/// signet's prediction as (output name, its values in C order).
fn onnx_outputs(pred: &ModelInput) -> Vec<(String, Vec<Value>)> {
    match pred {
        ModelInput::Table(batch) => batch
            .schema()
            .fields()
            .iter()
            .zip(batch.columns())
            .map(|(f, c)| {
                (
                    f.name().clone(),
                    signet::table::object_values(f, c.as_ref()),
                )
            })
            .collect(),
        ModelInput::TensorDict(items) => items
            .iter()
            .map(|(k, t)| (k.clone(), (0..t.len()).map(|i| t.element(i)).collect()))
            .collect(),
        other => panic!("unexpected ONNX prediction {other:?}"),
    }
}

/// A dict input recorded by `onnx_fixtures.py` as `{name: {"dtype", "shape", "data"}}`.
fn recorded_input(input: &Value) -> ModelInput {
    use arrow_array::{ArrayRef, Float32Array, Float64Array, Int64Array};
    use signet::{Tensor, TensorData};
    use std::sync::Arc;
    let Value::Dict(items) = input else {
        panic!("input is not a dict")
    };
    let tensors = items
        .iter()
        .map(|(k, spec)| {
            let Value::Str(k) = k else {
                panic!("input name {k:?}")
            };
            let Value::Str(dtype) = member(spec, "dtype") else {
                panic!("dtype")
            };
            let shape = usizes(member(spec, "shape"));
            let Value::List(data) = member(spec, "data") else {
                panic!("data")
            };
            let float = |v: &Value| match v {
                Value::Float(f) => *f,
                Value::Int(i) => *i as f64,
                Value::None => f64::NAN,
                other => panic!("number {other:?}"),
            };
            let (dtype, data) = match dtype.as_str() {
                "float32" => (
                    NumpyDtype::Float32,
                    TensorData::Arrow(Arc::new(Float32Array::from(
                        data.iter().map(|v| float(v) as f32).collect::<Vec<_>>(),
                    )) as ArrayRef),
                ),
                "float64" => (
                    NumpyDtype::Float64,
                    TensorData::Arrow(Arc::new(Float64Array::from(
                        data.iter().map(float).collect::<Vec<_>>(),
                    )) as ArrayRef),
                ),
                "int64" => (
                    NumpyDtype::Int64,
                    TensorData::Arrow(Arc::new(Int64Array::from(
                        data.iter().map(|v| float(v) as i64).collect::<Vec<_>>(),
                    )) as ArrayRef),
                ),
                "object" => (NumpyDtype::Object, TensorData::Object(data.clone())),
                other => panic!("input dtype {other}"),
            };
            (k.clone(), Tensor { dtype, shape, data })
        })
        .collect();
    ModelInput::TensorDict(tensors)
}

/// The first difference between two JSON documents (floats `close`, object keys in order).
fn json_diff(want: &Value, have: &Value, at: &str, close: fn(f64, f64) -> bool) -> Option<String> {
    match (want, have) {
        (Value::Dict(a), Value::Dict(b)) => {
            let ka: Vec<&Value> = a.iter().map(|x| &x.0).collect();
            let kb: Vec<&Value> = b.iter().map(|x| &x.0).collect();
            if ka != kb {
                return Some(format!("{at}: keys {ka:?} != {kb:?}"));
            }
            a.iter().zip(b).find_map(|((k, x), (_, y))| {
                json_diff(x, y, &format!("{at}.{}", pyjson::dumps(k)), close)
            })
        }
        (Value::List(a), Value::List(b)) => {
            if a.len() != b.len() {
                return Some(format!("{at}: {} items != {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| json_diff(x, y, &format!("{at}[{i}]"), close))
        }
        (Value::Float(a), Value::Float(b)) if close(*a, *b) => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "{at}: MLflow {} != signet {}",
            pyjson::dumps(a),
            pyjson::dumps(b)
        )),
    }
}

/// For `sklearn`-checked cases: labels equal sklearn's `predict`, ZipMap's probabilities
/// sklearn's `predict_proba` (1e-5).
fn sklearn_agreement(sklearn: &Value, outputs: &[(String, Vec<Value>)]) -> Vec<String> {
    let mut diffs = Vec::new();
    let Value::List(labels) = member(sklearn, "predict") else {
        panic!("predict")
    };
    let Value::List(proba) = member(sklearn, "predict_proba") else {
        panic!("predict_proba")
    };
    let Value::List(classes) = member(sklearn, "classes") else {
        panic!("classes")
    };
    let (Some(ours_labels), Some(ours_probs)) = (
        outputs.iter().find(|o| o.0 == "output_label"),
        outputs.iter().find(|o| o.0 == "output_probability"),
    ) else {
        return vec!["no output_label / output_probability".into()];
    };
    for (i, want) in labels.iter().enumerate() {
        if ours_labels.1.get(i).map(|v| plain(v.clone())).as_ref() != Some(want) {
            diffs.push(format!(
                "label[{i}]: signet {:?} != sklearn {want:?}",
                ours_labels.1.get(i)
            ));
        }
    }
    for (i, row) in proba.iter().enumerate() {
        let (Value::List(row), Some(Value::Dict(ours))) = (row, ours_probs.1.get(i)) else {
            diffs.push(format!("proba[{i}]: not a dict"));
            continue;
        };
        for (c, p) in classes.iter().zip(row) {
            let have = ours
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| plain(v.clone()));
            match (p, have) {
                (Value::Float(w), Some(Value::Float(h))) if (w - h).abs() <= ONNX_TOLERANCE => {}
                (_, have) => diffs.push(format!(
                    "proba[{i}][{}]: signet {have:?} != sklearn {p:?}",
                    pyjson::dumps(c)
                )),
            }
        }
    }
    diffs
}

#[test]
#[ignore = "needs fixtures from real scikit-learn, skl2onnx and MLflow; run scripts/sklearn_fixtures.sh"]
fn onnx_exports_predict_as_mlflow_onnxruntime_does() {
    let root = fixtures().join("onnx");
    let cases = case_names(&root);
    let mut registry = Registry::new();
    registry.register_flavor(signet_onnx::ONNX_FLAVOR, signet_onnx::OnnxFlavor);
    let mut failures = Vec::new();
    for name in &cases {
        let dir = root.join(name);
        let expected = read_json(&dir.join("expected.json"));
        let model = match load_model(&dir, &registry) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: load failed: {e}"));
                continue;
            }
        };
        let input = match &expected {
            Value::Dict(items) if items.iter().any(|(k, _)| *k == Value::str("input")) => {
                recorded_input(member(&expected, "input"))
            }
            _ => {
                model
                    .input_example()
                    .unwrap()
                    .expect("an input example")
                    .data
            }
        };
        let out = match model.predict(input, None) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{name}: predict failed: {e}"));
                continue;
            }
        };
        let ours = onnx_outputs(&out);
        let pyfunc = member(&expected, "pyfunc");
        let (kind, want) = match pyfunc {
            Value::Dict(items) if items.len() == 1 => (&items[0].0, &items[0].1),
            _ => panic!("{name}: pyfunc encoding"),
        };
        let frame = matches!(out, ModelInput::Table(_));
        if (*kind == Value::str("frame")) != frame {
            failures.push(format!(
                "{name}: signet returned {} where MLflow returned a {}",
                if frame { "a frame" } else { "a dict" },
                pyjson::dumps(kind)
            ));
            continue;
        }
        let Value::Dict(want) = want else {
            panic!("{name}: outputs")
        };
        let names: Vec<Value> = ours.iter().map(|o| Value::str(&o.0)).collect();
        let want_names: Vec<Value> = want.iter().map(|o| o.0.clone()).collect();
        if names != want_names {
            failures.push(format!("{name}: outputs {names:?} != {want_names:?}"));
            continue;
        }
        for ((output, have), (_, w)) in ours.iter().zip(want) {
            for d in onnx_output_diffs(output, w, have).into_iter().take(3) {
                failures.push(format!("{name}: {d}"));
            }
        }
        // /invocations: the body MLflow writes, floats within the tolerance.
        let Value::Str(body) = member(&expected, "invocations") else {
            panic!("{name}: invocations")
        };
        let ours_body = signet_protocol::render::predictions_json(&out, false);
        let ours_json = pyjson::loads(std::str::from_utf8(&ours_body).unwrap())
            .unwrap_or_else(|e| panic!("{name}: signet's body is not JSON: {e:?}"));
        let theirs = pyjson::loads(body).unwrap();
        if let Some(d) = json_diff(&theirs, &ours_json, "predictions", onnx_close) {
            failures.push(format!("{name}: /invocations body: {d}"));
        }
        if let Value::Dict(items) = &expected {
            if let Some((_, sk)) = items.iter().find(|(k, _)| *k == Value::str("sklearn")) {
                for d in sklearn_agreement(sk, &ours) {
                    failures.push(format!("{name} vs sklearn: {d}"));
                }
            }
        }
    }
    assert_none(
        &format!("ONNX differences over {} cases", cases.len()),
        &failures,
    );
    eprintln!(
        "{} ONNX fixture models predict as MLflow's onnxruntime wrapper does",
        cases.len()
    );
}
