//! Starting sources: each configured source becomes one task that reads its network through
//! the shared loops and sends into the caller's bounded channel, resuming from the cursor the
//! index saved for it. Also the dry run behind `outcry sources`: start a source alone, wait for
//! its first success or failure, and say which.

use crate::config::{IngestConfig, KindOptions, SourceConfig};
use crate::emit::Emitter;
use crate::http::{Http, run_poller};
use crate::limit::HostLimiters;
use crate::sources;
use crate::telemetry::{MetricsRegistry, SourceSnapshot, SourceState};
use crate::ws::run_stream;
use crate::{Shutdown, SourceEvent, shutdown_pair};
use outcry_model::{AuthorHasher, Checkpoints};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Decides whether a post's text mentions a catalog platform (the classifier's cheap pre-check).
pub type MentionFilter = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// What sources need from the caller, shared by all of them.
#[derive(Clone)]
pub struct SourceDeps {
    /// Hashes author ids with the index's key.
    pub hasher: AuthorHasher,
    /// The mention filter applied under `keep = "mentions"`.
    pub mentions: MentionFilter,
    /// Where sources count what they do.
    pub metrics: Arc<MetricsRegistry>,
    /// Rate limiters by host, shared so that two sources on one host share its budget.
    pub limiters: Arc<HostLimiters>,
}

impl SourceDeps {
    /// Dependencies with fresh metrics and limiters.
    pub fn new(hasher: AuthorHasher, mentions: MentionFilter) -> Self {
        SourceDeps {
            hasher,
            mentions,
            metrics: Arc::new(MetricsRegistry::new()),
            limiters: Arc::new(HostLimiters::new()),
        }
    }
}

/// Starts every source of `config` as a task, each resuming from its entries in `checkpoints`
/// (the index's saved cursors: the source's name, and `name|relay` for each Nostr relay).
/// The tasks end when `shutdown` fires (or the channel closes).
pub fn spawn_sources(
    config: &IngestConfig,
    checkpoints: &Checkpoints,
    deps: &SourceDeps,
    tx: &mpsc::Sender<SourceEvent>,
    shutdown: &Shutdown,
) -> Vec<JoinHandle<()>> {
    let checkpoints = Arc::new(checkpoints.clone());
    config
        .sources
        .iter()
        .map(|source| {
            tokio::spawn(run_source(
                source.clone(),
                checkpoints.clone(),
                deps.clone(),
                tx.clone(),
                shutdown.clone(),
            ))
        })
        .collect()
}

