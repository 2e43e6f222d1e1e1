//! A complaint somebody else made, quoted: "Kollege ruft durchs ganze Büro „Teams ist down!!“ –
//! nein Dieter, dein Laptop…", "mi abuela dice que 'se le cayó el facebook' cuando en realidad
//! cerró la pestaña", "x'te 'whatsapp çöktü mü' diye aratınca 2021'den kalma tweetler
//! çıkıyor", "found my old post from 2021: 'whatsapp instagram AND facebook all down'". A
//! quotation that names a service the post names nowhere else is somebody's words about it
//! (a colleague, a grandmother, a trend, an old post), not the author's report: the complaint
//! phrases inside it are no cue. The service stays named, so the author's own words outside
//! the quotation still count ("\"is chatgpt down or is it me\" - me, every two hours. yes.
//! it's down again"). A question quoted at the very start is the author's own ("'is discord
//! down?' mine won't connect either").
//!
//! An error text quoted is the author's report: it names no service ("spotify dice 'no se
//! puede reproducir'"), or the service it names is named outside it too ("steam sagt 'keine
//! Verbindung zum Steam-Netzwerk'"), so it keeps its cues.
//!
//! This module only finds quotations in the folded text and vetoes hits; it reads no data.

use super::{Hit, QUESTION_MARKS, Resolved, shown};
use crate::lexicon::tokens::Token;

/// The longest quotation read, in characters: a quote mark with no partner nearby is a stray
/// one (or an apostrophe), and nobody quotes a whole post.
const LONGEST_QUOTATION: usize = 200;

/// Vetoes the complaint phrases inside a quotation that names a service the post names
/// nowhere outside it (see the module documentation).
pub(super) fn veto_complaints_quoted_about_a_service(
    folded: &str,
    tokens: &[Token],
    resolved: &[Resolved],
    hits: &mut [Hit],
    explain: bool,
) {
    if !hits
        .iter()
        .any(|h| h.cue.is_complaint() && h.vetoed_by.is_none())
    {
        return;
    }
    for (from, to) in quotations(folded) {
        // A question quoted at the start is how people ask their own ("'is discord down?'
        // mine won't connect either"); answered no, `opening_quote_end` refutes it.
        let opens_post = folded[..from]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
            <= 1;
        if opens_post && folded[from..to].trim_end().ends_with(QUESTION_MARKS) {
            continue;
        }
        let inside = |t: u32| {
            let t = &tokens[t as usize];
            t.start as usize >= from && t.end as usize <= to
        };
        let named = resolved.iter().filter(|r| r.accepted || r.confirmable);
        let mut named_inside = named.clone().filter(|r| inside(r.mention.first)).peekable();
        if named_inside.peek().is_none() {
            continue;
        }
        let named_outside = named
            .filter(|r| !inside(r.mention.first))
            .map(|r| r.mention.platform)
            .collect::<Vec<u16>>();
        if named_inside.any(|r| named_outside.contains(&r.mention.platform)) {
            continue;
        }
        for h in hits.iter_mut().filter(|h| {
            h.cue.is_complaint() && h.vetoed_by.is_none() && inside(h.first) && inside(h.last)
        }) {
            h.vetoed_by = Some(shown(explain, || {
                "a quotation that names a service the post names nowhere else: somebody's \
                 words about it, not the author's report"
                    .to_string()
            }));
        }
    }
}

/// The marks that close a quotation opened by `open` ("…", “…”, „…“, «…», 「…」, 『…』);
/// `None` for any other character (single quote marks are apostrophes as well and are
/// judged by each reader).
pub(super) fn closing_quote_marks(open: char) -> Option<&'static [char]> {
    match open {
        '"' | '“' | '„' => Some(&['"', '“', '”']),
        '«' => Some(&['»']),
        '「' => Some(&['」']),
        '『' => Some(&['』']),
        _ => None,
    }
}

/// Whether `b` may start a character that opens a quotation (see [`closing_quote_marks`]
/// and the single quote mark): '"', '\'', or the first byte of '“', '„' (0xE2), '«' (0xC2),
/// '「', '『' (0xE3). Every other byte is passed over without decoding it.
fn may_open_a_quotation(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | 0xC2 | 0xE2 | 0xE3)
}

