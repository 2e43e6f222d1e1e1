//! The words some rules of the classifier look for (`data/rule_words.toml`): loading and
//! checking that file, and asking whether a phrase, a clause or a post holds one of them (a
//! word of uploading, of a black or white screen, of a stream that stops, an error text, a
//! contrast word...).
//!
//! The file is kept by language, but every list applies to every post (the lists are joined at
//! start-up): the rules that use them (`classify/precedence.rs`, `classify/mod.rs`) decide what
//! a word means there. This module only answers "is one of these words here"; it must not
//! read files (the text comes in as a [`DataFile`]) nor decide symptoms.

use crate::data::{DataError, DataFile};
use crate::lexicon::tokens::{Token, tokenize_into};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The bundled copy of `data/rule_words.toml`.
pub(super) const BUNDLED: DataFile<'static> = DataFile {
    name: "data/rule_words.toml",
    text: include_str!("../../../data/rule_words.toml"),
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    upload: Option<Vec<String>>,
    posting: Option<Vec<String>>,
    posting_words: Option<Vec<String>>,
    sms: Option<Vec<String>>,
    stream_stop: Option<Vec<String>>,
    screen: Option<Vec<String>>,
    blank: Option<Vec<String>>,
    kick: Option<Vec<String>>,
    error_words: Option<Vec<String>>,
    everyday_error_words: Option<Vec<String>>,
    error_texts: Option<Vec<String>>,
    error_mentions: Option<Vec<String>>,
    separable_crashes: Option<Vec<String>>,
    contrast: Option<Vec<String>>,
    concessive: Option<Vec<String>>,
    copula_negations: Option<Vec<String>>,
    progress_prepositions: Option<Vec<String>>,
    progress_endings: Option<Vec<String>>,
}

/// Word beginnings, with the texts of languages written without spaces, which are looked for
/// anywhere in a text instead.
#[derive(Debug, Default, Clone)]
pub(super) struct Beginnings {
    /// The folded beginnings, sorted by their first byte.
    words: Vec<String>,
    /// `words[starts[b] as usize..starts[b + 1] as usize]` are the beginnings whose first byte
    /// is `b`: a word whose first byte no beginning starts with needs no comparison.
    starts: Vec<u32>,
    /// Folded texts of languages without word boundaries ("アップ", "固ま"), looked for in a
    /// text that is not all ASCII.
    inside: Vec<String>,
}

impl Beginnings {
    fn new(mut words: Vec<String>, inside: Vec<String>) -> Beginnings {
        words.sort_by_key(|w| w.as_bytes()[0]);
        let mut starts = vec![0u32; 257];
        for w in &words {
            starts[w.as_bytes()[0] as usize + 1] += 1;
        }
        for b in 0..256 {
            starts[b + 1] += starts[b];
        }
        Beginnings {
            words,
            starts,
            inside,
        }
    }

    /// The beginnings that start with the byte `first`.
    fn starting_with(&self, first: u8) -> &[String] {
        let b = first as usize;
        &self.words[self.starts[b] as usize..self.starts[b + 1] as usize]
    }

    /// Whether a beginning starts with the byte `first` (most words need no comparison).
    pub(super) fn may_start(&self, first: u8) -> bool {
        self.starts[first as usize] != self.starts[first as usize + 1]
    }

    /// Whether `word` starts with one of the beginnings.
    pub(super) fn starts(&self, word: &str) -> bool {
        word.as_bytes().first().is_some_and(|&b| {
            self.starting_with(b)
                .iter()
                .any(|w| word.starts_with(w.as_str()))
        })
    }

    /// Whether `word` starts with a beginning that `keep` accepts.
    pub(super) fn starts_with_any(&self, word: &str, keep: impl Fn(&str) -> bool) -> bool {
        word.as_bytes().first().is_some_and(|&b| {
            self.starting_with(b)
                .iter()
                .any(|w| word.starts_with(w.as_str()) && keep(w))
        })
    }

    /// Whether `text`, when not all ASCII, holds one of the texts of languages without word
    /// boundaries.
    pub(super) fn inside(&self, text: &str) -> bool {
        !self.inside.is_empty()
            && !text.is_ascii()
            && self.inside.iter().any(|w| text.contains(w.as_str()))
    }

    /// Whether a word of the span `first..=last` of `tokens` starts with a beginning, or the
    /// span's text holds a text of a language without word boundaries.
    pub(super) fn in_span(&self, first: u32, last: u32, folded: &str, tokens: &[Token]) -> bool {
        // Most words start with a byte no beginning starts with: one table load instead of some
        // thirty comparisons (this runs for every word of the phrases the rules look at).
        (first..=last).any(|t| self.starts(tokens[t as usize].text(folded)))
            || self.inside(
                &folded[tokens[first as usize].start as usize..tokens[last as usize].end as usize],
            )
    }
}

/// Texts looked for anywhere in the folded text of a post, by one automaton.
#[derive(Debug, Clone)]
pub(super) struct Texts(aho_corasick::AhoCorasick);

