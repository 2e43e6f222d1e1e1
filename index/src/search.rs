//! Search: tantivy query syntax over the folded text and every stemmed copy, filters, sorting,
//! and highlights (byte ranges of the matched words).
//!
//! This module owns how a [`SearchRequest`] becomes a tantivy query and how stored documents
//! become [`Hit`]s. It must not write to the index.
//!
//! How "not working" finds "isn't working" and "stopped working": the query parser searches
//! every word in `text` and in each stemmed field, AND-ing the words by default; the indexing
//! analyzers add the term `not` at the position of negated verbs (see `analysis`), and stemming
//! makes `working` match `work`/`works`. Phrases stay exact phrases (`"not working"` matches
//! "isn't working" because `not` sits at the position of "isn't"); write `"not working"~2` for a
//! proximity search.

use crate::analysis::{FOLDED_ANALYZER, stem_analyzer_name, stemmed_language};
use crate::error::{Error, Result};
use crate::schema::{DOC_POST, names};
use crate::store::PostIndex;
use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Newest first.
    #[default]
    Time,
    /// Best BM25 score first.
    Relevance,
}

/// A search: query text plus filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// Tantivy query syntax; empty means every post.
    pub query: String,
    /// Only posts created at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only posts created before this time.
    pub to: Option<DateTime<Utc>>,
    /// Only posts about this platform id.
    pub platform: Option<String>,
    /// Only posts in this language (ISO 639-1).
    pub lang: Option<String>,
    /// Only posts naming this region code (`BR`, `US-NY`).
    pub region: Option<String>,
    /// Only complaints.
    pub complaints_only: bool,
    /// At most this many hits (the total still counts every match).
    pub limit: usize,
    /// Order of the hits.
    pub sort: SortOrder,
}

impl SearchRequest {
    /// A request for `query` without filters: 20 hits, newest first.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            from: None,
            to: None,
            platform: None,
            lang: None,
            region: None,
            complaints_only: false,
            limit: 20,
            sort: SortOrder::Time,
        }
    }
}

/// The matching posts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many posts match in all (not only the returned hits).
    pub total: usize,
    /// The hits, in the requested order.
    pub hits: Vec<Hit>,
}

/// One post as search shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The post id within its source.
    pub id: String,
    /// The source.
    pub source: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// The text.
    pub text: String,
    /// Platforms it is about.
    pub platforms: Vec<String>,
    /// Whether it is a complaint.
    pub complaint: bool,
    /// Regions it names.
    pub regions: Vec<String>,
    /// Its language.
    pub lang: String,
    /// BM25 relevance when sorted by relevance; 0 when sorted by time.
    pub score: f32,
    /// Byte ranges in `text` of the words that matched the query, sorted, not overlapping.
    pub highlights: Vec<(usize, usize)>,
}

fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

pub(crate) fn time_range(
    field: Field,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Option<Box<dyn Query>> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let bound = |t: Option<DateTime<Utc>>, inclusive: bool| match t {
        None => Bound::Unbounded,
        Some(t) => {
            let term = Term::from_field_date(field, crate::writer::date(t));
            if inclusive {
                Bound::Included(term)
            } else {
                Bound::Excluded(term)
            }
        }
    };
    Some(Box::new(RangeQuery::new(
        bound(from, true),
        bound(to, false),
    )))
}

pub(crate) fn utc(t: tantivy::DateTime) -> DateTime<Utc> {
    Utc.timestamp_opt(t.into_timestamp_secs(), 0)
        .single()
        .unwrap_or_default()
}

/// Apostrophes inside words ("isn't") are quote characters in tantivy's grammar; the analyzers
/// drop them anyway, so drop them before parsing.
fn drop_word_apostrophes(query: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len());
    for (i, c) in chars.iter().enumerate() {
        let inside_word = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if !(matches!(c, '\'' | '\u{2019}') && inside_word) {
            out.push(*c);
        }
    }
    out
}

fn is_pure_negation(query: &BooleanQuery) -> bool {
    !query.clauses().is_empty() && query.clauses().iter().all(|(o, _)| *o == Occur::MustNot)
}

