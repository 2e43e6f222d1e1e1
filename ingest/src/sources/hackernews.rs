//! Hacker News through Algolia's `search_by_date`: stories and comments, read in time slices.
//! Each round reads the slice `created_at_i > since - overlap`, newest first, walking down
//! with an upper bound (`created_at_i <= oldest seen`) until the slice is exhausted; only then
//! does the cursor (`since`) move up to the newest item of the slice. Items indexed late by
//! Algolia are caught by the overlap; repeats are dropped by id.

use crate::config::{KindOptions, SourceConfig};
use crate::emit::Item;
use crate::http::{Fetch, Page, PageOutcome, Poller};
use crate::sources::{RecentIds, new_post, rejected};
use chrono::DateTime;
use outcry_model::{AuthorHasher, RejectReason, strip_html};
use reqwest::Url;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Response {
    hits: Vec<serde_json::Value>,
    #[serde(rename = "nbHits")]
    nb_hits: Option<u64>,
}

#[derive(Deserialize)]
struct Hit {
    #[serde(rename = "objectID")]
    object_id: Option<String>,
    created_at_i: Option<i64>,
    title: Option<String>,
    story_text: Option<String>,
    comment_text: Option<String>,
    author: Option<String>,
    #[serde(rename = "_tags", default)]
    tags: Vec<String>,
}

/// The saved position: every item created at or before `since` has been read.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct HnCursor {
    since: i64,
}

/// The slice being walked in this round.
#[derive(Debug, Clone, Copy)]
struct Slice {
    lower: i64,
    upper: Option<i64>,
    page: u32,
    top: Option<i64>,
}

/// Polls Algolia's Hacker News index.
pub(crate) struct HackerNewsPoller {
    source: String,
    endpoint: Url,
    query: String,
    tags: String,
    limit: u32,
    overlap: i64,
    hasher: AuthorHasher,
    since: Option<i64>,
    saved_since: Option<i64>,
    slice: Option<Slice>,
    seen: RecentIds,
}

impl HackerNewsPoller {
    pub(crate) fn new(
        config: &SourceConfig,
        resume: Option<&str>,
        hasher: AuthorHasher,
    ) -> Result<Self, String> {
        let KindOptions::Hackernews {
            query,
            tags,
            limit,
            overlap,
        } = &config.options
        else {
            return Err("not a hackernews source".into());
        };
        let base = Url::parse(&config.url).map_err(|e| e.to_string())?;
        let since = match resume {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<HnCursor>(text)
                    .map_err(|e| {
                        format!("the saved cursor {text:?} is not a hackernews cursor ({e})")
                    })?
                    .since,
            ),
        };
        Ok(HackerNewsPoller {
            source: config.name.clone(),
            endpoint: base
                .join("api/v1/search_by_date")
                .map_err(|e| e.to_string())?,
            query: query.clone(),
            tags: format!("({})", tags.join(",")),
            limit: *limit,
            overlap: overlap.as_secs() as i64,
            hasher,
            since,
            saved_since: since,
            slice: None,
            seen: RecentIds::new(50_000),
        })
    }

    fn fetch(&self) -> Fetch {
        let mut url = self.endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("query", &self.query);
            q.append_pair("tags", &self.tags);
            q.append_pair("hitsPerPage", &self.limit.to_string());
            if let Some(slice) = &self.slice {
                let mut filter = format!("created_at_i>{}", slice.lower);
                if let Some(upper) = slice.upper {
                    filter.push_str(&format!(",created_at_i<={upper}"));
                }
                q.append_pair("numericFilters", &filter);
                if slice.page > 0 {
                    q.append_pair("page", &slice.page.to_string());
                }
            }
        }
        Fetch::get(url, 0)
    }

    fn read_hit(
        &mut self,
        value: serde_json::Value,
        page_url: &str,
    ) -> Option<(i64, Option<Item>)> {
        let hit: Hit = match serde_json::from_value(value) {
            Ok(h) => h,
            Err(e) => {
                return Some((
                    i64::MIN,
                    Some(rejected(
                        page_url.into(),
                        RejectReason::BadValue,
                        format!("not a hit: {e}"),
                    )),
                ));
            }
        };
        let (Some(id), Some(created)) = (hit.object_id, hit.created_at_i) else {
            return Some((
                i64::MIN,
                Some(rejected(
                    page_url.into(),
                    RejectReason::MissingField,
                    "a hit without objectID or created_at_i",
                )),
            ));
        };
        if !self.seen.insert(&id) {
            return Some((created, None));
        }
        let Some(created_at) = DateTime::from_timestamp(created, 0) else {
            return Some((
                created,
                Some(rejected(
                    id,
                    RejectReason::BadTime,
                    "created_at_i out of range",
                )),
            ));
        };
        let is_comment = hit.tags.iter().any(|t| t == "comment") || hit.comment_text.is_some();
        let text = if is_comment {
            strip_html(hit.comment_text.as_deref().unwrap_or(""))
        } else {
            let body = strip_html(hit.story_text.as_deref().unwrap_or(""));
            let title = hit.title.unwrap_or_default();
            if body.is_empty() {
                title
            } else {
                format!("{title}\n{body}")
            }
        };
        let url = format!("https://news.ycombinator.com/item?id={id}");
        let mut post = new_post(&self.source, id, created_at, text);
        post.url = Some(url);
        post.author = hit.author.map(|a| self.hasher.hash(&self.source, &a));
        let replay = self.saved_since.is_some_and(|s| created <= s);
        Some((
            created,
            Some(if replay {
                Item::Replayed(post)
            } else {
                Item::Post(post)
            }),
        ))
    }
}

