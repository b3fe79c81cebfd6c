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

use super::{open_file, read_file};
use crate::error::CliError;
use arrow_array::{ArrayRef, RecordBatch, RecordBatchReader};
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::errors::ParquetError;
use signet::table::PANDAS_DTYPE_KEY;
use signet::{pyjson, ModelInput, Value};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// pandas dtypes restored from pandas metadata (`numpy_type`) because the Arrow type alone
/// would say something else.
const RESTORED_DTYPES: &[&str] = &[
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64",
    "boolean", "string", "object",
];

/// Reads a Parquet file.
pub fn read_parquet(path: &Path) -> Result<ModelInput, CliError> {
    let file = open_file(path)?;
    let bad = |e: ParquetError| {
        let message = match e {
            ParquetError::General(m) => m,
            other => other.to_string(),
        };
        CliError::file(path, format!("not a readable Parquet file: {message}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(bad)?;
    // The reader's schema has no metadata; pandas' is on the builder's.
    let metadata = builder.schema().metadata().clone();
    let reader = builder.build().map_err(bad)?;
    let schema = Arc::new(reader.schema().as_ref().clone().with_metadata(metadata));
    collect(path, schema, reader, "Parquet file")
}

/// Reads an Arrow IPC file (Feather v2) or stream.
pub fn read_ipc(path: &Path) -> Result<ModelInput, CliError> {
    let bytes = read_file(path)?;
    if bytes.starts_with(b"FEA1") {
        return Err(CliError::file(
            path,
            "Feather version 1 files are not supported (save it as Feather v2 / Arrow IPC)",
        ));
    }
    if bytes.starts_with(b"ARROW1") {
        let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(|e| {
            CliError::file(
                path,
                format!("not a readable Arrow IPC file: {}", strip(&e)),
            )
        })?;
        collect(path, reader.schema(), reader, "Arrow IPC file")
    } else {
        let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| {
            CliError::file(
                path,
                format!("not a readable Arrow IPC file or stream: {}", strip(&e)),
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
    let bad = |e: ArrowError| CliError::file(path, format!("not a readable {what}: {}", strip(&e)));
    let batches = batches.collect::<Result<Vec<_>, _>>().map_err(bad)?;
    let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(bad)?;
    pandas_view(batch)
        .map(ModelInput::Table)
        .map_err(|e| CliError::file(path, format!("cannot convert the table: {}", strip(&e))))
}

/// Arrow's messages start with the error kind ("Parser error: ..."); keep the message.
fn strip(e: &ArrowError) -> String {
    match e {
        ArrowError::ParseError(m)
        | ArrowError::IpcError(m)
        | ArrowError::InvalidArgumentError(m)
        | ArrowError::ParquetError(m) => m.clone(),
        ArrowError::IoError(_, e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "unexpected end of data".to_string()
        }
        other => other.to_string(),
    }
}

/// What `Table.to_pandas()` gives, in signet's Arrow conventions.
fn pandas_view(batch: RecordBatch) -> Result<RecordBatch, ArrowError> {
    let schema = batch.schema();
    let pandas = schema
        .metadata()
        .get("pandas")
        .and_then(|text| pyjson::loads(text).ok());
    let index_columns: Vec<String> = match pandas.as_ref().and_then(|p| p.get("index_columns")) {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::Str(s) => Some(s.clone()),
                _ => None, // RangeIndex descriptors
            })
            .collect(),
        _ => Vec::new(),
    };
    let numpy_types: HashMap<String, String> = match pandas.as_ref().and_then(|p| p.get("columns"))
    {
        Some(Value::List(columns)) => columns
            .iter()
            .filter_map(|c| match (c.get("field_name"), c.get("numpy_type")) {
                (Some(Value::Str(f)), Some(Value::Str(t))) => Some((f.clone(), t.clone())),
                _ => None,
            })
            .collect(),
        _ => HashMap::new(),
    };

    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        if index_columns.iter().any(|c| c == field.name()) {
            continue;
        }
        let mut metadata = field.metadata().clone();
        let mut column = column.clone();
        let restored = numpy_types
            .get(field.name())
            .filter(|t| RESTORED_DTYPES.contains(&t.as_str()))
            .filter(|t| t.as_str() != "object" || is_text_or_bool(field.data_type()));
        if metadata.contains_key(PANDAS_DTYPE_KEY) {
            // Already in signet's conventions.
        } else if let Some(dtype) = restored {
            metadata.insert(PANDAS_DTYPE_KEY.to_string(), dtype.clone());
        } else if column.null_count() > 0 && field.data_type().is_integer() {
            column = arrow_cast::cast(&column, &DataType::Float64)?;
        } else if column.null_count() > 0 && field.data_type() == &DataType::Boolean {
            metadata.insert(PANDAS_DTYPE_KEY.to_string(), "object".to_string());
        }
        fields.push(
            Field::new(field.name(), column.data_type().clone(), true).with_metadata(metadata),
        );
        columns.push(column);
    }
    let schema = Schema::new(fields).with_metadata(schema.metadata().clone());
    RecordBatch::try_new(Arc::new(schema), columns)
}

fn is_text_or_bool(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Boolean
    )
}
