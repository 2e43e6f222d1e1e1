//! `outcry stats`.

use crate::cli::{StatsArgs, TextOrJson};
use anyhow::Result;
use outcry_index::PostIndex;
use serde_json::Value;
use std::io::Write;
use std::process::ExitCode;

/// Runs `outcry stats`.
pub fn run(args: StatsArgs) -> Result<ExitCode> {
    let index = PostIndex::open(&args.index)?;
    let stats = serde_json::to_value(index.stats()?)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        TextOrJson::Json => writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?,
        TextOrJson::Text => write_text(&mut out, &stats, 0)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the stats object for people: scalars as `key: value`, maps as indented tables sorted
/// by count, largest first.
fn write_text(out: &mut impl Write, value: &Value, depth: usize) -> std::io::Result<()> {
    let pad = "  ".repeat(depth);
    if let Value::Object(map) = value {
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        if entries.iter().all(|(_, v)| v.is_u64()) && depth > 0 {
            entries.sort_by(|a, b| b.1.as_u64().cmp(&a.1.as_u64()).then(a.0.cmp(b.0)));
        }
        for (key, v) in entries {
            match v {
                Value::Object(_) => {
                    writeln!(out, "{pad}{}:", key.replace('_', " "))?;
                    write_text(out, v, depth + 1)?;
                }
                _ => writeln!(
                    out,
                    "{pad}{:<14} {}",
                    format!("{}:", key.replace('_', " ")),
                    scalar(key, v)
                )?,
            }
        }
    }
    Ok(())
}

fn scalar(key: &str, v: &Value) -> String {
    match v {
        Value::Number(n) if key.ends_with("bytes") => {
            n.as_u64().map(human_bytes).unwrap_or_else(|| n.to_string())
        }
        Value::Number(n) => n
            .as_u64()
            .map(crate::commands::thousands)
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
