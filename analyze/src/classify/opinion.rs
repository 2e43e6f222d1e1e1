//! The learned second opinion on the complaint decision: a logistic regression over the words
//! of a post (words, neighbouring pairs, word beginnings, runs of ideographs, with the
//! platform's name replaced by a placeholder), trained on the labelled posts and shipped as
//! data in `data/model/complaint.tsv`.
//!
//! The rules decide; the model is consulted at their edges only. A post in which the rules
//! found no complaint word at all (not even one a guard vetoed), that names exactly one
//! platform and reports no recovery, becomes a complaint when the model is confident of it
//! (`add_at`); a complaint that stands only on words other context can explain away ("down",
//! "dead") is dropped when the model is confident it is none (`veto_below`). Both thresholds
//! are in the model file. The model never names a platform, a symptom or a region, and never
//! overrules a guard.
//!
//! This module owns the feature set, the model file format, the score and the training (pure:
//! feature lists in, weights out). It reads no file and knows nothing of the rules' lexicons.

use crate::data::{DataError, DataFile};
use crate::lexicon::tokens::{Token, TokenKind};
use std::fmt::Write as _;

/// The bundled copy of `data/model/complaint.tsv`.
pub(super) const BUNDLED: DataFile<'static> = DataFile {
    name: "data/model/complaint.tsv",
    text: include_str!("../../../data/model/complaint.tsv"),
};

/// What stands for a platform's name in the features: "⟨p⟩ down" learnt from WhatsApp counts
/// for Steam.
const PLATFORM: &str = "⟨p⟩";

/// Words longer than this many characters also give their beginning as a feature, a stem for
/// every language ("funktioniert", "funktionierte" → "funkt").
const PREFIX_CHARS: usize = 5;

/// Numbers up to this many characters are features of their own ("503", "404"); longer ones
/// (times, amounts) are one feature, "a number".
const SHORT_NUMBER: usize = 3;

/// A complaint model loaded from its file.
#[derive(Debug, Clone)]
pub struct ComplaintModel {
    /// Feature hash → weight.
    weights: rustc_hash::FxHashMap<u64, f32>,
    bias: f32,
    /// The probability at or above which a post the rules call no complaint becomes one.
    pub add_at: f32,
    /// The probability below which a complaint the rules found is dropped.
    pub veto_below: f32,
    /// Which labelled posts trained it, as the file says.
    pub trained_on: String,
}

/// The model's opinion on one post, for explanations.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Opinion {
    /// Probability that the post is a complaint, in the model's eyes.
    pub probability: f32,
    /// What the opinion did: "added the complaint", "vetoed the complaint" or "agreed".
    pub effect: &'static str,
    /// The features of the post that weigh most, with their weights (positive: complaint).
    pub strongest: Vec<(String, f32)>,
}

/// Receives the features of a post, one at a time, each as a sequence of string pieces.
trait FeatureSink {
    fn begin(&mut self);
    fn piece(&mut self, s: &str);
    fn end(&mut self);
}

/// FNV-1a over the bytes of a feature's text: feeding the pieces one by one gives the hash of
/// their concatenation, so the file's feature texts and the streamed features agree.
struct Hashing<'a> {
    state: u64,
    out: &'a mut Vec<u64>,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl FeatureSink for Hashing<'_> {
    fn begin(&mut self) {
        self.state = FNV_OFFSET;
    }
    fn piece(&mut self, s: &str) {
        for &b in s.as_bytes() {
            self.state = (self.state ^ b as u64).wrapping_mul(FNV_PRIME);
        }
    }
    fn end(&mut self) {
        self.out.push(self.state);
    }
}

fn hash_text(text: &str) -> u64 {
    let mut out = Vec::with_capacity(1);
    let mut h = Hashing {
        state: 0,
        out: &mut out,
    };
    h.begin();
    h.piece(text);
    h.end();
    out[0]
}

struct Texts<'a> {
    current: String,
    out: &'a mut Vec<String>,
}

impl FeatureSink for Texts<'_> {
    fn begin(&mut self) {
        self.current.clear();
    }
    fn piece(&mut self, s: &str) {
        self.current.push_str(s);
    }
    fn end(&mut self) {
        self.out.push(self.current.clone());
    }
}

