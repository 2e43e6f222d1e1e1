//! Reddit through its OAuth API: an application-only token from the client-credentials grant,
//! then the `new` listing of each configured subreddit and `search?sort=new` for each query,
//! read newest first down to the last item seen (a [`Watermark`] per listing). Requests carry
//! the descriptive User-Agent Reddit requires and share the host's 100-per-minute budget.

use crate::config::{KindOptions, SourceConfig};
use crate::emit::Item;
use crate::http::{Fetch, Page, PageOutcome, Poller};
use crate::sources::{ListingProgress, RecentIds, Watermark, new_post, rejected};
use chrono::DateTime;
use outcry_model::{AuthorHasher, RejectReason};
use reqwest::Url;
use reqwest::header::AUTHORIZATION;
use serde::Deserialize;
use std::collections::BTreeMap;
use tokio::time::Instant;

/// Pages read per listing and round at most, when everything on them is new.
const MAX_PAGES: u32 = 10;

#[derive(Deserialize)]
struct Listing {
    data: ListingData,
}

#[derive(Deserialize)]
struct ListingData {
    children: Vec<serde_json::Value>,
    after: Option<String>,
}

#[derive(Deserialize)]
struct Thing {
    kind: Option<String>,
    data: ThingData,
}

#[derive(Deserialize)]
struct ThingData {
    name: Option<String>,
    created_utc: Option<f64>,
    title: Option<String>,
    selftext: Option<String>,
    body: Option<String>,
    author: Option<String>,
    permalink: Option<String>,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
    expires_in: Option<u64>,
}

/// Polls Reddit listings.
pub(crate) struct RedditPoller {
    source: String,
    listings: Vec<(String, Url)>,
    token_url: Url,
    client_id: String,
    client_secret: String,
    token: Option<(String, Instant)>,
    limit: u32,
    hasher: AuthorHasher,
    progress: Vec<ListingProgress>,
    /// A post found by a search and in a subreddit's listing is sent once.
    sent: RecentIds,
}

impl RedditPoller {
    pub(crate) fn new(
        config: &SourceConfig,
        resume: Option<&str>,
        hasher: AuthorHasher,
    ) -> Result<Self, String> {
        let KindOptions::Reddit {
            subreddits,
            searches,
            limit,
            client_id,
            client_secret,
            token_url,
        } = &config.options
        else {
            return Err("not a reddit source".into());
        };
        let base = Url::parse(&config.url).map_err(|e| e.to_string())?;
        let mut listings = Vec::new();
        for sub in subreddits {
            let mut url = base.clone();
            url.path_segments_mut()
                .map_err(|_| "the url cannot be a base".to_string())?
                .pop_if_empty()
                .extend(["r", sub, "new"]);
            listings.push((format!("r/{sub}"), url));
        }
        for query in searches {
            let mut url = base.join("search").map_err(|e| e.to_string())?;
            url.query_pairs_mut()
                .append_pair("q", query)
                .append_pair("sort", "new")
                .append_pair("t", "day");
            listings.push((format!("search:{query}"), url));
        }
        let saved: BTreeMap<String, Watermark> = match resume {
            None => BTreeMap::new(),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| format!("the saved cursor {text:?} is not a reddit cursor ({e})"))?,
        };
        let progress = listings
            .iter()
            .map(|(key, _)| ListingProgress {
                saved: saved.get(key).cloned(),
                ..Default::default()
            })
            .collect();
        Ok(RedditPoller {
            source: config.name.clone(),
            listings,
            token_url: Url::parse(token_url).map_err(|e| e.to_string())?,
            client_id: client_id.expose().to_string(),
            client_secret: client_secret.expose().to_string(),
            token: None,
            limit: *limit,
            hasher,
            progress,
            sent: RecentIds::new(20_000),
        })
    }

    fn fetch(&self, index: usize, after: Option<&str>) -> Fetch {
        let mut url = self.listings[index].1.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &self.limit.to_string());
            q.append_pair("raw_json", "1");
            if let Some(after) = after {
                q.append_pair("after", after);
            }
        }
        Fetch::get(url, index)
    }
}

impl Poller for RedditPoller {
    fn round(&mut self) -> Vec<Fetch> {
        for p in &mut self.progress {
            p.start_pass();
        }
        (0..self.listings.len())
            .map(|i| self.fetch(i, None))
            .collect()
    }

