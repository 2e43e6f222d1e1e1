//! What a source sends to the indexing pipeline.

use outcry_model::{OfficialIncident, Post, Rejection, VolumeCount};

/// One message from a source to the pipeline, sent over a bounded channel so that a slow index
/// slows the sources instead of growing memory.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceEvent {
    /// A post to classify and index.
    Post(Post),
    /// How many posts the source saw in one minute, kept or not (the volume denominator).
    Volume(VolumeCount),
    /// An incident from an official status page.
    Official(OfficialIncident),
    /// Input the source could not turn into a post: counted and reported, never silently lost.
    Rejected {
        /// The stream (checkpoint key) it came from.
        stream: String,
        /// Where: `file:line`, a URL, an event id.
        location: String,
        /// Why.
        rejection: Rejection,
    },
    /// Every event this stream sent before this one is covered by `cursor`: after a restart the
    /// stream resumes from it. The pipeline stores it in the same commit as the data it covers.
    Checkpoint {
        /// The stream's checkpoint key, stable across restarts (`jsonl:/path/file`, a source name).
        stream: String,
        /// Opaque resume position, interpreted only by the stream that wrote it.
        cursor: String,
    },
}
