//! The classifier: which platforms a post is about, whether its author reports or asks about a
//! current problem with one of them, recovery, symptoms, language and regions.
//!
//! This module owns the decision rules; the phrase banks live in `data/lexicon/`, the platform
//! names in `data/platforms.toml` (both loaded by `crate::lexicon` and `crate::catalog`), and
//! regions come from `crate::region`. It must stay pure (no I/O, no clock) and fast: one pass
//! of folding and tokenizing, one multi-pattern search for platform names, and, only when a
//! platform is named, one multi-pattern search per lexicon applied. The pipeline and every rule
//! are described in `docs/CLASSIFIER.md`.

mod denial;
mod explain;
mod language;
mod negation;
pub mod opinion;
mod past;
mod precedence;
mod quoted;
mod rule_words;
#[cfg(test)]
mod tests;
mod typos;

pub use explain::{CueExplanation, Explanation, MentionExplanation, RegionExplanation};
pub use language::{LanguageDecision, LanguageDetector, normalize_tag};

use crate::catalog::{Catalog, Mention, MentionKind};
use crate::data::{DataError, DataFile};
use crate::lexicon::tokens::{Token, tokenize_into};
use crate::lexicon::{Cue, Guard, Lexicon, TokenStream, build_stream};
use crate::region::{Gazetteer, RegionMatch};
use outcry_model::{Classification, Post, PostKind, Symptom};
use std::cell::RefCell;
use std::ops::Range;

/// The vocabulary bit of platform and provider names (lexicons take the bits below it).
const NAME_WORD: u64 = 1 << 63;

/// Why a topic word ("notifications") named its symptom, as the explanation says it.
const TOPIC_IN_COMPLAINT_CLAUSE: &str = "topic word in the clause of a complaint phrase";
const TOPIC_NEXT_TO_NEGATION: &str =
    "topic word next to a negation word (data/negation.toml) in a complaint";

const PAYMENT_TOPIC_IN_COMPLAINT: &str = "payment topic word in a complaint about a bank or a wallet that names no login failure or crash";
/// The catalog category of banks and wallets (a payment topic anywhere in their complaint
/// names payments).
const PAYMENTS_CATEGORY: &str = "payments";

/// Whether a negation word near a topic of this kind names the symptom. Not for
/// connectivity (unless the negation word is right before it in a complaint about a telecom,
/// whose service the connection is: "ni internet ni llamadas"): "it's not my internet",
/// "padahal sinyal full", "ma connexion est nickel" deny the author's own connection far more
/// often than they report the service's.
fn topic_negated(kind: Symptom) -> bool {
    kind != Symptom::Connectivity
}

/// The rule that reads a media topic word as playback, added to the explanation's binding.
const MEDIA_TOPIC_AS_PLAYBACK: &str = "topic word names media, read as playback: every platform \
    of the complaint is a video or music service, whose videos and songs are played, not sent";

/// Catalog categories whose media ("videos", "vídeos", "Videos") are played back: a media
/// topic word in a complaint about them names playback. Symptom phrases keep their kind
/// ("can't upload videos" stays media on YouTube).
const PLAYBACK_CATEGORIES: [&str; 2] = ["video", "music"];
/// The catalog category of game services, whose matches are played, not played back
/// (`precedence::games_are_not_played_back`).
const GAMING_CATEGORY: &str = "gaming";
/// The catalog category of AI assistants (their messages are their answers: `other`).
const ASSISTANT_CATEGORY: &str = "ai";
/// Catalog categories whose services have a feed (a timeline, channels, statuses, a home page
/// of videos, search results): on any other service a loading cue names no feed
/// (`precedence::feedless_service_has_no_feed`).
const FEED_CATEGORIES: [&str; 4] = ["social", "messaging", "video", "search"];

/// No filler words: the plain stream keeps every token.
static NO_SKIP: std::sync::LazyLock<rustc_hash::FxHashSet<String>> =
    std::sync::LazyLock::new(rustc_hash::FxHashSet::default);

/// The veto of a recovery that a later complaint undoes (`RELAPSE`).
const RELAPSED: &str = "a complaint after it says the service failed again";

/// The binding of a complaint that undoes an earlier recovery ("it's back? no, down again").
const RELAPSE: &str = "the only platform of the post, which came back and failed again";

/// How many tokens may separate an ambiguous name from the complaint or recovery phrase that
/// confirms it ("zoom keeps dropping the call"). A weak cue ("down"), or a name of one or two
/// letters ("x", "ig"), must touch the phrase: "X çöktü" is X, "the x axis is broken" is not.
const CONFIRM_WINDOW: u32 = 2;

/// How many words besides platform names a clause may have and still name the subject of the
/// clauses around it ("WhatsApp? messages stuck", "omg instagram. won't load").
const BARE_CLAUSE_WORDS: usize = 1;

/// A text shown only in explanations (a veto's reason, a rule, the decision): formatted only
/// when explaining, empty otherwise. Formatting them for every post cost about 4% of
/// classifying; the decisions test only whether a veto is there, never its words.
fn shown(explain: bool, text: impl FnOnce() -> String) -> String {
    if explain { text() } else { String::new() }
}

enum Regions {
    Builtin(&'static Gazetteer),
    Owned(Box<Gazetteer>),
}

/// Classifies posts. `Send + Sync`; share it with an `Arc`.
pub struct Classifier {
    catalog: Catalog,
    lexicons: Vec<Lexicon>,
    english: Option<usize>,
    detector: LanguageDetector,
    regions: Regions,
    /// Folded single words of the lexicons and platform names, each with the lexicons that use
    /// it (bit `i` for lexicon `i`, [`NAME_WORD`] for a platform or provider name): a place name
    /// in post text that is a word of the post's language, of English or a platform name
    /// ("cayó", "Meta", "metro") is taken as that word, not as a place. A word of another
    /// language is no reason: Indonesian "bursa" (stock exchange) is the city in a Turkish post.
    vocabulary: rustc_hash::FxHashMap<String, u64>,
    /// Misspellings of phrase words by one swap of neighbouring letters.
    typos: typos::TypoIndex,
    /// Folded words that join platform names into one subject, from every lexicon's
    /// `platform_names.conjunctions` ("and", "или", "と"): names are joined across languages.
    conjunctions: rustc_hash::FxHashSet<String>,
    /// Negation words by lexicon (`data/negation.toml`): a topic word next to one names its
    /// symptom in a complaint ("mensagens não vão").
    negation: negation::Negation,
    /// Words some rules look for (`data/rule_words.toml`): uploading, screens, streams that
    /// stop, error texts, contrast words...
    rule_words: rule_words::RuleWords,
    /// The learned second opinion on the complaint decision (`data/model/complaint.tsv`).
    model: Option<opinion::ComplaintModel>,
    /// The learned second opinion on symptoms (`data/model/symptoms.tsv`).
    symptom_model: Option<opinion::SymptomModel>,
    /// The stacked veto: a complaint model that also reads the rules' reading
    /// (`data/model/veto.tsv`).
    veto_model: Option<opinion::VetoModel>,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classifier")
            .field("catalog", &self.catalog)
            .field(
                "lexicons",
                &self
                    .lexicons
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// A phrase found in a post, with what the rules made of it.
#[derive(Debug, Clone)]
struct Hit {
    lexicon: u16,
    /// Index into the lexicon's phrases, or `u32::MAX` for a hashtag suffix.
    phrase: u32,
    cue: Cue,
    first: u32,
    last: u32,
    /// The hashtag text, for hashtag suffix hits.
    hashtag: Option<String>,
    /// The words of a negated function verb (`data/negation.toml`, `verbs`), such as
    /// "geht … nicht", for hits of that rule (`phrase` is then `u32::MAX`).
    negated_verb: Option<String>,
    vetoed_by: Option<String>,
    /// Vetoed only because of the author's own device: lifted for telecom platforms.
    own_device_only: bool,
    /// Vetoed because it is told in the past or denied ("x was down yesterday", "x isn't
    /// down"): no current complaint, but the name next to it is still its subject.
    names_subject: bool,
    /// Vetoed because a negation word denies it ("x isn't down", "non è giù").
    denied: bool,
    bound: PlatformList,
    binding: Option<&'static str>,
}

/// A short list of platforms (catalog indexes), such as those a cue is bound to, in the
/// order added (repeats allowed). A post names a handful of platforms at most: up to
/// [`PlatformList::INLINE`] are kept in place, so that binding a cue allocates nothing (it was
/// a list per bound cue, two per post on average); more go to a list.
#[derive(Debug, Clone, Default)]
struct PlatformList {
    inline: [u16; PlatformList::INLINE],
    len: u8,
    spilled: Vec<u16>,
}

impl PlatformList {
    const INLINE: usize = 6;

    /// `platform` alone.
    fn of(platform: u16) -> PlatformList {
        let mut bound = PlatformList::default();
        bound.push(platform);
        bound
    }

    fn push(&mut self, platform: u16) {
        let len = self.len as usize;
        if len < PlatformList::INLINE {
            self.inline[len] = platform;
            self.len += 1;
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.inline);
            }
            self.spilled.push(platform);
        }
    }

    /// Sorts the platforms and drops the repeats.
    fn sort_and_dedup(&mut self) {
        if !self.spilled.is_empty() {
            self.spilled.sort_unstable();
            self.spilled.dedup();
            return;
        }
        let len = self.len as usize;
        let kept = &mut self.inline[..len];
        kept.sort_unstable();
        let mut unique = 0;
        for i in 0..len {
            if unique == 0 || kept[i] != kept[unique - 1] {
                kept[unique] = kept[i];
                unique += 1;
            }
        }
        self.len = unique as u8;
    }
}

impl FromIterator<u16> for PlatformList {
    fn from_iter<I: IntoIterator<Item = u16>>(platforms: I) -> PlatformList {
        let mut list = PlatformList::default();
        list.extend(platforms);
        list
    }
}

impl std::ops::Deref for PlatformList {
    type Target = [u16];

    fn deref(&self) -> &[u16] {
        if self.spilled.is_empty() {
            &self.inline[..self.len as usize]
        } else {
            &self.spilled
        }
    }
}

impl Extend<u16> for PlatformList {
    fn extend<I: IntoIterator<Item = u16>>(&mut self, platforms: I) {
        for platform in platforms {
            self.push(platform);
        }
    }
}

impl<'a> IntoIterator for &'a PlatformList {
    type Item = &'a u16;
    type IntoIter = std::slice::Iter<'a, u16>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod platform_list_tests {
    use super::PlatformList;

    /// Pushed and extended in any number, a `PlatformList` reads as the list of the same
    /// pushes, and sorts and drops repeats as that list does.
    #[test]
    fn reads_as_the_list_of_its_pushes() {
        for count in 0..=(3 * PlatformList::INLINE) {
            let mut bound = PlatformList::default();
            let mut list: Vec<u16> = Vec::new();
            for p in 0..count as u16 {
                // Repeats kept, in order: "whatsapp and whatsapp".
                let platform = p * 7 % 5;
                if p % 2 == 0 {
                    bound.push(platform);
                    list.push(platform);
                } else {
                    bound.extend([platform, platform + 1]);
                    list.extend([platform, platform + 1]);
                }
                assert_eq!(&*bound, list.as_slice(), "after {} pushes", p + 1);
            }
            assert_eq!(bound.is_empty(), list.is_empty());
            assert_eq!((&bound).into_iter().copied().collect::<Vec<u16>>(), list);
            bound.sort_and_dedup();
            list.sort_unstable();
            list.dedup();
            assert_eq!(&*bound, list.as_slice());
            let collected: PlatformList = list.iter().rev().copied().collect();
            assert_eq!(collected.len(), list.len());
        }
        assert_eq!(&*PlatformList::of(4), &[4]);
    }
}

impl Hit {
    /// The complaint word list of a complaint cue, as the rules' reading tags name it (the
    /// list `--explain` shows; `None` for recovery, topic and guard phrases).
    fn complaint_list(&self) -> Option<opinion::CueList> {
        if self.binding == Some(BARE_NAME_POST) {
            return Some(opinion::CueList::BareNamePost);
        }
        if self.hashtag.is_some() {
            return (self.cue != Cue::Recovery).then_some(opinion::CueList::Hashtag);
        }
        if self.negated_verb.is_some() {
            return Some(opinion::CueList::NegatedVerb);
        }
        match self.cue {
            Cue::Outage => Some(opinion::CueList::Outage),
            Cue::Weak => Some(opinion::CueList::Weak),
            Cue::Symptom(_) => Some(opinion::CueList::Symptom),
            Cue::Recovery | Cue::Topic(_) | Cue::Guard(_) => None,
        }
    }

    /// What matched, for people: the hashtag, the negated verb's words or the lexicon phrase
    /// as written in `lexicons` (empty if the phrase cannot be found).
    fn phrase_text<'a>(&'a self, lexicons: &'a [Lexicon]) -> &'a str {
        match self.hashtag.as_ref().or(self.negated_verb.as_ref()) {
            Some(text) => text,
            None => lexicons
                .get(self.lexicon as usize)
                .and_then(|l| l.phrases.get(self.phrase as usize))
                .map_or("", |p| p.text.as_str()),
        }
    }
}

/// A platform mention with the decision on it.
#[derive(Debug, Clone)]
struct Resolved {
    mention: Mention,
    accepted: bool,
    rule: String,
    /// An ambiguous alias without context that a complaint phrase next to it may confirm.
    confirmable: bool,
    /// An ambiguous alias in this post's language, whatever confirmed it.
    ambiguous: bool,
}

#[derive(Default)]
struct Scratch {
    folded: String,
    tokens: Vec<Token>,
    plain: TokenStream,
    stemmed: TokenStream,
    mentions: Vec<Mention>,
    context: Vec<crate::catalog::ContextMatch>,
    matches: Vec<(u32, crate::lexicon::PhraseMatch)>,
    /// The cue and guard lists, kept between posts for their room (given away only to an
    /// explanation).
    hits: Vec<Hit>,
    guards: Vec<Hit>,
    /// The resolved platform mentions, kept between posts for their room as the cues are.
    resolved: Vec<Resolved>,
    /// The hashed features of the learned models, and room for their scores.
    model_features: Vec<u64>,
    model_scores: Vec<f32>,
    /// The token spans of the platform names the models read as placeholders.
    model_spans: Vec<(u32, u32)>,
    /// The tags of the rules' reading, for the stacked veto.
    reading_tags: Vec<opinion::Tag>,
    /// Room for the regions of the location field and of the text (always empty between
    /// posts; see [`recycled`]): made afresh, they were an allocation and its growth for
    /// every post with a location.
    regions: Vec<crate::region::RegionRef<'static, 'static>>,
    regions_in_text: Vec<crate::region::RegionRef<'static, 'static>>,
}

/// An empty list with the room of `list` (emptied), for other lifetimes of the same type: the
/// scratch lists of borrowed matches outlive the post they borrow from. Collecting a vector's
/// own `into_iter()` into a type of the same size and alignment reuses its allocation; if a
/// compiler did not, this would only allocate as a fresh list does.
#[expect(
    clippy::unnecessary_filter_map,
    reason = "the `filter` clippy asks for cannot change the lifetimes of the element type"
)]
fn recycled<'a, 'b, 'c, 'd>(
    list: Vec<crate::region::RegionRef<'a, 'b>>,
) -> Vec<crate::region::RegionRef<'c, 'd>> {
    list.into_iter().filter_map(|_| None).collect()
}

/// The token streams and match buffer `find_hits` works in.
type StreamScratch<'a> = (
    &'a TokenStream,
    &'a mut TokenStream,
    &'a mut Vec<(u32, crate::lexicon::PhraseMatch)>,
);

