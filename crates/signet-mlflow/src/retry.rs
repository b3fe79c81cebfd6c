//! [`RetryPolicy`]: which failures are retried and how long to wait, as MLflow's
//! `_get_http_response_with_retries` (urllib3's `Retry` with MLflow's settings) does.
//!
//! * Retried statuses: 408, 429, 500, 502, 503, 504 (`_TRANSIENT_FAILURE_RESPONSE_CODES`);
//!   connection errors are retried too (urllib3's `connect`/`read` counters).
//! * At most `max_retries` retries (default 7).
//! * The wait after the n-th consecutive failure is urllib3's `get_backoff_time`: 0 after the
//!   first, then `backoff_factor * 2^(n-1) + random() * backoff_jitter`, capped at 120 s
//!   (`Retry.DEFAULT_BACKOFF_MAX`) — with the defaults 0, 4, 8, 16, 32, 64, 120 seconds.
//! * A `Retry-After` header on 413/429/503 is honoured instead (when
//!   `MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER` is true).

use std::time::Duration;

/// HTTP statuses MLflow retries.
pub const RETRY_CODES: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// urllib3's `Retry.DEFAULT_BACKOFF_MAX`, seconds.
pub const BACKOFF_MAX_SECS: f64 = 120.0;

/// Retry settings.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// The most retries after the first attempt.
    pub max_retries: u32,
    /// The exponential backoff's factor, seconds.
    pub backoff_factor: f64,
    /// The largest random jitter added to each wait, seconds.
    pub backoff_jitter: f64,
    /// Whether `Retry-After` on 413/429/503 replaces the computed wait.
    pub respect_retry_after: bool,
    /// The cap on one wait.
    pub backoff_max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 7,
            backoff_factor: 2.0,
            backoff_jitter: 1.0,
            respect_retry_after: true,
            backoff_max: Duration::from_secs_f64(BACKOFF_MAX_SECS),
        }
    }
}

impl RetryPolicy {
    /// Whether a response with this status is retried.
    pub fn retries_status(status: u16) -> bool {
        RETRY_CODES.contains(&status)
    }

    /// The wait after `consecutive_errors` failures in a row (1 for the first), with `random`
    /// in `[0, 1)` drawing the jitter.
    pub fn backoff(&self, consecutive_errors: u32, random: f64) -> Duration {
        if consecutive_errors <= 1 {
            return Duration::ZERO;
        }
        let exp = 2f64.powi(consecutive_errors.saturating_sub(1).min(62) as i32);
        let mut secs = self.backoff_factor * exp;
        if self.backoff_jitter != 0.0 {
            secs += random * self.backoff_jitter;
        }
        let secs = secs.clamp(0.0, self.backoff_max.as_secs_f64());
        Duration::from_secs_f64(secs)
    }

    /// The wait a `Retry-After` header asks for (seconds form only), for the statuses urllib3
    /// honours it on.
    pub fn retry_after(&self, status: u16, header: Option<&str>) -> Option<Duration> {
        if !self.respect_retry_after || ![413, 429, 503].contains(&status) {
            return None;
        }
        let secs: u64 = header?.trim().parse().ok()?;
        Some(Duration::from_secs(secs))
    }
}

/// A random number in `[0, 1)` from the standard library's randomly keyed hasher (enough for
/// jitter; no extra dependency).
pub fn jitter_random() -> f64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_matches_urllib3_with_mlflow_defaults() {
        let p = RetryPolicy::default();
        let secs: Vec<f64> = (1..=8).map(|n| p.backoff(n, 0.0).as_secs_f64()).collect();
        assert_eq!(secs, vec![0.0, 4.0, 8.0, 16.0, 32.0, 64.0, 120.0, 120.0]);
        // Jitter adds up to backoff_jitter seconds.
        assert_eq!(p.backoff(2, 0.5).as_secs_f64(), 4.5);
        assert_eq!(p.backoff(1, 0.9), Duration::ZERO);
        let custom = RetryPolicy {
            backoff_factor: 0.01,
            backoff_jitter: 0.0,
            ..RetryPolicy::default()
        };
        assert_eq!(custom.backoff(3, 0.7).as_secs_f64(), 0.04);
    }

    #[test]
    fn retried_statuses_and_retry_after() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(RetryPolicy::retries_status(s), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 501] {
            assert!(!RetryPolicy::retries_status(s), "{s}");
        }
        let p = RetryPolicy::default();
        assert_eq!(
            p.retry_after(429, Some(" 3 ")),
            Some(Duration::from_secs(3))
        );
        assert_eq!(p.retry_after(500, Some("3")), None);
        assert_eq!(p.retry_after(503, Some("soon")), None);
        let off = RetryPolicy {
            respect_retry_after: false,
            ..p
        };
        assert_eq!(off.retry_after(429, Some("3")), None);
    }

    #[test]
    fn jitter_is_in_unit_interval() {
        for _ in 0..100 {
            let r = jitter_random();
            assert!((0.0..1.0).contains(&r), "{r}");
        }
    }
}
