//! Text folding shared by every matcher: Unicode compatibility normalisation, case folding and
//! accent folding, so that "CAÍDO", "caído" and "caido" meet, while scripts whose marks carry
//! meaning (Japanese voicing marks, Devanagari vowel signs) keep them.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
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
            _ => out.extend(c.to_lowercase()),
        }
    }
    // NFKD leaves the kept marks decomposed; recompose so that a folded Japanese string equals
    // its folded lexicon entry whatever form each came in.
    if !out.is_ascii() {
        let recomposed: String = out.nfc().collect();
        *out = recomposed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_latin_keeps_other_marks() {
        assert_eq!(fold("Não está FUNCIONANDO"), "nao esta funcionando");
        assert_eq!(fold("çöktü"), "cokti".replace('i', "u"));
        assert_eq!(fold("Не работает"), "не работает".replace('й', "и"));
        assert_eq!(fold("नहीं चल रहा"), "नहीं चल रहा");
        assert_eq!(fold("ダウン"), "ダウン");
        assert_eq!(fold("it’s down"), "it's down");
    }
}
