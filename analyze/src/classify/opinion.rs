//! The learned second opinions: logistic regressions over the words of a post (words,
//! neighbouring pairs, word beginnings, runs of ideographs, with the platform's name replaced
//! by a placeholder), trained on the labelled posts and shipped as data in `data/model/`.
//!
//! The rules decide; the models are consulted at their edges only:
//! - `complaint.tsv`: a post in which the rules found no complaint word at all (not even one a
//!   guard vetoed) and that names exactly one platform (also one the rules call a recovery,
//!   since the eighteenth session: one part back, another still broken) becomes a complaint
//!   when the model is confident of it (`add_at`) and knows enough of its features
//!   (`add_min_features`); a complaint the rules found (beside a recovery too) is dropped when
//!   the model is confident it is none and knows enough of its features (`min_features`):
//!   below `veto_below` when it names no symptom, below `veto_named_below` when it names one:
//!   the blog posts, lectures, stories, ads, scam warnings and outages already over that the
//!   guards have no phrase for. Where the rules weighed a guard or a rule against one of the
//!   post's words, the model says nothing: it never turns a post a guard vetoed into a
//!   complaint, nor drops a complaint the rules read clause by clause.
//!   Its second head, `recovery` (seventeenth session), is the recovery model: asked on the
//!   posts that name a platform and that the complaint model was asked about (one lookup per
//!   feature gives both heads), that have a complaint word (vetoed or not) or that the rules
//!   call a recovery, it makes a post the rules found no recovery phrase in a recovery when
//!   confident of it (`recovery_add_at`; "Gmail tut wieder!", "ok spotify's back") and drops
//!   a recovery of the rules it is nearly sure is none (`recovery_drop_below`; "torno ai
//!   dvd"), each with at least `recovery_min_features` known features.
//! - `symptoms.tsv`: one head per symptom kind; a complaint the rules named no symptom of is
//!   given the kinds the model is confident of (`add_at`), one they named kinds of the other
//!   kinds it is surer of (`add_more_at`), and a kind the rules named is dropped when the
//!   model is nearly sure the post does not say it (`drop_below`), or, of several kinds the
//!   rules named, when it rates it unlikely and another likelier (`drop_extra_below`,
//!   eighteenth session).
//! - `veto.tsv`: the stacked veto, a complaint model that also reads the rules' reading of the
//!   post (tags `⟨r:…⟩`: that the rules found a complaint, whether they named a kind, each
//!   complaint word's list and fate). It is consulted after the complaint model, on the
//!   complaints it kept that name no symptom (no recovery, no guard or rule weighed), and
//!   drops the ones it rates below its `veto_below` (with at least `min_features` known
//!   features).
//!
//! None names a platform or a region. This module owns the feature set, the model file
//! format (one parser for every model), the scores and the training (pure: feature lists in,
//! file text out). It reads no file and knows nothing of the rules' lexicons.

use crate::data::{DataError, DataFile};
use crate::lexicon::tokens::{Token, TokenKind};
use crate::u64_table::U64Table;
use outcry_model::Symptom;
use std::fmt::Write as _;

/// The bundled copy of `data/model/complaint.tsv`.
pub(super) const BUNDLED_COMPLAINT: DataFile<'static> = DataFile {
    name: "data/model/complaint.tsv",
    text: include_str!("../../../data/model/complaint.tsv"),
};

/// The bundled copy of `data/model/symptoms.tsv`.
pub(super) const BUNDLED_SYMPTOMS: DataFile<'static> = DataFile {
    name: "data/model/symptoms.tsv",
    text: include_str!("../../../data/model/symptoms.tsv"),
};

/// The bundled copy of `data/model/veto.tsv`.
pub(super) const BUNDLED_VETO: DataFile<'static> = DataFile {
    name: "data/model/veto.tsv",
    text: include_str!("../../../data/model/veto.tsv"),
};

/// What stands for a platform's name in the features: "⟨p⟩ down" learnt from WhatsApp counts
/// for Steam.
const PLATFORM: &str = "⟨p⟩";

/// Words longer than this many characters also give their beginning as a feature, a stem for
/// every language ("funktioniert", "funktionierte" → "funkt").
const PREFIX_CHARS: usize = 5;

/// Heads scored in one fixed-width step per feature (up to this many; the symptom model has
/// 11): the compiler adds such an array with a few vector instructions, where a loop over the
/// heads took one scalar addition and a loop branch each.
const LANES: usize = 16;

/// Numbers up to this many characters are features of their own ("503", "404"); longer ones
/// (times, amounts) are one feature, "a number".
const SHORT_NUMBER: usize = 3;

/// The most units a feature joins (a run of three ideographs).
const MAX_UNITS: usize = 3;

/// How to regenerate a model file, for errors.
const REGENERATE: &str = "regenerate the file with `cargo run --release -p outcry-analyze \
                          --example train_models` rather than edit it by hand";

/// Where a unit's text goes: a string (features as text) or a running hash.
trait Pieces {
    fn piece(&mut self, s: &str);
}

impl Pieces for String {
    fn piece(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// FNV-1a over bytes: feeding a unit's pieces one by one gives the hash of their
/// concatenation, so a unit hashed while streaming equals the same unit read from a file.
struct Fnv(u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Pieces for Fnv {
    fn piece(&mut self, s: &str) {
        for &b in s.as_bytes() {
            self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_PRIME);
        }
    }
}

fn fnv(text: &str) -> u64 {
    let mut h = Fnv(FNV_OFFSET);
    h.piece(text);
    h.0
}

/// Combines unit hashes into a feature's hash: one unit (a word, a word's beginning), a pair or
/// a triple, each with its own seed so that no pair hashes like a single unit.
fn combine(units: &[u64]) -> u64 {
    const SEEDS: [u64; 3] = [
        0x9e37_79b9_7f4a_7c15,
        0xc2b2_ae3d_27d4_eb4f,
        0x1656_67b1_9e37_79f9,
    ];
    units
        .iter()
        .fold(SEEDS[units.len().saturating_sub(1).min(2)], |acc, &h| {
            (acc.rotate_left(23) ^ h).wrapping_mul(0x5851_f42d_4c95_7f2d)
        })
}

/// The hash of a feature given as text (as [`feature_texts`] writes it: units joined by one
/// space).
fn hash_text(feature: &str) -> u64 {
    let mut units = [0u64; MAX_UNITS];
    let mut n = 0;
    for part in feature.split(' ') {
        if n == units.len() {
            // No feature has more than three units: this one cannot match any.
            return 0;
        }
        units[n] = fnv(part);
        n += 1;
    }
    combine(&units[..n])
}

/// The hashes of features given as text, for scoring them as [`hashed_features`] would.
fn hashes_of(features: &[String]) -> Vec<u64> {
    features.iter().map(|f| hash_text(f)).collect()
}

/// One unit of a post for the features: a token, or a whole platform mention.
#[derive(Clone, Copy)]
enum Unit<'a> {
    Platform,
    Token(TokenKind, &'a str),
}

impl<'a> Unit<'a> {
    /// The unit's text in a feature: a class mark and the text where the text generalises.
    fn write(self, out: &mut impl Pieces) {
        match self {
            Unit::Platform => out.piece(PLATFORM),
            Unit::Token(kind, text) => match kind {
                TokenKind::Word | TokenKind::Ideograph | TokenKind::Emoji | TokenKind::Symbol => {
                    out.piece(text)
                }
                TokenKind::Hashtag => {
                    out.piece("#");
                    out.piece(text);
                }
                // Handles are people or accounts: only that one is there counts (and no
                // handle is ever stored in the model).
                TokenKind::Handle => out.piece("⟨@⟩"),
                TokenKind::Domain => {
                    out.piece("dom:");
                    out.piece(text);
                }
                TokenKind::Number if text.chars().count() <= SHORT_NUMBER => {
                    out.piece("num:");
                    out.piece(text);
                }
                TokenKind::Number => out.piece("num"),
            },
        }
    }

    fn hash(self) -> u64 {
        let mut h = Fnv(FNV_OFFSET);
        self.write(&mut h);
        h.0
    }

    fn text(self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    fn is_ideograph(self) -> bool {
        matches!(self, Unit::Token(TokenKind::Ideograph, _))
    }

    /// A long word's beginning ("funkt…"): a stem for every language. The ellipsis keeps it
    /// apart from a word of that spelling (no word holds one). The test that most units
    /// answer at (no word, or a word of no more bytes than PREFIX_CHARS, so of no more
    /// characters either) is inlined into the features' walk; the cut is not.
    #[inline(always)]
    fn beginning(self) -> Option<&'a str> {
        match self {
            Unit::Token(TokenKind::Word, text) if text.len() > PREFIX_CHARS => {
                beginning_of_long_word(text)
            }
            _ => None,
        }
    }
}

/// The first PREFIX_CHARS characters of a word of more bytes than that ([`Unit::beginning`]):
/// cut after its first PREFIX_CHARS bytes when the first PREFIX_CHARS + 1 are ASCII, without
/// decoding it; none when the word has no more characters.
fn beginning_of_long_word(text: &str) -> Option<&str> {
    if text.as_bytes()[..=PREFIX_CHARS].is_ascii() {
        return Some(&text[..PREFIX_CHARS]);
    }
    text.char_indices()
        .nth(PREFIX_CHARS)
        .map(|(cut, _)| &text[..cut])
}

/// The units of a folded, tokenised post, each with its sentence number: a platform's name
/// (its token range in `platform_spans`, first and last inclusive) is one placeholder unit.
fn units<'a>(
    folded: &'a str,
    tokens: &'a [Token],
    platform_spans: &'a [(u32, u32)],
) -> impl Iterator<Item = (Unit<'a>, u16)> + 'a {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        let t = tokens.get(i)?;
        if let Some(&(_, last)) = platform_spans
            .iter()
            .find(|&&(first, _)| first as usize == i)
        {
            i = (last as usize + 1).max(i + 1);
            return Some((Unit::Platform, t.sentence));
        }
        i += 1;
        Some((Unit::Token(t.kind, t.text(folded)), t.sentence))
    })
    .filter(|&(unit, _)| !invisible(unit))
}

