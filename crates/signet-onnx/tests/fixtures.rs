//! signet-onnx against onnxruntime: each fixture under `tests/data/` (made by
//! `tests/onnx/make_fixtures.py`) holds a model, the input fed to onnxruntime and
//! onnxruntime's outputs; predictions must match within 1e-5.

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float32Array, Float64Array, Int64Array, RecordBatch};
use signet::pyjson::loads;
use signet::{ModelInput, NumpyDtype, Tensor, TensorData, Value};
use signet_onnx::{Dim, ElemType, OnnxError, OnnxModel};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

const TOLERANCE: f64 = 1e-5;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    match v {
        Value::Dict(items) => items
            .iter()
            .find(|(k, _)| k == &Value::Str(key.into()))
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no key {key}")),
        _ => panic!("not a dict"),
    }
}

fn items(v: &Value) -> Vec<(String, Value)> {
    match v {
        Value::Dict(items) => items
            .iter()
            .map(|(k, v)| match k {
                Value::Str(k) => (k.clone(), v.clone()),
                _ => panic!("non-string key"),
            })
            .collect(),
        _ => panic!("not a dict"),
    }
}

fn list(v: &Value) -> &[Value] {
    match v {
        Value::List(l) => l,
        _ => panic!("not a list: {v:?}"),
    }
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        Value::Int(i) => *i as f64,
        _ => panic!("not a number: {v:?}"),
    }
}

/// A fixture tensor (`{"dtype", "shape", "data"}`) as a signet array.
fn tensor(v: &Value) -> Tensor {
    let Value::Str(dtype) = get(v, "dtype") else {
        panic!("dtype")
    };
    let shape: Vec<usize> = list(get(v, "shape"))
        .iter()
        .map(|d| num(d) as usize)
        .collect();
    let data = list(get(v, "data"));
    let (dtype, array): (NumpyDtype, ArrayRef) = match dtype.as_str() {
        "float32" => (
            NumpyDtype::Float32,
            Arc::new(Float32Array::from_iter_values(
                data.iter().map(|d| num(d) as f32),
            )),
        ),
        "float64" => (
            NumpyDtype::Float64,
            Arc::new(Float64Array::from_iter_values(data.iter().map(num))),
        ),
        "int64" => (
            NumpyDtype::Int64,
            Arc::new(Int64Array::from_iter_values(
                data.iter().map(|d| num(d) as i64),
            )),
        ),
        "object" => {
            return Tensor {
                dtype: NumpyDtype::Object,
                shape,
                data: TensorData::Object(data.to_vec()),
            }
        }
        other => panic!("fixture dtype {other}"),
    };
    Tensor {
        dtype,
        shape,
        data: TensorData::Arrow(array),
    }
}

fn values(t: &Tensor) -> Vec<f64> {
    let TensorData::Arrow(a) = &t.data else {
        panic!("object output")
    };
    flat(a.as_ref())
}

/// A numeric output column as f64.
fn flat(a: &dyn Array) -> Vec<f64> {
    use arrow_schema::DataType::{Float32, Float64, Int64};
    match a.data_type() {
        Float32 | Float64 | Int64 => {
            let wide = arrow_cast::cast(a, &Float64).unwrap();
            wide.as_primitive::<Float64Type>().values().to_vec()
        }
        other => panic!("output type {other}"),
    }
}

/// Max |a - b|, NaN only matching NaN.
fn max_diff(name: &str, got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len(), "{name}: lengths");
    got.iter()
        .zip(want)
        .map(|(g, w)| {
            if g.is_nan() || w.is_nan() {
                assert!(g.is_nan() && w.is_nan(), "{name}: {g} vs {w}");
                0.0
            } else {
                (g - w).abs()
            }
        })
        .fold(0.0, f64::max)
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(data_dir().join(format!("{name}.json"))).unwrap();
    loads(&text).unwrap()
}

