//! Parquet files written in memory, as a test's input.

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

/// `batch` as the bytes of a Parquet file written with `props` (the writer's defaults when
/// `None`).
pub fn to_parquet(batch: &RecordBatch, props: Option<WriterProperties>) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut buf, batch.schema(), props).expect("a writer");
    writer.write(batch).expect("written");
    writer.close().expect("closed");
    buf
}
