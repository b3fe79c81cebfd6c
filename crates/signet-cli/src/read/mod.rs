//! Reading example data files into [`ModelInput`]s, typed the way pandas' readers would type
//! them (MLflow users infer from `pd.read_csv(...)`, `pd.read_parquet(...)`, ...).
//!
//! | extension | read as |
//! | --- | --- |
//! | `.csv` | a DataFrame, as `pd.read_csv` types it ([`csv`]) |
//! | `.parquet` | a DataFrame, as `pd.read_parquet` (pyarrow) gives it ([`columnar`]) |
//! | `.arrow`, `.ipc`, `.feather` | a DataFrame from an Arrow IPC file or stream, as `pd.read_feather` gives it ([`columnar`]) |
//! | `.json` | the Python object `json.load` returns, e.g. a list of records ([`json`]) |
//! | `.jsonl` | the list of the objects on each line ([`json`]) |
//!
//! JSON is deliberately *not* turned into a DataFrame: a list of records is itself a model
//! input MLflow accepts, and `infer_signature(records)` types each column from its values just
//! like the DataFrame would (except that mixing ints and floats in one column, which pandas
//! would widen to float64, makes MLflow fall back to `any`).

pub mod columnar;
pub mod csv;
pub mod json;
pub mod stream;

use crate::error::CliError;
use signet::{ModelInput, Value};
use std::path::Path;

/// The supported extensions, for error messages.
const SUPPORTED: &str = ".csv, .parquet, .json, .jsonl, .arrow, .ipc, .feather";

/// Reads an example input/output file, choosing the reader by extension.
pub fn read_data(path: &Path) -> Result<ModelInput, CliError> {
    let ext = file_extension(path)?;
    let reader: fn(&Path) -> Result<ModelInput, CliError> = match ext.as_deref() {
        Some("csv") => csv::read,
        Some("parquet") => columnar::read_parquet,
        Some("arrow") | Some("ipc") | Some("feather") => columnar::read_ipc,
        Some("json") => json::read_json,
        Some("jsonl") => json::read_jsonl,
        Some(other) => {
            return Err(CliError::file(
                path,
                format!("unsupported file extension `.{other}` (supported: {SUPPORTED})"),
            ))
        }
        None => {
            return Err(CliError::file(
                path,
                format!("no file extension to tell the format by (supported: {SUPPORTED})"),
            ))
        }
    };
    reader(path)
}

/// Reads `--params FILE.json`: a JSON object of parameter names to default values, in file
/// order.
pub fn read_params(path: &Path) -> Result<Vec<(String, Value)>, CliError> {
    let bytes = read_file(path)?;
    match json::parse_document(path, &bytes)? {
        Value::Dict(items) => items
            .into_iter()
            .map(|(k, v)| match k {
                Value::Str(k) => Ok((k, v)),
                _ => Err(CliError::file(path, "params keys must be strings")),
            })
            .collect(),
        other => Err(CliError::file(
            path,
            format!(
                "params must be a JSON object of name → value, got a JSON {}",
                json::kind(&other)
            ),
        )),
    }
}

/// The whole file, or an error naming it.
pub fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| io_error(path, e))
}

/// The file opened for reading, or an error naming it.
pub fn open_file(path: &Path) -> Result<std::fs::File, CliError> {
    if path.is_dir() {
        return Err(CliError::file(path, "is a directory, not a file"));
    }
    std::fs::File::open(path).map_err(|e| io_error(path, e))
}

/// The refusal of a Feather version 1 file (pandas' old `to_feather` format).
pub(crate) const FEATHER_V1: &str =
    "Feather version 1 files are not supported (save it as Feather v2 / Arrow IPC)";

/// An Arrow or Parquet error's own message: Arrow's text starts with the error kind
/// ("Parser error: ..."), which the CLI's file-and-problem form does not repeat.
pub(crate) fn arrow_message(e: &arrow_schema::ArrowError) -> String {
    use arrow_schema::ArrowError;
    match e {
        ArrowError::ParseError(m)
        | ArrowError::CsvError(m)
        | ArrowError::IpcError(m)
        | ArrowError::InvalidArgumentError(m)
        | ArrowError::ParquetError(m) => m.clone(),
        ArrowError::IoError(_, e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "unexpected end of data".to_string()
        }
        other => other.to_string(),
    }
}

/// The lower-case extension of a data file, after checking that it is a file that can be read.
pub(crate) fn file_extension(path: &Path) -> Result<Option<String>, CliError> {
    match std::fs::metadata(path) {
        Err(e) => return Err(io_error(path, e)),
        Ok(m) if m.is_dir() => return Err(CliError::file(path, "is a directory, not a file")),
        Ok(_) => {}
    }
    Ok(path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase))
}

fn io_error(path: &Path, e: std::io::Error) -> CliError {
    let problem = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ if path.is_dir() => "is a directory, not a file".to_string(),
        _ => format!("cannot read: {e}"),
    };
    CliError::file(path, problem)
}

/// The file's text (a leading UTF-8 byte-order mark removed), or an error giving the byte
/// offset and line of the first invalid UTF-8 sequence.
pub fn utf8_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, CliError> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    std::str::from_utf8(&bytes[bom..]).map_err(|e| {
        let offset = bom + e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        CliError::file(
            path,
            format!(
                "not valid UTF-8: invalid byte 0x{:02X} at byte offset {offset} (line {line})",
                bytes[offset]
            ),
        )
    })
}
