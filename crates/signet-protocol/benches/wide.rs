//! Wide inputs (issue 13 item 1): time per column must stay flat from 10 to 100k columns.
//!
//! * `wide/refused`: a 1-row `dataframe_split` body whose N columns are all extra against the
//!   house-price signature, taken the whole way the server takes it: parse, enforce (refused:
//!   missing `sqft`, `bedrooms`, N extras listed), the data rendered as pandas prints it and the
//!   wrapped message built.
//! * `wide/accepted`: the same body plus `sqft` and `bedrooms` (enforced, N extras warned).
//! * `wide/schema`: a signature of N double columns and a 1-row body matching it.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use signet::enforce::{enforce, Compat};
use signet::repr::schema_repr;
use signet::types::{ColSpec, DataType, Schema};
use signet::ModelSignature;
use signet_protocol::render::data_str;
use signet_protocol::request::parse_request;
use signet_testkit::workloads as fixtures;
use std::time::Duration;

/// A 1-row `dataframe_split` body: `known` columns first, then `n` columns `x0..`.
fn body(known: &[&str], n: usize) -> Vec<u8> {
    let mut cols: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
    cols.extend((0..n).map(|i| format!("\"x{i}\"")));
    let data: Vec<String> = (0..cols.len()).map(|i| format!("{}.5", i % 1000)).collect();
    format!(
        "{{\"dataframe_split\": {{\"columns\": [{}], \"data\": [[{}]]}}}}",
        cols.join(", "),
        data.join(", ")
    )
    .into_bytes()
}

/// Parse + enforce + (on refusal) the server's error message; returns the message length.
fn serve_path(body: &[u8], signature: &ModelSignature) -> usize {
    let parsed = parse_request(
        Some("application/json"),
        body,
        Some(signature),
        Compat::Mlflow,
    )
    .expect("the body parses");
    let shown = parsed.input.clone();
    match enforce(
        Some(signature),
        parsed.input,
        parsed.params.as_ref(),
        Compat::Mlflow,
    ) {
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
        let refused = body(&[], n);
        group.bench_with_input(BenchmarkId::new("refused", n), &refused, |b, body| {
            b.iter(|| serve_path(body, &house))
        });
        let accepted = body(&["sqft", "bedrooms"], n);
        group.bench_with_input(BenchmarkId::new("accepted", n), &accepted, |b, body| {
            b.iter(|| serve_path(body, &house))
        });
        let sig = wide_signature(n);
        let matching = body(&[], n);
        group.bench_with_input(BenchmarkId::new("schema", n), &matching, |b, body| {
            b.iter(|| serve_path(body, &sig))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_wide);
criterion_main!(benches);
