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
    /// Posts that are not complaints, counted per minute instead of kept in `rows` (the index
    /// reads them this way: most posts are not complaints, and detection needs only how many
    /// there were). `rows` may hold non-complaint rows as well; readers count both.
    pub mentions: MentionCounts,
}

impl ObservationTable {
    /// The index of `platform` in the platform table, if present.
    pub fn platform_index(&self, platform: &str) -> Option<u16> {
        self.platforms
            .iter()
            .position(|p| p == platform)
            .map(|i| i as u16)
    }

    /// Every non-complaint post of the table counted per minute: [`ObservationTable::mentions`]
    /// together with the non-complaint rows of [`ObservationTable::rows`].
    pub fn all_mentions(&self) -> std::borrow::Cow<'_, MentionCounts> {
        if self.rows.iter().all(|row| row.complaint) {
            return std::borrow::Cow::Borrowed(&self.mentions);
        }
        let mut tally = MentionTally::default();
        tally.add_counts(&self.mentions, |p| p, |r| r);
        for row in self.rows.iter().filter(|row| !row.complaint) {
            tally.add_post(
                row.at.div_euclid(60),
                &row.platforms,
                &row.regions,
                row.recovery,
            );
        }
        std::borrow::Cow::Owned(tally.finish())
    }
}

/// Posts that are not complaints, counted per minute: what detection needs of them (how many
/// mention each platform, and each platform in each region) without a row per post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MentionCounts {
    /// (unix minute, posts) for each minute with counted posts, sorted by minute. A post that
    /// names several platforms counts once here.
    pub posts_per_minute: Vec<(i64, u32)>,
    /// Counts per platform and minute, sorted by (minute, platform).
    pub platforms: Vec<PlatformMinute>,
    /// Counts per (platform, region) and minute, sorted by (minute, platform, region).
    pub regions: Vec<RegionMinute>,
}

impl MentionCounts {
    /// Posts counted in the unix minutes `[first, last]`.
    pub fn posts_between(&self, first: i64, last: i64) -> u64 {
        let lo = self.posts_per_minute.partition_point(|(m, _)| *m < first);
        let hi = self.posts_per_minute.partition_point(|(m, _)| *m <= last);
        self.posts_per_minute[lo..hi.max(lo)]
            .iter()
            .map(|(_, n)| *n as u64)
            .sum()
    }
}

impl MentionCounts {
    /// Sums counts that use the same platform and region tables, each already sorted (as
    /// [`MentionTally::finish`] makes them), in one linear pass per part.
    pub fn combine(parts: Vec<MentionCounts>) -> MentionCounts {
        parts
            .into_iter()
            .reduce(|a, b| MentionCounts {
                posts_per_minute: merge_sorted(
                    a.posts_per_minute,
                    b.posts_per_minute,
                    |c| c.0,
                    |kept, c| kept.1 += c.1,
                ),
                platforms: merge_sorted(
                    a.platforms,
                    b.platforms,
                    |c| (c.minute, c.platform),
                    |kept, c| {
                        kept.posts += c.posts;
                        kept.located += c.located;
                        kept.recoveries += c.recoveries;
                    },
                ),
                regions: merge_sorted(
                    a.regions,
                    b.regions,
                    |c| (c.minute, c.platform, c.region),
                    |kept, c| kept.posts += c.posts,
                ),
            })
            .unwrap_or_default()
    }
}

/// Merges two lists sorted by `key` with distinct keys, adding up entries with equal keys.
fn merge_sorted<T: Copy, K: Ord>(
    a: Vec<T>,
    b: Vec<T>,
    key: impl Fn(&T) -> K,
    add: impl Fn(&mut T, &T),
) -> Vec<T> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    let (mut x, y) = (*x, *y);
                    add(&mut x, &y);
                    a.next();
                    b.next();
                    Some(x)
                }
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => return merged,
        };
        merged.extend(next);
    }
}

/// Non-complaint posts about one platform in one minute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlatformMinute {
    /// Unix minute (seconds / 60).
    pub minute: i64,
    /// Index into [`ObservationTable::platforms`].
    pub platform: u16,
    /// Posts mentioning the platform.
    pub posts: u32,
    /// Those of them with at least one region.
    pub located: u32,
    /// Those of them saying the service works again.
    pub recoveries: u32,
}

