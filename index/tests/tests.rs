//! Behaviour of the index crate against a real tantivy index in a temporary directory.

use chrono::{DateTime, Duration, TimeZone, Utc};
use outcry_index::{Error, PostIndex, SearchRequest, SortOrder};
use outcry_model::{
    AuthorHash, Classification, MentionTally, OfficialIncident, Post, PostKind, Symptom,
    VolumeCount,
};

const BUDGET: usize = 30_000_000;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 10, 4, 15, 0, 0).unwrap() + Duration::minutes(minute)
}

fn post(source: &str, id: &str, minute: i64, text: &str, lang: &str) -> Post {
    Post {
        source: source.into(),
        id: id.into(),
        created_at: at(minute),
        kind: PostKind::Post,
        service: None,
        text: text.into(),
        lang: Some(lang.into()),
        author: Some(AuthorHash(1000 + minute as u64)),
        location: None,
        geo: None,
        url: None,
        region_hint: None,
    }
}

fn class(platforms: &[&str], complaint: bool, lang: &str, regions: &[&str]) -> Classification {
    Classification {
        platforms: platforms.iter().map(|s| s.to_string()).collect(),
        providers: if platforms.contains(&"whatsapp") {
            vec!["meta".into()]
        } else {
            vec![]
        },
        complaint,
        recovery: false,
        symptoms: if complaint {
            vec![Symptom::Messaging]
        } else {
            vec![]
        },
        lang: lang.into(),
        regions: regions.iter().map(|s| s.to_string()).collect(),
    }
}

/// A small corpus: (post, classification).
fn corpus() -> Vec<(Post, Classification)> {
    vec![
        (
            post("jsonl", "1", 0, "WhatsApp isn't working for me", "en"),
            class(&["whatsapp"], true, "en", &["US"]),
        ),
        (
            post("jsonl", "2", 1, "instagram stopped working again", "en"),
            class(&["instagram"], true, "en", &[]),
        ),
        (
            post("jsonl", "3", 2, "o whatsapp está caído aqui em SP", "pt"),
            class(&["whatsapp"], true, "pt", &["BR", "BR-SP"]),
        ),
        (
            post(
                "jsonl",
                "4",
                3,
                "¿Se cayó WhatsApp? la app está caída",
                "es",
            ),
            class(&["whatsapp"], true, "es", &["MX"]),
        ),
        (
            post(
                "jsonl",
                "5",
                4,
                "loving the new whatsapp update, works great",
                "en",
            ),
            class(&["whatsapp"], false, "en", &[]),
        ),
        (
            post(
                "mastodon",
                "1",
                5,
                "Is youtube down? videos not loading",
                "en",
            ),
            class(&["youtube"], true, "en", &["GB"]),
        ),
        (
            post("mastodon", "2", 6, "LINEが繋がらない", "ja"),
            class(&["line"], true, "ja", &["JP"]),
        ),
    ]
}

fn filled_index(dir: &std::path::Path) -> PostIndex {
    let index = PostIndex::create_or_open(dir).unwrap();
    let mut writer = index.writer(BUDGET).unwrap();
    for (p, c) in corpus() {
        assert!(writer.add_post(&p, &c).unwrap());
    }
    writer.commit().unwrap();
    index
}

fn ids(index: &PostIndex, req: &SearchRequest) -> Vec<String> {
    let mut found: Vec<String> = index
        .search(req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| format!("{}/{}", h.source, h.id))
        .collect();
    found.sort();
    found
}

fn query(q: &str) -> SearchRequest {
    let mut req = SearchRequest::new(q);
    req.limit = 100;
    req
}

#[test]
fn stored_fields_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    let results = index.search(&query("caído")).unwrap();
    let hit = results.hits.iter().find(|h| h.id == "3").unwrap();
    assert_eq!(hit.source, "jsonl");
    assert_eq!(hit.created_at, at(2));
    assert_eq!(hit.text, "o whatsapp está caído aqui em SP");
    assert_eq!(hit.platforms, ["whatsapp"]);
    assert_eq!(hit.regions, ["BR", "BR-SP"]);
    assert_eq!(hit.lang, "pt");
    assert!(hit.complaint);
}