/// The parser turns `a AND NOT b` into `+a +(-b)`, and a clause holding only exclusions matches
/// nothing; lift such exclusions into the enclosing query: `+a -b`.
fn hoist_negations(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(boolean.clauses().len());
    for (occur, sub) in boolean.clauses() {
        let sub = hoist_negations(sub.box_clone());
        match sub.downcast_ref::<BooleanQuery>() {
            Some(inner) if *occur == Occur::Must && is_pure_negation(inner) => {
                clauses.extend(inner.clauses().iter().map(|(o, q)| (*o, q.box_clone())));
            }
            _ => clauses.push((*occur, sub)),
        }
    }
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses,
        boolean.get_minimum_number_should_match(),
    ))
}

impl PostIndex {
    /// Posts only (no volume or official docs), with the request's filters.
    pub(crate) fn post_filter(&self, req: &SearchRequest) -> Box<dyn Query> {
        let f = &self.fields;
        let mut filters: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, term_query(f.doc, DOC_POST))];
        if let Some(range) = time_range(f.created_at, req.from, req.to) {
            filters.push((Occur::Must, range));
        }
        // Stored as platform ids and language codes in lower case, region codes in upper case:
        // `--region br` and `--platform WhatsApp` mean what people expect.
        if let Some(platform) = &req.platform {
            let platform = platform.trim().to_lowercase();
            filters.push((Occur::Must, term_query(f.platforms, &platform)));
        }
        if let Some(lang) = &req.lang {
            let lang = lang.trim().to_lowercase();
            filters.push((Occur::Must, term_query(f.lang, &lang)));
        }
        if let Some(region) = &req.region {
            let region = region.trim().to_uppercase();
            filters.push((Occur::Must, term_query(f.regions, &region)));
        }
        if req.complaints_only {
            filters.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_bool(f.complaint, true),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Box::new(BooleanQuery::new(filters))
    }

    /// Parses `query` with tantivy's syntax over the text fields, words AND-ed by default.
    pub(crate) fn parse_user_query(&self, query: &str) -> Result<Box<dyn Query>> {
        if query.trim().is_empty() {
            return Ok(Box::new(AllQuery));
        }
        let mut parser = QueryParser::new(
            self.index.schema(),
            self.fields.default_search_fields(),
            self.query_tokenizers.clone(),
        );
        parser.set_conjunction_by_default();
        let parsed = parser
            .parse_query(&drop_word_apostrophes(query))
            .map_err(|e| Error::Query {
                query: query.to_string(),
                reason: e.to_string(),
            })?;
        Ok(self.normalize_keywords(hoist_negations(parsed)))
    }

    /// Keyword fields hold platform ids, languages, symptoms and kinds in lower case and
    /// region codes in upper case; the query parser keeps a keyword as typed, so
    /// `regions:br` and `platforms:WhatsApp` are brought to the stored case here, as the
    /// `--region` and `--platform` filters are.
    fn normalize_keywords(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        let f = &self.fields;
        if let Some(term_query) = query.downcast_ref::<TermQuery>() {
            let term = term_query.term();
            let field = term.field();
            let value = term.value();
            let Some(value) = value.as_str() else {
                return query;
            };
            let normalized = if field == f.regions {
                value.to_uppercase()
            } else if [f.platforms, f.providers, f.lang, f.symptoms, f.kind].contains(&field) {
                value.to_lowercase()
            } else {
                return query;
            };
            if normalized == value {
                return query;
            }
            return Box::new(TermQuery::new(
                Term::from_field_text(field, &normalized),
                IndexRecordOption::Basic,
            ));
        }
        let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
            return query;
        };
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, sub)| (*occur, self.normalize_keywords(sub.box_clone())))
            .collect();
        Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses,
            boolean.get_minimum_number_should_match(),
        ))
    }

    /// Runs a search. A query that is not valid syntax gives [`Error::Query`], whose message
    /// shows valid examples.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let user_query = self.parse_user_query(&req.query)?;
        let query = BooleanQuery::new(vec![
            (Occur::Must, user_query.box_clone()),
            // The filters must not change the scores.
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(self.post_filter(req), 0.0)),
            ),
        ]);
        let searcher = self.searcher();
        // More hits than documents is never needed, and tantivy sizes its heap by the limit.
        let limit = req.limit.min(searcher.num_docs() as usize);
        if limit == 0 {
            let total = searcher.search(&query, &Count)?;
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
            });
        }
        let (total, found): (usize, Vec<(f32, DocAddress)>) = match req.sort {
            SortOrder::Relevance => searcher.search(
                &query,
                &(Count, TopDocs::with_limit(limit).order_by_score()),
            )?,
            SortOrder::Time => {
                let (total, docs) = searcher.search(
                    &query,
                    &(
                        Count,
                        TopDocs::with_limit(limit).order_by_fast_field::<tantivy::DateTime>(
                            names::CREATED_AT,
                            Order::Desc,
                        ),
                    ),
                )?;
                (total, docs.into_iter().map(|(_, doc)| (0.0, doc)).collect())
            }
        };
        let highlighter = Highlighter::new(self, user_query.as_ref());
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let mut hit = self.load_hit(&searcher, address)?;
            hit.score = score;
            hit.highlights = highlighter.highlights(&hit.text, &hit.lang);
            hits.push(hit);
        }
        Ok(SearchResults { total, hits })
    }

    /// Reads the stored fields of one post.
    pub(crate) fn load_hit(&self, searcher: &Searcher, address: DocAddress) -> Result<Hit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.fields;
        let text_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let all_of = |field: Field| {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        };
        Ok(Hit {
            id: text_of(f.id),
            source: text_of(f.source),
            created_at: doc
                .get_first(f.created_at)
                .and_then(|v| v.as_datetime())
                .map(utc)
                .unwrap_or_default(),
            text: text_of(f.text),
            platforms: all_of(f.platforms),
            complaint: doc
                .get_first(f.complaint)
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            regions: all_of(f.regions),
            lang: text_of(f.lang),
            score: 0.0,
            highlights: Vec::new(),
        })
    }
}

