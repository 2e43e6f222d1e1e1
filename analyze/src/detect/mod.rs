//! Outage detection: per-minute complaint series in, incidents out.
//!
//! Owns the whole path from an [`ObservationTable`] to [`Incident`]s: counting voices per
//! platform and per (platform, region) (`series`), learning seasonal baselines that past
//! outages do not inflate (`baseline`), scoring bursts with a negative-binomial tail over
//! windows of 1, 5, 15 and 60 minutes normalised by the ingest volume (`stats`), a causal
//! state machine per platform (`tracker`), and attributing regions, symptoms, languages,
//! related platforms and the provider (`attribution`). It must not touch the index, the clock
//! or the catalog's types: time and providers are parameters.
//!
//! The method is described in `docs/DETECTION.md`.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use outcry_analyze::detect::{detect, DetectionRequest, DetectorConfig};
//! use outcry_model::ObservationTable;
//!
//! let table = ObservationTable::default();
//! let provider_of = |_: &str| None;
//! let request = DetectionRequest {
//!     table: &table,
//!     from: Utc.with_ymd_and_hms(2021, 10, 4, 0, 0, 0).unwrap(),
//!     to: Utc.with_ymd_and_hms(2021, 10, 5, 0, 0, 0).unwrap(),
//!     provider_of: &provider_of,
//! };
//! let detection = detect(&request, &DetectorConfig::default());
//! assert!(detection.incidents.is_empty());
//! ```

mod attribution;
mod baseline;
mod series;
mod stats;
mod tracker;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use outcry_model::{ObservationTable, Symptom};
use serde::{Deserialize, Serialize};

