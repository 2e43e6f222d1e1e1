//! Evaluates the bundled classifier on every labelled set in `data/labelled/` and asserts the
//! figures issue 3 asks for on the tuning split, per language and overall; the hold-out splits
//! are printed separately: `holdout` (posts written by other people, never read while tuning),
//! `holdout2` to `holdout20` (blind sets, opened for error analysis once their blind figures
//! were recorded) and `holdout21` (a blind set whose posts have never been listed).
//!
//! Run: `cargo test -p outcry-analyze --test classifier_eval -- --nocapture` (set
//! `OUTCRY_EVAL_MISSES=1` to list the tune posts it gets wrong, or a comma-separated list of
//! splits such as `tune,holdout9,holdout10` for the hold-outs that were measured blind and then
//! opened for error analysis; `holdout` and `holdout21`, still blind, are never listed; set
//! `OUTCRY_EVAL_RULES_ONLY=1` to measure and list the rules without the learned models).
//!
//! Asserted on the tune split, for every language and overall: precision and recall of at least
//! 0.95 for complaints and platform attribution and 0.85 for symptoms and regions, at least 60
//! posts per language and a quarter of them traps. A confusion summary (complaint yes/no per
//! language, and which platforms were confused with which) is printed for both splits.
//!
//! Region rule: a predicted subdivision ("US-NY") is not a false positive when the label names
//! that country ("US") without any subdivision of it: the label's author did not know or did
//! not say the subdivision, and the country is right. Likewise a predicted code one level
//! above or below a labelled one (GB-ENG for a label of GB-LND, GB-LND for a label of GB-ENG:
//! ISO 3166-2 has both levels for a city, and writers pick either) is no false positive; a
//! labelled code still counts as missed unless it is predicted itself.

