//! `signature_block` against the MLmodel files MLflow itself wrote: for every
//! `mlmodel/saved/...` case of the conformance corpus (`SIGNET_CONFORMANCE_DIR`, default
//! `../shared/conformance` relative to the workspace root) that has a signature, the block
//! rendered from the recorded `to_dict()` form must appear verbatim in the recorded file.
//! Skipped (with a note) when the corpus is not present.

use signet::pyjson;
use signet::{SignatureDict, Value};
use signet_model::signature_block;
use std::path::{Path, PathBuf};

fn conformance_dir() -> PathBuf {
    let dir =
        std::env::var("SIGNET_CONFORMANCE_DIR").unwrap_or_else(|_| "../shared/conformance".into());
    let dir = PathBuf::from(dir);
    if dir.is_absolute() {
        dir
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir)
    }
}

fn opt_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

#[test]
fn signature_blocks_match_mlflow() {
    let path = conformance_dir().join("mlmodel.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let mut checked = 0;
    for line in text.lines() {
        let case = pyjson::loads(line).expect("conformance line is JSON");
        let id = opt_str(case.get("id")).unwrap_or_default();
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
    assert!(
        checked > 0,
        "no saved case with a signature in {}",
        path.display()
    );
    eprintln!("{checked} signature blocks match");
}
