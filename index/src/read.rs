//! Aggregate reads: index statistics, sample posts and official incidents, and the column
//! helpers the observation reader shares.
//!
//! This module owns reading fast-field columns segment by segment; observations and stats never
//! load stored documents. It must not write to the index.

use crate::error::{Error, Result};
use crate::schema::{DOC_OFFICIAL, DOC_POST, DOC_VOLUME, names};
use crate::search::{Hit, time_range, utc};
use crate::store::PostIndex;
use chrono::{DateTime, Utc};
use outcry_model::OfficialIncident;
use outcry_model::cores::share_work;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::Count;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Searcher, SegmentReader, TantivyDocument, Term};

/// What the index holds. Serialises with the json key `posts` for the number of posts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndexStats {
    /// Number of posts (volume counts and official incidents are not posts).
    pub posts: u64,
    /// Creation time of the oldest post.
    pub first_post_at: Option<DateTime<Utc>>,
    /// Creation time of the newest post.
    pub last_post_at: Option<DateTime<Utc>>,
    /// Posts per source.
    pub by_source: BTreeMap<String, u64>,
    /// Posts per language.
    pub by_lang: BTreeMap<String, u64>,
    /// Posts per platform (a post about two platforms counts for both).
    pub by_platform: BTreeMap<String, u64>,
    /// Posts that are complaints.
    pub complaints: u64,
    /// Posts that are not complaints.
    pub non_complaints: u64,
    /// Crowd reports among the posts.
    pub reports: u64,
    /// Per-minute volume count documents.
    pub volume_counts: u64,
    /// Official incidents.
    pub official_incidents: u64,
    /// Index segments.
    pub segments: usize,
    /// Size of the index directory on disk, in bytes.
    pub size_bytes: u64,
}

fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The live documents matching `query`, per segment (in segment order), ascending.
pub(crate) fn matching_docs(searcher: &Searcher, query: &dyn Query) -> Result<Vec<Vec<DocId>>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    searcher
        .segment_readers()
        .iter()
        .map(|segment| live_docs(weight.as_ref(), segment))
        .collect()
}

/// The live documents of one segment that `weight` matches, ascending.
fn live_docs(weight: &dyn Weight, segment: &SegmentReader) -> Result<Vec<DocId>> {
    let mut docs = Vec::new();
    weight.for_each_no_score(segment, &mut |chunk| docs.extend_from_slice(chunk))?;
    if let Some(alive) = segment.alive_bitset() {
        docs.retain(|doc| alive.is_alive(*doc));
    }
    Ok(docs)
}

pub(crate) fn str_column(segment: &SegmentReader, name: &str) -> Result<Option<StrColumn>> {
    Ok(segment.fast_fields().str(name)?)
}

pub(crate) fn column<T>(segment: &SegmentReader, name: &str) -> Result<Option<Column<T>>>
where
    T: tantivy::columnar::HasAssociatedColumnType,
    tantivy::columnar::DynamicColumn: Into<Option<Column<T>>>,
{
    Ok(segment.fast_fields().column_opt::<T>(name)?)
}

pub(crate) fn io(e: std::io::Error) -> Error {
    Error::Tantivy(tantivy::TantivyError::IoError(std::sync::Arc::new(e)))
}

/// Documents whose columns are read together.
pub(crate) const READ_CHUNK: usize = 2048;

/// Reusable buffers for reading the column values of a chunk of documents in bulk.
#[derive(Default)]
pub(crate) struct BulkReader {
    docs_out: Vec<DocId>,
    row_ids: Vec<tantivy::columnar::RowId>,
}

impl BulkReader {
    /// Every (position in `chunk`, value) of `column` for the ascending documents of `chunk`,
    /// in document order, into `out`.
    pub(crate) fn values_of<V>(
        &mut self,
        column: &Column<V>,
        chunk: &[DocId],
        out: &mut Vec<(usize, V)>,
    ) where
        V: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
    {
        self.docs_out.clear();
        self.row_ids.clear();
        out.clear();
        column.row_ids_for_docs(chunk, &mut self.docs_out, &mut self.row_ids);
        let mut position = 0;
        for (doc, row) in self.docs_out.iter().zip(&self.row_ids) {
            while position < chunk.len() && chunk[position] != *doc {
                position += 1;
            }
            if position == chunk.len() {
                break;
            }
            out.push((position, column.values.get_val(*row)));
        }
    }

    /// The first value of `column` for each document of `chunk` (`None` where it has none).
    pub(crate) fn firsts_of<V>(
        &mut self,
        column: Option<&Column<V>>,
        chunk: &[DocId],
        pairs: &mut Vec<(usize, V)>,
        out: &mut Vec<Option<V>>,
    ) where
        V: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
    {
        out.clear();
        out.resize(chunk.len(), None);
        if let Some(column) = column {
            self.values_of(column, chunk, pairs);
            for &(i, v) in pairs.iter() {
                out[i].get_or_insert(v);
            }
        }
    }
}