/// The lists the learned models work in (kept in [`Scratch`] between posts): the hashed
/// features, the scores, the tags of the rules' reading and the platform names' token spans.
type ModelScratch<'a> = (
    &'a mut Vec<u64>,
    &'a mut Vec<f32>,
    &'a mut Vec<opinion::Tag>,
    &'a mut Vec<(u32, u32)>,
);

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Everything the rules worked out about one post; turned into a [`Classification`] and,
/// when asked, an [`Explanation`].
struct Analysis {
    lang: LanguageDecision,
    mentions: Vec<Resolved>,
    hits: Vec<Hit>,
    guards: Vec<Hit>,
    regions: Vec<RegionMatch>,
    classification: Classification,
    decision: String,
    folded: String,
    token_spans: Vec<(u32, u32)>,
    /// Misspellings read as the words they misspell, (as written, as read), when the post was
    /// read again with them corrected.
    typos: Vec<(String, String)>,
    /// What the complaint model said, when it was consulted and an explanation is wanted.
    opinion: Option<opinion::Opinion>,
    /// Whether the complaint is the model's, the rules having found none.
    added_by_model: bool,
    /// The complaint model's features of the post, when an explanation is wanted.
    model_features: Vec<String>,
    /// The tags of the rules' reading ([`opinion::reading_tags`]) when the rules took the
    /// post as a complaint without recovery and an explanation is wanted.
    reading_tags: Vec<opinion::Tag>,
}

/// The bundled data files the classifier reads (the gazetteer comes with `crate::region`).
fn bundled_files() -> Vec<DataFile<'static>> {
    let mut files = vec![
        Catalog::BUNDLED,
        negation::BUNDLED,
        rule_words::BUNDLED,
        opinion::BUNDLED_COMPLAINT,
        opinion::BUNDLED_SYMPTOMS,
        opinion::BUNDLED_VETO,
    ];
    files.extend(crate::lexicon::BUNDLED);
    files
}

impl Classifier {
    /// The classifier over the bundled catalog, lexicons and gazetteer.
    ///
    /// The bundled files are compiled in and tested to load (`builtin_loads`), so this cannot
    /// fail in a released build; should a data edit ever break them, it panics at start-up
    /// with the file, line and fix rather than run silently with less data.
    pub fn builtin() -> Classifier {
        Classifier::from_files(&bundled_files())
            .unwrap_or_else(|e| panic!("the bundled data files do not load: {e}"))
    }

