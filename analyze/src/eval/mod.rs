//! Scoring a report against the truth of a simulation: recall, precision, false alarms, delays,
//! onset and end errors, top-region and provider accuracy.
//!
//! The report is read from its JSON contract (issue 4, `outcry report --format json`) with a
//! minimal view of the fields scoring needs, so this module does not depend on how reports are
//! built. It owns `analyze/src/eval/`; it never detects anything itself and reads no files.
//!
//! Matching rule (also in `docs/DETECTION.md`): a detected incident matches a true incident when
//! (1) it is about one of the true incident's platforms, or lists one of them in `related`, or
//! names the true incident's provider; and (2) its span, from `start` to `end` (the report's
//! window end while ongoing), overlaps the true span widened by [`MATCH_TOLERANCE_MINUTES`] on
//! each side. A detection that matches several true incidents is given to the one about its own
//! platform, else to the one it overlaps most. Unmatched detections are false alarms.

use crate::simulate::Truth;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Minutes by which a true incident's span is widened on each side when matching.
pub const MATCH_TOLERANCE_MINUTES: i64 = 15;

/// The report JSON does not follow the contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the report is not in the `outcry report --format json` format: {0}; produce it with `outcry report --index DIR --format json --out r.json`"
)]
pub struct ReportFormatError(pub String);

/// The fields of a report's JSON that scoring reads.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportView {
    /// The window the report covers.
    pub window: WindowView,
    /// Detected incidents.
    pub incidents: Vec<DetectedView>,
}

/// A report's window.
#[derive(Debug, Clone, Deserialize)]
pub struct WindowView {
    /// Start of the window.
    pub from: DateTime<Utc>,
    /// End of the window.
    pub to: DateTime<Utc>,
}

/// One detected incident, as far as scoring is concerned.
#[derive(Debug, Clone, Deserialize)]
pub struct DetectedView {
    /// The report's id for it.
    pub id: String,
    /// The platform.
    pub platform: String,
    /// Platforms that burst together with it.
    #[serde(default)]
    pub related: Vec<String>,
    /// The provider, when several of its services fail together.
    #[serde(default)]
    pub provider: Option<String>,
    /// Estimated onset.
    pub start: DateTime<Utc>,
    /// When the detector fired.
    pub detected_at: DateTime<Utc>,
    /// When it ended (`null` while ongoing).
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// Affected regions, most affected first.
    #[serde(default)]
    pub regions: Vec<RegionView>,
}

/// A region of a detected incident.
#[derive(Debug, Clone, Deserialize)]
pub struct RegionView {
    /// ISO 3166 code.
    pub code: String,
}

/// How one true incident fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentOutcome {
    /// The true incident's id.
    pub id: String,
    /// Its platforms.
    pub platforms: Vec<String>,
    /// `global` or `regional`.
    pub scope: String,
    /// At least one detection matched it.
    pub detected: bool,
    /// Ids of the detections that matched it.
    pub detections: Vec<String>,
    /// Earliest `detected_at` minus true start, in minutes.
    pub delay_minutes: Option<f64>,
    /// |estimated start − true start| of the earliest detection, in minutes.
    pub onset_error_minutes: Option<f64>,
    /// |estimated end − true end| of the last-ending matched detection, in minutes.
    pub end_error_minutes: Option<f64>,
    /// The true top region, for regional incidents.
    pub true_top_region: Option<String>,
    /// The top region the report gave.
    pub reported_top_region: Option<String>,
    /// The true provider.
    pub true_provider: Option<String>,
    /// The provider the detections named, if any.
    pub reported_provider: Option<String>,
}

/// A detection that matched no true incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FalseAlarm {
    /// The report's id for it.
    pub id: String,
    /// Its platform.
    pub platform: String,
    /// Its estimated start.
    pub start: DateTime<Utc>,
    /// The decoy it overlaps, if any (what fooled the detector).
    pub decoy: Option<String>,
}

