//! Text analysis for the index: the word tokenizer, the rust-stemmers token filter, the
//! negation synonyms, and the registration of one analyzer per language.
//!
//! This module owns how text becomes terms, on the indexing side and on the query side. It does
//! not know the schema beyond analyzer names and must not touch documents or the writer.
//!
//! Every analyzer starts the same way: [`WordTokenizer`] (words of letters and digits, internal
//! apostrophes joined and dropped so "isn't" is one word `isnt`, CJK runs cut into overlapping
//! character bigrams so any substring of two or more characters is searchable), then lowercase,
//! then ASCII/accent folding ("caído" becomes `caido`). Stemmed analyzers end with
//! [`RustStemmerFilter`] for their language.
//!
//! On the indexing side only, [`NegationSynonyms`] adds the term `not` at the position of a
//! negated verb form ("isn't", "don't", "can't", "stopped"...). That is what makes the phrase
//! "not working" find "isn't working" and "stopped working": the query side has no synonym
//! filter, so the query `isn't` still finds only "isn't".

use rust_stemmers::Algorithm;
use std::collections::HashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer, TokenizerManager,
};

/// The analyzer of the `text` field: folded, unstemmed.
pub const FOLDED_ANALYZER: &str = "outcry_folded";

/// Words longer than this many bytes (URLs, base64 noise) are not indexed.
const MAX_WORD_BYTES: usize = 80;

/// The languages with a stemmer: ISO 639-1 code and the rust-stemmers algorithm. Each has its
/// own stemmed text field; a post fills the one for its language.
pub const STEMMED_LANGUAGES: [(&str, Algorithm); 18] = [
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("en", Algorithm::English),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nl", Algorithm::Dutch),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

/// The stemmed language for an ISO 639-1 code, folding the Norwegian variants into `no`.
/// `None` for languages without a stemmer (Japanese, Hindi, `und`...): their posts are found
/// through the folded `text` field only.
pub fn stemmed_language(lang: &str) -> Option<&'static str> {
    let lang = match lang {
        "nb" | "nn" => "no",
        other => other,
    };
    STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == lang)
        .map(|(code, _)| *code)
}

/// The analyzer name of the stemmed field for `code` (one of [`STEMMED_LANGUAGES`]).
pub fn stem_analyzer_name(code: &str) -> String {
    format!("outcry_stem_{code}")
}

/// Which side of the index an analyzer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Documents being indexed: negation synonyms are added.
    Index,
    /// Query text: no synonyms, so a query for a contraction stays exact.
    Query,
}

/// A tokenizer manager with the folded analyzer and every stemmed analyzer for `side`, plus
/// tantivy's default `raw` tokenizer for keyword fields.
pub fn tokenizer_manager(side: Side) -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(FOLDED_ANALYZER, analyzer(side, None));
    for (code, algorithm) in STEMMED_LANGUAGES {
        manager.register(&stem_analyzer_name(code), analyzer(side, Some(algorithm)));
    }
    manager
}

/// One analyzer: words, lowercase, folding, optional negation synonyms, optional stemming.
pub fn analyzer(side: Side, stemmer: Option<Algorithm>) -> TextAnalyzer {
    let base = TextAnalyzer::builder(WordTokenizer)
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match (side, stemmer) {
        (Side::Index, Some(algorithm)) => base
            .filter(NegationSynonyms)
            .filter(RustStemmerFilter::new(algorithm))
            .build(),
        (Side::Index, None) => base.filter(NegationSynonyms).build(),
        (Side::Query, Some(algorithm)) => base.filter(RustStemmerFilter::new(algorithm)).build(),
        (Side::Query, None) => base.build(),
    }
}

/// Splits text into words (letters, digits and combining marks, with internal apostrophes
/// dropped) and cuts runs of CJK characters into overlapping bigrams, since those scripts do
/// not separate words with spaces.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordTokenizer;

/// The token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    /// Start of the next bigram while inside a CJK run.
    cjk_next: usize,
    cjk_run_start: usize,
    cjk_run_end: usize,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        let token = Token {
            position: usize::MAX,
            ..Token::default()
        };
        WordTokenStream {
            text,
            cursor: 0,
            cjk_next: 0,
            cjk_run_start: 0,
            cjk_run_end: 0,
            token,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Han, kana and Hangul: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Letters and digits, plus the combining marks that Indic and Arabic words contain (a virama
/// or a harakat must not split a word), excluding CJK which is bigrammed instead.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_cjk(c) {
        return false;
    }
    if c.is_alphanumeric() {
        return true;
    }
    matches!(c as u32,
        0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED
        | 0x0900..=0x0963 | 0x0966..=0x0DFF | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x200C | 0x200D)
}

