//! Compact rows of classified posts, as detection reads them from the index.

use crate::AuthorHash;

/// One classified post reduced to what detection and reports aggregate. Strings are interned in
/// the [`ObservationTable`] that holds the row, so millions of rows stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Unix time in seconds of `created_at`.
    pub at: i64,
    /// The keyed author hash; `None` when the source gave no author.
    pub author: Option<AuthorHash>,
    /// Indices into [`ObservationTable::platforms`].
    pub platforms: Vec<u16>,
    /// Indices into [`ObservationTable::regions`].
    pub regions: Vec<u16>,
    /// Index into [`ObservationTable::langs`].
    pub lang: u16,
    /// A bit set of [`crate::Symptom::bit`].
    pub symptoms: u16,
    /// The post is a complaint (crowd reports count as complaints).
    pub complaint: bool,
    /// The post says the service works again.
    pub recovery: bool,
    /// The post is a crowd report rather than a social post.
    pub report: bool,
}

/// Observations with the string tables their indices point into, sorted by time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservationTable {
    /// Platform ids.
    pub platforms: Vec<String>,
    /// Region codes.
    pub regions: Vec<String>,
    /// Language codes.
    pub langs: Vec<String>,
    /// The rows, sorted by `at`.
    pub rows: Vec<Observation>,
    /// Posts seen by the sources per minute (unix minute, count), including posts that were not
    /// kept because they mention no platform: the denominator for volume normalisation.
    pub volume_per_minute: Vec<(i64, u64)>,
}

impl ObservationTable {
    /// The index of `platform` in the platform table, if present.
    pub fn platform_index(&self, platform: &str) -> Option<u16> {
        self.platforms
            .iter()
            .position(|p| p == platform)
            .map(|i| i as u16)
    }
}
