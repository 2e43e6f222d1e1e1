//! Negation words by language (`data/negation.toml`): loading and checking that file, and
//! finding a negation word next to a symptom topic word ("mensagens não vão", "keine
//! Benachrichtigungen"), so that the topic names its symptom in a complaint even when the verb
//! after "not" is in no phrase bank.
//!
//! It also finds a negation word next to one of a language's *function verbs* ("werkt",
//! "carga", "funziona": `verbs` in the file), in either order within the language's reach, so
//! that "warum geht Instagram bei euch nicht", "werkt whatsapp niet" or "no me lo carga"
//! count although the platform name or a clitic stands between the words of a phrase.
//!
//! This module only answers "is there a negation word near these tokens" and "which function
//! verbs are negated"; whether the post is a complaint and which symptoms count is decided in
//! `classify/mod.rs`. It must not read files (the text comes in as a [`DataFile`]).

use crate::data::{DataError, DataFile};
use crate::lexicon::tokens::{Token, tokenize_into};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The bundled copy of `data/negation.toml`.
pub(super) const BUNDLED: DataFile<'static> = DataFile {
    name: "data/negation.toml",
    text: include_str!("../../../data/negation.toml"),
};

/// How many tokens may separate a topic word from a negation word after it ("mensagens não
/// vão", "notifications not coming").
const REACH: usize = 2;

/// How many tokens may separate a negation word from a topic word after it: the verb that the
/// negation governs, a modal and an article stand between them ("non riesco a mandare i
/// vocali", "não consigo ver os stories", "can't send any pics").
const REACH_BEFORE: usize = 4;

/// Default for `verb_reach_before`: tokens between a negation word and the function verb after
/// it ("no me lo carga": two).
const VERB_REACH_BEFORE: usize = 2;

/// Upper bound for both verb reaches: a longer reach would tie unrelated words of a clause.
const MAX_VERB_REACH: usize = 5;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    endings: Vec<String>,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    object_verbs: Vec<String>,
    verb_reach_before: Option<usize>,
    verb_reach_after: Option<usize>,
    #[serde(default)]
    verb_barriers: Vec<String>,
    #[serde(default)]
    separable_verbs: Vec<String>,
    #[serde(default)]
    object_first: bool,
    #[serde(default)]
    infinitives: Vec<String>,
    #[serde(default)]
    wish_words: Vec<String>,
    #[serde(default)]
    conditionals: Vec<String>,
    #[serde(default)]
    conditional_exceptions: Vec<String>,
    #[serde(default)]
    answers: Vec<String>,
}

/// One language's negation words, folded.
#[derive(Debug, Default, Clone)]
struct Words {
    /// Each word as its folded tokens ("ない" is two tokens).
    sequences: Vec<Vec<String>>,
    /// Endings that negate the word they end ("gelmiyor").
    endings: Vec<String>,
    /// The one-token words the verb rule looks at, folded, with their roles (`VERB`,
    /// `NEGATION`, `BARRIER`): one hash lookup per token finds all three. Empty when the
    /// language lists no verbs.
    verb_rule_words: FxHashMap<String, u8>,
    /// One bit per [`word_sketch`] of the keys of `verb_rule_words`: a token whose bit is
    /// clear is none of them, and most tokens of a post are spared the hash lookup.
    verb_rule_sketches: [u64; SKETCH_WORDS],
    /// One bit per [`word_sketch`] of the first token of each of `sequences`: a token whose
    /// bit is clear starts no negation word, and most tokens are spared the walk through the
    /// list (asked for every token near a topic word or a cue).
    sequence_sketches: [u64; SKETCH_WORDS],
    /// Tokens that may stand between a negation word and the verb after it.
    verb_reach_before: usize,
    /// Tokens that may stand between a verb and the negation word after it ("geht Instagram
    /// bei euch nicht": three); `None` in languages that put the negation first.
    verb_reach_after: Option<usize>,
    /// Separable verbs of failure: the verb's folded form and the particles that end its
    /// clause ("stürzt" … "ab", "valt" … "uit").
    separable: FxHashMap<String, Vec<String>>,
    /// Whether the topic word an object verb receives comes before its negation (verb-final
    /// languages: "notification nahi aa raha") rather than after the verb.
    object_first: bool,
    /// Words that open a hypothetical clause ("if", "wenn", "agar"), folded.
    conditionals: Vec<String>,
    /// One bit per [`word_sketch`] of `conditionals`: a clause whose first token's bit is
    /// clear opens with none of them, without comparing it to each.
    conditional_sketches: [u64; SKETCH_WORDS],
    /// Words that, right after a conditional, make it no hypothetical: the speaker ("als ik
    /// op betalen klik gebeurt er niks" tells what happens when they do it), or a clitic that
    /// shows the word was no conditional (Italian "se ne va": goes away).
    conditional_exceptions: Vec<String>,
    /// Words that answer "no" to a question ("nein", "nope", "que nada"), each as its folded
    /// tokens.
    answers: Vec<Vec<String>>,
}

