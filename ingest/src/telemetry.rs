//! What each source reports about itself: counters for the status line and the Prometheus
//! endpoint, and its connection state. A state change is logged once, as it happens
//! (connected, rate-limited until T, backing off, resumed at cursor C), never once per request.
//!
//! This module only counts and renders text; serving it over HTTP is the binary's job.

use chrono::{DateTime, Utc};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds (seconds) of the request latency histogram buckets.
const LATENCY_BUCKETS: [f64; 10] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// A source's connection state, as shown in logs and the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceState {
    /// Not yet connected.
    Starting,
    /// Receiving data.
    Connected,
    /// Waiting for the service's rate limit to reset.
    RateLimited {
        /// Until when.
        until: DateTime<Utc>,
    },
    /// Waiting after a failure.
    BackingOff {
        /// How long.
        delay: Duration,
        /// Why.
        reason: String,
    },
    /// Finished or told to stop.
    Stopped,
}

impl SourceState {
    fn label(&self) -> &'static str {
        match self {
            SourceState::Starting => "starting",
            SourceState::Connected => "connected",
            SourceState::RateLimited { .. } => "rate-limited",
            SourceState::BackingOff { .. } => "backing-off",
            SourceState::Stopped => "stopped",
        }
    }
}

/// Counters of one source. Cheap to update from its task (relaxed atomics).
#[derive(Debug)]
pub struct SourceMetrics {
    /// The source name.
    pub name: String,
    /// Its kind (`mastodon`...).
    pub kind: String,
    seen: AtomicU64,
    kept: AtomicU64,
    rejected: AtomicU64,
    errors: AtomicU64,
    requests: AtomicU64,
    successes: AtomicU64,
    newest_ms: AtomicI64,
    latency_buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_sum_us: AtomicU64,
    state: Mutex<SourceState>,
    last_error: Mutex<Option<String>>,
}

/// A copy of one source's counters at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSnapshot {
    /// The source name.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// Posts seen (kept or not).
    pub seen: u64,
    /// Posts passed on to the pipeline.
    pub kept: u64,
    /// Items rejected as malformed.
    pub rejected: u64,
    /// Failed requests, connections and pages.
    pub errors: u64,
    /// Requests or connections made.
    pub requests: u64,
    /// Successful responses or connections.
    pub successes: u64,
    /// Time of the newest post seen.
    pub newest: Option<DateTime<Utc>>,
    /// The state label.
    pub state: String,
    /// The most recent error message.
    pub last_error: Option<String>,
}

impl SourceSnapshot {
    /// Seconds between `now` and the newest post seen.
    pub fn lag_seconds(&self, now: DateTime<Utc>) -> Option<f64> {
        self.newest
            .map(|t| ((now - t).num_milliseconds() as f64 / 1000.0).max(0.0))
    }
}

impl SourceMetrics {
    /// Fresh counters for source `name` of `kind`.
    pub fn new(name: impl Into<String>, kind: impl Into<String>) -> Self {
        SourceMetrics {
            name: name.into(),
            kind: kind.into(),
            seen: AtomicU64::new(0),
            kept: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            successes: AtomicU64::new(0),
            newest_ms: AtomicI64::new(i64::MIN),
            latency_buckets: Default::default(),
            latency_sum_us: AtomicU64::new(0),
            state: Mutex::new(SourceState::Starting),
            last_error: Mutex::new(None),
        }
    }

    pub(crate) fn saw_post(&self, created_at: DateTime<Utc>) {
        self.seen.fetch_add(1, Ordering::Relaxed);
        self.newest_ms
            .fetch_max(created_at.timestamp_millis(), Ordering::Relaxed);
    }

