//! The causal state machine per platform: quiet → suspected → open → recovering → resolved.
//!
//! Walks the minutes in order; at each hour boundary it refreshes the baselines of the
//! platform's series from past hours only (leaving out hours of incidents already found), and
//! at each minute it scores the windows ending at that minute. Nothing here looks ahead, which
//! is what makes a report cut off at any time show exactly the incidents detected by then.
//! A (platform, region) pair too quiet for a baseline of its own borrows one from its platform
//! and the region's share of the source (see `Watched::borrowed_estimate`).
//! Owns the states and their transitions; not the counting, the baselines or the descriptions.

use super::DetectorConfig;
use super::baseline::{self, Estimate, EstimatorSettings, Hourly};
use super::series::{CountSeries, SeriesSet};
use super::stats::nb_upper_tail_score;

/// Volume figures shared by every platform.
pub(crate) struct Context {
    /// Prefix sums of the exposure volume per minute.
    volume_prefix: Vec<f64>,
    /// Prefix sums of the expected volume per minute (NaN where no volume history exists).
    expected_prefix: Vec<f64>,
    /// Exposure per hour: 60 minutes × the hour's volume ratio.
    pub hourly_exposure: Vec<f64>,
    /// `window_ratio` of every minute for every configured window, row-major by minute: the
    /// same for every series, so computed once.
    ratios: Vec<f64>,
    n_windows: usize,
    /// Running sums by hour of complaint voices and other mentions over every platform: the
    /// source's usual mix, which a platform with little history of its own borrows.
    voices_all_prefix: Vec<f64>,
    other_all_prefix: Vec<f64>,
    /// Per region, running sums by hour of its located voices over every platform (empty when
    /// quiet regions are not watched).
    region_voices_prefix: Vec<Vec<f64>>,
}

impl Context {
    pub fn new(set: &SeriesSet, config: &DetectorConfig) -> Context {
        let len = set.grid.len;
        let volume: Vec<f64> = set.volume.iter().map(|&v| v as f64).collect();
        let minutes_per_hour: Vec<f64> = vec![1.0; len];
        let hourly_volume = Hourly::from_minutes(volume.iter().copied(), &minutes_per_hour);
        let settings = EstimatorSettings {
            prior_rate: 0.0,
            prior_count: config.prior_count,
            max_shape: config.max_shape,
            cold_max_shape: config.cold_max_shape,
            trim_low: true,
        };
        let hours = set.grid.hours();
        let mut expected_per_hour = vec![f64::NAN; hours];
        for (h, slot) in expected_per_hour.iter_mut().enumerate() {
            let has_history = (0..h).any(|past| hourly_volume.value[past] > 0.0);
            if has_history {
                *slot = baseline::estimate(&hourly_volume, &|_| true, h, &settings).rate;
            }
        }
        let mut volume_prefix = Vec::with_capacity(len + 1);
        let mut expected_prefix = Vec::with_capacity(len + 1);
        volume_prefix.push(0.0);
        expected_prefix.push(0.0);
        for (m, v) in volume.iter().enumerate() {
            volume_prefix.push(volume_prefix[m] + v);
            expected_prefix.push(expected_prefix[m] + expected_per_hour[m / 60]);
        }
        let hourly_exposure = (0..hours)
            .map(|h| {
                let a = h * 60;
                let b = ((h + 1) * 60).min(len);
                let observed = volume_prefix[b] - volume_prefix[a];
                let expected = expected_prefix[b] - expected_prefix[a];
                (b - a) as f64 * volume_ratio(observed, expected)
            })
            .collect();
        let mut hourly_voices_all = vec![0.0; hours];
        let mut hourly_other_all = vec![0.0; hours];
        for ps in &set.platforms {
            for (m, (&v, &o)) in ps
                .total
                .voices
                .iter()
                .zip(&ps.total.other_mentions)
                .enumerate()
            {
                hourly_voices_all[m / 60] += v as f64;
                hourly_other_all[m / 60] += o as f64;
            }
        }
        let mut context = Context {
            volume_prefix,
            expected_prefix,
            hourly_exposure,
            ratios: Vec::new(),
            n_windows: config.windows.len(),
            voices_all_prefix: prefix(hourly_voices_all.into_iter()),
            other_all_prefix: prefix(hourly_other_all.into_iter()),
            region_voices_prefix: set
                .region_hourly_voices
                .iter()
                .map(|hourly| prefix(hourly.iter().copied()))
                .collect(),
        };
        let mut ratios = Vec::with_capacity(len * config.windows.len());
        for m in 0..len {
            for &w in &config.windows {
                ratios.push(context.window_ratio(m, w.min(m + 1)));
            }
        }
        context.ratios = ratios;
        context
    }

    /// Complaint voices per other mention over every platform in the 72 hours before `hour`
    /// (with a pseudo-count, so an empty past gives a small, not a null, mix).
    fn source_odds(&self, hour: usize) -> f64 {
        let from = hour.saturating_sub(72);
        let voices = self.voices_all_prefix[hour] - self.voices_all_prefix[from];
        let other = self.other_all_prefix[hour] - self.other_all_prefix[from];
        (voices + 1.0) / (other + 10.0)
    }

