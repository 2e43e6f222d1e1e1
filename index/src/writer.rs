//! The batched writer: posts, volume counts and official incidents go in, and each commit stores
//! every stream's checkpoint in the same atomic step as the data it covers.
//!
//! This module owns deduplication by (source, id) and the commit payload's writing. It must not
//! decide when to commit: the caller does (every few seconds or N documents).

use crate::error::{Error, Result};
use crate::schema::{self, DOC_OFFICIAL, DOC_POST, DOC_VOLUME, Fields};
use crate::store::CommitPayload;
use outcry_model::{Checkpoints, Classification, OfficialIncident, Post, VolumeCount};
use std::collections::HashSet;
use std::sync::Arc;
use tantivy::index::InvertedIndexReader;
use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};

/// Writes documents in batches; nothing is visible or durable before [`PostWriter::commit`].
/// Dropping the writer without committing discards the batch (and keeps the old checkpoints,
/// so the sources replay it).
pub struct PostWriter {
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    fields: Fields,
    checkpoints: Checkpoints,
    /// Post keys added since the last commit: the only ids held in memory.
    batch_keys: HashSet<String>,
    /// The `key` postings of every committed segment, to look committed ids up.
    committed_keys: Vec<Arc<InvertedIndexReader>>,
    pending: usize,
}

impl std::fmt::Debug for PostWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostWriter")
            .field("pending", &self.pending)
            .field("checkpoints", &self.checkpoints)
            .finish_non_exhaustive()
    }
}

pub(crate) fn date(t: chrono::DateTime<chrono::Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(t.timestamp())
}

impl PostWriter {
    pub(crate) fn new(
        writer: IndexWriter<TantivyDocument>,
        reader: IndexReader,
        fields: Fields,
        checkpoints: Checkpoints,
    ) -> Result<PostWriter> {
        // The reader may lag behind a commit made by a writer of another process before ours
        // took the lock: look ids up in the very latest commit.
        reader.reload()?;
        let mut writer = PostWriter {
            writer,
            reader,
            fields,
            checkpoints,
            batch_keys: HashSet::new(),
            committed_keys: Vec::new(),
            pending: 0,
        };
        writer.refresh_committed_keys()?;
        Ok(writer)
    }

    fn refresh_committed_keys(&mut self) -> Result<()> {
        let searcher = self.reader.searcher();
        self.committed_keys = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.inverted_index(self.fields.key))
            .collect::<tantivy::Result<_>>()?;
        Ok(())
    }

    fn is_committed(&self, key: &str) -> Result<bool> {
        let term = Term::from_field_text(self.fields.key, key);
        for postings in &self.committed_keys {
            let found = postings
                .get_term_info(&term)
                .map_err(|e| Error::Tantivy(tantivy::TantivyError::IoError(Arc::new(e))))?;
            if found.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Adds a classified post. Returns `false`, adding nothing, when a post with the same
    /// (source, id) is already committed or already added since the last commit.
    pub fn add_post(&mut self, post: &Post, class: &Classification) -> Result<bool> {
        let key = schema::doc_key(DOC_POST, &post.source, &post.id);
        if self.batch_keys.contains(&key) || self.is_committed(&key)? {
            return Ok(false);
        }
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.doc, DOC_POST);
        doc.add_text(f.key, &key);
        doc.add_text(f.id, &post.id);
        doc.add_text(f.source, &post.source);
        doc.add_text(f.kind, post.kind.as_str());
        let lang = if class.lang.is_empty() {
            post.lang.as_deref().unwrap_or("und")
        } else {
            class.lang.as_str()
        };
        doc.add_text(f.lang, lang);
        for platform in &class.platforms {
            doc.add_text(f.platforms, platform);
        }
        for provider in &class.providers {
            doc.add_text(f.providers, provider);
        }
        for symptom in &class.symptoms {
            doc.add_text(f.symptoms, symptom.as_str());
        }
        for region in &class.regions {
            doc.add_text(f.regions, region);
        }
        doc.add_bool(f.complaint, class.complaint);
        doc.add_bool(f.recovery, class.recovery);
        doc.add_u64(f.author, post.author.map_or(0, |a| a.0));
        doc.add_date(f.created_at, date(post.created_at));
        doc.add_text(f.text, &post.text);
        if let Some(stemmed) = f.stemmed_for(lang) {
            doc.add_text(stemmed, &post.text);
        }
        self.writer.add_document(doc)?;
        self.batch_keys.insert(key);
        self.pending += 1;
        Ok(true)
    }

    /// Adds how many posts a source saw in one minute. Counts for the same (source, minute) add
    /// up: a source that flushes a minute in two parts sends two counts.
    pub fn add_volume(&mut self, volume: &VolumeCount) -> Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.doc, DOC_VOLUME);
        doc.add_text(f.source, &volume.source);
        doc.add_date(
            f.created_at,
            tantivy::DateTime::from_timestamp_secs(volume.minute.saturating_mul(60)),
        );
        doc.add_u64(f.seen, volume.seen);
        self.writer.add_document(doc)?;
        self.pending += 1;
        Ok(())
    }

    /// Adds or replaces (by source and id) an official incident.
    pub fn add_official(&mut self, incident: &OfficialIncident) -> Result<()> {
        let f = &self.fields;
        let key = schema::doc_key(DOC_OFFICIAL, &incident.source, &incident.id);
        // A delete applies to every earlier document, committed or in this batch.
        self.writer.delete_term(Term::from_field_text(f.key, &key));
        let json = serde_json::to_string(incident).map_err(|e| {
            Error::Tantivy(tantivy::TantivyError::InvalidArgument(format!(
                "official incident {} cannot be serialised: {e}",
                incident.id
            )))
        })?;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.doc, DOC_OFFICIAL);
        doc.add_text(f.key, &key);
        doc.add_text(f.id, &incident.id);
        doc.add_text(f.source, &incident.source);
        doc.add_text(f.platforms, &incident.platform);
        doc.add_date(f.created_at, date(incident.started_at));
        doc.add_text(f.official, &json);
        self.writer.add_document(doc)?;
        self.pending += 1;
        Ok(())
    }

    /// Records that `stream` has reached `cursor`; stored with the next commit.
    pub fn set_checkpoint(&mut self, stream: &str, cursor: &str) {
        self.checkpoints
            .insert(stream.to_string(), cursor.to_string());
    }

    /// The checkpoints as they will be stored by the next commit.
    pub fn checkpoints(&self) -> &Checkpoints {
        &self.checkpoints
    }

    /// Documents added since the last commit.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Makes the batch durable and visible, storing ALL checkpoints in the same commit.
    pub fn commit(&mut self) -> Result<()> {
        let payload = serde_json::to_string(&CommitPayload::new(self.checkpoints.clone()))
            .map_err(|e| {
                Error::Tantivy(tantivy::TantivyError::InvalidArgument(format!(
                    "checkpoints cannot be serialised: {e}"
                )))
            })?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        self.refresh_committed_keys()?;
        self.batch_keys.clear();
        self.pending = 0;
        Ok(())
    }

    /// Waits for background merges to finish, then releases the writer lock. Dropping the
    /// writer also releases it, without waiting.
    pub fn finish(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
