//! The scenario file format (`data/scenarios/*.toml`) and its validation.
//!
//! A scenario is data: the audience (regions with time zones, weights, languages and declared
//! locations), the platforms with their usual mention and complaint rates, the author pool, and
//! the incidents and decoys to play. This module parses and checks it, so that every mistake is
//! reported with file, line and a fix before anything is generated. It never generates posts
//! (that is `generate.rs`) and never reads files (the caller hands the text in).

use super::phrases::PhraseBook;
use crate::data::{DataError, DataFile};
use chrono::{DateTime, Duration, Utc};
use outcry_model::{SYMPTOM_KINDS, Symptom};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Activity by local hour (0 to 23) when a scenario gives no `daily_cycle`: people post least
/// around 4 a.m. and most in the evening.
pub const DEFAULT_DAILY_CYCLE: [f64; 24] = [
    0.45, 0.30, 0.20, 0.14, 0.12, 0.15, 0.25, 0.45, 0.65, 0.75, 0.80, 0.85, 0.88, 0.88, 0.86, 0.86,
    0.88, 0.92, 0.97, 1.00, 1.00, 0.95, 0.80, 0.62,
];

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name (`week`), used in truth files.
    pub name: String,
    /// What the scenario plays, for people.
    pub description: String,
    /// The first instant simulated.
    pub start: DateTime<Utc>,
    /// Length of the simulated span in minutes.
    pub minutes: i64,
    /// The `source` field of every generated record.
    pub source: String,
    /// Share of posts whose record carries a `lang` field.
    pub lang_field_share: f64,
    /// Share of complaints sent as crowd reports (`kind: "report"`).
    pub report_share: f64,
    /// Posts per minute that mention no platform, when every region is at its busiest hour.
    pub background_per_minute: f64,
    /// Share of a platform's usual mentions that are traps (look like complaints, are not).
    pub trap_share: f64,
    /// Activity by local hour, 24 values, the busiest hour being 1.0.
    pub daily_cycle: [f64; 24],
    /// Activity multiplier on Saturdays and Sundays (local time).
    pub weekend_factor: f64,
    /// The author pool.
    pub authors: AuthorPool,
    /// Audience regions.
    pub regions: Vec<Region>,
    /// Platforms people talk about.
    pub platforms: Vec<Platform>,
    /// True incidents.
    pub incidents: Vec<Incident>,
    /// Things that must not become incidents.
    pub decoys: Vec<Decoy>,
    /// Phrase templates, by language.
    pub phrases: PhraseBook,
}

/// Who writes the posts.
#[derive(Debug, Clone)]
pub struct AuthorPool {
    /// Number of distinct authors (split over regions by audience weight).
    pub count: u32,
    /// Share of authors whose record has no `location` field.
    pub no_location_share: f64,
    /// Share of authors whose declared location names no place (`☀️`, `earth`, empty).
    pub placeless_share: f64,
    /// Declared locations that name no place.
    pub placeless_locations: Vec<String>,
}

/// An audience region.
#[derive(Debug, Clone)]
pub struct Region {
    /// ISO 3166 code (`BR`, `US-NY`).
    pub code: String,
    /// Offset of local time from UTC in hours (`-3`, `5.5`); daylight saving is not modelled.
    pub utc_offset_hours: f64,
    /// Share of the audience (normalised over all regions).
    pub weight: f64,
    /// Languages people in the region write in, with weights (normalised).
    pub languages: Vec<(String, f64)>,
    /// Profile locations people in the region declare, messy as in real profiles.
    pub locations: Vec<String>,
    /// Place names people write in posts ("aqui em SP").
    pub places: Vec<String>,
}

/// A platform people mention.
#[derive(Debug, Clone)]
pub struct Platform {
    /// Catalog id (`whatsapp`).
    pub id: String,
    /// Mentions per minute when every region is at its busiest hour.
    pub mentions_per_minute: f64,
    /// Share of usual mentions that are complaints (people always have some problem).
    pub complaint_rate: f64,
    /// How people write the name, any language.
    pub names: Vec<String>,
    /// Extra names by language (`pt`: `zap`).
    pub local_names: BTreeMap<String, Vec<String>>,
    /// Stem of hashtags (`WhatsApp` gives `#WhatsAppDown`).
    pub hashtag: String,
    /// Audience by region index (normalised); the scenario's region weights when not given.
    pub audience: Vec<f64>,
}

