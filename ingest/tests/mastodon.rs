//! Mastodon REST timelines: min_id paging, Link headers, X-RateLimit-*, 429 with Retry-After,
//! 500s, a timeout, a truncated body, malformed statuses, boosts, resume from the cursor.

use crate::util::{HttpServer, Reply, run_until, run_with};
use outcry_ingest::SourceEvent;
use outcry_model::Checkpoints;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn status(id: u64) -> serde_json::Value {
    let minute = id % 60;
    serde_json::json!({
        "id": id.to_string(),
        "created_at": format!("2026-01-05T10:{minute:02}:00.000Z"),
        "content": format!("<p>status {id} says <a href=\"https://x/tags/down\">#<span>WhatsAppDown</span></a> &amp; more</p>"),
        "spoiler_text": "",
        "language": if id.is_multiple_of(2) { serde_json::json!("pt-BR") } else { serde_json::Value::Null },
        "account": {"acct": if id.is_multiple_of(3) { "local".to_string() } else { format!("user{id}@remote.example") }},
        "url": format!("https://masto.example/@x/{id}"),
        "uri": format!("https://masto.example/users/x/statuses/{id}"),
        "reblog": null,
    })
}

/// A timeline whose statuses are `1..=newest`, answering like Mastodon does.
fn timeline_page(newest: u64, limit: u64, min_id: Option<u64>, base: &str) -> Reply {
    let ids: Vec<u64> = match min_id {
        // The `limit` statuses right after min_id, newest first.
        Some(min) => ((min + 1)..=newest.min(min + limit)).rev().collect(),
        None => ((newest.saturating_sub(limit) + 1)..=newest)
            .rev()
            .collect(),
    };
    let body: Vec<serde_json::Value> = ids.iter().map(|&i| status(i)).collect();
    let mut reply = Reply::json(200, serde_json::to_string(&body).unwrap())
        .with_header("X-RateLimit-Limit", "300")
        .with_header("X-RateLimit-Remaining", "299")
        .with_header("X-RateLimit-Reset", "2026-01-05T10:05:00.000Z");
    if let (Some(max), Some(min)) = (ids.first(), ids.last()) {
        reply = reply.with_header(
            "Link",
            &format!("<{base}/api/v1/timelines/public?max_id={min}>; rel=\"next\", <{base}/api/v1/timelines/public?min_id={max}>; rel=\"prev\""),
        );
    }
    reply
}

fn config(url: &str, extra: &str) -> String {
    format!(
        "[[source]]\nkind = \"mastodon\"\nurl = \"{url}\"\nkeep = \"all\"\nlimit = 40\npoll_interval = 0.05\ntimeout = 0.5\nbackoff_initial = 0.01\nbackoff_max = 0.05\nrequests_per_minute = 60000\nregion_hint = \"de\"\n{extra}"
    )
}

#[tokio::test]
async fn polls_forward_through_faults_and_resumes() {
    let newest = Arc::new(Mutex::new(100u64));
    let calls = Arc::new(AtomicUsize::new(0));
    let (n, c) = (newest.clone(), calls.clone());
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = HttpServer::start(move |req| {
        assert_eq!(req.path(), "/api/v1/timelines/public");
        let call = c.fetch_add(1, Ordering::SeqCst);
        let limit: u64 = req.query("limit").unwrap().parse().unwrap();
        let min_id = req.query("min_id").map(|m| m.parse().unwrap());
        let base = b.lock().unwrap().clone();
        match call {
            // A 429 storm, with Retry-After in both forms.
            0 => Reply::json(429, "{\"error\":\"Too many requests\"}")
                .with_header("Retry-After", "0"),
            1 => Reply::json(429, "{}").with_header("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT"),
            2 => Reply::json(500, "{\"error\":\"oops\"}"),
            3 => Reply::Delayed(
                Duration::from_secs(2),
                Box::new(timeline_page(100, limit, min_id, &base)),
            ),
            4 => {
                let Reply::Full { body, .. } = timeline_page(100, limit, min_id, &base) else {
                    unreachable!()
                };
                let sent = body.len() / 2;
                Reply::Truncated {
                    status: 200,
                    body,
                    sent,
                }
            }
            5 => Reply::json(
                200,
                "[{\"id\": \"oops\", \"created_at\": \"yesterday\"}, {\"no\": \"id\"}, 7]",
            ),
            _ => {
                let newest_now = {
                    let mut n = n.lock().unwrap();
                    // New statuses arrive after the first good page.
                    if call >= 7 {
                        *n = 150;
                    }
                    *n
                };
                timeline_page(newest_now, limit, min_id, &base)
            }
        }
    })
    .await;
    *base.lock().unwrap() = server.url.clone();
    let text = config(&server.url, "");
    let got = run_until(&text, Checkpoints::new(), |c| {
        c.checkpoints().values().any(|v| v.contains("\"150\""))
    })
    .await;
    let ids: Vec<u64> = got.post_ids().iter().map(|i| i.parse().unwrap()).collect();
    // The first page starts from now (61..=100), then 101..=150 in order, each once.
    assert_eq!(ids, (61..=150).collect::<Vec<_>>());
    // The malformed page: two bad statuses and a non-object, rejected one by one.
    assert_eq!(got.rejected(), 3);
    let post = got.posts()[1].clone();
    assert_eq!(
        post.source,
        format!("mastodon:{}", server.url.trim_start_matches("http://"))
    );
    assert_eq!(post.text, "status 62 says #WhatsAppDown & more");
    assert_eq!(post.lang.as_deref(), Some("pt"));
    assert_eq!(post.region_hint.as_deref(), Some("DE"));
    assert!(post.author.is_some());
    assert_eq!(
        got.uncovered(),
        0,
        "every post is covered by a later checkpoint"
    );
    let reqs = server.requests();
    assert!(reqs.iter().all(|r| {
        r.header("user-agent")
            .is_some_and(|u| u.starts_with("outcry/"))
    }));
    // Paging forward used min_id=100 then min_id=140.
    let min_ids: Vec<String> = reqs.iter().filter_map(|r| r.query("min_id")).collect();
    assert!(
        min_ids.contains(&"100".to_string()) && min_ids.contains(&"140".to_string()),
        "{min_ids:?}"
    );

    // A restart from the saved cursor asks for what follows it, and sends nothing twice.
    let saved = got.checkpoints();
    let calls_before = calls.load(Ordering::SeqCst);
    let again = run_until(&text, saved.clone(), |_| {
        calls.load(Ordering::SeqCst) >= calls_before + 2
    })
    .await;
    assert!(again.post_ids().is_empty(), "{:?}", again.post_ids());
    let first_after = &server.requests()[calls_before];
    assert_eq!(first_after.query("min_id").as_deref(), Some("150"));
}

