//! The per-network hooks. Each file turns one service's wire format into posts and says how
//! to resume; the loops that call them (requests, retries, rate limits, checkpoints) live in
//! `http.rs` and `ws.rs` and are shared.

pub(crate) mod hackernews;
pub(crate) mod jetstream;
pub(crate) mod jsonl_tail;
pub(crate) mod lemmy;
pub(crate) mod mastodon;
pub(crate) mod nostr;
pub(crate) mod reddit;
pub(crate) mod rss;
pub(crate) mod statuspage;

use chrono::{DateTime, Utc};
use outcry_model::{Post, RejectReason, Rejection};
use std::collections::{HashSet, VecDeque};

use crate::emit::Item;

/// A post with only the fields every source has; the source fills in the rest.
pub(crate) fn new_post(source: &str, id: String, created_at: DateTime<Utc>, text: String) -> Post {
    Post::new(source, id, created_at, text)
}

/// The ISO 639-1 part of a language tag (`pt-BR` -> `pt`), if it is one.
pub(crate) fn iso639_1(tag: &str) -> Option<String> {
    let base = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    (base.len() == 2 && base.bytes().all(|b| b.is_ascii_lowercase())).then_some(base)
}

/// Parses an RFC 3339 time.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A rejected item with a message.
pub(crate) fn rejected(location: String, reason: RejectReason, message: impl Into<String>) -> Item {
    Item::Rejected {
        location,
        rejection: Rejection {
            reason,
            message: message.into(),
        },
    }
}

/// The most recent ids seen, to drop duplicates that a stream or a set of relays repeats.
/// Bounded: the oldest ids are forgotten first.
#[derive(Debug)]
pub(crate) struct RecentIds {
    set: HashSet<String>,
    order: VecDeque<String>,
    capacity: usize,
}

impl RecentIds {
    pub(crate) fn new(capacity: usize) -> Self {
        RecentIds {
            set: HashSet::with_capacity(capacity.min(1 << 16)),
            order: VecDeque::with_capacity(capacity.min(1 << 16)),
            capacity,
        }
    }

    /// True the first time `id` is seen (within the window).
    pub(crate) fn insert(&mut self, id: &str) -> bool {
        if self.set.contains(id) {
            return false;
        }
        if self.order.len() >= self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        self.set.insert(id.to_string());
        self.order.push_back(id.to_string());
        true
    }
}

/// Compares decimal ids as numbers (Mastodon and Reddit ids outgrow u64 only in theory).
pub(crate) fn numeric_id_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_ids_forget_oldest() {
        let mut r = RecentIds::new(2);
        assert!(r.insert("a"));
        assert!(!r.insert("a"));
        assert!(r.insert("b"));
        assert!(r.insert("c"));
        assert!(r.insert("a"));
        assert_eq!(iso639_1("pt-BR").as_deref(), Some("pt"));
        assert_eq!(iso639_1("und"), None);
        assert_eq!(numeric_id_cmp("99", "100"), std::cmp::Ordering::Less);
    }
}

/// How far a newest-first listing has been read: the newest time seen and the ids seen at
/// exactly that time (several items can share one timestamp).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Watermark {
    /// Unix milliseconds of the newest item read.
    pub time: i64,
    /// Ids of the items read at `time`.
    pub ids: Vec<String>,
}

impl Watermark {
    /// True when an item at `time` with `id` lies beyond the watermark.
    pub(crate) fn is_new(&self, time: i64, id: &str) -> bool {
        time > self.time || (time == self.time && !self.ids.iter().any(|i| i == id))
    }

    /// Moves the watermark up to include an item.
    pub(crate) fn include(&mut self, time: i64, id: &str) {
        if time > self.time {
            self.time = time;
            self.ids.clear();
        }
        if time == self.time && !self.ids.iter().any(|i| i == id) {
            self.ids.push(id.to_string());
        }
    }

    /// Both watermarks' items.
    pub(crate) fn merge(&mut self, other: &Watermark) {
        for id in &other.ids {
            self.include(other.time, id);
        }
    }
}

/// State of one newest-first listing (Reddit, Lemmy): the saved watermark and, during a pass
/// over its pages, the watermark the pass will reach once it has walked down to the saved one.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListingProgress {
    pub saved: Option<Watermark>,
    pub pass: Watermark,
    pub pages: u32,
}

impl ListingProgress {
    /// Starts a new pass from page one.
    pub(crate) fn start_pass(&mut self) {
        self.pass = Watermark::default();
        self.pages = 0;
    }

    /// Records one page of `(time ms, id)` pairs, newest first; returns which are new and
    /// whether an older page must be read (the page was all new, full, and under `max_pages`).
    /// When the pass ends, the saved watermark moves up; the bool in the result says so.
    pub(crate) fn page(
        &mut self,
        entries: &[(i64, String)],
        full: bool,
        max_pages: u32,
    ) -> (Vec<bool>, bool, bool) {
        self.pages += 1;
        let fresh: Vec<bool> = entries
            .iter()
            .map(|(t, id)| self.saved.as_ref().is_none_or(|s| s.is_new(*t, id)))
            .collect();
        for (t, id) in entries {
            self.pass.include(*t, id);
        }
        // Without a saved watermark the first page is where reading starts: no backfill.
        let more =
            self.saved.is_some() && full && fresh.iter().all(|f| *f) && self.pages < max_pages;
        if more {
            return (fresh, true, false);
        }
        let pass = std::mem::take(&mut self.pass);
        let moved = match &mut self.saved {
            Some(saved) => {
                let before = saved.clone();
                saved.merge(&pass);
                *saved != before
            }
            None if !pass.ids.is_empty() => {
                self.saved = Some(pass);
                true
            }
            None => false,
        };
        (fresh, false, moved)
    }
}
