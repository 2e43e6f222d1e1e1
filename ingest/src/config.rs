//! The ingest configuration file: a TOML list of `[[source]]` tables, each with a `kind`, a
//! `url` and the options of its kind. Everything is checked here, before any source starts:
//! unknown keys, missing keys, keys that do not apply to the kind, bad values and unset secret
//! variables are errors that name the file, the line, the key and a fix.
//!
//! Secrets never live in the file: the file names environment variables
//! (`client_secret_env = "REDDIT_SECRET"`) and their values are held in [`Secret`], whose
//! `Debug` and `Display` print nothing of the value. This module does no I/O beyond reading the
//! file and the environment.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A secret read from the environment. Printing it (`{:?}` or `{}`) never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    variable: String,
    value: String,
}

impl Secret {
    /// A secret `value` read from environment variable `variable`.
    pub fn new(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Secret {
            variable: variable.into(),
            value: value.into(),
        }
    }

    /// The value, for the one place that sends it (an auth header or form).
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The name of the environment variable it came from (safe to print).
    pub fn variable(&self) -> &str {
        &self.variable
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(${}: <redacted>)", self.variable)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<secret from ${}>", self.variable)
    }
}

/// A configuration error: where it is, which key, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The configuration file.
    pub file: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The key at fault, when there is one.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        write!(f, "{}; fix: {}", self.message, self.fix)
    }
}

/// Which network a source reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A Mastodon instance's REST timelines.
    Mastodon,
    /// The Bluesky Jetstream firehose (WebSocket).
    Jetstream,
    /// Hacker News through the Algolia search API.
    Hackernews,
    /// Reddit's OAuth API.
    Reddit,
    /// A Lemmy instance.
    Lemmy,
    /// Nostr relays (NIP-01 over WebSocket).
    Nostr,
    /// An RSS or Atom feed.
    Rss,
    /// An Atlassian-Statuspage-style status page (official incidents).
    Statuspage,
    /// A file or stdin of post records, tailed.
    Jsonl,
}

impl SourceKind {
    /// The kind as written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Mastodon => "mastodon",
            SourceKind::Jetstream => "jetstream",
            SourceKind::Hackernews => "hackernews",
            SourceKind::Reddit => "reddit",
            SourceKind::Lemmy => "lemmy",
            SourceKind::Nostr => "nostr",
            SourceKind::Rss => "rss",
            SourceKind::Statuspage => "statuspage",
            SourceKind::Jsonl => "jsonl",
        }
    }

    /// The keys this kind accepts besides the common ones.
    fn own_keys(self) -> &'static [&'static str] {
        match self {
            SourceKind::Mastodon => &["timeline", "hashtags", "limit", "access_token_env"],
            SourceKind::Jetstream => &["rewind"],
            SourceKind::Hackernews => &["query", "tags", "limit", "overlap"],
            SourceKind::Reddit => &[
                "subreddits",
                "searches",
                "limit",
                "client_id_env",
                "client_secret_env",
                "token_url",
            ],
            SourceKind::Lemmy => &["comments", "limit"],
            SourceKind::Nostr => &["relays", "rewind"],
            SourceKind::Rss => &[],
            SourceKind::Statuspage => &["platform"],
            SourceKind::Jsonl => &[],
        }
    }

    fn uses_websocket(self) -> bool {
        matches!(self, SourceKind::Jetstream | SourceKind::Nostr)
    }

    /// Polite default poll interval for polling kinds.
    fn default_poll_interval(self) -> f64 {
        match self {
            SourceKind::Mastodon | SourceKind::Lemmy | SourceKind::Reddit => 30.0,
            SourceKind::Hackernews => 30.0,
            SourceKind::Rss | SourceKind::Statuspage => 60.0,
            SourceKind::Jsonl => 1.0,
            SourceKind::Jetstream | SourceKind::Nostr => 0.0,
        }
    }

    /// The documented request budget per host.
    fn default_requests_per_minute(self) -> f64 {
        match self {
            // 300 requests per 5 minutes per IP.
            SourceKind::Mastodon => 60.0,
            SourceKind::Reddit => 100.0,
            // About 10,000 per hour per IP.
            SourceKind::Hackernews => 150.0,
            SourceKind::Lemmy => 60.0,
            SourceKind::Rss | SourceKind::Statuspage => 10.0,
            SourceKind::Jetstream | SourceKind::Nostr | SourceKind::Jsonl => 60.0,
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which posts a source passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// Only posts that mention a catalog platform (the caller's mention filter decides).
    #[default]
    Mentions,
    /// Every post.
    All,
}

/// Which Mastodon timeline to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MastodonTimeline {
    /// The federated timeline (`/api/v1/timelines/public`).
    #[default]
    Public,
    /// Only this instance's posts (`local=true`).
    Local,
    /// Only other instances' posts (`remote=true`).
    Remote,
    /// No public timeline: hashtags only.
    None,
}