/// The byte ranges (inside the marks) of the quotations of `folded`: text between a pair of
/// quote marks ("…", “…”, „…“, «…», 「…」, 『…』), or between single quote marks that stand
/// outside words ('…': "don't" and "x'te" hold apostrophes, no quotation).
///
/// Only the characters that may open one are decoded ([`may_open_a_quotation`]): most posts
/// hold none, or only apostrophes, and a walk over every character cost more than the rest
/// of the quotations' veto.
pub(super) fn quotations(folded: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let bytes = folded.as_bytes();
    let mut next = 0;
    while let Some(offset) = bytes[next..].iter().position(|&b| may_open_a_quotation(b)) {
        let at = next + offset;
        let Some(c) = folded[at..].chars().next() else {
            break;
        };
        next = at + c.len_utf8();
        // The character right before: the closing mark of a quotation just read, or any
        // other character passed over.
        let previous = folded[..at].chars().next_back();
        let closers: &[char] = match closing_quote_marks(c) {
            Some(closers) => closers,
            None if c == '\'' && previous.is_none_or(|p| !p.is_alphanumeric()) => &['\''],
            None => continue,
        };
        let from = next;
        let single = c == '\'';
        if let Some((to, closer)) = closing_mark(folded, from, closers, single)
            && to > from
            && !(single && folded[from..to].starts_with(' '))
        {
            found.push((from, to));
            // Go on after the closing mark.
            next = to + closer.len_utf8();
        }
    }
    found
}

/// Where the quotation opened just before `from` closes: the first of `closers` within
/// [`LONGEST_QUOTATION`] characters on the same line (for a single quote, one that no letter
/// or digit follows: "don't" closes nothing), with the mark.
fn closing_mark(
    folded: &str,
    from: usize,
    closers: &[char],
    single: bool,
) -> Option<(usize, char)> {
    folded[from..]
        .char_indices()
        .take(LONGEST_QUOTATION)
        .take_while(|&(_, x)| x != '\n')
        .find(|&(i, x)| {
            closers.contains(&x)
                && (!single
                    || folded[from + i + x.len_utf8()..]
                        .chars()
                        .next()
                        .is_none_or(|next| !next.is_alphanumeric()))
        })
        .map(|(i, x)| (from + i, x))
}

#[cfg(test)]
mod tests {
    use super::{closing_mark, closing_quote_marks, quotations};
    use proptest::prelude::*;

    /// The walk over every character that `quotations` replaced, as the reference its answers
    /// are checked against.
    fn quotations_char_by_char(folded: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut chars = folded.char_indices().peekable();
        let mut previous: Option<char> = None;
        while let Some((at, c)) = chars.next() {
            let closers: &[char] = match closing_quote_marks(c) {
                Some(closers) => closers,
                None if c == '\'' && previous.is_none_or(|p| !p.is_alphanumeric()) => &['\''],
                None => {
                    previous = Some(c);
                    continue;
                }
            };
            let from = at + c.len_utf8();
            let single = c == '\'';
            let close = closing_mark(folded, from, closers, single).map(|(to, _)| to);
            match close {
                Some(to) if to > from && !(single && folded[from..to].starts_with(' ')) => {
                    found.push((from, to));
                    // Go on after the closing mark.
                    while chars.peek().is_some_and(|&(i, _)| i <= to) {
                        chars.next();
                    }
                    previous = folded[to..].chars().next();
                }
                _ => previous = Some(c),
            }
        }
        found
    }

    proptest! {
        /// Skipping to the characters that may open a quotation finds the same quotations
        /// as reading every character: quote marks of every kind, apostrophes inside and
        /// outside words, line feeds, spaces after a mark, letters and marks of other scripts.
        #[test]
        fn quotations_are_those_of_a_walk_over_every_character(
            pieces in proptest::collection::vec(
                prop::sample::select(vec![
                    "\"", "'", "“", "”", "„", "«", "»", "「", "」", "『", "』", "’", "—", "é",
                    "ç", "ü", "😭", "\n", " ", "a", "don't", "x'te", "is x down?", "9", "が",
                    "ö", "¡", "…",
                ]),
                0..40,
            ),
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(quotations(&text), quotations_char_by_char(&text), "{:?}", text);
        }
    }

    fn quoted(text: &str) -> Vec<&str> {
        quotations(text)
            .into_iter()
            .map(|(from, to)| &text[from..to])
            .collect()
    }

    #[test]
    fn quotations_are_found_between_pairs_of_marks_and_not_in_apostrophes() {
        assert_eq!(
            quoted("kollege ruft „teams ist down!!“ – nein"),
            vec!["teams ist down!!"]
        );
        assert_eq!(
            quoted("dice que 'se le cayo el facebook' cuando"),
            vec!["se le cayo el facebook"]
        );
        assert_eq!(
            quoted("«il meet e caduto» e la scusa"),
            vec!["il meet e caduto"]
        );
        assert_eq!(quoted("友達から「落ちた」って"), vec!["落ちた"]);
        assert!(quoted("x'te whatsapp can't load, don't ask").is_empty());
        assert_eq!(
            quoted("x'te 'whatsapp coktu mu' diye"),
            vec!["whatsapp coktu mu"]
        );
        assert!(quoted("a stray \" mark").is_empty());
    }
}
