//! Time arguments: RFC 3339 (`2021-10-04T15:40:00Z`), a date (`2021-10-04`, midnight UTC), or a
//! span before now (`90s`, `15m`, `2h`, `3d`, `1w`).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// Parses a time argument relative to `now`.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now));
    }
    if let Some(span) = parse_span(text) {
        return Ok(now - span);
    }
    Err(format!(
        "{text:?} is not a time: use RFC 3339 (2021-10-04T15:40:00Z), a date (2021-10-04), or a span before now (30m, 2h, 3d, 1w)"
    ))
}

/// Parses the optional time flag `flag` (such as `--from`), naming the flag in the error.
pub fn parse_flag(
    flag: &str,
    value: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    value
        .map(|t| parse_time(t, now))
        .transpose()
        .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

/// Parses `90s`, `15m`, `2h`, `3d`, `1w` into a duration.
pub fn parse_span(text: &str) -> Option<TimeDelta> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(unit_at);
    let n: i64 = digits.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    TimeDelta::try_seconds(n.checked_mul(seconds)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            parse_time("2h", now).unwrap().to_rfc3339(),
            "2026-11-27T10:00:00+00:00"
        );
        assert_eq!(
            parse_time("3d", now).unwrap().to_rfc3339(),
            "2026-11-24T12:00:00+00:00"
        );
        assert_eq!(
            parse_time("2021-10-04", now).unwrap().to_rfc3339(),
            "2021-10-04T00:00:00+00:00"
        );
        assert_eq!(
            parse_time("2021-10-04T17:40:00+02:00", now)
                .unwrap()
                .to_rfc3339(),
            "2021-10-04T15:40:00+00:00"
        );
        assert!(
            parse_time("yesterday", now)
                .unwrap_err()
                .contains("RFC 3339")
        );
        assert!(parse_time("99999999999999w", now).is_err());
    }
}