/// The scores of one report against one truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The scenario scored.
    pub scenario: String,
    /// Its seed.
    pub seed: u64,
    /// Days of the scenario inside the report's window.
    pub days: f64,
    /// True incidents inside the window.
    pub true_incidents: usize,
    /// Of which detected.
    pub detected_incidents: usize,
    /// Detections in the report.
    pub detections: usize,
    /// Detections that matched a true incident.
    pub matched_detections: usize,
    /// Matched detections on a platform whose true incident another detection already covered
    /// (a split incident).
    pub duplicate_detections: usize,
    /// Detected true incidents / true incidents (1 when there are none).
    pub recall: f64,
    /// Matched detections / detections (1 when there are none).
    pub precision: f64,
    /// Harmonic mean of recall and precision.
    pub f1: f64,
    /// Unmatched detections per day.
    pub false_alarms_per_day: f64,
    /// Median detection delay in minutes.
    pub delay_median_minutes: Option<f64>,
    /// 90th percentile of the detection delay in minutes.
    pub delay_p90_minutes: Option<f64>,
    /// Median absolute onset error in minutes.
    pub onset_error_median_minutes: Option<f64>,
    /// Median absolute end error in minutes (ended detections only).
    pub end_error_median_minutes: Option<f64>,
    /// Regional incidents detected with the right top region / regional incidents detected.
    pub top_region_accuracy: Option<f64>,
    /// Detected incidents whose provider (or its absence) is right / detected incidents.
    pub provider_accuracy: Option<f64>,
    /// Per true incident.
    pub incidents: Vec<IncidentOutcome>,
    /// Detections that matched nothing.
    pub false_alarms: Vec<FalseAlarm>,
    /// Reasons the figures may not mean what they seem (a report window that misses the
    /// simulation, say).
    pub warnings: Vec<String>,
}

impl ReportView {
    /// Reads the fields scoring needs from a report's JSON.
    pub fn from_json(report: &serde_json::Value) -> Result<ReportView, ReportFormatError> {
        ReportView::deserialize(report).map_err(|e| ReportFormatError(e.to_string()))
    }
}

/// Scores a report (its JSON, as `outcry report --format json` writes it) against a truth.
pub fn evaluate(
    truth: &Truth,
    report: &serde_json::Value,
) -> Result<Evaluation, ReportFormatError> {
    Ok(evaluate_view(truth, &ReportView::from_json(report)?))
}

