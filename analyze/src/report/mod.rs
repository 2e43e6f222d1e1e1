//! Outage reports: the JSON contract of `outcry report --format json` as serde types, built
//! from a [`Detection`], plus Markdown and self-contained HTML renderings that tell the same
//! story for people.
//!
//! Owns the report's shape and wording; it detects nothing and reads nothing: samples and
//! official status-page incidents are handed in by the caller, names come from closures.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use outcry_analyze::detect::{detect, DetectionRequest, DetectorConfig};
//! use outcry_analyze::report::{Names, Report};
//! use outcry_model::ObservationTable;
//!
//! let table = ObservationTable::default();
//! let to = Utc.with_ymd_and_hms(2021, 10, 5, 0, 0, 0).unwrap();
//! let request = DetectionRequest {
//!     table: &table,
//!     from: Utc.with_ymd_and_hms(2021, 10, 4, 0, 0, 0).unwrap(),
//!     to,
//!     provider_of: &|_| None,
//! };
//! let mut report = Report::from_detection(&detect(&request, &DetectorConfig::default()), to);
//! report.fill_samples(|_incident| Vec::new());
//! let json = report.to_json();
//! assert_eq!(Report::from_json(&json).unwrap(), report);
//! let names = Names { platform: &|id| Some(id.to_uppercase()), region: &|_| None };
//! assert!(report.to_html(&names).starts_with("<!DOCTYPE html>"));
//! ```

mod html;
mod markdown;
mod story;
mod svg;

pub use story::thousands;

#[cfg(test)]
mod tests;

use crate::detect::{
    Detection, Incident, IncidentStatus, IncidentTimeline, LanguageShare, RegionShare, SymptomShare,
};
use chrono::{DateTime, Utc};
use outcry_model::OfficialIncident;
use serde::{Deserialize, Serialize};

/// The report window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Start (RFC 3339 UTC).
    pub from: DateTime<Utc>,
    /// End, the cut-off (RFC 3339 UTC).
    pub to: DateTime<Utc>,
}

/// A sample complaint shown with an incident (never with its author).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The post id.
    pub id: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Its text.
    pub text: String,
}

/// What the service's own status page said about an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialStatus {
    /// The status page it came from.
    pub source: String,
    /// The status page's incident id.
    pub id: String,
    /// The platform it is about.
    pub platform: String,
    /// Its title.
    pub name: String,
    /// `none`, `minor`, `major` or `critical`.
    pub impact: String,
    /// Its latest status.
    pub status: String,
    /// When the vendor says it started.
    pub started_at: DateTime<Utc>,
    /// When the vendor says it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Link to the incident page.
    pub url: Option<String>,
    /// How many minutes before the official start the chatter detected it (negative: after).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chatter_lead_minutes: Option<i64>,
}

impl OfficialStatus {
    fn from_official(o: &OfficialIncident, detected_at: Option<DateTime<Utc>>) -> OfficialStatus {
        OfficialStatus {
            source: o.source.clone(),
            id: o.id.clone(),
            platform: o.platform.clone(),
            name: o.name.clone(),
            impact: o.impact.clone(),
            status: o.status.clone(),
            started_at: o.started_at,
            resolved_at: o.resolved_at,
            url: o.url.clone(),
            chatter_lead_minutes: detected_at.map(|d| (o.started_at - d).num_minutes()),
        }
    }
}

/// One incident in the report (the JSON contract of issue 4, plus the optional `official`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportIncident {
    /// Stable id.
    pub id: String,
    /// Platform id.
    pub platform: String,
    /// Platforms failing at the same time.
    pub related: Vec<String>,
    /// The provider when several of its services fail together.
    pub provider: Option<String>,
    /// Estimated onset.
    pub start: DateTime<Utc>,
    /// When outcry knew.
    pub detected_at: DateTime<Utc>,
    /// When complaints peaked.
    pub peak_at: DateTime<Utc>,
    /// When complaints went back to normal; null while ongoing.
    pub end: Option<DateTime<Utc>>,
    /// `ongoing` or `resolved`.
    pub status: IncidentStatus,
    /// Complaint posts.
    pub complaints: u64,
    /// Distinct complaining people.
    pub authors: u64,
    /// Usual complaint voices per hour.
    pub baseline_per_hour: f64,
    /// Highest complaint posts per minute.
    pub peak_per_minute: f64,
    /// -log10 of the tail probability at the strongest moment.
    pub score: f64,
    /// Regions, most affected first.
    pub regions: Vec<RegionShare>,
    /// Symptom kinds, most frequent first.
    pub symptoms: Vec<SymptomShare>,
    /// Languages, most frequent first.
    pub languages: Vec<LanguageShare>,
    /// Sample complaints (filled by the caller from the index).
    pub samples: Vec<Sample>,
    /// The matching status-page incident, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<OfficialStatus>,
    /// Minute figures for charts (not part of the JSON).
    #[serde(skip)]
    pub timeline: Option<IncidentTimeline>,
}

