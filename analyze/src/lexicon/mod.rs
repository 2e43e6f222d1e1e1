//! Complaint lexicons: the per-language phrase banks in `data/lexicon/<lang>.toml`, validated at
//! start-up and compiled into one multi-pattern automaton per language.
//!
//! This module owns the lexicon file format (documented in `data/README.md`, "## Lexicons"), its
//! validation, and phrase matching over a post's token stream. It does not decide whether a post
//! is a complaint: it reports which phrases matched where, and `crate::classify` applies the
//! rules. Matching runs on folded text (`crate::text::fold`), tokenized (`tokens`), each word
//! stemmed with the language's rust-stemmers algorithm when it has one, so "crashing", "crashed"
//! and "crashes" meet. A language written without spaces sets `word_boundaries = false`: its
//! phrases then match anywhere, inside words too.

pub(crate) mod phrase_index;
pub mod tokens;

use crate::data::{DataError, DataFile};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use outcry_model::{SYMPTOM_KINDS, Symptom};
use phrase_index::Key;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;
use std::collections::HashMap;
use tokens::{Token, TokenKind};

/// The stemmer names a lexicon may give in `stemmer`, and their algorithms.
const STEMMERS: [(&str, Option<Algorithm>); 19] = [
    ("none", None),
    ("arabic", Some(Algorithm::Arabic)),
    ("danish", Some(Algorithm::Danish)),
    ("dutch", Some(Algorithm::Dutch)),
    ("english", Some(Algorithm::English)),
    ("finnish", Some(Algorithm::Finnish)),
    ("french", Some(Algorithm::French)),
    ("german", Some(Algorithm::German)),
    ("greek", Some(Algorithm::Greek)),
    ("hungarian", Some(Algorithm::Hungarian)),
    ("italian", Some(Algorithm::Italian)),
    ("norwegian", Some(Algorithm::Norwegian)),
    ("portuguese", Some(Algorithm::Portuguese)),
    ("romanian", Some(Algorithm::Romanian)),
    ("russian", Some(Algorithm::Russian)),
    ("spanish", Some(Algorithm::Spanish)),
    ("swedish", Some(Algorithm::Swedish)),
    ("tamil", Some(Algorithm::Tamil)),
    ("turkish", Some(Algorithm::Turkish)),
];

/// Scripts a lexicon may claim for language detection.
pub const SCRIPTS: [&str; 9] = [
    "latin",
    "cyrillic",
    "arabic",
    "devanagari",
    "japanese",
    "han",
    "hangul",
    "greek",
    "thai",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    language: LanguageSection,
    #[serde(default)]
    complaint: ComplaintSection,
    #[serde(default)]
    recovery: RecoverySection,
    #[serde(default)]
    symptoms: SymptomSection,
    #[serde(default)]
    symptom_topics: SymptomSection,
    #[serde(default)]
    guards: GuardSection,
    #[serde(default)]
    platform_names: PlatformNamesSection,
}

/// How the language writes platform names: glued endings and prefixes, and the words that
/// join two names into one subject.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlatformNamesSection {
    #[serde(default)]
    suffixes: Vec<String>,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    conjunction_prefixes: Vec<String>,
    #[serde(default = "default_max_prefixes")]
    max_prefixes: u8,
    #[serde(default)]
    replaced_endings: Vec<String>,
    #[serde(default = "default_min_name_letters")]
    min_name_letters: usize,
    #[serde(default)]
    conjunctions: Vec<String>,
}

impl Default for PlatformNamesSection {
    fn default() -> Self {
        PlatformNamesSection {
            suffixes: Vec::new(),
            prefixes: Vec::new(),
            conjunction_prefixes: Vec::new(),
            max_prefixes: default_max_prefixes(),
            replaced_endings: Vec::new(),
            min_name_letters: default_min_name_letters(),
            conjunctions: Vec::new(),
        }
    }
}

fn default_max_prefixes() -> u8 {
    1
}

