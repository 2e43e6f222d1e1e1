//! Official incidents from Atlassian-Statuspage-style pages (`/api/v2/incidents.json`), filed
//! under the catalog platform the config names. They become [`OfficialIncident`]s, not posts.
//! An incident is sent when it is new or its `updated_at` changed since the last document (the
//! index upserts by id); the cursor holds each incident's last `updated_at` and the `ETag`.

use crate::config::{KindOptions, SourceConfig};
use crate::emit::Item;
use crate::http::{Fetch, Page, PageOutcome, Poller};
use crate::sources::{parse_time, rejected};
use outcry_model::{OfficialIncident, RejectReason};
use reqwest::header::IF_NONE_MATCH;
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct IncidentsDocument {
    incidents: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Incident {
    id: String,
    name: Option<String>,
    status: Option<String>,
    impact: Option<String>,
    created_at: Option<String>,
    started_at: Option<String>,
    updated_at: Option<String>,
    resolved_at: Option<String>,
    shortlink: Option<String>,
}

/// The saved position.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct StatusCursor {
    etag: Option<String>,
    /// Incident id -> `updated_at` as last sent.
    updated: BTreeMap<String, String>,
}

/// Turns one Statuspage incident object into an [`OfficialIncident`] of `platform`.
pub(crate) fn to_incident(
    value: serde_json::Value,
    source: &str,
    platform: &str,
) -> Result<OfficialIncident, (RejectReason, String)> {
    let i: Incident = serde_json::from_value(value).map_err(|e| {
        (
            RejectReason::BadValue,
            format!("not a Statuspage incident: {e}"),
        )
    })?;
    let started = i.started_at.as_deref().or(i.created_at.as_deref());
    let Some(started_at) = started.and_then(parse_time) else {
        return Err((
            RejectReason::BadTime,
            format!("incident {}: no usable started_at or created_at", i.id),
        ));
    };
    let updated_at = i
        .updated_at
        .as_deref()
        .and_then(parse_time)
        .unwrap_or(started_at);
    Ok(OfficialIncident {
        source: source.to_string(),
        id: i.id,
        platform: platform.to_string(),
        name: i.name.unwrap_or_default(),
        impact: i.impact.unwrap_or_else(|| "none".into()),
        status: i.status.unwrap_or_default(),
        started_at,
        resolved_at: i.resolved_at.as_deref().and_then(parse_time),
        updated_at,
        url: i.shortlink,
    })
}

/// Polls one status page.
pub(crate) struct StatuspagePoller {
    source: String,
    platform: String,
    url: Url,
    cursor: StatusCursor,
}

impl StatuspagePoller {
    pub(crate) fn new(config: &SourceConfig, resume: Option<&str>) -> Result<Self, String> {
        let KindOptions::Statuspage { platform } = &config.options else {
            return Err("not a statuspage source".into());
        };
        let cursor = match resume {
            None => StatusCursor::default(),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                format!("the saved cursor {text:?} is not a statuspage cursor ({e})")
            })?,
        };
        let base = Url::parse(&config.url).map_err(|e| e.to_string())?;
        Ok(StatuspagePoller {
            source: config.name.clone(),
            platform: platform.clone(),
            url: base
                .join("api/v2/incidents.json")
                .map_err(|e| e.to_string())?,
            cursor,
        })
    }
}

impl Poller for StatuspagePoller {
    fn round(&mut self) -> Vec<Fetch> {
        let fetch = Fetch::get(self.url.clone(), 0);
        vec![match &self.cursor.etag {
            Some(etag) => fetch.header(IF_NONE_MATCH, etag),
            None => fetch,
        }]
    }

    fn on_page(&mut self, _fetch: &Fetch, page: Page) -> Result<PageOutcome, String> {
        if page.status == StatusCode::NOT_MODIFIED {
            return Ok(PageOutcome::default());
        }
        let document: IncidentsDocument = serde_json::from_slice(&page.body)
            .map_err(|e| format!("not a Statuspage incidents document: {e}"))?;
        let mut items = Vec::new();
        let mut updated = BTreeMap::new();
        for value in document.incidents.into_iter().rev() {
            let stamp = value
                .get("updated_at")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let id = value.get("id").and_then(|v| v.as_str()).map(str::to_string);
            match to_incident(value, &self.source, &self.platform) {
                Ok(incident) => {
                    let stamp = stamp.unwrap_or_default();
                    if self.cursor.updated.get(&incident.id) != Some(&stamp) {
                        items.push(Item::Official(incident.clone()));
                    }
                    updated.insert(incident.id, stamp);
                }
                Err((reason, message)) => {
                    items.push(rejected(
                        id.unwrap_or_else(|| self.url.to_string()),
                        reason,
                        message,
                    ));
                }
            }
        }
        let next = StatusCursor {
            etag: page.header("etag").map(str::to_string),
            updated,
        };
        let moved = next != self.cursor;
        self.cursor = next;
        Ok(PageOutcome {
            items,
            next: None,
            checkpoint: moved,
        })
    }

    fn cursor(&self) -> Option<String> {
        (!self.cursor.updated.is_empty() || self.cursor.etag.is_some())
            .then(|| serde_json::to_string(&self.cursor).unwrap_or_default())
    }
}
