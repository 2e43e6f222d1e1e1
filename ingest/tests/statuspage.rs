//! Statuspage `/api/v2/incidents.json` with real GitHub incidents: mapped to the configured
//! platform, ETag/304 honoured, only new or updated incidents re-sent, 503 with Retry-After
//! and a truncated body survived.

use crate::util::{HttpServer, Reply, run_until};
use outcry_ingest::SourceEvent;
use outcry_model::{Checkpoints, OfficialIncident};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Real incidents: the shared reference file beside the clone, or the committed sample.
fn incidents(n: usize) -> Vec<serde_json::Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared/reference/github_incidents.jsonl");
    let text = std::fs::read_to_string(&shared)
        .or_else(|_| {
            std::fs::read_to_string(root.join("ingest/tests/data/github_incidents_sample.jsonl"))
        })
        .unwrap();
    text.lines()
        .take(n)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn officials(events: &[SourceEvent]) -> Vec<&OfficialIncident> {
    events
        .iter()
        .filter_map(|e| match e {
            SourceEvent::Official(i) => Some(i),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn real_incidents_etag_updates_and_faults() {
    let mut first = incidents(50);
    let document = |list: &[serde_json::Value]| {
        serde_json::json!({"page": {"id": "kctbh9vrtdwd", "name": "GitHub", "url": "https://www.githubstatus.com"}, "incidents": list}).to_string()
    };
    let v1 = document(&first);
    // Version 2: the newest incident got an update, and a new one appeared.
    first[0]["updated_at"] = serde_json::json!("2030-01-01T00:00:00.000Z");
    first[0]["status"] = serde_json::json!("resolved");
    let mut fresh = first[1].clone();
    fresh["id"] = serde_json::json!("newincident01");
    let mut v2_list = vec![fresh];
    v2_list.extend(first);
    let v2 = document(&v2_list);
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let server = HttpServer::start(move |req| {
        assert_eq!(req.path(), "/api/v2/incidents.json");
        let call = c.fetch_add(1, Ordering::SeqCst);
        let etag = req.header("if-none-match");
        match call {
            0 => Reply::json(503, "{}").with_header("Retry-After", "0"),
            1 => Reply::Truncated {
                status: 200,
                body: v1.clone().into_bytes(),
                sent: 1000,
            },
            2 => Reply::json(200, v1.clone()).with_header("ETag", "W/\"v1\""),
            3 => {
                assert_eq!(etag, Some("W/\"v1\""), "the ETag is sent back");
                Reply::status(304)
            }
            _ if etag == Some("W/\"v2\"") => Reply::status(304),
            _ => Reply::json(200, v2.clone()).with_header("ETag", "W/\"v2\""),
        }
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"statuspage\"\nurl = \"{}\"\nplatform = \"github\"\npoll_interval = 0.02\ntimeout = 2\nbackoff_initial = 0.01\nbackoff_max = 0.02\nrequests_per_minute = 60000\n",
        server.url
    );
    let got = run_until(&text, Checkpoints::new(), |_| {
        calls.load(Ordering::SeqCst) >= 7
    })
    .await;
    let sent = officials(&got.events);
    assert_eq!(sent.len(), 52, "50, then only the updated and the new one");
    // The first real incident of the reference file, mapped faithfully.
    let i = sent
        .iter()
        .find(|i| i.id == "00km0kwpz23b")
        .expect("the first reference incident");
    assert_eq!(i.name, "Incident with Actions and Git Operations");
    assert_eq!(i.impact, "minor");
    assert_eq!(i.started_at.to_rfc3339(), "2023-01-10T17:04:42.456+00:00");
    assert!(i.resolved_at.is_some());
    assert!(
        sent.iter()
            .all(|i| i.platform == "github" && i.source.starts_with("statuspage:"))
    );
    let tail: Vec<&str> = sent[50..].iter().map(|i| i.id.as_str()).collect();
    assert!(tail.contains(&"newincident01"), "{tail:?}");
    assert_eq!(got.uncovered(), 0);
    // A restart from the cursor sends nothing already sent.
    let saved = got.checkpoints();
    let before = calls.load(Ordering::SeqCst);
    let again = run_until(&text, saved, |_| calls.load(Ordering::SeqCst) >= before + 2).await;
    assert!(officials(&again.events).is_empty());
}