    /// Builds a classifier from data files, recognised by name: `platforms.toml` (required),
    /// `lexicon/<lang>.toml` (any number), `gazetteer/*` (all or none: without them the
    /// bundled gazetteer is used), `negation.toml` and `rule_words.toml` (optional: without
    /// them the bundled ones, for the languages loaded), `model/complaint.tsv`,
    /// `model/symptoms.tsv` and `model/veto.tsv` (optional: without them the bundled models).
    pub fn from_files(files: &[DataFile<'_>]) -> Result<Classifier, DataError> {
        let normalized = |f: &DataFile<'_>| f.name.replace('\\', "/");
        let catalog_file = files
            .iter()
            .find(|f| normalized(f).ends_with("platforms.toml"))
            .ok_or_else(|| DataError {
                file: "data/platforms.toml".into(),
                line: 0,
                message: "no platform catalog among the data files".into(),
                fix: "pass data/platforms.toml along with the lexicons".into(),
            })?;
        let catalog = Catalog::from_file(catalog_file)?;
        let lexicon_files: Vec<DataFile<'_>> = files
            .iter()
            .filter(|f| normalized(f).contains("lexicon/") && f.name.ends_with(".toml"))
            .copied()
            .collect();
        let lexicons = crate::lexicon::load_all(&lexicon_files)?;
        let gazetteer_files: Vec<DataFile<'_>> = files
            .iter()
            .filter(|f| normalized(f).contains("gazetteer/"))
            .copied()
            .collect();
        let regions = if gazetteer_files.is_empty() {
            Regions::Builtin(Gazetteer::builtin())
        } else {
            Regions::Owned(Box::new(Gazetteer::from_files(&gazetteer_files)?))
        };
        let english = lexicons.iter().position(|l| l.code == "en");
        let detector = LanguageDetector::new(&lexicons);
        let mut vocabulary: rustc_hash::FxHashMap<String, u64> = rustc_hash::FxHashMap::default();
        let mut add_word = |word: String, bit: u64| *vocabulary.entry(word).or_default() |= bit;
        for (i, lex) in lexicons.iter().enumerate() {
            // Lexicons past the 63rd share the last bit (there are 14 today).
            let bit = 1u64 << i.min(62);
            for w in &lex.common_words {
                add_word(w.clone(), bit);
            }
            for p in &lex.phrases {
                for w in crate::text::fold(&p.text)
                    .split(' ')
                    .filter(|w| w.chars().count() > 2)
                {
                    add_word(w.to_string(), bit);
                }
            }
        }
        for p in catalog.platforms() {
            for a in p.aliases.iter().filter(|a| !a.contains(' ')) {
                add_word(a.clone(), NAME_WORD);
            }
            if let Some(provider) = &p.provider {
                add_word(provider.clone(), NAME_WORD);
            }
        }
        let conjunctions = lexicons
            .iter()
            .flat_map(|l| l.conjunctions.iter().cloned())
            .collect();
        let codes: Vec<&str> = lexicons.iter().map(|l| l.code.as_str()).collect();
        let negation = match files
            .iter()
            .find(|f| normalized(f).ends_with("negation.toml"))
        {
            Some(file) => negation::Negation::from_file(file, &codes, true)?,
            None => negation::Negation::from_file(&negation::BUNDLED, &codes, false)?,
        };
        let word_lexicons: Vec<(&str, bool)> = lexicons
            .iter()
            .map(|l| (l.code.as_str(), l.word_boundaries))
            .collect();
        let rule_words = match files
            .iter()
            .find(|f| normalized(f).ends_with("rule_words.toml"))
        {
            Some(file) => rule_words::RuleWords::from_file(file, &word_lexicons, true)?,
            None => rule_words::RuleWords::from_file(&rule_words::BUNDLED, &word_lexicons, false)?,
        };
        let typos = typos::TypoIndex::new(
            lexicons
                .iter()
                .flat_map(|lex| lex.phrases.iter())
                .map(|p| crate::text::fold(&p.text))
                .collect::<Vec<String>>()
                .iter()
                .flat_map(|phrase| phrase.split(' '))
                .collect::<Vec<&str>>(),
        );
        let model = match files
            .iter()
            .find(|f| normalized(f).ends_with("model/complaint.tsv"))
        {
            Some(file) => opinion::ComplaintModel::from_file(file)?,
            None => opinion::ComplaintModel::bundled()?,
        };
        let symptom_model = match files
            .iter()
            .find(|f| normalized(f).ends_with("model/symptoms.tsv"))
        {
            Some(file) => opinion::SymptomModel::from_file(file)?,
            None => opinion::SymptomModel::bundled()?,
        };
        let veto_model = match files
            .iter()
            .find(|f| normalized(f).ends_with("model/veto.tsv"))
        {
            Some(file) => opinion::VetoModel::from_file(file)?,
            None => opinion::VetoModel::bundled()?,
        };
        Ok(Classifier {
            catalog,
            typos,
            lexicons,
            english,
            detector,
            regions,
            vocabulary,
            conjunctions,
            negation,
            rule_words,
            model: Some(model),
            symptom_model: Some(symptom_model),
            veto_model: Some(veto_model),
        })
    }

    /// The platform catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The lexicons, in load order.
    pub fn lexicons(&self) -> &[Lexicon] {
        &self.lexicons
    }

    /// The same classifier with other learned models (complaint, symptoms, stacked veto), or
    /// none (`None, None, None`: the rules alone): for training and measuring them.
    pub fn with_models(
        self,
        model: Option<opinion::ComplaintModel>,
        symptom_model: Option<opinion::SymptomModel>,
        veto_model: Option<opinion::VetoModel>,
    ) -> Classifier {
        Classifier {
            model,
            symptom_model,
            veto_model,
            ..self
        }
    }

    /// The complaint model's features of a post, as text: what it is trained on.
    pub fn model_features(&self, post: &Post) -> Vec<String> {
        self.analyze(post, true).model_features
    }

    /// The stacked veto's features of a post, as text: the complaint model's features and,
    /// when the rules take the post as a complaint without recovery, the tags of their reading
    /// (`⟨r:complaint⟩`, `⟨r:nokind⟩`, `⟨r:cue:complaint.outage:bound⟩`...).
    pub fn veto_features(&self, post: &Post) -> Vec<String> {
        let analysis = self.analyze(post, true);
        let mut features = analysis.model_features;
        features.extend(analysis.reading_tags.iter().map(|t| t.text().to_string()));
        features
    }

    /// Classifies one post.
    pub fn classify(&self, post: &Post) -> Classification {
        // Only the classification leaves the closure: returning the whole `Analysis` from it
        // copied that large struct (a `memcpy` call) for every post.
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                self.analyze_tolerant(post, false, &mut scratch)
                    .classification
            }
            // Re-entered on this thread (cannot happen today): use a fresh scratch.
            Err(_) => {
                self.analyze_tolerant(post, false, &mut Scratch::default())
                    .classification
            }
        })
    }

    /// Classifies one post and says why: which phrase, platform alias and rule decided.
    pub fn explain(&self, post: &Post) -> (Classification, Explanation) {
        let analysis = self.analyze(post, true);
        let explanation = explain::build(self, &analysis);
        (analysis.classification, explanation)
    }

    fn gazetteer(&self) -> &Gazetteer {
        match &self.regions {
            Regions::Builtin(g) => g,
            Regions::Owned(g) => g,
        }
    }

    fn analyze(&self, post: &Post, explain: bool) -> Analysis {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.analyze_tolerant(post, explain, &mut scratch),
            // Re-entered on this thread (cannot happen today): use a fresh scratch.
            Err(_) => self.analyze_tolerant(post, explain, &mut Scratch::default()),
        })
    }

    /// Reads a post and, when it names a platform but says nothing of its state, reads it
    /// again with its misspelled phrase words corrected ("twitter stopped wokring"); the second
    /// reading counts only when it finds a complaint or a recovery. Regions come from the
    /// first reading, which saw the text's capitals.
    fn analyze_tolerant(&self, post: &Post, explain: bool, s: &mut Scratch) -> Analysis {
        let first = self.analyze_with(post, explain, s);
        let said = &first.classification;
        // A complaint only the model saw is read again too: the corrected words may name it.
        if (said.complaint && !first.added_by_model) || said.recovery || said.platforms.is_empty() {
            return first;
        }
        let Some(corrected) = self.typos.correct(&s.folded, &s.tokens) else {
            return first;
        };
        let mut again = post.clone();
        again.text = corrected.text;
        let mut second = self.analyze_with(&again, explain, s);
        let now = &second.classification;
        if !(now.complaint || now.recovery) || now.platforms.is_empty() {
            return first;
        }
        second.classification.regions = first.classification.regions;
        second.regions = first.regions;
        second.typos = corrected.pairs;
        second
    }

    fn analyze_with(&self, post: &Post, explain: bool, s: &mut Scratch) -> Analysis {
        s.folded.clear();
        crate::text::fold_into(&post.text, &mut s.folded);
        tokenize_into(&s.folded, &mut s.tokens);
        let folded = s.folded.as_str();
        let tokens = s.tokens.as_slice();

        let mut lang = match post
            .lang
            .as_deref()
            .map(normalize_tag)
            .filter(|l| !l.is_empty())
        {
            Some(lang) => LanguageDecision {
                candidates: Vec::new(),
                lang,
                rule: shown(explain, || "given".into()),
                evidence: Vec::new(),
            },
            // The evidence (words that decided) is only shown when explaining.
            None if explain => self.detector.detect(&post.text, folded, tokens),
            // Classifying reads only the language and candidates.
            None => self.detector.detect_language(&post.text, folded, tokens),
        };

        build_stream(folded, tokens, None, &NO_SKIP, &mut s.plain);
        s.mentions.clear();
        // The post language's lexicon, looked up once (a string comparison per lexicon).
        let own_lexicon = self.lexicons.iter().position(|l| l.code == lang.lang);
        // Whether the only symptom is the catch-all an error text gave
        // (`precedence::error_text_names_other`): the complaint model still reads such a post
        // as one that names no symptom.
        let mut error_text_only = false;
        let affixes = own_lexicon.map(|i| &self.lexicons[i].name_affixes);
        self.catalog
            .find_mentions(folded, tokens, &s.plain, affixes, &mut s.mentions);
        s.context.clear();
        let mut resolved = self.resolve_mentions(
            folded,
            tokens,
            post,
            &lang.lang,
            &mut s.mentions,
            &s.plain,
            &mut s.context,
            std::mem::take(&mut s.resolved),
            explain,
        );

        let is_report = post.kind == PostKind::Report;
        let confirmable = resolved.iter().any(|r| r.confirmable);
        let mut any_accepted = resolved.iter().any(|r| r.accepted);
        let mut hits = std::mem::take(&mut s.hits);
        let mut guards = std::mem::take(&mut s.guards);
        hits.clear();
        guards.clear();
        if any_accepted || is_report || confirmable {
            self.find_hits(
                (&lang, own_lexicon),
                folded,
                tokens,
                &resolved,
                (&s.plain, &mut s.stemmed, &mut s.matches),
                (&mut hits, &mut guards),
                explain,
            );
            self.telecom_without_service(
                own_lexicon,
                folded,
                tokens,
                &resolved,
                &mut hits,
                explain,
            );
            let own = own_lexicon.map(|i| i as u16);
            let negated_guards = negation::negated_guards(
                &self.negation,
                self.english,
                folded,
                tokens,
                &guards,
                &hits,
            );
            apply_guards(
                (&self.lexicons, &self.rule_words),
                own,
                (folded, tokens),
                (&mut hits, &guards),
                (&resolved, &self.conjunctions),
                negated_guards,
                explain,
            );
            veto_emoji_alone(tokens, &mut hits);
            // A complaint somebody else asked, quoted at the start and answered no: "\"is
            // twitter down??\" no babe you got suspended", "«вк лёг?» нет, тебя забанили".
            // The cues of the answer stay ("\"is X down?\" no, it's down everywhere").
            if let Some(quote_end) = opening_quote_end(folded) {
                let answered_no = tokens
                    .iter()
                    .position(|t| t.start as usize > quote_end)
                    .is_some_and(|at| {
                        own_lexicon
                            .into_iter()
                            .chain(self.english)
                            .any(|l| self.negation.answer_no_at(l, folded, tokens, at))
                    });
                for h in hits.iter_mut().filter(|h| {
                    answered_no
                        && h.cue.is_complaint()
                        && h.vetoed_by.is_none()
                        && tokens[h.last as usize].end as usize <= quote_end
                }) {
                    h.vetoed_by = Some(shown(explain, || {
                        "a question quoted at the start and answered no (negation.toml \
                         `answers`): somebody else's complaint, refuted"
                            .to_string()
                    }));
                }
            }
            // A complaint phrase in a clause that opens with "if" tells what might happen: "if
            // the PSN ever goes down during the finals", "se o nubank cair no dia do pagamento".
            // The post's own language only: "se" and "als" mean other things elsewhere.
            if let Some(own) = own_lexicon {
                for h in hits
                    .iter_mut()
                    .filter(|h| h.cue.is_complaint() && h.vetoed_by.is_none())
                {
                    if self
                        .negation
                        .in_conditional_clause(own, folded, tokens, h.first as usize)
                    {
                        h.vetoed_by = Some(shown(explain, || {
                            "a clause that opens with a conditional (negation.toml `conditionals`)"
                                .to_string()
                        }));
                    }
                }
            }
            quoted::veto_complaints_quoted_about_a_service(
                folded, tokens, &resolved, &mut hits, explain,
            );
            denial::veto_failure_given_elsewhere(
                folded,
                tokens,
                &resolved,
                (&mut hits, &guards),
                negated_guards,
                explain,
            );
            denial::veto_failure_of_a_service_cleared(
                tokens,
                &resolved,
                (&mut hits, &guards),
                explain,
            );
            if confirmable {
                self.confirm_by_cues(folded, &mut resolved, tokens, (&hits, &guards), explain);
                any_accepted = resolved.iter().any(|r| r.accepted);
            }
            if !is_report {
                self.bind(folded, tokens, &resolved, (&mut hits, &guards));
                // The author's own connection is the service of a telecom: keep those cues.
                for h in hits.iter_mut().filter(|h| h.own_device_only) {
                    if h.bound
                        .iter()
                        .any(|&p| self.catalog.get(p).category == "telecom")
                    {
                        h.vetoed_by = None;
                        h.own_device_only = false;
                    }
                }
            }
        }

        // Borrowed matches: only the confident codes are copied (and the matches themselves
        // when explaining).
        let gazetteer = self.gazetteer();
        let mut found = recycled(std::mem::take(&mut s.regions));
        if let Some(location) = post.location.as_deref().filter(|l| !l.trim().is_empty()) {
            gazetteer.resolve_location_into(location, &lang.lang, &mut found);
        }
        // Place names in the text count whether or not the post names a platform: the regions
        // say where the author is or what place the post is about ("countdown in Kraków",
        // "no signal in the Santiago metro"), and such posts are few in a platform stream.
        // Asked first with the classifier's own fold: most posts name no place, and finding
        // that out this way spares the gazetteer's fold of the text.
        if !post.text.is_empty()
            && gazetteer.may_name_a_place_in_text(&post.text, folded, &lang.lang)
        {
            let mut in_text = recycled(std::mem::take(&mut s.regions_in_text));
            gazetteer.find_in_text_into(&post.text, &lang.lang, &mut in_text);
            // The languages whose words a place name may be: the post's own and English, or
            // every language when the post's is unknown.
            let word_of = match own_lexicon {
                Some(own) => {
                    NAME_WORD
                        | 1u64 << own.min(62)
                        | self.english.map_or(0, |en| 1u64 << en.min(62))
                }
                None => u64::MAX,
            };
            // A place inside the name of a platform the post names is part of that name:
            // "Banco do Brasil" says nothing about where its customers are.
            let names = names_of_several_words(&resolved, tokens);
            found.extend(in_text.drain(..).filter(|m| {
                (m.rule.contains("flag")
                    || self
                        .vocabulary
                        .get(&crate::text::fold(m.matched))
                        .is_none_or(|&langs| langs & word_of == 0))
                    && !inside_a_name(&post.text, m.matched, &names)
            }));
            s.regions_in_text = recycled(in_text);
        }
        let region_codes = crate::region::confident_codes_of(&found);
        let regions: Vec<RegionMatch> = if explain {
            found.iter().map(crate::region::RegionRef::owned).collect()
        } else {
            Vec::new()
        };
        found.clear();
        s.regions = recycled(found);

        let mut classification = Classification {
            // Only an explanation reads the decision's code again: otherwise it moves here.
            lang: if explain {
                lang.lang.clone()
            } else {
                std::mem::take(&mut lang.lang)
            },
            regions: region_codes,
            ..Classification::default()
        };
        let mut decision;
        if is_report {
            if let Some(service) = post.service.as_deref() {
                classification.platforms.push(service.to_string());
            }
            classification.complaint = true;
            classification.symptoms = hits
                .iter()
                .filter(|h| h.vetoed_by.is_none())
                .filter_map(|h| match h.cue {
                    Cue::Symptom(s) => Some(s),
                    _ => None,
                })
                .collect();
            decision = shown(explain, || {
                format!(
                    "crowd report about {}: a complaint by definition",
                    post.service.as_deref().unwrap_or("an unnamed service")
                )
            });
        } else {
            let live = |h: &&Hit| h.vetoed_by.is_none() && !h.bound.is_empty();
            let mut targets = PlatformList::default();
            for h in hits.iter().filter(live) {
                if h.cue.is_complaint() {
                    classification.complaint = true;
                    targets.extend(h.bound.iter().copied());
                }
            }
            // A complaint phrase that names no symptom itself ("not loading", or a loading
            // phrase that names no part of the feed: `precedence::is_bare_loading`) lets a
            // topic word ("notifications") of its clause name it, unless a conjunction starts
            // a new thought between them ("outlook down and i have a call in 10 min"). Not in
            // languages written without spaces, whose conjunctions ("と", "も") are also
            // particles inside phrases.
            let conjunction_lexicon = own_lexicon
                .map(|l| &self.lexicons[l])
                .filter(|l| l.word_boundaries);
            // Both lists below are read only for a complaint's symptoms: listed only then.
            let complaint_cues: Vec<&Hit> = if classification.complaint {
                hits.iter()
                    .filter(|h| {
                        h.vetoed_by.is_none()
                            && (matches!(h.cue, Cue::Outage | Cue::Weak)
                                || precedence::is_bare_loading(h, &hits, tokens))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            // "DMs work but the feed won't load", "hikayeler yüklenmiyor ama akış çalışıyor":
            // a topic word set against the complaint cue by a contrast word, with a function
            // verb (data/negation.toml `verbs`) and no negation word on its side, works.
            let works_across_contrast = |c: &Hit, t: &Hit| {
                precedence::topic_side_of_contrast(c, t, folded, tokens, &self.rule_words)
                    .is_some_and(|side| {
                        // Not the topic's own words ("passe" in "mot de passe").
                        let own = t.first as usize..=t.last as usize;
                        side.clone()
                            .filter(|at| !own.contains(at))
                            .any(|at| self.negation.is_function_verb(tokens[at].text(folded)))
                            && !side.into_iter().any(|at| {
                                [own_lexicon, self.english]
                                    .iter()
                                    .flatten()
                                    .any(|&l| self.negation.word_at(l, folded, tokens, at))
                            })
                    })
            };
            let complaint_reaches = |t: &Hit| {
                complaint_cues.iter().any(|c| {
                    tokens[c.first as usize].clause == tokens[t.first as usize].clause
                        && !conjunction_lexicon.is_some_and(|l| {
                            precedence::conjunction_between(folded, tokens, l, c, t)
                        })
                        && !works_across_contrast(c, t)
                })
            };
            // A topic word inside a complaint phrase ("chat" in "voice chat not working") adds
            // nothing: that phrase already says what failed. A negated verb that is itself the
            // topic word ("kan niet afrekenen", "lässt mich nicht bezahlen") names it, except
            // a connection ("ça connecte pas" on Discord is the app, not the network).
            let in_cue = |t: &Hit| {
                hits.iter().any(|o| {
                    o.cue.is_complaint()
                        && o.first <= t.last
                        && t.first <= o.last
                        && !(o.phrase == u32::MAX
                            && o.hashtag.is_none()
                            && t.cue != Cue::Topic(Symptom::Connectivity))
                })
            };
            // A topic word inside a longer topic of another kind ("mesaj" in "sesli mesaj",
            // "vídeo" in "ningún vídeo") is that longer topic.
            let in_longer_topic = |t: &Hit| {
                hits.iter().any(|o| {
                    matches!(o.cue, Cue::Topic(_))
                        && o.cue != t.cue
                        && o.vetoed_by.is_none()
                        && o.first <= t.first
                        && t.last <= o.last
                        && o.last - o.first > t.last - t.first
                })
            };
            // Clauses where a symptom phrase already says what failed: a negation word there
            // belongs to that phrase, not to a topic word beside it.
            let symptom_clauses: Vec<u16> = if classification.complaint {
                hits.iter()
                    .filter(|h| h.vetoed_by.is_none() && matches!(h.cue, Cue::Symptom(_)))
                    .map(|h| tokens[h.first as usize].clause)
                    .collect()
            } else {
                Vec::new()
            };
            let in_mention = |h: &Hit| {
                resolved
                    .iter()
                    .any(|r| r.accepted && r.mention.first <= h.last && h.first <= r.mention.last)
            };
            for h in hits.iter().filter(live) {
                if h.cue == Cue::Recovery {
                    classification.recovery = true;
                    targets.extend(h.bound.iter().copied());
                }
            }
            if classification.recovery
                && !classification.complaint
                && let Some(back) =
                    self.still_broken_after_recovery(own_lexicon, folded, tokens, (&hits, &guards))
            {
                classification.complaint = true;
                targets.extend(hits[back].bound.iter().copied());
            }
            if classification.complaint {
                // The post's own language and English, as for the phrase banks.
                let own = own_lexicon;
                let negation_lexicons = [own, self.english];
                let mut named: Vec<precedence::Named> = Vec::new();
                let mut topic_rules: Vec<(usize, &'static str)> = Vec::new();
                let played_back = !targets.is_empty()
                    && targets.iter().all(|&p| {
                        PLAYBACK_CATEGORIES.contains(&self.catalog.get(p).category.as_str())
                    });
                let telecom = targets
                    .iter()
                    .any(|&p| self.catalog.get(p).category == "telecom");
                let games_only = !targets.is_empty()
                    && targets
                        .iter()
                        .all(|&p| self.catalog.get(p).category == GAMING_CATEGORY);
                // Clauses that put a file onto the service ("no puedo subir videos a
                // youtube", "la vidéo reste bloquée à 99% d'upload"): their videos are
                // uploaded, not played.
                // Only needed where a video can be read as a stream: on a played-back service,
                // or where a playback topic word ("vidéo") stands.
                let upload_clauses: Vec<u16> = if played_back
                    || hits
                        .iter()
                        .any(|h| h.cue == Cue::Topic(Symptom::Playback) && h.vetoed_by.is_none())
                {
                    hits.iter()
                        .filter(|h| {
                            h.vetoed_by.is_none()
                                && (h.cue.is_complaint() || h.cue == Cue::Topic(Symptom::Media))
                                && precedence::is_upload(h, folded, tokens, &self.rule_words)
                        })
                        .map(|h| tokens[h.first as usize].clause)
                        .collect()
                } else {
                    Vec::new()
                };
                // A bank's or a wallet's complaint that names a payment anywhere ("n26 zeigt
                // 'Etwas ist schiefgelaufen' bei jeder überweisung", "app crasha appena apro,
                // bonifico da fare entro oggi") is about the payment it fails to make, unless
                // the author cannot even sign in or the app closes: then the payment is only
                // why they opened it (writers then label the login or the crash alone); nor
                // when a notification is named: the money is what the missing notification
                // would have told ("notif dana ga muncul, tau2 saldo udah masuk").
                let money_moves = !targets.is_empty()
                    && targets
                        .iter()
                        .all(|&p| self.catalog.get(p).category == PAYMENTS_CATEGORY)
                    && !hits.iter().any(|h| {
                        h.vetoed_by.is_none()
                            && matches!(
                                h.cue,
                                Cue::Symptom(
                                    Symptom::Login | Symptom::Crash | Symptom::Notifications
                                ) | Cue::Topic(Symptom::Notifications)
                            )
                    });
                for (i, h) in hits.iter().enumerate() {
                    if h.vetoed_by.is_some() {
                        continue;
                    }
                    match h.cue {
                        // "no cargan los videos", "video's laden niet" on YouTube or TikTok:
                        // the videos there are watched, so a media phrase about them is
                        // playback, as its topic word alone would be (see below).
                        Cue::Symptom(Symptom::Media)
                            if played_back
                                && precedence::names_its_object(&hits, h, Symptom::Media)
                                && !precedence::is_upload(h, folded, tokens, &self.rule_words) =>
                        {
                            named.push(precedence::Named {
                                symptom: Symptom::Playback,
                                hit: i,
                            });
                        }
                        // "no me llegan los sms de movistar": a telecom's text messages
                        // are its messaging; the same phrase about an app is its login code.
                        Cue::Symptom(Symptom::Login)
                            if telecom
                                && precedence::is_about_sms(
                                    h,
                                    folded,
                                    tokens,
                                    &self.rule_words,
                                ) =>
                        {
                            named.push(precedence::Named {
                                symptom: Symptom::Messaging,
                                hit: i,
                            });
                        }
                        Cue::Symptom(symptom) => named.push(precedence::Named { symptom, hit: i }),
                        // "padahal kuota masih 20GB", "alors que la fibre est au max": a
                        // connection after a concessive word of its clause is the author's,
                        // said to be fine (not for a telecom, whose service it is).
                        Cue::Topic(Symptom::Connectivity)
                            if !telecom
                                && precedence::after_concession(
                                    h,
                                    folded,
                                    tokens,
                                    &self.rule_words,
                                ) => {}
                        Cue::Topic(sym) if !in_mention(h) && !in_cue(h) && !in_longer_topic(h) => {
                            // "ni llamadas ni datos", "nem ligação nem 4g": a negation word
                            // right before the topic is its own, even where a symptom phrase
                            // of the clause ("ni datos") has a negation word of its own, and
                            // for the connection of a telecom ("ni internet": its service,
                            // not the author's own connection denied, "değil wifi de denedim").
                            let rule = if complaint_reaches(h) {
                                Some(TOPIC_IN_COMPLAINT_CLAUSE)
                            } else if sym == Symptom::Payments && money_moves {
                                Some(PAYMENT_TOPIC_IN_COMPLAINT)
                            } else {
                                let at = h.first as usize;
                                let negated_right_before = at > 0
                                    && tokens[at - 1].clause == tokens[at].clause
                                    && negation_lexicons
                                        .iter()
                                        .flatten()
                                        .any(|&l| self.negation.word_at(l, folded, tokens, at - 1));
                                let negated = if negated_right_before {
                                    topic_negated(sym) || telecom
                                } else {
                                    topic_negated(sym)
                                        && !symptom_clauses.contains(&tokens[at].clause)
                                        && negation_lexicons.iter().flatten().any(|&l| {
                                            self.negation.near(
                                                l,
                                                folded,
                                                tokens,
                                                at,
                                                h.last as usize,
                                            )
                                        })
                                };
                                negated.then_some(TOPIC_NEXT_TO_NEGATION)
                            };
                            if let Some(rule) = rule {
                                let (symptom, rule) = if sym == Symptom::Media
                                    && played_back
                                    && !upload_clauses.contains(&tokens[h.first as usize].clause)
                                {
                                    (Symptom::Playback, MEDIA_TOPIC_AS_PLAYBACK)
                                } else if sym == Symptom::Feed
                                    && precedence::clause_puts_up(
                                        tokens[h.first as usize].clause,
                                        h,
                                        folded,
                                        tokens,
                                        &self.rule_words,
                                    )
                                {
                                    // "can't post my story", "ストーリー上げられない": a story,
                                    // reel or status put up is a file (media); one that does
                                    // not load is the feed.
                                    (Symptom::Media, rule)
                                } else if sym == Symptom::Playback
                                    && upload_clauses.contains(&tokens[h.first as usize].clause)
                                {
                                    // "la vidéo reste bloquée à 99% d'upload": a video being
                                    // uploaded is a file put onto the service, not a stream.
                                    (Symptom::Media, rule)
                                } else {
                                    (sym, rule)
                                };
                                named.push(precedence::Named { symptom, hit: i });
                                topic_rules.push((i, rule));
                            }
                        }
                        _ => {}
                    }
                }
                if !telecom {
                    precedence::connection_of_a_call(
                        &mut named,
                        &hits,
                        folded,
                        tokens,
                        conjunction_lexicon,
                    );
                }
                precedence::drop_carrier_messages(&mut named, &hits, tokens);
                precedence::notified_topic_names_nothing(
                    &mut named,
                    &hits,
                    folded,
                    tokens,
                    conjunction_lexicon,
                );
                precedence::other_topic_gives_way(&mut named, &hits, tokens);
                precedence::bare_loading_gives_way(&mut named, &hits, tokens, |after, before| {
                    resolved
                        .iter()
                        .any(|r| r.accepted && after < r.mention.first && r.mention.last < before)
                });
                precedence::bare_sending_gives_way(&mut named, &hits, tokens);
                if classification.recovery {
                    precedence::recovered_topic_names_nothing(
                        &mut named,
                        &hits,
                        folded,
                        tokens,
                        &self.rule_words,
                    );
                }
                if played_back {
                    precedence::stopping_stream_is_playback(
                        &mut named,
                        &hits,
                        folded,
                        tokens,
                        &self.rule_words,
                    );
                    precedence::loading_stream_is_playback(&mut named, &hits, tokens);
                    precedence::sound_of_a_stream_is_playback(&mut named);
                    precedence::freezing_picture_is_playback(
                        &mut named,
                        &hits,
                        folded,
                        tokens,
                        conjunction_lexicon,
                        &self.rule_words,
                    );
                }
                if !played_back {
                    precedence::sound_of_a_call_is_calls(&mut named, &hits, tokens);
                }
                precedence::kicked_out_of_what_runs(
                    &mut named,
                    &hits,
                    folded,
                    tokens,
                    &self.rule_words,
                );
                precedence::entering_a_call_is_calls(&mut named, &hits, tokens);
                precedence::crash_in_a_call_is_calls_too(
                    &mut named,
                    &hits,
                    folded,
                    tokens,
                    conjunction_lexicon,
                );
                if games_only {
                    precedence::games_are_not_played_back(&mut named);
                }
                if !targets.is_empty()
                    && targets
                        .iter()
                        .all(|&p| self.catalog.get(p).category == ASSISTANT_CATEGORY)
                {
                    precedence::assistant_messages_are_answers(&mut named);
                }
                if named.iter().any(|n| n.symptom == Symptom::Feed)
                    && !targets.is_empty()
                    && !targets
                        .iter()
                        .any(|&p| FEED_CATEGORIES.contains(&self.catalog.get(p).category.as_str()))
                {
                    precedence::feedless_service_has_no_feed(&mut named);
                }
                precedence::catch_all_gives_way(&mut named, &hits);
                if named.is_empty()
                    && let Some(cue) = hits.iter().position(|h| {
                        h.vetoed_by.is_none() && !h.bound.is_empty() && h.cue.is_complaint()
                    })
                {
                    let topics: Vec<usize> = hits
                        .iter()
                        .enumerate()
                        .filter(|(_, h)| {
                            matches!(h.cue, Cue::Topic(_))
                                && h.vetoed_by.is_none()
                                && !in_mention(h)
                                && !in_cue(h)
                                && !in_longer_topic(h)
                        })
                        .map(|(i, _)| i)
                        .collect();
                    let shown = precedence::error_text_names_other(
                        &mut named,
                        &hits,
                        &topics,
                        cue,
                        played_back,
                        folded,
                        tokens,
                        own,
                        &self.rule_words,
                    );
                    // Only an error word ("Fehler", "erroring") may be the author's own doing:
                    // the complaint model still reads such a post as naming no symptom.
                    error_text_only = shown.is_some_and(|e| e.by_word_only);
                }
                for (i, rule) in topic_rules {
                    if named.iter().any(|n| n.hit == i) {
                        hits[i].binding = Some(rule);
                    }
                }
                classification.symptoms = named.iter().map(|n| n.symptom).collect();
            }
            if targets.is_empty() {
                targets = resolved
                    .iter()
                    .filter(|r| r.accepted)
                    .map(|r| r.mention.platform)
                    .collect();
            }
            // Each platform once before its id is copied: every hit bound to it added it
            // (the ids are sorted and deduplicated below all the same).
            targets.sort_and_dedup();
            classification.platforms = targets
                .iter()
                .map(|&i| self.catalog.get(i).id.clone())
                .collect();
            decision = shown(explain, || {
                if !any_accepted {
                    "no platform named (or only ambiguous names without context): not a complaint"
                        .to_string()
                } else if classification.complaint && classification.recovery {
                    "a complaint phrase and a recovery phrase are both tied to the platform"
                        .to_string()
                } else if classification.complaint {
                    "a complaint phrase survived the guards and is tied to the platform".to_string()
                } else if classification.recovery {
                    "a recovery phrase is tied to the platform; no current complaint".to_string()
                } else if hits
                    .iter()
                    .any(|h| h.cue.is_complaint() && h.vetoed_by.is_some())
                {
                    "every complaint phrase was vetoed by a guard".to_string()
                } else if hits.iter().any(|h| h.cue.is_complaint()) {
                    "complaint phrases are not tied to a named platform (proximity rule)"
                        .to_string()
                } else {
                    "a platform is named but no complaint phrase was found".to_string()
                }
            });
        }
        let rules_complaint = classification.complaint;
        s.reading_tags.clear();
        let (opinion, model_features) = if is_report {
            (None, Vec::new())
        } else {
            self.second_opinion(
                (folded, tokens),
                (&resolved, &hits),
                &mut classification,
                &mut decision,
                (
                    &mut s.model_features,
                    &mut s.model_scores,
                    &mut s.reading_tags,
                    &mut s.model_spans,
                ),
                (explain, error_text_only),
            )
        };
        classification.platforms.sort();
        classification.platforms.dedup();
        classification.providers = classification
            .platforms
            .iter()
            .filter_map(|p| self.catalog.provider_of(p).map(str::to_string))
            .collect();
        classification.providers.sort();
        classification.providers.dedup();
        classification.symptoms.sort();
        classification.symptoms.dedup();

        let (hits, guards, resolved) = if explain {
            (hits, guards, resolved)
        } else {
            s.hits = hits;
            s.guards = guards;
            s.resolved = resolved;
            (Vec::new(), Vec::new(), Vec::new())
        };
        let added_by_model = classification.complaint && !rules_complaint;
        Analysis {
            lang,
            mentions: resolved,
            hits,
            guards,
            regions,
            classification,
            decision,
            folded: if explain {
                s.folded.clone()
            } else {
                String::new()
            },
            token_spans: if explain {
                s.tokens.iter().map(|t| (t.start, t.end)).collect()
            } else {
                Vec::new()
            },
            typos: Vec::new(),
            added_by_model,
            opinion,
            model_features,
            reading_tags: if explain {
                s.reading_tags.clone()
            } else {
                Vec::new()
            },
        }
    }

    /// Consults the learned models where the rules' decision is at its edges (see
    /// [`opinion`]): a post without any complaint word that names exactly one platform (and no
    /// recovery) becomes a complaint when the complaint model is confident it is one; a
    /// complaint is dropped when it rates it low enough (`veto_below`, or the higher
    /// `veto_named_below` when the complaint names a symptom), unless the rules weighed a
    /// guard in the post; a complaint gets the kinds the symptom model is confident of (surer
    /// where the rules named other kinds); a complaint the complaint model kept that names no
    /// symptom (no recovery, no guard weighed) is dropped when the stacked veto, which also
    /// reads the rules' reading, rates it low. Returns the opinion and, when explaining, the
    /// features as text (and the reading's tags in `tags`).
    fn second_opinion(
        &self,
        (folded, tokens): (&str, &[Token]),
        (resolved, hits): (&[Resolved], &[Hit]),
        classification: &mut Classification,
        decision: &mut String,
        (hashes, scores, tags, spans): ModelScratch<'_>,
        // Whether to explain, and whether the only symptom is the catch-all an error text
        // gave (the model then reads the post as one that names no symptom).
        (explain, error_text_only): (bool, bool),
    ) -> (Option<opinion::Opinion>, Vec<String>) {
        let accepted = || resolved.iter().filter(|r| r.accepted);
        // A learned model drops the rules' complaint: no symptom, and every platform named, as
        // for any post that is no complaint (sorted and deduplicated by the caller).
        let drop_complaint = |classification: &mut Classification| {
            classification.complaint = false;
            classification.symptoms.clear();
            classification.platforms = accepted()
                .map(|r| self.catalog.get(r.mention.platform).id.clone())
                .collect();
        };
        // The platform names' token spans (into `spans`, a list kept between posts) and the
        // rests of their hashtags (only the non-empty ones, the only ones the features read:
        // most posts have none, and an empty list allocates nothing): built only for a post a
        // model is consulted on or that is explained (most posts are neither).
        let model_input = |spans: &mut Vec<(u32, u32)>| {
            spans.clear();
            spans.extend(accepted().map(|r| (r.mention.first, r.mention.last)));
            accepted()
                .map(|r| r.mention.hashtag_rest.as_str())
                .filter(|rest| !rest.is_empty())
                .collect::<Vec<&str>>()
        };
        let features = if explain {
            let rests = model_input(spans);
            opinion::feature_texts(folded, tokens, spans, &rests)
        } else {
            Vec::new()
        };
        let mut hashed = false;
        let mut hash_once = |hashes: &mut Vec<u64>| {
            if !hashed {
                let rests = model_input(spans);
                opinion::hashed_features(folded, tokens, spans, &rests, hashes);
                hashed = true;
            }
        };
        let mut said = opinion::Opinion::default();
        let mut consulted = false;
        // The recovery head's probability and known features, when the complaint model was
        // asked (one lookup per feature gives both heads).
        let mut recovery_said: Option<(f32, u32)> = None;
        // The rules' reading, for the stacked veto: read before the complaint model speaks.
        let rules_complaint = classification.complaint && !classification.recovery;
        let weighed = hits.iter().any(|h| h.vetoed_by.is_some());
        let vetoable =
            rules_complaint && (classification.symptoms.is_empty() || error_text_only) && !weighed;
        let read_tags = |tags: &mut Vec<opinion::Tag>, named_kind: bool| {
            opinion::reading_tags(
                named_kind,
                hits.iter().filter_map(|h| {
                    let list = h.complaint_list()?;
                    let fate = if h.vetoed_by.is_some() {
                        opinion::Fate::Vetoed
                    } else if h.bound.is_empty() {
                        opinion::Fate::Free
                    } else {
                        opinion::Fate::Bound
                    };
                    Some((list, fate))
                }),
                tags,
            )
        };
        if rules_complaint && (explain || vetoable && self.veto_model.is_some()) {
            read_tags(tags, !classification.symptoms.is_empty());
        }
        if let Some(model) = &self.model {
            let mut named = accepted().map(|r| r.mention.platform);
            let one_platform = named.next().is_some_and(|first| named.all(|p| p == first));
            // The rules found no complaint word at all (not one a guard vetoed): where they
            // know why a post is no complaint, they keep the last word.
            let silent = !hits.iter().any(|h| h.cue.is_complaint());
            // The rules weighed a guard or a rule against one of the post's cues ("Meta shares
            // down 3%, instagram down too?"): their clause-by-clause reading keeps the last word
            // (`weighed`, above).
            // A complaint that names a symptom is judged too, on its own threshold
            // (`veto_named_below`): the trap that says what failed ("phishing mail: 'your
            // account is locked'", "my router died so no discord") names a kind as often as a
            // complaint does. Until the sixteenth session these were left to the rules (a third
            // of a point of precision for 4% more instructions, "Tenth session"); the symptom
            // model now hashes their features anyway, and writers' traps made the point worth
            // several (docs/CLASSIFIER.md, "Sixteenth session").
            let names_a_kind = !(classification.symptoms.is_empty() || error_text_only);
            // A complaint beside a recovery is judged too: "Vivo voltou, tava sem sinal desde
            // as 6h" tells the outage that ended. A recovery the rules found may also be a
            // complaint: "ABN app werkt weer maar overschrijvingen blijven mislukken" (one part
            // back, another still broken; until the eighteenth session the model was not asked
            // there, and cross-validation over 13 writer sets gains 0.001 of recall).
            let asked = classification.complaint || silent && one_platform;
            if asked {
                consulted = true;
                hash_once(hashes);
                let ((probability, known), recovery) = model.probability(hashes, scores);
                recovery_said = recovery;
                let veto_below = if names_a_kind {
                    model.veto_named_below
                } else {
                    model.veto_below
                };
                let effect = if !classification.complaint
                    && probability >= model.add_at
                    && known >= model.add_min_features
                {
                    classification.complaint = true;
                    *decision = shown(explain, || {
                        format!(
                            "no complaint phrase decided, but the complaint model is confident \
                             this is one ({probability:.2} >= {})",
                            model.add_at
                        )
                    });
                    "added the complaint"
                } else if classification.complaint
                    && probability < veto_below
                    && known >= model.min_features
                    && !weighed
                {
                    drop_complaint(classification);
                    *decision = shown(explain, || {
                        format!(
                            "the complaint model is confident this is no complaint \
                             ({probability:.2} < {veto_below}), whatever words the rules found"
                        )
                    });
                    "vetoed the complaint"
                } else if !classification.complaint && probability >= model.add_at {
                    "knew too few of the post's features to add the complaint"
                } else if classification.complaint && probability < veto_below {
                    if weighed {
                        "left the complaint to the rules, which weighed a guard in this post"
                    } else {
                        "knew too few of the post's features to drop the complaint"
                    }
                } else {
                    "agreed"
                };
                said.probability = Some(probability);
                said.known_features = Some(known);
                said.effect = Some(effect);
                if explain {
                    said.strongest = model.strongest(&features);
                }
            }
        }
        if let Some(model) = &self.veto_model
            && vetoable
            && classification.complaint
        {
            consulted = true;
            hash_once(hashes);
            let (probability, known) = model.probability(hashes, tags, scores);
            let effect = if probability < model.veto_below && known >= model.min_features {
                drop_complaint(classification);
                *decision = shown(explain, || {
                    format!(
                        "the stacked veto, reading the words and the rules' reading, is \
                         confident this is no complaint ({probability:.2} < {})",
                        model.veto_below
                    )
                });
                "vetoed the complaint"
            } else if probability < model.veto_below {
                "knew too few of the post's features to drop the complaint"
            } else {
                "agreed"
            };
            if explain {
                said.veto = Some(opinion::VetoOpinion {
                    probability,
                    known_features: known,
                    effect,
                    strongest: model.strongest(&features, tags),
                });
            }
        }
        // The recovery head, when a platform is named, on the posts the complaint model was
        // asked about (its probability is already there), on the rules' recoveries and on the
        // posts with a complaint word, vetoed or not (the outage that ended is told beside the
        // recovery): phrase lists miss many ways of saying a service is back ("Gmail tut
        // wieder!", "ok spotify's back"). Asked on every post that names a platform, it found
        // no more recall across writers (0.912 either way) and lost 0.001 of precision, for
        // hashing many more posts.
        if let Some(model) = &self.model
            && let Some(thresholds) = model.recovery
            && (recovery_said.is_some()
                || classification.recovery
                || hits.iter().any(|h| h.cue.is_complaint()))
            && accepted().next().is_some()
        {
            consulted = true;
            let (probability, known) = match recovery_said {
                Some(said) => said,
                None => {
                    hash_once(hashes);
                    model.probability(hashes, scores).1.unwrap_or((0.0, 0))
                }
            };
            let enough = known >= thresholds.min_features;
            // A recovery the rules read as undone by a relapse ("venmo is back!! wait no.
            // down again") is not added back. Other vetoes and unbound recovery words are
            // left to the model: across writers, heeding them too cost 0.007-0.012 of
            // recovery recall and gained no precision.
            let relapsed = hits
                .iter()
                .any(|h| h.cue == Cue::Recovery && h.vetoed_by.as_deref() == Some(RELAPSED));
            let effect =
                if !classification.recovery && probability >= thresholds.add_at && !relapsed {
                    if enough {
                        classification.recovery = true;
                        "added the recovery"
                    } else {
                        "knew too few of the post's features to add the recovery"
                    }
                } else if classification.recovery && probability < thresholds.drop_below {
                    if enough {
                        classification.recovery = false;
                        "dropped the recovery"
                    } else {
                        "knew too few of the post's features to drop the recovery"
                    }
                } else {
                    "agreed"
                };
            if explain {
                said.recovery = Some(opinion::RecoveryOpinion {
                    probability,
                    known_features: known,
                    effect,
                    strongest: model.strongest_for_recovery(&features),
                });
            }
        }
        if let Some(model) = &self.symptom_model
            && classification.complaint
        {
            consulted = true;
            hash_once(hashes);
            let (added, known) = model.confident_kinds(hashes, &classification.symptoms, scores);
            // Kinds the rules named that the model is nearly sure the post does not say.
            let doubted = model.doubted_kinds(&classification.symptoms, scores, known);
            if !doubted.is_empty() {
                classification
                    .symptoms
                    .retain(|kind| !doubted.iter().any(|(d, _)| d == kind));
                if explain {
                    said.symptoms_dropped = doubted
                        .iter()
                        .map(|&(kind, probability)| opinion::SymptomOpinion {
                            kind,
                            probability,
                            strongest: model.strongest(&features, kind),
                        })
                        .collect();
                }
            }
            // The catch-all gives way to media or the feed as in the rules
            // (`precedence::catch_all_gives_way`), whichever of the two named them: the
            // model's `other` beside them is not added, the rules' is dropped when the model
            // names one of them ("iCloudの写真が同期されない": the sync is the photos').
            let object_named = |kind: &Symptom| matches!(kind, Symptom::Media | Symptom::Feed);
            let catch_all_gives_way = classification.symptoms.iter().any(object_named)
                || added.iter().any(|(kind, _)| object_named(kind));
            if catch_all_gives_way && !added.is_empty() {
                classification
                    .symptoms
                    .retain(|&kind| kind != Symptom::Other);
            }
            for (kind, probability) in added {
                if catch_all_gives_way && kind == Symptom::Other {
                    continue;
                }
                classification.symptoms.push(kind);
                if explain {
                    said.symptoms_added.push(opinion::SymptomOpinion {
                        kind,
                        probability,
                        strongest: model.strongest(&features, kind),
                    });
                }
            }
        }
        ((explain && consulted).then_some(said), features)
    }

    /// Accepts each mention, or rejects an ambiguous alias that lacks context.
    #[allow(clippy::too_many_arguments)]
    fn resolve_mentions(
        &self,
        folded: &str,
        tokens: &[Token],
        post: &Post,
        lang: &str,
        mentions: &mut Vec<Mention>,
        plain: &TokenStream,
        context: &mut Vec<crate::catalog::ContextMatch>,
        mut out: Vec<Resolved>,
        explain: bool,
    ) -> Vec<Resolved> {
        // `out` is the list of an earlier post, kept for its room.
        out.clear();
        out.reserve(mentions.len());
        let mut needs_context = Vec::new();
        let mut exclude_only = Vec::new();
        // Moved out of the scratch list (which keeps its room for the next post), not cloned.
        for m in mentions.drain(..) {
            let platform = self.catalog.get(m.platform);
            let ambiguity = (m.kind == MentionKind::Alias)
                .then(|| platform.ambiguous.iter().find(|a| a.alias == m.matched))
                .flatten();
            if ambiguity.is_some_and(|a| {
                !a.named_only_in.is_empty() && !a.named_only_in.iter().any(|l| l == lang)
            }) {
                continue;
            }
            // "X'te": an apostrophe ending marks a proper name, not the ordinary word.
            let named = m.affix.as_ref().is_some_and(|a| a.apostrophe);
            let applies = !named
                && ambiguity.is_some_and(|a| {
                    let spelled = !a.spellings.is_empty() && {
                        let lower = post.text.to_lowercase();
                        a.spellings.iter().any(|s| lower.contains(s.as_str()))
                    };
                    if !a.only_in.is_empty() {
                        spelled || a.only_in.iter().any(|l| l == lang)
                    } else {
                        spelled || !a.except_in.iter().any(|l| l == lang)
                    }
                });
            if applies {
                needs_context.push(out.len());
            } else if !named && ambiguity.is_some_and(|a| !a.exclude.is_empty()) {
                // An exclude phrase is the ordinary word in every language, also where the
                // alias needs no context ("楽天的" is "optimistic" in Japanese posts).
                exclude_only.push(out.len());
            }
            let rule = match m.kind {
                // The rule is only shown when explaining: not worth a `format!` otherwise.
                _ if !explain => String::new(),
                MentionKind::Alias if ambiguity.is_some() && !applies => format!(
                    "alias \"{}\" (needs no context in this language)",
                    m.matched
                ),
                MentionKind::Alias if named && ambiguity.is_some() => format!(
                    "ambiguous alias \"{}\" taken as the name: {} (an apostrophe before an ending marks a proper name, {} platform_names)",
                    m.matched,
                    m.affix
                        .as_ref()
                        .map(|a| a.describe(&m.matched))
                        .unwrap_or_default(),
                    m.affix
                        .as_ref()
                        .map(|a| a.file.as_str())
                        .unwrap_or_default()
                ),
                MentionKind::Alias => match &m.affix {
                    Some(a) => format!(
                        "alias \"{}\" with the letters its language glues to names: {} ({} platform_names)",
                        m.matched,
                        a.describe(&m.matched),
                        a.file
                    ),
                    None => format!("alias \"{}\"", m.matched),
                },
                MentionKind::Handle => format!("handle @{}", m.matched),
                MentionKind::Hashtag => format!("hashtag #{}{}", m.matched, m.hashtag_rest),
                MentionKind::Domain => format!("domain {}", m.matched),
            };
            out.push(Resolved {
                mention: m,
                accepted: !applies,
                rule,
                confirmable: false,
                ambiguous: applies,
            });
        }
        if needs_context.is_empty() && exclude_only.is_empty() {
            return out;
        }
        self.catalog.find_context(plain, context);
        for &i in &exclude_only {
            let m = &out[i].mention;
            let ambiguity = self
                .catalog
                .get(m.platform)
                .ambiguous
                .iter()
                .find(|a| a.alias == m.matched);
            if let Some(c) = context.iter().find(|c| {
                c.excludes
                    && c.platform == m.platform
                    && written_under(ambiguity, c)
                    && c.first <= m.first
                    && m.last <= c.last
            }) {
                let rule = format!(
                    "alias \"{}\" is the ordinary word in \"{}\" (exclude)",
                    m.matched, c.phrase
                );
                out[i].accepted = false;
                out[i].rule = rule;
            }
        }
        for &i in &needs_context {
            let m = &out[i].mention;
            let platform = self.catalog.get(m.platform);
            let ambiguity = platform.ambiguous.iter().find(|a| a.alias == m.matched);
            let why = ambiguity.map(|a| a.why.clone()).unwrap_or_default();
            let complaint_confirms = ambiguity.is_some_and(|a| a.complaint_confirms);
            let excluded = context.iter().find(|c| {
                c.excludes
                    && c.platform == m.platform
                    && written_under(ambiguity, c)
                    && c.first <= m.first
                    && m.last <= c.last
            });
            if let Some(c) = excluded {
                let rule = format!(
                    "alias \"{}\" is the ordinary word in \"{}\" (exclude)",
                    m.matched, c.phrase
                );
                out[i].accepted = false;
                out[i].rule = rule;
                continue;
            }
            let by_phrase = context
                .iter()
                .find(|c| {
                    // Beside the name, or a longer phrase around it ("on x", "sinal da
                    // claro"), but never the name itself.
                    let beside = c.last < m.first || c.first > m.last;
                    let around = c.first <= m.first
                        && m.last <= c.last
                        && c.last - c.first > m.last - m.first;
                    !c.excludes
                        && c.platform == m.platform
                        && written_under(ambiguity, c)
                        && (beside || around)
                })
                .map(|c| c.phrase.clone());
            // Another platform of the same kind joined to it by "and"/"or"/a comma
            // ("whatsapp and signal are down"), or the same platform named unambiguously.
            let by_other = out
                .iter()
                .enumerate()
                .find(|(j, r)| {
                    *j != i
                        && r.accepted
                        && (r.mention.platform == m.platform
                            || self.catalog.get(r.mention.platform).category == platform.category
                                && joined_by_conjunction(
                                    folded,
                                    tokens,
                                    &self.conjunctions,
                                    &r.mention,
                                    m,
                                ))
                })
                .map(|(_, r)| self.catalog.get(r.mention.platform).id.clone());
            let (accepted, rule) = match (by_phrase, by_other) {
                (Some(phrase), _) => (
                    true,
                    format!(
                        "ambiguous alias \"{}\" confirmed by context \"{}\"",
                        m.matched, phrase
                    ),
                ),
                (None, Some(other)) => (
                    true,
                    format!(
                        "ambiguous alias \"{}\" confirmed by a mention of {}",
                        m.matched, other
                    ),
                ),
                (None, None) => (
                    false,
                    format!("ambiguous alias \"{}\" without context: {}", m.matched, why),
                ),
            };
            out[i].confirmable = !accepted && complaint_confirms;
            out[i].accepted = accepted;
            out[i].rule = rule;
        }
        out
    }

    /// Accepts an ambiguous alias that a surviving complaint or recovery phrase follows (or
    /// precedes) within [`CONFIRM_WINDOW`] tokens of the same clause: "ig gak bisa dibuka",
    /// "X çöktü", "messenger nie działa". Names whose ordinary sense also breaks down ("no
    /// signal", "the line is down") opt out with `complaint_confirms = false`.
    fn confirm_by_cues(
        &self,
        folded: &str,
        resolved: &mut [Resolved],
        tokens: &[Token],
        (hits, guards): (&[Hit], &[Hit]),
        explain: bool,
    ) {
        // A Latin name in text of another script ("Xの通知が来ない") stands out as a name.
        let other_script = tokens.iter().any(|t| {
            t.kind == crate::lexicon::tokens::TokenKind::Ideograph
                || t.kind == crate::lexicon::tokens::TokenKind::Word
                    && t.text(folded)
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() && c as u32 > 0x024F)
        });
        for r in resolved.iter_mut().filter(|r| r.confirmable) {
            let m = &r.mention;
            let clause = tokens[m.first as usize].clause;
            let short = m.matched.chars().count() <= 2;
            let foreign = other_script && m.matched.is_ascii();
            let window = if short && !foreign { 0 } else { CONFIRM_WINDOW };
            let confirming = hits.iter().find(|h| {
                // A phrase told in the past or denied still names the name before it as its
                // subject when it follows within one word ("x isn't down", "Xが落ちた"), not a
                // name after it or further off ("threads about the outage yesterday").
                let told = h.vetoed_by.is_some()
                    && h.names_subject
                    && h.first > m.last
                    && h.first <= m.last + 2;
                if (h.vetoed_by.is_some() && !told)
                    || !(h.cue.is_complaint() || h.cue == Cue::Recovery)
                    || tokens[h.first as usize].clause != clause
                {
                    return false;
                }
                if h.first > m.last {
                    let gap = h.first - m.last - 1;
                    gap <= if h.cue == Cue::Weak { 0 } else { window }
                } else if h.last < m.first {
                    h.cue != Cue::Weak && m.first - h.last - 1 <= window
                } else {
                    false
                }
            });
            // Money words next to a name make it a company: "akcje Allegro spadły", "il titolo
            // TIM", "a vivo baixou o preço" (a word, not a bare "$" or "%").
            let gap = |g: &Hit| {
                if g.first > m.last {
                    g.first - m.last - 1
                } else if g.last < m.first {
                    m.first - g.last - 1
                } else {
                    u32::MAX
                }
            };
            let money = guards.iter().find(|g| {
                g.cue == Cue::Guard(Guard::Finance)
                    && tokens[g.first as usize].clause == clause
                    && tokens[g.first as usize].kind == crate::lexicon::tokens::TokenKind::Word
                    && gap(g) <= CONFIRM_WINDOW
            });
            if confirming.is_none()
                && let Some(g) = money
            {
                r.rule = shown(explain, || {
                    format!(
                        "ambiguous alias \"{}\" confirmed by the money word \"{}\" next to it (a company)",
                        m.matched,
                        g.phrase_text(&self.lexicons)
                    )
                });
                r.accepted = true;
                r.confirmable = false;
                continue;
            }
            if let Some(h) = confirming {
                r.rule = shown(explain, || {
                    let phrase = h.phrase_text(&self.lexicons);
                    format!(
                        "ambiguous alias \"{}\" confirmed by the {} phrase \"{}\" next to it",
                        m.matched,
                        if h.cue == Cue::Recovery {
                            "recovery"
                        } else {
                            "complaint"
                        },
                        phrase
                    )
                });
                r.accepted = true;
                r.confirmable = false;
            }
        }
    }

    /// A telecom's service is the connection: when a post names a telecom, a connectivity
    /// topic word with a negation word of the post's language or English next to it ("tim
    /// senza linea", "Vodafone sem net", "freebox plus de tv ni de net", "kein Internet",
    /// "न कॉल न इंटरनेट") is a connectivity failure of that telecom, like a symptom phrase. For
    /// any other platform the same words are the author's own connection and say nothing.
    fn telecom_without_service(
        &self,
        own: Option<usize>,
        folded: &str,
        tokens: &[Token],
        resolved: &[Resolved],
        hits: &mut Vec<Hit>,
        explain: bool,
    ) {
        let telecom = resolved.iter().any(|r| {
            (r.accepted || r.confirmable)
                && self.catalog.get(r.mention.platform).category == "telecom"
        });
        if !telecom {
            return;
        }
        let inside_name = |h: &Hit| {
            resolved
                .iter()
                .any(|r| r.mention.first <= h.last && h.first <= r.mention.last)
        };
        let negation_lexicons = [own, self.english];
        // "Türk Telekom değil, wifi de denedim": a copula's negation says what the fault is
        // not, it takes nothing away.
        let copula_before = |h: &Hit| {
            (h.first as usize)
                .checked_sub(1)
                .and_then(|t| tokens.get(t))
                .is_some_and(|t| {
                    let word = t.text(folded);
                    self.rule_words.copula_negations.iter().any(|w| w == word)
                })
        };
        let mut found = Vec::new();
        for h in hits.iter() {
            if h.cue != Cue::Topic(Symptom::Connectivity) || inside_name(h) || copula_before(h) {
                continue;
            }
            let negated = negation_lexicons.iter().flatten().any(|&l| {
                self.negation
                    .near(l, folded, tokens, h.first as usize, h.last as usize)
            });
            if negated {
                found.push(Hit {
                    cue: Cue::Symptom(Symptom::Connectivity),
                    phrase: u32::MAX,
                    negated_verb: Some(shown(explain, || {
                        let words: Vec<&str> = (h.first..=h.last)
                            .map(|t| tokens[t as usize].text(folded))
                            .collect();
                        format!("no {} (a telecom's own service)", words.join(" "))
                    })),
                    hashtag: None,
                    vetoed_by: None,
                    own_device_only: false,
                    names_subject: false,
                    denied: false,
                    bound: PlatformList::default(),
                    binding: None,
                    ..*h
                });
            }
        }
        hits.extend(found);
    }

    /// Finds every lexicon phrase (and hashtag suffix) in the post, splitting guards from cues.
    #[allow(clippy::too_many_arguments)]
    fn find_hits(
        &self,
        (lang, own): (&LanguageDecision, Option<usize>),
        folded: &str,
        tokens: &[Token],
        resolved: &[Resolved],
        streams: StreamScratch<'_>,
        (hits, guards): (&mut Vec<Hit>, &mut Vec<Hit>),
        explain: bool,
    ) {
        let (plain, stemmed, matches) = streams;
        // At most the two candidates of an undetermined post and English: a list on the
        // stack, not an allocation per post.
        let mut lexicons_to_run = [0usize; 3];
        let mut count = 0;
        let mut add = |li: usize| {
            if count < lexicons_to_run.len() && !lexicons_to_run[..count].contains(&li) {
                lexicons_to_run[count] = li;
                count += 1;
            }
        };
        match own {
            Some(i) => add(i),
            // Undetermined: the languages with some evidence (cheap), not all of them.
            None if lang.lang == "und" => lang
                .candidates
                .iter()
                .filter_map(|c| self.lexicons.iter().position(|l| &l.code == c))
                .for_each(&mut add),
            None => {}
        }
        if let Some(en) = self.english {
            add(en);
        }
        let run = &lexicons_to_run[..count];
        matches.clear();
        for &li in run {
            let lex = &self.lexicons[li];
            if lex.needs_own_stream() {
                crate::lexicon::build_lexicon_stream(folded, tokens, lex, stemmed);
                lex.find(stemmed, matches, li as u32);
            } else {
                lex.find(plain, matches, li as u32);
            }
        }
        for &(li, m) in matches.iter() {
            let cue = self.lexicons[li as usize].phrases[m.phrase as usize].cue;
            // The streams join the tokens of the whole post: a phrase never spans a sentence
            // end ("pantalla negra y ya. esta caido" holds no "ya está").
            let sentence = |t: u32| tokens.get(t as usize).map(|tok| tok.sentence);
            if sentence(m.first) != sentence(m.last) {
                continue;
            }
            // A one-word phrase reached through the stemmer from a word the lexicon lists as
            // `unstemmed` is that other word: "para clientes" (for customers) is not "parou".
            let lexicon = &self.lexicons[li as usize];
            if m.first == m.last
                && !lexicon.unstemmed.is_empty()
                && let Some(word) = tokens.get(m.first as usize).map(|t| t.text(folded))
                && lexicon.unstemmed.contains(word)
                && crate::text::fold(&lexicon.phrases[m.phrase as usize].text) != word
            {
                continue;
            }
            // A cue of the English fallback made only of the post language's own frequent
            // words is those words: the German article "die" is not the English "died".
            if let Some(own) = own
                && li as usize != own
                && !matches!(cue, Cue::Guard(_))
                && (m.first..=m.last).all(|t| {
                    tokens
                        .get(t as usize)
                        .is_some_and(|tok| self.detector.is_common_in(tok.text(folded), own))
                })
            {
                continue;
            }
            let hit = Hit {
                lexicon: li as u16,
                phrase: m.phrase,
                cue,
                first: m.first,
                last: m.last,
                hashtag: None,
                negated_verb: None,
                vetoed_by: None,
                own_device_only: false,
                names_subject: false,
                denied: false,
                bound: PlatformList::default(),
                binding: None,
            };
            if matches!(cue, Cue::Guard(_)) {
                guards.push(hit)
            } else {
                hits.push(hit)
            }
        }
        // A negated function verb is an outage cue even with words between them ("geht
        // Instagram bei euch nicht", "no me lo carga"): the phrase banks match adjacent words
        // only. It covers the verb's token, so that a topic word next to it still counts.
        // English verbs only for English or undetermined posts: the post's own lexicon
        // carries its code-switched verbs ("load nahi ho raha"), and one lookup per token
        // per lexicon is the cost of this rule.
        let mut verbs = Vec::new();
        let verb_lexicons = run
            .iter()
            .filter(|&&li| own.is_none() || own == Some(li) || Some(li) != self.english);
        for &li in verb_lexicons {
            verbs.clear();
            self.negation.negated_verbs(li, folded, tokens, &mut verbs);
            for v in &verbs {
                if v.needs_object && !negation::receives_topic(v, tokens, hits) {
                    continue;
                }
                let text = shown(explain, || {
                    let word = |t: u32| tokens[t as usize].text(folded);
                    let (neg_first, neg_last) = v.negation;
                    let negation = (neg_first..=neg_last)
                        .map(word)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if neg_first > v.verb {
                        format!("{} … {}", word(v.verb), negation)
                    } else {
                        format!("{} … {}", negation, word(v.verb))
                    }
                });
                // "Spotify stürzt bei jedem Start ab": a separable verb of crashing names
                // the crash besides being an outage cue (which lets a topic of its clause
                // name its kind as well: "stürzt beim Beitreten zur Besprechung ab").
                let crashes = precedence::is_separable_crash(v, folded, tokens, &self.rule_words);
                // A negation word right before the verb is part of the cue, so that a recovery
                // phrase starting at the verb does not win over it: "sin funcionar otra vez"
                // is no "funcionar otra vez" (works again).
                let first = if v.negation.1 + 1 == v.verb {
                    v.negation.0
                } else {
                    v.verb
                };
                let hit = Hit {
                    lexicon: li as u16,
                    phrase: u32::MAX,
                    cue: Cue::Outage,
                    first,
                    last: v.verb,
                    hashtag: None,
                    negated_verb: Some(text),
                    vetoed_by: None,
                    own_device_only: false,
                    names_subject: false,
                    denied: false,
                    bound: PlatformList::default(),
                    binding: None,
                };
                if crashes {
                    hits.push(Hit {
                        cue: Cue::Symptom(Symptom::Crash),
                        ..hit.clone()
                    });
                }
                hits.push(hit);
            }
        }
        for r in resolved
            .iter()
            .filter(|r| r.accepted && r.mention.kind == MentionKind::Hashtag)
        {
            let rest = r.mention.hashtag_rest.as_str();
            let tag = r.mention.matched.as_str();
            // "#whatsappdown" (name + suffix), or a catalog hashtag that itself carries the
            // problem word ("#caiuozap", "#instagramdown").
            let says = |suffixes: &[String]| {
                if rest.is_empty() {
                    suffixes.iter().any(|x| {
                        tag.len() > x.len()
                            && (tag.ends_with(x.as_str()) || tag.starts_with(x.as_str()))
                    })
                } else {
                    suffixes.iter().any(|x| x == rest)
                }
            };
            for &li in run {
                let lex = &self.lexicons[li];
                let cue = if says(&lex.complaint_hashtag_suffixes) {
                    Cue::Outage
                } else if says(&lex.recovery_hashtag_suffixes) {
                    Cue::Recovery
                } else {
                    continue;
                };
                hits.push(Hit {
                    lexicon: li as u16,
                    phrase: u32::MAX,
                    cue,
                    first: r.mention.first,
                    last: r.mention.last,
                    hashtag: Some(format!("#{}{}", r.mention.matched, rest)),
                    negated_verb: None,
                    vetoed_by: None,
                    own_device_only: false,
                    names_subject: false,
                    denied: false,
                    bound: PlatformList::of(r.mention.platform),
                    binding: Some("hashtag names the platform and the problem"),
                });
                break;
            }
        }
        if let (Some(bare), Some(&li)) = (bare_name_post(folded, tokens, resolved), run.first()) {
            hits.push(Hit {
                lexicon: li as u16,
                phrase: u32::MAX,
                cue: Cue::Outage,
                first: bare.first,
                last: bare.last,
                hashtag: Some(folded.trim().to_string()),
                negated_verb: None,
                vetoed_by: None,
                own_device_only: false,
                names_subject: false,
                denied: false,
                bound: PlatformList::of(bare.platform),
                binding: Some(BARE_NAME_POST),
            });
        }
    }

    /// A partial recovery: after a recovery phrase bound to a platform, a `current` word
    /// ("still", "toujours", "nog steeds", "nadal", "لسه") with a negation word or a complaint
    /// cue right after it says that a part is still broken ("insta remarche mais toujours pas
    /// moyen d'envoyer un DM", "odido netwerk is terug, maar bellen gaat nog steeds niet",
    /// "الواتساب رجع للرسائل بس الصور لسه مش بتنزل"): a complaint about the recovered platform
    /// as well, when the clause names the part (a symptom topic word). Returns the recovery
    /// hit's index.
    fn still_broken_after_recovery(
        &self,
        own_lexicon: Option<usize>,
        folded: &str,
        tokens: &[Token],
        (hits, guards): (&[Hit], &[Hit]),
    ) -> Option<usize> {
        const REACH: u32 = 3;
        let back = hits
            .iter()
            .position(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none() && !h.bound.is_empty())?;
        let after = hits[back].last;
        let negation_lexicons = [own_lexicon, self.english];
        let still_broken = guards.iter().any(|g| {
            if !g.cue.says_now() || g.first <= after {
                return false;
            }
            let clause = tokens[g.last as usize].clause;
            // The part still broken is named ("DM", "bellen", "sms-y"): "netflix is back,
            // still not sure what happened" names none.
            let names_part = hits.iter().any(|h| {
                matches!(h.cue, Cue::Topic(_))
                    && h.first > after
                    && tokens[h.first as usize].clause == clause
            });
            if !names_part {
                return false;
            }
            // The part is set against what came back by a contrast word: "web.de Login klappt
            // wieder, aber Mails kommen immer noch mit Stunden Verspätung an", "WhatsApp
            // düzeldi ama fotoğraflar hâlâ inmiyor" (a failure said without a negation word
            // this rule reads, or with none at all).
            if (after + 1..g.first).any(|at| {
                let word = tokens[at as usize].text(folded);
                self.rule_words.contrast.iter().any(|w| w == word)
            }) {
                return true;
            }
            let in_reach = |at: u32| {
                at > g.last
                    && at <= g.last + REACH
                    && tokens.get(at as usize).is_some_and(|t| t.clause == clause)
            };
            (g.last + 1..=g.last + REACH).any(|at| {
                in_reach(at)
                    && negation_lexicons
                        .iter()
                        .flatten()
                        .any(|&l| self.negation.word_at(l, folded, tokens, at as usize))
            }) || hits.iter().any(|h| {
                h.cue.is_complaint()
                    && h.cue != Cue::Recovery
                    && (h.first == g.last + 1 || in_reach(h.first))
            })
        });
        still_broken.then_some(back)
    }

    /// Ties each surviving cue to the platform(s) it is about (the proximity rule).
    fn bind(
        &self,
        folded: &str,
        tokens: &[Token],
        resolved: &[Resolved],
        (hits, guards): (&mut [Hit], &[Hit]),
    ) {
        let accepted: Vec<&Mention> = resolved
            .iter()
            .filter(|r| r.accepted)
            .map(|r| &r.mention)
            .collect();
        if accepted.is_empty() {
            return;
        }
        // How many words besides platform names each mention's clause has.
        let clause_words = |m: &Mention| -> usize {
            let c = tokens[m.first as usize].clause;
            tokens
                .iter()
                .enumerate()
                .filter(|(i, t)| {
                    t.clause == c
                        && !accepted
                            .iter()
                            .any(|a| a.first as usize <= *i && *i <= a.last as usize)
                })
                .count()
        };
        // Whether a mention's clause is the name and a function verb that says it works
        // ("Steam geht, aber…", "Gmail anda, Drive anda, pero…").
        let says_it_works = |m: &Mention| -> bool {
            let c = tokens[m.first as usize].clause;
            let s = tokens[m.first as usize].sentence;
            tokens.iter().enumerate().any(|(i, t)| {
                (t.sentence, t.clause) == (s, c)
                    && !(m.first as usize..=m.last as usize).contains(&i)
                    && self.negation.is_function_verb(t.text(folded))
            })
        };
        let recovered = hits
            .iter()
            .any(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none());
        // The one telecom of a post that says something works again, when no name needed
        // context: its service is the connection, so the connection is its own.
        let sole_telecom = (recovered
            && resolved
                .iter()
                .filter(|r| r.accepted)
                .all(|r| r.mention.platform == accepted[0].platform && !r.ambiguous))
        .then_some(accepted[0])
        .filter(|m| self.catalog.get(m.platform).category == "telecom");
        let connection_clauses: Vec<_> = match sole_telecom {
            Some(_) => hits
                .iter()
                .filter(|h| {
                    h.vetoed_by.is_none()
                        && matches!(
                            h.cue,
                            Cue::Topic(Symptom::Connectivity) | Cue::Symptom(Symptom::Connectivity)
                        )
                })
                .map(|h| tokens[h.first as usize].clause)
                .collect(),
            None => Vec::new(),
        };
        // Where the first live recovery phrase ends: a complaint after it whose clause says
        // "again" tells a relapse (`RELAPSE`).
        let recovery_end = hits
            .iter()
            .filter(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none())
            .map(|h| h.last)
            .min();
        let one_platform_in_post = accepted.iter().all(|m| m.platform == accepted[0].platform);
        // The clauses where a live recovery phrase says, not asks, that a service came back:
        // the name there is no bare subject for a later sentence, which tells the outage that
        // ended ("Госуслуги ожили! с утра выдавали ошибку"), where "X is back? still nothing"
        // asks on.
        let said_back: Vec<(u16, u16)> = hits
            .iter()
            .filter(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none())
            .map(|h| &tokens[h.first as usize])
            .filter(|t| !sentence_asks(folded, tokens, t.sentence))
            .map(|t| (t.sentence, t.clause))
            .collect();
        for h in hits.iter_mut() {
            if h.binding.is_some() || h.cue.says_now() || matches!(h.cue, Cue::Topic(_)) {
                continue;
            }
            let clause = tokens[h.first as usize].clause;
            let proximity = self
                .lexicons
                .get(h.lexicon as usize)
                .map(|l| l.proximity as u32)
                .unwrap_or(8);
            let distance = |m: &Mention| -> u32 {
                if m.last < h.first {
                    h.first - m.last - 1
                } else if m.first > h.last {
                    m.first - h.last - 1
                } else {
                    0
                }
            };
            // Walked twice rather than collected: this runs for every cue of every post.
            let same_clause = || {
                accepted.iter().filter(|m| {
                    tokens[m.first as usize].clause == clause && distance(m) <= proximity
                })
            };
            if let Some(nearest) = same_clause().min_by_key(|m| (distance(m), m.first > h.last)) {
                let d = distance(nearest);
                h.bound.push(nearest.platform);
                // Coordinated names share the cue: "whatsapp and instagram are down".
                for m in same_clause() {
                    if m.platform != nearest.platform
                        && (distance(m) == d
                            || coordinated(
                                folded,
                                tokens,
                                &self.conjunctions,
                                &accepted,
                                nearest,
                                m,
                            ))
                    {
                        h.bound.push(m.platform);
                    }
                }
                // Names listed before it in the same sentence share it too:
                // "whatsapp, instagram and facebook all down"; not a name whose clause says
                // it works ("Insta działa, a WhatsApp nie wysyła nic", "Facebook werkt, maar
                // Messenger stuurt niks door").
                let sentence = tokens[h.first as usize].sentence;
                for m in accepted.iter() {
                    if m.last < h.first
                        && tokens[m.first as usize].sentence == sentence
                        && clause_words(m) <= BARE_CLAUSE_WORDS
                        && !says_it_works(m)
                    {
                        h.bound.push(m.platform);
                    }
                }
                h.binding = Some("platform named in the same clause, within the proximity window");
                continue;
            }
            // A relapse: the one platform of the post came back, then failed again ("LINE直った？
            // …と思ったらまた送れない", "Akbank düzeldi mi? yok yine gitti", "رجع نت stc؟ لا والله
            // طاح مرة ثانية"). A complaint phrase, weak or not, in a later clause than the
            // recovery, with an "again" word (`guards.again`) after the recovery in its own
            // clause, is about that platform; the recovery it undoes is vetoed below. A word
            // that only says "now" is not enough: "Госуслуги ожили! с утра выдавали 'сервис
            // недоступен'" tells the outage that ended.
            if one_platform_in_post
                && h.cue.is_complaint()
                && h.vetoed_by.is_none()
                && let Some(end) = recovery_end.filter(|&end| end < h.first)
                && {
                    let at = &tokens[h.first as usize];
                    let after = &tokens[end as usize];
                    (after.sentence, after.clause) != (at.sentence, at.clause)
                        && guards.iter().any(|g| {
                            let gt = &tokens[g.first as usize];
                            g.cue == Cue::Guard(Guard::Again)
                                && g.first > end
                                && (gt.sentence, gt.clause) == (at.sentence, at.clause)
                        })
                }
                && let Some(m) = accepted
                    .iter()
                    .filter(|m| m.last < h.first)
                    .max_by_key(|m| m.last)
            {
                h.bound.push(m.platform);
                h.binding = Some(RELAPSE);
                continue;
            }
            // A clause that is little more than platform names sets the subject of the post:
            // "WhatsApp? messages stuck", "#instagram won't load".
            let bound_before = h.bound.len();
            let first = h.first;
            let came_back = |m: &Mention| {
                let at = &tokens[m.first as usize];
                at.sentence < tokens[first as usize].sentence
                    && said_back.contains(&(at.sentence, at.clause))
            };
            h.bound.extend(
                accepted
                    .iter()
                    .filter(|m| {
                        m.kind == MentionKind::Handle
                            || m.kind == MentionKind::Hashtag
                            || m.last < first
                                && clause_words(m) <= BARE_CLAUSE_WORDS
                                && !says_it_works(m)
                                && !came_back(m)
                    })
                    .map(|m| m.platform),
            );
            if h.bound.len() > bound_before {
                h.binding = Some(
                    "platform named on its own (bare clause, @handle or #hashtag) as the subject of the post",
                );
                continue;
            }
            // The one platform named earlier in the same sentence is the subject of a later
            // clause: "vodafone signal gone in manchester, no data since lunchtime". A platform
            // named after the problem is not ("the mall is down, posting on instagram").
            let sentence = tokens[h.first as usize].sentence;
            let in_sentence = || {
                accepted
                    .iter()
                    .filter(|m| tokens[m.first as usize].sentence == sentence)
            };
            let one_platform = in_sentence()
                .next()
                .is_some_and(|a| in_sentence().all(|m| m.platform == a.platform));
            if one_platform
                && let Some(m) = in_sentence()
                    .filter(|m| m.last < h.first && distance(m) <= 2 * proximity)
                    .max_by_key(|m| m.last)
            {
                h.bound.push(m.platform);
                h.binding = Some("the only platform of the sentence, named before the problem");
                continue;
            }
            // A clause that ends with a colon announces what follows, whatever else it says:
            // "ontem foi o itaú, hoje é o bradesco: cartão recusado em tudo quanto é loja".
            // Its one platform is the subject of a plain complaint in the next clause.
            if clause > 0 && h.cue.is_complaint() && h.cue != Cue::Weak {
                let intro = clause - 1;
                let mut in_intro = accepted.iter().filter(|m| {
                    let t = &tokens[m.first as usize];
                    t.clause == intro && t.sentence == sentence
                });
                if let Some(first) = in_intro.next()
                    && in_intro.all(|m| m.platform == first.platform)
                    && let Some(end) = tokens[..h.first as usize]
                        .iter()
                        .rposition(|t| t.clause == intro)
                    && tokens.get(end + 1).is_some_and(|next| {
                        next.clause == clause
                            && folded[tokens[end].end as usize..next.start as usize].contains(':')
                    })
                {
                    h.bound.push(first.platform);
                    h.binding = Some("the platform of the clause before a colon");
                    continue;
                }
            }
            // The one platform of the post, named in the sentence just before, is the subject
            // of a plain complaint in the next: "Geht PayPal grad bei irgendwem? Zahlung wird
            // immer abgelehnt", "ドコモ圏外になってる、大阪市内で電波なし。通信障害？". Not a
            // weak word ("valorant'a var mısın? down değilim"), not a name that needed context
            // to be one ("the discord between the teams... total crash"), and not after a
            // recovery, whose next sentence tells the outage that ended ("Movistar ya lo
            // arregló. 6 horas sin fibra"), nor when a guard in the platform's sentence says
            // what the post is about ("netflix baja de precio en argentina? alguien sabe").
            // The author's own device explains nothing away for a telecom ("ドコモ圏外").
            let explained = |m: &Mention| {
                let at = tokens[m.first as usize].sentence;
                let telecom = self.catalog.get(m.platform).category == "telecom";
                guards.iter().any(|g| {
                    tokens[g.first as usize].sentence == at
                        && match g.cue {
                            Cue::Guard(Guard::OwnDevice) => !telecom,
                            Cue::Guard(kind) => matches!(
                                kind,
                                Guard::Finance
                                    | Guard::NotOutage
                                    | Guard::NotNow
                                    | Guard::Header
                                    | Guard::Fiction
                                    | Guard::Negation
                                    | Guard::Past
                            ),
                            _ => false,
                        }
                })
            };
            if one_platform_in_post
                && sentence > 0
                && !recovered
                && h.cue.is_complaint()
                && h.cue != Cue::Weak
                && let Some(m) = resolved
                    .iter()
                    .filter(|r| {
                        r.accepted
                            && !r.ambiguous
                            && tokens[r.mention.first as usize].sentence + 1 == sentence
                            && !explained(&r.mention)
                    })
                    .map(|r| &r.mention)
                    .max_by_key(|m| m.last)
            {
                h.bound.push(m.platform);
                h.binding = Some("the only platform of the post, named in the sentence before");
                continue;
            }
            // A telecom thanked after the connection it serves came back: "Internet ist wieder
            // da. Vodafone hat 5h gebraucht", "internet is terug, KPN heeft het gefixt", "النت
            // رجع عندنا، شكرا stc". Only a recovery in a clause that speaks of the connection
            // (a connectivity topic or symptom), and only up to the next sentence. Not a
            // complaint: the telecom named after a lost connection is often the one that
            // still works ("wifi is down, on my vodafone data now") or an advert ("Is your
            // internet down again? Switch to Spectrum").
            if let Some(m) = sole_telecom
                && h.cue == Cue::Recovery
                && connection_clauses.contains(&clause)
                && m.first > h.last
                && tokens[m.first as usize].sentence <= sentence + 1
            {
                h.bound.push(m.platform);
                h.binding = Some(
                    "the only platform of the post is a telecom, named after its connection came back",
                );
            }
        }
        // The recovery a relapse undoes, in an earlier sentence, is no recovery: "LINE直った？
        // …と思ったらまた送れない" failed again. In the same sentence the recovery holds for
        // the rest of the service: "WhatsApp läuft wieder, aber Bilder laden immer noch nicht".
        if let Some(relapse) = hits
            .iter()
            .filter(|h| h.binding == Some(RELAPSE))
            .map(|h| h.first)
            .min()
        {
            let relapse_sentence = tokens[relapse as usize].sentence;
            for h in hits.iter_mut().filter(|h| {
                h.cue == Cue::Recovery
                    && h.vetoed_by.is_none()
                    && h.last < relapse
                    && tokens[h.last as usize].sentence != relapse_sentence
            }) {
                h.vetoed_by = Some(RELAPSED.into());
            }
        }
        // Names joined by "and"/"y"/a comma to a bound name share the cue:
        // "se cayó whatsapp, instagram y facebook".
        for h in hits
            .iter_mut()
            .filter(|h| !h.bound.is_empty() && h.hashtag.is_none())
        {
            for _ in 0..4 {
                let mut grew = false;
                for m in &accepted {
                    if h.bound.contains(&m.platform) {
                        continue;
                    }
                    let joined = accepted.iter().any(|b| {
                        h.bound.contains(&b.platform)
                            && tokens[b.first as usize].sentence
                                == tokens[m.first as usize].sentence
                            && joined_by_conjunction(folded, tokens, &self.conjunctions, b, m)
                    });
                    if joined {
                        h.bound.push(m.platform);
                        grew = true;
                    }
                }
                if !grew {
                    break;
                }
            }
        }
    }
}

/// Whether mentions `a` and `b` are joined only by conjunctions and other platform names
/// ("whatsapp, instagram and facebook").
fn coordinated(
    folded: &str,
    tokens: &[Token],
    conjunctions: &rustc_hash::FxHashSet<String>,
    accepted: &[&Mention],
    a: &Mention,
    b: &Mention,
) -> bool {
    let (lo, hi) = tokens_between(a, b);
    if lo >= hi {
        return glued_conjunction(a, b);
    }
    (lo..hi).all(|t| {
        accepted.iter().any(|m| m.first <= t && t <= m.last)
            || tokens
                .get(t as usize)
                .is_some_and(|tok| conjunctions.contains(tok.text(folded)))
    })
}

/// The token positions `lo..hi` between two mentions, whichever comes first (empty when they
/// are adjacent).
/// The folded byte ranges of the accepted platform names of several words ("banco do
/// brasil"), where a place name is part of the platform's name.
fn names_of_several_words(resolved: &[Resolved], tokens: &[Token]) -> Vec<Range<usize>> {
    resolved
        .iter()
        .filter(|r| r.accepted && r.mention.first < r.mention.last)
        .filter_map(|r| {
            let first = tokens.get(r.mention.first as usize)?;
            let last = tokens.get(r.mention.last as usize)?;
            Some(first.start as usize..last.end as usize)
        })
        .collect()
}

/// Whether `matched`, a slice of `text`, lies inside one of `names` (folded byte ranges of
/// [`crate::text::fold`] of `text`).
fn inside_a_name(text: &str, matched: &str, names: &[Range<usize>]) -> bool {
    if names.is_empty() {
        return false;
    }
    let Some(start) = (matched.as_ptr() as usize).checked_sub(text.as_ptr() as usize) else {
        return false;
    };
    let Some(before) = text.get(..start) else {
        return false;
    };
    if start + matched.len() > text.len() {
        return false;
    }
    let folded_start = crate::text::fold(before).len();
    let folded_end = folded_start + crate::text::fold(matched).len();
    names
        .iter()
        .any(|name| name.start <= folded_start && folded_end <= name.end)
}

fn tokens_between(a: &Mention, b: &Mention) -> (u32, u32) {
    if a.last < b.first {
        (a.last + 1, b.first)
    } else {
        (b.last + 1, a.first)
    }
}

/// Whether the later of two adjacent mentions carries an "and" prefix ("واتساب وانستا").
fn glued_conjunction(a: &Mention, b: &Mention) -> bool {
    let later = if a.first > b.first { a } else { b };
    later.affix.as_ref().is_some_and(|x| x.joins_previous)
}

/// Whether a context or exclude phrase belongs to the ambiguous alias it is judged for: a
/// platform's phrases are found together, but each is written under one alias (the "app" that
/// makes "sora" OpenAI's says nothing about the Italian "dalle"). Without an entry for the
/// alias, every phrase of its platform counts.
fn written_under(
    ambiguity: Option<&crate::catalog::Ambiguity>,
    c: &crate::catalog::ContextMatch,
) -> bool {
    ambiguity.is_none_or(|a| {
        if c.excludes {
            a.exclude.contains(&c.phrase)
        } else {
            a.context.contains(&c.phrase)
        }
    })
}

/// Whether two mentions are joined by a conjunction or a comma only ("whatsapp and signal",
/// "whatsapp, signal", "واتساب وانستا"), not merely adjacent ("reddit threads").
fn joined_by_conjunction(
    folded: &str,
    tokens: &[Token],
    conjunctions: &rustc_hash::FxHashSet<String>,
    a: &Mention,
    b: &Mention,
) -> bool {
    let (lo, hi) = tokens_between(a, b);
    if lo >= hi {
        // Adjacent: joined only by an "and" prefix or a comma (a clause break) between them.
        return glued_conjunction(a, b)
            || tokens
                .get(lo as usize)
                .zip(tokens.get(lo.saturating_sub(1) as usize))
                .is_some_and(|(x, y)| x.clause != y.clause);
    }
    (lo..hi).all(|t| {
        tokens
            .get(t as usize)
            .is_some_and(|tok| conjunctions.contains(tok.text(folded)))
    })
}

/// Whether a finance guard is only the percent sign of a progress figure ("stuck at 0%",
/// "%0'da takılıyor", "99%"), an upload or update that does not move, or the currency sign of
/// a zero amount ("balance shows $0"), not a share price. A figure stopped "at" a point
/// (`progress_prepositions` and `progress_endings` in `data/rule_words.toml`: "stuck at 47%",
/// "hängt bei 45%", "зависла на 45%", "%50'de takılıyor") is progress too.
fn is_progress(folded: &str, tokens: &[Token], guard: &Hit, words: &rule_words::RuleWords) -> bool {
    let at = guard.first as usize;
    let is_percent = |i: usize| tokens.get(i).is_some_and(|t| t.text(folded) == "%");
    let is_progress_number = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| matches!(t.text(folded), "0" | "99" | "100"))
    };
    // A zero amount is an empty balance or a failed charge, not a price: "my balance shows
    // $0", "saldo R$ 0,00".
    let is_currency = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| matches!(t.text(folded), "$" | "€" | "£" | "¥" | "₹" | "₺" | "₽"))
    };
    let is_zero_amount = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            let text = t.text(folded);
            text.starts_with('0') && text.chars().all(|c| matches!(c, '0' | '.' | ','))
        })
    };
    // Any figure "at" a percentage is where a progress bar stopped: "stuck at 47%", "bleibt
    // bei 45%", "stoi na 45%", "se queda en 45%", Turkish "%50'de takılıyor" (the locative
    // ending after the number).
    let is_number = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.text(folded).chars().all(|c| c.is_ascii_digit()))
    };
    let word_is = |i: usize, list: &[String]| {
        tokens
            .get(i)
            .is_some_and(|t| list.iter().any(|w| w == t.text(folded)))
    };
    let stopped_at = |number: usize, before: Option<usize>, after: usize| {
        is_number(number)
            && (before.is_some_and(|b| word_is(b, &words.progress_prepositions))
                || word_is(after, &words.progress_endings))
    };
    guard.first == guard.last
        && (is_percent(at)
            && (at > 0 && is_progress_number(at - 1)
                || is_progress_number(at + 1)
                || at > 0 && stopped_at(at - 1, at.checked_sub(2), at + 1)
                || stopped_at(at + 1, None, at + 2))
            || is_currency(at) && (at > 0 && is_zero_amount(at - 1) || is_zero_amount(at + 1)))
}

