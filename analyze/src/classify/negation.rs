//! Negation words by language (`data/negation.toml`): loading and checking that file, and
//! finding a negation word next to a symptom topic word ("mensagens não vão", "keine
//! Benachrichtigungen"), so that the topic names its symptom in a complaint even when the verb
//! after "not" is in no phrase bank.
//!
//! This module only answers "is there a negation word near these tokens"; whether the post is a
//! complaint and which symptoms count is decided in `classify/mod.rs`. It must not make a post a
//! complaint, and must not read files (the text comes in as a [`DataFile`]).

use crate::data::{DataError, DataFile};
use crate::lexicon::tokens::{Token, tokenize_into};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The bundled copy of `data/negation.toml`.
pub(super) const BUNDLED: DataFile<'static> = DataFile {
    name: "data/negation.toml",
    text: include_str!("../../../data/negation.toml"),
};

/// How many tokens may separate a topic word from the negation word that applies to it.
const REACH: usize = 2;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    endings: Vec<String>,
}

/// One language's negation words, folded.
#[derive(Debug, Default, Clone)]
struct Words {
    /// Each word as its folded tokens ("ない" is two tokens).
    sequences: Vec<Vec<String>>,
    /// Endings that negate the word they end ("gelmiyor").
    endings: Vec<String>,
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
        let mut by_lexicon = vec![Words::default(); codes.len()];
        let mut tokens = Vec::new();
        for (code, lang) in raw {
            let Some(index) = codes.iter().position(|c| *c == code) else {
                if !strict {
                    continue;
                }
                return Err(DataError::at_text(
                    file,
                    &format!("[{code}]"),
                    format!("negation words for {code:?}, a language without a lexicon"),
                    format!(
                        "use the code of a file in data/lexicon/ ({}) or remove the table",
                        codes.join(", ")
                    ),
                ));
            };
            let words = &mut by_lexicon[index];
            for word in &lang.words {
                let folded = crate::text::fold(word);
                tokenize_into(&folded, &mut tokens);
                if tokens.is_empty() {
                    return Err(nothing_to_match(file, word));
                }
                words
                    .sequences
                    .push(tokens.iter().map(|t| t.text(&folded).to_string()).collect());
            }
            for ending in &lang.endings {
                let folded = crate::text::fold(ending);
                tokenize_into(&folded, &mut tokens);
                if tokens.len() != 1 || tokens[0].text(&folded) != folded {
                    return Err(DataError::at_text(
                        file,
                        &format!("\"{ending}\""),
                        format!("ending {ending:?} is not the end of one word"),
                        "write the letters that end a negated word, such as \"miyor\"",
                    ));
                }
                words.endings.push(folded);
            }
        }
        Ok(Negation { by_lexicon })
    }

    /// Whether a negation word of lexicon `lexicon` stands within [`REACH`] tokens of the
    /// tokens `first..=last`, in their clause.
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
        let from = first.saturating_sub(REACH);
        let to = (last + REACH).min(tokens.len().saturating_sub(1));
        for start in from..=to {
            if (first..=last).contains(&start) || tokens[start].clause != clause {
                continue;
            }
            let text = tokens[start].text(folded);
            let sequence_here = |sequence: &Vec<String>| {
                sequence.iter().enumerate().all(|(k, w)| {
                    tokens
                        .get(start + k)
                        .is_some_and(|t| t.clause == clause && t.text(folded) == w)
                })
            };
            let chars = text.chars().count();
            if words.sequences.iter().any(sequence_here)
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

fn nothing_to_match(file: &DataFile<'_>, word: &str) -> DataError {
    DataError::at_text(
        file,
        &format!("\"{word}\""),
        format!("negation word {word:?} has no letters to match"),
        "remove it or write the word",
    )
}
