//! The Rust half of the ONNX interop check with real MLflow (`scripts/interop.sh`); skipped
//! unless `SIGNET_INTEROP_DIR` is set.
//!
//! 1. Every ONNX model MLflow saved into `$SIGNET_INTEROP_DIR/onnx-mlflow/<name>` (by
//!    `tests/interop/check_onnx.py write-mlflow`) loads in signet with the same signature, and
//!    its prediction on the saved input example (signature enforced, model run by tract)
//!    equals MLflow's (onnxruntime's) within 1e-5.
//! 2. signet saves each `model.onnx` again with [`save_onnx_model`] and the same example into
//!    `$SIGNET_INTEROP_DIR/onnx-signet/<name>`, inferring the signature itself: it must equal
//!    the one MLflow inferred. `expected.json` records signet's predictions for
//!    `check_onnx.py check-signet`, which runs the directory with `mlflow.pyfunc.load_model`.

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::ArrayRef;
use arrow_schema::DataType;
use signet::{pyjson, signature_to_dict, ModelInput, Tensor, TensorData, Value};
use signet_model::{load_model, InputExample, MlModel, Registry, SaveOptions};
use signet_onnx::{save_onnx_model, OnnxFlavor, OnnxSaveOptions, ONNX_FLAVOR};
use std::fs;
use std::path::Path;

const TOLERANCE: f64 = 1e-5;

fn floats(values: &ArrayRef) -> Vec<f64> {
    let cast = arrow_cast::cast(values, &DataType::Float64).expect("numeric output");
    cast.as_primitive::<Float64Type>()
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect()
}

fn array(t: &Tensor) -> Value {
    let TensorData::Arrow(values) = &t.data else {
        panic!("object tensor output");
    };
    Value::dict([
        (
            "shape",
            Value::List(t.shape.iter().map(|&d| Value::Int(d as i128)).collect()),
        ),
        (
            "data",
            Value::List(floats(values).into_iter().map(Value::Float).collect()),
        ),
    ])
}

/// A prediction in `check_onnx.py`'s `encode` form.
fn encode(pred: &ModelInput) -> Value {
    match pred {
        ModelInput::Table(batch) => {
            let columns = batch
                .schema()
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, c)| {
                    let data = floats(c).into_iter().map(Value::Float).collect();
                    (Value::str(f.name()), Value::List(data))
                })
                .collect();
            Value::dict([("frame", Value::Dict(columns))])
        }
        ModelInput::TensorDict(items) => Value::dict([(
            "dict",
            Value::Dict(
                items
                    .iter()
                    .map(|(k, t)| (Value::str(k), array(t)))
                    .collect(),
            ),
        )]),
        ModelInput::Tensor(t) => Value::dict([("array", array(t))]),
        other => panic!("unexpected prediction {other:?}"),
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// Differences between two encoded predictions.
fn close(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Dict(x), Value::Dict(y)) => {
            let keys = |d: &[(Value, Value)]| {
                let mut k: Vec<String> = d.iter().map(|(k, _)| pyjson::dumps(k)).collect();
                k.sort();
                k
            };
            if keys(x) != keys(y) {
                out.push(format!("{at}: keys {:?} != {:?}", keys(x), keys(y)));
                return;
            }
            for (k, v) in x {
                let w = &y.iter().find(|(k2, _)| k2 == k).unwrap().1;
                close(v, w, &format!("{at}.{}", pyjson::dumps(k)), out);
            }
        }
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                out.push(format!("{at}: length {} != {}", x.len(), y.len()));
                return;
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                close(v, w, &format!("{at}[{i}]"), out);
            }
        }
        _ => match (as_f64(a), as_f64(b)) {
            (Some(x), Some(y)) if (x - y).abs() <= TOLERANCE * x.abs().max(1.0) => {}
            _ => out.push(format!(
                "{at}: {} != {}",
                pyjson::dumps(a),
                pyjson::dumps(b)
            )),
        },
    }
}

/// `expected.json`'s member `key`.
fn member<'a>(expected: &'a Value, key: &str) -> &'a Value {
    expected
        .get(key)
        .unwrap_or_else(|| panic!("no {key:?} in expected.json"))
}

