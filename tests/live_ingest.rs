//! The live ingest job end to end: the real `outcry` binary polls a Mastodon-speaking server on
//! 127.0.0.1, is killed with SIGKILL in the middle, is started again and stopped with SIGTERM;
//! every status must then be in the index exactly once, and the restart must resume from the
//! committed cursor instead of starting over.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Statuses on the timeline in all.
const TOTAL: u64 = 2000;
/// Statuses per page (Mastodon's maximum).
const PAGE: u64 = 40;
/// Longest wait for any step (a guard against hangs, not a speed assertion).
const GUARD: Duration = Duration::from_secs(60);

/// A Mastodon timeline that grows by one page per request, so the job has to keep polling.
struct Timeline {
    newest: AtomicU64,
    min_ids: Mutex<Vec<u64>>,
}

fn status(id: u64) -> serde_json::Value {
    serde_json::json!({
        "id": id.to_string(),
        "created_at": format!("2026-01-05T{:02}:{:02}:{:02}Z", 10 + id / 3600, (id / 60) % 60, id % 60),
        "content": format!("<p>post {id}: is github down?</p>"),
        "language": "en",
        "account": {"acct": format!("user{}", id % 17)},
        "url": format!("https://masto.test/@u/{id}"),
        "reblog": null,
    })
}

fn serve(listener: TcpListener, timeline: Arc<Timeline>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let timeline = timeline.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                return;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let target = first.split_whitespace().nth(1).unwrap_or("");
            let min_id: Option<u64> = target
                .split(['?', '&'])
                .find_map(|kv| kv.strip_prefix("min_id="))
                .and_then(|v| v.parse().ok());
            timeline.min_ids.lock().unwrap().push(min_id.unwrap_or(0));
            let newest = timeline
                .newest
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                    Some((n + PAGE).min(TOTAL))
                })
                .unwrap();
            let from = min_id.unwrap_or(0);
            let ids: Vec<serde_json::Value> = ((from + 1)..=newest.min(from + PAGE))
                .rev()
                .map(status)
                .collect();
            let body = serde_json::to_string(&ids).unwrap();
            // A real server takes a moment: the first run then commits before it is killed.
            std::thread::sleep(Duration::from_millis(15));
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-RateLimit-Remaining: 299\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest);
        });
    }
}

fn start(index: &std::path::Path, config: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_outcry"))
        .args(["ingest", "--index"])
        .arg(index)
        .arg("--config")
        .arg(config)
        .args(["--commit-interval", "0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// How many streams have a cursor in the index's last commit (0 before the first commit).
fn committed_cursors(index: &std::path::Path) -> usize {
    let Ok(meta) = std::fs::read_to_string(index.join("meta.json")) else {
        return 0;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&meta) else {
        return 0;
    };
    meta["payload"]
        .as_str()
        .and_then(|payload| serde_json::from_str::<serde_json::Value>(payload).ok())
        .and_then(|payload| payload["checkpoints"].as_object().map(|c| c.len()))
        .unwrap_or(0)
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + GUARD;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigkill_then_restart_indexes_every_post_exactly_once() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let timeline = Arc::new(Timeline {
        newest: AtomicU64::new(PAGE),
        min_ids: Mutex::new(Vec::new()),
    });
    let t = timeline.clone();
    std::thread::spawn(move || serve(listener, t));
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let config = dir.path().join("sources.toml");
    std::fs::write(
        &config,
        format!(
            "[[source]]\nkind = \"mastodon\"\nname = \"masto\"\nurl = \"{url}\"\nkeep = \"all\"\npoll_interval = 0.01\ntimeout = 5\nrequests_per_minute = 100000\nbackoff_initial = 0.01\nbackoff_max = 0.1\n"
        ),
    )
    .unwrap();

    // First run: killed without warning in the middle of the timeline.
    let mut first = start(&index, &config);
    wait_until("the first run to read part of the timeline", || {
        timeline.newest.load(Ordering::SeqCst) >= TOTAL / 3
    });
    // On a busy machine the first commit may come later than a third of the timeline: the
    // point is to kill a run that has committed a cursor and has uncommitted work after it.
    wait_until("the first run to commit a cursor", || {
        committed_cursors(&index) > 0
    });
    first.kill().unwrap();
    first.wait().unwrap();
    let served_before_kill = timeline.min_ids.lock().unwrap().len();

    // Second run: resumes, reads to the end, stops cleanly on SIGTERM.
    let mut second = start(&index, &config);
    wait_until("the second run to reach the end of the timeline", || {
        timeline
            .min_ids
            .lock()
            .unwrap()
            .iter()
            .filter(|&&m| m == TOTAL)
            .count()
            >= 2
    });
    let resumed_from = timeline.min_ids.lock().unwrap()[served_before_kill];
    assert!(
        resumed_from > 0,
        "the restart resumed from the committed cursor, not from the start"
    );
    let status = Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = second.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "outcry ingest did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    second
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(exit.success(), "exit {exit:?}: {stderr}");

    let out = Command::new(env!("CARGO_BIN_EXE_outcry"))
        .args(["stats", "--format", "json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["posts"], TOTAL, "every status exactly once: {stats}");
}