fn default_min_name_letters() -> usize {
    4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageSection {
    code: String,
    name: String,
    stemmer: String,
    #[serde(default = "default_true")]
    word_boundaries: bool,
    #[serde(default = "default_proximity")]
    proximity: u16,
    #[serde(default)]
    scripts: Vec<String>,
    #[serde(default)]
    common_words: Vec<String>,
    #[serde(default)]
    skip_words: Vec<String>,
    #[serde(default)]
    unstemmed: Vec<String>,
    #[serde(default)]
    letters: Vec<String>,
}

fn default_true() -> bool {
    true
}

fn default_proximity() -> u16 {
    8
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintSection {
    #[serde(default)]
    outage: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
    #[serde(default)]
    hashtag_suffixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecoverySection {
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    hashtag_suffixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SymptomSection {
    #[serde(default)]
    login: Vec<String>,
    #[serde(default)]
    messaging: Vec<String>,
    #[serde(default)]
    feed: Vec<String>,
    #[serde(default)]
    calls: Vec<String>,
    #[serde(default)]
    media: Vec<String>,
    #[serde(default)]
    payments: Vec<String>,
    #[serde(default)]
    connectivity: Vec<String>,
    #[serde(default)]
    crash: Vec<String>,
    #[serde(default)]
    notifications: Vec<String>,
    #[serde(default)]
    playback: Vec<String>,
    #[serde(default)]
    other: Vec<String>,
}

impl SymptomSection {
    fn lists(&self) -> [(Symptom, &Vec<String>); 11] {
        [
            (Symptom::Login, &self.login),
            (Symptom::Messaging, &self.messaging),
            (Symptom::Feed, &self.feed),
            (Symptom::Calls, &self.calls),
            (Symptom::Media, &self.media),
            (Symptom::Payments, &self.payments),
            (Symptom::Connectivity, &self.connectivity),
            (Symptom::Crash, &self.crash),
            (Symptom::Notifications, &self.notifications),
            (Symptom::Playback, &self.playback),
            (Symptom::Other, &self.other),
        ]
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardSection {
    #[serde(default)]
    mask: Vec<String>,
    #[serde(default)]
    negation: Vec<String>,
    #[serde(default)]
    past: Vec<String>,
    #[serde(default)]
    current: Vec<String>,
    #[serde(default)]
    again: Vec<String>,
    #[serde(default)]
    finance: Vec<String>,
    #[serde(default)]
    own_device: Vec<String>,
    #[serde(default)]
    not_outage: Vec<String>,
    #[serde(default)]
    duration: Vec<String>,
    #[serde(default)]
    not_now: Vec<String>,
    #[serde(default)]
    header: Vec<String>,
    #[serde(default)]
    not_to_blame: Vec<String>,
    #[serde(default)]
    fiction: Vec<String>,
}

/// Guards: phrases that explain a complaint phrase away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    /// "download", "calm down", "thumbs down": any cue overlapping it is not a cue.
    Mask,
    /// "not down", "works fine": vetoes complaint cues in its sentence.
    Negation,
    /// "yesterday", "was down", "restores": the post is about the past, unless `current` says now.
    Past,
    /// "right now", "still", "since this morning": the problem is current despite past words.
    Current,
    /// "again", "de nuevo", "снова": a `current` word that also says the problem came back;
    /// only it makes a complaint after a recovery a relapse ("X is back? no, down again"),
    /// where "since this morning" after a recovery tells the outage that ended.
    Again,
    /// "shares", "stock", "$", "%": vetoes weak cues ("down") in its clause.
    Finance,
    /// "my phone broke", "my wifi is down": the author's own device or connection; vetoes the
    /// complaint cues of its sentence.
    OwnDevice,
    /// "algorithm sucks", "is dead to me": ordinary dissatisfaction or a joke; vetoes complaint
    /// cues in its clause.
    NotOutage,
    /// "hours", "uur", "horas": a duration just before a complaint cue in a sentence that says
    /// the service works again makes the cue the outage that ended ("netflix werkt weer na een
    /// half uur storing"); vetoes it.
    Duration,
    /// "I dreamt", "in the series", "scheduled maintenance": a dream, a story or work
    /// announced for later tells of an outage that is not happening now; vetoes the complaint
    /// and recovery cues of its sentence.
    NotNow,
    /// "PSA", "Tipp", "astuce", "dica": a tip or announcement that opens the post ("PSA: if X
    /// says 'something went wrong', clear the cache"); only as the post's first word (after
    /// @handles), it vetoes the complaint and recovery cues of the first sentence, like
    /// `NotNow`. Elsewhere the word is ordinary ("any tips? discord won't load").
    Header,
    /// "kann nix dafür", "ни при чём", "no es culpa de": in a clause that names a service, the
    /// author clears it of the failure ("Internet weg … Router ausgesteckt. Netflix kann nix
    /// dafür"); vetoes the complaint cues of the clauses that name no other service
    /// (`classify::denial`).
    NotToBlame,
    /// "in the series", "in a movie": a story; vetoes the complaint and recovery cues that
    /// follow it in its sentence (what comes before may be a real complaint about the service
    /// the story is watched on: "globoplay travando na novela").
    Fiction,
}

impl Guard {
    /// Whether the guard says the problem is current: `current` and `again`.
    pub fn says_now(self) -> bool {
        matches!(self, Guard::Current | Guard::Again)
    }

    /// The key used in lexicon files.
    pub fn as_str(self) -> &'static str {
        match self {
            Guard::Mask => "mask",
            Guard::Negation => "negation",
            Guard::Past => "past",
            Guard::Current => "current",
            Guard::Again => "again",
            Guard::Finance => "finance",
            Guard::OwnDevice => "own_device",
            Guard::NotOutage => "not_outage",
            Guard::Duration => "duration",
            Guard::NotNow => "not_now",
            Guard::Header => "header",
            Guard::NotToBlame => "not_to_blame",
            Guard::Fiction => "fiction",
        }
    }
}

/// What a matched phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A current problem ("not working", "can't load").
    Outage,
    /// A problem word that other context can explain away ("down", "dead").
    Weak,
    /// The service works again.
    Recovery,
    /// A problem of this kind (also a complaint cue).
    Symptom(Symptom),
    /// A part of the service ("notifications"): names the symptom of a complaint next to it.
    Topic(Symptom),
    /// A guard.
    Guard(Guard),
}

impl Cue {
    /// The lexicon key this cue comes from, such as `complaint.outage` or `symptoms.login`.
    pub fn key(self) -> String {
        match self {
            Cue::Outage => "complaint.outage".into(),
            Cue::Weak => "complaint.weak".into(),
            Cue::Recovery => "recovery.phrases".into(),
            Cue::Symptom(s) => format!("symptoms.{}", s.as_str()),
            Cue::Topic(s) => format!("symptom_topics.{}", s.as_str()),
            Cue::Guard(g) => format!("guards.{}", g.as_str()),
        }
    }

    /// Whether the cue says there is a problem.
    pub fn is_complaint(self) -> bool {
        matches!(self, Cue::Outage | Cue::Weak | Cue::Symptom(_))
    }

    /// Whether the cue is a guard saying the problem is current (`current` or `again`).
    pub fn says_now(self) -> bool {
        matches!(self, Cue::Guard(g) if g.says_now())
    }
}

/// One phrase of a lexicon, as written in the file.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// The phrase as written.
    pub text: String,
    /// What it means.
    pub cue: Cue,
}

/// A phrase found in a post: which phrase, and the tokens it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Index into [`Lexicon::phrases`].
    pub phrase: u32,
    /// First token covered.
    pub first: u32,
    /// Last token covered (inclusive).
    pub last: u32,
}

/// One language's compiled lexicon.
pub struct Lexicon {
    /// ISO 639-1 code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The file it came from.
    pub file: String,
    /// Whether phrases need word boundaries.
    pub word_boundaries: bool,
    /// How many tokens may separate a cue from the platform it is tied to.
    pub proximity: u16,
    /// Scripts that point to this language.
    pub scripts: Vec<String>,
    /// Frequent words of the language, folded.
    pub common_words: Vec<String>,
    /// Lowercase letters that mark the language in Latin text ("ş", "ł", "ñ"), unfolded.
    pub letters: Vec<char>,
    /// Every phrase, indexed by pattern id.
    pub phrases: Vec<Phrase>,
    /// Folded suffixes that make `#<platform><suffix>` a complaint.
    pub complaint_hashtag_suffixes: Vec<String>,
    /// Folded suffixes that make `#<platform><suffix>` a recovery.
    pub recovery_hashtag_suffixes: Vec<String>,
    /// Folded filler words left out of phrases and posts before matching ("me", "los").
    pub skip_words: rustc_hash::FxHashSet<String>,
    /// `skip_words` packed for a test without hashing, when they are all short.
    packed_skip_words: Option<PackedWords>,
    /// Folded words that a one-word phrase matches only when written as that word: the
    /// stemmer gives them the stem of a phrase of another meaning (Portuguese "para", for,
    /// is stemmed like "parou", stopped).
    pub unstemmed: rustc_hash::FxHashSet<String>,
    /// Endings and prefixes the language glues onto platform names (`[platform_names]`).
    pub name_affixes: crate::catalog::NameAffixes,
    /// Folded words that join two platform names into one subject ("and", "или", "と").
    pub conjunctions: Vec<String>,
    /// This lexicon's number, unique in the process: the key of its per-thread stem cache,
    /// whose entries hold answers of this lexicon's phrase index.
    cache_id: u64,
    stemmer: Option<Stemmer>,
    automaton: AhoCorasick,
    /// The same phrases looked up token run by token run, for lexicons whose phrases are whole
    /// tokens (`word_boundaries`): much cheaper than the automaton, same matches.
    index: Option<phrase_index::PhraseIndex>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("code", &self.code)
            .field("phrases", &self.phrases.len())
            .finish()
    }
}

