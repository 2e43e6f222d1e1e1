//! Per-minute series built from an observation table: per platform and per (platform, region),
//! complaint voices (distinct complaining authors), complaint posts, other mentions and recovery
//! posts, plus the ingest volume used to normalise them.
//!
//! Owns the counting rules (who counts as a voice, how anonymous posts are weighed, which
//! region a complaint without a place counts in because of its language), which (platform,
//! region) pairs are watched and from when, and how many series each threshold must count; it
//! does not learn baselines or score anything.

use super::DetectorConfig;
use outcry_model::{MentionCounts, ObservationTable};
use std::collections::HashMap;

/// Minutes covered by the series: minute index `i` is unix minute `first_minute + i`. Starts on
/// an hour boundary so that hourly baselines line up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    pub first_minute: i64,
    pub len: usize,
}

impl Grid {
    pub fn hours(&self) -> usize {
        self.len.div_ceil(60)
    }

    /// The minute index of unix time `at` (seconds), if inside the grid.
    pub fn index_of(&self, at: i64) -> Option<usize> {
        let i = at.div_euclid(60) - self.first_minute;
        (i >= 0 && (i as usize) < self.len).then_some(i as usize)
    }

    /// Unix seconds of the start of minute index `i`.
    pub fn unix_seconds(&self, i: usize) -> i64 {
        (self.first_minute + i as i64) * 60
    }
}

/// One series that detection watches.
#[derive(Debug, Clone)]
pub(crate) struct CountSeries {
    /// Complaint voices per minute (an author counts once per dedup window; anonymous posts
    /// count a fraction, capped).
    pub voices: Vec<f32>,
    /// Mentions that are not complaints, per minute (the denominator of the complaint share).
    pub other_mentions: Vec<u16>,
    /// First minute index from which the series is watched (it has enough history, or its
    /// region is known well enough to borrow an expectation); platform series are watched
    /// from their first mention.
    pub watched_from: usize,
    /// First minute index from which the series' own history is enough for a baseline of its
    /// own; before it, a region series borrows its platform's (`NEVER` if it never is). Platform
    /// series: their first mention.
    pub own_from: usize,
}

/// The series of one platform: its own and those of its regions.
#[derive(Debug, Clone)]
pub(crate) struct PlatformSeries {
    pub total: CountSeries,
    /// Complaint posts per minute (not deduplicated), for reports and charts.
    pub complaints: Vec<u16>,
    /// Recovery posts per minute.
    pub recoveries: Vec<u16>,
    /// (region index in the table, series), for regions with enough complaints to watch.
    pub regions: Vec<(u16, CountSeries)>,
}

/// Every series of a table over its grid.
#[derive(Debug, Clone)]
pub(crate) struct SeriesSet {
    pub grid: Grid,
    /// Indexed like `ObservationTable::platforms`.
    pub platforms: Vec<PlatformSeries>,
    /// Posts seen per minute minus complaint posts: the exposure denominator. Complaints are
    /// taken out so that an outage does not raise its own expectation.
    pub volume: Vec<f32>,
    /// Number of platform series watched at each minute: the multiple-testing count, known
    /// causally (a platform counts from its first mention).
    pub watched_platforms: Vec<u32>,
    /// Number of (platform, region) series watched with a baseline of their own at each minute.
    pub watched_regions: Vec<u32>,
    /// Number of (platform, region) pairs watched with a borrowed expectation at each minute:
    /// every platform watched times every region the source knows well enough by then,
    /// whether the pair has had a complaint or not (each could alarm).
    pub watched_quiet_regions: Vec<u32>,
    /// Complaint voices per hour located in each region (indexed like the table's regions),
    /// over every platform: the source's regional mix that borrowed expectations use.
    pub region_hourly_voices: Vec<Vec<f64>>,
}

pub(crate) const NEVER: usize = usize::MAX;

/// No language hint for a row.
pub(super) const NO_HINT: u16 = u16::MAX;

