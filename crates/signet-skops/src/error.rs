//! [`SkopsError`]: why a skops file could not be read, naming the file and the node.

use std::fmt;

/// A failure to read a skops file. `Display` is `<file>: <where>: <what>` (the file once known,
/// the node path or zip member when there is one).
#[derive(Clone, Debug, PartialEq)]
pub struct SkopsError {
    /// The skops file (empty when reading from bytes without a name).
    pub file: String,
    /// The node path (`steps[0][1].mean_`), zip member (`123.npy`) or empty.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl SkopsError {
    /// An error about the file as a whole.
    pub fn new(message: impl Into<String>) -> SkopsError {
        SkopsError {
            file: String::new(),
            location: String::new(),
            message: message.into(),
        }
    }

    /// An error at a node (or zip member).
    pub fn at_node(location: impl Into<String>, message: impl Into<String>) -> SkopsError {
        SkopsError {
            file: String::new(),
            location: location.into(),
            message: message.into(),
        }
    }

    /// Sets the file name (kept when already set).
    pub fn in_file(mut self, file: impl fmt::Display) -> SkopsError {
        if self.file.is_empty() {
            self.file = file.to_string();
        }
        self
    }
}

impl fmt::Display for SkopsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}: ", self.file)?;
        }
        if !self.location.is_empty() {
            write!(f, "at {}: ", self.location)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SkopsError {}