    /// The share of the source's complaint voices located in `region` at the time of day of
    /// `hour`: the same three-hour band over the last seven days, shrunk towards the region's
    /// share over the whole last week with `pseudo` voices (a band of few voices is noise).
    /// Returns (that share, the share over the week).
    fn region_share(&self, region: usize, hour: usize, pseudo: f64) -> (f64, f64) {
        let Some(regional) = self.region_voices_prefix.get(region) else {
            return (0.0, 0.0);
        };
        let sum = |running: &[f64], a: usize, b: usize| running[b] - running[a];
        let week_from = hour.saturating_sub(168);
        let all_week = sum(&self.voices_all_prefix, week_from, hour);
        let week_share = if all_week > 0.0 {
            sum(regional, week_from, hour) / all_week
        } else {
            0.0
        };
        let mut in_region = 0.0;
        let mut all = 0.0;
        for day in 1..=7 {
            let Some(centre) = hour.checked_sub(24 * day) else {
                break;
            };
            let a = centre.saturating_sub(1);
            let b = (centre + 2).min(hour);
            in_region += sum(regional, a, b);
            all += sum(&self.voices_all_prefix, a, b);
        }
        (
            (in_region + pseudo * week_share) / (all + pseudo),
            week_share,
        )
    }

    /// `window_ratio` at minute `m` for the configured window number `i`.
    fn ratio(&self, m: usize, i: usize) -> f64 {
        self.ratios[m * self.n_windows + i]
    }

    /// Ratio of observed to expected volume over the `w` minutes ending at minute `m`
    /// (inclusive), shrunk towards 1 when volumes are small.
    pub fn window_ratio(&self, m: usize, w: usize) -> f64 {
        let b = m + 1;
        let a = b.saturating_sub(w);
        volume_ratio(
            self.volume_prefix[b] - self.volume_prefix[a],
            self.expected_prefix[b] - self.expected_prefix[a],
        )
    }
}

fn volume_ratio(observed: f64, expected: f64) -> f64 {
    if !expected.is_finite() {
        return 1.0;
    }
    let pseudo = 0.25 * expected + 5.0;
    ((observed + pseudo) / (expected + pseudo)).clamp(0.02, 50.0)
}

/// An incident as the state machine saw it, in minute indices of the grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawIncident {
    pub platform: usize,
    /// `None` for the platform series, otherwise the index into its `regions`.
    pub trigger: Option<usize>,
    pub start: usize,
    pub detected: usize,
    /// Last minute of the incident (inclusive) once resolved.
    pub end: Option<usize>,
    /// The minute at which it was declared resolved.
    pub resolved: Option<usize>,
    pub score: f64,
}

/// Everything a platform's run produced.
pub(crate) struct PlatformOutcome {
    pub incidents: Vec<RawIncident>,
    /// The platform series' baseline per hour.
    pub estimates: Vec<Estimate>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Quiet,
    Suspected { since: usize },
    Open,
    Recovering { quiet_since: usize },
}

/// Result of scoring one series at one minute.
#[derive(Debug, Clone, Copy, Default)]
struct Evaluation {
    /// Best (score - threshold) over windows with enough voices; >= 0 means fire.
    margin: f64,
    /// The same over the windows no longer than the quiet window: those that can tell an
    /// outage going on from one that just ended (a 60-minute window holds an outage for an
    /// hour after it stopped).
    recent_margin: f64,
    /// Best raw score.
    score: f64,
    suspect: bool,
    quiet: bool,
    /// Voices in the quiet window (the one whose calm ends an incident), after any flood.
    quiet_voices: f64,
    /// Those voices above their (gated) expectation.
    quiet_excess: f64,
}

struct Watched<'a> {
    series: &'a CountSeries,
    hourly_voices: Hourly,
    hourly_other: Hourly,
    current: Estimate,
    /// Expected non-complaint mentions per minute of normal volume this hour.
    current_other: f64,
    odds: f64,
    /// Complaint voices per other mention the cold start assumes at least (0 once the
    /// baseline is seasonal).
    cold_odds: f64,
    /// The hour `current` was computed for.
    current_hour: Option<usize>,
    /// Whether `current` was borrowed from the platform (see `Borrow`).
    current_borrowed: bool,
    /// Per-hour estimates, kept for the platform series only (charts and onsets).
    estimates: Vec<Estimate>,
    keep_estimates: bool,
    /// Prefix sums of voices and of other mentions: window sums in constant time, and a
    /// series with too few voices can be skipped without touching its windows.
    voice_prefix: Vec<f64>,
    other_prefix: Vec<f64>,
    /// Minutes at which the widest window holds enough voices to raise an alarm, found in one
    /// sequential pass: the minute loop then touches a quiet series' counts only at those
    /// minutes, which keeps it cache-friendly with a thousand series.
    active: Vec<u32>,
    active_pos: usize,
    /// Prefix sums of the per-minute excess of other mentions over the minutes that were part
    /// of a clear surge when they happened (filled causally, up to the last minute scored):
    /// the tail of a launch or a meme still gates the long windows that hold it.
    surge_prefix: Vec<f64>,
}