#[tokio::test]
async fn hashtags_token_rate_limit_headers_and_mentions_filter() {
    let server = HttpServer::start(|req| {
        assert_eq!(req.header("authorization"), Some("Bearer mastodon-token"));
        let tag = req.path().rsplit('/').next().unwrap().to_string();
        let body = serde_json::json!([
            {"id": "2", "created_at": "2026-01-05T10:01:30Z", "content": format!("<p>#{tag} is fine</p>"), "language": "en", "account": {"acct": "a"}, "reblog": null},
            {"id": "3", "created_at": "2026-01-05T10:01:10Z", "content": "<p>boosted</p>", "account": {"acct": "b"}, "reblog": {"id": "1"}},
            {"id": "1", "created_at": "2026-01-05T10:00:10Z", "content": "<p>instagram down?</p>", "language": "en", "account": {"acct": "c"}, "reblog": null},
        ]);
        // Remaining 0: the next request must wait for the reset (a moment from now).
        let reset = (chrono::Utc::now() + chrono::Duration::milliseconds(300)).to_rfc3339();
        Reply::json(200, body.to_string())
            .with_header("X-RateLimit-Remaining", "0")
            .with_header("X-RateLimit-Reset", &reset)
    })
    .await;
    let text = config(&server.url, "timeline = \"none\"\nhashtags = [\"outage\", \"#Down\"]\naccess_token_env = \"TEST_TOKEN\"\n").replace("keep = \"all\"\n", "");
    let filter: outcry_ingest::MentionFilter = Arc::new(|t: &str| t.contains("instagram"));
    let got = run_with(&text, Checkpoints::new(), filter, |c| {
        c.checkpoints().values().any(|v| v.contains("tag:down"))
    })
    .await;
    // keep = mentions: only the instagram post, from each hashtag timeline; boosts skipped.
    assert_eq!(got.post_ids(), vec!["1", "1"]);
    let volumes: u64 = got
        .events
        .iter()
        .filter_map(|e| match e {
            SourceEvent::Volume(v) => Some(v.seen),
            _ => None,
        })
        .sum();
    assert_eq!(
        volumes, 4,
        "both statuses of both timelines are counted, kept or not"
    );
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert!(
        paths.contains(&"/api/v1/timelines/tag/outage".to_string())
            && paths.contains(&"/api/v1/timelines/tag/Down".to_string()),
        "{paths:?}"
    );
}

#[tokio::test]
async fn refused_timeline_is_reported_not_fatal() {
    let server = HttpServer::start(|_| {
        Reply::json(
            401,
            "{\"error\":\"This method requires an authenticated user\"}",
        )
    })
    .await;
    let text = config(&server.url, "");
    let config = crate::util::config(&text);
    let deps = outcry_ingest::SourceDeps::new(crate::util::hasher(), Arc::new(|_: &str| true));
    let report = outcry_ingest::dry_run(&config.sources[0], &deps, Duration::from_secs(5)).await;
    assert!(!report.works);
    assert!(report.error.unwrap().contains("401"));
}
