//! Tests of the scenario format and the simulator (pure, small scales).

use super::*;
use crate::data::DataFile;
use outcry_model::{AuthorHasher, PostKind, PostRecordParser};

const MINIMAL: &str = r#"
[scenario]
name = "tiny"
start = "2025-01-06T00:00:00Z"
duration_hours = 6
report_share = 0.1
background_per_minute = 1.0

[authors]
count = 500
no_location_share = 0.2
placeless_share = 0.1
placeless_locations = ["☀️", ""]

[[region]]
code = "BR"
utc_offset = -3
weight = 0.6
languages = { pt = 1.0 }
locations = ["SP 🇧🇷"]
places = ["SP"]

[[region]]
code = "US-NY"
utc_offset = -5
weight = 0.4
languages = { en = 1.0 }
locations = ["NYC"]

[[platform]]
id = "whatsapp"
mentions_per_minute = 20
complaint_rate = 0.05
names = ["WhatsApp"]
local_names = { pt = ["zap"] }

[[incident]]
id = "wa"
platforms = ["whatsapp"]
start = "2025-01-06T02:00:00Z"
duration_minutes = 60
intensity = 20
regions = { BR = 1 }
symptoms = { messaging = 1 }

[[decoy]]
id = "gap"
kind = "ingest_gap"
start = "2025-01-06T04:00:00Z"
duration_minutes = 10
"#;

fn tiny() -> Scenario {
    Scenario::parse(DataFile {
        name: "tiny.toml",
        text: MINIMAL,
    })
    .unwrap()
}

fn error_of(text: &str) -> crate::data::DataError {
    Scenario::parse(DataFile {
        name: "bad.toml",
        text,
    })
    .unwrap_err()
}

#[test]
fn bundled_scenarios_parse_and_unknown_name_lists_them() {
    for name in BUNDLED_SCENARIOS {
        let s = Scenario::bundled(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.name, name);
        assert!(!s.incidents.is_empty());
    }
    let err = Scenario::bundled("nope").unwrap_err();
    assert!(err.fix.contains("week"), "{err}");
}

#[test]
fn same_seed_same_posts_other_seed_other_posts() {
    let s = tiny();
    let a: Vec<String> = simulate(&s, 1).map(|p| p.to_json_line()).collect();
    let b: Vec<String> = simulate(&s, 1).map(|p| p.to_json_line()).collect();
    let c: Vec<String> = simulate(&s, 2).map(|p| p.to_json_line()).collect();
    assert!(a.len() > 1000, "{}", a.len());
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn records_follow_the_contract_in_time_order() {
    let s = tiny();
    let parser = PostRecordParser::new(AuthorHasher::new([1; 16]));
    let mut last = s.start;
    let mut ids = std::collections::BTreeSet::new();
    let (mut reports, mut without_lang, mut in_gap) = (0, 0, 0);
    for sim in simulate(&s, 3) {
        let post = parser
            .parse_line(sim.to_json_line().as_bytes())
            .unwrap_or_else(|e| panic!("{e}: {}", sim.to_json_line()));
        assert!(post.created_at >= last, "out of order");
        last = post.created_at;
        assert!(ids.insert(post.id.clone()), "duplicate id {}", post.id);
        assert_eq!(post.source, "sim");
        if post.kind == PostKind::Report {
            reports += 1;
            assert_eq!(post.service.as_deref(), Some("whatsapp"));
        }
        without_lang += post.lang.is_none() as usize;
        let gap_from = s.decoys[0].start;
        in_gap += (post.created_at >= gap_from
            && post.created_at < gap_from + chrono::Duration::minutes(10))
            as usize;
    }
    assert!(reports > 0 && without_lang > 0);
    assert_eq!(in_gap, 0, "the ingest gap must hold no posts");
}

#[test]
fn incident_raises_complaints_in_its_region_and_truth_says_so() {
    let s = tiny();
    let sim = simulate(&s, 5);
    let truth = sim.truth();
    let posts: Vec<SimPost> = sim.collect();
    let t = &truth.incidents[0];
    assert_eq!(t.scope, "regional");
    assert_eq!(t.top_region(), Some("BR"));
    let in_incident: Vec<&SimPost> = posts
        .iter()
        .filter(|p| p.label.incident == Some(0) && p.label.intent == Intent::Complaint)
        .collect();
    let n = in_incident.len() as f64;
    assert!(
        (n - t.expected_complaints).abs() < 4.0 * t.expected_complaints.sqrt() + 5.0,
        "{n} vs {}",
        t.expected_complaints
    );
    assert!(
        in_incident
            .iter()
            .all(|p| p.label.region == "BR" && p.created_at >= t.start && p.created_at < t.end)
    );
    // Usual complaints go on outside the incident, at the usual rate.
    let usual = posts
        .iter()
        .filter(|p| p.label.intent == Intent::Complaint && p.label.incident.is_none())
        .count();
    assert!(
        usual > 20 && (usual as f64) < n / 2.0,
        "usual {usual}, incident {n}"
    );
}

#[test]
fn scaled_keeps_incident_intensity_relative() {
    let s = tiny().scaled(0.5);
    assert_eq!(s.platforms[0].mentions_per_minute, 10.0);
    assert_eq!(s.incidents[0].intensity, vec![20.0]);
}

#[test]
fn errors_name_file_line_and_fix() {
    let e = error_of(&MINIMAL.replace("code = \"US-NY\"", "code = \"new york\""));
    assert_eq!((e.file.as_str(), e.line), ("bad.toml", 24), "{e}");
    assert!(e.fix.contains("US-NY"));

    let e = error_of(&MINIMAL.replace("platforms = [\"whatsapp\"]", "platforms = [\"whatsap\"]"));
    assert_eq!(e.line, 39, "{e}");
    assert!(e.fix.contains("whatsapp"), "{e}");

    let e = error_of(&MINIMAL.replace(
        "symptoms = { messaging = 1 }",
        "symptoms = { mesaging = 1 }",
    ));
    assert_eq!(e.line, 44, "{e}");
    assert!(e.fix.contains("messaging"), "{e}");

    let e = error_of(&MINIMAL.replace(
        "start = \"2025-01-06T02:00:00Z\"",
        "start = \"2025-01-07T02:00:00Z\"",
    ));
    assert!(e.message.contains("outside the scenario"), "{e}");

    let e = error_of(&MINIMAL.replace("complaint_rate = 0.05", "complaint_rate = 5"));
    assert_eq!(e.line, 33, "{e}");

    let e = error_of(&MINIMAL.replace("languages = { en = 1.0 }", "languages = { xx = 1.0 }"));
    assert!(e.message.contains("xx") && e.line == 27, "{e}");

    let e = error_of(&MINIMAL.replace("intensity = 20", "intensity = 20\nintensitty = 3"));
    assert_eq!(e.line, 43, "{e}");

    let e = error_of(&MINIMAL.replace("start = \"2025-01-06T00:00:00Z\"", "start = \"monday\""));
    assert_eq!(e.line, 4, "{e}");
}

#[test]
fn phrase_book_errors_name_line() {
    let bad = "[en]\nmention = [\"{p}\"]\ncomplaint = [\"{platform} down\"]\nrecovery = [\"ok\"]\n";
    let e = PhraseBook::parse(DataFile {
        name: "p.toml",
        text: bad,
    })
    .unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.fix.contains("{p}"));
    let e = PhraseBook::parse(DataFile {
        name: "p.toml",
        text: "[en]\nmention = [\"x\"]\nrecovery = [\"y\"]\n",
    })
    .unwrap_err();
    assert!(e.message.contains("complaint"), "{e}");
    let e = PhraseBook::parse(DataFile { name: "p.toml", text: "[en]\nmention = [\"x\"]\ncomplaint = [\"y\"]\nrecovery = [\"z\"]\n[en.symptom]\nlogn = [\"a\"]\n" }).unwrap_err();
    assert!(e.message.contains("logn") && e.line == 6, "{e}");
}