/// Length of [`Words::verb_rule_sketches`], in 64-bit words (1,024 bits: a language's hundred
/// or so verb-rule words leave nine bits in ten clear).
const SKETCH_WORDS: usize = 16;

/// A 10-bit summary of a word (its length and first and last bytes): equal words have equal
/// sketches.
fn word_sketch(word: &str) -> usize {
    crate::sketch::token_sketch(word, 10) as usize
}

impl Words {
    /// Whether `word` may be a key of `verb_rule_words` (see `verb_rule_sketches`).
    fn may_rule_verb(&self, word: &str) -> bool {
        let s = word_sketch(word);
        self.verb_rule_sketches[s / 64] & (1 << (s % 64)) != 0
    }
}

/// Roles of a word in [`Words::verb_rule_words`].
const VERB: u8 = 1;
/// A verb of receiving ("getting", "recibo", "bekomme": `object_verbs`), a cue only with a
/// symptom topic word after it ("not getting any twitter notifications"): "not getting any
/// sleep" says nothing about a service.
const OBJECT_VERB: u8 = 8;
/// A one-token negation word (the verb rule does not use negation words of several tokens).
const NEGATION: u8 = 2;
/// A word the reach between verb and negation never crosses: "ob discord läuft, weiß ich
/// nicht" is not "läuft … nicht".
const BARRIER: u8 = 4;
/// The verb of a separable verb of failure (`separable_verbs`: "stürzt ab"), a cue when its
/// particle follows it in its clause.
const SEPARABLE: u8 = 16;
/// A clause-final infinitive of a function verb (`infinitives`: German "anmelden", Dutch
/// "inloggen"), a cue with a negation word before it within [`INFINITIVE_REACH`] tokens: the
/// modal stands second and the negation before the objects ("kann mich seit gestern nicht
/// mehr bei web.de anmelden", "wil mijn bestand niet uploaden").
const INFINITIVE: u8 = 32;
/// A modal of wish or need (`wish_words`: "will", "muss", "hoef"): earlier in the clause than
/// the negation, it makes a negated infinitive the author's choice, not a failure ("ich will
/// mich nicht bei Instagram anmelden").
const WISH: u8 = 64;
/// How many tokens may separate a negation word from the clause-final infinitive after it.
const INFINITIVE_REACH: usize = MAX_VERB_REACH;
/// How many tokens may separate a separable verb from its particle: the particle ends the
/// clause, after the object and adverbs ("Teams stürzt beim Beitreten zur Besprechung jedes
/// mal ab": six).
const SEPARABLE_REACH: usize = 8;

/// A function verb with a negation word next to it: a complaint cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NegatedVerb {
    /// The verb's token.
    pub verb: u32,
    /// The negation word's first and last tokens.
    pub negation: (u32, u32),
    /// An `object_verbs` verb: a cue only with a symptom topic word after it in its clause,
    /// within [`OBJECT_REACH`] tokens.
    pub needs_object: bool,
    /// `object_first` languages: the received topic word stands before the negation (or the
    /// verb, when the negation follows it), within [`OBJECT_REACH`] tokens, and after this
    /// token: the last `verb_barriers` word before it ("video samajh nahi aa raha": the
    /// subject of "nahi aa" is "samajh"), or 0.
    pub object_first: Option<u32>,
}

/// How many tokens may separate a verb of receiving from the topic word it receives ("not
/// getting any twitter notifications": three).
pub(super) const OBJECT_REACH: u32 = 4;

