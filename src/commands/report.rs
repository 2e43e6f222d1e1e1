//! `outcry report`: detect incidents in an index and write the report.

use crate::cli::{ReportArgs, ReportFormat};
use crate::data_dir::load_catalog;
use crate::time_arg::parse_flag;
use anyhow::{Context, Result};
use chrono::{DateTime, TimeDelta, Utc};
use outcry_analyze::catalog::Catalog;
use outcry_analyze::detect::{DetectionRequest, DetectorConfig, detect};
use outcry_analyze::region::Gazetteer;
use outcry_analyze::report::{Names, Report, Sample};
use outcry_index::PostIndex;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// How much history before the window the baselines learn from.
const HISTORY: TimeDelta = TimeDelta::days(28);
/// The default window length when `--from` is absent.
const DEFAULT_WINDOW: TimeDelta = TimeDelta::days(7);
/// Sample complaints shown per incident.
const SAMPLES_PER_INCIDENT: usize = 6;

/// Runs `outcry report`.
pub fn run(args: ReportArgs, data: Option<&Path>) -> Result<ExitCode> {
    let catalog = load_catalog(data)?;
    let index = PostIndex::open(&args.index)?;
    let now = Utc::now();
    let from = parse_flag("--from", args.from.as_deref(), now)?;
    let to = parse_flag("--to", args.to.as_deref(), now)?;
    let platform = args.platform.as_deref().map(|p| p.trim().to_lowercase());
    if let Some(p) = &platform
        && catalog.platform(p).is_none()
    {
        anyhow::bail!(
            "--platform {p:?} is not a platform id of the catalog (e.g. whatsapp, instagram, google-search; see data/platforms.toml)"
        );
    }
    let report = build_report(&index, &catalog, from, to, platform.as_deref(), now)?;
    let text = render(&report, &catalog, args.format);
    match &args.out {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {} ({} incident{})",
                path.display(),
                report.incidents.len(),
                if report.incidents.len() == 1 { "" } else { "s" }
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Detects incidents in `[from, to)` (defaults: the last 7 days of the index) using the 28 days
/// before `from` as history, and fills in samples and official status.
pub fn build_report(
    index: &PostIndex,
    catalog: &Catalog,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    platform: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Report> {
    let posts = index.post_time_range().context("cannot read the index")?;
    // The default window ends with the minute of the last post and starts on a minute:
    // detection counts minutes.
    let to = to.unwrap_or_else(|| {
        posts
            .map(|(_, last)| {
                let end_of_minute = (last.timestamp().div_euclid(60) + 1) * 60;
                DateTime::from_timestamp(end_of_minute, 0).unwrap_or(last)
            })
            .unwrap_or(now)
    });
    let from = from.unwrap_or_else(|| {
        let week_before = to - DEFAULT_WINDOW;
        posts.map_or(week_before, |(first, _)| first.max(week_before))
    });
    if from >= to {
        anyhow::bail!(
            "the window is empty: --from ({}) must be before --to ({})",
            from.to_rfc3339(),
            to.to_rfc3339()
        );
    }
    let started = std::time::Instant::now();
    let table = index
        .observations(Some(from - HISTORY), Some(to))
        .context("cannot read observations from the index")?;
    tracing::info!(
        complaint_rows = table.rows.len(),
        mention_minutes = table.mentions.platforms.len(),
        seconds = started.elapsed().as_secs_f64(),
        "observations read"
    );
    let provider_of = |id: &str| catalog.provider_of(id).map(str::to_string);
    let request = DetectionRequest {
        table: &table,
        from,
        to,
        provider_of: &provider_of,
    };
    let started = std::time::Instant::now();
    let detection = detect(&request, &DetectorConfig::default());
    tracing::info!(
        incidents = detection.incidents.len(),
        seconds = started.elapsed().as_secs_f64(),
        "detection done"
    );
    let mut report = Report::from_detection(&detection, now);
    // Detection counts the posts that are not complaints per minute; a window that does not
    // start on a minute is counted exactly by the index instead.
    if from.timestamp().rem_euclid(60) != 0 {
        report.posts_considered = index
            .count_posts(Some(from), Some(to))
            .context("cannot count the posts of the window")?;
    }
    if let Some(p) = platform {
        report
            .incidents
            .retain(|i| i.platform == p || i.related.iter().any(|r| r == p));
    }
    // One search per incident, on every core.
    let mut fetched = outcry_model::cores::map_in_order(report.incidents.len(), |i| {
        let incident = &report.incidents[i];
        index.samples(
            &incident.platform,
            incident.start,
            incident.end_or(to),
            SAMPLES_PER_INCIDENT,
        )
    })
    .into_iter();
    let mut sample_error = None;
    report.fill_samples(|_| match fetched.next() {
        Some(Ok(hits)) => hits
            .into_iter()
            .map(|h| Sample {
                id: h.id,
                created_at: h.created_at,
                text: h.text,
            })
            .collect(),
        Some(Err(e)) => {
            sample_error.get_or_insert(e);
            Vec::new()
        }
        None => Vec::new(),
    });
    if let Some(e) = sample_error {
        return Err(e).context("cannot read sample posts from the index");
    }
    let official = index
        .official_incidents(Some(from - TimeDelta::hours(6)), Some(to))
        .context("cannot read official incidents from the index")?;
    report.attach_official(&official);
    Ok(report)
}

/// Renders `report` in `format`, naming platforms and regions for people.
pub fn render(report: &Report, catalog: &Catalog, format: ReportFormat) -> String {
    if format == ReportFormat::Json {
        // Ids and codes only: no names to look up.
        return report.to_json();
    }
    let platform = |id: &str| catalog.platform(id).map(|p| p.name.clone());
    let gazetteer = Gazetteer::builtin();
    let region = |code: &str| region_name(gazetteer, code);
    let names = Names {
        platform: &platform,
        region: &region,
    };
    match format {
        ReportFormat::Json => report.to_json(),
        ReportFormat::Md => report.to_markdown(&names),
        ReportFormat::Html => report.to_html(&names),
    }
}

fn region_name(gazetteer: &Gazetteer, code: &str) -> Option<String> {
    gazetteer.country_name(code, "en").map(str::to_string)
}
