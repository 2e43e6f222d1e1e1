//! Cheap language detection: the script of the letters, then frequent words from the lexicons'
//! `common_words` and the letters that mark a language in Latin text (`letters`: "ş", "ł",
//! "ñ"). Says `und` when unsure rather than guessing.

use crate::lexicon::Lexicon;
use crate::lexicon::tokens::{Token, TokenKind};
use std::collections::HashMap;

/// How the language of a post was decided.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LanguageDecision {
    /// ISO 639-1 code, or `und`.
    pub lang: String,
    /// `given`, `script:<name>`, `common-words`, or `undetermined`.
    pub rule: String,
    /// The words or script that decided.
    pub evidence: Vec<String>,
    /// When undetermined: the languages with some evidence, best first (at most two), whose
    /// lexicons are still worth applying.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// Frequent words of every lexicon, with the languages that use each.
#[derive(Debug, Default)]
pub struct LanguageDetector {
    /// Folded word -> bit set of lexicon indexes (looked up for every word of every post).
    words: crate::str_table::StrTable<u64>,
    /// Script name -> lexicon index, for scripts exactly one lexicon claims.
    scripts: rustc_hash::FxHashMap<String, usize>,
    /// Marking letter ("ş", "ñ") -> bit set of lexicon indexes (the lexicons' `letters`).
    letters: rustc_hash::FxHashMap<char, u64>,
    codes: Vec<String>,
    /// The byte length of the longest word in `words`: longer words are not looked up.
    longest_word: usize,
}

/// The scripts counted to decide a language, Latin last.
const SCRIPTS: [&str; 9] = [
    "japanese",
    "han",
    "hangul",
    "cyrillic",
    "arabic",
    "devanagari",
    "greek",
    "thai",
    "latin",
];

/// The position in [`SCRIPTS`] of the script of `c`, if it is one of them.
fn script_index(c: char) -> Option<usize> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(8);
    }
    let u = c as u32;
    Some(match u {
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => 0,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => 1,
        0xAC00..=0xD7AF | 0x1100..=0x11FF => 2,
        0x0400..=0x04FF => 3,
        0x0600..=0x06FF | 0x0750..=0x077F => 4,
        0x0900..=0x097F => 5,
        0x0370..=0x03FF => 6,
        0x0E00..=0x0E7F => 7,
        _ if c.is_alphabetic() && u < 0x0250 => 8,
        _ => return None,
    })
}

/// Whether `n` letters of a script other than Latin decide the language of a text with `latin`
/// Latin letters. Half as many as the Latin ones do; so do two kana or kanji (a word: "障害",
/// "落ちた") and a word of four letters of another script next to up to four times as many
/// Latin ones, because the Latin letters of a short post are mostly the service's name:
/// "сбой steam store?", "steam client упал", "Steam client عطلان", "the Steam app障害？".
fn other_script_decides(script: &str, n: usize, latin: usize) -> bool {
    n * 2 >= latin || matches!(script, "japanese" | "han") && n >= 2 || n >= 4 && n * 4 >= latin
}

/// The usual language of a script, when no lexicon claims it alone.
fn default_for_script(script: &str) -> Option<&'static str> {
    Some(match script {
        "japanese" => "ja",
        "han" => "zh",
        "hangul" => "ko",
        "cyrillic" => "ru",
        "arabic" => "ar",
        "devanagari" => "hi",
        "greek" => "el",
        "thai" => "th",
        _ => return None,
    })
}

impl LanguageDetector {
    /// Builds the detector from the lexicons (at most 64).
    pub fn new(lexicons: &[Lexicon]) -> LanguageDetector {
        let mut words: HashMap<String, u64> = HashMap::new();
        let mut claims: HashMap<String, Vec<usize>> = HashMap::new();
        let mut letters: HashMap<char, u64> = HashMap::new();
        for (i, lex) in lexicons.iter().enumerate().take(64) {
            for &c in &lex.letters {
                *letters.entry(c).or_default() |= 1 << i;
            }
            for w in &lex.common_words {
                *words.entry(w.clone()).or_default() |= 1 << i;
            }
            for s in &lex.scripts {
                claims.entry(s.clone()).or_default().push(i);
            }
        }
        let scripts = claims
            .into_iter()
            .filter(|(s, v)| v.len() == 1 && s != "latin")
            .map(|(s, v)| (s, v[0]))
            .collect();
        LanguageDetector {
            longest_word: words.keys().map(String::len).max().unwrap_or(0),
            words: crate::str_table::StrTable::new(words),
            scripts,
            letters: letters.into_iter().collect(),
            codes: lexicons.iter().map(|l| l.code.clone()).collect(),
        }
    }