/// The knobs of the detector. The defaults are the tuned values documented in
/// `docs/DETECTION.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorConfig {
    /// False alarms per day allowed across all watched series together; the per-window
    /// threshold is `log10(watched series × tests per day × windows / this)`.
    pub target_false_alarms_per_day: f64,
    /// Window lengths in minutes over which counts are tested.
    pub windows: Vec<usize>,
    /// Minimum complaint voices (distinct authors) in a window for it to raise an alarm.
    pub min_voices: f64,
    /// An author counts as one voice per platform per this many minutes.
    pub voice_dedup_minutes: i64,
    /// Weight of a complaint without an author (it cannot be deduplicated).
    pub anonymous_weight: f32,
    /// At most this many anonymous voices per minute count beyond the authored ones.
    pub anonymous_cap_per_minute: f32,
    /// A (platform, region) series is watched with its own baseline once it has accumulated
    /// this many voices.
    pub region_series_min_voices: f64,
    /// Below that, a (platform, region) series is watched with an expectation borrowed from
    /// the platform's baseline times the region's smoothed share, once the source as a whole
    /// has this many voices located in the region (`f64::INFINITY`: never).
    pub quiet_region_min_source_voices: f64,
    /// Pseudo-voices that shrink a platform's own share of a region towards the source's share
    /// in a borrowed expectation.
    pub quiet_region_pseudo_voices: f64,
    /// The longest window a borrowed (quiet) region series is tested on: over an hour its few
    /// voices are mostly an outage already over, and the borrowed share's error weighs most.
    pub quiet_region_max_window: usize,
    /// Share of the regional false-alarm budget given to the borrowed (quiet) region series;
    /// the rest goes to the region series with a baseline of their own.
    pub quiet_region_budget_share: f64,
    /// A complaint without a place counts in the region series of the country that holds at
    /// least this share of the source's located complaints in its language (over the past;
    /// above 1: never).
    pub language_hint_min_share: f64,
    /// ... once the source has at least this many located complaints in that language.
    pub language_hint_min_posts: f64,
    /// Minutes a platform is observed before it is watched (no baseline can exist earlier).
    pub warmup_minutes: usize,
    /// Largest negative-binomial shape once a seasonal baseline exists (over-dispersion floor).
    pub max_shape: f64,
    /// Largest shape while only the recent level is known (cold start: wider uncertainty).
    pub cold_max_shape: f64,
    /// Expected voices per minute assumed before any history exists.
    pub prior_rate: f64,
    /// Pseudo-count of that prior.
    pub prior_count: f64,
    /// During a surge of non-complaint mentions, each extra mention may bring this multiple of
    /// the usual complaints per mention without raising an alarm.
    pub share_gate: f64,
    /// ... and at least this many complaints: a surge (a viral launch, a meme, the news wave
    /// after an outage) is an outage only when complaints outnumber the other extra mentions.
    pub surge_gate: f64,
    /// Without a seasonal baseline, a series expects at least the source's usual complaint
    /// voices per other mention (over every platform, the last three days) times the other
    /// mentions of the window, scaled by `k / (k + voices it has seen in the last day)` with
    /// this `k`: a platform with little history of its own is judged by the source's mix.
    pub cold_odds_voices: f64,
    /// A window whose complaint posts exceed this multiple of its voices (times the usual
    /// posts per voice) is a flood of repeated posts: the excess posts cancel voices. At 1.5,
    /// five accounts posting twice in a flood's first minute already give themselves away;
    /// people in a real outage write 1.0-1.1 posts each.
    pub flood_posts_per_voice: f64,
    /// A series that fired is back near baseline when its 15-minute excess over expectation
    /// is at most this fraction of the largest it had during the incident (0: only the usual
    /// band counts).
    pub calm_peak_fraction: f64,
    /// A series that fired but did not open the incident is back near baseline when its
    /// 15-minute window holds fewer than `min_voices` voices.
    pub calm_below_min_voices: bool,
    /// While an incident is recovering, only an alarm on a window no longer than the quiet
    /// window (15 minutes) sends it back to open: the longer windows still hold the outage
    /// that just ended.
    pub recover_on_recent_windows: bool,
    /// After an incident ends, only windows that start after its end can raise the next alarm
    /// (or reopen it): the longer ones still hold its complaints.
    pub fresh_windows_after_end: bool,
    /// The onset's CUSUM uses the likelihood-ratio slack between the usual rate and the
    /// alarm's last 15 minutes when it is smaller than the fixed one (sparse series).
    pub onset_rate_slack: bool,
    /// Minutes the complaints must stay near baseline before an incident is resolved.
    pub quiet_hold_minutes: usize,
    /// The same when recovery posts ("back up", "works again") are frequent.
    pub recovery_hold_minutes: usize,
    /// A new alarm this soon after an incident ended reopens it instead of starting another.
    pub reopen_within_minutes: usize,
    /// For this long after an incident ends, a new one on the platform needs this much more
    /// score (log10 units): the news wave and the stragglers of an outage are not a new one.
    pub cooldown_minutes: usize,
    /// Extra score needed during the cooldown.
    pub cooldown_extra_score: f64,
    /// Incidents on different platforms whose starts are this close are related.
    pub related_within_minutes: i64,
    /// A region is named only with at least this many complaint voices in it.
    pub min_region_voices: f64,
    /// Regions are named only when at least this many of the incident's voices are located.
    pub min_located_voices: f64,
    /// A region is named only with at least this share of the located voices.
    pub min_region_share: f64,
    /// When an incident opened on a region's own series has too few located voices for the
    /// rules above, that region is named (with its share of what was located).
    pub name_trigger_region: bool,
    /// With fewer located voices than `min_located_voices`, a region whose voices stand out
    /// from the platform's usual mix beyond chance (Poisson tail under 1e-3) is still named.
    pub name_standout_regions: bool,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            target_false_alarms_per_day: 0.2,
            windows: vec![1, 3, 5, 15, 60],
            min_voices: 5.0,
            voice_dedup_minutes: 60,
            anonymous_weight: 0.5,
            anonymous_cap_per_minute: 2.0,
            region_series_min_voices: 30.0,
            quiet_region_min_source_voices: 200.0,
            quiet_region_pseudo_voices: 20.0,
            quiet_region_max_window: 15,
            quiet_region_budget_share: 0.3,
            language_hint_min_share: 0.8,
            language_hint_min_posts: 50.0,
            warmup_minutes: 60,
            max_shape: 30.0,
            cold_max_shape: 6.0,
            prior_rate: 0.02,
            prior_count: 0.5,
            share_gate: 1.5,
            surge_gate: 1.0,
            cold_odds_voices: 20.0,
            flood_posts_per_voice: 1.5,
            calm_peak_fraction: 0.1,
            calm_below_min_voices: true,
            recover_on_recent_windows: true,
            fresh_windows_after_end: true,
            onset_rate_slack: true,
            quiet_hold_minutes: 30,
            recovery_hold_minutes: 15,
            reopen_within_minutes: 60,
            cooldown_minutes: 180,
            cooldown_extra_score: 1.0,
            related_within_minutes: 30,
            min_region_voices: 5.0,
            min_located_voices: 10.0,
            min_region_share: 0.03,
            name_trigger_region: true,
            name_standout_regions: true,
        }
    }
}

