//! `outcry classify`: one JSON object per input record, in input order.

use crate::cli::ClassifyArgs;
use crate::data_dir::load_classifier;
use anyhow::{Context, Result};
use outcry_ingest::jsonl::JsonlReader;
use outcry_model::{AuthorHasher, PostRecordParser};
use serde_json::json;
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

/// Runs `outcry classify`.
pub fn run(args: ClassifyArgs, data: Option<&Path>) -> Result<ExitCode> {
    let classifier = load_classifier(data)?;
    // Authors play no part in classification and nothing is stored: a fixed key is enough.
    let parser = PostRecordParser::new(AuthorHasher::new([0; 16]));
    let mut reader = match &args.jsonl {
        Some(path) => JsonlReader::open(path, parser, None)?,
        None => JsonlReader::from_reader(
            "<stdin>",
            Box::new(BufReader::new(std::io::stdin())),
            parser,
        ),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut rejected = 0u64;
    while let Some(item) = reader.next_item() {
        let item = item.with_context(|| format!("cannot read {}", reader.name()))?;
        let value = match item.result {
            Ok(post) => {
                let (c, explanation) = if args.explain {
                    let (c, e) = classifier.explain(&post);
                    (c, Some(e))
                } else {
                    (classifier.classify(&post), None)
                };
                let mut v = json!({
                    "id": post.id,
                    "platforms": c.platforms,
                    "complaint": c.complaint,
                    "recovery": c.recovery,
                    "symptoms": c.symptoms,
                    "lang": c.lang,
                    "regions": c.regions,
                });
                if let Some(e) = explanation {
                    v["explain"] = serde_json::to_value(e)?;
                }
                v
            }
            Err(rejection) => {
                if args.strict {
                    anyhow::bail!("{}:{}: {rejection}", reader.name(), item.line);
                }
                rejected += 1;
                eprintln!("warning: {}:{}: {rejection}", reader.name(), item.line);
                json!({"id": null, "line": item.line, "error": rejection.message, "reason": rejection.reason.as_str()})
            }
        };
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if rejected > 0 {
        eprintln!("{rejected} line(s) rejected; each has an error object in the output");
    }
    Ok(ExitCode::SUCCESS)
}