    /// Whether the folded `word` is one of the `common_words` of the lexicon at `lexicon`.
    pub fn is_common_in(&self, word: &str, lexicon: usize) -> bool {
        lexicon < 64
            && word.len() <= self.longest_word
            && self
                .words
                .get(word.as_bytes())
                .is_some_and(|&mask| mask & (1 << lexicon) != 0)
    }

    /// Detects the language of a folded, tokenized text.
    pub fn detect(&self, original: &str, folded: &str, tokens: &[Token]) -> LanguageDecision {
        self.decide(original, folded, tokens, Detail::Explained)
    }

    /// [`LanguageDetector::detect`] without the evidence of a decision by frequent words or
    /// marking letters (`evidence` is then empty): the same language, rule and candidates,
    /// for classifying without explaining.
    pub fn detect_without_evidence(
        &self,
        original: &str,
        folded: &str,
        tokens: &[Token],
    ) -> LanguageDecision {
        self.decide(original, folded, tokens, Detail::Rule)
    }

    /// [`LanguageDetector::detect`] with only the language and candidates (`rule` and
    /// `evidence` empty): what classifying reads, without the texts made for people (an
    /// allocation or more per post).
    pub(super) fn detect_language(
        &self,
        original: &str,
        folded: &str,
        tokens: &[Token],
    ) -> LanguageDecision {
        self.decide(original, folded, tokens, Detail::Language)
    }

