//! The indexing pipeline: the one place where source events become index documents.
//!
//! Every source, the JSONL replay and the live networks alike, hands its [`SourceEvent`]s to a
//! [`Pipeline`], which classifies posts, writes them, counts what it skipped, and commits with
//! every stream's checkpoint in the same tantivy commit as the data it covers. A crash at any
//! moment therefore loses nothing a source can replay, and the (source, id) dedupe of the index
//! makes a replayed post count once.

use anyhow::{Context, Result};
use outcry_analyze::classify::Classifier;
use outcry_index::{PostIndex, PostWriter};
use outcry_ingest::SourceEvent;
use outcry_model::{Classification, Post, VolumeCount};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// When to commit and how to treat bad input.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// Commit at least this often while events flow.
    pub commit_interval: Duration,
    /// Commit after this many new documents.
    pub commit_docs: usize,
    /// Stop at the first rejected input.
    pub strict: bool,
    /// Count indexed posts as the volume of their minute (replay), instead of relying on the
    /// sources' own `Volume` events (live sources, which also see what they do not keep).
    pub volume_from_posts: bool,
    /// Memory for the index writer, in bytes.
    pub writer_memory: usize,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            commit_interval: Duration::from_secs(5),
            commit_docs: 100_000,
            strict: false,
            volume_from_posts: true,
            writer_memory: 200 << 20,
        }
    }
}

/// What a pipeline did, for the summary people read.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PipelineSummary {
    /// Records received (posts plus rejected lines).
    pub read: u64,
    /// Posts added to the index.
    pub indexed: u64,
    /// Posts already in the index (same source and id).
    pub duplicates: u64,
    /// Indexed posts classified as complaints.
    pub complaints: u64,
    /// Rejected input by reason.
    pub rejected: BTreeMap<String, u64>,
    /// Official incidents stored.
    pub official: u64,
    /// Commits made.
    pub commits: u64,
}

impl PipelineSummary {
    /// All rejected input.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }
}

/// How many rejections are printed one by one before only counting.
const REJECTIONS_SHOWN: u64 = 20;

/// Classifies and indexes source events, committing with checkpoints.
pub struct Pipeline {
    writer: PostWriter,
    classifier: Arc<Classifier>,
    options: PipelineOptions,
    summary: PipelineSummary,
    last_commit: Instant,
    volume: BTreeMap<(String, i64), u64>,
    checkpoint_moved: bool,
}

impl Pipeline {
    /// A pipeline writing into `index`.
    pub fn new(
        index: &PostIndex,
        classifier: Arc<Classifier>,
        options: PipelineOptions,
    ) -> Result<Self> {
        let writer = index
            .writer(options.writer_memory)
            .context("cannot open the index for writing")?;
        Ok(Pipeline {
            writer,
            classifier,
            options,
            summary: PipelineSummary::default(),
            last_commit: Instant::now(),
            volume: BTreeMap::new(),
            checkpoint_moved: false,
        })
    }

    /// Handles one event. Errors are index failures, or the first rejection in strict mode.
    pub fn handle(&mut self, event: SourceEvent) -> Result<()> {
        match event {
            SourceEvent::Post(post) => self.add_post(&post),
            SourceEvent::Volume(v) => {
                *self.volume.entry((v.source, v.minute)).or_default() += v.seen;
                Ok(())
            }
            SourceEvent::Official(incident) => {
                self.writer.add_official(&incident)?;
                self.summary.official += 1;
                Ok(())
            }
            SourceEvent::Rejected {
                stream,
                location,
                rejection,
            } => {
                self.summary.read += 1;
                if self.options.strict {
                    anyhow::bail!(
                        "{location}: {rejection} (stopped by --strict; without it bad lines are counted and skipped)"
                    );
                }
                let count = self
                    .summary
                    .rejected
                    .entry(rejection.reason.as_str().to_string())
                    .or_default();
                *count += 1;
                if self.summary.rejected_total() <= REJECTIONS_SHOWN {
                    eprintln!("warning: {location}: {rejection}");
                    if self.summary.rejected_total() == REJECTIONS_SHOWN {
                        eprintln!(
                            "warning: further rejected lines of {stream} and other streams are counted, not shown"
                        );
                    }
                }
                Ok(())
            }
            SourceEvent::Checkpoint { stream, cursor } => {
                self.writer.set_checkpoint(&stream, &cursor);
                self.checkpoint_moved = true;
                Ok(())
            }
        }
    }

    fn add_post(&mut self, post: &Post) -> Result<()> {
        let classification = self.classifier.classify(post);
        self.add_classified(post, &classification)
    }

    /// Adds a post that was classified ahead of the pipeline (by a reading thread), with the
    /// same classifier: the same as `handle(SourceEvent::Post(post))`, without classifying again.
    pub fn add_classified(&mut self, post: &Post, classification: &Classification) -> Result<()> {
        self.summary.read += 1;
        if self.writer.add_post(post, classification)? {
            self.summary.indexed += 1;
            if classification.complaint {
                self.summary.complaints += 1;
            }
            if self.options.volume_from_posts {
                let minute = post.created_at.timestamp().div_euclid(60);
                *self
                    .volume
                    .entry((post.source.clone(), minute))
                    .or_default() += 1;
            }
        } else {
            self.summary.duplicates += 1;
        }
        Ok(())
    }

    /// True when enough time or documents have passed since the last commit.
    pub fn commit_due(&self) -> bool {
        self.writer.pending() >= self.options.commit_docs
            || (self.has_uncommitted()
                && self.last_commit.elapsed() >= self.options.commit_interval)
    }

    fn has_uncommitted(&self) -> bool {
        self.writer.pending() > 0 || !self.volume.is_empty() || self.checkpoint_moved
    }

    /// Writes the pending volume counts and commits everything with the checkpoints.
    pub fn commit(&mut self) -> Result<()> {
        for ((source, minute), seen) in std::mem::take(&mut self.volume) {
            self.writer.add_volume(&VolumeCount {
                source,
                minute,
                seen,
            })?;
        }
        self.writer.commit().context("index commit failed")?;
        self.summary.commits += 1;
        self.last_commit = Instant::now();
        self.checkpoint_moved = false;
        Ok(())
    }

    /// Commits, then returns what was done.
    pub fn finish(mut self) -> Result<PipelineSummary> {
        self.commit()?;
        Ok(self.summary)
    }

    /// What was done so far.
    pub fn summary(&self) -> &PipelineSummary {
        &self.summary
    }

    /// Receives events until every sender is gone, committing on `commit_interval` even when the
    /// sources are quiet, then commits a last time. Index work runs in `block_in_place`, so call
    /// this on a multi-threaded tokio runtime.
    pub async fn drive(
        mut self,
        mut events: tokio::sync::mpsc::Receiver<SourceEvent>,
    ) -> Result<PipelineSummary> {
        let mut tick = tokio::time::interval(self.options.commit_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => {
                        tokio::task::block_in_place(|| -> Result<()> {
                            self.handle(event)?;
                            if self.writer.pending() >= self.options.commit_docs {
                                self.commit()?;
                            }
                            Ok(())
                        })?;
                    }
                    None => break,
                },
                _ = tick.tick() => {
                    if self.has_uncommitted() {
                        tokio::task::block_in_place(|| self.commit())?;
                    }
                }
            }
        }
        tokio::task::block_in_place(|| self.finish())
    }
}
