//! Describing incidents the tracker found: counts, peak, baseline, regions, symptoms,
//! languages, related platforms and the provider, and the minute figures for charts.
//!
//! Reads the rows of each incident's span once; never changes what was detected or when.

use super::series::SeriesSet;
use super::stats::nb_upper_tail_score;
use super::tracker::{Context, PlatformOutcome, RawIncident};
use super::{
    DetectorConfig, Incident, IncidentStatus, IncidentTimeline, LanguageShare, RegionShare,
    SymptomShare, utc,
};
use outcry_model::{ObservationTable, SYMPTOM_KINDS};
use std::collections::{HashMap, HashSet};

/// Languages spoken mostly in one country: a complaint in one of them without any location is
/// weak evidence (a quarter of a voice) for that country. Languages shared by many countries
/// (en, es, pt, fr, ar, de, ru, zh...) are deliberately absent.
const LANGUAGE_COUNTRY_HINTS: [(&str, &str); 16] = [
    ("ja", "JP"),
    ("ko", "KR"),
    ("it", "IT"),
    ("pl", "PL"),
    ("tr", "TR"),
    ("th", "TH"),
    ("vi", "VN"),
    ("id", "ID"),
    ("nl", "NL"),
    ("cs", "CZ"),
    ("el", "GR"),
    ("hu", "HU"),
    ("uk", "UA"),
    ("he", "IL"),
    ("fa", "IR"),
    ("fi", "FI"),
];
const LANGUAGE_HINT_WEIGHT: f64 = 0.25;
/// Pseudo-count that pulls a platform's usual regional mix towards its mentions' mix.
const MIX_PSEUDO_COUNT: f64 = 20.0;
const MAX_LIFT: f64 = 99.0;
/// With fewer located voices than `min_located_voices`, a region is still named when its
/// voices are this improbable under the platform's usual mix (`-log10` of the Poisson tail):
/// five of six located British voices about a platform whose complaints are 10% British.
const THIN_REGION_MIN_SCORE: f64 = 3.0;
/// ... and it holds at least this many voices.
const THIN_REGION_MIN_VOICES: f64 = 3.0;
/// A shape this large makes the negative binomial a Poisson.
const POISSON_SHAPE: f64 = 1e9;

/// The usual regional mix of one platform's complaints, outside incidents. Counts are indexed
/// like `ObservationTable::regions`.
#[derive(Default)]
struct RegionalMix {
    complaints: Vec<f64>,
    complaints_located: f64,
    mentions: Vec<f64>,
    mentions_located: f64,
}

impl RegionalMix {
    fn new(n_regions: usize) -> RegionalMix {
        RegionalMix {
            complaints: vec![0.0; n_regions],
            mentions: vec![0.0; n_regions],
            ..RegionalMix::default()
        }
    }

    /// The usual share of region `index` (`None`: a region the table never names).
    fn share(&self, index: Option<usize>) -> f64 {
        let c = index
            .and_then(|i| self.complaints.get(i))
            .copied()
            .unwrap_or(0.0);
        let m = index
            .and_then(|i| self.mentions.get(i))
            .copied()
            .unwrap_or(0.0);
        let mention_share = if self.mentions_located > 0.0 {
            m / self.mentions_located
        } else {
            0.0
        };
        let share =
            (c + MIX_PSEUDO_COUNT * mention_share) / (self.complaints_located + MIX_PSEUDO_COUNT);
        share.max(0.5 / (self.complaints_located + self.mentions_located + MIX_PSEUDO_COUNT))
    }
}

fn language_hint(lang: &str) -> Option<&'static str> {
    LANGUAGE_COUNTRY_HINTS
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, c)| *c)
}

/// Turns raw incidents into described ones, sorted by start.
pub(crate) fn describe(
    table: &ObservationTable,
    set: &SeriesSet,
    context: &Context,
    outcomes: &[PlatformOutcome],
    provider_of: &dyn Fn(&str) -> Option<String>,
    config: &DetectorConfig,
) -> Vec<Incident> {
    let grid = set.grid;
    let spans: Vec<(usize, usize, usize)> = outcomes
        .iter()
        .flat_map(|o| {
            o.incidents
                .iter()
                .map(|i| (i.platform, i.start, i.end.unwrap_or(grid.len - 1)))
        })
        .collect();
    let mixes = regional_mixes(table, set, &spans);

    let mut incidents = Vec::new();
    for outcome in outcomes {
        for raw in &outcome.incidents {
            let mix = mixes.get(raw.platform).and_then(Option::as_ref);
            incidents.push(describe_one(table, set, context, outcome, raw, mix, config));
        }
    }
    incidents.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then_with(|| a.platform.cmp(&b.platform))
    });
    link_related(&mut incidents, provider_of, config);
    incidents
}