#[test]
fn posts_carry_languages_and_messy_locations() {
    let s = Scenario::bundled("week").unwrap().scaled(0.05);
    let posts: Vec<SimPost> = simulate(&s, 9).take(20_000).collect();
    let langs: std::collections::BTreeSet<&str> =
        posts.iter().map(|p| p.label.lang.as_str()).collect();
    assert!(langs.len() >= 12, "{langs:?}");
    let locations: std::collections::BTreeSet<&str> =
        posts.iter().filter_map(|p| p.location.as_deref()).collect();
    for messy in [
        "SP 🇧🇷",
        "somewhere in ohio",
        "NYC",
        "London / Lagos",
        "☀️",
        "",
    ] {
        assert!(locations.contains(messy), "{messy:?} never declared");
    }
    // A post whose record has a `lang` says the language it is written in.
    assert!(
        posts
            .iter()
            .all(|p| p.lang.as_ref().is_none_or(|l| *l == p.label.lang))
    );
}

#[test]
fn truth_round_trips_through_json() {
    let s = Scenario::bundled("meta-2021").unwrap();
    let truth = truth(&s, 11);
    let back: Truth = serde_json::from_str(&serde_json::to_string_pretty(&truth).unwrap()).unwrap();
    assert_eq!(back, truth);
    let outage = &truth.incidents[0];
    assert_eq!(outage.provider.as_deref(), Some("meta"));
    assert_eq!(
        outage.platforms,
        ["whatsapp", "instagram", "facebook", "messenger"]
    );
    assert_eq!(outage.start.to_rfc3339(), "2021-10-06T17:40:00+00:00");
    assert_eq!(outage.start.format("%A").to_string(), "Wednesday");
    assert_eq!(outage.scope, "global");
    // Heavy volume: Downdetector counted over 18,000 WhatsApp reports; the whole outage adds
    // tens of thousands of complaints.
    assert!(
        outage.expected_complaints > 30_000.0,
        "{}",
        outage.expected_complaints
    );
    assert_eq!(
        truth
            .decoys
            .iter()
            .map(|d| d.kind.as_str())
            .collect::<Vec<_>>(),
        ["launch", "news_wave"]
    );
}