/// Non-complaint posts about one platform from one region in one minute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegionMinute {
    /// Unix minute (seconds / 60).
    pub minute: i64,
    /// Index into [`ObservationTable::platforms`].
    pub platform: u16,
    /// Index into [`ObservationTable::regions`].
    pub region: u16,
    /// Posts mentioning the platform and placed in the region.
    pub posts: u32,
}

/// Builds [`MentionCounts`] one post (or one partial count) at a time, in any order.
///
/// Posts arrive mostly in time order (an index segment holds runs in arrival order), so the
/// tally counts one minute at a time in small tables that stay in cache, and sorts the
/// finished minutes once at the end: hashing every post into tables spanning weeks was the
/// largest cost of reading a week of posts.
#[derive(Debug, Default)]
pub struct MentionTally {
    /// The minute being counted.
    minute: Option<i64>,
    posts_now: u32,
    platforms_now: FxHashMap<u16, (u32, u32, u32)>,
    regions_now: FxHashMap<(u16, u16), u32>,
    /// Finished minutes, unsorted, possibly with the same key more than once.
    done: MentionCounts,
}

type FxHashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

impl MentionTally {
    /// Counts one non-complaint post written in unix minute `minute`.
    pub fn add_post(&mut self, minute: i64, platforms: &[u16], regions: &[u16], recovery: bool) {
        if self.minute != Some(minute) {
            self.flush();
            self.minute = Some(minute);
        }
        self.posts_now += 1;
        for &p in platforms {
            let counts = self.platforms_now.entry(p).or_default();
            counts.0 += 1;
            counts.1 += u32::from(!regions.is_empty());
            counts.2 += u32::from(recovery);
            for &r in regions {
                *self.regions_now.entry((p, r)).or_default() += 1;
            }
        }
    }

    /// Moves the minute being counted to the finished ones.
    fn flush(&mut self) {
        let Some(minute) = self.minute.take() else {
            return;
        };
        self.done.posts_per_minute.push((minute, self.posts_now));
        self.posts_now = 0;
        // Each minute is written sorted, so that the whole is made of long sorted runs that
        // the final sort only has to merge.
        let first = self.done.platforms.len();
        self.done.platforms.extend(self.platforms_now.drain().map(
            |(platform, (posts, located, recoveries))| PlatformMinute {
                minute,
                platform,
                posts,
                located,
                recoveries,
            },
        ));
        self.done.platforms[first..].sort_unstable_by_key(|c| c.platform);
        let first = self.done.regions.len();
        self.done
            .regions
            .extend(
                self.regions_now
                    .drain()
                    .map(|((platform, region), posts)| RegionMinute {
                        minute,
                        platform,
                        region,
                        posts,
                    }),
            );
        self.done.regions[first..].sort_unstable_by_key(|c| (c.platform, c.region));
    }

    /// Adds counts made elsewhere, with their platform and region indices translated by
    /// `platform_of` and `region_of` (the identity when both use the same tables).
    pub fn add_counts(
        &mut self,
        counts: &MentionCounts,
        platform_of: impl Fn(u16) -> u16,
        region_of: impl Fn(u16) -> u16,
    ) {
        let done = &mut self.done;
        done.posts_per_minute
            .extend_from_slice(&counts.posts_per_minute);
        done.platforms
            .extend(counts.platforms.iter().map(|c| PlatformMinute {
                platform: platform_of(c.platform),
                ..*c
            }));
        done.regions
            .extend(counts.regions.iter().map(|c| RegionMinute {
                platform: platform_of(c.platform),
                region: region_of(c.region),
                ..*c
            }));
    }

