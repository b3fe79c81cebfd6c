//! `signet::diff` checked against MLflow's enforcement: for each pair of signatures, requests
//! valid for OLD (each first checked to pass OLD) are replayed through NEW's parsing and
//! enforcement. A pair is breaking exactly when some such request now fails; the diff's
//! verdict, the replay's verdict and the expected verdict must all agree. Output changes are
//! replayed the other way: predictions valid for NEW's outputs must be valid under OLD's.

use arrow_array::{
    ArrayRef, Float32Array, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use signet::diff::{diff_signatures, Severity};
use signet::enforce::{enforce, Compat};
use signet::types::NumpyDtype;
use signet::{signature_from_dict, ModelInput, ModelSignature, SignatureDict, Tensor, TensorData};
use signet_protocol::request::parse_request;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Compatible,
    Breaking,
}
use Verdict::*;

/// One signature: inputs, outputs, params JSON (as in MLmodel).
type Sig = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

struct Case {
    name: &'static str,
    old: Sig,
    new: Sig,
    /// Request bodies (JSON) valid for OLD.
    requests: &'static [&'static str],
    /// In-process inputs valid for OLD (what `pyfunc.predict` receives from numpy/parquet).
    typed: fn() -> Vec<ModelInput>,
    /// Prediction bodies valid for NEW's outputs (for output changes).
    responses: &'static [&'static str],
    /// Typed predictions valid for NEW's outputs.
    typed_out: fn() -> Vec<ModelInput>,
    expect: Verdict,
}

fn none() -> Vec<ModelInput> {
    Vec::new()
}

fn sig(s: Sig) -> Option<ModelSignature> {
    signature_from_dict(&SignatureDict {
        inputs: s.0.map(str::to_string),
        outputs: s.1.map(str::to_string),
        params: s.2.map(str::to_string),
    })
    .unwrap()
}

/// A signature whose inputs are `s`'s outputs (to enforce predictions against them).
fn outputs_as_inputs(s: Sig) -> Option<ModelSignature> {
    s.1.map(|o| sig((Some(o), None, None)).unwrap())
}