/// How many tokens before an own-device guard a negation word denies it: "não é sua internet"
/// (two), "not your wifi" (one).
const OWN_DEVICE_DENIAL_REACH: usize = 2;

/// The negation guards (`guards.negation`: "working for me", "working here") that a complaint
/// phrase starting before them overlaps with a negation word of its own lexicon (or English)
/// ahead of the guard, as a bit per guard index (the first 64 guards): "isn't working for me",
/// "not working here in mumbai" deny the guard's words, so the guard is the tail of a
/// complaint, not a denial of one. A guard that starts first ("isn't down") stays a guard.
/// An own-device guard with a negation word of its lexicon (or English) at most
/// [`OWN_DEVICE_DENIAL_REACH`] tokens before it in its clause is denied too: "não é sua
/// internet", "it's not your wifi" confirm the outage they would otherwise explain away.
pub(super) fn negated_guards(
    negation: &Negation,
    english: Option<usize>,
    folded: &str,
    tokens: &[Token],
    guards: &[super::Hit],
    hits: &[super::Hit],
) -> u64 {
    let mut negated = 0u64;
    let negation_word_at = |lexicon: usize, at: usize| {
        negation.word_at(lexicon, folded, tokens, at)
            || english.is_some_and(|e| negation.word_at(e, folded, tokens, at))
    };
    for (i, g) in guards.iter().enumerate().take(64) {
        if g.cue == crate::lexicon::Cue::Guard(crate::lexicon::Guard::OwnDevice) {
            let first = g.first as usize;
            let clause = tokens[first].clause;
            let denied = (first.saturating_sub(OWN_DEVICE_DENIAL_REACH)..first)
                .any(|at| tokens[at].clause == clause && negation_word_at(g.lexicon as usize, at));
            if denied {
                negated |= 1 << i;
            }
            continue;
        }
        if g.cue != crate::lexicon::Cue::Guard(crate::lexicon::Guard::Negation) {
            continue;
        }
        let denied = hits.iter().any(|h| {
            h.cue.is_complaint()
                && h.first < g.first
                && g.first <= h.last
                && (h.first..g.first).any(|at| negation_word_at(h.lexicon as usize, at as usize))
        });
        if denied {
            negated |= 1 << i;
        }
    }
    negated
}

/// Whether a symptom topic word ("notifications", "code", "mensajes") stands after the verb of
/// receiving `verb` in its clause, within [`OBJECT_REACH`] tokens: what the author does not
/// get is something a service delivers. Topics of kind `other` ("likes", "updates") do not
/// count: "no recibo ni un like" is no outage.
pub(super) fn receives_topic(verb: &NegatedVerb, tokens: &[Token], hits: &[super::Hit]) -> bool {
    let clause = tokens[verb.verb as usize].clause;
    let negation = verb.negation.0;
    hits.iter().any(|h| {
        let placed = if let Some(floor) = verb.object_first {
            let end = negation.min(verb.verb);
            h.first >= floor && h.last < end && end - h.last <= OBJECT_REACH
        } else {
            h.first > verb.verb && h.first <= verb.verb + OBJECT_REACH
        };
        matches!(h.cue, crate::lexicon::Cue::Topic(kind) if kind != outcry_model::Symptom::Other)
            && placed
            && tokens[h.first as usize].clause == clause
    })
}

/// Negation words for each lexicon, in the classifier's lexicon order.
#[derive(Debug, Default, Clone)]
pub(super) struct Negation {
    by_lexicon: Vec<Words>,
}