    /// The counts, sorted, one entry per key.
    pub fn finish(mut self) -> MentionCounts {
        self.flush();
        let mut counts = self.done;
        counts.posts_per_minute.sort_by_key(|(m, _)| *m);
        counts.posts_per_minute.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        counts.platforms.sort_by_key(|c| (c.minute, c.platform));
        counts.platforms.dedup_by(|later, kept| {
            let same = (later.minute, later.platform) == (kept.minute, kept.platform);
            if same {
                kept.posts += later.posts;
                kept.located += later.located;
                kept.recoveries += later.recoveries;
            }
            same
        });
        counts
            .regions
            .sort_by_key(|c| (c.minute, c.platform, c.region));
        counts.regions.dedup_by(|later, kept| {
            let same = (later.minute, later.platform, later.region)
                == (kept.minute, kept.platform, kept.region);
            if same {
                kept.posts += later.posts;
            }
            same
        });
        counts
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

    fn row(at: i64, platforms: &[u16], regions: &[u16], complaint: bool) -> Observation {
        Observation {
            at,
            author: None,
            platforms: platforms.iter().copied().collect(),
            regions: regions.iter().copied().collect(),
            lang: 0,
            symptoms: 0,
            complaint,
            recovery: at % 2 == 1,
            report: false,
        }
    }

    #[test]
    fn mentions_count_the_same_whether_kept_as_rows_or_counted() {
        let rows = vec![
            row(0, &[0], &[], false),
            row(30, &[0, 1], &[2, 3], false),
            row(59, &[1], &[3], true),
            row(61, &[1], &[3], false),
            row(3600, &[0], &[2], false),
        ];
        let as_rows = ObservationTable {
            rows: rows.clone(),
            ..ObservationTable::default()
        };
        let mut tally = MentionTally::default();
        for r in rows.iter().filter(|r| !r.complaint) {
            tally.add_post(r.at / 60, &r.platforms, &r.regions, r.recovery);
        }
        let as_counts = ObservationTable {
            rows: rows.into_iter().filter(|r| r.complaint).collect(),
            mentions: tally.finish(),
            ..ObservationTable::default()
        };
        assert_eq!(as_rows.all_mentions(), as_counts.all_mentions());
        let counts = as_counts.all_mentions();
        assert_eq!(counts.posts_per_minute, vec![(0, 2), (1, 1), (60, 1)]);
        assert_eq!(counts.posts_between(0, 1), 3);
        assert_eq!(counts.posts_between(2, 59), 0);
        let platform_one_minute_zero = counts
            .platforms
            .iter()
            .find(|c| c.minute == 0 && c.platform == 1)
            .unwrap();
        assert_eq!(
            (
                platform_one_minute_zero.posts,
                platform_one_minute_zero.located
            ),
            (1, 1)
        );
        assert_eq!(
            counts.regions.iter().map(|c| c.posts).sum::<u32>(),
            2 + 2 + 1 + 1
        );
        assert!(
            counts
                .platforms
                .is_sorted_by_key(|c| (c.minute, c.platform))
        );
    }

    proptest::proptest! {
        /// However posts are split among tallies and in whatever order they come, the combined
        /// counts are those of counting every post in a map.
        #[test]
        fn tallies_in_any_order_and_split_count_like_a_map(
            posts in proptest::collection::vec(
                (0i64..40, proptest::collection::vec(0u16..4, 0..3),
                 proptest::collection::vec(0u16..3, 0..3), proptest::bool::ANY, 0usize..3),
                0..200,
            )
        ) {
            use std::collections::BTreeMap;
            let mut tallies: Vec<MentionTally> = (0..3).map(|_| MentionTally::default()).collect();
            let mut per_minute: BTreeMap<i64, u32> = BTreeMap::new();
            let mut per_platform: BTreeMap<(i64, u16), (u32, u32, u32)> = BTreeMap::new();
            let mut per_region: BTreeMap<(i64, u16, u16), u32> = BTreeMap::new();
            for (minute, platforms, regions, recovery, part) in &posts {
                tallies[*part].add_post(*minute, platforms, regions, *recovery);
                *per_minute.entry(*minute).or_default() += 1;
                for &p in platforms {
                    let c = per_platform.entry((*minute, p)).or_default();
                    c.0 += 1;
                    c.1 += u32::from(!regions.is_empty());
                    c.2 += u32::from(*recovery);
                    for &r in regions {
                        *per_region.entry((*minute, p, r)).or_default() += 1;
                    }
                }
            }
            let combined =
                MentionCounts::combine(tallies.into_iter().map(MentionTally::finish).collect());
            proptest::prop_assert_eq!(
                combined.posts_per_minute,
                per_minute.into_iter().collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                combined
                    .platforms
                    .iter()
                    .map(|c| ((c.minute, c.platform), (c.posts, c.located, c.recoveries)))
                    .collect::<Vec<_>>(),
                per_platform.into_iter().collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                combined
                    .regions
                    .iter()
                    .map(|c| ((c.minute, c.platform, c.region), c.posts))
                    .collect::<Vec<_>>(),
                per_region.into_iter().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_row_stays_small() {
        assert!(std::mem::size_of::<Ids>() <= 24);
    }
}
