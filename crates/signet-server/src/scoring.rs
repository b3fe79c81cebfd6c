//! Where a request's CPU-bound part (parse, enforce, predict, render) runs.
//!
//! A blocking thread keeps a slow model from stalling the runtime, but the hand-off costs two
//! thread wake-ups per request. In a soak of 10,000 small requests a second on 2 cores, `perf`
//! put about a third of the server's time in the scheduler and futex wake-ups. So a request
//! whose body is small runs inline on the runtime thread, provided the model's recent calls
//! were quick. Everything else runs on a blocking thread. The decision is [`run`]'s alone.

use crate::App;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::time::Instant;

/// The largest body scored inline.
pub(crate) const INLINE_MAX_BODY: usize = 64 * 1024;

/// The slowest recent scoring (a moving average, in nanoseconds) that still runs inline.
pub(crate) const INLINE_MAX_NANOS: u64 = 200_000;

/// No scoring measured yet: the first requests take a blocking thread.
pub(crate) const UNMEASURED: u64 = u64::MAX;

/// Runs `score` for a request with a body of `body_len` bytes, inline or on a blocking thread
/// (see the module documentation). A panic in it becomes `Err` with the panic's message.
pub(crate) async fn run<R: Send + 'static>(
    app: &App,
    body_len: usize,
    score: impl FnOnce() -> R + Send + 'static,
) -> Result<R, String> {
    let recent = app.scoring_nanos.load(Ordering::Relaxed);
    if body_len <= INLINE_MAX_BODY && recent <= INLINE_MAX_NANOS {
        let start = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(score)).map_err(panic_message);
        record(app, start);
        return outcome;
    }
    let outcome = tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        (score(), start)
    })
    .await;
    match outcome {
        Ok((r, start)) => {
            record(app, start);
            Ok(r)
        }
        Err(join) if join.is_panic() => Err(panic_message(join.into_panic())),
        Err(_) => Err("the prediction was cancelled".into()),
    }
}

/// Folds one scoring's duration into the moving average (weight 1/8).
fn record(app: &App, start: Instant) {
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
    let old = app.scoring_nanos.load(Ordering::Relaxed);
    let new = if old == UNMEASURED {
        nanos
    } else {
        (old / 8) * 7 + nanos / 8
    };
    app.scoring_nanos
        .store(new.min(UNMEASURED - 1), Ordering::Relaxed);
}

/// The message of a panicking model.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    signet::guard::panic_message(payload.as_ref()).unwrap_or_else(|| "the model panicked".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;
    use crate::{PredictError, Predictor, ServerConfig};
    use signet::ModelInput;
    use std::sync::atomic::{AtomicU64, AtomicUsize};
    use std::sync::Arc;
    use tokio::sync::Semaphore;

    struct Echo;
    impl Predictor for Echo {
        fn predict(
            &self,
            input: ModelInput,
            _: Option<signet::Value>,
        ) -> Result<ModelInput, PredictError> {
            Ok(input)
        }
    }

    fn app() -> App {
        App {
            predictor: Arc::new(Echo),
            config: ServerConfig::default(),
            permits: Arc::new(Semaphore::new(1)),
            waiting: AtomicUsize::new(0),
            metrics: Arc::new(Metrics::default()),
            next_request_id: AtomicU64::new(1),
            scoring_nanos: AtomicU64::new(UNMEASURED),
        }
    }

    #[tokio::test]
    async fn quick_small_requests_go_inline_and_a_panic_is_a_message_either_way() {
        let app = app();
        let on_runtime = || std::thread::current().name().map(str::to_string);
        let runtime = on_runtime();
        // Unmeasured: a blocking thread.
        let t = run(&app, 10, on_runtime).await.unwrap();
        assert_ne!(t, runtime);
        assert!(app.scoring_nanos.load(Ordering::Relaxed) < UNMEASURED);
        // Measured quick (set here: how long the closure took depends on the machine's load,
        // and a loaded CI machine once measured it above the limit): inline, unless the body
        // is large.
        app.scoring_nanos.store(1_000, Ordering::Relaxed);
        assert_eq!(run(&app, 10, on_runtime).await.unwrap(), runtime);
        assert_ne!(
            run(&app, INLINE_MAX_BODY + 1, on_runtime).await.unwrap(),
            runtime
        );
        app.scoring_nanos.store(1_000, Ordering::Relaxed);
        let inline = run(&app, 10, || -> () { panic!("inline {}", 1) }).await;
        assert_eq!(inline, Err("inline 1".to_string()));
        let blocking = run(&app, INLINE_MAX_BODY + 1, || -> () { panic!("blocking") }).await;
        assert_eq!(blocking, Err("blocking".to_string()));
        // A slow model leaves the inline path.
        app.scoring_nanos
            .store(INLINE_MAX_NANOS + 1, Ordering::Relaxed);
        assert_ne!(run(&app, 10, on_runtime).await.unwrap(), runtime);
    }
}