/// The usual regional mix of every platform that has an incident, from its located rows
/// outside its incidents' spans: one pass over the rows, with dense counts (no strings).
fn regional_mixes(
    table: &ObservationTable,
    set: &SeriesSet,
    spans: &[(usize, usize, usize)],
) -> Vec<Option<RegionalMix>> {
    let n_regions = table.regions.len();
    let mut mixes: Vec<Option<RegionalMix>> = (0..table.platforms.len()).map(|_| None).collect();
    let mut spans_of: Vec<Vec<(usize, usize)>> = vec![Vec::new(); table.platforms.len()];
    for &(p, a, b) in spans {
        if let Some(slot) = mixes.get_mut(p) {
            slot.get_or_insert_with(|| RegionalMix::new(n_regions));
            spans_of[p].push((a, b));
        }
    }
    if spans.is_empty() {
        return mixes;
    }
    let grid = set.grid;
    let outside_spans = |p: usize, m: usize| !spans_of[p].iter().any(|&(a, b)| m >= a && m <= b);
    let lo = table.rows.partition_point(|r| r.at < grid.unix_seconds(0));
    for row in table.rows[lo..].iter().filter(|row| row.complaint) {
        if row.regions.is_empty() {
            continue;
        }
        let Some(m) = grid.index_of(row.at) else {
            break;
        };
        for &p in &row.platforms {
            let p = p as usize;
            let Some(Some(mix)) = mixes.get_mut(p) else {
                continue;
            };
            if !outside_spans(p, m) {
                continue;
            }
            mix.complaints_located += 1.0;
            for &r in &row.regions {
                if let Some(count) = mix.complaints.get_mut(r as usize) {
                    *count += 1.0;
                }
            }
        }
    }
    // The other mentions come counted per minute.
    let mentions = table.all_mentions();
    for count in &mentions.platforms {
        let p = count.platform as usize;
        let (Some(m), Some(Some(mix))) = (grid.index_of(count.minute * 60), mixes.get_mut(p))
        else {
            continue;
        };
        if outside_spans(p, m) {
            mix.mentions_located += count.located as f64;
        }
    }
    for count in &mentions.regions {
        let p = count.platform as usize;
        let (Some(m), Some(Some(mix))) = (grid.index_of(count.minute * 60), mixes.get_mut(p))
        else {
            continue;
        };
        if outside_spans(p, m)
            && let Some(slot) = mix.mentions.get_mut(count.region as usize)
        {
            *slot += count.posts as f64;
        }
    }
    mixes
}

