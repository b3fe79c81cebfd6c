//! A check of a Parquet file's Thrift metadata (its footer, then every page header) before the
//! parquet crate decodes it, and the loading of the file's metadata through that check.
//!
//! The parquet crate (56) trusts every length the file declares:
//! * a footer declaring a list of 2^31 row groups makes it reserve tens of gigabytes, and an
//!   allocation failure aborts the process, which no panic guard catches (the `data_parquet`
//!   and `request_parquet` fuzz targets found such files; upstream, apache/arrow-rs#10920);
//! * a dictionary page declaring 2^31 values makes it size the dictionary for them before
//!   reading any (`DictDecoder::set_dict`; the `data_parquet` target found it);
//! * a page header's string length is allocated before it is read (the `thrift` crate's
//!   `read_bytes`).
//!
//! [`check_footer`] and the page walk of [`load`] read the Thrift compact encoding without
//! allocating ([`thrift`]), field by field as the crate's generated decoder reads it (from
//! [`table`], generated from the crate's own `format.rs`), and refuse a count that the bytes
//! left cannot hold, a field whose declared type is not the one the decoder reads, and nesting
//! deeper than [`thrift::MAX_DEPTH`]. A dictionary page must hold the values it declares: each
//! takes at least a bit (booleans), 4 bytes (a length, or an `INT32`), or its type's width.

mod pages;
mod table;
mod thrift;

use arrow_array::{RecordBatch, RecordBatchReader};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::file::metadata::ParquetMetaDataReader;
use parquet::file::reader::ChunkReader;
use std::sync::Arc;
use thrift::Kind;

/// The footer metadata of a whole Parquet file (or of its last bytes, from before the
/// metadata): the bytes before the 4-byte length and the closing `PAR1`.
pub fn footer(file: &[u8]) -> Result<&[u8], String> {
    if file.len() < 12 || !file.ends_with(b"PAR1") {
        return Err("not a Parquet file (no PAR1 at the end)".into());
    }
    let end = file.len() - 8;
    let len = u32::from_le_bytes(file[end..end + 4].try_into().expect("4 bytes")) as usize;
    if len > end {
        return Err(format!(
            "the footer says its metadata is {len} bytes, more than the file before it ({end})"
        ));
    }
    Ok(&file[end - len..end])
}

/// Checks the footer metadata (from [`footer`]): see the module documentation.
pub fn check_footer(metadata: &[u8]) -> Result<(), String> {
    thrift::walk(metadata, table::FILEMETADATA)
        .map(drop)
        .map_err(|e| format!("corrupt footer metadata: {e}"))
}

/// The metadata of the Parquet file `reader` reads, once its footer and every page header
/// have passed the checks of this module: what `ParquetRecordBatchReaderBuilder::
/// new_with_metadata` takes. The parquet crate's own calls run inside the panic guard.
pub fn load<R: ChunkReader>(reader: &R) -> Result<ArrowReaderMetadata, String> {
    let size = reader.len();
    if size < 12 {
        return Err(format!(
            "{size} bytes is too short for a Parquet file (12 at least)"
        ));
    }
    let read = |start: u64, len: usize| {
        reader
            .get_bytes(start, len)
            .map_err(|e| format!("cannot read bytes {start}..{}: {e}", start + len as u64))
    };
    let tail = read(size - 8, 8)?;
    let declared = u64::from(u32::from_le_bytes(tail[..4].try_into().expect("4 bytes")));
    let start = size.saturating_sub(8 + declared);
    let tail = read(start, (size - start) as usize)?;
    let bytes = footer(&tail)?;
    check_footer(bytes)?;
    // Decoded from the bytes just checked (not read again).
    let metadata = signet::guard::catch_panic(|| {
        let metadata = ParquetMetaDataReader::decode_metadata(bytes)?;
        ArrowReaderMetadata::try_new(Arc::new(metadata), ArrowReaderOptions::default())
    })
    .map_err(|panic| format!("the Parquet reader failed: {panic}"))?
    .map_err(|e| parquet_message(&e))?;
    pages::check(reader, metadata.metadata())?;
    Ok(metadata)
}

/// The whole Parquet file `reader` reads, as `pd.read_parquet` (pyarrow) reads it: every row
/// group in one batch, with the file's schema metadata (pandas' own). The metadata passes
/// [`load`] first; the parquet crate's calls run inside the panic guard (it panics on some
/// malformed files: the `data_parquet` and `request_parquet` fuzz targets).
pub fn read_batch<R: ChunkReader + 'static>(reader: R) -> Result<RecordBatch, String> {
    let metadata = load(&reader)?;
    signet::guard::catch_panic(|| {
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(reader, metadata);
        // The reader's schema has no metadata; pandas' is on the builder's.
        let metadata = builder.schema().metadata().clone();
        let reader = builder.build().map_err(|e| parquet_message(&e))?;
        let schema = Arc::new(reader.schema().as_ref().clone().with_metadata(metadata));
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| e.to_string())
    })
    .map_err(|panic| format!("the Parquet reader failed: {panic}"))?
}

/// A parquet crate error's message (a general error without its `Parquet error: ` prefix).
pub fn parquet_message(e: &parquet::errors::ParquetError) -> String {
    match e {
        parquet::errors::ParquetError::General(m) => m.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