/// A true incident to play.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Identifier in the truth file.
    pub id: String,
    /// Indices into [`Scenario::platforms`] of the platforms that fail.
    pub platforms: Vec<usize>,
    /// The provider named when several services of one provider fail together.
    pub provider: Option<String>,
    /// Onset.
    pub start: DateTime<Utc>,
    /// Minutes from onset until complaints are back to usual.
    pub duration_minutes: i64,
    /// Minutes over which complaints rise to the plateau.
    pub ramp_minutes: i64,
    /// Minutes over which complaints fall back at the end (recovery posts appear then).
    pub recovery_minutes: i64,
    /// Complaint rate at the plateau, as a multiple of the platform's usual complaint rate at
    /// that time of day, per platform index.
    pub intensity: Vec<f64>,
    /// Region weights by region index for a regional incident; `None` for a global one.
    pub regions: Option<Vec<f64>>,
    /// Symptom mix (normalised).
    pub symptoms: Vec<(Symptom, f64)>,
    /// Recovery posts per minute during recovery, as a share of the plateau's extra complaints.
    pub recovery_share: f64,
}

/// Kinds of decoy: things that look like a burst but are no outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecoyKind {
    /// A viral spike of mentions without complaints (a feature launch).
    Launch,
    /// A meme using "down" in another sense.
    Meme,
    /// A copy-paste flood of complaint-looking posts from a few accounts.
    BotFlood,
    /// No posts at all for a while (the collector stopped).
    IngestGap,
    /// The news wave after an outage: past-tense posts.
    NewsWave,
}

impl DecoyKind {
    /// The snake_case name used in scenario and truth files.
    pub fn as_str(self) -> &'static str {
        match self {
            DecoyKind::Launch => "launch",
            DecoyKind::Meme => "meme",
            DecoyKind::BotFlood => "bot_flood",
            DecoyKind::IngestGap => "ingest_gap",
            DecoyKind::NewsWave => "news_wave",
        }
    }
}

/// A decoy to play.
#[derive(Debug, Clone)]
pub struct Decoy {
    /// Identifier in the truth file.
    pub id: String,
    /// What it is.
    pub kind: DecoyKind,
    /// Platform indices it concerns (empty for an ingest gap).
    pub platforms: Vec<usize>,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// How long it lasts.
    pub duration_minutes: i64,
    /// Launch, meme, news wave: extra posts as a multiple of the platform's usual mention rate.
    pub intensity: f64,
    /// Bot flood: posts per minute.
    pub posts_per_minute: f64,
    /// Bot flood: number of accounts posting.
    pub accounts: u32,
}

impl Scenario {
    /// The first instant after the simulated span.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(self.minutes)
    }

    /// A copy with every volume multiplied by `factor` (mention rates, background, bot floods),
    /// for quick tests: incidents keep their intensity, since that is relative to usual rates.
    pub fn scaled(&self, factor: f64) -> Scenario {
        let mut s = self.clone();
        let factor = factor.max(0.0);
        s.background_per_minute *= factor;
        for p in &mut s.platforms {
            p.mentions_per_minute *= factor;
        }
        for d in &mut s.decoys {
            d.posts_per_minute *= factor;
        }
        s
    }

    /// Index of the platform with catalog id `id`.
    pub fn platform_index(&self, id: &str) -> Option<usize> {
        self.platforms.iter().position(|p| p.id == id)
    }

    /// Parses and validates a scenario file against a phrase book.
    pub fn parse_with_phrases(
        file: DataFile<'_>,
        phrases: PhraseBook,
    ) -> Result<Scenario, DataError> {
        let raw: RawScenario =
            toml::from_str(file.text).map_err(|e| DataError::from_toml(&file, &e))?;
        build(&file, raw, phrases)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    scenario: Spanned<RawHeader>,
    authors: Spanned<RawAuthors>,
    #[serde(default)]
    region: Vec<Spanned<RawRegion>>,
    #[serde(default)]
    platform: Vec<Spanned<RawPlatform>>,
    #[serde(default)]
    incident: Vec<Spanned<RawIncident>>,
    #[serde(default)]
    decoy: Vec<Spanned<RawDecoy>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    #[serde(default)]
    description: String,
    start: Spanned<String>,
    duration_hours: Spanned<f64>,
    #[serde(default = "default_source")]
    source: String,
    #[serde(default = "default_lang_field_share")]
    lang_field_share: Spanned<f64>,
    #[serde(default = "default_report_share")]
    report_share: Spanned<f64>,
    #[serde(default = "unset")]
    background_per_minute: Spanned<f64>,
    #[serde(default = "default_trap_share")]
    trap_share: Spanned<f64>,
    daily_cycle: Option<Spanned<Vec<f64>>>,
    #[serde(default = "default_weekend_factor")]
    weekend_factor: Spanned<f64>,
}