/// The binding of the cue a bare name post makes (`bare_name_post`).
pub(crate) const BARE_NAME_POST: &str =
    "the post is a platform's name and question marks or emoji of distress only";

/// Emoji of distress that, after a platform's name and nothing else, say it is broken
/// ("yt 💀💀", "discord 💀", "wsp??? 😭"). Hearts and laughter do not ("instagram ❤️").
const DISTRESS_EMOJI: &[char] = &[
    '💀', '😭', '😩', '😫', '😤', '😡', '🤬', '🙄', '😢', '😞', '😒', '🥲', '🆘', '😵', '🫠',
];

/// A post that is nothing but one platform's name and question marks or emoji of distress
/// ("insta??", "spotify?", "yt 💀💀", "wsp??? 😭"): the name asked about or mourned alone is
/// a report that it is down (every such post of the labelled sets is a complaint). A name
/// alone ("fb") or with other emoji ("netflix 🍿") is not. Returns the mention.
fn bare_name_post<'a>(
    folded: &str,
    tokens: &[Token],
    resolved: &'a [Resolved],
) -> Option<&'a Mention> {
    let mut named = resolved
        .iter()
        .filter(|r| (r.accepted || r.confirmable) && r.mention.kind == MentionKind::Alias);
    let first = &named.next()?.mention;
    if named.any(|r| r.mention.platform != first.platform) {
        return None;
    }
    let mut distress = false;
    for (i, t) in tokens.iter().enumerate() {
        let i = i as u32;
        if resolved.iter().any(|r| {
            r.mention.platform == first.platform && r.mention.first <= i && i <= r.mention.last
        }) {
            continue;
        }
        if t.kind != crate::lexicon::tokens::TokenKind::Emoji {
            return None;
        }
        if !t.text(folded).chars().any(|c| DISTRESS_EMOJI.contains(&c)) {
            return None;
        }
        distress = true;
    }
    (distress || folded.contains('?') || folded.contains('？')).then_some(first)
}

