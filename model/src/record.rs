//! The post record input contract: one JSON object per line, validated into a [`Post`].

use crate::{AuthorHasher, Geo, Post, PostKind, strip_html};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// Why a line was rejected. Counted by reason and reported with file and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReason {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The line is not a JSON object.
    InvalidJson,
    /// A required field is absent, null or empty.
    MissingField,
    /// `created_at` is not an RFC 3339 time.
    BadTime,
    /// A field has the wrong type or an invalid value.
    BadValue,
}

impl RejectReason {
    /// A short snake_case name, used as the key of rejection counts.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::InvalidUtf8 => "invalid_utf8",
            RejectReason::InvalidJson => "invalid_json",
            RejectReason::MissingField => "missing_field",
            RejectReason::BadTime => "bad_time",
            RejectReason::BadValue => "bad_value",
        }
    }
}

/// A rejected line: the reason and a message that says what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Rejection {
    /// The reason, for counting.
    pub reason: RejectReason,
    /// What was wrong and how to fix it.
    pub message: String,
}

impl Rejection {
    fn new(reason: RejectReason, message: impl Into<String>) -> Self {
        Rejection {
            reason,
            message: message.into(),
        }
    }
}

/// Parses post records, hashing authors with the index's key as it goes.
#[derive(Debug, Clone)]
pub struct PostRecordParser {
    hasher: AuthorHasher,
    default_source: String,
}

#[derive(Deserialize)]
struct RawRecord {
    id: Option<Value>,
    created_at: Option<Value>,
    text: Option<Value>,
    source: Option<Value>,
    kind: Option<Value>,
    service: Option<Value>,
    lang: Option<Value>,
    author: Option<Value>,
    location: Option<Value>,
    geo: Option<Value>,
    url: Option<Value>,
}

fn optional_string(field: &str, value: Option<Value>) -> Result<Option<String>, Rejection> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(Rejection::new(
            RejectReason::BadValue,
            format!(
                "field `{field}` must be a string, found {}",
                json_type(&other)
            ),
        )),
    }
}

fn required_string(field: &str, value: Option<Value>, what: &str) -> Result<String, Rejection> {
    optional_string(field, value)?.ok_or_else(|| {
        Rejection::new(
            RejectReason::MissingField,
            format!("missing required field `{field}` ({what})"),
        )
    })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl PostRecordParser {
    /// A parser whose records default to source `jsonl`.
    pub fn new(hasher: AuthorHasher) -> Self {
        PostRecordParser {
            hasher,
            default_source: "jsonl".into(),
        }
    }

    /// Records without a `source` field get `source` instead of `jsonl`.
    pub fn with_default_source(mut self, source: impl Into<String>) -> Self {
        self.default_source = source.into();
        self
    }

    /// Parses one line (without its newline). Surrounding whitespace is ignored.
    pub fn parse_line(&self, line: &[u8]) -> Result<Post, Rejection> {
        let text = std::str::from_utf8(line).map_err(|e| {
            Rejection::new(
                RejectReason::InvalidUtf8,
                format!(
                    "the line is not valid UTF-8 (bad byte at column {}); re-encode the file as UTF-8",
                    e.valid_up_to() + 1
                ),
            )
        })?;
        let raw: RawRecord = serde_json::from_str(text.trim()).map_err(|e| {
            Rejection::new(
                RejectReason::InvalidJson,
                format!(
                    "not a JSON object: {e}; each line must hold one complete JSON object such as {{\"id\":\"1\",\"created_at\":\"2021-10-04T15:45:00Z\",\"text\":\"...\"}}"
                ),
            )
        })?;
        self.validate(raw)
    }

    fn validate(&self, raw: RawRecord) -> Result<Post, Rejection> {
        let id = match raw.id {
            Some(Value::Number(n)) => n.to_string(),
            other => required_string("id", other, "a string unique within its source")?,
        };
        let created_raw = required_string(
            "created_at",
            raw.created_at,
            "an RFC 3339 time such as 2021-10-04T15:45:00Z",
        )?;
        let created_at = DateTime::parse_from_rfc3339(created_raw.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                Rejection::new(
                    RejectReason::BadTime,
                    format!(
                        "`created_at` {created_raw:?} is not an RFC 3339 time ({e}); write it like 2021-10-04T15:45:00Z"
                    ),
                )
            })?;
        let kind = match optional_string("kind", raw.kind)?.as_deref() {
            None | Some("post") => PostKind::Post,
            Some("report") => PostKind::Report,
            Some(other) => {
                return Err(Rejection::new(
                    RejectReason::BadValue,
                    format!("`kind` is {other:?}; it must be \"post\" or \"report\""),
                ));
            }
        };
        let text = optional_string("text", raw.text)?;
        let service = optional_string("service", raw.service)?;
        let text = match (kind, text) {
            (_, Some(t)) => strip_html(&t),
            (PostKind::Report, None) => String::new(),
            (PostKind::Post, None) => {
                return Err(Rejection::new(
                    RejectReason::MissingField,
                    "missing required field `text` (required unless \"kind\" is \"report\")",
                ));
            }
        };
        if kind == PostKind::Report && service.is_none() {
            return Err(Rejection::new(
                RejectReason::MissingField,
                "missing required field `service`: a report must name the platform id it is about, e.g. \"service\":\"whatsapp\"",
            ));
        }
        let lang = optional_string("lang", raw.lang)?
            .map(|l| l.trim().to_ascii_lowercase())
            .map(|l| {
                // Accept regional forms such as "pt-BR" and keep the ISO 639-1 part.
                let base = l.split(['-', '_']).next().unwrap_or("").to_string();
                if base.len() == 2 && base.bytes().all(|b| b.is_ascii_lowercase()) {
                    Ok(base)
                } else {
                    Err(Rejection::new(
                        RejectReason::BadValue,
                        format!("`lang` {l:?} is not an ISO 639-1 code such as \"en\" or \"pt\""),
                    ))
                }
            })
            .transpose()?;
        let source =
            optional_string("source", raw.source)?.unwrap_or_else(|| self.default_source.clone());
        let author = optional_string("author", raw.author)?.map(|a| self.hasher.hash(&source, &a));
        let geo = match raw.geo {
            None | Some(Value::Null) => None,
            Some(v) => Some(parse_geo(&v)?),
        };
        Ok(Post {
            source,
            id,
            created_at,
            kind,
            service: service.map(|s| s.trim().to_ascii_lowercase()),
            text,
            lang,
            author,
            location: optional_string("location", raw.location)?,
            geo,
            url: optional_string("url", raw.url)?,
            region_hint: None,
        })
    }
}

