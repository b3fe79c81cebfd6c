//! The one error type of this crate: every failure names the file and where in it (a byte
//! offset or a key path) it happened.

use std::fmt;

/// A model file could not be read, or a prediction could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeError {
    /// The file (or `<memory>` for text given directly).
    pub file: String,
    /// Where: `byte 1234`, `line 12`, or a key path such as `learner.objective.name`;
    /// empty when the error is not about a place in a file (e.g. bad input data).
    pub at: String,
    /// What went wrong.
    pub message: String,
}

impl TreeError {
    /// An error at a place in a file.
    pub fn at(file: &str, at: impl Into<String>, message: impl Into<String>) -> Self {
        TreeError {
            file: file.to_string(),
            at: at.into(),
            message: message.into(),
        }
    }

    /// An error about prediction input (no file position).
    pub fn input(message: impl Into<String>) -> Self {
        TreeError {
            file: String::new(),
            at: String::new(),
            message: message.into(),
        }
    }
}

/// The shape check of the evaluators' dense inputs: `x` must hold `rows` rows of `nf` values
/// and, when `out` is `Some((width, len))`, the output buffer `len == rows * width` values.
pub fn check_shape(
    rows: usize,
    nf: usize,
    x_len: usize,
    out: Option<(usize, usize)>,
) -> Result<(), TreeError> {
    let x_ok = rows.checked_mul(nf) == Some(x_len);
    let want = rows.saturating_mul(nf);
    match out {
        None if !x_ok => Err(TreeError::input(format!(
            "expected {rows} rows of {nf} features ({want} values), got {x_len} values"
        ))),
        Some((width, len)) if !x_ok || rows.checked_mul(width) != Some(len) => {
            Err(TreeError::input(format!(
                "expected {rows} rows of {nf} features ({want} values) and room for {} outputs, \
                 got {x_len} values and {len}",
                rows.saturating_mul(width)
            )))
        }
        _ => Ok(()),
    }
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.at.is_empty()) {
            (true, _) => write!(f, "{}", self.message),
            (false, true) => write!(f, "{}: {}", self.file, self.message),
            (false, false) => write!(f, "{}: {}: {}", self.file, self.at, self.message),
        }
    }
}

impl std::error::Error for TreeError {}