impl<'a> Watched<'a> {
    fn new(
        series: &'a CountSeries,
        context: &Context,
        keep_estimates: bool,
        config: &DetectorConfig,
    ) -> Watched<'a> {
        let hours = context.hourly_exposure.len();
        let voice_prefix = prefix(series.voices.iter().map(|&v| v as f64));
        let other_prefix = prefix(series.other_mentions.iter().map(|&v| v as f64));
        // Hourly sums from the running sums: no second pass over the minutes.
        let hourly = |running: &[f64]| -> Vec<f64> {
            let len = running.len() - 1;
            (0..hours)
                .map(|h| running[((h + 1) * 60).min(len)] - running[(h * 60).min(len)])
                .collect()
        };
        let value = hourly(&voice_prefix);
        let other_value = hourly(&other_prefix);
        let widest = config.windows.iter().copied().max().unwrap_or(1);
        let active = (0..series.voices.len())
            .filter(|&m| {
                voice_prefix[m + 1] - voice_prefix[(m + 1).saturating_sub(widest)]
                    >= config.min_voices
            })
            .map(|m| m as u32)
            .collect();
        Watched {
            series,
            hourly_voices: Hourly {
                value,
                exposure: context.hourly_exposure.clone(),
            },
            hourly_other: Hourly {
                value: other_value,
                exposure: context.hourly_exposure.clone(),
            },
            current: Estimate {
                rate: 0.0,
                shape: 1.0,
            },
            current_other: 0.0,
            odds: 0.0,
            cold_odds: 0.0,
            current_hour: None,
            current_borrowed: false,
            estimates: Vec::with_capacity(if keep_estimates { hours } else { 0 }),
            keep_estimates,
            voice_prefix,
            other_prefix,
            active,
            active_pos: 0,
            surge_prefix: vec![0.0],
        }
    }

    /// Whether minute `m` is one of the active minutes (minutes are asked in order).
    fn active_at(&mut self, m: usize) -> bool {
        while self
            .active
            .get(self.active_pos)
            .is_some_and(|&a| (a as usize) < m)
        {
            self.active_pos += 1;
        }
        self.active
            .get(self.active_pos)
            .is_some_and(|&a| a as usize == m)
    }

    fn refresh(
        &mut self,
        hour: usize,
        masked: &[bool],
        context: &Context,
        borrow: Option<Borrow<'_>>,
        config: &DetectorConfig,
    ) {
        let exposure = &self.hourly_voices.exposure;
        let usable = |h: usize| !masked[h] && exposure[h] >= 6.0;
        let settings = EstimatorSettings {
            prior_rate: config.prior_rate,
            prior_count: config.prior_count,
            max_shape: config.max_shape,
            cold_max_shape: config.cold_max_shape,
            trim_low: false,
        };
        self.current_borrowed = borrow.is_some_and(|b| !b.own);
        self.current = match borrow {
            Some(borrow) if !borrow.own => {
                self.borrowed_estimate(&borrow, hour, &usable, context, config)
            }
            Some(borrow) => {
                // A region's own baseline is built from few voices: from its first days it can
                // be far below what the platform's rate and the region's share make plausible
                // (a young baseline knows little of the time of day, a sparse one counts the
                // hours without a voice). The borrowed expectation is a floor.
                let own = baseline::estimate(&self.hourly_voices, &usable, hour, &settings);
                let borrowed = self.borrowed_estimate(&borrow, hour, &usable, context, config);
                if borrowed.rate > own.rate {
                    Estimate {
                        rate: borrowed.rate,
                        shape: own.shape.min(borrowed.shape),
                    }
                } else {
                    own
                }
            }
            None => baseline::estimate(&self.hourly_voices, &usable, hour, &settings),
        };
        self.current_other = baseline::estimate(&self.hourly_other, &usable, hour, &settings).rate;
        let last_72 = hour.saturating_sub(72)..hour;
        let voices = usable_sum(&self.hourly_voices.value, last_72.clone(), &usable);
        let other = usable_sum(&self.hourly_other.value, last_72, &usable);
        self.odds = (voices + 0.5) / (other + 5.0);
        self.cold_odds = if baseline::is_seasonal(&self.hourly_voices, &usable, hour) {
            0.0
        } else {
            let seen = usable_sum(
                &self.hourly_voices.value,
                hour.saturating_sub(24)..hour,
                &usable,
            );
            context.source_odds(hour) * config.cold_odds_voices / (config.cold_odds_voices + seen)
        };
        self.current_hour = Some(hour);
        if self.keep_estimates {
            self.estimates.push(self.current);
        }
    }

    /// The expectation of a region series too quiet for a baseline of its own: the platform's
    /// rate times the region's share of the platform's voices, that share being the source's
    /// share for the region at this time of day tilted by how much more (or less) the platform
    /// is complained about there than the source as a whole, shrunk towards no tilt with
    /// `quiet_region_pseudo_voices`. Its shape is at most a cold start's: the share is borrowed.
    fn borrowed_estimate(
        &self,
        borrow: &Borrow<'_>,
        hour: usize,
        usable: &dyn Fn(usize) -> bool,
        context: &Context,
        config: &DetectorConfig,
    ) -> Estimate {
        let pseudo = config.quiet_region_pseudo_voices;
        let (share_now, week_share) = context.region_share(borrow.region, hour, pseudo);
        let last_week = hour.saturating_sub(168)..hour;
        let own = usable_sum(&self.hourly_voices.value, last_week.clone(), usable);
        let platform = usable_sum(&borrow.platform_hourly.value, last_week, usable);
        let tilt = (own + pseudo) / (platform * week_share + pseudo);
        Estimate {
            rate: (borrow.platform.rate * share_now * tilt).max(1e-5),
            shape: borrow.platform.shape.min(config.cold_max_shape),
        }
    }

    /// Voices in the `w` minutes ending at minute `m` (inclusive).
    fn voices_in(&self, m: usize, w: usize) -> f64 {
        self.voice_prefix[m + 1] - self.voice_prefix[(m + 1).saturating_sub(w)]
    }

    /// Non-complaint mentions in the `w` minutes ending at minute `m`.
    fn other_in(&self, m: usize, w: usize) -> f64 {
        self.other_prefix[m + 1] - self.other_prefix[(m + 1).saturating_sub(w)]
    }

    /// Scores the windows ending at minute `m`. The tail sum is the costly part, so it is only
    /// computed where it can matter: with enough voices to raise an alarm, or while an
    /// incident is open (`open`), when calm and the peak score need it.
    fn evaluate(
        &self,
        m: usize,
        context: &Context,
        thresholds: &[f64],
        platform: &PlatformWindows<'_>,
        open: bool,
        config: &DetectorConfig,
    ) -> Evaluation {
        let mut eval = Evaluation {
            margin: f64::NEG_INFINITY,
            recent_margin: f64::NEG_INFINITY,
            quiet: true,
            ..Evaluation::default()
        };
        let shape = self.current.shape;
        // Windows are nested: with too few voices in the widest one, nothing can fire, and
        // calm only matters while an incident is open.
        let widest = self.voices_in(m, config.windows.iter().copied().max().unwrap_or(1));
        if !open && widest < config.min_voices {
            return eval;
        }
        let quiet_window = quiet_window(config);
        let surge_gate = config.surge_gate.max(config.share_gate * self.odds);
        for (i, &w) in config.windows.iter().enumerate() {
            let observed =
                (self.voices_in(m, w) * platform.flood.get(i).copied().unwrap_or(1.0)).max(0.0);
            let w_eff = w.min(m + 1);
            let expected = (self.current.rate * w_eff as f64 * context.ratio(m, i))
                .max(self.cold_odds * self.other_in(m, w));
            if w == quiet_window {
                eval.quiet_voices = observed;
                eval.quiet_excess = observed - expected;
            }
            // Within two standard deviations the score stays under 2: not worth the tail sum,
            // and neither an alarm, a suspicion nor a reason to stay open. The gate below
            // only raises the mean, so this cheap test comes first.
            let spread = (expected + expected * expected / shape).sqrt();
            if observed < 2.0 || observed <= expected + 2.0 * spread + 1.0 {
                continue;
            }
            // A surge of other mentions (a launch, a meme, the news) brings complaint-looking
            // posts with it: each mention above the usual level may bring `surge_gate`
            // complaints (or the usual share, where complaints are usually even more common)
            // without raising an alarm, so a surge alarms only when complaints outnumber the
            // rest of it, whatever the classifier made of the jokes. A region's complaints are
            // judged against the platform's surge too: the posts of a launch or a meme that
            // look like complaints need not come from where the others come from (a place
            // named in a joke).
            let surge = self
                .surge_in(m, i, w, context)
                .max(platform.surges.get(i).copied().unwrap_or(0.0));
            let gated = expected + surge * surge_gate;
            let spread = (gated + gated * gated / shape).sqrt();
            if w == quiet_window {
                eval.quiet_excess = observed - gated;
            }
            if w == quiet_window && observed > gated + 2.0 * spread + 1.0 {
                eval.quiet = false;
            }
            if observed <= gated + 2.0 * spread + 1.0 {
                continue;
            }
            if !open && observed < config.min_voices {
                continue;
            }
            let score = nb_upper_tail_score(observed.floor() as u64, gated, shape);
            eval.score = eval.score.max(score);
            if w == quiet_window && score >= 2.0 {
                eval.quiet = false;
            }
            if score >= 0.5 * thresholds[i] {
                eval.suspect = true;
            }
            if observed >= config.min_voices {
                eval.margin = eval.margin.max(score - thresholds[i]);
                if w <= quiet_window {
                    eval.recent_margin = eval.recent_margin.max(score - thresholds[i]);
                }
            }
        }
        eval
    }

    /// Records, for every minute up to `m` not yet seen, how many other mentions it had above
    /// their expectation if the `SURGE_SPAN` minutes ending there were a clear surge. Uses the
    /// current hour's expectation for minutes not scored when they happened (a quiet series
    /// is scored only where it could alarm).
    fn advance_surge(&mut self, m: usize, context: &Context) {
        while self.surge_prefix.len() <= m + 1 {
            let t = self.surge_prefix.len() - 1;
            let span = SURGE_SPAN.min(t + 1);
            let surging = self.clear_excess_other(t, span, context.window_ratio(t, span)) > 0.0;
            let excess = if surging {
                let expected = self.current_other * context.window_ratio(t, 1);
                (self.other_in(t, 1) - expected).max(0.0)
            } else {
                0.0
            };
            let last = self.surge_prefix[t];
            self.surge_prefix.push(last + excess);
        }
    }

    /// The surge of non-complaint mentions in the `w` minutes (window number `i`) ending at
    /// minute `m`: the excess of the minutes that were part of a clear surge (see
    /// `advance_surge`, which must have run up to `m`), or of the window itself when it is
    /// clearly above expectation.
    fn surge_in(&self, m: usize, i: usize, w: usize, context: &Context) -> f64 {
        let own = self.clear_excess_other(m, w, context.ratio(m, i));
        let b = (m + 1).min(self.surge_prefix.len() - 1);
        let a = b.saturating_sub(w);
        own.max(self.surge_prefix[b] - self.surge_prefix[a])
    }

    /// Non-complaint mentions in the `w` minutes ending at `m` above their expectation at
    /// volume ratio `ratio`, when clearly so (ordinary wobbles are no surge; a clear surge
    /// counts in full).
    fn clear_excess_other(&self, m: usize, w: usize, ratio: f64) -> f64 {
        let expected = self.current_other * w.min(m + 1) as f64 * ratio;
        let excess = self.other_in(m, w) - expected;
        if excess > 2.0 * expected.sqrt() + 2.0 {
            excess
        } else {
            0.0
        }
    }

    /// Expected voices in minute `m` from the current-hour estimate of that minute's hour.
    fn expected_at(&self, m: usize, context: &Context) -> (f64, f64) {
        let e = self.estimates.get(m / 60).copied().unwrap_or(self.current);
        (e.rate * context.window_ratio(m, 15.min(m + 1)), e.shape)
    }
}

