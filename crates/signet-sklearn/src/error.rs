//! [`SklearnError`]: a model that cannot be built, or an input an estimator refuses (sklearn's
//! own message where it has one).

use signet_skops::SkopsError;
use std::fmt;

/// A failure of this crate; `Display` is the message.
#[derive(Clone, Debug, PartialEq)]
pub struct SklearnError {
    /// The message.
    pub message: String,
}

impl SklearnError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> SklearnError {
        SklearnError {
            message: message.into(),
        }
    }
}

impl SklearnError {
    /// Python's `AttributeError` for a prediction method the estimator lacks.
    pub fn no_attribute(class: &str, method: &str) -> SklearnError {
        SklearnError::new(format!("'{class}' object has no attribute '{method}'"))
    }
}

impl fmt::Display for SklearnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SklearnError {}

impl From<SkopsError> for SklearnError {
    fn from(e: SkopsError) -> SklearnError {
        SklearnError::new(e.to_string())
    }
}