/// A value the file left out: an empty span, so errors fall back to the table's line.
fn unset<T: Default>() -> Spanned<T> {
    Spanned::new(0..0, T::default())
}

fn default_source() -> String {
    "sim".into()
}
fn default_lang_field_share() -> Spanned<f64> {
    Spanned::new(0..0, 0.7)
}
fn default_report_share() -> Spanned<f64> {
    Spanned::new(0..0, 0.0)
}
fn default_trap_share() -> Spanned<f64> {
    Spanned::new(0..0, 0.03)
}
fn default_weekend_factor() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthors {
    count: Spanned<i64>,
    #[serde(default = "unset")]
    no_location_share: Spanned<f64>,
    #[serde(default = "unset")]
    placeless_share: Spanned<f64>,
    #[serde(default)]
    placeless_locations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    code: Spanned<String>,
    utc_offset: Spanned<f64>,
    weight: Spanned<f64>,
    languages: Spanned<BTreeMap<String, f64>>,
    #[serde(default)]
    locations: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatform {
    id: Spanned<String>,
    mentions_per_minute: Spanned<f64>,
    complaint_rate: Spanned<f64>,
    names: Spanned<Vec<String>>,
    #[serde(default)]
    local_names: BTreeMap<String, Vec<String>>,
    hashtag: Option<String>,
    audience: Option<Spanned<BTreeMap<String, f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncident {
    id: Spanned<String>,
    platforms: Spanned<Vec<String>>,
    provider: Option<String>,
    start: Spanned<String>,
    duration_minutes: Spanned<i64>,
    #[serde(default = "default_ramp")]
    ramp_minutes: Spanned<i64>,
    #[serde(default = "default_recovery")]
    recovery_minutes: Spanned<i64>,
    intensity: Spanned<f64>,
    #[serde(default = "unset")]
    intensity_by_platform: Spanned<BTreeMap<String, f64>>,
    regions: Option<Spanned<BTreeMap<String, f64>>>,
    symptoms: Spanned<BTreeMap<String, f64>>,
    #[serde(default = "default_recovery_share")]
    recovery_share: Spanned<f64>,
}

fn default_ramp() -> Spanned<i64> {
    Spanned::new(0..0, 3)
}
fn default_recovery() -> Spanned<i64> {
    Spanned::new(0..0, 10)
}
fn default_recovery_share() -> Spanned<f64> {
    Spanned::new(0..0, 0.15)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecoy {
    id: Spanned<String>,
    kind: Spanned<DecoyKind>,
    #[serde(default = "unset")]
    platforms: Spanned<Vec<String>>,
    start: Spanned<String>,
    duration_minutes: Spanned<i64>,
    #[serde(default = "unset")]
    intensity: Spanned<f64>,
    #[serde(default = "unset")]
    posts_per_minute: Spanned<f64>,
    #[serde(default = "unset")]
    accounts: Spanned<i64>,
}

/// Checks `value` is within `range`, or names the line and the accepted range.
fn check_range<T: PartialOrd + std::fmt::Display + Copy>(
    file: &DataFile<'_>,
    value: &Spanned<T>,
    fallback_line: usize,
    what: &str,
    low: T,
    high: T,
) -> Result<T, DataError> {
    let v = *value.get_ref();
    if v >= low && v <= high {
        return Ok(v);
    }
    Err(DataError::at_line(
        file,
        line_of(file, value.span(), fallback_line),
        format!("`{what}` is {v}, outside the accepted range"),
        format!("use a value from {low} to {high}"),
    ))
}

/// The line of a span, or `fallback` for values that came from a default (empty span).
fn line_of(file: &DataFile<'_>, span: std::ops::Range<usize>, fallback: usize) -> usize {
    if span.is_empty() {
        fallback
    } else {
        crate::data::line_of_offset(file.text, span.start)
    }
}

fn parse_time(
    file: &DataFile<'_>,
    value: &Spanned<String>,
    what: &str,
) -> Result<DateTime<Utc>, DataError> {
    DateTime::parse_from_rfc3339(value.get_ref().trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            DataError::at_line(
                file,
                line_of(file, value.span(), 0),
                format!(
                    "`{what}` {:?} is not an RFC 3339 time ({e})",
                    value.get_ref()
                ),
                "write a quoted UTC time such as \"2021-10-06T17:40:00Z\"",
            )
        })
}

fn build(
    file: &DataFile<'_>,
    raw: RawScenario,
    phrases: PhraseBook,
) -> Result<Scenario, DataError> {
    let header_line = line_of(file, raw.scenario.span(), 1);
    let header = raw.scenario.into_inner();
    let start = parse_time(file, &header.start, "start")?;
    let hours = check_range(
        file,
        &header.duration_hours,
        header_line,
        "duration_hours",
        1.0,
        24.0 * 60.0,
    )?;
    let minutes = (hours * 60.0).round() as i64;
    let end = start + Duration::minutes(minutes);
    let daily_cycle = match &header.daily_cycle {
        None => DEFAULT_DAILY_CYCLE,
        Some(cycle) => {
            let values = cycle.get_ref();
            let line = line_of(file, cycle.span(), header_line);
            let ok = values.len() == 24
                && values.iter().all(|v| v.is_finite() && *v >= 0.0)
                && values.iter().any(|v| *v > 0.0);
            if !ok {
                return Err(DataError::at_line(
                    file,
                    line,
                    format!(
                        "`daily_cycle` has {} values; it needs 24 non-negative numbers, not all zero",
                        values.len()
                    ),
                    "give the relative activity for each local hour 0 to 23, e.g. 0.4 at night and 1.0 in the evening",
                ));
            }
            let max = values.iter().cloned().fold(0.0, f64::max);
            let mut out = [0.0; 24];
            for (o, v) in out.iter_mut().zip(values) {
                *o = v / max;
            }
            out
        }
    };
    let authors_line = line_of(file, raw.authors.span(), 1);
    let authors = raw.authors.into_inner();
    let author_count =
        check_range(file, &authors.count, authors_line, "count", 1, 50_000_000)? as u32;
    let no_location_share = check_range(
        file,
        &authors.no_location_share,
        authors_line,
        "no_location_share",
        0.0,
        1.0,
    )?;
    let placeless_share = check_range(
        file,
        &authors.placeless_share,
        authors_line,
        "placeless_share",
        0.0,
        1.0,
    )?;
    if no_location_share + placeless_share > 1.0 {
        return Err(DataError::at_line(
            file,
            authors_line,
            "`no_location_share` + `placeless_share` is more than 1",
            "lower one of them: the rest of the authors declare a location of their region",
        ));
    }
    if placeless_share > 0.0 && authors.placeless_locations.is_empty() {
        return Err(DataError::at_line(
            file,
            authors_line,
            "`placeless_share` is above 0 but `placeless_locations` is empty",
            "list locations that name no place, e.g. placeless_locations = [\"\", \"☀️\", \"earth\"]",
        ));
    }

    if raw.region.is_empty() {
        return Err(DataError::at_line(
            file,
            0,
            "the scenario has no [[region]]",
            "add at least one [[region]] table (see data/README.md, ## Scenarios)",
        ));
    }
    let mut regions: Vec<Region> = Vec::new();
    for spanned in &raw.region {
        let line = line_of(file, spanned.span(), 1);
        let r = spanned.get_ref();
        let code = r.code.get_ref().trim().to_string();
        let valid_code = {
            let mut parts = code.splitn(2, '-');
            let country = parts.next().unwrap_or("");
            country.len() == 2
                && country.bytes().all(|b| b.is_ascii_uppercase())
                && parts.next().is_none_or(|sub| {
                    !sub.is_empty()
                        && sub.len() <= 3
                        && sub
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                })
        };
        if !valid_code {
            return Err(DataError::at_line(
                file,
                line_of(file, r.code.span(), line),
                format!("region code {code:?} is not an ISO 3166 code"),
                "use an upper-case country code such as \"BR\" or a subdivision such as \"US-NY\"",
            ));
        }
        if regions.iter().any(|o| o.code == code) {
            return Err(DataError::at_line(
                file,
                line_of(file, r.code.span(), line),
                format!("region {code} is listed twice"),
                "merge the two [[region]] tables",
            ));
        }
        let utc_offset_hours = check_range(file, &r.utc_offset, line, "utc_offset", -12.0, 14.0)?;
        let weight = check_range(file, &r.weight, line, "weight", 0.0, 1e9)?;
        let lang_line = line_of(file, r.languages.span(), line);
        let languages = normalise_weights(file, lang_line, "languages", r.languages.get_ref())?;
        for (lang, _) in &languages {
            if !phrases.has_language(lang) {
                return Err(DataError::at_line(
                    file,
                    lang_line,
                    format!(
                        "region {code} writes in {lang:?}, which the phrase book has no templates for"
                    ),
                    format!(
                        "use one of: {} (or add templates for it to data/scenarios/phrases.toml)",
                        phrases.languages().join(", ")
                    ),
                ));
            }
        }
        regions.push(Region {
            code,
            utc_offset_hours,
            weight,
            languages,
            locations: r.locations.clone(),
            places: r.places.clone(),
        });
    }
    if regions.iter().all(|r| r.weight <= 0.0) {
        return Err(DataError::at_line(
            file,
            0,
            "every region has weight 0",
            "give at least one region a positive `weight`",
        ));
    }
    let region_index = |code: &str| regions.iter().position(|r| r.code == code);
    let default_audience = {
        let total: f64 = regions.iter().map(|r| r.weight).sum();
        regions.iter().map(|r| r.weight / total).collect::<Vec<_>>()
    };
    let region_codes = regions
        .iter()
        .map(|r| r.code.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let weights_by_region =
        |line: usize, what: &str, map: &BTreeMap<String, f64>| -> Result<Vec<f64>, DataError> {
            let mut out = vec![0.0; regions.len()];
            for (code, w) in map {
                let Some(i) = region_index(code) else {
                    return Err(DataError::at_line(
                        file,
                        line,
                        format!("`{what}` names region {code:?}, which has no [[region]] table"),
                        format!("use one of the scenario's regions: {region_codes}"),
                    ));
                };
                if !(w.is_finite() && *w >= 0.0) {
                    return Err(DataError::at_line(
                        file,
                        line,
                        format!("`{what}` gives {code} the weight {w}"),
                        "weights are non-negative numbers",
                    ));
                }
                out[i] = *w;
            }
            let total: f64 = out.iter().sum();
            if total <= 0.0 {
                return Err(DataError::at_line(
                    file,
                    line,
                    format!("`{what}` has no positive weight"),
                    "give at least one region a positive weight",
                ));
            }
            Ok(out.into_iter().map(|w| w / total).collect())
        };

    if raw.platform.is_empty() {
        return Err(DataError::at_line(
            file,
            0,
            "the scenario has no [[platform]]",
            "add at least one [[platform]] table",
        ));
    }
    let mut platforms: Vec<Platform> = Vec::new();
    for spanned in &raw.platform {
        let line = line_of(file, spanned.span(), 1);
        let p = spanned.get_ref();
        let id = p.id.get_ref().trim().to_string();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(DataError::at_line(
                file,
                line_of(file, p.id.span(), line),
                format!("platform id {id:?} is not a catalog slug"),
                "use the id from data/platforms.toml, e.g. \"whatsapp\" or \"google-search\"",
            ));
        }
        if platforms.iter().any(|o| o.id == id) {
            return Err(DataError::at_line(
                file,
                line_of(file, p.id.span(), line),
                format!("platform {id} is listed twice"),
                "merge the two [[platform]] tables",
            ));
        }
        let mentions_per_minute = check_range(
            file,
            &p.mentions_per_minute,
            line,
            "mentions_per_minute",
            0.0,
            1e6,
        )?;
        let complaint_rate =
            check_range(file, &p.complaint_rate, line, "complaint_rate", 0.0, 1.0)?;
        let names: Vec<String> = p
            .names
            .get_ref()
            .iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return Err(DataError::at_line(
                file,
                line_of(file, p.names.span(), line),
                format!("platform {id} has no `names`"),
                "list how people write its name, e.g. names = [\"WhatsApp\", \"whatsapp\"]",
            ));
        }
        let audience = match &p.audience {
            None => default_audience.clone(),
            Some(a) => weights_by_region(line_of(file, a.span(), line), "audience", a.get_ref())?,
        };
        platforms.push(Platform {
            hashtag: p
                .hashtag
                .clone()
                .unwrap_or_else(|| names[0].replace(' ', "")),
            id,
            mentions_per_minute,
            complaint_rate,
            names,
            local_names: p.local_names.clone(),
            audience,
        });
    }
    let platform_ids = platforms
        .iter()
        .map(|p| p.id.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let platform_indices = |line: usize, ids: &[String]| -> Result<Vec<usize>, DataError> {
        let mut out = Vec::new();
        for id in ids {
            match platforms.iter().position(|p| &p.id == id) {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => {
                    return Err(DataError::at_line(
                        file,
                        line,
                        format!("platform {id:?} has no [[platform]] table in this scenario"),
                        format!("use one of: {platform_ids}"),
                    ));
                }
            }
        }
        Ok(out)
    };
    let in_span = |line: usize,
                   what: &str,
                   from: DateTime<Utc>,
                   to: DateTime<Utc>|
     -> Result<(), DataError> {
        if from < start || to > end {
            return Err(DataError::at_line(
                file,
                line,
                format!("{what} runs from {from} to {to}, outside the scenario ({start} to {end})"),
                "move it inside the scenario's span or lengthen `duration_hours`",
            ));
        }
        Ok(())
    };

    let mut ids: Vec<String> = Vec::new();
    let mut incidents = Vec::new();
    for spanned in &raw.incident {
        let line = line_of(file, spanned.span(), 1);
        let i = spanned.get_ref();
        let id = i.id.get_ref().trim().to_string();
        if id.is_empty() || ids.contains(&id) {
            return Err(DataError::at_line(
                file,
                line_of(file, i.id.span(), line),
                format!("incident id {id:?} is empty or used twice"),
                "give every incident and decoy its own id",
            ));
        }
        ids.push(id.clone());
        let plats_line = line_of(file, i.platforms.span(), line);
        let plats = platform_indices(plats_line, i.platforms.get_ref())?;
        if plats.is_empty() {
            return Err(DataError::at_line(
                file,
                plats_line,
                format!("incident {id} names no platform"),
                "list the failing platforms, e.g. platforms = [\"whatsapp\"]",
            ));
        }
        let istart = parse_time(file, &i.start, "start")?;
        let duration = check_range(
            file,
            &i.duration_minutes,
            line,
            "duration_minutes",
            1,
            60 * 24 * 30,
        )?;
        let ramp = check_range(file, &i.ramp_minutes, line, "ramp_minutes", 0, duration)?;
        let recovery = check_range(
            file,
            &i.recovery_minutes,
            line,
            "recovery_minutes",
            0,
            duration - ramp,
        )?;
        in_span(
            line,
            &format!("incident {id}"),
            istart,
            istart + Duration::minutes(duration),
        )?;
        let base_intensity = check_range(file, &i.intensity, line, "intensity", 1.0, 1e5)?;
        let mut intensity = vec![base_intensity; plats.len()];
        let by_line = line_of(file, i.intensity_by_platform.span(), line);
        for (pid, v) in i.intensity_by_platform.get_ref() {
            let Some(k) = plats.iter().position(|&p| platforms[p].id == *pid) else {
                return Err(DataError::at_line(
                    file,
                    by_line,
                    format!(
                        "`intensity_by_platform` names {pid:?}, which is not among this incident's platforms"
                    ),
                    "add it to `platforms` or remove it here",
                ));
            };
            if !(1.0..=1e5).contains(v) {
                return Err(DataError::at_line(
                    file,
                    by_line,
                    format!("`intensity_by_platform.{pid}` is {v}"),
                    "use a multiple of the usual complaint rate from 1 to 100000",
                ));
            }
            intensity[k] = *v;
        }
        let regions_w = match &i.regions {
            None => None,
            Some(r) => Some(weights_by_region(
                line_of(file, r.span(), line),
                "regions",
                r.get_ref(),
            )?),
        };
        let sym_line = line_of(file, i.symptoms.span(), line);
        let mut symptoms = Vec::new();
        for (name, share) in normalise_weights(file, sym_line, "symptoms", i.symptoms.get_ref())? {
            let Some(kind) = Symptom::parse(&name) else {
                let kinds: Vec<&str> = SYMPTOM_KINDS.iter().map(|s| s.as_str()).collect();
                return Err(DataError::at_line(
                    file,
                    sym_line,
                    format!("unknown symptom kind {name:?}"),
                    format!("use one of: {}", kinds.join(", ")),
                ));
            };
            symptoms.push((kind, share));
        }
        let recovery_share =
            check_range(file, &i.recovery_share, line, "recovery_share", 0.0, 10.0)?;
        incidents.push(Incident {
            id,
            platforms: plats,
            provider: i
                .provider
                .clone()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            start: istart,
            duration_minutes: duration,
            ramp_minutes: ramp,
            recovery_minutes: recovery,
            intensity,
            regions: regions_w,
            symptoms,
            recovery_share,
        });
    }

    let mut decoys = Vec::new();
    for spanned in &raw.decoy {
        let line = line_of(file, spanned.span(), 1);
        let d = spanned.get_ref();
        let id = d.id.get_ref().trim().to_string();
        if id.is_empty() || ids.contains(&id) {
            return Err(DataError::at_line(
                file,
                line_of(file, d.id.span(), line),
                format!("decoy id {id:?} is empty or used twice"),
                "give every incident and decoy its own id",
            ));
        }
        ids.push(id.clone());
        let kind = *d.kind.get_ref();
        let plats_line = line_of(file, d.platforms.span(), line);
        let plats = platform_indices(plats_line, d.platforms.get_ref())?;
        if kind != DecoyKind::IngestGap && plats.is_empty() {
            return Err(DataError::at_line(
                file,
                line,
                format!("decoy {id} ({}) names no platform", kind.as_str()),
                "list the platforms it concerns, e.g. platforms = [\"instagram\"]",
            ));
        }
        let dstart = parse_time(file, &d.start, "start")?;
        let duration = check_range(
            file,
            &d.duration_minutes,
            line,
            "duration_minutes",
            1,
            60 * 24 * 30,
        )?;
        in_span(
            line,
            &format!("decoy {id}"),
            dstart,
            dstart + Duration::minutes(duration),
        )?;
        let (intensity, posts_per_minute, accounts) = match kind {
            DecoyKind::IngestGap => (0.0, 0.0, 0),
            DecoyKind::BotFlood => (
                0.0,
                check_range(
                    file,
                    &d.posts_per_minute,
                    line,
                    "posts_per_minute",
                    0.1,
                    1e6,
                )?,
                check_range(file, &d.accounts, line, "accounts", 1, 1000)? as u32,
            ),
            DecoyKind::Launch | DecoyKind::Meme | DecoyKind::NewsWave => (
                check_range(file, &d.intensity, line, "intensity", 0.01, 1e5)?,
                0.0,
                0,
            ),
        };
        decoys.push(Decoy {
            id,
            kind,
            platforms: plats,
            start: dstart,
            duration_minutes: duration,
            intensity,
            posts_per_minute,
            accounts,
        });
    }

    Ok(Scenario {
        name: header.name,
        description: header.description,
        start,
        minutes,
        source: header.source,
        lang_field_share: check_range(
            file,
            &header.lang_field_share,
            header_line,
            "lang_field_share",
            0.0,
            1.0,
        )?,
        report_share: check_range(
            file,
            &header.report_share,
            header_line,
            "report_share",
            0.0,
            1.0,
        )?,
        background_per_minute: check_range(
            file,
            &header.background_per_minute,
            header_line,
            "background_per_minute",
            0.0,
            1e6,
        )?,
        trap_share: check_range(
            file,
            &header.trap_share,
            header_line,
            "trap_share",
            0.0,
            0.5,
        )?,
        daily_cycle,
        weekend_factor: check_range(
            file,
            &header.weekend_factor,
            header_line,
            "weekend_factor",
            0.0,
            10.0,
        )?,
        authors: AuthorPool {
            count: author_count,
            no_location_share,
            placeless_share,
            placeless_locations: authors.placeless_locations,
        },
        regions,
        platforms,
        incidents,
        decoys,
        phrases,
    })
}

fn normalise_weights(
    file: &DataFile<'_>,
    line: usize,
    what: &str,
    map: &BTreeMap<String, f64>,
) -> Result<Vec<(String, f64)>, DataError> {
    let total: f64 = map.values().filter(|w| w.is_finite() && **w > 0.0).sum();
    if map.values().any(|w| !(w.is_finite() && *w >= 0.0)) || total <= 0.0 {
        return Err(DataError::at_line(
            file,
            line,
            format!("`{what}` needs non-negative weights, at least one positive"),
            format!("write it like {what} = {{ en = 0.7, es = 0.3 }}"),
        ));
    }
    Ok(map
        .iter()
        .filter(|(_, w)| **w > 0.0)
        .map(|(k, w)| (k.clone(), w / total))
        .collect())
}