/// For each row of `table`, the region a complaint without any place is counted in because of
/// its language (`NO_HINT` for the others): the country holding at least
/// `language_hint_min_share` of the source's located complaint posts in that language, counted
/// over the rows before it only (causal). Where a language is spoken in several countries
/// of the source (Spanish, English), no country holds the share and no hint is given.
pub(super) fn language_hints(table: &ObservationTable, config: &DetectorConfig) -> Vec<u16> {
    let mut hints = vec![NO_HINT; table.rows.len()];
    if config.language_hint_min_share > 1.0 {
        return hints;
    }
    let n_langs = table.langs.len();
    let n_regions = table.regions.len();
    // Only countries take hints: a language says little about a state or a province.
    let is_country: Vec<bool> = table.regions.iter().map(|r| !r.contains('-')).collect();
    let unknown: Vec<bool> = table
        .langs
        .iter()
        .map(|l| l.is_empty() || l == "und")
        .collect();
    let mut by_lang_region = vec![0u32; n_langs * n_regions];
    // Per language: located complaint posts, and the country with the most of them.
    let mut located = vec![0u32; n_langs];
    let mut leader = vec![(0u32, NO_HINT); n_langs];
    for (i, row) in table.rows.iter().enumerate() {
        let l = row.lang as usize;
        if !row.complaint || l >= n_langs || unknown[l] {
            continue;
        }
        if row.regions.is_empty() {
            let (count, region) = leader[l];
            let total = located[l] as f64;
            if region != NO_HINT
                && total >= config.language_hint_min_posts
                && count as f64 >= config.language_hint_min_share * total
            {
                hints[i] = region;
            }
            continue;
        }
        let mut counted = false;
        for &r in &row.regions {
            if (r as usize) < n_regions && is_country[r as usize] {
                let slot = &mut by_lang_region[l * n_regions + r as usize];
                *slot += 1;
                if *slot > leader[l].0 {
                    leader[l] = (*slot, r);
                }
                counted = true;
            }
        }
        located[l] += counted as u32;
    }
    hints
}

/// FxHash for the small integer keys counted here (author hashes are keyed SipHash outputs
/// already, so they need mixing, not protection): several times faster than the default
/// SipHash on millions of rows.
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

#[derive(Default)]
struct RegionEvents {
    /// (minute, event kind) of each complaint voice.
    events: Vec<(u32, u8)>,
    /// (minute, posts) of the other mentions.
    others: Vec<(u32, u32)>,
    voices: f32,
}

const EVENT_AUTHORED: u8 = 0;
const EVENT_ANONYMOUS: u8 = 1;

/// A count for the 16-bit per-minute series (saturating: no minute holds 65,535 mentions of
/// one platform in practice, and a saturated minute still reads as a huge one).
fn clamp_u16(n: u32) -> u16 {
    n.min(u16::MAX as u32) as u16
}

/// The per-minute counts of one platform before they become series.
struct PlatformMinutes {
    authored: Vec<f32>,
    anonymous: Vec<u16>,
    other: Vec<u16>,
    complaints: Vec<u16>,
    recoveries: Vec<u16>,
    first_seen: usize,
}

impl PlatformMinutes {
    /// No counts over `len` minutes, never seen.
    fn zeroed(len: usize) -> PlatformMinutes {
        PlatformMinutes {
            authored: vec![0.0; len],
            anonymous: vec![0; len],
            other: vec![0; len],
            complaints: vec![0; len],
            recoveries: vec![0; len],
            first_seen: NEVER,
        }
    }
}

/// The counts of the platforms of one group (`platform % groups == group`): platforms are
/// independent (an author counts once per platform), so groups are counted on separate cores.
struct GroupCounts {
    /// Indexed like the table's platforms; `Some` for the group's own.
    platforms: Vec<Option<PlatformMinutes>>,
    /// Events of the (platform, region) pairs of the group's platforms.
    region_events: Vec<((u16, u16), RegionEvents)>,
}

