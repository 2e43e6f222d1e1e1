//! `outcry simulate`, `outcry eval` and `outcry demo`.

use crate::cli::{DemoArgs, EvalArgs, ReportFormat, SimulateArgs, TextOrJson};
use crate::commands::ingest::replay_files;
use crate::commands::report::{build_report, render};
use crate::commands::thousands;
use crate::data_dir::load_classifier;
use crate::pipeline::PipelineOptions;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use outcry_analyze::data::DataFile;
use outcry_analyze::eval::evaluate;
use outcry_analyze::simulate::{Scenario, SimStats, Truth, simulate};
use outcry_index::PostIndex;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Runs `outcry simulate`.
pub fn run_simulate(args: SimulateArgs) -> Result<ExitCode> {
    let scenario = load_scenario(&args.scenario)?;
    let (stats, posts, truth) = write_simulation(&scenario, args.seed, &args.out)?;
    println!(
        "simulated {} posts ({} complaints from {} incidents, {} decoys) into {}",
        thousands(stats.posts),
        thousands(stats.incident_complaints + stats.usual_complaints),
        truth.incidents.len(),
        truth.decoys.len(),
        posts.display()
    );
    println!("ground truth: {}", args.out.join("truth.json").display());
    Ok(ExitCode::SUCCESS)
}

/// A bundled scenario by name, or a scenario file.
fn load_scenario(name_or_path: &str) -> Result<Scenario> {
    let path = Path::new(name_or_path);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file = DataFile {
            name: name_or_path,
            text: &text,
        };
        return Scenario::parse(file).map_err(|e| anyhow::anyhow!("invalid scenario: {e}"));
    }
    Scenario::bundled(name_or_path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Writes `posts.jsonl.gz` and `truth.json` into `out`.
fn write_simulation(
    scenario: &Scenario,
    seed: u64,
    out: &Path,
) -> Result<(SimStats, PathBuf, Truth)> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let posts_path = out.join("posts.jsonl.gz");
    let file = std::fs::File::create(&posts_path)
        .with_context(|| format!("cannot write {}", posts_path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(
        std::io::BufWriter::with_capacity(1 << 20, file),
        flate2::Compression::fast(),
    );
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} simulating: {human_pos} posts ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut sim = simulate(scenario, seed);
    let mut n = 0u64;
    for post in sim.by_ref() {
        gz.write_all(post.to_json_line().as_bytes())?;
        gz.write_all(b"\n")?;
        n += 1;
        if n.is_multiple_of(16_384) {
            bar.set_position(n);
        }
    }
    gz.finish()?.flush()?;
    bar.finish_and_clear();
    let stats = sim.stats().clone();
    let truth = sim.truth();
    let truth_path = out.join("truth.json");
    std::fs::write(&truth_path, serde_json::to_string_pretty(&truth)?)
        .with_context(|| format!("cannot write {}", truth_path.display()))?;
    Ok((stats, posts_path, truth))
}

/// Runs `outcry eval`.
pub fn run_eval(args: EvalArgs) -> Result<ExitCode> {
    let truth_text = std::fs::read_to_string(&args.truth)
        .with_context(|| format!("cannot read {}", args.truth.display()))?;
    let truth: Truth = serde_json::from_str(&truth_text).with_context(|| {
        format!(
            "{} is not a truth.json written by `outcry simulate`",
            args.truth.display()
        )
    })?;
    let report_text = std::fs::read_to_string(&args.report)
        .with_context(|| format!("cannot read {}", args.report.display()))?;
    let report: serde_json::Value = serde_json::from_str(&report_text).with_context(|| {
        format!(
            "{} is not JSON: write it with `outcry report --format json`",
            args.report.display()
        )
    })?;
    let evaluation = evaluate(&truth, &report).map_err(|e| {
        anyhow::anyhow!(
            "{} does not follow the report contract: {}",
            args.report.display(),
            e.0
        )
    })?;
    match args.format {
        TextOrJson::Json => println!("{}", serde_json::to_string_pretty(&evaluation)?),
        TextOrJson::Text => print!("{}", evaluation.to_text()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `outcry demo`: simulate, ingest, report, evaluate.
pub fn run_demo(args: DemoArgs, data: Option<&Path>) -> Result<ExitCode> {
    let started = Instant::now();
    let scenario = load_scenario(&args.scenario)?;
    eprintln!(
        "1/3 simulating the {:?} scenario (seed {})...",
        args.scenario, args.seed
    );
    let (stats, posts, truth) = write_simulation(&scenario, args.seed, &args.out)?;
    eprintln!(
        "    {} posts in {:.1} s",
        thousands(stats.posts),
        started.elapsed().as_secs_f64()
    );

    let index_dir = args.out.join("index");
    // The demo owns its index: start afresh so a different seed is not taken for duplicates.
    if index_dir.join("author.key").exists() {
        std::fs::remove_dir_all(&index_dir)
            .with_context(|| format!("cannot remove the old demo index {}", index_dir.display()))?;
    }
    let step = Instant::now();
    eprintln!(
        "2/3 classifying and indexing into {}...",
        index_dir.display()
    );
    let classifier = Arc::new(load_classifier(data)?);
    let index = PostIndex::create_or_open(&index_dir)?;
    let summary = replay_files(
        &index,
        classifier.clone(),
        &[posts],
        PipelineOptions::default(),
    )?;
    let secs = step.elapsed().as_secs_f64();
    eprintln!(
        "    {} posts indexed ({} complaints) in {:.1} s, {} posts/s",
        thousands(summary.indexed),
        thousands(summary.complaints),
        secs,
        thousands((summary.indexed as f64 / secs.max(1e-9)) as u64)
    );

    let step = Instant::now();
    eprintln!("3/3 detecting incidents and writing the report...");
    let index = PostIndex::open(&index_dir)?;
    let report = build_report(
        &index,
        classifier.catalog(),
        None,
        None,
        None,
        chrono::Utc::now(),
    )?;
    let html = args.out.join("report.html");
    let json = args.out.join("report.json");
    let md = args.out.join("report.md");
    std::fs::write(
        &html,
        render(&report, classifier.catalog(), ReportFormat::Html),
    )?;
    std::fs::write(
        &json,
        render(&report, classifier.catalog(), ReportFormat::Json),
    )?;
    let markdown = render(&report, classifier.catalog(), ReportFormat::Md);
    std::fs::write(&md, &markdown)?;
    eprintln!(
        "    {} incident(s) in {:.1} s",
        report.incidents.len(),
        step.elapsed().as_secs_f64()
    );

    let mut out = std::io::stdout().lock();
    writeln!(out)?;
    out.write_all(markdown.as_bytes())?;
    let report_value: serde_json::Value = serde_json::from_str(&report.to_json())?;
    if let Ok(evaluation) = evaluate(&truth, &report_value) {
        writeln!(out, "\n## Against the simulation's ground truth\n")?;
        out.write_all(evaluation.to_text().as_bytes())?;
    }
    writeln!(
        out,
        "\nOpen {} in a browser. Done in {:.1} s.",
        html.display(),
        started.elapsed().as_secs_f64()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
