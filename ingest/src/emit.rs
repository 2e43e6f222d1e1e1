//! The one way a source hands things to the pipeline: [`Emitter`] applies the `keep` rule,
//! counts every post seen per minute (the volume denominator), counts telemetry, and sends over
//! the bounded channel, waiting when it is full (backpressure) but never past the stop signal.
//! Before each checkpoint it flushes the volume counts, so a checkpoint always follows the data
//! it covers.

use crate::config::Keep;
use crate::telemetry::SourceMetrics;
use crate::{MentionFilter, Shutdown, SourceEvent};
use outcry_model::{OfficialIncident, Post, Rejection, VolumeCount};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::mpsc::{self, error::TrySendError};

/// What a source parsed out of one response or message.
#[derive(Debug)]
pub(crate) enum Item {
    /// A new post.
    Post(Post),
    /// A post that may already be indexed (replayed after a rewind): sent so that nothing is
    /// lost, but not counted in the volume again.
    Replayed(Post),
    /// An official incident.
    Official(OfficialIncident),
    /// Something that could not become a post.
    Rejected {
        /// Where (URL, event id).
        location: String,
        /// Why.
        rejection: Rejection,
    },
}

/// The source was told to stop (or the pipeline is gone) while sending.
#[derive(Debug)]
pub(crate) struct Stopped;

/// Sends one stream's events.
pub(crate) struct Emitter {
    pub(crate) stream: String,
    checkpoint_key: String,
    tx: mpsc::Sender<SourceEvent>,
    shutdown: Shutdown,
    keep: Keep,
    mentions: MentionFilter,
    pub(crate) metrics: Arc<SourceMetrics>,
    volume: BTreeMap<i64, u64>,
}

impl Emitter {
    pub(crate) fn new(
        stream: String,
        tx: mpsc::Sender<SourceEvent>,
        shutdown: Shutdown,
        keep: Keep,
        mentions: MentionFilter,
        metrics: Arc<SourceMetrics>,
    ) -> Self {
        Emitter {
            checkpoint_key: stream.clone(),
            stream,
            tx,
            shutdown,
            keep,
            mentions,
            metrics,
            volume: BTreeMap::new(),
        }
    }

    /// Checkpoints go under `key` instead of the source name (one stream per Nostr relay).
    pub(crate) fn with_checkpoint_key(mut self, key: String) -> Self {
        self.checkpoint_key = key;
        self
    }

    async fn send(&mut self, event: SourceEvent) -> Result<(), Stopped> {
        match self.tx.try_send(event) {
            Ok(()) => Ok(()),
            Err(TrySendError::Closed(_)) => Err(Stopped),
            Err(TrySendError::Full(event)) => {
                tokio::select! {
                    sent = self.tx.send(event) => sent.map_err(|_| Stopped),
                    _ = self.shutdown.triggered() => Err(Stopped),
                }
            }
        }
    }

    pub(crate) async fn emit(&mut self, item: Item) -> Result<(), Stopped> {
        match item {
            Item::Post(post) => {
                *self
                    .volume
                    .entry(post.created_at.timestamp().div_euclid(60))
                    .or_default() += 1;
                self.metrics.saw_post(post.created_at);
                self.pass_on(post).await
            }
            Item::Replayed(post) => self.pass_on(post).await,
            Item::Official(incident) => self.send(SourceEvent::Official(incident)).await,
            Item::Rejected {
                location,
                rejection,
            } => {
                self.metrics.rejected_item();
                tracing::debug!(
                    source = self.stream.as_str(),
                    location = location.as_str(),
                    reason = rejection.reason.as_str(),
                    "rejected"
                );
                let stream = self.stream.clone();
                self.send(SourceEvent::Rejected {
                    stream,
                    location,
                    rejection,
                })
                .await
            }
        }
    }

    async fn pass_on(&mut self, post: Post) -> Result<(), Stopped> {
        if self.keep == Keep::All || (self.mentions)(&post.text) {
            self.metrics.kept_post();
            self.send(SourceEvent::Post(post)).await
        } else {
            Ok(())
        }
    }

    /// Sends the volume counts gathered so far, then the checkpoint.
    pub(crate) async fn checkpoint(&mut self, cursor: String) -> Result<(), Stopped> {
        for (minute, seen) in std::mem::take(&mut self.volume) {
            let source = self.stream.clone();
            self.send(SourceEvent::Volume(VolumeCount {
                source,
                minute,
                seen,
            }))
            .await?;
        }
        let stream = self.checkpoint_key.clone();
        self.send(SourceEvent::Checkpoint { stream, cursor }).await
    }
}
