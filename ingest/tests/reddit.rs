//! Reddit: the client-credentials token (basic auth, form body), bearer requests with the
//! descriptive User-Agent, a revoked token (401) renewed, `new` listings paged with `after`,
//! search listings, each item once.

use crate::util::{HttpServer, Reply, duplicates, run_until};
use outcry_model::Checkpoints;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const T: f64 = 1_767_607_200.0;

fn listing(things: &[(u32, &str)], after: Option<String>) -> String {
    let children: Vec<serde_json::Value> = things
        .iter()
        .map(|(i, sub)| serde_json::json!({"kind": "t3", "data": {"id": format!("p{i}"), "name": format!("t3_p{i}"), "title": format!("title {i}"),
            "selftext": if *i == 2 { "Slack is down for us" } else { "" }, "created_utc": T + *i as f64, "subreddit": sub, "author": format!("a{i}"),
            "permalink": format!("/r/{sub}/comments/p{i}/x/")}}))
        .collect();
    serde_json::json!({"kind": "Listing", "data": {"after": after, "dist": things.len(), "children": children}}).to_string()
}

#[tokio::test]
async fn oauth_listings_paging_and_token_renewal() {
    let newest = Arc::new(Mutex::new(4u32));
    let tokens = Arc::new(AtomicUsize::new(0));
    let api_calls = Arc::new(AtomicUsize::new(0));
    let (n, t, a) = (newest.clone(), tokens.clone(), api_calls.clone());
    let server = HttpServer::start(move |req| {
        if req.path() == "/api/v1/access_token" {
            assert_eq!(req.method, "POST");
            // base64("client-id:s3cret-value")
            assert_eq!(req.header("authorization"), Some("Basic Y2xpZW50LWlkOnMzY3JldC12YWx1ZQ=="));
            assert_eq!(req.body, "grant_type=client_credentials");
            let k = t.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(200, format!("{{\"access_token\": \"tok{k}\", \"token_type\": \"bearer\", \"expires_in\": 86400, \"scope\": \"*\"}}"));
        }
        assert!(req.header("user-agent").unwrap().contains("outcry"));
        let call = a.fetch_add(1, Ordering::SeqCst);
        let current = format!("bearer tok{}", t.load(Ordering::SeqCst));
        if call == 1 || req.header("authorization") != Some(current.as_str()) {
            // The token was revoked: the client must fetch a new one.
            return Reply::json(401, "{\"message\": \"Unauthorized\", \"error\": 401}");
        }
        if call == 2 {
            return Reply::json(200, "{\"kind\": \"Listing\", \"data\": {\"children\": [{\"kind\": \"t3\", \"data\": {\"name\": \"t3_bad\"}}]}}")
                .with_header("x-ratelimit-remaining", "98.0")
                .with_header("x-ratelimit-reset", "0");
        }
        if call > 4 {
            *n.lock().unwrap() = 10;
        }
        let limit: usize = req.query("limit").unwrap().parse().unwrap();
        let sub = if req.path() == "/search" { "all" } else { "sysadmin" };
        let top = if sub == "all" { 2 } else { *n.lock().unwrap() };
        let start_below = req.query("after").map(|a| a.trim_start_matches("t3_p").parse::<u32>().unwrap()).unwrap_or(top + 1);
        let ids: Vec<(u32, &str)> = (1..start_below).rev().take(limit).map(|i| (i, sub)).collect();
        let after = (ids.len() == limit).then(|| format!("t3_p{}", ids.last().unwrap().0));
        Reply::json(200, listing(&ids, after)).with_header("x-ratelimit-remaining", "97.0").with_header("x-ratelimit-reset", "30")
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"reddit\"\nurl = \"{0}\"\ntoken_url = \"{0}/api/v1/access_token\"\nsubreddits = [\"r/sysadmin\"]\nsearches = [\"is down\"]\nlimit = 3\nclient_id_env = \"TEST_ID\"\nclient_secret_env = \"TEST_SECRET\"\nkeep = \"all\"\npoll_interval = 0.02\ntimeout = 2\nbackoff_initial = 0.01\nbackoff_max = 0.02\nrequests_per_minute = 60000\n",
        server.url
    );
    let got = run_until(&text, Checkpoints::new(), |c| {
        c.post_ids().contains(&"t3_p5".to_string())
    })
    .await;
    let ids = got.post_ids();
    // The search finds p2 again: it is sent once.
    assert!(duplicates(&ids).is_empty(), "{ids:?}");
    assert!(
        tokens.load(Ordering::SeqCst) >= 2,
        "the revoked token was renewed"
    );
    let sysadmin: Vec<u32> = got
        .posts()
        .iter()
        .filter(|p| p.url.as_deref().is_some_and(|u| u.contains("/r/sysadmin/")))
        .map(|p| p.id.trim_start_matches("t3_p").parse().unwrap())
        .collect();
    let mut sorted = sysadmin.clone();
    sorted.sort();
    assert_eq!(sorted, (2..=10).collect::<Vec<_>>(), "{sysadmin:?}");
    let p2 = got.posts().into_iter().find(|p| p.id == "t3_p2").unwrap();
    assert_eq!(p2.text, "title 2\nSlack is down for us");
    assert!(got.rejected() >= 1);
    let search = server
        .requests()
        .into_iter()
        .find(|r| r.path() == "/search")
        .unwrap();
    assert_eq!(search.query("q").as_deref(), Some("is down"));
    assert_eq!(search.query("sort").as_deref(), Some("new"));
}
