//! Official incidents published by a service's own status page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An incident as the vendor's status page states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialIncident {
    /// The source (status page) it came from.
    pub source: String,
    /// The status page's incident id.
    pub id: String,
    /// The catalog platform it is about.
    pub platform: String,
    /// The incident's title.
    pub name: String,
    /// `none`, `minor`, `major` or `critical`.
    pub impact: String,
    /// The latest status: `investigating`, `identified`, `monitoring`, `resolved`, `postmortem`.
    pub status: String,
    /// When the vendor says it started.
    pub started_at: DateTime<Utc>,
    /// When the vendor says it was resolved, if it was.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When the vendor last updated it (identity together with `id`).
    pub updated_at: DateTime<Utc>,
    /// Link to the incident page, if any.
    pub url: Option<String>,
}
