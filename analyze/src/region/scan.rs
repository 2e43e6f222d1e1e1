//! Finding gazetteer names in a string: folding with a map back to the original bytes (so the
//! resolver can look at capitals and at what surrounds a name), and the word-boundary rules
//! for each script. It decides nothing about which place a name means; that is `resolve`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::text::fold_into;
use crate::u64_table::U64Table;

/// A string folded with [`crate::text::fold`] cluster by cluster, runs of whitespace collapsed
/// to one space, with the original byte range of every folded byte.
pub(crate) struct Folded<'a> {
    pub original: &'a str,
    pub text: String,
    /// For folded byte `i`: the original range of the cluster it came from. Empty when the
    /// input was ASCII without repeated whitespace, where folded and original offsets agree.
    origin: Vec<(u32, u32)>,
    /// Scratch space of the cluster folding, kept for the next [`Folded::new_in`].
    cluster: String,
    piece: String,
}

impl<'a> Folded<'a> {
    /// Folds `original`, reusing the buffers of `spare` (a [`Folded`] of an earlier call, see
    /// [`Folded::into_buffers`]) so that a call allocates nothing once the buffers are warm.
    pub fn new_in(original: &'a str, spare: FoldBuffers) -> Folded<'a> {
        let FoldBuffers {
            mut text,
            mut origin,
            mut cluster,
            mut piece,
        } = spare;
        text.clear();
        origin.clear();
        if fold_simple_ascii(original, &mut text) {
            return Folded {
                original,
                text,
                origin,
                cluster,
                piece,
            };
        }
        text.clear();
        text.reserve(original.len() + 8);
        origin.reserve(original.len() + 8);
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Most of a post, even one with an emoji or an accent, is plain ASCII: copy such a
            // run at once (see `plain_ascii_run_end` for what each of its bytes folds to).
            let run_end = plain_ascii_run_end(bytes, i);
            if run_end > i {
                let mut start = i;
                // Only the run's first byte can be a space that follows a folded space (a
                // space inside the run is followed by a non-whitespace byte), and such a
                // space folds to nothing.
                if bytes[start] == b' ' && text.ends_with(' ') {
                    start += 1;
                }
                let folded_from = text.len();
                text.push_str(&original[start..run_end]);
                text[folded_from..].make_ascii_lowercase();
                origin.extend((start as u32..run_end as u32).map(|k| (k, k + 1)));
                i = run_end;
                continue;
            }
            i = fold_cluster(
                original,
                i,
                &mut text,
                &mut origin,
                &mut cluster,
                &mut piece,
            );
        }
        Folded {
            original,
            text,
            origin,
            cluster,
            piece,
        }
    }