fn count_group(
    table: &ObservationTable,
    hints: &[u16],
    mentions: &MentionCounts,
    grid: Grid,
    config: &DetectorConfig,
    (group, groups): (usize, usize),
) -> GroupCounts {
    let n_platforms = table.platforms.len();
    let len = grid.len;
    let mine = |p: usize| p < n_platforms && p % groups == group;
    let mut platforms: Vec<Option<PlatformMinutes>> = (0..n_platforms)
        .map(|p| mine(p).then(|| PlatformMinutes::zeroed(len)))
        .collect();
    // Sized for every complaint at once: growing it rehashed a million keys several times.
    let mut last_voice: FastMap<(u16, u64), usize> =
        FastMap::with_capacity_and_hasher(table.rows.len() / groups, Default::default());
    // (platform, region) → index into `region_events`, dense: both tables are small.
    let n_regions = table.regions.len();
    let mut region_slot: Vec<u32> = vec![u32::MAX; n_platforms * n_regions];
    let mut region_events: Vec<((u16, u16), RegionEvents)> = Vec::new();
    let dedup = config.voice_dedup_minutes.max(1) as usize;
    let minute_index = |minute: i64| {
        let i = minute - grid.first_minute;
        (i >= 0 && (i as usize) < len).then_some(i as usize)
    };

    // Mentions that are not complaints come counted per minute (the index counts them while
    // reading; rows of a table built in memory are counted the same way).
    for count in &mentions.platforms {
        let p = count.platform as usize;
        let (Some(m), Some(Some(counts))) = (minute_index(count.minute), platforms.get_mut(p))
        else {
            continue;
        };
        counts.first_seen = counts.first_seen.min(m);
        counts.other[m] = counts.other[m].saturating_add(clamp_u16(count.posts));
        counts.recoveries[m] = counts.recoveries[m].saturating_add(clamp_u16(count.recoveries));
    }
    for count in &mentions.regions {
        let Some(m) = minute_index(count.minute).filter(|_| mine(count.platform as usize)) else {
            continue;
        };
        if let Some(k) = slot_of(
            &mut region_slot,
            &mut region_events,
            n_regions,
            count.platform,
            count.region,
        ) {
            region_events[k].1.others.push((m as u32, count.posts));
        }
    }

    for (row, &hint) in table.rows.iter().zip(hints) {
        if !row.complaint {
            continue;
        }
        let Some(m) = grid.index_of(row.at) else {
            continue;
        };
        let hinted = [hint];
        let regions: &[u16] = if row.regions.is_empty() && hint != NO_HINT {
            &hinted
        } else {
            &row.regions
        };
        for &p in &row.platforms {
            let Some(Some(counts)) = platforms.get_mut(p as usize) else {
                continue;
            };
            counts.first_seen = counts.first_seen.min(m);
            counts.complaints[m] = counts.complaints[m].saturating_add(1);
            if row.recovery {
                counts.recoveries[m] = counts.recoveries[m].saturating_add(1);
            }
            let kind = match row.author {
                Some(author) => {
                    let fresh = match last_voice.get(&(p, author.0)) {
                        Some(&last) => m >= last + dedup,
                        None => true,
                    };
                    if !fresh {
                        continue;
                    }
                    last_voice.insert((p, author.0), m);
                    counts.authored[m] += 1.0;
                    EVENT_AUTHORED
                }
                None => {
                    counts.anonymous[m] = counts.anonymous[m].saturating_add(1);
                    EVENT_ANONYMOUS
                }
            };
            for &r in regions {
                let Some(k) = slot_of(&mut region_slot, &mut region_events, n_regions, p, r) else {
                    continue;
                };
                let entry = &mut region_events[k].1;
                entry.events.push((m as u32, kind));
                entry.voices += if kind == EVENT_AUTHORED {
                    1.0
                } else {
                    config.anonymous_weight
                };
            }
        }
    }
    GroupCounts {
        platforms,
        region_events,
    }
}

