//! Text folding shared by every matcher: Unicode compatibility normalisation, case folding and
//! accent folding, so that "CAÍDO", "caído" and "caido" meet, while scripts whose marks carry
//! meaning (Japanese voicing marks, Devanagari vowel signs) keep them.
//!
//! This module owns [`fold`] and nothing else; every caller relies on its output being the same
//! for the same input, so the fast path for ASCII must stay equal to the general one (a
//! proptest checks it).

use unicode_normalization::char::is_combining_mark;
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
        fold_general_into(&text[ascii_end..other_end], out);
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
        fn mixed_scripts_fold_like_the_whole_string(
            s in "[a-zA-Z .'\u{300}-\u{36f}\u{3099}\u{309a}\u{ff9e}\u{ff9f}ßẞæØłİıĳ①ﬁＡ-Ｚｶ-ﾝカ-ン가-힣\u{1100}-\u{1112}\u{1161}-\u{1175}\u{0900}-\u{097f}Ա-ֆ]{0,24}"
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }
    }
}
