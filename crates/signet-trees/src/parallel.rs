//! Row-parallel batch prediction on scoped threads (no thread pool, no dependency): rows are
//! independent, so splitting them changes no result bit.

use std::sync::OnceLock;

/// Batches smaller than this run on the calling thread.
pub const MIN_PARALLEL_ROWS: usize = 4096;

/// The environment variable that caps the threads of a batch prediction (like
/// `OMP_NUM_THREADS`): a positive integer; unset or invalid means every available core.
/// `signet.spark.predict` sets it to the Spark task's CPUs, so that the workers of
/// `local[N]` do not each split their batches over all N cores.
pub const THREADS_ENV: &str = "SIGNET_NUM_THREADS";

/// The threads a batch may use, decided once: [`THREADS_ENV`], else `available_parallelism`
/// (which reads the cgroup files on every call: ~10 µs, as much as a whole single-row
/// prediction).
fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var(THREADS_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// Calls `f(x_rows, out_rows)` on contiguous row chunks of `x` (`nf` values a row) and `out`
/// (`width` values a row), on up to [`THREADS_ENV`] / `available_parallelism()` threads.
pub fn for_row_chunks<T: Sync, O: Send>(
    x: &[T],
    nf: usize,
    out: &mut [O],
    width: usize,
    f: impl Fn(&[T], &mut [O]) + Sync,
) {
    let rows = out.len().checked_div(width).unwrap_or(0);
    if rows < MIN_PARALLEL_ROWS || nf == 0 || width == 0 {
        f(x, out);
        return;
    }
    let threads = threads();
    if threads < 2 {
        f(x, out);
        return;
    }
    let chunk = rows.div_ceil(threads);
    std::thread::scope(|s| {
        for (xc, oc) in x.chunks(chunk * nf).zip(out.chunks_mut(chunk * width)) {
            let f = &f;
            s.spawn(move || f(xc, oc));
        }
    });
}
