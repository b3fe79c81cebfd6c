//! What the CLI's end-to-end tests share: running the `signet` binary from the workspace root
//! and reading what it printed.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the binary runs there, so `examples/...` paths resolve).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `signet ARGS...` from the workspace root.
pub fn signet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signet"))
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("run signet")
}

/// What the command printed on stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the command printed on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a data-file error: exit code 2, nothing on stdout, one `signet: error:` message
/// naming the file and containing `problem`.
pub fn assert_file_error(args: &[&str], file: &str, problem: &str) {
    let out = signet(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "signet {args:?}: {err}");
    assert!(
        out.stdout.is_empty(),
        "signet {args:?} printed {}",
        stdout(&out)
    );
    assert!(err.starts_with("signet: error: "), "{err}");
    assert!(err.contains(file), "message does not name {file}: {err}");
    assert!(err.contains(problem), "message lacks {problem:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}
