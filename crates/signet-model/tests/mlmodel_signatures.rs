//! `signature_block` against the MLmodel files MLflow itself wrote: for every
//! `mlmodel/saved/...` case of the conformance corpus (`SIGNET_CONFORMANCE_DIR`, default
//! `../shared/conformance` relative to the workspace root) that has a signature, the block
//! rendered from the recorded `to_dict()` form must appear verbatim in the recorded file.

use signet::{SignatureDict, Value};
use signet_model::signature_block;
use signet_testkit::corpus::cases;

fn opt_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

#[test]
fn signature_blocks_match_mlflow() {
    let mut checked = 0;
    for case in cases("mlmodel") {
        let (id, case) = (case.id, case.value);
        if !id.starts_with("mlmodel/saved/") {
            continue;
        }
        let Some(sig @ Value::Dict(_)) = case.get("expect").and_then(|e| e.get("signature")) else {
            continue;
        };
        let dict = SignatureDict {
            inputs: opt_str(sig.get("inputs")),
            outputs: opt_str(sig.get("outputs")),
            params: opt_str(sig.get("params")),
        };
        let mlmodel = opt_str(case.get("mlmodel")).expect("mlmodel text");
        let block = signature_block(&dict);
        assert!(
            mlmodel.contains(&format!("\n{block}")),
            "{id}: block\n{block}\nnot found in\n{mlmodel}"
        );
        checked += 1;
    }
    assert!(checked > 0, "no mlmodel/saved/... case with a signature");
    eprintln!("{checked} signature blocks match");
}
