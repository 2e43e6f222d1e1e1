//! Sources that pull posts into outcry: the JSONL replay reader and the live networks
//! (Mastodon, Bluesky Jetstream, Hacker News, Reddit, Lemmy, Nostr, RSS/Atom, Statuspage, tailed
//! JSONL). Each source turns what it reads into [`SourceEvent`]s and says how far it got with
//! checkpoints, so that a restart resumes exactly where the last commit left off.
//!
//! Sources know nothing of the index or the classifier: the binary's pipeline receives their
//! events over a bounded channel, classifies, indexes and commits the checkpoints with the data
//! they cover. The machinery is shared (one HTTP polling loop, one WebSocket loop, one rate
//! limiter per host, one backoff); a source is a small set of hooks.
//!
//! ```
//! use outcry_ingest::IngestConfig;
//! use std::path::Path;
//!
//! let text = "[[source]]\nkind = \"mastodon\"\nurl = \"https://mastodon.social\"\nhashtags = [\"outage\"]\n";
//! let config = IngestConfig::parse(text, Path::new("ingest.toml"), &|_| None).unwrap();
//! assert_eq!(config.sources[0].name, "mastodon:mastodon.social");
//! ```

pub mod config;
mod emit;
mod event;
mod http;
pub mod jsonl;
mod limit;
mod run;
mod shutdown;
mod sources;
mod telemetry;
mod ws;

pub use config::{ConfigError, IngestConfig, Keep, KindOptions, Secret, SourceConfig, SourceKind};
pub use event::SourceEvent;
pub use limit::{Backoff, HostLimiter, HostLimiters};
pub use run::{DryRunReport, MentionFilter, SourceDeps, dry_run, run_source, spawn_sources};
pub use shutdown::{Shutdown, ShutdownTrigger, shutdown_pair};
pub use telemetry::{MetricsRegistry, SourceMetrics, SourceSnapshot, SourceState};