fn parse_geo(v: &Value) -> Result<Geo, Rejection> {
    let bad = || {
        Rejection::new(
            RejectReason::BadValue,
            "`geo` must be an object {\"lat\": -90..90, \"lon\": -180..180}",
        )
    };
    let lat = v.get("lat").and_then(Value::as_f64).ok_or_else(bad)?;
    let lon = v.get("lon").and_then(Value::as_f64).ok_or_else(bad)?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad());
    }
    Ok(Geo { lat, lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> PostRecordParser {
        PostRecordParser::new(AuthorHasher::new([3; 16]))
    }

    fn reason(line: &[u8]) -> RejectReason {
        parser().parse_line(line).unwrap_err().reason
    }

    #[test]
    fn full_record() {
        let p = parser()
            .parse_line(br#"{"id":"a1","created_at":"2021-10-04T17:45:00+02:00","text":"<p>caiu o zap</p>","source":"mastodon","lang":"pt-BR","author":"@joao","location":"SP, Brasil","geo":{"lat":-23.5,"lon":-46.6},"url":"https://x","extra":1}"#)
            .unwrap();
        assert_eq!(p.id, "a1");
        assert_eq!(p.created_at.to_rfc3339(), "2021-10-04T15:45:00+00:00");
        assert_eq!(p.text, "caiu o zap");
        assert_eq!(p.lang.as_deref(), Some("pt"));
        assert_eq!(
            p.author,
            Some(AuthorHasher::new([3; 16]).hash("mastodon", "@joao"))
        );
        assert_eq!(
            p.geo,
            Some(Geo {
                lat: -23.5,
                lon: -46.6
            })
        );
    }

    #[test]
    fn every_reason() {
        assert_eq!(reason(b"\xff\xfe"), RejectReason::InvalidUtf8);
        assert_eq!(reason(b"{\"id\":"), RejectReason::InvalidJson);
        assert_eq!(reason(b"[1,2]"), RejectReason::InvalidJson);
        assert_eq!(
            reason(br#"{"created_at":"2021-10-04T15:45:00Z","text":"x"}"#),
            RejectReason::MissingField
        );
        assert_eq!(
            reason(br#"{"id":"1","text":"x"}"#),
            RejectReason::MissingField
        );
        assert_eq!(
            reason(br#"{"id":"1","created_at":"2021-10-04T15:45:00Z"}"#),
            RejectReason::MissingField
        );
        assert_eq!(
            reason(br#"{"id":"1","created_at":"2021-10-04T15:45:00Z","kind":"report"}"#),
            RejectReason::MissingField
        );
        assert_eq!(
            reason(br#"{"id":"1","created_at":"yesterday","text":"x"}"#),
            RejectReason::BadTime
        );
        assert_eq!(
            reason(br#"{"id":"1","created_at":"2021-10-04T15:45:00Z","text":5}"#),
            RejectReason::BadValue
        );
        assert_eq!(
            reason(br#"{"id":"1","created_at":"2021-10-04T15:45:00Z","text":"x","kind":"tweet"}"#),
            RejectReason::BadValue
        );
        assert_eq!(
            reason(
                br#"{"id":"1","created_at":"2021-10-04T15:45:00Z","text":"x","lang":"english"}"#
            ),
            RejectReason::BadValue
        );
        assert_eq!(reason(br#"{"id":"1","created_at":"2021-10-04T15:45:00Z","text":"x","geo":{"lat":100,"lon":0}}"#), RejectReason::BadValue);
    }

    #[test]
    fn report_needs_no_text() {
        let p = parser()
            .parse_line(br#"{"id":"r","created_at":"2021-10-04T15:45:00Z","kind":"report","service":"WhatsApp"}"#)
            .unwrap();
        assert_eq!(p.kind, PostKind::Report);
        assert_eq!(p.service.as_deref(), Some("whatsapp"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parser().parse_line(&bytes);
        }

        #[test]
        fn never_panics_on_jsonish(s in r#"\{("[a-z_]{1,10}":("[^"]{0,10}"|[0-9]{1,3}|null|\{\}),?){0,6}\}"#) {
            let _ = parser().parse_line(s.as_bytes());
        }
    }
}