impl Negation {
    /// Reads `file`; `codes` are the loaded lexicons' language codes, in order. An unknown key
    /// or a word with nothing to match is an error naming the line and a fix, and so is a
    /// table for a language without a lexicon when `strict` (a file someone passed); the
    /// bundled file's tables for languages left out of a data directory are skipped.
    pub(super) fn from_file(
        file: &DataFile<'_>,
        codes: &[&str],
        strict: bool,
    ) -> Result<Negation, DataError> {
        let raw: BTreeMap<String, RawLanguage> =
            toml::from_str(file.text).map_err(|e| DataError::from_toml(file, &e))?;
        crate::data::refuse_repeated_entries(file)?;
        let mut by_lexicon = vec![Words::default(); codes.len()];
        let mut tokens = Vec::new();
        for (code, lang) in raw {
            let Some(index) = table_language(file, codes, &code, strict, "negation words")? else {
                continue;
            };
            let words = &mut by_lexicon[index];
            words.sequences = token_sequences(file, &lang.words, &mut tokens)?;
            words.answers = token_sequences(file, &lang.answers, &mut tokens)?;
            for ending in &lang.endings {
                let folded = one_word(
                    file,
                    ending,
                    "ending",
                    "is not the end of one word",
                    "write the letters that end a negated word, such as \"miyor\"",
                    &mut tokens,
                )?;
                words.endings.push(folded);
            }
            for (entries, what, into) in [
                (&lang.conditionals, "conditional", &mut words.conditionals),
                (
                    &lang.conditional_exceptions,
                    "conditional exception",
                    &mut words.conditional_exceptions,
                ),
            ] {
                for entry in entries {
                    into.push(one_word(
                        file,
                        entry,
                        what,
                        "is not one word",
                        "write one word per entry, such as \"if\" or \"ich\"",
                        &mut tokens,
                    )?);
                }
            }
            for (entries, what, fix, bit) in [
                (
                    &lang.verbs,
                    "function verb",
                    "write one inflected form per entry, such as \"werkt\" or \"carga\"",
                    VERB,
                ),
                (
                    &lang.object_verbs,
                    "object verb",
                    "write one inflected form per entry, such as \"getting\" or \"recibo\"",
                    OBJECT_VERB,
                ),
                (
                    &lang.verb_barriers,
                    "verb barrier",
                    "write one word per entry, such as \"ob\" or \"weiß\"",
                    BARRIER,
                ),
                (
                    &lang.infinitives,
                    "infinitive",
                    "write one infinitive per entry, such as \"anmelden\" or \"inloggen\"",
                    INFINITIVE,
                ),
                (
                    &lang.wish_words,
                    "wish word",
                    "write one modal per entry, such as \"will\" or \"hoef\"",
                    WISH,
                ),
            ] {
                for entry in entries {
                    let folded = one_word(file, entry, what, "is not one word", fix, &mut tokens)?;
                    *words.verb_rule_words.entry(folded).or_default() |= bit;
                }
            }
            for entry in &lang.separable_verbs {
                let folded = crate::text::fold(entry);
                tokenize_into(&folded, &mut tokens);
                let [verb, particle] = tokens.as_slice() else {
                    return Err(DataError::at_text(
                        file,
                        entry,
                        format!("separable verb {entry:?} in [{code}] is not two words"),
                        "write the verb and its particle, such as \"stürzt ab\"".to_string(),
                    ));
                };
                let (verb, particle) = (verb.text(&folded), particle.text(&folded));
                *words.verb_rule_words.entry(verb.to_string()).or_default() |= SEPARABLE;
                words
                    .separable
                    .entry(verb.to_string())
                    .or_default()
                    .push(particle.to_string());
            }
            for (key, reach) in [
                ("verb_reach_before", lang.verb_reach_before),
                ("verb_reach_after", lang.verb_reach_after),
            ] {
                if reach.is_some_and(|r| r > MAX_VERB_REACH) {
                    return Err(DataError::at_text(
                        file,
                        key,
                        format!("{key} in [{code}] is more than {MAX_VERB_REACH} tokens"),
                        format!("use a number from 0 to {MAX_VERB_REACH}"),
                    ));
                }
            }
            words.verb_reach_before = lang.verb_reach_before.unwrap_or(VERB_REACH_BEFORE);
            words.verb_reach_after = lang.verb_reach_after;
            words.object_first = lang.object_first;
            if !words.verb_rule_words.is_empty() {
                for sequence in words.sequences.iter().filter(|q| q.len() == 1) {
                    *words
                        .verb_rule_words
                        .entry(sequence[0].clone())
                        .or_default() |= NEGATION;
                }
            }
        }
        for words in &mut by_lexicon {
            for word in words.verb_rule_words.keys() {
                let s = word_sketch(word);
                words.verb_rule_sketches[s / 64] |= 1 << (s % 64);
            }
            for first in words.sequences.iter().filter_map(|q| q.first()) {
                let s = word_sketch(first);
                words.sequence_sketches[s / 64] |= 1 << (s % 64);
            }
            for word in &words.conditionals {
                let s = word_sketch(word);
                words.conditional_sketches[s / 64] |= 1 << (s % 64);
            }
        }
        Ok(Negation { by_lexicon })
    }