    /// Folds `original` with fresh buffers.
    #[cfg(test)]
    pub fn new(original: &'a str) -> Folded<'a> {
        Folded::new_in(original, FoldBuffers::default())
    }

    /// Gives the buffers back for the next [`Folded::new_in`].
    pub fn into_buffers(self) -> FoldBuffers {
        FoldBuffers {
            text: self.text,
            origin: self.origin,
            cluster: self.cluster,
            piece: self.piece,
        }
    }

    /// The original byte range that folded range `r` came from.
    pub fn original_range(&self, r: &Range<usize>) -> Range<usize> {
        if self.origin.is_empty() {
            return r.clone();
        }
        if r.start >= r.end || r.end > self.origin.len() {
            return 0..0;
        }
        self.origin[r.start].0 as usize..self.origin[r.end - 1].1 as usize
    }
}

/// The end of the run of bytes from `start` that fold one by one to themselves lowercased,
/// without decoding: ASCII characters that are not whitespace, followed by an ASCII byte (so by
/// no mark) or by the end, and single spaces followed by such a character (one space, as
/// `fold_cluster` makes of a run of whitespace). `start` itself when the byte there is none of
/// these; `fold_cluster` takes it.
fn plain_ascii_run_end(bytes: &[u8], start: usize) -> usize {
    let is_space = |b: u8| (b as char).is_whitespace();
    // The last ASCII byte before another character may be followed by a mark: it is left to
    // `fold_cluster`.
    let limit = match bytes[start..].iter().position(|b| !b.is_ascii()) {
        Some(n) => (start + n).saturating_sub(1).max(start),
        None => bytes.len(),
    };
    let mut end = start;
    while end < limit {
        let b = bytes[end];
        // Whitespace other than a single space before a non-whitespace byte (a space at the
        // very end has no such byte) is folded by `fold_cluster`.
        if is_space(b) && (b != b' ' || bytes.get(end + 1).is_none_or(|&n| is_space(n))) {
            break;
        }
        end += 1;
    }
    end
}

/// Folds the character of `original` at byte `at`, with the marks that join it (or the run of
/// whitespace it starts, as one space), onto `text` and `origin`; returns the byte after them.
/// `cluster` and `piece` are scratch space.
fn fold_cluster(
    original: &str,
    at: usize,
    text: &mut String,
    origin: &mut Vec<(u32, u32)>,
    cluster: &mut String,
    piece: &mut String,
) -> usize {
    let mut chars = original[at..]
        .char_indices()
        .map(|(offset, c)| (at + offset, c))
        .peekable();
    let Some((start, c)) = chars.next() else {
        return original.len();
    };
    let mut end = start + c.len_utf8();
    if c.is_whitespace() {
        while let Some(&(i, n)) = chars.peek() {
            if !n.is_whitespace() {
                break;
            }
            end = i + n.len_utf8();
            chars.next();
        }
        if !text.ends_with(' ') {
            text.push(' ');
            origin.push((start as u32, end as u32));
        }
        return end;
    }
    // An ASCII character not followed by a mark folds to its lowercase alone.
    if c.is_ascii() && chars.peek().is_none_or(|&(_, n)| !joins_cluster(n)) {
        text.push(c.to_ascii_lowercase());
        origin.push((start as u32, end as u32));
        return end;
    }
    cluster.clear();
    cluster.push(c);
    while let Some(&(i, n)) = chars.peek() {
        if !joins_cluster(n) {
            break;
        }
        cluster.push(n);
        end = i + n.len_utf8();
        chars.next();
    }
    piece.clear();
    if cluster.is_ascii() {
        piece.push(c.to_ascii_lowercase());
    } else if cluster.len() == c.len_utf8() && folds_to_lowercase(c) {
        piece.extend(c.to_lowercase());
    } else {
        fold_into(cluster, piece);
    }
    text.push_str(piece);
    origin.extend(std::iter::repeat_n((start as u32, end as u32), piece.len()));
    end
}

/// The buffers of a [`Folded`], kept between calls by the resolver.
#[derive(Default)]
pub(crate) struct FoldBuffers {
    text: String,
    origin: Vec<(u32, u32)>,
    /// The scratch strings of `fold_cluster`: two allocations per text with an accent or an
    /// emoji when they were made afresh.
    cluster: String,
    piece: String,
}

/// Folds ASCII `original` without repeated or non-space whitespace into `out` (its lowercase,
/// with offsets equal to the original's) and returns true; returns false, leaving `out` to be
/// cleared, for any other input.
fn fold_simple_ascii(original: &str, out: &mut String) -> bool {
    let bytes = original.as_bytes();
    if !bytes.is_ascii() || !simple_ascii_whitespace(bytes) {
        return false;
    }
    out.push_str(original);
    out.make_ascii_lowercase();
    true
}

/// The low bit of every byte of a `u64`.
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether ASCII `bytes` hold no tab, line feed, form feed or carriage return
/// (`u8::is_ascii_whitespace` other than the space) and no two spaces in a row. Eight bytes at
/// a time: this runs over every post, and the byte-by-byte test (a branch per byte, which
/// mispredicted at every space) cost more than the copy it guards.
fn simple_ascii_whitespace(bytes: &[u8]) -> bool {
    debug_assert!(bytes.is_ascii());
    // The high bit of each byte of the result is set exactly where the byte is `n` or more:
    // for bytes below 0x80, adding 0x80 - n carries into the high bit and never past it.
    let at_least = |word: u64, n: u8| word.wrapping_add(u64::from(0x80 - n) * LOW_BITS) & HIGH_BITS;
    let mut space_before = false;
    let mut chunks = bytes.chunks_exact(8);
    let mut simple_word = |word: u64| {
        // Bytes 9 to 13: tab, line feed, vertical tab (not `is_ascii_whitespace`, so allowed),
        // form feed, carriage return. Rare: decided byte by byte when present.
        if at_least(word, 9) & !at_least(word, 14) != 0 {
            let mut one = [0u8; 8];
            one.copy_from_slice(&word.to_le_bytes());
            if one.iter().any(|&b| b != 0x0B && (9..=13).contains(&b)) {
                return false;
            }
        }
        // The high bit of each byte that is a space (exact: no borrow crosses bytes).
        let x = word ^ (u64::from(b' ') * LOW_BITS);
        let spaces = !(((x & !HIGH_BITS) + !HIGH_BITS) | x | !HIGH_BITS);
        // Byte i and byte i + 1 both spaces, or the last byte before this word and the first.
        if spaces & (spaces >> 8) != 0 || (space_before && spaces & 0x80 != 0) {
            return false;
        }
        space_before = spaces >> 63 != 0;
        true
    };
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if !simple_word(u64::from_le_bytes(word)) {
            return false;
        }
    }
    // The rest, padded with zero bytes (neither spaces nor whitespace).
    let rest = chunks.remainder();
    let mut word = [0u8; 8];
    word[..rest.len()].copy_from_slice(rest);
    simple_word(u64::from_le_bytes(word))
}

