//! `.csv` files, read as `pd.read_csv` (C parser, default options) reads them: tokenizing,
//! missing values, labels and column typing are [`signet::pandas::csv`]'s; this module adds
//! the file and the CLI's error messages.

use super::{read_file, utf8_text};
use crate::error::CliError;
use signet::pandas::csv::{read_csv, CsvError};
use signet::ModelInput;
use std::path::Path;

/// Reads a CSV file into a DataFrame-like record batch.
pub fn read(path: &Path) -> Result<ModelInput, CliError> {
    let bytes = read_file(path)?;
    let text = utf8_text(path, &bytes)?;
    read_csv(text.as_bytes())
        .map(ModelInput::Table)
        .map_err(|e| csv_error(path, &e))
}

/// The CLI's error for a CSV text pandas would refuse: the file, the line and pandas' reason.
pub fn csv_error(path: &Path, e: &CsvError) -> CliError {
    match e {
        CsvError::Empty => CliError::file(path, "no columns to parse (empty CSV file)"),
        CsvError::Parse { message, line } => CliError::file(
            path,
            format!("invalid CSV: line {line}: {}", message.trim_end()),
        ),
        CsvError::Io(m) => CliError::file(path, format!("cannot read: {m}")),
    }
}