use chrono::DateTime;
use outcry_analyze::classify::Classifier;
use outcry_analyze::region::Gazetteer;
use outcry_model::{Classification, Post, PostKind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    id: String,
    text: String,
    lang: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    service: Option<String>,
    platforms: Vec<String>,
    complaint: bool,
    recovery: bool,
    symptoms: Vec<String>,
    regions: Vec<String>,
    trap: bool,
    split: String,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    fn show(&self) -> String {
        format!(
            "P {:.3} R {:.3} (tp {} fp {} fn {})",
            self.precision(),
            self.recall(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

const MEASURES: [&str; 5] = ["complaint", "platform", "recovery", "symptoms", "regions"];

/// Complaint decisions per language (`[tp, fp, fn, tn]`) and (labelled, predicted) platform
/// pairs that disagree.
#[derive(Debug, Default)]
struct Confusion {
    complaint: BTreeMap<String, [u32; 4]>,
    platform_pairs: BTreeMap<(String, String), u32>,
}

#[derive(Debug, Default, Clone)]
struct Scores {
    posts: u32,
    traps: u32,
    by: BTreeMap<&'static str, Counts>,
    lang_detected_right: u32,
}

impl Scores {
    fn add(&mut self, other: &Scores) {
        self.posts += other.posts;
        self.traps += other.traps;
        self.lang_detected_right += other.lang_detected_right;
        for (k, v) in &other.by {
            self.by.entry(k).or_default().add(*v);
        }
    }
    fn get(&self, measure: &str) -> Counts {
        self.by.get(measure).copied().unwrap_or_default()
    }
}

fn set_counts(predicted: &BTreeSet<String>, labelled: &BTreeSet<String>) -> Counts {
    Counts {
        tp: predicted.intersection(labelled).count() as u32,
        fp: predicted.difference(labelled).count() as u32,
        fn_: labelled.difference(predicted).count() as u32,
    }
}

fn bool_counts(predicted: bool, labelled: bool) -> Counts {
    Counts {
        tp: (predicted && labelled) as u32,
        fp: (predicted && !labelled) as u32,
        fn_: (!predicted && labelled) as u32,
    }
}

/// Regions with the subdivision rule described in the module doc.
fn region_counts(predicted: &[String], labelled: &[String]) -> Counts {
    let labelled_set: BTreeSet<String> = labelled.iter().cloned().collect();
    let mut kept: BTreeSet<String> = BTreeSet::new();
    for code in predicted {
        if let Some((country, _)) = code.split_once('-') {
            let label_has_country = labelled_set.contains(country);
            let label_has_subdivision = labelled_set
                .iter()
                .any(|l| l.starts_with(&format!("{country}-")));
            if !labelled_set.contains(code) && label_has_country && !label_has_subdivision {
                continue; // more precise than the label, not wrong
            }
            let gazetteer = Gazetteer::builtin();
            let other_level_of_a_label = gazetteer
                .parent_of(code)
                .is_some_and(|parent| labelled_set.contains(parent))
                || labelled_set
                    .iter()
                    .any(|l| gazetteer.parent_of(l) == Some(code.as_str()));
            if !labelled_set.contains(code) && other_level_of_a_label {
                continue; // the label's level of the same place, not wrong
            }
        }
        kept.insert(code.clone());
    }
    set_counts(&kept, &labelled_set)
}

/// What one reader (a writer, a second annotator or the classifier) says about a post, in the
/// terms the measures compare.
struct Judgement {
    complaint: bool,
    recovery: bool,
    platforms: BTreeSet<String>,
    symptoms: BTreeSet<String>,
    regions: Vec<String>,
}

impl Judgement {
    fn of_label(row: &Labelled) -> Judgement {
        Judgement {
            complaint: row.complaint,
            recovery: row.recovery,
            platforms: row.platforms.iter().cloned().collect(),
            symptoms: row.symptoms.iter().cloned().collect(),
            regions: row.regions.clone(),
        }
    }

    fn of_classifier(c: &Classification) -> Judgement {
        Judgement {
            complaint: c.complaint,
            recovery: c.recovery,
            platforms: c.platforms.iter().cloned().collect(),
            symptoms: c.symptoms.iter().map(|s| s.as_str().to_string()).collect(),
            regions: c.regions.clone(),
        }
    }
}

/// Every measure of one post: `predicted` read against `truth`.
fn compare(predicted: &Judgement, truth: &Judgement) -> [(&'static str, Counts); 5] {
    [
        (
            "complaint",
            bool_counts(predicted.complaint, truth.complaint),
        ),
        (
            "platform",
            set_counts(&predicted.platforms, &truth.platforms),
        ),
        ("recovery", bool_counts(predicted.recovery, truth.recovery)),
        ("symptoms", set_counts(&predicted.symptoms, &truth.symptoms)),
        ("regions", region_counts(&predicted.regions, &truth.regions)),
    ]
}

fn labelled_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/labelled")
}

fn load() -> Vec<(String, usize, Labelled)> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(labelled_dir())
        .expect("data/labelled exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row: Labelled = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("data/labelled/{name}:{}: {e}", i + 1));
            out.push((name.clone(), i + 1, row));
        }
    }
    out
}

/// The region rule of the module doc: a subdivision is no false positive against a label
/// naming only its country, nor the other ISO level of a labelled place; a labelled code that
/// is not predicted is still missed, and a wrong subdivision is still wrong.
#[test]
fn region_rule_forgives_other_levels_of_the_labelled_place_only() {
    let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let counts = |predicted: &[&str], labelled: &[&str]| {
        let c = region_counts(&codes(predicted), &codes(labelled));
        (c.tp, c.fp, c.fn_)
    };
    assert_eq!(counts(&["GB", "GB-ENG"], &["GB"]), (1, 0, 0));
    assert_eq!(
        counts(&["GB", "GB-ENG", "GB-LND"], &["GB", "GB-LND"]),
        (2, 0, 0)
    );
    assert_eq!(
        counts(&["GB", "GB-ENG", "GB-LND"], &["GB", "GB-ENG"]),
        (2, 0, 0)
    );
    assert_eq!(counts(&["GB", "GB-ENG"], &["GB", "GB-LND"]), (1, 0, 1));
    assert_eq!(counts(&["GB", "GB-SCT"], &["GB", "GB-LND"]), (1, 1, 1));
}

/// The learned models (`data/model/*.tsv`) are trained on every open split and on the open
/// splits only, never on a split that is never listed, and on as many posts as the open splits
/// hold now: a labelled post or split added or removed without retraining fails here.
#[test]
fn the_bundled_models_are_trained_on_the_open_splits_as_they_are() {
    let rows = load();
    let retrain = "retrain with `cargo run --release -p outcry-analyze --example train_models`";
    for (file, what) in [
        ("complaint.tsv", "posts"),
        ("symptoms.tsv", "complaints"),
        ("veto.tsv", "posts"),
    ] {
        let path = labelled_dir().join("../model").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let trained_on = text
            .lines()
            .find_map(|l| l.strip_prefix("@trained_on\t"))
            .unwrap_or_else(|| panic!("{file} has no @trained_on line; {retrain}"));
        // "tune,holdout2,... (7712 posts, reports left out)"
        let (splits, count) = trained_on
            .split_once(" (")
            .unwrap_or_else(|| panic!("{file}: `{trained_on}`; {retrain}"));
        let splits: Vec<&str> = splits.split(',').collect();
        for never in NEVER_LISTED {
            assert!(
                !splits.contains(&never),
                "{file} was trained on `{never}`, a split kept blind; {retrain}"
            );
        }
        let said: usize = count
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{file}: `{trained_on}`; {retrain}"));
        let untrained: BTreeSet<&str> = rows
            .iter()
            .map(|(_, _, r)| r.split.as_str())
            .filter(|s| !splits.contains(s) && !NEVER_LISTED.contains(s))
            .collect();
        assert!(
            untrained.is_empty(),
            "{file} was not trained on the open split(s) {untrained:?}; {retrain}"
        );
        let open = rows.iter().filter(|(_, _, r)| {
            splits.contains(&r.split.as_str()) && r.kind.as_deref() != Some("report")
        });
        let expected = if what == "posts" {
            open.count()
        } else {
            open.filter(|(_, _, r)| r.complaint).count()
        };
        assert_eq!(
            said, expected,
            "{file} was trained on {said} {what}, the open splits hold {expected}; {retrain}"
        );
    }
}

/// Every labelled post has its own id: two writers appending to the same file must not reuse
/// one (hold-out rows may live in tuning files: the split is the row's `split` field).
#[test]
fn labelled_ids_are_unique() {
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (file, line, row) in load() {
        if let Some((first_file, first_line)) = seen.get(&row.id) {
            panic!(
                "data/labelled/{file}:{line}: id {:?} already used at {first_file}:{first_line}; give the post a new id",
                row.id
            );
        }
        seen.insert(row.id.clone(), (file, line));
    }
}

fn to_post(row: &Labelled, with_lang: bool) -> Post {
    let report = row.kind.as_deref() == Some("report");
    Post {
        source: "labelled".into(),
        id: row.id.clone(),
        created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        kind: if report {
            PostKind::Report
        } else {
            PostKind::Post
        },
        service: row.service.clone(),
        text: row.text.clone(),
        lang: with_lang.then(|| row.lang.clone()),
        author: None,
        location: row.location.clone(),
        geo: None,
        url: None,
        region_hint: None,
    }
}

#[test]
fn labelled_sets_meet_the_targets() {
    // `OUTCRY_EVAL_RULES_ONLY=1` measures the rules alone: the models are trained on the opened
    // hold-outs, so their misses there are the rules' misses only with the models off.
    let rules_only = std::env::var_os("OUTCRY_EVAL_RULES_ONLY").is_some();
    let classifier = if rules_only {
        println!("rules only: the learned models are off (OUTCRY_EVAL_RULES_ONLY)");
        Classifier::builtin().with_models(None, None, None)
    } else {
        Classifier::builtin()
    };
    let rows = load();
    assert!(!rows.is_empty(), "no labelled posts in data/labelled");
    // split -> lang -> scores
    let mut table: BTreeMap<String, BTreeMap<String, Scores>> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut confusion: BTreeMap<String, Confusion> = BTreeMap::new();
    let misses_setting = std::env::var("OUTCRY_EVAL_MISSES").ok();
    let listed_splits = splits_to_list(misses_setting.as_deref());
    for (file, line, row) in &rows {
        for p in &row.platforms {
            assert!(
                classifier.catalog().platform(p).is_some(),
                "data/labelled/{file}:{line}: unknown platform {p:?}"
            );
        }
        let c = classifier.classify(&to_post(row, true));
        // The same post without its `lang` field, as Reddit, Hacker News and RSS send them:
        // the language is then detected, and the complaint decision rests on that.
        let without_lang = classifier.classify(&to_post(row, false));
        let detected = without_lang.lang;
        let scores = table
            .entry(row.split.clone())
            .or_default()
            .entry(row.lang.clone())
            .or_default();
        scores.posts += 1;
        scores.traps += row.trap as u32;
        scores.lang_detected_right += (detected == row.lang) as u32;
        scores
            .by
            .entry(COMPLAINT_WITHOUT_LANG)
            .or_default()
            .add(bool_counts(without_lang.complaint, row.complaint));
        let predicted_platforms: BTreeSet<String> = c.platforms.iter().cloned().collect();
        let labelled_platforms: BTreeSet<String> = row.platforms.iter().cloned().collect();
        let predicted_symptoms: BTreeSet<String> =
            c.symptoms.iter().map(|s| s.as_str().to_string()).collect();
        let entries = compare(&Judgement::of_classifier(&c), &Judgement::of_label(row));
        let conf = confusion.entry(row.split.clone()).or_default();
        let cell = conf.complaint.entry(row.lang.clone()).or_default();
        let slot = match (c.complaint, row.complaint) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        cell[slot] += 1;
        let missing: Vec<&String> = labelled_platforms
            .difference(&predicted_platforms)
            .collect();
        let extra: Vec<&String> = predicted_platforms
            .difference(&labelled_platforms)
            .collect();
        for want in &missing {
            let got = extra.first().map(|s| s.as_str()).unwrap_or("-");
            *conf
                .platform_pairs
                .entry((want.to_string(), got.to_string()))
                .or_default() += 1;
        }
        for got in extra.iter().skip(missing.len().min(1)) {
            *conf
                .platform_pairs
                .entry(("-".to_string(), got.to_string()))
                .or_default() += 1;
        }
        let mut wrong = Vec::new();
        for (measure, counts) in entries {
            scores.by.entry(measure).or_default().add(counts);
            if counts.fp + counts.fn_ > 0 {
                wrong.push(measure);
            }
        }
        if !wrong.is_empty() && listed_splits.contains(&row.split.as_str()) {
            misses.push(format!(
                "{file}:{line} [{}] {:?}\n    got complaint={} recovery={} platforms={:?} symptoms={:?} regions={:?}\n    want complaint={} recovery={} platforms={:?} symptoms={:?} regions={:?}",
                wrong.join(","), row.text, c.complaint, c.recovery, c.platforms, predicted_symptoms, c.regions,
                row.complaint, row.recovery, row.platforms, row.symptoms, row.regions
            ));
        }
    }
    for m in &misses {
        println!("{m}");
    }

    let mut failures = Vec::new();
    for (split, langs) in &table {
        println!("\n== split {split} ==");
        let mut overall = Scores::default();
        for (lang, s) in langs {
            overall.add(s);
            println!(
                "{lang}: {} posts ({} traps), language detected right without a lang field: {}/{}",
                s.posts, s.traps, s.lang_detected_right, s.posts
            );
            for m in MEASURES {
                println!("    {m:<10} {}", s.get(m).show());
            }
            if split == "tune" {
                check(&format!("tune/{lang}"), lang, s, &mut failures);
            }
        }
        println!(
            "overall ({split}): {} posts ({} traps), language detected right: {}/{}",
            overall.posts, overall.traps, overall.lang_detected_right, overall.posts
        );
        for m in MEASURES {
            println!("    {m:<10} {}", overall.get(m).show());
        }
        println!(
            "    {COMPLAINT_WITHOUT_LANG}: {}",
            overall.get(COMPLAINT_WITHOUT_LANG).show()
        );
        if split == "tune" {
            check("tune/overall", "overall", &overall, &mut failures);
        }
    }
    print_confusion(&confusion);
    assert!(
        failures.is_empty(),
        "targets missed:\n{}",
        failures.join("\n")
    );
}

/// Complaint decisions per split and language (true/false positives and negatives) and, for
/// the tune split only, the platforms most often confused, so a regression shows where it is.
fn print_confusion(confusion: &BTreeMap<String, Confusion>) {
    for (split, c) in confusion {
        println!("\n== confusion ({split}) ==");
        println!("complaint   lang  tp   fp   fn   tn");
        for (lang, [tp, fp, fn_, tn]) in &c.complaint {
            println!("            {lang:<4} {tp:<4} {fp:<4} {fn_:<4} {tn}");
        }
        if split != "tune" {
            // Hold-out posts stay out of tuning: no per-platform detail that points at them.
            continue;
        }
        let mut pairs: Vec<(&(String, String), &u32)> = c.platform_pairs.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("platforms (labelled -> predicted, \"-\" for none), most frequent first:");
        if pairs.is_empty() {
            println!("    none");
        }
        for ((want, got), n) in pairs.iter().take(15) {
            println!("    {want} -> {got}: {n}");
        }
    }
}

/// Issue 3's targets: (measure, minimum precision and recall).
const TARGETS: [(&str, f64); 4] = [
    ("complaint", 0.95),
    ("platform", 0.95),
    ("symptoms", 0.85),
    ("regions", 0.85),
];
/// Posts each language's tune set must have, and the share of traps among them.
const MIN_POSTS: u32 = 60;
const MIN_TRAP_SHARE: f64 = 0.25;

/// Languages whose region recall is held back by the gazetteer (owned by the region module,
/// `crate::region`): their region figures are printed, not asserted, and the test fails once
/// one meets the target, so the entry is removed and the figure asserted from then on. Empty
/// since Spanish met it (AR, CO and CL subdivisions reported, `data/gazetteer/extras.tsv`).
const REGIONS_PENDING: [&str; 0] = [];

fn check(name: &str, lang: &str, s: &Scores, failures: &mut Vec<String>) {
    if lang != "overall" {
        if s.posts < MIN_POSTS {
            failures.push(format!("{name}: {} posts, fewer than {MIN_POSTS}", s.posts));
        }
        if (s.traps as f64) < MIN_TRAP_SHARE * s.posts as f64 {
            failures.push(format!(
                "{name}: {} traps among {} posts, fewer than a quarter",
                s.traps, s.posts
            ));
        }
    }
    for (measure, target) in TARGETS {
        let c = s.get(measure);
        let met = c.precision() >= target && c.recall() >= target;
        let pending = measure == "regions" && REGIONS_PENDING.contains(&lang);
        match (met, pending) {
            (false, false) => {
                failures.push(format!("{name} {measure}: {} below {target}", c.show()))
            }
            (false, true) => println!(
                "    (pending, not asserted) {name} {measure}: {} below {target}",
                c.show()
            ),
            (true, true) => failures.push(format!(
                "{name} {measure} now meets {target} ({}): remove {lang:?} from REGIONS_PENDING",
                c.show()
            )),
            (true, false) => {}
        }
    }
}

/// The complaint decision measured on posts stripped of their `lang` field (printed, not
/// asserted: the targets are for posts whose language is known or detected right).
const COMPLAINT_WITHOUT_LANG: &str = "complaint without the lang field";

/// Splits whose wrong posts may be listed: `holdout` (kept out of every tuning round) and
/// `holdout21` (the blind set of the nineteenth session) never are. `holdout20` was opened for
/// error analysis in the nineteenth session, after its blind figures were recorded.
const NEVER_LISTED: [&str; 2] = ["holdout", "holdout21"];

/// The splits named by `OUTCRY_EVAL_MISSES`: `1` means the tune split, as before; a blind
/// split named there is left out.
fn splits_to_list(setting: Option<&str>) -> Vec<&str> {
    let Some(setting) = setting else {
        return Vec::new();
    };
    setting
        .split(',')
        .map(str::trim)
        .map(|s| if s == "1" { "tune" } else { s })
        .filter(|s| !s.is_empty() && !NEVER_LISTED.contains(s))
        .collect()
}

/// Second annotators' labels: `data/agreement/<split>-relabel-<lang>.jsonl`, the posts of a
/// labelled split labelled again, blind, by another person who read only the definitions.
fn agreement_dir() -> PathBuf {
    labelled_dir().join("../agreement")
}

/// How far two people agree when they label the same posts, and how the classifier stands
/// beside them: where the second annotator's reading differs from the writer's as often as the
/// classifier's does, the targets are read against a ceiling the labels themselves set.
/// Printed per language and overall, four ways: the second annotator against the writer, the
/// classifier against the writer, the classifier against the second annotator, and the
/// classifier against both on the posts where they agree (each measure on the posts where the
/// two agree on that measure). Asserted: every relabelled post is a labelled post with the same
/// text, once. `OUTCRY_AGREEMENT_LIST=1` lists the posts the two annotators read differently.
#[test]
fn second_annotators_agree_with_the_writers() {
    let dir = std::fs::read_dir(agreement_dir())
        .unwrap_or_else(|e| panic!("data/agreement: {e} (the second annotators' labels)"));
    let rows = load();
    let by_id: BTreeMap<&str, &Labelled> =
        rows.iter().map(|(_, _, r)| (r.id.as_str(), r)).collect();
    let rules_only = std::env::var_os("OUTCRY_EVAL_RULES_ONLY").is_some();
    let classifier = if rules_only {
        Classifier::builtin().with_models(None, None, None)
    } else {
        Classifier::builtin()
    };
    let list = std::env::var_os("OUTCRY_AGREEMENT_LIST").is_some();
    let mut files: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    const WAYS: [&str; 4] = [
        "second annotator vs writer",
        "classifier vs writer",
        "classifier vs second annotator",
        "classifier vs both, where they agree",
    ];
    // split -> way -> lang -> scores
    let mut table: BTreeMap<String, BTreeMap<&str, BTreeMap<String, Scores>>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for path in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let at = format!("data/agreement/{name}:{}", i + 1);
            let second: Labelled =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{at}: {e}"));
            let writer = by_id
                .get(second.id.as_str())
                .unwrap_or_else(|| panic!("{at}: no labelled post has the id {:?}", second.id));
            assert_eq!(
                writer.text, second.text,
                "{at}: the text differs from the labelled post's"
            );
            assert!(
                seen.insert(second.id.clone()),
                "{at}: {:?} relabelled twice",
                second.id
            );
            let writer_says = Judgement::of_label(writer);
            let second_says = Judgement::of_label(&second);
            let classifier_says =
                Judgement::of_classifier(&classifier.classify(&to_post(writer, true)));
            let people = compare(&second_says, &writer_says);
            let ways = [
                people,
                compare(&classifier_says, &writer_says),
                compare(&classifier_says, &second_says),
                compare(&classifier_says, &writer_says),
            ];
            for (way, counts) in WAYS.iter().zip(ways) {
                let scores = table
                    .entry(writer.split.clone())
                    .or_default()
                    .entry(way)
                    .or_default()
                    .entry(writer.lang.clone())
                    .or_default();
                scores.posts += 1;
                scores.traps += writer.trap as u32;
                for ((measure, c), (_, between_people)) in counts.into_iter().zip(people) {
                    let people_agree = between_people.fp + between_people.fn_ == 0;
                    if *way != WAYS[3] || people_agree {
                        scores.by.entry(measure).or_default().add(c);
                    }
                }
            }
            let differ: Vec<&str> = people
                .iter()
                .filter(|(_, c)| c.fp + c.fn_ > 0)
                .map(|(m, _)| *m)
                .collect();
            if list && !differ.is_empty() && !NEVER_LISTED.contains(&writer.split.as_str()) {
                println!(
                    "{} [{}] {:?}\n    writer complaint={} platforms={:?} symptoms={:?} regions={:?}\n    second complaint={} platforms={:?} symptoms={:?} regions={:?}",
                    writer.id,
                    differ.join(","),
                    writer.text,
                    writer.complaint,
                    writer.platforms,
                    writer.symptoms,
                    writer.regions,
                    second.complaint,
                    second.platforms,
                    second.symptoms,
                    second.regions
                );
            }
        }
    }
    assert!(
        !seen.is_empty(),
        "data/agreement holds no relabelled post: the comparison would print nothing"
    );
    for (split, ways) in &table {
        println!("\n== agreement on {split} ==");
        for way in WAYS {
            let Some(langs) = ways.get(way) else { continue };
            let mut overall = Scores::default();
            println!("{way}:");
            for (lang, s) in langs {
                overall.add(s);
                let row: Vec<String> = MEASURES
                    .iter()
                    .map(|m| {
                        let c = s.get(m);
                        format!("{m} {:.2}/{:.2}", c.precision(), c.recall())
                    })
                    .collect();
                println!("    {lang}: {}", row.join("  "));
            }
            for m in MEASURES {
                println!("    overall {m:<10} {}", overall.get(m).show());
            }
        }
    }
}
