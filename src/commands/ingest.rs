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
use outcry_model::{Classification, Post, PostRecordParser, Rejection};
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
    let mut pipeline = Pipeline::new(index, classifier.clone(), options)?;
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
        let reader = JsonlReader::open(path, parser.clone(), resume)?;
        // One thread reads, parses and classifies the file a few batches ahead while this one
        // writes to the index: on two cores the two halves of the work overlap.
        let (batches, receiver) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT);
        let file_bytes = std::thread::scope(|scope| -> Result<u64> {
            let reading = scope.spawn({
                let classifier = classifier.clone();
                move || read_batches(reader, &classifier, &batches)
            });
            let mut last_bytes = 0;
            for batch in receiver {
                let batch = batch.with_context(|| format!("cannot read {}", path.display()))?;
                for item in batch.items {
                    match item {
                        Ok((post, classification)) => {
                            pipeline.add_classified(&post, &classification)?
                        }
                        Err((line, rejection)) => pipeline.handle(SourceEvent::Rejected {
                            stream: stream.clone(),
                            location: format!("{}:{line}", path.display()),
                            rejection,
                        })?,
                    }
                }
                // The batch's cursor covers every line handled so far, and nothing more.
                pipeline.handle(SourceEvent::Checkpoint {
                    stream: stream.clone(),
                    cursor: batch.cursor.encode(),
                })?;
                if pipeline.commit_due() {
                    pipeline.commit()?;
                }
                if let Some((read, len)) = batch.progress {
                    bar.set_position(done_bytes + read);
                    last_bytes = len;
                }
                bar.set_message(format!("{} posts", thousands(pipeline.summary().indexed)));
            }
            // The channel has ended: the reading thread is done, or it failed and said so, or it
            // panicked (a bug), which must not pass for the end of the file.
            if reading.join().is_err() {
                anyhow::bail!(
                    "reading {} stopped unexpectedly; the lines committed so far are kept, run the same command again to resume",
                    path.display()
                );
            }
            Ok(last_bytes)
        })?;
        done_bytes += file_bytes;
        bar.set_position(done_bytes);
    }
    let summary = pipeline.finish()?;
    bar.finish_and_clear();
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "ingest finished");
    Ok(summary)
}

/// Lines parsed and classified together before they are handed to the index writer.
const BATCH_LINES: usize = 1024;
/// Batches waiting for the writer at most: the memory bound between the two threads.
const BATCHES_IN_FLIGHT: usize = 8;

/// Lines read, parsed and classified, with the file position after the last of them.
struct Batch {
    items: Vec<Result<(Post, Classification), (u64, Rejection)>>,
    cursor: JsonlCursor,
    progress: Option<(u64, u64)>,
}

/// Reads `reader` to its end in batches, classifying each post, and sends them; stops early
/// when the receiver is gone (the writer failed) or after sending a read error.
fn read_batches(
    mut reader: JsonlReader,
    classifier: &Classifier,
    batches: &std::sync::mpsc::SyncSender<std::io::Result<Batch>>,
) {
    loop {
        let mut items = Vec::with_capacity(BATCH_LINES);
        while items.len() < BATCH_LINES {
            match reader.next_item() {
                None => break,
                Some(Err(e)) => {
                    let _ = batches.send(Err(e));
                    return;
                }
                Some(Ok(item)) => items.push(match item.result {
                    Ok(post) => {
                        let classification = classifier.classify(&post);
                        Ok((post, classification))
                    }
                    Err(rejection) => Err((item.line, rejection)),
                }),
            }
        }
        let last = items.len() < BATCH_LINES;
        let batch = Batch {
            items,
            cursor: reader.cursor(),
            progress: reader.progress(),
        };
        if batches.send(Ok(batch)).is_err() || last {
            return;
        }
    }
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
