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
use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, SchemaRef};
use parquet::arrow::arrow_reader::ArrowReaderMetadata;
use signet::ModelInput;
use std::io::Cursor;
use std::path::Path;

/// A Parquet file's metadata, once its footer and page headers have passed
/// [`signet_protocol::parquet_check`] (a corrupt length would make the parquet crate abort).
pub fn parquet_metadata(
    path: &Path,
    file: &std::fs::File,
) -> Result<ArrowReaderMetadata, CliError> {
    signet_protocol::parquet_check::load(file)
        .map_err(|e| CliError::file(path, format!("not a readable Parquet file: {e}")))
}

/// Reads a Parquet file ([`signet_protocol::parquet_check::read_batch`]).
pub fn read_parquet(path: &Path) -> Result<ModelInput, CliError> {
    let batch = signet_protocol::parquet_check::read_batch(open_file(path)?)
        .map_err(|e| CliError::file(path, format!("not a readable Parquet file: {e}")))?;
    // Our own conversion under the guard too, as for Arrow IPC files: a bug of ours in it
    // becomes an error naming the file.
    signet::guard::catch_panic(|| pandas_table(path, batch))
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
    pandas_table(path, batch)
}

/// The pandas view of a file's table ([`signet::table::pandas_view`]).
fn pandas_table(path: &Path, batch: RecordBatch) -> Result<ModelInput, CliError> {
    signet::table::pandas_view(batch)
        .map(ModelInput::Table)
        .map_err(|e| {
            CliError::file(
                path,
                format!("cannot convert the table: {}", arrow_message(&e)),
            )
        })
}