/// Whether a sentence ends with a question mark (`?`, `？`, `؟`).
fn sentence_asks(folded: &str, tokens: &[Token], sentence: u16) -> bool {
    let Some(last) = tokens.iter().rposition(|t| t.sentence == sentence) else {
        return false;
    };
    let end = tokens
        .get(last + 1)
        .map_or(folded.len(), |next| next.start as usize);
    folded
        .get(tokens[last].end as usize..end)
        .is_some_and(|gap| gap.contains(['?', '？', '؟']))
}

/// Where a question somebody else asked ends, when `folded` opens with one, so that an answer
/// may follow: the quote mark closing a quotation ("\"is twitter down??\" no babe", "«вк
/// лёг?» нет", "「LINE落ちた？」", "'ist web.de down?' nein"), or the line break after a first
/// line that is a dialogue turn or a quoted line asking something ("— у вас тоже ютуб не
/// работает?\n— нет", "> instagram çöktü mü??\nhayır", "- هو الانستا واقع؟\n- لا").
fn opening_quote_end(folded: &str) -> Option<usize> {
    let text = folded.trim_start();
    let offset = folded.len() - text.len();
    let mut chars = text.char_indices();
    let (_, open) = chars.next()?;
    let closers: &[char] = match open {
        // Marks turned round open a quotation too at the start of a post ("”…”", "»…«").
        '”' => &['"', '“', '”'],
        '»' => &['«'],
        // A single quote mark closes the quotation only right after the question it quotes
        // ("'Is Tinder down?' nee schat"): the same mark is the apostrophe inside words
        // ("'isn't X down?' no").
        '\'' | '‘' | '’' => {
            let mut previous = open;
            return chars
                .find(|&(_, c)| {
                    let closes = matches!(c, '\'' | '’') && QUESTION_MARKS.contains(&previous);
                    previous = c;
                    closes
                })
                .map(|(at, _)| offset + at);
        }
        // A dialogue turn or a quoted line, asking something, then the next line.
        '-' | '–' | '—' | '>' => {
            let line_end = text.find('\n')?;
            return text[..line_end]
                .contains(QUESTION_MARKS)
                .then_some(offset + line_end);
        }
        other => quoted::closing_quote_marks(other)?,
    };
    chars
        .find(|(_, c)| closers.contains(c))
        .map(|(at, _)| offset + at)
}

