//! Sources that pull posts into outcry: the JSONL replay reader and the live networks. Each
//! source turns what it reads into [`SourceEvent`]s and says how far it got with checkpoints, so
//! that a restart resumes exactly where the last commit left off.
//!
//! Sources know nothing of the index or the classifier: the binary's pipeline receives their
//! events, classifies, indexes and commits the checkpoints with the data they cover.

mod event;
pub mod jsonl;

pub use event::SourceEvent;
