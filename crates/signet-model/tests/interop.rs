//! The Rust half of the MLflow interop check (`scripts/interop.sh`); skipped unless
//! `SIGNET_INTEROP_DIR` is set.
//!
//! 1. Every model MLflow saved into `$SIGNET_INTEROP_DIR/mlflow/<name>` (by
//!    `tests/interop/check_mlflow.py write-mlflow`) must read in signet exactly as MLflow reads
//!    it (its `expected.json`): signature, flavors, `saved_input_example_info`, the loaded
//!    input example (as a corpus Value) and its params, the serving example; the MLmodel must
//!    be written back byte for byte; and running it must fail with a clear error (a pickled
//!    `PythonModel` is never executed).
//! 2. signet then saves models of every example kind into `$SIGNET_INTEROP_DIR/signet/<name>`
//!    with an `expected.json` of what signet reads back, for `check_mlflow.py check-signet` to
//!    compare with what MLflow reads.

use arrow_array::{ArrayRef, Float32Array, Float64Array, Int64Array, RecordBatch, StringArray};
use signet::elem::{from_elem, model_input_to_value, to_elem};
use signet::json_form::signature_to_value;
use signet::{
    pyjson, signature_to_dict, ColSpec, DataType, ModelInput, ModelSignature, NumpyDtype,
    ParamSchema, ParamShape, ParamSpec, ParamType, Schema, Tensor, TensorData, Value,
};
use signet_model::example::{load_input_example, load_serving_example};
use signet_model::{load_model, save_model, InputExample, MlModel, ModelError, Registry, Yaml};
use std::fs;
use std::path::Path;
use std::sync::Arc;

use signet_testkit::echo::EchoModel as Echo;
use signet_testkit::messages::canonical_json as canonical;

/// What signet reads from a model directory, in `expected.json` form.
fn facts(dir: &Path) -> Result<Value, ModelError> {
    let (m, dir) = MlModel::load(dir)?;
    let example = load_input_example(&dir, &m)?;
    let (ex, params) = match &example {
        Some(e) => (
            model_input_to_value(&e.data),
            e.params.as_ref().map_or(Value::None, to_elem),
        ),
        None => (Value::None, Value::None),
    };
    Ok(Value::dict([
        ("signature", m.signature_value()),
        (
            "flavors",
            Value::List(m.flavor_names().into_iter().map(Value::str).collect()),
        ),
        (
            "saved_input_example_info",
            m.saved_input_example_info
                .as_ref()
                .map_or(Value::None, Yaml::to_value),
        ),
        ("example", ex),
        ("example_params", params),
        (
            "serving",
            load_serving_example(&dir, &m)?.map_or(Value::None, Value::Str),
        ),
    ]))
}

fn check_mlflow_models(root: &Path) -> Vec<String> {
    let mut fails = Vec::new();
    let Ok(entries) = fs::read_dir(root.join("mlflow")) else {
        return vec![format!("no {}/mlflow", root.display())];
    };
    let mut names: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for dir in names {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected = pyjson::loads(&fs::read_to_string(dir.join("expected.json")).unwrap())
            .expect("expected.json is JSON");
        let got = match facts(&dir) {
            Ok(g) => g,
            Err(e) => {
                fails.push(format!("{name}: {e}"));
                continue;
            }
        };
        for key in [
            "signature",
            "flavors",
            "saved_input_example_info",
            "example",
            "example_params",
            "serving",
        ] {
            let want = expected.get(key).cloned().unwrap_or(Value::None);
            let have = got.get(key).cloned().unwrap_or(Value::None);
            // `example` values are compared as corpus Values (elements decoded).
            let (want, have) = if key == "example_params" {
                (
                    from_elem(&want).unwrap_or(Value::None),
                    from_elem(&have).unwrap_or(Value::None),
                )
            } else {
                (want, have)
            };
            if canonical(&want) != canonical(&have) {
                fails.push(format!(
                    "{name}: {key}\n    mlflow {}\n    signet {}",
                    canonical(&want),
                    canonical(&have)
                ));
            }
        }
        let text = fs::read_to_string(dir.join("MLmodel")).unwrap();
        let (m, _) = MlModel::load(&dir).unwrap();
        if m.to_yaml_string() != text {
            fails.push(format!("{name}: MLmodel not written back byte for byte"));
        }
        match load_model(&dir, &Registry::new()) {
            Err(ModelError::UnsupportedFlavor(_)) => {}
            other => fails.push(format!("{name}: load_model gave {other:?}")),
        }
        eprintln!("checked mlflow/{name}");
    }
    fails
}

fn ints(v: &[i64]) -> ArrayRef {
    Arc::new(Int64Array::from(v.to_vec()))
}

fn table(cols: Vec<(&str, ArrayRef)>) -> ModelInput {
    ModelInput::Table(RecordBatch::try_from_iter(cols).unwrap())
}

