//! The index directory: creating and opening it, the author key, the commit payload that holds
//! the sources' checkpoints, and handing out the writer.
//!
//! This module owns the files of `DIR` that are not tantivy's (`author.key`) and the format of
//! the commit payload. Queries live in `search`, aggregate reads in `read`, writes in `writer`.

use crate::analysis::{self, Side};
use crate::error::{Error, Result};
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::writer::PostWriter;
use outcry_model::{AuthorHasher, Checkpoints};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tantivy::directory::error::LockError;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

/// The file holding the 16-byte secret key of the author hashes.
const AUTHOR_KEY_FILE: &str = "author.key";
/// Tantivy's metadata file: its presence tells an index directory.
const META_FILE: &str = "meta.json";
/// Tantivy needs at least this much indexing memory per writer thread.
const MIN_MEMORY_PER_THREAD: usize = 15_000_000;
/// More writer threads than this do not pay on the machines we target.
const MAX_WRITER_THREADS: usize = 4;

/// An outcry index in a directory: one writer at a time (see [`PostIndex::writer`]), any number
/// of readers, also from other processes.
pub struct PostIndex {
    pub(crate) dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) query_tokenizers: TokenizerManager,
    author_key: [u8; 16],
}

impl std::fmt::Debug for PostIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// What each commit stores as its tantivy payload.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CommitPayload {
    /// Always `outcry-index`, so a foreign payload is recognised.
    pub format: String,
    /// [`SCHEMA_VERSION`] at the time of the commit.
    pub version: u32,
    /// Every stream's cursor, covering exactly the data committed with it.
    pub checkpoints: Checkpoints,
}

impl CommitPayload {
    pub(crate) fn new(checkpoints: Checkpoints) -> Self {
        CommitPayload {
            format: "outcry-index".into(),
            version: SCHEMA_VERSION,
            checkpoints,
        }
    }
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

impl PostIndex {
    /// Opens the index in `dir`, creating the directory, the index and its author key when
    /// `dir` does not hold one yet.
    pub fn create_or_open(dir: &Path) -> Result<PostIndex> {
        if dir.join(META_FILE).exists() {
            return PostIndex::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(io_error("create the index directory", dir))?;
        let key_path = dir.join(AUTHOR_KEY_FILE);
        if !key_path.exists() {
            write_new_author_key(&key_path)?;
        }
        let index = Index::create_in_dir(dir, schema::build_schema()).map_err(|e| match e {
            TantivyError::IndexAlreadyExists => Error::NotAnIndex {
                dir: dir.to_path_buf(),
                reason: "another process created an index here at the same moment".into(),
            },
            other => other.into(),
        })?;
        // Commit once with empty checkpoints so that the directory is a complete index at once.
        let created = PostIndex::from_index(dir, index)?;
        created.writer(0)?.commit()?;
        Ok(created)
    }

    /// Opens the existing index in `dir`; a clear error when `dir` holds no outcry index.
    pub fn open(dir: &Path) -> Result<PostIndex> {
        if !dir.is_dir() {
            return Err(Error::NotAnIndex {
                dir: dir.to_path_buf(),
                reason: "no such directory".into(),
            });
        }
        if !dir.join(META_FILE).exists() {
            return Err(Error::NotAnIndex {
                dir: dir.to_path_buf(),
                reason: format!("no {META_FILE}"),
            });
        }
        let index = Index::open_in_dir(dir)?;
        PostIndex::from_index(dir, index)
    }

    fn from_index(dir: &Path, mut index: Index) -> Result<PostIndex> {
        let fields = Fields::from_schema(&index.schema()).map_err(|missing| Error::NotAnIndex {
            dir: dir.to_path_buf(),
            reason: format!("a tantivy index without the field `{missing}`: not made by outcry"),
        })?;
        index.set_tokenizers(analysis::tokenizer_manager(Side::Index));
        let author_key = read_author_key(&dir.join(AUTHOR_KEY_FILE))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(PostIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            query_tokenizers: analysis::tokenizer_manager(Side::Query),
            author_key,
        })
    }

    /// The directory of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The keyed hasher of author ids, with the random key made when the index was created
    /// (`DIR/author.key`), so that one author hashes the same across runs.
    pub fn author_hasher(&self) -> AuthorHasher {
        AuthorHasher::new(self.author_key)
    }

    /// The checkpoints stored with the last commit (empty for a new index).
    pub fn checkpoints(&self) -> Result<Checkpoints> {
        let metas = self.index.load_metas()?;
        let Some(payload) = metas.payload else {
            return Ok(Checkpoints::new());
        };
        let payload: CommitPayload =
            serde_json::from_str(&payload).map_err(|e| Error::Payload {
                dir: self.dir.clone(),
                reason: format!("not outcry's JSON: {e}"),
            })?;
        if payload.format != "outcry-index" || payload.version > SCHEMA_VERSION {
            return Err(Error::Payload {
                dir: self.dir.clone(),
                reason: format!(
                    "format {:?} version {}, this build reads outcry-index up to version {SCHEMA_VERSION}; use a newer outcry",
                    payload.format, payload.version
                ),
            });
        }
        Ok(payload.checkpoints)
    }

    /// The writer of this index. `memory_budget_bytes` bounds tantivy's indexing memory (at
    /// least 15 MB per writer thread is used whatever is asked). Only one writer may exist at a
    /// time, across processes: a second one gets [`Error::Locked`].
    pub fn writer(&self, memory_budget_bytes: usize) -> Result<PostWriter> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores
            .min(MAX_WRITER_THREADS)
            .min(memory_budget_bytes / MIN_MEMORY_PER_THREAD)
            .max(1);
        let budget = memory_budget_bytes.max(threads * MIN_MEMORY_PER_THREAD);
        let writer = self
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked {
                    dir: self.dir.clone(),
                },
                other => other.into(),
            })?;
        PostWriter::new(
            writer,
            self.reader.clone(),
            self.fields.clone(),
            self.checkpoints()?,
        )
    }

    /// A searcher on the latest commit. The reader also follows commits of other processes
    /// (with a short delay); commits made through this process's writer are visible at once.
    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }
}

fn write_new_author_key(path: &Path) -> Result<()> {
    let mut key = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut key))
        .map_err(io_error(
            "read random bytes for the author key from",
            Path::new("/dev/urandom"),
        ))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The key is a secret: only the owner may read it.
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(io_error("create the author key", path))?;
    file.write_all(&key)
        .and_then(|()| file.sync_all())
        .map_err(io_error("write the author key", path))
}

fn read_author_key(path: &Path) -> Result<[u8; 16]> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::AuthorKey {
            path: path.to_path_buf(),
            reason: "the file is missing".into(),
        },
        _ => Error::Io {
            action: "read the author key",
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    bytes.as_slice().try_into().map_err(|_| Error::AuthorKey {
        path: path.to_path_buf(),
        reason: format!("{} bytes instead of 16", bytes.len()),
    })
}
