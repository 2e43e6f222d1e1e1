//! Live ingest: `outcry ingest --config FILE` and `outcry sources --config FILE`.
//!
//! This module wires the live sources of `outcry-ingest` to the indexing [`Pipeline`]: it checks
//! the config before anything starts, resumes every source from the checkpoints of the index's
//! last commit, runs until SIGINT or SIGTERM, then stops the sources, lets the pipeline drain
//! and commit, and exits. It owns the signal handling, the terminal status line and the
//! `--metrics` endpoint; it does not classify or write the index itself (the pipeline does).

mod metrics;
mod status;

use crate::data_dir::load_classifier;
use crate::pipeline::{Pipeline, PipelineOptions, PipelineSummary};
use anyhow::{Context, Result};
use outcry_analyze::classify::Classifier;
use outcry_index::PostIndex;
use outcry_ingest::{IngestConfig, MentionFilter, SourceDeps, shutdown_pair, spawn_sources};
use outcry_model::{AuthorHasher, Post};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Events waiting between the sources and the index writer at most (the backpressure bound).
const QUEUE: usize = 8192;
/// How long sources get to stop after the signal before they are abandoned (the job as a whole
/// must be done within 10 s; the rest is for the final commit).
const SOURCE_STOP_BUDGET: Duration = Duration::from_secs(6);

/// The mention filter of `keep = "mentions"`: the classifier finds at least one platform.
pub fn mention_filter(classifier: Arc<Classifier>) -> MentionFilter {
    Arc::new(move |text: &str| {
        let post = Post::new("", "", chrono::DateTime::UNIX_EPOCH, text);
        !classifier.classify(&post).platforms.is_empty()
    })
}

fn load_config(config_path: &Path, classifier: &Classifier) -> Result<IngestConfig> {
    let config =
        IngestConfig::load(config_path).map_err(|e| anyhow::anyhow!("invalid config: {e}"))?;
    config
        .check_platforms(&|id| classifier.catalog().platform(id).is_some())
        .map_err(|e| anyhow::anyhow!("invalid config: {e}"))?;
    Ok(config)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Waits for SIGINT or SIGTERM.
async fn stop_signal() -> Result<&'static str> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("cannot listen for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => { r.context("cannot listen for SIGINT")?; Ok("SIGINT") }
            _ = term.recv() => Ok("SIGTERM"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .context("cannot listen for Ctrl-C")?;
        Ok("Ctrl-C")
    }
}

