//! Load + first predict of the shipped ONNX example model (`examples/models/house_price`,
//! saved by MLflow): what a fresh `signet serve` / `signet predict` pays before its first
//! answer. A bench binary that prints figures (`cargo bench -p signet-onnx --bench load`);
//! `scripts/bench_vs_mlflow.sh` (ONLY=load) runs it next to `mlflow.pyfunc.load_model`.
//!
//! Each iteration, in a fresh state: `load_model` (MLmodel parsed, `model.onnx` read, typed
//! and optimized by tract), the input example read from the directory, and one enforced
//! `predict`. Prints one JSON line per figure: `{"bench":"load","stage":...,"median_ms":...}`.

use signet_model::{load_model, Registry};
use signet_onnx::{OnnxFlavor, ONNX_FLAVOR};
use std::path::Path;
use std::time::Instant;

const RUNS: usize = 50;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/models/house_price");
    let mut registry = Registry::new();
    registry.register_flavor(ONNX_FLAVOR, OnnxFlavor);
    let mut load_ms = Vec::with_capacity(RUNS);
    let mut total_ms = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let model = load_model(&dir, &registry).expect("the shipped model loads");
        let loaded = started.elapsed();
        let example = model.input_example().expect("readable").expect("example");
        let out = model.predict(example.data, None).expect("prediction");
        let total = started.elapsed();
        std::hint::black_box(out);
        load_ms.push(loaded.as_secs_f64() * 1e3);
        total_ms.push(total.as_secs_f64() * 1e3);
    }
    for (stage, mut v) in [
        ("load_model", load_ms),
        ("load_and_first_predict", total_ms),
    ] {
        v.sort_by(f64::total_cmp);
        println!(
            "{{\"bench\":\"load\",\"impl\":\"signet\",\"model\":\"house_price_onnx\",\"stage\":\"{stage}\",\"runs\":{RUNS},\"median_ms\":{:.3},\"p90_ms\":{:.3},\"min_ms\":{:.3}}}",
            percentile(&v, 0.5),
            percentile(&v, 0.9),
            v[0]
        );
    }
}
