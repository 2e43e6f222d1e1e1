//! Report tests: the JSON contract, the renderers, official matching.

use super::*;
use crate::detect::{Incident, IncidentTimeline};
use chrono::TimeZone;
use outcry_model::Symptom;

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 10, 4, h, m, 0).unwrap()
}

fn sample_incident() -> Incident {
    Incident {
        id: "whatsapp-20211004T1541Z".into(),
        platform: "whatsapp".into(),
        related: vec!["facebook".into(), "instagram".into()],
        provider: Some("meta".into()),
        start: t(15, 39),
        detected_at: t(15, 41),
        peak_at: t(16, 5),
        end: Some(t(21, 30)),
        resolved_at: Some(t(22, 0)),
        status: IncidentStatus::Resolved,
        complaints: 2_900,
        authors: 2_340,
        baseline_per_hour: 8.5,
        peak_per_minute: 41.2,
        score: 87.3,
        trigger_region: None,
        regions: vec![
            RegionShare {
                code: "BR".into(),
                share: 0.31,
                lift: 1.2,
            },
            RegionShare {
                code: "IN".into(),
                share: 0.18,
                lift: 1.1,
            },
        ],
        symptoms: vec![
            SymptomShare {
                kind: Symptom::Messaging,
                share: 0.54,
            },
            SymptomShare {
                kind: Symptom::Connectivity,
                share: 0.3,
            },
        ],
        languages: vec![
            LanguageShare {
                code: "pt".into(),
                share: 0.4,
            },
            LanguageShare {
                code: "en".into(),
                share: 0.35,
            },
        ],
        timeline: IncidentTimeline {
            from: t(12, 39),
            voices: (0..600)
                .map(|m| if (180..530).contains(&m) { 40.0 } else { 0.2 })
                .collect(),
            baseline: vec![0.15; 600],
            upper: vec![1.4; 600],
        },
    }
}

fn sample_report() -> Report {
    let detection = Detection {
        from: t(0, 0),
        to: Utc.with_ymd_and_hms(2021, 10, 5, 0, 0, 0).unwrap(),
        posts_considered: 1_234_567,
        incidents: vec![sample_incident()],
    };
    let mut report = Report::from_detection(
        &detection,
        Utc.with_ymd_and_hms(2021, 10, 5, 0, 1, 0).unwrap(),
    );
    report.fill_samples(|i| {
        vec![Sample {
            id: format!("{}-s1", i.platform),
            created_at: t(15, 44),
            text: "@bob is <b>whatsapp</b> down?? messages stuck on one tick".into(),
        }]
    });
    report
}

fn names() -> (
    impl Fn(&str) -> Option<String>,
    impl Fn(&str) -> Option<String>,
) {
    let platform = |id: &str| match id {
        "whatsapp" => Some("WhatsApp".to_string()),
        "instagram" => Some("Instagram".to_string()),
        "facebook" => Some("Facebook".to_string()),
        _ => None,
    };
    let region = |code: &str| match code {
        "BR" => Some("Brazil".to_string()),
        "IN" => Some("India".to_string()),
        _ => None,
    };
    (platform, region)
}

#[test]
fn json_has_the_exact_contract_and_round_trips() {
    let report = sample_report();
    let json = report.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut top: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    top.sort();
    assert_eq!(
        top,
        ["generated_at", "incidents", "posts_considered", "window"]
    );
    assert_eq!(value["window"]["from"], "2021-10-04T00:00:00Z");
    let incident = value["incidents"][0].as_object().unwrap();
    let mut keys: Vec<&str> = incident.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "authors",
            "baseline_per_hour",
            "complaints",
            "detected_at",
            "end",
            "id",
            "languages",
            "peak_at",
            "peak_per_minute",
            "platform",
            "provider",
            "regions",
            "related",
            "samples",
            "score",
            "start",
            "status",
            "symptoms"
        ]
    );
    assert_eq!(incident["status"], "resolved");
    assert_eq!(incident["start"], "2021-10-04T15:39:00Z");
    assert_eq!(
        incident["regions"][0],
        serde_json::json!({"code": "BR", "share": 0.31, "lift": 1.2})
    );
    assert_eq!(
        incident["symptoms"][0],
        serde_json::json!({"kind": "messaging", "share": 0.54})
    );
    assert_eq!(incident["samples"][0]["id"], "whatsapp-s1");
    let back = Report::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json);
    assert_eq!(
        back.incidents[0].timeline, None,
        "charts are not part of the JSON"
    );

    let mut ongoing = report.clone();
    ongoing.incidents[0].end = None;
    ongoing.incidents[0].status = IncidentStatus::Ongoing;
    let value: serde_json::Value = serde_json::from_str(&ongoing.to_json()).unwrap();
    assert!(value["incidents"][0]["end"].is_null());
    assert_eq!(value["incidents"][0]["status"], "ongoing");
}

