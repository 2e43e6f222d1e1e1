//! The status line on a terminal: per source, posts kept per second, lag behind the newest
//! post, and errors, redrawn in place once a second on stderr.

use outcry_ingest::{MetricsRegistry, Shutdown, SourceSnapshot};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One line describing every source.
pub fn render(
    snapshots: &[SourceSnapshot],
    rates: &HashMap<String, f64>,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    snapshots
        .iter()
        .map(|s| {
            let rate = rates.get(&s.name).copied().unwrap_or(0.0);
            let lag = s
                .lag_seconds(now)
                .map_or("-".to_string(), |l| format!("{l:.0}s"));
            format!(
                "{} {} {rate:.1}/s lag {lag} err {}",
                s.name, s.state, s.errors
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Redraws the status line every second until `shutdown` fires, then clears it.
pub async fn run(registry: Arc<MetricsRegistry>, mut shutdown: Shutdown) {
    let mut previous: HashMap<String, (u64, Instant)> = HashMap::new();
    let mut width: usize = 0;
    loop {
        if shutdown.sleep(Duration::from_secs(1)).await {
            break;
        }
        let now = Instant::now();
        let snapshots = registry.snapshots();
        let mut rates = HashMap::new();
        for s in &snapshots {
            if let Some((kept, at)) = previous.get(&s.name) {
                let secs = now.duration_since(*at).as_secs_f64().max(1e-3);
                rates.insert(s.name.clone(), (s.kept.saturating_sub(*kept)) as f64 / secs);
            }
            previous.insert(s.name.clone(), (s.kept, now));
        }
        let mut line = render(&snapshots, &rates, chrono::Utc::now());
        let columns = terminal_columns();
        if line.chars().count() > columns {
            line = line.chars().take(columns.saturating_sub(1)).collect();
        }
        let pad = width.saturating_sub(line.chars().count());
        width = line.chars().count();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}{}", " ".repeat(pad));
        let _ = err.flush();
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r{}\r", " ".repeat(width));
    let _ = err.flush();
}

fn terminal_columns() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c >= 20)
        .unwrap_or(160)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shows_rate_lag_and_errors() {
        let registry = MetricsRegistry::new();
        registry.source("mastodon:a", "mastodon");
        let snaps = registry.snapshots();
        let rates = HashMap::from([("mastodon:a".to_string(), 12.34)]);
        let line = render(&snaps, &rates, chrono::Utc::now());
        assert_eq!(line, "mastodon:a starting 12.3/s lag - err 0");
    }
}
