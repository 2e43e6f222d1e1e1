//! The observation table detection reads: complaint posts as compact rows, every other post
//! counted per minute, and the ingest volume per minute, all from fast-field columns.
//!
//! This module owns turning columns into [`ObservationTable`]s fast: the work is cut into
//! slices of documents that both cores read at once (one merged segment often holds most of a
//! week), string columns are resolved once per segment into one shared table, and the posts that
//! are not complaints (most of them) are counted instead of copied into rows. It never loads
//! stored documents and must not write to the index.

use crate::error::{Error, Result};
use crate::read::{BulkReader, READ_CHUNK, column, io, matching_docs, str_column};
use crate::schema::{DOC_POST, DOC_VOLUME, names};
use crate::store::PostIndex;
use chrono::{DateTime, Utc};
use outcry_model::cores::{map_in_order, share_work};
use outcry_model::{
    AuthorHash, Ids, MentionCounts, MentionTally, Observation, ObservationTable, Symptom,
};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Mutex;
use tantivy::columnar::StrColumn;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader, Term};

/// Documents per unit of work shared between the reading threads: large enough that opening
/// the columns is negligible, small enough that both cores stay busy to the end.
const TASK_DOCS: usize = 1 << 16;

impl PostIndex {
    /// The posts created in `[from, to)` read from fast fields only: complaint posts as compact
    /// rows sorted by time, every other post counted per minute (in
    /// [`ObservationTable::mentions`]), with the volume each minute summed over sources.
    pub fn observations(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<ObservationTable> {
        let searcher = self.searcher();
        let posts = self.kind_docs(&searcher, DOC_POST, from, to)?;
        // The two flags come from their posting lists: a sorted list per segment is cheaper to
        // walk alongside the documents than a column lookup per document.
        let flagged = |field| -> Result<Vec<Vec<DocId>>> {
            let query =
                TermQuery::new(Term::from_field_bool(field, true), IndexRecordOption::Basic);
            matching_docs(&searcher, &query)
        };
        let mut complaints = flagged(self.fields.complaint)?;
        let mut recoveries = flagged(self.fields.recovery)?;
        let mut tables = Tables::default();
        let mut segments = Vec::new();
        for (s, (segment, docs)) in searcher.segment_readers().iter().zip(&posts).enumerate() {
            if !docs.is_empty() {
                let mut plan = SegmentPlan::new(segment, &mut tables)?;
                plan.complaint_docs = std::mem::take(&mut complaints[s]);
                plan.recovery_docs = std::mem::take(&mut recoveries[s]);
                segments.push(plan);
            }
        }
        let tasks: Vec<(usize, &[DocId])> = posts
            .iter()
            .filter(|docs| !docs.is_empty())
            .enumerate()
            .flat_map(|(s, docs)| docs.chunks(TASK_DOCS).map(move |slice| (s, slice)))
            .collect();
        let parts = share_work(tasks.len(), TaskOutput::default, |out, t| {
            if out.error.is_some() {
                return;
            }
            let (s, docs) = tasks[t];
            // Room for every document: only the pages complaints fill are touched, and the
            // rows are never moved to grow.
            let mut rows = Vec::with_capacity(docs.len());
            match segments[s].read(docs, &mut rows, out) {
                Ok(()) => {
                    rows.sort_by_key(|row: &Observation| row.at);
                    out.sorted_runs.push((t, rows));
                }
                Err(e) => out.error = Some(e),
            }
        });
        let mut runs = Vec::new();
        let mut tallies = Vec::new();
        for part in parts {
            if let Some(e) = part.error {
                return Err(e);
            }
            runs.extend(part.sorted_runs);
            tallies.push(Mutex::new(part.mentions));
        }
        // Each thread's counts are sorted on a core of their own, then merged in one pass.
        let mentions = map_in_order(tallies.len(), |i| {
            let mut tally = tallies[i]
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            std::mem::take(&mut *tally).finish()
        });
        // In task order, whichever thread read them: rows of the same second keep one order.
        runs.sort_unstable_by_key(|(task, _)| *task);
        let rows = merge_sorted_runs(runs.into_iter().map(|(_, rows)| rows).collect());
        Ok(ObservationTable {
            platforms: tables.platforms.names,
            regions: tables.regions.names,
            langs: tables.langs.names,
            rows,
            volume_per_minute: self.volume_per_minute(&searcher, from, to)?,
            mentions: MentionCounts::combine(mentions),
        })
    }

    fn volume_per_minute(
        &self,
        searcher: &Searcher,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<(i64, u64)>> {
        let docs = self.kind_docs(searcher, DOC_VOLUME, from, to)?;
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
}

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
            .filter(|i| *i < u16::MAX)
            .ok_or_else(|| {
                Error::Tantivy(tantivy::TantivyError::InvalidArgument(format!(
                    "more than {} distinct values of one field in the observation window",
                    u16::MAX
                )))
            })?;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        Ok(i)
    }

    /// For each term ordinal of `column`, its index in this table (interned when new).
    fn ordinals(&mut self, column: Option<&StrColumn>) -> Result<Vec<u16>> {
        let Some(column) = column else {
            return Ok(Vec::new());
        };
        let mut name = String::new();
        (0..column.num_terms() as u64)
            .map(|ord| {
                name.clear();
                column.ord_to_str(ord, &mut name).map_err(io)?;
                self.intern(&name)
            })
            .collect()
    }
}

/// The string tables shared by every segment of one read.
#[derive(Default)]
struct Tables {
    platforms: Interner,
    regions: Interner,
    langs: Interner,
}

/// One segment's columns, with its term ordinals already mapped to the shared tables, so that
/// any thread can read any slice of its documents.
struct SegmentPlan<'a> {
    segment: &'a SegmentReader,
    platform_ids: Vec<u16>,
    region_ids: Vec<u16>,
    lang_ids: Vec<u16>,
    symptom_bits: Vec<u16>,
    report_ord: Option<u64>,
    /// The segment's complaint documents, ascending.
    complaint_docs: Vec<DocId>,
    /// The segment's recovery documents, ascending.
    recovery_docs: Vec<DocId>,
}

