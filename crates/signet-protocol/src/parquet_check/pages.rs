//! The walk over every page header of every column chunk, as the parquet crate's page reader
//! takes them: from the chunk's first page (its dictionary page offset, or else its data page
//! offset), one header and its `compressed_page_size` bytes after another, to the chunk's end.

use super::{table, thrift};
use parquet::basic::{Compression, Type as PhysicalType};
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};
use parquet::file::reader::ChunkReader;
use parquet::format::{PageHeader, PageType};
use parquet::thrift::TSerializable;

/// The first read of a page header; a longer one (large statistics) is read again, 8 times
/// longer each time, up to the chunk's end.
const FIRST_READ: usize = 1024;

/// Checks every page header of the file `reader` reads, whose footer is `metadata`.
pub(super) fn check<R: ChunkReader>(reader: &R, metadata: &ParquetMetaData) -> Result<(), String> {
    for (g, group) in metadata.row_groups().iter().enumerate() {
        for chunk in group.columns() {
            check_chunk(reader, chunk).map_err(|e| {
                format!(
                    "row group {g}, column '{}': {e}",
                    chunk.column_descr().path().string()
                )
            })?;
        }
    }
    Ok(())
}

/// Checks the page headers of one column chunk.
fn check_chunk<R: ChunkReader>(reader: &R, chunk: &ColumnChunkMetaData) -> Result<(), String> {
    let start = chunk
        .dictionary_page_offset()
        .unwrap_or_else(|| chunk.data_page_offset());
    let (Ok(start), Ok(len)) = (u64::try_from(start), u64::try_from(chunk.compressed_size()))
    else {
        return Err(format!(
            "the chunk starts at byte {start} and is {} bytes long",
            chunk.compressed_size()
        ));
    };
    let end = start
        .checked_add(len)
        .filter(|&end| end <= reader.len())
        .ok_or_else(|| {
            format!(
                "the chunk's bytes {start}..{} are past the file's end ({})",
                start.saturating_add(len),
                reader.len()
            )
        })?;
    let mut at = start;
    while at < end {
        let (header_len, header) = read_header(reader, at, end)?;
        let body = u64::try_from(header.compressed_page_size)
            .ok()
            .filter(|&body| body <= end - at - header_len as u64)
            .ok_or_else(|| {
                format!(
                    "the page at byte {at} says it is {} bytes, past the chunk's end at byte {end}",
                    header.compressed_page_size
                )
            })?;
        if header.type_ == PageType::DICTIONARY_PAGE {
            check_dictionary(chunk, &header).map_err(|e| format!("the page at byte {at}: {e}"))?;
        }
        at += header_len as u64 + body;
    }
    Ok(())
}

/// The page header at byte `at` (the chunk ends at `end`), and how many bytes it takes.
fn read_header<R: ChunkReader>(
    reader: &R,
    at: u64,
    end: u64,
) -> Result<(usize, PageHeader), String> {
    let left = usize::try_from(end - at).unwrap_or(usize::MAX);
    let mut window = left.min(FIRST_READ);
    loop {
        let bytes = reader
            .get_bytes(at, window)
            .map_err(|e| format!("cannot read the page header at byte {at}: {e}"))?;
        match thrift::walk(&bytes, table::PAGEHEADER) {
            Ok(len) => {
                let mut protocol = ::thrift::protocol::TCompactInputProtocol::new(&bytes[..len]);
                let header = PageHeader::read_from_in_protocol(&mut protocol)
                    .map_err(|e| format!("corrupt page header at byte {at}: {e}"))?;
                return Ok((len, header));
            }
            Err(_) if window < left => window = left.min(window.saturating_mul(8)),
            Err(e) => return Err(format!("corrupt page header at byte {at}: {e}")),
        }
    }
}

/// A dictionary page must hold the values it declares (the parquet crate sizes the dictionary
/// for them before it reads one).
fn check_dictionary(chunk: &ColumnChunkMetaData, header: &PageHeader) -> Result<(), String> {
    let Some(dictionary) = &header.dictionary_page_header else {
        return Ok(()); // the parquet crate refuses it
    };
    // What the crate decodes the values from: the page as stored, or decompressed to the
    // size the header gives (which it checks).
    let bytes = if chunk.compression() == Compression::UNCOMPRESSED {
        header.compressed_page_size
    } else {
        header.uncompressed_page_size
    };
    let bytes = u64::try_from(bytes).unwrap_or(0);
    let values = u64::try_from(dictionary.num_values)
        .map_err(|_| format!("a dictionary of {} values", dictionary.num_values))?;
    let descr = chunk.column_descr();
    let (need, unit) = match descr.physical_type() {
        PhysicalType::BOOLEAN => (values.div_ceil(8), "a bit"),
        PhysicalType::INT32 | PhysicalType::FLOAT => (values * 4, "4 bytes"),
        PhysicalType::INT64 | PhysicalType::DOUBLE => (values * 8, "8 bytes"),
        PhysicalType::INT96 => (values * 12, "12 bytes"),
        PhysicalType::BYTE_ARRAY => (values * 4, "a 4-byte length at least"),
        PhysicalType::FIXED_LEN_BYTE_ARRAY => (
            values * u64::try_from(descr.type_length()).unwrap_or(0).max(1),
            "its fixed length (1 byte at least)",
        ),
    };
    if need > bytes {
        return Err(format!(
            "a dictionary page declares {values} values in {bytes} bytes (each value takes {unit})"
        ));
    }
    Ok(())
}
