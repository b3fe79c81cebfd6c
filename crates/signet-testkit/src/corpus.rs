//! The conformance corpus: cases recorded from MLflow 3.17.2 (FORMAT.md of the corpus), found,
//! read and replayed the same way by every test suite.
//!
//! Two case sets are replayed, kind by kind (`infer`, `enforce`, `serve`, `mlmodel`):
//!
//! * the public set, in the directory named by `SIGNET_CONFORMANCE_DIR` (default
//!   `../shared/conformance`, relative to the workspace root; absolute paths are used as
//!   given). It must be there and hold every kind's file: a missing directory or file fails
//!   the test, naming what is missing — a suite never passes by replaying nothing;
//! * the project's own cases, `conformance/cases/<kind>.jsonl` in the repository (behaviours
//!   probed against real MLflow by `scripts/record_cases.py`), when the file exists.
//!
//! A case that fails must be listed with its reason in `conformance/known-gaps.tsv`
//! (`<label prefix><case id><TAB><reason>`); an unlisted failure fails the suite, and so does
//! a listed gap that now passes. [`Tally`] keeps that account; [`assert_none`] fails any replay
//! that found failures, listing them.

use signet::{pyjson, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The kinds of case the corpus records.
pub const KINDS: [&str; 4] = ["infer", "enforce", "mlmodel", "serve"];

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The public case set's directory (`SIGNET_CONFORMANCE_DIR`, default `../shared/conformance`).
pub fn conformance_dir() -> PathBuf {
    let dir = PathBuf::from(
        std::env::var("SIGNET_CONFORMANCE_DIR").unwrap_or_else(|_| "../shared/conformance".into()),
    );
    if dir.is_absolute() {
        dir
    } else {
        workspace_root().join(dir)
    }
}

/// The project's own case set (`conformance/cases`).
pub fn project_cases_dir() -> PathBuf {
    workspace_root().join("conformance/cases")
}

/// One recorded case.
#[derive(Clone, Debug)]
pub struct Case {
    /// The case's `id`.
    pub id: String,
    /// The whole case.
    pub value: Value,
    /// `file:line` it was read from.
    pub source: String,
}

fn read_cases(path: &Path, out: &mut Vec<Case>) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read conformance cases {}: {e}", path.display()));
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let source = format!("{}:{}", path.display(), i + 1);
        let value = pyjson::loads(line).unwrap_or_else(|e| panic!("{source}: not JSON: {e}"));
        let id = match value.get("id") {
            Some(Value::Str(s)) => s.clone(),
            _ => panic!("{source}: case without a string `id`"),
        };
        out.push(Case { id, value, source });
    }
}

/// Every case of `kind`: the public set's (which must exist) then the project's own.
///
/// Panics, naming the path and the variable to set, when the public directory or its
/// `<kind>.jsonl` is missing.
pub fn cases(kind: &str) -> Vec<Case> {
    let dir = conformance_dir();
    assert!(
        dir.is_dir(),
        "conformance directory {} not found: set SIGNET_CONFORMANCE_DIR to the recorded cases \
         (CI provides ../shared/conformance)",
        dir.display()
    );
    let public = dir.join(format!("{kind}.jsonl"));
    assert!(
        public.is_file(),
        "conformance file {} not found: the case set in {} must hold {kind}.jsonl",
        public.display(),
        dir.display()
    );
    let mut out = Vec::new();
    read_cases(&public, &mut out);
    let own = project_cases_dir().join(format!("{kind}.jsonl"));
    if own.is_file() {
        read_cases(&own, &mut out);
    }
    out
}

/// The known-gaps list: `id -> reason` for the entries starting with `prefix` (the prefix
/// removed), e.g. `http:` for the HTTP replay, `""` for the in-process replay (entries
/// without a `word:` prefix).
pub fn known_gaps(prefix: &str) -> BTreeMap<String, String> {
    let path = workspace_root().join("conformance/known-gaps.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut gaps = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, reason) = line.split_once('\t').unwrap_or((line, ""));
        let id = id.trim();
        assert!(
            !reason.trim().is_empty(),
            "known gap {id} has no reason in {}",
            path.display()
        );
        let own = match id.split_once(':') {
            Some((word, rest)) if !word.contains('/') => {
                (prefix == format!("{word}:")).then_some(rest)
            }
            _ => prefix.is_empty().then_some(id),
        };
        if let Some(id) = own {
            gaps.insert(id.to_string(), reason.trim().to_string());
        }
    }
    gaps
}