/// What a region series too quiet for a baseline of its own borrows from its platform.
#[derive(Clone, Copy)]
struct Borrow<'a> {
    /// The platform series' estimate for the hour.
    platform: Estimate,
    /// The platform series' voices per hour.
    platform_hourly: &'a Hourly,
    /// The region's index in the table.
    region: usize,
    /// The series has a baseline of its own by now (enough voices): the borrowed expectation
    /// only stands in for the time of day while that baseline is young.
    own: bool,
}

/// What the platform's own series says about each window, for every series of the platform.
struct PlatformWindows<'a> {
    /// The platform's surge of other mentions per window (empty for the platform itself).
    surges: &'a [f64],
    /// The share of voices per window left after a flood of repeated posts cancels some.
    flood: &'a [f64],
}

/// Minutes over which a surge of other mentions is judged clear or not.
const SURGE_SPAN: usize = 15;

/// Running sums with a leading zero.
fn prefix(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut out = vec![0.0];
    let mut total = 0.0;
    for v in values {
        total += v;
        out.push(total);
    }
    out
}

/// The window whose calm ends an incident.
fn quiet_window(config: &DetectorConfig) -> usize {
    config
        .windows
        .iter()
        .copied()
        .find(|&w| w >= 15)
        .unwrap_or(*config.windows.last().unwrap_or(&15))
}