/// One unit of a post for the features: a token, or a whole platform mention.
#[derive(Clone, Copy)]
enum Unit<'a> {
    Platform,
    Token(TokenKind, &'a str),
}

impl<'a> Unit<'a> {
    /// The unit's text in a feature: a class mark and the text where the text generalises.
    fn write(self, sink: &mut impl FeatureSink) {
        match self {
            Unit::Platform => sink.piece(PLATFORM),
            Unit::Token(kind, text) => match kind {
                TokenKind::Word | TokenKind::Ideograph | TokenKind::Emoji | TokenKind::Symbol => {
                    sink.piece(text)
                }
                TokenKind::Hashtag => {
                    sink.piece("#");
                    sink.piece(text);
                }
                // Handles are people or accounts: only that one is there counts (and no
                // handle is ever stored in the model).
                TokenKind::Handle => sink.piece("⟨@⟩"),
                TokenKind::Domain => {
                    sink.piece("dom:");
                    sink.piece(text);
                }
                TokenKind::Number if text.chars().count() <= SHORT_NUMBER => {
                    sink.piece("num:");
                    sink.piece(text);
                }
                TokenKind::Number => sink.piece("num"),
            },
        }
    }

    fn is_ideograph(self) -> bool {
        matches!(self, Unit::Token(TokenKind::Ideograph, _))
    }
}

