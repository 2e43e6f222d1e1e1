//! End-to-end tests of the `outcry` binary against real indexes in temp dirs.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn outcry() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_outcry"));
    cmd.env_remove("OUTCRY_DATA").env_remove("RUST_LOG");
    cmd
}

fn run(args: &[&str]) -> Output {
    outcry()
        .args(args)
        .output()
        .expect("the outcry binary runs")
}

/// `outcry ingest --index INDEX --jsonl POSTS`.
fn ingest(index: &Path, posts: &Path) -> Output {
    run(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        "--jsonl",
        posts.to_str().unwrap(),
    ])
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const TEXTS: [&str; 8] = [
    "whatsapp is down again?? messages stuck on one tick",
    "caiu o zap aqui em SP",
    "instagram not loading for anyone else? #instagramdown",
    "just downloaded the new spotify update, love it",
    "netflix se cayó, no me carga nada",
    "Meta shares down 3% after earnings",
    "youtube stopped working, error 503",
    "gmail is back up, working again",
];

/// Writes `n` valid post records, with ids `p0..`, a minute apart.
fn write_posts(path: &Path, n: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let minute = i % 1440;
        let day = 4 + i / 1440;
        writeln!(
            f,
            r#"{{"id":"p{i}","created_at":"2021-10-{day:02}T{:02}:{:02}:{:02}Z","text":"{}","author":"user{}","lang":"{}"}}"#,
            minute / 60,
            minute % 60,
            i % 60,
            TEXTS[i % TEXTS.len()],
            i % 97,
            ["en", "pt", "en", "en", "es", "en", "en", "en"][i % 8],
        )
        .unwrap();
    }
}

/// A temp dir whose index holds `n` posts of [`write_posts`], and the index's path.
fn ingested(n: usize) -> (Fixture, PathBuf) {
    let fx = fixture();
    let posts = fx.root.join("a.jsonl");
    write_posts(&posts, n);
    let index = fx.root.join("idx");
    let out = ingest(&index, &posts);
    assert!(out.status.success(), "{}", stderr(&out));
    (fx, index)
}

