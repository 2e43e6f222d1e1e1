//! RSS 2.0 and Atom feeds: conditional GETs (`If-None-Match` with the last `ETag`,
//! `If-Modified-Since` with the last `Last-Modified`), so an unchanged feed costs a 304. An
//! entry is new when its id (`guid`, Atom `id`, else the link) was not in the previous
//! document; the cursor holds the validators and those ids.

use crate::config::SourceConfig;
use crate::emit::Item;
use crate::http::{Fetch, Page, PageOutcome, Poller};
use crate::sources::{new_post, parse_time, rejected};
use chrono::{DateTime, Utc};
use outcry_model::{RejectReason, strip_html};
use quick_xml::Reader;
use quick_xml::events::Event;
use reqwest::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};

/// Ids remembered from the last document at most.
const MAX_REMEMBERED: usize = 2000;

/// The saved position.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct FeedCursor {
    etag: Option<String>,
    last_modified: Option<String>,
    seen: Vec<String>,
}

/// One entry, as read.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Entry {
    pub id: Option<String>,
    pub title: String,
    pub summary: String,
    pub link: Option<String>,
    pub date: Option<String>,
    pub lang: Option<String>,
}

fn feed_time(text: &str) -> Option<DateTime<Utc>> {
    parse_time(text).or_else(|| {
        DateTime::parse_from_rfc2822(text.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// Reads the entries of an RSS or Atom document.
pub(crate) fn parse_feed(body: &[u8]) -> Result<Vec<Entry>, String> {
    let mut reader = Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    // The local name of the element whose text is being read inside an entry.
    let mut field: Option<String> = None;
    let mut text = String::new();
    let mut feed_lang: Option<String> = None;
    let mut root_seen = false;
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if !root_seen {
                    root_seen = true;
                    if !matches!(name.as_str(), "rss" | "feed" | "rdf") {
                        return Err(format!("<{name}> is neither an RSS nor an Atom document"));
                    }
                }
                for attr in e.attributes().flatten() {
                    if attr.key.local_name().as_ref() == b"lang"
                        && feed_lang.is_none()
                        && current.is_none()
                    {
                        feed_lang = attr.unescape_value().ok().map(|v| v.to_string());
                    }
                }
                if name == "item" || name == "entry" {
                    current = Some(Entry {
                        lang: feed_lang.clone(),
                        ..Default::default()
                    });
                    field = None;
                } else if current.is_none() && name == "language" {
                    // RSS: the channel's language applies to its items.
                    field = Some(name);
                    text.clear();
                } else if let Some(entry) = current.as_mut() {
                    if name == "link" {
                        // Atom: <link rel="alternate" href="..."/>.
                        let mut href = None;
                        let mut rel = None;
                        for attr in e.attributes().flatten() {
                            match attr.key.local_name().as_ref() {
                                b"href" => href = attr.unescape_value().ok().map(|v| v.to_string()),
                                b"rel" => rel = attr.unescape_value().ok().map(|v| v.to_string()),
                                _ => {}
                            }
                        }
                        if let Some(href) = href
                            && rel.as_deref().is_none_or(|r| r == "alternate")
                            && entry.link.is_none()
                        {
                            entry.link = Some(href);
                        }
                    }
                    field = Some(name);
                    text.clear();
                }
            }
            Event::Text(t) if field.is_some() => {
                text.push_str(&t.decode().map_err(|e| e.to_string())?);
            }
            Event::CData(t) if field.is_some() => {
                text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if field.is_some() => {
                {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => text.push(c),
                        _ => match name.as_ref() {
                            "amp" => text.push('&'),
                            "lt" => text.push('<'),
                            "gt" => text.push('>'),
                            "quot" => text.push('"'),
                            "apos" => text.push('\''),
                            // An HTML entity: strip_html decodes it later.
                            other => {
                                text.push('&');
                                text.push_str(other);
                                text.push(';');
                            }
                        },
                    }
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if name == "item" || name == "entry" {
                    entries.extend(current.take());
                    field = None;
                } else if current.is_none()
                    && field.as_deref() == Some("language")
                    && name == "language"
                {
                    feed_lang = Some(std::mem::take(&mut text).trim().to_string());
                    field = None;
                } else if let (Some(entry), Some(f)) = (current.as_mut(), field.as_deref())
                    && f == name
                {
                    let value = std::mem::take(&mut text).trim().to_string();
                    match f {
                        "title" => entry.title = value,
                        "guid" | "id" => entry.id = Some(value),
                        "link" if !value.is_empty() => entry.link = Some(value),
                        "pubdate" | "published" | "date" => entry.date = Some(value),
                        "updated" if entry.date.is_none() => entry.date = Some(value),
                        "description" | "summary" | "content" | "encoded"
                            if entry.summary.len() < value.len() =>
                        {
                            entry.summary = value
                        }
                        "language" => entry.lang = Some(value),
                        _ => {}
                    }
                    field = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if current.is_some() || depth > 0 {
        return Err("the document ends before its elements are closed (truncated)".into());
    }
    if !root_seen {
        return Err("an empty document".into());
    }
    Ok(entries)
}

/// Polls one feed.
pub(crate) struct FeedPoller {
    source: String,
    url: Url,
    region_hint: Option<String>,
    cursor: FeedCursor,
    started: bool,
}

impl FeedPoller {
    pub(crate) fn new(config: &SourceConfig, resume: Option<&str>) -> Result<Self, String> {
        let cursor = match resume {
            None => FeedCursor::default(),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| format!("the saved cursor {text:?} is not a feed cursor ({e})"))?,
        };
        Ok(FeedPoller {
            source: config.name.clone(),
            url: Url::parse(&config.url).map_err(|e| e.to_string())?,
            region_hint: config.region_hint.clone(),
            started: resume.is_some(),
            cursor,
        })
    }
}

impl Poller for FeedPoller {
    fn round(&mut self) -> Vec<Fetch> {
        let mut fetch = Fetch::get(self.url.clone(), 0);
        if let Some(etag) = &self.cursor.etag {
            fetch = fetch.header(IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &self.cursor.last_modified {
            fetch = fetch.header(IF_MODIFIED_SINCE, modified);
        }
        vec![fetch]
    }

    fn on_page(&mut self, _fetch: &Fetch, page: Page) -> Result<PageOutcome, String> {
        if page.status == StatusCode::NOT_MODIFIED {
            return Ok(PageOutcome::default());
        }
        let entries = parse_feed(&page.body)?;
        let fetched_at = Utc::now();
        let mut items = Vec::new();
        let mut ids = Vec::with_capacity(entries.len());
        for entry in entries.into_iter().rev() {
            let Some(id) = entry
                .id
                .clone()
                .or_else(|| entry.link.clone())
                .filter(|i| !i.is_empty())
            else {
                items.push(rejected(
                    self.url.to_string(),
                    RejectReason::MissingField,
                    "an entry without guid, id or link",
                ));
                continue;
            };
            ids.push(id.clone());
            if self.cursor.seen.contains(&id) {
                continue;
            }
            // A feed without dates still says when we first saw the entry.
            let created_at = match entry.date.as_deref() {
                Some(d) => match feed_time(d) {
                    Some(t) => t,
                    None => {
                        items.push(rejected(
                            id,
                            RejectReason::BadTime,
                            format!("date {d:?} is neither RFC 822 nor RFC 3339"),
                        ));
                        continue;
                    }
                },
                None => fetched_at,
            };
            let summary = strip_html(&entry.summary);
            let title = strip_html(&entry.title);
            let text = if summary.is_empty() || summary == title {
                title
            } else {
                format!("{title}\n{summary}")
            };
            let mut post = new_post(&self.source, id, created_at, text);
            post.url = entry.link;
            post.lang = entry.lang.as_deref().and_then(crate::sources::iso639_1);
            post.region_hint = self.region_hint.clone();
            items.push(Item::Post(post));
        }
        ids.truncate(MAX_REMEMBERED);
        let next = FeedCursor {
            etag: page.header("etag").map(str::to_string),
            last_modified: page.header("last-modified").map(str::to_string),
            seen: ids,
        };
        if !self.started {
            // The first document ever is today's news: read it, and remember it.
            self.started = true;
        }
        let moved = next != self.cursor;
        self.cursor = next;
        Ok(PageOutcome {
            items,
            next: None,
            checkpoint: moved,
        })
    }

    fn cursor(&self) -> Option<String> {
        self.started
            .then(|| serde_json::to_string(&self.cursor).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rss_and_atom() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>en-us</language>
<item><title>GitHub down &amp; out</title><guid>g1</guid><pubDate>Tue, 10 Jan 2023 17:04:42 GMT</pubDate>
<description><![CDATA[<p>Actions <b>slow</b></p>]]></description><link>https://x/1</link></item></channel></rss>"#;
        let e = parse_feed(rss).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].title, "GitHub down & out");
        assert_eq!(e[0].summary, "<p>Actions <b>slow</b></p>");
        assert!(feed_time(e[0].date.as_deref().unwrap()).is_some());
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><entry><id>tag:a,1</id><title type="html">Zoom &lt;b&gt;kaputt&lt;/b&gt;</title>
<link rel="alternate" href="https://a/1"/><updated>2024-01-01T00:00:00Z</updated><summary>s&#233;</summary></entry></feed>"#;
        let e = parse_feed(atom).unwrap();
        assert_eq!(e[0].id.as_deref(), Some("tag:a,1"));
        assert_eq!(strip_html(&e[0].title), "Zoom kaputt");
        assert_eq!(e[0].summary, "sé");
        assert_eq!(e[0].link.as_deref(), Some("https://a/1"));
        assert_eq!(e[0].lang.as_deref(), Some("de"));
        assert!(parse_feed(b"<rss><channel><item><title>x</title>").is_err());
        assert!(parse_feed(b"<html></html>").is_err());
        assert!(parse_feed(b"<rss><channel><item><guid>1</guid></item>").is_err());
    }
}