/// A post's text prepared for one lexicon: its tokens joined by single spaces, stemmed with the
/// lexicon's stemmer, with the byte position of each token.
#[derive(Debug, Default, Clone)]
pub struct TokenStream {
    /// `" tok tok tok "`.
    pub text: String,
    /// Byte offset of each token in `text`.
    pub starts: Vec<u32>,
    /// The index in the post's tokens of each stream token (skipped words leave gaps).
    pub orig: Vec<u32>,
    /// For each stream token, what the phrase index numbered [`TokenStream::firsts_of`] knows
    /// of it as a run's first token, found with its stem in the per-thread stem cache, or
    /// [`phrase_index::Key::UNKNOWN`]: the index then looks it up itself.
    pub(crate) firsts: Vec<phrase_index::Key>,
    /// The [`phrase_index::PhraseIndex::id`] the `firsts` belong to (0: none).
    pub(crate) firsts_of: u64,
}

impl TokenStream {
    /// The token covering byte `offset` of [`TokenStream::text`] (the one starting at or before it).
    pub fn token_at(&self, offset: usize) -> u32 {
        let i = match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        self.orig.get(i).copied().unwrap_or(i as u32)
    }

    /// The text of token `i`.
    pub fn token(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        let end = self.text[start..]
            .find(' ')
            .map(|e| start + e)
            .unwrap_or(self.text.len());
        &self.text[start..end]
    }
}

/// Builds the token stream of `folded` for a stemmer (or none).
pub fn build_stream(
    folded: &str,
    tokens: &[Token],
    stemmer: Option<&Stemmer>,
    skip: &rustc_hash::FxHashSet<String>,
    out: &mut TokenStream,
) {
    let skip = SkipTest {
        set: skip,
        packed: None,
    };
    out.firsts_of = 0;
    match stemmer {
        Some(s) => fill_stream::<false>(folded, tokens, &skip, out, |w, out| {
            out.push_str(&s.stem(w));
            Key::UNKNOWN
        }),
        None => fill_stream::<false>(folded, tokens, &skip, out, |w, out| {
            out.push_str(w);
            Key::UNKNOWN
        }),
    }
}

/// [`build_stream`] for a lexicon, through the per-thread stem cache.
pub fn build_lexicon_stream(
    folded: &str,
    tokens: &[Token],
    lexicon: &Lexicon,
    out: &mut TokenStream,
) {
    let skip = SkipTest {
        set: &lexicon.skip_words,
        packed: lexicon.packed_skip_words.as_ref(),
    };
    let affixes = &lexicon.name_affixes;
    out.firsts_of = 0;
    let Some(stemmer) = lexicon.stemmer() else {
        fill_stream::<false>(folded, tokens, &skip, out, |w, out| {
            out.push_str(without_glued_and(affixes, w));
            Key::UNKNOWN
        });
        return;
    };
    // The cache is borrowed once for the whole post, not once per word.
    STEM_CACHE.with(|cell| {
        let Ok(mut caches) = cell.try_borrow_mut() else {
            // Re-entered on this thread (cannot happen today): stem without the cache.
            fill_stream::<false>(folded, tokens, &skip, out, |w, out| {
                out.push_str(&stemmer.stem(without_glued_and(affixes, w)));
                Key::UNKNOWN
            });
            return;
        };
        let cache = stem_cache_of(&mut caches, lexicon.cache_id);
        let index = lexicon.index.as_ref();
        out.firsts_of = index.map_or(0, phrase_index::PhraseIndex::id);
        fill_stream::<true>(folded, tokens, &skip, out, |w, out| {
            push_stem(stemmer, index, cache, without_glued_and(affixes, w), out)
        });
    });
}

/// This thread's stem cache of the lexicon numbered `id` (see [`Lexicon::cache_id`]): found
/// by a walk over the few lexicons a thread meets, started afresh when it has met many
/// (lexicons of classifiers built and dropped, as tests do).
fn stem_cache_of(caches: &mut Vec<(u64, StemCache)>, id: u64) -> &mut StemCache {
    let at = match caches.iter().position(|(owner, _)| *owner == id) {
        Some(at) => at,
        None => {
            if caches.len() >= STEM_CACHE_LEXICONS {
                caches.clear();
            }
            caches.push((id, StemCache::default()));
            caches.len() - 1
        }
    };
    &mut caches[at].1
}