/// Question marks of the scripts outcry reads (Latin, full-width, Arabic).
const QUESTION_MARKS: &[char] = &['?', '？', '؟'];

/// An emoji may strengthen a complaint but never make one: "I love it 😭" is no complaint.
/// Complaint phrases made only of emoji are vetoed when no other complaint phrase survived.
fn veto_emoji_alone(tokens: &[Token], hits: &mut [Hit]) {
    let emoji_only = |h: &Hit| {
        h.hashtag.is_none()
            && (h.first..=h.last).all(|t| {
                tokens
                    .get(t as usize)
                    .is_some_and(|tok| tok.kind == crate::lexicon::tokens::TokenKind::Emoji)
            })
    };
    let other_complaint = hits
        .iter()
        .any(|h| h.vetoed_by.is_none() && h.cue.is_complaint() && !emoji_only(h));
    if other_complaint {
        return;
    }
    for h in hits
        .iter_mut()
        .filter(|h| h.vetoed_by.is_none() && h.cue.is_complaint())
    {
        if emoji_only(h) {
            h.vetoed_by =
                Some("emoji alone: an emoji may strengthen a complaint, never make one".into());
        }
    }
}

/// Whether the money talk and a complaint phrase are two coordinated statements: a
/// conjunction ("y", "and", "e") and a platform name stand between the finance guard and the
/// phrase, in either order, so the phrase has a subject of its own ("pago 15 euros al mes y
/// netflix no funciona", "spotify is down and netflix costs $20 now"). "Netflix down to $6.99",
/// "Meta shares down 3%" and "ações do nubank caíram" keep no such pair between them.
fn another_subject_between(
    (folded, tokens): (&str, &[Token]),
    (names, conjunctions): (&[Resolved], &rustc_hash::FxHashSet<String>),
    guard: &Hit,
    hit: &Hit,
) -> bool {
    let Some((before, after)) = gap_between(guard, hit) else {
        return false;
    };
    name_between(names, guard, hit)
        && (before + 1..after).any(|t| {
            tokens
                .get(t as usize)
                .is_some_and(|tok| conjunctions.contains(tok.text(folded)))
        })
}