    /// Every function verb of lexicon `lexicon` with a one-token negation word of that
    /// lexicon in its clause: before it within `verb_reach_before` tokens or after it within
    /// `verb_reach_after` tokens, with no barrier word between them. One hash lookup per token;
    /// the pairing runs only in the rare post that has both a verb and a negation word.
    pub(super) fn negated_verbs(
        &self,
        lexicon: usize,
        folded: &str,
        tokens: &[Token],
        out: &mut Vec<NegatedVerb>,
    ) {
        let Some(words) = self
            .by_lexicon
            .get(lexicon)
            .filter(|w| !w.verb_rule_words.is_empty())
        else {
            return;
        };
        // Vec::new() does not allocate: most posts push nothing.
        let (mut verbs, mut negations, mut barriers) = (Vec::new(), Vec::new(), Vec::new());
        let mut wishes = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            let word = token.text(folded);
            if !words.may_rule_verb(word) {
                continue;
            }
            if let Some(&role) = words.verb_rule_words.get(word) {
                if role & SEPARABLE != 0 {
                    separated_particle(words, folded, tokens, at, out);
                }
                if role & (VERB | OBJECT_VERB | INFINITIVE) != 0 {
                    verbs.push((at, role & (VERB | INFINITIVE) == 0, role));
                }
                if role & WISH != 0 {
                    wishes.push(at);
                }
                if role & NEGATION != 0 {
                    negations.push(at);
                }
                if role & BARRIER != 0 {
                    barriers.push(at);
                }
            }
        }
        if verbs.is_empty() || negations.is_empty() {
            return;
        }
        let reaches = |verb: usize, negation: usize, role: u8| {
            let (low, high) = (verb.min(negation), verb.max(negation));
            let between = high - low - 1;
            let clause = tokens[negation].clause;
            let infinitive = role & INFINITIVE != 0;
            let within = if infinitive && negation < verb {
                between <= INFINITIVE_REACH
                    && !wishes
                        .iter()
                        .any(|&w| w < negation && tokens[w].clause == clause)
            } else if negation < verb {
                between <= words.verb_reach_before
            } else if role & (VERB | OBJECT_VERB) == 0 {
                // An infinitive before its negation is a topic, not a refusal: "betalen met
                // de app lukt niet" leaves "betalen" to name payments.
                false
            } else {
                words.verb_reach_after.is_some_and(|r| between <= r)
            };
            within
                && tokens[negation].clause == tokens[verb].clause
                && !barriers.iter().any(|&b| low < b && b <= high && b != verb)
        };
        for &(verb, needs_object, role) in &verbs {
            // The nearest negation word before the verb, else the nearest after it.
            let before = negations
                .iter()
                .rev()
                .copied()
                .find(|&n| n < verb && reaches(verb, n, role));
            let after = || {
                negations
                    .iter()
                    .copied()
                    .find(|&n| n > verb && reaches(verb, n, role))
            };
            if let Some(negation) = before.or_else(after) {
                out.push(NegatedVerb {
                    verb: verb as u32,
                    negation: (negation as u32, negation as u32),
                    needs_object,
                    object_first: words.object_first.then(|| {
                        let end = negation.min(verb);
                        barriers
                            .iter()
                            .rev()
                            .find(|&&b| b < end)
                            .map_or(0, |&b| b as u32 + 1)
                    }),
                });
            }
        }
    }

    /// Whether the clause of token `at` opens with a conditional of lexicon `lexicon` ("if
    /// the PSN ever goes down", "wenn Amazon mal ausfällt", "agar Hotstar down hua") that no
    /// speaker word follows: what it says might happen, not what happens.
    pub(super) fn in_conditional_clause(
        &self,
        lexicon: usize,
        folded: &str,
        tokens: &[Token],
        at: usize,
    ) -> bool {
        let (Some(words), Some(token)) = (self.by_lexicon.get(lexicon), tokens.get(at)) else {
            return false;
        };
        if words.conditionals.is_empty() {
            return false;
        }
        // Whether the clause of token `at` opens with a conditional no exception follows.
        let opens_hypothetical = |at: usize| {
            let token = &tokens[at];
            let in_clause = |t: &Token| (t.sentence, t.clause) == (token.sentence, token.clause);
            let start = tokens[..at]
                .iter()
                .rposition(|t| !in_clause(t))
                .map_or(0, |i| i + 1);
            let is_one_of = |list: &[String], i: usize| {
                tokens
                    .get(i)
                    .is_some_and(|t| in_clause(t) && list.iter().any(|w| w == t.text(folded)))
            };
            let may_open = tokens.get(start).is_some_and(|t| {
                let s = word_sketch(t.text(folded));
                words.conditional_sketches[s / 64] & (1 << (s % 64)) != 0
            });
            (
                start,
                may_open
                    && is_one_of(&words.conditionals, start)
                    && !is_one_of(&words.conditional_exceptions, start + 1),
            )
        };
        let (start, hypothetical) = opens_hypothetical(at);
        // The clause after a conditional clause of the same sentence says what would follow
        // ("wenn Amazon mal ausfällt, bricht dann der Handel zusammen?").
        hypothetical
            || start
                .checked_sub(1)
                .filter(|&before| tokens[before].sentence == token.sentence)
                .is_some_and(|before| opens_hypothetical(before).1)
    }

    /// Whether `word` (folded) is a function verb of any lexicon ("geht", "werkt", "działa",
    /// "работает", "anda"): said of a service without a negation, it says the service works.
    pub(super) fn is_function_verb(&self, word: &str) -> bool {
        self.by_lexicon.iter().any(|words| {
            words.may_rule_verb(word)
                && words
                    .verb_rule_words
                    .get(word)
                    .is_some_and(|&role| role & VERB != 0)
        })
    }

    /// Whether a negation word of lexicon `lexicon` starts at token `at`.
    pub(super) fn word_at(
        &self,
        lexicon: usize,
        folded: &str,
        tokens: &[Token],
        at: usize,
    ) -> bool {
        let (Some(words), Some(token)) = (self.by_lexicon.get(lexicon), tokens.get(at)) else {
            return false;
        };
        words
            .sequence_at(folded, tokens, at, token.clause)
            .is_some()
    }

    /// Whether the tokens from `at` on are a word that answers "no" in lexicon `lexicon`
    /// (`answers`: "nein", "que nada").
    pub(super) fn answer_no_at(
        &self,
        lexicon: usize,
        folded: &str,
        tokens: &[Token],
        at: usize,
    ) -> bool {
        self.by_lexicon.get(lexicon).is_some_and(|words| {
            words
                .answers
                .iter()
                .any(|answer| sequence_matches(answer, folded, tokens, at, None))
        })
    }

    /// Whether a negation word of lexicon `lexicon` stands in the clause of the tokens
    /// `first..=last`, at most [`REACH_BEFORE`] tokens before them or [`REACH`] after.
    pub(super) fn near(
        &self,
        lexicon: usize,
        folded: &str,
        tokens: &[Token],
        first: usize,
        last: usize,
    ) -> bool {
        let (Some(words), Some(clause)) = (
            self.by_lexicon.get(lexicon),
            tokens.get(first).map(|t| t.clause),
        ) else {
            return false;
        };
        let from = first.saturating_sub(REACH_BEFORE);
        let to = (last + REACH).min(tokens.len().saturating_sub(1));
        for start in from..=to {
            if (first..=last).contains(&start) || tokens[start].clause != clause {
                continue;
            }
            let text = tokens[start].text(folded);
            let chars = text.chars().count();
            if words.sequence_at(folded, tokens, start, clause).is_some()
                || words
                    .endings
                    .iter()
                    .any(|e| chars > e.chars().count() + 1 && text.ends_with(e.as_str()))
            {
                return true;
            }
        }
        false
    }
}

