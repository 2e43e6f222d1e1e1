//! Typo tolerance: two neighbouring letters typed in the wrong order ("not wokring", "no me
//! cagra", "stpoped"), the commonest typo there is, read as the phrase-bank word they spell
//! when swapped back; and a letter repeated for emphasis ("voltouuu", "caiuuu", "dowwwn"),
//! read as the word with the run written once or twice.
//!
//! This module owns the table of such misspellings, built once from the words of the phrase
//! banks, and the rewriting of a post's text with them. It decides nothing: the classifier
//! reads a post again with its misspellings corrected only when the first reading found a
//! platform but neither a complaint nor a recovery, and keeps the second reading only when it
//! finds one (see `Classifier::analyze`). It does not touch the lexicons or the matching.

use crate::lexicon::tokens::{Token, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};

/// Words shorter than this are left alone: a swap in a three-letter word is as likely to be
/// another word ("on"/"no", "ti"/"it") as a typo.
const MIN_LETTERS: usize = 4;
/// Longer tokens are no words of a phrase bank (URLs, hashes, runs of letters).
const MAX_BYTES: usize = 40;

/// The misspellings of the phrase-bank words by one swap of neighbouring letters.
#[derive(Debug, Default)]
pub(crate) struct TypoIndex {
    /// Misspelling -> the word it misspells, for misspellings that are no phrase-bank word
    /// themselves and misspell one word only.
    corrections: crate::str_table::StrTable<u32>,
    /// The words `corrections` points into.
    corrected: Vec<Box<str>>,
    /// The phrase-bank words themselves, for words written with a letter stretched.
    known: FxHashSet<Box<str>>,
}

/// A post's text with its misspellings corrected, and what was corrected.
#[derive(Debug)]
pub(crate) struct Corrected {
    /// The text to read again.
    pub text: String,
    /// (as written, as read), folded, in order of appearance.
    pub pairs: Vec<(String, String)>,
}

impl TypoIndex {
    /// The table for `words`, folded phrase-bank words. The first two letters are never
    /// swapped: people rarely mistype a word's start, and a swapped start is more often
    /// another word.
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> TypoIndex {
        let known: FxHashSet<&str> = words
            .into_iter()
            .filter(|w| {
                w.len() <= MAX_BYTES
                    && w.chars().count() >= MIN_LETTERS
                    && w.chars().all(char::is_alphabetic)
            })
            .collect();
        // None marks a misspelling of two different words: it is left alone.
        let mut found: FxHashMap<String, Option<&str>> = FxHashMap::default();
        let mut letters: Vec<char> = Vec::new();
        for &word in &known {
            letters.clear();
            letters.extend(word.chars());
            for i in 1..letters.len() - 1 {
                if letters[i] == letters[i + 1] {
                    continue;
                }
                letters.swap(i, i + 1);
                let variant: String = letters.iter().collect();
                letters.swap(i, i + 1);
                if known.contains(variant.as_str()) {
                    continue;
                }
                found
                    .entry(variant)
                    .and_modify(|w| {
                        if *w != Some(word) {
                            *w = None;
                        }
                    })
                    .or_insert(Some(word));
            }
        }
        let mut corrections: Vec<(Box<str>, Box<str>)> = found
            .into_iter()
            .filter_map(|(variant, word)| Some((variant.into(), word?.into())))
            .collect();
        // A deterministic table whatever the hash order of the sets above.
        corrections.sort_unstable();
        let corrected: Vec<Box<str>> = corrections.iter().map(|(_, w)| w.clone()).collect();
        TypoIndex {
            // Looked up for every word of half the posts: a table built for that
            // (`crate::str_table`), pointing into `corrected`.
            corrections: crate::str_table::StrTable::new(
                corrections
                    .iter()
                    .enumerate()
                    .map(|(i, (variant, _))| (variant, i as u32)),
            ),
            corrected,
            known: known.into_iter().map(Into::into).collect(),
        }
    }

    /// The word `token` (folded) misspells, if any.
    pub(crate) fn correction(&self, token: &str) -> Option<&str> {
        if token.len() > MAX_BYTES || token.len() < MIN_LETTERS {
            return None;
        }
        if let Some(&i) = self.corrections.get(token.as_bytes()) {
            return self.corrected.get(i as usize).map(|w| &**w);
        }
        self.unstretched(token)
    }

