//! Aggregate reads: index statistics, the observation table for detection, sample posts and
//! official incidents.
//!
//! This module owns reading fast-field columns segment by segment; observations and stats never
//! load stored documents. It must not write to the index.

use crate::error::{Error, Result};
use crate::schema::{DOC_OFFICIAL, DOC_POST, DOC_VOLUME, names};
use crate::search::{Hit, time_range, utc};
use crate::store::PostIndex;
use chrono::{DateTime, Utc};
use outcry_model::{AuthorHash, Ids, Observation, ObservationTable, OfficialIncident, Symptom};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
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
fn matching_docs(searcher: &Searcher, query: &dyn Query) -> Result<Vec<Vec<DocId>>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut per_segment = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        let mut docs = Vec::new();
        weight.for_each_no_score(segment, &mut |chunk| docs.extend_from_slice(chunk))?;
        if let Some(alive) = segment.alive_bitset() {
            docs.retain(|doc| alive.is_alive(*doc));
        }
        per_segment.push(docs);
    }
    Ok(per_segment)
}

fn str_column(segment: &SegmentReader, name: &str) -> Result<Option<StrColumn>> {
    Ok(segment.fast_fields().str(name)?)
}

fn column<T>(segment: &SegmentReader, name: &str) -> Result<Option<Column<T>>>
where
    T: tantivy::columnar::HasAssociatedColumnType,
    tantivy::columnar::DynamicColumn: Into<Option<Column<T>>>,
{
    Ok(segment.fast_fields().column_opt::<T>(name)?)
}

fn io(e: std::io::Error) -> Error {
    Error::Tantivy(tantivy::TantivyError::IoError(std::sync::Arc::new(e)))
}

/// Maps one segment's term ordinals of a string column to indices in a table shared by all
/// segments, resolving each ordinal once.
struct OrdinalMap {
    indices: Vec<u16>,
}

const UNRESOLVED: u16 = u16::MAX;

/// A string table with the index of each string.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: HashMap<String, u16>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> Result<u16> {
        if let Some(i) = self.index.get(name) {
            return Ok(*i);
        }
        let i = u16::try_from(self.names.len())
            .ok()
            .filter(|i| *i < UNRESOLVED)
            .ok_or_else(|| {
                Error::Tantivy(tantivy::TantivyError::InvalidArgument(format!(
                    "more than {} distinct values of one field in the observation window",
                    UNRESOLVED
                )))
            })?;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        Ok(i)
    }
}

/// One segment's observation rows, their indices pointing into the segment's own tables.
struct SegmentRows {
    platforms: Interner,
    regions: Interner,
    langs: Interner,
    rows: Vec<Observation>,
}

impl Interner {
    /// For each of this table's names, its index in `global` (interned there when new).
    fn global(&self, global: &mut Interner) -> Result<Vec<u16>> {
        self.names.iter().map(|name| global.intern(name)).collect()
    }
}

