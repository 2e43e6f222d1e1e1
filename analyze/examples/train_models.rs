//! Trains the learned second opinions (`data/model/complaint.tsv` with its recovery head,
//! `data/model/symptoms.tsv` and the stacked veto `data/model/veto.tsv`) on the labelled posts
//! of `data/labelled/` and measures what they change, split by split.
//!
//! ```sh
//! # Retrain the bundled models (after adding labelled posts):
//! cargo run --release -p outcry-analyze --example train_models
//! # Measure them honestly on a split they did not see (writes nothing unless --out is given):
//! cargo run --release -p outcry-analyze --example train_models -- --exclude holdout10
//! # The same, and the excluded splits' pooled counts for a grid of thresholds:
//! cargo run --release -p outcry-analyze --example train_models -- --exclude holdout15 --sweep
//! ```
//!
//! The splits in [`NEVER_TRAINED`] (the blind hold-outs) never train them: their figures are the
//! measure of how they do on posts nobody has seen, and the newest blind split is not even
//! printed here (the evaluation test measures it once). `--exclude` keeps more splits out;
//! `--out DIR` writes the three files there (by default `data/model/`, and only when nothing more
//! is excluded, so the bundled models are always the ones trained on every open split).

use outcry_analyze::classify::Classifier;
use outcry_analyze::classify::opinion::{
    ComplaintModel, SymptomModel, TrainingConfig, TrainingPost, VetoModel, train,
};
use outcry_analyze::data::DataFile;
use outcry_model::{Post, PostKind, SYMPTOM_KINDS};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How the tags of the rules' reading open (`Classifier::veto_features`): the complaint and
/// symptom models read the words only.
const READING_TAG: &str = "⟨r:";

/// Splits that never train the models: `holdout` (kept out of every tuning round since the
/// first session) and the newest blind set (last).
const NEVER_TRAINED: [&str; 2] = ["holdout", "holdout21"];

#[derive(serde::Deserialize)]
struct Labelled {
    id: String,
    text: String,
    lang: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    complaint: bool,
    #[serde(default)]
    recovery: bool,
    symptoms: Vec<String>,
    split: String,
}

/// The thresholds written into the files (see `analyze/src/classify/opinion.rs`).
struct Thresholds {
    complaint_add_at: f32,
    complaint_veto_below: f32,
    complaint_veto_named_below: f32,
    complaint_min_features: f32,
    complaint_add_min_features: f32,
    symptom_add_at: f32,
    symptom_add_more_at: f32,
    symptom_drop_below: f32,
    symptom_drop_min_features: f32,
    symptom_drop_extra_below: f32,
    veto_below: f32,
    veto_min_features: f32,
    recovery_add_at: f32,
    recovery_drop_below: f32,
    recovery_min_features: f32,
}