/// Whether a platform name stands between the guard and the cue, in either order: the cue
/// then has a subject of its own ("insta works fine but whatsapp won't send anything").
fn name_between(names: &[Resolved], guard: &Hit, hit: &Hit) -> bool {
    let Some((before, after)) = gap_between(guard, hit) else {
        return false;
    };
    names.iter().any(|n| {
        (n.accepted || n.confirmable) && before < n.mention.first && n.mention.last < after
    })
}

/// The last token of the earlier of two hits and the first of the later one, in either order;
/// `None` when they overlap.
fn gap_between(guard: &Hit, hit: &Hit) -> Option<(u32, u32)> {
    if guard.last < hit.first {
        Some((guard.last, hit.first))
    } else if hit.last < guard.first {
        Some((hit.last, guard.first))
    } else {
        None
    }
}

/// How many tokens may separate a `duration` word from the complaint cue it measures ("2 hours
/// of errors", "mezz'ora di blocco": one).
const DURATION_REACH: u32 = 2;

/// Whether guard `g` opens the post: only @handles (a reply's addressees) stand before it.
fn opens_post(tokens: &[Token], g: &Hit) -> bool {
    tokens[..g.first as usize]
        .iter()
        .all(|t| t.kind == crate::lexicon::tokens::TokenKind::Handle)
}