/// Which words a stream leaves out: a set, and the same words packed into integers when they
/// are all short (filler words are), which is tested without hashing.
struct SkipTest<'a> {
    set: &'a rustc_hash::FxHashSet<String>,
    packed: Option<&'a PackedWords>,
}

impl SkipTest<'_> {
    #[inline]
    fn skips(&self, word: &str) -> bool {
        if self.set.is_empty() {
            return false;
        }
        match self.packed {
            Some(packed) => packed.contains(word),
            None => self.set.contains(word),
        }
    }
}

/// A small set of words of at most 8 bytes, each packed into a `u64` (its bytes, zero-padded:
/// token text never holds a zero byte, so the packing is one-to-one).
#[derive(Debug, Clone, Default)]
struct PackedWords {
    words: Vec<u64>,
    longest: usize,
}

impl PackedWords {
    /// The packed set, or `None` when a word is longer than 8 bytes.
    fn new<'a>(words: impl IntoIterator<Item = &'a String>) -> Option<PackedWords> {
        let mut packed = PackedWords::default();
        for w in words {
            packed.words.push(pack_word(w)?);
            packed.longest = packed.longest.max(w.len());
        }
        Some(packed)
    }

    #[inline]
    fn contains(&self, word: &str) -> bool {
        word.len() <= self.longest && pack_word(word).is_some_and(|p| self.words.contains(&p))
    }
}

#[inline]
fn pack_word(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 8 || bytes.contains(&0) {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    Some(u64::from_le_bytes(buf))
}

/// Writes the stream of `tokens` into `out`, each word through `word` (which appends its
/// stem, or the word itself, and returns what the phrase index knows of it). With `FIRSTS`,
/// also [`TokenStream::firsts`]; without, they are left empty (and looked up by the index):
/// the plain stream has nothing to tell it, and the pushes cost.
fn fill_stream<const FIRSTS: bool>(
    folded: &str,
    tokens: &[Token],
    skip: &SkipTest<'_>,
    out: &mut TokenStream,
    mut word: impl FnMut(&str, &mut String) -> Key,
) {
    out.text.clear();
    out.starts.clear();
    out.orig.clear();
    out.firsts.clear();
    out.text.push(' ');
    for (i, t) in tokens.iter().enumerate() {
        let text = t.text(folded);
        if t.kind == TokenKind::Word && skip.skips(text) {
            continue;
        }
        out.starts.push(out.text.len() as u32);
        out.orig.push(i as u32);
        let first = match t.kind {
            TokenKind::Hashtag => {
                out.text.push('#');
                out.text.push_str(text);
                Key::UNKNOWN
            }
            TokenKind::Handle => {
                out.text.push('@');
                out.text.push_str(text);
                Key::UNKNOWN
            }
            TokenKind::Word => word(text, &mut out.text),
            _ => {
                out.text.push_str(text);
                Key::UNKNOWN
            }
        };
        if FIRSTS {
            out.firsts.push(first);
        }
        out.text.push(' ');
    }
}

/// A word without the "and" glued before an article ("والفيديو" is "و" + "الفيديو", "and the
/// video"): in a language whose `platform_names.conjunction_prefixes` glue "and" to words,
/// symptom words joined by it ("يوتيوب يقطع والفيديو يعلق") must meet the phrases that list
/// them alone. Only before another listed prefix of two letters or more ("ال", "لل"),
/// followed by at least two letters, so words that merely begin with the same letter ("وصل",
/// "وقف", "ولا") stay whole.
#[inline]
pub(crate) fn without_glued_and<'w>(
    affixes: &crate::catalog::NameAffixes,
    word: &'w str,
) -> &'w str {
    // Most languages glue no "and" onto words: answered without a call, as this is asked for
    // every word of every stemmed stream.
    if affixes.conjunction_prefixes.is_empty() {
        return word;
    }
    glued_and_removed(affixes, word)
}

/// [`without_glued_and`] for a language that glues "and" onto words.
fn glued_and_removed<'w>(affixes: &crate::catalog::NameAffixes, word: &'w str) -> &'w str {
    for and in &affixes.conjunction_prefixes {
        let Some(rest) = word.strip_prefix(and.as_str()) else {
            continue;
        };
        let before_article = affixes.prefixes.iter().any(|p| {
            p != and
                && p.chars().count() >= 2
                && rest
                    .strip_prefix(p.as_str())
                    .is_some_and(|stem| stem.chars().count() >= 2)
        });
        if before_article {
            return rest;
        }
    }
    word
}

/// How many stems each thread remembers before it starts over.
const STEM_CACHE_LIMIT: usize = 50_000;

/// How many lexicons' stem caches a thread keeps before it starts over.
const STEM_CACHE_LEXICONS: usize = 64;

/// Word -> stem, for one lexicon, with what the lexicon's phrase index knows of the stem as a
/// run's first token (a table built for this lookup: see `crate::str_table`): one lookup per
/// word gives both.
type StemCache = crate::str_table::StrCache<Key>;