/// Streams the features of a folded, tokenised post. `platform_spans` are the token ranges
/// (first, last inclusive) of the platform names that count; `hashtag_rests` what followed a
/// platform's name inside a hashtag ("down" in "#whatsappdown").
fn each_feature(
    folded: &str,
    tokens: &[Token],
    platform_spans: &[(u32, u32)],
    hashtag_rests: &[&str],
    sink: &mut impl FeatureSink,
) {
    // Units with their sentence numbers.
    let mut units: Vec<(Unit<'_>, u16)> = Vec::with_capacity(tokens.len());
    let mut i = 0usize;
    while i < tokens.len() {
        let t = &tokens[i];
        if let Some(&(_, last)) = platform_spans
            .iter()
            .find(|&&(first, _)| first as usize == i)
        {
            units.push((Unit::Platform, t.sentence));
            i = (last as usize + 1).max(i + 1);
            continue;
        }
        units.push((Unit::Token(t.kind, t.text(folded)), t.sentence));
        i += 1;
    }
    for rest in hashtag_rests.iter().filter(|r| !r.is_empty()) {
        sink.begin();
        sink.piece("#⟨p⟩");
        sink.piece(rest);
        sink.end();
    }
    for (k, &(unit, sentence)) in units.iter().enumerate() {
        sink.begin();
        unit.write(sink);
        sink.end();
        if let Unit::Token(TokenKind::Word, text) = unit
            && let Some((cut, _)) = text.char_indices().nth(PREFIX_CHARS)
        {
            sink.begin();
            sink.piece(&text[..cut]);
            sink.piece("…");
            sink.end();
        }
        let Some(&(next, next_sentence)) = units.get(k + 1) else {
            continue;
        };
        if next_sentence != sentence {
            continue;
        }
        sink.begin();
        unit.write(sink);
        sink.piece(" ");
        next.write(sink);
        sink.end();
        if let Some(&(third, third_sentence)) = units.get(k + 2)
            && third_sentence == sentence
            && unit.is_ideograph()
            && next.is_ideograph()
            && third.is_ideograph()
        {
            sink.begin();
            unit.write(sink);
            sink.piece(" ");
            next.write(sink);
            sink.piece(" ");
            third.write(sink);
            sink.end();
        }
    }
}

/// The features of a post as text, for training and explanations (sorted, without repeats).
pub(super) fn feature_texts(
    folded: &str,
    tokens: &[Token],
    platform_spans: &[(u32, u32)],
    hashtag_rests: &[&str],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut sink = Texts {
        current: String::new(),
        out: &mut out,
    };
    each_feature(folded, tokens, platform_spans, hashtag_rests, &mut sink);
    out.sort();
    out.dedup();
    out
}

impl ComplaintModel {
    /// The bundled model.
    pub(super) fn bundled() -> Result<ComplaintModel, DataError> {
        ComplaintModel::from_file(&BUNDLED)
    }

    /// Parses a model file: comment lines opening with `# `, then `@bias`, `@add_at`, `@veto_below` and
    /// `@trained_on` lines and one `feature<TAB>weight` line per feature.
    pub fn from_file(file: &DataFile<'_>) -> Result<ComplaintModel, DataError> {
        let mut weights = rustc_hash::FxHashMap::default();
        let (mut bias, mut add_at, mut veto_below, mut trained_on) = (None, None, None, None);
        let regenerate = "regenerate the file with `cargo run --release -p outcry-analyze \
                          --example train_complaint_model` rather than edit it by hand";
        for (n, line) in file.text.lines().enumerate() {
            let line_no = n + 1;
            // Comments open with "# " (a hashtag feature has no space after its "#").
            if line.is_empty() || line == "#" || line.starts_with("# ") {
                continue;
            }
            let Some((key, value)) = line.split_once('\t') else {
                return Err(DataError::at_line(
                    file,
                    line_no,
                    format!("`{line}` is not `feature<TAB>weight`"),
                    regenerate,
                ));
            };
            if key == "@trained_on" {
                trained_on = Some(value.to_string());
                continue;
            }
            let number: f32 = value.trim().parse().map_err(|_| {
                DataError::at_line(
                    file,
                    line_no,
                    format!("the weight of `{key}` is `{value}`, not a number"),
                    regenerate,
                )
            })?;
            if !number.is_finite() {
                return Err(DataError::at_line(
                    file,
                    line_no,
                    format!("the weight of `{key}` is not finite"),
                    regenerate,
                ));
            }
            match key {
                "@bias" => bias = Some(number),
                "@add_at" | "@veto_below" if !(0.0..=1.0).contains(&number) => {
                    return Err(DataError::at_line(
                        file,
                        line_no,
                        format!("`{key}` is {number}, not a probability between 0 and 1"),
                        "set it to a probability such as 0.8",
                    ));
                }
                "@add_at" => add_at = Some(number),
                "@veto_below" => veto_below = Some(number),
                other if other.starts_with('@') => {
                    return Err(DataError::at_line(
                        file,
                        line_no,
                        format!("unknown setting `{other}`"),
                        "the settings are @bias, @add_at, @veto_below and @trained_on",
                    ));
                }
                feature => {
                    if weights.insert(hash_text(feature), number).is_some() {
                        return Err(DataError::at_line(
                            file,
                            line_no,
                            format!("the feature `{feature}` is listed twice"),
                            regenerate,
                        ));
                    }
                }
            }
        }
        let missing = |what: &str| DataError {
            file: file.name.to_string(),
            line: 0,
            message: format!("the model file has no `{what}` line"),
            fix: regenerate.to_string(),
        };
        Ok(ComplaintModel {
            weights,
            bias: bias.ok_or_else(|| missing("@bias"))?,
            add_at: add_at.ok_or_else(|| missing("@add_at"))?,
            veto_below: veto_below.ok_or_else(|| missing("@veto_below"))?,
            trained_on: trained_on.ok_or_else(|| missing("@trained_on"))?,
        })
    }

    /// The probability that a post is a complaint. `hashes` is scratch room.
    pub(super) fn probability(
        &self,
        folded: &str,
        tokens: &[Token],
        platform_spans: &[(u32, u32)],
        hashtag_rests: &[&str],
        hashes: &mut Vec<u64>,
    ) -> f32 {
        hashes.clear();
        let mut sink = Hashing {
            state: 0,
            out: hashes,
        };
        each_feature(folded, tokens, platform_spans, hashtag_rests, &mut sink);
        hashes.sort_unstable();
        hashes.dedup();
        let (mut sum, mut known) = (0.0f32, 0u32);
        for h in hashes.iter() {
            if let Some(w) = self.weights.get(h) {
                sum += w;
                known += 1;
            }
        }
        let norm = if known == 0 {
            0.0
        } else {
            sum / (known as f32).sqrt()
        };
        sigmoid(self.bias + norm)
    }

    /// The weight of a feature given as text (0 for a feature the model does not know).
    pub(super) fn weight_of(&self, feature: &str) -> Option<f32> {
        self.weights.get(&hash_text(feature)).copied()
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// One labelled post for training: its feature texts and whether it is a complaint.
#[derive(Debug, Clone)]
pub struct TrainingPost {
    /// The post's features, as [`crate::classify::Classifier::model_features`] gives them.
    pub features: Vec<String>,
    /// The label.
    pub complaint: bool,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainingConfig {
    /// A feature must occur in at least this many posts to be learnt.
    pub min_posts: usize,
    /// Inverse strength of the L2 penalty, as in the usual formulation: the loss summed over
    /// the posts plus `|w|² / (2 C)`.
    pub c: f64,
    /// Full passes of gradient descent.
    pub epochs: usize,
    /// Thresholds written into the file.
    pub add_at: f32,
    /// See [`ComplaintModel::veto_below`].
    pub veto_below: f32,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            min_posts: 2,
            c: 100.0,
            epochs: 600,
            add_at: 0.95,
            veto_below: 0.1,
        }
    }
}

/// Trains a model and returns its file text (deterministic: the same posts give the same
/// file). `trained_on` says in words which posts these are.
pub fn train(posts: &[TrainingPost], config: &TrainingConfig, trained_on: &str) -> String {
    // The vocabulary: features in at least `min_posts` posts, in a fixed order.
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for p in posts {
        for f in &p.features {
            *counts.entry(f.as_str()).or_default() += 1;
        }
    }
    let vocabulary: Vec<&str> = counts
        .iter()
        .filter(|&(_, &n)| n >= config.min_posts)
        .map(|(&f, _)| f)
        .collect();
    let index: std::collections::HashMap<&str, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, &f)| (f, i))
        .collect();
    // Each post as (feature indices, value): binary features scaled to unit length.
    let rows: Vec<(Vec<usize>, f64, f64)> = posts
        .iter()
        .map(|p| {
            let ids: Vec<usize> = p
                .features
                .iter()
                .filter_map(|f| index.get(f.as_str()).copied())
                .collect();
            let value = if ids.is_empty() {
                0.0
            } else {
                1.0 / (ids.len() as f64).sqrt()
            };
            (ids, value, if p.complaint { 1.0 } else { 0.0 })
        })
        .collect();
    let mut w = vec![0.0f64; vocabulary.len()];
    let mut b = 0.0f64;
    // Adam on the full batch: the objective is convex and small, so a fixed number of passes
    // reaches its minimum closely and the same data always gives the same weights.
    let (beta1, beta2, rate, eps) = (0.9f64, 0.999f64, 0.05f64, 1e-8f64);
    let mut m = vec![0.0f64; w.len() + 1];
    let mut v = vec![0.0f64; w.len() + 1];
    let mut grad = vec![0.0f64; w.len() + 1];
    for epoch in 1..=config.epochs {
        grad.iter_mut().for_each(|g| *g = 0.0);
        for (ids, value, label) in &rows {
            let z = b + ids.iter().map(|&i| w[i]).sum::<f64>() * value;
            let p = 1.0 / (1.0 + (-z).exp());
            let err = p - label;
            for &i in ids {
                grad[i] += err * value;
            }
            grad[w.len()] += err;
        }
        for (i, wi) in w.iter().enumerate() {
            grad[i] += wi / config.c;
        }
        let (c1, c2) = (
            1.0 - beta1.powi(epoch as i32),
            1.0 - beta2.powi(epoch as i32),
        );
        for i in 0..=w.len() {
            m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i];
            let step = rate * (m[i] / c1) / ((v[i] / c2).sqrt() + eps);
            if i == w.len() {
                b -= step;
            } else {
                w[i] -= step;
            }
        }
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# outcry's complaint model: a logistic regression over the words of a post, the second\n\
         # opinion the rules consult (analyze/src/classify/opinion.rs, docs/CLASSIFIER.md).\n\
         # Generated by `cargo run --release -p outcry-analyze --example train_complaint_model`\n\
         # from data/labelled/: do not edit by hand. {} features learnt from {} posts.",
        vocabulary.len(),
        posts.len()
    );
    let _ = writeln!(text, "@trained_on\t{trained_on}");
    let _ = writeln!(text, "@bias\t{:.5}", b);
    let _ = writeln!(text, "@add_at\t{}", config.add_at);
    let _ = writeln!(text, "@veto_below\t{}", config.veto_below);
    for (f, wi) in vocabulary.iter().zip(&w) {
        // Weights that round to nothing are left out: they would change no decision.
        if wi.abs() >= 0.0005 {
            let _ = writeln!(text, "{f}\t{wi:.4}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::tokens::tokenize_into;
    use crate::text::fold;

    fn features_of(text: &str, spans: &[(u32, u32)]) -> Vec<String> {
        let folded = fold(text);
        let mut tokens = Vec::new();
        tokenize_into(&folded, &mut tokens);
        feature_texts(&folded, &tokens, spans, &[])
    }

    #[test]
    fn a_platform_name_is_a_placeholder_and_pairs_stay_in_their_sentence() {
        let f = features_of("WhatsApp funktioniert nicht. @support 5031", &[(0, 0)]);
        assert!(f.contains(&"⟨p⟩ funktioniert".to_string()), "{f:?}");
        assert!(f.contains(&"funkt…".to_string()), "{f:?}");
        assert!(
            f.contains(&"⟨@⟩".to_string()),
            "handles are anonymous: {f:?}"
        );
        assert!(f.contains(&"num".to_string()), "{f:?}");
        assert!(!f.iter().any(|x| x.contains("whatsapp")), "{f:?}");
        assert!(
            !f.contains(&"nicht @".to_string()),
            "a sentence ends: {f:?}"
        );
    }

    #[test]
    fn ideographs_give_pairs_and_triples() {
        let f = features_of("ラインが落ちてる", &[]);
        assert!(f.contains(&"落 ち て".to_string()), "{f:?}");
        assert!(f.contains(&"が 落".to_string()), "{f:?}");
    }

    #[test]
    fn streamed_hashes_equal_the_hashes_of_the_texts() {
        let folded = fold("Insta não carrega o feed #instadown 😡 https://x.com/a");
        let mut tokens = Vec::new();
        tokenize_into(&folded, &mut tokens);
        let texts = feature_texts(&folded, &tokens, &[(0, 0)], &["down"]);
        let mut hashes = Vec::new();
        let mut sink = Hashing {
            state: 0,
            out: &mut hashes,
        };
        each_feature(&folded, &tokens, &[(0, 0)], &["down"], &mut sink);
        hashes.sort_unstable();
        hashes.dedup();
        let mut expected: Vec<u64> = texts.iter().map(|t| hash_text(t)).collect();
        expected.sort_unstable();
        assert_eq!(hashes, expected);
    }

    #[test]
    fn training_learns_a_separable_set_and_the_file_loads_back() {
        let post = |words: &[&str], complaint| TrainingPost {
            features: words.iter().map(|w| w.to_string()).collect(),
            complaint,
        };
        let posts = vec![
            post(&["⟨p⟩", "down", "⟨p⟩ down"], true),
            post(&["⟨p⟩", "down", "again"], true),
            post(&["⟨p⟩", "love", "it"], false),
            post(&["⟨p⟩", "love", "this"], false),
        ];
        let text = train(&posts, &TrainingConfig::default(), "a test");
        let model = ComplaintModel::from_file(&DataFile {
            name: "test.tsv",
            text: &text,
        })
        .unwrap();
        assert!(model.weight_of("down").unwrap() > 0.5, "{text}");
        assert!(model.weight_of("love").unwrap() < -0.5, "{text}");
        assert_eq!(model.weight_of("again"), None, "seen once: not learnt");
        assert_eq!(model.trained_on, "a test");
    }

    #[test]
    fn bad_model_files_say_where_and_what() {
        let load = |text: &str| {
            ComplaintModel::from_file(&DataFile {
                name: "m.tsv",
                text,
            })
        };
        let e = load("@bias\t0\n@add_at\t0.8\n@veto_below\t0.1\n@trained_on\tx\ndown\tlots\n")
            .unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.message.contains("not a number"), "{e}");
        let e = load("@bias\t0\n@add_at\t1.8\n").unwrap_err();
        assert!(e.message.contains("not a probability"), "{e}");
        let e = load("@bias\t0\n@add_at\t0.8\n@veto_below\t0.1\n").unwrap_err();
        assert!(e.message.contains("@trained_on"), "{e}");
        let e = load("@bias\t0\n@add_at\t0.8\n@veto_below\t0.1\n@trained_on\tx\na\t1\na\t2\n")
            .unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
    }
}