fn describe_one(
    table: &ObservationTable,
    set: &SeriesSet,
    context: &Context,
    outcome: &PlatformOutcome,
    raw: &RawIncident,
    mix: Option<&RegionalMix>,
    config: &DetectorConfig,
) -> Incident {
    let grid = set.grid;
    let ps = &set.platforms[raw.platform];
    let platform = table.platforms[raw.platform].clone();
    let a = raw.start;
    let b = raw.end.unwrap_or(grid.len - 1);

    let expected = |m: usize| -> (f64, f64) {
        let e = outcome
            .estimates
            .get(m / 60)
            .copied()
            .unwrap_or(baseline_fallback());
        (e.rate * context.window_ratio(m, 15.min(m + 1)), e.shape)
    };

    let complaints: u64 = ps.complaints[a..=b].iter().map(|&c| c as u64).sum();
    let smoothed = |m: usize| -> f64 {
        let lo = m.saturating_sub(2);
        let hi = (m + 2).min(grid.len - 1);
        ps.complaints[lo..=hi]
            .iter()
            .map(|&c| c as f64)
            .sum::<f64>()
            / (hi - lo + 1) as f64
    };
    let (peak, peak_per_minute) = (a..=b).fold((a, f64::MIN), |best, m| {
        let v = smoothed(m);
        if v > best.1 { (m, v) } else { best }
    });
    let baseline_voices: f64 = (a..=b).map(|m| expected(m).0).sum();
    let baseline_per_hour = baseline_voices / (b - a + 1) as f64 * 60.0;

    let chart_from = a.saturating_sub(180);
    let chart_to = (b + 60).min(grid.len - 1);
    let mut timeline = IncidentTimeline {
        from: utc(grid.unix_seconds(chart_from)),
        ..IncidentTimeline::default()
    };
    for m in chart_from..=chart_to {
        let (mu, shape) = expected(m);
        timeline.voices.push(ps.total.voices[m]);
        timeline.baseline.push(mu as f32);
        timeline
            .upper
            .push((mu + 3.0 * (mu + mu * mu / shape).sqrt()) as f32);
    }

    // The incident's complaint rows.
    let from_s = grid.unix_seconds(a);
    let to_s = grid.unix_seconds(b + 1);
    let lo = table.rows.partition_point(|r| r.at < from_s);
    let hi = table.rows.partition_point(|r| r.at < to_s);
    let p16 = raw.platform as u16;
    let mut authors: HashSet<u64> = HashSet::new();
    let mut anonymous = 0u64;
    let mut symptom_counts = [0u64; SYMPTOM_KINDS.len()];
    let mut with_symptom = 0u64;
    let mut langs: HashMap<u16, u64> = HashMap::new();
    let mut region_voices: HashMap<String, f64> = HashMap::new();
    let mut located = 0.0;
    let mut voices = 0.0;
    for row in &table.rows[lo..hi] {
        if !row.complaint || !row.platforms.contains(&p16) {
            continue;
        }
        *langs.entry(row.lang).or_insert(0) += 1;
        if row.symptoms != 0 {
            with_symptom += 1;
            for (i, kind) in SYMPTOM_KINDS.iter().enumerate() {
                if row.symptoms & kind.bit() != 0 {
                    symptom_counts[i] += 1;
                }
            }
        }
        let weight = match row.author {
            Some(author) => {
                if !authors.insert(author.0) {
                    continue;
                }
                1.0
            }
            None => {
                anonymous += 1;
                config.anonymous_weight as f64
            }
        };
        voices += weight;
        if row.regions.is_empty() {
            let hint = table
                .langs
                .get(row.lang as usize)
                .and_then(|l| language_hint(l));
            if let Some(country) = hint {
                let w = weight * LANGUAGE_HINT_WEIGHT;
                located += w;
                *region_voices.entry(country.to_string()).or_insert(0.0) += w;
            }
            continue;
        }
        located += weight;
        for &r in &row.regions {
            if let Some(code) = table.regions.get(r as usize) {
                *region_voices.entry(code.clone()).or_insert(0.0) += weight;
            }
        }
    }

    let trigger_region = raw
        .trigger
        .and_then(|t| ps.regions.get(t))
        .and_then(|(r, _)| table.regions.get(*r as usize))
        .cloned();
    let trigger_voices = trigger_region
        .as_ref()
        .and_then(|code| region_voices.get(code).copied())
        .unwrap_or(0.0);
    let mut regions = rank_regions(
        table,
        region_voices,
        located,
        voices,
        baseline_voices,
        mix,
        config,
    );
    if config.name_trigger_region
        && regions.is_empty()
        && let Some(code) = &trigger_region
        && trigger_voices > 0.0
    {
        regions.push(trigger_region_share(
            table,
            code,
            trigger_voices,
            located,
            mix,
        ));
    }
    let mut symptoms: Vec<SymptomShare> = SYMPTOM_KINDS
        .iter()
        .zip(symptom_counts)
        .filter(|(_, c)| *c as f64 >= 0.01 * with_symptom as f64 && *c > 0)
        .map(|(kind, c)| SymptomShare {
            kind: *kind,
            share: round3(c as f64 / with_symptom as f64),
        })
        .collect();
    symptoms.sort_by(|x, y| y.share.total_cmp(&x.share));
    let lang_total: u64 = langs.values().sum();
    let mut languages: Vec<LanguageShare> = langs
        .into_iter()
        .filter_map(|(l, c)| {
            let code = table.langs.get(l as usize)?;
            let share = c as f64 / lang_total.max(1) as f64;
            (code != "und" && !code.is_empty() && share >= 0.02).then(|| LanguageShare {
                code: code.clone(),
                share: round3(share),
            })
        })
        .collect();
    languages.sort_by(|x, y| {
        y.share
            .total_cmp(&x.share)
            .then_with(|| x.code.cmp(&y.code))
    });
    languages.truncate(8);

    let detected_at = utc(grid.unix_seconds(raw.detected + 1));
    Incident {
        id: format!("{platform}-{}", detected_at.format("%Y%m%dT%H%MZ")),
        platform,
        related: Vec::new(),
        provider: None,
        start: utc(from_s),
        detected_at,
        peak_at: utc(grid.unix_seconds(peak)),
        end: raw.end.map(|e| utc(grid.unix_seconds(e + 1))),
        resolved_at: raw.resolved.map(|r| utc(grid.unix_seconds(r + 1))),
        status: if raw.end.is_some() {
            IncidentStatus::Resolved
        } else {
            IncidentStatus::Ongoing
        },
        complaints,
        authors: authors.len() as u64 + anonymous,
        baseline_per_hour: round3(baseline_per_hour),
        peak_per_minute: round3(peak_per_minute),
        score: round3(raw.score),
        trigger_region,
        regions,
        symptoms,
        languages,
        timeline,
    }
}

