//! When a post's "now" word belongs to its recovery: "kemarin wa down tapi sekarang udah aman",
//! "gestern war whatsapp down, heute läuft alles wieder". The past guard (`guards.past`) vetoes
//! every complaint phrase of a post about the past unless a `guards.current` word ("now",
//! "today", "sekarang") says the problem is current; in a post that also says the service
//! works (a surviving recovery phrase, or a negation guard such as "läuft alles" that no
//! complaint phrase denies) the current word speaks of the recovery, so it lifts nothing.
//!
//! This module only answers that question from the hits the classifier found; the guards
//! themselves are applied in `classify/mod.rs`. It reads no data of its own.

use super::Hit;
use crate::lexicon::{Cue, Guard};

/// Whether the post says the service works now: a recovery phrase that no overlapping
/// complaint phrase outranked, or a negation guard that is not the tail of a complaint
/// (`negated_guards` is the bit set of [`super::negation::negated_guards`]).
pub(super) fn says_it_works_now(hits: &[Hit], guards: &[Hit], negated_guards: u64) -> bool {
    hits.iter()
        .any(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none())
        || guards.iter().enumerate().any(|(i, g)| {
            g.cue == Cue::Guard(Guard::Negation) && (i >= 64 || negated_guards & (1 << i) == 0)
        })
}

/// Vetoes the recovery phrases of a post whose outage is told in the past (a complaint
/// phrase was vetoed by the past guard) when a past guard of the post is a time or news word
/// of its own, overlapping no complaint phrase: "ayer se cayó twitter, hoy ya todo normal",
/// "Meta restores WhatsApp after yesterday's outage", "昨日のLINE障害、2時間で復旧したらしい"
/// are the story of yesterday's outage, not a service coming back now. "whatsapp was down for
/// an hour, back now" keeps its recovery: its only past guard is the tense of "was down".
pub(super) fn veto_recovery_of_a_past_outage(
    lexicons: &[crate::lexicon::Lexicon],
    hits: &mut [Hit],
    guards: &[Hit],
    explain: bool,
) {
    let overlaps_complaint = |g: &Hit| {
        hits.iter()
            .any(|h| h.cue.is_complaint() && g.first <= h.last && h.first <= g.last)
    };
    let Some(time_word) = guards
        .iter()
        .find(|g| g.cue == Cue::Guard(Guard::Past) && !overlaps_complaint(g))
    else {
        return;
    };
    let reason = super::shown(explain, || {
        format!(
            "guards.past \"{}\" (the recovery of an outage told in the past is part of the story)",
            time_word.phrase_text(lexicons)
        )
    });
    for h in hits
        .iter_mut()
        .filter(|h| h.cue == Cue::Recovery && h.vetoed_by.is_none())
    {
        h.vetoed_by = Some(reason.clone());
    }
}
