//! Turning a scenario into post records, one simulated minute at a time.
//!
//! Every count is a Poisson draw around a rate the scenario defines (usual mentions and
//! complaints shaped by each region's daily cycle, plus what incidents and decoys add), from one
//! seeded `StdRng`, so a seed gives the same posts on every machine. Only the current minute is
//! held in memory. This module reads no files and no clock.

use super::phrases::{Category, LanguagePhrases};
use super::scenario::{DecoyKind, Incident, Scenario};
use super::truth::{RegionWeight, SymptomShare, TrueDecoy, TrueIncident, Truth};
use chrono::{DateTime, Datelike, Duration, SecondsFormat, Utc, Weekday};
use outcry_model::{PostKind, Symptom};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Serialize, Serializer};
use std::collections::VecDeque;

/// Why a simulated post was written: the label tests compare the classifier with. Not part of
/// the record written to files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// An ordinary mention of a platform.
    Mention,
    /// A complaint about a current problem (usual background or incident).
    Complaint,
    /// The service works again.
    Recovery,
    /// Looks like a complaint, is not.
    Trap,
    /// A meme using "down" in another sense.
    Meme,
    /// Past-tense news about an outage.
    News,
    /// Excited chatter about a launch.
    Launch,
    /// Mentions no platform.
    Background,
    /// A copy-paste bot flood.
    Bot,
}

/// The simulator's own labels for one post.
#[derive(Debug, Clone, PartialEq)]
pub struct PostLabel {
    /// Why it was written.
    pub intent: Intent,
    /// Catalog ids of the platforms it is about (empty for background posts).
    pub platforms: Vec<String>,
    /// The incident it belongs to, as an index into [`Scenario::incidents`].
    pub incident: Option<usize>,
    /// The language it is written in (even when the record has no `lang`).
    pub lang: String,
    /// The author's region code.
    pub region: String,
    /// The symptom the template shows, if any.
    pub symptom: Option<Symptom>,
}

/// One generated post record, serialised exactly as the post record contract (issue 2) reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimPost {
    /// Unique within the source.
    pub id: String,
    /// When it was written (RFC 3339 UTC, whole seconds).
    #[serde(serialize_with = "rfc3339")]
    pub created_at: DateTime<Utc>,
    /// The text (a crowd report may have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The scenario's source name.
    pub source: String,
    /// `post` or `report`.
    pub kind: PostKind,
    /// The reported platform, for crowd reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// ISO 639-1 language, when the network would give one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Opaque author id in clear (ingest hashes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The author's declared profile location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The simulator's labels (never serialised).
    #[serde(skip)]
    pub label: PostLabel,
}

fn rfc3339<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

impl SimPost {
    /// The record as one JSON line (without the newline).
    pub fn to_json_line(&self) -> String {
        // Serialising plain strings and a date into a map cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Counts of what a simulation produced, available once it has run to the end.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SimStats {
    /// Records produced.
    pub posts: u64,
    /// Of which crowd reports.
    pub reports: u64,
    /// Complaints (posts and reports) produced by incidents.
    pub incident_complaints: u64,
    /// Complaints that are the usual background.
    pub usual_complaints: u64,
    /// Posts by intent, in [`Intent`] order.
    pub by_intent: Vec<(Intent, u64)>,
    /// Minutes with no posts at all because of an ingest gap.
    pub gap_minutes: u64,
}

/// A running simulation: an iterator over post records in time order.
pub struct Simulation<'a> {
    scenario: &'a Scenario,
    seed: u64,
    rng: StdRng,
    minute: i64,
    pending: VecDeque<SimPost>,
    next_id: u64,
    stats: SimStats,
    author_ranges: Vec<(u32, u32)>,
    bot_texts: Vec<Vec<String>>,
}

