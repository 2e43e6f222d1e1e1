//! Text folding shared by every matcher: Unicode compatibility normalisation, case folding and
//! accent folding, so that "CAÍDO", "caído" and "caido" meet, while scripts whose marks carry
//! meaning (Japanese voicing marks, Devanagari vowel signs) keep them.
//!
//! This module owns [`fold`] and nothing else; every caller relies on its output being the same
//! for the same input, so the fast path for ASCII must stay equal to the general one (a
//! proptest checks it).

use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Folds `text` for matching: NFKD, lowercase, accents removed from Latin, Greek and Cyrillic
/// letters, a few letters expanded (ß → ss, æ → ae, ø → o, ł → l, đ → d, ı → i).
///
/// ```
/// assert_eq!(outcry_analyze::text::fold("CAÍDO Ça Über ＷｈａｔｓＡｐｐ"), "caido ca uber whatsapp");
/// assert_eq!(outcry_analyze::text::fold("落ちてる が"), "落ちてる が".chars().collect::<String>());
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Like [`fold`], appending to `out` so a caller can reuse one buffer.
///
/// ASCII is copied lowercased a run at a time, and only the runs of other characters between
/// go through normalisation. That gives the same result as folding the whole string: an ASCII
/// character is a starter that decomposes to itself, composes with nothing and, being below
/// U+0530, drops any mark after it, so neither NFKD's reordering, the mark rule nor NFC
/// recomposition ever reaches across it.
pub fn fold_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let ascii_end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |n| start + n);
        if ascii_end > start {
            push_ascii_lowercase(&text[start..ascii_end], out);
        }
        if ascii_end == bytes.len() {
            return;
        }
        let other_end = bytes[ascii_end..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |n| ascii_end + n);
        let run = &text[ascii_end..other_end];
        if !fold_letters_into(run, out) {
            fold_general_into(run, out);
        }
        start = other_end;
    }
}

/// Appends `ascii` lowercased.
fn push_ascii_lowercase(ascii: &str, out: &mut String) {
    let from = out.len();
    out.push_str(ascii);
    // Only ASCII letters change, so the appended bytes stay valid UTF-8 in place.
    out[from..].make_ascii_lowercase();
}

/// The first character [`letter_folds`] covers.
const LETTERS_START: u32 = 0x00C0;
/// One past the last: Latin-1 letters, Latin Extended-A and B, IPA, Greek and Cyrillic.
const LETTERS_END: u32 = 0x0500;

/// The fold of one letter of U+00C0..U+04FF when it folds the same alone as inside any run of
/// such letters. True of a letter that is no mark, whose decomposition starts with a starter
/// and has only characters below U+0530 (so any accent in it is dropped), and whose fold has
/// no mark and is in NFC: then folding a run letter by letter equals folding it whole, since
/// each accent goes with its letter and nothing composes across letters.
#[derive(Clone, Copy)]
struct LetterFold {
    bytes: [u8; 8],
    len: u8,
}

/// [`LetterFold`]s for U+00C0..U+04FF (`None` where a letter does not qualify), computed with
/// the general fold on first use.
fn letter_folds() -> &'static [Option<LetterFold>] {
    static LETTER_FOLDS: OnceLock<Vec<Option<LetterFold>>> = OnceLock::new();
    LETTER_FOLDS.get_or_init(|| {
        (LETTERS_START..LETTERS_END)
            .map(|code| {
                let c = char::from_u32(code)?;
                if is_combining_mark(c) {
                    return None;
                }
                let mut decomposed = std::iter::once(c).nfkd().peekable();
                let first = *decomposed.peek()?;
                if canonical_combining_class(first) != 0
                    || decomposed.any(|d| !is_combining_mark(d) && (d as u32) >= 0x0530)
                {
                    return None;
                }
                let mut folded = String::new();
                let mut buf = [0u8; 4];
                fold_general_into(c.encode_utf8(&mut buf), &mut folded);
                if folded.chars().any(is_combining_mark)
                    || is_nfc_quick(folded.chars()) != IsNormalized::Yes
                    || folded.len() > 8
                {
                    return None;
                }
                let mut bytes = [0u8; 8];
                bytes[..folded.len()].copy_from_slice(folded.as_bytes());
                Some(LetterFold {
                    bytes,
                    len: folded.len() as u8,
                })
            })
            .collect()
    })
}