/// Runs one source until `shutdown` fires, resuming from its entries in `checkpoints`. Problems that stop it from starting at all (a saved
/// cursor it cannot read, a client it cannot build) are logged and counted as errors.
pub async fn run_source(
    source: SourceConfig,
    checkpoints: Arc<Checkpoints>,
    deps: SourceDeps,
    tx: mpsc::Sender<SourceEvent>,
    shutdown: Shutdown,
) {
    let metrics = deps.metrics.source(&source.name, source.kind.as_str());
    let resume = checkpoints.get(&source.name);
    if let Some(cursor) = resume {
        tracing::info!(
            source = source.name.as_str(),
            cursor = cursor.as_str(),
            "resuming from saved cursor"
        );
    }
    let mut emitter = Emitter::new(
        source.name.clone(),
        tx.clone(),
        shutdown.clone(),
        source.keep,
        deps.mentions.clone(),
        metrics.clone(),
    );
    let resume = resume.map(String::as_str);
    let http = || Http::new(&source, deps.limiters.clone(), metrics.clone());
    let result: Result<(), String> = async {
        match &source.options {
            KindOptions::Mastodon { .. } => {
                let poller =
                    sources::mastodon::MastodonPoller::new(&source, resume, deps.hasher.clone())?;
                run_poller(poller, http()?, &source, &mut emitter, shutdown).await;
            }
            KindOptions::Jetstream { .. } => {
                let hooks =
                    sources::jetstream::Jetstream::new(&source, resume, deps.hasher.clone())?;
                run_stream(
                    hooks,
                    &source,
                    deps.limiters.clone(),
                    &mut emitter,
                    shutdown,
                )
                .await;
            }
            KindOptions::Hackernews { .. } => {
                let poller = sources::hackernews::HackerNewsPoller::new(
                    &source,
                    resume,
                    deps.hasher.clone(),
                )?;
                run_poller(poller, http()?, &source, &mut emitter, shutdown).await;
            }
            KindOptions::Reddit { .. } => {
                let poller =
                    sources::reddit::RedditPoller::new(&source, resume, deps.hasher.clone())?;
                run_poller(poller, http()?, &source, &mut emitter, shutdown).await;
            }
            KindOptions::Lemmy { .. } => {
                let poller =
                    sources::lemmy::LemmyPoller::new(&source, resume, deps.hasher.clone())?;
                run_poller(poller, http()?, &source, &mut emitter, shutdown).await;
            }
            KindOptions::Rss => {
                let poller = sources::rss::FeedPoller::new(&source, resume)?;
                run_poller(poller, http()?, &source, &mut emitter, shutdown).await;
            }
            KindOptions::Statuspage { .. } => {
                let poller = sources::statuspage::StatuspagePoller::new(&source, resume)?;
                run_poller(poller, http()?, &source, &mut emitter, shutdown).await;
            }
            KindOptions::Nostr { .. } => {
                let relays = sources::nostr::relays(&source, &checkpoints, deps.hasher.clone())?;
                let mut tasks = Vec::new();
                for (stream_key, hooks) in relays {
                    let mut emitter = Emitter::new(
                        source.name.clone(),
                        tx.clone(),
                        shutdown.clone(),
                        source.keep,
                        deps.mentions.clone(),
                        metrics.clone(),
                    )
                    .with_checkpoint_key(stream_key);
                    let (source, limiters, shutdown) =
                        (source.clone(), deps.limiters.clone(), shutdown.clone());
                    tasks.push(tokio::spawn(async move {
                        run_stream(hooks, &source, limiters, &mut emitter, shutdown).await;
                    }));
                }
                for task in tasks {
                    let _ = task.await;
                }
            }
            KindOptions::Jsonl { .. } => {
                sources::jsonl_tail::run(
                    &source,
                    resume,
                    deps.hasher.clone(),
                    &mut emitter,
                    shutdown,
                )
                .await?;
            }
        }
        Ok(())
    }
    .await;
    if let Err(message) = result {
        tracing::error!(
            source = source.name.as_str(),
            error = message.as_str(),
            "source cannot run"
        );
        metrics.error(message);
    }
    metrics.set_state(SourceState::Stopped, None);
}

/// The outcome of trying one source once.
#[derive(Debug, Clone)]
pub struct DryRunReport {
    /// The source name.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// True when it got at least one good response (or connection) before any give-up.
    pub works: bool,
    /// Posts read during the try (kept or not).
    pub posts_seen: u64,
    /// Posts that passed the `keep` rule.
    pub posts_kept: u64,
    /// Official incidents read.
    pub incidents: u64,
    /// The last error, if any.
    pub error: Option<String>,
}

/// Tries `source` once (from its newest position, saving nothing): starts it, waits until its
/// first successful response and what that response held, or its first error, or `timeout`,
/// then stops it.
pub async fn dry_run(source: &SourceConfig, deps: &SourceDeps, timeout: Duration) -> DryRunReport {
    let (trigger, shutdown) = shutdown_pair();
    let (tx, mut rx) = mpsc::channel(1024);
    let metrics = deps.metrics.source(&source.name, source.kind.as_str());
    let task = tokio::spawn(run_source(
        source.clone(),
        Arc::default(),
        deps.clone(),
        tx,
        shutdown,
    ));
    let mut incidents = 0;
    let deadline = tokio::time::Instant::now() + timeout;
    let done = |s: &SourceSnapshot| s.successes > 0 || s.errors > 0 || s.state == "stopped";
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some(SourceEvent::Official(_)) => incidents += 1,
                Some(SourceEvent::Checkpoint { .. }) => break,
                Some(_) => {}
                None => break,
            },
            _ = tokio::time::sleep_until(deadline) => break,
            _ = tokio::time::sleep(Duration::from_millis(50)) => {
                if done(&metrics.snapshot()) && rx.is_empty() {
                    break;
                }
            }
        }
    }
    trigger.trigger();
    while let Ok(event) = rx.try_recv() {
        if let SourceEvent::Official(_) = event {
            incidents += 1;
        }
    }
    drop(rx);
    let _ = tokio::time::timeout(Duration::from_secs(2), task).await;
    let snap = metrics.snapshot();
    DryRunReport {
        name: source.name.clone(),
        kind: source.kind.as_str().to_string(),
        works: snap.successes > 0,
        posts_seen: snap.seen,
        posts_kept: snap.kept,
        incidents,
        error: snap
            .last_error
            .or_else(|| (snap.successes == 0).then(|| format!("no answer within {timeout:?}"))),
    }
}