/// Starts simulating `scenario` with `seed`. The same scenario and seed give the same records.
pub fn simulate(scenario: &Scenario, seed: u64) -> Simulation<'_> {
    let mut rng = StdRng::seed_from_u64(seed);
    let total_weight: f64 = scenario.regions.iter().map(|r| r.weight).sum();
    let mut author_ranges = Vec::with_capacity(scenario.regions.len());
    let mut offset = 0u32;
    for region in &scenario.regions {
        let n = ((scenario.authors.count as f64) * region.weight / total_weight)
            .round()
            .max(1.0) as u32;
        author_ranges.push((offset, n));
        offset = offset.saturating_add(n);
    }
    // A bot flood pastes the same one or two texts: choose them once per decoy.
    let en = scenario.phrases.language("en");
    let bot_texts = scenario
        .decoys
        .iter()
        .map(|d| {
            if d.kind != DecoyKind::BotFlood {
                return Vec::new();
            }
            let templates = en.category(Category::Bot);
            let platform = &scenario.platforms[d.platforms[0]];
            (0..2)
                .map(|_| {
                    let t = &templates[rng.random_range(0..templates.len())];
                    fill(t, &platform.names[0], "", &platform.hashtag, "")
                })
                .collect()
        })
        .collect();
    Simulation {
        scenario,
        seed,
        rng,
        minute: 0,
        pending: VecDeque::new(),
        next_id: 0,
        stats: SimStats::default(),
        author_ranges,
        bot_texts,
    }
}

impl Iterator for Simulation<'_> {
    type Item = SimPost;

    fn next(&mut self) -> Option<SimPost> {
        while self.pending.is_empty() {
            if self.minute >= self.scenario.minutes {
                return None;
            }
            let minute = self.minute;
            self.minute += 1;
            self.generate_minute(minute);
        }
        let post = self.pending.pop_front()?;
        self.count(&post);
        Some(post)
    }
}

/// One draft post of the current minute, before it gets its id and time order.
struct Draft {
    second: u32,
    intent: Intent,
    platforms: Vec<usize>,
    incident: Option<usize>,
    region: usize,
    symptom: Option<Symptom>,
    bot: Option<(usize, u32)>,
}