/// Whether `c` belongs to the cluster of the character before it: a combining mark, or one
/// of the four characters whose decomposition starts with a mark (the half-width voicing
/// marks, kept with their kana so "ｶﾞ" folds to "ガ" as it does in a whole string, and the
/// Thai and Lao "am", whose nikhahit is judged by the character before it).
fn joins_cluster(c: char) -> bool {
    !c.is_ascii()
        && (is_combining_mark(c) || matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{0E33}' | '\u{0EB3}'))
}

/// Whether [`crate::text::fold`] of the lone character `c` is just its lowercase: true for
/// most kanji, kana, Cyrillic, Arabic and Devanagari letters, which NFKD leaves alone. This
/// spares an allocation per character on non-Latin text; anything else takes the full fold.
fn folds_to_lowercase(c: char) -> bool {
    // Latin (with its extended blocks) has the special cases of `fold` (ß, ẞ, æ, ł...).
    if is_combining_mark(c)
        || (c as u32) < 0x0370
        || (0x1E00..=0x1EFF).contains(&(c as u32))
        || matches!(c, '\u{2018}' | '\u{2019}')
    {
        return false;
    }
    let mut decomposed = std::iter::once(c).nfkd();
    decomposed.next() == Some(c) && decomposed.next().is_none()
}

/// A script written without spaces between words, where a name may touch its neighbours.
pub(crate) fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    // The Unicode tables cost a binary search per character: answer first for the blocks
    // names and posts mostly use (a test checks every character of these ranges).
    if WORD_RANGES.iter().any(|r| r.contains(&c)) {
        return true;
    }
    if NON_WORD_RANGES.iter().any(|r| r.contains(&c)) {
        return false;
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Ranges of letters, digits and marks only: accented Latin, combining accents, Cyrillic,
/// Arabic, Devanagari, kana, CJK ideographs, Hangul syllables.
const WORD_RANGES: [std::ops::RangeInclusive<char>; 14] = [
    '\u{00C0}'..='\u{00D6}',
    '\u{00D8}'..='\u{00F6}',
    '\u{00F8}'..='\u{024F}',
    '\u{0300}'..='\u{036F}',
    '\u{0400}'..='\u{0481}',
    '\u{048A}'..='\u{04FF}',
    '\u{0620}'..='\u{065F}',
    '\u{0900}'..='\u{0963}',
    '\u{0966}'..='\u{096F}',
    '\u{0971}'..='\u{097F}',
    '\u{3041}'..='\u{3096}',
    '\u{30A1}'..='\u{30FA}',
    '\u{4E00}'..='\u{9FEF}',
    '\u{AC00}'..='\u{D7A3}',
];

/// Ranges without any letter, digit or mark: dashes, quotes and bullets, and the emoji.
const NON_WORD_RANGES: [std::ops::RangeInclusive<char>; 2] =
    ['\u{2010}'..='\u{2027}', '\u{1F300}'..='\u{1FAFF}'];

/// FxHash (the hash rustc uses) for the gazetteer's hash maps: the keys are short trusted
/// strings from our own data, so a fast non-cryptographic hash is safe here and saves a good
/// part of each lookup.
pub(crate) type FxBuild = rustc_hash::FxBuildHasher;

/// Whether `text[range]` stands as a whole word (or a whole flag) in `text`.
fn on_boundaries(text: &str, range: &Range<usize>) -> bool {
    let name = &text[range.clone()];
    let (Some(first), Some(last)) = (name.chars().next(), name.chars().next_back()) else {
        return false;
    };
    if is_regional_indicator(first) {
        // "🇧🇷🇺🇸" holds 🇷🇺 too: a flag must start an even run of indicators.
        let before = text[..range.start]
            .chars()
            .rev()
            .take_while(|&c| is_regional_indicator(c))
            .count();
        return before % 2 == 0;
    }
    if is_unspaced(first) || is_unspaced(last) {
        // Without spaces, a name must not be one letter, and a kana name must not sit inside a
        // longer run of the same kana ("タイ" is Thailand, but not inside "タイムライン").
        if name.chars().nth(1).is_none() {
            return false;
        }
        let prev = text[..range.start].chars().next_back();
        let next = text[range.end..].chars().next();
        let left_ok = if is_unspaced(first) {
            prev.is_none_or(|p| kana_kind(p).is_none() || kana_kind(p) != kana_kind(first))
        } else {
            prev.is_none_or(|c| !is_word_char(c))
        };
        let right_ok = if is_unspaced(last) {
            next.is_none_or(|n| kana_kind(n).is_none() || kana_kind(n) != kana_kind(last))
        } else {
            next.is_none_or(|c| !is_word_char(c))
        };
        return left_ok && right_ok;
    }
    let left_ok = text[..range.start]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c));
    let right_ok = text[range.end..]
        .chars()
        .next()
        .is_none_or(|c| !is_word_char(c));
    left_ok && right_ok
}

/// Hiragana (1) or katakana (2), counting the prolonged sound mark with katakana.
fn kana_kind(c: char) -> Option<u8> {
    match c as u32 {
        0x3041..=0x309F => Some(1),
        0x30A0..=0x30FF | 0xFF66..=0xFF9F => Some(2),
        _ => None,
    }
}

/// Folded byte ranges of the tokens of `text`: runs of letters, digits and combining marks,
/// and flags (a pair of regional indicators, taken from the start of a run of them). Runs in
/// scripts written without spaces come out as one long token; [`NameIndex`] matches inside them
/// separately.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    tokens_into(text, &mut out);
    out
}

/// ASCII letters, digits and '_' (the word bytes of [`tokens_into`]), by byte: one load per
/// byte instead of three range tests. False for every byte of 128 or more.
const ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Like [`tokens`], replacing the contents of `out`. ASCII bytes are classified as bytes; only
/// other characters are decoded.
pub(crate) fn tokens_into(text: &str, out: &mut Vec<Range<usize>>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if ASCII_WORD_BYTES[b as usize] {
                word_start.get_or_insert(i);
                // The rest of the ASCII letters and digits of the word at once.
                i += 1;
                while bytes.get(i).is_some_and(|&n| ASCII_WORD_BYTES[n as usize]) {
                    i += 1;
                }
                continue;
            } else if let Some(start) = word_start.take() {
                out.push(start..i);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let width = c.len_utf8();
        if is_word_char(c) {
            word_start.get_or_insert(i);
            i += width;
            continue;
        }
        if let Some(start) = word_start.take() {
            out.push(start..i);
        }
        if is_regional_indicator(c)
            && let Some(d) = text[i + width..].chars().next()
            && is_regional_indicator(d)
        {
            out.push(i..i + width + d.len_utf8());
            i += width + d.len_utf8();
            continue;
        }
        i += width;
    }
    if let Some(start) = word_start {
        out.push(start..text.len());
    }
}

/// Whether `bytes` hold a byte 0xE3 to 0xEF, the first byte of every kana and kanji (see
/// [`NameIndex::find`]). Eight bytes at a time: this runs over every post, most of which are
/// ASCII, and the byte-by-byte test cost more than the name lookups of an ASCII post.
fn may_hold_kana_or_kanji(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if u64::from_le_bytes(word) & HIGH != 0 && chunk.iter().any(|b| (0xE3..=0xEF).contains(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|b| (0xE3..=0xEF).contains(b))
}

/// The key a name is stored under: its folded tokens joined by single spaces, so that
/// "Saint-Denis", "Saint Denis" and "SAINT DENIS" meet, and "U.S." is "u s".
#[cfg(test)]
pub(crate) fn name_key(folded: &str) -> String {
    let mut key = String::new();
    name_key_into(folded, &mut Vec::new(), &mut key);
    key
}

/// Like [`name_key`], replacing the contents of `key`; `tokens` is scratch space.
pub(crate) fn name_key_into(folded: &str, tokens: &mut Vec<Range<usize>>, key: &mut String) {
    key.clear();
    tokens_into(folded, tokens);
    for range in tokens.iter() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&folded[range.clone()]);
    }
}

