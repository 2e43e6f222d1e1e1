//! Lemmy post and comment lists, newest first, paged with `page=` down to the last item seen.

use crate::util::{HttpServer, Reply, duplicates, run_until};
use outcry_model::Checkpoints;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn post(id: i64) -> serde_json::Value {
    // Lemmy before 0.19 wrote naive times; newer ones RFC 3339.
    let published = if id % 2 == 0 {
        format!("2026-01-05T10:00:{id:02}.123456")
    } else {
        format!("2026-01-05T10:00:{id:02}.123456Z")
    };
    serde_json::json!({"post": {"id": id, "name": format!("Post {id}"), "body": if id == 3 { serde_json::json!("Discord is down") } else { serde_json::Value::Null },
        "published": published, "ap_id": format!("https://lemmy.example/post/{id}"), "language_id": 37},
        "creator": {"actor_id": format!("https://lemmy.example/u/p{id}"), "name": format!("p{id}")}, "community": {"name": "tech"}})
}

fn comment(id: i64) -> serde_json::Value {
    serde_json::json!({"comment": {"id": id, "content": format!("comment {id}"), "published": format!("2026-01-05T10:01:{id:02}Z"), "ap_id": format!("https://lemmy.example/comment/{id}")},
        "creator": {"actor_id": "https://lemmy.example/u/c"}})
}

#[tokio::test]
async fn posts_and_comments_paged_once_each() {
    let newest_post = Arc::new(Mutex::new(3i64));
    let calls = Arc::new(AtomicUsize::new(0));
    let (n, c) = (newest_post.clone(), calls.clone());
    let server = HttpServer::start(move |req| {
        let call = c.fetch_add(1, Ordering::SeqCst);
        if call == 1 {
            return Reply::json(500, "{\"error\":\"db\"}");
        }
        assert_eq!(req.query("sort").as_deref(), Some("New"));
        let limit: i64 = req.query("limit").unwrap().parse().unwrap();
        let page: i64 = req.query("page").unwrap().parse().unwrap();
        if call > 3 {
            *n.lock().unwrap() = 9;
        }
        let newest = if req.path() == "/api/v3/post/list" {
            *n.lock().unwrap()
        } else {
            4
        };
        let ids: Vec<i64> = (1..=newest)
            .rev()
            .skip(((page - 1) * limit) as usize)
            .take(limit as usize)
            .collect();
        if req.path() == "/api/v3/post/list" {
            Reply::json(
                200,
                serde_json::json!({"posts": ids.iter().map(|&i| post(i)).collect::<Vec<_>>()})
                    .to_string(),
            )
        } else {
            let mut list: Vec<serde_json::Value> = ids.iter().map(|&i| comment(i)).collect();
            list.push(serde_json::json!({"comment": {"id": 99, "published": "never"}}));
            Reply::json(200, serde_json::json!({"comments": list}).to_string())
        }
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"lemmy\"\nurl = \"{}\"\nkeep = \"all\"\nlimit = 2\npoll_interval = 0.02\ntimeout = 2\nbackoff_initial = 0.01\nbackoff_max = 0.02\nrequests_per_minute = 60000\n",
        server.url
    );
    let got = run_until(&text, Checkpoints::new(), |c| {
        c.post_ids().contains(&"post/5".to_string())
    })
    .await;
    let ids = got.post_ids();
    assert!(duplicates(&ids).is_empty(), "{ids:?}");
    let posts: Vec<&String> = ids.iter().filter(|i| i.starts_with("post/")).collect();
    // First pass: the newest page only (3, 2); later: 4..=9 walked down over pages.
    assert_eq!(
        posts,
        [
            "post/2", "post/3", "post/8", "post/9", "post/6", "post/7", "post/4", "post/5"
        ]
    );
    assert!(ids.contains(&"comment/4".to_string()) && ids.contains(&"comment/3".to_string()));
    let p3 = got.posts().into_iter().find(|p| p.id == "post/3").unwrap();
    assert_eq!(p3.text, "Post 3\nDiscord is down");
    assert_eq!(p3.url.as_deref(), Some("https://lemmy.example/post/3"));
    let p2 = got.posts().into_iter().find(|p| p.id == "post/2").unwrap();
    assert_eq!(
        p2.created_at.to_rfc3339(),
        "2026-01-05T10:00:02.123456+00:00"
    );
    assert!(got.rejected() >= 1, "the comment with a bad time");
}
