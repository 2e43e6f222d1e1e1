//! The Markdown rendering of a report.

use super::story::{clock, language_name, lede, mask_handles, percent, symptom_phrase, thousands};
use super::{Names, Report};
use std::fmt::Write;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

pub(crate) fn render(report: &Report, names: &Names<'_>) -> String {
    let cut = report.window.to;
    let mut s = String::new();
    let _ = writeln!(s, "# Outage report\n");
    let _ = writeln!(
        s,
        "{} to {}: {} posts considered, {} incident{} found.\n",
        report.window.from.format("%Y-%m-%d %H:%M UTC"),
        report.window.to.format("%Y-%m-%d %H:%M UTC"),
        thousands(report.posts_considered),
        report.incidents.len(),
        if report.incidents.len() == 1 { "" } else { "s" }
    );
    if !report.incidents.is_empty() {
        let _ = writeln!(s, "| platform | start | detected | end | people | status |");
        let _ = writeln!(s, "|---|---|---|---|---:|---|");
        for i in &report.incidents {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                escape(&names.platform_name(&i.platform)),
                i.start.format("%Y-%m-%d %H:%M"),
                i.detected_at.format("%H:%M"),
                i.end
                    .map(|e| e.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "ongoing".into()),
                thousands(i.authors),
                if i.end.is_some() {
                    "resolved"
                } else {
                    "ongoing"
                },
            );
        }
        let _ = writeln!(s);
    }
    for i in &report.incidents {
        let _ = writeln!(
            s,
            "## {} ({})\n",
            escape(&names.platform_name(&i.platform)),
            i.id
        );
        let _ = writeln!(s, "{}\n", escape(&lede(i, cut, names)));
        let _ = writeln!(
            s,
            "- complaints: {} posts from {} people (usual: {:.1} per hour); peak {:.1} per minute at {}; score {:.1}",
            thousands(i.complaints),
            thousands(i.authors),
            i.baseline_per_hour,
            i.peak_per_minute,
            clock(i.peak_at, cut),
            i.score
        );
        if !i.regions.is_empty() {
            let list: Vec<String> = i
                .regions
                .iter()
                .map(|r| {
                    format!(
                        "{} {} (×{:.1} usual)",
                        escape(&names.region_name(&r.code)),
                        percent(r.share),
                        r.lift
                    )
                })
                .collect();
            let _ = writeln!(s, "- regions: {}", list.join(", "));
        }
        if !i.symptoms.is_empty() {
            let list: Vec<String> = i
                .symptoms
                .iter()
                .map(|k| format!("{} {}", symptom_phrase(k.kind), percent(k.share)))
                .collect();
            let _ = writeln!(s, "- symptoms: {}", list.join(", "));
        }
        if !i.languages.is_empty() {
            let list: Vec<String> = i
                .languages
                .iter()
                .map(|l| format!("{} {}", language_name(&l.code), percent(l.share)))
                .collect();
            let _ = writeln!(s, "- languages: {}", list.join(", "));
        }
        if let Some(o) = &i.official {
            let _ = writeln!(
                s,
                "- official status ({}): {} — {}, {}",
                escape(&o.source),
                escape(&o.name),
                o.impact,
                o.status
            );
        }
        if !i.samples.is_empty() {
            let _ = writeln!(s, "\nWhat people said:\n");
            for sample in &i.samples {
                let _ = writeln!(
                    s,
                    "> {} — {}",
                    escape(&mask_handles(&sample.text)),
                    clock(sample.created_at, cut)
                );
                let _ = writeln!(s, ">");
            }
            s.truncate(s.len() - 2);
        }
        let _ = writeln!(s);
    }
    if !report.official_unmatched.is_empty() {
        let _ = writeln!(s, "## Status-page incidents without a matching detection\n");
        for o in &report.official_unmatched {
            let _ = writeln!(
                s,
                "- {}: {} ({}, started {})",
                escape(&names.platform_name(&o.platform)),
                escape(&o.name),
                o.impact,
                o.started_at.format("%Y-%m-%d %H:%M UTC")
            );
        }
    }
    s
}