/// Scores an already-read report against a truth.
pub fn evaluate_view(truth: &Truth, report: &ReportView) -> Evaluation {
    let tolerance = Duration::minutes(MATCH_TOLERANCE_MINUTES);
    let window_from = report.window.from.max(truth.start);
    let window_to = report.window.to.min(truth.end);
    let days = ((window_to - window_from).num_seconds().max(0) as f64) / 86_400.0;
    let in_window: Vec<usize> = (0..truth.incidents.len())
        .filter(|&i| truth.incidents[i].start < window_to && truth.incidents[i].end > window_from)
        .collect();

    // Each detection goes to the true incident about its own platform, else to the one it
    // overlaps most: two overlapping outages of different platforms are each other's
    // `related`, and the longer one must not take the other's detection.
    let mut assigned: Vec<Option<usize>> = Vec::with_capacity(report.incidents.len());
    for d in &report.incidents {
        let d_end = d.end.unwrap_or(report.window.to).max(d.start);
        let mut best: Option<(usize, (bool, i64))> = None;
        for &i in &in_window {
            let t = &truth.incidents[i];
            let own = t.platforms.contains(&d.platform);
            let about = own
                || d.related.iter().any(|r| t.platforms.contains(r))
                || (d.provider.is_some() && d.provider == t.provider);
            if !about {
                continue;
            }
            let from = d.start.max(t.start - tolerance);
            let to = d_end.min(t.end + tolerance);
            // Touching spans count: a detection that opens as the widened span closes is late,
            // not a false alarm.
            if from > to {
                continue;
            }
            let rank = (own, (to - from).num_seconds());
            if best.is_none_or(|(_, r)| rank > r) {
                best = Some((i, rank));
            }
        }
        assigned.push(best.map(|(i, _)| i));
    }

    let mut outcomes = Vec::new();
    let mut duplicates = 0;
    let (mut delays, mut onsets, mut ends) = (Vec::new(), Vec::new(), Vec::new());
    let (mut region_right, mut region_total, mut provider_right, mut provider_total) =
        (0usize, 0usize, 0usize, 0usize);
    for &i in &in_window {
        let t = &truth.incidents[i];
        let matched: Vec<&DetectedView> = report
            .incidents
            .iter()
            .zip(&assigned)
            .filter(|(_, a)| **a == Some(i))
            .map(|(d, _)| d)
            .collect();
        let mut platforms_seen: Vec<&str> = Vec::new();
        for d in &matched {
            if platforms_seen.contains(&d.platform.as_str()) {
                duplicates += 1;
            } else {
                platforms_seen.push(&d.platform);
            }
        }
        let first = matched.iter().min_by_key(|d| d.detected_at);
        let delay = first.map(|d| minutes(d.detected_at - t.start));
        let onset = first.map(|d| minutes(d.start - t.start).abs());
        let end = matched
            .iter()
            .filter_map(|d| d.end)
            .max()
            .map(|e| minutes(e - t.end).abs());
        delays.extend(delay);
        onsets.extend(onset);
        ends.extend(end);
        let true_top = (t.scope == "regional")
            .then(|| t.top_region().map(str::to_string))
            .flatten();
        // The region of the detection with the most evidence: the first one on the incident's
        // main platform, else the first detection.
        let main = matched
            .iter()
            .filter(|d| d.platform == t.platforms[0])
            .min_by_key(|d| d.detected_at)
            .or(first);
        let reported_top = main.and_then(|d| d.regions.first()).map(|r| r.code.clone());
        if let (Some(truth_code), true) = (&true_top, first.is_some()) {
            region_total += 1;
            if reported_top
                .as_deref()
                .is_some_and(|r| same_region(r, truth_code))
            {
                region_right += 1;
            }
        }
        let reported_provider = matched.iter().find_map(|d| d.provider.clone());
        if first.is_some() {
            provider_total += 1;
            if reported_provider == t.provider {
                provider_right += 1;
            }
        }
        outcomes.push(IncidentOutcome {
            id: t.id.clone(),
            platforms: t.platforms.clone(),
            scope: t.scope.clone(),
            detected: first.is_some(),
            detections: matched.iter().map(|d| d.id.clone()).collect(),
            delay_minutes: delay,
            onset_error_minutes: onset,
            end_error_minutes: end,
            true_top_region: true_top,
            reported_top_region: reported_top,
            true_provider: t.provider.clone(),
            reported_provider,
        });
    }

    let false_alarms: Vec<FalseAlarm> = report
        .incidents
        .iter()
        .zip(&assigned)
        .filter(|(_, a)| a.is_none())
        .map(|(d, _)| {
            let d_end = d.end.unwrap_or(report.window.to).max(d.start);
            let decoy = truth
                .decoys
                .iter()
                .find(|x| {
                    (x.platforms.is_empty() || x.platforms.contains(&d.platform))
                        && d.start <= x.end + tolerance
                        && d_end >= x.start - tolerance
                })
                .map(|x| format!("{} ({})", x.id, x.kind));
            FalseAlarm {
                id: d.id.clone(),
                platform: d.platform.clone(),
                start: d.start,
                decoy,
            }
        })
        .collect();

    let mut warnings = Vec::new();
    if in_window.len() < truth.incidents.len() {
        warnings.push(format!(
            "the report's window ({} to {}) leaves out {} of the simulation's {} incidents ({} to {}); report with --from and --to around the simulation to score them all",
            report.window.from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            report.window.to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            truth.incidents.len() - in_window.len(),
            truth.incidents.len(),
            truth.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            truth.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ));
    }
    let detected = outcomes.iter().filter(|o| o.detected).count();
    let matched_detections = assigned.iter().filter(|a| a.is_some()).count();
    let recall = ratio(detected, outcomes.len());
    let precision = ratio(matched_detections, report.incidents.len());
    let f1 = if recall + precision > 0.0 {
        2.0 * recall * precision / (recall + precision)
    } else {
        0.0
    };
    Evaluation {
        scenario: truth.scenario.clone(),
        seed: truth.seed,
        days,
        true_incidents: outcomes.len(),
        detected_incidents: detected,
        detections: report.incidents.len(),
        matched_detections,
        duplicate_detections: duplicates,
        recall,
        precision,
        f1,
        false_alarms_per_day: if days > 0.0 {
            false_alarms.len() as f64 / days
        } else {
            0.0
        },
        delay_median_minutes: quantile(&mut delays, 0.5),
        delay_p90_minutes: quantile(&mut delays, 0.9),
        onset_error_median_minutes: quantile(&mut onsets, 0.5),
        end_error_median_minutes: quantile(&mut ends, 0.5),
        top_region_accuracy: (region_total > 0).then(|| region_right as f64 / region_total as f64),
        provider_accuracy: (provider_total > 0)
            .then(|| provider_right as f64 / provider_total as f64),
        incidents: outcomes,
        false_alarms,
        warnings,
    }
}

