//! The post: one piece of public chatter, or one crowd report.

use crate::AuthorHash;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether a record is a social post or a structured crowd report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    /// Free text written by someone.
    #[default]
    Post,
    /// Someone explicitly says `service` has a problem.
    Report,
}

impl PostKind {
    /// `post` or `report`.
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Report => "report",
        }
    }
}

/// Coordinates in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Geo {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
}

/// A validated post. Its identity is `(source, id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Where it came from (`jsonl`, `mastodon:mastodon.social`...).
    pub source: String,
    /// Unique within its source.
    pub id: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Post or crowd report.
    pub kind: PostKind,
    /// The reported service (catalog id), for reports.
    pub service: Option<String>,
    /// Plain text (HTML already stripped). May be empty for reports.
    pub text: String,
    /// ISO 639-1 language, if the source knew it.
    pub lang: Option<String>,
    /// Keyed hash of the author id; the clear id is never kept.
    pub author: Option<AuthorHash>,
    /// User-declared free-text location.
    pub location: Option<String>,
    /// Coordinates, if any.
    pub geo: Option<Geo>,
    /// Link to the post.
    pub url: Option<String>,
    /// A region the source itself suggests (an instance's home country), ISO 3166 code.
    pub region_hint: Option<String>,
}

impl Post {
    /// An ordinary post with only its required fields; the optional ones are empty.
    pub fn new(
        source: impl Into<String>,
        id: impl Into<String>,
        created_at: DateTime<Utc>,
        text: impl Into<String>,
    ) -> Post {
        Post {
            source: source.into(),
            id: id.into(),
            created_at,
            kind: PostKind::Post,
            service: None,
            text: text.into(),
            lang: None,
            author: None,
            location: None,
            geo: None,
            url: None,
            region_hint: None,
        }
    }
}

/// How many posts a source saw in one minute, whether it kept them or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeCount {
    /// The source name.
    pub source: String,
    /// Unix minute (seconds / 60).
    pub minute: i64,
    /// Posts seen.
    pub seen: u64,
}