impl Texts {
    fn new(texts: &[String]) -> Texts {
        Texts(
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(texts)
                .expect("a few hundred short texts always build an automaton"),
        )
    }

    /// Where the leftmost of the texts starts in `folded`.
    pub(super) fn find(&self, folded: &str) -> Option<usize> {
        self.0.find(folded).map(|m| m.start())
    }
}

/// The rule words of every language, joined (see the module doc and `data/rule_words.toml`).
#[derive(Debug, Clone)]
pub(super) struct RuleWords {
    pub(super) upload: Beginnings,
    pub(super) posting: Beginnings,
    /// Whole words of posting ("post": a beginning would take "posts").
    pub(super) posting_words: Vec<String>,
    pub(super) sms: Beginnings,
    pub(super) stream_stop: Beginnings,
    pub(super) screen: Beginnings,
    pub(super) blank: Beginnings,
    pub(super) kick: Beginnings,
    pub(super) error_words: Beginnings,
    /// By lexicon (the classifier's lexicon order): the error words that language says of a
    /// service that misbehaves, as an everyday verb.
    everyday_error_words: Vec<Vec<String>>,
    pub(super) error_texts: Texts,
    pub(super) error_mentions: Texts,
    /// A verb's beginning and the particle after it ("sturz", "ab").
    pub(super) separable_crashes: Vec<(String, String)>,
    pub(super) contrast: Vec<String>,
    /// Concessive words and phrases ("padahal", "alors que"), folded, each as its words (the
    /// folded entry split at its spaces): split once here, not for every topic word judged
    /// (`precedence::after_concession`), where each split was a list allocated.
    pub(super) concessive: Vec<Vec<String>>,
    pub(super) copula_negations: Vec<String>,
    pub(super) progress_prepositions: Vec<String>,
    pub(super) progress_endings: Vec<String>,
}

/// How a list's entries are written, and so checked.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// One word, or, in a language without word boundaries, any text.
    Beginning,
    /// One whole word.
    Word,
    /// Any text.
    Text,
    /// A verb's beginning and its particle.
    VerbAndParticle,
}

