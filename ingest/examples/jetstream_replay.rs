//! A loopback Jetstream server for the live-ingest benchmark: it serves generated
//! `app.bsky.feed.post` create events in the real Jetstream JSON shape, as fast as the client
//! reads them, honouring `cursor=` (a reconnect resumes where the client asks).
//!
//! ```text
//! cargo run --release -p outcry-ingest --example jetstream_replay -- 127.0.0.1:7777 2000000
//! ```
//! serves 2,000,000 posts per connection (from the cursor on), then keeps the connection open.
//! Only ever binds the address it is given; meant for 127.0.0.1.

use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// Microseconds between two generated events (100 per second of event time).
const STEP_US: i64 = 10_000;
/// Event time of the first post: 2026-01-05T10:00:00Z.
const START_US: i64 = 1_767_607_200_000_000;

const TEXTS: [(&str, &str); 12] = [
    (
        "en",
        "is whatsapp down for anyone else? messages stuck on one tick",
    ),
    ("en", "just finished a great run this morning, feeling good"),
    (
        "en",
        "instagram not loading my feed again, keeps saying couldn't refresh",
    ),
    ("en", "new blog post about rust async runtimes is up"),
    ("pt", "caiu o zap aqui em são paulo, alguém mais?"),
    ("pt", "bom dia pessoal, café e trabalho"),
    ("es", "se cayó discord? no puedo entrar al servidor"),
    ("es", "qué buen partido anoche"),
    ("en", "github actions stuck in queued for 20 minutes"),
    ("en", "the price of coffee went down 3% this week"),
    (
        "en",
        "youtube keeps buffering on every video, is it just me",
    ),
    ("en", "watching the sunset from the pier"),
];

fn event(n: u64) -> String {
    let (lang, text) = TEXTS[(n % TEXTS.len() as u64) as usize];
    let time_us = START_US + n as i64 * STEP_US;
    let secs = time_us / 1_000_000;
    let created = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
    serde_json::json!({
        "did": format!("did:plc:bench{:06}", n % 50_000),
        "time_us": time_us,
        "kind": "commit",
        "commit": {
            "rev": format!("3l{n:x}"),
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": format!("3k{n:011x}"),
            "record": {"$type": "app.bsky.feed.post", "text": format!("{text} #{n}"), "createdAt": created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true), "langs": [lang]},
            "cid": format!("bafyrei{n:x}")
        }
    })
    .to_string()
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7777".into());
    let posts: u64 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let listener = match TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot bind {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "ws://{}/subscribe",
        listener.local_addr().map(|a| a.to_string()).unwrap_or(addr)
    );
    let sent_total = Arc::new(AtomicU64::new(0));
    while let Ok((stream, _)) = listener.accept().await {
        let sent_total = sent_total.clone();
        tokio::spawn(async move {
            let cursor = Arc::new(std::sync::Mutex::new(None::<i64>));
            let c = cursor.clone();
            #[allow(clippy::result_large_err)]
            let callback =
                move |req: &tokio_tungstenite::tungstenite::handshake::server::Request, resp| {
                    let query = req.uri().query().unwrap_or("");
                    *c.lock().unwrap() = query
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("cursor="))
                        .and_then(|v| v.parse().ok());
                    Ok(resp)
                };
            let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
                return;
            };
            let start = match *cursor.lock().unwrap() {
                Some(us) => ((us - START_US).max(0) / STEP_US) as u64,
                None => 0,
            };
            for n in start..posts {
                if ws.feed(Message::text(event(n))).await.is_err() {
                    return;
                }
                if n % 256 == 0 && ws.flush().await.is_err() {
                    return;
                }
                sent_total.fetch_add(1, Ordering::Relaxed);
            }
            let _ = ws.flush().await;
            eprintln!("served posts {start}..{posts} on this connection");
            // Stay connected, answering pings, until the client leaves.
            while let Some(Ok(_)) = ws.next().await {}
        });
    }
}