thread_local! {
    /// Per lexicon ([`Lexicon::cache_id`]), word -> stem and phrase-index key: word
    /// frequencies are skewed, so most words of a post were stemmed before, and a lookup
    /// (FxHash, by `&str`, no allocation) is several times cheaper than the Snowball
    /// algorithm and the phrase index's own lookup of the stem.
    static STEM_CACHE: std::cell::RefCell<Vec<(u64, StemCache)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Appends the stem of `word` to `out`, through `cache`, and returns what `index` knows of
/// the stem.
fn push_stem(
    stemmer: &Stemmer,
    index: Option<&phrase_index::PhraseIndex>,
    cache: &mut StemCache,
    word: &str,
    out: &mut String,
) -> Key {
    if let Some((stem, first)) = cache.get_with(word) {
        out.push_str(stem);
        return first;
    }
    let stem = stemmer.stem(word);
    out.push_str(&stem);
    let first = index.map_or(Key::UNKNOWN, |index| index.first(&stem));
    if cache.len() >= STEM_CACHE_LIMIT {
        cache.clear();
    }
    cache.insert_with(word, &stem, first);
    first
}

impl Lexicon {
    /// Loads and validates one lexicon file.
    pub fn from_file(file: &DataFile<'_>) -> Result<Lexicon, DataError> {
        let raw: LexiconFile =
            toml::from_str(file.text).map_err(|e| DataError::from_toml(file, &e))?;
        crate::data::refuse_repeated_entries(file)?;
        let lang = &raw.language;
        let code_ok =
            (2..=3).contains(&lang.code.len()) && lang.code.chars().all(|c| c.is_ascii_lowercase());
        if !code_ok {
            return Err(DataError::at_text(
                file,
                "code",
                format!("language code {:?} is not an ISO 639-1 code", lang.code),
                "write the two lowercase letters of the language, such as code = \"en\"",
            ));
        }
        let Some(algorithm) = STEMMERS
            .iter()
            .find(|(n, _)| *n == lang.stemmer)
            .map(|(_, a)| *a)
        else {
            let names: Vec<&str> = STEMMERS.iter().map(|(n, _)| *n).collect();
            return Err(DataError::at_text(
                file,
                "stemmer",
                format!("unknown stemmer {:?}", lang.stemmer),
                format!("use one of: {}", names.join(", ")),
            ));
        };
        for script in &lang.scripts {
            if !SCRIPTS.contains(&script.as_str()) {
                return Err(DataError::at_text(
                    file,
                    &format!("\"{script}\""),
                    format!("unknown script {script:?}"),
                    format!("use one of: {}", SCRIPTS.join(", ")),
                ));
            }
        }
        if lang.proximity == 0 {
            return Err(DataError::at_text(
                file,
                "proximity",
                "proximity must be at least 1",
                "write a number of tokens, such as proximity = 8",
            ));
        }
        let stemmer = algorithm.map(Stemmer::create);
        let mut letters = Vec::new();
        for l in &lang.letters {
            let mut chars = l.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_alphabetic() || "¿¡".contains(c) => {
                    letters.extend(c.to_lowercase())
                }
                _ => {
                    return Err(DataError::at_text(
                        file,
                        &format!("\"{l}\""),
                        format!("letters entry {l:?} is not one letter"),
                        "list single letters that mark the language, such as \"ş\"",
                    ));
                }
            }
        }

        let mut lists: Vec<(Cue, &Vec<String>)> = vec![
            (Cue::Outage, &raw.complaint.outage),
            (Cue::Weak, &raw.complaint.weak),
            (Cue::Recovery, &raw.recovery.phrases),
        ];
        for (symptom, list) in raw.symptoms.lists() {
            lists.push((Cue::Symptom(symptom), list));
        }
        for (symptom, list) in raw.symptom_topics.lists() {
            lists.push((Cue::Topic(symptom), list));
        }
        let g = &raw.guards;
        for (guard, list) in [
            (Guard::Mask, &g.mask),
            (Guard::Negation, &g.negation),
            (Guard::Past, &g.past),
            (Guard::Current, &g.current),
            (Guard::Again, &g.again),
            (Guard::Finance, &g.finance),
            (Guard::OwnDevice, &g.own_device),
            (Guard::NotOutage, &g.not_outage),
            (Guard::Duration, &g.duration),
            (Guard::NotNow, &g.not_now),
            (Guard::Header, &g.header),
            (Guard::NotToBlame, &g.not_to_blame),
            (Guard::Fiction, &g.fiction),
        ] {
            lists.push((Cue::Guard(guard), list));
        }
        debug_assert_eq!(SYMPTOM_KINDS.len(), 11);

        let skip_words: rustc_hash::FxHashSet<String> = lang
            .skip_words
            .iter()
            .map(|w| crate::text::fold(w))
            .collect();
        let name_affixes = name_affixes(file, &raw.platform_names)?;
        let mut phrases = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut seen: HashMap<String, (Cue, String)> = HashMap::new();
        let mut scratch_tokens = Vec::new();
        let mut scratch_stream = TokenStream::default();
        for (cue, list) in lists {
            for text in list {
                let pattern = compile_phrase(
                    text,
                    stemmer.as_ref(),
                    &skip_words,
                    &name_affixes,
                    lang.word_boundaries,
                    &mut scratch_tokens,
                    &mut scratch_stream,
                );
                let Some(pattern) = pattern else {
                    return Err(locate(
                        file,
                        cue,
                        text,
                        format!(
                            "phrase {text:?} in {} has no letters, digits or emoji to match",
                            cue.key()
                        ),
                        "remove it or write the words it should match",
                    ));
                };
                if let Some((other, other_text)) = seen.get(&pattern) {
                    if *other == cue {
                        continue; // a spelling variant that stems the same: harmless
                    }
                    return Err(locate(
                        file,
                        cue,
                        text,
                        format!(
                            "phrase {text:?} in {} matches the same words as {other_text:?} in {}",
                            cue.key(),
                            other.key()
                        ),
                        "keep the phrase in one list only",
                    ));
                }
                seen.insert(pattern.clone(), (cue, text.clone()));
                patterns.push(pattern);
                phrases.push(Phrase {
                    text: text.clone(),
                    cue,
                });
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| {
                DataError::at_line(
                    file,
                    0,
                    format!("cannot compile the phrases: {e}"),
                    "shorten or remove very long phrases",
                )
            })?;
        let index = if lang.word_boundaries {
            phrase_index::PhraseIndex::new(&patterns)
        } else {
            None
        };
        let fold_list = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|s| crate::text::fold(s.trim_start_matches('#')))
                .collect()
        };
        let conjunctions = raw
            .platform_names
            .conjunctions
            .iter()
            .map(|w| crate::text::fold(w))
            .collect();
        Ok(Lexicon {
            code: lang.code.clone(),
            name: lang.name.clone(),
            file: file.name.to_string(),
            word_boundaries: lang.word_boundaries,
            proximity: lang.proximity,
            scripts: lang.scripts.clone(),
            letters,
            common_words: lang
                .common_words
                .iter()
                .map(|w| crate::text::fold(w))
                .collect(),
            phrases,
            complaint_hashtag_suffixes: fold_list(&raw.complaint.hashtag_suffixes),
            recovery_hashtag_suffixes: fold_list(&raw.recovery.hashtag_suffixes),
            packed_skip_words: PackedWords::new(&skip_words),
            skip_words,
            unstemmed: lang
                .unstemmed
                .iter()
                .map(|w| crate::text::fold(w))
                .collect(),
            name_affixes,
            conjunctions,
            cache_id: {
                static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            stemmer,
            automaton,
            index,
        })
    }

    /// Whether posts need their own token stream for this lexicon (a stemmer or filler words),
    /// rather than the plain folded one.
    pub fn needs_own_stream(&self) -> bool {
        self.stemmer.is_some() || !self.skip_words.is_empty()
    }

    /// The stemmer of this language, if it has one.
    pub fn stemmer(&self) -> Option<&Stemmer> {
        self.stemmer.as_ref()
    }

    /// Every phrase of this lexicon found in `stream` (built with [`Lexicon::stemmer`]),
    /// appended to `out`, overlapping matches included.
    pub fn find(
        &self,
        stream: &TokenStream,
        out: &mut Vec<(u32, PhraseMatch)>,
        lexicon_index: u32,
    ) {
        if let Some(index) = &self.index {
            let done = phrase_index::with_scratch(|found| {
                if !index.find(stream, found) {
                    return false;
                }
                let orig = |i: u32| stream.orig.get(i as usize).copied().unwrap_or(i);
                out.extend(found.iter().map(|&(phrase, first, last)| {
                    (
                        lexicon_index,
                        PhraseMatch {
                            phrase,
                            first: orig(first),
                            last: orig(last),
                        },
                    )
                }));
                true
            });
            if done {
                return;
            }
        }
        self.find_with_automaton(stream, out, lexicon_index);
    }

    /// [`Lexicon::find`] by the automaton alone: for phrases that are not whole tokens, and
    /// the reference the token-run index is tested against.
    pub(crate) fn find_with_automaton(
        &self,
        stream: &TokenStream,
        out: &mut Vec<(u32, PhraseMatch)>,
        lexicon_index: u32,
    ) {
        for m in self.automaton.find_overlapping_iter(stream.text.as_str()) {
            let (first, last) = if self.word_boundaries {
                // The pattern starts and ends with a space.
                (stream.token_at(m.start() + 1), stream.token_at(m.end() - 2))
            } else {
                (
                    stream.token_at(m.start()),
                    stream.token_at(m.end().saturating_sub(1)),
                )
            };
            out.push((
                lexicon_index,
                PhraseMatch {
                    phrase: m.pattern().as_u32(),
                    first,
                    last,
                },
            ));
        }
    }
}

