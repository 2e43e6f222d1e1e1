//! Nostr (NIP-01): on each relay, `["REQ", sub, {"kinds":[1], "since": T}]`, then the stored
//! notes, `["EOSE", sub]`, then live notes. Each relay is its own checkpoint stream
//! (`<name>|<relay url>`) whose cursor is the newest `created_at` read; it moves only after
//! `EOSE` (stored notes arrive in no useful order) and with live notes after that. The same note
//! from several relays is sent once (shared recent-id set; the index also drops repeats).
//! Signatures are not verified: a note's text is evidence of chatter, not of identity.

use crate::config::{KindOptions, SourceConfig};
use crate::emit::Item;
use crate::sources::{RecentIds, new_post, rejected};
use crate::ws::{FrameOutcome, StreamHooks};
use chrono::{DateTime, Utc};
use outcry_model::{AuthorHasher, Checkpoints, RejectReason};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

const SUBSCRIPTION: &str = "outcry";

#[derive(Deserialize)]
struct NostrEvent {
    id: String,
    pubkey: String,
    created_at: i64,
    kind: u32,
    content: String,
    #[serde(default)]
    tags: Vec<Vec<String>>,
}

/// The saved position of one relay.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct RelayCursor {
    since: i64,
}

/// The checkpoint stream key of one relay of source `name`.
pub(crate) fn stream_key(name: &str, relay: &str) -> String {
    format!("{name}|{relay}")
}

/// Hooks for one relay.
pub(crate) struct Relay {
    source: String,
    url: String,
    rewind: i64,
    hasher: AuthorHasher,
    region_hint: Option<String>,
    seen: Arc<Mutex<RecentIds>>,
    saved: Option<i64>,
    /// The newest created_at read, moved into `saved` at EOSE and for live notes.
    newest: Option<i64>,
    after_eose: bool,
    started: DateTime<Utc>,
}

/// One set of hooks per relay (`url` first, then `relays`), each with its resume cursor.
pub(crate) fn relays(
    config: &SourceConfig,
    checkpoints: &Checkpoints,
    hasher: AuthorHasher,
) -> Result<Vec<(String, Relay)>, String> {
    let KindOptions::Nostr { relays, rewind } = &config.options else {
        return Err("not a nostr source".into());
    };
    let seen = Arc::new(Mutex::new(RecentIds::new(100_000)));
    let mut urls = vec![config.url.clone()];
    urls.extend(relays.iter().filter(|r| **r != config.url).cloned());
    urls.into_iter()
        .map(|url| {
            let key = stream_key(&config.name, &url);
            let saved = match checkpoints.get(&key) {
                None => None,
                Some(text) => Some(
                    serde_json::from_str::<RelayCursor>(text)
                        .map_err(|e| {
                            format!(
                                "the saved cursor {text:?} of {key} is not a nostr cursor ({e})"
                            )
                        })?
                        .since,
                ),
            };
            let relay = Relay {
                source: config.name.clone(),
                url,
                rewind: rewind.as_secs() as i64,
                hasher: hasher.clone(),
                region_hint: config.region_hint.clone(),
                seen: seen.clone(),
                saved,
                newest: saved,
                after_eose: false,
                started: Utc::now(),
            };
            Ok((key, relay))
        })
        .collect()
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Relay {
    fn parse(&mut self, text: &str) -> FrameOutcome {
        let mut out = FrameOutcome::default();
        let message: Vec<serde_json::Value> = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                out.items.push(rejected(
                    self.url.clone(),
                    RejectReason::InvalidJson,
                    format!("not a NIP-01 message: {e}"),
                ));
                return out;
            }
        };
        match message.first().and_then(|v| v.as_str()) {
            Some("EVENT") => {
                let Some(value) = message.get(2).cloned() else {
                    out.items.push(rejected(
                        self.url.clone(),
                        RejectReason::MissingField,
                        "EVENT without an event",
                    ));
                    return out;
                };
                let event: NostrEvent = match serde_json::from_value(value) {
                    Ok(e) => e,
                    Err(e) => {
                        out.items.push(rejected(
                            self.url.clone(),
                            RejectReason::BadValue,
                            format!("not a Nostr event: {e}"),
                        ));
                        return out;
                    }
                };
                if event.kind != 1 {
                    return out;
                }
                if !is_hex64(&event.id) || !is_hex64(&event.pubkey) {
                    out.items.push(rejected(
                        event.id,
                        RejectReason::BadValue,
                        "id or pubkey is not 64 hex digits",
                    ));
                    return out;
                }
                let Some(created_at) = DateTime::from_timestamp(event.created_at, 0) else {
                    out.items.push(rejected(
                        event.id,
                        RejectReason::BadTime,
                        "created_at out of range",
                    ));
                    return out;
                };
                self.newest = Some(
                    self.newest
                        .map_or(event.created_at, |n| n.max(event.created_at)),
                );
                if self.after_eose {
                    // Live notes arrive in order: the cursor follows them.
                    self.saved = self.newest;
                }
                if !self
                    .seen
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(&event.id)
                {
                    return out;
                }
                let lang = event
                    .tags
                    .iter()
                    .find(|t| {
                        t.first().map(String::as_str) == Some("l")
                            && t.get(2).map(String::as_str) == Some("ISO-639-1")
                    })
                    .and_then(|t| t.get(1))
                    .and_then(|l| crate::sources::iso639_1(l));
                let replay = self
                    .saved_before_start()
                    .is_some_and(|s| event.created_at <= s);
                let mut post = new_post(&self.source, event.id, created_at, event.content);
                post.lang = lang;
                post.author = Some(self.hasher.hash(&self.source, &event.pubkey));
                post.region_hint = self.region_hint.clone();
                out.items.push(if replay {
                    Item::Replayed(post)
                } else {
                    Item::Post(post)
                });
            }
            Some("EOSE") => {
                self.after_eose = true;
                self.saved = self.newest.or(self.saved);
                out.checkpoint_now = true;
            }
            Some("NOTICE") => {
                let notice = message.get(1).and_then(|v| v.as_str()).unwrap_or("");
                tracing::info!(
                    source = self.source.as_str(),
                    relay = self.url.as_str(),
                    notice,
                    "relay notice"
                );
            }
            Some("CLOSED") => {
                let why = message.get(2).and_then(|v| v.as_str()).unwrap_or("");
                tracing::warn!(
                    source = self.source.as_str(),
                    relay = self.url.as_str(),
                    reason = why,
                    "relay closed the subscription"
                );
            }
            _ => {}
        }
        out
    }

    /// The cursor a restart resumed from, for telling replays from new notes.
    fn saved_before_start(&self) -> Option<i64> {
        self.saved.filter(|_| !self.after_eose).or(None)
    }
}

impl StreamHooks for Relay {
    fn connect_url(&mut self) -> String {
        self.after_eose = false;
        self.url.clone()
    }

    fn opening_messages(&mut self) -> Vec<String> {
        let since = match self.saved {
            Some(s) => s - self.rewind,
            None => self.started.timestamp() - self.rewind,
        };
        vec![
            serde_json::json!(["REQ", SUBSCRIPTION, {"kinds": [1], "since": since.max(0)}])
                .to_string(),
        ]
    }

    fn on_text(&mut self, text: &str) -> FrameOutcome {
        self.parse(text)
    }

    fn cursor(&self) -> Option<String> {
        self.saved
            .map(|since| serde_json::to_string(&RelayCursor { since }).unwrap_or_default())
    }
}