#[test]
fn duplicates_are_dropped_within_a_batch_across_commits_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (p, c) = corpus().remove(0);
    {
        let index = PostIndex::create_or_open(dir.path()).unwrap();
        let mut writer = index.writer(BUDGET).unwrap();
        assert!(writer.add_post(&p, &c).unwrap());
        assert!(!writer.add_post(&p, &c).unwrap(), "same batch");
        assert_eq!(writer.pending(), 1);
        writer.commit().unwrap();
        assert_eq!(writer.pending(), 0);
        assert!(!writer.add_post(&p, &c).unwrap(), "after commit");
        let mut other_source = p.clone();
        other_source.source = "mastodon".into();
        assert!(
            writer.add_post(&other_source, &c).unwrap(),
            "same id, other source"
        );
        writer.commit().unwrap();
        assert_eq!(index.stats().unwrap().posts, 2);
    }
    let index = PostIndex::open(dir.path()).unwrap();
    let mut writer = index.writer(BUDGET).unwrap();
    assert!(!writer.add_post(&p, &c).unwrap(), "after reopen");
    writer.commit().unwrap();
    assert_eq!(index.stats().unwrap().posts, 2);
}

#[test]
fn uncommitted_posts_are_not_kept_and_can_be_added_again() {
    let dir = tempfile::tempdir().unwrap();
    let index = PostIndex::create_or_open(dir.path()).unwrap();
    let (p, c) = corpus().remove(0);
    {
        let mut writer = index.writer(BUDGET).unwrap();
        assert!(writer.add_post(&p, &c).unwrap());
        writer.set_checkpoint("s", "lost");
        // Dropped without commit, like a crash.
    }
    assert!(index.checkpoints().unwrap().is_empty());
    let mut writer = index.writer(BUDGET).unwrap();
    assert!(writer.add_post(&p, &c).unwrap());
    writer.commit().unwrap();
    assert_eq!(index.stats().unwrap().posts, 1);
}

#[test]
fn checkpoints_are_stored_with_each_commit_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = PostIndex::create_or_open(dir.path()).unwrap();
        assert!(index.checkpoints().unwrap().is_empty());
        let mut writer = index.writer(BUDGET).unwrap();
        writer.set_checkpoint("jsonl:a.jsonl", "10");
        writer.set_checkpoint("mastodon:x", "abc");
        writer.commit().unwrap();
        writer.set_checkpoint("jsonl:a.jsonl", "20");
        writer.commit().unwrap();
        assert_eq!(index.checkpoints().unwrap()["jsonl:a.jsonl"], "20");
    }
    let index = PostIndex::open(dir.path()).unwrap();
    let checkpoints = index.checkpoints().unwrap();
    assert_eq!(checkpoints.len(), 2);
    assert_eq!(checkpoints["jsonl:a.jsonl"], "20");
    assert_eq!(checkpoints["mastodon:x"], "abc");
    // A new writer starts from the stored checkpoints and keeps the ones it does not touch.
    let mut writer = index.writer(BUDGET).unwrap();
    writer.set_checkpoint("jsonl:a.jsonl", "30");
    writer.commit().unwrap();
    assert_eq!(index.checkpoints().unwrap()["mastodon:x"], "abc");
    assert_eq!(index.checkpoints().unwrap()["jsonl:a.jsonl"], "30");
}

#[test]
fn not_working_finds_isnt_and_stopped_working() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    let expected = ["jsonl/1", "jsonl/2"];
    assert_eq!(ids(&index, &query("not working")), expected);
    assert_eq!(ids(&index, &query("\"not working\"")), expected);
    // The contraction itself stays exact.
    assert_eq!(ids(&index, &query("isn't")), ["jsonl/1"]);
    assert_eq!(ids(&index, &query("\"stopped working\"")), ["jsonl/2"]);
}