/// Checks and folds the `[platform_names]` affixes of a lexicon file.
fn name_affixes(
    file: &DataFile<'_>,
    raw: &PlatformNamesSection,
) -> Result<crate::catalog::NameAffixes, DataError> {
    let fold_pieces = |list: &[String], key: &str| -> Result<Vec<String>, DataError> {
        let mut out: Vec<String> = Vec::new();
        for piece in list {
            let folded = crate::text::fold(piece);
            let one_word = !folded.is_empty()
                && folded.chars().all(|c| {
                    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
                });
            if !one_word {
                return Err(DataError::at_text(
                    file,
                    &format!("\"{piece}\""),
                    format!("platform_names.{key} entry {piece:?} is not a run of letters"),
                    "write the letters glued to the name, without spaces, dashes or apostrophes (an apostrophe already splits a word)",
                ));
            }
            if !out.contains(&folded) {
                out.push(folded);
            }
        }
        // Longest first, so "ami" is tried before "i".
        out.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
        Ok(out)
    };
    let suffixes = fold_pieces(&raw.suffixes, "suffixes")?;
    let prefixes = fold_pieces(&raw.prefixes, "prefixes")?;
    let conjunction_prefixes = fold_pieces(&raw.conjunction_prefixes, "conjunction_prefixes")?;
    let replaced_endings = fold_pieces(&raw.replaced_endings, "replaced_endings")?;
    if let Some(p) = conjunction_prefixes.iter().find(|p| !prefixes.contains(p)) {
        return Err(DataError::at_text(
            file,
            "conjunction_prefixes",
            format!("conjunction prefix {p:?} is not in platform_names.prefixes"),
            "add it to prefixes too (a conjunction prefix is a prefix that means \"and\")",
        ));
    }
    if raw.min_name_letters < 3 {
        return Err(DataError::at_text(
            file,
            "min_name_letters",
            format!(
                "min_name_letters = {} lets short names such as \"x\" or \"ig\" take endings",
                raw.min_name_letters
            ),
            "use 3 or more (4 is the usual value)",
        ));
    }
    if !replaced_endings.is_empty() && suffixes.is_empty() {
        return Err(DataError::at_text(
            file,
            "replaced_endings",
            "replaced_endings without suffixes never match",
            "list the endings that replace them in platform_names.suffixes",
        ));
    }
    Ok(crate::catalog::NameAffixes {
        file: file.name.to_string(),
        suffixes,
        prefixes,
        conjunction_prefixes,
        max_prefixes: raw.max_prefixes.min(3),
        replaced_endings,
        min_name_letters: raw.min_name_letters,
    })
}

