//! Synthetic-series tests of the detector: a seeded generator of a small world (daily cycles,
//! regions, authors, volume) into which outages and decoys are injected with known truth.

use super::*;
use outcry_model::{AuthorHash, Observation};

/// splitmix64: deterministic, dependency-free randomness for test worlds.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn poisson(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            // Normal approximation (Box-Muller) is plenty for large means.
            let u1 = self.unit().max(1e-12);
            let u2 = self.unit();
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            return (mean + z * mean.sqrt()).round().max(0.0) as u32;
        }
        let limit = (-mean).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit {
            k += 1;
            p *= self.unit();
        }
        k
    }
    fn pick<'a>(&mut self, weighted: &'a [(&'a str, f64)]) -> &'a str {
        let total: f64 = weighted.iter().map(|w| w.1).sum();
        let mut x = self.unit() * total;
        for (name, w) in weighted {
            if x < *w {
                return name;
            }
            x -= w;
        }
        weighted[weighted.len() - 1].0
    }
}

/// Monday 2026-11-02 00:00 UTC.
const T0: i64 = 1_793_577_600;
const DAY: i64 = 1440;

#[derive(Clone)]
struct PlatformSpec {
    name: &'static str,
    /// Mean complaint posts per minute at the daily average.
    complaints: f64,
    /// Mean other mentions per minute at the daily average.
    mentions: f64,
}

#[derive(Clone)]
enum Event {
    /// Extra complaints from many people; `regions` overrides the usual mix.
    Outage {
        platform: &'static str,
        start: i64,
        minutes: i64,
        extra: f64,
        regions: Option<Vec<(&'static str, f64)>>,
    },
    /// Extra mentions, a small fraction of which the classifier calls complaints.
    MentionWave {
        platform: &'static str,
        start: i64,
        minutes: i64,
        extra: f64,
        complaint_fraction: f64,
    },
    /// Few authors posting many complaints.
    Flood {
        platform: &'static str,
        start: i64,
        minutes: i64,
        authors: u64,
        per_minute: f64,
    },
    /// The collectors saw nothing.
    Gap { start: i64, minutes: i64 },
    /// Everything (volume, mentions, complaints) multiplied.
    Surge {
        start: i64,
        minutes: i64,
        factor: f64,
    },
}

struct World {
    seed: u64,
    days: i64,
    volume: f64,
    platforms: Vec<PlatformSpec>,
    mix: Vec<(&'static str, f64)>,
    located: f64,
    events: Vec<Event>,
}

const USUAL_MIX: [(&str, f64); 6] = [
    ("US", 0.4),
    ("BR", 0.15),
    ("IN", 0.15),
    ("GB", 0.1),
    ("DE", 0.1),
    ("JP", 0.1),
];

impl World {
    fn new(seed: u64, days: i64) -> World {
        World {
            seed,
            days,
            volume: 300.0,
            platforms: vec![
                PlatformSpec {
                    name: "whatsapp",
                    complaints: 1.0,
                    mentions: 6.0,
                },
                PlatformSpec {
                    name: "instagram",
                    complaints: 0.8,
                    mentions: 5.0,
                },
                PlatformSpec {
                    name: "facebook",
                    complaints: 0.6,
                    mentions: 4.0,
                },
                PlatformSpec {
                    name: "steam",
                    complaints: 0.3,
                    mentions: 2.0,
                },
            ],
            mix: USUAL_MIX.to_vec(),
            located: 0.5,
            events: Vec::new(),
        }
    }

    fn with(mut self, event: Event) -> World {
        self.events.push(event);
        self
    }

    fn cycle(minute: i64) -> f64 {
        let of_day = minute.rem_euclid(DAY) as f64;
        let weekday = (minute.div_euclid(DAY)).rem_euclid(7);
        let weekly = if weekday >= 5 { 0.85 } else { 1.0 };
        weekly * (1.0 + 0.6 * (2.0 * std::f64::consts::PI * (of_day - 600.0) / 1440.0).sin())
    }

    fn build(&self) -> ObservationTable {
        let mut rng = Rng(self.seed);
        let mut table = ObservationTable {
            platforms: self.platforms.iter().map(|p| p.name.to_string()).collect(),
            ..ObservationTable::default()
        };
        let mut regions: Vec<String> = Vec::new();
        let intern = |regions: &mut Vec<String>, code: &str| -> u16 {
            match regions.iter().position(|r| r == code) {
                Some(i) => i as u16,
                None => {
                    regions.push(code.to_string());
                    (regions.len() - 1) as u16
                }
            }
        };
        table.langs = vec!["en".into(), "pt".into(), "ja".into()];
        let mut rows = Vec::new();
        for minute in 0..self.days * DAY {
            let cycle = Self::cycle(minute);
            let at0 = T0 + minute * 60;
            let mut surge = 1.0;
            let mut gap = false;
            for e in &self.events {
                match e {
                    Event::Gap { start, minutes }
                        if minute >= *start && minute < start + minutes =>
                    {
                        gap = true
                    }
                    Event::Surge {
                        start,
                        minutes,
                        factor,
                    } if minute >= *start && minute < start + minutes => surge *= factor,
                    _ => {}
                }
            }
            if gap {
                continue;
            }
            let mut minute_rows = 0u64;
            for (pi, spec) in self.platforms.iter().enumerate() {
                let mut push = |rng: &mut Rng,
                                complaint: bool,
                                author: Option<u64>,
                                mix: &[(&'static str, f64)],
                                located: f64,
                                regions: &mut Vec<String>| {
                    let mut row_regions = Vec::new();
                    if rng.unit() < located {
                        let code = rng.pick(mix);
                        row_regions.push(intern(regions, code));
                    }
                    let lang = if row_regions.first().map(|&r| regions[r as usize] == "BR")
                        == Some(true)
                    {
                        1
                    } else {
                        0
                    };
                    rows.push(Observation {
                        at: at0 + (rng.next_u64() % 60) as i64,
                        author: author.map(AuthorHash),
                        platforms: [pi as u16].into(),
                        regions: row_regions.into(),
                        lang,
                        symptoms: if complaint {
                            1 << (rng.next_u64() % 3)
                        } else {
                            0
                        },
                        complaint,
                        recovery: false,
                        report: false,
                    });
                };
                let base_c = rng.poisson(spec.complaints * cycle * surge);
                for _ in 0..base_c {
                    let author = (rng.unit() > 0.05).then(|| rng.next_u64() | 1);
                    push(
                        &mut rng,
                        true,
                        author,
                        &self.mix,
                        self.located,
                        &mut regions,
                    );
                }
                let base_m = rng.poisson(spec.mentions * cycle * surge);
                for _ in 0..base_m {
                    let author = Some(rng.next_u64() | 1);
                    push(
                        &mut rng,
                        false,
                        author,
                        &self.mix,
                        self.located,
                        &mut regions,
                    );
                }
                minute_rows += (base_c + base_m) as u64;
                for e in &self.events {
                    match e {
                        Event::Outage {
                            platform,
                            start,
                            minutes,
                            extra,
                            regions: mix,
                        } if *platform == spec.name
                            && minute >= *start
                            && minute < start + minutes =>
                        {
                            // Ramp up over three minutes, decay over the last fifth.
                            let into = (minute - start) as f64;
                            let left = (start + minutes - minute) as f64;
                            let ramp = ((into + 1.0) / 3.0).min(1.0)
                                * (left / (*minutes as f64 / 5.0)).min(1.0);
                            let n = rng.poisson(extra * ramp * cycle.max(0.5));
                            let mix = mix.as_deref().unwrap_or(&self.mix);
                            for _ in 0..n {
                                let author = Some(rng.next_u64() | 1);
                                push(&mut rng, true, author, mix, 0.6, &mut regions);
                            }
                            minute_rows += n as u64;
                        }
                        Event::MentionWave {
                            platform,
                            start,
                            minutes,
                            extra,
                            complaint_fraction,
                        } if *platform == spec.name
                            && minute >= *start
                            && minute < start + minutes =>
                        {
                            let n = rng.poisson(*extra);
                            for _ in 0..n {
                                let complaint = rng.unit() < *complaint_fraction;
                                let author = Some(rng.next_u64() | 1);
                                push(
                                    &mut rng,
                                    complaint,
                                    author,
                                    &self.mix,
                                    self.located,
                                    &mut regions,
                                );
                            }
                            minute_rows += n as u64;
                        }
                        Event::Flood {
                            platform,
                            start,
                            minutes,
                            authors,
                            per_minute,
                        } if *platform == spec.name
                            && minute >= *start
                            && minute < start + minutes =>
                        {
                            let n = rng.poisson(*per_minute);
                            for _ in 0..n {
                                let author = Some(1000 + rng.next_u64() % authors);
                                push(
                                    &mut rng,
                                    true,
                                    author,
                                    &self.mix,
                                    self.located,
                                    &mut regions,
                                );
                            }
                            minute_rows += n as u64;
                        }
                        _ => {}
                    }
                }
            }
            let volume = rng.poisson(self.volume * cycle * surge) as u64 + minute_rows;
            table.volume_per_minute.push(((T0 / 60) + minute, volume));
        }
        rows.sort_by_key(|r| r.at);
        table.rows = rows;
        table.regions = regions;
        table
    }
}

fn meta_provider(platform: &str) -> Option<String> {
    matches!(platform, "whatsapp" | "instagram" | "facebook").then(|| "meta".to_string())
}

fn at(minute: i64) -> DateTime<Utc> {
    utc(T0 + minute * 60)
}

fn run(table: &ObservationTable, from_minute: i64, to_minute: i64) -> Detection {
    let request = DetectionRequest {
        table,
        from: at(from_minute),
        to: at(to_minute),
        provider_of: &meta_provider,
    };
    detect(&request, &DetectorConfig::default())
}

fn describe(d: &Detection) -> String {
    d.incidents
        .iter()
        .map(|i| {
            format!(
                "{} start {} detected {} end {:?} score {} authors {}",
                i.id, i.start, i.detected_at, i.end, i.score, i.authors
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn minutes_between(a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    (b - a).num_minutes()
}

#[test]
fn finds_a_known_outage_with_close_start_peak_and_end() {
    let start = 6 * DAY + 14 * 60;
    let world = World::new(1, 7).with(Event::Outage {
        platform: "whatsapp",
        start,
        minutes: 60,
        extra: 20.0,
        regions: None,
    });
    let d = run(&world.build(), 0, 7 * DAY);
    assert_eq!(d.incidents.len(), 1, "{}", describe(&d));
    let i = &d.incidents[0];
    assert_eq!(i.platform, "whatsapp");
    assert!(
        minutes_between(i.start, at(start)).abs() <= 3,
        "start {}",
        i.start
    );
    let delay = minutes_between(at(start), i.detected_at);
    assert!((0..=3).contains(&delay), "delay {delay}");
    assert!(i.peak_at > at(start) && i.peak_at < at(start + 60));
    let end = i.end.expect("resolved");
    assert!(
        minutes_between(end, at(start + 60)).abs() <= 10,
        "end {end}"
    );
    assert_eq!(i.status, IncidentStatus::Resolved);
    assert!(
        i.authors > 600 && i.complaints >= i.authors,
        "{} {}",
        i.authors,
        i.complaints
    );
    assert!(
        i.baseline_per_hour > 20.0 && i.baseline_per_hour < 150.0,
        "{}",
        i.baseline_per_hour
    );
    assert!(
        i.regions.first().is_some_and(|r| r.code == "US"),
        "{:?}",
        i.regions
    );
    assert!(
        i.regions.iter().all(|r| (r.lift - 1.0).abs() < 0.5),
        "global outage keeps the usual mix: {:?}",
        i.regions
    );
    assert_eq!(i.symptoms.len(), 3);
    assert_eq!(i.related, Vec::<String>::new());
    assert_eq!(i.provider, None);
    assert!(!i.timeline.voices.is_empty() && i.timeline.voices.len() == i.timeline.baseline.len());
}

#[test]
fn a_quiet_week_raises_no_alarm() {
    for seed in [2, 3] {
        let d = run(&World::new(seed, 8).build(), 0, 8 * DAY);
        assert!(d.incidents.is_empty(), "seed {seed}:\n{}", describe(&d));
    }
}

#[test]
fn viral_mentions_without_complaints_are_not_an_outage() {
    let world = World::new(4, 7).with(Event::MentionWave {
        platform: "instagram",
        start: 6 * DAY + 600,
        minutes: 90,
        extra: 200.0,
        complaint_fraction: 0.04,
    });
    let d = run(&world.build(), 0, 7 * DAY);
    assert!(d.incidents.is_empty(), "{}", describe(&d));
}

#[test]
fn a_flood_from_few_authors_is_not_an_outage() {
    let world = World::new(5, 7).with(Event::Flood {
        platform: "steam",
        start: 6 * DAY + 300,
        minutes: 60,
        authors: 3,
        per_minute: 40.0,
    });
    let d = run(&world.build(), 0, 7 * DAY);
    assert!(d.incidents.is_empty(), "{}", describe(&d));
}

#[test]
fn an_ingest_gap_and_a_traffic_surge_are_not_outages() {
    let world = World::new(6, 7)
        .with(Event::Gap {
            start: 5 * DAY + 600,
            minutes: 180,
        })
        .with(Event::Surge {
            start: 6 * DAY + 700,
            minutes: 120,
            factor: 3.0,
        });
    let d = run(&world.build(), 0, 7 * DAY);
    assert!(d.incidents.is_empty(), "{}", describe(&d));
}

#[test]
fn the_news_wave_after_an_outage_is_not_a_new_incident() {
    let start = 5 * DAY + 19 * 60;
    let world = World::new(7, 7)
        .with(Event::Outage {
            platform: "facebook",
            start,
            minutes: 120,
            extra: 15.0,
            regions: None,
        })
        .with(Event::MentionWave {
            platform: "facebook",
            start: 6 * DAY + 8 * 60,
            minutes: 600,
            extra: 60.0,
            complaint_fraction: 0.03,
        });
    let d = run(&world.build(), 0, 7 * DAY);
    assert_eq!(d.incidents.len(), 1, "{}", describe(&d));
    assert!(minutes_between(d.incidents[0].start, at(start)).abs() <= 5);
}

#[test]
fn a_regional_outage_names_its_region_first() {
    let start = 6 * DAY + 13 * 60;
    let world = World::new(8, 7).with(Event::Outage {
        platform: "whatsapp",
        start,
        minutes: 50,
        extra: 6.0,
        regions: Some(vec![("BR", 0.9), ("US", 0.1)]),
    });
    let d = run(&world.build(), 0, 7 * DAY);
    assert_eq!(d.incidents.len(), 1, "{}", describe(&d));
    let regions = &d.incidents[0].regions;
    assert_eq!(
        regions.first().map(|r| r.code.as_str()),
        Some("BR"),
        "{regions:?}"
    );
    assert!(regions[0].lift > 2.0, "{regions:?}");
    assert!(
        !regions.iter().any(|r| r.code == "JP"),
        "no region without evidence: {regions:?}"
    );
}

#[test]
fn a_provider_outage_links_its_platforms_and_names_the_provider() {
    let start = 6 * DAY + 15 * 60 + 40;
    let mut world = World::new(9, 7);
    for (platform, extra) in [("whatsapp", 30.0), ("instagram", 20.0), ("facebook", 15.0)] {
        world = world.with(Event::Outage {
            platform,
            start,
            minutes: 150,
            extra,
            regions: None,
        });
    }
    let d = run(&world.build(), 0, 7 * DAY);
    assert_eq!(d.incidents.len(), 3, "{}", describe(&d));
    for i in &d.incidents {
        assert_eq!(i.provider.as_deref(), Some("meta"), "{}", i.id);
        assert_eq!(i.related.len(), 2, "{}: {:?}", i.id, i.related);
        assert!(!i.related.contains(&i.platform));
    }
}

#[test]
fn cold_start_neither_panics_nor_stays_silent() {
    // Two days of history only: the first day must stay calm, the outage must be found.
    let start = DAY + 15 * 60;
    let world = World::new(10, 2).with(Event::Outage {
        platform: "instagram",
        start,
        minutes: 45,
        extra: 25.0,
        regions: None,
    });
    let d = run(&world.build(), 0, 2 * DAY);
    assert_eq!(d.incidents.len(), 1, "{}", describe(&d));
    assert!(minutes_between(at(start), d.incidents[0].detected_at) <= 5);
}

#[test]
fn a_report_cut_off_at_t_shows_exactly_what_was_detected_by_t() {
    let mut world = World::new(11, 7)
        .with(Event::Outage {
            platform: "whatsapp",
            start: 5 * DAY + 600,
            minutes: 90,
            extra: 12.0,
            regions: None,
        })
        .with(Event::Outage {
            platform: "steam",
            start: 6 * DAY + 300,
            minutes: 40,
            extra: 3.0,
            regions: None,
        });
    world.events.push(Event::Outage {
        platform: "facebook",
        start: 6 * DAY + 320,
        minutes: 200,
        extra: 8.0,
        regions: None,
    });
    let table = world.build();
    let full = run(&table, 0, 7 * DAY);
    assert!(full.incidents.len() >= 3, "{}", describe(&full));
    for cut in [
        5 * DAY + 601,
        5 * DAY + 605,
        5 * DAY + 700,
        6 * DAY + 303,
        6 * DAY + 330,
        6 * DAY + 400,
        6 * DAY + 1000,
    ] {
        let cut_s = T0 + cut * 60 + 17;
        let mut truncated = table.clone();
        truncated.rows.retain(|r| r.at <= cut_s);
        truncated.volume_per_minute.retain(|v| v.0 * 60 <= cut_s);
        let request = DetectionRequest {
            table: &truncated,
            from: at(0),
            to: utc(cut_s),
            provider_of: &meta_provider,
        };
        let partial = detect(&request, &DetectorConfig::default());
        let expected: Vec<_> = full
            .incidents
            .iter()
            .filter(|i| i.detected_at.timestamp() <= cut_s)
            .collect();
        let key = |i: &Incident| (i.id.clone(), i.platform.clone(), i.start, i.detected_at);
        assert_eq!(
            partial.incidents.iter().map(key).collect::<Vec<_>>(),
            expected.iter().map(|i| key(i)).collect::<Vec<_>>(),
            "cut at {cut}"
        );
        for (p, f) in partial.incidents.iter().zip(&expected) {
            match p.end {
                // Resolved by the cut: the full run agrees, unless the incident reopened later.
                Some(end) => assert!(
                    f.end == Some(end) || f.end.is_none_or(|e| e > end),
                    "{} end",
                    p.id
                ),
                None => assert!(
                    f.resolved_at.is_none_or(|r| r.timestamp() > cut_s),
                    "{} ongoing at the cut",
                    p.id
                ),
            }
        }
    }
}

#[test]
fn small_incidents_on_a_low_volume_instance_are_found() {
    // One small Mastodon instance: ~15 complaints a day, incidents of 10 to 40 complaints.
    let mut world = World::new(12, 8);
    world.volume = 4.0;
    world.platforms = vec![
        PlatformSpec {
            name: "mastodon-social",
            complaints: 0.01,
            mentions: 0.15,
        },
        PlatformSpec {
            name: "bluesky",
            complaints: 0.006,
            mentions: 0.1,
        },
    ];
    let truth = [
        (6 * DAY + 600, 30, 0.5),
        (7 * DAY + 200, 40, 0.9),
        (7 * DAY + 900, 25, 1.2),
    ];
    for (start, minutes, extra) in truth {
        world = world.with(Event::Outage {
            platform: "mastodon-social",
            start,
            minutes,
            extra,
            regions: None,
        });
    }
    let d = run(&world.build(), 0, 8 * DAY);
    assert_eq!(d.incidents.len(), truth.len(), "{}", describe(&d));
    for ((start, _, _), i) in truth.iter().zip(&d.incidents) {
        assert!(i.complaints >= 8 && i.complaints <= 60, "{}", i.complaints);
        // At night such an incident brings one complaint every two minutes: the five voices an
        // alarm needs take a while to arrive.
        assert!(
            minutes_between(at(*start), i.detected_at) <= 15,
            "{} vs {}",
            i.detected_at,
            at(*start)
        );
    }
}

#[test]
fn a_small_incident_on_a_quiet_platform_is_found() {
    // Five times the usual rate for twenty minutes.
    let start = 6 * DAY + 16 * 60;
    let world = World::new(13, 7).with(Event::Outage {
        platform: "steam",
        start,
        minutes: 20,
        extra: 4.0 * 0.3 * World::cycle(start),
        regions: None,
    });
    let d = run(&world.build(), 0, 7 * DAY);
    assert_eq!(d.incidents.len(), 1, "{}", describe(&d));
    assert!(minutes_between(at(start), d.incidents[0].detected_at) <= 10);
}

/// Runs `table` with a changed configuration (to show what a rule is for).
fn run_with(table: &ObservationTable, to_minute: i64, config: &DetectorConfig) -> Detection {
    let request = DetectionRequest {
        table,
        from: at(0),
        to: at(to_minute),
        provider_of: &meta_provider,
    };
    detect(&request, config)
}

#[test]
fn a_bot_flood_with_a_few_real_complaints_around_is_not_an_outage() {
    // Four accounts posting twelve complaints a minute on a quiet platform: four voices, and
    // three real complaints in the next minutes make seven, an alarm (as with the
    // bot flood of `week`, seed 6). Their posts, far more than those voices usually write,
    // cancel the voices. (In a flood's very first minute nothing tells the accounts from
    // people yet: min_voices is the only guard there.)
    let flood_start = 6 * DAY + 13 * 60;
    let mut world = World::new(40, 7).with(Event::Flood {
        platform: "netflix",
        start: flood_start,
        minutes: 20,
        authors: 4,
        per_minute: 12.0,
    });
    world.platforms.push(PlatformSpec {
        name: "netflix",
        complaints: 0.1,
        mentions: 0.6,
    });
    let mut table = world.build();
    let netflix = table.platform_index("netflix").expect("netflix is watched");
    for (k, author) in [(1, 7_001u64), (2, 7_003), (2, 7_005)] {
        table.rows.push(Observation {
            at: T0 + (flood_start + k) * 60 + 30,
            author: Some(AuthorHash(author)),
            platforms: [netflix].into(),
            regions: Default::default(),
            lang: 0,
            symptoms: 1,
            complaint: true,
            recovery: false,
            report: false,
        });
    }
    table.rows.sort_by_key(|r| r.at);
    // Only the flood's hour is judged here (the rest of the world is other tests' business).
    let on_netflix = |d: &Detection| {
        d.incidents
            .iter()
            .filter(|i| i.platform == "netflix" && i.detected_at >= at(flood_start))
            .filter(|i| i.detected_at <= at(flood_start + 60))
            .count()
    };
    let d = run(&table, 0, 7 * DAY);
    assert_eq!(on_netflix(&d), 0, "{}", describe(&d));
    let without = DetectorConfig {
        flood_posts_per_voice: f64::INFINITY,
        ..DetectorConfig::default()
    };
    let before = run_with(&table, 7 * DAY, &without);
    assert_eq!(
        on_netflix(&before),
        1,
        "without the rule the flood should alarm, or the test shows nothing:\n{}",
        describe(&before)
    );
}

#[test]
fn a_platform_without_complaints_yet_is_judged_by_the_source_mix() {
    // A new platform, mentioned for hours without a single complaint: its own history says
    // zero, which would make any five complaints a certainty. Until it has a history of its
    // own it is judged by the source's usual complaints per mention: a handful is not an
    // alarm, a real burst still is.
    let mut world = World::new(30, 1)
        .with(Event::Outage {
            platform: "roblox",
            start: 200,
            minutes: 5,
            extra: 4.0,
            regions: None,
        })
        .with(Event::Outage {
            platform: "roblox",
            start: 900,
            minutes: 40,
            extra: 12.0,
            regions: None,
        });
    world.platforms.push(PlatformSpec {
        name: "roblox",
        complaints: 0.0,
        mentions: 0.5,
    });
    let table = world.build();
    let d = run(&table, 0, DAY);
    let roblox: Vec<&Incident> = d
        .incidents
        .iter()
        .filter(|i| i.platform == "roblox")
        .collect();
    assert_eq!(roblox.len(), 1, "{}", describe(&d));
    assert!(
        minutes_between(at(900), roblox[0].detected_at) <= 5,
        "{}",
        describe(&d)
    );
}

/// A world with a quiet platform (`paypal`, 0.06 complaints a minute) and a small region
/// (`FR`, about 4% of located voices): the (paypal, FR) pair gathers about a dozen voices a
/// week, far from a baseline of its own.
fn world_with_a_quiet_pair(seed: u64, days: i64) -> World {
    let mut world = World::new(seed, days);
    world.platforms.push(PlatformSpec {
        name: "paypal",
        complaints: 0.06,
        mentions: 0.4,
    });
    world.mix.push(("FR", 0.04));
    world
}

#[test]
fn a_regional_outage_on_a_quiet_platform_is_found_in_its_region_first() {
    // A third of a complaint a minute more, all from France, on a platform with 0.06 a minute:
    // lost in the platform's own noise for a while, but France alone usually has a complaint
    // about it every few hours. The (paypal, FR) pair is far below the 30 voices of a baseline
    // of its own; it borrows the platform's baseline times France's share, and fires first.
    let start = 6 * DAY + 14 * 60;
    let world = world_with_a_quiet_pair(41, 7).with(Event::Outage {
        platform: "paypal",
        start,
        minutes: 45,
        extra: 0.3,
        regions: Some(vec![("FR", 1.0)]),
    });
    let table = world.build();
    let paypal = |d: &Detection| -> Option<Incident> {
        d.incidents.iter().find(|i| i.platform == "paypal").cloned()
    };
    let with_quiet = run(&table, 0, 7 * DAY);
    let found = paypal(&with_quiet).expect("the outage is found");
    assert_eq!(
        found.trigger_region.as_deref(),
        Some("FR"),
        "{}",
        describe(&with_quiet)
    );
    let without = DetectorConfig {
        quiet_region_min_source_voices: f64::INFINITY,
        ..DetectorConfig::default()
    };
    let before = run_with(&table, 7 * DAY, &without);
    let later = paypal(&before).map(|i| i.detected_at);
    assert!(
        later.is_none_or(|later| minutes_between(found.detected_at, later) >= 3),
        "with the quiet pair: {}\nwithout: {}",
        describe(&with_quiet),
        describe(&before)
    );
    assert!(
        with_quiet.incidents.len() == 1,
        "nothing else alarms: {}",
        describe(&with_quiet)
    );
}

#[test]
fn quiet_pairs_are_counted_in_the_regional_threshold() {
    // Every (platform, region) pair that could alarm on a borrowed expectation is a test,
    // whether it has had a complaint or not: the count is every platform watched times every
    // region the source knows well enough, less the pairs with a baseline of their own (which
    // are counted with those).
    let table = world_with_a_quiet_pair(42, 3).build();
    let config = DetectorConfig::default();
    let grid = series::Grid {
        first_minute: T0 / 60,
        len: 3 * DAY as usize,
    };
    let set = series::SeriesSet::build(&table, grid, &config);
    let last = grid.len - 1;
    let platforms = set.watched_platforms[last];
    let established = set.watched_regions[last];
    assert_eq!(platforms, 5);
    // US, BR, IN, GB, DE, JP and FR all reach 200 located voices in three days.
    assert_eq!(set.watched_quiet_regions[last], 5 * 7 - established);
    assert!(set.watched_quiet_regions[last] > 5);
    let off = DetectorConfig {
        quiet_region_min_source_voices: f64::INFINITY,
        ..DetectorConfig::default()
    };
    let set = series::SeriesSet::build(&table, grid, &off);
    assert_eq!(set.watched_quiet_regions[last], 1);
    assert_eq!(set.watched_regions[last], established);
}

#[test]
fn a_complaint_without_a_place_counts_where_its_language_is_spoken() {
    // Russian complaints located in Russia, Spanish ones split between Spain and Mexico: a
    // Russian complaint without a place is taken for Russia once the source has seen enough
    // located ones (never before: the hint is learned from the past), a Spanish one for no
    // country.
    let complaint = |at: i64, region: Option<u16>, lang: u16| Observation {
        at: T0 + at,
        author: Some(AuthorHash(at as u64 + 1)),
        platforms: [0].into(),
        regions: region.into_iter().collect(),
        lang,
        symptoms: 0,
        complaint: true,
        recovery: false,
        report: false,
    };
    let (ru, es) = (0, 1);
    let (russia, spain, mexico) = (0, 1, 2);
    let mut rows = vec![complaint(0, None, ru)];
    for i in 0..60 {
        rows.push(complaint(10 + i, Some(russia), ru));
        rows.push(complaint(
            10 + i,
            Some(if i % 2 == 0 { spain } else { mexico }),
            es,
        ));
    }
    rows.push(complaint(100, None, ru));
    rows.push(complaint(101, None, es));
    let table = ObservationTable {
        platforms: vec!["telegram".into()],
        regions: vec!["RU".into(), "ES".into(), "MX".into()],
        langs: vec!["ru".into(), "es".into()],
        rows,
        ..ObservationTable::default()
    };
    let hints = series::language_hints(&table, &DetectorConfig::default());
    let n = table.rows.len();
    assert_eq!(hints[0], series::NO_HINT, "no hint before the evidence");
    assert_eq!(hints[n - 2], russia);
    assert_eq!(
        hints[n - 1],
        series::NO_HINT,
        "Spanish is spoken in two countries"
    );
    assert!(hints[1..n - 2].iter().all(|&h| h == series::NO_HINT));
    let off = DetectorConfig {
        language_hint_min_share: f64::INFINITY,
        ..DetectorConfig::default()
    };
    assert!(
        series::language_hints(&table, &off)
            .iter()
            .all(|&h| h == series::NO_HINT)
    );
}

/// `table` with one complaint about platform `platform` from region `region` at each of
/// `minutes` (a new author each), kept in time order.
fn with_complaints(
    mut table: ObservationTable,
    platform: &str,
    region: &str,
    minutes: &[i64],
) -> ObservationTable {
    let p = table
        .platform_index(platform)
        .expect("the platform is in the table");
    let r = match table.regions.iter().position(|code| code == region) {
        Some(r) => r as u16,
        None => {
            table.regions.push(region.to_string());
            (table.regions.len() - 1) as u16
        }
    };
    for (i, &minute) in minutes.iter().enumerate() {
        table.rows.push(Observation {
            at: T0 + minute * 60 + 30,
            author: Some(AuthorHash(7_000_000 + i as u64)),
            platforms: [p].into(),
            regions: [r].into(),
            lang: 0,
            symptoms: 1,
            complaint: true,
            recovery: false,
            report: false,
        });
    }
    table.rows.sort_by_key(|row| row.at);
    table
}

#[test]
fn a_quiet_pair_is_not_judged_on_an_hour_of_scattered_voices() {
    // Six French complaints about a quiet platform, nine minutes apart: no fifteen minutes
    // hold more than two, but the hour holds six against about 0.1 expected. On a borrowed
    // expectation that hour is not an alarm: it was, on the scenarios, an outage already over.
    let start = 5 * DAY + 15 * 60;
    let minutes: Vec<i64> = (0..6).map(|k| start + 9 * k).collect();
    let table = with_complaints(
        world_with_a_quiet_pair(43, 6).build(),
        "paypal",
        "FR",
        &minutes,
    );
    let d = run(&table, 0, 6 * DAY);
    assert!(
        d.incidents.iter().all(|i| i.platform != "paypal"),
        "{}",
        describe(&d)
    );
    let hour_long = DetectorConfig {
        quiet_region_max_window: 60,
        ..DetectorConfig::default()
    };
    let d = run_with(&table, 6 * DAY, &hour_long);
    assert!(
        d.incidents
            .iter()
            .any(|i| i.platform == "paypal" && i.trigger_region.as_deref() == Some("FR")),
        "the hour would alarm on its own: {}",
        describe(&d)
    );
}

#[test]
fn a_regional_baseline_is_floored_by_the_borrowed_one() {
    // France is a big region here (a fifth of located voices): Steam has a few French
    // complaints an hour. In the first five days none of them came in the afternoon (they are
    // taken out), so the (steam, FR) pair's own baseline says France is silent then. Five
    // French complaints in a quarter of an hour of the sixth afternoon are a certainty by that
    // baseline alone; by the platform's rate and France's share they are an ordinary quarter.
    let mut world = World::new(44, 6);
    world.mix.push(("FR", 0.3));
    let mut table = world.build();
    let steam = table.platform_index("steam").expect("steam");
    let france = table
        .regions
        .iter()
        .position(|r| r == "FR")
        .expect("France") as u16;
    table.rows.retain(|row| {
        let minute = (row.at - T0) / 60;
        let afternoon = (14 * 60..20 * 60).contains(&minute.rem_euclid(DAY));
        !(row.complaint
            && minute < 5 * DAY
            && afternoon
            && row.platforms.contains(&steam)
            && row.regions.contains(&france))
    });
    let busy = 5 * DAY + 16 * 60;
    let afternoon: Vec<i64> = (0..5).map(|k| busy + 3 * k).collect();
    let table = with_complaints(table, "steam", "FR", &afternoon);
    let alarms_then = |d: &Detection| {
        d.incidents.iter().any(|i| {
            i.platform == "steam" && i.detected_at >= at(busy) && i.detected_at <= at(busy + 60)
        })
    };
    let d = run(&table, 0, 6 * DAY);
    assert!(!alarms_then(&d), "{}", describe(&d));
    // Without the floor (the pair judged by its own baseline alone) it alarms.
    let own_only = DetectorConfig {
        quiet_region_min_source_voices: f64::INFINITY,
        ..DetectorConfig::default()
    };
    let d = run_with(&table, 6 * DAY, &own_only);
    assert!(
        alarms_then(&d),
        "its own baseline alone would alarm: {}",
        describe(&d)
    );
}

#[test]
fn an_outage_is_resolved_once_its_recent_windows_are_calm() {
    // A large outage (20 extra complaints a minute for an hour, the usual being 1), then an
    // hour of stragglers (0.3 extra a minute: within the usual band). The 60-minute window
    // holds the outage for an hour after it stopped: before the rules of "Incident ends" its
    // alarm kept sending the recovering incident back to open, so the incident was declared
    // over more than an hour after the complaints had stopped (and any stray busy minute in
    // that hour moved the end).
    let start = 6 * DAY + 14 * 60;
    let world = World::new(5, 7)
        .with(Event::Outage {
            platform: "whatsapp",
            start,
            minutes: 60,
            extra: 20.0,
            regions: None,
        })
        .with(Event::Outage {
            platform: "whatsapp",
            start: start + 60,
            minutes: 60,
            extra: 0.3,
            regions: None,
        });
    let table = world.build();
    // (minutes from the outage's end to the incident's end, and to its resolution)
    let after_the_outage = |config: &DetectorConfig| {
        let d = run_with(&table, 7 * DAY, config);
        assert_eq!(d.incidents.len(), 1, "{}", describe(&d));
        let i = &d.incidents[0];
        let end = i.end.expect("resolved");
        let resolved = i.resolved_at.expect("resolved");
        (
            minutes_between(at(start + 60), end),
            minutes_between(at(start + 60), resolved),
        )
    };
    let (end, resolved) = after_the_outage(&DetectorConfig::default());
    assert!(
        (-10..=10).contains(&end),
        "end {end} minutes after the outage stopped"
    );
    assert!(
        resolved <= 45,
        "resolved {resolved} minutes after the outage stopped"
    );
    let (_, resolved_before) = after_the_outage(&DetectorConfig {
        calm_peak_fraction: 0.0,
        calm_below_min_voices: false,
        recover_on_recent_windows: false,
        fresh_windows_after_end: false,
        ..DetectorConfig::default()
    });
    assert!(
        resolved_before > 60,
        "without the rules it was resolved {resolved_before} minutes after"
    );
}

#[test]
fn a_sparse_outage_starts_at_its_first_voices_not_at_its_last() {
    // A quiet-pair outage like the one above, thinner: a voice every five minutes or so from
    // France (0.2 extra complaints a minute, half of them located), found on
    // the (paypal, FR) pair. Its CUSUM with a fixed quarter voice of slack a minute forgets
    // each voice within four minutes, so the onset came late, near the alarm; the
    // likelihood-ratio slack between the pair's usual rate and the burst's keeps them.
    let start = 6 * DAY + 14 * 60;
    let world = world_with_a_quiet_pair(41, 7).with(Event::Outage {
        platform: "paypal",
        start,
        minutes: 45,
        extra: 0.2,
        regions: Some(vec![("FR", 1.0)]),
    });
    let table = world.build();
    let onset_error = |config: &DetectorConfig| {
        let d = run_with(&table, 7 * DAY, config);
        let found = d
            .incidents
            .iter()
            .find(|i| i.platform == "paypal")
            .expect("the outage is found");
        minutes_between(at(start), found.start)
    };
    let now = onset_error(&DetectorConfig::default());
    let before = onset_error(&DetectorConfig {
        onset_rate_slack: false,
        ..DetectorConfig::default()
    });
    assert!(now.abs() <= 5, "start {now} minutes after the onset");
    assert!(
        before > now.abs() + 5,
        "fixed slack: start {before} minutes after the onset, rate slack {now}"
    );
}
