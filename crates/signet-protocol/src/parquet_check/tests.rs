//! Tests of the footer and page checks.

use super::*;
use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use signet_testkit::parquet::to_parquet;
use std::sync::Arc;

fn parquet_file() -> Vec<u8> {
    let a: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), None, Some(3)]));
    let b: ArrayRef = Arc::new(StringArray::from(vec!["x", "yy", "zzz"]));
    let batch = RecordBatch::try_from_iter([("a", a), ("b", b)]).unwrap();
    let twice = arrow_select::concat::concat_batches(&batch.schema(), [&batch, &batch]).unwrap();
    to_parquet(&twice, None)
}

#[test]
fn a_real_footer_passes_and_every_truncation_fails() {
    let file = parquet_file();
    let meta = footer(&file).unwrap();
    check_footer(meta).unwrap();
    for cut in 0..meta.len() {
        assert!(check_footer(&meta[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn impossible_lengths_and_deep_nesting_are_refused() {
    // Field 4 (row_groups), a list of structs claiming 2^31 - 1 elements in 6 bytes.
    let huge = [0x49, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
    let e = check_footer(&huge).unwrap_err();
    assert!(e.contains("2147483647 items declared"), "{e}");
    // Field 6 (created_by), a string of 100 bytes with 2 left.
    let e = check_footer(&[0x68, 100, b'a', b'b']).unwrap_err();
    assert!(e.contains("100 items declared, 2 bytes left"), "{e}");
    // Field 4 declared as an i32: the decoder would read a list header from its bytes.
    let e = check_footer(&[0x45, 0x02, 0x00]).unwrap_err();
    assert!(
        e.contains("field 4 of FileMetaData is declared as Thrift type 5"),
        "{e}"
    );
    // An unknown field holding structs nested 100 deep.
    let mut deep = vec![0xfc]; // field 15 (unknown), a struct
    deep.extend([0x1c; 100]); // whose field 1 is a struct, whose field 1 ...
    deep.extend([0u8; 102]);
    let e = check_footer(&deep).unwrap_err();
    assert!(e.contains("nested deeper than 64 levels"), "{e}");
    assert!(footer(b"PAR1").is_err());
    let e = footer(b"PAR1\xff\xff\x00\x00PAR1").unwrap_err();
    assert!(e.contains("65535 bytes"), "{e}");
}

/// A file of one dictionary-encoded `INT64` column (3 distinct values), stored uncompressed,
/// and the byte holding its dictionary page's `num_values`.
fn dictionary_file() -> (Vec<u8>, usize) {
    use ::parquet::file::properties::WriterProperties;
    let a: ArrayRef = Arc::new(Int64Array::from(vec![7, 8, 9, 7, 8, 9, 7]));
    let batch = RecordBatch::try_from_iter([("a", a)]).unwrap();
    let props = WriterProperties::builder()
        .set_compression(::parquet::basic::Compression::UNCOMPRESSED)
        .build();
    let buf = to_parquet(&batch, Some(props));
    let meta = load(&bytes::Bytes::from(buf.clone())).unwrap();
    let chunk = meta.metadata().row_group(0).column(0);
    let start = chunk.dictionary_page_offset().unwrap() as usize;
    // The header: type, sizes, then field 7 (a struct, 0x4c) whose field 1 is an i32 (0x15).
    let at = start
        + buf[start..]
            .windows(2)
            .position(|w| w == [0x4c, 0x15])
            .unwrap()
        + 2;
    assert_eq!(buf[at], 6, "num_values 3, zigzag-encoded");
    (buf, at)
}

#[test]
fn a_dictionary_page_must_hold_the_values_it_declares() {
    let (mut file, at) = dictionary_file();
    file[at] = 0x7e; // 63 values, in a page of 24 bytes
    let e = load(&bytes::Bytes::from(file)).unwrap_err();
    assert_eq!(
        e,
        "row group 0, column 'a': the page at byte 4: a dictionary page declares 63 values in 24 bytes (each value takes 8 bytes)"
    );
    // The fuzz target's find: 2^31 - 1 values of a list element, which made the parquet
    // crate size its dictionary at tens of gigabytes (checked without the decoder running).
    let found = include_bytes!("testdata/dictionary_oom.parquet");
    let e = load(&bytes::Bytes::from_static(found)).unwrap_err();
    assert!(e.contains("a dictionary page declares"), "{e}");
}

#[test]
fn page_headers_past_their_chunk_are_refused_and_real_files_pass() {
    let file = parquet_file();
    let meta = load(&bytes::Bytes::from(file.clone())).unwrap();
    assert_eq!(meta.metadata().num_row_groups(), 1);
    // A page header's field of another type than the decoder reads.
    let (mut file, at) = dictionary_file();
    file[at - 1] = 0x18; // num_values declared as a string
    let e = load(&bytes::Bytes::from(file)).unwrap_err();
    assert!(
        e.contains("corrupt page header at byte 4: field 1 of DictionaryPageHeader is declared as Thrift type 8"),
        "{e}"
    );
    // A page longer than its chunk.
    let (mut file, at) = dictionary_file();
    file[at - 3] = 0x7e; // compressed_page_size 63
    let e = load(&bytes::Bytes::from(file)).unwrap_err();
    assert!(
        e.contains("says it is 63 bytes, past the chunk's end"),
        "{e}"
    );
}