impl WordTokenStream<'_> {
    fn emit(&mut self, from: usize, to: usize) {
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position_length = 1;
        self.token.text.clear();
        let word = &self.text[from..to];
        if word.contains(is_apostrophe) {
            self.token
                .text
                .extend(word.chars().filter(|c| !is_apostrophe(*c)));
        } else {
            self.token.text.push_str(word);
        }
    }

    /// The next bigram (or lone character) of the current CJK run, if any is left.
    fn next_cjk(&mut self) -> bool {
        if self.cjk_next >= self.cjk_run_end {
            return false;
        }
        let start = self.cjk_next;
        let mut chars = self.text[start..self.cjk_run_end].chars();
        let first = chars.next().map_or(0, char::len_utf8);
        match chars.next() {
            Some(second) => {
                self.emit(start, start + first + second.len_utf8());
                self.cjk_next = start + first;
                true
            }
            None if start == self.cjk_run_start => {
                self.emit(start, start + first);
                self.cjk_next = self.cjk_run_end;
                true
            }
            None => {
                self.cjk_next = self.cjk_run_end;
                false
            }
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next_cjk() {
            return true;
        }
        let text = self.text;
        let rest = &text[self.cursor..];
        let Some((skip, first)) = rest
            .char_indices()
            .find(|(_, c)| is_word_char(*c) || is_cjk(*c))
        else {
            self.cursor = text.len();
            return false;
        };
        let start = self.cursor + skip;
        if is_cjk(first) {
            let run_len = text[start..]
                .char_indices()
                .find(|(_, c)| !is_cjk(*c))
                .map_or(text.len() - start, |(i, _)| i);
            self.cjk_run_start = start;
            self.cjk_next = start;
            self.cjk_run_end = start + run_len;
            self.cursor = self.cjk_run_end;
            return self.next_cjk();
        }
        let mut end = start;
        let mut chars = text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_word_char(c) {
                end = start + i + c.len_utf8();
            } else if is_apostrophe(c) && chars.peek().is_some_and(|(_, n)| is_word_char(*n)) {
                continue;
            } else {
                break;
            }
        }
        self.cursor = end;
        self.emit(start, end);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// A tantivy [`TokenFilter`] that stems each token with `rust_stemmers`. Tokens must already be
/// lowercased (and, here, folded: queries go through the same chain, so both sides agree).
#[derive(Debug, Clone, Copy)]
pub struct RustStemmerFilter {
    algorithm: Algorithm,
}

impl RustStemmerFilter {
    /// A filter stemming with `algorithm`.
    pub fn new(algorithm: Algorithm) -> Self {
        RustStemmerFilter { algorithm }
    }
}

impl TokenFilter for RustStemmerFilter {
    type Tokenizer<T: Tokenizer> = RustStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RustStemmerTokenizer<T> {
        RustStemmerTokenizer {
            algorithm: self.algorithm,
            cache: HashMap::new(),
            inner: tokenizer,
        }
    }
}

/// The tokenizer produced by [`RustStemmerFilter`].
#[derive(Clone)]
pub struct RustStemmerTokenizer<T> {
    algorithm: Algorithm,
    cache: HashMap<String, String>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RustStemmerTokenizer<T> {
    type TokenStream<'a> = RustStemmerTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > STEM_CACHE_ENTRIES {
            self.cache.clear();
        }
        RustStemmerTokenStream {
            // Creating a stemmer only picks a function pointer: cheap per text.
            stemmer: rust_stemmers::Stemmer::create(self.algorithm),
            cache: &mut self.cache,
            inner: self.inner.token_stream(text),
        }
    }
}

/// Words repeat (Zipf): a bounded cache of stems per analyzer instance saves most of the
/// stemming work, which is otherwise the largest cost of indexing.
const STEM_CACHE_ENTRIES: usize = 10_000;

/// The token stream of [`RustStemmerFilter`].
pub struct RustStemmerTokenStream<'a, S> {
    stemmer: rust_stemmers::Stemmer,
    cache: &'a mut HashMap<String, String>,
    inner: S,
}

impl<S: TokenStream> TokenStream for RustStemmerTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        self.cache
            .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Folded forms (apostrophes dropped) that negate or stop the verb after them. The word itself