/// Options that only one kind has.
#[derive(Debug, Clone, PartialEq)]
pub enum KindOptions {
    /// `mastodon`.
    Mastodon {
        /// The public timeline variant, or none.
        timeline: MastodonTimeline,
        /// Hashtag timelines (without `#`).
        hashtags: Vec<String>,
        /// Statuses per request (Mastodon allows up to 40).
        limit: u32,
        /// A bearer token, for instances that require one for public timelines.
        access_token: Option<Secret>,
    },
    /// `jetstream`.
    Jetstream {
        /// How far before the saved cursor to resume, so that no event is missed.
        rewind: Duration,
    },
    /// `hackernews`.
    Hackernews {
        /// The Algolia full-text query (empty: everything).
        query: String,
        /// `story`, `comment` or both.
        tags: Vec<String>,
        /// Hits per request (at most 1000).
        limit: u32,
        /// How far back each slice reaches before the cursor, for items indexed late.
        overlap: Duration,
    },
    /// `reddit`.
    Reddit {
        /// Subreddits whose `new` listing is read (without `r/`).
        subreddits: Vec<String>,
        /// Search queries (`/search?sort=new`).
        searches: Vec<String>,
        /// Items per request (at most 100).
        limit: u32,
        /// The OAuth client id.
        client_id: Secret,
        /// The OAuth client secret.
        client_secret: Secret,
        /// Where tokens are requested.
        token_url: String,
    },
    /// `lemmy`.
    Lemmy {
        /// Read comments as well as posts.
        comments: bool,
        /// Items per request (at most 50).
        limit: u32,
    },
    /// `nostr`.
    Nostr {
        /// Relays besides `url`.
        relays: Vec<String>,
        /// How far before the saved cursor to resume.
        rewind: Duration,
    },
    /// `rss`.
    Rss,
    /// `statuspage`.
    Statuspage {
        /// The catalog platform the page speaks for.
        platform: String,
    },
    /// `jsonl`.
    Jsonl {
        /// The file to tail; `None` reads stdin.
        path: Option<PathBuf>,
    },
}

/// One checked source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceConfig {
    /// Checkpoint stream key and the `source` field of its posts.
    pub name: String,
    /// The network.
    pub kind: SourceKind,
    /// Base URL of the API, WebSocket URL, feed URL, or file path (`-` = stdin) for `jsonl`.
    pub url: String,
    /// Which posts are passed on.
    pub keep: Keep,
    /// An ISO 3166 code suggested for every post (an instance's home country).
    pub region_hint: Option<String>,
    /// Pause between polling rounds.
    pub poll_interval: Duration,
    /// Timeout of one request (or of silence on a WebSocket).
    pub timeout: Duration,
    /// Largest response body accepted.
    pub max_response_bytes: usize,
    /// Request budget for this source's host.
    pub requests_per_minute: f64,
    /// First retry delay after a failure; doubles up to `backoff_max`.
    pub backoff_initial: Duration,
    /// Longest retry delay.
    pub backoff_max: Duration,
    /// The User-Agent sent.
    pub user_agent: String,
    /// Options of this kind.
    pub options: KindOptions,
    /// Line of the `[[source]]` header in the file.
    pub line: usize,
}

impl SourceConfig {
    /// The host of `url` (the path for `jsonl`).
    pub fn host(&self) -> String {
        host_of(&self.url).unwrap_or_else(|| self.url.clone())
    }
}

/// The whole checked configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestConfig {
    /// The file it was read from.
    pub file: PathBuf,
    /// The sources, in file order.
    pub sources: Vec<SourceConfig>,
}