/// `outcry ingest --index DIR --config FILE [--metrics ADDR]`: runs the config's sources into
/// the index until SIGINT or SIGTERM (or until every source has ended, e.g. a `jsonl` source on
/// stdin at end of input), then drains, commits and prints a summary. `data` is an edited data
/// directory for the classifier, if any.
pub fn run_ingest(
    index_dir: &Path,
    config_path: &Path,
    metrics_addr: Option<&str>,
    options: PipelineOptions,
    data: Option<&Path>,
) -> Result<ExitCode> {
    let classifier = Arc::new(load_classifier(data)?);
    let config = load_config(config_path, &classifier)?;
    let index = PostIndex::create_or_open(index_dir)
        .with_context(|| format!("cannot open or create the index at {}", index_dir.display()))?;
    let checkpoints = index
        .checkpoints()
        .context("cannot read the index's checkpoints")?;
    let pipeline = Pipeline::new(&index, classifier.clone(), options)?;
    let deps = SourceDeps::new(index.author_hasher(), mention_filter(classifier));
    let runtime = runtime()?;
    let summary = runtime.block_on(async {
        let metrics_listener = match metrics_addr {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot serve metrics on {addr}; give a free host:port such as 127.0.0.1:9464"))?,
            ),
            None => None,
        };
        let (tx, rx) = tokio::sync::mpsc::channel(QUEUE);
        let (trigger, shutdown) = shutdown_pair();
        let drive = tokio::spawn(pipeline.drive(rx));
        let sources = spawn_sources(&config, &checkpoints, &deps, &tx, &shutdown);
        drop(tx);
        tracing::info!(sources = sources.len(), index = %index_dir.display(), "live ingest started");
        if let Some(listener) = metrics_listener {
            tokio::spawn(metrics::serve(listener, deps.metrics.clone(), shutdown.clone()));
        }
        let status_line = std::io::stderr()
            .is_terminal()
            .then(|| tokio::spawn(status::run(deps.metrics.clone(), shutdown.clone())));
        let all_ended = async {
            while !sources.iter().all(|s| s.is_finished()) {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        tokio::select! {
            signal = stop_signal() => {
                let signal = signal?;
                tracing::warn!(signal, "stopping: sources first, then the last commit");
            }
            _ = all_ended => tracing::info!("every source has ended"),
        }
        trigger.trigger();
        let deadline = tokio::time::Instant::now() + SOURCE_STOP_BUDGET;
        for source in sources {
            let abort = source.abort_handle();
            if tokio::time::timeout_at(deadline, source).await.is_err() {
                // A source stuck past its budget is abandoned: what it sent is committed, what
                // it did not checkpoint is read again next time.
                abort.abort();
            }
        }
        if let Some(status_line) = status_line {
            let _ = status_line.await;
        }
        drive.await.context("the indexing pipeline failed")?
    })?;
    // Stragglers (a source blocked in a DNS lookup) must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(500));
    print_summary(&summary, &deps);
    Ok(ExitCode::SUCCESS)
}

fn print_summary(summary: &PipelineSummary, deps: &SourceDeps) {
    eprintln!(
        "live ingest stopped: {} posts indexed, {} duplicates, {} official incidents, {} rejected, {} commits",
        summary.indexed,
        summary.duplicates,
        summary.official,
        summary.rejected_total(),
        summary.commits
    );
    for s in deps.metrics.snapshots() {
        eprintln!(
            "  {}: {} seen, {} kept, {} rejected, {} errors{}",
            s.name,
            s.seen,
            s.kept,
            s.rejected,
            s.errors,
            s.last_error
                .map(|e| format!(" (last: {e})"))
                .unwrap_or_default()
        );
    }
}

/// `outcry sources --config FILE`: checks the config, then tries every source once (all at
/// the same time, none saving anything) and prints one line per source saying whether it
/// works. Exit 0 when every source works, 1 otherwise.
pub fn run_sources_check(config_path: &Path, data: Option<&Path>) -> Result<ExitCode> {
    let classifier = Arc::new(load_classifier(data)?);
    let config = load_config(config_path, &classifier)?;
    println!(
        "{}: {} sources, config is valid",
        config_path.display(),
        config.sources.len()
    );
    // No index here: a throwaway key, since nothing is stored.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let deps = SourceDeps::new(
        AuthorHasher::new(nanos.to_le_bytes()),
        mention_filter(classifier),
    );
    let reports = runtime()?.block_on(async {
        let tasks: Vec<_> = config
            .sources
            .iter()
            .map(|source| {
                let (source, deps) = (source.clone(), deps.clone());
                let budget = (source.timeout + Duration::from_secs(2)).min(Duration::from_secs(20));
                tokio::spawn(async move { outcry_ingest::dry_run(&source, &deps, budget).await })
            })
            .collect();
        let mut reports = Vec::new();
        for task in tasks {
            if let Ok(report) = task.await {
                reports.push(report);
            }
        }
        reports
    });
    let mut failures = 0;
    for r in &reports {
        if r.works {
            let what = if r.kind == "statuspage" {
                format!("{} incidents read", r.incidents)
            } else {
                format!(
                    "{} posts read, {} would be kept",
                    r.posts_seen, r.posts_kept
                )
            };
            println!("ok    {:<40} {what}", r.name);
        } else {
            failures += 1;
            println!(
                "FAIL  {:<40} {}",
                r.name,
                r.error.as_deref().unwrap_or("no answer")
            );
        }
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