fn passes_json(sig: Option<&ModelSignature>, body: &str) -> Result<(), String> {
    let parsed = parse_request(
        Some("application/json"),
        body.as_bytes(),
        sig,
        Compat::Mlflow,
    )
    .map_err(|e| e.message)?;
    enforce(sig, parsed.input, parsed.params.as_ref(), Compat::Mlflow)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn passes_typed(sig: Option<&ModelSignature>, input: ModelInput) -> Result<(), String> {
    enforce(sig, input, None, Compat::Mlflow)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn table(cols: Vec<(&str, ArrayRef)>) -> ModelInput {
    ModelInput::Table(RecordBatch::try_from_iter(cols).unwrap())
}

fn int64_table(name: &str) -> ModelInput {
    table(vec![(
        name,
        Arc::new(Int64Array::from(vec![5, 7])) as ArrayRef,
    )])
}

fn tensor_f32(rows: usize, cols: usize) -> ModelInput {
    let data: Vec<f32> = (0..rows * cols).map(|i| i as f32 + 0.5).collect();
    ModelInput::Tensor(Tensor {
        dtype: NumpyDtype::Float32,
        shape: vec![rows, cols],
        data: TensorData::Arrow(Arc::new(Float32Array::from(data))),
    })
}

const AB_LONG: &str = r#"[{"type": "long", "name": "a", "required": true}, {"type": "long", "name": "b", "required": true}]"#;
const A_LONG: &str = r#"[{"type": "long", "name": "a", "required": true}]"#;
const A_LONG_OPT: &str = r#"[{"type": "long", "name": "a", "required": false}]"#;
const A_B_OPT: &str = r#"[{"type": "long", "name": "a", "required": true}, {"type": "long", "name": "b", "required": false}]"#;
const REC_A: &str = r#"{"dataframe_records": [{"a": 5}, {"a": 7}]}"#;
const REC_AB: &str = r#"{"dataframe_records": [{"a": 5, "b": 2}]}"#;

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    type Inputs = fn() -> Vec<ModelInput>;
    type Bodies = &'static [&'static str];
    let c = |name: &'static str, old: Sig, new: Sig, requests: Bodies, expect: Verdict| Case {
        name, old, new, requests, typed: none, responses: &[], typed_out: none, expect,
    };
    let typed_and_json = |name, old, new, requests, typed: Inputs, expect| Case { typed, ..c(name, old, new, requests, expect) };
    let out_typed = |name, old, new, responses: Bodies, typed_out: Inputs, expect| Case { responses, typed_out, ..c(name, old, new, &[], expect) };
    let out = |name, old, new, responses: Bodies, expect| Case { responses, ..c(name, old, new, &[], expect) };
    let typed = |name, old, new, typed: Inputs, expect| Case { typed, ..c(name, old, new, &[], expect) };
    vec![
        // --- columns ---
        c("identical", (Some(A_LONG), None, None), (Some(A_LONG), None, None), &[REC_A], Compatible),
        c("new required column", (Some(A_LONG), None, None), (Some(AB_LONG), None, None), &[REC_A], Breaking),
        c("new optional column", (Some(A_LONG), None, None), (Some(A_B_OPT), None, None), &[REC_A], Compatible),
        c("column removed", (Some(AB_LONG), None, None), (Some(A_LONG), None, None), &[REC_AB], Compatible),
        c("required to optional", (Some(A_LONG), None, None), (Some(A_LONG_OPT), None, None), &[REC_A], Compatible),
        c("optional to required", (Some(A_B_OPT), None, None), (Some(AB_LONG), None, None), &[REC_A, REC_AB], Breaking),
        typed_and_json("long to integer", (Some(A_LONG), None, None), (Some(r#"[{"type": "integer", "name": "a", "required": true}]"#), None, None), &[REC_A], || vec![int64_table("a")], Breaking),
        typed_and_json("double to long", (Some(r#"[{"type": "double", "name": "a", "required": true}]"#), None, None), (Some(A_LONG), None, None), &[r#"{"dataframe_records": [{"a": 1.5}]}"#], || vec![table(vec![("a", Arc::new(Float64Array::from(vec![1.5])) as ArrayRef)])], Breaking),
        typed_and_json("long to double (int64 is not safely converted)", (Some(A_LONG), None, None), (Some(r#"[{"type": "double", "name": "a", "required": true}]"#), None, None), &[REC_A], || vec![int64_table("a")], Breaking),
        typed_and_json("long to string", (Some(A_LONG), None, None), (Some(r#"[{"type": "string", "name": "a", "required": true}]"#), None, None), &[REC_A], || vec![int64_table("a")], Breaking),
        typed("string to binary", (Some(r#"[{"type": "string", "name": "s", "required": true}]"#), None, None), (Some(r#"[{"type": "binary", "name": "s", "required": true}]"#), None, None), || vec![table(vec![("s", Arc::new(StringArray::from(vec!["x", "yz"])) as ArrayRef)])], Compatible),
        c("long to any", (Some(A_LONG), None, None), (Some(r#"[{"type": "any", "name": "a", "required": true}]"#), None, None), &[REC_A], Compatible),
        c("renamed required column (guess)", (Some(A_LONG), None, None), (Some(r#"[{"type": "long", "name": "z", "required": true}]"#), None, None), &[REC_A], Breaking),
        c("renamed optional column (guess)", (Some(A_B_OPT), None, None), (Some(r#"[{"type": "long", "name": "a", "required": true}, {"type": "long", "name": "c", "required": false}]"#), None, None), &[REC_A, REC_AB], Compatible),
        typed("integer to long", (Some(r#"[{"type": "integer", "name": "a", "required": true}]"#), None, None), (Some(A_LONG), None, None), || { vec![table(vec![("a", Arc::new(Int32Array::from(vec![1, 70000])) as ArrayRef)])] }, Compatible),
        typed("integer to double", (Some(r#"[{"type": "integer", "name": "a", "required": true}]"#), None, None), (Some(r#"[{"type": "double", "name": "a", "required": true}]"#), None, None), || { vec![table(vec![("a", Arc::new(Int32Array::from(vec![3, -4])) as ArrayRef)])] }, Compatible),
        typed("float to double", (Some(r#"[{"type": "float", "name": "a", "required": true}]"#), None, None), (Some(r#"[{"type": "double", "name": "a", "required": true}]"#), None, None), || { vec![table(vec![("a", Arc::new(Float32Array::from(vec![1.5, 2.25])) as ArrayRef)])] }, Compatible),
        typed("integer to float", (Some(r#"[{"type": "integer", "name": "a", "required": true}]"#), None, None), (Some(r#"[{"type": "float", "name": "a", "required": true}]"#), None, None), || { vec![table(vec![("a", Arc::new(Int32Array::from(vec![3, 4])) as ArrayRef)])] }, Breaking),
        // --- Array / Object / Map ---
        c("Array(long) to Array(double)", (Some(r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}]"#), None, None), (Some(r#"[{"type": "array", "items": {"type": "double"}, "name": "a", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"a": [5, 6]}]}"#], Breaking),
        c("Array(long) to Array(any)", (Some(r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}]"#), None, None), (Some(r#"[{"type": "array", "items": {"type": "any"}, "name": "a", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"a": [5, 6]}]}"#], Compatible),
        c("Object: new optional property", (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}}, "name": "o", "required": true}]"#), None, None), (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}, "y": {"type": "string", "required": false}}, "name": "o", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"o": {"x": 1}}]}"#], Compatible),
        c("Object: new required property", (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}}, "name": "o", "required": true}]"#), None, None), (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}, "y": {"type": "string", "required": true}}, "name": "o", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"o": {"x": 1}}]}"#], Breaking),
        c("Object: property removed", (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}, "y": {"type": "long", "required": true}}, "name": "o", "required": true}]"#), None, None), (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}}, "name": "o", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"o": {"x": 1, "y": 2}}]}"#], Breaking),
        c("Object: property long to double", (Some(r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}}, "name": "o", "required": true}]"#), None, None), (Some(r#"[{"type": "object", "properties": {"x": {"type": "double", "required": true}}, "name": "o", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"o": {"x": 5}}]}"#], Breaking),
        c("Map(long) to Map(any)", (Some(r#"[{"type": "map", "values": {"type": "long"}, "name": "m", "required": true}]"#), None, None), (Some(r#"[{"type": "map", "values": {"type": "any"}, "name": "m", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"m": {"k": 5}}]}"#], Compatible),
        c("Map(long) to Map(string)", (Some(r#"[{"type": "map", "values": {"type": "long"}, "name": "m", "required": true}]"#), None, None), (Some(r#"[{"type": "map", "values": {"type": "string"}, "name": "m", "required": true}]"#), None, None), &[r#"{"dataframe_records": [{"m": {"k": 5}}]}"#], Breaking),
        // --- whole schemas ---
        c("input schema removed", (Some(A_LONG), None, None), (None, Some(A_LONG), None), &[REC_A], Compatible),
        c("input schema added", (None, Some(A_LONG), None), (Some(A_LONG), Some(A_LONG), None), &[r#"{"dataframe_records": [{"z": "free text"}]}"#], Breaking),
        typed_and_json("columns to tensors", (Some(r#"[{"type": "string", "name": "a", "required": true}]"#), None, None), (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1]}}]"#), None, None), &[r#"{"dataframe_records": [{"a": "x"}]}"#], || vec![table(vec![("a", Arc::new(StringArray::from(vec!["x"])) as ArrayRef)])], Breaking),
        // --- tensors ---
        c("tensor shape widened", (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]"#), None, None), (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, -1]}}]"#), None, None), &[r#"{"inputs": [[1, 2, 3, 4]]}"#], Compatible),
        c("tensor shape narrowed", (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, -1]}}]"#), None, None), (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]"#), None, None), &[ r#"{"inputs": [[1, 2, 3, 4]]}"#, r#"{"inputs": [[1, 2, 3]]}"#, ], Breaking),
        typed("tensor dtype float32 to float64", (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]"#), None, None), (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 2]}}]"#), None, None), || vec![tensor_f32(3, 2)], Breaking),
        c("named tensor added", (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "x"}]"#), None, None), (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "x"}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "y"}]"#), None, None), &[r#"{"inputs": {"x": [1.5, 2.5]}}"#], Breaking),
        c("named tensor removed", (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "x"}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "y"}]"#), None, None), (Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "x"}]"#), None, None), &[r#"{"inputs": {"x": [1.5, 2.5], "y": [0.5, 1.5]}}"#], Compatible),
        // --- params ---
        c("param added", (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}, {"name": "t", "type": "double", "default": 0.5, "shape": null}]"#)), &[ REC_A, r#"{"dataframe_records": [{"a": 1}], "params": {"k": 3}}"#, ], Compatible),
        c("param removed", (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}, {"name": "t", "type": "double", "default": 0.5, "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}]"#)), &[r#"{"dataframe_records": [{"a": 1}], "params": {"k": 3, "t": 0.7}}"#], Compatible),
        c("param long to double", (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "double", "default": 5.0, "shape": null}]"#)), &[r#"{"dataframe_records": [{"a": 1}], "params": {"k": 3}}"#], Compatible),
        c("param double to long", (Some(A_LONG), None, Some(r#"[{"name": "t", "type": "double", "default": 0.5, "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "t", "type": "long", "default": 1, "shape": null}]"#)), &[r#"{"dataframe_records": [{"a": 1}], "params": {"t": 0.7}}"#], Breaking),
        c("param default changed", (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 10, "shape": null}]"#)), &[ REC_A, r#"{"dataframe_records": [{"a": 1}], "params": {"k": 3}}"#, ], Compatible),
        c("param scalar to list", (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "k", "type": "long", "default": [5], "shape": [-1]}]"#)), &[r#"{"dataframe_records": [{"a": 1}], "params": {"k": 3}}"#], Breaking),
        c("param string to long", (Some(A_LONG), None, Some(r#"[{"name": "p", "type": "string", "default": "x", "shape": null}]"#)), (Some(A_LONG), None, Some(r#"[{"name": "p", "type": "long", "default": 1, "shape": null}]"#)), &[r#"{"dataframe_records": [{"a": 1}], "params": {"p": "fast"}}"#], Breaking),
        // --- outputs (predictions of NEW checked against OLD's promise) ---
        out("output removed", (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}, {"type": "double", "name": "q", "required": true}]"#), None), (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}]"#), None), &[r#"{"dataframe_records": [{"p": 1.5}]}"#], Breaking),
        out("output added", (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}]"#), None), (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}, {"type": "double", "name": "q", "required": true}]"#), None), &[r#"{"dataframe_records": [{"p": 1.5, "q": 2.5}]}"#], Compatible),
        out_typed("output long to double", (Some(A_LONG), Some(r#"[{"type": "long", "name": "p", "required": true}]"#), None), (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}]"#), None), &[r#"{"dataframe_records": [{"p": 1.5}]}"#], || vec![table(vec![("p", Arc::new(Float64Array::from(vec![1.5])) as ArrayRef)])], Breaking),
        out("output required to optional", (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}, {"type": "double", "name": "q", "required": true}]"#), None), (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}, {"type": "double", "name": "q", "required": false}]"#), None), &[ r#"{"dataframe_records": [{"p": 1.5, "q": 2.5}]}"#, r#"{"dataframe_records": [{"p": 1.5}]}"#, ], Breaking),
        out("output optional to required", (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}, {"type": "double", "name": "q", "required": false}]"#), None), (Some(A_LONG), Some(r#"[{"type": "double", "name": "p", "required": true}, {"type": "double", "name": "q", "required": true}]"#), None), &[r#"{"dataframe_records": [{"p": 1.5, "q": 2.5}]}"#], Compatible),

    ]
}

#[test]
fn every_classification_matches_a_replay_through_mlflow_enforcement() {
    let cases = cases();
    assert!(cases.len() >= 30, "{}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let old = sig(case.old);
        let new = sig(case.new);
        let report = diff_signatures(old.as_ref(), new.as_ref());
        let diff_verdict = if report.is_breaking() {
            Breaking
        } else {
            Compatible
        };
        // Every replayed request must be valid for OLD, and there must be some.
        let typed = (case.typed)();
        let total =
            case.requests.len() + typed.len() + case.responses.len() + (case.typed_out)().len();
        assert!(total > 0, "{}: nothing to replay", case.name);
        let mut refused = Vec::new();
        for body in case.requests {
            if let Err(e) = passes_json(old.as_ref(), body) {
                panic!("{}: request not valid for OLD: {body}: {e}", case.name);
            }
            if let Err(e) = passes_json(new.as_ref(), body) {
                refused.push(format!("{body}: {e}"));
            }
        }
        for input in typed {
            if let Err(e) = passes_typed(old.as_ref(), input.clone()) {
                panic!("{}: typed input not valid for OLD: {e}", case.name);
            }
            if let Err(e) = passes_typed(new.as_ref(), input) {
                refused.push(format!("typed input: {e}"));
            }
        }
        let (old_out, new_out) = (outputs_as_inputs(case.old), outputs_as_inputs(case.new));
        for body in case.responses {
            if let Err(e) = passes_json(new_out.as_ref(), body) {
                panic!(
                    "{}: prediction not valid for NEW's outputs: {body}: {e}",
                    case.name
                );
            }
            if let Err(e) = passes_json(old_out.as_ref(), body) {
                refused.push(format!("prediction {body}: {e}"));
            }
        }
        for output in (case.typed_out)() {
            if let Err(e) = passes_typed(new_out.as_ref(), output.clone()) {
                panic!(
                    "{}: typed prediction not valid for NEW's outputs: {e}",
                    case.name
                );
            }
            if let Err(e) = passes_typed(old_out.as_ref(), output) {
                refused.push(format!("typed prediction: {e}"));
            }
        }
        let replay_verdict = if refused.is_empty() {
            Compatible
        } else {
            Breaking
        };
        if diff_verdict != case.expect || replay_verdict != case.expect {
            failures.push(format!(
                "{}: expected {:?}, diff says {:?}, replay says {:?} ({refused:?})\n{}",
                case.name,
                case.expect,
                diff_verdict,
                replay_verdict,
                signet::diff::render_text(&report)
            ));
        }
        // A change is listed for every pair but the identical one.
        assert_eq!(
            report.changes.is_empty(),
            case.name == "identical",
            "{}",
            case.name
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn changes_are_listed_with_kinds_and_guesses() {
    let old = sig((
        Some(A_B_OPT),
        Some(r#"[{"type": "double", "name": "p", "required": true}]"#),
        Some(r#"[{"name": "k", "type": "long", "default": 5, "shape": null}]"#),
    ));
    let new = sig((
        Some(
            r#"[{"type": "integer", "name": "a", "required": false}, {"type": "long", "name": "c", "required": true}]"#,
        ),
        None,
        Some(r#"[{"name": "k", "type": "long", "default": 6, "shape": null}]"#),
    ));
    let report = diff_signatures(old.as_ref(), new.as_ref());
    let got: Vec<(&str, &str, &str, Severity, bool)> = report
        .changes
        .iter()
        .map(|c| {
            (
                c.section.name(),
                c.item.as_str(),
                c.kind,
                c.severity,
                c.guess,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("inputs", "a", "type_changed", Severity::Breaking, false),
            (
                "inputs",
                "a",
                "required_to_optional",
                Severity::Compatible,
                false
            ),
            ("inputs", "b → c", "renamed", Severity::Breaking, true),
            ("outputs", "-", "schema_removed", Severity::Breaking, false),
            (
                "params",
                "k",
                "default_changed",
                Severity::Compatible,
                false
            ),
        ]
    );
    let text = signet::diff::render_text(&report);
    assert!(
        text.contains(
            "BREAKING    inputs b → c renamed (guess): long (optional) → long (required)"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("5 change(s), 3 breaking: BREAKING for existing callers\n"),
        "{text}"
    );
    let json = signet::diff::render_json(&report);
    assert!(json.starts_with(r#"{"breaking": true, "changes": [{"section": "inputs", "item": "a", "kind": "type_changed", "old": "long", "new": "integer", "severity": "breaking""#), "{json}");
}
