//! End-to-end tests of the model commands of the `signet` binary: `package`, `show` and
//! `predict`, on the shipped ONNX house-price model.

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// A fresh (absent) path for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("signet-model-cmds");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    let _ = std::fs::remove_dir_all(&path);
    let _ = std::fs::remove_file(&path);
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ONNX: &str = "examples/models/house_price/model.onnx";
const EXAMPLE: &str = "examples/data/house_prices.csv";

#[test]
fn package_then_show_and_predict() {
    let out_dir = scratch("house_pkg");
    let out = out_dir.to_str().unwrap();
    let res = signet(&["package", "--onnx", ONNX, "--input-example", EXAMPLE, out]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    // The inferred signature: the example's columns in, the ONNX graph's output out.
    assert_eq!(
        text(&res.stdout),
        "signature:\n  inputs: '[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"long\", \"name\":\n    \"bedrooms\", \"required\": true}]'\n  outputs: '[{\"type\": \"float\", \"name\": \"variable\", \"required\": true}]'\n  params: null\n"
    );
    let mlmodel = std::fs::read_to_string(out_dir.join("MLmodel")).unwrap();
    assert!(
        mlmodel.contains("    loader_module: mlflow.onnx\n"),
        "{mlmodel}"
    );
    assert!(mlmodel.contains("  onnx:\n    code: null\n    data: model.onnx\n"));
    for file in [
        "model.onnx",
        "input_example.json",
        "serving_input_example.json",
        "requirements.txt",
        "python_env.yaml",
        "conda.yaml",
    ] {
        assert!(out_dir.join(file).is_file(), "{file} missing");
    }
    assert_eq!(
        std::fs::read(out_dir.join("model.onnx")).unwrap(),
        std::fs::read(workspace().join(ONNX)).unwrap()
    );

    let show = signet(&["show", out]);
    assert_eq!(show.status.code(), Some(0), "{}", text(&show.stderr));
    let shown = text(&show.stdout);
    assert!(shown.contains("onnx"), "{shown}");
    assert!(
        shown.contains("sqft") && shown.contains("variable"),
        "{shown}"
    );

    let body = out_dir.join("serving_input_example.json");
    let pred = signet(&["predict", out, body.to_str().unwrap()]);
    assert_eq!(pred.status.code(), Some(0), "{}", text(&pred.stderr));
    assert_eq!(
        text(&pred.stdout).trim_end(),
        "{\"predictions\": [{\"variable\": 350000.0}, {\"variable\": 420000.0}, {\"variable\": 300000.0}, {\"variable\": 380000.0}, {\"variable\": 460000.0}]}"
    );

    // A second package onto the same directory is refused, and the model is untouched.
    let again = signet(&["package", "--onnx", ONNX, "--input-example", EXAMPLE, out]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("already exists and is not empty"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("MLmodel")).unwrap(),
        mlmodel
    );
}

#[test]
fn predict_refuses_input_that_breaks_the_signature() {
    let body = scratch("missing_column.json");
    std::fs::write(
        &body,
        r#"{"dataframe_split": {"columns": ["sqft", "bathrooms"], "data": [[1500, 2]]}}"#,
    )
    .unwrap();
    let res = signet(&[
        "predict",
        "examples/models/house_price",
        body.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", text(&res.stderr));
    let all = text(&res.stdout) + &text(&res.stderr);
    assert!(
        all.contains("Model is missing inputs ['bedrooms']"),
        "{all}"
    );
}

#[test]
fn package_errors_name_the_file_and_leave_nothing() {
    let out_dir = scratch("bad_package");
    let three_columns = scratch("three_columns.csv");
    std::fs::write(&three_columns, "sqft,bedrooms,bathrooms\n1500,3,2\n").unwrap();
    let three_columns = three_columns.to_str().unwrap();
    // (model, example, the file the message names, the problem)
    let cases = [
        // Not an ONNX file.
        (EXAMPLE, EXAMPLE, EXAMPLE, "not a valid ONNX model"),
        // An example the model cannot run on (three columns for a [-1, 2] input).
        (
            ONNX,
            three_columns,
            three_columns,
            "cannot infer the signature",
        ),
        // A missing example file.
        (ONNX, "no/such.csv", "no/such.csv", "no such file"),
    ];
    for (onnx, example, file, problem) in cases {
        let args = [
            "package",
            "--onnx",
            onnx,
            "--input-example",
            example,
            out_dir.to_str().unwrap(),
        ];
        assert_file_error(&args, &format!("{file}: {problem}"), problem);
        assert!(!out_dir.exists(), "{args:?} left {}", out_dir.display());
    }
}

/// The shipped scikit-learn pipeline (imputer + scaler + one-hot + Ridge, saved by MLflow as
/// skops by `scripts/make_sklearn_example.py`) predicts what sklearn predicted for the same
/// rows, a missing `sqft` and an unseen city included.
#[test]
fn shipped_sklearn_example_predicts_as_sklearn() {
    let res = signet(&[
        "predict",
        "examples/models/house_price_sklearn",
        "examples/data/house_prices_city.csv",
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    let body = text(&res.stdout);
    let got: Vec<f64> = body
        .trim()
        .strip_prefix("{\"predictions\": [")
        .and_then(|s| s.strip_suffix("]}"))
        .unwrap_or_else(|| panic!("unexpected body {body}"))
        .split(", ")
        .map(|v| v.parse().unwrap())
        .collect();
    let want: Vec<f64> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/data/house_prices_city_output.csv"),
    )
    .unwrap()
    .lines()
    .skip(1)
    .map(|v| v.parse().unwrap())
    .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() <= 1e-9 * w.abs(), "signet {g}, sklearn {w}");
    }
}
