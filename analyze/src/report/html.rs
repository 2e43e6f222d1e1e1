//! The HTML rendering: one self-contained page (inline CSS and SVG, no scripts, no external
//! assets) that reads well on screens of any width and prints cleanly.

use super::story::{clock, duration, language_name, lede, mask_handles, symptom_phrase, thousands};
use super::svg::{self, escape};
use super::{Names, Report, ReportIncident};
use std::fmt::Write;

const STYLE: &str = r#"
:root{--ink:#1d2330;--muted:#5b6474;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--accent:#c2410c;--accent-soft:#fde7dc;--calm:#2563eb;--calm-soft:#dbe6fb;--ok:#15803d}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:980px;margin:0 auto;padding:28px 20px 48px}
header h1{font-size:28px;margin:0 0 4px;letter-spacing:-.01em}
header p{margin:0;color:var(--muted)}
.summary{display:flex;flex-wrap:wrap;gap:12px;margin:20px 0}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 16px;min-width:150px}
.stat b{display:block;font-size:22px}
.stat span{color:var(--muted);font-size:13px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 22px;margin:18px 0;break-inside:avoid}
h2{font-size:21px;margin:0 0 6px}
h3{font-size:14px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:18px 0 6px}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:2px 10px;margin-left:8px;vertical-align:middle}
.ongoing{background:var(--accent-soft);color:var(--accent)}
.resolved{background:#dcfce7;color:var(--ok)}
.lede{font-size:17px;margin:8px 0 4px}
.facts{color:var(--muted);font-size:14px;margin:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 28px}
svg{width:100%;height:auto;display:block}
svg text{font-family:inherit}
.chart .grid,.timeline .grid{stroke:var(--line);stroke-width:1}
.tick{font-size:11px;fill:var(--muted)}
.shade{fill:var(--accent-soft)}
.band{fill:var(--calm-soft)}
.baseline{fill:none;stroke:var(--calm);stroke-width:1.5;stroke-dasharray:4 3}
.voices{fill:none;stroke:var(--accent);stroke-width:2;stroke-linejoin:round}
.detect{stroke:var(--ink);stroke-width:1;stroke-dasharray:2 3}
.detect-label{fill:var(--ink)}
.bar{fill:var(--accent)}
.symptoms .bar{fill:#7c3aed}
.languages .bar{fill:#0f766e}
.bar-label{font-size:12.5px;fill:var(--ink)}
.bar-value{font-size:12px;fill:var(--muted)}
.span{fill:var(--accent)}
.legend{font-size:13px;color:var(--muted);margin:4px 0 0}
.legend i{display:inline-block;width:14px;height:10px;border-radius:2px;margin:0 4px 0 12px;vertical-align:baseline}
.official{border-left:4px solid var(--calm);background:#f3f6fd;padding:8px 12px;border-radius:4px;margin:12px 0 0;font-size:15px}
blockquote{margin:8px 0;padding:8px 14px;border-left:3px solid var(--line);background:#fafbfc;border-radius:0 6px 6px 0}
blockquote small{display:block;color:var(--muted);font-size:12px;margin-top:2px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line)}
td.num,th.num{text-align:right}
a{color:inherit}
footer{color:var(--muted);font-size:13px;margin-top:28px}
@media (max-width:600px){main{padding:16px 12px}header h1{font-size:23px}section.card{padding:16px}}
@media print{body{background:#fff}main{max-width:none;padding:0}section.card{border:none;border-top:1px solid var(--line);border-radius:0;padding:14px 0}.summary .stat{border-color:#ccc}}
"#;

pub(crate) fn render(report: &Report, names: &Names<'_>) -> String {
    let cut = report.window.to;
    let mut s = String::with_capacity(64 * 1024);
    let title = format!(
        "Outage report, {} to {}",
        report.window.from.format("%b %-d %H:%M"),
        report.window.to.format("%b %-d %H:%M UTC")
    );
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body><main>",
        escape(&title)
    );
    let _ = write!(
        s,
        "<header><h1>Outage report</h1><p>{} — {} · generated {}</p></header>",
        report.window.from.format("%a %b %-d %Y, %H:%M UTC"),
        report.window.to.format("%a %b %-d %Y, %H:%M UTC"),
        report.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    let ongoing = report.incidents.iter().filter(|i| i.end.is_none()).count();
    let people: u64 = report.incidents.iter().map(|i| i.authors).sum();
    s.push_str("<div class=\"summary\">");
    for (value, label) in [
        (thousands(report.posts_considered), "posts considered"),
        (report.incidents.len().to_string(), "incidents"),
        (ongoing.to_string(), "still ongoing"),
        (thousands(people), "people complaining"),
    ] {
        let _ = write!(
            s,
            "<div class=\"stat\"><b>{value}</b><span>{label}</span></div>"
        );
    }
    s.push_str("</div>");

    if report.incidents.is_empty() {
        s.push_str("<section class=\"card\"><p class=\"lede\">No outage stood out from the usual chatter in this window.</p></section>");
    } else {
        let mut lanes: Vec<svg::Lane> = Vec::new();
        for i in &report.incidents {
            let name = names.platform_name(&i.platform);
            let span = (i.start, i.end_or(cut), i.id.clone());
            match lanes.iter_mut().find(|l| l.0 == name) {
                Some(lane) => lane.1.push(span),
                None => lanes.push((name, vec![span])),
            }
        }
        let _ = write!(
            s,
            "<section class=\"card\"><h2>Timeline</h2>{}<table><thead><tr><th>Platform</th><th>Start</th><th>Alarm</th><th>End</th><th class=\"num\">People</th></tr></thead><tbody>",
            svg::timeline(report.window.from, cut, &lanes)
        );
        for i in &report.incidents {
            let _ = write!(
                s,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                escape(&i.id),
                escape(&names.platform_name(&i.platform)),
                i.start.format("%b %-d %H:%M"),
                i.detected_at.format("%H:%M"),
                i.end
                    .map(|e| e.format("%b %-d %H:%M").to_string())
                    .unwrap_or_else(|| "ongoing".into()),
                thousands(i.authors)
            );
        }
        s.push_str("</tbody></table></section>");
        for i in &report.incidents {
            incident(&mut s, i, report, names);
        }
    }
    if !report.official_unmatched.is_empty() {
        s.push_str("<section class=\"card\"><h2>Status-page incidents without a matching detection</h2><table><tbody>");
        for o in &report.official_unmatched {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&names.platform_name(&o.platform)),
                escape(&o.name),
                escape(&o.impact),
                o.started_at.format("%b %-d %H:%M UTC")
            );
        }
        s.push_str("</tbody></table></section>");
    }
    s.push_str("<footer>Counts are distinct people complaining per minute, compared with the usual level for the time of day and week. Author handles are never shown.</footer></main></body></html>\n");
    s
}

fn incident(s: &mut String, i: &ReportIncident, report: &Report, names: &Names<'_>) {
    let cut = report.window.to;
    let (badge, label) = if i.end.is_some() {
        ("resolved", "resolved")
    } else {
        ("ongoing", "ongoing")
    };
    let _ = write!(
        s,
        "<section class=\"card\" id=\"{}\"><h2>{}<span class=\"badge {badge}\">{label}</span></h2><p class=\"lede\">{}</p>",
        escape(&i.id),
        escape(&names.platform_name(&i.platform)),
        escape(&lede(i, cut, names))
    );
    let _ = write!(
        s,
        "<p class=\"facts\">{} complaint posts · {} people · usual {:.1}/hour · peak {:.1}/minute at {} · lasted {} · score {:.1}</p>",
        thousands(i.complaints),
        thousands(i.authors),
        i.baseline_per_hour,
        i.peak_per_minute,
        clock(i.peak_at, cut),
        duration((i.end_or(cut) - i.start).num_minutes()),
        i.score
    );
    if let Some(t) = &i.timeline {
        let chart = svg::incident_chart(t, i.start, i.end_or(cut), i.detected_at);
        if !chart.is_empty() {
            let _ = write!(
                s,
                "<h3>Complaining people per minute</h3>{chart}<p class=\"legend\"><i style=\"background:var(--accent)\"></i>observed<i style=\"background:var(--calm-soft);border:1px dashed var(--calm)\"></i>usual level and range<i style=\"background:var(--accent-soft)\"></i>incident</p>"
            );
        }
    }
    let regions: Vec<(String, f64, String)> = i
        .regions
        .iter()
        .map(|r| {
            (
                names.region_name(&r.code),
                r.share,
                format!("×{:.1} usual", r.lift),
            )
        })
        .collect();
    let symptoms: Vec<(String, f64, String)> = i
        .symptoms
        .iter()
        .map(|k| (symptom_phrase(k.kind).to_string(), k.share, String::new()))
        .collect();
    let languages: Vec<(String, f64, String)> = i
        .languages
        .iter()
        .map(|l| (language_name(&l.code).to_string(), l.share, String::new()))
        .collect();
    s.push_str("<div class=\"grid2\">");
    if !regions.is_empty() {
        let _ = write!(
            s,
            "<div><h3>Where</h3>{}</div>",
            svg::bars(&regions, "regions")
        );
    }
    if !symptoms.is_empty() {
        let _ = write!(
            s,
            "<div><h3>What fails</h3>{}</div>",
            svg::bars(&symptoms, "symptoms")
        );
    }
    if !languages.is_empty() {
        let _ = write!(
            s,
            "<div><h3>Languages</h3>{}</div>",
            svg::bars(&languages, "languages")
        );
    }
    s.push_str("</div>");
    if let Some(o) = &i.official {
        let link = o
            .url
            .as_deref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(|u| format!(" <a href=\"{}\">status page</a>", escape(u)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<p class=\"official\"><b>Official status</b>: {} — {} impact, {}, started {}.{link}</p>",
            escape(&o.name),
            escape(&o.impact),
            escape(&o.status),
            clock(o.started_at, cut)
        );
    }
    if !i.samples.is_empty() {
        s.push_str("<h3>What people said</h3>");
        for sample in &i.samples {
            let _ = write!(
                s,
                "<blockquote>{}<small>{}</small></blockquote>",
                escape(&mask_handles(&sample.text)),
                clock(sample.created_at, cut)
            );
        }
    }
    s.push_str("</section>");
}
