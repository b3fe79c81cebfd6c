//! Scoring-request parsing + enforcement, the cases of `../shared/bench/parse_mlflow.py`
//! (`parse+enforce`): house_price and mixed20 bodies in split / records / instances form at
//! 1 / 100 / 10k rows, and tensor784 bodies (`split`, `inputs`) against its tensor signature
//! (`scripts/bench_tensor_mlflow.py` measures MLflow on the same bodies).

mod common;

use common::{enforce_parsed, parse_json};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
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

criterion_group!(benches, bench_parse);
criterion_main!(benches);
