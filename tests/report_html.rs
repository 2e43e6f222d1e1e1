//! The HTML report, end to end: simulate a scenario, index it, write the report, and render it in
//! headless Chromium (the real browser people open it in).

use std::path::Path;
use std::process::{Command, Output};

fn outcry(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_outcry"))
        .env_remove("OUTCRY_DATA")
        .args(args)
        .output()
        .expect("the outcry binary runs");
    assert!(
        out.status.success(),
        "outcry {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn chromium() -> String {
    for candidate in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(candidate)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return candidate.to_string();
        }
    }
    panic!(
        "headless Chromium is needed to check the HTML report: apt-get install chromium (.ci/run installs it)"
    );
}

fn render_dom(browser: &str, html: &Path, profile: &Path) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn html_report_of_a_simulated_outage_renders_in_chromium() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sim = root.join("sim");
    let index = root.join("idx");
    outcry(&[
        "simulate",
        "--scenario",
        "small-instance",
        "--seed",
        "3",
        "--out",
        sim.to_str().unwrap(),
    ]);
    outcry(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        "--jsonl",
        sim.join("posts.jsonl.gz").to_str().unwrap(),
    ]);
    let html = root.join("report.html");
    outcry(&[
        "report",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    let source = std::fs::read_to_string(&html).unwrap();
    assert!(source.starts_with("<!DOCTYPE html>"));
    // Self-contained: no external scripts, styles or images.
    for external in [
        "<script src",
        "<link rel=\"stylesheet\"",
        "src=\"http",
        "href=\"http",
    ] {
        assert!(
            !source.contains(external),
            "the report must be self-contained, found {external}"
        );
    }
    let dom = render_dom(&browser, &html, &root.join("chromium-profile"));
    assert!(dom.contains("<svg"), "charts are inline SVG");
    assert!(
        dom.matches("<svg").count() >= 2,
        "a chart per incident at least"
    );
    assert!(
        dom.contains("<h2") || dom.contains("<h1"),
        "the report has headings"
    );

    // The JSON report and its evaluation against the truth agree that incidents were found.
    let json = outcry(&[
        "report",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let incidents = report["incidents"].as_array().unwrap();
    assert!(
        !incidents.is_empty(),
        "the simulated incidents are detected: {report}"
    );
    for incident in incidents {
        for sample in incident["samples"].as_array().unwrap() {
            assert!(
                sample.get("author").is_none(),
                "samples never carry authors"
            );
        }
    }
}
