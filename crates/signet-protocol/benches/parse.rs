//! Scoring-request parsing + enforcement, the cases of `../shared/bench/parse_mlflow.py`
//! (`parse+enforce`): house_price and mixed20 bodies in split / records / instances form at
//! 1 / 100 / 10k rows, and tensor784 bodies (`split`, `inputs`) against its tensor signature
//! (`scripts/bench_tensor_mlflow.py` measures MLflow on the same bodies).

use signet_testkit::workloads as fixtures;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use signet::enforce::{enforce, Compat};
use signet_protocol::request::parse_request;
use std::time::Duration;

fn parse_and_enforce(body: &[u8], signature: &signet::ModelSignature) {
    let parsed = parse_request(
        Some("application/json"),
        body,
        Some(signature),
        Compat::Mlflow,
    )
    .expect("the body parses");
    enforce(
        Some(signature),
        parsed.input,
        parsed.params.as_ref(),
        Compat::Mlflow,
    )
    .expect("the body is valid");
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_enforce");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    for case in ["house_price", "mixed20"] {
        let signature = fixtures::signature(case);
        for format in ["split", "records", "instances"] {
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
    // A tensor signature (`Tensor(float32, (-1, 784))`): a DataFrame body and a 2-D list.
    let signature = fixtures::signature("tensor784");
    for format in ["split", "inputs"] {
        for rows in [1usize, 100, 10_000] {
            let body = fixtures::body("tensor784", format, rows);
            parse_and_enforce(&body, &signature);
            group.sample_size(if rows >= 10_000 { 10 } else { 50 });
            group.throughput(Throughput::Bytes(body.len() as u64));
            group.bench_with_input(
                BenchmarkId::new(format!("tensor784/{format}"), rows),
                &body,
                |b, body| b.iter(|| parse_and_enforce(body, &signature)),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
