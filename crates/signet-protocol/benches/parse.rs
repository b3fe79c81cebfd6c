//! Scoring-request parsing + enforcement, the cases of `../shared/bench/parse_mlflow.py`
//! (`parse+enforce`): house_price and mixed20 bodies in split / records / instances form at
//! 1 / 100 / 10k rows, and tensor784 bodies (`split`, `inputs`) against its tensor signature
//! (`scripts/bench_tensor_mlflow.py` measures MLflow on the same bodies).

mod common;

use common::{enforce_parsed, parse_json};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use signet::enforce::Compat;
use signet_protocol::request::parse_request;
use signet_testkit::workloads as fixtures;
use std::time::Duration;

fn parse_and_enforce(body: &[u8], signature: &signet::ModelSignature) {
    enforce_parsed(signature, parse_json(body, signature)).expect("the body is valid");
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_enforce");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    // The table cases in three forms; a tensor signature (`Tensor(float32, (-1, 784))`) with a
    // DataFrame body and a 2-D list.
    let table_formats = ["split", "records", "instances"];
    let cases = [
        ("house_price", &table_formats[..]),
        ("mixed20", &table_formats[..]),
        ("tensor784", &["split", "inputs"][..]),
    ];
    for (case, formats) in cases {
        let signature = fixtures::signature(case);
        for format in formats {
            for rows in [1usize, 100, 10_000] {
                let body = fixtures::body(case, format, rows);
                parse_and_enforce(&body, &signature);
                group.sample_size(if rows >= 10_000 { 10 } else { 50 });
                group.throughput(Throughput::Bytes(body.len() as u64));
                group.bench_with_input(
                    BenchmarkId::new(format!("{case}/{format}"), rows),
                    &body,
                    |b, body| b.iter(|| parse_and_enforce(body, &signature)),
                );
            }
        }
    }
    group.finish();
}

/// A Parquet body of 10 float64 and 10 string columns, as `DataFrame.to_parquet` would send.
fn parquet_body(rows: usize) -> Vec<u8> {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let mut columns: Vec<(String, ArrayRef)> = Vec::new();
    for c in 0..10 {
        let floats = Float64Array::from_iter_values((0..rows).map(|r| (r * 31 + c) as f64 * 0.5));
        columns.push((format!("f{c}"), Arc::new(floats)));
        let text = StringArray::from_iter_values((0..rows).map(|r| format!("v{}", (r + c) % 97)));
        columns.push((format!("s{c}"), Arc::new(text)));
    }
    let batch = RecordBatch::try_from_iter(columns).expect("a batch");
    signet_testkit::parquet::to_parquet(&batch, None)
}

/// Parquet bodies: the whole parse, and the metadata check it starts with
/// (`parquet_check::load`: the footer and every page header), and the parquet crate's own
/// decode of the metadata (which the check includes, and the parse needs anyway).
fn bench_parquet(c: &mut Criterion) {
    let mut group = c.benchmark_group("parquet");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    let content_type = Some("application/vnd.apache.parquet");
    for rows in [1usize, 10_000] {
        let body = parquet_body(rows);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", rows), &body, |b, body| {
            b.iter(|| parse_request(content_type, body, None, Compat::Mlflow).expect("parsed"))
        });
        let bytes = bytes::Bytes::from(body);
        group.bench_with_input(BenchmarkId::new("check", rows), &bytes, |b, bytes| {
            b.iter(|| signet_protocol::parquet_check::load(bytes).expect("checked"))
        });
        // The parquet crate's own metadata decode, which the check includes.
        group.bench_with_input(BenchmarkId::new("decode", rows), &bytes, |b, bytes| {
            b.iter(|| {
                parquet::arrow::arrow_reader::ArrowReaderMetadata::load(bytes, Default::default())
                    .expect("decoded")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse, bench_parquet);
criterion_main!(benches);