impl RuleWords {
    /// Reads `file`; `lexicons` are the loaded lexicons' codes and whether each writes word
    /// boundaries, in order. An unknown key, an empty list, an entry listed twice in a list or
    /// with nothing to match (or several words where one is wanted) is an error naming the line
    /// and a fix, and so is a table for a language without a lexicon when `strict` (a file
    /// someone passed); the bundled file's tables for languages left out of a data directory
    /// are skipped.
    pub(super) fn from_file(
        file: &DataFile<'_>,
        lexicons: &[(&str, bool)],
        strict: bool,
    ) -> Result<RuleWords, DataError> {
        let raw: BTreeMap<String, RawLanguage> =
            toml::from_str(file.text).map_err(|e| DataError::from_toml(file, &e))?;
        crate::data::refuse_repeated_entries(file)?;
        let codes: Vec<&str> = lexicons.iter().map(|(c, _)| *c).collect();
        let mut lists: BTreeMap<&'static str, (Vec<String>, Vec<String>)> = BTreeMap::new();
        let mut everyday_error_words = vec![Vec::new(); lexicons.len()];
        let mut everyday_at = Vec::new();
        let mut tokens = Vec::new();
        for (code, lang) in raw {
            let Some(index) =
                super::negation::table_language(file, &codes, &code, strict, "rule words")?
            else {
                continue;
            };
            let boundaries = lexicons[index].1;
            let keyed = [
                ("upload", lang.upload, Form::Beginning),
                ("posting", lang.posting, Form::Beginning),
                ("posting_words", lang.posting_words, Form::Word),
                ("sms", lang.sms, Form::Beginning),
                ("stream_stop", lang.stream_stop, Form::Beginning),
                ("screen", lang.screen, Form::Beginning),
                ("blank", lang.blank, Form::Beginning),
                ("kick", lang.kick, Form::Beginning),
                ("error_words", lang.error_words, Form::Beginning),
                (
                    "everyday_error_words",
                    lang.everyday_error_words,
                    Form::Word,
                ),
                ("error_texts", lang.error_texts, Form::Text),
                ("error_mentions", lang.error_mentions, Form::Text),
                (
                    "separable_crashes",
                    lang.separable_crashes,
                    Form::VerbAndParticle,
                ),
                ("contrast", lang.contrast, Form::Word),
                ("concessive", lang.concessive, Form::Text),
                ("copula_negations", lang.copula_negations, Form::Word),
                (
                    "progress_prepositions",
                    lang.progress_prepositions,
                    Form::Word,
                ),
                ("progress_endings", lang.progress_endings, Form::Word),
            ];
            for (key, entries, form) in keyed {
                let Some(entries) = entries else { continue };
                let at = |needle: &str| {
                    // The entry's line: the first occurrence after the table's header.
                    let from = file.text.find(&format!("[{code}]")).unwrap_or(0);
                    let offset = file.text[from..].find(needle).map_or(from, |o| from + o);
                    crate::data::line_of_offset(file.text, offset)
                };
                if entries.is_empty() {
                    return Err(DataError::at_line(
                        file,
                        at(&format!("{key} =")),
                        format!("{key} in [{code}] lists nothing"),
                        "list at least one word or remove the key",
                    ));
                }
                let mut folded_entries: Vec<String> = Vec::new();
                for entry in &entries {
                    let folded = crate::text::fold(entry);
                    tokenize_into(&folded, &mut tokens);
                    let words: Vec<&str> = tokens.iter().map(|t| t.text(&folded)).collect();
                    let line = at(&format!("\"{entry}\""));
                    let problem = match form {
                        _ if words.is_empty() => Some((
                            "has nothing to match",
                            "remove it or write the word".to_string(),
                        )),
                        Form::Beginning | Form::Word
                            if boundaries && words != [folded.as_str()] =>
                        {
                            Some((
                                "is not one word",
                                "write one word (or the beginning of one) per entry".to_string(),
                            ))
                        }
                        Form::Word if !boundaries && words.len() != 1 => Some((
                            "is not one token",
                            "write one character per entry, or use a list of beginnings"
                                .to_string(),
                        )),
                        Form::VerbAndParticle if words.len() != 2 || !boundaries => Some((
                            "is not a verb and its particle",
                            "write the verb's beginning and its particle, such as \"sturz ab\""
                                .to_string(),
                        )),
                        _ => None,
                    };
                    if let Some((problem, fix)) = problem {
                        return Err(DataError::at_line(
                            file,
                            line,
                            format!("{key} entry {entry:?} in [{code}] {problem}"),
                            fix,
                        ));
                    }
                    if folded_entries.contains(&folded) {
                        return Err(DataError::at_line(
                            file,
                            line,
                            format!(
                                "{key} entry {entry:?} in [{code}] is listed twice (folded: {folded:?})"
                            ),
                            "remove one of the two",
                        ));
                    }
                    folded_entries.push(if form == Form::VerbAndParticle {
                        words.join(" ")
                    } else {
                        folded
                    });
                }
                if key == "everyday_error_words" {
                    everyday_at.push((code.clone(), at(key)));
                    everyday_error_words[index] = folded_entries;
                    continue;
                }
                let (words, inside) = lists.entry(key).or_default();
                if !boundaries && form == Form::Beginning {
                    inside.extend(folded_entries);
                } else {
                    words.extend(folded_entries);
                }
            }
        }
        for list in lists.values_mut() {
            list.0.sort();
            list.0.dedup();
            list.1.sort();
            list.1.dedup();
        }
        let mut take = |key: &str| lists.remove(key).unwrap_or_default();
        let beginnings =
            |(words, inside): (Vec<String>, Vec<String>)| Beginnings::new(words, inside);
        let words = RuleWords {
            upload: beginnings(take("upload")),
            posting: beginnings(take("posting")),
            posting_words: take("posting_words").0,
            sms: beginnings(take("sms")),
            stream_stop: beginnings(take("stream_stop")),
            screen: beginnings(take("screen")),
            blank: beginnings(take("blank")),
            kick: beginnings(take("kick")),
            error_words: beginnings(take("error_words")),
            everyday_error_words,
            error_texts: Texts::new(&take("error_texts").0),
            error_mentions: Texts::new(&take("error_mentions").0),
            separable_crashes: take("separable_crashes")
                .0
                .iter()
                .filter_map(|e| e.split_once(' '))
                .map(|(verb, particle)| (verb.to_string(), particle.to_string()))
                .collect(),
            contrast: take("contrast").0,
            concessive: take("concessive")
                .0
                .iter()
                .map(|phrase| phrase.split(' ').map(str::to_string).collect())
                .collect(),
            copula_negations: take("copula_negations").0,
            progress_prepositions: take("progress_prepositions").0,
            progress_endings: take("progress_endings").0,
        };
        for (code, line) in everyday_at {
            let index = codes.iter().position(|c| *c == code).unwrap_or_default();
            if let Some(unknown) = words.everyday_error_words[index]
                .iter()
                .find(|w| !words.error_words.words.contains(w))
            {
                return Err(DataError::at_line(
                    file,
                    line,
                    format!(
                        "everyday_error_words entry {unknown:?} in [{code}] is no entry of any error_words list"
                    ),
                    "list it under error_words in its language's table too, or remove it",
                ));
            }
        }
        Ok(words)
    }

    /// The error words that the language of lexicon `lexicon` (the post's) says of a service
    /// that misbehaves, as an everyday verb ("wa lagi error"): in its posts they are no error
    /// text.
    pub(super) fn everyday_error_words(&self, lexicon: Option<usize>) -> &[String] {
        lexicon.map_or(&[], |i| self.everyday_error_words[i].as_slice())
    }
}