/// Runs the state machine of platform `p` over the whole grid.
pub(crate) fn run_platform(
    set: &SeriesSet,
    context: &Context,
    p: usize,
    config: &DetectorConfig,
) -> PlatformOutcome {
    let ps = &set.platforms[p];
    let len = set.grid.len;
    let hours = set.grid.hours();
    let windows = &config.windows;
    let mut outcome = PlatformOutcome {
        incidents: Vec::new(),
        estimates: Vec::with_capacity(hours),
    };
    if ps.total.watched_from >= len {
        return outcome;
    }
    let mut watched: Vec<Watched<'_>> = std::iter::once(&ps.total)
        .chain(ps.regions.iter().map(|(_, s)| s))
        .enumerate()
        .map(|(i, s)| Watched::new(s, context, i == 0, config))
        .collect();
    let mut masked = vec![false; hours];
    let mut state = State::Quiet;
    let mut open: Option<RawIncident> = None;
    let mut last_end: Option<usize> = None;
    let mut hot = vec![false; watched.len()];
    // Per series, the largest excess of the quiet window over expectation since the incident
    // opened: how bad it was, against which "back near baseline" is judged.
    let mut peak_excess = vec![0.0f64; watched.len()];
    let mut platform_thresholds = vec![0.0; windows.len()];
    let mut region_thresholds = vec![0.0; windows.len()];
    let mut quiet_region_thresholds = vec![0.0; windows.len()];
    let quiet_regions = config.quiet_region_min_source_voices.is_finite();
    let quiet_share = if quiet_regions {
        config.quiet_region_budget_share.clamp(0.01, 0.99)
    } else {
        0.0
    };
    let region_codes: Vec<usize> = ps.regions.iter().map(|(r, _)| *r as usize).collect();
    let quiet_windows = windows
        .iter()
        .filter(|&&w| w <= config.quiet_region_max_window)
        .count()
        .max(1);
    let watch_start = ps.total.watched_from + config.warmup_minutes;
    let fa = config.target_false_alarms_per_day.max(1e-9);
    let mut evals = vec![Evaluation::default(); watched.len()];
    let mut platform_surges = vec![0.0; windows.len()];
    let complaint_prefix = prefix(ps.complaints.iter().map(|&c| c as f64));
    let posts_in =
        |m: usize, w: usize| complaint_prefix[m + 1] - complaint_prefix[(m + 1).saturating_sub(w)];
    let mut posts_per_voice = 1.0;
    let mut flood = vec![1.0; windows.len()];
    let mut threshold_key: Option<(u32, u32, u32, bool, u32)> = None;
    let widest_window = windows.iter().copied().max().unwrap_or(1) as u32;

    for m in 0..len {
        let hour = m / 60;
        if m % 60 == 0 {
            // The platform series is refreshed every hour (its baseline is charted); region
            // series only when they are evaluated.
            watched[0].refresh(hour, &masked, context, None, config);
            // The usual complaint posts per voice over the last three days: a source whose
            // posts are mostly anonymous has more posts than voices every day.
            let a = hour.saturating_sub(72) * 60;
            let b = hour * 60;
            let posts = complaint_prefix[b] - complaint_prefix[a];
            let voices = watched[0].voice_prefix[b] - watched[0].voice_prefix[a];
            posts_per_voice = ((posts + 5.0) / (voices + 5.0)).max(1.0);
        }
        if m < watch_start {
            continue;
        }
        let cooling = last_end.is_some_and(|e| m <= e + config.cooldown_minutes);
        // After an incident has ended, a window that reaches back into it holds its
        // complaints: for the next hour only the windows that start after its end can raise
        // a new alarm (or reopen it), or every outage would reopen itself on its 60-minute
        // window once it is declared over.
        let longest_window = match last_end {
            Some(e) if open.is_none() && config.fresh_windows_after_end => {
                m.saturating_sub(e).min(u32::MAX as usize) as u32
            }
            _ => u32::MAX,
        };
        // Half of the false-alarm budget goes to the platform series, half to the regional
        // ones, so that watching many regions does not blunt the platform-wide test. Within
        // each, every series, window and minute is one test: sliding windows over rare counts
        // exceed far more often than disjoint ones would, so no window gets a discount.
        let key = (
            set.watched_platforms[m],
            set.watched_regions[m],
            set.watched_quiet_regions[m],
            cooling,
            longest_window.min(widest_window),
        );
        if threshold_key != Some(key) {
            threshold_key = Some(key);
            let extra = if cooling {
                config.cooldown_extra_score
            } else {
                0.0
            };
            let tests = 1440.0 * windows.len() as f64;
            // The regional half is shared between the series with a baseline of their own and
            // the quiet pairs that borrow one (when those are watched).
            let regional = fa / 2.0;
            let platform = (key.0 as f64 * tests / (fa / 2.0)).log10() + extra;
            let region = (key.1 as f64 * tests / (regional * (1.0 - quiet_share))).log10() + extra;
            let quiet_tests = 1440.0 * quiet_windows as f64;
            let quiet = if quiet_share > 0.0 {
                (key.2 as f64 * quiet_tests / (regional * quiet_share)).log10() + extra
            } else {
                f64::INFINITY
            };
            let fresh = |w: usize| w as u32 <= key.4;
            for ((p_t, r_t), &w) in platform_thresholds
                .iter_mut()
                .zip(region_thresholds.iter_mut())
                .zip(windows)
            {
                *p_t = if fresh(w) { platform } else { f64::INFINITY };
                *r_t = if fresh(w) { region } else { f64::INFINITY };
            }
            // Windows longer than `quiet_region_max_window` never fire on a borrowed series.
            for (t, &w) in quiet_region_thresholds.iter_mut().zip(windows) {
                *t = if w <= config.quiet_region_max_window && fresh(w) {
                    quiet
                } else {
                    f64::INFINITY
                };
            }
        }
        watched[0].advance_surge(m, context);
        for (i, (surge, &w)) in platform_surges.iter_mut().zip(windows).enumerate() {
            *surge = watched[0].surge_in(m, i, w, context);
        }
        // A flood of repeated posts from few authors (a bot, a copy-paste campaign): complaint
        // posts far beyond what the window's voices usually write. The excess posts cancel
        // voices one for one, in the platform's series and in its regions alike.
        for (factor, &w) in flood.iter_mut().zip(windows) {
            let voices = watched[0].voices_in(m, w);
            let excess = posts_in(m, w) - config.flood_posts_per_voice * posts_per_voice * voices;
            *factor = if voices > 0.0 && excess > 0.0 {
                ((voices - excess) / voices).max(0.0)
            } else {
                1.0
            };
        }
        let (head, regions) = watched.split_at_mut(1);
        let platform_watch = &mut head[0];
        evals[0] = evaluate_series(
            platform_watch,
            None,
            m,
            &masked,
            context,
            &platform_thresholds,
            &PlatformWindows {
                surges: &[],
                flood: &flood,
            },
            open.is_some(),
            config,
        );
        let platform_watch = &*platform_watch;
        for ((w, eval), &region) in regions.iter_mut().zip(&mut evals[1..]).zip(&region_codes) {
            let borrowed = m < w.series.own_from;
            let borrow = quiet_regions.then_some(Borrow {
                platform: platform_watch.current,
                platform_hourly: &platform_watch.hourly_voices,
                region,
                own: !borrowed,
            });
            let thresholds = if borrowed {
                &quiet_region_thresholds
            } else {
                &region_thresholds
            };
            *eval = evaluate_series(
                w,
                borrow,
                m,
                &masked,
                context,
                thresholds,
                &PlatformWindows {
                    surges: &platform_surges,
                    flood: &flood,
                },
                open.is_some(),
                config,
            );
        }
        let (best, best_eval) = evals
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.margin.total_cmp(&b.1.margin))
            .map(|(i, e)| (i, *e))
            .unwrap_or((0, Evaluation::default()));
        let fired = best_eval.margin >= 0.0;

        match state {
            State::Quiet | State::Suspected { .. } => {
                if fired {
                    let reopen = outcome
                        .incidents
                        .last()
                        .and_then(|i| i.end)
                        .is_some_and(|e| m <= e + config.reopen_within_minutes);
                    let incident = if reopen {
                        let mut previous = outcome.incidents.pop().expect("checked above");
                        previous.end = None;
                        previous.resolved = None;
                        previous
                    } else {
                        let lo = last_end
                            .map(|e| e + 1)
                            .unwrap_or(0)
                            .max(m.saturating_sub(120));
                        let start = onset(&watched[best], context, lo, m, config);
                        RawIncident {
                            platform: p,
                            trigger: best.checked_sub(1),
                            start,
                            detected: m,
                            end: None,
                            resolved: None,
                            score: best_eval.score,
                        }
                    };
                    masked[incident.start / 60..=m / 60]
                        .iter_mut()
                        .for_each(|h| *h = true);
                    hot.iter_mut().for_each(|h| *h = false);
                    hot[0] = true;
                    peak_excess.iter_mut().for_each(|e| *e = 0.0);
                    open = Some(incident);
                    state = State::Open;
                } else if evals.iter().any(|e| e.suspect) {
                    if state == State::Quiet {
                        state = State::Suspected { since: m };
                    }
                } else if let State::Suspected { since } = state
                    && m > since + 30
                {
                    state = State::Quiet;
                }
            }
            State::Open | State::Recovering { .. } => {
                let Some(incident) = open.as_mut() else {
                    state = State::Quiet;
                    continue;
                };
                masked[m / 60] = true;
                for (i, e) in evals.iter().enumerate() {
                    if e.margin >= 0.0 {
                        hot[i] = true;
                    }
                    peak_excess[i] = peak_excess[i].max(e.quiet_excess);
                    incident.score = incident.score.max(e.score);
                }
                // While recovering, an alarm on a window longer than the quiet one is the
                // outage that just ended, still inside it: only the shorter windows reopen.
                let refired = if config.recover_on_recent_windows {
                    evals.iter().any(|e| e.recent_margin >= 0.0)
                } else {
                    fired
                };
                let trigger = incident.trigger.map(|t| t + 1).unwrap_or(0);
                let calm = evals.iter().enumerate().all(|(i, e)| {
                    !hot[i]
                        || e.quiet
                        || is_back_near_baseline(e, peak_excess[i], i == trigger, config)
                });
                state = match state {
                    State::Open if calm => State::Recovering { quiet_since: m },
                    State::Open => State::Open,
                    State::Recovering { .. } if !calm || refired => State::Open,
                    State::Recovering { quiet_since } => {
                        let q = quiet_window(config);
                        let recoveries: u32 = (m.saturating_sub(q - 1)..=m)
                            .map(|t| ps.recoveries[t] as u32)
                            .sum();
                        let complaints: u32 = (m.saturating_sub(q - 1)..=m)
                            .map(|t| ps.complaints[t] as u32)
                            .sum();
                        let hold = if recoveries >= 2 && recoveries * 2 >= complaints {
                            config.recovery_hold_minutes
                        } else {
                            config.quiet_hold_minutes
                        };
                        if m >= quiet_since + hold {
                            let trigger = incident.trigger.map(|t| t + 1).unwrap_or(0);
                            let end = last_hot_minute(
                                &watched[trigger],
                                context,
                                incident.start,
                                quiet_since,
                            );
                            incident.end = Some(end);
                            incident.resolved = Some(m);
                            let last = (end / 60 + 1).min(hours - 1);
                            masked[end / 60..=last].iter_mut().for_each(|h| *h = true);
                            last_end = Some(end);
                            outcome.incidents.push(open.take().expect("open incident"));
                            State::Quiet
                        } else {
                            state
                        }
                    }
                    other => other,
                };
            }
        }
    }
    if let Some(incident) = open.take() {
        outcome.incidents.push(incident);
    }
    outcome.estimates = std::mem::take(&mut watched[0].estimates);
    outcome
}