/// Finds the words of a text that match the (non-negated) terms of a query, by running the
/// same indexing analyzers over the text and comparing terms.
struct Highlighter {
    folded_field: Field,
    folded: TextAnalyzer,
    /// Terms per field: the text field and the stemmed fields.
    terms: HashSet<(Field, String)>,
    stemmed: Vec<(&'static str, Field, TextAnalyzer)>,
}

fn collect_positive_terms(query: &dyn Query, out: &mut HashSet<(Field, String)>) {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        for (occur, sub) in boolean.clauses() {
            if *occur != Occur::MustNot {
                collect_positive_terms(sub.as_ref(), out);
            }
        }
        return;
    }
    query.query_terms(&mut |term, _| {
        if let Some(text) = term.value().as_str() {
            out.insert((term.field(), text.to_string()));
        }
    });
}

impl Highlighter {
    fn new(index: &PostIndex, query: &dyn Query) -> Highlighter {
        let mut terms = HashSet::new();
        collect_positive_terms(query, &mut terms);
        let tokenizers = index.index.tokenizers();
        let analyzer = |name: &str| tokenizers.get(name).unwrap_or_default();
        let stemmed = index
            .fields
            .stemmed
            .iter()
            .filter(|(_, field)| terms.iter().any(|(f, _)| f == field))
            .map(|(code, field)| (*code, *field, analyzer(&stem_analyzer_name(code))))
            .collect();
        Highlighter {
            folded_field: index.fields.text,
            folded: analyzer(FOLDED_ANALYZER),
            terms,
            stemmed,
        }
    }

    fn highlights(&self, text: &str, lang: &str) -> Vec<(usize, usize)> {
        let mut ranges = Vec::new();
        if self.terms.is_empty() {
            return ranges;
        }
        let mut collect = |field: Field, analyzer: &TextAnalyzer| {
            let mut analyzer = analyzer.clone();
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                if self.terms.contains(&(field, token.text.clone())) {
                    ranges.push((token.offset_from, token.offset_to));
                }
            }
        };
        collect(self.folded_field, &self.folded);
        if let Some(code) = stemmed_language(lang)
            && let Some((_, field, analyzer)) = self.stemmed.iter().find(|(c, _, _)| *c == code)
        {
            collect(*field, analyzer);
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (from, to) in ranges {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        merged
    }
}
