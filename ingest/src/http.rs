//! The shared HTTP polling machinery: one request function that applies the per-host rate
//! limiter, timeouts, response size limits and the services' rate-limit headers
//! (`Retry-After`, `X-RateLimit-*`), and one polling loop that drives a source's [`Poller`]
//! hooks, retries with backoff, emits what they parse and checkpoints after it.
//!
//! A source only says which requests to make and how to read a response; it never sleeps,
//! retries or sends by itself.

use crate::emit::{Emitter, Item, Stopped};
use crate::limit::{Backoff, HostLimiter, HostLimiters};
use crate::telemetry::{SourceMetrics, SourceState};
use crate::{Shutdown, config::SourceConfig};
use chrono::{DateTime, Utc};
use outcry_model::{RejectReason, Rejection};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Failed attempts at one request before it is skipped until the next round.
const MAX_ATTEMPTS: u32 = 6;
/// The longest announced rate-limit wait we accept as is.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(3600);

/// Installs the `ring` rustls provider once (reqwest and tungstenite are built without one, to
/// keep aws-lc out of the build).
pub(crate) fn ensure_tls_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// One request to make.
#[derive(Debug, Clone)]
pub(crate) struct Fetch {
    pub url: Url,
    /// Form fields: present means POST with a urlencoded body.
    pub form: Option<Vec<(String, String)>>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub basic_auth: Option<(String, String)>,
    /// Which listing of the source it belongs to (hook-defined).
    pub tag: usize,
}

impl Fetch {
    pub(crate) fn get(url: Url, tag: usize) -> Self {
        Fetch {
            url,
            form: None,
            headers: Vec::new(),
            basic_auth: None,
            tag,
        }
    }

    pub(crate) fn header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }
}

/// A response that came back whole, within the size limit.
#[derive(Debug)]
pub(crate) struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Page {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Why a request gave no usable page.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The service said to wait (429, or 503 with `Retry-After`); `until` when it said until when.
    RateLimited {
        until: Option<(Instant, DateTime<Utc>)>,
    },
    /// 401 or 403: credentials missing, expired or refused.
    Unauthorized(StatusCode),
    /// Worth retrying: 5xx, timeout, connection failure, cut-off body.
    Transient(String),
    /// Not worth retrying soon: another 4xx, or a body over the size limit.
    Permanent(String),
    /// The stop signal fired.
    Stopped,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::RateLimited { .. } => write!(f, "rate-limited"),
            FetchError::Unauthorized(s) => write!(f, "HTTP {s}: check the credentials"),
            FetchError::Transient(m) | FetchError::Permanent(m) => f.write_str(m),
            FetchError::Stopped => write!(f, "stopped"),
        }
    }
}

/// Parses `Retry-After`: delay-seconds or an HTTP-date.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((when - now).to_std().unwrap_or(Duration::ZERO))
}

/// Parses an `X-RateLimit-Reset` value: an RFC 3339 time (Mastodon), unix seconds, or seconds
/// from now (Reddit).
pub(crate) fn parse_reset(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(
            (t.with_timezone(&Utc) - now)
                .to_std()
                .unwrap_or(Duration::ZERO),
        );
    }
    let n: f64 = value
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    if n > 1e9 {
        let t = DateTime::from_timestamp(n as i64, 0)?;
        Some((t - now).to_std().unwrap_or(Duration::ZERO))
    } else {
        Some(Duration::from_secs_f64(n))
    }
}

/// An HTTP client bound to one source: its User-Agent, timeout, size limit and host limiter.
pub(crate) struct Http {
    client: reqwest::Client,
    limiters: Arc<HostLimiters>,
    per_minute: f64,
    metrics: Arc<SourceMetrics>,
    max_bytes: usize,
    timeout: Duration,
}