/// Scores series `w` at minute `m` when it is watched and could matter (it could alarm, or an
/// incident is open), refreshing its baseline first when the hour (or where its expectation
/// comes from) changed.
#[allow(clippy::too_many_arguments)]
fn evaluate_series(
    w: &mut Watched<'_>,
    borrow: Option<Borrow<'_>>,
    m: usize,
    masked: &[bool],
    context: &Context,
    thresholds: &[f64],
    platform: &PlatformWindows<'_>,
    open: bool,
    config: &DetectorConfig,
) -> Evaluation {
    let active = w.active_at(m);
    if m < w.series.watched_from || !(open || active) {
        return Evaluation {
            margin: f64::NEG_INFINITY,
            recent_margin: f64::NEG_INFINITY,
            quiet: true,
            ..Evaluation::default()
        };
    }
    let hour = m / 60;
    if w.current_hour != Some(hour) || w.current_borrowed != borrow.is_some_and(|b| !b.own) {
        w.refresh(hour, masked, context, borrow, config);
    }
    w.advance_surge(m, context);
    w.evaluate(m, context, thresholds, platform, open, config)
}

/// Estimated onset: the minute after the last time a CUSUM of the excess over baseline was at
/// zero, looking back from the alarm at `m` no further than `lo`.
///
/// The slack is half a standard deviation plus a quarter voice, or, when smaller (with
/// `onset_rate_slack`), the slack of the likelihood-ratio CUSUM between the usual rate and the
/// burst's rate, `logmean(usual, burst) − usual`: on a sparse series (a quiet
/// pair expecting a voice a day) the fixed quarter voice a minute wiped out each voice within
/// four minutes, so an outage whose voices come every five minutes seemed to start at its
/// last few, while the likelihood ratio keeps each voice for as long as the burst's rate says
/// the next one may take.
fn onset(
    series: &Watched<'_>,
    context: &Context,
    lo: usize,
    m: usize,
    config: &DetectorConfig,
) -> usize {
    // The burst's rate: the highest over the windows that hold enough voices to alarm (a
    // window reaching back before the onset dilutes it; one of a single voice says nothing).
    let burst_rate = config
        .windows
        .iter()
        .map(|&w| (series.voices_in(m, w), w.min(m + 1) as f64))
        .filter(|&(voices, _)| voices >= config.min_voices)
        .map(|(voices, w)| voices / w)
        .fold(0.0, f64::max);
    let mut cusum = 0.0;
    let mut last_zero: Option<usize> = None;
    for t in lo..=m {
        let (expected, shape) = series.expected_at(t, context);
        let mut slack = 0.5 * (expected + expected * expected / shape).sqrt() + 0.25;
        if config.onset_rate_slack && burst_rate > expected && expected > 0.0 {
            let log_mean = (burst_rate - expected) / (burst_rate / expected).ln();
            slack = slack.min(log_mean - expected);
        }
        cusum = (cusum + series.series.voices[t] as f64 - expected - slack).max(0.0);
        if cusum == 0.0 {
            last_zero = Some(t);
        }
    }
    match last_zero {
        Some(z) if z < m => z + 1,
        Some(_) => m,
        None => lo,
    }
}