fn baseline_fallback() -> super::baseline::Estimate {
    super::baseline::Estimate {
        rate: 0.0,
        shape: 1.0,
    }
}

/// Regions with enough evidence, most affected first: ranked by excess voices over what the
/// usual mix predicts for the baseline part of the incident, so a global outage lists regions
/// in their usual order and a regional one puts its region first.
fn rank_regions(
    table: &ObservationTable,
    region_voices: HashMap<String, f64>,
    located: f64,
    voices: f64,
    baseline_voices: f64,
    mix: Option<&RegionalMix>,
    config: &DetectorConfig,
) -> Vec<RegionShare> {
    let thin = located < config.min_located_voices;
    if thin && !(config.name_standout_regions && mix.is_some()) {
        return Vec::new();
    }
    let located_fraction = if voices > 0.0 { located / voices } else { 0.0 };
    let baseline_located = baseline_voices * located_fraction;
    let mut ranked: Vec<(f64, RegionShare)> = region_voices
        .into_iter()
        .filter_map(|(code, n)| {
            let share = n / located;
            let usual = usual_share(table, mix, &code, share);
            let enough = if thin {
                n >= THIN_REGION_MIN_VOICES
                    && nb_upper_tail_score(n.floor() as u64, usual * located, POISSON_SHAPE)
                        >= THIN_REGION_MIN_SCORE
            } else {
                n >= config.min_region_voices && share >= config.min_region_share
            };
            if !enough {
                return None;
            }
            let excess = n - usual * baseline_located;
            (excess > 0.0).then(|| (excess, region_share(code, share, usual)))
        })
        .collect();
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.code.cmp(&y.1.code)));
    // A subdivision that holds most of its country's excess is the better answer ("US-NY"
    // rather than "US" for an outage in New York).
    if let Some((top_excess, top)) = ranked.first().map(|(e, r)| (*e, r.code.clone()))
        && !top.contains('-')
        && let Some(pos) = ranked
            .iter()
            .position(|(e, r)| r.code.starts_with(&format!("{top}-")) && *e >= 0.7 * top_excess)
    {
        let sub = ranked.remove(pos);
        ranked.insert(0, sub);
    }
    ranked.into_iter().take(10).map(|(_, r)| r).collect()
}

/// The region whose own series opened the incident, named when the incident's located voices
/// are too few for `rank_regions`: the alarm on that series is the evidence (its threshold is
/// the strictest of all, since quiet pairs are many), and without it a regional outage on a
/// quiet platform would be described as coming from nowhere.
fn trigger_region_share(
    table: &ObservationTable,
    code: &str,
    voices_there: f64,
    located: f64,
    mix: Option<&RegionalMix>,
) -> RegionShare {
    let share = (voices_there / located.max(voices_there)).min(1.0);
    let usual = usual_share(table, mix, code, share);
    region_share(code.to_string(), share, usual)
}

/// A region's usual share of the platform's located complaints; without a usual mix, its share
/// in the incident (a lift of 1).
fn usual_share(table: &ObservationTable, mix: Option<&RegionalMix>, code: &str, share: f64) -> f64 {
    let index = table.regions.iter().position(|r| r == code);
    mix.map(|m| m.share(index)).unwrap_or(share)
}

