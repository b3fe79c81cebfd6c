//! `application/vnd.apache.parquet` requests (SERVING.md §7): the body read as `pd.read_parquet`
//! reads it (pyarrow's `Table.to_pandas()`), with no schema-driven casting.

use super::RequestError;
use crate::input::ModelInput;
use crate::pyjson;
use crate::table::PANDAS_DTYPE_KEY;
use crate::value::Value;
use arrow_array::{ArrayRef, RecordBatch, RecordBatchReader};
use arrow_schema::{DataType as ArrowType, Field, Schema as ArrowSchema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::HashMap;
use std::sync::Arc;

fn parse_error(msg: &str) -> RequestError {
    RequestError::with_trace(
        format!(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid Parquet Pandas DataFrame produced using the `pandas.DataFrame.to_parquet()` method. Error: '{msg}'"
        ),
        format!("ArrowInvalid: {msg}"),
    )
}

/// pandas dtypes that the Arrow type alone does not restore.
const RESTORED: &[&str] = &[
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64",
    "boolean", "string", "object",
];

/// `Table.to_pandas()` in signet's conventions: index columns dropped, pandas' extension
/// dtypes restored from the `pandas` metadata, integers with nulls as float64, booleans with
/// nulls as object.
fn pandas_view(batch: RecordBatch) -> Result<RecordBatch, String> {
    let schema = batch.schema();
    let pandas = schema
        .metadata()
        .get("pandas")
        .and_then(|t| pyjson::loads(t).ok());
    let index: Vec<String> = match pandas.as_ref().and_then(|p| p.get("index_columns")) {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let numpy_types: HashMap<String, String> = match pandas.as_ref().and_then(|p| p.get("columns"))
    {
        Some(Value::List(cols)) => cols
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
        if index.iter().any(|c| c == field.name()) {
            continue;
        }
        let mut md = field.metadata().clone();
        let mut column = column.clone();
        let text_or_bool = matches!(
            field.data_type(),
            ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View | ArrowType::Boolean
        );
        let restored = numpy_types
            .get(field.name())
            .filter(|t| RESTORED.contains(&t.as_str()))
            .filter(|t| t.as_str() != "object" || text_or_bool);
        if md.contains_key(PANDAS_DTYPE_KEY) {
        } else if let Some(d) = restored {
            md.insert(PANDAS_DTYPE_KEY.to_string(), d.clone());
        } else if column.null_count() > 0 && field.data_type().is_integer() {
            column = arrow_cast::cast(&column, &ArrowType::Float64).map_err(|e| e.to_string())?;
        } else if column.null_count() > 0 && field.data_type() == &ArrowType::Boolean {
            md.insert(PANDAS_DTYPE_KEY.to_string(), "object".to_string());
        }
        fields.push(Field::new(field.name(), column.data_type().clone(), true).with_metadata(md));
        columns.push(column);
    }
    let rows = batch.num_rows();
    RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        columns,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| e.to_string())
}

/// Parses a Parquet body.
pub(crate) fn parse_parquet(body: &[u8]) -> Result<ModelInput, RequestError> {
    if body.is_empty() {
        return Err(parse_error(
            "Could not open Parquet input source '<Buffer>': Parquet file size is 0 bytes",
        ));
    }
    if body.len() < 12 || !body.ends_with(b"PAR1") {
        return Err(parse_error(
            "Could not open Parquet input source '<Buffer>': Parquet magic bytes not found in footer. Either the file is corrupted or this is not a parquet file.",
        ));
    }
    let bytes = bytes::Bytes::copy_from_slice(body);
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(bytes).map_err(|e| parse_error(&e.to_string()))?;
    let metadata = builder.schema().metadata().clone();
    let reader = builder.build().map_err(|e| parse_error(&e.to_string()))?;
    let schema = Arc::new(reader.schema().as_ref().clone().with_metadata(metadata));
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| parse_error(&e.to_string()))?;
    let batch = arrow_select::concat::concat_batches(&schema, &batches)
        .map_err(|e| parse_error(&e.to_string()))?;
    pandas_view(batch)
        .map(ModelInput::Table)
        .map_err(|e| parse_error(&e))
}
