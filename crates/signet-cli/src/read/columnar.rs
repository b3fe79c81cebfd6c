//! Parquet and Arrow IPC (Feather v2) files, as pandas reads them through pyarrow
//! (`pd.read_parquet`, `pd.read_feather`, i.e. `Table.to_pandas()`).
//!
//! The Arrow columns are kept, with the conversions `to_pandas` makes that change what a
//! signature says (see [`signet::table`] for how Arrow types stand for pandas dtypes):
//!
//! * when the file carries pandas' own metadata (written by `DataFrame.to_parquet` /
//!   `to_feather`), the dtypes it records are restored: nullable `Int64`, `boolean`,
//!   `Float64`, `string`, ... and `object` text columns; index columns are dropped;
//! * otherwise an integer column with nulls becomes `float64` (nulls are NaN) and a boolean
//!   column with nulls an `object` column;
//! * a field that already has a `signet.pandas_dtype` is left as it is.

use super::{arrow_message, open_file, read_file, FEATHER_V1};
use crate::error::CliError;
use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::errors::ParquetError;
use signet::ModelInput;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// Checks a Parquet file's footer metadata before the parquet crate decodes it
/// ([`signet_protocol::parquet_footer`]: a corrupt length would make it abort).
pub fn check_parquet_footer(path: &Path, file: &mut std::fs::File) -> Result<(), CliError> {
    use std::io::{Read, Seek, SeekFrom};
    let bad = |m: String| CliError::file(path, format!("not a readable Parquet file: {m}"));
    let io = |e: std::io::Error| CliError::file(path, format!("cannot read: {e}"));
    let size = file.seek(SeekFrom::End(0)).map_err(io)?;
    if size < 12 {
        return Err(bad(format!("{size} bytes is too short for a Parquet file")));
    }
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::End(-8)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    let len = u64::from(u32::from_le_bytes(tail[..4].try_into().expect("4 bytes")));
    // The metadata, plus the 8 bytes after it, as one slice for `footer`.
    let start = size.saturating_sub(8 + len);
    let mut buf = Vec::new();
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    file.take(size - start).read_to_end(&mut buf).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    signet_protocol::parquet_footer::footer(&buf)
        .and_then(signet_protocol::parquet_footer::check)
        .map_err(bad)
}

/// Reads a Parquet file.
pub fn read_parquet(path: &Path) -> Result<ModelInput, CliError> {
    let mut file = open_file(path)?;
    check_parquet_footer(path, &mut file)?;
    let bad = |e: ParquetError| {
        let message = match e {
            ParquetError::General(m) => m,
            other => other.to_string(),
        };
        CliError::file(path, format!("not a readable Parquet file: {message}"))
    };
    // The parquet crate panics on some malformed files (the data_parquet fuzz target).
    signet::guard::catch_panic(|| {
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(bad)?;
        // The reader's schema has no metadata; pandas' is on the builder's.
        let metadata = builder.schema().metadata().clone();
        let reader = builder.build().map_err(bad)?;
        let schema = Arc::new(reader.schema().as_ref().clone().with_metadata(metadata));
        collect(path, schema, reader, "Parquet file")
    })
    .map_err(|panic| CliError::file(path, format!("not a readable Parquet file: {panic}")))?
}

/// Reads an Arrow IPC file (Feather v2) or stream.
pub fn read_ipc(path: &Path) -> Result<ModelInput, CliError> {
    let bytes = read_file(path)?;
    if bytes.starts_with(b"FEA1") {
        return Err(CliError::file(path, FEATHER_V1));
    }
    signet::guard::catch_panic(|| read_ipc_bytes(path, bytes))
        .map_err(|panic| CliError::file(path, format!("not a readable Arrow IPC file: {panic}")))?
}

/// [`read_ipc`] after the file is read (inside the panic guard).
fn read_ipc_bytes(path: &Path, bytes: Vec<u8>) -> Result<ModelInput, CliError> {
    if bytes.starts_with(b"ARROW1") {
        let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(|e| {
            CliError::file(
                path,
                format!("not a readable Arrow IPC file: {}", arrow_message(&e)),
            )
        })?;
        collect(path, reader.schema(), reader, "Arrow IPC file")
    } else {
        let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| {
            CliError::file(
                path,
                format!(
                    "not a readable Arrow IPC file or stream: {}",
                    arrow_message(&e)
                ),
            )
        })?;
        collect(path, reader.schema(), reader, "Arrow IPC stream")
    }
}

/// All batches of a reader as one DataFrame-like batch.
fn collect(
    path: &Path,
    schema: SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch, ArrowError>>,
    what: &str,
) -> Result<ModelInput, CliError> {
    let bad = |e: ArrowError| {
        CliError::file(
            path,
            format!("not a readable {what}: {}", arrow_message(&e)),
        )
    };
    let batches = batches.collect::<Result<Vec<_>, _>>().map_err(bad)?;
    let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(bad)?;
    signet::table::pandas_view(batch)
        .map(ModelInput::Table)
        .map_err(|e| {
            CliError::file(
                path,
                format!("cannot convert the table: {}", arrow_message(&e)),
            )
        })
}