/// stays indexed; `not` is added at the same position.
fn is_negation(word: &str) -> bool {
    matches!(
        word,
        "isnt"
            | "arent"
            | "wasnt"
            | "werent"
            | "dont"
            | "doesnt"
            | "didnt"
            | "cant"
            | "cannot"
            | "couldnt"
            | "wont"
            | "wouldnt"
            | "shouldnt"
            | "hasnt"
            | "havent"
            | "hadnt"
            | "aint"
            | "neednt"
            | "stopped"
            | "stops"
    )
}

/// Adds the term `not` at the position of each negated verb form (see the module doc). Index
/// side only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NegationSynonyms;

impl TokenFilter for NegationSynonyms {
    type Tokenizer<T: Tokenizer> = NegationSynonymsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NegationSynonymsTokenizer<T> {
        NegationSynonymsTokenizer { inner: tokenizer }
    }
}

/// The tokenizer produced by [`NegationSynonyms`].
#[derive(Clone)]
pub struct NegationSynonymsTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NegationSynonymsTokenizer<T> {
    type TokenStream<'a> = NegationSynonymsTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NegationSynonymsTokenStream {
            inner: self.inner.token_stream(text),
            pending_not: false,
        }
    }
}

/// The token stream of [`NegationSynonyms`].
pub struct NegationSynonymsTokenStream<S> {
    inner: S,
    pending_not: bool,
}

impl<S: TokenStream> TokenStream for NegationSynonymsTokenStream<S> {
    fn advance(&mut self) -> bool {
        if self.pending_not {
            // Same offsets and position as the negated word: a synonym, not a new word.
            self.pending_not = false;
            let token = self.inner.token_mut();
            token.text.clear();
            token.text.push_str("not");
            return true;
        }
        if !self.inner.advance() {
            return false;
        }
        self.pending_not = is_negation(&self.inner.token().text);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(side: Side, lang: Option<&str>, text: &str) -> Vec<(String, usize, usize, usize)> {
        let algorithm = lang.map(|l| {
            STEMMED_LANGUAGES
                .iter()
                .find(|(c, _)| *c == l)
                .map(|(_, a)| *a)
                .unwrap()
        });
        let mut analyzer = analyzer(side, algorithm);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn words(side: Side, lang: Option<&str>, text: &str) -> Vec<String> {
        tokens(side, lang, text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn folds_case_accents_and_apostrophes() {
        assert_eq!(
            words(Side::Query, None, "WhatsApp caído?! L’app isn't"),
            ["whatsapp", "caido", "lapp", "isnt"]
        );
    }

    #[test]
    fn negation_synonym_shares_the_position_and_offsets() {
        let t = tokens(Side::Index, None, "it isn't working");
        assert_eq!(
            t,
            [
                ("it".into(), 0, 0, 2),
                ("isnt".into(), 1, 3, 8),
                ("not".into(), 1, 3, 8),
                ("working".into(), 2, 9, 16),
            ]
        );
        assert_eq!(words(Side::Query, None, "isn't"), ["isnt"]);
    }

    #[test]
    fn stems_after_folding() {
        assert_eq!(
            words(Side::Index, Some("en"), "stopped working"),
            ["stop", "not", "work"]
        );
        assert_eq!(
            words(Side::Query, Some("es"), "caído caída caido"),
            words(Side::Query, Some("es"), "caid caid caid")
        );
        let pt = words(Side::Query, Some("pt"), "caído caída");
        assert_eq!(pt[0], pt[1]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        let t = tokens(Side::Query, None, "LINEが繋がらない x 嘘");
        let w: Vec<&str> = t.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            w,
            ["line", "が繋", "繋が", "がら", "らな", "ない", "x", "嘘"]
        );
        assert_eq!(t[1].2, 4);
        assert_eq!(t[1].1 + 1, t[2].1);
    }

    #[test]
    fn indic_words_stay_whole() {
        assert_eq!(
            words(Side::Query, None, "व्हाट्सएप बंद है"),
            ["व्हाट्सएप", "बंद", "है"]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "'",
            "''a''",
            "a'",
            "'a",
            "日",
            "日本",
            "\u{301}",
            "x\u{200d}",
            "🙂🙂",
        ] {
            let _ = words(Side::Index, Some("en"), s);
        }
        assert_eq!(words(Side::Query, None, "rock'n'roll ''"), ["rocknroll"]);
    }

    #[test]
    fn norwegian_variants_share_a_field() {
        assert_eq!(stemmed_language("nb"), Some("no"));
        assert_eq!(stemmed_language("ja"), None);
        assert_eq!(stemmed_language("pt"), Some("pt"));
    }
}