fn signet_models() -> Vec<(&'static str, Option<ModelSignature>, Option<InputExample>)> {
    let house = table(vec![
        ("sqft", ints(&[1500, 2000])),
        ("bedrooms", ints(&[3, 4])),
    ]);
    let house_sig = ModelSignature::new(
        Some(
            Schema::columns(vec![
                ColSpec::new("sqft", DataType::Long, true),
                ColSpec::new("bedrooms", DataType::Long, true),
            ])
            .unwrap(),
        ),
        Some(Schema::columns(vec![ColSpec::new("price", DataType::Double, true)]).unwrap()),
        Some(
            ParamSchema::new(vec![ParamSpec::new(
                "threshold",
                ParamType::Scalar(DataType::Double),
                Value::Float(0.5),
                ParamShape::Scalar,
            )
            .unwrap()])
            .unwrap(),
        ),
    )
    .unwrap();
    let f32s = Tensor {
        dtype: NumpyDtype::Float32,
        shape: vec![2, 3],
        data: TensorData::Arrow(Arc::new(Float32Array::from(vec![
            0.0, 0.25, 0.5, 0.75, 1.0, 1.25,
        ]))),
    };
    let f64s = Tensor {
        dtype: NumpyDtype::Float64,
        shape: vec![2],
        data: TensorData::Arrow(Arc::new(Float64Array::from(vec![1.5, f64::NAN]))),
    };
    let chat = Value::dict([(
        "messages",
        Value::List(vec![Value::dict([
            ("role", Value::str("user")),
            ("content", Value::str("hi")),
        ])]),
    )]);
    let optional = table(vec![
        ("a", ints(&[1, 2])),
        (
            "b",
            Arc::new(StringArray::from(vec![Some("x"), None])) as ArrayRef,
        ),
    ]);
    vec![
        (
            "house-df-signature",
            Some(house_sig.clone()),
            Some(InputExample::new(house.clone())),
        ),
        (
            "house-df-params-inferred",
            None,
            Some(InputExample::with_params(
                house,
                vec![
                    ("k".into(), Value::Int(5)),
                    ("name".into(), Value::str("x")),
                ],
            )),
        ),
        (
            "ndarray-float32",
            None,
            Some(InputExample::new(ModelInput::Tensor(f32s.clone()))),
        ),
        (
            "ndarray-nan",
            None,
            Some(InputExample::new(ModelInput::Tensor(f64s))),
        ),
        (
            "tensor-dict",
            None,
            Some(InputExample::new(ModelInput::TensorDict(vec![(
                "x".into(),
                f32s,
            )]))),
        ),
        (
            "chat-params",
            None,
            Some(InputExample::with_params(
                ModelInput::Value(chat),
                vec![("max_tokens".into(), Value::Int(10))],
            )),
        ),
        (
            "list-of-str",
            None,
            Some(InputExample::new(ModelInput::Value(Value::List(vec![
                Value::str("a"),
                Value::str("b"),
            ])))),
        ),
        (
            "scalar-str",
            None,
            Some(InputExample::new(ModelInput::Value(Value::str("hello")))),
        ),
        ("df-optional", None, Some(InputExample::new(optional))),
        ("signature-no-example", Some(house_sig), None),
    ]
}

fn write_signet_models(root: &Path) -> Vec<String> {
    let mut fails = Vec::new();
    let base = root.join("signet");
    let _ = fs::remove_dir_all(&base);
    for (name, sig, example) in signet_models() {
        let dir = base.join(name);
        if let Err(e) = save_model(&dir, &Echo, sig, example) {
            fails.push(format!("signet/{name}: save failed: {e}"));
            continue;
        }
        match facts(&dir) {
            Ok(f) => fs::write(dir.join("expected.json"), pyjson::dumps_indent(&f, 1)).unwrap(),
            Err(e) => fails.push(format!("signet/{name}: reading back failed: {e}")),
        }
        let mut reg = Registry::new();
        reg.register::<Echo>("echo");
        if let Err(e) = load_model(&dir, &reg) {
            fails.push(format!("signet/{name}: load_model failed: {e}"));
        }
        eprintln!("saved signet/{name}");
    }
    let _ = signature_to_value;
    let _ = signature_to_dict;
    fails
}

#[test]
#[ignore = "needs the models of scripts/interop.sh (SIGNET_INTEROP_DIR); the script runs it"]
fn interop_with_mlflow() {
    let root = signet_testkit::corpus::interop_dir();
    let root = root.as_path();
    let mut fails = check_mlflow_models(root);
    fails.extend(write_signet_models(root));
    assert!(
        fails.is_empty(),
        "{} failure(s):\n{}",
        fails.len(),
        fails.join("\n")
    );
}
