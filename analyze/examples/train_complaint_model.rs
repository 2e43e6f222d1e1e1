//! Trains the complaint model (`data/model/complaint.tsv`) on the labelled posts of
//! `data/labelled/` and measures what it changes, split by split.
//!
//! ```sh
//! # Retrain the bundled model (after adding labelled posts):
//! cargo run --release -p outcry-analyze --example train_complaint_model
//! # Measure it honestly on a split it did not see (writes nothing unless --out is given):
//! cargo run --release -p outcry-analyze --example train_complaint_model -- --exclude holdout9
//! ```
//!
//! The splits in [`NEVER_TRAINED`] (the blind hold-outs) never train it: their figures are the
//! measure of how it does on posts nobody has seen. `--exclude` keeps more splits out;
//! `--out PATH` writes the model there (by default `data/model/complaint.tsv`, and only when
//! nothing is excluded, so the bundled model is always the one trained on every open split).

use outcry_analyze::classify::Classifier;
use outcry_analyze::classify::opinion::{ComplaintModel, TrainingConfig, TrainingPost, train};
use outcry_analyze::data::DataFile;
use outcry_model::{Post, PostKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Splits that never train the model: `holdout` (kept out of every tuning round since the
/// first session) and the newest blind set.
const NEVER_TRAINED: [&str; 2] = ["holdout", "holdout10"];

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
    split: String,
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
    let mut config = TrainingConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--exclude" => excluded.extend(value("--exclude")?.split(',').map(str::to_string)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--c" => {
                config.c = value("--c")?
                    .parse()
                    .map_err(|_| "--c needs a number such as 10".to_string())?
            }
            "--add-at" => {
                config.add_at = value("--add-at")?
                    .parse()
                    .map_err(|_| "--add-at needs a probability such as 0.8".to_string())?
            }
            "--veto-below" => {
                config.veto_below = value("--veto-below")?
                    .parse()
                    .map_err(|_| "--veto-below needs a probability such as 0.1".to_string())?
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (use --exclude SPLITS, --out PATH, --c C, \
                     --add-at P, --veto-below P)"
                ));
            }
        }
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    let rows = load(&data.join("labelled"))?;
    let rules = Classifier::builtin().with_model(None);
    let mut posts = Vec::new();
    let mut splits: Vec<&str> = Vec::new();
    for row in rows.iter().filter(|r| r.kind.as_deref() != Some("report")) {
        if excluded.contains(&row.split) {
            continue;
        }
        if !splits.contains(&row.split.as_str()) {
            splits.push(&row.split);
        }
        posts.push(TrainingPost {
            features: rules.model_features(&to_post(row)),
            complaint: row.complaint,
        });
    }
    splits.sort();
    let trained_on = format!(
        "{} ({} posts, reports left out)",
        splits.join(","),
        posts.len()
    );
    let text = train(&posts, &config, &trained_on);
    let model = ComplaintModel::from_file(&DataFile {
        name: "the new model",
        text: &text,
    })
    .map_err(|e| e.to_string())?;
    eprintln!("trained on {trained_on}");
    let with_model = Classifier::builtin().with_model(Some(model));
    measure(&rows, &rules, &with_model, &excluded);
    let only_never_trained = excluded.len() == NEVER_TRAINED.len();
    let target = match out {
        Some(path) => Some(path),
        None if only_never_trained => Some(data.join("model/complaint.tsv")),
        None => None,
    };
    if let Some(path) = target {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
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

/// Prints, per split, the complaint precision and recall of the rules alone and with the
/// model, and how many decisions the model changed.
fn measure(rows: &[Labelled], rules: &Classifier, with_model: &Classifier, excluded: &[String]) {
    #[derive(Default)]
    struct Tally {
        rules: [u32; 3],
        model: [u32; 3],
        added: u32,
        vetoed: u32,
    }
    fn count(t: &mut [u32; 3], said: bool, truth: bool) {
        match (said, truth) {
            (true, true) => t[0] += 1,
            (true, false) => t[1] += 1,
            (false, true) => t[2] += 1,
            _ => {}
        }
    }
    let mut by_split: BTreeMap<&str, Tally> = BTreeMap::new();
    // The newest blind split is measured once, by the evaluation test, not while choosing how
    // to train.
    let newest_blind = NEVER_TRAINED[NEVER_TRAINED.len() - 1];
    for row in rows
        .iter()
        .filter(|r| r.kind.as_deref() != Some("report") && r.split != newest_blind)
    {
        let post = to_post(row);
        let a = rules.classify(&post).complaint;
        let b = with_model.classify(&post).complaint;
        let t = by_split.entry(&row.split).or_default();
        count(&mut t.rules, a, row.complaint);
        count(&mut t.model, b, row.complaint);
        t.added += u32::from(!a && b);
        t.vetoed += u32::from(a && !b);
    }
    let pr = |t: &[u32; 3]| {
        let p = t[0] as f64 / (t[0] + t[1]).max(1) as f64;
        let r = t[0] as f64 / (t[0] + t[2]).max(1) as f64;
        format!("{p:.3}/{r:.3}")
    };
    println!("complaint P/R by split: rules alone -> rules with the model (added, vetoed)");
    for (split, t) in &by_split {
        let note = if excluded.iter().any(|e| e == split) {
            "  (not trained on)"
        } else {
            ""
        };
        println!(
            "  {split:<10} {} -> {}  (+{}, -{}){note}",
            pr(&t.rules),
            pr(&t.model),
            t.added,
            t.vetoed
        );
    }
}