    fn auth(&mut self) -> Option<Fetch> {
        if self
            .token
            .as_ref()
            .is_some_and(|(_, expires)| *expires > Instant::now())
        {
            return None;
        }
        let mut fetch = Fetch::get(self.token_url.clone(), usize::MAX);
        fetch.form = Some(vec![("grant_type".into(), "client_credentials".into())]);
        fetch.basic_auth = Some((self.client_id.clone(), self.client_secret.clone()));
        Some(fetch)
    }

    fn on_auth(&mut self, page: &Page) -> Result<(), String> {
        let token: Token = serde_json::from_slice(&page.body)
            .map_err(|e| format!("not an OAuth token response: {e}"))?;
        // Renew a minute early so that no request goes out with an expired token.
        let lifetime = token.expires_in.unwrap_or(3600).saturating_sub(60).max(30);
        self.token = Some((
            token.access_token,
            Instant::now() + std::time::Duration::from_secs(lifetime),
        ));
        Ok(())
    }

    fn on_unauthorized(&mut self) {
        self.token = None;
    }

    fn prepare(&self, fetch: &mut Fetch) {
        if let Some((token, _)) = &self.token
            && let Ok(value) = format!("bearer {token}").parse()
        {
            fetch.headers.push((AUTHORIZATION, value));
        }
    }

    fn on_page(&mut self, fetch: &Fetch, page: Page) -> Result<PageOutcome, String> {
        let listing: Listing =
            serde_json::from_slice(&page.body).map_err(|e| format!("not a Reddit listing: {e}"))?;
        let full = listing.data.children.len() >= self.limit as usize;
        let page_url = fetch.url.to_string();
        let mut parsed = Vec::new();
        let mut items = Vec::new();
        for value in listing.data.children {
            let thing: Thing = match serde_json::from_value(value) {
                Ok(t) => t,
                Err(e) => {
                    items.push(rejected(
                        page_url.clone(),
                        RejectReason::BadValue,
                        format!("not a listing item: {e}"),
                    ));
                    continue;
                }
            };
            let d = thing.data;
            let (Some(name), Some(created)) = (d.name, d.created_utc) else {
                items.push(rejected(
                    page_url.clone(),
                    RejectReason::MissingField,
                    "an item without name or created_utc",
                ));
                continue;
            };
            let Some(created_at) = DateTime::from_timestamp_millis((created * 1000.0) as i64)
            else {
                items.push(rejected(
                    name,
                    RejectReason::BadTime,
                    "created_utc out of range",
                ));
                continue;
            };
            let text = match thing.kind.as_deref() {
                Some("t1") => d.body.unwrap_or_default(),
                _ => {
                    let title = d.title.unwrap_or_default();
                    match d.selftext.filter(|s| !s.trim().is_empty()) {
                        Some(body) => format!("{title}\n{body}"),
                        None => title,
                    }
                }
            };
            let mut post = new_post(&self.source, name.clone(), created_at, text);
            post.url = d.permalink.map(|p| format!("https://www.reddit.com{p}"));
            post.author = d
                .author
                .filter(|a| a != "[deleted]")
                .map(|a| self.hasher.hash(&self.source, &a));
            parsed.push((created_at.timestamp_millis(), name, post));
        }
        let entries: Vec<(i64, String)> = parsed.iter().map(|(t, n, _)| (*t, n.clone())).collect();
        let progress = &mut self.progress[fetch.tag];
        let (fresh, more, moved) = progress.page(&entries, full, MAX_PAGES);
        // Oldest first.
        for ((_, _, post), fresh) in parsed.into_iter().zip(fresh).rev() {
            if fresh && self.sent.insert(&post.id) {
                items.push(Item::Post(post));
            }
        }
        let next = if more {
            listing
                .data
                .after
                .as_deref()
                .map(|after| self.fetch(fetch.tag, Some(after)))
        } else {
            None
        };
        if more && next.is_none() {
            // No older page exists: the pass ends here.
            let (_, _, moved) = self.progress[fetch.tag].page(&[], false, MAX_PAGES);
            return Ok(PageOutcome {
                items,
                next: None,
                checkpoint: moved,
            });
        }
        Ok(PageOutcome {
            items,
            next,
            checkpoint: moved,
        })
    }

    fn cursor(&self) -> Option<String> {
        let map: BTreeMap<&str, &Watermark> = self
            .listings
            .iter()
            .zip(&self.progress)
            .filter_map(|((key, _), p)| p.saved.as_ref().map(|w| (key.as_str(), w)))
            .collect();
        (!map.is_empty()).then(|| serde_json::to_string(&map).unwrap_or_default())
    }
}
