//! In-memory enforcement, the cases of `../shared/bench/enforce_mlflow.py`
//! (`op=enforce_schema`): house_price, mixed20, tensor784, tensor784_ndarray, convert,
//! tensor784_fsl (signet only: the 784 values of a row as one `FixedSizeList` cell),
//! convert_i64_01_to_double at 1 / 100 / 10k / 1M rows.

use signet_testkit::workloads as fixtures;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use signet::enforce::{enforce, Compat};
use std::time::Duration;

const CASES: [&str; 7] = [
    "house_price",
    "mixed20",
    "tensor784",
    "tensor784_fsl",
    "tensor784_ndarray",
    "convert",
    "convert_i64_01_to_double",
];

fn bench_enforce(c: &mut Criterion) {
    let mut group = c.benchmark_group("enforce");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    for case in CASES {
        let signature = fixtures::signature(case);
        for rows in fixtures::ROWS {
            if case.starts_with("tensor784") && case != "tensor784_ndarray" && rows == 1_000_000 {
                // 784 columns x 1M rows is 3 GB of input; MLflow's own run needs 7 GB. Measured
                // at 10k rows instead (the per-row cost is the same).
                continue;
            }
            let input = fixtures::input(case, rows);
            enforce(Some(&signature), input.clone(), None, Compat::Mlflow)
                .expect("the case's input is valid");
            group.sample_size(if rows >= 1_000_000 { 10 } else { 50 });
            group.throughput(Throughput::Elements(rows as u64));
            group.bench_with_input(BenchmarkId::new(case, rows), &input, |b, input| {
                b.iter(|| enforce(Some(&signature), input.clone(), None, Compat::Mlflow))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_enforce);
criterion_main!(benches);
