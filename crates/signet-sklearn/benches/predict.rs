//! Single-row prediction of scikit-learn models saved by MLflow as skops, on the models of
//! `tests/sklearn/bench_models.py` (run by `scripts/sklearn_bench.sh`, which compares with
//! sklearn's own `predict` on a one-row DataFrame):
//!
//! * `<model>/pyfunc`: `PyFuncModel::predict` (signature enforcement + the model), what
//!   `signet predict` and the server run;
//! * `<model>/model`: the flavor's predict alone (`predict_enforced`).

use criterion::{criterion_group, criterion_main, Criterion};
use signet::ModelInput;
use signet_model::{load_model, Registry};
use std::hint::black_box;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(std::env::var("SIGNET_SKLEARN_BENCH_DIR").expect(
        "SIGNET_SKLEARN_BENCH_DIR is not set: run scripts/sklearn_bench.sh, which makes the models",
    ))
}

fn bench(c: &mut Criterion) {
    let mut registry = Registry::new();
    registry.register_flavor(
        signet_sklearn::SKLEARN_FLAVOR,
        signet_sklearn::SklearnFlavor,
    );
    let mut g = c.benchmark_group("sklearn");
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
        g.bench_function(format!("{name}/pyfunc"), |b| {
            b.iter(|| {
                model
                    .predict(black_box(row.clone()), None)
                    .expect("predicts")
            })
        });
        g.bench_function(format!("{name}/model"), |b| {
            b.iter(|| {
                model
                    .predict_enforced(black_box(row.clone()), None)
                    .expect("predicts")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