/// An error about `phrase` in the list of `cue`, at the line where that list writes it.
fn locate(file: &DataFile<'_>, cue: Cue, phrase: &str, message: String, fix: &str) -> DataError {
    let key = cue.key();
    let (section, list) = key.split_once('.').unwrap_or((key.as_str(), ""));
    let text = file.text;
    let section_at = text.find(&format!("[{section}]")).unwrap_or(0);
    let list_at = text[section_at..]
        .find(&format!("\n{list}"))
        .map(|o| section_at + o)
        .unwrap_or(section_at);
    let needle = format!("\"{phrase}\"");
    let offset = text[list_at..]
        .find(&needle)
        .map(|o| list_at + o)
        .unwrap_or(list_at);
    DataError::at_offset(file, offset, message, fix)
}

/// Turns a phrase as written into the pattern searched in a token stream, or `None` when it has
/// nothing to match.
fn compile_phrase(
    text: &str,
    stemmer: Option<&Stemmer>,
    skip: &rustc_hash::FxHashSet<String>,
    affixes: &crate::catalog::NameAffixes,
    word_boundaries: bool,
    tokens: &mut Vec<Token>,
    stream: &mut TokenStream,
) -> Option<String> {
    let folded = crate::text::fold(text);
    tokens::tokenize_into(&folded, tokens);
    if tokens.is_empty() {
        return None;
    }
    let skip = SkipTest {
        set: skip,
        packed: None,
    };
    // Phrases are read as post words are (`build_lexicon_stream`): without a glued "and".
    stream.firsts_of = 0;
    fill_stream::<false>(&folded, tokens, &skip, stream, |w, out| {
        let w = without_glued_and(affixes, w);
        match stemmer {
            Some(s) => out.push_str(&s.stem(w)),
            None => out.push_str(w),
        }
        Key::UNKNOWN
    });
    if stream.orig.is_empty() {
        return None;
    }
    if word_boundaries {
        Some(stream.text.clone())
    } else {
        Some(stream.text.trim().to_string())
    }
}

/// Loads every lexicon file, checking that no language appears twice.
pub fn load_all(files: &[DataFile<'_>]) -> Result<Vec<Lexicon>, DataError> {
    let mut out: Vec<Lexicon> = Vec::new();
    for file in files {
        let lexicon = Lexicon::from_file(file)?;
        if let Some(prev) = out.iter().find(|l| l.code == lexicon.code) {
            return Err(DataError::at_text(
                file,
                "code",
                format!(
                    "language {:?} is already defined in {}",
                    lexicon.code, prev.file
                ),
                "merge the two files or fix the code",
            ));
        }
        out.push(lexicon);
    }
    Ok(out)
}

/// The lexicon files bundled with outcry.
pub(crate) const BUNDLED: [DataFile<'static>; 14] = [
    DataFile {
        name: "data/lexicon/en.toml",
        text: include_str!("../../../data/lexicon/en.toml"),
    },
    DataFile {
        name: "data/lexicon/es.toml",
        text: include_str!("../../../data/lexicon/es.toml"),
    },
    DataFile {
        name: "data/lexicon/pt.toml",
        text: include_str!("../../../data/lexicon/pt.toml"),
    },
    DataFile {
        name: "data/lexicon/fr.toml",
        text: include_str!("../../../data/lexicon/fr.toml"),
    },
    DataFile {
        name: "data/lexicon/de.toml",
        text: include_str!("../../../data/lexicon/de.toml"),
    },
    DataFile {
        name: "data/lexicon/it.toml",
        text: include_str!("../../../data/lexicon/it.toml"),
    },
    DataFile {
        name: "data/lexicon/nl.toml",
        text: include_str!("../../../data/lexicon/nl.toml"),
    },
    DataFile {
        name: "data/lexicon/tr.toml",
        text: include_str!("../../../data/lexicon/tr.toml"),
    },
    DataFile {
        name: "data/lexicon/id.toml",
        text: include_str!("../../../data/lexicon/id.toml"),
    },
    DataFile {
        name: "data/lexicon/ru.toml",
        text: include_str!("../../../data/lexicon/ru.toml"),
    },
    DataFile {
        name: "data/lexicon/ja.toml",
        text: include_str!("../../../data/lexicon/ja.toml"),
    },
    DataFile {
        name: "data/lexicon/hi.toml",
        text: include_str!("../../../data/lexicon/hi.toml"),
    },
    DataFile {
        name: "data/lexicon/ar.toml",
        text: include_str!("../../../data/lexicon/ar.toml"),
    },
    DataFile {
        name: "data/lexicon/pl.toml",
        text: include_str!("../../../data/lexicon/pl.toml"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(text: &str) -> Result<Lexicon, DataError> {
        Lexicon::from_file(&DataFile {
            name: "data/lexicon/xx.toml",
            text,
        })
    }

    const HEADER: &str = "[language]\ncode = \"en\"\nname = \"English\"\nstemmer = \"english\"\n";

    #[test]
    fn typo_in_a_key_names_file_and_line() {
        let text =
            format!("{HEADER}\n[complaint]\noutage = [\"not working\"]\nweek = [\"down\"]\n");
        let err = lexicon(&text).unwrap_err();
        assert_eq!(err.file, "data/lexicon/xx.toml");
        assert_eq!(err.line, 8, "{err}");
        assert!(err.message.contains("week"), "{err}");
    }

    #[test]
    fn unknown_symptom_kind_is_rejected_with_its_line() {
        let text = format!("{HEADER}\n[symptoms]\nlogin = [\"cant log in\"]\nlogni = [\"x\"]\n");
        let err = lexicon(&text).unwrap_err();
        assert_eq!(err.line, 8, "{err}");
        assert!(err.message.contains("logni"), "{err}");
    }

    #[test]
    fn unknown_stemmer_and_conflicting_phrase() {
        let err =
            lexicon("[language]\ncode = \"en\"\nname = \"E\"\nstemmer = \"englsh\"\n").unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        let text = format!(
            "{HEADER}[complaint]\noutage = [\"back up\"]\n[recovery]\nphrases = [\"back up\"]\n"
        );
        let err = lexicon(&text).unwrap_err();
        assert!(err.message.contains("recovery.phrases"), "{err}");
    }

    #[test]
    fn stemmed_phrases_match_other_forms() {
        let text = format!(
            "{HEADER}[complaint]\noutage = [\"keeps crashing\"]\n[guards]\nmask = [\"calm down\"]\n"
        );
        let lex = lexicon(&text).unwrap();
        let folded = crate::text::fold("Insta KEEPS crashed, calm down");
        let toks = tokens::tokenize(&folded);
        let mut stream = TokenStream::default();
        build_stream(&folded, &toks, lex.stemmer(), &lex.skip_words, &mut stream);
        let mut found = Vec::new();
        lex.find(&stream, &mut found, 0);
        let cues: Vec<(Cue, u32, u32)> = found
            .iter()
            .map(|(_, m)| (lex.phrases[m.phrase as usize].cue, m.first, m.last))
            .collect();
        assert_eq!(cues, [(Cue::Outage, 1, 2), (Cue::Guard(Guard::Mask), 3, 4)]);
    }

    #[test]
    fn without_word_boundaries_phrases_match_inside_text() {
        let text = "[language]\ncode = \"ja\"\nname = \"Japanese\"\nstemmer = \"none\"\nword_boundaries = false\n[complaint]\noutage = [\"落ちてる\"]\n";
        let lex = lexicon(text).unwrap();
        let folded = crate::text::fold("LINE落ちてるんだけど");
        let toks = tokens::tokenize(&folded);
        let mut stream = TokenStream::default();
        build_stream(
            &folded,
            &toks,
            None,
            &rustc_hash::FxHashSet::default(),
            &mut stream,
        );
        let mut found = Vec::new();
        lex.find(&stream, &mut found, 0);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].1.first, found[0].1.last), (1, 4));
    }
}

