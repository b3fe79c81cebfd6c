//! [`EnforceError`]: why an input was refused, as data, with MLflow's message as `Display`.

use std::fmt;

/// The kind of an enforcement failure (the conformance corpus' `error_class`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A required column or tensor is absent, or fewer columns than an unnamed schema declares.
    MissingInputs,
    /// A value or column cannot be (safely) converted to the declared type.
    IncompatibleType,
    /// A tensor's shape does not match, or cannot be reshaped to, the declared shape.
    ShapeMismatch,
    /// Params refused.
    InvalidParams,
    /// The input container itself is unusable for the schema.
    InvalidInput,
    /// Anything else.
    Other,
}

impl ErrorKind {
    /// The corpus name of the kind (`missing_inputs`, `incompatible_type`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::MissingInputs => "missing_inputs",
            ErrorKind::IncompatibleType => "incompatible_type",
            ErrorKind::ShapeMismatch => "shape_mismatch",
            ErrorKind::InvalidParams => "invalid_params",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Other => "other",
        }
    }
}

/// Where in the input a failure was found, when it can be pinned down.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The column, tensor or param name MLflow's message names.
    pub column: Option<String>,
    /// The 0-based row of the offending value (strict mode reports it).
    pub row: Option<usize>,
    /// The offending value, rendered as Python would (`'1500'`, `1500.5`).
    pub value: Option<String>,
}

/// An input or params refused by enforcement.
///
/// `Display` is MLflow's inner message (`Model is missing inputs ['bedrooms'].`); input-schema
/// failures are `wrapped` by MLflow in `Failed to enforce schema of data '...' with schema
/// '...'. Error: <message>`, which [`EnforceError::wrapped_message`] builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnforceError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// Where (boxed to keep `Result<_, EnforceError>` small; fields read through it as usual).
    pub location: Box<Location>,
    /// The declared type, when the failure is a type mismatch (`int64`, `Array(long)`).
    pub expected: Option<String>,
    /// The type found, when known (`str`, `float64`).
    pub found: Option<String>,
    /// Whether MLflow wraps the message as an input-schema failure (false for params errors).
    pub wrapped: bool,
    /// The Python exception class MLflow raised (`MlflowException`, `TypeError`, ...).
    pub exception: &'static str,
    message: String,
}

impl EnforceError {
    /// A wrapped input-schema failure with MLflow's message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> EnforceError {
        EnforceError {
            kind,
            location: Box::default(),
            expected: None,
            found: None,
            wrapped: true,
            exception: "MlflowException",
            message: message.into(),
        }
    }

    /// A params failure (not wrapped).
    pub fn params(message: impl Into<String>) -> EnforceError {
        EnforceError {
            wrapped: false,
            ..EnforceError::new(ErrorKind::InvalidParams, message)
        }
    }

    /// A wrapped input-schema failure raised by numpy or pandas rather than MLflow: `exception`
    /// is the Python class (`ValueError`, `TypeError`, ...) and `message` its raw text, which
    /// MLflow's wrapper quotes unchanged.
    pub fn raw(
        kind: ErrorKind,
        exception: &'static str,
        message: impl Into<String>,
    ) -> EnforceError {
        EnforceError {
            exception,
            ..EnforceError::new(kind, message)
        }
    }

    /// A strict-mode refusal of a value MLflow would convert lossily or nonsensically
    /// (`1.5` truncated to an integer, `None` turned into the text `'None'`, ...).
    ///
    /// `column` is the column or tensor name (`None` for an unnamed input), `row` the 0-based
    /// row, `value` the value as Python renders it, `target` the dtype it was to become and
    /// `reason` why the conversion is refused. The message reads
    /// `Can not safely convert 1.5 at row 0 of column 'x' to int64: the fractional part would be lost.`
    pub fn lossy(
        column: Option<&str>,
        row: usize,
        value: impl Into<String>,
        target: &str,
        reason: &str,
    ) -> EnforceError {
        let value = value.into();
        let place = match column {
            Some(c) => format!("column '{c}'"),
            None => "the unnamed input".to_string(),
        };
        let mut err = EnforceError::new(
            ErrorKind::IncompatibleType,
            format!(
                "Can not safely convert {value} at row {row} of {place} to {target}: {reason}."
            ),
        )
        .at(row, value);
        err.expected = Some(target.to_string());
        err.location.column = column.map(str::to_string);
        err
    }

    /// Sets the column the message names.
    pub fn column(mut self, column: impl Into<String>) -> EnforceError {
        self.location.column = Some(column.into());
        self
    }

    /// Sets the row and value (strict mode's extra precision).
    pub fn at(mut self, row: usize, value: impl Into<String>) -> EnforceError {
        self.location.row = Some(row);
        self.location.value = Some(value.into());
        self
    }

    /// Sets expected and found types.
    pub fn types(mut self, expected: impl Into<String>, found: impl Into<String>) -> EnforceError {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// Sets the Python exception class MLflow reports.
    pub fn exception(mut self, class: &'static str) -> EnforceError {
        self.exception = class;
        self
    }

    /// MLflow's inner message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message as MLflow raises it from `predict`: wrapped failures become
    /// `Failed to enforce schema of data '<data>' with schema '<schema>'. Error: <message>`.
    pub fn wrapped_message(&self, data_repr: &str, schema_repr: &str) -> String {
        if self.wrapped {
            format!(
                "Failed to enforce schema of data '{data_repr}' with schema '{schema_repr}'. Error: {}",
                self.message
            )
        } else {
            self.message.clone()
        }
    }
}

impl fmt::Display for EnforceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EnforceError {}
