//! Single-row prediction of scikit-learn models saved by MLflow as skops, on the models of
//! `tests/sklearn/bench_models.py` (run by `scripts/sklearn_bench.sh`, which compares with
//! sklearn's own `predict` on a one-row DataFrame). A bench binary (no criterion: it only
//! needs the crates `signet` itself is built from, so it reuses the release build):
//!
//! * `<model>/pyfunc`: `PyFuncModel::predict` (signature enforcement + the model), what
//!   `signet predict` and the server run;
//! * `<model>/model`: the flavor's predict alone (`predict_enforced`).
//!
//! Each case: 200 warm-up calls, then calls for `SIGNET_BENCH_SECONDS` (default 3) seconds;
//! prints the median and p90 per call, and writes `{case: median seconds}` to
//! `$SIGNET_SKLEARN_BENCH_DIR/signet.json`.

use signet::ModelInput;
use signet_model::load_model;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn dir() -> PathBuf {
    PathBuf::from(std::env::var("SIGNET_SKLEARN_BENCH_DIR").expect(
        "SIGNET_SKLEARN_BENCH_DIR is not set: run scripts/sklearn_bench.sh, which makes the models",
    ))
}

/// (median, p90) seconds of one call of `f`.
fn time(seconds: f64, mut f: impl FnMut()) -> (f64, f64) {
    for _ in 0..200 {
        f();
    }
    let mut runs = Vec::new();
    let end = Instant::now() + Duration::from_secs_f64(seconds);
    while Instant::now() < end || runs.len() < 100 {
        let t = Instant::now();
        f();
        runs.push(t.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    (runs[runs.len() / 2], runs[runs.len() * 9 / 10])
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let seconds: f64 = std::env::var("SIGNET_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let registry = signet_flavors::registry();
    let mut results = Vec::new();
    for name in ["house_price_sklearn", "house_price_forest"] {
        let model = load_model(dir().join(name), &registry).expect("model loads");
        let example = model
            .input_example()
            .expect("input example reads")
            .expect("the model has an input example");
        let ModelInput::Table(batch) = example.data else {
            panic!("{name}: the input example is not a table");
        };
        let row = ModelInput::Table(batch.slice(0, 1));
        let pyfunc = time(seconds, || {
            black_box(
                model
                    .predict(black_box(row.clone()), None)
                    .expect("predicts"),
            );
        });
        let bare = time(seconds, || {
            black_box(
                model
                    .predict_enforced(black_box(row.clone()), None)
                    .expect("predicts"),
            );
        });
        for (case, (median, p90)) in [("pyfunc", pyfunc), ("model", bare)] {
            println!(
                "{name}/{case}: median {:.2} us, p90 {:.2} us",
                median * 1e6,
                p90 * 1e6
            );
            results.push(format!("\"{name}/{case}\": {median:e}"));
        }
    }
    let json = format!("{{{}}}\n", results.join(", "));
    std::fs::write(dir().join("signet.json"), json).expect("signet.json written");
}
