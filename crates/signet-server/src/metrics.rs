//! Prometheus metrics (`GET /metrics`): request counts and latency by route and status, and
//! inputs refused by enforcement, by column and reason.

use signet::enforce::EnforceError;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, u16), Histogram>,
    refused: BTreeMap<(String, &'static str), u64>,
}

/// The server's counters (shared by all requests).
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, route: &str, status: u16, elapsed: Duration) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let h = inner
            .requests
            .entry((route.to_string(), status))
            .or_default();
        let secs = elapsed.as_secs_f64();
        for (slot, bound) in h.counts.iter_mut().zip(BUCKETS) {
            if secs <= bound {
                *slot += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// Records an input refused by enforcement.
    pub fn refused(&self, e: &EnforceError) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let column = e.location.column.clone().unwrap_or_default();
        *inner.refused.entry((column, e.kind.as_str())).or_default() += 1;
    }

    /// The Prometheus text exposition of every counter.
    pub fn render(&self) -> String {
        let Ok(inner) = self.inner.lock() else {
            return String::new();
        };
        let mut out = String::new();
        out.push_str("# HELP signet_requests_total Requests answered, by route and status.\n");
        out.push_str("# TYPE signet_requests_total counter\n");
        for ((route, status), h) in &inner.requests {
            let _ = writeln!(
                out,
                "signet_requests_total{{route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                h.count
            );
        }
        out.push_str(
            "# HELP signet_request_duration_seconds Request latency, by route and status.\n",
        );
        out.push_str("# TYPE signet_request_duration_seconds histogram\n");
        for ((route, status), h) in &inner.requests {
            let labels = format!("route=\"{}\",status=\"{status}\"", escape(route));
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "signet_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "signet_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "signet_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "signet_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        out.push_str(
            "# HELP signet_refused_inputs_total Inputs refused by schema enforcement, by column and reason.\n",
        );
        out.push_str("# TYPE signet_refused_inputs_total counter\n");
        for ((column, reason), n) in &inner.refused {
            let _ = writeln!(
                out,
                "signet_refused_inputs_total{{column=\"{}\",reason=\"{reason}\"}} {n}",
                escape(column)
            );
        }
        out
    }
}

/// Escapes a Prometheus label value.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