/// Appends the fold of `run` character by character and returns true when every character of
/// it has a [`LetterFold`] (accented Latin, Greek, Cyrillic) or folds to itself (most Arabic,
/// kana and kanji); otherwise appends nothing and returns false.
fn fold_letters_into(run: &str, out: &mut String) -> bool {
    let from = out.len();
    let folds = letter_folds();
    for c in run.chars() {
        let code = c as u32;
        if (LETTERS_START..LETTERS_END).contains(&code)
            && let Some(fold) = folds[(code - LETTERS_START) as usize]
        {
            // The bytes are a whole UTF-8 string, copied from one.
            out.push_str(std::str::from_utf8(&fold.bytes[..fold.len as usize]).unwrap_or_default());
            continue;
        }
        if folds_to_itself(c) {
            out.push(c);
            continue;
        }
        out.truncate(from);
        return false;
    }
    true
}

/// The blocks [`folds_to_itself`] covers: Armenian, Hebrew and Arabic; kana; CJK ideographs.
const ITSELF_BLOCKS: [(u32, u32); 3] = [(0x0530, 0x0700), (0x3040, 0x3100), (0x4E00, 0xA000)];

/// Whether `c` folds to itself whatever surrounds it: no mark, no decomposition, no other
/// lowercase, no special case, and in NFC. Such a character changes nothing in a run: it is a
/// starter, nothing decomposes into it or composes with it (the only unmarked characters that
/// compose with the one before them are Hangul jamo, outside these blocks). Known for the
/// blocks of [`ITSELF_BLOCKS`] (Arabic names, Japanese and Chinese text), from a bit table
/// computed on first use.
fn folds_to_itself(c: char) -> bool {
    static ITSELF: OnceLock<Vec<Vec<u64>>> = OnceLock::new();
    let tables = ITSELF.get_or_init(|| {
        ITSELF_BLOCKS
            .iter()
            .map(|&(start, end)| {
                let mut bits = vec![0u64; ((end - start) as usize).div_ceil(64)];
                for code in start..end {
                    if char::from_u32(code).is_some_and(is_fold_fixed_point) {
                        let i = (code - start) as usize;
                        bits[i / 64] |= 1 << (i % 64);
                    }
                }
                bits
            })
            .collect()
    });
    let code = c as u32;
    ITSELF_BLOCKS
        .iter()
        .zip(tables)
        .find(|((start, end), _)| (*start..*end).contains(&code))
        .is_some_and(|((start, _), bits)| {
            let i = (code - start) as usize;
            bits[i / 64] & (1 << (i % 64)) != 0
        })
}