    fn decide(
        &self,
        original: &str,
        folded: &str,
        tokens: &[Token],
        detail: Detail,
    ) -> LanguageDecision {
        let with_evidence = detail == Detail::Explained;
        let with_rule = detail != Detail::Language;
        // Scripts other than Latin decide at once: kana means Japanese even among kanji.
        let counts = count_scripts(original);
        let latin = counts[8];
        let japanese = counts[0];
        // The most frequent non-Latin script, the last in `SCRIPTS` order on a tie.
        let mut best_other: Option<(usize, usize)> = None;
        for (i, &n) in counts[..8].iter().enumerate() {
            if n > 0
                && (SCRIPTS[i] != "han" || japanese == 0)
                && best_other.is_none_or(|(_, b)| n >= b)
            {
                best_other = Some((i, n));
            }
        }
        if let Some((index, n)) = best_other
            && other_script_decides(SCRIPTS[index], n, latin)
        {
            let script = SCRIPTS[index];
            let script = if script == "han" && japanese > 0 {
                "japanese"
            } else {
                script
            };
            let lang = self
                .scripts
                .get(script)
                .map(|&i| self.codes[i].clone())
                .or_else(|| default_for_script(script).map(str::to_string));
            if let Some(lang) = lang {
                return LanguageDecision {
                    lang,
                    rule: if with_rule {
                        format!("script:{script}")
                    } else {
                        String::new()
                    },
                    evidence: if with_rule {
                        vec![format!("{n} {script} letters")]
                    } else {
                        Vec::new()
                    },
                    candidates: Vec::new(),
                };
            }
        }
        // Fixed arrays for the (at most 64) languages, and the evidence kept as positions in
        // the text until one language wins: nothing is allocated per post for the losers.
        let languages = self.codes.len().min(64);
        let mut all_scores = [0f32; 64];
        let scores = &mut all_scores[..languages];
        let mut evidence_count = [0u8; 64];
        EVIDENCE.with(|cell| {
            let mut own = Vec::new();
            let mut borrowed = cell.try_borrow_mut();
            let evidence: &mut Vec<(u8, Evidence)> = match borrowed.as_deref_mut() {
                Ok(v) => v,
                // Re-entered on this thread (cannot happen today): a fresh list.
                Err(_) => &mut own,
            };
            evidence.clear();
            // Letters that mark a language ("ş" Turkish, "ł" Polish, "ñ" Spanish): half a
            // vote each, shared by the languages listing it, and only the first three of each.
            if !self.letters.is_empty() && !original.is_ascii() {
                let mut seen = [0u8; 64];
                for c in original.chars().filter(|c| !c.is_ascii()) {
                    let lower = c.to_lowercase().next().unwrap_or(c);
                    let Some(&mask) = self.letters.get(&lower) else {
                        continue;
                    };
                    let share = 0.5 / mask.count_ones() as f32;
                    for i in languages_in(mask, scores.len()) {
                        if seen[i] < 3 {
                            seen[i] += 1;
                            scores[i] += share;
                            if with_evidence && evidence_count[i] < 6 {
                                evidence_count[i] += 1;
                                evidence.push((i as u8, Evidence::Letter(lower)));
                            }
                        }
                    }
                }
            }
            for (t, token) in tokens.iter().enumerate() {
                if token.kind != TokenKind::Word {
                    continue;
                }
                let w = token.text(folded);
                if w.len() > self.longest_word {
                    continue;
                }
                if let Some(&mask) = self.words.get(w.as_bytes()) {
                    let share = 1.0 / mask.count_ones() as f32;
                    for i in languages_in(mask, scores.len()) {
                        scores[i] += share;
                        if with_evidence && evidence_count[i] < 6 {
                            evidence_count[i] += 1;
                            evidence.push((i as u8, Evidence::Word(t as u32)));
                        }
                    }
                }
            }
            // The first two languages of a stable sort by descending score, without sorting:
            // the best score, the first language with it; then the same among the others.
            let ranked = top_two(scores);
            match ranked {
                (Some(best), second)
                    if scores[best] >= 1.0
                        && second.is_none_or(|s| scores[best] > scores[s] + 0.49) =>
                {
                    LanguageDecision {
                        lang: self.codes[best].clone(),
                        rule: if with_rule {
                            "common-words".into()
                        } else {
                            String::new()
                        },
                        // Nothing was gathered without evidence: not walked then.
                        evidence: if with_evidence {
                            evidence
                                .iter()
                                .filter(|(i, _)| *i as usize == best)
                                .map(|(_, e)| match e {
                                    Evidence::Letter(c) => c.to_string(),
                                    Evidence::Word(t) => {
                                        tokens[*t as usize].text(folded).to_string()
                                    }
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                        candidates: Vec::new(),
                    }
                }
                (best, second) => LanguageDecision {
                    lang: "und".into(),
                    rule: if with_rule {
                        "undetermined".into()
                    } else {
                        String::new()
                    },
                    evidence: Vec::new(),
                    candidates: [best, second]
                        .into_iter()
                        .flatten()
                        .filter(|&i| scores[i] > 0.0)
                        .map(|i| self.codes[i].clone())
                        .collect(),
                },
            }
        })
    }
}

/// What a [`LanguageDecision`] carries besides the language and candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// The rule and every piece of evidence.
    Explained,
    /// The rule, and the evidence only of a decision by script.
    Rule,
    /// Neither.
    Language,
}

/// One piece of evidence for a language, pointing into the post until a language wins.
#[derive(Debug, Clone, Copy)]
enum Evidence {
    /// A marking letter, lowercased.
    Letter(char),
    /// A frequent word: the index of its token.
    Word(u32),
}

thread_local! {
    /// The evidence list of [`LanguageDetector::detect`], reused from post to post.
    static EVIDENCE: std::cell::RefCell<Vec<(u8, Evidence)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// How many letters of each script of [`SCRIPTS`] `text` has. ASCII is counted eight bytes
/// at a time; other characters go through [`script_index`].
fn count_scripts(text: &str) -> [usize; 9] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut counts = [0usize; 9];
    let mut latin = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
            if word & (0x80 * ONES) == 0 {
                // Eight ASCII bytes: a byte is a letter when, lowercased (| 0x20, which maps
                // only A-Z into a-z), it lies in 0x61..=0x7A. Bytes below 0x80 plus at most
                // 0x1F never carry into the next byte.
                let lower = word | (0x20 * ONES);
                let letters = lower.wrapping_add(0x1F * ONES)
                    & !lower.wrapping_add(0x05 * ONES)
                    & (0x80 * ONES);
                latin += letters.count_ones() as usize;
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b.is_ascii() {
            latin += b.is_ascii_alphabetic() as usize;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if let Some(s) = script_index(c) {
            counts[s] += 1;
        }
        i += c.len_utf8();
    }
    counts[8] += latin;
    counts
}

/// The languages (positions below `count`) whose bit is set in `mask`, in increasing order:
/// the same languages, in the same order, as testing every position's bit, for a few steps
/// instead of one per language (a word is frequent in one or two languages of fourteen).
fn languages_in(mask: u64, count: usize) -> impl Iterator<Item = usize> {
    let mut rest = mask;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let i = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        Some(i)
    })
    .take_while(move |&i| i < count)
}

/// The first two positions of a stable sort of `scores` in descending order (by
/// `f32::total_cmp`), found in one pass.
fn top_two(scores: &[f32]) -> (Option<usize>, Option<usize>) {
    // Each score turned once into the integer whose order is `f32::total_cmp`'s (the
    // standard library's own transform), so the pass compares integers: comparing by
    // `total_cmp` redid that transform for both sides of every comparison.
    let order_key = |f: f32| {
        let bits = f.to_bits() as i32;
        bits ^ ((((bits >> 31) as u32) >> 1) as i32)
    };
    let mut best: Option<(usize, i32)> = None;
    let mut second: Option<(usize, i32)> = None;
    for (i, &s) in scores.iter().enumerate() {
        let key = order_key(s);
        match best {
            None => best = Some((i, key)),
            Some((_, b)) if key > b => {
                second = best;
                best = Some((i, key));
            }
            Some(_) => {
                if second.is_none_or(|(_, x)| key > x) {
                    second = Some((i, key));
                }
            }
        }
    }
    (best.map(|(i, _)| i), second.map(|(i, _)| i))
}

/// The primary subtag of a language tag, lowercased: `pt-BR` -> `pt`.
pub fn normalize_tag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    /// The one-pass [`super::top_two`] against the first two of a stable sort by
    /// `total_cmp`, over scores with ties, zeros, negative zeros, infinities and NaNs.
    #[test]
    fn top_two_is_the_head_of_a_stable_sort() {
        let values = [
            0.0f32,
            -0.0,
            0.5,
            1.0,
            1.0 / 3.0,
            2.5,
            f32::INFINITY,
            f32::NAN,
            -1.0,
        ];
        let mut state = 17u64;
        for len in 0..40 {
            for _ in 0..200 {
                let scores: Vec<f32> = (0..len)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        values[(state >> 33) as usize % values.len()]
                    })
                    .collect();
                let mut order: Vec<usize> = (0..scores.len()).collect();
                order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
                let expected = (order.first().copied(), order.get(1).copied());
                assert_eq!(super::top_two(&scores), expected, "{scores:?}");
            }
        }
    }

    use super::*;
    use crate::lexicon::tokens::tokenize;
    use proptest::prelude::*;

    /// `detect` as it was before its fast paths (sorting, evidence copied as found): the
    /// reference they are compared with.
    fn reference_detect(
        d: &LanguageDetector,
        original: &str,
        folded: &str,
        tokens: &[Token],
    ) -> LanguageDecision {
        // Scripts other than Latin decide at once: kana means Japanese even among kanji.
        let mut counts: [(&str, usize); 9] = SCRIPTS.map(|name| (name, 0));
        for c in original.chars() {
            if let Some(i) = script_index(c) {
                counts[i].1 += 1;
            }
        }
        let latin = counts[8].1;
        let japanese = counts[0].1;
        let best_other = counts[..8]
            .iter()
            .copied()
            .filter(|(n, c)| *c > 0 && (*n != "han" || japanese == 0))
            .max_by_key(|(_, c)| *c);
        if let Some((script, n)) = best_other
            && other_script_decides(script, n, latin)
        {
            let script = if script == "han" && japanese > 0 {
                "japanese"
            } else {
                script
            };
            let lang = d
                .scripts
                .get(script)
                .map(|&i| d.codes[i].clone())
                .or_else(|| default_for_script(script).map(str::to_string));
            if let Some(lang) = lang {
                return LanguageDecision {
                    lang,
                    rule: format!("script:{script}"),
                    evidence: vec![format!("{n} {script} letters")],
                    candidates: Vec::new(),
                };
            }
        }
        // Fixed arrays for the (at most 64) languages: nothing allocated per post but the
        // evidence, whose words are borrowed from the text until one language wins.
        let languages = d.codes.len().min(64);
        let mut all_scores = [0f32; 64];
        let scores = &mut all_scores[..languages];
        let mut evidence_count = [0u8; 64];
        let mut evidence: Vec<(usize, std::borrow::Cow<'_, str>)> = Vec::new();
        // Letters that mark a language ("ş" Turkish, "ł" Polish, "ñ" Spanish): half a vote
        // each, shared by the languages listing it, and only the first three of each.
        if !d.letters.is_empty() {
            let mut seen = [0u8; 64];
            for c in original.chars().filter(|c| !c.is_ascii()) {
                let lower = c.to_lowercase().next().unwrap_or(c);
                let Some(&mask) = d.letters.get(&lower) else {
                    continue;
                };
                let share = 0.5 / mask.count_ones() as f32;
                for (i, score) in scores.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 && seen[i] < 3 {
                        seen[i] += 1;
                        *score += share;
                        if evidence_count[i] < 6 {
                            evidence_count[i] += 1;
                            evidence.push((i, lower.to_string().into()));
                        }
                    }
                }
            }
        }
        for t in tokens {
            if t.kind != TokenKind::Word {
                continue;
            }
            let w = t.text(folded);
            if let Some(&mask) = d.words.get(w.as_bytes()) {
                let share = 1.0 / mask.count_ones() as f32;
                for (i, score) in scores.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *score += share;
                        if evidence_count[i] < 6 {
                            evidence_count[i] += 1;
                            evidence.push((i, w.into()));
                        }
                    }
                }
            }
        }
        let mut all_order: [usize; 64] = std::array::from_fn(|i| i);
        let order = &mut all_order[..languages];
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        match &*order {
            [best, rest @ ..]
                if scores[*best] >= 1.0
                    && rest
                        .first()
                        .is_none_or(|&s| scores[*best] > scores[s] + 0.49) =>
            {
                LanguageDecision {
                    lang: d.codes[*best].clone(),
                    rule: "common-words".into(),
                    evidence: evidence
                        .iter()
                        .filter(|(i, _)| i == best)
                        .map(|(_, e)| e.to_string())
                        .collect(),
                    candidates: Vec::new(),
                }
            }
            _ => LanguageDecision {
                lang: "und".into(),
                rule: "undetermined".into(),
                evidence: Vec::new(),
                candidates: order
                    .iter()
                    .filter(|&&i| scores[i] > 0.0)
                    .take(2)
                    .map(|&i| d.codes[i].clone())
                    .collect(),
            },
        }
    }

    fn detector() -> &'static LanguageDetector {
        static DETECTOR: std::sync::OnceLock<LanguageDetector> = std::sync::OnceLock::new();
        DETECTOR.get_or_init(|| {
            let lexicons = crate::lexicon::load_all(&crate::lexicon::BUNDLED)
                .unwrap_or_else(|e| panic!("{e}"));
            LanguageDetector::new(&lexicons)
        })
    }

    fn both(text: &str) -> (LanguageDecision, LanguageDecision) {
        let folded = crate::text::fold(text);
        let tokens = tokenize(&folded);
        let d = detector();
        (
            d.detect(text, &folded, &tokens),
            reference_detect(d, text, &folded, &tokens),
        )
    }

    #[test]
    fn ascii_letters_are_counted_like_one_by_one() {
        let all: String = (0u8..128).map(char::from).collect();
        for text in [
            all.as_str(),
            "Hello, World! 123 abcXYZ@[`{",
            "ça va très bien, ñ ß ж",
        ] {
            let mut expected = [0usize; 9];
            for c in text.chars() {
                if let Some(i) = script_index(c) {
                    expected[i] += 1;
                }
            }
            assert_eq!(count_scripts(text), expected, "{text:?}");
        }
    }

    #[test]
    fn agrees_with_the_reference_on_examples() {
        for text in [
            "is whatsapp down for anyone else?? my messages are just not going",
            "se cayó whatsapp?? no me envía los mensajes desde hace media hora",
            "caiu o zap? não carrega nada aqui kkkk",
            "instagram geht mal wieder nicht, nachrichten kommen nicht an",
            "LINE落ちてるんだけど",
            "漢字だけ",
            "ютуб не работает",
            "واتساب واقف",
            "यूट्यूब नहीं चल रहा",
            "şşş łłł ñ",
            "",
            "😤😤",
            "x",
        ] {
            let (fast, reference) = both(text);
            assert_eq!(fast, reference, "{text:?}");
            let folded = crate::text::fold(text);
            let tokens = tokenize(&folded);
            let language = detector().detect_language(text, &folded, &tokens);
            assert_eq!(
                (&language.lang, &language.candidates),
                (&fast.lang, &fast.candidates),
                "{text:?}"
            );
            assert!(language.rule.is_empty() && language.evidence.is_empty());
        }
    }

    /// Words the lexicons list as frequent, mixed across languages, so that scores tie and
    /// cross the thresholds in every way.
    const WORDS: &[&str] = &[
        "the",
        "is",
        "and",
        "de",
        "que",
        "não",
        "nao",
        "el",
        "la",
        "le",
        "et",
        "und",
        "nicht",
        "het",
        "een",
        "non",
        "è",
        "bir",
        "ve",
        "ya",
        "tidak",
        "и",
        "не",
        "में",
        "है",
        "في",
        "w",
        "nie",
        "się",
        "das",
        "ist",
        "por",
        "para",
        "com",
        "um",
        "una",
        "kkkk",
        "whatsapp",
        "down",
        "ş",
        "ł",
        "ñ",
        "ç",
        "ã",
        "ü",
        "ğ",
        "ı",
        "漢",
        "字",
        "の",
        "ア",
        "ー",
        "한",
        "α",
        "ไทย",
        "😤",
        ",",
        ".",
        "?",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        /// Any mix of those words, and arbitrary text, gets the same decision (language,
        /// rule, evidence, candidates) as the reference.
        #[test]
        fn agrees_with_the_reference(
            picks in proptest::collection::vec(0..WORDS.len(), 0..14),
            upper in any::<bool>(),
            noise in "\\PC{0,12}",
        ) {
            let mut text: String = picks.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            if upper {
                text = text.to_uppercase();
            }
            text.push(' ');
            text.push_str(&noise);
            let (fast, reference) = both(&text);
            prop_assert_eq!(&fast, &reference);
            let folded = crate::text::fold(&text);
            let tokens = tokenize(&folded);
            let mut without = detector().detect_without_evidence(&text, &folded, &tokens);
            if fast.rule == "common-words" {
                without.evidence = fast.evidence.clone();
            }
            // The language alone: the same language and candidates, nothing else.
            let language = detector().detect_language(&text, &folded, &tokens);
            prop_assert_eq!(&language.lang, &fast.lang);
            prop_assert_eq!(&language.candidates, &fast.candidates);
            prop_assert!(language.rule.is_empty() && language.evidence.is_empty());
            prop_assert_eq!(without, fast);
        }

        /// Any text, in any script, has its letters counted as character by character.
        #[test]
        fn scripts_are_counted_like_one_by_one(text in "\\PC{0,64}") {
            let mut expected = [0usize; 9];
            for c in text.chars() {
                if let Some(i) = script_index(c) {
                    expected[i] += 1;
                }
            }
            prop_assert_eq!(count_scripts(&text), expected);
        }
    }
}
