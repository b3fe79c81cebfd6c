//! `.json` and `.jsonl` files, decoded as Python's `json` module does ([`signet::pyjson`]).

use super::{read_file, utf8_text};
use crate::error::CliError;
use signet::{pyjson, ModelInput, Value};
use std::path::Path;

/// A `.json` file: the one JSON value it holds (a list of records, a dict, ...).
pub fn read_json(path: &Path) -> Result<ModelInput, CliError> {
    parse_document(path, &read_file(path)?).map(ModelInput::Value)
}

/// A `.jsonl` file: the list of the JSON values on its non-blank lines.
pub fn read_jsonl(path: &Path) -> Result<ModelInput, CliError> {
    let bytes = read_file(path)?;
    let text = utf8_text(path, &bytes)?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value = pyjson::loads(line).map_err(|e| CliError::json(path, n + 1, &e))?;
        rows.push(value);
    }
    Ok(ModelInput::Value(Value::List(rows)))
}

/// A whole file as one JSON document.
pub fn parse_document(path: &Path, bytes: &[u8]) -> Result<Value, CliError> {
    let text = utf8_text(path, bytes)?;
    pyjson::loads(text).map_err(|e| CliError::json(path, e.line, &e))
}

/// The JSON kind of a decoded value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::None => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::List(_) => "array",
        Value::Dict(_) => "object",
        _ => "value",
    }
}