#[test]
fn caido_finds_accented_and_feminine_forms() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    assert_eq!(ids(&index, &query("caido")), ["jsonl/3", "jsonl/4"]);
    assert_eq!(ids(&index, &query("CAÍDA")), ["jsonl/3", "jsonl/4"]);
}

#[test]
fn japanese_substrings_are_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    assert_eq!(ids(&index, &query("繋がらない")), ["mastodon/2"]);
    assert_eq!(ids(&index, &query("line")), ["mastodon/2"]);
}

#[test]
fn boolean_operators_and_field_filters_in_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    assert_eq!(
        ids(&index, &query("whatsapp AND NOT caido")),
        ["jsonl/1", "jsonl/5"]
    );
    assert_eq!(
        ids(&index, &query("whatsapp -caido")),
        ["jsonl/1", "jsonl/5"]
    );
    assert_eq!(
        ids(&index, &query("youtube OR instagram")),
        ["jsonl/2", "mastodon/1"]
    );
    assert_eq!(
        ids(&index, &query("platforms:whatsapp AND lang:es")),
        ["jsonl/4"]
    );
    assert_eq!(ids(&index, &query("complaint:false")), ["jsonl/5"]);
    assert_eq!(ids(&index, &query("regions:BR-SP")), ["jsonl/3"]);
    // Keywords are matched in the case they are stored in, whatever case the query uses.
    assert_eq!(ids(&index, &query("regions:br-sp")), ["jsonl/3"]);
    assert_eq!(
        ids(&index, &query("platforms:WhatsApp AND lang:ES")),
        ids(&index, &query("platforms:whatsapp AND lang:es"))
    );
    assert_eq!(ids(&index, &query("regions:(br-sp OR xx)")), ["jsonl/3"]);
}

#[test]
fn request_filters() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    let mut req = query("");
    req.platform = Some("whatsapp".into());
    assert_eq!(
        ids(&index, &req),
        ["jsonl/1", "jsonl/3", "jsonl/4", "jsonl/5"]
    );
    req.complaints_only = true;
    assert_eq!(ids(&index, &req), ["jsonl/1", "jsonl/3", "jsonl/4"]);
    req.from = Some(at(1));
    req.to = Some(at(3));
    assert_eq!(ids(&index, &req), ["jsonl/3"]);
    let mut req = query("");
    req.lang = Some("en".into());
    assert_eq!(
        ids(&index, &req),
        ["jsonl/1", "jsonl/2", "jsonl/5", "mastodon/1"]
    );
    let mut req = query("");
    req.region = Some("BR".into());
    assert_eq!(ids(&index, &req), ["jsonl/3"]);
    // Filters are not case-sensitive: ids and languages are stored in lower case, regions upper.
    req.region = Some("br-sp".into());
    req.platform = Some("WhatsApp".into());
    assert_eq!(ids(&index, &req), ["jsonl/3"]);
    let mut req = query("");
    req.lang = Some("EN".into());
    assert_eq!(ids(&index, &req).len(), 4);
}

#[test]
fn sort_by_time_or_relevance_and_total_counts_every_match() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    let mut req = query("whatsapp");
    req.limit = 2;
    let by_time = index.search(&req).unwrap();
    assert_eq!(by_time.total, 4);
    let order: Vec<&str> = by_time.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(order, ["5", "4"], "newest first");

    let mut req = query("whatsapp OR caido OR caída");
    req.sort = SortOrder::Relevance;
    let by_score = index.search(&req).unwrap();
    assert_eq!(by_score.total, 4);
    assert!(by_score.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(
        ["3", "4"].contains(&by_score.hits[0].id.as_str()),
        "{:?}",
        by_score.hits[0]
    );
    assert!(by_score.hits[0].score > 0.0);
}

