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
    pub platforms: Ids,
    /// Indices into [`ObservationTable::regions`].
    pub regions: Ids,
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

/// A short list of table indices, kept inside the row when it has up to [`Ids::INLINE`] of them
/// (nearly every post names one or two platforms and regions), so that reading millions of rows
/// does not allocate millions of small vectors. Reads as a slice.
#[derive(Clone, PartialEq, Eq)]
pub struct Ids(IdsRepr);

#[derive(Clone, PartialEq, Eq)]
enum IdsRepr {
    Inline { len: u8, ids: [u16; Ids::INLINE] },
    Heap(Vec<u16>),
}

impl Ids {
    /// How many indices fit in the row itself.
    pub const INLINE: usize = 4;

    /// An empty list.
    pub const fn new() -> Ids {
        Ids(IdsRepr::Inline {
            len: 0,
            ids: [0; Ids::INLINE],
        })
    }

    /// Appends an index.
    pub fn push(&mut self, id: u16) {
        match &mut self.0 {
            IdsRepr::Inline { len, ids } if (*len as usize) < Ids::INLINE => {
                ids[*len as usize] = id;
                *len += 1;
            }
            IdsRepr::Inline { len, ids } => {
                let mut heap = ids[..*len as usize].to_vec();
                heap.push(id);
                self.0 = IdsRepr::Heap(heap);
            }
            IdsRepr::Heap(heap) => heap.push(id),
        }
    }
}

impl Default for Ids {
    fn default() -> Ids {
        Ids::new()
    }
}

impl std::ops::Deref for Ids {
    type Target = [u16];

    fn deref(&self) -> &[u16] {
        match &self.0 {
            IdsRepr::Inline { len, ids } => &ids[..*len as usize],
            IdsRepr::Heap(heap) => heap,
        }
    }
}

impl std::ops::DerefMut for Ids {
    fn deref_mut(&mut self) -> &mut [u16] {
        match &mut self.0 {
            IdsRepr::Inline { len, ids } => &mut ids[..*len as usize],
            IdsRepr::Heap(heap) => heap,
        }
    }
}

impl std::fmt::Debug for Ids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<u16>> for Ids {
    fn from(ids: Vec<u16>) -> Ids {
        ids.into_iter().collect()
    }
}

impl<const N: usize> From<[u16; N]> for Ids {
    fn from(ids: [u16; N]) -> Ids {
        ids.into_iter().collect()
    }
}

impl FromIterator<u16> for Ids {
    fn from_iter<I: IntoIterator<Item = u16>>(iter: I) -> Ids {
        let mut out = Ids::new();
        for id in iter {
            out.push(id);
        }
        out
    }
}

impl<'a> IntoIterator for &'a Ids {
    type Item = &'a u16;
    type IntoIter = std::slice::Iter<'a, u16>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Ids {
    type Item = &'a mut u16;
    type IntoIter = std::slice::IterMut<'a, u16>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl PartialEq<Vec<u16>> for Ids {
    fn eq(&self, other: &Vec<u16>) -> bool {
        **self == **other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_like_the_vector_they_were_built_from() {
        for n in 0..10u16 {
            let v: Vec<u16> = (0..n).map(|i| i * 7 + 1).collect();
            let ids = Ids::from(v.clone());
            assert_eq!(&*ids, v.as_slice());
            assert_eq!(ids, v);
            assert_eq!(format!("{ids:?}"), format!("{v:?}"));
            let mut pushed = Ids::new();
            for &i in &v {
                pushed.push(i);
            }
            assert_eq!(pushed, ids, "{n} ids");
        }
    }

    #[test]
    fn a_row_stays_small() {
        assert!(std::mem::size_of::<Ids>() <= 24);
    }
}