fn signature_value(sig: Option<&signet::ModelSignature>) -> Value {
    let part = |s: Option<String>| s.map_or(Value::None, Value::Str);
    match sig.map(signature_to_dict) {
        Some(d) => Value::dict([
            ("inputs", part(d.inputs)),
            ("outputs", part(d.outputs)),
            ("params", part(d.params)),
        ]),
        None => Value::None,
    }
}

/// Checks one MLflow-written model and saves it again with signet; returns the failures.
fn check_model(root: &Path, name: &str, registry: &Registry) -> Vec<String> {
    let dir = root.join("onnx-mlflow").join(name);
    let mut fails = Vec::new();
    let expected = pyjson::loads(&fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let model = match load_model(&dir, registry) {
        Ok(m) => m,
        Err(e) => return vec![format!("onnx-mlflow/{name}: load_model failed: {e}")],
    };
    let mlflow_signature = member(&expected, "signature");
    if signature_value(model.signature()) != *mlflow_signature {
        fails.push(format!("onnx-mlflow/{name}: signature differs"));
    }
    let example = model
        .input_example()
        .expect("readable example")
        .expect("an example");
    let prediction = match model.predict(example.data.clone(), None) {
        Ok(p) => encode(&p),
        Err(e) => return vec![format!("onnx-mlflow/{name}: predict failed: {e}")],
    };
    let mut diffs = Vec::new();
    close(
        member(&expected, "predictions"),
        &prediction,
        "predictions",
        &mut diffs,
    );
    fails.extend(diffs.iter().map(|d| format!("onnx-mlflow/{name}: {d}")));

    // signet → MLflow: the same model.onnx and example, saved by signet.
    let out = root.join("onnx-signet").join(name);
    let _ = fs::remove_dir_all(&out);
    let onnx = fs::read(dir.join("model.onnx")).unwrap();
    let options = OnnxSaveOptions {
        model: SaveOptions {
            signature: None,
            input_example: Some(InputExample::new(example.data)),
            metadata: None,
        },
        ..OnnxSaveOptions::default()
    };
    let saved = match save_onnx_model(&out, &onnx, options) {
        Ok(s) => s,
        Err(e) => {
            fails.push(format!("onnx-signet/{name}: save failed: {e}"));
            return fails;
        }
    };
    let signet_signature = signature_value(saved.mlmodel.signature.as_ref());
    if signet_signature != *mlflow_signature {
        fails.push(format!(
            "onnx-signet/{name}: signet inferred {} but MLflow inferred {}",
            pyjson::dumps(&signet_signature),
            pyjson::dumps(mlflow_signature)
        ));
    }
    // Same files in, same bytes out: `model.onnx` and the example files MLflow counts.
    let size = |d: &Path| MlModel::load(d).map(|(m, _)| m.model_size_bytes);
    if size(&dir).ok() != size(&out).ok() {
        fails.push(format!(
            "onnx-signet/{name}: model_size_bytes {:?} but MLflow wrote {:?}",
            size(&out).ok(),
            size(&dir).ok()
        ));
    }
    let reloaded = load_model(&out, registry).expect("signet reads its own model");
    let example = reloaded.input_example().unwrap().expect("saved example");
    let prediction = encode(&reloaded.predict(example.data, None).expect("prediction"));
    let facts = Value::dict([("signature", signet_signature), ("predictions", prediction)]);
    fs::write(out.join("expected.json"), pyjson::dumps_indent(&facts, 1)).unwrap();
    fails
}

#[test]
#[ignore = "needs the models of scripts/interop.sh (SIGNET_INTEROP_DIR); the script runs it"]
fn onnx_interop_with_mlflow() {
    let root = signet_testkit::corpus::interop_dir();
    let root = root.as_path();
    let mut registry = Registry::new();
    registry.register_flavor(ONNX_FLAVOR, OnnxFlavor);
    let mut names: Vec<String> = fs::read_dir(root.join("onnx-mlflow"))
        .expect("check_onnx.py write-mlflow ran")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "expected the MLflow-written ONNX models");
    let mut fails = Vec::new();
    for name in &names {
        let f = check_model(root, name, &registry);
        if f.is_empty() {
            eprintln!("onnx-mlflow/{name}: same signature and predictions; saved again by signet");
        }
        fails.extend(f);
    }
    signet_testkit::corpus::assert_none("ONNX interop failures", &fails);
}