impl SeriesSet {
    /// Counts `table` over `grid`; rows outside the grid are ignored.
    pub fn build(table: &ObservationTable, grid: Grid, config: &DetectorConfig) -> SeriesSet {
        let n_platforms = table.platforms.len();
        let len = grid.len;
        let mentions = table.all_mentions();
        let groups = outcry_model::cores::threads_for(n_platforms);
        let hints = language_hints(table, config);
        let counted = outcry_model::cores::map_in_order(groups, |group| {
            count_group(table, &hints, &mentions, grid, config, (group, groups))
        });
        let mut per_platform: Vec<Option<PlatformMinutes>> =
            (0..n_platforms).map(|_| None).collect();
        let mut region_events = Vec::new();
        for group in counted {
            for (p, counts) in group.platforms.into_iter().enumerate() {
                if counts.is_some() {
                    per_platform[p] = counts;
                }
            }
            region_events.extend(group.region_events);
        }

        let mut rows_per_minute = vec![0u32; len];
        let mut complaint_rows = vec![0u32; len];
        for &(minute, posts) in &mentions.posts_per_minute {
            let i = minute - grid.first_minute;
            if i >= 0 && (i as usize) < len {
                rows_per_minute[i as usize] += posts;
            }
        }
        for row in table.rows.iter().filter(|row| row.complaint) {
            if let Some(m) = grid.index_of(row.at) {
                rows_per_minute[m] += 1;
                complaint_rows[m] += 1;
            }
        }

        let mut reported = vec![0f64; len];
        for &(minute, count) in &table.volume_per_minute {
            let i = minute - grid.first_minute;
            if i >= 0 && (i as usize) < len {
                reported[i as usize] += count as f64;
            }
        }
        let volume: Vec<f32> = (0..len)
            .map(|m| {
                let seen = reported[m].max(rows_per_minute[m] as f64);
                (seen - complaint_rows[m] as f64).max(0.0) as f32
            })
            .collect();

        let mut platforms: Vec<PlatformSeries> = per_platform
            .into_iter()
            .map(|counts| {
                let counts = counts.unwrap_or_else(|| PlatformMinutes::zeroed(len));
                PlatformSeries {
                    total: CountSeries {
                        voices: combine_voices(&counts.authored, &counts.anonymous, config),
                        other_mentions: counts.other,
                        watched_from: counts.first_seen,
                        own_from: counts.first_seen,
                    },
                    complaints: counts.complaints,
                    recoveries: counts.recoveries,
                    regions: Vec::new(),
                }
            })
            .collect();

        let quiet = QuietRegions::count(&region_events, table.regions.len(), grid, config);
        // A pair with fewer voices than an alarm needs, over the whole table, can never alarm:
        // it is counted as watched (below) but not built.
        let keep = if config.quiet_region_min_source_voices.is_finite() {
            config.region_series_min_voices.min(config.min_voices)
        } else {
            config.region_series_min_voices
        };
        region_events.retain(|(_, e)| e.voices as f64 >= keep);
        region_events.sort_unstable_by_key(|(k, _)| *k);
        // Each pair's series is independent of the others: built on every core.
        let built = outcry_model::cores::map_in_order(region_events.len(), |i| {
            let ((p, r), events) = &region_events[i];
            let eligible_from = quiet.eligible_from[*r as usize];
            region_series(events, len, eligible_from, config).map(|series| (*p, *r, series))
        });
        for (p, r, series) in built.into_iter().flatten() {
            platforms[p as usize].regions.push((r, series));
        }

        let mut platform_starts = vec![0u32; len + 1];
        let mut region_starts = vec![0u32; len + 1];
        for ps in &platforms {
            if ps.total.watched_from < len {
                platform_starts[ps.total.watched_from] += 1;
            }
            for (_, rs) in &ps.regions {
                if rs.own_from < len {
                    region_starts[rs.own_from] += 1;
                }
            }
        }
        let running_count = |starts: &[u32]| -> Vec<u32> {
            let mut running = 0u32;
            starts
                .iter()
                .take(len)
                .map(|s| {
                    running += s;
                    running.max(1)
                })
                .collect()
        };
        let watched_platforms = running_count(&platform_starts);
        let watched_regions = running_count(&region_starts);
        // Every platform watched by then times every region known well enough by then, less
        // the pairs of those that have a baseline of their own by then (they are counted
        // above): every pair that could alarm on a borrowed expectation, whether it has had a
        // complaint or not.
        let mut eligible_starts = vec![0u32; len + 1];
        for &from in &quiet.eligible_from {
            if from < len {
                eligible_starts[from] += 1;
            }
        }
        let mut graduated_starts = vec![0u32; len + 1];
        for ps in &platforms {
            for (r, rs) in &ps.regions {
                let from = rs.own_from.max(quiet.eligible_from[*r as usize]);
                if from < len {
                    graduated_starts[from] += 1;
                }
            }
        }
        let mut eligible = 0u32;
        let mut graduated = 0u32;
        let watched_quiet_regions = (0..len)
            .map(|m| {
                eligible += eligible_starts[m];
                graduated += graduated_starts[m];
                (watched_platforms[m] * eligible)
                    .saturating_sub(graduated)
                    .max(1)
            })
            .collect();

        SeriesSet {
            grid,
            platforms,
            volume,
            watched_platforms,
            watched_regions,
            watched_quiet_regions,
            region_hourly_voices: quiet.hourly_voices,
        }
    }
}

