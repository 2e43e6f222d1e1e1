//! Finding whole-token phrases in a [`TokenStream`] by looking up runs of tokens in a hash
//! table: the same matches, in the same order, as an overlapping Aho-Corasick search of the
//! stream text for patterns written `" tok tok "`, for far fewer instructions (one or two
//! lookups per token instead of one automaton step per byte, and fewer cache misses than the
//! automata of several hundred phrases).
//!
//! Why they agree: the stream text is `" t0 t1 … tn "`. When no token holds a space, every
//! space of it separates two tokens, so an occurrence of `" x "` starts at the space before
//! some token `i`, ends at the space after some token `j`, and `x` is exactly the slice of the
//! text from token `i` to token `j`; looking up that slice for every `i <= j` (up to the most
//! tokens a phrase starting with token `i` has) finds every occurrence once. A stream with a
//! space inside a token is refused ([`PhraseIndex::find`] returns false) and the caller runs
//! the automaton. The automaton reports matches by end, the longest first among those that
//! end together; [`PhraseIndex::find`] sorts its matches the same way.
//!
//! This module owns the lookup table and nothing else: which patterns exist and what they mean
//! belongs to the lexicons and the catalog that build it.

use super::TokenStream;
use crate::str_table::StrTable;

/// Pattern id stored for a key that only starts longer patterns.
const NO_PATTERN: u32 = u32::MAX;

/// What the index knows about one run of tokens. For a stream's first lookups the caller may
/// hand these over already found (see [`TokenStream::firsts`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Key {
    /// The pattern that is exactly this run, or [`NO_PATTERN`].
    pattern: u32,
    /// For a single token: the most tokens of a pattern starting with it (0 if none does).
    longest: u32,
    /// For a single token: one bit per [`sketch`] of the second tokens of the patterns that
    /// start with it. A clear bit for the token that follows in the stream means no longer
    /// pattern can start here, which spares the lookups of longer runs for most tokens.
    seconds: u64,
}

impl Key {
    /// What the index knows of a token that is in no pattern: no pattern is it, none starts
    /// with it. [`PhraseIndex::find`] treats it as a token it looked up and did not find.
    pub(crate) const ABSENT: Key = Key {
        pattern: NO_PATTERN,
        longest: 0,
        seconds: 0,
    };
    /// A token of a stream whose key was not found for it: [`PhraseIndex::find`] looks it up.
    pub(crate) const UNKNOWN: Key = Key {
        pattern: NO_PATTERN,
        longest: u32::MAX,
        seconds: 0,
    };
}

/// A 6-bit summary of a token (its length and first and last bytes): equal tokens have
/// equal sketches.
fn sketch(token: &str) -> u32 {
    crate::sketch::token_sketch(token, 6)
}

/// Patterns `" tok tok "` by their inner text (`"tok tok"`), and by their first token.
#[derive(Debug, Default)]
pub(crate) struct PhraseIndex {
    keys: StrTable<Key>,
    /// This index's number, unique in the process (from 1), which a [`TokenStream`] names
    /// when its [`TokenStream::firsts`] were found in this index.
    id: u64,
}

