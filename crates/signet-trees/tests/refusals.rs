//! Model directories signet must refuse through the flavors: pickled and skops LightGBM
//! scikit-learn models, XGBoost's legacy binary format; and a hand-made LightGBM Booster
//! directory that runs through `load_model` with MLflow's output dtype and shape.

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use signet::{ModelInput, TensorData};
use signet_model::{load_model, Registry};
use signet_testkit::scratch::{scratch, Scratch};
use std::path::Path;
use std::sync::Arc;

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register_flavor(signet_trees::XGBOOST_FLAVOR, signet_trees::XgboostFlavor);
    r.register_flavor(signet_trees::LIGHTGBM_FLAVOR, signet_trees::LightGbmFlavor);
    r
}

fn model_dir(name: &str, flavor: &str, data: &str, extra: &str) -> Scratch {
    let dir = scratch(&format!("trees-{name}"));
    let loader = format!("mlflow.{flavor}");
    std::fs::write(
        dir.join("MLmodel"),
        format!(
            "flavors:\n  {flavor}:\n    code: null\n    data: {data}\n{extra}  python_function:\n    data: {data}\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: {loader}\n    python_version: 3.11.9\nmlflow_version: 3.17.2\nmodel_uuid: 0123\n"
        ),
    )
    .unwrap();
    dir
}

fn err(dir: &Path) -> String {
    load_model(dir, &registry()).unwrap_err().to_string()
}

/// A model file signet refuses: its flavor, the data file, the flavor's MLmodel keys, the
/// file's bytes, and what the refusal says.
type Refusal = (
    &'static str,
    &'static str,
    &'static str,
    &'static [u8],
    &'static [&'static str],
);

#[test]
fn model_files_signet_cannot_read_are_refused_saying_why() {
    let cases: [Refusal; 3] = [
        (
            "lightgbm",
            "model.pkl",
            "    model_class: lightgbm.sklearn.LGBMClassifier\n    serialization_format: cloudpickle\n",
            b"\x80\x04not read",
            &[
                "is stored as a pickle, and signet never unpickles anything. Re-log it without pickle",
                "serialization_format=\"skops\"",
            ],
        ),
        (
            "lightgbm",
            "model.skops",
            SKOPS_LGBM,
            b"PK\x03\x04 cut short",
            &["model.skops"],
        ),
        (
            "xgboost",
            "model.xgb",
            "    model_class: xgboost.core.Booster\n    model_format: xgb\n",
            b"\x00\x00\x00\x3fbinf\x00\x00",
            &["model.xgb: byte 0: not an XGBoost JSON or UBJSON model"],
        ),
    ];
    for (flavor, data, keys, bytes, says) in cases {
        let d = model_dir(data, flavor, data, keys);
        std::fs::write(d.join(data), bytes).unwrap();
        let e = err(&d);
        for s in says {
            assert!(e.contains(s), "{data}: {e}");
        }
    }
}

/// The MLmodel keys of a skops-serialized LightGBM scikit-learn model.
const SKOPS_LGBM: &str =
    "    model_class: lightgbm.sklearn.LGBMRegressor\n    serialization_format: skops\n";

#[test]
fn skops_lightgbm_without_its_file_is_refused_naming_it() {
    let d = model_dir("skops", "lightgbm", "model.skops", SKOPS_LGBM);
    let e = err(&d);
    assert!(
        e.contains(&format!(
            "{}: cannot open the file",
            d.join("model.skops").display()
        )),
        "{e}"
    );
}

#[test]
fn lightgbm_booster_runs_through_load_model() {
    let d = model_dir(
        "lgb",
        "lightgbm",
        "model.lgb",
        "    model_class: lightgbm.basic.Booster\n",
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.lgb");
    std::fs::copy(src, d.join("model.lgb")).unwrap();
    let model = load_model(&d, &registry()).unwrap();
    let schema = Arc::new(Schema::new(vec![
        Field::new("a", DataType::Float64, true),
        Field::new("b", DataType::Float64, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Float64Array::from(vec![0.2, 1.0])),
        Arc::new(Float64Array::from(vec![0.0, 1.0])),
    ];
    let out = model
        .predict(
            ModelInput::Table(RecordBatch::try_new(schema, cols).unwrap()),
            None,
        )
        .unwrap();
    let ModelInput::Tensor(t) = out else {
        panic!("not a tensor")
    };
    assert_eq!(
        (t.dtype.to_string().as_str(), t.shape.as_slice()),
        ("float64", &[2usize][..])
    );
    let TensorData::Arrow(a) = &t.data else {
        panic!()
    };
    let v = a.as_primitive::<Float64Type>().values().to_vec();
    let sig = |z: f64| 1.0 / (1.0 + (-z).exp());
    assert_eq!(v, [sig(0.1 - 0.25), sig(0.2 + 0.75)]);
    // LightGBM reads columns by position and refuses another width
    let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Float64, true)]));
    let cols: Vec<ArrayRef> = vec![Arc::new(Float64Array::from(vec![0.2]))];
    let e = model
        .predict(
            ModelInput::Table(RecordBatch::try_new(schema, cols).unwrap()),
            None,
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "The number of features in data (1) is not the same as it was in training data (2)."
        ),
        "{e}"
    );
}
