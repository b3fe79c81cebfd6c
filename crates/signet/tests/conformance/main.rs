//! Conformance replay: every case recorded from MLflow 3.17.2 in the directory named by
//! `SIGNET_CONFORMANCE_DIR` (default `../shared/conformance`, relative to the workspace root)
//! is replayed against signet.
//!
//! Prints one line per kind (`conformance infer: 170 passed, 5 failed`). A failing case must be
//! listed, with its reason, in `conformance/known-gaps.tsv`; any other failure fails the test,
//! and so does a listed gap that now passes (the list must shrink). When
//! `SIGNET_CONFORMANCE_REPORT` names a file, a JSON report of every failing case is written there.

mod convert;
mod enforce;
mod infer;
mod mlmodel;
mod serve;

use signet::pyjson;
use signet::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The kinds replayed so far, in report order, with the function checking one case.
/// A checker returns `Err(difference)` when signet disagrees with the recording.
type Checker = fn(&Value) -> Result<(), String>;
const KINDS: &[(&str, Checker)] = &[
    ("infer", infer::check),
    ("enforce", enforce::check),
    ("mlmodel", mlmodel::check),
    ("serve", serve::check),
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn conformance_dir() -> PathBuf {
    let dir =
        std::env::var("SIGNET_CONFORMANCE_DIR").unwrap_or_else(|_| "../shared/conformance".into());
    let dir = PathBuf::from(dir);
    if dir.is_absolute() {
        dir
    } else {
        workspace_root().join(dir)
    }
}

/// `id -> reason` from the known-gaps file.
fn known_gaps() -> BTreeMap<String, String> {
    let path = workspace_root().join("conformance/known-gaps.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once('\t').unwrap_or((l, ""));
            assert!(
                !reason.trim().is_empty(),
                "known gap {id} has no reason in {}",
                path.display()
            );
            (id.trim().to_string(), reason.trim().to_string())
        })
        .collect()
}

fn case_id(case: &Value) -> String {
    match case.get("id") {
        Some(Value::Str(s)) => s.clone(),
        _ => "<no id>".into(),
    }
}

#[test]
fn conformance() {
    let dir = conformance_dir();
    assert!(
        dir.is_dir(),
        "conformance directory {} not found (set SIGNET_CONFORMANCE_DIR)",
        dir.display()
    );
    let gaps = known_gaps();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut report = Vec::new();
    for (kind, check) in KINDS {
        let path = dir.join(format!("{kind}.jsonl"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(_) => {
                println!("conformance {kind}: no cases ({} missing)", path.display());
                continue;
            }
        };
        let (mut passed, mut failed) = (0usize, 0usize);
        for (lineno, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let case = pyjson::loads(line)
                .unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", path.display(), lineno + 1));
            let id = case_id(&case);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&case)))
                .unwrap_or_else(|_| Err("signet panicked".to_string()));
            match outcome {
                Ok(()) => {
                    passed += 1;
                    if gaps.contains_key(&id) {
                        stale.push(id);
                    }
                }
                Err(diff) => {
                    failed += 1;
                    let known = gaps.contains_key(&id);
                    if !known {
                        unexpected.push(format!("{id}: {diff}"));
                    }
                    report.push(Value::dict([
                        ("id", Value::str(id)),
                        ("kind", Value::str(*kind)),
                        ("known_gap", Value::Bool(known)),
                        ("difference", Value::str(diff)),
                    ]));
                }
            }
        }
        println!("conformance {kind}: {passed} passed, {failed} failed");
    }
    if let Ok(out) = std::env::var("SIGNET_CONFORMANCE_REPORT") {
        let doc = Value::dict([("failures", Value::List(report))]);
        std::fs::write(&out, pyjson::dumps_indent(&doc, 2)).expect("write conformance report");
    }
    assert!(
        unexpected.is_empty(),
        "{} failing case(s) not listed in conformance/known-gaps.tsv:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "known gaps that now pass; remove them from conformance/known-gaps.tsv:\n{}",
        stale.join("\n")
    );
}
