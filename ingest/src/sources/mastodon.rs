//! Mastodon: the public (or local, or remote) timeline and hashtag timelines of one instance,
//! polled forward with `min_id` so that each page holds the statuses right after the last one
//! seen. The cursor is the `min_id` of each listing.
//!
//! A status's `content` is HTML and is stripped; `language` is kept; the author is
//! `account.acct` (made global with the instance host) and is only ever stored hashed.

use crate::config::{KindOptions, MastodonTimeline, SourceConfig};
use crate::emit::Item;
use crate::http::{Fetch, Page, PageOutcome, Poller};
use crate::sources::{iso639_1, new_post, numeric_id_cmp, parse_time, rejected};
use outcry_model::{AuthorHasher, RejectReason, strip_html};
use reqwest::Url;
use reqwest::header::AUTHORIZATION;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Status {
    id: Option<serde_json::Value>,
    created_at: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    spoiler_text: Option<String>,
    language: Option<String>,
    account: Option<Account>,
    url: Option<String>,
    uri: Option<String>,
    reblog: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Account {
    acct: Option<String>,
}

struct Listing {
    /// Key in the cursor: `public`, `local`, `remote` or `tag:<name>`.
    key: String,
    url: Url,
}

/// Polls one instance's timelines.
pub(crate) struct MastodonPoller {
    source: String,
    host: String,
    listings: Vec<Listing>,
    limit: u32,
    token: Option<String>,
    region_hint: Option<String>,
    hasher: AuthorHasher,
    /// Listing key -> the newest status id seen.
    min_ids: BTreeMap<String, String>,
}

impl MastodonPoller {
    pub(crate) fn new(
        config: &SourceConfig,
        resume: Option<&str>,
        hasher: AuthorHasher,
    ) -> Result<Self, String> {
        let KindOptions::Mastodon {
            timeline,
            hashtags,
            limit,
            access_token,
        } = &config.options
        else {
            return Err("not a mastodon source".into());
        };
        let base = Url::parse(&config.url).map_err(|e| e.to_string())?;
        let join = |path: &str| base.join(path).map_err(|e| e.to_string());
        let mut listings = Vec::new();
        let public = join("api/v1/timelines/public")?;
        match timeline {
            MastodonTimeline::Public => listings.push(Listing {
                key: "public".into(),
                url: public,
            }),
            MastodonTimeline::Local | MastodonTimeline::Remote => {
                let (key, flag) = if *timeline == MastodonTimeline::Local {
                    ("local", "local")
                } else {
                    ("remote", "remote")
                };
                let mut url = public;
                url.query_pairs_mut().append_pair(flag, "true");
                listings.push(Listing {
                    key: key.into(),
                    url,
                });
            }
            MastodonTimeline::None => {}
        }
        for tag in hashtags {
            let mut url = base.clone();
            url.path_segments_mut()
                .map_err(|_| "the url cannot be a base".to_string())?
                .pop_if_empty()
                .extend(["api", "v1", "timelines", "tag", tag]);
            listings.push(Listing {
                key: format!("tag:{}", tag.to_lowercase()),
                url,
            });
        }
        let min_ids = match resume {
            None => BTreeMap::new(),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| format!("the saved cursor {text:?} is not a mastodon cursor ({e})"))?,
        };
        Ok(MastodonPoller {
            source: config.name.clone(),
            host: base.host_str().unwrap_or_default().to_string(),
            listings,
            limit: *limit,
            token: access_token.as_ref().map(|t| t.expose().to_string()),
            region_hint: config.region_hint.clone(),
            hasher,
            min_ids,
        })
    }

    fn fetch_for(&self, index: usize) -> Fetch {
        let listing = &self.listings[index];
        let mut url = listing.url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &self.limit.to_string());
            if let Some(min_id) = self.min_ids.get(&listing.key) {
                q.append_pair("min_id", min_id);
            }
        }
        let fetch = Fetch::get(url, index);
        match &self.token {
            Some(token) => fetch.header(AUTHORIZATION, &format!("Bearer {token}")),
            None => fetch,
        }
    }

    fn to_item(&self, status: Status, page_url: &str) -> Option<Item> {
        let id = match status.id {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Some(rejected(
                    page_url.to_string(),
                    RejectReason::MissingField,
                    "a status without `id`",
                ));
            }
        };
        let location = status
            .uri
            .clone()
            .unwrap_or_else(|| format!("{page_url}#{id}"));
        if status.reblog.as_ref().is_some_and(|r| !r.is_null()) {
            // A boost repeats someone else's post: not a new voice.
            return None;
        }
        let Some(created_at) = status.created_at.as_deref().and_then(parse_time) else {
            return Some(rejected(
                location,
                RejectReason::BadTime,
                "`created_at` missing or not RFC 3339",
            ));
        };
        let content = strip_html(status.content.as_deref().unwrap_or(""));
        let text = match status.spoiler_text.as_deref().map(str::trim) {
            Some(cw) if !cw.is_empty() => format!("{cw}\n{content}"),
            _ => content,
        };
        let mut post = new_post(&self.source, id, created_at, text);
        post.lang = status.language.as_deref().and_then(iso639_1);
        post.url = status.url.or(status.uri);
        post.region_hint = self.region_hint.clone();
        if let Some(acct) = status.account.and_then(|a| a.acct) {
            // Local accounts come without a domain: make the handle global.
            let global = if acct.contains('@') {
                acct
            } else {
                format!("{acct}@{}", self.host)
            };
            post.author = Some(self.hasher.hash(&self.source, &global));
        }
        Some(Item::Post(post))
    }
}

