//! Bluesky Jetstream: the firehose as JSON over WebSocket, `app.bsky.feed.post` creates only.
//! The cursor is the newest `time_us` read; a restart resumes `rewind` earlier (events near the
//! cursor may arrive out of order), re-sends what it finds there without counting it again, and
//! drops duplicates by `did` + `rkey`.

use crate::config::{KindOptions, SourceConfig};
use crate::emit::Item;
use crate::sources::{RecentIds, iso639_1, new_post, parse_time, rejected};
use crate::ws::{FrameOutcome, StreamHooks};
use chrono::DateTime;
use outcry_model::{AuthorHasher, RejectReason};
use serde::{Deserialize, Serialize};

const POST_COLLECTION: &str = "app.bsky.feed.post";
/// Duplicates are looked for among this many recent posts.
const DEDUP_WINDOW: usize = 200_000;

#[derive(Deserialize)]
struct Event<'a> {
    #[serde(borrow)]
    did: Option<&'a str>,
    time_us: Option<i64>,
    #[serde(borrow)]
    kind: Option<&'a str>,
    #[serde(borrow)]
    commit: Option<Commit<'a>>,
}

#[derive(Deserialize)]
struct Commit<'a> {
    #[serde(borrow)]
    operation: Option<&'a str>,
    #[serde(borrow)]
    collection: Option<&'a str>,
    rkey: Option<String>,
    record: Option<Record>,
}

#[derive(Deserialize)]
struct Record {
    text: Option<String>,
    #[serde(rename = "createdAt")]
    created_at: Option<String>,
    langs: Option<Vec<String>>,
}

/// The saved position.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct JetstreamCursor {
    /// Newest event time read (unix microseconds).
    pub time_us: i64,
}

/// Hooks for the Jetstream WebSocket.
pub(crate) struct Jetstream {
    source: String,
    url: String,
    rewind_us: i64,
    hasher: AuthorHasher,
    region_hint: Option<String>,
    /// Newest `time_us` read.
    newest: Option<i64>,
    /// Events at or before this time may already be indexed (from the saved cursor).
    replay_until: Option<i64>,
    seen: RecentIds,
}

impl Jetstream {
    pub(crate) fn new(
        config: &SourceConfig,
        resume: Option<&str>,
        hasher: AuthorHasher,
    ) -> Result<Self, String> {
        let KindOptions::Jetstream { rewind } = &config.options else {
            return Err("not a jetstream source".into());
        };
        let saved = match resume {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<JetstreamCursor>(text)
                    .map_err(|e| {
                        format!("the saved cursor {text:?} is not a jetstream cursor ({e})")
                    })?
                    .time_us,
            ),
        };
        Ok(Jetstream {
            source: config.name.clone(),
            url: config.url.clone(),
            rewind_us: rewind.as_micros() as i64,
            hasher,
            region_hint: config.region_hint.clone(),
            newest: saved,
            replay_until: saved,
            seen: RecentIds::new(DEDUP_WINDOW),
        })
    }

    fn parse(&mut self, text: &str) -> Option<Item> {
        let event: Event<'_> = match serde_json::from_str(text) {
            Ok(e) => e,
            Err(e) => {
                return Some(rejected(
                    format!("{} frame", self.url),
                    RejectReason::InvalidJson,
                    format!("not a Jetstream event: {e}"),
                ));
            }
        };
        let time_us = event.time_us?;
        self.newest = Some(self.newest.map_or(time_us, |n| n.max(time_us)));
        if event.kind != Some("commit") {
            return None;
        }
        let commit = event.commit?;
        if commit.operation != Some("create") || commit.collection != Some(POST_COLLECTION) {
            return None;
        }
        let (Some(did), Some(rkey)) = (event.did, commit.rkey) else {
            return Some(rejected(
                format!("{} time_us={time_us}", self.url),
                RejectReason::MissingField,
                "a post commit without `did` or `rkey`",
            ));
        };
        let id = format!("at://{did}/{POST_COLLECTION}/{rkey}");
        if !self.seen.insert(&id) {
            return None;
        }
        let Some(record) = commit.record else {
            return Some(rejected(
                id,
                RejectReason::MissingField,
                "a post commit without `record`",
            ));
        };
        // Clients set createdAt themselves; when it is unusable the relay's time stands in.
        let created_at = match record.created_at.as_deref().and_then(parse_time) {
            Some(t) => t,
            None => match DateTime::from_timestamp_micros(time_us) {
                Some(t) => t,
                None => {
                    return Some(rejected(
                        id,
                        RejectReason::BadTime,
                        "neither createdAt nor time_us is a time",
                    ));
                }
            },
        };
        let mut post = new_post(
            &self.source,
            id,
            created_at,
            record.text.unwrap_or_default(),
        );
        post.lang = record
            .langs
            .as_ref()
            .and_then(|l| l.first())
            .and_then(|l| iso639_1(l));
        post.url = Some(format!("https://bsky.app/profile/{did}/post/{rkey}"));
        post.author = Some(self.hasher.hash(&self.source, did));
        post.region_hint = self.region_hint.clone();
        Some(match self.replay_until {
            Some(until) if time_us <= until => Item::Replayed(post),
            _ => Item::Post(post),
        })
    }
}

impl StreamHooks for Jetstream {
    fn connect_url(&mut self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let mut url = format!("{}{sep}wantedCollections={POST_COLLECTION}", self.url);
        if let Some(newest) = self.newest {
            url.push_str(&format!("&cursor={}", (newest - self.rewind_us).max(0)));
            // Whatever comes back at or before the newest event read may have been sent already.
            self.replay_until = Some(self.replay_until.map_or(newest, |r| r.max(newest)));
        }
        url
    }

    fn on_text(&mut self, text: &str) -> FrameOutcome {
        FrameOutcome {
            items: self.parse(text).into_iter().collect(),
            checkpoint_now: false,
        }
    }

    fn cursor(&self) -> Option<String> {
        self.newest
            .map(|time_us| serde_json::to_string(&JetstreamCursor { time_us }).unwrap_or_default())
    }
}