impl Http {
    pub(crate) fn new(
        config: &SourceConfig,
        limiters: Arc<HostLimiters>,
        metrics: Arc<SourceMetrics>,
    ) -> Result<Http, String> {
        ensure_tls_provider();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.timeout)
            .pool_max_idle_per_host(2)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Http {
            client,
            limiters,
            per_minute: config.requests_per_minute,
            metrics,
            max_bytes: config.max_response_bytes,
            timeout: config.timeout,
        })
    }

    fn limiter(&self, url: &Url) -> Arc<HostLimiter> {
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => String::new(),
        };
        self.limiters.for_host(&host, self.per_minute)
    }

    /// Makes one request, within the host's budget, and reads the body up to the size limit.
    pub(crate) async fn fetch(
        &self,
        fetch: &Fetch,
        shutdown: &mut Shutdown,
    ) -> Result<Page, FetchError> {
        let limiter = self.limiter(&fetch.url);
        if !limiter.acquire(shutdown).await {
            return Err(FetchError::Stopped);
        }
        let mut request = match &fetch.form {
            Some(form) => self.client.post(fetch.url.clone()).form(form),
            None => self.client.get(fetch.url.clone()),
        };
        request = request.timeout(self.timeout);
        for (name, value) in &fetch.headers {
            request = request.header(name, value);
        }
        if let Some((user, password)) = &fetch.basic_auth {
            request = request.basic_auth(user, Some(password));
        }
        let started = Instant::now();
        let result = tokio::select! {
            r = self.send_and_read(request, &limiter) => r,
            _ = shutdown.triggered() => Err(FetchError::Stopped),
        };
        self.metrics.request(started.elapsed());
        result
    }

    async fn send_and_read(
        &self,
        request: reqwest::RequestBuilder,
        limiter: &HostLimiter,
    ) -> Result<Page, FetchError> {
        let mut response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                FetchError::Transient("timed out".into())
            } else {
                FetchError::Transient(format!("request failed: {}", error_chain(&e)))
            }
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        let now = Utc::now();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let announced = header("retry-after")
            .and_then(|v| parse_retry_after(v, now))
            .or_else(|| {
                let remaining: f64 = header("x-ratelimit-remaining")?.trim().parse().ok()?;
                if remaining >= 1.0 {
                    return None;
                }
                header("x-ratelimit-reset").and_then(|v| parse_reset(v, now))
            })
            .map(|wait| wait.min(MAX_RATE_LIMIT_WAIT));
        if let Some(wait) = announced {
            limiter.block_until(Instant::now() + wait);
        }
        let until = announced.map(|wait| {
            (
                Instant::now() + wait,
                now + chrono::Duration::from_std(wait).unwrap_or_default(),
            )
        });
        if status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::SERVICE_UNAVAILABLE && until.is_some())
        {
            return Err(FetchError::RateLimited { until });
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(FetchError::Unauthorized(status));
        }
        if status.is_server_error() {
            return Err(FetchError::Transient(format!("HTTP {status}")));
        }
        if status.is_client_error() {
            return Err(FetchError::Permanent(format!("HTTP {status}")));
        }
        if response
            .content_length()
            .is_some_and(|len| len as usize > self.max_bytes)
        {
            return Err(FetchError::Permanent(format!(
                "response larger than max_response_bytes ({} bytes)",
                self.max_bytes
            )));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_bytes {
                        return Err(FetchError::Permanent(format!(
                            "response larger than max_response_bytes ({} bytes)",
                            self.max_bytes
                        )));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.is_timeout() => {
                    return Err(FetchError::Transient("timed out reading the body".into()));
                }
                Err(e) => {
                    return Err(FetchError::Transient(format!(
                        "body cut off: {}",
                        error_chain(&e)
                    )));
                }
            }
        }
        Ok(Page {
            status,
            headers,
            body,
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// What one page gave.
#[derive(Debug, Default)]
pub(crate) struct PageOutcome {
    pub items: Vec<Item>,
    /// The next page of the same listing, fetched before anything else.
    pub next: Option<Fetch>,
    /// The source's cursor moved: checkpoint after these items.
    pub checkpoint: bool,
}

/// The per-source hooks of the polling loop.
pub(crate) trait Poller: Send {
    /// The requests of one polling round (one per listing), first pages only.
    fn round(&mut self) -> Vec<Fetch>;
    /// A token request to make before the next request, if credentials are needed now.
    fn auth(&mut self) -> Option<Fetch> {
        None
    }
    /// Adds what only the source knows at send time (a fresh token) to a request.
    fn prepare(&self, _fetch: &mut Fetch) {}
    /// Reads the token response.
    fn on_auth(&mut self, _page: &Page) -> Result<(), String> {
        Ok(())
    }
    /// The service refused the credentials: forget them.
    fn on_unauthorized(&mut self) {}
    /// Reads a page; `Err` means the page as a whole is malformed (it is retried).
    fn on_page(&mut self, fetch: &Fetch, page: Page) -> Result<PageOutcome, String>;
    /// The resume position, if any.
    fn cursor(&self) -> Option<String>;
}

/// Runs `poller` until the stop signal: rounds of requests, `poll_interval` apart.
pub(crate) async fn run_poller<P: Poller>(
    mut poller: P,
    http: Http,
    config: &SourceConfig,
    emitter: &mut Emitter,
    mut shutdown: Shutdown,
) {
    let metrics = emitter.metrics.clone();
    let mut backoff = Backoff::new(config.backoff_initial, config.backoff_max);
    let resumed_at = poller.cursor();
    'rounds: while !shutdown.is_triggered() {
        let mut queue: VecDeque<Fetch> = poller.round().into();
        let mut attempts = 0;
        while let Some(fetch) = queue.front().cloned() {
            if shutdown.is_triggered() {
                break 'rounds;
            }
            if attempts >= MAX_ATTEMPTS {
                tracing::warn!(source = emitter.stream.as_str(), url = %fetch.url, attempts, "giving up on this request until the next round");
                queue.pop_front();
                attempts = 0;
                continue;
            }
            let result = match poller.auth() {
                Some(auth) => match http.fetch(&auth, &mut shutdown).await {
                    Ok(page) => match poller.on_auth(&page) {
                        Ok(()) => continue,
                        Err(e) => Err(FetchError::Transient(format!("token response: {e}"))),
                    },
                    Err(e) => Err(e),
                },
                None => {
                    let mut fetch = fetch.clone();
                    poller.prepare(&mut fetch);
                    http.fetch(&fetch, &mut shutdown).await
                }
            };
            let failure = match result {
                Ok(page) => match poller.on_page(&fetch, page) {
                    Ok(outcome) => {
                        metrics.success();
                        metrics.set_state(SourceState::Connected, resumed_at.as_deref());
                        backoff.reset();
                        attempts = 0;
                        queue.pop_front();
                        if let Some(next) = outcome.next {
                            queue.push_front(next);
                        }
                        if emit_all(
                            emitter,
                            outcome.items,
                            outcome.checkpoint.then(|| poller.cursor()).flatten(),
                        )
                        .await
                        .is_err()
                        {
                            break 'rounds;
                        }
                        continue;
                    }
                    Err(malformed) => {
                        let location = fetch.url.to_string();
                        let message = format!("malformed response: {malformed}");
                        let item = Item::Rejected {
                            location,
                            rejection: Rejection {
                                reason: RejectReason::InvalidJson,
                                message: message.clone(),
                            },
                        };
                        if emitter.emit(item).await.is_err() {
                            break 'rounds;
                        }
                        message
                    }
                },
                Err(FetchError::Stopped) => break 'rounds,
                Err(FetchError::RateLimited {
                    until: Some((until, wall)),
                }) => {
                    metrics.set_state(SourceState::RateLimited { until: wall }, None);
                    let wait = until.saturating_duration_since(Instant::now());
                    if shutdown.sleep(wait).await {
                        break 'rounds;
                    }
                    continue;
                }
                Err(FetchError::RateLimited { until: None }) => {
                    "rate-limited without a reset time".to_string()
                }
                Err(FetchError::Unauthorized(status)) => {
                    poller.on_unauthorized();
                    format!(
                        "HTTP {status}: the service refused the request; check the credentials or whether the endpoint is public"
                    )
                }
                Err(FetchError::Permanent(message)) => {
                    metrics.error(format!("{}: {message}", fetch.url));
                    tracing::warn!(source = emitter.stream.as_str(), url = %fetch.url, error = message.as_str(), "request failed, skipped until the next round");
                    queue.pop_front();
                    attempts = 0;
                    continue;
                }
                Err(FetchError::Transient(message)) => message,
            };
            attempts += 1;
            metrics.error(format!("{}: {failure}", fetch.url));
            let delay = backoff.next_delay();
            metrics.set_state(
                SourceState::BackingOff {
                    delay,
                    reason: failure,
                },
                None,
            );
            if shutdown.sleep(delay).await {
                break 'rounds;
            }
        }
        if shutdown.sleep(config.poll_interval).await {
            break;
        }
    }
    metrics.set_state(SourceState::Stopped, None);
}

/// Sends `items`, then the checkpoint if there is one.
pub(crate) async fn emit_all(
    emitter: &mut Emitter,
    items: Vec<Item>,
    cursor: Option<String>,
) -> Result<(), Stopped> {
    for item in items {
        emitter.emit(item).await?;
    }
    if let Some(cursor) = cursor {
        emitter.checkpoint(cursor).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_and_reset_forms() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_reset("2026-01-01T00:05:00.000Z", now),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            parse_reset("12.5", now),
            Some(Duration::from_secs_f64(12.5))
        );
        assert_eq!(
            parse_reset(&(now.timestamp() + 60).to_string(), now),
            Some(Duration::from_secs(60))
        );
    }
}