/// Pushes the separable verb at token `at` as a cue when one of its particles follows it in
/// its clause within [`SEPARABLE_REACH`] tokens ("Spotify stürzt bei jedem Start ab"); the
/// particle stands where a negated verb's negation word would.
fn separated_particle(
    words: &Words,
    folded: &str,
    tokens: &[Token],
    at: usize,
    out: &mut Vec<NegatedVerb>,
) {
    let Some(particles) = words.separable.get(tokens[at].text(folded)) else {
        return;
    };
    let clause = tokens[at].clause;
    let particle = tokens
        .iter()
        .enumerate()
        .skip(at + 1)
        .take(SEPARABLE_REACH + 1)
        .take_while(|(_, t)| t.clause == clause)
        .find(|(_, t)| particles.iter().any(|p| p == t.text(folded)));
    if let Some((p, _)) = particle {
        out.push(NegatedVerb {
            verb: at as u32,
            negation: (p as u32, p as u32),
            needs_object: false,
            object_first: None,
        });
    }
}

impl Words {
    /// The length in tokens of a negation word (one of `sequences`) starting at token
    /// `start` inside clause `clause`, if one does.
    fn sequence_at(
        &self,
        folded: &str,
        tokens: &[Token],
        start: usize,
        clause: u16,
    ) -> Option<usize> {
        // Every sequence has a first token (an entry of no token is refused on loading).
        let first = tokens.get(start)?;
        let s = word_sketch(first.text(folded));
        if self.sequence_sketches[s / 64] & (1 << (s % 64)) == 0 {
            return None;
        }
        self.sequences
            .iter()
            .find(|sequence| sequence_matches(sequence, folded, tokens, start, Some(clause)))
            .map(Vec::len)
    }
}