/// Whether the text between two tokens may sit inside one name: spaces, hyphens, apostrophes
/// and dots ("São Paulo", "Saint-Denis", "St. Louis"), but not a comma or a slash.
fn joins_name(gap: &str) -> bool {
    gap.len() <= 3
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | '-' | '\'' | '.' | '·'))
}

/// Every name of the gazetteer, by key, for lookups token by token, with a small
/// Aho-Corasick automaton for the names in scripts written without spaces.
pub(crate) struct NameIndex {
    /// Keys of one or two ASCII letters, digits or underscores (every country and state code,
    /// and the words "in", "is", "me" that they spell), by position: the commonest lookups
    /// hit a table small enough to stay in cache.
    tiny: Box<[NameEntry]>,
    /// Other keys of up to 8 bytes (most words, every code), packed into an integer: a lookup
    /// touches one small slot instead of following a pointer to compare strings, in a table
    /// of integer keys ([`U64Table`]: fewer instructions than a hash map's probe).
    short: U64Table<NameEntry>,
    /// Longer keys -> what each starts or is; one lookup per token answers both questions.
    long: HashMap<Box<str>, NameEntry, FxBuild>,
    /// Names whose first letter is kanji or kana, matched anywhere in the text.
    unspaced_keys: Vec<String>,
    unspaced_ids: Vec<u32>,
    /// The automaton over `unspaced_keys`, built on the first text with kana or kanji: most
    /// runs never see one, and building it is a good part of the start-up.
    unspaced: OnceLock<Option<AhoCorasick>>,
}

/// What the index knows about one key.
#[derive(Clone, Copy)]
struct NameEntry {
    /// The pattern id of the name with this key, or [`NO_PATTERN`] when the key only starts
    /// longer names.
    pattern: u32,
    /// When the key is the first token of names of several tokens, the most tokens such a
    /// name has; 0 otherwise.
    longest: u8,
    /// For such a first token, one bit per [`sketch`] of the second tokens of its names: a
    /// clear bit for the token that follows in the text means no longer name starts here,
    /// which spares building and looking up the longer keys ("new" starts many names, "new
    /// post" none).
    seconds: u32,
}

/// A 5-bit summary of a token (its length and first and last bytes): equal tokens have equal
/// sketches.
fn sketch(token: &str) -> u32 {
    crate::sketch::token_sketch(token, 5)
}

const NO_PATTERN: u32 = u32::MAX;

/// An entry for no key at all.
const EMPTY: NameEntry = NameEntry {
    pattern: NO_PATTERN,
    longest: 0,
    seconds: 0,
};

/// The letters of tiny keys: a-z, 0-9 and '_', numbered from 0.
const TINY_LETTERS: usize = 37;

fn tiny_letter(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some((b - b'a') as usize),
        b'0'..=b'9' => Some(26 + (b - b'0') as usize),
        b'_' => Some(36),
        _ => None,
    }
}

/// The slot of `key` in [`NameIndex::tiny`] when it is one or two tiny letters.
fn tiny_slot(key: &str) -> Option<usize> {
    match *key.as_bytes() {
        [a] => Some(tiny_letter(a)?),
        [a, b] => Some(TINY_LETTERS + tiny_letter(a)? * TINY_LETTERS + tiny_letter(b)?),
        _ => None,
    }
}

/// `key` packed into an integer when it has at most 8 bytes. Keys hold no NUL byte (they are
/// tokens joined by spaces), so the zero padding keeps different keys apart.
fn short_key(key: &str) -> Option<u64> {
    let bytes = key.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    // Two overlapping reads (or single bytes) rather than a `copy_from_slice` of a variable
    // length, which is a call to `memcpy` for every token of every post. The overlapping
    // bytes are equal, so or-ing them in twice changes nothing.
    let len = bytes.len();
    let packed = if len >= 4 {
        let word = |at: usize| {
            let mut four = [0u8; 4];
            four.copy_from_slice(&bytes[at..at + 4]);
            u64::from(u32::from_le_bytes(four))
        };
        word(0) | word(len - 4) << (8 * (len - 4))
    } else if len > 0 {
        u64::from(bytes[0])
            | u64::from(bytes[len / 2]) << (8 * (len / 2))
            | u64::from(bytes[len - 1]) << (8 * (len - 1))
    } else {
        0
    };
    Some(packed)
}

/// The two maps of a [`NameIndex`] while it is built.
struct NameMaps {
    tiny: Box<[NameEntry]>,
    short: HashMap<u64, NameEntry, FxBuild>,
    long: HashMap<Box<str>, NameEntry, FxBuild>,
}

impl NameMaps {
    /// The entry of `key`, made empty when missing.
    fn entry(&mut self, key: &str) -> &mut NameEntry {
        if let Some(slot) = tiny_slot(key) {
            return &mut self.tiny[slot];
        }
        match short_key(key) {
            Some(packed) => self.short.entry(packed).or_insert(EMPTY),
            None => self.long.entry(key.into()).or_insert(EMPTY),
        }
    }
}

/// The most bytes of names in kana and kanji (about 100 times the bundled ones).
const MAX_UNSPACED_BYTES: usize = 16 << 20;

/// The proclitics Arabic writes glued to a name, longest first, each with what the name keeps
/// of it: "بالرياض" (in the Riyadh) is "الرياض", "للقاهرة" (to the Cairo) "القاهرة" (the
/// article's alif drops after "ل"), "بمصر" (in Egypt) "مصر".
const ARABIC_PROCLITICS: [(&str, &str); 14] = [
    ("وبال", "ال"),
    ("فبال", "ال"),
    ("ولل", "ال"),
    ("بال", "ال"),
    ("وال", "ال"),
    ("فال", "ال"),
    ("كال", "ال"),
    ("لل", "ال"),
    ("وب", ""),
    ("ول", ""),
    ("و", ""),
    ("ب", ""),
    ("ل", ""),
    ("ف", ""),
];