/// The default User-Agent: services such as Reddit require a descriptive one.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "outcry/",
    env!("CARGO_PKG_VERSION"),
    " (outage detection from public posts; +https://github.com/outcry)"
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    source: Vec<toml::Spanned<RawSource>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    kind: SourceKind,
    url: String,
    name: Option<String>,
    keep: Option<Keep>,
    region_hint: Option<String>,
    poll_interval: Option<f64>,
    timeout: Option<f64>,
    max_response_bytes: Option<u64>,
    requests_per_minute: Option<f64>,
    backoff_initial: Option<f64>,
    backoff_max: Option<f64>,
    user_agent: Option<String>,
    // Kind-specific keys: checked against the kind below.
    timeline: Option<MastodonTimeline>,
    hashtags: Option<Vec<String>>,
    limit: Option<u32>,
    access_token_env: Option<String>,
    rewind: Option<f64>,
    query: Option<String>,
    tags: Option<Vec<String>>,
    overlap: Option<f64>,
    subreddits: Option<Vec<String>>,
    searches: Option<Vec<String>>,
    client_id_env: Option<String>,
    client_secret_env: Option<String>,
    token_url: Option<String>,
    comments: Option<bool>,
    relays: Option<Vec<String>>,
    platform: Option<String>,
}

impl RawSource {
    /// The kind-specific keys that are set, by name.
    fn set_kind_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let mut note = |set: bool, key: &'static str| {
            if set {
                keys.push(key);
            }
        };
        note(self.timeline.is_some(), "timeline");
        note(self.hashtags.is_some(), "hashtags");
        note(self.limit.is_some(), "limit");
        note(self.access_token_env.is_some(), "access_token_env");
        note(self.rewind.is_some(), "rewind");
        note(self.query.is_some(), "query");
        note(self.tags.is_some(), "tags");
        note(self.overlap.is_some(), "overlap");
        note(self.subreddits.is_some(), "subreddits");
        note(self.searches.is_some(), "searches");
        note(self.client_id_env.is_some(), "client_id_env");
        note(self.client_secret_env.is_some(), "client_secret_env");
        note(self.token_url.is_some(), "token_url");
        note(self.comments.is_some(), "comments");
        note(self.relays.is_some(), "relays");
        note(self.platform.is_some(), "platform");
        keys
    }
}

fn host_of(url: &str) -> Option<String> {
    reqwest::Url::parse(url).ok().and_then(|u| {
        u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// Validation context for one `[[source]]` table.
struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    span: std::ops::Range<usize>,
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl Checker<'_> {
    /// The line where `key` is set inside this table, or the table's first line.
    fn key_line(&self, key: &str) -> usize {
        let table = &self.text[self.span.clone()];
        let mut offset = 0;
        for line in table.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key)
                && rest.trim_start().starts_with('=')
            {
                return line_of(self.text, self.span.start + offset);
            }
            offset += line.len();
        }
        line_of(self.text, self.span.start)
    }

    fn error(
        &self,
        key: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            line: Some(match key {
                Some(k) => self.key_line(k),
                None => line_of(self.text, self.span.start),
            }),
            key: key.map(str::to_string),
            message: message.into(),
            fix: fix.into(),
        }
    }

    fn seconds(
        &self,
        key: &str,
        value: Option<f64>,
        default: f64,
        allow_zero: bool,
    ) -> Result<Duration, ConfigError> {
        let v = value.unwrap_or(default);
        if !v.is_finite() || v < 0.0 || (!allow_zero && v == 0.0) || v > 7.0 * 86400.0 {
            return Err(self.error(
                Some(key),
                format!("{v} is not a usable number of seconds"),
                "give a positive number of seconds, at most a week (e.g. 30 or 0.5)",
            ));
        }
        Ok(Duration::from_secs_f64(v))
    }

    fn secret(
        &self,
        key: &str,
        variable: Option<&String>,
        required: bool,
    ) -> Result<Option<Secret>, ConfigError> {
        let Some(variable) = variable else {
            if required {
                return Err(self.error(
                    None,
                    format!("missing required key `{key}`"),
                    format!("add `{key} = \"NAME\"` naming the environment variable that holds it"),
                ));
            }
            return Ok(None);
        };
        let valid_name = !variable.is_empty()
            && variable
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !variable.as_bytes()[0].is_ascii_digit();
        if !valid_name {
            return Err(self.error(
                Some(key),
                format!("{variable:?} is not an environment variable name"),
                "name the variable that holds the secret (letters, digits, `_`), never the secret itself",
            ));
        }
        match (self.env)(variable) {
            Some(value) if !value.trim().is_empty() => {
                Ok(Some(Secret::new(variable.clone(), value.trim())))
            }
            _ => Err(self.error(
                Some(key),
                format!("environment variable {variable} is not set or empty"),
                format!("export {variable}=... before starting outcry"),
            )),
        }
    }

    fn url(&self, key: &str, url: &str, websocket: bool) -> Result<(), ConfigError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            self.error(
                Some(key),
                format!("{url:?} is not a URL ({e})"),
                "write a full URL such as https://mastodon.social",
            )
        })?;
        let ok = if websocket {
            matches!(parsed.scheme(), "ws" | "wss")
        } else {
            matches!(parsed.scheme(), "http" | "https")
        };
        if !ok || parsed.host_str().is_none() {
            let want = if websocket {
                "ws:// or wss://"
            } else {
                "http:// or https://"
            };
            return Err(self.error(
                Some(key),
                format!("{url:?} is not an {want} URL with a host"),
                format!("use an {want} URL"),
            ));
        }
        Ok(())
    }
}

