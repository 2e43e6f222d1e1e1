//! The explanation of one classification: which phrase, platform alias and rule decided, in a
//! form `outcry classify --explain` prints as JSON.

use super::{Analysis, Classifier, LanguageDecision};
use crate::lexicon::Cue;
use serde::Serialize;

/// Why a post was classified the way it was.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// How the language was decided.
    pub language: LanguageDecision,
    /// Every platform name found, accepted or not, and why.
    pub mentions: Vec<MentionExplanation>,
    /// Every complaint, recovery and symptom phrase found, with its fate.
    pub cues: Vec<CueExplanation>,
    /// Guard phrases found (they veto cues; see `cues[].vetoed_by`).
    pub guards: Vec<CueExplanation>,
    /// Regions found in the location field and the text.
    pub regions: Vec<RegionExplanation>,
    /// The rule that decided, in one sentence.
    pub decision: String,
    /// Misspelled words read as the phrase words they misspell ("wokring → working"), when the
    /// post was read again with them corrected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub typos: Vec<String>,
    /// The complaint model's opinion, when it was consulted: a post naming one platform with
    /// no complaint found, or a complaint found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<super::opinion::Opinion>,
}

/// A platform name found in a post.
#[derive(Debug, Clone, Serialize)]
pub struct MentionExplanation {
    /// Catalog id.
    pub platform: String,
    /// The words that matched, as folded.
    pub matched: String,
    /// Whether it counts.
    pub accepted: bool,
    /// How it was named and, for ambiguous names, what confirmed or rejected it.
    pub rule: String,
}

/// A lexicon phrase found in a post.
#[derive(Debug, Clone, Serialize)]
pub struct CueExplanation {
    /// The lexicon's language.
    pub lexicon: String,
    /// Its list, such as `complaint.outage`, `symptoms.login` or `guards.finance`.
    pub list: String,
    /// The phrase as written in the lexicon (or the hashtag).
    pub phrase: String,
    /// The post's words it matched, as folded.
    pub matched: String,
    /// The guard or rule that cancelled it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vetoed_by: Option<String>,
    /// The platforms it is tied to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bound_to: Vec<String>,
    /// The rule that tied it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<String>,
}

/// A region found in a post.
#[derive(Debug, Clone, Serialize)]
pub struct RegionExplanation {
    /// ISO 3166 code.
    pub code: String,
    /// The text that matched.
    pub matched: String,
    /// The gazetteer rule.
    pub rule: String,
    /// How sure the gazetteer is.
    pub confidence: f32,
    /// Whether it is kept (confidence at or above `region::CONFIDENT`).
    pub kept: bool,
}

pub(super) fn build(classifier: &Classifier, a: &Analysis) -> Explanation {
    let words = |first: u32, last: u32| -> String {
        let (Some(&(s, _)), Some(&(_, e))) = (
            a.token_spans.get(first as usize),
            a.token_spans.get(last as usize),
        ) else {
            return String::new();
        };
        a.folded
            .get(s as usize..e as usize)
            .unwrap_or("")
            .to_string()
    };
    let cue = |h: &super::Hit| -> CueExplanation {
        let lexicon = classifier.lexicons.get(h.lexicon as usize);
        let phrase = h.phrase_text(&classifier.lexicons).to_string();
        let list = if h.binding == Some(super::BARE_NAME_POST) {
            "bare name post".to_string()
        } else if h.hashtag.is_some() {
            if h.cue == Cue::Recovery {
                "recovery.hashtag_suffixes".to_string()
            } else {
                "complaint.hashtag_suffixes".to_string()
            }
        } else if h.negated_verb.is_some() {
            "negation.verbs".to_string()
        } else {
            h.cue.key()
        };
        CueExplanation {
            lexicon: lexicon.map(|l| l.code.clone()).unwrap_or_default(),
            list,
            phrase,
            matched: words(h.first, h.last),
            vetoed_by: h.vetoed_by.clone(),
            bound_to: h
                .bound
                .iter()
                .map(|&p| classifier.catalog.get(p).id.clone())
                .collect(),
            binding: h.binding.map(str::to_string),
        }
    };
    Explanation {
        language: a.lang.clone(),
        mentions: a
            .mentions
            .iter()
            .map(|r| MentionExplanation {
                platform: classifier.catalog.get(r.mention.platform).id.clone(),
                matched: words(r.mention.first, r.mention.last),
                accepted: r.accepted,
                rule: r.rule.clone(),
            })
            .collect(),
        cues: a.hits.iter().map(cue).collect(),
        guards: a.guards.iter().map(cue).collect(),
        regions: a
            .regions
            .iter()
            .map(|m| RegionExplanation {
                code: m.code.clone(),
                matched: m.matched.clone(),
                rule: m.rule.to_string(),
                confidence: m.confidence,
                kept: m.confidence >= crate::region::CONFIDENT,
            })
            .collect(),
        decision: a.decision.clone(),
        typos: a
            .typos
            .iter()
            .map(|(written, read)| format!("{written} → {read}"))
            .collect(),
        model: a.opinion.clone(),
    }
}