/// Reads the observation rows of `docs` in one segment from its fast fields.
fn segment_rows(segment: &SegmentReader, docs: &[DocId]) -> Result<SegmentRows> {
    let mut platforms = Interner::default();
    let mut regions = Interner::default();
    let mut langs = Interner::default();
    let mut rows = Vec::with_capacity(docs.len());
    let mut buffer = String::new();
    let created = column::<tantivy::DateTime>(segment, names::CREATED_AT)?;
    let author = column::<u64>(segment, names::AUTHOR)?;
    let complaint = column::<bool>(segment, names::COMPLAINT)?;
    let recovery = column::<bool>(segment, names::RECOVERY)?;
    let platform_col = str_column(segment, names::PLATFORMS)?;
    let region_col = str_column(segment, names::REGIONS)?;
    let lang_col = str_column(segment, names::LANG)?;
    let symptom_col = str_column(segment, names::SYMPTOMS)?;
    let kind_col = str_column(segment, names::KIND)?;
    let mut platform_map = OrdinalMap::new(platform_col.as_ref());
    let mut region_map = OrdinalMap::new(region_col.as_ref());
    let mut lang_map = OrdinalMap::new(lang_col.as_ref());
    let symptom_bits: Vec<u16> = match &symptom_col {
        None => Vec::new(),
        Some(col) => (0..col.num_terms() as u64)
            .map(|ord| {
                buffer.clear();
                col.ord_to_str(ord, &mut buffer).map_err(io)?;
                Ok(Symptom::parse(&buffer).map_or(0, Symptom::bit))
            })
            .collect::<Result<_>>()?,
    };
    let report_ord = match &kind_col {
        None => None,
        Some(col) => col.dictionary().term_ord("report").map_err(io)?,
    };
    // Columns are read in bulk, a chunk of documents at a time: per-document lookups in the
    // optional and multi-valued columns were the largest cost of a report.
    let mut bulk = BulkReader::default();
    let (mut times, mut time_pairs) = (Vec::new(), Vec::new());
    let (mut numbers, mut number_pairs) = (Vec::new(), Vec::new());
    let (mut flags, mut flag_pairs) = (Vec::new(), Vec::new());
    for chunk in docs.chunks(READ_CHUNK) {
        let first = rows.len();
        bulk.firsts_of(created.as_ref(), chunk, &mut time_pairs, &mut times);
        rows.extend(times.iter().map(|at| Observation {
            at: at.map_or(0, |t: tantivy::DateTime| t.into_timestamp_secs()),
            author: None,
            platforms: Ids::new(),
            regions: Ids::new(),
            lang: 0,
            symptoms: 0,
            complaint: false,
            recovery: false,
            report: false,
        }));
        let chunk_rows = &mut rows[first..];
        bulk.firsts_of(author.as_ref(), chunk, &mut number_pairs, &mut numbers);
        for (row, a) in chunk_rows.iter_mut().zip(&numbers) {
            row.author = a.filter(|a| *a != 0).map(AuthorHash);
        }
        bulk.firsts_of(complaint.as_ref(), chunk, &mut flag_pairs, &mut flags);
        for (row, c) in chunk_rows.iter_mut().zip(&flags) {
            row.complaint = c.unwrap_or(false);
        }
        bulk.firsts_of(recovery.as_ref(), chunk, &mut flag_pairs, &mut flags);
        for (row, r) in chunk_rows.iter_mut().zip(&flags) {
            row.recovery = r.unwrap_or(false);
        }
        if let Some(col) = &lang_col {
            bulk.firsts_of(Some(col.ords()), chunk, &mut number_pairs, &mut numbers);
            for (row, ord) in chunk_rows.iter_mut().zip(&numbers) {
                if let Some(ord) = ord {
                    row.lang = lang_map.resolve(col, *ord, &mut langs, &mut buffer)?;
                }
            }
        }
        if let (Some(col), Some(report)) = (&kind_col, report_ord) {
            bulk.firsts_of(Some(col.ords()), chunk, &mut number_pairs, &mut numbers);
            for (row, ord) in chunk_rows.iter_mut().zip(&numbers) {
                row.report = *ord == Some(report);
            }
        }
        if let Some(col) = &platform_col {
            bulk.values_of(col.ords(), chunk, &mut number_pairs);
            for &(i, ord) in &number_pairs {
                let p = platform_map.resolve(col, ord, &mut platforms, &mut buffer)?;
                chunk_rows[i].platforms.push(p);
            }
        }
        if let Some(col) = &region_col {
            bulk.values_of(col.ords(), chunk, &mut number_pairs);
            for &(i, ord) in &number_pairs {
                let r = region_map.resolve(col, ord, &mut regions, &mut buffer)?;
                chunk_rows[i].regions.push(r);
            }
        }
        if let Some(col) = &symptom_col {
            bulk.values_of(col.ords(), chunk, &mut number_pairs);
            for &(i, ord) in &number_pairs {
                chunk_rows[i].symptoms |= symptom_bits[ord as usize];
            }
        }
    }
    Ok(SegmentRows {
        platforms,
        regions,
        langs,
        rows,
    })
}

/// Documents whose columns are read together.
const READ_CHUNK: usize = 2048;

/// Reusable buffers for reading the column values of a chunk of documents in bulk.
#[derive(Default)]
struct BulkReader {
    docs_out: Vec<DocId>,
    row_ids: Vec<tantivy::columnar::RowId>,
}