/// What to detect on.
pub struct DetectionRequest<'a> {
    /// Classified posts from `from` minus the history the baseline should learn from (28 days
    /// is plenty) up to at least `to`.
    pub table: &'a ObservationTable,
    /// Start of the report window: incidents that end before it are not returned.
    pub from: DateTime<Utc>,
    /// The cut-off: only data up to this instant is read (the last incomplete minute is not),
    /// so a report cut off at `to` shows exactly the incidents detected by then.
    pub to: DateTime<Utc>,
    /// The provider of a platform id (`whatsapp` → `meta`), from the catalog.
    pub provider_of: &'a dyn Fn(&str) -> Option<String>,
}

/// Whether an incident is still going on at the cut-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    /// Complaints were still above baseline at the cut-off.
    Ongoing,
    /// Complaints went back to baseline and stayed there.
    Resolved,
}

/// A region's part in an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionShare {
    /// ISO 3166-1 alpha-2 or ISO 3166-2 code ("BR", "US-NY").
    pub code: String,
    /// Share of the incident's located complaint voices in this region.
    pub share: f64,
    /// That share divided by the region's usual share of the platform's chatter (1 = usual).
    pub lift: f64,
}

/// A symptom kind's part in an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SymptomShare {
    /// The symptom.
    pub kind: Symptom,
    /// Share of the complaints naming a symptom that name this one.
    pub share: f64,
}

/// A language's part in an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageShare {
    /// ISO 639-1 code.
    pub code: String,
    /// Share of the complaints in this language.
    pub share: f64,
}

/// Per-minute figures around an incident, for charts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentTimeline {
    /// Time of the first point.
    pub from: DateTime<Utc>,
    /// Complaint voices per minute (distinct people).
    pub voices: Vec<f32>,
    /// Expected voices per minute.
    pub baseline: Vec<f32>,
    /// Upper edge of the usual band (about 3 standard deviations above the baseline).
    pub upper: Vec<f32>,
}

/// One detected incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Stable id: platform and detection minute, such as `whatsapp-20211004T1541Z`.
    pub id: String,
    /// The platform id.
    pub platform: String,
    /// Other platforms with an incident starting at about the same time.
    pub related: Vec<String>,
    /// The provider, when several of its services fail together.
    pub provider: Option<String>,
    /// Estimated onset.
    pub start: DateTime<Utc>,
    /// When the detector fired, using only data up to then.
    pub detected_at: DateTime<Utc>,
    /// When complaints peaked.
    pub peak_at: DateTime<Utc>,
    /// When complaints went back near baseline, if they did.
    pub end: Option<DateTime<Utc>>,
    /// When the detector declared it over (the end plus the quiet hold), if it did.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Ongoing or resolved at the cut-off.
    pub status: IncidentStatus,
    /// Complaint posts during the incident.
    pub complaints: u64,
    /// Distinct complaining authors during the incident (anonymous posts count one each).
    pub authors: u64,
    /// Usual complaint voices per hour over the incident's span.
    pub baseline_per_hour: f64,
    /// Highest complaint posts per minute (5-minute average).
    pub peak_per_minute: f64,
    /// Highest score reached: -log10 of the tail probability of the counts seen.
    pub score: f64,
    /// The series that fired first: `None` for the platform as a whole, or a region code.
    pub trigger_region: Option<String>,
    /// Regions, most affected first; empty when evidence is thin.
    pub regions: Vec<RegionShare>,
    /// Symptom kinds, most frequent first.
    pub symptoms: Vec<SymptomShare>,
    /// Languages, most frequent first.
    pub languages: Vec<LanguageShare>,
    /// Minute figures for charts.
    pub timeline: IncidentTimeline,
}