impl Simulation<'_> {
    /// What the simulation has produced so far (everything, once the iterator is exhausted).
    pub fn stats(&self) -> &SimStats {
        &self.stats
    }

    /// The ground truth of this simulation.
    pub fn truth(&self) -> Truth {
        truth(self.scenario, self.seed)
    }

    fn count(&mut self, post: &SimPost) {
        self.stats.posts += 1;
        if post.kind == PostKind::Report {
            self.stats.reports += 1;
        }
        if post.label.intent == Intent::Complaint {
            if post.label.incident.is_some() {
                self.stats.incident_complaints += 1;
            } else {
                self.stats.usual_complaints += 1;
            }
        }
        match self
            .stats
            .by_intent
            .binary_search_by_key(&post.label.intent, |(i, _)| *i)
        {
            Ok(i) => self.stats.by_intent[i].1 += 1,
            Err(i) => self.stats.by_intent.insert(i, (post.label.intent, 1)),
        }
    }

    fn generate_minute(&mut self, minute: i64) {
        let s = self.scenario;
        let t = s.start + Duration::minutes(minute);
        if s.decoys.iter().any(|d| {
            d.kind == DecoyKind::IngestGap && active(d.start, d.duration_minutes, t).is_some()
        }) {
            self.stats.gap_minutes += 1;
            return;
        }
        let activity: Vec<f64> = (0..s.regions.len())
            .map(|r| region_activity(s, r, t))
            .collect();
        let mut drafts: Vec<Draft> = Vec::new();

        // The usual chatter of every platform.
        for (p, platform) in s.platforms.iter().enumerate() {
            let weights: Vec<f64> = platform
                .audience
                .iter()
                .zip(&activity)
                .map(|(a, c)| a * c)
                .collect();
            let level: f64 = weights.iter().sum();
            let mentions = platform.mentions_per_minute * level;
            let complaints = mentions * platform.complaint_rate;
            let traps = mentions * s.trap_share;
            let ordinary = (mentions - complaints - traps).max(0.0);
            self.draw(
                &mut drafts,
                ordinary,
                Intent::Mention,
                &[p],
                None,
                &weights,
                &[],
            );
            self.draw(&mut drafts, traps, Intent::Trap, &[p], None, &weights, &[]);
            self.draw(
                &mut drafts,
                complaints,
                Intent::Complaint,
                &[p],
                None,
                &weights,
                &[],
            );
        }

        // Incidents: extra complaints shaped by ramp, plateau and recovery, and recovery posts.
        for (i, incident) in s.incidents.iter().enumerate() {
            let Some(k) = active(
                incident.start,
                incident.duration_minutes + incident.recovery_minutes / 2 + 5,
                t,
            ) else {
                continue;
            };
            for (j, &p) in incident.platforms.iter().enumerate() {
                let usual = usual_complaints(s, p, &activity);
                let plateau_extra = usual * (incident.intensity[j] - 1.0);
                let weights = incident_weights(s, incident, p, &activity);
                if k < incident.duration_minutes {
                    let extra = plateau_extra * incident_shape(incident, k);
                    self.draw(
                        &mut drafts,
                        extra,
                        Intent::Complaint,
                        &[p],
                        Some(i),
                        &weights,
                        &incident.symptoms,
                    );
                }
                if k >= incident.duration_minutes - incident.recovery_minutes {
                    let recovery = plateau_extra * incident.recovery_share;
                    self.draw(
                        &mut drafts,
                        recovery,
                        Intent::Recovery,
                        &[p],
                        Some(i),
                        &weights,
                        &[],
                    );
                }
            }
        }

        // Decoys.
        for (d, decoy) in s.decoys.iter().enumerate() {
            let Some(k) = active(decoy.start, decoy.duration_minutes, t) else {
                continue;
            };
            for &p in &decoy.platforms {
                let platform = &s.platforms[p];
                let weights: Vec<f64> = platform
                    .audience
                    .iter()
                    .zip(&activity)
                    .map(|(a, c)| a * c)
                    .collect();
                let usual_mentions = platform.mentions_per_minute * weights.iter().sum::<f64>();
                match decoy.kind {
                    DecoyKind::Launch => self.draw(
                        &mut drafts,
                        usual_mentions * decoy.intensity,
                        Intent::Launch,
                        &[p],
                        None,
                        &weights,
                        &[],
                    ),
                    DecoyKind::Meme => self.draw(
                        &mut drafts,
                        usual_mentions * decoy.intensity,
                        Intent::Meme,
                        &[p],
                        None,
                        &weights,
                        &[],
                    ),
                    DecoyKind::NewsWave => {
                        // The story is biggest in the morning and fades through the day.
                        let fade = 1.0 - 0.7 * k as f64 / decoy.duration_minutes as f64;
                        self.draw(
                            &mut drafts,
                            usual_mentions * decoy.intensity * fade,
                            Intent::News,
                            &[p],
                            None,
                            &weights,
                            &[],
                        );
                    }
                    DecoyKind::BotFlood => {
                        let n = poisson(
                            &mut self.rng,
                            decoy.posts_per_minute / decoy.platforms.len() as f64,
                        );
                        for _ in 0..n {
                            let account = self.rng.random_range(0..decoy.accounts);
                            let region = pick(&mut self.rng, &weights);
                            drafts.push(Draft {
                                second: self.rng.random_range(0..60),
                                intent: Intent::Bot,
                                platforms: vec![p],
                                incident: None,
                                region,
                                symptom: None,
                                bot: Some((d, account)),
                            });
                        }
                    }
                    DecoyKind::IngestGap => {}
                }
            }
        }

        // Posts that mention no platform still count in the ingest volume.
        let weights: Vec<f64> = s
            .regions
            .iter()
            .zip(&activity)
            .map(|(r, c)| r.weight * c)
            .collect();
        let total_weight: f64 = s.regions.iter().map(|r| r.weight).sum();
        let background = s.background_per_minute * weights.iter().sum::<f64>() / total_weight;
        self.draw(
            &mut drafts,
            background,
            Intent::Background,
            &[],
            None,
            &weights,
            &[],
        );

        drafts.sort_by_key(|d| d.second);
        for draft in drafts {
            let post = self.render(t, draft);
            self.pending.push_back(post);
        }
    }

    /// Draws a Poisson number of drafts of one kind around `rate`, spread over regions by
    /// `weights` and over symptoms by `symptoms` (none: a generic or usual complaint).
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &mut self,
        drafts: &mut Vec<Draft>,
        rate: f64,
        intent: Intent,
        platforms: &[usize],
        incident: Option<usize>,
        weights: &[f64],
        symptoms: &[(Symptom, f64)],
    ) {
        let n = poisson(&mut self.rng, rate);
        for _ in 0..n {
            let region = pick(&mut self.rng, weights);
            let symptom = if intent != Intent::Complaint {
                None
            } else if symptoms.is_empty() {
                // Usual complaints: half generic, half some symptom.
                if self.rng.random_bool(0.5) {
                    None
                } else {
                    Some(outcry_model::SYMPTOM_KINDS[self.rng.random_range(0..10)])
                }
            } else if self.rng.random_bool(0.35) {
                None
            } else {
                let shares: Vec<f64> = symptoms.iter().map(|(_, w)| *w).collect();
                Some(symptoms[pick(&mut self.rng, &shares)].0)
            };
            drafts.push(Draft {
                second: self.rng.random_range(0..60),
                intent,
                platforms: platforms.to_vec(),
                incident,
                region,
                symptom,
                bot: None,
            });
        }
    }

    fn render(&mut self, minute_start: DateTime<Utc>, draft: Draft) -> SimPost {
        let s = self.scenario;
        let region = &s.regions[draft.region];
        let mut lang = {
            let shares: Vec<f64> = region.languages.iter().map(|(_, w)| *w).collect();
            region.languages[pick(&mut self.rng, &shares)].0.clone()
        };
        let phrases = s.phrases.language(&lang);
        let en = s.phrases.language("en");
        self.next_id += 1;
        let id = format!("{}-{}", s.name, self.next_id);
        let created_at = minute_start + Duration::seconds(draft.second as i64);
        let mut platforms = draft.platforms.clone();
        let mut kind = PostKind::Post;
        let mut service = None;
        let mut symptom = draft.symptom;

        let (author, location, text) = if let Some((decoy, account)) = draft.bot {
            let texts = &self.bot_texts[decoy];
            let text = texts[self.rng.random_range(0..texts.len())].clone();
            (
                Some(format!("bot{:04x}{:02}", decoy * 7919 + 17, account)),
                None,
                Some(text),
            )
        } else {
            let (author_index, location) = self.author(draft.region);
            let author = Some(format!("u{:08x}", scramble(author_index)));
            if draft.intent == Intent::Complaint && self.rng.random_bool(s.report_share) {
                // A crowd report: the service is structured, the text is optional.
                kind = PostKind::Report;
                let p = &s.platforms[platforms[0]];
                service = Some(p.id.clone());
                let text = if self.rng.random_bool(0.5) {
                    let templates = pick_templates(phrases, en, Category::Report, &mut lang);
                    let t = templates[self.rng.random_range(0..templates.len())].clone();
                    Some(self.fill_for(&t, draft.platforms[0], None, &lang, draft.region))
                } else {
                    None
                };
                symptom = None;
                (author, location, text)
            } else {
                let text =
                    self.compose(&draft, &mut platforms, phrases, en, &mut lang, &mut symptom);
                (author, location, Some(text))
            }
        };
        let lang_field = if self.rng.random_bool(s.lang_field_share) {
            Some(lang.clone())
        } else {
            None
        };
        SimPost {
            id,
            created_at,
            text,
            source: s.source.clone(),
            kind,
            service,
            lang: lang_field,
            author,
            location,
            label: PostLabel {
                intent: draft.intent,
                platforms: platforms
                    .iter()
                    .map(|&p| s.platforms[p].id.clone())
                    .collect(),
                incident: draft.incident,
                lang,
                region: region.code.clone(),
                symptom,
            },
        }
    }

    /// Writes the text of a post from a template of its intent, with the decorations people add.
    fn compose(
        &mut self,
        draft: &Draft,
        platforms: &mut Vec<usize>,
        phrases: &LanguagePhrases,
        en: &LanguagePhrases,
        lang: &mut String,
        symptom: &mut Option<Symptom>,
    ) -> String {
        let s = self.scenario;
        let category = match draft.intent {
            Intent::Mention => Category::Mention,
            Intent::Complaint => Category::Complaint,
            Intent::Recovery => Category::Recovery,
            Intent::Trap => Category::Trap,
            Intent::Meme => Category::Meme,
            Intent::News => Category::News,
            Intent::Launch => Category::Launch,
            Intent::Background => Category::Background,
            Intent::Bot => Category::Bot,
        };
        // Some complaints during a multi-platform incident name two of its platforms.
        let mut second = None;
        if let Some(i) = draft.incident {
            let incident = &s.incidents[i];
            if draft.intent == Intent::Complaint
                && incident.platforms.len() > 1
                && self.rng.random_bool(0.1)
            {
                let others: Vec<usize> = incident
                    .platforms
                    .iter()
                    .copied()
                    .filter(|p| !platforms.contains(p))
                    .collect();
                if !others.is_empty() {
                    second = Some(others[self.rng.random_range(0..others.len())]);
                }
            }
        }
        let templates: &[String] = if second.is_some() {
            pick_templates(phrases, en, Category::ComplaintPair, lang)
        } else if let Some(sym) = *symptom {
            let own = phrases.symptom(sym);
            if !own.is_empty() {
                own
            } else {
                *symptom = None;
                pick_templates(phrases, en, category, lang)
            }
        } else {
            pick_templates(phrases, en, category, lang)
        };
        // Templates naming a place need a region that has places.
        let region = &s.regions[draft.region];
        let mut template = &templates[self.rng.random_range(0..templates.len())];
        for _ in 0..4 {
            if !template.contains("{place}") || !region.places.is_empty() {
                break;
            }
            template = &templates[self.rng.random_range(0..templates.len())];
        }
        let template = template.clone();
        let template = if self.rng.random_bool(0.03) {
            typo(&mut self.rng, &template)
        } else {
            template
        };
        if let Some(q) = second {
            platforms.push(q);
        }
        let main = platforms.first().copied();
        let mut text = match main {
            Some(p) => self.fill_for(&template, p, second, lang, draft.region),
            None => {
                let place = self.place(draft.region);
                fill(&template, "", "", "", &place)
            }
        };
        let used = if lang == "en" { en } else { phrases };
        self.decorate(&mut text, draft.intent, main, used, en);
        text
    }

    fn fill_for(
        &mut self,
        template: &str,
        p: usize,
        q: Option<usize>,
        lang: &str,
        region: usize,
    ) -> String {
        let name = self.platform_name(p, lang);
        let second = q.map(|q| self.platform_name(q, lang)).unwrap_or_default();
        let place = self.place(region);
        fill(
            template,
            &name,
            &second,
            &self.scenario.platforms[p].hashtag,
            &place,
        )
    }

    fn platform_name(&mut self, p: usize, lang: &str) -> String {
        let platform = &self.scenario.platforms[p];
        if let Some(local) = platform.local_names.get(lang)
            && !local.is_empty()
            && self.rng.random_bool(0.4)
        {
            return local[self.rng.random_range(0..local.len())].clone();
        }
        platform.names[self.rng.random_range(0..platform.names.len())].clone()
    }

    fn place(&mut self, region: usize) -> String {
        let places = &self.scenario.regions[region].places;
        if places.is_empty() {
            return String::new();
        }
        places[self.rng.random_range(0..places.len())].clone()
    }

    fn decorate(
        &mut self,
        text: &mut String,
        intent: Intent,
        platform: Option<usize>,
        phrases: &LanguagePhrases,
        en: &LanguagePhrases,
    ) {
        let complaint = intent == Intent::Complaint;
        if let Some(p) = platform {
            let tag = &self.scenario.platforms[p].hashtag;
            if complaint && self.rng.random_bool(0.15) {
                text.push_str(&format!(" #{tag}Down"));
            } else if intent == Intent::Mention && self.rng.random_bool(0.08) {
                text.push_str(&format!(" #{tag}"));
            }
        }
        if complaint && self.rng.random_bool(0.1) {
            text.push_str(if self.rng.random_bool(0.5) {
                "!!"
            } else {
                "??"
            });
        }
        if self.rng.random_bool(0.3) {
            // Frustration for complaints, anything else for the rest.
            let (own, fallback) = if complaint {
                (phrases.emoji(), en.emoji())
            } else {
                (phrases.cheerful_emoji(), en.cheerful_emoji())
            };
            let emoji = if own.is_empty() { fallback } else { own };
            let e = &emoji[self.rng.random_range(0..emoji.len())];
            text.push(' ');
            text.push_str(e);
        }
        let roll: f64 = self.rng.random();
        if roll < 0.04 {
            *text = text.to_uppercase();
        } else if roll < 0.2 {
            *text = text.to_lowercase();
        }
    }

    /// An author of `region`: a few write a lot, most write little. Returns the author's index
    /// in the pool and declared location.
    fn author(&mut self, region: usize) -> (u32, Option<String>) {
        let (offset, n) = self.author_ranges[region];
        let u: f64 = self.rng.random();
        let index = offset + ((n as f64) * u * u) as u32 % n.max(1);
        (index, self.location_of(index, region))
    }

    /// An author's declared location, fixed for the author (derived from the index, not drawn).
    fn location_of(&self, index: u32, region: usize) -> Option<String> {
        let pool = &self.scenario.authors;
        let h = splitmix(index as u64 ^ 0x5eed_1234_abcd);
        let u = (h >> 11) as f64 / (1u64 << 53) as f64;
        let pick_from = |list: &[String]| -> Option<String> {
            if list.is_empty() {
                None
            } else {
                Some(list[(splitmix(h) % list.len() as u64) as usize].clone())
            }
        };
        if u < pool.no_location_share {
            None
        } else if u < pool.no_location_share + pool.placeless_share {
            pick_from(&pool.placeless_locations)
        } else {
            pick_from(&self.scenario.regions[region].locations)
        }
    }
}