/// Applies the guards to the cues: overlap, negation, own device, finance, not-outage, past.
fn apply_guards(
    (lexicons, rule_words): (&[Lexicon], &rule_words::RuleWords),
    own: Option<u16>,
    (folded, tokens): (&str, &[Token]),
    (hits, guards): (&mut [Hit], &[Hit]),
    (names, conjunctions): (&[Resolved], &rustc_hash::FxHashSet<String>),
    negated_guards: u64,
    explain: bool,
) {
    // A current word inside a longer past phrase is the past phrase's: "seit" in "zum ersten
    // Mal seit Jahren" measures the old story, it does not say since when something is broken.
    let current = guards.iter().any(|g| {
        g.cue.says_now()
            && !guards.iter().any(|p| {
                p.cue == Cue::Guard(Guard::Past)
                    && p.first <= g.first
                    && g.last <= p.last
                    && p.last - p.first > g.last - g.first
            })
    });
    // And a past word inside a longer current phrase is the current phrase's: "gisteravond" in
    // "sinds gisteravond", "yesterday" in "since yesterday" say since when it is broken.
    let inside_current = |p: &Hit| {
        guards.iter().any(|g| {
            g.cue.says_now()
                && g.first <= p.first
                && p.last <= g.last
                && g.last - g.first > p.last - p.first
        })
    };
    let past = guards
        .iter()
        .find(|g| g.cue == Cue::Guard(Guard::Past) && !inside_current(g));
    // Complaint and recovery phrases that overlap: the one that starts first (then the longer)
    // wins, so "not working again" stays a complaint and "back up" stays a recovery.
    let n = hits.len();
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (a, b) = (&hits[i], &hits[j]);
            let opposite = (a.cue.is_complaint() && b.cue == Cue::Recovery)
                || (a.cue == Cue::Recovery && b.cue.is_complaint());
            let overlap = a.first <= b.last && b.first <= a.last;
            if opposite && overlap && a.vetoed_by.is_none() {
                let b_wins = b.first < a.first
                    || (b.first == a.first
                        && (b.last > a.last || (b.last == a.last && b.cue.is_complaint())));
                if b_wins {
                    let text = shown(explain, || {
                        format!(
                            "overlapping {} phrase",
                            if b.cue == Cue::Recovery {
                                "recovery"
                            } else {
                                "complaint"
                            }
                        )
                    });
                    hits[i].vetoed_by = Some(text);
                }
            }
        }
    }
    // "kemarin wa down tapi sekarang udah aman": the "now" is the recovery's.
    let current =
        current && !(past.is_some() && past::says_it_works_now(hits, guards, negated_guards));
    // A symptom phrase inside a longer symptom phrase of another kind gives way to it:
    // "voice chat not working" is calls, not the messaging of "chat not working".
    for i in 0..n {
        let Cue::Symptom(kind) = hits[i].cue else {
            continue;
        };
        let inside_longer = hits.iter().enumerate().any(|(j, o)| {
            j != i
                && matches!(o.cue, Cue::Symptom(k) if k != kind)
                && o.first <= hits[i].first
                && hits[i].last <= o.last
                && (o.last - o.first) > (hits[i].last - hits[i].first)
        });
        if inside_longer {
            hits[i].cue = Cue::Outage;
        }
    }
    // Sentences that say the service works again: a `duration` word there ("hours", "uur")
    // makes the complaint cue just after it the outage that ended.
    let recovered_sentences: Vec<u16> = hits
        .iter()
        .filter(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none())
        .map(|h| tokens[h.first as usize].sentence)
        .collect();
    // Whether a complaint phrase was vetoed as told in the past ("ayer se cayó twitter").
    let mut outage_in_past = false;
    for h in hits.iter_mut() {
        if h.vetoed_by.is_some() {
            continue;
        }
        // A topic word is vetoed only by a mask over it: "cuenta" in "me di cuenta" (I
        // noticed) is no account; the other guards judge complaints, not what failed.
        let topic = matches!(h.cue, Cue::Topic(_));
        let clause = tokens[h.first as usize].clause;
        let sentence = tokens[h.first as usize].sentence;
        // Masks first: a phrase under a mask is no cue at all, whatever other guard would
        // also veto it (an own-device guard's veto is lifted for a telecom's cue; a mask's is
        // not: "router ist kaputt, vodafone kann nix dafür").
        let is_mask = |g: &&Hit| g.cue == Cue::Guard(Guard::Mask);
        let masks_first = guards
            .iter()
            .enumerate()
            .filter(|(_, g)| is_mask(g))
            .chain(guards.iter().enumerate().filter(|(_, g)| !is_mask(g)));
        for (gi, g) in masks_first {
            let Cue::Guard(kind) = g.cue else { continue };
            // The service cleared of the failure is judged clause by clause in `denial`.
            if kind.says_now()
                || kind == Guard::NotToBlame
                || kind == Guard::Finance && is_progress(folded, tokens, g, rule_words)
            {
                continue;
            }
            if gi < 64 && negated_guards & (1 << gi) != 0 {
                continue;
            }
            if kind == Guard::Past && inside_current(g) {
                continue;
            }
            // A tip's header counts only where it opens the post: "Tipp: wenn …" is advice,
            // "any tips? discord won't load" asks for some about a real problem.
            if kind == Guard::Header && !opens_post(tokens, g) {
                continue;
            }
            // A negation guard inside a mask says the author's own side is fine, not the
            // service: "card got declined but my balance is fine". A not-now guard inside a
            // mask is an idiom ("mimpi buruk", a nightmare, said of a real outage). A finance
            // guard inside a mask is another word ("share screen" is no "shares").
            if matches!(
                kind,
                Guard::Negation | Guard::NotNow | Guard::Header | Guard::Fiction | Guard::Finance
            ) && guards
                .iter()
                .any(|m| m.cue == Cue::Guard(Guard::Mask) && m.first <= g.first && g.last <= m.last)
            {
                continue;
            }
            // A guard inside a longer cue does not veto it: "não tá funcionando" is a
            // complaint although it contains the negation guard "tá funcionando".
            let inside_cue =
                h.first <= g.first && g.last <= h.last && (h.last - h.first) > (g.last - g.first);
            if inside_cue {
                continue;
            }
            let overlaps = g.first <= h.last && h.first <= g.last;
            // The English fallback's guard on a post in another known language vetoes only
            // what it overlaps: in a German post "die app" is German, not "dying app".
            let foreign = own.is_some_and(|own| g.lexicon != own && g.lexicon != h.lexicon);
            if foreign && !overlaps {
                continue;
            }
            let gclause = tokens[g.first as usize].clause;
            let gsentence = tokens[g.first as usize].sentence;
            let veto = if topic {
                overlaps && kind == Guard::Mask
            } else if h.cue == Cue::Recovery {
                (overlaps && matches!(kind, Guard::Mask))
                    || (kind == Guard::Finance && gclause == clause)
                    || (matches!(kind, Guard::NotNow | Guard::Header) && gsentence == sentence)
                    || (kind == Guard::Fiction && gsentence == sentence && g.first < h.first)
            } else {
                overlaps
                    || match kind {
                        // A dream, a story, work announced for later: nothing in the
                        // sentence happens now ("soñé que se caía whatsapp y la gente volvía
                        // a hablar", "Wartungsarbeiten am Sonntag").
                        Guard::OwnDevice | Guard::NotNow | Guard::Header => gsentence == sentence,
                        Guard::Fiction => gsentence == sentence && g.first < h.first,
                        // Not when another name stands between them: "insta works fine but
                        // whatsapp won't send" says the one is fine and the other is not.
                        Guard::Negation => gclause == clause && !name_between(names, g, h),
                        Guard::Finance => {
                            gclause == clause
                                && h.cue != Cue::Symptom(Symptom::Payments)
                                && !another_subject_between(
                                    (folded, tokens),
                                    (names, conjunctions),
                                    g,
                                    h,
                                )
                        }
                        Guard::NotOutage => gclause == clause,
                        // "voltou depois de 14 horas sem internet": the duration of the outage
                        // that a recovery in the sentence ended. Not a failure told as new
                        // ("voltou mas depois de 2 minutos caiu de novo": a current word after
                        // the duration), and a post with a past word is left to the past guard,
                        // which also judges its recovery ("Meta restores WhatsApp after
                        // yesterday's outage" is news).
                        Guard::Duration => {
                            past.is_none()
                                && gclause == clause
                                && g.last < h.first
                                && h.first - g.last - 1 <= DURATION_REACH
                                && recovered_sentences.contains(&sentence)
                                && !guards.iter().any(|c| {
                                    c.cue.says_now()
                                        && c.first > g.last
                                        && tokens[c.first as usize].clause == clause
                                })
                        }
                        _ => false,
                    }
            };
            if veto {
                h.vetoed_by = Some(shown(explain, || {
                    let phrase = g.phrase_text(lexicons);
                    let scope = if overlaps {
                        "overlapping"
                    } else if matches!(kind, Guard::OwnDevice | Guard::NotNow) {
                        "same sentence"
                    } else if kind == Guard::Fiction {
                        "earlier in the sentence"
                    } else {
                        "same clause"
                    };
                    format!("guards.{} \"{phrase}\" ({scope})", kind.as_str())
                }));
                h.own_device_only = kind == Guard::OwnDevice;
                h.names_subject = matches!(kind, Guard::Negation | Guard::Past);
                h.denied = kind == Guard::Negation;
                outage_in_past |= kind == Guard::Past && h.cue.is_complaint();
                break;
            }
        }
        // A failure said before the clause of the post's first past word is told now: the
        // past word explains it ("web.de sagt mein passwort ist falsch, hab's gestern erst
        // geändert", "beyaz ekranda kalıyor, dün güncelleme gelmişti"). Not in a post that
        // says the service works again: there the past word dates the outage that ended
        // ("Störung bei WhatsApp behoben, Ursache war ein fehlerhaftes Update").
        if h.vetoed_by.is_none()
            && h.cue.is_complaint()
            && let Some(g) = past
            && !current
            && (tokens[h.last as usize].clause >= tokens[g.first as usize].clause
                || !recovered_sentences.is_empty())
        {
            h.vetoed_by = Some(shown(explain, || {
                let phrase = g.phrase_text(lexicons);
                format!(
                    "guards.past \"{phrase}\" (the post is about the past and no guards.current phrase says now)"
                )
            }));
            h.names_subject = true;
            outage_in_past = true;
        }
    }
    if outage_in_past {
        past::veto_recovery_of_a_past_outage(lexicons, hits, guards, explain);
    }
}

#[cfg(test)]
mod bundled_tests {
    use super::*;

    #[test]
    fn builtin_loads() {
        let c = Classifier::from_files(&bundled_files()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.lexicons().len(), 14);
    }
}