impl ReportIncident {
    fn from_incident(i: &Incident) -> ReportIncident {
        ReportIncident {
            id: i.id.clone(),
            platform: i.platform.clone(),
            related: i.related.clone(),
            provider: i.provider.clone(),
            start: i.start,
            detected_at: i.detected_at,
            peak_at: i.peak_at,
            end: i.end,
            status: i.status,
            complaints: i.complaints,
            authors: i.authors,
            baseline_per_hour: i.baseline_per_hour,
            peak_per_minute: i.peak_per_minute,
            score: i.score,
            regions: i.regions.clone(),
            symptoms: i.symptoms.clone(),
            languages: i.languages.clone(),
            samples: Vec::new(),
            official: None,
            timeline: Some(i.timeline.clone()),
        }
    }

    /// The end, or the cut-off while ongoing.
    pub fn end_or(&self, cut_off: DateTime<Utc>) -> DateTime<Utc> {
        self.end.unwrap_or(cut_off).max(self.start)
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// When the report was made (a parameter: this crate has no clock).
    pub generated_at: DateTime<Utc>,
    /// The window it covers.
    pub window: Window,
    /// Posts inside the window.
    pub posts_considered: u64,
    /// Incidents, by start.
    pub incidents: Vec<ReportIncident>,
    /// Status-page incidents in the window that no detected incident matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub official_unmatched: Vec<OfficialStatus>,
}

/// How to name things for people: display names of platforms and regions. Returning `None`
/// falls back to the id or code.
pub struct Names<'a> {
    /// Platform id → display name ("whatsapp" → "WhatsApp").
    pub platform: &'a dyn Fn(&str) -> Option<String>,
    /// Region code → name ("BR" → "Brazil").
    pub region: &'a dyn Fn(&str) -> Option<String>,
}

impl Names<'_> {
    fn platform_name(&self, id: &str) -> String {
        (self.platform)(id).unwrap_or_else(|| id.to_string())
    }
    fn region_name(&self, code: &str) -> String {
        (self.region)(code).unwrap_or_else(|| code.to_string())
    }
}

impl Report {
    /// The report of a detection run, made at `generated_at`.
    pub fn from_detection(detection: &Detection, generated_at: DateTime<Utc>) -> Report {
        Report {
            generated_at,
            window: Window {
                from: detection.from,
                to: detection.to,
            },
            posts_considered: detection.posts_considered,
            incidents: detection
                .incidents
                .iter()
                .map(ReportIncident::from_incident)
                .collect(),
            official_unmatched: Vec::new(),
        }
    }

    /// The incidents, to edit in place (for example to add samples).
    pub fn incidents_mut(&mut self) -> &mut [ReportIncident] {
        &mut self.incidents
    }

    /// Sets each incident's samples to what `samples_for` returns for it (for example
    /// `PostIndex::samples(platform, start, end, 5)` mapped to [`Sample`]s).
    pub fn fill_samples(&mut self, mut samples_for: impl FnMut(&ReportIncident) -> Vec<Sample>) {
        for incident in &mut self.incidents {
            incident.samples = samples_for(incident);
        }
    }

    /// Matches status-page incidents to detected ones: same platform (or a related one), and
    /// an official start within an hour of the detected span. The earliest match wins; the
    /// rest that fall in the window are kept in `official_unmatched`.
    pub fn attach_official(&mut self, official: &[OfficialIncident]) {
        let cut_off = self.window.to;
        let mut used = vec![false; official.len()];
        for incident in &mut self.incidents {
            let lo = incident.start - chrono::Duration::minutes(60);
            let hi = incident.end_or(cut_off) + chrono::Duration::minutes(60);
            let best = official
                .iter()
                .enumerate()
                .filter(|(k, o)| {
                    !used[*k]
                        && o.platform == incident.platform
                        && o.started_at >= lo
                        && o.started_at <= hi
                })
                .min_by_key(|(_, o)| (o.started_at - incident.start).num_seconds().abs());
            if let Some((k, o)) = best {
                used[k] = true;
                incident.official =
                    Some(OfficialStatus::from_official(o, Some(incident.detected_at)));
            }
        }
        self.official_unmatched = official
            .iter()
            .enumerate()
            .filter(|(k, o)| {
                !used[*k]
                    && o.started_at <= self.window.to
                    && o.resolved_at.is_none_or(|r| r >= self.window.from)
            })
            .map(|(_, o)| OfficialStatus::from_official(o, None))
            .collect();
    }

    /// The JSON contract, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Reads a report written by [`Report::to_json`] (charts are not part of the JSON).
    pub fn from_json(text: &str) -> Result<Report, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The report as Markdown.
    pub fn to_markdown(&self, names: &Names<'_>) -> String {
        markdown::render(self, names)
    }

    /// The report as one self-contained HTML page with inline SVG charts.
    pub fn to_html(&self, names: &Names<'_>) -> String {
        html::render(self, names)
    }
}