/// The Arabic proclitics `word` may start with (see [`ARABIC_PROCLITICS`]), longest first, as
/// the bytes to skip and what the name behind them keeps; none for a word with fewer than
/// three letters behind the proclitic.
pub(crate) fn arabic_proclitics(word: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    let arabic = may_start_with_a_proclitic(word);
    ARABIC_PROCLITICS
        .iter()
        .filter(move |_| arabic)
        .filter_map(move |&(proclitic, article)| {
            let rest = word.strip_prefix(proclitic)?;
            (rest.chars().count() >= 3).then_some((proclitic.len(), article))
        })
}

/// Whether `word` may start with an Arabic proclitic: every proclitic starts with "و", "ب",
/// "ل", "ف" or "ك", two bytes starting 0xD8 or 0xD9. Asked first, inline, for every word the
/// name index does not know: most are no Arabic word.
#[inline]
fn may_start_with_a_proclitic(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(0xD8 | 0xD9))
}

/// Whether `glued`, the letters right before a name in the same word, is an Arabic proclitic
/// that holds a preposition ("ب" in, "ل" to, with "و"/"ف" and the article before or after).
pub(crate) fn is_prepositional_proclitic(glued: &str) -> bool {
    matches!(
        glued,
        "ب" | "بال"
            | "وب"
            | "وبال"
            | "فب"
            | "فبال"
            | "ل"
            | "لل"
            | "ول"
            | "ولل"
            | "فل"
            | "فلل"
    )
}

/// The fewest letters a name needs before a glued case ending ("izmir" in "izmirde").
const MIN_STEM_LETTERS: usize = 4;

/// The most tokens one name may have; longer names are not indexed.
const MAX_NAME_TOKENS: usize = 8;

/// Scratch space for [`NameIndex::find`], kept by the caller between calls.
#[derive(Default)]
pub(crate) struct FindBuffers {
    tokens: Vec<Range<usize>>,
    key: String,
}

impl NameIndex {
    /// Indexes `keys` (as made by [`name_key`]); pattern ids are positions in `keys`. Fails
    /// when the names in kana or kanji are too many to compile.
    pub fn new(keys: Vec<String>) -> Result<NameIndex, String> {
        let mut names = NameMaps {
            tiny: vec![EMPTY; TINY_LETTERS * (TINY_LETTERS + 1)].into_boxed_slice(),
            short: HashMap::with_capacity_and_hasher(keys.len() / 2, FxBuild::default()),
            long: HashMap::with_capacity_and_hasher(keys.len() / 2, FxBuild::default()),
        };
        let mut unspaced = Vec::new();
        let mut unspaced_ids = Vec::new();
        for (id, key) in keys.into_iter().enumerate() {
            if key.chars().next().is_some_and(is_unspaced) {
                unspaced.push(key);
                unspaced_ids.push(id as u32);
                continue;
            }
            let count = key.split(' ').count();
            if count > MAX_NAME_TOKENS {
                continue;
            }
            if count > 1 {
                let mut words = key.split(' ');
                let first = words.next().unwrap_or_default();
                let second = words.next().unwrap_or_default();
                let entry = names.entry(first);
                entry.longest = entry.longest.max(count as u8);
                entry.seconds |= 1 << sketch(second);
            }
            names.entry(&key).pattern = id as u32;
        }
        // The automaton has at most one state per byte of its names: below this size its
        // state ids cannot run out, the only way building it could fail later.
        let bytes: usize = unspaced.iter().map(String::len).sum();
        if bytes > MAX_UNSPACED_BYTES {
            return Err(format!(
                "the names in kana or kanji take {bytes} bytes, more than {MAX_UNSPACED_BYTES}"
            ));
        }
        Ok(NameIndex {
            tiny: names.tiny,
            short: U64Table::new(names.short),
            long: names.long,
            unspaced_keys: unspaced,
            unspaced_ids,
            unspaced: OnceLock::new(),
        })
    }

    /// The automaton over the names in kana and kanji, built on first use. `None` only if it
    /// could not be built, which the size check in [`NameIndex::new`] rules out.
    fn unspaced_automaton(&self) -> Option<&AhoCorasick> {
        self.unspaced
            .get_or_init(|| {
                // The non-contiguous NFA builds several times faster than the default (which
                // converts it into a contiguous one) and finds the same matches.
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .build(&self.unspaced_keys)
                    .ok()
            })
            .as_ref()
    }

    /// Whether [`NameIndex::find`] on text whose folded tokens are those of `folded` could
    /// find a name: `folded` holds kana or kanji (whose names are found without tokens), a
    /// token of it is a name for which `may_count` (given the pattern id and the token's range
    /// in `folded`) does not rule out what `find`'s `judge` would say, or a run of tokens
    /// makes a name of several words (whatever lies between them: `find` also asks that the
    /// gaps may sit inside a name). False says `find` finds nothing there; see
    /// [`super::Gazetteer::may_name_a_place_in_text`] for when a post's tokens are those of
    /// the classifier's fold.
    ///
    /// A word that is no name answers true when a name stands behind an Arabic proclitic or
    /// before one of `glued_endings` in it (those `find` is asked with for the same text):
    /// `find` may find it there.
    pub fn may_find_in(
        &self,
        folded: &str,
        buffers: &mut FindBuffers,
        glued_endings: &[String],
        mut may_count: impl FnMut(u32, &Range<usize>) -> bool,
    ) -> bool {
        if may_hold_kana_or_kanji(folded.as_bytes()) && folded.chars().any(is_unspaced) {
            return true;
        }
        let FindBuffers { tokens: toks, key } = buffers;
        tokens_into(folded, toks);
        for (i, first) in toks.iter().enumerate() {
            let word = &folded[first.clone()];
            let Some(entry) = self.get(word) else {
                if self.behind_a_proclitic(word, key).is_some()
                    || self.before_an_ending(word, glued_endings).is_some()
                {
                    return true;
                }
                continue;
            };
            if entry.pattern != NO_PATTERN && may_count(entry.pattern, first) {
                return true;
            }
            // The names of several words `find` would look up, whatever lies between them.
            key.clear();
            key.push_str(word);
            if self.longer_names(folded, toks, i, entry, key, false, |_, _| true) {
                return true;
            }
        }
        false
    }

