//! `application/vnd.apache.parquet` requests (docs/serving.md#parquet): the body read as `pd.read_parquet`
//! reads it (pyarrow's `Table.to_pandas()`), with no schema-driven casting.

use super::RequestError;
use signet::input::ModelInput;

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
    let batch = crate::parquet_check::read_batch(bytes::Bytes::copy_from_slice(body))
        .map_err(|e| parse_error(&e))?;
    signet::table::pandas_view(batch)
        .map(ModelInput::Table)
        .map_err(|e| parse_error(&e.to_string()))
}
