//! `outcry search`.

use crate::cli::{SearchArgs, SortArg, TextOrJson};
use crate::time_arg::parse_flag;
use anyhow::{Context, Result};
use outcry_index::{Hit, PostIndex, SearchRequest, SortOrder};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Runs `outcry search`.
pub fn run(args: SearchArgs) -> Result<ExitCode> {
    let now = chrono::Utc::now();
    let from = parse_flag("--from", args.from.as_deref(), now)?;
    let to = parse_flag("--to", args.to.as_deref(), now)?;
    let query = args.query.join(" ");
    let sort = match args.sort {
        Some(SortArg::Time) => SortOrder::Time,
        Some(SortArg::Relevance) => SortOrder::Relevance,
        None if query.trim().is_empty() => SortOrder::Time,
        None => SortOrder::Relevance,
    };
    let index = PostIndex::open(&args.index)?;
    let request = SearchRequest {
        query,
        from,
        to,
        platform: args.platform,
        lang: args.lang,
        region: args.region,
        complaints_only: args.complaints,
        limit: args.limit,
        sort,
    };
    let results = index.search(&request).context("search failed")?;
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        TextOrJson::Json => {
            let hits: Vec<_> = results
                .hits
                .iter()
                .map(|h| {
                    json!({
                        "id": h.id,
                        "created_at": h.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        "text": h.text,
                        "platforms": h.platforms,
                        "complaint": h.complaint,
                        "regions": h.regions,
                        "lang": h.lang,
                        "source": h.source,
                    })
                })
                .collect();
            serde_json::to_writer(&mut out, &json!({"total": results.total, "hits": hits}))?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            writeln!(
                out,
                "{} matching posts{}",
                crate::commands::thousands(results.total as u64),
                if results.total > results.hits.len() {
                    format!(", showing {}", results.hits.len())
                } else {
                    String::new()
                }
            )?;
            for hit in &results.hits {
                write_hit(&mut out, hit, color)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_hit(out: &mut impl Write, hit: &Hit, color: bool) -> std::io::Result<()> {
    let tag = if hit.complaint {
        "complaint"
    } else {
        "mention"
    };
    let platforms = if hit.platforms.is_empty() {
        "-".to_string()
    } else {
        hit.platforms.join(",")
    };
    let regions = if hit.regions.is_empty() {
        String::new()
    } else {
        format!(" [{}]", hit.regions.join(","))
    };
    writeln!(
        out,
        "\n{}  {}  {}  {}  {}{}  ({}:{})",
        hit.created_at.format("%Y-%m-%d %H:%M:%SZ"),
        hit.lang,
        platforms,
        tag,
        hit.source,
        regions,
        hit.source,
        hit.id
    )?;
    writeln!(
        out,
        "    {}",
        highlight(&hit.text, &hit.highlights, color).replace('\n', "\n    ")
    )
}

/// Marks the matched byte ranges: bold yellow on a terminal, `**word**` otherwise.
pub fn highlight(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    let mut ranges: Vec<(usize, usize)> = ranges
        .iter()
        .copied()
        .filter(|&(s, e)| {
            s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
        })
        .collect();
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for (s, e) in ranges {
        if s < at {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(open);
        out.push_str(&text[s..e]);
        out.push_str(close);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn highlight_marks_ranges_and_ignores_bad_ones() {
        assert_eq!(
            super::highlight("zap caiu", &[(4, 8), (0, 3), (2, 99)], false),
            "**zap** **caiu**"
        );
        assert_eq!(super::highlight("caído", &[(0, 3)], false), "caído");
    }
}
