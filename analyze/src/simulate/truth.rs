//! What really happened in a simulation: the incidents and decoys a scenario played, as written
//! to `truth.json` and read back by `outcry eval`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The ground truth of one simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// The scenario's name.
    pub scenario: String,
    /// The seed the posts were generated with.
    pub seed: u64,
    /// The `source` of every record.
    pub source: String,
    /// The first simulated instant.
    pub start: DateTime<Utc>,
    /// The first instant after the simulated span.
    pub end: DateTime<Utc>,
    /// The true incidents.
    pub incidents: Vec<TrueIncident>,
    /// The decoys: bursts that are not outages.
    pub decoys: Vec<TrueDecoy>,
}

/// One true incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrueIncident {
    /// Identifier from the scenario.
    pub id: String,
    /// Always `incident` (decoys are listed separately).
    pub kind: String,
    /// Catalog ids of the failing platforms.
    pub platforms: Vec<String>,
    /// The provider, when several of its services fail together.
    pub provider: Option<String>,
    /// Onset.
    pub start: DateTime<Utc>,
    /// When complaints are back to the usual rate.
    pub end: DateTime<Utc>,
    /// `global` (the usual audience mix) or `regional`.
    pub scope: String,
    /// Expected share of the incident's complaints per region, largest first.
    pub regions: Vec<RegionWeight>,
    /// The symptom mix of the complaints.
    pub symptoms: Vec<SymptomShare>,
    /// Peak complaint rate as a multiple of the usual one (the largest over its platforms).
    pub intensity: f64,
    /// Expected number of complaints the incident adds, over all its platforms.
    pub expected_complaints: f64,
}

/// A region and its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionWeight {
    /// ISO 3166 code.
    pub code: String,
    /// Share, 0 to 1.
    pub weight: f64,
}

/// A symptom kind and its share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SymptomShare {
    /// Symptom kind (`messaging`).
    pub kind: String,
    /// Share, 0 to 1.
    pub share: f64,
}

/// One decoy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrueDecoy {
    /// Identifier from the scenario.
    pub id: String,
    /// `launch`, `meme`, `bot_flood`, `ingest_gap` or `news_wave`.
    pub kind: String,
    /// The platforms it concerns (empty for an ingest gap).
    pub platforms: Vec<String>,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: DateTime<Utc>,
}

impl TrueIncident {
    /// The region with the largest share.
    pub fn top_region(&self) -> Option<&str> {
        self.regions.first().map(|r| r.code.as_str())
    }
}
