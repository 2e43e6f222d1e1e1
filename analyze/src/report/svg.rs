//! Inline SVG charts for the HTML report: complaints against the usual band, horizontal bars,
//! and the window's timeline. Pure string building; sizes are in viewBox units so the charts
//! scale with the page.

use crate::detect::IncidentTimeline;
use chrono::{DateTime, Duration, Utc};
use std::fmt::Write;

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Buckets of `step` minutes: the mean of each bucket.
fn downsample(values: &[f32], step: usize) -> Vec<f64> {
    values
        .chunks(step.max(1))
        .map(|c| c.iter().map(|&v| v as f64).sum::<f64>() / c.len() as f64)
        .collect()
}

/// A round tick step for a value range.
fn nice_step(max: f64, ticks: f64) -> f64 {
    let raw = (max / ticks).max(1e-9);
    let magnitude = 10f64.powf(raw.log10().floor());
    let n = raw / magnitude;
    let nice = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

fn format_tick(v: f64) -> String {
    if v >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Complaint voices per minute against the baseline and its usual band, the incident shaded
/// and the detection marked.
pub(crate) fn incident_chart(
    timeline: &IncidentTimeline,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    detected: DateTime<Utc>,
) -> String {
    const W: f64 = 720.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 28.0;
    let n = timeline.voices.len();
    if n < 2 {
        return String::new();
    }
    let step = n.div_ceil(360);
    let voices = downsample(&timeline.voices, step);
    let baseline = downsample(&timeline.baseline, step);
    let upper = downsample(&timeline.upper, step);
    let points = voices.len();
    let max = voices.iter().chain(&upper).copied().fold(1.0f64, f64::max) * 1.08;
    let x_of = |i: f64| LEFT + (W - LEFT - RIGHT) * i / (points.max(2) - 1) as f64;
    let y_of = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - v / max);
    let minute_x = |t: DateTime<Utc>| {
        let m = (t - timeline.from).num_minutes() as f64 / step as f64;
        x_of(m.clamp(0.0, (points - 1) as f64))
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="complaints per minute against the usual level"><title>Complaining people per minute, with the usual band</title>"#
    );
    // Grid and y ticks.
    let tick = nice_step(max, 4.0);
    let mut v = 0.0;
    while v <= max {
        let y = y_of(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" class="grid"/><text x="{}" y="{:.1}" class="tick" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            format_tick(v)
        );
        v += tick;
    }
    // Incident shading.
    let (x0, x1) = (minute_x(start), minute_x(end));
    let _ = write!(
        s,
        r#"<rect x="{x0:.1}" y="{TOP}" width="{:.1}" height="{}" class="shade"/>"#,
        (x1 - x0).max(1.5),
        H - TOP - BOTTOM
    );
    // The usual band around the baseline, then the baseline and the observed voices.
    let mut band = String::new();
    for (i, u) in upper.iter().enumerate() {
        let _ = write!(
            band,
            "{}{:.1},{:.1} ",
            if i == 0 { "M" } else { "L" },
            x_of(i as f64),
            y_of(*u)
        );
    }
    // The lower edge mirrors the upper one around the baseline.
    for (i, (b, u)) in baseline.iter().zip(&upper).enumerate().rev() {
        let lower = (2.0 * b - u).max(0.0);
        let _ = write!(band, "L{:.1},{:.1} ", x_of(i as f64), y_of(lower));
    }
    band.push('Z');
    let _ = write!(s, r#"<path d="{band}" class="band"/>"#);
    let line = |values: &[f64]| -> String {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    "{}{:.1},{:.1}",
                    if i == 0 { "M" } else { "L" },
                    x_of(i as f64),
                    y_of(*v)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(s, r#"<path d="{}" class="baseline"/>"#, line(&baseline));
    let _ = write!(s, r#"<path d="{}" class="voices"/>"#, line(&voices));
    // Detection marker.
    let xd = minute_x(detected);
    let _ = write!(
        s,
        r#"<line x1="{xd:.1}" x2="{xd:.1}" y1="{TOP}" y2="{}" class="detect"/><text x="{:.1}" y="{}" class="tick detect-label">alarm</text>"#,
        H - BOTTOM,
        xd + 4.0,
        TOP + 10.0
    );
    // Time axis: about five labels on round quarter hours.
    let total_minutes = (n - 1) as i64;
    let label_every = [15i64, 30, 60, 120, 180, 360, 720]
        .into_iter()
        .find(|e| total_minutes / e <= 6)
        .unwrap_or(1440);
    let first = timeline.from;
    let offset = (label_every - (first.timestamp() / 60).rem_euclid(label_every)) % label_every;
    let mut m = offset;
    while m <= total_minutes {
        let t = first + Duration::minutes(m);
        let x = x_of(m as f64 / step as f64);
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            H - 8.0,
            t.format("%H:%M")
        );
        m += label_every;
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars: (label, share 0..1, note).
pub(crate) fn bars(rows: &[(String, f64, String)], class: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    const W: f64 = 430.0;
    const ROW: f64 = 24.0;
    const LABEL: f64 = 180.0;
    let h = ROW * rows.len() as f64 + 4.0;
    let max = rows.iter().map(|r| r.1).fold(0.01, f64::max);
    // Room after the longest bar for its value and note ("83% · ×20.3 usual"), at about 7
    // units a character, so that no text runs past the edge.
    let longest_note = rows.iter().map(|r| r.2.chars().count()).max().unwrap_or(0);
    let reserve = 45.0
        + if longest_note > 0 {
            7.0 * (longest_note + 3) as f64
        } else {
            0.0
        };
    let mut s = format!(r#"<svg class="bars {class}" viewBox="0 0 {W} {h}" role="img">"#);
    for (i, (label, share, note)) in rows.iter().enumerate() {
        let y = i as f64 * ROW + 2.0;
        let width = (W - LABEL - reserve) * share / max;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="bar-label" text-anchor="end">{}</text><rect x="{LABEL}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" class="bar"/><text x="{:.1}" y="{:.1}" class="bar-value">{:.0}%{}</text>"#,
            LABEL - 8.0,
            y + 16.0,
            escape(label),
            y + 4.0,
            width.max(1.0),
            ROW - 8.0,
            LABEL + width + 6.0,
            y + 16.0,
            share * 100.0,
            if note.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape(note))
            }
        );
    }
    s.push_str("</svg>");
    s
}

/// A lane of the timeline: a platform's name and its incidents as (start, end, id).
pub(crate) type Lane = (String, Vec<(DateTime<Utc>, DateTime<Utc>, String)>);

/// The window's timeline: one lane per platform, a bar per incident.
pub(crate) fn timeline(from: DateTime<Utc>, to: DateTime<Utc>, lanes: &[Lane]) -> String {
    if lanes.is_empty() || to <= from {
        return String::new();
    }
    const W: f64 = 720.0;
    const LANE: f64 = 26.0;
    const LEFT: f64 = 120.0;
    const RIGHT: f64 = 12.0;
    let h = LANE * lanes.len() as f64 + 30.0;
    let span = (to - from).num_seconds().max(1) as f64;
    let x_of = |t: DateTime<Utc>| {
        LEFT + (W - LEFT - RIGHT) * ((t - from).num_seconds() as f64 / span).clamp(0.0, 1.0)
    };
    let mut s = format!(
        r#"<svg class="timeline" viewBox="0 0 {W} {h}" role="img"><title>Incidents over the report window</title>"#
    );
    let days = (to - from).num_days();
    let tick_hours = if days >= 3 {
        24
    } else if days >= 1 {
        6
    } else {
        1
    };
    let tick = Duration::hours(tick_hours);
    let mut t = from;
    while t <= to {
        let x = x_of(t);
        let label = if tick_hours >= 24 {
            t.format("%a %-d").to_string()
        } else {
            t.format("%H:%M").to_string()
        };
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="0" y2="{:.1}" class="grid"/><text x="{x:.1}" y="{:.1}" class="tick" text-anchor="middle">{label}</text>"#,
            h - 22.0,
            h - 6.0
        );
        t += tick;
    }
    for (lane, (name, spans)) in lanes.iter().enumerate() {
        let y = lane as f64 * LANE + 4.0;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="bar-label" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            y + 15.0,
            escape(name)
        );
        for (a, b, id) in spans {
            let (x0, x1) = (x_of(*a), x_of(*b));
            let _ = write!(
                s,
                r##"<a href="#{}"><rect x="{x0:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="3" class="span"><title>{}</title></rect></a>"##,
                escape(id),
                (x1 - x0).max(3.0),
                LANE - 8.0,
                escape(id)
            );
        }
    }
    s.push_str("</svg>");
    s
}