/// The test behind [`folds_to_itself`], run once per character of its blocks.
fn is_fold_fixed_point(c: char) -> bool {
    if is_combining_mark(c) || canonical_combining_class(c) != 0 {
        return false;
    }
    let mut decomposed = std::iter::once(c).nfkd();
    if decomposed.next() != Some(c) || decomposed.next().is_some() {
        return false;
    }
    let mut buf = [0u8; 4];
    let alone = c.encode_utf8(&mut buf);
    let mut folded = String::new();
    fold_general_into(alone, &mut folded);
    folded == *alone && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// The full fold of `text` (any string), appended to `out`: the reference [`fold_into`] must
/// agree with.
fn fold_general_into(text: &str, out: &mut String) {
    let from = out.len();
    let mut last_base = 'a';
    for c in text.nfkd() {
        if is_combining_mark(c) {
            if (last_base as u32) < 0x0530 {
                continue;
            }
            out.push(c);
            continue;
        }
        last_base = c;
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
            _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            _ => out.extend(c.to_lowercase()),
        }
    }
    // NFKD leaves the kept marks decomposed; recompose so that a folded Japanese string equals
    // its folded lexicon entry whatever form each came in. The quick check spares the copy
    // for text that is already composed (emoji, most Cyrillic, Arabic, kanji).
    let appended = &out[from..];
    if !appended.is_ascii() && is_nfc_quick(appended.chars()) != IsNormalized::Yes {
        let recomposed: String = appended.nfc().collect();
        out.truncate(from);
        out.push_str(&recomposed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fold`] as it was written before the ASCII runs were split off: NFKD over the whole
    /// string, then NFC over the whole result.
    fn fold_whole(text: &str) -> String {
        let mut out = String::new();
        fold_general_into(text, &mut out);
        if !out.is_ascii() {
            out = out.nfc().collect();
        }
        out
    }

    #[test]
    fn folds_latin_keeps_other_marks() {
        assert_eq!(fold("Não está FUNCIONANDO"), "nao esta funcionando");
        assert_eq!(fold("çöktü"), "cokti".replace('i', "u"));
        assert_eq!(fold("Не работает"), "не работает".replace('й', "и"));
        assert_eq!(fold("नहीं चल रहा"), "नहीं चल रहा");
        assert_eq!(fold("ダウン"), "ダウン");
        assert_eq!(fold("it’s down"), "it's down");
    }

    #[test]
    fn every_letter_folds_alone_as_in_a_run() {
        for a in LETTERS_START..LETTERS_END {
            let Some(a) = char::from_u32(a) else { continue };
            for b in ['a', 'é', 'ß', 'ǅ', 'ό', 'й', 'ё', '\u{301}', 'ۍ', 'ℌ'] {
                for s in [format!("{a}{b}"), format!("{b}{a}"), format!("{a}{a}")] {
                    assert_eq!(fold(&s), fold_whole(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn every_fixed_point_folds_alone_as_in_a_run() {
        for &(start, end) in &ITSELF_BLOCKS {
            for a in (start..end).filter_map(char::from_u32) {
                if !folds_to_itself(a) {
                    continue;
                }
                for b in [
                    'a', 'é', 'ب', '\u{64b}', 'カ', '\u{3099}', 'ﾞ', '東', '\u{1161}',
                ] {
                    for s in [format!("{a}{b}"), format!("{b}{a}"), format!("{a}{a}")] {
                        assert_eq!(fold(&s), fold_whole(&s), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn runs_of_ascii_meet_marks_and_kana() {
        for s in [
            "e\u{301}te\u{301} A\u{30a}",
            "カ\u{3099}a\u{3099}ｶﾞｶ\u{ff9e}",
            "x\u{ff9e}\u{3099}ﾞ",
            "ﬁ①ǅ K Å",
            "ŞIRNAK İstanbul 🇧🇷🇺🇸 ok",
            "\u{0915}\u{093c}a\u{093c}",
            "\u{1100}\u{1161}a\u{11a8}",
        ] {
            assert_eq!(fold(s), fold_whole(s), "{s:?}");
        }
        let mut out = String::from("Kept ");
        fold_into("AND ÀS", &mut out);
        assert_eq!(out, "Kept and as");
    }

    proptest::proptest! {
        #[test]
        fn ascii_runs_fold_like_the_whole_string(s in "\\PC{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }

        #[test]
        fn unmarked_scripts_fold_like_the_whole_string(
            s in "[a-z \u{600}-\u{6ff}\u{3040}-\u{30ff}\u{4e00}-\u{4e80}\u{9f00}-\u{9fff}\u{300}\u{3099}\u{ff9e}\u{1161}\u{11a8}\u{c0}-\u{24f}]{0,24}"
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }

        #[test]
        fn letters_fold_like_the_whole_string(
            s in "[a-zA-Z \u{c0}-\u{24f}\u{370}-\u{4ff}\u{300}-\u{36f}]{0,24}"
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }

        #[test]
        fn mixed_scripts_fold_like_the_whole_string(
            s in "[a-zA-Z .'\u{300}-\u{36f}\u{3099}\u{309a}\u{ff9e}\u{ff9f}ßẞæØłİıĳ①ﬁＡ-Ｚｶ-ﾝカ-ン가-힣\u{1100}-\u{1112}\u{1161}-\u{1175}\u{0900}-\u{097f}Ա-ֆ]{0,24}"
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }
    }
}
