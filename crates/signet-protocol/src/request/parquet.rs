//! `application/vnd.apache.parquet` requests (docs/serving.md#parquet): the body read as `pd.read_parquet`
//! reads it (pyarrow's `Table.to_pandas()`), with no schema-driven casting.

use super::RequestError;
use arrow_array::RecordBatchReader;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use signet::input::ModelInput;
use std::sync::Arc;

fn parse_error(msg: &str) -> RequestError {
    RequestError::with_trace(
        format!(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid Parquet Pandas DataFrame produced using the `pandas.DataFrame.to_parquet()` method. Error: '{msg}'"
        ),
        format!("ArrowInvalid: {msg}"),
    )
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
    let metadata = crate::parquet_check::load(&bytes).map_err(|e| parse_error(&e))?;
    // The parquet crate panics on some malformed files (the request_parquet fuzz target).
    let batch = signet::guard::catch_panic(|| {
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(bytes, metadata);
        let metadata = builder.schema().metadata().clone();
        let reader = builder.build().map_err(|e| parse_error(&e.to_string()))?;
        let schema = Arc::new(reader.schema().as_ref().clone().with_metadata(metadata));
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| parse_error(&e.to_string()))?;
        arrow_select::concat::concat_batches(&schema, &batches)
            .map_err(|e| parse_error(&e.to_string()))
    })
    .map_err(|panic| parse_error(&format!("the Parquet reader failed: {panic}")))??;
    signet::table::pandas_view(batch)
        .map(ModelInput::Table)
        .map_err(|e| parse_error(&e.to_string()))
}