fn stats_posts(index: &Path) -> u64 {
    let out = run(&[
        "stats",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "stats failed: {}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["posts"]
        .as_u64()
        .expect("stats json has a numeric posts key")
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    Fixture { _dir: dir, root }
}

#[test]
fn ingest_counts_rejections_by_reason_and_keeps_good_lines() {
    let fx = fixture();
    let posts = fx.root.join("mixed.jsonl");
    let good = r#"{"id":"ok1","created_at":"2021-10-04T15:45:00Z","text":"whatsapp down?"}"#;
    let lines: Vec<&[u8]> = vec![
        good.as_bytes(),
        b"{not json",
        br#"{"created_at":"2021-10-04T15:45:00Z","text":"no id"}"#,
        br#"{"id":"t","created_at":"last tuesday","text":"bad time"}"#,
        b"{\"id\":\"u\",\"created_at\":\"2021-10-04T15:45:00Z\",\"text\":\"\xff\xfe\"}",
        br#"{"id":"k","created_at":"2021-10-04T15:45:00Z","text":"x","kind":"tweet"}"#,
        br#"{"id":"ok2","created_at":"2021-10-04T15:46:00Z","kind":"report","service":"whatsapp"}"#,
    ];
    let mut f = std::fs::File::create(&posts).unwrap();
    for l in &lines {
        f.write_all(l).unwrap();
        f.write_all(b"\n").unwrap();
    }
    drop(f);
    let index = fx.root.join("idx");
    let out = ingest(&index, &posts);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("indexed 2 posts"), "{text}");
    for reason in [
        "invalid_json 1",
        "missing_field 1",
        "bad_time 1",
        "invalid_utf8 1",
        "bad_value 1",
    ] {
        assert!(text.contains(reason), "summary lacks {reason}: {text}");
    }
    let err = stderr(&out);
    assert!(
        err.contains("mixed.jsonl:2:"),
        "rejections name file and line: {err}"
    );
    assert!(
        err.contains("mixed.jsonl:4:") && err.contains("RFC 3339"),
        "{err}"
    );
    assert_eq!(stats_posts(&index), 2);

    // --strict stops at the first bad line with exit code 1 and the line's message.
    let index2 = fx.root.join("idx2");
    let out = run(&[
        "ingest",
        "--index",
        index2.to_str().unwrap(),
        "--jsonl",
        posts.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("mixed.jsonl:2:"), "{}", stderr(&out));
}

#[test]
fn reingesting_adds_nothing_even_under_another_path() {
    let fx = fixture();
    let posts = fx.root.join("a.jsonl");
    write_posts(&posts, 500);
    let copy = fx.root.join("b.jsonl");
    std::fs::copy(&posts, &copy).unwrap();
    let index = fx.root.join("idx");
    assert!(ingest(&index, &posts).status.success());
    assert_eq!(stats_posts(&index), 500);
    let again = ingest(&index, &posts);
    assert!(
        stdout(&again).contains("indexed 0 posts"),
        "{}",
        stdout(&again)
    );
    let copy_run = ingest(&index, &copy);
    assert!(
        stdout(&copy_run).contains("duplicates: 500"),
        "{}",
        stdout(&copy_run)
    );
    assert_eq!(stats_posts(&index), 500);
}

#[test]
fn sigkill_mid_ingest_then_rerun_indexes_every_post_exactly_once() {
    let fx = fixture();
    let posts = fx.root.join("big.jsonl");
    let n = 40_000;
    write_posts(&posts, n);
    let index = fx.root.join("idx");
    let idx = index.to_str().unwrap();
    let mut killed_mid_run = false;
    // Kill at several moments; each run resumes from the last commit.
    for delay_ms in [300u64, 700, 1200] {
        let mut child = outcry()
            .args([
                "ingest",
                "--index",
                idx,
                "--jsonl",
                posts.to_str().unwrap(),
                "--commit-docs",
                "1500",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run = true;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    let out = ingest(&index, &posts);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats_posts(&index), n as u64, "every post exactly once");
    // Every id is there, once.
    let out = run(&[
        "search", "--index", idx, "--format", "json", "--limit", "100000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], n);
    let ids: std::collections::BTreeSet<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), n, "no id twice");
    assert!(ids.contains("p0") && ids.contains("p39999"));
    assert!(
        killed_mid_run,
        "the test should kill at least one run before it finished"
    );
}

#[test]
fn search_json_contract_and_stemmed_matching() {
    let (_fx, index) = ingested(64);
    let idx = index.to_str().unwrap();
    let out = run(&[
        "search",
        "--index",
        idx,
        "--format",
        "json",
        "--limit",
        "3",
        "\"not working\"",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["total"], 8,
        "'stopped working' matches 'not working': {v}"
    );
    let hit = &v["hits"][0];
    for key in [
        "id",
        "created_at",
        "text",
        "platforms",
        "complaint",
        "regions",
        "lang",
        "source",
    ] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
    let out = run(&[
        "search",
        "--index",
        idx,
        "--format",
        "json",
        "--platform",
        "whatsapp",
        "--complaints",
        "--from",
        "2021-10-04",
        "--to",
        "2021-10-05",
        "*",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["total"], 16,
        "the English and the Portuguese WhatsApp complaints: {v}"
    );
    // Text output highlights the matched words.
    let out = run(&["search", "--index", idx, "--limit", "1", "cayó"]);
    assert!(stdout(&out).contains("**cayó**"), "{}", stdout(&out));
}

#[test]
fn classify_prints_one_object_per_record_in_order() {
    let mut child = outcry()
        .args(["classify"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = concat!(
        r#"{"id":"a","created_at":"2021-10-04T15:45:00Z","text":"whatsapp is down for everyone??"}"#,
        "\n",
        "garbage\n",
        r#"{"id":"b","created_at":"2021-10-04T15:45:00Z","text":"Meta shares down 3% today"}"#,
        "\n",
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["complaint"], true);
    assert_eq!(lines[0]["platforms"][0], "whatsapp");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["id"], "b");
    assert_eq!(lines[2]["complaint"], false);
    for key in [
        "id",
        "platforms",
        "complaint",
        "recovery",
        "symptoms",
        "lang",
        "regions",
    ] {
        assert!(lines[0].get(key).is_some(), "lacks {key}");
    }
}

#[test]
fn usage_errors_exit_2_and_runtime_errors_exit_1() {
    let out = run(&["search"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["search", "--index", "/nonexistent/outcry-index", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
    let out = run(&["search", "--index", "/tmp", "--from", "last tuesday", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("RFC 3339"), "{}", stderr(&out));
    let fx = fixture();
    let index = fx.root.join("idx");
    let out = ingest(&index, Path::new("/nonexistent/posts.jsonl"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/nonexistent/posts.jsonl"),
        "{}",
        stderr(&out)
    );
    assert!(!index.exists(), "a bad input path creates no index");
}

#[test]
fn closed_stdout_is_a_clean_exit() {
    let fx = fixture();
    let posts = fx.root.join("a.jsonl");
    write_posts(&posts, 3000);
    let mut child = outcry()
        .args(["classify", "--jsonl", posts.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe like `| head -1`.
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 64];
    let _ = std::io::Read::read(&mut stdout, &mut buf).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        stderr(&out)
    );
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn report_counts_the_posts_of_a_window_that_does_not_start_on_a_minute() {
    // Post i is written at minute i, second i % 60.
    let (_fx, index) = ingested(200);
    let idx = index.to_str().unwrap();
    let considered = |from: &str, to: &str| -> u64 {
        let out = run(&[
            "report", "--index", idx, "--from", from, "--to", to, "--format", "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["posts_considered"].as_u64().unwrap()
    };
    // Post 11 (00:11:11, not a complaint) is before the window; posts 12 to 119 are in it,
    // post 120 (02:00:00) is at its end, which is not part of it.
    assert_eq!(
        considered("2021-10-04T00:11:30Z", "2021-10-04T02:00:00Z"),
        108
    );
    // On minutes, the same posts come from the minute counts of detection.
    assert_eq!(
        considered("2021-10-04T00:12:00Z", "2021-10-04T02:00:00Z"),
        108
    );
    // A window that ends inside a minute: post 119 (01:59:59) is after it.
    assert_eq!(
        considered("2021-10-04T00:12:00Z", "2021-10-04T01:59:30Z"),
        107
    );
}

/// `--explain` names the stacked veto (data/model/veto.tsv) with its probability and the
/// features that weighed most; a broken veto file in `--data` stops the command with its file,
/// line and fix. The story is an example of the bundled models: a retrain may need another.
#[test]
fn classify_explains_the_stacked_veto_and_refuses_a_broken_veto_file() {
    let mut child = outcry()
        .args(["classify", "--explain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let story = r#"{"id":"s","created_at":"2021-10-04T15:45:00Z","lang":"fr","text":"Il y a un an, la grosse panne d'Orange avait même coupé les numéros d'urgence. Toujours pas digéré"}"#;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{story}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["complaint"], false, "{line}");
    let veto = &line["explain"]["model"]["veto"];
    assert_eq!(veto["effect"], "vetoed the complaint", "{line}");
    assert!(
        veto["probability"].as_f64().is_some_and(|p| p < 0.75),
        "{veto}"
    );
    assert!(
        veto["strongest"].as_array().is_some_and(|s| !s.is_empty()),
        "{veto}"
    );

    let fx = fixture();
    let data = fx.root.join("data");
    std::fs::create_dir_all(data.join("model")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/platforms.toml"),
        data.join("platforms.toml"),
    )
    .unwrap();
    std::fs::write(
        data.join("model/veto.tsv"),
        "@trained_on\tx\n@heads\tcomplaint\n@veto_below\t7.5\n@min_features\t18\n@bias\t0\n\
         ⟨r:complaint⟩\t1\n",
    )
    .unwrap();
    let out = outcry()
        .args(["--data", data.to_str().unwrap(), "classify"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("veto.tsv:3"), "{err}");
    assert!(
        err.contains("not a probability") && err.contains("fix:"),
        "{err}"
    );
}