/// A named region: its share of the incident's located voices and its lift over the usual.
fn region_share(code: String, share: f64, usual: f64) -> RegionShare {
    RegionShare {
        code,
        share: round3(share),
        lift: round3((share / usual).min(MAX_LIFT)),
    }
}

/// Links incidents of different platforms that start close together; names the provider when
/// at least two of its platforms are in the group.
fn link_related(
    incidents: &mut [Incident],
    provider_of: &dyn Fn(&str) -> Option<String>,
    config: &DetectorConfig,
) {
    let window = config.related_within_minutes * 60;
    let providers: Vec<Option<String>> =
        incidents.iter().map(|i| provider_of(&i.platform)).collect();
    let mut related: Vec<Vec<usize>> = vec![Vec::new(); incidents.len()];
    for i in 0..incidents.len() {
        for j in 0..incidents.len() {
            if i == j || incidents[i].platform == incidents[j].platform {
                continue;
            }
            let gap = (incidents[i].start.timestamp() - incidents[j].start.timestamp()).abs();
            if gap <= window {
                related[i].push(j);
            }
        }
    }
    for (i, links) in related.iter().enumerate() {
        let mut names: Vec<String> = links
            .iter()
            .map(|&j| incidents[j].platform.clone())
            .collect();
        names.sort();
        names.dedup();
        let provider = providers[i].clone().filter(|p| {
            links
                .iter()
                .any(|&j| providers[j].as_deref() == Some(p.as_str()))
        });
        incidents[i].related = names;
        incidents[i].provider = provider;
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A platform whose complaints come 40% from the US and 10% each from five other
    /// countries, over 500 located complaints.
    fn usual_world() -> (ObservationTable, RegionalMix) {
        let codes = ["US", "BR", "IN", "GB", "DE", "JP"];
        let table = ObservationTable {
            regions: codes.iter().map(|c| c.to_string()).collect(),
            ..ObservationTable::default()
        };
        let mut mix = RegionalMix::new(codes.len());
        for (i, share) in [0.4, 0.12, 0.12, 0.12, 0.12, 0.12].into_iter().enumerate() {
            mix.complaints[i] = 500.0 * share;
            mix.mentions[i] = 5000.0 * share;
        }
        mix.complaints_located = 500.0;
        mix.mentions_located = 5000.0;
        (table, mix)
    }

    fn ranked(voices: &[(&str, f64)], config: &DetectorConfig) -> Vec<String> {
        let (table, mix) = usual_world();
        let located: f64 = voices.iter().map(|v| v.1).sum();
        let region_voices = voices.iter().map(|(c, n)| (c.to_string(), *n)).collect();
        rank_regions(
            &table,
            region_voices,
            located,
            located,
            1.0,
            Some(&mix),
            config,
        )
        .into_iter()
        .map(|r| r.code)
        .collect()
    }

    #[test]
    fn few_located_voices_name_a_region_only_when_it_stands_out() {
        let config = DetectorConfig::default();
        // Six located voices, five of them British where a British complaint is one in eight:
        // a chance of about 1e-4, so Britain is named although six is under the ten located
        // voices a full description needs.
        assert_eq!(ranked(&[("GB", 5.0), ("US", 1.0)], &config), ["GB"]);
        // Six voices in the usual proportions name nothing.
        assert!(
            ranked(
                &[("US", 3.0), ("GB", 1.0), ("DE", 1.0), ("JP", 1.0)],
                &config
            )
            .is_empty()
        );
        // Three American voices of four are what the usual mix gives often enough.
        assert!(ranked(&[("US", 3.0), ("BR", 1.0)], &config).is_empty());
        // Without the rule, thin evidence names nothing.
        let strict = DetectorConfig {
            name_standout_regions: false,
            ..DetectorConfig::default()
        };
        assert!(ranked(&[("GB", 5.0), ("US", 1.0)], &strict).is_empty());
    }

    #[test]
    fn the_region_that_opened_an_incident_is_named_when_nothing_else_is() {
        let (table, mix) = usual_world();
        let named = trigger_region_share(&table, "JP", 4.0, 5.0, Some(&mix));
        assert_eq!(named.code, "JP");
        assert_eq!(named.share, 0.8);
        assert!(named.lift > 6.0, "{}", named.lift);
        // Voices of the region that the location count missed (language hints) never make a
        // share above one.
        assert_eq!(
            trigger_region_share(&table, "JP", 2.0, 0.0, None).share,
            1.0
        );
    }
}
