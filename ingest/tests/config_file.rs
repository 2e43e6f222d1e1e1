//! The example config parses, and config errors name file, line, key and fix.

use outcry_ingest::{IngestConfig, SourceKind};
use std::path::Path;

#[test]
fn the_shipped_example_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ingest.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let config = IngestConfig::parse(&text, &path, &|_| Some("set".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<SourceKind> = config.sources.iter().map(|s| s.kind).collect();
    for kind in [
        SourceKind::Mastodon,
        SourceKind::Jetstream,
        SourceKind::Hackernews,
        SourceKind::Reddit,
        SourceKind::Lemmy,
        SourceKind::Nostr,
        SourceKind::Rss,
        SourceKind::Statuspage,
        SourceKind::Jsonl,
    ] {
        assert!(kinds.contains(&kind), "the example shows {kind}");
    }
    // Without the secret variables the reddit source is refused, naming the variable only.
    let err = IngestConfig::parse(&text, &path, &|_| None).unwrap_err();
    assert!(err.to_string().contains("REDDIT_CLIENT_"), "{err}");
}

#[test]
fn a_misspelt_key_is_rejected_with_its_line() {
    let text = "# comment\n[[source]]\nkind = \"rss\"\nurl = \"https://example.org/feed\"\npoll_intervall = 60\n";
    let err = IngestConfig::parse(text, Path::new("my.toml"), &|_| None).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("my.toml:5: key `poll_intervall`"),
        "{message}"
    );
    assert!(message.contains("fix:"), "{message}");
}