fn ord_counts(
    column: Option<&StrColumn>,
    docs: &[DocId],
    out: &mut BTreeMap<String, u64>,
) -> Result<()> {
    let Some(column) = column else {
        return Ok(());
    };
    let mut counts = vec![0u64; column.num_terms()];
    for &doc in docs {
        for ord in column.ords().values_for_doc(doc) {
            counts[ord as usize] += 1;
        }
    }
    let mut name = String::new();
    for (ord, count) in counts.into_iter().enumerate() {
        if count > 0 {
            name.clear();
            column.ord_to_str(ord as u64, &mut name).map_err(io)?;
            *out.entry(name.clone()).or_default() += count;
        }
    }
    Ok(())
}

fn dir_size(dir: &std::path::Path) -> Result<u64> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        action: "list the index directory",
        path: dir.to_path_buf(),
        source,
    })?;
    let mut total = 0;
    for entry in entries.flatten() {
        // Files may vanish while a merge runs: count what is there.
        if let Ok(meta) = entry.metadata()
            && meta.is_file()
        {
            total += meta.len();
        }
    }
    Ok(total)
}

impl PostIndex {
    /// The creation times of the oldest and the newest post, `None` when there are no posts.
    /// Much cheaper than [`PostIndex::stats`]: it reads one column.
    pub fn post_time_range(&self) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
        let searcher = self.searcher();
        let posts = matching_docs(&searcher, self.kind_filter(DOC_POST, None, None).as_ref())?;
        let slices: Vec<(&SegmentReader, &[DocId])> = searcher
            .segment_readers()
            .iter()
            .zip(&posts)
            .flat_map(|(segment, docs)| docs.chunks(1 << 16).map(move |d| (segment, d)))
            .collect();
        // (range so far, first error): slices are read on every core.
        type Found = (Option<(i64, i64)>, Option<Error>);
        let found: Vec<Found> = share_work(slices.len(), Found::default, |found, i| {
            let (segment, docs) = slices[i];
            let created = match column::<tantivy::DateTime>(segment, names::CREATED_AT) {
                Ok(created) => created,
                Err(e) => {
                    found.1.get_or_insert(e);
                    return;
                }
            };
            let mut bulk = BulkReader::default();
            let (mut times, mut pairs) = (Vec::new(), Vec::new());
            for chunk in docs.chunks(READ_CHUNK) {
                bulk.firsts_of(created.as_ref(), chunk, &mut pairs, &mut times);
                for t in times.iter().flatten() {
                    let t = t.into_timestamp_secs();
                    found.0 = Some(found.0.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
                }
            }
        });
        let mut range: Option<(i64, i64)> = None;
        for (part, error) in found {
            if let Some(e) = error {
                return Err(e);
            }
            if let Some((lo, hi)) = part {
                range = Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
            }
        }
        Ok(range.map(|(lo, hi)| {
            let utc = |t| utc(tantivy::DateTime::from_timestamp_secs(t));
            (utc(lo), utc(hi))
        }))
    }

    /// The number of posts created in `[from, to)`.
    pub fn count_posts(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<u64> {
        let searcher = self.searcher();
        let count = searcher.search(self.kind_filter(DOC_POST, from, to).as_ref(), &Count)?;
        Ok(count as u64)
    }

    /// Counts of what the index holds, from fast fields only.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.searcher();
        let f = &self.fields;
        let mut stats = IndexStats {
            segments: searcher.segment_readers().len(),
            size_bytes: dir_size(&self.dir)?,
            ..IndexStats::default()
        };
        let posts = matching_docs(&searcher, term_query(f.doc, DOC_POST).as_ref())?;
        let mut first: Option<i64> = None;
        let mut last: Option<i64> = None;
        for (segment, docs) in searcher.segment_readers().iter().zip(&posts) {
            if docs.is_empty() {
                continue;
            }
            stats.posts += docs.len() as u64;
            ord_counts(
                str_column(segment, names::SOURCE)?.as_ref(),
                docs,
                &mut stats.by_source,
            )?;
            ord_counts(
                str_column(segment, names::LANG)?.as_ref(),
                docs,
                &mut stats.by_lang,
            )?;
            ord_counts(
                str_column(segment, names::PLATFORMS)?.as_ref(),
                docs,
                &mut stats.by_platform,
            )?;
            let mut kinds = BTreeMap::new();
            ord_counts(str_column(segment, names::KIND)?.as_ref(), docs, &mut kinds)?;
            stats.reports += kinds.get("report").copied().unwrap_or(0);
            if let Some(complaint) = column::<bool>(segment, names::COMPLAINT)? {
                let n = docs
                    .iter()
                    .filter(|d| complaint.first(**d) == Some(true))
                    .count() as u64;
                stats.complaints += n;
            }
            if let Some(created) = column::<tantivy::DateTime>(segment, names::CREATED_AT)? {
                for &doc in docs {
                    if let Some(t) = created.first(doc) {
                        let t = t.into_timestamp_secs();
                        first = Some(first.map_or(t, |v| v.min(t)));
                        last = Some(last.map_or(t, |v| v.max(t)));
                    }
                }
            }
        }
        stats.non_complaints = stats.posts - stats.complaints;
        stats.first_post_at = first.map(|t| utc(tantivy::DateTime::from_timestamp_secs(t)));
        stats.last_post_at = last.map(|t| utc(tantivy::DateTime::from_timestamp_secs(t)));
        stats.volume_counts = searcher.search(
            term_query(f.doc, DOC_VOLUME).as_ref(),
            &tantivy::collector::Count,
        )? as u64;
        stats.official_incidents = searcher.search(
            term_query(f.doc, DOC_OFFICIAL).as_ref(),
            &tantivy::collector::Count,
        )? as u64;
        Ok(stats)
    }