fn load(name: &str) -> OnnxModel {
    OnnxModel::load(data_dir().join(format!("{name}.onnx")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Loads, predicts on the fixture input and compares with onnxruntime; returns the max abs
/// difference.
fn check(name: &str) -> f64 {
    let doc = fixture(name);
    let started = Instant::now();
    let model = load(name);
    let feeds: Vec<(String, Tensor)> = items(get(&doc, "inputs"))
        .iter()
        .map(|(k, v)| (k.clone(), tensor(v)))
        .collect();
    let ModelInput::TensorDict(out) = model
        .predict(ModelInput::TensorDict(feeds))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
    else {
        panic!("{name}: not a dict output")
    };
    let elapsed = started.elapsed();
    let expected = items(get(&doc, "outputs"));
    assert_eq!(
        out.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        expected.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        "{name}: output names"
    );
    let mut worst = 0.0f64;
    for ((key, got), (_, want)) in out.iter().zip(&expected) {
        let want = tensor(want);
        assert_eq!(got.dtype, want.dtype, "{name}.{key}: dtype");
        assert_eq!(got.shape, want.shape, "{name}.{key}: shape");
        if let TensorData::Object(want) = &want.data {
            assert_eq!(got.data, TensorData::Object(want.clone()), "{name}.{key}");
            continue;
        }
        let d = max_diff(&format!("{name}.{key}"), &values(got), &values(&want));
        if d > TOLERANCE {
            println!(
                "{name}.{key}: got {:?}\n  want {:?}",
                values(got),
                values(&want)
            );
        }
        worst = worst.max(d);
    }
    // Declared inputs/outputs as onnxruntime reports them.
    for (declared, infos) in [
        (get(&doc, "graph_inputs"), model.inputs()),
        (get(&doc, "graph_outputs"), model.outputs()),
    ] {
        let declared = list(declared);
        assert_eq!(declared.len(), infos.len(), "{name}: io count");
        for (d, info) in declared.iter().zip(infos) {
            assert_eq!(get(d, "name"), &Value::Str(info.name.clone()));
            assert_eq!(get(d, "type"), &Value::Str(info.type_string()));
            let shape: Vec<i64> = list(get(d, "shape"))
                .iter()
                .map(|v| match v {
                    Value::None => -1,
                    v => num(v) as i64,
                })
                .collect();
            // onnxruntime reports an undeclared rank as [].
            assert_eq!(
                shape,
                info.mlflow_shape().unwrap_or_default(),
                "{name}: {info}"
            );
        }
    }
    println!("{name:32} max abs diff {worst:.3e}  load+predict {elapsed:?}");
    worst
}

/// Checks every fixture, failing once with all the ones beyond tolerance.
fn check_all(names: &[&str]) {
    let bad: Vec<String> = names
        .iter()
        .map(|name| (name, check(name)))
        .filter(|(_, d)| *d > TOLERANCE)
        .map(|(name, d)| format!("{name}: {d}"))
        .collect();
    assert!(bad.is_empty(), "beyond {TOLERANCE}: {bad:?}");
}

#[test]
fn sklearn_models_match_onnxruntime() {
    check_all(&[
        "linear_regression",
        "ridge",
        "logistic_regression",
        "random_forest_classifier",
        "decision_tree_classifier",
        "kneighbors_regressor",
        "scaler_logistic_pipeline",
        "random_forest_regressor",
        "gradient_boosting_regressor",
        // Beyond the nine: binary exports of the other tree classifiers.
        "gradient_boosting_classifier",
        "decision_tree_binary_classifier",
    ]);
}

#[test]
fn tree_regressor_variants_match_onnxruntime() {
    check_all(&[
        "tree_sum_softmax",
        "tree_average_logistic",
        "tree_min",
        "tree_max_probit",
        "tree_sum_double",
    ]);
}

#[test]
fn tree_classifier_variants_match_onnxruntime() {
    check_all(&[
        "clf_binary_positive",
        "clf_binary_positive_logistic",
        "clf_binary_positive_probit",
        "clf_binary_mixed",
        "clf_binary_mixed_logistic_base",
        "clf_binary_mixed_base2",
        "clf_binary_second_class",
        "clf_two_classes",
        "clf_two_classes_base2_softmax",
        "clf_multiclass_softmax_base",
        "clf_multiclass_strings_logistic",
        "clf_multiclass_softmax_zero",
    ]);
}

#[test]
fn scaler_variants_match_onnxruntime() {
    check_all(&["scaler_int64", "scaler_double"]);
}

#[test]
fn small_graphs_match_onnxruntime() {
    // Two inputs sharing a named batch axis; an input of undeclared rank (typed per call).
    check_all(&["two_inputs", "unknown_rank"]);
}

#[test]
fn unknown_operator_is_named_with_its_node() {
    let err = OnnxModel::load(data_dir().join("unknown_op.onnx")).unwrap_err();
    match &err {
        OnnxError::UnsupportedOperator {
            op_type,
            domain,
            node,
        } => {
            assert_eq!(op_type, "Frobnicate");
            assert_eq!(domain, "com.example");
            assert_eq!(node, "frob_node_7");
        }
        other => panic!("unexpected error {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("com.example.Frobnicate"), "{text}");
    assert!(text.contains("frob_node_7"), "{text}");
}

fn fixture_input(name: &str) -> Tensor {
    let doc = fixture(name);
    let (_, v) = items(get(&doc, "inputs")).remove(0);
    tensor(&v)
}

fn fixture_output(name: &str, output: &str) -> Vec<f64> {
    let doc = fixture(name);
    values(&tensor(get(get(&doc, "outputs"), output)))
}

fn as_f64(t: &Tensor) -> Tensor {
    let v = values(t);
    Tensor {
        dtype: NumpyDtype::Float64,
        shape: t.shape.clone(),
        data: TensorData::Arrow(Arc::new(Float64Array::from(v))),
    }
}

/// Asserts that a prediction of `fixture`'s model is its one `variable` output, within
/// [`TOLERANCE`].
fn assert_one_variable(fixture: &str, got: &[(String, Vec<f64>)]) {
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["variable"]);
    let want = fixture_output(fixture, "variable");
    assert!(max_diff(fixture, &got[0].1, &want) <= TOLERANCE);
}

/// The fixture input as a DataFrame of float64 columns `c0`..`c3`.
fn frame(t: &Tensor) -> RecordBatch {
    let v = values(t);
    let (rows, cols) = (t.shape[0], t.shape[1]);
    let columns: Vec<(String, ArrayRef)> = (0..cols)
        .map(|c| {
            let col: Vec<f64> = (0..rows).map(|r| v[r * cols + c]).collect();
            (
                format!("c{c}"),
                Arc::new(Float64Array::from(col)) as ArrayRef,
            )
        })
        .collect();
    RecordBatch::try_from_iter(columns).unwrap()
}

#[test]
fn ndarray_input_gives_a_dict_and_a_dataframe_is_fed_whole_and_gives_a_dataframe() {
    // A float64 ndarray is cast to the graph's float and gives a dict of arrays.
    for (fixture, dataframe) in [
        ("linear_regression", false),
        ("gradient_boosting_regressor", true),
    ] {
        let x = fixture_input(fixture);
        let input = if dataframe {
            ModelInput::Table(frame(&x))
        } else {
            ModelInput::Tensor(as_f64(&x))
        };
        let out = load(fixture).predict(input).unwrap();
        let got: Vec<(String, Vec<f64>)> = match &out {
            ModelInput::TensorDict(d) if !dataframe => {
                assert!(d.iter().all(|(_, t)| t.dtype == NumpyDtype::Float32));
                assert!(d.iter().all(|(_, t)| t.shape == [6, 1]));
                d.iter().map(|(n, t)| (n.clone(), values(t))).collect()
            }
            ModelInput::Table(b) if dataframe => (b.schema().fields().iter().zip(b.columns()))
                .map(|(f, c)| (f.name().clone(), flat(c.as_ref())))
                .collect(),
            _ => panic!("{fixture}: the wrong kind of output"),
        };
        assert_one_variable(fixture, &got);
    }
}

#[test]
fn dataframe_outputs_of_different_lengths_fail_like_pandas() {
    let model = load("logistic_regression");
    let df = frame(&fixture_input("logistic_regression"));
    let err = model.predict(ModelInput::Table(df)).unwrap_err();
    assert_eq!(err.to_string(), "All arrays must be of the same length");
}

#[test]
fn dataframe_with_several_graph_inputs_is_fed_by_column() {
    let model = load("two_inputs");
    let a: ArrayRef = Arc::new(Float32Array::from(vec![1.0, 2.5, -3.0]));
    let b: ArrayRef = Arc::new(Float64Array::from(vec![0.5, 4.0, 2.0]));
    let extra: ArrayRef = Arc::new(Int64Array::from(vec![7, 8, 9]));
    let df = RecordBatch::try_from_iter([("extra", extra), ("b", b), ("a", a)]).unwrap();
    let ModelInput::Table(out) = model.predict(ModelInput::Table(df.clone())).unwrap() else {
        panic!("not a table")
    };
    let names: Vec<_> = out
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, ["sum", "prod"]);
    assert_eq!(
        flat(out.column(0).as_ref()),
        fixture_output("two_inputs", "sum")
    );
    assert_eq!(
        flat(out.column(1).as_ref()),
        fixture_output("two_inputs", "prod")
    );

    let err = model
        .predict(ModelInput::Table(df.project(&[0, 2]).unwrap()))
        .unwrap_err();
    assert!(
        matches!(&err, OnnxError::InvalidInput { exception: "KeyError", message } if message == "'b'"),
        "{err:?}"
    );
}

#[test]
fn ndarray_for_several_inputs_is_refused_like_mlflow() {
    let model = load("two_inputs");
    let x = fixture_input("two_inputs");
    let err = model.predict(ModelInput::Tensor(x)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Unable to map numpy array input to the expected model input. Numpy arrays can only be \
         used as input for MLflow ONNX models that have a single input. This model requires 2 \
         inputs. Please pass in data as either a dictionary or a DataFrame with the following \
         tensors: ['a', 'b']."
    );
}

fn f32_tensor(shape: &[usize], v: Vec<f32>) -> Tensor {
    Tensor {
        dtype: NumpyDtype::Float32,
        shape: shape.to_vec(),
        data: TensorData::Arrow(Arc::new(Float32Array::from(v))),
    }
}

#[test]
fn mismatched_feeds_fail_with_onnxruntime_messages() {
    let model = load("linear_regression");
    let cases: Vec<(ModelInput, &str)> = vec![
        (
            ModelInput::Tensor(Tensor {
                dtype: NumpyDtype::Int64,
                shape: vec![1, 4],
                data: TensorData::Arrow(Arc::new(Int64Array::from(vec![1, 2, 3, 4]))),
            }),
            "[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Unexpected input data type. Actual: \
             (tensor(int64)) , expected: (tensor(float))",
        ),
        (
            ModelInput::Tensor(f32_tensor(&[2, 3], vec![0.0; 6])),
            "[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions for input: X for \
             the following indices\n index: 1 Got: 3 Expected: 4\n Please fix either the \
             inputs/outputs or the model.",
        ),
        (
            ModelInput::Tensor(f32_tensor(&[4], vec![0.0; 4])),
            "[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Invalid rank for input: X Got: 1 \
             Expected: 2 Please fix either the inputs/outputs or the model.",
        ),
        (
            ModelInput::TensorDict(vec![("Y".into(), f32_tensor(&[1, 4], vec![0.0; 4]))]),
            "Required inputs (['X']) are missing from input feed (['Y']).",
        ),
        (
            ModelInput::TensorDict(vec![
                ("X".into(), f32_tensor(&[1, 4], vec![0.0; 4])),
                ("Y".into(), f32_tensor(&[1, 4], vec![0.0; 4])),
            ]),
            "[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Invalid input name: Y",
        ),
        (
            ModelInput::Value(Value::List(vec![])),
            "Input should be a dictionary or a numpy array or a pandas.DataFrame, got \
             '<class 'list'>'",
        ),
    ];
    for (input, message) in cases {
        let err = model.predict(input).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn empty_batch_predicts_an_empty_result() {
    let model = load("random_forest_regressor");
    let ModelInput::TensorDict(out) = model
        .predict(ModelInput::Tensor(f32_tensor(&[0, 4], vec![])))
        .unwrap()
    else {
        panic!("not a dict")
    };
    assert_eq!(out[0].1.shape, vec![0, 1]);
}

#[test]
fn declared_inputs_and_outputs_are_exposed() {
    let model = load("logistic_regression");
    let x = &model.inputs()[0];
    assert_eq!(x.name, "X");
    assert_eq!(x.elem_type(), Some(ElemType::Float));
    assert_eq!(x.dims(), Some(&[Dim::Unknown, Dim::Fixed(4)][..]));
    assert_eq!(x.mlflow_shape(), Some(vec![-1, 4]));
    let outputs: Vec<String> = model.outputs().iter().map(|o| o.to_string()).collect();
    assert_eq!(
        outputs,
        [
            "label: tensor(int64) [?]",
            "probabilities: tensor(float) [?, 3]"
        ]
    );
    let two = load("two_inputs");
    assert_eq!(two.inputs()[0].dims(), Some(&[Dim::Named("N".into())][..]));
    assert_eq!(
        two.inputs()[0].elem_type().and_then(|e| e.numpy_dtype()),
        Some(NumpyDtype::Float32)
    );
}

#[test]
fn model_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<OnnxModel>();
}

#[test]
fn load_and_first_predict_are_fast() {
    // Generous bound for unoptimized test builds; the report's figures come from release.
    let started = Instant::now();
    let model = load("scaler_logistic_pipeline");
    let x = fixture_input("scaler_logistic_pipeline");
    model.predict(ModelInput::Tensor(x)).unwrap();
    let elapsed = started.elapsed();
    println!("scaler_logistic_pipeline load + first predict: {elapsed:?}");
    assert!(elapsed.as_millis() < 2000, "{elapsed:?}");
}

#[test]
fn a_graph_output_nothing_defines_is_refused_by_name() {
    // Found by the fuzz target `onnx_model` (fuzz/regressions/onnx_model/): tract itself
    // panicked on it (an index into its map of named values).
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions/onnx_model/crash-92e30736aa0383294bea925b5ea90b62dd68db8a");
    let err = OnnxModel::load(path).unwrap_err();
    assert!(matches!(err, OnnxError::Load(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("output") && text.contains("is not defined"),
        "{text}"
    );
}

#[test]
fn a_transpose_whose_perm_is_not_a_permutation_is_refused() {
    // Found by the fuzz target `onnx_model` (fuzz/regressions/onnx_model/): tract looped on
    // it, allocating until the process was killed.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions/onnx_model/oom-fb9935cf868d48bc6833af68cbc6e9f42f8e3a4e");
    let text = OnnxModel::load(path).unwrap_err().to_string();
    assert!(
        text.contains("Transpose node") && text.contains("is not a permutation of 0.."),
        "{text}"
    );
}
