//! End to end, in process and pure: simulate a bundled scenario, parse every record with the
//! record contract's parser, classify it with the real classifier, build the observation table
//! detection reads, detect, write the report JSON, and score it against the truth.
//!
//! This is the reproducible command behind the figures in `docs/DETECTION.md` ("## Figures"):
//! `cargo test -p outcry-analyze --test scenarios -- --include-ignored --nocapture` prints every
//! evaluation. `week` and `small-instance` run at full scale, `meta-2021` at a quarter of its
//! volume (its outage is still about 15,000 complaints); each takes seconds in a debug build, so
//! they run in the everyday `cargo test`. The targets that are met are asserted there;
//! the recall and delay targets that are not met yet on `week`, the classifier's own targets
//! (H-lang's), the spread over seeds, the false-alarm budget sweep behind the delay limit and
//! the two readings behind the top-region limit and the before/after figures of the quiet region
//! series (`quiet_regions_before_and_after`, which also reads `data/scenarios/quiet-regions.toml`)
//! and of any detector change with its onset and end errors (`detector_before_and_after`, which
//! also reads `fresh` and `fresh2`) are `#[ignore]`d tests that say so and run with
//! `--include-ignored`.

use outcry_analyze::classify::Classifier;
use outcry_analyze::detect::{DetectionRequest, DetectorConfig, detect};
use outcry_analyze::eval::{Evaluation, evaluate};
use outcry_analyze::report::Report;
use outcry_analyze::simulate::{Intent, Scenario, Truth, simulate};
use outcry_model::{AuthorHasher, Observation, ObservationTable, PostKind, PostRecordParser};
use std::collections::BTreeMap;

/// Strings interned into a table's string list.
#[derive(Default)]
struct Interner {
    index: BTreeMap<String, u16>,
    list: Vec<String>,
}

impl Interner {
    fn get(&mut self, s: &str) -> u16 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u16;
        self.index.insert(s.to_string(), i);
        self.list.push(s.to_string());
        i
    }
}

/// How the real classifier read the simulated posts, by the simulator's own labels.
#[derive(Default, Debug)]
struct ClassifierCheck {
    /// Complaint posts (not crowd reports) seen as complaints about their platform.
    complaints_found: u64,
    complaints: u64,
    /// Posts that are not complaints (traps, memes, news, launches, mentions, recovery,
    /// background) seen as complaints.
    false_complaints: u64,
    non_complaints: u64,
    /// Traps alone.
    traps_as_complaints: u64,
    traps: u64,
    /// Complaint recall by language: (found, total).
    by_lang: BTreeMap<String, (u64, u64)>,
    /// Complaint recall of incidents' complaints by (incident index, author's region): a region
    /// whose complaints are read less often looks less affected than it is.
    by_incident_region: BTreeMap<(usize, String), (u64, u64)>,
    /// Non-complaints taken for complaints, by intent: (taken, total).
    false_by_intent: BTreeMap<String, (u64, u64)>,
    missed_examples: Vec<String>,
    false_examples: Vec<String>,
}

impl ClassifierCheck {
    fn complaint_recall(&self) -> f64 {
        self.complaints_found as f64 / self.complaints.max(1) as f64
    }

    fn false_complaint_rate(&self) -> f64 {
        self.false_complaints as f64 / self.non_complaints.max(1) as f64
    }

    fn print(&self) {
        println!(
            "classifier on simulated posts: complaint recall {:.3} ({} of {}), non-complaints taken for complaints {:.4} ({} of {}), traps {:.3} ({} of {})",
            self.complaint_recall(),
            self.complaints_found,
            self.complaints,
            self.false_complaint_rate(),
            self.false_complaints,
            self.non_complaints,
            self.traps_as_complaints as f64 / self.traps.max(1) as f64,
            self.traps_as_complaints,
            self.traps
        );
        let langs: Vec<String> = self
            .by_lang
            .iter()
            .map(|(l, (f, t))| format!("{l} {:.2}", *f as f64 / (*t).max(1) as f64))
            .collect();
        println!("  complaint recall by language: {}", langs.join(", "));
        let intents: Vec<String> = self
            .false_by_intent
            .iter()
            .map(|(i, (f, t))| format!("{i} {f}/{t}"))
            .collect();
        println!(
            "  non-complaints taken for complaints, by intent: {}",
            intents.join(", ")
        );
        for m in &self.missed_examples {
            println!("  missed complaint: {m}");
        }
        for m in &self.false_examples {
            println!("  false complaint: {m}");
        }
    }
}

struct Outcome {
    truth: Truth,
    evaluation: Evaluation,
    check: ClassifierCheck,
    report: serde_json::Value,
}

/// How the complaints of a simulation are read into the table detection reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// As the real classifier reads them: what every figure is measured with.
    Classifier,
    /// As the classifier reads them, except that every complaint post the simulator wrote is a
    /// complaint about its platforms: what detection would make of the same week with a
    /// classifier that missed no complaint. Only to tell detection's errors from the
    /// classifier's.
    ComplaintsAsWritten,
}

/// A simulation read by the real classifier into the table detection reads.
struct Classified {
    table: ObservationTable,
    truth: Truth,
    check: ClassifierCheck,
}