#[test]
fn highlights_are_byte_ranges_of_matched_words() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    let results = index.search(&query("\"not working\"")).unwrap();
    for hit in &results.hits {
        let words: Vec<&str> = hit
            .highlights
            .iter()
            .map(|(a, b)| &hit.text[*a..*b])
            .collect();
        match hit.id.as_str() {
            "1" => assert_eq!(words, ["isn't", "working"]),
            "2" => assert_eq!(words, ["stopped", "working"]),
            other => panic!("unexpected hit {other}"),
        }
    }
    let results = index.search(&query("caido -whatsapp")).unwrap();
    assert_eq!(results.total, 0);
    let results = index.search(&query("caido whatsapp")).unwrap();
    let hit = results.hits.iter().find(|h| h.id == "4").unwrap();
    let words: Vec<&str> = hit
        .highlights
        .iter()
        .map(|(a, b)| &hit.text[*a..*b])
        .collect();
    assert_eq!(words, ["WhatsApp", "caída"]);
}

#[test]
fn a_bad_query_says_what_is_wrong_and_shows_valid_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    for bad in [
        "whatsapp AND (down",
        "nosuchfield:x",
        "created_at:yesterday",
        "NOT whatsapp",
    ] {
        let err = index.search(&query(bad)).unwrap_err();
        assert!(matches!(err, Error::Query { .. }), "{bad}: {err:?}");
        let message = err.to_string();
        assert!(message.contains(bad), "{message}");
        assert!(message.contains("for example: whatsapp AND"), "{message}");
    }
}

#[test]
fn stats_count_posts_only() {
    let dir = tempfile::tempdir().unwrap();
    let index = filled_index(dir.path());
    let mut writer = index.writer(BUDGET).unwrap();
    writer
        .add_volume(&VolumeCount {
            source: "jsonl".into(),
            minute: at(0).timestamp() / 60,
            seen: 500,
        })
        .unwrap();
    writer
        .add_official(&official("1", "investigating", None))
        .unwrap();
    writer.commit().unwrap();

    let stats = index.stats().unwrap();
    assert_eq!(stats.posts, 7);
    assert_eq!(stats.first_post_at, Some(at(0)));
    assert_eq!(stats.last_post_at, Some(at(6)));
    assert_eq!(index.post_time_range().unwrap(), Some((at(0), at(6))));
    assert_eq!(stats.by_source["jsonl"], 5);
    assert_eq!(stats.by_source["mastodon"], 2);
    assert_eq!(stats.by_lang["en"], 4);
    assert_eq!(stats.by_platform["whatsapp"], 4);
    assert_eq!(stats.complaints, 6);
    assert_eq!(stats.non_complaints, 1);
    assert_eq!(stats.volume_counts, 1);
    assert_eq!(stats.official_incidents, 1);
    assert!(stats.size_bytes > 1000);
    let json = serde_json::to_value(&stats).unwrap();
    assert_eq!(json["posts"], 7);

    // Volume and official docs never show up in searches.
    assert_eq!(index.search(&query("")).unwrap().total, 7);
    assert_eq!(
        index
            .search(&query("jsonl OR investigating"))
            .unwrap()
            .total,
        0
    );
}

fn official(id: &str, status: &str, resolved: Option<DateTime<Utc>>) -> OfficialIncident {
    OfficialIncident {
        source: "statuspage:github".into(),
        id: id.into(),
        platform: "github".into(),
        name: "Degraded performance".into(),
        impact: "major".into(),
        status: status.into(),
        started_at: at(10),
        resolved_at: resolved,
        updated_at: at(11),
        url: None,
    }
}