impl Thresholds {
    /// Each threshold's command-line flag, what its value is (`P` a probability, `N` a count
    /// of features) and the field it sets: one table for parsing and for the usage message.
    fn flags(&mut self) -> [(&'static str, &'static str, &mut f32); 15] {
        [
            ("--add-at", "P", &mut self.complaint_add_at),
            ("--veto-below", "P", &mut self.complaint_veto_below),
            (
                "--veto-named-below",
                "P",
                &mut self.complaint_veto_named_below,
            ),
            ("--min-features", "N", &mut self.complaint_min_features),
            (
                "--add-min-features",
                "N",
                &mut self.complaint_add_min_features,
            ),
            ("--symptom-add-at", "P", &mut self.symptom_add_at),
            ("--symptom-add-more-at", "P", &mut self.symptom_add_more_at),
            ("--symptom-drop-below", "P", &mut self.symptom_drop_below),
            (
                "--symptom-drop-min-features",
                "N",
                &mut self.symptom_drop_min_features,
            ),
            (
                "--symptom-drop-extra-below",
                "P",
                &mut self.symptom_drop_extra_below,
            ),
            ("--stack-veto-below", "P", &mut self.veto_below),
            ("--stack-min-features", "N", &mut self.veto_min_features),
            ("--recovery-add-at", "P", &mut self.recovery_add_at),
            ("--recovery-drop-below", "P", &mut self.recovery_drop_below),
            (
                "--recovery-min-features",
                "N",
                &mut self.recovery_min_features,
            ),
        ]
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut excluded: Vec<String> = NEVER_TRAINED.iter().map(|s| s.to_string()).collect();
    let mut out: Option<PathBuf> = None;
    let mut dump: Option<PathBuf> = None;
    let mut config = TrainingConfig::default();
    let mut veto_config = TrainingConfig::default();
    let mut sweep_on = false;
    let mut thresholds = Thresholds {
        complaint_add_at: 0.8,
        complaint_veto_below: 0.1,
        complaint_veto_named_below: 0.3,
        complaint_min_features: 12.0,
        complaint_add_min_features: 16.0,
        symptom_add_at: 0.4,
        symptom_add_more_at: 0.6,
        symptom_drop_below: 0.02,
        symptom_drop_min_features: 12.0,
        symptom_drop_extra_below: 0.15,
        veto_below: 0.75,
        veto_min_features: 18.0,
        recovery_add_at: 0.5,
        recovery_drop_below: 0.1,
        recovery_min_features: 8.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |name: &str, v: String| {
            v.parse::<f64>()
                .map_err(|_| format!("{name} needs a number, not `{v}`"))
        };
        match arg.as_str() {
            "--exclude" => excluded.extend(value("--exclude")?.split(',').map(str::to_string)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--dump" => dump = Some(PathBuf::from(value("--dump")?)),
            "--c" => config.c = number("--c", value("--c")?)?,
            "--stack-c" => veto_config.c = number("--stack-c", value("--stack-c")?)?,
            "--sweep" => sweep_on = true,

            other => {
                let mut flags = thresholds.flags();
                let Some((name, _, field)) = flags.iter_mut().find(|(name, _, _)| *name == other)
                else {
                    let thresholds: Vec<String> = flags
                        .iter()
                        .map(|(name, what, _)| format!("{name} {what}"))
                        .collect();
                    return Err(format!(
                        "unknown argument `{other}` (use --exclude SPLITS, --out DIR, --dump FILE, \
                         --sweep, --c C, --stack-c C, {})",
                        thresholds.join(", ")
                    ));
                };
                **field = number(name, value(name)?)? as f32;
            }
        }
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    let data = data.canonicalize().unwrap_or(data);
    let rows = load(&data.join("labelled"))?;
    let rules = Classifier::builtin().with_models(None, None, None);
    let kinds: Vec<&str> = SYMPTOM_KINDS.iter().map(|k| k.as_str()).collect();
    let mut complaint_posts = Vec::new();
    let mut symptom_posts = Vec::new();
    let mut veto_posts = Vec::new();
    let mut splits: BTreeSet<&str> = BTreeSet::new();
    for row in rows.iter().filter(|r| r.kind.as_deref() != Some("report")) {
        if excluded.contains(&row.split) {
            continue;
        }
        splits.insert(&row.split);
        // The words' features and, on the rules' complaints, the tags of their reading (the
        // only features that open with "⟨r:").
        let veto_features = rules.veto_features(&to_post(row));
        let features: Vec<String> = veto_features
            .iter()
            .filter(|f| !f.starts_with(READING_TAG))
            .cloned()
            .collect();
        veto_posts.push(TrainingPost {
            features: veto_features,
            labels: vec![row.complaint],
        });
        if row.complaint {
            symptom_posts.push(TrainingPost {
                features: features.clone(),
                labels: kinds
                    .iter()
                    .map(|k| row.symptoms.iter().any(|s| s == k))
                    .collect(),
            });
        }
        complaint_posts.push(TrainingPost {
            features,
            labels: vec![row.complaint, row.recovery],
        });
    }
    let splits: Vec<&str> = splits.into_iter().collect();
    let trained_on =
        |what: &str, n: usize| format!("{} ({n} {what}, reports left out)", splits.join(","),);
    let complaint_text = train(
        &complaint_posts,
        &["complaint", "recovery"],
        &config,
        &[
            ("add_at", thresholds.complaint_add_at),
            ("veto_below", thresholds.complaint_veto_below),
            ("veto_named_below", thresholds.complaint_veto_named_below),
            ("min_features", thresholds.complaint_min_features),
            ("add_min_features", thresholds.complaint_add_min_features),
            ("recovery_add_at", thresholds.recovery_add_at),
            ("recovery_drop_below", thresholds.recovery_drop_below),
            ("recovery_min_features", thresholds.recovery_min_features),
        ],
        &trained_on("posts", complaint_posts.len()),
    );
    let symptom_text = train(
        &symptom_posts,
        &kinds,
        &config,
        &[
            ("add_at", thresholds.symptom_add_at),
            ("add_more_at", thresholds.symptom_add_more_at),
            ("drop_below", thresholds.symptom_drop_below),
            ("drop_min_features", thresholds.symptom_drop_min_features),
            ("drop_extra_below", thresholds.symptom_drop_extra_below),
        ],
        &trained_on("complaints", symptom_posts.len()),
    );
    let veto_text = train(
        &veto_posts,
        &["complaint"],
        &veto_config,
        &[
            ("veto_below", thresholds.veto_below),
            ("min_features", thresholds.veto_min_features),
        ],
        &trained_on(
            "posts, the rules' reading tagged on their complaints",
            veto_posts.len(),
        ),
    );
    let complaint_model = ComplaintModel::from_file(&DataFile {
        name: "the new complaint model",
        text: &complaint_text,
    })
    .map_err(|e| e.to_string())?;
    let symptom_model = SymptomModel::from_file(&DataFile {
        name: "the new symptom model",
        text: &symptom_text,
    })
    .map_err(|e| e.to_string())?;
    let veto_model = VetoModel::from_file(&DataFile {
        name: "the new stacked veto",
        text: &veto_text,
    })
    .map_err(|e| e.to_string())?;
    eprintln!("complaint model: {}", complaint_model.trained_on());
    eprintln!("symptom model: {}", symptom_model.trained_on());
    eprintln!("stacked veto: {}", veto_model.trained_on());
    if let Some(path) = &dump {
        let models = Models {
            complaint: &complaint_model,
            symptoms: &symptom_model,
            veto: &veto_model,
        };
        write_dump(path, &rows, &rules, &models)?;
    }
    if sweep_on {
        sweep(
            &rows,
            &Models {
                complaint: &complaint_model,
                symptoms: &symptom_model,
                veto: &veto_model,
            },
            &excluded,
        );
    }
    let with_models = Classifier::builtin().with_models(
        Some(complaint_model),
        Some(symptom_model),
        Some(veto_model),
    );
    measure(&rows, &rules, &with_models, &excluded);
    let only_never_trained = excluded.len() == NEVER_TRAINED.len();
    let target = match out {
        Some(dir) => Some(dir),
        None if only_never_trained => Some(data.join("model")),
        None => None,
    };
    if let Some(dir) = target {
        for (name, text) in [
            ("complaint.tsv", &complaint_text),
            ("symptoms.tsv", &symptom_text),
            ("veto.tsv", &veto_text),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// The three new models.
struct Models<'a> {
    complaint: &'a ComplaintModel,
    symptoms: &'a SymptomModel,
    veto: &'a VetoModel,
}

/// Writes, for every labelled post but the blind splits' ([`NEVER_TRAINED`]), its labels, what the rules
/// said (complaint, recovery, symptoms, the platforms accepted, the complaint cues with their
/// fate) and what the new models say of it wherever the rules stand: the raw material for
/// choosing where the models are consulted (one JSON object a line). `final` is what the
/// classifier with the three models says, `final_without_veto` with the first two only.
fn write_dump(
    path: &Path,
    rows: &[Labelled],
    rules: &Classifier,
    models: &Models<'_>,
) -> Result<(), String> {
    let with_models = Classifier::builtin().with_models(
        Some(models.complaint.clone()),
        Some(models.symptoms.clone()),
        Some(models.veto.clone()),
    );
    let without_veto = Classifier::builtin().with_models(
        Some(models.complaint.clone()),
        Some(models.symptoms.clone()),
        None,
    );
    let (complaint_model, symptom_model) = (models.complaint, models.symptoms);
    let mut out = String::new();
    // The blind splits are never listed, not even here.
    for row in rows.iter().filter(|r| {
        r.kind.as_deref() != Some("report") && !NEVER_TRAINED.contains(&r.split.as_str())
    }) {
        let post = to_post(row);
        let (said, why) = rules.explain(&post);
        let veto_features = rules.veto_features(&post);
        let (veto_probability, veto_known) = models.veto.probability_of(&veto_features);
        let features: Vec<String> = veto_features
            .into_iter()
            .filter(|f| !f.starts_with(READING_TAG))
            .collect();
        let (probability, known) = complaint_model.probability_of(&features);
        let symptoms: BTreeMap<&str, f32> = symptom_model
            .probabilities_of(&features)
            .into_iter()
            .map(|(k, p)| (k.as_str(), p))
            .collect();
        let cues: Vec<serde_json::Value> = why
            .cues
            .iter()
            .map(|c| {
                serde_json::json!({"list": c.list, "vetoed": c.vetoed_by.is_some(),
                    "bound": !c.bound_to.is_empty(), "vetoed_by": c.vetoed_by,
                    "binding": c.binding, "phrase": c.phrase})
            })
            .collect();
        let accepted = why.mentions.iter().filter(|m| m.accepted).count();
        let guards: Vec<&str> = why.guards.iter().map(|g| g.list.as_str()).collect();
        let (final_said, final_why) = with_models.explain(&post);
        let before_veto = without_veto.classify(&post);
        let line = serde_json::json!({
            "id": row.id, "split": row.split, "lang": row.lang,
            "complaint": row.complaint, "symptoms": row.symptoms,
            "rules": {"complaint": said.complaint, "recovery": said.recovery,
                "symptoms": said.symptoms.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "platforms": said.platforms, "accepted_mentions": accepted, "cues": cues},
            "probability": probability, "known": known, "symptom_probabilities": symptoms,
            "veto_probability": veto_probability, "veto_known": veto_known,
            "weighed": why.cues.iter().any(|c| c.vetoed_by.is_some()),
            "guards": guards, "decision": why.decision, "typos": why.typos,
            "final": {"complaint": final_said.complaint,
                "symptoms": final_said.symptoms.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "effect": final_why.model.as_ref().and_then(|m| m.effect),
                "veto": final_why.model.as_ref().and_then(|m| m.veto.as_ref()).map(|v| v.effect)},
            "final_without_veto": {"complaint": before_veto.complaint,
                "symptoms": before_veto.symptoms.iter().map(|s| s.as_str()).collect::<Vec<_>>()},
            "text": row.text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn load(dir: &Path) -> Result<Vec<Labelled>, String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    names.sort();
    let mut rows = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            rows.push(
                serde_json::from_str(line)
                    .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?,
            );
        }
    }
    Ok(rows)
}

fn to_post(row: &Labelled) -> Post {
    Post {
        source: "labelled".into(),
        id: row.id.clone(),
        created_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        kind: PostKind::Post,
        service: None,
        text: row.text.clone(),
        lang: Some(row.lang.clone()),
        author: None,
        location: row.location.clone(),
        geo: None,
        url: None,
        region_hint: None,
    }
}

/// True positives, false positives and false negatives.
#[derive(Default, Clone, Copy)]
struct Counts([u32; 3]);

impl Counts {
    fn add(&mut self, tp: usize, fp: usize, fn_: usize) {
        self.0[0] += tp as u32;
        self.0[1] += fp as u32;
        self.0[2] += fn_ as u32;
    }

    /// One yes/no decision against its label.
    fn add_one(&mut self, said: bool, truth: bool) {
        self.add(
            usize::from(said && truth),
            usize::from(said && !truth),
            usize::from(!said && truth),
        );
    }

    fn add_sets(&mut self, said: &BTreeSet<&str>, truth: &BTreeSet<&str>) {
        self.add(
            said.intersection(truth).count(),
            said.difference(truth).count(),
            truth.difference(said).count(),
        );
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [tp, fp, fn_] = self.0;
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fn_).max(1) as f64;
        write!(f, "{p:.3}/{r:.3}")
    }
}

/// Prints, per split, complaint and symptom precision and recall of the rules alone and with
/// the models, and how many complaint decisions the model changed.
fn measure(rows: &[Labelled], rules: &Classifier, with_models: &Classifier, excluded: &[String]) {
    #[derive(Default)]
    struct Tally {
        complaint: [Counts; 2],
        symptoms: [Counts; 2],
        recovery: [Counts; 2],
        added: u32,
        vetoed: u32,
    }
    let mut by_split: BTreeMap<&str, Tally> = BTreeMap::new();
    let newest_blind = NEVER_TRAINED[NEVER_TRAINED.len() - 1];
    for row in rows
        .iter()
        .filter(|r| r.kind.as_deref() != Some("report") && r.split != newest_blind)
    {
        let post = to_post(row);
        let t = by_split.entry(&row.split).or_default();
        let truth: BTreeSet<&str> = row.symptoms.iter().map(String::as_str).collect();
        let mut said_complaint = [false; 2];
        for (i, classifier) in [rules, with_models].into_iter().enumerate() {
            let c = classifier.classify(&post);
            said_complaint[i] = c.complaint;
            t.complaint[i].add_one(c.complaint, row.complaint);
            let said: BTreeSet<&str> = c.symptoms.iter().map(|s| s.as_str()).collect();
            t.symptoms[i].add_sets(&said, &truth);
            t.recovery[i].add_one(c.recovery, row.recovery);
        }
        t.added += u32::from(!said_complaint[0] && said_complaint[1]);
        t.vetoed += u32::from(said_complaint[0] && !said_complaint[1]);
    }
    println!(
        "P/R by split: rules alone -> rules with the models (complaints added, vetoed by the model)"
    );
    println!(
        "  {:<10} {:<30} {:<24} {:<20}",
        "split", "complaint", "symptoms", "recovery"
    );
    for (split, t) in &by_split {
        let note = if excluded.iter().any(|e| e == split) {
            "  (not trained on)"
        } else {
            ""
        };
        println!(
            "  {split:<10} {} -> {} (+{}, -{})   {} -> {}   {} -> {}{note}",
            t.complaint[0],
            t.complaint[1],
            t.added,
            t.vetoed,
            t.symptoms[0],
            t.symptoms[1],
            t.recovery[0],
            t.recovery[1],
        );
    }
}

/// Prints, for each threshold setting, the pooled counts on the excluded splits (not the
/// never-trained ones): `sweep NAME tp fp fn (complaint) tp fp fn (symptoms)`.
fn sweep(rows: &[Labelled], models: &Models<'_>, excluded: &[String]) {
    // complaint add_at, veto_below, min_features; symptom add_at, add_more_at, drop_below;
    // stacked veto below, min features
    let base = [
        models.complaint.add_at,
        models.complaint.veto_below,
        models.complaint.min_features as f32,
        models.symptoms.add_at,
        models.symptoms.add_more_at,
        models.symptoms.drop_below,
        models.veto.veto_below,
        models.veto.min_features as f32,
    ];
    let mut settings: Vec<(String, [f32; 8])> = vec![("base".into(), base)];
    for a in [0.3f32, 0.4, 0.5] {
        for m in [0.6f32, 0.7, 0.8] {
            for d in [0.0f32, 0.02, 0.03, 0.04, 0.05, 0.07] {
                let mut s = base;
                s[3] = a;
                s[4] = m;
                s[5] = d;
                settings.push((format!("sym{a}/{m}/{d}"), s));
            }
        }
    }
    let mut vary = |i: usize, name: &str, values: &[f32]| {
        for &v in values {
            let mut s = base;
            s[i] = v;
            settings.push((format!("{name}={v}"), s));
        }
    };
    vary(0, "add_at", &[0.85, 0.9, 0.97]);
    vary(1, "veto_below", &[0.05, 0.2, 0.3]);
    vary(2, "min_features", &[6.0, 18.0]);
    vary(6, "stack_below", &[0.0, 0.6, 0.8]);
    vary(7, "stack_min", &[12.0, 15.0, 22.0]);
    let blind: Vec<&Labelled> = rows
        .iter()
        .filter(|r| {
            r.kind.as_deref() != Some("report")
                && excluded.contains(&r.split)
                && !NEVER_TRAINED.contains(&r.split.as_str())
        })
        .collect();
    for (name, s) in &settings {
        let mut complaint = models.complaint.clone();
        complaint.add_at = s[0];
        complaint.veto_below = s[1];
        complaint.min_features = s[2] as u32;
        let mut symptoms = models.symptoms.clone();
        symptoms.add_at = s[3];
        symptoms.add_more_at = s[4];
        symptoms.drop_below = s[5];
        let mut veto = models.veto.clone();
        veto.veto_below = s[6];
        veto.min_features = s[7] as u32;
        let classifier =
            Classifier::builtin().with_models(Some(complaint), Some(symptoms), Some(veto));
        let (mut cm, mut sm) = (Counts::default(), Counts::default());
        for row in &blind {
            let c = classifier.classify(&to_post(row));
            let truth: BTreeSet<&str> = row.symptoms.iter().map(String::as_str).collect();
            let said: BTreeSet<&str> = c.symptoms.iter().map(|s| s.as_str()).collect();
            cm.add_one(c.complaint, row.complaint);
            sm.add_sets(&said, &truth);
        }
        println!(
            "sweep {name} {} {} {} {} {} {}",
            cm.0[0], cm.0[1], cm.0[2], sm.0[0], sm.0[1], sm.0[2]
        );
    }
}