fn run(scenario: &Scenario, seed: u64) -> Outcome {
    let classified = classify(scenario, seed, Reading::Classifier);
    let (evaluation, report) = score(&classified, &DetectorConfig::default());
    println!(
        "\n=== {} seed {seed}: {} posts ===",
        classified.truth.scenario,
        classified.table.rows.len()
    );
    classified.check.print();
    print!("{}", evaluation.to_text());
    Outcome {
        truth: classified.truth,
        evaluation,
        check: classified.check,
        report,
    }
}

/// Detects on the whole simulated span with `config`, writes the report JSON and scores it.
/// The top-region column of the results tables: a percentage, or "n/a" without regional
/// incidents.
fn top_region_cell(e: &Evaluation) -> String {
    e.top_region_accuracy
        .map(|a| format!("{:.0}%", a * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

fn score(classified: &Classified, config: &DetectorConfig) -> (Evaluation, serde_json::Value) {
    let classifier = Classifier::builtin();
    let catalog = classifier.catalog();
    let provider_of = |id: &str| catalog.provider_of(id).map(str::to_string);
    let truth = &classified.truth;
    let request = DetectionRequest {
        table: &classified.table,
        from: truth.start,
        to: truth.end,
        provider_of: &provider_of,
    };
    let detection = detect(&request, config);
    let report: serde_json::Value =
        serde_json::from_str(&Report::from_detection(&detection, truth.end).to_json())
            .expect("the report writes valid JSON");
    let evaluation = evaluate(truth, &report).expect("the report follows its JSON contract");
    (evaluation, report)
}

fn classify(scenario: &Scenario, seed: u64, reading: Reading) -> Classified {
    let classifier = Classifier::builtin();
    // `builtin` falls back to the catalog alone if the bundled lexicons fail to load: that would
    // make every figure below meaningless, so say so plainly.
    assert!(
        classifier.lexicons().len() >= 14,
        "the bundled lexicons did not load (run `cargo test -p outcry-analyze --lib builtin_loads`)"
    );
    let parser = PostRecordParser::new(AuthorHasher::new([42; 16]));
    let mut platforms = Interner::default();
    let mut regions = Interner::default();
    let mut langs = Interner::default();
    let mut rows = Vec::new();
    let mut volume: BTreeMap<i64, u64> = BTreeMap::new();
    let mut check = ClassifierCheck::default();
    let mut sim = simulate(scenario, seed);
    for record in sim.by_ref() {
        let line = record.to_json_line();
        let post = parser.parse_line(line.as_bytes()).unwrap_or_else(|e| {
            panic!("the simulator wrote a record the contract rejects: {e}\n{line}")
        });
        let mut c = classifier.classify(&post);
        let label = &record.label;
        if post.kind == PostKind::Post {
            let about_it = label
                .platforms
                .first()
                .is_none_or(|p| c.platforms.contains(p));
            match label.intent {
                Intent::Complaint => {
                    check.complaints += 1;
                    let found = c.complaint && about_it;
                    check.complaints_found += found as u64;
                    let entry = check.by_lang.entry(label.lang.clone()).or_default();
                    entry.0 += found as u64;
                    entry.1 += 1;
                    if let Some(incident) = label.incident {
                        let key = (incident, label.region.clone());
                        let entry = check.by_incident_region.entry(key).or_default();
                        entry.0 += found as u64;
                        entry.1 += 1;
                    }
                    if !found && check.missed_examples.len() < 25 && spread(&post.id, 7) {
                        check.missed_examples.push(format!(
                            "[{}] {} -> complaint={} platforms={:?}",
                            label.lang, post.text, c.complaint, c.platforms
                        ));
                    }
                }
                // Bots paste complaint-looking spam on purpose: detection, not the classifier,
                // must see through them (few authors).
                Intent::Bot => {}
                intent => {
                    check.non_complaints += 1;
                    let entry = check
                        .false_by_intent
                        .entry(format!("{intent:?}").to_lowercase())
                        .or_default();
                    entry.1 += 1;
                    if intent == Intent::Trap {
                        check.traps += 1;
                        check.traps_as_complaints += c.complaint as u64;
                    }
                    if c.complaint {
                        check.false_complaints += 1;
                        entry.0 += 1;
                        if check.false_examples.len() < 25 && spread(&post.id, 3) {
                            check.false_examples.push(format!(
                                "[{}/{intent:?}] {} -> {:?}",
                                label.lang, post.text, c.platforms
                            ));
                        }
                    }
                }
            }
        }
        if reading == Reading::ComplaintsAsWritten
            && label.intent == Intent::Complaint
            && post.kind == PostKind::Post
        {
            c.complaint = true;
            for p in &label.platforms {
                if !c.platforms.contains(p) {
                    c.platforms.push(p.clone());
                }
            }
        }
        let at = post.created_at.timestamp();
        // Replay ingest counts every indexed post as the volume of its minute.
        *volume.entry(at.div_euclid(60)).or_default() += 1;
        rows.push(Observation {
            at,
            author: post.author,
            platforms: c.platforms.iter().map(|p| platforms.get(p)).collect(),
            regions: c.regions.iter().map(|r| regions.get(r)).collect(),
            lang: langs.get(&c.lang),
            symptoms: c.symptoms.iter().fold(0, |bits, s| bits | s.bit()),
            complaint: c.complaint,
            recovery: c.recovery,
            report: post.kind == PostKind::Report,
        });
    }
    let truth = sim.truth();
    let table = ObservationTable {
        platforms: platforms.list,
        regions: regions.list,
        langs: langs.list,
        rows,
        volume_per_minute: volume.into_iter().collect(),
        ..ObservationTable::default()
    };
    Classified {
        table,
        truth,
        check,
    }
}

/// A deterministic thinning of printed examples, so they are spread over the run.
fn spread(id: &str, one_in: u64) -> bool {
    id.bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64))
        % one_in
        == 0
}

/// The targets of issue 4 that hold on every scenario: precision, false alarms per day, the top
/// region of regional incidents and the provider.
fn assert_precision_targets(outcome: &Outcome) {
    let e = &outcome.evaluation;
    let name = &outcome.truth.scenario;
    assert!(
        e.precision >= 0.95,
        "{name}: precision {:.3} < 0.95",
        e.precision
    );
    assert!(
        e.false_alarms_per_day <= 0.2,
        "{name}: {:.2} false alarms per day > 0.2",
        e.false_alarms_per_day
    );
    if let Some(accuracy) = e.top_region_accuracy {
        assert!(
            accuracy >= 0.9,
            "{name}: top region right for {:.0}% of regional incidents < 90%",
            accuracy * 100.0
        );
    }
    if let Some(accuracy) = e.provider_accuracy {
        assert_eq!(accuracy, 1.0, "{name}: provider right for {accuracy}");
    }
}

/// Recall at least `recall` and detection delays within `median` and `p90` minutes.
fn assert_recall_and_delay(outcome: &Outcome, recall: f64, median: f64, p90: f64) {
    let e = &outcome.evaluation;
    let name = &outcome.truth.scenario;
    assert!(
        e.recall >= recall,
        "{name}: recall {:.3} < {recall}",
        e.recall
    );
    let got_median = e.delay_median_minutes.expect("some incident was detected");
    let got_p90 = e.delay_p90_minutes.expect("some incident was detected");
    assert!(
        got_median <= median,
        "{name}: median delay {got_median} min > {median}"
    );
    assert!(got_p90 <= p90, "{name}: p90 delay {got_p90} min > {p90}");
}

fn assert_classifier_reads_the_simulation(check: &ClassifierCheck, name: &str) {
    // The simulator's phrasing must be what the classifier understands: if these fail, look at
    // the printed misses before changing either side.
    assert!(
        check.complaint_recall() >= 0.9,
        "{name}: the classifier found {:.3} of simulated complaints",
        check.complaint_recall()
    );
    assert!(
        check.false_complaint_rate() <= 0.02,
        "{name}: {:.4} of simulated non-complaints classified as complaints",
        check.false_complaint_rate()
    );
}

#[test]
fn pipeline_runs_end_to_end() {
    // A small scenario through every stage: every record passes the contract, every incident is
    // found and nothing else is.
    let scenario = Scenario::bundled("small-instance").unwrap();
    let outcome = run(&scenario, 2);
    let e = &outcome.evaluation;
    assert_eq!(e.true_incidents, 4);
    assert_eq!((e.recall, e.precision), (1.0, 1.0), "{}", e.to_text());
}

#[test]
fn week_meets_the_precision_region_and_provider_targets() {
    // Every kind of incident and decoy: the launch, the meme, the bot flood, the collector
    // gap and the news wave must not alarm, regional incidents name their region, the
    // provider-wide one names meta. Recall and delays are guarded at what the detector
    // reaches today (see `week_meets_the_recall_and_delay_targets` for the targets):
    // every incident but possibly the small one, median within 6 and p90 within 30 minutes.
    let scenario = Scenario::bundled("week").unwrap();
    let outcome = run(&scenario, 1);
    assert_precision_targets(&outcome);
    assert_recall_and_delay(&outcome, 0.9, 6.0, 30.0);
    for missed in outcome.evaluation.incidents.iter().filter(|o| !o.detected) {
        assert_eq!(missed.id, "steam-small", "a large incident was missed");
    }
}

#[test]
fn week_seed_6_keeps_its_bot_flood_first_night_and_overlapping_outages_apart() {
    // Seed 6 raised three false alarms and lost an outage before these were fixed: the netflix
    // bot flood (four accounts, then two real complaints), two roblox alarms in the first
    // night (no complaint yet in its short history), and spotify-global, found but counted
    // for discord-global which it overlaps. A guard against fitting seed 1.
    let scenario = Scenario::bundled("week").unwrap();
    let outcome = run(&scenario, 6);
    // (Its top region is not asserted: outlook-europe, shared by GB 45%, DE 30%, FR 15% and
    // NL 10%, is led by another of its countries on this seed; docs/DETECTION.md.)
    assert!(outcome.evaluation.precision >= 0.95);
    assert!(
        outcome.evaluation.false_alarms.is_empty(),
        "false alarms: {:?}",
        outcome.evaluation.false_alarms
    );
    for missed in outcome.evaluation.incidents.iter().filter(|o| !o.detected) {
        assert_eq!(missed.id, "steam-small", "a large incident was missed");
    }
}

#[test]
#[ignore = "not met yet (docs/DETECTION.md, \"Known limits\"): run with --include-ignored"]
fn week_meets_the_recall_and_delay_targets() {
    // The targets: recall 0.95 with the small incident (5x for 20 minutes on a quiet
    // platform) found, median delay 3 and p90 6 minutes. With an honest 0.2 false alarms a
    // day over every platform and region series, the incidents of this week that ramp up
    // over 3 to 10 minutes cannot reach the threshold that fast.
    let scenario = Scenario::bundled("week").unwrap();
    let outcome = run(&scenario, 1);
    assert_recall_and_delay(&outcome, 0.95, 3.0, 6.0);
    let small = outcome
        .evaluation
        .incidents
        .iter()
        .find(|o| o.id == "steam-small")
        .expect("the small incident is in the truth");
    assert!(small.detected, "the small incident was not found");
}

#[test]
fn small_instance_meets_the_targets() {
    // The low-volume target: every incident of 10 to 40 complaints found, nothing else. At
    // one complaint a minute the five voices an alarm needs take minutes to arrive, so delays
    // are guarded at 12 (median) and 20 minutes (p90).
    {
        let scenario = Scenario::bundled("small-instance").unwrap();
        let outcome = run(&scenario, 1);
        assert_precision_targets(&outcome);
        assert_recall_and_delay(&outcome, 1.0, 12.0, 20.0);
        let sizes: Vec<f64> = outcome
            .truth
            .incidents
            .iter()
            .map(|i| i.expected_complaints)
            .collect();
        assert!(
            sizes.iter().all(|&n| (10.0..=40.0).contains(&n)),
            "incidents of 10 to 40 complaints: {sizes:?}"
        );
    }
}

#[test]
fn regional_meets_the_precision_region_and_provider_targets() {
    // Nine regional incidents (a country, a US state, a few countries; big and small
    // platforms) and two global ones, written as a guard against fitting `week`: every
    // incident found, nothing else, the right region first.
    let scenario = Scenario::bundled("regional").unwrap();
    let outcome = run(&scenario, 1);
    assert_precision_targets(&outcome);
    assert_recall_and_delay(&outcome, 1.0, 10.0, 20.0);
}

#[test]
fn meta_2021_is_one_meta_provider_incident() {
    let scenario = Scenario::bundled("meta-2021").unwrap().scaled(0.25);
    let outcome = run(&scenario, 1);
    let e = &outcome.evaluation;
    assert_eq!(e.recall, 1.0, "the meta outage was missed");
    assert!(
        e.false_alarms.is_empty(),
        "false alarms: {:?}",
        e.false_alarms
    );
    let incidents = outcome.report["incidents"]
        .as_array()
        .expect("incidents is a list");
    let meta: Vec<&serde_json::Value> = incidents
        .iter()
        .filter(|i| i["provider"] == "meta")
        .collect();
    assert!(
        !meta.is_empty(),
        "no incident names the provider meta: {incidents:#?}"
    );
    let outage = &e.incidents[0];
    assert_eq!(outage.reported_provider.as_deref(), Some("meta"));
    // Every detection of the outage names meta: one provider incident, told platform by
    // platform, not several unrelated ones.
    assert_eq!(
        meta.len(),
        outage.detections.len(),
        "detections of the outage that do not name meta"
    );
}

#[test]
#[ignore = "the classifier's targets (H-lang): run with --include-ignored"]
fn the_classifier_reads_the_simulated_posts() {
    for name in ["week", "small-instance"] {
        let scenario = Scenario::bundled(name).unwrap();
        let outcome = run(&scenario, 1);
        assert_classifier_reads_the_simulation(&outcome.check, name);
    }
}

#[test]
#[ignore = "the spread over seeds for docs/DETECTION.md (a minute or two in debug): run with --include-ignored --nocapture"]
fn several_seeds() {
    // The figures of one seed can flatter or wrong a detector: this prints the evaluation of
    // eight weeks, four small instances and four regional weeks, and asserts the targets
    // every seed meets.
    let mut rows = Vec::new();
    for (name, seeds) in [
        ("week", 1..=8),
        ("small-instance", 1..=4),
        ("regional", 1..=4),
    ] {
        for seed in seeds {
            let scenario = Scenario::bundled(name).unwrap();
            let outcome = run(&scenario, seed);
            let e = &outcome.evaluation;
            assert!(
                e.false_alarms_per_day <= 0.2,
                "{name} seed {seed}: {:.2} false alarms per day",
                e.false_alarms_per_day
            );
            assert!(
                e.recall >= 0.9,
                "{name} seed {seed}: recall {:.3}",
                e.recall
            );
            assert!(
                e.precision >= 0.95,
                "{name} seed {seed}: precision {:.3}",
                e.precision
            );
            rows.push(format!(
                "| {name} ({seed}) | {:.2} | {:.2} | {:.2} | {} / {} min | {} / {} min | {} |",
                e.recall,
                e.precision,
                e.false_alarms_per_day,
                e.delay_median_minutes.unwrap_or(f64::NAN),
                e.delay_p90_minutes.unwrap_or(f64::NAN),
                e.onset_error_median_minutes.unwrap_or(f64::NAN),
                e.end_error_median_minutes.unwrap_or(f64::NAN),
                top_region_cell(e),
            ));
        }
    }
    println!(
        "\n| scenario (seed) | recall | precision | false alarms/day | delay median / p90 | onset / end error | top region |"
    );
    println!("|---|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}

#[test]
#[ignore = "the evidence behind the delay limit in docs/DETECTION.md (a few minutes in debug): run with --include-ignored --nocapture"]
fn no_false_alarm_budget_meets_the_delay_targets_on_week() {
    // The delay targets (median 3, p90 6 minutes) against the false alarms they cost: the same
    // detector on the same classified weeks with 1, 10, 100 and 1000 times the false-alarm
    // budget (each tenfold is one unit of threshold less). If some budget met both the delays
    // and 0.2 false alarms a day on every seed, the threshold would be wrong, not the
    // scenario: this fails then.
    let scenario = Scenario::bundled("week").unwrap();
    let weeks: Vec<Classified> = (1..=3)
        .map(|seed| classify(&scenario, seed, Reading::Classifier))
        .collect();
    println!(
        "\n| false-alarm budget a day | seed | recall | precision | false alarms/day | delay median / p90 | delays (min) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut some_budget_meets_all = false;
    for budget in [0.2, 2.0, 20.0, 200.0] {
        let config = DetectorConfig {
            target_false_alarms_per_day: budget,
            ..DetectorConfig::default()
        };
        let mut meets_all = true;
        for week in &weeks {
            let (e, _) = score(week, &config);
            let median = e.delay_median_minutes.unwrap_or(f64::INFINITY);
            let p90 = e.delay_p90_minutes.unwrap_or(f64::INFINITY);
            meets_all &= e.false_alarms_per_day <= 0.2 && median <= 3.0 && p90 <= 6.0;
            let delays: Vec<String> = e
                .incidents
                .iter()
                .map(|o| match o.delay_minutes {
                    Some(d) => format!("{} {d}", o.id),
                    None => format!("{} missed", o.id),
                })
                .collect();
            println!(
                "| {budget} | {} | {:.2} | {:.2} | {:.2} | {median} / {p90} | {} |",
                week.truth.seed,
                e.recall,
                e.precision,
                e.false_alarms_per_day,
                delays.join(", ")
            );
        }
        some_budget_meets_all |= meets_all;
    }
    assert!(
        !some_budget_meets_all,
        "a false-alarm budget meets the delay targets: recalibrate the threshold"
    );
}

#[test]
#[ignore = "the evidence behind the top-region limit in docs/DETECTION.md (minutes in debug, use --release): run with --include-ignored --nocapture"]
fn top_region_is_right_when_the_complaints_are_read_as_written() {
    // `week`'s outlook-europe (GB 45%, DE 30%, FR 15%, NL 10%) is led by DE or FR on some
    // seeds. This reads the same weeks twice, by the classifier and with every simulated
    // complaint counted as written, and prints the top region of each regional incident both
    // ways: if detection ranked regions wrongly, the second reading would be wrong as well.
    // It fails when the second reading misses the 90%, which would be detection's to fix.
    let mut rows = Vec::new();
    let mut as_written = (0usize, 0usize);
    // (scenario, incident) -> region -> complaint posts read as complaints about the platform,
    // and written, over every seed.
    let mut read: BTreeMap<(String, String), BTreeMap<String, (u64, u64)>> = BTreeMap::new();
    for (name, seeds) in [("week", 1..=12), ("regional", 1..=6)] {
        let scenario = Scenario::bundled(name).unwrap();
        for seed in seeds {
            let mut tops: Vec<BTreeMap<String, (String, String)>> = Vec::new();
            for reading in [Reading::Classifier, Reading::ComplaintsAsWritten] {
                let classified = classify(&scenario, seed, reading);
                if reading == Reading::Classifier {
                    for ((incident, region), (found, total)) in &classified.check.by_incident_region
                    {
                        let Some(t) = classified.truth.incidents.get(*incident) else {
                            continue;
                        };
                        if t.scope != "regional" {
                            continue;
                        }
                        let entry = read
                            .entry((name.to_string(), t.id.clone()))
                            .or_default()
                            .entry(region.clone())
                            .or_default();
                        entry.0 += found;
                        entry.1 += total;
                    }
                }
                let (e, _) = score(&classified, &DetectorConfig::default());
                let mut by_incident = BTreeMap::new();
                for o in &e.incidents {
                    if let Some(truth) = &o.true_top_region {
                        let reported = o.reported_top_region.clone().unwrap_or("none".into());
                        by_incident.insert(o.id.clone(), (truth.clone(), reported));
                    }
                }
                tops.push(by_incident);
            }
            // As `evaluate` counts it: one code may be a subdivision of the other.
            let same = |truth: &str, reported: &str| {
                let country = |c: &str| c.split('-').next().unwrap_or("").to_string();
                truth == reported
                    || (!truth.contains('-') && country(reported) == truth)
                    || (!reported.contains('-') && country(truth) == reported)
            };
            for (id, (truth, by_classifier)) in &tops[0] {
                let written = tops[1].get(id).map(|(_, r)| r.as_str()).unwrap_or("missed");
                as_written.0 += same(truth, written) as usize;
                as_written.1 += 1;
                if !same(truth, by_classifier) || !same(truth, written) {
                    rows.push(format!(
                        "| {name} ({seed}) | {id} | {truth} | {by_classifier} | {written} |"
                    ));
                }
            }
        }
    }
    println!("\n| scenario (seed) | incident | true top | top as classified | top as written |");
    println!("|---|---|---|---|---|");
    for row in &rows {
        println!("{row}");
    }
    println!(
        "regional incidents with the right top region when complaints are read as written: {} of {}",
        as_written.0, as_written.1
    );
    println!(
        "\nincident complaints read as complaints about their platform, by the author's region (all seeds):"
    );
    for ((name, id), regions) in &read {
        let parts: Vec<String> = regions
            .iter()
            .map(|(r, (found, total))| {
                format!(
                    "{r} {found}/{total} ({:.0}%)",
                    100.0 * *found as f64 / (*total).max(1) as f64
                )
            })
            .collect();
        println!("  {name} {id}: {}", parts.join(", "));
    }
    assert!(
        as_written.0 as f64 >= 0.9 * as_written.1 as f64,
        "detection names the wrong top region even with every complaint read: {} of {}",
        as_written.0,
        as_written.1
    );
}

/// The detector without the quiet region series and the language hints (the detector before
/// they were added), to measure what they change.
fn without_quiet_regions() -> DetectorConfig {
    DetectorConfig {
        quiet_region_min_source_voices: f64::INFINITY,
        language_hint_min_share: f64::INFINITY,
        ..DetectorConfig::default()
    }
}

/// `DetectorConfig::default()` with the `name=value` pairs of `overrides` (comma-separated)
/// applied: for trying a knob without a rebuild.
fn with_overrides(overrides: &str) -> DetectorConfig {
    let mut config = DetectorConfig::default();
    for pair in overrides.split(',').filter(|p| !p.trim().is_empty()) {
        let (name, value) = pair.split_once('=').expect("name=value");
        let value: f64 = value.trim().parse().expect("a number");
        match name.trim() {
            "quiet_region_min_source_voices" => config.quiet_region_min_source_voices = value,
            "quiet_region_pseudo_voices" => config.quiet_region_pseudo_voices = value,
            "quiet_region_budget_share" => config.quiet_region_budget_share = value,
            "quiet_region_max_window" => config.quiet_region_max_window = value as usize,
            "language_hint_min_share" => config.language_hint_min_share = value,
            "language_hint_min_posts" => config.language_hint_min_posts = value,
            "region_series_min_voices" => config.region_series_min_voices = value,
            "target_false_alarms_per_day" => config.target_false_alarms_per_day = value,
            "calm_peak_fraction" => config.calm_peak_fraction = value,
            "calm_below_min_voices" => config.calm_below_min_voices = value != 0.0,
            "recover_on_recent_windows" => config.recover_on_recent_windows = value != 0.0,
            "fresh_windows_after_end" => config.fresh_windows_after_end = value != 0.0,
            "onset_rate_slack" => config.onset_rate_slack = value != 0.0,
            "quiet_hold_minutes" => config.quiet_hold_minutes = value as usize,
            "recovery_hold_minutes" => config.recovery_hold_minutes = value as usize,
            "min_voices" => config.min_voices = value,
            "flood_posts_per_voice" => config.flood_posts_per_voice = value,
            "name_trigger_region" => config.name_trigger_region = value != 0.0,
            "name_standout_regions" => config.name_standout_regions = value != 0.0,
            other => panic!("unknown knob {other}"),
        }
    }
    config
}

#[test]
#[ignore = "before/after figures of the quiet region series for docs/DETECTION.md (use --release): run with --include-ignored --nocapture"]
fn quiet_regions_before_and_after() {
    // Every run of the round's judgement (`week` 1-12, `regional` 1-6, `small-instance` 1-6,
    // `meta-2021` x0.25 1-2) detected twice on the same classified posts: without the quiet
    // region series and language hints, and with them. Prints a row per run and config and
    // each incident's delay both ways; fails if the new detector raises a false alarm or
    // loses precision where the old one had none. `DETECT_RUNS=week:1-3,regional:2` narrows
    // the runs, `DETECT_AFTER=knob=value,...` tries other values.
    let runs = std::env::var("DETECT_RUNS").unwrap_or_else(|_| {
        "week:1-12,regional:1-6,small-instance:1-6,meta-2021:1-2,quiet-regions:1-6".into()
    });
    let after = with_overrides(&std::env::var("DETECT_AFTER").unwrap_or_default());
    let before = without_quiet_regions();
    let mut rows = Vec::new();
    let mut incident_rows = Vec::new();
    let mut totals = [(0usize, 0usize, 0usize); 2];
    let mut failures = Vec::new();
    for (name, scenario, seeds) in detect_runs(&runs) {
        let name = name.as_str();
        for seed in seeds {
            let classified = classify(&scenario, seed, Reading::Classifier);
            let mut outcomes = Vec::new();
            for (k, (label, config)) in [("before", &before), ("after", &after)].iter().enumerate()
            {
                let (e, _) = score(&classified, config);
                rows.push(format!(
                    "| {name} ({seed}) | {label} | {:.2} | {:.2} | {:.2} | {} / {} | {} |",
                    e.recall,
                    e.precision,
                    e.false_alarms_per_day,
                    e.delay_median_minutes.unwrap_or(f64::NAN),
                    e.delay_p90_minutes.unwrap_or(f64::NAN),
                    top_region_cell(&e),
                ));
                for o in &e.incidents {
                    if o.true_top_region.is_some() {
                        totals[k].0 += 1;
                        totals[k].1 += (o.true_top_region == o.reported_top_region
                            || o.reported_top_region.as_deref().is_some_and(|r| {
                                o.true_top_region.as_deref().is_some_and(|t| {
                                    r.split('-').next() == Some(t) || t.split('-').next() == Some(r)
                                })
                            })) as usize;
                    }
                }
                totals[k].2 += e.false_alarms.len();
                if !e.false_alarms.is_empty() {
                    println!(
                        "{name} seed {seed} {label}: false alarms {:?}",
                        e.false_alarms
                    );
                }
                outcomes.push(e);
            }
            for (o_before, o_after) in outcomes[0].incidents.iter().zip(&outcomes[1].incidents) {
                let show = |d: Option<f64>| d.map(|d| d.to_string()).unwrap_or("-".into());
                incident_rows.push(format!(
                    "{name} ({seed}) {}: {} -> {}{}",
                    o_before.id,
                    show(o_before.delay_minutes),
                    show(o_after.delay_minutes),
                    if o_before.reported_top_region != o_after.reported_top_region {
                        format!(
                            " (top region {:?} -> {:?}, true {:?})",
                            o_before.reported_top_region,
                            o_after.reported_top_region,
                            o_after.true_top_region
                        )
                    } else {
                        String::new()
                    }
                ));
            }
            let (b, a) = (&outcomes[0], &outcomes[1]);
            if b.false_alarms.is_empty()
                && !(a.false_alarms.is_empty() && a.precision >= b.precision)
            {
                failures.push(format!(
                    "{name} seed {seed}: the quiet region series raised false alarms: {:?}",
                    a.false_alarms
                ));
            }
        }
    }
    println!(
        "\n| scenario (seed) | detector | recall | precision | false alarms/day | delay median / p90 | top region |"
    );
    println!("|---|---|---|---|---|---|---|");
    for row in &rows {
        println!("{row}");
    }
    println!("\nper incident, delay in minutes before -> after (- missed):");
    for row in &incident_rows {
        println!("  {row}");
    }
    for (k, label) in ["before", "after"].iter().enumerate() {
        println!(
            "{label}: top region right for {} of {} regional incidents, {} false alarms",
            totals[k].1, totals[k].0, totals[k].2
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Nearest-rank quantile `q` of `values` (as `evaluate` computes its medians and p90s).
fn nearest_rank(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// The runs of a `DETECT_RUNS` setting (`week:1-3,fresh2:2`): each scenario (`meta-2021` at
/// a quarter of its volume) with its seeds.
fn detect_runs(runs: &str) -> Vec<(String, Scenario, std::ops::RangeInclusive<u64>)> {
    runs.split(',')
        .map(|run| {
            let (name, seeds) = run.split_once(':').unwrap_or((run, "1"));
            let (a, b) = seeds.split_once('-').unwrap_or((seeds, seeds));
            let (a, b): (u64, u64) = (a.parse().unwrap(), b.parse().unwrap());
            let mut scenario = scenario_named(name);
            if name == "meta-2021" {
                scenario = scenario.scaled(0.25);
            }
            (name.to_string(), scenario, a..=b)
        })
        .collect()
}

/// A scenario by name: bundled, or a file of `data/scenarios/` (`fresh`, `fresh2`, ...).
fn scenario_named(name: &str) -> Scenario {
    Scenario::bundled(name)
        .or_else(|_| {
            let path = format!(
                "{}/../data/scenarios/{name}.toml",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(&path).expect("a scenario file");
            Scenario::parse(outcry_analyze::data::DataFile {
                name: &path,
                text: &text,
            })
        })
        .unwrap_or_else(|e| panic!("scenario {name}: {e}"))
}

#[test]
#[ignore = "before/after figures of a detector change for docs/DETECTION.md (use --release): run with --include-ignored --nocapture"]
fn detector_before_and_after() {
    // The same classified posts detected twice in one process, with `DETECT_BEFORE` and
    // `DETECT_AFTER` (comma-separated `knob=value` overrides of the default configuration; the
    // before side defaults to the detector without the rules of H-detect4's round, see
    // `before_detect4`), over `DETECT_RUNS` (`week:1-3,fresh2:1-3`; by default every scenario
    // the detector may be tuned on, three seeds each). Prints a row per run and side (onset
    // and end errors as median / p90 over the run's incidents) and each incident's delay,
    // onset and end error both ways; fails if the after side raises a false alarm or loses an
    // incident the before side found.
    let runs = std::env::var("DETECT_RUNS").unwrap_or_else(|_| {
        "week:1-3,regional:1-3,small-instance:1-3,meta-2021:1-2,quiet-regions:1-3,fresh:1-3,fresh2:1-3"
            .into()
    });
    let before = match std::env::var("DETECT_BEFORE") {
        Ok(overrides) => with_overrides(&overrides),
        Err(_) => before_detect4(),
    };
    let after = with_overrides(&std::env::var("DETECT_AFTER").unwrap_or_default());
    let mut rows = Vec::new();
    let mut incident_rows = Vec::new();
    let mut failures = Vec::new();
    let mut all_errors = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    for (name, scenario, seeds) in detect_runs(&runs) {
        let name = name.as_str();
        for seed in seeds {
            let classified = classify(&scenario, seed, Reading::Classifier);
            let mut outcomes = Vec::new();
            for (k, (label, config)) in [("before", &before), ("after", &after)].iter().enumerate()
            {
                let (e, _) = score(&classified, config);
                let onsets: Vec<f64> = e
                    .incidents
                    .iter()
                    .filter_map(|o| o.onset_error_minutes)
                    .collect();
                let ends: Vec<f64> = e
                    .incidents
                    .iter()
                    .filter_map(|o| o.end_error_minutes)
                    .collect();
                all_errors[k][0].extend(&onsets);
                all_errors[k][1].extend(&ends);
                let show = |v: Option<f64>| v.map(|d| d.to_string()).unwrap_or("-".into());
                rows.push(format!(
                    "| {name} ({seed}) | {label} | {:.2} | {:.2} | {:.2} | {} | {} / {} | {} / {} | {} / {} | {} |",
                    e.recall,
                    e.precision,
                    e.false_alarms_per_day,
                    e.duplicate_detections,
                    show(e.delay_median_minutes),
                    show(e.delay_p90_minutes),
                    show(nearest_rank(&onsets, 0.5)),
                    show(nearest_rank(&onsets, 0.9)),
                    show(nearest_rank(&ends, 0.5)),
                    show(nearest_rank(&ends, 0.9)),
                    top_region_cell(&e),
                ));
                if !e.false_alarms.is_empty() {
                    println!(
                        "{name} seed {seed} {label}: false alarms {:?}",
                        e.false_alarms
                    );
                }
                outcomes.push(e);
            }
            let (b, a) = (&outcomes[0], &outcomes[1]);
            for (ob, oa) in b.incidents.iter().zip(&a.incidents) {
                let show = |d: Option<f64>| d.map(|d| d.to_string()).unwrap_or("-".into());
                let cell = |o: &outcry_analyze::eval::IncidentOutcome| {
                    format!(
                        "{} (onset {}, end {}, top {})",
                        show(o.delay_minutes),
                        show(o.onset_error_minutes),
                        show(o.end_error_minutes),
                        o.reported_top_region.as_deref().unwrap_or("-")
                    )
                };
                let (cb, ca) = (cell(ob), cell(oa));
                let mark = if cb == ca { "  " } else { "* " };
                incident_rows.push(format!("{mark}{name} ({seed}) {}: {cb} -> {ca}", ob.id));
                if ob.detected && !oa.detected {
                    failures.push(format!("{name} seed {seed}: {} lost", ob.id));
                }
            }
            if a.false_alarms.len() > b.false_alarms.len() {
                failures.push(format!(
                    "{name} seed {seed}: false alarms {:?} -> {:?}",
                    b.false_alarms, a.false_alarms
                ));
            }
        }
    }
    println!(
        "\n| scenario (seed) | detector | recall | precision | false alarms/day | split duplicates | delay median / p90 | onset error median / p90 | end error median / p90 | top region |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for row in &rows {
        println!("{row}");
    }
    println!(
        "\nper incident, delay (onset error, end error, top region) in minutes, before -> after (- missed; * changed):"
    );
    for row in &incident_rows {
        println!("  {row}");
    }
    for (k, label) in ["before", "after"].iter().enumerate() {
        let show = |v: Option<f64>| v.map(|d| d.to_string()).unwrap_or("-".into());
        println!(
            "{label}: over every run, onset error median {} p90 {}, end error median {} p90 {} ({} ends)",
            show(nearest_rank(&all_errors[k][0], 0.5)),
            show(nearest_rank(&all_errors[k][0], 0.9)),
            show(nearest_rank(&all_errors[k][1], 0.5)),
            show(nearest_rank(&all_errors[k][1], 0.9)),
            all_errors[k][1].len()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The detector before H-detect4's round (the rules it added turned off).
fn before_detect4() -> DetectorConfig {
    DetectorConfig {
        calm_peak_fraction: 0.0,
        calm_below_min_voices: false,
        recover_on_recent_windows: false,
        fresh_windows_after_end: false,
        onset_rate_slack: false,
        ..DetectorConfig::default()
    }
}