impl BulkReader {
    /// Every (position in `chunk`, value) of `column` for the ascending documents of `chunk`,
    /// in document order, into `out`.
    fn values_of<V>(&mut self, column: &Column<V>, chunk: &[DocId], out: &mut Vec<(usize, V)>)
    where
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
    fn firsts_of<V>(
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

impl OrdinalMap {
    fn new(column: Option<&StrColumn>) -> OrdinalMap {
        let terms = column.map_or(0, |c| c.num_terms());
        OrdinalMap {
            indices: vec![UNRESOLVED; terms],
        }
    }

    fn resolve(
        &mut self,
        column: &StrColumn,
        ord: u64,
        interner: &mut Interner,
        buffer: &mut String,
    ) -> Result<u16> {
        let slot = &mut self.indices[ord as usize];
        if *slot == UNRESOLVED {
            buffer.clear();
            column.ord_to_str(ord, buffer).map_err(io)?;
            *slot = interner.intern(buffer)?;
        }
        Ok(*slot)
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
        let mut range: Option<(i64, i64)> = None;
        let mut bulk = BulkReader::default();
        let (mut times, mut pairs) = (Vec::new(), Vec::new());
        for (segment, docs) in searcher.segment_readers().iter().zip(&posts) {
            let created = column::<tantivy::DateTime>(segment, names::CREATED_AT)?;
            for chunk in docs.chunks(READ_CHUNK) {
                bulk.firsts_of(created.as_ref(), chunk, &mut pairs, &mut times);
                for t in times.iter().flatten() {
                    let t = t.into_timestamp_secs();
                    range = Some(range.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
                }
            }
        }
        Ok(range.map(|(lo, hi)| {
            let utc = |t| utc(tantivy::DateTime::from_timestamp_secs(t));
            (utc(lo), utc(hi))
        }))
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

    fn kind_filter(
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

    /// The posts created in `[from, to)` as compact rows sorted by time, with the volume each
    /// minute summed over sources, read from fast fields only.
    pub fn observations(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<ObservationTable> {
        let searcher = self.searcher();
        let posts = matching_docs(&searcher, self.kind_filter(DOC_POST, from, to).as_ref())?;
        let segments: Vec<(&SegmentReader, &[DocId])> = searcher
            .segment_readers()
            .iter()
            .zip(&posts)
            .filter(|(_, docs)| !docs.is_empty())
            .map(|(segment, docs)| (segment, docs.as_slice()))
            .collect();
        // Segments are independent: read them on every core, then join their string tables.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
            .min(segments.len().max(1));
        let mut parts: Vec<Result<SegmentRows>> = Vec::with_capacity(segments.len());
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|worker| {
                    let mine: Vec<(&SegmentReader, &[DocId])> = segments
                        .iter()
                        .skip(worker)
                        .step_by(threads)
                        .copied()
                        .collect();
                    scope.spawn(move || {
                        mine.into_iter()
                            .map(|(segment, docs)| segment_rows(segment, docs))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for worker in workers {
                match worker.join() {
                    Ok(results) => parts.extend(results),
                    Err(_) => {
                        parts.push(Err(Error::Tantivy(tantivy::TantivyError::InternalError(
                            "a thread reading the observation columns panicked".into(),
                        ))))
                    }
                }
            }
        });
        let mut platforms = Interner::default();
        let mut regions = Interner::default();
        let mut langs = Interner::default();
        let mut rows = Vec::with_capacity(posts.iter().map(Vec::len).sum());
        for part in parts {
            let part = part?;
            let platform_ids = part.platforms.global(&mut platforms)?;
            let region_ids = part.regions.global(&mut regions)?;
            let lang_ids = part.langs.global(&mut langs)?;
            rows.extend(part.rows.into_iter().map(|mut row| {
                for p in &mut row.platforms {
                    *p = platform_ids[*p as usize];
                }
                for r in &mut row.regions {
                    *r = region_ids[*r as usize];
                }
                row.lang = lang_ids.get(row.lang as usize).copied().unwrap_or(0);
                row
            }));
        }
        // Segments hold runs in arrival order, nearly sorted: a stable merge sort is quick here
        // (sorting keys and then moving each row once was slower: random access over the rows).
        rows.sort_by_key(|row| row.at);
        Ok(ObservationTable {
            platforms: platforms.names,
            regions: regions.names,
            langs: langs.names,
            rows,
            volume_per_minute: self.volume_per_minute(&searcher, from, to)?,
        })
    }

    fn volume_per_minute(
        &self,
        searcher: &Searcher,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<(i64, u64)>> {
        let docs = matching_docs(searcher, self.kind_filter(DOC_VOLUME, from, to).as_ref())?;
        let mut per_minute: BTreeMap<i64, u64> = BTreeMap::new();
        for (segment, docs) in searcher.segment_readers().iter().zip(&docs) {
            if docs.is_empty() {
                continue;
            }
            let (Some(created), Some(seen)) = (
                column::<tantivy::DateTime>(segment, names::CREATED_AT)?,
                column::<u64>(segment, names::SEEN)?,
            ) else {
                continue;
            };
            for &doc in docs {
                if let (Some(t), Some(n)) = (created.first(doc), seen.first(doc)) {
                    *per_minute
                        .entry(t.into_timestamp_secs().div_euclid(60))
                        .or_default() += n;
                }
            }
        }
        Ok(per_minute.into_iter().collect())
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
