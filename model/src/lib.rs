//! The shared vocabulary of outcry: the post record and its validation, platform ids, the
//! classification of a post, the compact observation rows that detection reads, source
//! checkpoints and official incidents, and the one helper that shares work among the cores.
//!
//! Every other crate speaks these types, so this crate holds data and the rules that keep it
//! valid, and nothing else: no I/O, no clock, no index, no network.
//!
//! ```
//! use outcry_model::{AuthorHasher, PostRecordParser};
//!
//! let parser = PostRecordParser::new(AuthorHasher::new([7; 16]));
//! let post = parser
//!     .parse_line(br#"{"id":"1","created_at":"2021-10-04T15:45:00Z","text":"whatsapp down?"}"#)
//!     .unwrap();
//! assert_eq!(post.source, "jsonl");
//! assert_eq!(post.text, "whatsapp down?");
//! ```

mod author;
mod classification;
pub mod cores;
mod html;
mod incident;
mod observation;
mod post;
mod record;

pub use author::{AuthorHash, AuthorHasher};
pub use classification::{Classification, SYMPTOM_KINDS, Symptom};
pub use html::{looks_like_html, strip_html};
pub use incident::OfficialIncident;
pub use observation::{
    Ids, MentionCounts, MentionTally, Observation, ObservationTable, PlatformMinute, RegionMinute,
};
pub use post::{Geo, Post, PostKind, VolumeCount};
pub use record::{PostRecordParser, RejectReason, Rejection};

/// A platform id: the slug of a catalog entry such as `whatsapp` or `google-search`.
pub type PlatformId = String;

/// Source name → opaque resume position, saved atomically with the index data it covers.
pub type Checkpoints = std::collections::BTreeMap<String, String>;
