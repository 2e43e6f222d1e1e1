//! The words of a report: the news-lede summary of an incident and the small formatting
//! helpers both renderers share. No markup here: renderers escape and decorate.

use super::{Names, ReportIncident};
use crate::detect::IncidentStatus;
use chrono::{DateTime, Utc};
use outcry_model::Symptom;

/// How people describe a symptom kind.
pub(crate) fn symptom_phrase(kind: Symptom) -> &'static str {
    match kind {
        Symptom::Login => "cannot log in",
        Symptom::Messaging => "messages not sending",
        Symptom::Feed => "feed not loading",
        Symptom::Calls => "calls failing",
        Symptom::Media => "photos and videos failing",
        Symptom::Payments => "payments failing",
        Symptom::Connectivity => "cannot connect",
        Symptom::Crash => "app crashing",
        Symptom::Notifications => "notifications missing",
        Symptom::Playback => "playback failing",
        Symptom::Other => "other problems",
    }
}

/// "the " for the places English names with an article ("the United States", "the
/// Netherlands"), nothing for the others ("Brazil").
pub(crate) fn article_for(place: &str) -> &'static str {
    let plural_or_union = place.starts_with("United ")
        || place.ends_with(" Republic")
        || place.ends_with(" Islands")
        || matches!(
            place,
            "Netherlands" | "Philippines" | "Bahamas" | "Gambia" | "Maldives" | "Vatican City"
        );
    if plural_or_union { "the " } else { "" }
}

/// A language's English name for people ("pt" → "Portuguese"); a code outside the
/// classifier's languages is shown as it is.
pub(crate) fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "fr" => "French",
        "de" => "German",
        "it" => "Italian",
        "nl" => "Dutch",
        "tr" => "Turkish",
        "id" => "Indonesian",
        "ru" => "Russian",
        "ja" => "Japanese",
        "hi" => "Hindi",
        "ar" => "Arabic",
        "pl" => "Polish",
        "und" => "unknown",
        other => other,
    }
}

/// Groups digits by thousands for people: 2340 → "2,340".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 0.314 → "31%".
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// "45 minutes", "2 hours 10 minutes".
pub(crate) fn duration(minutes: i64) -> String {
    let minutes = minutes.max(1);
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if minutes < 90 {
        return plural(minutes, "minute");
    }
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        plural(h, "hour")
    } else {
        format!("{} {}", plural(h, "hour"), plural(m, "minute"))
    }
}

/// "15:41 UTC" on the same day as `reference`, otherwise "Oct 4 15:41 UTC".
pub(crate) fn clock(t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    if t.date_naive() == reference.date_naive() {
        t.format("%H:%M UTC").to_string()
    } else {
        t.format("%b %-d %H:%M UTC").to_string()
    }
}

/// How many times the usual rate the incident ran at, as words ("38 times the usual rate").
fn rate_ratio(incident: &ReportIncident, minutes: i64) -> Option<String> {
    let per_hour = incident.authors as f64 / minutes.max(1) as f64 * 60.0;
    if incident.baseline_per_hour <= 0.0 {
        return None;
    }
    let ratio = per_hour / incident.baseline_per_hour;
    if ratio >= 100.0 {
        Some("over 100 times the usual rate".to_string())
    } else if ratio >= 1.5 {
        Some(format!("{:.0} times the usual rate", ratio))
    } else {
        None
    }
}

/// Masks @handles in sample text: reports never show who said what, nor whom they named.
pub(crate) fn mask_handles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut previous_is_word = false;
    while let Some(c) = chars.next() {
        if c == '@'
            && !previous_is_word
            && chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '_')
        {
            while chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || matches!(n, '_' | '.' | '-' | '@'))
            {
                chars.next();
            }
            out.push_str("@…");
            previous_is_word = true;
            continue;
        }
        previous_is_word = c.is_alphanumeric();
        out.push(c);
    }
    out
}

/// The one-paragraph summary of an incident, written like a news lede.
pub(crate) fn lede(incident: &ReportIncident, cut_off: DateTime<Utc>, names: &Names<'_>) -> String {
    let name = names.platform_name(&incident.platform);
    let end = incident.end_or(cut_off);
    let minutes = (end - incident.start).num_minutes().max(1);
    let mut s = format!(
        "{name}: {} people complained in {}",
        thousands(incident.authors),
        duration(minutes)
    );
    if incident.status == IncidentStatus::Ongoing {
        s.push_str(" so far");
    }
    if let Some(ratio) = rate_ratio(incident, minutes) {
        s.push_str(", ");
        s.push_str(&ratio);
    }
    let regions: Vec<String> = incident
        .regions
        .iter()
        .take(2)
        .map(|r| {
            let name = names.region_name(&r.code);
            format!("{}{name} ({})", article_for(&name), percent(r.share))
        })
        .collect();
    match regions.len() {
        0 => {}
        1 => s.push_str(&format!(", most in {}", regions[0])),
        _ => s.push_str(&format!(", most in {} and {}", regions[0], regions[1])),
    }
    let symptoms: Vec<String> = incident
        .symptoms
        .iter()
        .take(3)
        .map(|k| format!("{} ({})", symptom_phrase(k.kind), percent(k.share)))
        .collect();
    if !symptoms.is_empty() {
        s.push_str("; ");
        s.push_str(&symptoms.join(", "));
    }
    s.push_str(". ");
    let delay = (incident.detected_at - incident.start).num_minutes();
    s.push_str(&format!(
        "Complaints began around {}, outcry raised the alarm at {} ({} after the onset)",
        incident.start.format("%b %-d %H:%M UTC"),
        clock(incident.detected_at, incident.start),
        duration(delay.max(1)),
    ));
    s.push_str(&format!(
        " and they peaked at {}",
        clock(incident.peak_at, incident.start)
    ));
    match incident.end {
        Some(e) => s.push_str(&format!(
            "; back to normal by {}.",
            clock(e, incident.start)
        )),
        None => s.push_str("; still ongoing at the end of the report."),
    }
    if !incident.related.is_empty() {
        let others: Vec<String> = incident
            .related
            .iter()
            .map(|r| names.platform_name(r))
            .collect();
        s.push_str(&format!(" At the same time: {}", others.join(", ")));
        if let Some(p) = &incident.provider {
            s.push_str(&format!(" (a {p} outage)"));
        }
        s.push('.');
    }
    if let Some(o) = &incident.official {
        let impact = if o.impact == "none" {
            "no impact".to_string()
        } else {
            format!("{} outage", o.impact)
        };
        s.push_str(&format!(
            " Official status: {impact}, started {}",
            clock(o.started_at, incident.start)
        ));
        match o.chatter_lead_minutes {
            Some(lead) if lead > 0 => {
                s.push_str(&format!("; the chatter knew {} earlier.", duration(lead)))
            }
            Some(lead) if lead < 0 => {
                s.push_str(&format!("; the status page was {} ahead.", duration(-lead)))
            }
            _ => s.push('.'),
        }
    }
    s
}