    /// The live documents of kind `doc` created in `[from, to)`, per segment. A segment whose
    /// documents all fall inside the window (the bounds of its time column say so) is read from
    /// the kind's posting list alone, without testing the time of each document.
    pub(crate) fn kind_docs(
        &self,
        searcher: &Searcher,
        doc: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Vec<DocId>>> {
        let scoring = || EnableScoring::disabled_from_searcher(searcher);
        let kind_only = term_query(self.fields.doc, doc).weight(scoring())?;
        let windowed = self.kind_filter(doc, from, to).weight(scoring())?;
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let created = column::<tantivy::DateTime>(segment, names::CREATED_AT)?;
                let inside = created.is_some_and(|c| {
                    from.is_none_or(|f| c.min_value() >= crate::writer::date(f))
                        && to.is_none_or(|t| c.max_value() < crate::writer::date(t))
                });
                let weight = if inside { &kind_only } else { &windowed };
                live_docs(weight.as_ref(), segment)
            })
            .collect()
    }

    pub(crate) fn kind_filter(
        &self,
        doc: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Box<dyn Query> {
        let mut clauses = vec![(Occur::Must, term_query(self.fields.doc, doc))];
        if let Some(range) = time_range(self.fields.created_at, from, to) {
            clauses.push((Occur::Must, range));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Up to `limit` complaint posts about `platform` created in `[from, to)`, spread evenly
    /// over the matching posts in time order (so a long incident shows its start, middle and
    /// end, not only its first minute), oldest first.
    pub fn samples(
        &self,
        platform: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let searcher = self.searcher();
        let f = &self.fields;
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                self.kind_filter(DOC_POST, Some(from), Some(to)),
            ),
            (Occur::Must, term_query(f.platforms, platform)),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_bool(f.complaint, true),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let per_segment = matching_docs(&searcher, &query)?;
        let mut found: Vec<(i64, DocAddress)> = Vec::new();
        for (ord, (segment, docs)) in searcher
            .segment_readers()
            .iter()
            .zip(&per_segment)
            .enumerate()
        {
            let Some(created) = column::<tantivy::DateTime>(segment, names::CREATED_AT)? else {
                continue;
            };
            for &doc in docs {
                let at = created.first(doc).map_or(0, |t| t.into_timestamp_secs());
                found.push((at, DocAddress::new(ord as u32, doc)));
            }
        }
        found.sort_unstable();
        let picked: Vec<DocAddress> = if found.len() <= limit {
            found.iter().map(|(_, a)| *a).collect()
        } else {
            // The middle of each of `limit` equal slices of the time-ordered matches.
            (0..limit)
                .map(|i| found[(2 * i + 1) * found.len() / (2 * limit)].1)
                .collect()
        };
        picked
            .into_iter()
            .map(|address| self.load_hit(&searcher, address))
            .collect()
    }

    /// Official incidents whose span (start to resolution, or to now if unresolved) overlaps
    /// `[from, to)`, by start time.
    pub fn official_incidents(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<OfficialIncident>> {
        let searcher = self.searcher();
        let query = term_query(self.fields.doc, DOC_OFFICIAL);
        let per_segment = matching_docs(&searcher, query.as_ref())?;
        let mut incidents = Vec::new();
        for (ord, docs) in per_segment.iter().enumerate() {
            for &doc in docs {
                let stored: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
                let Some(json) = stored
                    .get_first(self.fields.official)
                    .and_then(|v| v.as_str().map(str::to_string))
                else {
                    continue;
                };
                let incident: OfficialIncident = serde_json::from_str(&json).map_err(|e| {
                    Error::Tantivy(tantivy::TantivyError::InvalidArgument(format!(
                        "a stored official incident is unreadable: {e}"
                    )))
                })?;
                let starts_in_time = to.is_none_or(|to| incident.started_at < to);
                let ends_in_time = match (from, incident.resolved_at) {
                    (Some(from), Some(resolved)) => resolved >= from,
                    _ => true,
                };
                if starts_in_time && ends_in_time {
                    incidents.push(incident);
                }
            }
        }
        incidents.sort_by(|a, b| {
            (a.started_at, &a.source, &a.id).cmp(&(b.started_at, &b.source, &b.id))
        });
        Ok(incidents)
    }
}
