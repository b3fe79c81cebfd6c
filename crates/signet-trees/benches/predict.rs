//! signet-trees prediction speed on the models and data of `tests/trees/bench_libraries.py`
//! (run by `scripts/trees_bench.sh`, which compares with the libraries' own predict):
//! single rows on every model size (`{xgb,lgb}_single_<size>`: one call per row, cycling over
//! the first 1,000 rows, as the library timings do), and batches of 10k and 1M rows on the
//! 300-tree models. Group `trees` is wall-clock time; group `trees_cpu` times the single rows
//! again in on-CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), which leaves out
//! the time spent waiting for a core on a shared machine.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion};
use signet_trees::{lightgbm, xgboost};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// Features per row.
const F: usize = 30;
/// Rows the single-row benchmarks cycle over.
const ROWS: usize = 1000;
/// The model sizes `bench_libraries.py` writes.
const SIZES: [&str; 4] = ["t10", "default", "t300", "t1000"];

fn dir() -> PathBuf {
    PathBuf::from(std::env::var("SIGNET_TREES_BENCH_DIR").expect(
        "SIGNET_TREES_BENCH_DIR is not set: run scripts/trees_bench.sh, which makes the models",
    ))
}

fn read<T: Copy, const N: usize>(name: &str, from: fn([u8; N]) -> T) -> Vec<T> {
    let bytes = std::fs::read(dir().join(name)).expect("benchmark data missing");
    bytes
        .chunks_exact(N)
        .map(|c| from(c.try_into().expect("chunk")))
        .collect()
}

/// On-CPU time of the calling thread.
struct ThreadCpu;

/// The calling thread's CPU time so far.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for clock_gettime to write.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Formats like wall time (criterion's duration formatter).
static WALL: WallTime = WallTime;

impl Measurement for ThreadCpu {
    type Intermediate = Duration;
    type Value = Duration;
    fn start(&self) -> Duration {
        thread_cpu()
    }
    fn end(&self, start: Duration) -> Duration {
        thread_cpu() - start
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

/// Single rows through the allocation-free entry points, as a server calls them, on every
/// model size, into group `group`.
fn single<M: Measurement>(c: &mut Criterion<M>, group: &str, x32: &[f32], x64: &[f64]) {
    let opts = xgboost::predict::Options::default();
    let mut g = c.benchmark_group(group);
    for size in SIZES {
        let xgb = xgboost::Model::load(&dir().join(format!("xgb_{size}.ubj"))).expect("xgb");
        let lgb = lightgbm::Booster::load(&dir().join(format!("lgb_{size}.txt"))).expect("lgb");
        let mut out32 = [0f32; 1];
        let mut r = 0;
        g.bench_function(format!("xgb_single_{size}"), |b| {
            b.iter(|| {
                r = (r + 1) % ROWS;
                let row = &x32[r * F..(r + 1) * F];
                xgb.predict_into(black_box(row), 1, &opts, &mut out32)
                    .unwrap()
            })
        });
        let mut out64 = [0f64; 1];
        g.bench_function(format!("lgb_single_{size}"), |b| {
            b.iter(|| {
                r = (r + 1) % ROWS;
                let row = &x64[r * F..(r + 1) * F];
                lgb.predict_into(black_box(row), 1, None, false, &mut out64)
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let x32: Vec<f32> = read("x32.bin", f32::from_le_bytes);
    let x64: Vec<f64> = read("x64.bin", f64::from_le_bytes);
    single(c, "trees", &x32, &x64);
    let opts = xgboost::predict::Options::default();
    let mut g = c.benchmark_group("trees");
    let xgb = xgboost::Model::load(&dir().join("xgb_t300.ubj")).expect("xgb_t300.ubj");
    let lgb = lightgbm::Booster::load(&dir().join("lgb_t300.txt")).expect("lgb_t300.txt");
    g.sample_size(10);
    for (rows, name) in [(10_000usize, "10k"), (1_000_000, "1m")] {
        g.bench_function(format!("xgb_{name}"), |b| {
            b.iter(|| {
                xgb.predict(black_box(&x32[..rows * F]), rows, &opts)
                    .unwrap()
            })
        });
        g.bench_function(format!("lgb_{name}"), |b| {
            b.iter(|| {
                lgb.predict(black_box(&x64[..rows * F]), rows, None, false)
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn bench_cpu(c: &mut Criterion<ThreadCpu>) {
    let x32: Vec<f32> = read("x32.bin", f32::from_le_bytes);
    let x64: Vec<f64> = read("x64.bin", f64::from_le_bytes);
    single(c, "trees_cpu", &x32, &x64);
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