    /// The phrase-bank word `token` spells with every run of three or more equal letters
    /// written once ("voltouuu" -> "voltou") or, failing that, twice ("dowwwn" is "down",
    /// "cooool" would be "cool").
    fn unstretched(&self, token: &str) -> Option<&str> {
        let stretched = token
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2]);
        if !stretched {
            return None;
        }
        for keep in [1, 2] {
            let mut word = String::with_capacity(token.len());
            let mut run = 0;
            let mut previous = None;
            for c in token.chars() {
                run = if previous == Some(c) { run + 1 } else { 1 };
                previous = Some(c);
                if run <= keep || !c.is_alphabetic() {
                    word.push(c);
                }
            }
            if let Some(known) = self.known.get(word.as_str()) {
                return Some(known);
            }
        }
        None
    }

    /// `folded` (a post's folded text, `tokens` its tokens) with every word token that
    /// misspells a phrase-bank word replaced by that word; `None` when there is none. The
    /// result is folded text: what the classifier reads again.
    pub(crate) fn correct(&self, folded: &str, tokens: &[Token]) -> Option<Corrected> {
        let mut pairs = Vec::new();
        let mut text = String::new();
        let mut copied = 0;
        for token in tokens {
            if token.kind != TokenKind::Word {
                continue;
            }
            let (start, end) = (token.start as usize, token.end as usize);
            let Some(word) = folded.get(start..end) else {
                continue;
            };
            let Some(right) = self.correction(word) else {
                continue;
            };
            text.push_str(&folded[copied..start]);
            text.push_str(right);
            copied = end;
            pairs.push((word.to_string(), right.to_string()));
        }
        if pairs.is_empty() {
            return None;
        }
        text.push_str(&folded[copied..]);
        Some(Corrected { text, pairs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::tokens::tokenize_into;

    fn index() -> TypoIndex {
        TypoIndex::new([
            "working", "loading", "carga", "stopped", "down", "form", "from", "dead",
        ])
    }

    #[test]
    fn a_swap_of_neighbours_is_read_as_the_word() {
        let typos = index();
        assert_eq!(typos.correction("wokring"), Some("working"));
        assert_eq!(typos.correction("loadnig"), Some("loading"));
        assert_eq!(typos.correction("cagra"), Some("carga"));
        assert_eq!(typos.correction("stpoped"), Some("stopped"));
        assert_eq!(typos.correction("dwon"), Some("down"));
    }

    #[test]
    fn a_letter_stretched_for_emphasis_is_read_as_the_word() {
        let typos = TypoIndex::new(["voltou", "down", "loading", "dead"]);
        assert_eq!(typos.correction("voltouuu"), Some("voltou"));
        assert_eq!(typos.correction("dowwwwn"), Some("down"));
        assert_eq!(typos.correction("loadinggg"), Some("loading"));
        assert_eq!(typos.correction("deeeaaad"), Some("dead"));
        // A doubled letter alone is a spelling, not a stretch.
        assert_eq!(typos.correction("voltouu"), None);
        assert_eq!(typos.correction("zzzz"), None);
    }

    #[test]
    fn words_and_unclear_swaps_are_left_alone() {
        let typos = index();
        // Known words are no misspellings, even of each other ("form" and "from").
        assert_eq!(typos.correction("form"), None);
        assert_eq!(typos.correction("from"), None);
        assert_eq!(typos.correction("working"), None);
        // The first two letters are never swapped, short words never corrected.
        assert_eq!(typos.correction("owrking"), None);
        assert_eq!(typos.correction("ded"), None);
        // Two letters apart is no neighbour swap.
        assert_eq!(typos.correction("wirkong"), None);
    }

    #[test]
    fn a_misspelling_of_two_words_is_left_alone() {
        // "patrs" is "parts" with r and t swapped, and "patsr" with s and r swapped.
        let typos = TypoIndex::new(["parts", "patsr"]);
        assert_eq!(typos.correction("patrs"), None, "both words give it");
        assert_eq!(
            typos.correction("aprts"),
            None,
            "the first two letters stay"
        );
        assert_eq!(typos.correction("prats"), Some("parts"));
        assert_eq!(typos.correction("parst"), Some("parts"));
    }

    #[test]
    fn the_text_is_rewritten_word_by_word() {
        let typos = index();
        let folded = "twitter stpoped wokring again, #down";
        let mut tokens = Vec::new();
        tokenize_into(folded, &mut tokens);
        let corrected = typos.correct(folded, &tokens).expect("two misspellings");
        assert_eq!(corrected.text, "twitter stopped working again, #down");
        assert_eq!(
            corrected.pairs,
            [
                ("stpoped".to_string(), "stopped".to_string()),
                ("wokring".to_string(), "working".to_string())
            ]
        );
        tokenize_into("all fine here", &mut tokens);
        assert!(typos.correct("all fine here", &tokens).is_none());
    }

    #[test]
    fn the_classifier_reads_a_misspelled_complaint_and_says_so() {
        use crate::classify::Classifier;
        use outcry_model::Post;
        let classifier = Classifier::builtin();
        let post = |text: &str| Post::new("t", "1", chrono::DateTime::UNIX_EPOCH, text);
        for text in [
            "twitter stopped wokring",
            "insta not loadign at all",
            "reddit no me cagra",
            "instagram non fnuziona",
        ] {
            let (c, why) = classifier.explain(&post(text));
            assert!(c.complaint, "{text}: {why:?}");
            assert!(!why.typos.is_empty(), "{text}");
        }
        // A post that already says something is read once; a misspelling alone makes no
        // complaint.
        for text in [
            "twitter is down, wokring on it",
            "netflix wokring on a new show",
        ] {
            let (c, why) = classifier.explain(&post(text));
            assert!(why.typos.is_empty() || c.complaint, "{text}: {why:?}");
        }
        let (c, _) = classifier.explain(&post("netflix wokring on a new show"));
        assert!(!c.complaint);
    }
}