/// The templates of `category` in the post's language, or the English ones (and then the post is
/// in English) when the language has none.
fn pick_templates<'a>(
    phrases: &'a LanguagePhrases,
    en: &'a LanguagePhrases,
    category: Category,
    lang: &mut String,
) -> &'a [String] {
    let own = phrases.category(category);
    if own.is_empty() {
        *lang = "en".into();
        en.category(category)
    } else {
        own
    }
}

/// Replaces the placeholders of a template.
fn fill(template: &str, p: &str, q: &str, tag: &str, place: &str) -> String {
    let mut out = template
        .replace("{p}", p)
        .replace("{q}", q)
        .replace("{tag}", tag);
    if out.contains("{place}") {
        out = out.replace("{place}", place);
        // A template whose place was empty must not keep dangling words such as "em ".
        out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// A typing slip: two neighbouring letters swapped in one longer word outside placeholders.
fn typo(rng: &mut StdRng, template: &str) -> String {
    let words: Vec<&str> = template.split(' ').collect();
    let candidates: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.len() >= 5 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
        return template.to_string();
    }
    let i = candidates[rng.random_range(0..candidates.len())];
    let mut chars: Vec<char> = words[i].chars().collect();
    let at = rng.random_range(1..chars.len() - 1);
    chars.swap(at, at + 1);
    let swapped: String = chars.into_iter().collect();
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = swapped;
    out.join(" ")
}

/// Minutes since `start` when `t` falls within `duration_minutes` of it.
fn active(start: DateTime<Utc>, duration_minutes: i64, t: DateTime<Utc>) -> Option<i64> {
    let k = (t - start).num_minutes();
    (t >= start && k < duration_minutes).then_some(k)
}

/// How active a region's people are at `t`: its audience weight times its daily cycle at local
/// time (linearly interpolated between hours), with the weekend factor.
fn region_activity(s: &Scenario, region: usize, t: DateTime<Utc>) -> f64 {
    let r = &s.regions[region];
    let local = t + Duration::minutes((r.utc_offset_hours * 60.0).round() as i64);
    let minute_of_day = (local.timestamp().rem_euclid(86_400)) as f64 / 60.0;
    let hour = (minute_of_day / 60.0).floor() as usize % 24;
    let frac = minute_of_day / 60.0 - hour as f64;
    let cycle = s.daily_cycle[hour] * (1.0 - frac) + s.daily_cycle[(hour + 1) % 24] * frac;
    let weekend = matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
    cycle * if weekend { s.weekend_factor } else { 1.0 }
}

/// A platform's usual complaints per minute at the moment `activity` describes.
fn usual_complaints(s: &Scenario, p: usize, activity: &[f64]) -> f64 {
    let platform = &s.platforms[p];
    let level: f64 = platform
        .audience
        .iter()
        .zip(activity)
        .map(|(a, c)| a * c)
        .sum();
    platform.mentions_per_minute * level * platform.complaint_rate
}

/// Where an incident's complaints come from right now: its regions (or, when global, the
/// platform's audience), each weighted by how awake its people are.
fn incident_weights(s: &Scenario, incident: &Incident, p: usize, activity: &[f64]) -> Vec<f64> {
    let base = incident
        .regions
        .as_ref()
        .unwrap_or(&s.platforms[p].audience);
    base.iter().zip(activity).map(|(w, c)| w * c).collect()
}

/// The incident's complaint level at minute `k` of it, 0 to 1: ramp, plateau, recovery.
fn incident_shape(incident: &Incident, k: i64) -> f64 {
    let d = incident.duration_minutes;
    if k < 0 || k >= d {
        0.0
    } else if k < incident.ramp_minutes {
        (k as f64 + 0.5) / incident.ramp_minutes as f64
    } else if k >= d - incident.recovery_minutes {
        (d - k) as f64 / (incident.recovery_minutes + 1) as f64
    } else {
        1.0
    }
}

/// The truth of a scenario: its incidents with the expected regional shares of their
/// complaints, and its decoys.
pub fn truth(s: &Scenario, seed: u64) -> Truth {
    let incidents = s
        .incidents
        .iter()
        .map(|incident| {
            let mut by_region = vec![0.0; s.regions.len()];
            let mut expected = 0.0;
            for k in 0..incident.duration_minutes {
                let t = incident.start + Duration::minutes(k);
                let activity: Vec<f64> = (0..s.regions.len())
                    .map(|r| region_activity(s, r, t))
                    .collect();
                for (j, &p) in incident.platforms.iter().enumerate() {
                    let extra = usual_complaints(s, p, &activity)
                        * (incident.intensity[j] - 1.0)
                        * incident_shape(incident, k);
                    let weights = incident_weights(s, incident, p, &activity);
                    let total: f64 = weights.iter().sum();
                    if total > 0.0 {
                        for (acc, w) in by_region.iter_mut().zip(&weights) {
                            *acc += extra * w / total;
                        }
                    }
                    expected += extra;
                }
            }
            let mut regions: Vec<RegionWeight> = by_region
                .iter()
                .enumerate()
                .filter(|(_, w)| expected > 0.0 && **w / expected >= 0.001)
                .map(|(r, w)| RegionWeight {
                    code: s.regions[r].code.clone(),
                    weight: round4(w / expected),
                })
                .collect();
            regions.sort_by(|a, b| {
                b.weight
                    .total_cmp(&a.weight)
                    .then_with(|| a.code.cmp(&b.code))
            });
            TrueIncident {
                id: incident.id.clone(),
                kind: "incident".into(),
                platforms: incident
                    .platforms
                    .iter()
                    .map(|&p| s.platforms[p].id.clone())
                    .collect(),
                provider: incident.provider.clone(),
                start: incident.start,
                end: incident.start + Duration::minutes(incident.duration_minutes),
                scope: if incident.regions.is_some() {
                    "regional"
                } else {
                    "global"
                }
                .into(),
                regions,
                symptoms: incident
                    .symptoms
                    .iter()
                    .map(|(k, w)| SymptomShare {
                        kind: k.as_str().into(),
                        share: round4(*w),
                    })
                    .collect(),
                intensity: incident.intensity.iter().cloned().fold(1.0, f64::max),
                expected_complaints: expected.round(),
            }
        })
        .collect();
    let decoys = s
        .decoys
        .iter()
        .map(|d| TrueDecoy {
            id: d.id.clone(),
            kind: d.kind.as_str().into(),
            platforms: d
                .platforms
                .iter()
                .map(|&p| s.platforms[p].id.clone())
                .collect(),
            start: d.start,
            end: d.start + Duration::minutes(d.duration_minutes),
        })
        .collect();
    Truth {
        scenario: s.name.clone(),
        seed,
        source: s.source.clone(),
        start: s.start,
        end: s.end(),
        incidents,
        decoys,
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A Poisson draw: exact (Knuth) for small means, normal approximation for large ones, where
/// the difference is far below what detection could notice.
fn poisson(rng: &mut StdRng, mean: f64) -> u64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    if mean < 30.0 {
        let limit = (-mean).exp();
        let mut product: f64 = rng.random();
        let mut n = 0;
        while product > limit {
            product *= rng.random::<f64>();
            n += 1;
        }
        return n;
    }
    // Box-Muller.
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    (mean + mean.sqrt() * z).round().max(0.0) as u64
}

/// An index drawn in proportion to `weights` (the first when all are zero).
fn pick(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return 0;
    }
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A bijection on u32 so author ids look opaque yet stay distinct.
fn scramble(index: u32) -> u32 {
    index.wrapping_mul(0x9E37_79B1) ^ 0x5A5A_0F0F
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_mean_is_right() {
        let mut rng = StdRng::seed_from_u64(1);
        for mean in [0.3, 4.0, 80.0] {
            let n = 20_000;
            let sum: u64 = (0..n).map(|_| poisson(&mut rng, mean)).sum();
            let got = sum as f64 / n as f64;
            assert!(
                (got - mean).abs() < 0.05 * mean + 0.02,
                "mean {mean}: got {got}"
            );
        }
        assert_eq!(poisson(&mut rng, 0.0), 0);
        assert_eq!(poisson(&mut rng, f64::NAN), 0);
    }

    #[test]
    fn scramble_keeps_ids_distinct() {
        let ids: std::collections::BTreeSet<u32> = (0..100_000).map(scramble).collect();
        assert_eq!(ids.len(), 100_000);
    }

    #[test]
    fn fill_drops_empty_place() {
        assert_eq!(
            fill("caiu o {p} aqui em {place}", "zap", "", "", ""),
            "caiu o zap aqui em"
        );
        assert_eq!(
            fill("#{tag}Down {p} e {q}", "zap", "insta", "WhatsApp", ""),
            "#WhatsAppDown zap e insta"
        );
    }
}
