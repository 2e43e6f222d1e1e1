//! Lemmy: an instance's newest posts (`/api/v3/post/list?sort=New`) and, optionally, newest
//! comments (`/api/v3/comment/list?sort=New`), read newest first down to the last item seen
//! (a [`Watermark`] per listing), paging with `page=`.

use crate::config::{KindOptions, SourceConfig};
use crate::emit::Item;
use crate::http::{Fetch, Page, PageOutcome, Poller};
use crate::sources::{ListingProgress, Watermark, new_post, parse_time, rejected};
use chrono::{DateTime, NaiveDateTime, Utc};
use outcry_model::{AuthorHasher, RejectReason};
use reqwest::Url;
use serde::Deserialize;
use std::collections::BTreeMap;

const MAX_PAGES: u32 = 10;

#[derive(Deserialize)]
struct PostList {
    posts: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct CommentList {
    comments: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct PostView {
    post: PostFields,
    creator: Option<Creator>,
}

#[derive(Deserialize)]
struct PostFields {
    id: i64,
    name: Option<String>,
    body: Option<String>,
    published: String,
    ap_id: Option<String>,
}

#[derive(Deserialize)]
struct CommentView {
    comment: CommentFields,
    creator: Option<Creator>,
}

#[derive(Deserialize)]
struct CommentFields {
    id: i64,
    content: Option<String>,
    published: String,
    ap_id: Option<String>,
}

#[derive(Deserialize)]
struct Creator {
    actor_id: Option<String>,
    name: Option<String>,
}

/// Lemmy before 0.19 wrote times without a zone; they are UTC.
fn lemmy_time(text: &str) -> Option<DateTime<Utc>> {
    parse_time(text).or_else(|| {
        NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|t| t.and_utc())
    })
}

/// (id, time, text, link, author) of one post or comment.
type LemmyItem = (
    String,
    DateTime<Utc>,
    String,
    Option<String>,
    Option<String>,
);

/// Polls a Lemmy instance.
pub(crate) struct LemmyPoller {
    source: String,
    listings: Vec<(&'static str, Url)>,
    limit: u32,
    hasher: AuthorHasher,
    region_hint: Option<String>,
    progress: Vec<ListingProgress>,
}

impl LemmyPoller {
    pub(crate) fn new(
        config: &SourceConfig,
        resume: Option<&str>,
        hasher: AuthorHasher,
    ) -> Result<Self, String> {
        let KindOptions::Lemmy { comments, limit } = &config.options else {
            return Err("not a lemmy source".into());
        };
        let base = Url::parse(&config.url).map_err(|e| e.to_string())?;
        let mut listings = vec![(
            "posts",
            base.join("api/v3/post/list").map_err(|e| e.to_string())?,
        )];
        if *comments {
            listings.push((
                "comments",
                base.join("api/v3/comment/list")
                    .map_err(|e| e.to_string())?,
            ));
        }
        let saved: BTreeMap<String, Watermark> = match resume {
            None => BTreeMap::new(),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| format!("the saved cursor {text:?} is not a lemmy cursor ({e})"))?,
        };
        let progress = listings
            .iter()
            .map(|(key, _)| ListingProgress {
                saved: saved.get(*key).cloned(),
                ..Default::default()
            })
            .collect();
        Ok(LemmyPoller {
            source: config.name.clone(),
            listings,
            limit: *limit,
            hasher,
            region_hint: config.region_hint.clone(),
            progress,
        })
    }

    fn fetch(&self, index: usize, page: u32) -> Fetch {
        let mut url = self.listings[index].1.clone();
        url.query_pairs_mut()
            .append_pair("type_", "All")
            .append_pair("sort", "New")
            .append_pair("limit", &self.limit.to_string())
            .append_pair("page", &page.to_string());
        Fetch::get(url, index)
    }

    /// (id, time, text, link, author) of one item.
    fn parse_item(
        &self,
        value: serde_json::Value,
        comments: bool,
    ) -> Result<LemmyItem, (RejectReason, String)> {
        let bad = |e: serde_json::Error| (RejectReason::BadValue, format!("not a Lemmy item: {e}"));
        let (id, published, text, link, creator) = if comments {
            let v: CommentView = serde_json::from_value(value).map_err(bad)?;
            (
                format!("comment/{}", v.comment.id),
                v.comment.published,
                v.comment.content.unwrap_or_default(),
                v.comment.ap_id,
                v.creator,
            )
        } else {
            let v: PostView = serde_json::from_value(value).map_err(bad)?;
            let title = v.post.name.unwrap_or_default();
            let text = match v.post.body.filter(|b| !b.trim().is_empty()) {
                Some(body) => format!("{title}\n{body}"),
                None => title,
            };
            (
                format!("post/{}", v.post.id),
                v.post.published,
                text,
                v.post.ap_id,
                v.creator,
            )
        };
        let Some(created_at) = lemmy_time(&published) else {
            return Err((
                RejectReason::BadTime,
                format!("`published` {published:?} is not a time"),
            ));
        };
        let author = creator.and_then(|c| c.actor_id.or(c.name));
        Ok((id, created_at, text, link, author))
    }
}

impl Poller for LemmyPoller {
    fn round(&mut self) -> Vec<Fetch> {
        for p in &mut self.progress {
            p.start_pass();
        }
        (0..self.listings.len()).map(|i| self.fetch(i, 1)).collect()
    }

    fn on_page(&mut self, fetch: &Fetch, page: Page) -> Result<PageOutcome, String> {
        let comments = self.listings[fetch.tag].0 == "comments";
        let values = if comments {
            serde_json::from_slice::<CommentList>(&page.body)
                .map_err(|e| format!("not a Lemmy comment list: {e}"))?
                .comments
        } else {
            serde_json::from_slice::<PostList>(&page.body)
                .map_err(|e| format!("not a Lemmy post list: {e}"))?
                .posts
        };
        let full = values.len() >= self.limit as usize;
        let page_url = fetch.url.to_string();
        let mut items = Vec::new();
        let mut parsed = Vec::new();
        for value in values {
            match self.parse_item(value, comments) {
                Ok((id, created_at, text, link, author)) => {
                    let mut post = new_post(&self.source, id.clone(), created_at, text);
                    post.url = link;
                    post.author = author.map(|a| self.hasher.hash(&self.source, &a));
                    post.region_hint = self.region_hint.clone();
                    parsed.push((created_at.timestamp_millis(), id, post));
                }
                Err((reason, message)) => items.push(rejected(page_url.clone(), reason, message)),
            }
        }
        let entries: Vec<(i64, String)> =
            parsed.iter().map(|(t, id, _)| (*t, id.clone())).collect();
        let (fresh, more, moved) = self.progress[fetch.tag].page(&entries, full, MAX_PAGES);
        for ((_, _, post), fresh) in parsed.into_iter().zip(fresh).rev() {
            if fresh {
                items.push(Item::Post(post));
            }
        }
        let page_no: u32 = fetch
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        Ok(PageOutcome {
            items,
            next: more.then(|| self.fetch(fetch.tag, page_no + 1)),
            checkpoint: moved,
        })
    }

    fn cursor(&self) -> Option<String> {
        let map: BTreeMap<&str, &Watermark> = self
            .listings
            .iter()
            .zip(&self.progress)
            .filter_map(|((key, _), p)| p.saved.as_ref().map(|w| (*key, w)))
            .collect();
        (!map.is_empty()).then(|| serde_json::to_string(&map).unwrap_or_default())
    }
}