/// Whether each of `docs` (ascending) is in `flagged` (ascending), into `out`.
fn membership(docs: &[DocId], flagged: &[DocId], out: &mut Vec<bool>) {
    out.clear();
    let Some(&first) = docs.first() else {
        return;
    };
    let mut next = flagged.partition_point(|&d| d < first);
    for &doc in docs {
        while next < flagged.len() && flagged[next] < doc {
            next += 1;
        }
        out.push(next < flagged.len() && flagged[next] == doc);
    }
}

impl<'a> SegmentPlan<'a> {
    fn new(segment: &'a SegmentReader, tables: &mut Tables) -> Result<SegmentPlan<'a>> {
        let symptoms = str_column(segment, names::SYMPTOMS)?;
        let mut name = String::new();
        let symptom_bits = match &symptoms {
            None => Vec::new(),
            Some(col) => (0..col.num_terms() as u64)
                .map(|ord| {
                    name.clear();
                    col.ord_to_str(ord, &mut name).map_err(io)?;
                    Ok(Symptom::parse(&name).map_or(0, Symptom::bit))
                })
                .collect::<Result<_>>()?,
        };
        let report_ord = match str_column(segment, names::KIND)? {
            None => None,
            Some(col) => col.dictionary().term_ord("report").map_err(io)?,
        };
        Ok(SegmentPlan {
            segment,
            platform_ids: tables
                .platforms
                .ordinals(str_column(segment, names::PLATFORMS)?.as_ref())?,
            region_ids: tables
                .regions
                .ordinals(str_column(segment, names::REGIONS)?.as_ref())?,
            lang_ids: tables
                .langs
                .ordinals(str_column(segment, names::LANG)?.as_ref())?,
            symptom_bits,
            report_ord,
            complaint_docs: Vec::new(),
            recovery_docs: Vec::new(),
        })
    }

    /// Reads the posts `docs` (ascending) of this segment into `out`: complaints as rows, the
    /// others counted.
    fn read(
        &self,
        docs: &[DocId],
        rows: &mut Vec<Observation>,
        out: &mut TaskOutput,
    ) -> Result<()> {
        let segment = self.segment;
        let created = column::<tantivy::DateTime>(segment, names::CREATED_AT)?;
        let author = column::<u64>(segment, names::AUTHOR)?;
        let platform_col = str_column(segment, names::PLATFORMS)?;
        let region_col = str_column(segment, names::REGIONS)?;
        let lang_col = str_column(segment, names::LANG)?;
        let symptom_col = str_column(segment, names::SYMPTOMS)?;
        let kind_col = str_column(segment, names::KIND)?;
        // Columns are read in bulk, a chunk of documents at a time: per-document lookups in the
        // optional and multi-valued columns were the largest cost of a report.
        let b = &mut out.buffers;
        for chunk in docs.chunks(READ_CHUNK) {
            membership(chunk, &self.complaint_docs, &mut b.flags);
            b.complaints.clear();
            b.others.clear();
            for (&doc, &flag) in chunk.iter().zip(&b.flags) {
                if flag {
                    b.complaints.push(doc);
                } else {
                    b.others.push(doc);
                }
            }

            // Complaints: one row each, with everything attribution needs.
            let first = rows.len();
            b.bulk.firsts_of(
                created.as_ref(),
                &b.complaints,
                &mut b.time_pairs,
                &mut b.times,
            );
            rows.extend(b.times.iter().map(|at| Observation {
                at: at.map_or(0, |t: tantivy::DateTime| t.into_timestamp_secs()),
                author: None,
                platforms: Ids::new(),
                regions: Ids::new(),
                lang: 0,
                symptoms: 0,
                complaint: true,
                recovery: false,
                report: false,
            }));
            let rows = &mut rows[first..];
            b.bulk.firsts_of(
                author.as_ref(),
                &b.complaints,
                &mut b.number_pairs,
                &mut b.numbers,
            );
            for (row, a) in rows.iter_mut().zip(&b.numbers) {
                row.author = a.filter(|a| *a != 0).map(AuthorHash);
            }
            membership(&b.complaints, &self.recovery_docs, &mut b.flags);
            for (row, &r) in rows.iter_mut().zip(&b.flags) {
                row.recovery = r;
            }
            if let Some(col) = &lang_col {
                b.bulk.firsts_of(
                    Some(col.ords()),
                    &b.complaints,
                    &mut b.number_pairs,
                    &mut b.numbers,
                );
                for (row, ord) in rows.iter_mut().zip(&b.numbers) {
                    if let Some(ord) = ord {
                        row.lang = self.lang_ids[*ord as usize];
                    }
                }
            }
            if let (Some(col), Some(report)) = (&kind_col, self.report_ord) {
                b.bulk.firsts_of(
                    Some(col.ords()),
                    &b.complaints,
                    &mut b.number_pairs,
                    &mut b.numbers,
                );
                for (row, ord) in rows.iter_mut().zip(&b.numbers) {
                    row.report = *ord == Some(report);
                }
            }
            if let Some(col) = &platform_col {
                b.bulk
                    .values_of(col.ords(), &b.complaints, &mut b.number_pairs);
                for &(i, ord) in &b.number_pairs {
                    rows[i].platforms.push(self.platform_ids[ord as usize]);
                }
            }
            if let Some(col) = &region_col {
                b.bulk
                    .values_of(col.ords(), &b.complaints, &mut b.number_pairs);
                for &(i, ord) in &b.number_pairs {
                    rows[i].regions.push(self.region_ids[ord as usize]);
                }
            }
            if let Some(col) = &symptom_col {
                b.bulk
                    .values_of(col.ords(), &b.complaints, &mut b.number_pairs);
                for &(i, ord) in &b.number_pairs {
                    rows[i].symptoms |= self.symptom_bits[ord as usize];
                }
            }

            // Every other post: counted per minute, never kept.
            if b.others.is_empty() {
                continue;
            }
            let n = b.others.len();
            b.bulk
                .firsts_of(created.as_ref(), &b.others, &mut b.time_pairs, &mut b.times);
            membership(&b.others, &self.recovery_docs, &mut b.flags);
            b.platforms.clear();
            b.platforms.resize(n, Ids::new());
            b.regions.clear();
            b.regions.resize(n, Ids::new());
            if let Some(col) = &platform_col {
                b.bulk.values_of(col.ords(), &b.others, &mut b.number_pairs);
                for &(i, ord) in &b.number_pairs {
                    b.platforms[i].push(self.platform_ids[ord as usize]);
                }
            }
            if let Some(col) = &region_col {
                b.bulk.values_of(col.ords(), &b.others, &mut b.number_pairs);
                for &(i, ord) in &b.number_pairs {
                    b.regions[i].push(self.region_ids[ord as usize]);
                }
            }
            for i in 0..n {
                let at = b.times[i].map_or(0, |t| t.into_timestamp_secs());
                out.mentions.add_post(
                    at.div_euclid(60),
                    &b.platforms[i],
                    &b.regions[i],
                    b.flags[i],
                );
            }
        }
        Ok(())
    }
}

/// Merges runs of rows sorted by time into one sorted table, moving each row once (a stable
/// sort of the concatenation moved each row once per level of merging).
fn merge_sorted_runs(mut runs: Vec<Vec<Observation>>) -> Vec<Observation> {
    runs.retain(|run| !run.is_empty());
    if runs.len() <= 1 {
        return runs.pop().unwrap_or_default();
    }
    let mut merged = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    let mut heads: Vec<std::iter::Peekable<std::vec::IntoIter<Observation>>> = runs
        .into_iter()
        .map(|run| run.into_iter().peekable())
        .collect();
    // (time of the run's next row, run), smallest first; ties go to the earlier run.
    let mut queue: BinaryHeap<Reverse<(i64, usize)>> = heads
        .iter_mut()
        .enumerate()
        .filter_map(|(i, run)| run.peek().map(|row| Reverse((row.at, i))))
        .collect();
    while let Some(Reverse((_, i))) = queue.pop() {
        let run = &mut heads[i];
        let Some(row) = run.next() else { continue };
        merged.push(row);
        // Rows of the same run that still come first are taken without the queue.
        let bound = queue.peek().map_or(i64::MAX, |Reverse((at, _))| *at);
        while let Some(row) = run.next_if(|row| row.at < bound) {
            merged.push(row);
        }
        if let Some(next) = run.peek() {
            queue.push(Reverse((next.at, i)));
        }
    }
    merged
}

/// (task, its complaint rows sorted by time) for each task a thread read.
type SortedRuns = Vec<(usize, Vec<Observation>)>;

/// What one reading thread produces.
#[derive(Default)]
struct TaskOutput {
    sorted_runs: SortedRuns,
    mentions: MentionTally,
    buffers: ChunkBuffers,
    /// The first error met; the thread stops reading after it.
    error: Option<Error>,
}

/// Buffers reused from chunk to chunk.
#[derive(Default)]
struct ChunkBuffers {
    bulk: BulkReader,
    complaints: Vec<DocId>,
    others: Vec<DocId>,
    times: Vec<Option<tantivy::DateTime>>,
    time_pairs: Vec<(usize, tantivy::DateTime)>,
    numbers: Vec<Option<u64>>,
    number_pairs: Vec<(usize, u64)>,
    flags: Vec<bool>,
    platforms: Vec<Ids>,
    regions: Vec<Ids>,
}
