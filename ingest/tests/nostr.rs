//! Nostr NIP-01 on two relays: REQ for kind 1 since the cursor, stored events then EOSE then
//! live events, the same note from both relays sent once, malformed messages rejected, a relay
//! that drops the connection resumed from its own cursor.

use crate::util::{WsServer, WsStep, duplicates, run_until};
use outcry_model::Checkpoints;

const T: i64 = 1_767_607_200;

fn note(n: u32, at: i64) -> String {
    let id = format!("{n:064x}");
    serde_json::json!(["EVENT", "outcry", {"id": id, "pubkey": format!("{:064x}", 1000 + n), "created_at": at, "kind": 1,
        "tags": [["l", "es", "ISO-639-1"]], "content": format!("note {n}: se cayó whatsapp"), "sig": "00"}])
    .to_string()
}

#[tokio::test]
async fn two_relays_eose_duplicates_and_reconnect() {
    let relay_a = WsServer::start(|conn, _| match conn {
        0 => vec![
            WsStep::Receive,
            // Stored notes, newest first.
            WsStep::Text(note(3, T + 3)),
            WsStep::Text(note(1, T + 1)),
            WsStep::Text("[\"EVENT\",\"outcry\",{\"id\":\"zz\"".into()),
            WsStep::Text(serde_json::json!(["EVENT", "outcry", {"id": "ab", "pubkey": "cd", "created_at": T, "kind": 1, "content": "x", "tags": []}]).to_string()),
            WsStep::Text(serde_json::json!(["EVENT", "outcry", {"id": format!("{:064x}", 77), "pubkey": format!("{:064x}", 1), "created_at": T, "kind": 7, "content": "+", "tags": []}]).to_string()),
            WsStep::Text("[\"EOSE\",\"outcry\"]".into()),
            WsStep::Text("[\"NOTICE\",\"slow down\"]".into()),
            WsStep::Text(note(4, T + 4)),
            WsStep::Drop,
        ],
        _ => vec![WsStep::Receive, WsStep::Text(note(4, T + 4)), WsStep::Text("[\"EOSE\",\"outcry\"]".into()), WsStep::Text(note(6, T + 6))],
    })
    .await;
    let relay_b = WsServer::start(|_, _| {
        vec![
            WsStep::Receive,
            WsStep::Text(note(3, T + 3)),
            WsStep::Text(note(2, T + 2)),
            WsStep::Text("[\"EOSE\",\"outcry\"]".into()),
            WsStep::Text(note(5, T + 5)),
        ]
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"nostr\"\nname = \"nostr\"\nurl = \"{}\"\nrelays = [\"{}\"]\nkeep = \"all\"\nrewind = 10\ntimeout = 5\nbackoff_initial = 0.01\nbackoff_max = 0.02\nrequests_per_minute = 60000\n",
        relay_a.url, relay_b.url
    );
    let mut checkpoints = Checkpoints::new();
    checkpoints.insert(
        format!("nostr|{}", relay_a.url),
        format!("{{\"since\":{T}}}"),
    );
    let got = run_until(&text, checkpoints, |c| {
        let ids = c.post_ids();
        ids.contains(&format!("{:064x}", 6)) && ids.contains(&format!("{:064x}", 5))
    })
    .await;
    let ids = got.post_ids();
    assert!(duplicates(&ids).is_empty(), "{ids:?}");
    let mut numbers: Vec<u32> = ids
        .iter()
        .map(|i| u32::from_str_radix(i, 16).unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    let p = &got.posts()[0];
    assert_eq!(p.lang.as_deref(), Some("es"));
    assert_eq!(p.source, "nostr");
    assert_eq!(got.rejected(), 2, "the truncated message and the bad ids");
    // The REQ asked for kind 1 since the saved cursor minus the rewind.
    let req: serde_json::Value =
        serde_json::from_str(&relay_a.received.lock().unwrap()[0]).unwrap();
    assert_eq!(req[0], "REQ");
    assert_eq!(req[2]["kinds"], serde_json::json!([1]));
    assert_eq!(req[2]["since"], T - 10);
    // After the drop, relay A was asked again from its own newest note.
    let again: serde_json::Value =
        serde_json::from_str(&relay_a.received.lock().unwrap()[1]).unwrap();
    assert_eq!(again[2]["since"], T + 4 - 10);
    let saved = got.checkpoints();
    assert_eq!(
        saved[&format!("nostr|{}", relay_a.url)],
        format!("{{\"since\":{}}}", T + 6)
    );
    assert_eq!(
        saved[&format!("nostr|{}", relay_b.url)],
        format!("{{\"since\":{}}}", T + 5)
    );
}
