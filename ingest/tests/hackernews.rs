//! Hacker News (Algolia search_by_date): time slices walked down with numericFilters, a whole
//! page within one second paged with `page=`, stories and comments, faults on the way.

use crate::util::{HttpServer, Reply, duplicates, run_until};
use outcry_model::Checkpoints;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const T: i64 = 1_767_607_200;

fn hit(id: u32, at: i64) -> serde_json::Value {
    if id.is_multiple_of(2) {
        serde_json::json!({"objectID": id.to_string(), "created_at_i": at, "created_at": "x", "author": format!("u{id}"),
            "comment_text": format!("<p>comment {id} &gt; github down</p>"), "_tags": ["comment", format!("author_u{id}")]})
    } else {
        serde_json::json!({"objectID": id.to_string(), "created_at_i": at, "author": format!("u{id}"),
            "title": format!("Story {id}"), "story_text": null, "_tags": ["story"]})
    }
}

/// Answers like Algolia: filter by numericFilters, newest first, paginate.
fn search(items: &[(u32, i64)], req: &crate::util::Request) -> Reply {
    let per_page: usize = req.query("hitsPerPage").unwrap().parse().unwrap();
    let page: usize = req.query("page").map_or(0, |p| p.parse().unwrap());
    let mut lower = i64::MIN;
    let mut upper = i64::MAX;
    if let Some(filters) = req.query("numericFilters") {
        for f in filters.split(',') {
            if let Some(v) = f.strip_prefix("created_at_i>=") {
                lower = v.parse::<i64>().unwrap() - 1;
            } else if let Some(v) = f.strip_prefix("created_at_i>") {
                lower = v.parse().unwrap();
            } else if let Some(v) = f.strip_prefix("created_at_i<=") {
                upper = v.parse().unwrap();
            }
        }
    }
    let mut matching: Vec<&(u32, i64)> = items
        .iter()
        .filter(|(_, t)| *t > lower && *t <= upper)
        .collect();
    matching.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let hits: Vec<serde_json::Value> = matching
        .iter()
        .skip(page * per_page)
        .take(per_page)
        .map(|(i, t)| hit(*i, *t))
        .collect();
    Reply::json(200, serde_json::json!({"hits": hits, "nbHits": matching.len(), "page": page, "hitsPerPage": per_page}).to_string())
}

#[tokio::test]
async fn slices_down_through_time_and_resumes() {
    let items: Arc<Mutex<Vec<(u32, i64)>>> =
        Arc::new(Mutex::new((1..=8).map(|i| (i, T + i as i64)).collect()));
    let calls = Arc::new(AtomicUsize::new(0));
    let (c, it) = (calls.clone(), items.clone());
    let server = HttpServer::start(move |req| {
        assert_eq!(req.path(), "/api/v1/search_by_date");
        assert_eq!(req.query("tags").as_deref(), Some("(story,comment)"));
        let call = c.fetch_add(1, Ordering::SeqCst);
        match call {
            1 => {
                return Reply::json(429, "{\"message\":\"slow down\"}")
                    .with_header("Retry-After", "0");
            }
            2 => return Reply::json(502, "<html>bad gateway</html>"),
            3 => return Reply::json(200, "{\"hits\": [{\"objectID\": \"1\", \"created_"),
            _ => {}
        }
        if call == 4 {
            let mut items = it.lock().unwrap();
            // 6 more over 6 seconds, then 6 within a single second (more than a page).
            items.extend((9..=14).map(|i| (i, T + i as i64)));
            items.extend((15..=20).map(|i| (i, T + 15)));
        }
        search(&it.lock().unwrap(), req)
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"hackernews\"\nurl = \"{}\"\nkeep = \"all\"\nlimit = 5\noverlap = 0\npoll_interval = 0.02\ntimeout = 2\nbackoff_initial = 0.01\nbackoff_max = 0.02\nrequests_per_minute = 60000\n",
        server.url
    );
    let got = run_until(&text, Checkpoints::new(), |c| {
        c.checkpoints()
            .values()
            .any(|v| v == &format!("{{\"since\":{}}}", T + 15))
    })
    .await;
    let ids = got.post_ids();
    assert!(duplicates(&ids).is_empty(), "{ids:?}");
    let mut sorted: Vec<u32> = ids.iter().map(|i| i.parse().unwrap()).collect();
    sorted.sort();
    // The first poll starts from the newest page (4..=8), then everything after it.
    assert_eq!(sorted, (4..=20).collect::<Vec<_>>());
    let comment = got.posts().into_iter().find(|p| p.id == "10").unwrap();
    assert_eq!(comment.text, "comment 10 > github down");
    assert_eq!(
        comment.url.as_deref(),
        Some("https://news.ycombinator.com/item?id=10")
    );
    assert_eq!(
        got.posts().into_iter().find(|p| p.id == "9").unwrap().text,
        "Story 9"
    );
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.query("page").as_deref() == Some("1")),
        "a full page within one second is paged"
    );

    // Restart from the cursor: the next slice starts after it.
    let saved = got.checkpoints();
    let before = calls.load(Ordering::SeqCst);
    let again = run_until(&text, saved, |_| calls.load(Ordering::SeqCst) > before).await;
    assert!(again.post_ids().is_empty());
    assert_eq!(
        server.requests()[before].query("numericFilters").as_deref(),
        Some(format!("created_at_i>{}", T + 15).as_str())
    );
}