    /// The names of several words that start at token `i` of `text`, whose index entry is
    /// `entry` and whose key `key` holds: `on_name` is given each one's pattern and end, the
    /// shortest first, until it answers true, and then so does this. With `gaps_must_join`
    /// the text between two words must be one a name can hold ([`NameIndex::find`]);
    /// without, it may be anything ([`NameIndex::may_find_in`], which reads another fold).
    #[allow(clippy::too_many_arguments)]
    fn longer_names(
        &self,
        text: &str,
        toks: &[Range<usize>],
        i: usize,
        entry: NameEntry,
        key: &mut String,
        gaps_must_join: bool,
        mut on_name: impl FnMut(u32, usize) -> bool,
    ) -> bool {
        if entry.longest == 0
            || toks
                .get(i + 1)
                .is_none_or(|next| entry.seconds & (1 << sketch(&text[next.clone()])) == 0)
        {
            return false;
        }
        let mut end = toks[i].end;
        for next in toks.iter().skip(i + 1).take(entry.longest as usize - 1) {
            if gaps_must_join && !joins_name(&text[end..next.start]) {
                break;
            }
            key.push(' ');
            key.push_str(&text[next.clone()]);
            end = next.end;
            if let Some(NameEntry { pattern, .. }) = self.get(key)
                && pattern != NO_PATTERN
                && on_name(pattern, end)
            {
                return true;
            }
        }
        false
    }

    /// What the index knows about the word behind an Arabic proclitic of `word` ("الرياض" in
    /// "بالرياض"), the first proclitic that leaves one, with the bytes it takes and the article
    /// the key starts with. `key` is scratch space. The test that rules out most words is
    /// inlined into the callers, the walk over the proclitics is not.
    #[inline]
    fn behind_a_proclitic(
        &self,
        word: &str,
        key: &mut String,
    ) -> Option<(NameEntry, usize, &'static str)> {
        if !may_start_with_a_proclitic(word) {
            return None;
        }
        self.behind_a_listed_proclitic(word, key)
    }

    /// [`NameIndex::behind_a_proclitic`] for a word that may start with one.
    fn behind_a_listed_proclitic(
        &self,
        word: &str,
        key: &mut String,
    ) -> Option<(NameEntry, usize, &'static str)> {
        arabic_proclitics(word).find_map(|(skip, article)| {
            key.clear();
            key.push_str(article);
            key.push_str(&word[skip..]);
            self.get(key).map(|entry| (entry, skip, article))
        })
    }

    /// The pattern of a name of one word before one of `glued_endings` at the end of `word`
    /// ("izmir" in "izmirde"), with the name's length in bytes. Most posts' languages glue no
    /// endings: that is answered inline, the walk over the endings is not.
    #[inline]
    fn before_an_ending(&self, word: &str, glued_endings: &[String]) -> Option<(u32, usize)> {
        if glued_endings.is_empty() {
            return None;
        }
        self.before_a_listed_ending(word, glued_endings)
    }

    /// [`NameIndex::before_an_ending`] for a language that glues endings.
    fn before_a_listed_ending(&self, word: &str, glued_endings: &[String]) -> Option<(u32, usize)> {
        glued_endings.iter().find_map(|ending| {
            let stem = word.strip_suffix(ending.as_str())?;
            let entry = self.get(stem)?;
            (stem.chars().count() >= MIN_STEM_LETTERS && entry.pattern != NO_PATTERN)
                .then_some((entry.pattern, stem.len()))
        })
    }

    /// What the index knows about `key`. Inlined: it is asked for every word of every post
    /// (the place pre-check), and the call cost a quarter of the lookup.
    #[inline(always)]
    fn get(&self, key: &str) -> Option<NameEntry> {
        if let Some(slot) = tiny_slot(key) {
            let entry = self.tiny[slot];
            return (entry.pattern != NO_PATTERN || entry.longest != 0).then_some(entry);
        }
        match short_key(key) {
            Some(packed) => self.short.get(packed),
            None => self.long.get(key).copied(),
        }
    }