/// Whether a series that fired during an incident, and whose quiet window is still above the
/// usual band, is nevertheless back near baseline: its excess is a small part of the worst
/// excess it had in the incident (`calm_peak_fraction`: the stragglers of a large outage, or a
/// baseline a little low for the day, are not the outage going on), or, for a series other
/// than the one that opened the incident, it holds fewer voices than could raise an alarm
/// (`calm_below_min_voices`: two stray voices in a sparse regional series that fired with the
/// rest of a global outage do not keep it open).
fn is_back_near_baseline(
    eval: &Evaluation,
    peak_excess: f64,
    is_trigger: bool,
    config: &DetectorConfig,
) -> bool {
    let small_against_peak = config.calm_peak_fraction > 0.0
        && eval.quiet_excess <= config.calm_peak_fraction * peak_excess;
    let too_few_to_alarm =
        config.calm_below_min_voices && !is_trigger && eval.quiet_voices < config.min_voices;
    small_against_peak || too_few_to_alarm
}

/// The last minute in `[start, until]` ending five minutes whose voices stood clearly above
/// baseline (five minutes, so that a stray busy minute after the outage does not stretch it).
fn last_hot_minute(series: &Watched<'_>, context: &Context, start: usize, until: usize) -> usize {
    for t in (start..=until).rev() {
        let (expected, shape) = series.expected_at(t, context);
        let expected = 5.0 * expected;
        let spread = (expected + expected * expected / shape).sqrt();
        if series.voices_in(t, 5) > expected + 2.0 * spread + 1.0 {
            return t;
        }
    }
    until
}

/// The sum of `values` over the `hours` that `usable` keeps (hours inside incidents left out).
fn usable_sum(
    values: &[f64],
    hours: std::ops::Range<usize>,
    usable: &dyn Fn(usize) -> bool,
) -> f64 {
    hours.filter(|&h| usable(h)).map(|h| values[h]).sum()
}