impl Poller for MastodonPoller {
    fn round(&mut self) -> Vec<Fetch> {
        (0..self.listings.len())
            .map(|i| self.fetch_for(i))
            .collect()
    }

    fn on_page(&mut self, fetch: &Fetch, page: Page) -> Result<PageOutcome, String> {
        let statuses: Vec<serde_json::Value> = serde_json::from_slice(&page.body)
            .map_err(|e| format!("not a JSON array of statuses: {e}"))?;
        let full_page = statuses.len() >= self.limit as usize;
        let mut newest: Option<String> = None;
        let mut items = Vec::with_capacity(statuses.len());
        let page_url = fetch.url.as_str();
        // Oldest first, so the index sees the timeline in order.
        for value in statuses.into_iter().rev() {
            let status: Status = match serde_json::from_value(value) {
                Ok(s) => s,
                Err(e) => {
                    items.push(rejected(
                        page_url.to_string(),
                        RejectReason::BadValue,
                        format!("not a status: {e}"),
                    ));
                    continue;
                }
            };
            if let Some(serde_json::Value::String(id)) = &status.id
                && !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && newest
                    .as_deref()
                    .is_none_or(|n| numeric_id_cmp(id, n).is_gt())
            {
                newest = Some(id.clone());
            }
            items.extend(self.to_item(status, page_url));
        }
        let key = self.listings[fetch.tag].key.clone();
        let moved = match newest {
            Some(id)
                if self
                    .min_ids
                    .get(&key)
                    .is_none_or(|old| numeric_id_cmp(&id, old).is_gt()) =>
            {
                self.min_ids.insert(key, id);
                true
            }
            _ => false,
        };
        Ok(PageOutcome {
            items,
            // A full page means more statuses wait after the new min_id; a first poll without a
            // cursor starts from now instead of reading the whole history.
            next: (moved && full_page && fetch.url.query_pairs().any(|(k, _)| k == "min_id"))
                .then(|| self.fetch_for(fetch.tag)),
            checkpoint: moved,
        })
    }

    fn cursor(&self) -> Option<String> {
        (!self.min_ids.is_empty()).then(|| serde_json::to_string(&self.min_ids).unwrap_or_default())
    }
}