/// The account of one replay: passes, failures, and which failures are known gaps.
#[derive(Debug)]
pub struct Tally {
    label: String,
    gaps: BTreeMap<String, String>,
    passed: usize,
    failed: usize,
    unexpected: Vec<String>,
    stale: Vec<String>,
    report: Vec<Value>,
}

impl Tally {
    /// A tally for the replay called `label` (printed), checked against the known gaps with
    /// `gap_prefix` (see [`known_gaps`]).
    pub fn new(label: &str, gap_prefix: &str) -> Tally {
        Tally {
            label: label.to_string(),
            gaps: known_gaps(gap_prefix),
            passed: 0,
            failed: 0,
            unexpected: Vec::new(),
            stale: Vec::new(),
            report: Vec::new(),
        }
    }

    /// Records one case's outcome (`Err(difference)` when signet disagrees with MLflow).
    pub fn record(&mut self, case: &Case, outcome: Result<(), String>) {
        let known = self.gaps.contains_key(&case.id);
        match outcome {
            Ok(()) => {
                self.passed += 1;
                if known {
                    self.stale.push(case.id.clone());
                }
            }
            Err(diff) => {
                self.failed += 1;
                if !known {
                    self.unexpected
                        .push(format!("{} ({}): {diff}", case.id, case.source));
                }
                self.report.push(Value::dict([
                    ("id", Value::str(case.id.clone())),
                    ("replay", Value::str(self.label.clone())),
                    ("known_gap", Value::Bool(known)),
                    ("difference", Value::str(diff)),
                ]));
            }
        }
    }

    /// Replays `cases` through `check`, a panic counting as a failure.
    pub fn replay(&mut self, cases: &[Case], check: impl Fn(&Value) -> Result<(), String>) {
        for case in cases {
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&case.value)))
                    .unwrap_or_else(|_| Err("signet panicked".to_string()));
            self.record(case, outcome);
        }
    }

    /// Prints the counts, writes the failures to `SIGNET_CONFORMANCE_REPORT` (a JSON file,
    /// `<label>` appended to its name) when set, and fails on an unlisted failure, a listed gap
    /// that passes, or a replay of nothing.
    pub fn finish(self) {
        println!(
            "conformance {}: {} passed, {} failed",
            self.label, self.passed, self.failed
        );
        if let Ok(out) = std::env::var("SIGNET_CONFORMANCE_REPORT") {
            let doc = Value::dict([("failures", Value::List(self.report))]);
            let path = format!("{out}.{}.json", self.label.replace([' ', '/'], "-"));
            std::fs::write(&path, pyjson::dumps_indent(&doc, 2))
                .unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        }
        assert!(
            self.passed + self.failed > 0,
            "conformance {}: no case replayed",
            self.label
        );
        assert_none(
            &format!(
                "conformance {}: failing case(s) not listed in conformance/known-gaps.tsv",
                self.label
            ),
            &self.unexpected,
        );
        assert_none(
            &format!(
                "conformance {}: known gaps that now pass; remove them from conformance/known-gaps.tsv",
                self.label
            ),
            &self.stale,
        );
    }
}

/// Fails a replay that found any failure: `heading (count):` then one failure a line.
pub fn assert_none(heading: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{heading} ({}):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A string member of a case.
pub fn get_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    match v.get(key) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// The signature of a case (`signature`, absent or `None` for none).
pub fn case_signature(case: &Value) -> Result<Option<signet::ModelSignature>, String> {
    match case.get("signature") {
        None | Some(Value::None) => Ok(None),
        Some(v) => signet::json_form::signature_from_value(v)
            .map(Some)
            .map_err(|e| format!("bad signature: {e}")),
    }
}

/// The directory of models written by `scripts/interop.sh` (`SIGNET_INTEROP_DIR`); panics,
/// saying how to get one, when it is not set or not a directory.
pub fn interop_dir() -> PathBuf {
    let dir = std::env::var_os("SIGNET_INTEROP_DIR")
        .map(PathBuf::from)
        .expect("SIGNET_INTEROP_DIR is not set: the interop tests run from scripts/interop.sh");
    assert!(
        dir.is_dir(),
        "SIGNET_INTEROP_DIR {} is not a directory",
        dir.display()
    );
    dir
}