    pub(crate) fn kept_post(&self) {
        self.kept.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn rejected_item(&self) {
        self.rejected.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn request(&self, latency: Duration) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let secs = latency.as_secs_f64();
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            if secs <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
        self.latency_sum_us
            .fetch_add(latency.as_micros() as u64, Ordering::Relaxed);
    }

    pub(crate) fn success(&self) {
        self.successes.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts an error and keeps its message for the status line and the dry run.
    pub(crate) fn error(&self, message: impl Into<String>) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(message.into());
    }

    /// Moves to `state`, logging one line when it differs from the current one.
    pub(crate) fn set_state(&self, state: SourceState, cursor: Option<&str>) {
        let mut current = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if *current == state {
            return;
        }
        let source = self.name.as_str();
        match &state {
            SourceState::Starting => {}
            SourceState::Connected => match cursor {
                Some(cursor) => tracing::info!(source, cursor, "connected, resumed at cursor"),
                None => tracing::info!(source, "connected"),
            },
            SourceState::RateLimited { until } => {
                tracing::warn!(source, until = %until.to_rfc3339(), "rate-limited until")
            }
            SourceState::BackingOff { delay, reason } => {
                tracing::warn!(
                    source,
                    delay_ms = delay.as_millis() as u64,
                    reason = reason.as_str(),
                    "backing off"
                )
            }
            SourceState::Stopped => tracing::info!(source, "stopped"),
        }
        *current = state;
    }

    /// A copy of the counters.
    pub fn snapshot(&self) -> SourceSnapshot {
        let newest = self.newest_ms.load(Ordering::Relaxed);
        SourceSnapshot {
            name: self.name.clone(),
            kind: self.kind.clone(),
            seen: self.seen.load(Ordering::Relaxed),
            kept: self.kept.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            successes: self.successes.load(Ordering::Relaxed),
            newest: (newest != i64::MIN)
                .then(|| DateTime::from_timestamp_millis(newest))
                .flatten(),
            state: self
                .state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .label()
                .to_string(),
            last_error: self
                .last_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        }
    }
}

/// A counter's name, help text and getter.
type Counter = (&'static str, &'static str, fn(&SourceSnapshot) -> u64);

/// Every source's counters, shared by the sources, the status line and the metrics endpoint.
#[derive(Debug, Default)]
pub struct MetricsRegistry {
    sources: Mutex<Vec<Arc<SourceMetrics>>>,
}

fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl MetricsRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        MetricsRegistry::default()
    }

    /// The counters of source `name`, created on first use.
    pub fn source(&self, name: &str, kind: &str) -> Arc<SourceMetrics> {
        let mut sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = sources.iter().find(|m| m.name == name) {
            return m.clone();
        }
        let m = Arc::new(SourceMetrics::new(name, kind));
        sources.push(m.clone());
        m
    }

    /// Snapshots of every source, in registration order.
    pub fn snapshots(&self) -> Vec<SourceSnapshot> {
        self.sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|m| m.snapshot())
            .collect()
    }

    /// The Prometheus text exposition (version 0.0.4) of every source's counters; lag is
    /// measured against `now`.
    pub fn render_prometheus(&self, now: DateTime<Utc>) -> String {
        let sources = self
            .sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut out = String::new();
        let counters: [Counter; 6] = [
            (
                "outcry_ingest_posts_seen_total",
                "Posts seen by the source, kept or not.",
                |s| s.seen,
            ),
            (
                "outcry_ingest_posts_ingested_total",
                "Posts passed on to the index.",
                |s| s.kept,
            ),
            (
                "outcry_ingest_rejected_total",
                "Items rejected as malformed.",
                |s| s.rejected,
            ),
            (
                "outcry_ingest_errors_total",
                "Failed requests, connections and pages.",
                |s| s.errors,
            ),
            (
                "outcry_ingest_requests_total",
                "Requests and connections made.",
                |s| s.requests,
            ),
            (
                "outcry_ingest_successes_total",
                "Successful responses and connections.",
                |s| s.successes,
            ),
        ];
        let snaps: Vec<SourceSnapshot> = sources.iter().map(|m| m.snapshot()).collect();
        let label = |s: &SourceSnapshot| {
            format!(
                "source=\"{}\",kind=\"{}\"",
                escape_label(&s.name),
                escape_label(&s.kind)
            )
        };
        for (name, help, get) in counters {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for s in &snaps {
                let _ = writeln!(out, "{name}{{{}}} {}", label(s), get(s));
            }
        }
        let _ = writeln!(
            out,
            "# HELP outcry_ingest_lag_seconds Age of the newest post seen.\n# TYPE outcry_ingest_lag_seconds gauge"
        );
        for s in &snaps {
            if let Some(lag) = s.lag_seconds(now) {
                let _ = writeln!(out, "outcry_ingest_lag_seconds{{{}}} {lag:.3}", label(s));
            }
        }
        let name = "outcry_ingest_request_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Latency of requests and connection attempts.\n# TYPE {name} histogram"
        );
        for (m, s) in sources.iter().zip(&snaps) {
            let mut cumulative = 0;
            for (bucket, bound) in m.latency_buckets.iter().zip(LATENCY_BUCKETS) {
                cumulative += bucket.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "{name}_bucket{{{},le=\"{bound}\"}} {cumulative}",
                    label(s)
                );
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{{},le=\"+Inf\"}} {}",
                label(s),
                s.requests
            );
            let sum = m.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(out, "{name}_sum{{{}}} {sum:.6}", label(s));
            let _ = writeln!(out, "{name}_count{{{}}} {}", label(s), s.requests);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let registry = MetricsRegistry::new();
        let m = registry.source("mastodon:a\"b", "mastodon");
        m.saw_post(DateTime::from_timestamp(1000, 0).unwrap());
        m.kept_post();
        m.request(Duration::from_millis(30));
        m.request(Duration::from_secs(30));
        let text = registry.render_prometheus(DateTime::from_timestamp(1010, 0).unwrap());
        assert!(
            text.contains(
                "outcry_ingest_posts_ingested_total{source=\"mastodon:a\\\"b\",kind=\"mastodon\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "outcry_ingest_lag_seconds{source=\"mastodon:a\\\"b\",kind=\"mastodon\"} 10.000"
            ),
            "{text}"
        );
        assert!(text.contains("le=\"0.05\"} 1\n"), "{text}");
        assert!(text.contains("le=\"+Inf\"} 2\n"), "{text}");
        assert!(Arc::ptr_eq(
            &m,
            &registry.source("mastodon:a\"b", "mastodon")
        ));
    }
}