impl Poller for HackerNewsPoller {
    fn round(&mut self) -> Vec<Fetch> {
        self.slice = self.since.map(|since| Slice {
            lower: since - self.overlap,
            upper: None,
            page: 0,
            top: None,
        });
        vec![self.fetch()]
    }

    fn on_page(&mut self, fetch: &Fetch, page: Page) -> Result<PageOutcome, String> {
        let response: Response = serde_json::from_slice(&page.body)
            .map_err(|e| format!("not an Algolia search response: {e}"))?;
        let count = response.hits.len();
        let page_url = fetch.url.to_string();
        let mut items = Vec::with_capacity(count);
        let (mut oldest, mut newest) = (i64::MAX, i64::MIN);
        for value in response.hits.into_iter().rev() {
            if let Some((created, item)) = self.read_hit(value, &page_url) {
                if created != i64::MIN {
                    oldest = oldest.min(created);
                    newest = newest.max(created);
                }
                items.extend(item);
            }
        }
        let Some(mut slice) = self.slice else {
            // The first poll ever starts from now: the newest page only.
            if newest != i64::MIN {
                self.since = Some(newest);
            }
            return Ok(PageOutcome {
                items,
                next: None,
                checkpoint: self.since.is_some(),
            });
        };
        if newest != i64::MIN {
            slice.top = Some(slice.top.map_or(newest, |t| t.max(newest)));
        }
        let more = count as u32 >= self.limit && response.nb_hits.is_none_or(|n| n > count as u64);
        if more && oldest != i64::MAX {
            if slice.upper == Some(oldest) {
                // A whole page within one second: page through it.
                slice.page += 1;
            } else {
                slice.upper = Some(oldest);
                slice.page = 0;
            }
            self.slice = Some(slice);
            return Ok(PageOutcome {
                items,
                next: Some(self.fetch()),
                checkpoint: false,
            });
        }
        // The slice is exhausted: everything up to its top has been read.
        let moved = match slice.top {
            Some(top) if self.since.is_none_or(|s| top > s) => {
                self.since = Some(top);
                true
            }
            _ => false,
        };
        self.slice = None;
        Ok(PageOutcome {
            items,
            next: None,
            checkpoint: moved,
        })
    }

    fn cursor(&self) -> Option<String> {
        self.since
            .map(|since| serde_json::to_string(&HnCursor { since }).unwrap_or_default())
    }
}