/// Whether the tokens from `start` on are the words of `sequence`, all in `clause` when one
/// is given.
fn sequence_matches(
    sequence: &[String],
    folded: &str,
    tokens: &[Token],
    start: usize,
    clause: Option<u16>,
) -> bool {
    sequence.iter().enumerate().all(|(k, w)| {
        tokens
            .get(start + k)
            .is_some_and(|t| clause.is_none_or(|c| t.clause == c) && t.text(folded) == w.as_str())
    })
}

/// Each entry folded and split into its tokens ("ない" is two kana, "que nada" two words); an
/// entry with nothing to match is an error naming it. `tokens` is scratch space.
fn token_sequences(
    file: &DataFile<'_>,
    entries: &[String],
    tokens: &mut Vec<Token>,
) -> Result<Vec<Vec<String>>, DataError> {
    entries
        .iter()
        .map(|entry| {
            let folded = crate::text::fold(entry);
            tokenize_into(&folded, tokens);
            if tokens.is_empty() {
                return Err(nothing_to_match(file, entry));
            }
            Ok(tokens.iter().map(|t| t.text(&folded).to_string()).collect())
        })
        .collect()
}

/// The fold of `entry`, a negation-file entry that must be a single word (`what` names its
/// list in the error, `problem` says what is wrong with it, `fix` how to write it); `tokens` is
/// scratch space.
fn one_word(
    file: &DataFile<'_>,
    entry: &str,
    what: &str,
    problem: &str,
    fix: &str,
    tokens: &mut Vec<Token>,
) -> Result<String, DataError> {
    let folded = crate::text::fold(entry);
    tokenize_into(&folded, tokens);
    if tokens.len() != 1 || tokens[0].text(&folded) != folded {
        return Err(DataError::at_text(
            file,
            &format!("\"{entry}\""),
            format!("{what} {entry:?} {problem}"),
            fix,
        ));
    }
    Ok(folded)
}

fn nothing_to_match(file: &DataFile<'_>, word: &str) -> DataError {
    DataError::at_text(
        file,
        &format!("\"{word}\""),
        format!("negation word {word:?} has no letters to match"),
        "remove it or write the word",
    )
}

/// The lexicon index of a per-language table `[code]` of a shared data file (`negation.toml`,
/// `rule_words.toml`); `None` for a language no lexicon was loaded for, which only a `strict`
/// load (every bundled lexicon present) refuses, naming the table and the codes to use.
pub(super) fn table_language(
    file: &DataFile<'_>,
    codes: &[&str],
    code: &str,
    strict: bool,
    what: &str,
) -> Result<Option<usize>, DataError> {
    match codes.iter().position(|c| *c == code) {
        Some(index) => Ok(Some(index)),
        None if !strict => Ok(None),
        None => Err(DataError::at_text(
            file,
            &format!("[{code}]"),
            format!("{what} for {code:?}, a language without a lexicon"),
            format!(
                "use the code of a file in data/lexicon/ ({}) or remove the table",
                codes.join(", ")
            ),
        )),
    }
}
