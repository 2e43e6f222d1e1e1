//! The errors of the index crate. Every message says what went wrong, where, and what to do.

use std::path::PathBuf;

/// What can go wrong while opening, writing or reading the index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file of the index directory could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done ("create the index directory", "read the author key"...).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The directory does not hold an outcry index.
    #[error(
        "{dir} holds no outcry index ({reason}); create one with `outcry ingest --index {dir} --jsonl FILE`, or point --index at an existing one"
    )]
    NotAnIndex {
        /// The directory.
        dir: PathBuf,
        /// Why it is not one.
        reason: String,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "another outcry process is writing to {dir}; stop it first (only one writer at a time), or use another --index directory"
    )]
    Locked {
        /// The index directory.
        dir: PathBuf,
    },
    /// The author key file is damaged.
    #[error(
        "the author key {path} is damaged ({reason}); restore it from a backup (author hashes in the index were made with it)"
    )]
    AuthorKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The checkpoints stored with the last commit cannot be read.
    #[error("the checkpoints stored in the last commit of {dir} are unreadable ({reason})")]
    Payload {
        /// The index directory.
        dir: PathBuf,
        /// What is wrong with them.
        reason: String,
    },
    /// The search query is not valid query syntax.
    #[error(
        "cannot understand the query {query:?}: {reason}. Write words, \"quoted phrases\", AND/OR/NOT (or +word -word), parentheses and field filters, for example: whatsapp AND (down OR \"not working\") NOT platforms:instagram. Fields: text, platforms, providers, symptoms, regions, lang, source, kind, complaint, recovery"
    )]
    Query {
        /// The query as given.
        query: String,
        /// What the parser found wrong.
        reason: String,
    },
    /// Any other error reported by tantivy.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
