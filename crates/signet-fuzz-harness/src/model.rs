//! Model-directory parsers: signature JSON, the MLmodel YAML, input examples, `model.onnx`.

use crate::request::signatures;
use crate::selector;
use signet::json_form::signature_from_value;
use signet::{signature_from_dict, signature_to_dict, Value};
use signet_model::example::{example_display_json, load_input_example};
use signet_model::{ExampleInfo, MlModel};
use std::path::PathBuf;

/// A part of the signature dict: text when it is UTF-8, bytes otherwise (MLflow accepts
/// both), absent when empty.
fn part(bytes: Option<&[u8]>) -> Value {
    match bytes {
        None | Some([]) => Value::None,
        Some(b) => match std::str::from_utf8(b) {
            Ok(s) => Value::Str(s.to_string()),
            Err(_) => Value::Bytes(b.to_vec()),
        },
    }
}

/// The signature's dict form (`ModelSignature.from_dict`): the bytes split at NUL into the
/// `inputs`, `outputs` and `params` JSON texts. An accepted signature must round-trip:
/// written back, read again, and written again byte-identically.
pub fn signature_json(data: &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    let dict = Value::dict([
        ("inputs", part(parts.next())),
        ("outputs", part(parts.next())),
        ("params", part(parts.next())),
    ]);
    let Ok(sig) = signature_from_value(&dict) else {
        return;
    };
    let written = signature_to_dict(&sig);
    if written.inputs.is_none() && written.outputs.is_none() && written.params.is_none() {
        // Only an empty params schema: written as None, as MLflow does.
        return;
    }
    let again = signature_from_dict(&written)
        .unwrap_or_else(|e| panic!("an accepted signature written as {written:?} is refused: {e}"))
        .expect("a written signature is present");
    let rewritten = signature_to_dict(&again);
    assert_eq!(
        (&written.inputs, &written.outputs, &written.params),
        (&rewritten.inputs, &rewritten.outputs, &rewritten.params),
        "the signature changed on a round trip"
    );
}

/// An `MLmodel` file (`Model.load`'s `yaml.safe_load` + `Model.from_dict`). An accepted file
/// must be written back into a file that reads back to the same text.
pub fn mlmodel_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = MlModel::from_yaml_str(text) else {
        return;
    };
    let written = model.to_yaml_string();
    let again = MlModel::from_yaml_str(&written)
        .unwrap_or_else(|e| panic!("the MLmodel signet wrote is refused: {e}\n{written}"));
    assert_eq!(
        written,
        again.to_yaml_string(),
        "the MLmodel changed on a round trip"
    );
}

/// The example types MLflow records in `saved_input_example_info`.
const EXAMPLE_KINDS: [&str; 5] = [
    "dataframe",
    "ndarray",
    "json_object",
    "sparse_matrix_csc",
    "sparse_matrix_csr",
];

/// This process's scratch model directory (one per process: fuzzing runs one input at a time).
fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("signet-fuzz-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("cannot create the scratch model directory");
    dir
}

/// `input_example.json` as `Model.load_input_example` reads it: the first byte picks the
/// example type, whether it carries params and the signature; the rest is the file. An
/// accepted example must also render for display (`signet show`).
pub fn input_example(data: &[u8]) {
    let (sel, file) = selector(data);
    let sigs = signatures();
    let mut model = MlModel::new();
    model.signature = sigs[usize::from(sel >> 4) % sigs.len()].clone();
    let info = ExampleInfo {
        artifact_path: "input_example.json".into(),
        kind: EXAMPLE_KINDS[usize::from(sel & 7) % EXAMPLE_KINDS.len()].into(),
        pandas_orient: Some("split".into()),
        serving_input_path: None,
        params: sel & 8 != 0,
    };
    model.saved_input_example_info = Some(info.to_yaml());
    let dir = scratch_dir();
    std::fs::write(dir.join("input_example.json"), file).expect("cannot write the example");
    if let Ok(Some(example)) = load_input_example(&dir, &model) {
        let _ = example_display_json(&example.data);
    }
}

/// A `model.onnx` file loaded as the `onnx` flavor loads it (parse, operator check, typing,
/// optimisation). An accepted model must describe its inputs and outputs.
pub fn onnx_model(data: &[u8]) {
    if let Ok(model) = signet_onnx::OnnxModel::from_bytes(data) {
        for io in model.inputs().iter().chain(model.outputs()) {
            let _ = io.type_string();
            let _ = io.mlflow_shape();
        }
    }
}
