//! Tailing a JSONL file: only complete lines, bad lines rejected with file:line, resume from
//! the saved byte offset.

use crate::util::run_until;
use outcry_model::Checkpoints;
use std::io::Write;

fn line(id: u32) -> String {
    format!(
        "{{\"id\":\"{id}\",\"created_at\":\"2026-01-05T10:00:00Z\",\"text\":\"gmail down {id}\",\"author\":\"someone\"}}\n"
    )
}

#[tokio::test]
async fn tails_complete_lines_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("posts.jsonl");
    let partial = line(3);
    std::fs::write(&path, format!("{}{}{}", line(1), line(2), &partial[..20])).unwrap();
    let text = format!(
        "[[source]]\nkind = \"jsonl\"\nname = \"collector\"\nurl = \"{}\"\nkeep = \"all\"\npoll_interval = 0.02\n",
        path.display()
    );
    let writer = {
        let path = path.clone();
        let rest = partial[20..].to_string();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            write!(f, "{rest}not json\n{}", line(4)).unwrap();
        })
    };
    let got = run_until(&text, Checkpoints::new(), |c| {
        c.post_ids().contains(&"4".to_string())
    })
    .await;
    writer.await.unwrap();
    assert_eq!(got.post_ids(), ["1", "2", "3", "4"]);
    assert_eq!(got.posts()[0].source, "collector");
    assert!(got.posts()[0].author.is_some());
    let rejected: Vec<String> = got
        .events
        .iter()
        .filter_map(|e| match e {
            outcry_ingest::SourceEvent::Rejected { location, .. } => Some(location.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(rejected, [format!("{}:4", path.display())]);
    let saved = got.checkpoints();
    let cursor: serde_json::Value = serde_json::from_str(&saved["collector"]).unwrap();
    assert_eq!(cursor["offset"], std::fs::metadata(&path).unwrap().len());
    assert_eq!(cursor["line"], 5);

    // Resume: only what was appended after the saved position.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(line(5).as_bytes())
        .unwrap();
    let again = run_until(&text, saved, |c| !c.post_ids().is_empty()).await;
    assert_eq!(again.post_ids(), ["5"]);
}