#[test]
fn official_incidents_are_upserted_by_source_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let index = PostIndex::create_or_open(dir.path()).unwrap();
    let mut writer = index.writer(BUDGET).unwrap();
    writer
        .add_official(&official("1", "investigating", None))
        .unwrap();
    writer
        .add_official(&official("1", "identified", None))
        .unwrap();
    writer.commit().unwrap();
    writer
        .add_official(&official("1", "resolved", Some(at(40))))
        .unwrap();
    writer
        .add_official(&official("2", "investigating", None))
        .unwrap();
    writer.commit().unwrap();
    let all = index.official_incidents(None, None).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].status, "resolved");
    assert_eq!(all[0].resolved_at, Some(at(40)));
    // Window filters: overlap with [from, to).
    assert_eq!(
        index.official_incidents(Some(at(41)), None).unwrap().len(),
        1
    );
    assert_eq!(
        index.official_incidents(None, Some(at(10))).unwrap().len(),
        0
    );
    assert_eq!(
        index
            .official_incidents(Some(at(20)), Some(at(30)))
            .unwrap()
            .len(),
        2
    );
    assert_eq!(index.stats().unwrap().posts, 0);
}

#[test]
fn observations_equal_what_was_added() {
    let dir = tempfile::tempdir().unwrap();
    let index = PostIndex::create_or_open(dir.path()).unwrap();
    let mut writer = index.writer(BUDGET).unwrap();
    let corpus = corpus();
    // Added in two commits and out of time order: rows must still come sorted by time.
    for (p, c) in corpus.iter().rev().take(3) {
        writer.add_post(p, c).unwrap();
    }
    writer.commit().unwrap();
    for (p, c) in corpus.iter().rev().skip(3) {
        writer.add_post(p, c).unwrap();
    }
    let mut report = post("crowd", "r1", 2, "", "und");
    report.kind = PostKind::Report;
    report.author = None;
    let mut report_class = class(&["whatsapp"], true, "und", &[]);
    report_class.recovery = true;
    report_class.symptoms = vec![Symptom::Login, Symptom::Calls];
    writer.add_post(&report, &report_class).unwrap();
    for (minute, seen) in [(0, 100), (0, 50), (1, 70)] {
        writer
            .add_volume(&VolumeCount {
                source: format!("s{seen}"),
                minute: at(minute).timestamp() / 60,
                seen,
            })
            .unwrap();
    }
    writer.commit().unwrap();

    let table = index.observations(None, None).unwrap();
    let mut expected: Vec<(Post, Classification)> = corpus.clone();
    expected.push((report.clone(), report_class.clone()));
    let (complaints, others): (Vec<_>, Vec<_>) = expected.iter().partition(|(_, c)| c.complaint);
    assert!(!complaints.is_empty() && !others.is_empty());
    // Complaints come as rows, sorted by time, with everything attribution reads.
    assert_eq!(table.rows.len(), complaints.len());
    assert!(table.rows.windows(2).all(|w| w[0].at <= w[1].at));
    for (p, c) in &complaints {
        let row = table
            .rows
            .iter()
            .find(|r| {
                r.at == p.created_at.timestamp()
                    && r.author == p.author
                    && r.report == (p.kind == PostKind::Report)
            })
            .unwrap_or_else(|| panic!("no row for {}", p.id));
        let platforms: Vec<&str> = row
            .platforms
            .iter()
            .map(|i| table.platforms[*i as usize].as_str())
            .collect();
        let regions: Vec<&str> = row
            .regions
            .iter()
            .map(|i| table.regions[*i as usize].as_str())
            .collect();
        assert_eq!(platforms, c.platforms, "{}", p.id);
        assert_eq!(regions, c.regions, "{}", p.id);
        assert_eq!(table.langs[row.lang as usize], c.lang, "{}", p.id);
        assert!(row.complaint);
        assert_eq!(row.recovery, c.recovery);
        let bits = c.symptoms.iter().fold(0, |b, s| b | s.bit());
        assert_eq!(row.symptoms, bits, "{}", p.id);
    }
    // The other posts come counted per minute, platform and region.
    let mut tally = MentionTally::default();
    for (p, c) in &others {
        let index_of =
            |names: &[String], name: &String| names.iter().position(|n| n == name).unwrap() as u16;
        let platforms: Vec<u16> = c
            .platforms
            .iter()
            .map(|n| index_of(&table.platforms, n))
            .collect();
        let regions: Vec<u16> = c
            .regions
            .iter()
            .map(|n| index_of(&table.regions, n))
            .collect();
        tally.add_post(
            p.created_at.timestamp().div_euclid(60),
            &platforms,
            &regions,
            c.recovery,
        );
    }
    assert_eq!(table.mentions, tally.finish());
    assert_eq!(
        table.mentions.posts_between(i64::MIN, i64::MAX),
        others.len() as u64
    );
    assert_eq!(
        table.volume_per_minute,
        [(at(0).timestamp() / 60, 150), (at(1).timestamp() / 60, 70)]
    );

    // A window around every post reads the same as no window (segments inside a window are
    // read without testing each document's time).
    let around = index
        .observations(
            Some(at(0) - chrono::TimeDelta::hours(1)),
            Some(at(0) + chrono::TimeDelta::days(1)),
        )
        .unwrap();
    assert_eq!(around, table);

    // A window keeps only its own rows and minutes.
    let window = index.observations(Some(at(1)), Some(at(3))).unwrap();
    let mut minutes: Vec<i64> = window
        .rows
        .iter()
        .map(|r| (r.at - at(0).timestamp()) / 60)
        .collect();
    for (minute, posts) in &window.mentions.posts_per_minute {
        minutes.extend(std::iter::repeat_n(
            minute - at(0).timestamp() / 60,
            *posts as usize,
        ));
    }
    minutes.sort();
    assert_eq!(minutes, [1, 2, 2]);
    assert_eq!(window.volume_per_minute, [(at(1).timestamp() / 60, 70)]);
}