fn names_list(items: &[String], key: &str, c: &Checker<'_>) -> Result<Vec<String>, ConfigError> {
    let mut out = Vec::new();
    for item in items {
        let item = item
            .trim()
            .trim_start_matches('#')
            .trim_start_matches("r/")
            .to_string();
        if item.is_empty() || item.contains(['/', '?', '&', ' ']) {
            return Err(c.error(
                Some(key),
                format!("{item:?} is not a plain name"),
                "list plain names such as \"outage\" (no #, r/, spaces or slashes)",
            ));
        }
        out.push(item);
    }
    Ok(out)
}

impl IngestConfig {
    /// Reads and checks `path`, taking secrets from the process environment.
    pub fn load(path: &Path) -> Result<IngestConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            line: None,
            key: None,
            message: format!("cannot read the config file ({e})"),
            fix: "give the path of a readable TOML file (see docs/INGEST.md)".into(),
        })?;
        IngestConfig::parse(&text, path, &|name| std::env::var(name).ok())
    }

    /// Checks config `text` (read from `file`, used in messages); `env` looks up secret variables.
    pub fn parse(
        text: &str,
        file: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<IngestConfig, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let message = e.message().trim().to_string();
            let key = message
                .split('`')
                .nth(1)
                .filter(|_| message.contains("field"))
                .map(str::to_string);
            let fix = if message.starts_with("unknown field") {
                "remove or correct the key (docs/INGEST.md lists every key)"
            } else if message.starts_with("missing field") {
                "add the key to this [[source]] table"
            } else if message.contains("unknown variant") {
                "use one of the values listed"
            } else {
                "correct the TOML at this line (docs/INGEST.md has a complete example)"
            };
            ConfigError {
                file: file.to_path_buf(),
                line,
                key,
                message,
                fix: fix.into(),
            }
        })?;
        if raw.source.is_empty() {
            return Err(ConfigError {
                file: file.to_path_buf(),
                line: None,
                key: None,
                message: "no [[source]] table".into(),
                fix: "add at least one [[source]] with `kind` and `url` (see data/ingest.example.toml)".into(),
            });
        }
        let mut sources = Vec::new();
        let mut names = BTreeSet::new();
        for spanned in raw.source {
            // The span may cover only the `[[source]]` header: the table runs to the next header.
            let start = spanned.span().start;
            let end = text[start..]
                .match_indices('\n')
                .map(|(i, _)| start + i + 1)
                .find(|&i| text[i..].trim_start_matches([' ', '\t']).starts_with('['))
                .unwrap_or(text.len());
            let span = start..end.max(spanned.span().end);
            let checker = Checker {
                file,
                text,
                span: span.clone(),
                env,
            };
            let source = check_source(spanned.into_inner(), &checker)?;
            if !names.insert(source.name.clone()) {
                return Err(checker.error(
                    Some("name"),
                    format!("two sources are named {:?}", source.name),
                    "give each source its own `name` (it keys the resume position)",
                ));
            }
            sources.push(source);
        }
        Ok(IngestConfig {
            file: file.to_path_buf(),
            sources,
        })
    }

    /// Checks every `statuspage` source's `platform` against the catalog (`known` says whether
    /// an id exists), so that a typo stops the start instead of filing incidents under nothing.
    pub fn check_platforms(&self, known: &dyn Fn(&str) -> bool) -> Result<(), ConfigError> {
        for s in &self.sources {
            if let KindOptions::Statuspage { platform } = &s.options
                && !known(platform)
            {
                return Err(ConfigError {
                    file: self.file.clone(),
                    line: Some(s.line),
                    key: Some("platform".into()),
                    message: format!("{platform:?} is not a platform id of the catalog"),
                    fix: "use a platform id from data/platforms.toml, such as \"github\"".into(),
                });
            }
        }
        Ok(())
    }
}