#[cfg(test)]
mod bundled_tests {
    use super::*;
    use proptest::prelude::*;

    fn bundled() -> &'static [Lexicon] {
        static LEXICONS: std::sync::OnceLock<Vec<Lexicon>> = std::sync::OnceLock::new();
        LEXICONS.get_or_init(|| load_all(&BUNDLED).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn a_glued_and_before_an_article_is_read_apart() {
        let ar = bundled()
            .iter()
            .find(|l| l.code == "ar")
            .expect("the Arabic lexicon is bundled");
        let affixes = &ar.name_affixes;
        assert_eq!(without_glued_and(affixes, "والفيديو"), "الفيديو");
        assert_eq!(without_glued_and(affixes, "والرسائل"), "الرسائل");
        // Words that only begin with the letter stay whole.
        for word in ["وصل", "وقف", "ولا", "واتساب", "وال"] {
            assert_eq!(without_glued_and(affixes, word), word);
        }
        // Languages without glued conjunctions are untouched.
        let en = bundled().iter().find(|l| l.code == "en").expect("en");
        assert_eq!(without_glued_and(&en.name_affixes, "wallet"), "wallet");
    }

    /// Words that are skipped by some lexicon, stemmed by others, or neither.
    const WORDS: &[&str] = &[
        "the",
        "a",
        "an",
        "los",
        "me",
        "die",
        "der",
        "einen",
        "il",
        "gli",
        "het",
        "o",
        "as",
        "crashing",
        "crashed",
        "não",
        "caído",
        "funktioniert",
        "çöktü",
        "не",
        "работает",
        "#whatsappdown",
        "@support",
        "x.com",
        "6.99",
        "%",
        "😤",
        "落ちてる",
        "والفيديو",
        "الفيديو",
        "ولا",
        "ltd",
        "eight888",
        "ninechars",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]
        /// The lexicon stream (stem cache borrowed once, filler words tested packed) is the
        /// stream the plain path builds with the same stemmer and filler words, twice in a row
        /// (the second time from the cache).
        #[test]
        fn lexicon_stream_equals_the_simple_stream(
            picks in proptest::collection::vec(0..WORDS.len(), 0..16),
            noise in "\\PC{0,10}",
        ) {
            let mut text = picks.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            text.push(' ');
            text.push_str(&noise);
            let folded = crate::text::fold(&text);
            let toks = tokens::tokenize(&folded);
            for lex in bundled() {
                let mut simple = TokenStream::default();
                let skip = SkipTest { set: &lex.skip_words, packed: None };
                fill_stream::<false>(&folded, &toks, &skip, &mut simple, |w, out| {
                    let w = without_glued_and(&lex.name_affixes, w);
                    match lex.stemmer() {
                        Some(s) => out.push_str(&s.stem(w)),
                        None => out.push_str(w),
                    }
                    Key::UNKNOWN
                });
                for _ in 0..2 {
                    let mut fast = TokenStream::default();
                    build_lexicon_stream(&folded, &toks, lex, &mut fast);
                    prop_assert_eq!(&fast.text, &simple.text, "{}", lex.code);
                    prop_assert_eq!(&fast.starts, &simple.starts);
                    prop_assert_eq!(&fast.orig, &simple.orig);
                }
            }
        }
    }

    #[test]
    fn packed_words_are_the_set() {
        let words: Vec<String> = ["a", "le", "eight888", "l"].map(String::from).to_vec();
        let packed = PackedWords::new(&words).unwrap_or_default();
        for w in [
            "a",
            "le",
            "eight888",
            "l",
            "",
            "b",
            "la",
            "eight8888",
            "eight88",
            "lé",
        ] {
            assert_eq!(packed.contains(w), words.iter().any(|x| x == w), "{w:?}");
        }
        assert!(PackedWords::new(&["ninechars".to_string()]).is_none());
    }

    #[test]
    fn bundled_english_lexicon_loads() {
        let file = DataFile {
            name: "data/lexicon/en.toml",
            text: include_str!("../../../data/lexicon/en.toml"),
        };
        let lex = Lexicon::from_file(&file).unwrap_or_else(|e| panic!("{e}"));
        assert!(lex.phrases.len() > 500, "{}", lex.phrases.len());
    }
}