/// Equal codes, or one a subdivision of the other (`BR-SP` is in `BR`).
fn same_region(a: &str, b: &str) -> bool {
    let country = |c: &str| c.split('-').next().unwrap_or("").to_string();
    a == b || (!a.contains('-') && country(b) == a) || (!b.contains('-') && country(a) == b)
}

fn minutes(d: Duration) -> f64 {
    d.num_seconds() as f64 / 60.0
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// The `q` quantile by the nearest-rank method (the value at rank ⌈q·n⌉), `None` when empty.
fn quantile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    Some(values[rank - 1])
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map(|v| format!("{v:.1}{unit}"))
        .unwrap_or_else(|| "n/a".into())
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

impl Evaluation {
    /// A plain-text rendering for people (`outcry eval` without `--format json`).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for warning in &self.warnings {
            let _ = writeln!(out, "warning: {warning}");
        }
        let _ = writeln!(
            out,
            "scenario {} (seed {}), {:.1} days",
            self.scenario, self.seed, self.days
        );
        let _ = writeln!(
            out,
            "recall     {:.3}  ({} of {} true incidents detected)",
            self.recall, self.detected_incidents, self.true_incidents
        );
        let _ = writeln!(
            out,
            "precision  {:.3}  ({} of {} detections match a true incident, {} split duplicates)",
            self.precision, self.matched_detections, self.detections, self.duplicate_detections
        );
        let _ = writeln!(out, "F1         {:.3}", self.f1);
        let _ = writeln!(
            out,
            "false alarms per day  {:.2}",
            self.false_alarms_per_day
        );
        let _ = writeln!(
            out,
            "detection delay  median {}, p90 {}",
            opt(self.delay_median_minutes, " min"),
            opt(self.delay_p90_minutes, " min")
        );
        let _ = writeln!(
            out,
            "onset error median {}, end error median {}",
            opt(self.onset_error_median_minutes, " min"),
            opt(self.end_error_median_minutes, " min")
        );
        let _ = writeln!(
            out,
            "top region right  {}   provider right  {}",
            pct(self.top_region_accuracy),
            pct(self.provider_accuracy)
        );
        let _ = writeln!(out, "\nincidents:");
        for o in &self.incidents {
            let mark = if o.detected { "found " } else { "MISSED" };
            let mut line = format!("  {mark} {:<20} {:<28}", o.id, o.platforms.join("+"));
            if o.detected {
                let _ = write!(line, " delay {}", opt(o.delay_minutes, " min"));
                let _ = write!(line, ", onset ±{}", opt(o.onset_error_minutes, " min"));
                let _ = write!(line, ", end ±{}", opt(o.end_error_minutes, " min"));
            }
            if let Some(truth) = &o.true_top_region {
                let _ = write!(
                    line,
                    ", region {} (true {truth})",
                    o.reported_top_region.as_deref().unwrap_or("none")
                );
            }
            if o.true_provider.is_some() || o.reported_provider.is_some() {
                let _ = write!(
                    line,
                    ", provider {} (true {})",
                    o.reported_provider.as_deref().unwrap_or("none"),
                    o.true_provider.as_deref().unwrap_or("none")
                );
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if !self.false_alarms.is_empty() {
            let _ = writeln!(out, "\nfalse alarms:");
            for f in &self.false_alarms {
                let _ = writeln!(
                    out,
                    "  {} {} at {}{}",
                    f.id,
                    f.platform,
                    f.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    f.decoy
                        .as_ref()
                        .map(|d| format!(" (during decoy {d})"))
                        .unwrap_or_default()
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
