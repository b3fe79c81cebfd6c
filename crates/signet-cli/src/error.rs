//! The CLI's error: a message for `signet: error: ...` and the process exit code.

use std::fmt;
use std::path::Path;

/// Exit code for usage, I/O and data-file errors (clap uses it for usage errors too).
pub const EXIT_ERROR: u8 = 2;

/// A command failed before producing its result. Exit code 1 is reserved for "violations"
/// reported by a later `check` command, so every `CliError` exits with [`EXIT_ERROR`].
#[derive(Debug)]
pub struct CliError {
    message: String,
}

impl CliError {
    /// An error with a complete message (without the `signet: error: ` prefix).
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
        }
    }

    /// An error about a file: `<path>: <problem>`.
    pub fn file(path: &Path, problem: impl fmt::Display) -> CliError {
        CliError::new(format!("{}: {problem}", path.display()))
    }

    /// Python's `json` refusing `path`'s text at `line` (1-based; the file's line, not the
    /// parser's, for one-document-a-line files).
    pub fn json(path: &Path, line: usize, e: &signet::pyjson::JsonError) -> CliError {
        CliError::file(
            path,
            format!(
                "invalid JSON on line {line}, column {}: {}",
                e.column, e.msg
            ),
        )
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        EXIT_ERROR
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}