impl PhraseIndex {
    /// Indexes `patterns` (pattern ids are positions). `None` when a pattern is not a space,
    /// one or more characters and a space, or when two patterns are equal: the caller then
    /// keeps to the automaton, which handles any pattern.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Option<PhraseIndex> {
        let mut keys: rustc_hash::FxHashMap<Box<str>, Key> = rustc_hash::FxHashMap::default();
        let empty = Key {
            pattern: NO_PATTERN,
            longest: 0,
            seconds: 0,
        };
        for (id, pattern) in patterns.iter().enumerate() {
            let inner = pattern.as_ref().strip_prefix(' ')?.strip_suffix(' ')?;
            if inner.is_empty() {
                return None;
            }
            let count = inner.split(' ').count() as u32;
            let mut words = inner.split(' ');
            let first = words.next().unwrap_or(inner);
            let first_key = keys.entry(first.into()).or_insert(empty);
            first_key.longest = first_key.longest.max(count);
            if let Some(second) = words.next() {
                first_key.seconds |= 1 << sketch(second);
            }
            let key = keys.entry(inner.into()).or_insert(empty);
            if key.pattern != NO_PATTERN {
                return None;
            }
            key.pattern = u32::try_from(id).ok()?;
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Some(PhraseIndex {
            keys: StrTable::new(keys),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// This index's number, for [`TokenStream::firsts_of`].
    pub fn id(&self) -> u64 {
        self.id
    }

    /// What the index knows of one token as the first of a run ([`Key::ABSENT`] when nothing).
    pub fn first(&self, token: &str) -> Key {
        self.keys
            .get(token.as_bytes())
            .copied()
            .unwrap_or(Key::ABSENT)
    }

    /// Appends `(pattern, first, last)` for every occurrence of a pattern in `stream`, where
    /// `first` and `last` are positions in the stream's tokens (not the post's), ordered as the
    /// automaton reports them. Returns false, appending nothing, when a token of the stream
    /// holds a space: the automaton must answer then.
    pub fn find(&self, stream: &TokenStream, out: &mut Vec<(u32, u32, u32)>) -> bool {
        let text = stream.text.as_str();
        let bytes = text.as_bytes();
        let count = stream.starts.len();
        let spaces = count_spaces(bytes);
        if spaces != count + 1 || bytes.first() != Some(&b' ') || bytes.last() != Some(&b' ') {
            return false;
        }
        // The byte after token `j`: the space that ends it.
        let end_of = |j: usize| -> usize {
            match stream.starts.get(j + 1) {
                Some(&next) => next as usize - 1,
                None => bytes.len() - 1,
            }
        };
        // The first keys the stream's builder found in this index, if it did.
        let firsts = if stream.firsts_of == self.id && stream.firsts.len() == count {
            stream.firsts.as_slice()
        } else {
            &[]
        };
        let from = out.len();
        for i in 0..count {
            let start = stream.starts[i] as usize;
            let first = match firsts.get(i) {
                Some(known) if known.longest != Key::UNKNOWN.longest => known,
                _ => match self.keys.get(&bytes[start..end_of(i)]) {
                    Some(first) => first,
                    None => continue,
                },
            };
            if first.pattern != NO_PATTERN {
                out.push((first.pattern, i as u32, i as u32));
            }
            let until = count.min(i + first.longest as usize);
            let second_may_follow = i + 1 < until && {
                let next = stream.starts[i + 1] as usize;
                first.seconds & (1 << sketch(&text[next..end_of(i + 1)])) != 0
            };
            if !second_may_follow {
                continue;
            }
            for j in i + 1..until {
                if let Some(key) = self.keys.get(&bytes[start..end_of(j)])
                    && key.pattern != NO_PATTERN
                {
                    out.push((key.pattern, i as u32, j as u32));
                }
            }
        }
        // By last token, then the longer (earlier first token) first, as the automaton does.
        // Most posts' matches are single tokens, found in that order already.
        let found = &mut out[from..];
        if !found.is_sorted_by_key(|&(_, first, last)| (last, first)) {
            found.sort_unstable_by_key(|&(_, first, last)| (last, first));
        }
        true
    }
}

/// How many bytes of `bytes` are spaces, eight at a time: this check runs over every stream
/// of every post, and a byte-by-byte count of it cost more than its lookups.
fn count_spaces(bytes: &[u8]) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const LOW_SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // A byte of `x` is zero exactly where the text has a space; the top bit of each byte
        // of `zero` is set exactly for the zero bytes of `x` (no borrow crosses bytes).
        let x = u64::from_le_bytes(word) ^ SPACES;
        let zero = !(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
        count += zero.count_ones() as usize;
    }
    count + chunks.remainder().iter().filter(|&&b| b == b' ').count()
}

thread_local! {
    /// The matches of one [`PhraseIndex::find`] before they are turned into the caller's type.
    static FOUND: std::cell::Cell<Vec<(u32, u32, u32)>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Runs `f` with this thread's empty scratch list for [`PhraseIndex::find`].
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Vec<(u32, u32, u32)>) -> R) -> R {
    let mut found = FOUND.take();
    found.clear();
    let result = f(&mut found);
    FOUND.set(found);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::tokens::tokenize_into;
    use crate::lexicon::{BUNDLED, PhraseMatch, build_lexicon_stream, build_stream, load_all};

    /// Deterministic posts made of the lexicons' own phrases (so that many match, overlapping
    /// and adjacent), pieces of them, and words, marks and symbols around them.
    fn posts(phrases: &[&str], count: usize, seed: u64) -> Vec<String> {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        const OTHER: &[&str] = &[
            "the",
            "is",
            "not",
            "!!",
            "😭",
            "#down",
            "@support",
            "whatsapp",
            "instagram",
            "x",
            "no",
            "não",
            "https://example.com/a b",
            "ça",
            "Ünïcödé",
            "—",
            "'",
            "...",
            "2h",
            "でも",
        ];
        (0..count)
            .map(|_| {
                let mut post = String::new();
                for _ in 0..(next() % 6 + 1) {
                    let r = next();
                    let piece = if r % 3 == 0 {
                        OTHER[(r >> 8) as usize % OTHER.len()]
                    } else {
                        phrases[(r >> 8) as usize % phrases.len()]
                    };
                    // Sometimes only the first words of a phrase.
                    let piece = if r % 7 == 1 {
                        piece.split(' ').next().unwrap_or(piece)
                    } else {
                        piece
                    };
                    post.push_str(piece);
                    post.push_str(match (r >> 40) % 5 {
                        0 => ", ",
                        1 => "! ",
                        _ => " ",
                    });
                }
                post
            })
            .collect()
    }

    #[test]
    fn spaces_are_counted_like_one_by_one() {
        let pieces = [
            "a", " ", "  ", "é", "\u{a0}", "!", "\u{7f}", "\u{ff}", "0", "😭", "\t",
        ];
        let mut state = 5u64;
        for _ in 0..3_000 {
            let mut text = String::new();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for k in 0..(state >> 58) {
                text.push_str(pieces[((state >> (k % 50)) as usize) % pieces.len()]);
            }
            let expected = text.bytes().filter(|&b| b == b' ').count();
            assert_eq!(count_spaces(text.as_bytes()), expected, "{text:?}");
        }
        let all: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        assert_eq!(count_spaces(&all), 2);
        // Long runs of spaces: the lane counters are summed before they overflow.
        for len in [247, 248, 255, 256, 257, 1_000, 4_099] {
            assert_eq!(count_spaces(&vec![b' '; len]), len);
        }
    }

    #[test]
    fn lexicon_index_finds_what_the_automaton_finds() {
        let lexicons = load_all(&BUNDLED).unwrap_or_else(|e| panic!("{e}"));
        let all: Vec<&str> = lexicons
            .iter()
            .flat_map(|l| l.phrases.iter().map(|p| p.text.as_str()))
            .collect();
        let (mut tokens, mut stream, mut plain) =
            (Vec::new(), TokenStream::default(), TokenStream::default());
        let no_skip = rustc_hash::FxHashSet::default();
        let mut compared = 0;
        for (li, lex) in lexicons.iter().enumerate() {
            if !lex.word_boundaries {
                assert!(lex.index.is_none(), "{}", lex.code);
                continue;
            }
            assert!(lex.index.is_some(), "{} has no phrase index", lex.code);
            let own: Vec<&str> = lex.phrases.iter().map(|p| p.text.as_str()).collect();
            let mut inputs = posts(&own, 1500, 7 + li as u64);
            inputs.extend(posts(&all, 300, 99 + li as u64));
            for post in &inputs {
                let folded = crate::text::fold(post);
                tokenize_into(&folded, &mut tokens);
                build_lexicon_stream(&folded, &tokens, lex, &mut stream);
                build_stream(&folded, &tokens, None, &no_skip, &mut plain);
                for s in [&stream, &plain] {
                    let (mut fast, mut reference): (Vec<(u32, PhraseMatch)>, Vec<_>) =
                        (Vec::new(), Vec::new());
                    lex.find(s, &mut fast, li as u32);
                    lex.find_with_automaton(s, &mut reference, li as u32);
                    let key = |v: &[(u32, PhraseMatch)]| -> Vec<(u32, u32, u32, u32)> {
                        v.iter()
                            .map(|(l, m)| (*l, m.phrase, m.first, m.last))
                            .collect()
                    };
                    assert_eq!(
                        key(&fast),
                        key(&reference),
                        "{} {post:?} {:?}",
                        lex.code,
                        s.text
                    );
                    compared += reference.len();
                }
            }
        }
        assert!(compared > 10_000, "only {compared} matches compared");
    }

    fn stream_of(words: &[&str]) -> TokenStream {
        let mut stream = TokenStream::default();
        stream.text.push(' ');
        for (i, w) in words.iter().enumerate() {
            stream.starts.push(stream.text.len() as u32);
            stream.orig.push(i as u32);
            stream.text.push_str(w);
            stream.text.push(' ');
        }
        stream
    }

    #[test]
    fn order_and_overlaps_are_the_automatons() {
        let patterns = [" a b c ", " b ", " a b ", " c ", " b c ", " c a "];
        let index = PhraseIndex::new(&patterns).unwrap();
        let automaton = aho_corasick::AhoCorasick::new(patterns).unwrap();
        let stream = stream_of(&["a", "b", "c", "a", "b"]);
        let mut found = Vec::new();
        assert!(index.find(&stream, &mut found));
        let reference: Vec<(u32, u32, u32)> = automaton
            .find_overlapping_iter(stream.text.as_str())
            .map(|m| {
                (
                    m.pattern().as_u32(),
                    stream.token_at(m.start() + 1),
                    stream.token_at(m.end() - 2),
                )
            })
            .collect();
        assert_eq!(found, reference);
        // By last token; among those ending together, the longest first.
        assert_eq!(
            &found[..5],
            &[(2, 0, 1), (1, 1, 1), (0, 0, 2), (4, 1, 2), (3, 2, 2)]
        );
    }

    #[test]
    fn streams_and_patterns_it_cannot_take() {
        let index = PhraseIndex::new(&[" a b "]).unwrap();
        let mut found = Vec::new();
        // A token holding a space: the automaton must answer.
        assert!(!index.find(&stream_of(&["a b", "c"]), &mut found));
        assert!(found.is_empty());
        assert!(index.find(&stream_of(&[]), &mut found));
        assert!(PhraseIndex::new(&["a b"]).is_none());
        assert!(PhraseIndex::new(&["  "]).is_none());
        assert!(PhraseIndex::new(&[" a ", " a "]).is_none());
    }
}
