//! Bluesky Jetstream over WebSocket: creates kept, other operations and collections ignored,
//! malformed frames rejected, duplicates (did+rkey) dropped, out-of-order events, a disconnect
//! mid-stream, resume from the cursor a few seconds early without sending anything twice.

use crate::util::{WsServer, WsStep, duplicates, run_until};
use outcry_model::Checkpoints;

fn create(did: &str, rkey: &str, time_us: i64, text: &str) -> String {
    serde_json::json!({
        "did": did, "time_us": time_us, "kind": "commit",
        "commit": {"rev": "3l", "operation": "create", "collection": "app.bsky.feed.post", "rkey": rkey, "cid": "bafy",
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-01-05T10:00:00.000Z", "langs": ["pt-BR"]}}
    })
    .to_string()
}

const T0: i64 = 1_767_607_200_000_000;

fn config(url: &str) -> String {
    format!(
        "[[source]]\nkind = \"jetstream\"\nurl = \"{url}/subscribe\"\nkeep = \"all\"\nrewind = 3\ntimeout = 2\nbackoff_initial = 0.01\nbackoff_max = 0.05\nrequests_per_minute = 60000\n"
    )
}

#[tokio::test]
async fn reads_creates_survives_disconnects_and_resumes() {
    let server = WsServer::start(|conn, _target| {
        let s = |k: &str, t: i64| WsStep::Text(create("did:plc:alice", k, t, &format!("post {k}")));
        match conn {
            0 => vec![
                s("a1", T0 + 1),
                WsStep::Ping,
                s("a3", T0 + 3),
                // Out of order: an older event after a newer one.
                s("a2", T0 + 2),
                // The same post again.
                s("a1", T0 + 1),
                WsStep::Text(r#"{"did":"did:plc:alice","time_us":1767607200000004,"kind":"commit","commit":{"operation":"delete","collection":"app.bsky.feed.post","rkey":"a1"}}"#.into()),
                WsStep::Text(r#"{"did":"did:plc:bob","time_us":1767607200000005,"kind":"identity","identity":{"did":"did:plc:bob","handle":"bob.test"}}"#.into()),
                WsStep::Text(r#"{"did":"did:plc:bob","time_us":1767607200000006,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.like","rkey":"l1","record":{}}}"#.into()),
                WsStep::Text(r#"{"did":"did:plc:bob","time_us":17676"#.into()),
                WsStep::Text(r#"{"did":"did:plc:bob","time_us":1767607200000007,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"b0"}}"#.into()),
                // A disconnect in the middle of the stream, no close frame.
                WsStep::Drop,
            ],
            // After reconnecting (resumed a few seconds early) the server repeats a3, then goes on.
            1 => vec![s("a3", T0 + 3), s("a4", T0 + 8), s("a5", T0 + 9), WsStep::Close],
            _ => vec![s("a5", T0 + 9), s("a6", T0 + 10)],
        }
    })
    .await;
    let text = config(&server.url);
    let got = run_until(&text, Checkpoints::new(), |c| {
        c.post_ids().iter().any(|i| i.ends_with("/a6"))
    })
    .await;
    let ids = got.post_ids();
    assert!(duplicates(&ids).is_empty(), "{ids:?}");
    let rkeys: Vec<&str> = ids.iter().map(|i| i.rsplit('/').next().unwrap()).collect();
    assert_eq!(rkeys, ["a1", "a3", "a2", "a4", "a5", "a6"]);
    let post = got.posts()[0];
    assert_eq!(post.id, "at://did:plc:alice/app.bsky.feed.post/a1");
    assert_eq!(post.lang.as_deref(), Some("pt"));
    assert_eq!(
        post.url.as_deref(),
        Some("https://bsky.app/profile/did:plc:alice/post/a1")
    );
    // The truncated frame and the post without a record.
    assert_eq!(got.rejected(), 2);
    let targets = server.targets();
    assert!(
        targets[0].contains("wantedCollections=app.bsky.feed.post")
            && !targets[0].contains("cursor="),
        "{targets:?}"
    );
    // Reconnect resumed 3 s before the newest event read (time_us T0+7 from the rejected-but-timed frame).
    assert!(
        targets[1].contains(&format!("cursor={}", T0 + 7 - 3_000_000)),
        "{targets:?}"
    );
    let saved = got.checkpoints();
    let cursor = &saved[&format!("jetstream:{}", server.url.trim_start_matches("ws://"))];
    assert_eq!(cursor, &format!("{{\"time_us\":{}}}", T0 + 10));

    // A restart from the saved cursor: what comes back at or before it is not counted again.
    let restart = WsServer::start(|_, _| {
        vec![
            WsStep::Text(create("did:plc:alice", "a6", T0 + 10, "post a6")),
            WsStep::Text(create("did:plc:alice", "a7", T0 + 11, "post a7")),
        ]
    })
    .await;
    let mut checkpoints = Checkpoints::new();
    checkpoints.insert(
        format!("jetstream:{}", restart.url.trim_start_matches("ws://")),
        cursor.clone(),
    );
    let again = run_until(&config(&restart.url), checkpoints, |c| {
        c.post_ids().iter().any(|i| i.ends_with("/a7"))
    })
    .await;
    assert!(restart.targets()[0].contains(&format!("cursor={}", T0 + 10 - 3_000_000)));
    let volume: u64 = again
        .events
        .iter()
        .filter_map(|e| match e {
            outcry_ingest::SourceEvent::Volume(v) => Some(v.seen),
            _ => None,
        })
        .sum();
    // a6 is re-sent (the index drops it if it has it) but only a7 is counted as newly seen.
    assert_eq!(volume, 1);
}
