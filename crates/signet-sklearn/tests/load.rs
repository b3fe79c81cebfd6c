//! The `sklearn` flavor on small model directories built here: a hand-made skops pipeline
//! predicts the numbers computed by hand; pickled models and estimators signet does not
//! implement are refused at load time with messages that say what to do.

use serde_json::{json, Value};
use signet::{ModelInput, Tensor, TensorData};
use signet_model::{load_model, Registry};
use signet_sklearn::{SklearnFlavor, SKLEARN_FLAVOR};
use signet_testkit::skops;
use std::path::PathBuf;
use std::sync::Arc;

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register_flavor(SKLEARN_FLAVOR, SklearnFlavor);
    r
}

fn model_dir(name: &str, format: &str, predict_fn: &str, skops: Option<Vec<u8>>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("signet-sklearn-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = if format == "skops" {
        "model.skops"
    } else {
        "model.pkl"
    };
    let mlmodel = format!(
        "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    model_path: {file}\n    predict_fn: {predict_fn}\n    python_version: 3.11.7\n  sklearn:\n    code: null\n    pickled_model: {file}\n    serialization_format: {format}\n    sklearn_version: 1.9.1\n    skops_trusted_types: null\nmlflow_version: 3.17.2\n"
    );
    std::fs::write(dir.join("MLmodel"), mlmodel).unwrap();
    std::fs::write(
        dir.join(file),
        skops.unwrap_or_else(|| b"\x80\x04pickle".to_vec()),
    )
    .unwrap();
    dir
}

fn zip_of(schema: &Value, members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    skops::archive(
        &schema.to_string(),
        members,
        skops::CompressionMethod::Stored,
    )
}

fn npy_f64(shape: &str, v: &[f64]) -> Vec<u8> {
    skops::npy("'<f8'", false, shape, &skops::f64_bytes(v))
}

fn js(content: &str) -> Value {
    json!({"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode", "content": content, "is_json": true})
}

fn array(file: &str) -> Value {
    json!({"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode", "type": "numpy", "file": file})
}

fn dict(entries: Vec<(&str, Value)>) -> Value {
    let content: serde_json::Map<String, Value> = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    json!({"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode", "content": content,
           "key_types": {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode", "content": []}})
}

fn object(class: &str, module: &str, attrs: Vec<(&str, Value)>) -> Value {
    json!({"__class__": class, "__module__": module, "__loader__": "ObjectNode", "content": dict(attrs)})
}

fn tuple(items: Vec<Value>) -> Value {
    json!({"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode", "content": items})
}

fn with_protocol(mut v: Value) -> Value {
    v["protocol"] = json!(2);
    v
}

fn tensor(rows: usize, cols: usize, v: Vec<f64>) -> ModelInput {
    ModelInput::Tensor(Tensor {
        dtype: signet::NumpyDtype::Float64,
        shape: vec![rows, cols],
        data: TensorData::Arrow(Arc::new(arrow_array::Float64Array::from(v))),
    })
}

#[test]
fn a_hand_made_pipeline_predicts_what_sklearn_computes() {
    // StandardScaler(mean=[1, 2], scale=[2, 4]) then LinearRegression(coef=[3, -1], intercept=0.5).
    let scaler = object(
        "StandardScaler",
        "sklearn.preprocessing._data",
        vec![
            ("n_features_in_", js("2")),
            ("with_mean", js("true")),
            ("with_std", js("true")),
            ("mean_", array("m.npy")),
            ("scale_", array("s.npy")),
        ],
    );
    let reg = object(
        "LinearRegression",
        "sklearn.linear_model._base",
        vec![
            ("n_features_in_", js("2")),
            ("coef_", array("c.npy")),
            ("intercept_", js("0.5")),
        ],
    );
    let steps = json!({"__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
                       "content": [tuple(vec![js("\"scale\""), scaler]), tuple(vec![js("\"reg\""), reg])]});
    let schema = with_protocol(object(
        "Pipeline",
        "sklearn.pipeline",
        vec![("steps", steps)],
    ));
    let members = vec![
        ("m.npy", npy_f64("(2,)", &[1.0, 2.0])),
        ("s.npy", npy_f64("(2,)", &[2.0, 4.0])),
        ("c.npy", npy_f64("(2,)", &[3.0, -1.0])),
    ];
    let dir = model_dir(
        "pipeline",
        "skops",
        "predict",
        Some(zip_of(&schema, &members)),
    );
    let model = load_model(&dir, &registry()).unwrap();
    let out = model
        .predict(tensor(2, 2, vec![3.0, 6.0, 1.0, 2.0]), None)
        .unwrap();
    // Row 1: ((3-1)/2, (6-2)/4) = (1, 1) -> 3 - 1 + 0.5 = 2.5; row 2: (0, 0) -> 0.5.
    let ModelInput::Tensor(t) = out else {
        panic!("{out:?}")
    };
    assert_eq!(t.shape, vec![2]);
    assert_eq!(
        t.to_list(),
        signet::Value::List(vec![signet::Value::Float(2.5), signet::Value::Float(0.5)])
    );
    // A row of the wrong width is refused with sklearn's message.
    let e = model
        .predict(tensor(1, 3, vec![1.0, 2.0, 3.0]), None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "X has 3 features, but StandardScaler is expecting 2 features as input."
    );
    // predict_proba does not exist on a regressor: refused at load time.
    let dir = model_dir(
        "proba",
        "skops",
        "predict_proba",
        Some(zip_of(&schema, &members)),
    );
    let e = load_model(&dir, &registry()).unwrap_err().to_string();
    assert!(
        e.ends_with(
            "'Pipeline' object has no attribute 'predict_proba' (the model's pyfunc predict_fn)"
        ),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pickled_models_are_refused_with_how_to_relog() {
    for format in ["cloudpickle", "pickle"] {
        let dir = model_dir(format, format, "predict", None);
        let e = load_model(&dir, &registry()).unwrap_err().to_string();
        assert!(e.starts_with(&format!("This sklearn model is saved with serialization_format '{format}'. signet never unpickles models")), "{e}");
        assert!(e.contains("serialization_format=\"skops\""), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn unimplemented_estimators_are_refused_at_load_time() {
    let schema = with_protocol(object(
        "KMeans",
        "sklearn.cluster._kmeans",
        vec![("n_clusters", js("3"))],
    ));
    let dir = model_dir("kmeans", "skops", "predict", Some(zip_of(&schema, &[])));
    let e = load_model(&dir, &registry()).unwrap_err().to_string();
    assert!(e.contains("at <root>: signet does not implement KMeans (sklearn.cluster._kmeans.KMeans); supported estimators: "), "{e}");
    assert!(
        e.contains("ColumnTransformer") && e.contains("StandardScaler") && e.contains("SVC"),
        "{e}"
    );
    // Untrusted types are refused before anything is built, naming the type and node.
    let schema = with_protocol(object(
        "Pipeline",
        "sklearn.pipeline",
        vec![("memory", object("Popen", "subprocess", vec![]))],
    ));
    let dir = model_dir("evil", "skops", "predict", Some(zip_of(&schema, &[])));
    let e = load_model(&dir, &registry()).unwrap_err().to_string();
    assert!(
        e.contains("untrusted types: subprocess.Popen (at memory)"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
