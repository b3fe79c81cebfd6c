//! The byte cursor the JSON and UBJSON readers share: the offset in the document, errors
//! naming the file and the byte offset, the nesting limit that keeps corrupt input from
//! overflowing the stack, and the end-of-document check.

use crate::error::TreeError;

/// The deepest nesting accepted (XGBoost models nest about 8 levels).
const MAX_DEPTH: usize = 128;

/// A position in the document `file` names.
pub(crate) struct Cursor<'a> {
    /// The whole document.
    pub b: &'a [u8],
    /// The offset of the next byte.
    pub i: usize,
    file: &'a str,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8], file: &'a str) -> Self {
        Cursor {
            b: bytes,
            i: 0,
            file,
        }
    }

    /// An error at the current offset.
    pub fn err(&self, message: impl Into<String>) -> TreeError {
        self.err_at(self.i, message)
    }

    /// An error at byte `at`.
    pub fn err_at(&self, at: usize, message: impl Into<String>) -> TreeError {
        TreeError::at(self.file, format!("byte {at}"), message)
    }

    /// Refuses a value nested `depth` levels deep beyond [`MAX_DEPTH`].
    pub fn check_depth(&self, depth: usize) -> Result<(), TreeError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    /// `value`, the whole document, when nothing follows it; `format` names the document in
    /// the error.
    pub fn finish<T>(&self, value: T, format: &str) -> Result<T, TreeError> {
        if self.i != self.b.len() {
            return Err(self.err(format!("trailing data after the {format} document")));
        }
        Ok(value)
    }
}
