//! Wide inputs (issue 13 item 1): time per column must stay flat from 10 to 100k columns.
//!
//! * `wide/refused`: a 1-row `dataframe_split` body whose N columns are all extra against the
//!   house-price signature, taken the whole way the server takes it: parse, enforce (refused:
//!   missing `sqft`, `bedrooms`, N extras listed), the data rendered as pandas prints it and the
//!   wrapped message built.
//! * `wide/accepted`: the same body plus `sqft` and `bedrooms` (enforced, N extras warned).
//! * `wide/schema`: a signature of N double columns and a 1-row body matching it.

mod common;

use common::{enforce_parsed, parse_json};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use signet::repr::schema_repr;
use signet::types::{ColSpec, DataType, Schema};
use signet::ModelSignature;
use signet_protocol::render::data_str;
use signet_testkit::workloads as fixtures;
use std::time::Duration;

/// Parse + enforce + (on refusal) the server's error message; returns the message length.
fn serve_path(body: &[u8], signature: &ModelSignature) -> usize {
    let parsed = parse_json(body, signature);
    let shown = parsed.input.clone();
    match enforce_parsed(signature, parsed) {
        Ok(e) => e.warnings.iter().map(|w| w.message.len()).sum(),
        Err(e) => {
            let data = data_str(&shown);
            let schema = signature
                .inputs
                .as_ref()
                .map(schema_repr)
                .unwrap_or_default();
            e.wrapped_message(&data, &schema).len()
        }
    }
}

fn wide_signature(n: usize) -> ModelSignature {
    let cols = (0..n)
        .map(|i| ColSpec::new(format!("x{i}"), DataType::Double, true))
        .collect();
    let inputs = Schema::columns(cols).expect("a valid schema");
    ModelSignature::new(Some(inputs), None, None).expect("a signature with inputs")
}

fn bench_wide(c: &mut Criterion) {
    let mut group = c.benchmark_group("wide");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(300));
    let house = fixtures::signature("house_price");
    for n in [10usize, 1_000, 10_000, 100_000] {
        group.throughput(Throughput::Elements(n as u64));
        let refused = fixtures::wide_split(&[], n);
        group.bench_with_input(BenchmarkId::new("refused", n), &refused, |b, body| {
            b.iter(|| serve_path(body, &house))
        });
        let accepted = fixtures::wide_split(&["sqft", "bedrooms"], n);
        group.bench_with_input(BenchmarkId::new("accepted", n), &accepted, |b, body| {
            b.iter(|| serve_path(body, &house))
        });
        let sig = wide_signature(n);
        let matching = fixtures::wide_split(&[], n);
        group.bench_with_input(BenchmarkId::new("schema", n), &matching, |b, body| {
            b.iter(|| serve_path(body, &sig))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_wide);
criterion_main!(benches);
