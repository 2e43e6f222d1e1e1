//! Command-line flags. Parsed in one step by clap, then checked by each command (times are
//! resolved against one `now`, paths are checked when opened) so errors say what to do.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Finds outages of online services in public social-media chatter.
///
/// outcry pulls public posts that mention platforms, classifies them (which service, is it a
/// complaint, how it shows, where), indexes them with tantivy, and scores bursts of complaints
/// against each platform's usual level to say which service is failing, since when, where, how
/// badly and how it shows.
///
/// Start with `outcry demo`: it simulates the 2021 Meta outage, indexes it and writes a report.
#[derive(Debug, Parser)]
#[command(
    name = "outcry",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Read the platform catalog, lexicons and gazetteer from this directory instead of the
    /// bundled copy (edit a copy of the repository's data/ directory).
    #[arg(long, global = true, env = "OUTCRY_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Log more (-v: info, -vv: debug). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index post records from JSONL files, or run the live sources of a config until stopped.
    Ingest(IngestArgs),
    /// Search the indexed posts (tantivy query syntax).
    Search(SearchArgs),
    /// Classify post records and print one JSON object per record.
    Classify(ClassifyArgs),
    /// Show what an index holds.
    Stats(StatsArgs),
    /// Detect incidents and write a report (JSON, Markdown or self-contained HTML).
    Report(ReportArgs),
    /// Generate posts and ground truth from a scenario.
    Simulate(SimulateArgs),
    /// Score a report against a simulation's ground truth.
    Eval(EvalArgs),
    /// Simulate the 2021 Meta outage, index it, write the HTML report and print the incidents.
    Demo(DemoArgs),
    /// Check a live-ingest config and try each source once (dry run).
    Sources(SourcesArgs),
}

/// `outcry ingest`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  outcry ingest --index idx --jsonl posts.jsonl.gz\n  outcry ingest --index idx --config sources.toml --metrics 127.0.0.1:9464"
)]
pub struct IngestArgs {
    /// The index directory (created when absent).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// A file of post records, one JSON object per line (.jsonl or .jsonl.gz). Repeatable.
    #[arg(
        long,
        value_name = "PATH",
        required_unless_present = "config",
        conflicts_with = "config"
    )]
    pub jsonl: Vec<PathBuf>,
    /// Stop at the first bad line (exit 1) instead of counting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// A TOML file of live sources; runs until SIGINT or SIGTERM.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Serve Prometheus metrics on this address while live-ingesting (e.g. 127.0.0.1:9464).
    #[arg(long, value_name = "ADDR", requires = "config")]
    pub metrics: Option<String>,
    /// Commit at least this often, in seconds.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub commit_interval: f64,
    /// Commit after this many new documents.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub commit_docs: usize,
    /// Memory for the index writer, in MB.
    #[arg(long, default_value_t = 200, value_name = "MB")]
    pub writer_memory: usize,
}

/// Sort order of search hits.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SortArg {
    /// Newest first.
    Time,
    /// Best match first.
    Relevance,
}

/// Output format of `search`, `stats` and `eval`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TextOrJson {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// `outcry search`.
#[derive(Debug, Args)]
#[command(
    after_help = "Query syntax (tantivy): words, \"exact phrases\", AND, OR, NOT, +must, -mustnot, field:value.\nFields: text, platforms, regions, lang, symptoms, providers, kind, complaint and recovery (true/false); keyword values match in any case (regions:br = regions:BR).\nExamples:\n  outcry search --index idx \"not working\" --platform whatsapp --from 2h\n  outcry search --index idx 'caido OR \"fora do ar\"' --region BR --complaints --format json"
)]
pub struct SearchArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Only posts at or after this time (RFC 3339, date, or a span before now such as 2h, 3d).
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// Only posts before this time.
    #[arg(long, value_name = "T")]
    pub to: Option<String>,
    /// Only posts about this platform id (e.g. whatsapp).
    #[arg(long, value_name = "ID")]
    pub platform: Option<String>,
    /// Only posts in this language (ISO 639-1).
    #[arg(long, value_name = "L")]
    pub lang: Option<String>,
    /// Only posts from this region (ISO 3166 code: BR, US-NY).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// Only complaints.
    #[arg(long)]
    pub complaints: bool,
    /// How many hits to show.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Order of hits (default: relevance when there is a query, time otherwise).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// The query; empty matches every post that passes the filters.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
}

/// `outcry classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// The file of post records (.jsonl or .jsonl.gz); standard input when absent.
    #[arg(long, value_name = "PATH")]
    pub jsonl: Option<PathBuf>,
    /// Add an `explain` object saying which phrase, platform alias and rule decided.
    #[arg(long)]
    pub explain: bool,
    /// Stop at the first bad line (exit 1) instead of printing an error object for it.
    #[arg(long)]
    pub strict: bool,
}

/// `outcry stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// The JSON contract, for programs.
    Json,
    /// Markdown, for people and chat.
    Md,
    /// One self-contained HTML file with charts.
    Html,
}

/// `outcry report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  outcry report --index idx --format html --out report.html\n  outcry report --index idx --from 6h --platform whatsapp --format json"
)]
pub struct ReportArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Start of the window (default: 7 days before its end, or the first post).
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// End of the window; incidents are those detected by then (default: the last post).
    #[arg(long, value_name = "T")]
    pub to: Option<String>,
    /// Only incidents of this platform id.
    #[arg(long, value_name = "ID")]
    pub platform: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// `outcry simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A bundled scenario name (see data/scenarios/) or a scenario file.
    #[arg(long, value_name = "NAME|FILE")]
    pub scenario: String,
    /// Random seed: the same seed gives the same posts.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output directory for posts.jsonl.gz and truth.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `outcry eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// truth.json written by `outcry simulate`.
    #[arg(long, value_name = "FILE")]
    pub truth: PathBuf,
    /// A JSON report written by `outcry report --format json`.
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// `outcry demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to put the simulated posts, the index and the report.
    #[arg(long, value_name = "DIR", default_value = "demo-out")]
    pub out: PathBuf,
    /// The bundled scenario to run.
    #[arg(long, default_value = "meta-2021")]
    pub scenario: String,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `outcry sources`.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// The TOML file of live sources.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
}

/// Sets up logging to stderr: warnings by default, more with `-v`; `RUST_LOG` overrides.
pub fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