/// The series of one (platform, region) pair from its events, or `None` when it never
/// gathers enough voices to be watched.
fn region_series(
    events: &RegionEvents,
    len: usize,
    eligible_from: usize,
    config: &DetectorConfig,
) -> Option<CountSeries> {
    let mut authored = vec![0f32; len];
    let mut anonymous = vec![0u16; len];
    let mut other = vec![0u16; len];
    for &(m, kind) in &events.events {
        let m = m as usize;
        if kind == EVENT_AUTHORED {
            authored[m] += 1.0;
        } else {
            anonymous[m] = anonymous[m].saturating_add(1);
        }
    }
    for &(m, posts) in &events.others {
        let m = m as usize;
        other[m] = other[m].saturating_add(clamp_u16(posts));
    }
    let voices = combine_voices(&authored, &anonymous, config);
    // Watched once it has accumulated enough voices: decided from the past only, so a report
    // cut off earlier watches exactly the same series up to its cut-off.
    let mut cumulative = 0f64;
    let mut own_from = NEVER;
    for (m, v) in voices.iter().enumerate() {
        if cumulative >= config.region_series_min_voices {
            own_from = m;
            break;
        }
        cumulative += *v as f64;
    }
    let watched_from = own_from.min(eligible_from);
    (watched_from != NEVER).then_some(CountSeries {
        voices,
        other_mentions: other,
        watched_from,
        own_from,
    })
}

/// What the source as a whole says about each region, for the pairs watched with a borrowed
/// expectation.
struct QuietRegions {
    /// Per region (indexed like the table's regions): the first minute index at which the
    /// source's located voices in it, over every platform, have reached
    /// `quiet_region_min_source_voices` (`NEVER` if they never do).
    eligible_from: Vec<usize>,
    /// Per region: located voices per hour over every platform (empty when quiet regions are
    /// off).
    hourly_voices: Vec<Vec<f64>>,
}

impl QuietRegions {
    fn count(
        events: &[((u16, u16), RegionEvents)],
        n_regions: usize,
        grid: Grid,
        config: &DetectorConfig,
    ) -> QuietRegions {
        let mut eligible_from = vec![NEVER; n_regions];
        if !config.quiet_region_min_source_voices.is_finite() {
            return QuietRegions {
                eligible_from,
                hourly_voices: Vec::new(),
            };
        }
        let hours = grid.hours();
        let mut hourly_voices = vec![vec![0.0; hours]; n_regions];
        // Per region, voices per minute (sparse): the first minute where the running sum
        // reaches the minimum, without sorting every event.
        let mut per_minute: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_regions];
        for ((_, r), e) in events {
            let r = *r as usize;
            for &(m, kind) in &e.events {
                let weight = if kind == EVENT_AUTHORED {
                    1.0
                } else {
                    config.anonymous_weight
                };
                hourly_voices[r][m as usize / 60] += weight as f64;
                per_minute[r].push((m, weight));
            }
        }
        for (r, minutes) in per_minute.iter_mut().enumerate() {
            minutes.sort_unstable_by_key(|(m, _)| *m);
            let mut cumulative = 0f64;
            for &(m, w) in minutes.iter() {
                // Watched from the minute after the one that reached the minimum: only the past
                // decides.
                cumulative += w as f64;
                if cumulative >= config.quiet_region_min_source_voices {
                    eligible_from[r] = m as usize + 1;
                    break;
                }
            }
        }
        QuietRegions {
            eligible_from,
            hourly_voices,
        }
    }
}

/// The index in `events` of the (platform, region) pair, created on first use; `None` for a
/// region index outside the table.
fn slot_of(
    slots: &mut [u32],
    events: &mut Vec<((u16, u16), RegionEvents)>,
    n_regions: usize,
    p: u16,
    r: u16,
) -> Option<usize> {
    if r as usize >= n_regions {
        return None;
    }
    let slot = slots.get_mut(p as usize * n_regions + r as usize)?;
    if *slot == u32::MAX {
        *slot = events.len() as u32;
        events.push(((p, r), RegionEvents::default()));
    }
    Some(*slot as usize)
}

/// Authored voices plus anonymous posts at a reduced weight, capped per minute so that a flood
/// of anonymous posts cannot outvote the authors that can be told apart.
fn combine_voices(authored: &[f32], anonymous: &[u16], config: &DetectorConfig) -> Vec<f32> {
    authored
        .iter()
        .zip(anonymous)
        .map(|(&a, &n)| {
            let anon = n as f32 * config.anonymous_weight;
            a + anon.min(a.max(config.anonymous_cap_per_minute))
        })
        .collect()
}