fn check_source(raw: RawSource, c: &Checker<'_>) -> Result<SourceConfig, ConfigError> {
    let kind = raw.kind;
    for key in raw.set_kind_keys() {
        if !kind.own_keys().contains(&key) {
            let allowed = kind.own_keys().join(", ");
            return Err(c.error(
                Some(key),
                format!("`{key}` does not apply to kind \"{kind}\""),
                if allowed.is_empty() {
                    "remove it (this kind has only the common keys)".to_string()
                } else {
                    format!("remove it (keys of {kind}: {allowed})")
                },
            ));
        }
    }
    let url = raw.url.trim().to_string();
    if kind == SourceKind::Jsonl {
        if url.is_empty() {
            return Err(c.error(
                Some("url"),
                "empty path",
                "give a file path, or \"-\" for stdin",
            ));
        }
    } else {
        c.url("url", &url, kind.uses_websocket())?;
    }
    let name = match raw.name {
        Some(n) => {
            let n = n.trim().to_string();
            if n.is_empty() || n.chars().any(char::is_whitespace) {
                return Err(c.error(
                    Some("name"),
                    format!("{n:?} is not a usable source name"),
                    "use a short name without spaces, e.g. \"mastodon:social\"",
                ));
            }
            n
        }
        None => match kind {
            SourceKind::Jsonl => format!("jsonl:{url}"),
            _ => format!("{kind}:{}", host_of(&url).unwrap_or_default()),
        },
    };
    let region_hint = match raw.region_hint {
        None => None,
        Some(r) => {
            let r = r.trim().to_ascii_uppercase();
            let (country, sub) = r
                .split_once('-')
                .map_or((r.as_str(), None), |(a, b)| (a, Some(b)));
            let ok = country.len() == 2
                && country.bytes().all(|b| b.is_ascii_uppercase())
                && sub.is_none_or(|s| {
                    !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_alphanumeric())
                });
            if !ok {
                return Err(c.error(
                    Some("region_hint"),
                    format!("{r:?} is not an ISO 3166 code"),
                    "use a country code such as \"DE\" or a subdivision such as \"US-NY\"",
                ));
            }
            Some(r)
        }
    };
    let requests_per_minute = raw
        .requests_per_minute
        .unwrap_or(kind.default_requests_per_minute());
    if !requests_per_minute.is_finite()
        || requests_per_minute <= 0.0
        || requests_per_minute > 100_000.0
    {
        return Err(c.error(
            Some("requests_per_minute"),
            format!("{requests_per_minute} is not a usable request budget"),
            "give a positive number of requests per minute (the service's documented limit)",
        ));
    }
    let max_response_bytes = raw.max_response_bytes.unwrap_or(16 << 20);
    if !(1024..=1 << 30).contains(&max_response_bytes) {
        return Err(c.error(
            Some("max_response_bytes"),
            format!("{max_response_bytes} is out of range"),
            "give a size between 1024 and 1073741824 bytes",
        ));
    }
    let backoff_initial = c.seconds("backoff_initial", raw.backoff_initial, 1.0, false)?;
    let backoff_max = c.seconds("backoff_max", raw.backoff_max, 300.0, false)?;
    if backoff_max < backoff_initial {
        return Err(c.error(
            Some("backoff_max"),
            "backoff_max is shorter than backoff_initial",
            "make backoff_max at least backoff_initial",
        ));
    }
    let limit_in = |max: u32, default: u32| -> Result<u32, ConfigError> {
        let v = raw.limit.unwrap_or(default);
        if v == 0 || v > max {
            return Err(c.error(
                Some("limit"),
                format!("{v} is out of range for {kind}"),
                format!("give a number from 1 to {max}"),
            ));
        }
        Ok(v)
    };
    let options = match kind {
        SourceKind::Mastodon => {
            let timeline = raw.timeline.unwrap_or_default();
            let hashtags = names_list(raw.hashtags.as_deref().unwrap_or(&[]), "hashtags", c)?;
            if timeline == MastodonTimeline::None && hashtags.is_empty() {
                return Err(c.error(
                    Some("timeline"),
                    "timeline = \"none\" and no hashtags: nothing to read",
                    "list some `hashtags`, or choose timeline \"public\", \"local\" or \"remote\"",
                ));
            }
            KindOptions::Mastodon {
                timeline,
                hashtags,
                limit: limit_in(40, 40)?,
                access_token: c.secret("access_token_env", raw.access_token_env.as_ref(), false)?,
            }
        }
        SourceKind::Jetstream => KindOptions::Jetstream {
            rewind: c.seconds("rewind", raw.rewind, 5.0, true)?,
        },
        SourceKind::Hackernews => {
            let tags = raw
                .tags
                .unwrap_or_else(|| vec!["story".into(), "comment".into()]);
            if tags.is_empty() || tags.iter().any(|t| t != "story" && t != "comment") {
                return Err(c.error(
                    Some("tags"),
                    format!("{tags:?} is not a list of \"story\" and \"comment\""),
                    "use tags = [\"story\", \"comment\"] or one of them",
                ));
            }
            KindOptions::Hackernews {
                query: raw.query.unwrap_or_default(),
                tags,
                limit: limit_in(1000, 100)?,
                overlap: c.seconds("overlap", raw.overlap, 60.0, true)?,
            }
        }
        SourceKind::Reddit => {
            let subreddits = names_list(raw.subreddits.as_deref().unwrap_or(&[]), "subreddits", c)?;
            let searches: Vec<String> = raw.searches.unwrap_or_default();
            if subreddits.is_empty() && searches.is_empty() {
                return Err(c.error(
                    None,
                    "a reddit source needs `subreddits` or `searches`",
                    "add subreddits = [\"sysadmin\"] or searches = [\"is down\"]",
                ));
            }
            if searches.iter().any(|s| s.trim().is_empty()) {
                return Err(c.error(
                    Some("searches"),
                    "an empty search query",
                    "remove the empty entry",
                ));
            }
            let token_url = raw
                .token_url
                .unwrap_or_else(|| "https://www.reddit.com/api/v1/access_token".into());
            c.url("token_url", &token_url, false)?;
            KindOptions::Reddit {
                subreddits,
                searches,
                limit: limit_in(100, 100)?,
                client_id: c
                    .secret("client_id_env", raw.client_id_env.as_ref(), true)?
                    .expect("required secret"),
                client_secret: c
                    .secret("client_secret_env", raw.client_secret_env.as_ref(), true)?
                    .expect("required secret"),
                token_url,
            }
        }
        SourceKind::Lemmy => KindOptions::Lemmy {
            comments: raw.comments.unwrap_or(true),
            limit: limit_in(50, 50)?,
        },
        SourceKind::Nostr => {
            let relays = raw.relays.unwrap_or_default();
            for relay in &relays {
                c.url("relays", relay, true)?;
            }
            KindOptions::Nostr {
                relays,
                rewind: c.seconds("rewind", raw.rewind, 60.0, true)?,
            }
        }
        SourceKind::Rss => KindOptions::Rss,
        SourceKind::Statuspage => {
            let Some(platform) = raw
                .platform
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
            else {
                return Err(c.error(
                    None,
                    "missing required key `platform`",
                    "add platform = \"<catalog id>\", e.g. platform = \"github\"",
                ));
            };
            KindOptions::Statuspage { platform }
        }
        SourceKind::Jsonl => KindOptions::Jsonl {
            path: (url != "-").then(|| PathBuf::from(url.strip_prefix("file://").unwrap_or(&url))),
        },
    };
    let poll_default = kind.default_poll_interval();
    let poll_interval = if kind.uses_websocket() {
        c.seconds("poll_interval", raw.poll_interval, 1.0, false)?
    } else {
        c.seconds("poll_interval", raw.poll_interval, poll_default, false)?
    };
    Ok(SourceConfig {
        name,
        kind,
        url,
        keep: raw.keep.unwrap_or_default(),
        region_hint,
        poll_interval,
        timeout: c.seconds("timeout", raw.timeout, 30.0, false)?,
        max_response_bytes: max_response_bytes as usize,
        requests_per_minute,
        backoff_initial,
        backoff_max,
        user_agent: raw
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
        options,
        line: line_of(c.text, c.span.start),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<IngestConfig, ConfigError> {
        IngestConfig::parse(text, Path::new("ingest.toml"), &|name| {
            (name == "REDDIT_SECRET" || name == "REDDIT_ID").then(|| "hunter2-value".to_string())
        })
    }

    #[test]
    fn defaults_and_names() {
        let c = parse(
            "[[source]]\nkind = \"mastodon\"\nurl = \"https://mastodon.social\"\nhashtags = [\"#outage\"]\n\n[[source]]\nkind = \"jsonl\"\nurl = \"-\"\n",
        )
        .unwrap();
        assert_eq!(c.sources[0].name, "mastodon:mastodon.social");
        assert_eq!(c.sources[0].keep, Keep::Mentions);
        assert_eq!(c.sources[0].line, 1);
        assert!(
            matches!(&c.sources[0].options, KindOptions::Mastodon { hashtags, limit: 40, .. } if hashtags == &["outage"])
        );
        assert_eq!(c.sources[1].options, KindOptions::Jsonl { path: None });
        assert_eq!(c.sources[1].line, 6);
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e =
            parse("[[source]]\nkind = \"mastodon\"\nurl = \"https://a.b\"\nhashtagz = [\"x\"]\n")
                .unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert_eq!(e.key.as_deref(), Some("hashtagz"));
        assert!(
            e.to_string().starts_with("ingest.toml:4: key `hashtagz`"),
            "{e}"
        );
    }

    #[test]
    fn missing_kind_and_bad_values() {
        let e = parse("[[source]]\nurl = \"https://a.b\"\n").unwrap_err();
        assert!(e.message.contains("kind"), "{e}");
        let e = parse("[[source]]\nkind = \"myspace\"\nurl = \"https://a.b\"\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse("[[source]]\nkind = \"jetstream\"\nurl = \"https://a.b\"\n").unwrap_err();
        assert!(e.message.contains("ws://"), "{e}");
        let e = parse("[[source]]\nkind = \"rss\"\nurl = \"https://a.b\"\npoll_interval = -1\n")
            .unwrap_err();
        assert_eq!(
            (e.line, e.key.as_deref()),
            (Some(4), Some("poll_interval")),
            "{e}"
        );
        let e = parse("[[source]]\nkind = \"rss\"\nurl = \"https://a.b\"\n\n[[source]]\nkind = \"lemmy\"\nurl = \"https://c.d\"\nsubreddits = [\"x\"]\n").unwrap_err();
        assert_eq!(
            (e.line, e.key.as_deref()),
            (Some(8), Some("subreddits")),
            "{e}"
        );
        let e = parse("[[source]]\nkind = \"statuspage\"\nurl = \"https://a.b\"\n").unwrap_err();
        assert!(e.message.contains("platform"), "{e}");
        let e = parse("[[source]]\nkind = \"rss\"\nurl = \"https://a.b\"\n[[source]]\nkind = \"rss\"\nurl = \"https://a.b/x\"\n").unwrap_err();
        assert!(e.message.contains("two sources"), "{e}");
    }

    #[test]
    fn secrets_come_from_env_and_never_print() {
        let c = parse("[[source]]\nkind = \"reddit\"\nurl = \"https://oauth.reddit.com\"\nsubreddits = [\"sysadmin\"]\nclient_id_env = \"REDDIT_ID\"\nclient_secret_env = \"REDDIT_SECRET\"\n").unwrap();
        let debug = format!("{c:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("REDDIT_SECRET"));
        let e = parse("[[source]]\nkind = \"reddit\"\nurl = \"https://oauth.reddit.com\"\nsubreddits = [\"sysadmin\"]\nclient_id_env = \"REDDIT_ID\"\nclient_secret_env = \"NOT_SET\"\n").unwrap_err();
        assert_eq!(
            (e.line, e.key.as_deref()),
            (Some(6), Some("client_secret_env")),
            "{e}"
        );
        assert!(e.fix.contains("export NOT_SET"));
    }

    #[test]
    fn platforms_are_checked_against_the_catalog() {
        let c = parse("[[source]]\nkind = \"statuspage\"\nurl = \"https://www.githubstatus.com\"\nplatform = \"githb\"\n").unwrap();
        let e = c.check_platforms(&|id| id == "github").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("platform"));
    }
}