#[test]
fn samples_are_complaints_spread_over_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let index = PostIndex::create_or_open(dir.path()).unwrap();
    let mut writer = index.writer(BUDGET).unwrap();
    for minute in 0..100 {
        let p = post(
            "jsonl",
            &minute.to_string(),
            minute,
            "whatsapp is down",
            "en",
        );
        writer
            .add_post(&p, &class(&["whatsapp"], minute % 10 != 0, "en", &[]))
            .unwrap();
    }
    writer.commit().unwrap();
    let samples = index.samples("whatsapp", at(0), at(100), 5).unwrap();
    let minutes: Vec<i64> = samples
        .iter()
        .map(|h| (h.created_at - at(0)).num_minutes())
        .collect();
    assert_eq!(minutes.len(), 5);
    assert!(minutes.windows(2).all(|w| w[0] < w[1]));
    assert!(minutes[0] < 20 && minutes[4] > 80, "{minutes:?}");
    assert!(
        samples
            .iter()
            .all(|h| h.complaint && h.text == "whatsapp is down")
    );
    assert!(
        index
            .samples("instagram", at(0), at(100), 5)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        index.samples("whatsapp", at(0), at(5), 50).unwrap().len(),
        4
    );
}

#[test]
fn author_key_persists_and_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let first = PostIndex::create_or_open(dir.path())
        .unwrap()
        .author_hasher()
        .hash("m", "alice");
    let again = PostIndex::open(dir.path())
        .unwrap()
        .author_hasher()
        .hash("m", "alice");
    assert_eq!(first, again);
    let other_dir = tempfile::tempdir().unwrap();
    let other = PostIndex::create_or_open(other_dir.path())
        .unwrap()
        .author_hasher()
        .hash("m", "alice");
    assert_ne!(first, other, "each index has its own random key");
    let key = dir.path().join("author.key");
    assert_eq!(std::fs::read(&key).unwrap().len(), 16);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn opening_a_directory_without_an_index_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = PostIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::NotAnIndex { .. }));
    assert!(err.to_string().contains("holds no outcry index"), "{err}");
    let err = PostIndex::open(&dir.path().join("missing")).unwrap_err();
    assert!(err.to_string().contains("no such directory"), "{err}");
}

#[test]
fn a_second_writer_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let index = PostIndex::create_or_open(dir.path()).unwrap();
    let _writer = index.writer(BUDGET).unwrap();
    let err = index.writer(BUDGET).unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("another outcry process is writing to"),
        "{err}"
    );
}
