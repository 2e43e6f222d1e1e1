//! The tantivy index of outcry: the schema and multilingual analyzers, the batched writer
//! whose commits carry the sources' checkpoints, search with highlights, counts, and the fast
//! reads that detection and reports need.
//!
//! This crate owns the index directory (`DIR`) and everything in it, including `DIR/author.key`,
//! the secret of the keyed author hashes. It knows nothing of classification or detection: it
//! stores [`Classification`](outcry_model::Classification)s it is given and hands back
//! [`ObservationTable`](outcry_model::ObservationTable)s.
//!
//! ```
//! use outcry_index::{PostIndex, SearchRequest};
//! use outcry_model::{Classification, Post, PostKind};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let index = PostIndex::create_or_open(dir.path()).unwrap();
//! let mut writer = index.writer(50_000_000).unwrap();
//! let post = Post {
//!     source: "jsonl".into(),
//!     id: "1".into(),
//!     created_at: "2021-10-04T15:45:00Z".parse().unwrap(),
//!     kind: PostKind::Post,
//!     service: None,
//!     text: "WhatsApp isn't working".into(),
//!     lang: Some("en".into()),
//!     author: None,
//!     location: None,
//!     geo: None,
//!     url: None,
//!     region_hint: None,
//! };
//! let class = Classification { platforms: vec!["whatsapp".into()], complaint: true, lang: "en".into(), ..Default::default() };
//! assert!(writer.add_post(&post, &class).unwrap());
//! assert!(!writer.add_post(&post, &class).unwrap()); // same (source, id): not added twice
//! writer.set_checkpoint("jsonl:posts.jsonl", "1");
//! writer.commit().unwrap();
//!
//! let found = index.search(&SearchRequest::new("\"not working\"")).unwrap();
//! assert_eq!(found.total, 1);
//! assert_eq!(index.checkpoints().unwrap()["jsonl:posts.jsonl"], "1");
//! ```

mod analysis;
mod error;
mod observations;
mod read;
mod schema;
mod search;
mod store;
mod writer;

pub use analysis::{RustStemmerFilter, STEMMED_LANGUAGES, WordTokenizer};
pub use error::{Error, Result};
pub use read::IndexStats;
pub use search::{Hit, SearchRequest, SearchResults, SortOrder};
pub use store::PostIndex;
pub use writer::PostWriter;
