//! Rendering of the `/invocations` response body (`{"predictions": ...}`) for a house-price
//! table of 1, 100 and 10,000 rows: `cargo bench -p signet-protocol --bench render`.

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use signet::ModelInput;
use signet_protocol::render::predictions_json;
use std::sync::Arc;

fn table(rows: usize) -> ModelInput {
    let sqft: ArrayRef = Arc::new(Int64Array::from_iter_values(
        (0..rows as i64).map(|i| 1000 + i),
    ));
    let price: ArrayRef = Arc::new(Float64Array::from_iter_values(
        (0..rows).map(|i| 150_000.0 + i as f64 * 0.25),
    ));
    ModelInput::Table(
        RecordBatch::try_from_iter([("sqft", sqft), ("price", price)]).expect("batch"),
    )
}

fn bench_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("predictions_json");
    for rows in [1usize, 100, 10_000] {
        let output = table(rows);
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_with_input(BenchmarkId::from_parameter(rows), &output, |b, output| {
            b.iter(|| predictions_json(output, false))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
