//! A failure word given to something else after the service is said to work: "chatgpt non è
//! giù, sono io che sono giù", "Insta läuft, nur mein Kreislauf ist down", "ig aman kok, hati
//! gw aja yang lagi down". The post first says a named service works (a complaint phrase
//! denied by a negation word in a clause that names it, or a negation guard such as "läuft"
//! that denies no complaint phrase); an outage word in a later clause that names no service
//! then speaks of the author, a mood, a wallet. Symptom phrases are left alone: "whatsapp
//! funktioniert, aber Anrufe brechen ständig ab" is a failure of the service that works.
//!
//! This module only finds such phrases among the hits and vetoes them; it reads no data of
//! its own (the negation words are `data/negation.toml`'s and the lexicons').

use super::{Hit, QUESTION_MARKS, Resolved, shown};
use crate::lexicon::tokens::Token;
use crate::lexicon::{Cue, Guard};

/// Vetoes the outage phrases that follow a denial of a named service's failure in clauses
/// naming no service (see the module documentation). `negated_guards` is the bit set of
/// [`super::negation::negated_guards`]: a negation guard that is the tail of a complaint
/// phrase ("не работает") says nothing works.
pub(super) fn veto_failure_given_elsewhere(
    folded: &str,
    tokens: &[Token],
    resolved: &[Resolved],
    (hits, guards): (&mut [Hit], &[Hit]),
    negated_guards: u64,
    explain: bool,
) {
    let names_a_service = |clause: u16| {
        resolved.iter().any(|r| {
            (r.accepted || r.confirmable) && tokens[r.mention.first as usize].clause == clause
        })
    };
    let denial_at = |first: u32, last: u32| -> Option<u32> {
        let clause = tokens[first as usize].clause;
        (names_a_service(clause) && !asks(folded, tokens, last)).then_some(last)
    };
    let denied_phrases = hits
        .iter()
        .filter(|h| h.vetoed_by.is_some() && h.denied && h.cue.is_complaint())
        .filter_map(|h| denial_at(h.first, h.last));
    let works_words = guards
        .iter()
        .enumerate()
        .filter(|&(i, g)| {
            g.cue == Cue::Guard(Guard::Negation) && (i >= 64 || negated_guards & (1 << i) == 0)
        })
        .filter_map(|(_, g)| denial_at(g.first, g.last));
    let Some(denied_at) = denied_phrases.chain(works_words).min() else {
        return;
    };
    let denial_clause = tokens[denied_at as usize].clause;
    for h in hits.iter_mut().filter(|h| {
        h.vetoed_by.is_none()
            && matches!(h.cue, Cue::Outage | Cue::Weak)
            && h.first > denied_at
            && tokens[h.first as usize].clause != denial_clause
            && !names_a_service(tokens[h.first as usize].clause)
    }) {
        h.vetoed_by = Some(shown(explain, || {
            "the post says the service works, then gives the failure word to something \
             else in a clause that names no service"
                .to_string()
        }));
    }
}

/// Vetoes the complaint phrases of a post that clears a named service of the failure: a
/// `not_to_blame` guard ("kann nix dafür", "ни при чём", "no es culpa de") in a clause that
/// names the service ("Internet weg – … den Router ausgesteckt. Netflix kann nix dafür", "игра
/// в стиме вылетает, но это кривые руки разработчиков, стим тут ни при чём"). The complaint
/// phrases of every clause that names no other service are vetoed: "WhatsApp ist down,
/// Vodafone kann nichts dafür" keeps its WhatsApp complaint.
pub(super) fn veto_failure_of_a_service_cleared(
    tokens: &[Token],
    resolved: &[Resolved],
    (hits, guards): (&mut [Hit], &[Hit]),
    explain: bool,
) {
    let named_in = |clause: u16| {
        resolved
            .iter()
            .filter(move |r| r.accepted && tokens[r.mention.first as usize].clause == clause)
            .map(|r| r.mention.platform)
    };
    let cleared: Vec<u16> = guards
        .iter()
        .filter(|g| g.cue == Cue::Guard(Guard::NotToBlame))
        .flat_map(|g| named_in(tokens[g.first as usize].clause))
        .collect();
    if cleared.is_empty() {
        return;
    }
    // A phrase vetoed only as the author's own connection is taken too: the telecom
    // exception would give it back to the very service the post clears ("router ist kaputt,
    // vodafone kann nix dafür").
    for h in hits.iter_mut().filter(|h| {
        (h.vetoed_by.is_none() || h.own_device_only)
            && h.cue.is_complaint()
            && named_in(tokens[h.first as usize].clause).all(|p| cleared.contains(&p))
    }) {
        h.own_device_only = false;
        h.vetoed_by = Some(shown(explain, || {
            "the post clears the service it names of the failure (a `not_to_blame` guard)"
                .to_string()
        }));
    }
}

/// Whether the sentence of token `at` is a question ("isn't whatsapp down?? my messages won't
/// send" denies nothing): a question mark between its last token and the next sentence.
fn asks(folded: &str, tokens: &[Token], at: u32) -> bool {
    let at = at as usize;
    let sentence = tokens[at].sentence;
    let last = at
        + tokens[at..]
            .iter()
            .take_while(|t| t.sentence == sentence)
            .count()
        - 1;
    let from = tokens[last].end as usize;
    let to = tokens
        .get(last + 1)
        .map_or(folded.len(), |t| t.start as usize);
    folded[from..to].contains(QUESTION_MARKS)
}
