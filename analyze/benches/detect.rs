//! Detection benchmark: a generated 7-day table of 5 million classified posts over 60
//! platforms with a known WhatsApp outage; times detection and the report, and asserts that the
//! outage is found (so the benchmark cannot silently measure nothing).
//!
//! Run: `cargo bench -p outcry-analyze --bench detect`

use chrono::{DateTime, Utc};
use outcry_analyze::detect::{DetectionRequest, DetectorConfig, detect};
use outcry_analyze::report::{Names, Report};
use outcry_model::{AuthorHash, Ids, MentionTally, Observation, ObservationTable};
use std::time::Instant;

const ROWS: usize = 5_000_000;
const DAYS: i64 = 7;
/// Monday 2026-11-02 00:00 UTC.
const T0: i64 = 1_793_577_600;
const OUTAGE_START_MINUTE: i64 = 6 * 1440 + 14 * 60;
const OUTAGE_MINUTES: i64 = 60;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn generate() -> ObservationTable {
    let mut rng = Rng(42);
    let platforms: Vec<String> = std::iter::once("whatsapp".to_string())
        .chain((1..60).map(|i| format!("service-{i}")))
        .collect();
    let regions: Vec<String> = [
        "US", "BR", "IN", "GB", "DE", "FR", "JP", "MX", "ES", "IT", "CA", "AU", "ID", "TR",
        "US-NY", "US-CA", "BR-SP", "NG", "PH", "AR",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let minutes = DAYS * 1440;
    let per_minute = ROWS as f64 / minutes as f64;
    // Zipf-like popularity of platforms.
    let weights: Vec<f64> = (0..60).map(|i| 1.0 / (i as f64 + 1.0)).collect();
    let total_weight: f64 = weights.iter().sum();
    let cumulative: Vec<f64> = weights
        .iter()
        .scan(0.0, |acc, w| {
            *acc += w / total_weight;
            Some(*acc)
        })
        .collect();
    let mut rows = Vec::with_capacity(ROWS + 10_000);
    let mut volume = Vec::with_capacity(minutes as usize);
    for minute in 0..minutes {
        let of_day = (minute % 1440) as f64;
        let cycle = 1.0 + 0.5 * (2.0 * std::f64::consts::PI * (of_day - 600.0) / 1440.0).sin();
        let n = (per_minute * cycle + rng.unit()).floor() as usize;
        let at0 = T0 + minute * 60;
        for _ in 0..n {
            let u = rng.unit();
            let platform = cumulative.iter().position(|&c| u <= c).unwrap_or(59) as u16;
            let located = rng.unit() < 0.4;
            rows.push(Observation {
                at: at0 + (rng.next() % 60) as i64,
                author: Some(AuthorHash(rng.next() | 1)),
                platforms: [platform].into(),
                regions: if located {
                    [(rng.next() % 20) as u16].into()
                } else {
                    Ids::new()
                },
                lang: 0,
                symptoms: 1 << (rng.next() % 11),
                complaint: rng.unit() < 0.06,
                recovery: false,
                report: false,
            });
        }
        if (OUTAGE_START_MINUTE..OUTAGE_START_MINUTE + OUTAGE_MINUTES).contains(&minute) {
            for _ in 0..60 {
                rows.push(Observation {
                    at: at0 + (rng.next() % 60) as i64,
                    author: Some(AuthorHash(rng.next() | 1)),
                    platforms: [0].into(),
                    regions: [1].into(),
                    lang: 0,
                    symptoms: 2,
                    complaint: true,
                    recovery: false,
                    report: false,
                });
            }
        }
        volume.push((T0 / 60 + minute, (n as f64 * 4.0) as u64));
    }
    rows.sort_by_key(|r| r.at);
    // As the index hands a table over: complaints as rows, every other post counted per minute.
    let mut mentions = MentionTally::default();
    for row in rows.iter().filter(|r| !r.complaint) {
        mentions.add_post(
            row.at.div_euclid(60),
            &row.platforms,
            &row.regions,
            row.recovery,
        );
    }
    rows.retain(|r| r.complaint);
    ObservationTable {
        platforms,
        regions,
        langs: vec!["en".to_string()],
        rows,
        volume_per_minute: volume,
        mentions: mentions.finish(),
    }
}

/// CPU seconds (user + system) this process has used: on a shared machine the wall clock
/// also counts the time other processes held the cores.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let started = Instant::now();
    let table = generate();
    println!(
        "generated {} posts over {} days ({} complaint rows, the others counted per minute) in {:.2?}",
        table.rows.len() as u64 + table.mentions.posts_between(i64::MIN, i64::MAX),
        DAYS,
        table.rows.len(),
        started.elapsed()
    );
    let rss_after_generation = peak_rss_mib();
    let from: DateTime<Utc> = DateTime::from_timestamp(T0, 0).expect("valid");
    let to: DateTime<Utc> = DateTime::from_timestamp(T0 + DAYS * 86_400, 0).expect("valid");
    let provider_of = |_: &str| None;
    let request = DetectionRequest {
        table: &table,
        from,
        to,
        provider_of: &provider_of,
    };
    let config = DetectorConfig::default();

    let mut timings = Vec::new();
    let mut detection = None;
    let cpu_before = cpu_seconds();
    for _ in 0..3 {
        let t = Instant::now();
        detection = Some(detect(&request, &config));
        timings.push(t.elapsed());
    }
    let cpu_per_run = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / 3.0);
    timings.sort();
    let detection = detection.expect("ran");
    let t = Instant::now();
    let report = Report::from_detection(&detection, to);
    let json = report.to_json();
    let names = Names {
        platform: &|_| None,
        region: &|_| None,
    };
    let html = report.to_html(&names);
    let render = t.elapsed();

    let outage_start = T0 + OUTAGE_START_MINUTE * 60;
    let found = detection
        .incidents
        .iter()
        .find(|i| i.platform == "whatsapp")
        .expect("the known outage must be found");
    let delay = found.detected_at.timestamp() - outage_start;
    assert!(
        (0..=300).contains(&delay),
        "detected {} s after the onset",
        delay
    );
    assert_eq!(
        found.regions.first().map(|r| r.code.as_str()),
        Some("BR"),
        "{:?}",
        found.regions
    );
    println!(
        "detect: median {:.3?} (min {:.3?}, max {:.3?}) over 3 runs; {} incident(s); known outage detected {} s after onset",
        timings[1],
        timings[0],
        timings[2],
        detection.incidents.len(),
        delay
    );
    if let Some(cpu) = cpu_per_run {
        println!("detect: {cpu:.3} CPU-s per run (user + system, 10 ms resolution)");
    }
    println!(
        "report JSON ({} bytes) + HTML ({} bytes): {:.1?}",
        json.len(),
        html.len(),
        render
    );
    if let (Some(before), Some(after)) = (rss_after_generation, peak_rss_mib()) {
        println!(
            "peak RSS: {before:.0} MiB after generating the table, {after:.0} MiB after detection"
        );
    }
    for i in &detection.incidents {
        println!(
            "  {} start {} detected {} end {:?} authors {} score {}",
            i.id, i.start, i.detected_at, i.end, i.authors, i.score
        );
    }
}