#[test]
fn the_lede_tells_the_story() {
    let report = sample_report();
    let (platform, region) = names();
    let names = Names {
        platform: &platform,
        region: &region,
    };
    let text = story::lede(&report.incidents[0], report.window.to, &names);
    assert!(text.starts_with("WhatsApp: 2,340 people complained in 5 hours 51 minutes, 47 times the usual rate, most in Brazil (31%) and India (18%); messages not sending (54%), cannot connect (30%)."), "{text}");
    assert!(text.contains("Complaints began around Oct 4 15:39 UTC, outcry raised the alarm at 15:41 UTC (2 minutes after the onset)"), "{text}");
    assert!(
        text.contains("At the same time: Facebook, Instagram (a meta outage)."),
        "{text}"
    );
}

#[test]
fn markdown_and_html_render_everything_without_handles() {
    let mut report = sample_report();
    report.attach_official(&[OfficialIncident {
        source: "statuspage".into(),
        id: "abc".into(),
        platform: "whatsapp".into(),
        name: "Messages delayed".into(),
        impact: "major".into(),
        status: "resolved".into(),
        started_at: t(15, 53),
        resolved_at: Some(t(21, 40)),
        updated_at: t(21, 40),
        url: Some("https://status.example/abc".into()),
    }]);
    let official = report.incidents[0].official.as_ref().expect("matched");
    assert_eq!(official.chatter_lead_minutes, Some(12));
    let (platform, region) = names();
    let names = Names {
        platform: &platform,
        region: &region,
    };
    let md = report.to_markdown(&names);
    assert!(md.contains("## WhatsApp (whatsapp-20211004T1541Z)"), "{md}");
    assert!(md.contains("the chatter knew 12 minutes earlier"), "{md}");
    assert!(
        md.contains("- languages: Portuguese 40%, English 35%"),
        "{md}"
    );
    assert!(!md.contains("@bob"));
    let html = report.to_html(&names);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<svg class=\"chart\""));
    assert!(html.contains("<svg class=\"timeline\""));
    assert!(html.contains("Brazil"));
    assert!(html.contains(">Portuguese</text>"), "languages are named");
    assert!(!html.contains("@bob"));
    assert!(
        html.contains("&lt;b&gt;whatsapp&lt;/b&gt;"),
        "sample text is escaped"
    );
    assert!(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("<link"));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["incidents"][0]["official"]["impact"], "major");
}

#[test]
fn unmatched_official_incidents_are_listed_and_an_empty_report_renders() {
    let mut report = sample_report();
    report.incidents.clear();
    report.attach_official(&[OfficialIncident {
        source: "statuspage".into(),
        id: "x".into(),
        platform: "github".into(),
        name: "Actions degraded".into(),
        impact: "minor".into(),
        status: "resolved".into(),
        started_at: t(9, 0),
        resolved_at: Some(t(10, 0)),
        updated_at: t(10, 0),
        url: None,
    }]);
    assert_eq!(report.official_unmatched.len(), 1);
    let names = Names {
        platform: &|_| None,
        region: &|_| None,
    };
    let html = report.to_html(&names);
    assert!(html.contains("No outage stood out"));
    assert!(html.contains("Actions degraded"));
    assert!(report.to_markdown(&names).contains("Actions degraded"));
}

#[test]
fn helpers_format_numbers_and_mask_handles() {
    assert_eq!(story::thousands(2340), "2,340");
    assert_eq!(story::thousands(1_234_567), "1,234,567");
    assert_eq!(story::thousands(999), "999");
    assert_eq!(
        story::mask_handles("hey @alice@mastodon.social and @bob_2, mail me at a@b.c"),
        "hey @… and @…, mail me at a@b.c"
    );
    assert_eq!(story::duration(45), "45 minutes");
    assert_eq!(story::duration(120), "2 hours");
}

#[test]
fn places_take_the_article_english_gives_them() {
    for (place, with) in [
        ("United States", "the United States"),
        ("Netherlands", "the Netherlands"),
        ("Dominican Republic", "the Dominican Republic"),
        ("Brazil", "Brazil"),
        ("São Paulo", "São Paulo"),
    ] {
        assert_eq!(format!("{}{place}", story::article_for(place)), with);
    }
}

#[test]
fn bar_values_and_notes_stay_inside_the_chart() {
    let rows = vec![
        ("Brazil".to_string(), 0.83, "×20.3 usual".to_string()),
        ("Portugal".to_string(), 0.17, "×1.2 usual".to_string()),
    ];
    let svg = svg::bars(&rows, "regions");
    let width: f64 = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    // Each value text starts at `x` and is at most 7 units a character wide.
    for part in svg.split("class=\"bar-value\">").skip(1) {
        let text = part.split("</text>").next().unwrap();
        let before = svg
            .split(&format!("class=\"bar-value\">{text}"))
            .next()
            .unwrap();
        let x: f64 = before
            .rsplit("<text x=\"")
            .next()
            .and_then(|rest| rest.split('"').next())
            .and_then(|x| x.parse().ok())
            .unwrap();
        let end = x + 7.0 * text.chars().count() as f64;
        assert!(end <= width, "{text:?} ends at {end}, past {width}");
    }
}
