//! Replays every fuzz corpus and every saved crash through the harnesses, on stable, in
//! plain `cargo test`: `fuzz/corpus/<target>/` (the minimised corpora `scripts/fuzz.sh`
//! grows) and `fuzz/regressions/<target>/` (each input that once crashed a target, kept
//! after its fix). A missing or empty corpus fails the test: a target nobody can replay is
//! not covered.

use signet_fuzz_harness::TARGETS;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted (none when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("cannot list a corpus directory").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs `harness` over `paths`, returning the files that made it panic, with the message.
fn replay(harness: fn(&[u8]), paths: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| harness(&bytes))) {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", path.display()));
        }
    }
    failures
}

#[test]
fn every_target_has_a_corpus_and_replays_it_without_a_crash() {
    let root = fuzz_dir();
    let targets = root.join("fuzz_targets");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, harness) in TARGETS {
        assert!(
            targets.join(format!("{name}.rs")).is_file(),
            "fuzz/fuzz_targets/{name}.rs is missing for harness {name}"
        );
        let corpus = files(&root.join("corpus").join(name));
        assert!(
            !corpus.is_empty(),
            "fuzz/corpus/{name}/ is missing or empty ({})",
            root.display()
        );
        let regressions = files(&root.join("regressions").join(name));
        replayed += corpus.len() + regressions.len();
        failures.extend(replay(*harness, &corpus));
        failures.extend(replay(*harness, &regressions));
    }
    assert!(
        failures.is_empty(),
        "{} of {replayed} inputs crashed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fuzz_target_has_a_harness() {
    let dir = fuzz_dir().join("fuzz_targets");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("cannot list fuzz_targets").path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            TARGETS.iter().any(|(name, _)| *name == stem),
            "{} has no entry in signet_fuzz_harness::TARGETS",
            path.display()
        );
    }
}
