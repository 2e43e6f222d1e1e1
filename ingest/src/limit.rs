//! Politeness: a token-bucket rate limiter per host, shared by every source that talks to that
//! host, which also holds the "blocked until" time a service announces (`Retry-After`,
//! `X-RateLimit-Reset`); and the exponential backoff with jitter used after failures.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Requests allowed in a burst before the steady rate applies.
const MAX_BURST: f64 = 10.0;

#[derive(Debug)]
struct Bucket {
    per_second: f64,
    capacity: f64,
    tokens: f64,
    refilled: Instant,
    blocked_until: Option<Instant>,
}

/// The request budget of one host.
#[derive(Debug)]
pub struct HostLimiter {
    bucket: Mutex<Bucket>,
}

impl HostLimiter {
    /// A limiter allowing `per_minute` requests per minute.
    pub fn new(per_minute: f64) -> Self {
        let capacity = (per_minute / 6.0).clamp(1.0, MAX_BURST);
        HostLimiter {
            bucket: Mutex::new(Bucket {
                per_second: per_minute / 60.0,
                capacity,
                tokens: capacity,
                refilled: Instant::now(),
                blocked_until: None,
            }),
        }
    }

    /// How long to wait before a request may go out; zero means one was taken.
    fn try_take(&self) -> Duration {
        let mut b = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if let Some(until) = b.blocked_until {
            if until > now {
                return until - now;
            }
            b.blocked_until = None;
        }
        let elapsed = now.saturating_duration_since(b.refilled).as_secs_f64();
        b.tokens = (b.tokens + elapsed * b.per_second).min(b.capacity);
        b.refilled = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - b.tokens) / b.per_second)
        }
    }

    /// Waits for a request slot; returns false if `shutdown` fired first.
    pub async fn acquire(&self, shutdown: &mut crate::Shutdown) -> bool {
        loop {
            let wait = self.try_take();
            if wait.is_zero() {
                return true;
            }
            if shutdown.sleep(wait).await {
                return false;
            }
        }
    }

    /// No request before `until` (the service said so).
    pub fn block_until(&self, until: Instant) {
        let mut b = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        b.blocked_until = Some(b.blocked_until.map_or(until, |u| u.max(until)));
    }
}

/// Limiters by host, shared by all sources of one run. The first source to name a host sets
/// its rate; a later source with a lower budget lowers it (the strictest wins).
#[derive(Debug, Default)]
pub struct HostLimiters {
    hosts: Mutex<HashMap<String, (f64, Arc<HostLimiter>)>>,
}

impl HostLimiters {
    /// An empty set.
    pub fn new() -> Self {
        HostLimiters::default()
    }

    /// The limiter of `host` with at most `per_minute` requests per minute.
    pub fn for_host(&self, host: &str, per_minute: f64) -> Arc<HostLimiter> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        match hosts.get(host) {
            Some((rate, limiter)) if *rate <= per_minute => limiter.clone(),
            _ => {
                let limiter = Arc::new(HostLimiter::new(per_minute));
                hosts.insert(host.to_string(), (per_minute, limiter.clone()));
                limiter
            }
        }
    }
}

/// Exponential backoff with "equal jitter": the n-th delay is uniformly drawn from
/// `[d/2, d]` where `d = min(max, initial * 2^n)`, so that many clients do not retry in step.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    /// A backoff starting at `initial` and capped at `max`.
    pub fn new(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max,
            attempt: 0,
        }
    }

    /// The next delay.
    pub fn next_delay(&mut self) -> Duration {
        let factor = 2f64.powi(self.attempt.min(30) as i32);
        self.attempt = self.attempt.saturating_add(1);
        let ceiling = (self.initial.as_secs_f64() * factor).min(self.max.as_secs_f64());
        let jittered = ceiling / 2.0 + ceiling / 2.0 * unit_random();
        Duration::from_secs_f64(jittered)
    }

    /// Failures since the last success.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// Back to the initial delay after a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// A number in [0, 1) that differs between calls and processes: jitter needs spread, not
/// unpredictability, so a splitmix64 step over the clock and a counter is enough.
fn unit_random() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut z = nanos ^ COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let d: Vec<Duration> = (0..8).map(|_| b.next_delay()).collect();
        assert!(d[0] >= Duration::from_millis(50) && d[0] <= Duration::from_millis(100));
        assert!(d[3] >= Duration::from_millis(400) && d[3] <= Duration::from_millis(800));
        assert!(d.iter().all(|x| *x <= Duration::from_secs(1)));
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(100));
    }

    #[test]
    fn bucket_paces_requests() {
        let limiter = HostLimiter::new(60.0);
        // Burst of 10, then one per second.
        for _ in 0..10 {
            assert_eq!(limiter.try_take(), Duration::ZERO);
        }
        let wait = limiter.try_take();
        assert!(
            wait > Duration::from_millis(500) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        limiter.block_until(Instant::now() + Duration::from_secs(30));
        assert!(limiter.try_take() > Duration::from_secs(29));
        let limiters = HostLimiters::new();
        let a = limiters.for_host("h", 100.0);
        let b = limiters.for_host("h", 300.0);
        assert!(Arc::ptr_eq(&a, &b));
    }
}