/// The result of a detection run.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Start of the report window.
    pub from: DateTime<Utc>,
    /// The cut-off.
    pub to: DateTime<Utc>,
    /// Rows of the table inside the window.
    pub posts_considered: u64,
    /// Incidents overlapping the window, by start time.
    pub incidents: Vec<Incident>,
}

/// Detects incidents in `request.table` up to `request.to`, returning those that overlap
/// `[request.from, request.to]`. Pure and deterministic; cost linear in rows and in series.
pub fn detect(request: &DetectionRequest<'_>, config: &DetectorConfig) -> Detection {
    let table = request.table;
    let from_s = request.from.timestamp();
    let to_s = request.to.timestamp();
    // Rows are sorted by time: the window is found by bisection, not by a pass. Mentions
    // counted per minute count by minute.
    let posts_considered = table
        .rows
        .partition_point(|r| r.at <= to_s)
        .saturating_sub(table.rows.partition_point(|r| r.at < from_s))
        as u64
        + table
            .mentions
            .posts_between(from_s.div_euclid(60), to_s.div_euclid(60));
    let empty = Detection {
        from: request.from,
        to: request.to,
        posts_considered,
        incidents: Vec::new(),
    };

    // Only complete minutes up to the cut-off are read.
    let last_minute_exclusive = (to_s + 1).div_euclid(60);
    let first_data_minute = table
        .rows
        .first()
        .map(|r| r.at.div_euclid(60))
        .into_iter()
        .chain(table.mentions.posts_per_minute.first().map(|(m, _)| *m))
        .chain(table.volume_per_minute.iter().map(|v| v.0).min())
        .min();
    let Some(first_data_minute) = first_data_minute else {
        return empty;
    };
    let first_minute = first_data_minute.div_euclid(60) * 60;
    if last_minute_exclusive <= first_minute {
        return empty;
    }
    let grid = series::Grid {
        first_minute,
        len: (last_minute_exclusive - first_minute) as usize,
    };
    let set = series::SeriesSet::build(table, grid, config);
    let context = tracker::Context::new(&set, config);
    // Platforms are independent: they are tracked on every core, those with the most series
    // first, so that no core is left with a large one at the end.
    let mut order: Vec<usize> = (0..set.platforms.len()).collect();
    order.sort_by_key(|&p| std::cmp::Reverse(set.platforms[p].regions.len()));
    let mut tracked: Vec<(usize, tracker::PlatformOutcome)> =
        outcry_model::cores::map_in_order(order.len(), |i| {
            (
                order[i],
                tracker::run_platform(&set, &context, order[i], config),
            )
        });
    tracked.sort_unstable_by_key(|(p, _)| *p);
    let raw: Vec<tracker::PlatformOutcome> =
        tracked.into_iter().map(|(_, outcome)| outcome).collect();
    let mut incidents =
        attribution::describe(table, &set, &context, &raw, request.provider_of, config);
    incidents.retain(|i| {
        let end = i.end.map(|e| e.timestamp()).unwrap_or(to_s);
        end >= from_s && i.start.timestamp() <= to_s
    });
    Detection { incidents, ..empty }
}

/// Unix seconds to a UTC time (the table's times are always in range).
pub(crate) fn utc(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