    /// Every name in `folded.text` for which `judge` (given the pattern id and the folded
    /// range) returns a value, then the longest ones that do not overlap, in text order:
    /// "new york" wins over "york", "são paulo" over "paulo". Judging before choosing keeps a
    /// long name that may not count from hiding a shorter one that does. `buffers` is scratch
    /// space; the names replace the contents of `hits`, a list the caller keeps between calls.
    ///
    /// A word that is no name may be one behind an Arabic proclitic ("بالرياض") or, when
    /// `glued_endings` lists them (longest first), before a case ending glued without the
    /// apostrophe Turkish writes on proper names ("izmirde" for "izmir'de"): the name's range
    /// then leaves the proclitic or the ending out.
    pub fn find<T>(
        &self,
        folded: &Folded<'_>,
        buffers: &mut FindBuffers,
        hits: &mut Vec<(Range<usize>, T)>,
        glued_endings: &[String],
        mut judge: impl FnMut(u32, &Range<usize>) -> Option<T>,
    ) {
        let text = folded.text.as_str();
        let FindBuffers { tokens: toks, key } = buffers;
        tokens_into(text, toks);
        hits.clear();
        for (i, token) in toks.iter().enumerate() {
            let whole = &text[token.clone()];
            let (entry, first, article) = match self.get(whole) {
                Some(entry) => (entry, token.clone(), ""),
                None => {
                    if let Some((entry, skip, article)) = self.behind_a_proclitic(whole, key) {
                        (entry, token.start + skip..token.end, article)
                    } else {
                        if let Some((pattern, len)) = self.before_an_ending(whole, glued_endings) {
                            let range = token.start..token.start + len;
                            if let Some(value) = judge(pattern, &range) {
                                hits.push((range, value));
                            }
                        }
                        continue;
                    }
                }
            };
            if entry.pattern != NO_PATTERN
                && let Some(value) = judge(entry.pattern, &first)
            {
                hits.push((first.clone(), value));
            }
            key.clear();
            key.push_str(article);
            key.push_str(&text[first.clone()]);
            self.longer_names(text, toks, i, entry, key, true, |pattern, end| {
                let range = first.start..end;
                if let Some(value) = judge(pattern, &range) {
                    hits.push((range, value));
                }
                false
            });
        }
        // Every unspaced name starts with kana or kanji: text without any cannot hold one.
        // Those characters (U+3040 to U+FF9F) take three bytes in UTF-8, the first of them
        // 0xE3 to 0xEF, a byte most text lacks (emoji start with 0xF0).
        if may_hold_kana_or_kanji(text.as_bytes())
            && text.chars().any(is_unspaced)
            && let Some(unspaced) = self.unspaced_automaton()
        {
            for m in unspaced.find_overlapping_iter(text) {
                let range = m.range();
                if !on_boundaries(text, &range) {
                    continue;
                }
                if let Some(value) = judge(self.unspaced_ids[m.pattern().as_usize()], &range) {
                    hits.push((range, value));
                }
            }
        }
        if hits.len() > 1 {
            hits.sort_by(|(a, _), (b, _)| (b.len(), a.start).cmp(&(a.len(), b.start)));
            // Keep, in that order, each hit that overlaps none kept before it: the kept ones
            // gather at the front.
            let mut kept = 0;
            for i in 0..hits.len() {
                let range = hits[i].0.clone();
                if hits[..kept]
                    .iter()
                    .all(|(c, _)| c.end <= range.start || range.end <= c.start)
                {
                    hits.swap(kept, i);
                    kept += 1;
                }
            }
            hits.truncate(kept);
            hits.sort_by_key(|(r, _)| r.start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_maps_back_to_original() {
        let f = Folded::new("Rua  São   Paulo");
        assert_eq!(f.text, "rua sao paulo");
        let start = f.text.find("sao").unwrap();
        let r = f.original_range(&(start..start + "sao paulo".len()));
        assert_eq!(&f.original[r], "São   Paulo");
        let ascii = Folded::new("Depew, NY");
        assert_eq!(ascii.text, "depew, ny");
        assert_eq!(ascii.original_range(&(7..9)), 7..9);
    }

    #[test]
    fn decomposed_accents_and_devanagari_fold_like_fold() {
        let decomposed = "Sa\u{0303}o Paulo";
        assert_eq!(Folded::new(decomposed).text, crate::text::fold(decomposed));
        for s in [
            "मुंबई में",
            "東京でがｶﾞ",
            "Москва Йошкар-Ола Ёлки",
            "İstanbul ŞIRNAK",
            "القاهرة",
            "ǅemal ﬁ ①",
        ] {
            assert_eq!(Folded::new(s).text, crate::text::fold(s), "{s}");
        }
    }

    #[test]
    fn short_keys_are_the_bytes_zero_padded() {
        for key in [
            "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "new york", "são", "köln",
        ] {
            let mut packed = [0u8; 8];
            packed[..key.len()].copy_from_slice(key.as_bytes());
            assert_eq!(short_key(key), Some(u64::from_le_bytes(packed)), "{key}");
        }
        assert_eq!(short_key("abcdefghi"), None);
    }

    #[test]
    fn ascii_word_table_is_the_predicate() {
        for b in 0u8..=255 {
            assert_eq!(
                ASCII_WORD_BYTES[b as usize],
                b.is_ascii_alphanumeric() || b == b'_',
                "{b}"
            );
        }
    }

    #[test]
    fn tokens_and_keys() {
        assert_eq!(name_key(&crate::text::fold("Saint-Denis")), "saint denis");
        assert_eq!(name_key("u.s.a."), "u s a");
        assert_eq!(name_key("🇧🇷🇺🇸 são paulo"), "🇧🇷 🇺🇸 são paulo");
        let text = "london, lagos / new  york";
        let words: Vec<&str> = tokens(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(words, ["london", "lagos", "new", "york"]);
        assert!(joins_name(" ") && joins_name(". ") && joins_name("-"));
        assert!(!joins_name(", ") && !joins_name(" / "));
    }

    #[test]
    fn word_char_shortcuts_agree_with_unicode() {
        for range in &WORD_RANGES {
            for c in range.clone() {
                assert!(c.is_alphanumeric() || is_combining_mark(c), "{c:?}");
            }
        }
        for range in &NON_WORD_RANGES {
            for c in range.clone() {
                assert!(!c.is_alphanumeric() && !is_combining_mark(c), "{c:?}");
            }
        }
    }

    #[test]
    fn boundaries_by_script() {
        assert!(on_boundaries("in paris.", &(3..8)));
        assert!(!on_boundaries("parisian", &(0..5)));
        assert!(!on_boundaries("@_paris", &(2..7)));
        let jp = "東京都で";
        assert!(on_boundaries(jp, &(0..6)));
        let timeline = "タイムライン";
        assert!(!on_boundaries(timeline, &(0..6)));
        assert!(on_boundaries("タイで", &(0..6)));
        assert!(!on_boundaries("つ", &(0..3)));
        let flags = "🇧🇷🇺🇸";
        let ru = flags.find("🇷").unwrap();
        assert!(!on_boundaries(flags, &(ru..ru + 8)));
        assert!(on_boundaries(flags, &(0..8)));
    }

    /// `Folded::new` as it was before its byte-by-byte ASCII path: the reference it is
    /// compared with (text and map back to the original).
    fn reference_fold(original: &str) -> (String, Vec<(u32, u32)>) {
        let mut text = String::new();
        let mut origin = Vec::new();
        if fold_simple_ascii(original, &mut text) {
            return (text, origin);
        }
        text.clear();
        text.reserve(original.len() + 8);
        origin.reserve(original.len() + 8);
        let mut cluster = String::new();
        let mut piece = String::new();
        let mut chars = original.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            if c.is_whitespace() {
                while let Some(&(i, n)) = chars.peek() {
                    if !n.is_whitespace() {
                        break;
                    }
                    end = i + n.len_utf8();
                    chars.next();
                }
                if !text.ends_with(' ') {
                    text.push(' ');
                    origin.push((start as u32, end as u32));
                }
                continue;
            }
            // An ASCII character not followed by a mark folds to its lowercase alone: the
            // common case, taken without building a cluster.
            if c.is_ascii() && chars.peek().is_none_or(|&(_, n)| !joins_cluster(n)) {
                text.push(c.to_ascii_lowercase());
                origin.push((start as u32, end as u32));
                continue;
            }
            cluster.clear();
            cluster.push(c);
            while let Some(&(i, n)) = chars.peek() {
                if !joins_cluster(n) {
                    break;
                }
                cluster.push(n);
                end = i + n.len_utf8();
                chars.next();
            }
            piece.clear();
            if cluster.is_ascii() {
                piece.push(c.to_ascii_lowercase());
            } else if cluster.len() == c.len_utf8() && folds_to_lowercase(c) {
                piece.extend(c.to_lowercase());
            } else {
                fold_into(&cluster, &mut piece);
            }
            text.push_str(&piece);
            origin.extend(std::iter::repeat_n((start as u32, end as u32), piece.len()));
        }
        (text, origin)
    }

    /// A character whose decomposition starts with a mark (Lao "am") folds the same alone
    /// and after a character of another script (a case proptest found).
    #[test]
    fn a_mark_first_decomposition_folds_alike_in_any_context() {
        for s in [
            "\u{a04}\u{eb3}",
            "\u{eb3}",
            "x\u{eb3}",
            "\u{e01}\u{e33}",
            "\u{e33}",
        ] {
            assert_eq!(Folded::new(s).text, crate::text::fold(s), "{s:?}");
        }
        // The characters `joins_cluster` lists are all there are.
        use unicode_normalization::UnicodeNormalization;
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if !is_combining_mark(c)
                && std::iter::once(c)
                    .nfkd()
                    .next()
                    .is_some_and(|d| d != c && is_combining_mark(d))
            {
                assert!(joins_cluster(c), "{c:?} decomposes to a mark first");
            }
        }
    }

    /// The byte-by-byte test `simple_ascii_whitespace` replaced: the reference it must equal.
    fn simple_ascii_whitespace_by_byte(bytes: &[u8]) -> bool {
        let mut previous_space = false;
        for &b in bytes {
            if b == b' ' {
                if previous_space {
                    return false;
                }
                previous_space = true;
            } else {
                if b.is_ascii_whitespace() {
                    return false;
                }
                previous_space = false;
            }
        }
        true
    }

    #[test]
    fn simple_whitespace_at_word_edges() {
        for s in [
            "",
            " ",
            "  ",
            "a b",
            "a  b",
            "1234567 8",
            "1234567  8",
            "12345678  ",
            "\u{b}",
            " \u{b} ",
            "abcdefg\t",
            "abcdefgh\r",
            "\u{1}\u{1f} \u{7f}",
            "abcdefghijklmno p",
            "abcdefghijklmno  ",
        ] {
            assert_eq!(
                simple_ascii_whitespace(s.as_bytes()),
                simple_ascii_whitespace_by_byte(s.as_bytes()),
                "{s:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn folding_by_cluster_equals_fold(s in "[^\\s]{0,40}") {
            proptest::prop_assert_eq!(Folded::new(&s).text, crate::text::fold(&s));
        }

        /// What `Gazetteer::may_name_a_place_in_text` rests on: where every whitespace
        /// character is ASCII, the gazetteer's fold of a text and `crate::text::fold` of it
        /// have the same tokens.
        #[test]
        fn tokens_of_the_fold_are_the_gazetteers(
            s in "([a-zA-Z0-9.,#@/'_ \t\n\u{b}\u{c}\r-]| [a-z]|[ÀÉçñşİßẞæłÅ¨´ﬁ①Ⅻ]|\u{301}|\u{308}|\u{200d}|\u{fe0f}|[ｶﾞﾟ東京Ｗ⼭]|[😤🇧🇷🇺🇸🏳]|[\u{a0}\u{3000}\u{2028}\u{85}]){0,40}"
        ) {
            if !s.chars().any(|c| c.is_whitespace() && !c.is_ascii()) {
                let ours = Folded::new(&s).text;
                let theirs = crate::text::fold(&s);
                let words = |t: &str| tokens(t).into_iter().map(|r| t[r].to_string()).collect::<Vec<_>>();
                proptest::prop_assert_eq!(words(&ours), words(&theirs), "{:?}", s);
            }
        }

        #[test]
        fn simple_whitespace_as_byte_by_byte(s in "[ \t\n\u{b}\u{c}\r\u{1}-\u{1f}a-z.,]{0,40}") {
            proptest::prop_assert_eq!(
                simple_ascii_whitespace(s.as_bytes()),
                simple_ascii_whitespace_by_byte(s.as_bytes())
            );
        }

        /// Text mixing ASCII, whitespace runs (vertical tab included), accents written
        /// composed and decomposed, half-width kana with voicing marks, and emoji folds to the
        /// same text and map back to the original as character by character.
        #[test]
        fn ascii_byte_path_equals_the_reference(
            s in "([a-zA-Z0-9.,#@/ \t\n\u{b}\r]| [a-z]|[ÀÉçñşİßẞæł]|\u{301}|\u{308}|[ｶﾞﾟ東京¨]|[😤🇧🇷]){0,40}"
        ) {
            let folded = Folded::new(&s);
            let (text, origin) = reference_fold(&s);
            proptest::prop_assert_eq!(&folded.text, &text);
            proptest::prop_assert_eq!(&folded.origin, &origin);
        }
    }
}