/// Whether a unit is no feature: a run of marks the tokenizer keeps as a number (the
/// variation selector of "🤦‍♀️" after its sign: nothing a reader sees; it had learnt -3.5
/// from the traps that wrote ♀️), or an emoji. Emoji are the writers' habits more than the
/// posts' meaning: "🤦" had learnt -5.1 in the stacked veto from the traps our writers end
/// with it, and vetoed "facebook AND insta not working, what is happening 🤦‍♂️"; without
/// them the models judge the seven freshest writer sets the same (complaint F1 0.9383 →
/// 0.9385, symptoms 0.8750 → 0.8744, each set's models trained without it; docs/CLASSIFIER.md
/// "Fifteenth session").
fn invisible(unit: Unit<'_>) -> bool {
    matches!(unit, Unit::Token(TokenKind::Emoji, _))
        || matches!(unit, Unit::Token(TokenKind::Number, text)
            if !text.chars().any(|c| c.is_alphanumeric()))
}

/// The features of a post as text, for training and explanations (sorted, without repeats):
/// every unit; every long word's beginning; every pair of neighbouring units in one sentence;
/// every three neighbouring ideographs in one sentence; and what followed a platform's name
/// in a hashtag (`hashtag_rests`: "down" in "#whatsappdown") as "#⟨p⟩down".
pub(super) fn feature_texts(
    folded: &str,
    tokens: &[Token],
    platform_spans: &[(u32, u32)],
    hashtag_rests: &[&str],
) -> Vec<String> {
    let all: Vec<(Unit<'_>, u16)> = units(folded, tokens, platform_spans).collect();
    let mut out: Vec<String> = hashtag_rests
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| format!("#{PLATFORM}{r}"))
        .collect();
    for (k, &(unit, sentence)) in all.iter().enumerate() {
        out.push(unit.text());
        if let Some(beginning) = unit.beginning() {
            out.push(format!("{beginning}…"));
        }
        if k >= 1 && all[k - 1].1 == sentence {
            let before = all[k - 1].0;
            out.push(format!("{} {}", before.text(), unit.text()));
            if k >= 2
                && all[k - 2].1 == sentence
                && all[k - 2].0.is_ideograph()
                && before.is_ideograph()
                && unit.is_ideograph()
            {
                out.push(format!(
                    "{} {} {}",
                    all[k - 2].0.text(),
                    before.text(),
                    unit.text()
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The hashed features of a post (the same features as [`feature_texts`], each unit hashed
/// once), sorted, without repeats, into `out`.
pub(super) fn hashed_features(
    folded: &str,
    tokens: &[Token],
    platform_spans: &[(u32, u32)],
    hashtag_rests: &[&str],
    out: &mut Vec<u64>,
) {
    out.clear();
    for rest in hashtag_rests.iter().filter(|r| !r.is_empty()) {
        let mut h = Fnv(FNV_OFFSET);
        h.piece("#");
        h.piece(PLATFORM);
        h.piece(rest);
        out.push(combine(&[h.0]));
    }
    // The two units before this one: (hash, sentence, ideograph).
    let mut before: [Option<(u64, u16, bool)>; 2] = [None, None];
    for (unit, sentence) in units(folded, tokens, platform_spans) {
        let h = unit.hash();
        let ideograph = unit.is_ideograph();
        out.push(combine(&[h]));
        if let Some(beginning) = unit.beginning() {
            let mut b = Fnv(FNV_OFFSET);
            b.piece(beginning);
            b.piece("…");
            out.push(combine(&[b.0]));
        }
        if let Some((h1, s1, i1)) = before[1]
            && s1 == sentence
        {
            out.push(combine(&[h1, h]));
            if let Some((h0, s0, i0)) = before[0]
                && s0 == sentence
                && i0
                && i1
                && ideograph
            {
                out.push(combine(&[h0, h1, h]));
            }
        }
        before = [before[1], Some((h, sentence, ideograph))];
    }
    out.sort_unstable();
    out.dedup();
}

/// A model file: one or more heads (logistic regressions) over one vocabulary, and settings.
#[derive(Debug, Clone)]
pub struct LinearModel {
    /// Feature hash → its row in `weights` (looked up for every feature of every post a
    /// model reads).
    rows: U64Table<u32>,
    /// One weight per head for each feature, row after row.
    weights: Vec<f32>,
    biases: Vec<f32>,
    heads: Vec<String>,
    /// The line of `@heads`, for errors about a head.
    heads_line: usize,
    /// `@name<TAB>number` lines other than `@bias`: name, value, line.
    settings: Vec<(String, f32, usize)>,
    /// Which labelled posts trained it, as the file says.
    pub trained_on: String,
}

impl LinearModel {
    /// Parses a model file: comment lines opening with `# `, then `@trained_on<TAB>words`,
    /// `@heads<TAB>name...`, `@bias<TAB>number...` (one per head), settings
    /// `@name<TAB>number`, and one `feature<TAB>weight...` line per feature (one weight per
    /// head).
    pub fn from_file(file: &DataFile<'_>) -> Result<LinearModel, DataError> {
        // The rows by hash while the file is read (a map says when a feature comes twice),
        // then put into the table the lookups read.
        let mut rows: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
        let mut model = LinearModel {
            rows: U64Table::new(std::iter::empty()),
            weights: Vec::new(),
            biases: Vec::new(),
            heads: Vec::new(),
            heads_line: 0,
            settings: Vec::new(),
            trained_on: String::new(),
        };
        let mut trained_on = None;
        let mut numbers: Vec<f32> = Vec::new();
        for (n, line) in file.text.lines().enumerate() {
            let line_no = n + 1;
            // Comments open with "# " (a hashtag feature has no space after its "#").
            if line.is_empty() || line == "#" || line.starts_with("# ") {
                continue;
            }
            let mut fields = line.split('\t');
            let key = fields.next().unwrap_or_default();
            let values: Vec<&str> = fields.collect();
            if values.is_empty() {
                return Err(DataError::at_line(
                    file,
                    line_no,
                    format!("`{line}` is not `feature<TAB>weight`"),
                    REGENERATE,
                ));
            }
            match key {
                "@trained_on" => {
                    trained_on = Some(values.join(" "));
                    continue;
                }
                "@heads" if model.heads_line != 0 => {
                    return Err(DataError::at_line(
                        file,
                        line_no,
                        format!(
                            "a second `@heads` line (the first is line {})",
                            model.heads_line
                        ),
                        REGENERATE,
                    ));
                }
                "@heads" => {
                    model.heads = values.iter().map(|h| h.to_string()).collect();
                    model.heads_line = line_no;
                    continue;
                }
                _ => {}
            }
            if model.heads.is_empty() {
                return Err(DataError::at_line(
                    file,
                    line_no,
                    format!("`{key}` comes before the `@heads` line"),
                    REGENERATE,
                ));
            }
            numbers.clear();
            for v in &values {
                match v.trim().parse::<f32>() {
                    Ok(x) if x.is_finite() => numbers.push(x),
                    _ => {
                        return Err(DataError::at_line(
                            file,
                            line_no,
                            format!("`{v}` (for `{key}`) is not a finite number"),
                            REGENERATE,
                        ));
                    }
                }
            }
            let per_head = key == "@bias" || !key.starts_with('@');
            let expected = if per_head { model.heads.len() } else { 1 };
            if numbers.len() != expected {
                return Err(DataError::at_line(
                    file,
                    line_no,
                    format!(
                        "`{key}` has {} numbers where {expected} are expected ({} heads)",
                        numbers.len(),
                        model.heads.len()
                    ),
                    REGENERATE,
                ));
            }
            if key == "@bias" {
                model.biases = numbers.clone();
            } else if let Some(name) = key.strip_prefix('@') {
                model.settings.push((name.to_string(), numbers[0], line_no));
            } else {
                if key.split(' ').count() > MAX_UNITS {
                    return Err(DataError::at_line(
                        file,
                        line_no,
                        format!("the feature `{key}` has more than {MAX_UNITS} words"),
                        REGENERATE,
                    ));
                }
                let row = (model.weights.len() / model.heads.len()) as u32;
                if rows.insert(hash_text(key), row).is_some() {
                    return Err(DataError::at_line(
                        file,
                        line_no,
                        format!("the feature `{key}` is listed twice"),
                        REGENERATE,
                    ));
                }
                model.weights.extend_from_slice(&numbers);
            }
        }
        let missing = |what: &str| DataError {
            file: file.name.to_string(),
            line: 0,
            message: format!("the model file has no `{what}` line"),
            fix: REGENERATE.to_string(),
        };
        model.trained_on = trained_on.ok_or_else(|| missing("@trained_on"))?;
        if model.heads.is_empty() {
            return Err(missing("@heads"));
        }
        if model.biases.is_empty() {
            return Err(missing("@bias"));
        }
        // Room for `probabilities` to read a whole `LANES` from the last rows.
        model.weights.extend([0.0; LANES]);
        model.rows = U64Table::new(rows);
        Ok(model)
    }

    /// The value and line of setting `name`; an error when the file has none.
    fn setting(&self, file: &DataFile<'_>, name: &str) -> Result<(f32, usize), DataError> {
        self.settings
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|&(_, value, line)| (value, line))
            .ok_or_else(|| DataError {
                file: file.name.to_string(),
                line: 0,
                message: format!("the model file has no `@{name}` line"),
                fix: REGENERATE.to_string(),
            })
    }

    /// Refuses a file whose heads are not the one head `head` (`complaint` for the complaint
    /// model without a recovery head and for the stacked veto).
    fn require_one_head(&self, file: &DataFile<'_>, head: &str) -> Result<(), DataError> {
        if self.heads != [head] {
            return Err(DataError::at_line(
                file,
                self.heads_line,
                format!("the heads are {:?}, not [\"{head}\"]", self.heads),
                REGENERATE,
            ));
        }
        Ok(())
    }

    /// Refuses a setting that is not among `known` (a misspelt `@add_a` would otherwise be
    /// ignored).
    fn refuse_unknown_settings(
        &self,
        file: &DataFile<'_>,
        known: &[&str],
    ) -> Result<(), DataError> {
        match self
            .settings
            .iter()
            .find(|(n, _, _)| !known.contains(&n.as_str()))
        {
            Some((name, _, line)) => Err(DataError::at_line(
                file,
                *line,
                format!("unknown setting `@{name}`"),
                format!(
                    "the settings of this model are {}",
                    known
                        .iter()
                        .map(|k| format!("@{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    /// The count setting `name` (`min_features`): a whole number, 0 or more.
    fn count_setting(&self, file: &DataFile<'_>, name: &str) -> Result<u32, DataError> {
        let (value, line) = self.setting(file, name)?;
        if value < 0.0 || value.fract() != 0.0 || value > 10_000.0 {
            return Err(DataError::at_line(
                file,
                line,
                format!("`@{name}` is {value}, not a whole number of features"),
                "set it to a count such as 8",
            ));
        }
        Ok(value as u32)
    }

    /// The probability setting `name` (`add_at`, `veto_below`), checked to lie in 0..=1.
    fn probability_setting(&self, file: &DataFile<'_>, name: &str) -> Result<f32, DataError> {
        let (value, line) = self.setting(file, name)?;
        if !(0.0..=1.0).contains(&value) {
            return Err(DataError::at_line(
                file,
                line,
                format!("`@{name}` is {value}, not a probability between 0 and 1"),
                "set it to a probability such as 0.8",
            ));
        }
        Ok(value)
    }

    /// The probability of each head for a post's hashed features (from [`hashed_features`]);
    /// returns how many of the features the model knows.
    fn probabilities(&self, hashes: &[u64], out: &mut Vec<f32>) -> u32 {
        self.probabilities_with(hashes, std::iter::empty(), out)
    }

    /// The first two heads' probabilities, each over the features that weigh in it: a weight
    /// written as 0 (it rounded to nothing) leaves the feature unknown to its head, so that
    /// each head scores as it would alone in its own file. Returns each head's known features.
    fn two_head_probabilities(&self, hashes: &[u64]) -> ([f32; 2], [u32; 2]) {
        let heads = self.heads.len();
        let mut sums = [0f32; 2];
        let mut known = [0u32; 2];
        for row in hashes.iter().filter_map(|&h| self.rows.get(h)) {
            let at = row as usize * heads;
            // Without a branch per weight (a zero weight is as frequent as not in the second
            // head, and mispredicted as often): adding a zero leaves any sum as it is (no sum
            // here is ever -0.0, the one value adding +0.0 would change, as the sums start at
            // +0.0 and a sum of finite numbers rounds to -0.0 only from -0.0 plus -0.0), so
            // each sum takes the same additions of nonzero weights in the same order.
            for (head, &w) in self.weights[at..at + 2].iter().enumerate() {
                sums[head] += w;
                known[head] += u32::from(w != 0.0);
            }
        }
        let out = [0, 1].map(|head| score(self.biases[head], sums[head], known[head]));
        (out, known)
    }

    /// [`LinearModel::probabilities`] with more features given by their rows (known
    /// features, added after the hashed ones).
    fn probabilities_with(
        &self,
        hashes: &[u64],
        rows: impl Iterator<Item = u32>,
        out: &mut Vec<f32>,
    ) -> u32 {
        let heads = self.heads.len();
        out.clear();
        out.resize(heads, 0.0);
        let mut known = 0u32;
        let found = hashes.iter().filter_map(|&h| self.rows.get(h)).chain(rows);
        if (4..=LANES).contains(&heads) {
            // A row's weights added LANES at a time, past its last head into the next row's
            // (or the padding after the last row): the extra sums are dropped, and each head's
            // sum takes the same additions in the same order, so the same value.
            let mut sums = [0f32; LANES];
            for row in found {
                let at = row as usize * heads;
                match self
                    .weights
                    .get(at..at + LANES)
                    .and_then(|w| <&[f32; LANES]>::try_from(w).ok())
                {
                    Some(w) => sums.iter_mut().zip(w).for_each(|(sum, w)| *sum += w),
                    None => sums
                        .iter_mut()
                        .zip(&self.weights[at..at + heads])
                        .for_each(|(sum, w)| *sum += w),
                }
                known += 1;
            }
            out.copy_from_slice(&sums[..heads]);
        } else {
            for row in found {
                let at = row as usize * heads;
                for (sum, w) in out.iter_mut().zip(&self.weights[at..at + heads]) {
                    *sum += w;
                }
                known += 1;
            }
        }
        for (p, &b) in out.iter_mut().zip(&self.biases) {
            *p = score(b, *p, known);
        }
        known
    }

    /// The weights of a feature given as text, one per head (`None` for a feature the model
    /// does not know).
    fn weights_of(&self, feature: &str) -> Option<&[f32]> {
        let heads = self.heads.len();
        self.rows.get(hash_text(feature)).map(|row| {
            let at = row as usize * heads;
            &self.weights[at..at + heads]
        })
    }

    /// The features of a post that weigh most for head `head`, strongest first.
    fn strongest(&self, features: &[String], head: usize, count: usize) -> Vec<(String, f32)> {
        let mut weighed: Vec<(String, f32)> = features
            .iter()
            .filter_map(|f| self.weights_of(f).map(|w| (f.clone(), w[head])))
            .filter(|(_, w)| *w != 0.0)
            .collect();
        weighed.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        weighed.truncate(count);
        weighed
    }
}

/// A head's probability from its bias and the sum of its weights over `known` features: the
/// sum scaled by 1/sqrt(known), as the training scales each post's features to unit length.
fn score(bias: f32, sum: f32, known: u32) -> f32 {
    let scale = if known == 0 {
        0.0
    } else {
        1.0 / (known as f32).sqrt()
    };
    sigmoid(bias + sum * scale)
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// The complaint model: the head `complaint` and its thresholds, and optionally a second head,
/// `recovery`, with its own ([`RecoveryThresholds`]).
#[derive(Debug, Clone)]
pub struct ComplaintModel {
    model: LinearModel,
    /// The probability at or above which a post the rules call no complaint becomes one.
    pub add_at: f32,
    /// The probability below which a complaint the rules found, naming no symptom, is dropped.
    pub veto_below: f32,
    /// The same for a complaint the rules found that names a symptom.
    pub veto_named_below: f32,
    /// A post whose features the model knows fewer of than this is neither added nor dropped:
    /// on a few words ("does anyone still use tiktok?") one frequent word weighs too much.
    pub min_features: u32,
    /// The same for adding a complaint, which the model does on the words alone (the rules
    /// found no complaint word): "github notifications are the only thing keeping me awake"
    /// is 12 known features, one of which ("notif…") is a complaint's in nearly every
    /// labelled post that has it.
    pub add_min_features: u32,
    /// The recovery head's thresholds, when the file has one (`@heads complaint recovery`).
    pub recovery: Option<RecoveryThresholds>,
}

/// The thresholds of the complaint model's recovery head.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecoveryThresholds {
    /// The probability at or above which a post the rules found no recovery in becomes one.
    pub add_at: f32,
    /// The probability below which a recovery the rules found is dropped.
    pub drop_below: f32,
    /// A post whose features the model knows fewer of is neither added nor dropped.
    pub min_features: u32,
}

impl ComplaintModel {
    /// The bundled model.
    pub(super) fn bundled() -> Result<ComplaintModel, DataError> {
        ComplaintModel::from_file(&BUNDLED_COMPLAINT)
    }

    /// Parses a complaint model file (see [`LinearModel::from_file`]).
    pub fn from_file(file: &DataFile<'_>) -> Result<ComplaintModel, DataError> {
        let model = LinearModel::from_file(file)?;
        let with_recovery = model.heads == ["complaint", "recovery"];
        if !with_recovery && model.heads != ["complaint"] {
            return Err(DataError::at_line(
                file,
                model.heads_line,
                format!(
                    "the heads are {:?}, not [\"complaint\"] or [\"complaint\", \"recovery\"]",
                    model.heads
                ),
                REGENERATE,
            ));
        }
        let mut known = vec![
            "add_at",
            "veto_below",
            "veto_named_below",
            "min_features",
            "add_min_features",
        ];
        if with_recovery {
            known.extend([
                "recovery_add_at",
                "recovery_drop_below",
                "recovery_min_features",
            ]);
        }
        model.refuse_unknown_settings(file, &known)?;
        let recovery = if with_recovery {
            Some(RecoveryThresholds {
                add_at: model.probability_setting(file, "recovery_add_at")?,
                drop_below: model.probability_setting(file, "recovery_drop_below")?,
                min_features: model.count_setting(file, "recovery_min_features")?,
            })
        } else {
            None
        };
        Ok(ComplaintModel {
            recovery,
            add_at: model.probability_setting(file, "add_at")?,
            veto_below: model.probability_setting(file, "veto_below")?,
            veto_named_below: model.probability_setting(file, "veto_named_below")?,
            min_features: model.count_setting(file, "min_features")?,
            add_min_features: model.count_setting(file, "add_min_features")?,
            model,
        })
    }

    /// Which labelled posts trained it.
    pub fn trained_on(&self) -> &str {
        &self.model.trained_on
    }

    /// The probability that a post is a complaint, from its hashed features, and how many of
    /// them the model knows; with a recovery head, the same for recovery, from the same
    /// lookups (each head counts the features that weigh in it).
    pub(super) fn probability(
        &self,
        hashes: &[u64],
        scratch: &mut Vec<f32>,
    ) -> ((f32, u32), Option<(f32, u32)>) {
        if self.recovery.is_some() {
            let (p, known) = self.model.two_head_probabilities(hashes);
            ((p[0], known[0]), Some((p[1], known[1])))
        } else {
            let known = self.model.probabilities(hashes, scratch);
            ((scratch[0], known), None)
        }
    }

    /// The features that weigh most in the complaint decision, for explanations.
    pub(super) fn strongest(&self, features: &[String]) -> Vec<(String, f32)> {
        self.model.strongest(features, 0, 8)
    }

    /// The features that weigh most in the recovery decision, for explanations.
    pub(super) fn strongest_for_recovery(&self, features: &[String]) -> Vec<(String, f32)> {
        self.model.strongest(features, 1, 8)
    }

    /// The recovery head's probability and the known features, from the features as text:
    /// for measuring it on labelled posts (`None` without the head).
    pub fn recovery_probability_of(&self, features: &[String]) -> Option<(f32, u32)> {
        self.probability(&hashes_of(features), &mut Vec::new()).1
    }

    /// The probability that a post is a complaint and how many of its features the model
    /// knows, from its features as text (as [`crate::classify::Classifier::model_features`]
    /// gives them): for measuring the model on labelled posts.
    pub fn probability_of(&self, features: &[String]) -> (f32, u32) {
        self.probability(&hashes_of(features), &mut Vec::new()).0
    }
}

/// What the recovery model said about a post, for explanations.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecoveryOpinion {
    /// Probability that the post says a service works again.
    pub probability: f32,
    /// How many of its features the model knows.
    pub known_features: u32,
    /// "added the recovery", "dropped the recovery", "knew too few of the post's features to
    /// add the recovery" (or "to drop the recovery") or "agreed".
    pub effect: &'static str,
    /// The features that weigh most, with their weights (positive: recovery).
    pub strongest: Vec<(String, f32)>,
}

/// Kinds the rules tell apart by the platform's category, which the model cannot see (every
/// platform is one placeholder): videos that do not load are playback on a video service and
/// media on a social network ("instagram no funciona, los vídeos no cargan"). Where the rules
/// named one, the model does not add the other.
const READ_BY_CATEGORY: [(Symptom, Symptom); 1] = [(Symptom::Media, Symptom::Playback)];

/// The symptom model: one head per symptom kind, and the threshold to add a kind.
#[derive(Debug, Clone)]
pub struct SymptomModel {
    model: LinearModel,
    kinds: Vec<Symptom>,
    /// The probability at or above which a kind is added to a complaint the rules named no
    /// symptom of.
    pub add_at: f32,
    /// The probability at or above which a kind is added to a complaint the rules named other
    /// kinds of: higher than `add_at`, since the rules have read the post's problem already.
    pub add_more_at: f32,
    /// The probability below which a kind the rules named is dropped: the model is nearly
    /// sure the post does not say it ("not getting ANY whatsapp notifications until i open
    /// the app. missed my sister's messages" is no messaging problem; "o pix não tá caindo"
    /// no login problem).
    pub drop_below: f32,
    /// A kind is dropped only when the model knows at least this many of the post's features:
    /// on a few words ("не приходят смс на мтс") one word weighs too much.
    pub drop_min_features: u32,
    /// The probability below which a kind is dropped from a complaint the rules named several
    /// kinds of (never the likeliest of them): where the rules read two problems, people
    /// mostly say one ("RTC connecting" in a voice channel is a call that fails, not the
    /// connection; "error 500" at the checkout is the payment, not the catch-all). Optional
    /// in the file (`@drop_extra_below`); without it, `drop_below`.
    pub drop_extra_below: f32,
}

impl SymptomModel {
    /// The bundled model.
    pub(super) fn bundled() -> Result<SymptomModel, DataError> {
        SymptomModel::from_file(&BUNDLED_SYMPTOMS)
    }

    /// Parses a symptom model file (see [`LinearModel::from_file`]); every head is a symptom
    /// kind.
    pub fn from_file(file: &DataFile<'_>) -> Result<SymptomModel, DataError> {
        let model = LinearModel::from_file(file)?;
        let mut kinds = Vec::with_capacity(model.heads.len());
        for head in &model.heads {
            let Some(kind) = Symptom::parse(head) else {
                return Err(DataError::at_line(
                    file,
                    model.heads_line,
                    format!("`{head}` is not a symptom kind"),
                    format!(
                        "use the kinds {}",
                        outcry_model::SYMPTOM_KINDS.map(|s| s.as_str()).join(", ")
                    ),
                ));
            };
            kinds.push(kind);
        }
        model.refuse_unknown_settings(
            file,
            &[
                "add_at",
                "add_more_at",
                "drop_below",
                "drop_min_features",
                "drop_extra_below",
            ],
        )?;
        let add_at = model.probability_setting(file, "add_at")?;
        let add_more_at = model.probability_setting(file, "add_more_at")?;
        let drop_below = model.probability_setting(file, "drop_below")?;
        let drop_extra_below = if model
            .settings
            .iter()
            .any(|(n, _, _)| n == "drop_extra_below")
        {
            model.probability_setting(file, "drop_extra_below")?
        } else {
            drop_below
        };
        Ok(SymptomModel {
            add_at,
            add_more_at,
            drop_below,
            drop_min_features: model.count_setting(file, "drop_min_features")?,
            drop_extra_below,
            kinds,
            model,
        })
    }

    /// Which labelled posts trained it.
    pub fn trained_on(&self) -> &str {
        &self.model.trained_on
    }

    /// The kinds not in `named` whose probability reaches `add_at` (`add_more_at` when the
    /// rules named some kinds already), with their probabilities; never the other kind of a
    /// pair in [`READ_BY_CATEGORY`] the rules named one of.
    pub(super) fn confident_kinds(
        &self,
        hashes: &[u64],
        named: &[Symptom],
        scratch: &mut Vec<f32>,
    ) -> (Vec<(Symptom, f32)>, u32) {
        let known = self.model.probabilities(hashes, scratch);
        let threshold = if named.is_empty() {
            self.add_at
        } else {
            self.add_more_at
        };
        let kinds = self
            .kinds
            .iter()
            .zip(scratch.iter())
            .filter(|&(k, &p)| {
                p >= threshold
                    && !named.contains(k)
                    && !READ_BY_CATEGORY.iter().any(|&(a, b)| {
                        (*k == a && named.contains(&b)) || (*k == b && named.contains(&a))
                    })
            })
            .map(|(&k, &p)| (k, p))
            .collect();
        (kinds, known)
    }

    /// The kinds of `named` the model rates below `drop_below` (below `drop_extra_below` when
    /// `named` holds several kinds, keeping the likeliest of them unless it is below
    /// `drop_below` too), with their probabilities, from the `scores` and the count of `known`
    /// features the last [`SymptomModel::confident_kinds`] call gave (none when it knew fewer
    /// than `drop_min_features`). A kind of a [`READ_BY_CATEGORY`] pair is judged by the pair's
    /// higher probability: the model gives the videos of "instagram no funciona, los vídeos no
    /// cargan" to playback (0.92), the rules rightly to media (0.01).
    pub(super) fn doubted_kinds(
        &self,
        named: &[Symptom],
        scores: &[f32],
        known: u32,
    ) -> Vec<(Symptom, f32)> {
        if known < self.drop_min_features {
            return Vec::new();
        }
        let probability = |kind: Symptom| {
            self.kinds
                .iter()
                .position(|&k| k == kind)
                .map_or(1.0, |i| scores[i])
        };
        let judged: Vec<(Symptom, f32, f32)> = named
            .iter()
            .map(|&kind| {
                let partner = READ_BY_CATEGORY.iter().find_map(|&(a, b)| {
                    (kind == a)
                        .then_some(b)
                        .or_else(|| (kind == b).then_some(a))
                });
                let judged = partner.map_or(probability(kind), |other| {
                    probability(kind).max(probability(other))
                });
                (kind, probability(kind), judged)
            })
            .collect();
        // The likeliest named kind stays unless it is below `drop_below` itself.
        let likeliest = judged
            .iter()
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .map(|&(kind, _, _)| kind);
        let several = named.len() > 1;
        judged
            .into_iter()
            .filter(|&(kind, _, judged)| {
                judged < self.drop_below
                    || several && judged < self.drop_extra_below && Some(kind) != likeliest
            })
            .map(|(kind, p, _)| (kind, p))
            .collect()
    }

    /// The probability of every kind, from a post's features as text: for measuring the model
    /// on labelled posts.
    pub fn probabilities_of(&self, features: &[String]) -> Vec<(Symptom, f32)> {
        let mut scores = Vec::new();
        self.model.probabilities(&hashes_of(features), &mut scores);
        self.kinds.iter().copied().zip(scores).collect()
    }

    /// The features that weigh most for a kind, for explanations.
    pub(super) fn strongest(&self, features: &[String], kind: Symptom) -> Vec<(String, f32)> {
        match self.kinds.iter().position(|&k| k == kind) {
            Some(head) => self.model.strongest(features, head, 5),
            None => Vec::new(),
        }
    }
}

/// The list of a complaint word, as the rules' reading tags name it (the lists of
/// `outcry classify --explain`'s cues), in the order of their tags' texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CueList {
    /// A post that is a platform's name and marks of distress only.
    BareNamePost,
    /// `complaint.hashtag_suffixes` ("#whatsappdown").
    Hashtag,
    /// `complaint.outage`.
    Outage,
    /// `complaint.weak`.
    Weak,
    /// `negation.verbs` ("geht … nicht").
    NegatedVerb,
    /// Any `symptoms.*` list.
    Symptom,
}

/// What became of a complaint word in the rules' reading, in the order of their tags' texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Tied to a platform.
    Bound,
    /// Tied to none.
    Free,
    /// Cancelled by a guard or a rule.
    Vetoed,
}

/// One tag of the rules' reading: a feature like the words' (one unit: no space; no word folds
/// to `⟨r:`), given only to a post the rules take as a complaint (without recovery). Its number
/// is its place in [`TAG_TEXTS`], whose texts are in byte order, so tags sorted by number are
/// sorted by text (as the features of a file are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Tag(u8);

/// The texts of the tags: `⟨r:complaint⟩`, then `⟨r:cue:LIST:FATE⟩` for each [`CueList`] and
/// [`Fate`] in their order, then `⟨r:kind⟩` and `⟨r:nokind⟩` (whether the rules named a kind).
const TAG_TEXTS: [&str; 21] = [
    "⟨r:complaint⟩",
    "⟨r:cue:bare_name_post:bound⟩",
    "⟨r:cue:bare_name_post:free⟩",
    "⟨r:cue:bare_name_post:x⟩",
    "⟨r:cue:complaint.hashtag_suffixes:bound⟩",
    "⟨r:cue:complaint.hashtag_suffixes:free⟩",
    "⟨r:cue:complaint.hashtag_suffixes:x⟩",
    "⟨r:cue:complaint.outage:bound⟩",
    "⟨r:cue:complaint.outage:free⟩",
    "⟨r:cue:complaint.outage:x⟩",
    "⟨r:cue:complaint.weak:bound⟩",
    "⟨r:cue:complaint.weak:free⟩",
    "⟨r:cue:complaint.weak:x⟩",
    "⟨r:cue:negation.verbs:bound⟩",
    "⟨r:cue:negation.verbs:free⟩",
    "⟨r:cue:negation.verbs:x⟩",
    "⟨r:cue:symptoms:bound⟩",
    "⟨r:cue:symptoms:free⟩",
    "⟨r:cue:symptoms:x⟩",
    "⟨r:kind⟩",
    "⟨r:nokind⟩",
];
const TAG_COMPLAINT: Tag = Tag(0);
const TAG_KIND: Tag = Tag(19);
const TAG_NO_KIND: Tag = Tag(20);

impl Tag {
    /// The tag of a complaint word of `list` whose fate is `fate`.
    fn cue(list: CueList, fate: Fate) -> Tag {
        Tag(1 + list as u8 * 3 + fate as u8)
    }

    /// The tag as a feature's text.
    pub(super) fn text(self) -> &'static str {
        TAG_TEXTS[self.0 as usize]
    }
}

/// The tags of the rules' reading of a complaint (the caller gives them only for a post the
/// rules take as a complaint, without recovery): that it is one, whether the rules named a
/// kind, and each complaint word's list and fate. Sorted, without repeats, into `out`.
pub(super) fn reading_tags(
    named_kind: bool,
    cues: impl Iterator<Item = (CueList, Fate)>,
    out: &mut Vec<Tag>,
) {
    out.clear();
    out.push(TAG_COMPLAINT);
    out.push(if named_kind { TAG_KIND } else { TAG_NO_KIND });
    out.extend(cues.map(|(list, fate)| Tag::cue(list, fate)));
    out.sort_unstable();
    out.dedup();
}

/// The stacked veto (`data/model/veto.tsv`): one head, `complaint`, over a post's words and the
/// rules' reading of it (tags `⟨r:…⟩`), and the limits of its veto. Trained on every
/// labelled post, the tags given to the rules' complaints only, so that the words weigh what
/// they weigh in every post and the tags learn what the rules' reading adds.
#[derive(Debug, Clone)]
pub struct VetoModel {
    model: LinearModel,
    /// The row of each tag ([`TAG_TEXTS`]) in the model, found once at loading: a post's tags
    /// are scored without hashing them.
    tag_rows: [Option<u32>; TAG_TEXTS.len()],
    /// The probability below which a complaint the rules found (naming no symptom, without
    /// recovery, no guard weighed) is dropped.
    pub veto_below: f32,
    /// A complaint whose features (tags included) the model knows fewer of is not dropped.
    pub min_features: u32,
}

impl VetoModel {
    /// The bundled model.
    pub(super) fn bundled() -> Result<VetoModel, DataError> {
        VetoModel::from_file(&BUNDLED_VETO)
    }

    /// Parses a veto model file (see [`LinearModel::from_file`]).
    pub fn from_file(file: &DataFile<'_>) -> Result<VetoModel, DataError> {
        let model = LinearModel::from_file(file)?;
        model.require_one_head(file, "complaint")?;
        model.refuse_unknown_settings(file, &["veto_below", "min_features"])?;
        if model.weights_of(TAG_COMPLAINT.text()).is_none() {
            return Err(DataError {
                file: file.name.to_string(),
                line: 0,
                message: format!(
                    "the model does not know the tag `{}`: it was not trained on the rules' \
                     reading (a complaint model's file?)",
                    TAG_COMPLAINT.text()
                ),
                fix: REGENERATE.to_string(),
            });
        }
        let tag_rows = TAG_TEXTS.map(|t| model.rows.get(hash_text(t)));
        Ok(VetoModel {
            tag_rows,
            veto_below: model.probability_setting(file, "veto_below")?,
            min_features: model.count_setting(file, "min_features")?,
            model,
        })
    }

    /// Which labelled posts trained it.
    pub fn trained_on(&self) -> &str {
        &self.model.trained_on
    }

    /// The probability that a complaint of the rules is one, from its hashed features and the
    /// tags of the rules' reading, and how many of them the model knows.
    pub(super) fn probability(
        &self,
        hashes: &[u64],
        tags: &[Tag],
        scratch: &mut Vec<f32>,
    ) -> (f32, u32) {
        let rows = tags.iter().filter_map(|t| self.tag_rows[t.0 as usize]);
        let known = self.model.probabilities_with(hashes, rows, scratch);
        (scratch[0], known)
    }

    /// The features (tags included) that weigh most in the decision, for explanations.
    pub(super) fn strongest(&self, features: &[String], tags: &[Tag]) -> Vec<(String, f32)> {
        let all: Vec<String> = features
            .iter()
            .cloned()
            .chain(tags.iter().map(|t| t.text().to_string()))
            .collect();
        self.model.strongest(&all, 0, 8)
    }

    /// The probability and known features from the features as text, tags included (as
    /// [`crate::classify::Classifier::veto_features`] gives them): for measuring the model on
    /// labelled posts.
    pub fn probability_of(&self, features: &[String]) -> (f32, u32) {
        let mut p = Vec::new();
        let known = self.model.probabilities(&hashes_of(features), &mut p);
        (p[0], known)
    }
}

/// What the stacked veto said about a complaint, for explanations.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VetoOpinion {
    /// Probability that the post is a complaint, the rules' reading weighed.
    pub probability: f32,
    /// How many of its features (tags included) the model knows.
    pub known_features: u32,
    /// "vetoed the complaint", "knew too few of the post's features to drop the complaint" or
    /// "agreed".
    pub effect: &'static str,
    /// The features (words and the rules' reading tags) that weigh most, with their weights
    /// (positive: complaint).
    pub strongest: Vec<(String, f32)>,
}

/// What the models said about one post, for explanations.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Opinion {
    /// Probability that the post is a complaint, when the complaint model was consulted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f32>,
    /// What the complaint model did: "added the complaint", "vetoed the complaint", "knew too
    /// few of the post's features to add the complaint" (or "to drop the complaint"), "left
    /// the complaint to the rules, which weighed a guard in this post" or "agreed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<&'static str>,
    /// How many of the post's features the complaint model knows (see `@min_features`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_features: Option<u32>,
    /// The features of the post that weigh most for the complaint, with their weights
    /// (positive: complaint).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strongest: Vec<(String, f32)>,
    /// Symptom kinds the symptom model added, each with its probability and strongest
    /// features.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub symptoms_added: Vec<SymptomOpinion>,
    /// Symptom kinds the rules named and the symptom model dropped (below `@drop_below`),
    /// each with its probability and strongest features.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub symptoms_dropped: Vec<SymptomOpinion>,
    /// What the stacked veto said, when it was consulted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub veto: Option<VetoOpinion>,
    /// What the recovery model said, when it was consulted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryOpinion>,
}

/// One symptom kind the symptom model added or dropped.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SymptomOpinion {
    /// The kind.
    pub kind: Symptom,
    /// Its probability.
    pub probability: f32,
    /// The features that weigh most for it.
    pub strongest: Vec<(String, f32)>,
}

/// One labelled post for training: its feature texts and one label per head.
#[derive(Debug, Clone)]
pub struct TrainingPost {
    /// The post's features, as [`crate::classify::Classifier::model_features`] gives them.
    pub features: Vec<String>,
    /// One label per head.
    pub labels: Vec<bool>,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainingConfig {
    /// A feature must occur in at least this many posts to be learnt.
    pub min_posts: usize,
    /// Inverse strength of the L2 penalty, as in the usual formulation: the loss summed over
    /// the posts plus `|w|² / (2 C)`. 30 since the eleventh session (100 before): with the
    /// training sets `train3` and `train4` in, 100 let words of a few posts weigh as much as an
    /// outage phrase (a facepalm emoji in 8 non-complaints of 10 drowned "is down") and the
    /// simulated week lost 67 complaints and took 86 ordinary mentions for complaints; 30 keeps
    /// nearly all of the cross-validated gain (docs/CLASSIFIER.md, "Eleventh session").
    pub c: f64,
    /// Full passes of gradient descent.
    pub epochs: usize,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            min_posts: 2,
            c: 30.0,
            epochs: 600,
        }
    }
}

/// Trains one head per name in `heads` over the same posts and returns the model file's text
/// (deterministic: the same posts give the same file). `settings` are written as
/// `@name<TAB>value`; `trained_on` says in words which posts these are.
pub fn train(
    posts: &[TrainingPost],
    heads: &[&str],
    config: &TrainingConfig,
    settings: &[(&str, f32)],
    trained_on: &str,
) -> String {
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
    let rows: Vec<(Vec<usize>, f64)> = posts
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
            (ids, value)
        })
        .collect();
    let trained: Vec<(Vec<f64>, f64)> = (0..heads.len())
        .map(|head| {
            let labels: Vec<f64> = posts
                .iter()
                .map(|p| if p.labels[head] { 1.0 } else { 0.0 })
                .collect();
            fit(&rows, &labels, vocabulary.len(), config)
        })
        .collect();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# An outcry model: logistic regressions over the words of a post, a second opinion the\n\
         # rules consult (analyze/src/classify/opinion.rs, docs/CLASSIFIER.md).\n\
         # Generated by `cargo run --release -p outcry-analyze --example train_models` from\n\
         # data/labelled/: do not edit by hand. {} features learnt from {} posts.",
        vocabulary.len(),
        posts.len()
    );
    let _ = writeln!(text, "@trained_on\t{trained_on}");
    let _ = writeln!(text, "@heads\t{}", heads.join("\t"));
    for (name, value) in settings {
        let _ = writeln!(text, "@{name}\t{value}");
    }
    let biases: Vec<String> = trained.iter().map(|(_, b)| format!("{b:.4}")).collect();
    let _ = writeln!(text, "@bias\t{}", biases.join("\t"));
    for (i, f) in vocabulary.iter().enumerate() {
        // Weights that round to nothing are left out: they would change no decision.
        if trained.iter().all(|(w, _)| w[i].abs() < 0.0005) {
            continue;
        }
        let _ = write!(text, "{f}");
        for (w, _) in &trained {
            if w[i].abs() < 0.0005 {
                text.push_str("\t0");
            } else {
                let _ = write!(text, "\t{:.3}", w[i]);
            }
        }
        text.push('\n');
    }
    text
}

/// Fits one logistic regression: Adam on the full batch. The objective is convex and small, so
/// a fixed number of passes reaches its minimum closely and the same data always gives the
/// same weights.
fn fit(
    rows: &[(Vec<usize>, f64)],
    labels: &[f64],
    features: usize,
    config: &TrainingConfig,
) -> (Vec<f64>, f64) {
    let mut w = vec![0.0f64; features];
    let mut b = 0.0f64;
    let (beta1, beta2, rate, eps) = (0.9f64, 0.999f64, 0.05f64, 1e-8f64);
    let mut m = vec![0.0f64; features + 1];
    let mut v = vec![0.0f64; features + 1];
    let mut grad = vec![0.0f64; features + 1];
    for epoch in 1..=config.epochs {
        grad.iter_mut().for_each(|g| *g = 0.0);
        for ((ids, value), label) in rows.iter().zip(labels) {
            let z = b + ids.iter().map(|&i| w[i]).sum::<f64>() * value;
            let err = 1.0 / (1.0 + (-z).exp()) - label;
            for &i in ids {
                grad[i] += err * value;
            }
            grad[features] += err;
        }
        for (g, wi) in grad.iter_mut().zip(&w) {
            *g += wi / config.c;
        }
        let (c1, c2) = (
            1.0 - beta1.powi(epoch as i32),
            1.0 - beta2.powi(epoch as i32),
        );
        for i in 0..=features {
            m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i];
            let step = rate * (m[i] / c1) / ((v[i] / c2).sqrt() + eps);
            if i == features {
                b -= step;
            } else {
                w[i] -= step;
            }
        }
    }
    (w, b)
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

    fn load(text: &str) -> Result<LinearModel, DataError> {
        LinearModel::from_file(&DataFile {
            name: "m.tsv",
            text,
        })
    }

    #[test]
    fn emoji_and_the_variation_selector_of_an_emoji_are_no_features() {
        let f = features_of("slack isn't working for me 🤦\u{200d}♀\u{fe0f}", &[(0, 0)]);
        assert!(
            !f.iter().any(|x| x.contains('🤦') || x.contains('♀')),
            "{f:?}"
        );
        assert!(!f.iter().any(|x| x.contains("num")), "{f:?}");
        assert!(f.contains(&"working for".to_string()), "{f:?}");
        // A keycap is a number still.
        let f = features_of("2\u{fe0f}\u{20e3} hours of discord down", &[(3, 3)]);
        assert!(f.iter().any(|x| x.starts_with("num")), "{f:?}");
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
            !f.contains(&"nicht ⟨@⟩".to_string()),
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
        for (text, spans, rests) in [
            (
                "Insta não carrega o feed #instadown 😡 https://x.com/a",
                &[(0u32, 0u32)][..],
                &["down"][..],
            ),
            ("ラインが落ちてる。@docomo 503 エラー", &[][..], &[][..]),
            (
                "Netflix Prime  $6.99, 12345 funktionierte",
                &[(0, 1)][..],
                &[""][..],
            ),
        ] {
            let folded = fold(text);
            let mut tokens = Vec::new();
            tokenize_into(&folded, &mut tokens);
            let texts = feature_texts(&folded, &tokens, spans, rests);
            let mut hashes = Vec::new();
            hashed_features(&folded, &tokens, spans, rests, &mut hashes);
            let mut expected: Vec<u64> = texts.iter().map(|t| hash_text(t)).collect();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(hashes, expected, "{text}: {texts:?}");
            assert_eq!(
                hashes.len(),
                texts.len(),
                "no two features of {text} collide"
            );
        }
    }

    #[test]
    fn training_learns_a_separable_set_and_the_file_loads_back() {
        let post = |words: &[&str], complaint, login| TrainingPost {
            features: words.iter().map(|w| w.to_string()).collect(),
            labels: vec![complaint, login],
        };
        let posts = vec![
            post(&["⟨p⟩", "down", "login"], true, true),
            post(&["⟨p⟩", "down", "again"], true, false),
            post(&["⟨p⟩", "love", "login"], false, true),
            post(&["⟨p⟩", "love", "this"], false, false),
        ];
        let text = train(
            &posts,
            &["complaint", "login"],
            &TrainingConfig::default(),
            &[("add_at", 0.9)],
            "a test",
        );
        let model = load(&text).unwrap();
        assert!(model.weights_of("down").unwrap()[0] > 0.5, "{text}");
        assert!(model.weights_of("love").unwrap()[0] < -0.5, "{text}");
        assert!(model.weights_of("login").unwrap()[1] > 0.5, "{text}");
        assert_eq!(model.weights_of("again"), None, "seen once: not learnt");
        assert_eq!(model.trained_on, "a test");
        let mut p = Vec::new();
        model.probabilities(&[hash_text("⟨p⟩"), hash_text("down")], &mut p);
        assert!(p[0] > 0.5 && p.len() == 2, "{p:?}");
    }

    #[test]
    fn a_beginning_is_the_first_characters_of_a_long_word() {
        for word in [
            "",
            "down",
            "crash",
            "crashe",
            "crashes",
            "caído",
            "caídos",
            "não",
            "funktioniert",
            "übersetzen",
            "ładowanie",
            "работает",
            "abcdé",
            "abcdeé",
        ] {
            let by_chars = word
                .char_indices()
                .nth(PREFIX_CHARS)
                .map(|(cut, _)| &word[..cut]);
            assert_eq!(
                Unit::Token(TokenKind::Word, word).beginning(),
                by_chars,
                "{word}"
            );
        }
        assert_eq!(Unit::Token(TokenKind::Hashtag, "crashes").beginning(), None);
    }

    #[test]
    fn probabilities_sum_each_head_as_one_addition_per_feature() {
        for heads in [1usize, 3, 5, 11, 16, 17] {
            let names: Vec<String> = (0..heads).map(|h| format!("h{h}")).collect();
            let weight = |f: usize, h: usize| ((f * 31 + h * 7) % 13) as f32 / 8.0 - 0.7;
            let mut text = format!(
                "@trained_on\tx\n@heads\t{}\n@bias\t{}\n",
                names.join("\t"),
                vec!["0.25"; heads].join("\t")
            );
            for f in 0..6 {
                let row: Vec<String> = (0..heads).map(|h| weight(f, h).to_string()).collect();
                text.push_str(&format!("w{f}\t{}\n", row.join("\t")));
            }
            let model = load(&text).unwrap();
            // The last row among them, so the sums read past the end of the weights.
            let features = ["w5", "unknown", "w0", "w3", "w5"];
            let hashes: Vec<u64> = features.iter().map(|f| hash_text(f)).collect();
            let mut got = Vec::new();
            assert_eq!(model.probabilities(&hashes, &mut got), 4, "{heads} heads");
            let want: Vec<f32> = (0..heads)
                .map(|h| {
                    let mut sum = 0f32;
                    for f in [5, 0, 3, 5] {
                        sum += weight(f, h);
                    }
                    sigmoid(0.25 + sum * (1.0 / 4f32.sqrt()))
                })
                .collect();
            assert_eq!(got, want, "{heads} heads");
        }
    }

    #[test]
    fn kinds_are_added_surer_next_to_named_ones_and_never_across_a_category_pair() {
        let model = SymptomModel::from_file(&DataFile {
            name: "s.tsv",
            text: "@trained_on\tx\n@heads\tlogin\tmedia\tplayback\n@add_at\t0.5\n\
                   @add_more_at\t0.8\n@drop_below\t0.3\n@drop_min_features\t1\n@bias\t-1\t-1\t-1\nlogin\t2\t0\t0\n\
                   video\t0\t4\t4\nclip\t0\t0\t4\n",
        })
        .unwrap();
        let kinds = |features: &[&str], named: &[Symptom]| -> Vec<Symptom> {
            let hashes: Vec<u64> = features.iter().map(|f| hash_text(f)).collect();
            model
                .confident_kinds(&hashes, named, &mut Vec::new())
                .0
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
        // sigmoid(-1 + 2) = 0.73: added to a complaint without a kind, not next to a named one.
        assert_eq!(kinds(&["login"], &[]), [Symptom::Login]);
        assert_eq!(kinds(&["login"], &[Symptom::Calls]), []);
        // sigmoid(-1 + 4 / sqrt(2)) = 0.86 with two known features (login: 0.60).
        assert_eq!(
            kinds(&["login", "video"], &[Symptom::Calls]),
            [Symptom::Media, Symptom::Playback]
        );
        assert_eq!(
            kinds(&["login", "video"], &[Symptom::Media]),
            [],
            "playback is not added where the rules read the videos as media"
        );
        // Named kinds below `@drop_below` are doubted: login at sigmoid(-1) = 0.27 on "video"
        // alone, media at sigmoid(3) = 0.95 is not; an unnamed kind never is.
        let doubted = |features: &[&str], named: &[Symptom]| -> Vec<(Symptom, f32)> {
            let hashes: Vec<u64> = features.iter().map(|f| hash_text(f)).collect();
            let mut scores = Vec::new();
            let (_, known) = model.confident_kinds(&hashes, named, &mut scores);
            model.doubted_kinds(named, &scores, known)
        };
        let got = doubted(&["video"], &[Symptom::Login, Symptom::Media]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Symptom::Login);
        assert!((got[0].1 - sigmoid(-1.0)).abs() < 1e-6, "{got:?}");
        assert_eq!(doubted(&["video"], &[Symptom::Media]), []);
        assert_eq!(doubted(&["login"], &[Symptom::Login]), []);
        // Nothing is doubted on fewer known features than `@drop_min_features`.
        assert_eq!(doubted(&["unknown"], &[Symptom::Login]), []);
        // Media and playback are judged together: "login" alone rates both 0.27, "clip" media
        // at 0.27 and playback at 0.95, so media named there stays.
        let mut pair = model.clone();
        pair.drop_below = 0.5;
        let mut scores = Vec::new();
        let hashes = [hash_text("login")];
        let (_, known) = pair.confident_kinds(&hashes, &[Symptom::Media], &mut scores);
        assert_eq!(
            pair.doubted_kinds(&[Symptom::Media], &scores, known),
            [(Symptom::Media, sigmoid(-1.0))]
        );
        let hashes = [hash_text("clip")];
        let (_, known) = pair.confident_kinds(&hashes, &[Symptom::Media], &mut scores);
        assert!(scores[1] < 0.3 && scores[2] > 0.9, "{scores:?}");
        assert_eq!(pair.doubted_kinds(&[Symptom::Media], &scores, known), []);
    }

    #[test]
    fn of_several_named_kinds_the_unlikely_ones_are_dropped_but_never_the_likeliest() {
        let text = "@trained_on\tx\n@heads\tlogin\tmedia\tplayback\n@add_at\t0.5\n\
                    @add_more_at\t0.8\n@drop_below\t0.05\n@drop_min_features\t1\n\
                    @drop_extra_below\t0.5\n@bias\t-1\t-1\t-1\nvideo\t0\t4\t4\nzero\t0\t0\t0\n";
        let model = SymptomModel::from_file(&DataFile {
            name: "s.tsv",
            text,
        })
        .unwrap();
        let doubted = |features: &[&str], named: &[Symptom]| -> Vec<Symptom> {
            let hashes: Vec<u64> = features.iter().map(|f| hash_text(f)).collect();
            let mut scores = Vec::new();
            let (_, known) = model.confident_kinds(&hashes, named, &mut scores);
            model
                .doubted_kinds(named, &scores, known)
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
        // "video": login at sigmoid(-1) = 0.27, media at 0.95. Named alone, login stays (above
        // `@drop_below`); named beside media, it goes (below `@drop_extra_below`).
        assert_eq!(doubted(&["video"], &[Symptom::Login]), []);
        assert_eq!(
            doubted(&["video"], &[Symptom::Login, Symptom::Media]),
            [Symptom::Login]
        );
        // Both at 0.27: one of them stays.
        assert_eq!(
            doubted(&["zero"], &[Symptom::Login, Symptom::Media]).len(),
            1
        );
        // Without the line, the file's `@drop_below` is the threshold for several kinds too.
        let without = SymptomModel::from_file(&DataFile {
            name: "s.tsv",
            text: &text.replace("@drop_extra_below\t0.5\n", ""),
        })
        .unwrap();
        assert_eq!(without.drop_extra_below, without.drop_below);
    }

    #[test]
    fn the_reading_tags_are_sorted_once_each_and_carry_the_fate() {
        let mut tags = Vec::new();
        reading_tags(
            false,
            [
                (CueList::Outage, Fate::Bound),
                (CueList::Weak, Fate::Vetoed),
                (CueList::Outage, Fate::Bound),
                (CueList::BareNamePost, Fate::Free),
            ]
            .into_iter(),
            &mut tags,
        );
        assert_eq!(
            tags.iter().map(|t| t.text()).collect::<Vec<_>>(),
            [
                "⟨r:complaint⟩",
                "⟨r:cue:bare_name_post:free⟩",
                "⟨r:cue:complaint.outage:bound⟩",
                "⟨r:cue:complaint.weak:x⟩",
                "⟨r:nokind⟩",
            ]
        );
        assert!(
            TAG_TEXTS.iter().all(|t| !t.contains(' ')),
            "a tag is one unit"
        );
        assert!(
            TAG_TEXTS.windows(2).all(|w| w[0] < w[1]),
            "tags sorted by number are sorted by text, once each"
        );
        let lists = [
            (CueList::BareNamePost, "bare_name_post"),
            (CueList::Hashtag, "complaint.hashtag_suffixes"),
            (CueList::Outage, "complaint.outage"),
            (CueList::Weak, "complaint.weak"),
            (CueList::NegatedVerb, "negation.verbs"),
            (CueList::Symptom, "symptoms"),
        ];
        for (list, name) in lists {
            for (fate, fate_name) in [
                (Fate::Bound, "bound"),
                (Fate::Free, "free"),
                (Fate::Vetoed, "x"),
            ] {
                assert_eq!(
                    Tag::cue(list, fate).text(),
                    format!("⟨r:cue:{name}:{fate_name}⟩")
                );
            }
        }
    }

    #[test]
    fn the_veto_scores_words_and_tags_and_gives_the_words_back() {
        let model = VetoModel::from_file(&DataFile {
            name: "v.tsv",
            text: "@trained_on\tx\n@heads\tcomplaint\n@veto_below\t0.7\n@min_features\t18\n\
                   @bias\t0\n⟨r:complaint⟩\t1\n⟨r:cue:complaint.outage:bound⟩\t2\nessay\t-6\n",
        })
        .unwrap();
        assert_eq!((model.veto_below, model.min_features), (0.7, 18));
        let hashes = [hash_text("essay"), hash_text("slack")];
        let (p, known) = model.probability(
            &hashes,
            &[TAG_COMPLAINT, Tag::cue(CueList::Outage, Fate::Bound)],
            &mut Vec::new(),
        );
        // sigmoid((1 + 2 - 6) / sqrt(3)) = 0.15
        assert_eq!(known, 3);
        assert!((p - 0.150).abs() < 0.001, "{p}");
        let text = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            model.probability_of(&text(&[
                "essay",
                "slack",
                "⟨r:complaint⟩",
                "⟨r:cue:complaint.outage:bound⟩"
            ])),
            (p, 3)
        );
        assert_eq!(
            model.strongest(&text(&["essay", "slack"]), &[TAG_COMPLAINT])[0],
            ("essay".to_string(), -6.0)
        );
    }

    #[test]
    fn bad_veto_files_say_where_and_what() {
        let load = |text: &str| {
            VetoModel::from_file(&DataFile {
                name: "data/model/veto.tsv",
                text,
            })
        };
        let ok = "@trained_on\tx\n@heads\tcomplaint\n@veto_below\t0.75\n@min_features\t18\n\
                  @bias\t0\n⟨r:complaint⟩\t1\n";
        assert!(load(ok).is_ok());
        let e = load(&ok.replace("@veto_below\t0.75\n", "")).unwrap_err();
        assert_eq!(e.file, "data/model/veto.tsv");
        assert!(
            e.message.contains("no `@veto_below` line") && e.fix.contains("train_models"),
            "{e}"
        );
        let e = load(&ok.replace("0.75", "7.5")).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("not a probability"), "{e}");
        let e = load(&ok.replace("\t18", "\t1.5")).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("not a whole number"), "{e}");
        let e = load(&ok.replace("@bias", "@add_at\t0.9\n@bias")).unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.message.contains("unknown setting `@add_at`"), "{e}");
        let e = load(&ok.replace("@heads\tcomplaint", "@heads\tlogin")).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("not [\"complaint\"]"), "{e}");
        // A complaint model's file in its place: it never learnt the rules' reading.
        let e = load(&ok.replace("⟨r:complaint⟩", "down")).unwrap_err();
        assert!(
            e.message.contains("not trained on the rules' reading"),
            "{e}"
        );
        assert!(e.fix.contains("train_models"), "{e}");
        let e = load(&format!("{ok}down\tlots\n")).unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("not a finite number"), "{e}");
    }

    #[test]
    fn a_complaint_file_with_a_recovery_head_is_read_and_checked() {
        let load = |text: &str| {
            ComplaintModel::from_file(&DataFile {
                name: "data/model/complaint.tsv",
                text,
            })
        };
        let ok = "@trained_on\tx\n@heads\tcomplaint\trecovery\n@add_at\t0.8\n@veto_below\t0.1\n\
                  @veto_named_below\t0.3\n@min_features\t12\n@add_min_features\t14\n\
                  @recovery_add_at\t0.5\n@recovery_drop_below\t0.1\n@recovery_min_features\t8\n\
                  @bias\t0\t0\nback\t-1\t2\n";
        let model = load(ok).unwrap();
        assert_eq!(
            model.recovery,
            Some(RecoveryThresholds {
                add_at: 0.5,
                drop_below: 0.1,
                min_features: 8
            })
        );
        let words = ["back".to_string(), "spotify".to_string()];
        let (p, known) = model.recovery_probability_of(&words).unwrap();
        assert_eq!(known, 1);
        assert!(p > 0.5, "{p}");
        assert!(model.probability_of(&words).0 < 0.5);
        // A recovery head needs its thresholds; a complaint-only file has none.
        let e = load(&ok.replace("@recovery_drop_below\t0.1\n", "")).unwrap_err();
        assert!(e.message.contains("`@recovery_drop_below`"), "{e}");
        let e = load(&ok.replace("\trecovery\n", "\tlogin\n")).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("data/model/complaint.tsv", 2));
        assert!(
            e.message.contains("or [\"complaint\", \"recovery\"]"),
            "{e}"
        );
        let e = load(
            &ok.replace("\trecovery\n", "\n")
                .replace("\t0\t0\n", "\t0\n")
                .replace("\t-1\t2\n", "\t-1\n"),
        )
        .unwrap_err();
        assert!(
            e.message.contains("unknown setting `@recovery_add_at`"),
            "{e}"
        );
    }

    #[test]
    fn bad_model_files_say_where_and_what() {
        let head = "@trained_on\tx\n@heads\tcomplaint\n@add_at\t0.8\n@veto_below\t0.1\n@bias\t0\n";
        let e = load(&format!("{head}down\tlots\n")).unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.message.contains("not a finite number"), "{e}");
        let e = load(&format!("{head}down\t1\t2\n")).unwrap_err();
        assert!(e.message.contains("2 numbers where 1"), "{e}");
        let e = load(&format!("{head}a\t1\na\t2\n")).unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
        let e = load("@trained_on\tx\ndown\t1\n").unwrap_err();
        assert!(e.message.contains("before the `@heads`"), "{e}");
        let file = |text| DataFile {
            name: "m.tsv",
            text,
        };
        let e = ComplaintModel::from_file(&file(
            "@trained_on\tx\n@heads\tcomplaint\n@add_at\t1.8\n@veto_below\t0.1\n@bias\t0\n",
        ))
        .unwrap_err();
        assert!(e.message.contains("not a probability"), "{e}");
        let e = ComplaintModel::from_file(&file(
            "@trained_on\tx\n@heads\tcomplaint\n@add_at\t0.9\n@veto_below\t0.1\n@veto_named_below\t0.3\n@min_features\t2.5\n@bias\t0\n",
        ))
        .unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.message.contains("not a whole number"), "{e}");
        // A model file of an older version, without a setting added since, says which and how
        // to renew it.
        let says_how_to_renew = |e: DataError, setting: &str| {
            assert!(
                e.message.contains(&format!("no `@{setting}` line"))
                    && e.fix.contains("train_models"),
                "{e}"
            );
        };
        let complaint = |text| ComplaintModel::from_file(&file(text)).unwrap_err();
        let symptoms = |text| SymptomModel::from_file(&file(text)).unwrap_err();
        says_how_to_renew(
            complaint(
                "@trained_on\tx\n@heads\tcomplaint\n@add_at\t0.9\n@veto_below\t0.1\n@min_features\t2\n@bias\t0\n",
            ),
            "veto_named_below",
        );
        says_how_to_renew(
            complaint(
                "@trained_on\tx\n@heads\tcomplaint\n@add_at\t0.9\n@veto_below\t0.1\n@veto_named_below\t0.3\n@min_features\t2\n@bias\t0\n",
            ),
            "add_min_features",
        );
        says_how_to_renew(
            symptoms("@trained_on\tx\n@heads\tlogin\n@add_at\t0.5\n@bias\t0\n"),
            "add_more_at",
        );
        says_how_to_renew(
            symptoms("@trained_on\tx\n@heads\tlogin\n@add_at\t0.5\n@add_more_at\t0.8\n@bias\t0\n"),
            "drop_below",
        );
        let e = ComplaintModel::from_file(&file(
            "@trained_on\tx\n@heads\tcomplaint\n@add_at\t0.9\n@veto_below\t0.1\n@veto_named_below\t0.3\n@min_features\t2\n@add_a\t0.5\n@bias\t0\n",
        ))
        .unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("unknown setting `@add_a`"), "{e}");
        let e = load("@trained_on\tx\n@heads\tcomplaint\n@heads\tlogin\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("second `@heads`"), "{e}");
        let e = load(&format!("{head}a b c d\t1\n")).unwrap_err();
        assert!(e.message.contains("more than 3 words"), "{e}");
        let e = SymptomModel::from_file(&file(
            "@trained_on\tx\n@heads\tlogin\tlogn\n@add_at\t0.5\n@add_more_at\t0.8\n@bias\t0\t0\n",
        ))
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("`logn` is not a symptom kind"), "{e}");
    }
}
