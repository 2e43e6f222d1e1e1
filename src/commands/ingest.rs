//! `outcry ingest`: JSONL replay here; live sources in `crate::live`.

use crate::cli::IngestArgs;
use crate::commands::thousands;
use crate::data_dir::load_classifier;
use crate::pipeline::{Pipeline, PipelineOptions, PipelineSummary};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use outcry_analyze::classify::Classifier;
use outcry_index::PostIndex;
use outcry_ingest::SourceEvent;
use outcry_ingest::jsonl::{JsonlCursor, JsonlReader};
use outcry_model::PostRecordParser;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs `outcry ingest`.
pub fn run(args: IngestArgs, data: Option<&Path>) -> Result<ExitCode> {
    if !(args.commit_interval > 0.0 && args.commit_interval.is_finite()) {
        anyhow::bail!("--commit-interval must be a positive number of seconds");
    }
    let options = PipelineOptions {
        commit_interval: Duration::from_secs_f64(args.commit_interval),
        commit_docs: args.commit_docs.max(1),
        strict: args.strict,
        volume_from_posts: args.config.is_none(),
        writer_memory: args.writer_memory.clamp(16, 4096) << 20,
    };
    if let Some(config) = &args.config {
        return crate::live::run_ingest(
            &args.index,
            config,
            args.metrics.as_deref(),
            options,
            data,
        );
    }
    // Check the inputs before creating anything, so a typo leaves no empty index behind.
    for path in &args.jsonl {
        std::fs::File::open(path)
            .with_context(|| format!("cannot read {}: check the path", path.display()))?;
    }
    let classifier = Arc::new(load_classifier(data)?);
    let index = PostIndex::create_or_open(&args.index).with_context(|| {
        format!(
            "cannot open or create the index at {}",
            args.index.display()
        )
    })?;
    let summary = replay_files(&index, classifier, &args.jsonl, options)?;
    print_summary(&summary, &args.index);
    Ok(ExitCode::SUCCESS)
}

/// Indexes JSONL files through the pipeline, resuming each file from its checkpoint.
pub fn replay_files(
    index: &PostIndex,
    classifier: Arc<Classifier>,
    files: &[std::path::PathBuf],
    options: PipelineOptions,
) -> Result<PipelineSummary> {
    let started = Instant::now();
    let checkpoints = index
        .checkpoints()
        .context("cannot read the index's checkpoints")?;
    let parser = PostRecordParser::new(index.author_hasher());
    let total_bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} {wide_bar} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut pipeline = Pipeline::new(index, classifier, options)?;
    let mut done_bytes = 0u64;
    for path in files {
        let canonical = std::fs::canonicalize(path)
            .with_context(|| format!("cannot read {}: check the path", path.display()))?;
        let stream = format!("jsonl:{}", canonical.display());
        let resume = checkpoints
            .get(&stream)
            .and_then(|c| JsonlCursor::decode(c));
        if let Some(r) = resume {
            tracing::info!(file = %path.display(), line = r.line, "resuming after the last committed line");
        }
        let mut reader = JsonlReader::open(path, parser.clone(), resume)?;
        let mut items = 0u64;
        while let Some(item) = reader.next_item() {
            let item = item.with_context(|| format!("cannot read {}", path.display()))?;
            let event = match item.result {
                Ok(post) => SourceEvent::Post(post),
                Err(rejection) => SourceEvent::Rejected {
                    stream: stream.clone(),
                    location: format!("{}:{}", path.display(), item.line),
                    rejection,
                },
            };
            pipeline.handle(event)?;
            if pipeline.commit_due() {
                pipeline.handle(SourceEvent::Checkpoint {
                    stream: stream.clone(),
                    cursor: reader.cursor().encode(),
                })?;
                pipeline.commit()?;
            }
            items += 1;
            if items.is_multiple_of(8192)
                && let Some((read, _)) = reader.progress()
            {
                bar.set_position(done_bytes + read);
                bar.set_message(format!("{} posts", thousands(pipeline.summary().indexed)));
            }
        }
        pipeline.handle(SourceEvent::Checkpoint {
            stream: stream.clone(),
            cursor: reader.cursor().encode(),
        })?;
        done_bytes += reader.progress().map(|(_, len)| len).unwrap_or(0);
        bar.set_position(done_bytes);
    }
    let summary = pipeline.finish()?;
    bar.finish_and_clear();
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "ingest finished");
    Ok(summary)
}

fn print_summary(summary: &PipelineSummary, index: &Path) {
    println!(
        "indexed {} posts into {} ({} complaints)",
        thousands(summary.indexed),
        index.display(),
        thousands(summary.complaints)
    );
    println!("  read:       {}", thousands(summary.read));
    println!("  duplicates: {}", thousands(summary.duplicates));
    if summary.rejected.is_empty() {
        println!("  rejected:   0");
    } else {
        let reasons: Vec<String> = summary
            .rejected
            .iter()
            .map(|(reason, n)| format!("{reason} {}", thousands(*n)))
            .collect();
        println!(
            "  rejected:   {} ({})",
            thousands(summary.rejected_total()),
            reasons.join(", ")
        );
    }
}
