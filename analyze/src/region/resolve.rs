//! Deciding which place a found name means, and how sure we are.
//!
//! Each name found by `scan` is a mention with one or more interpretations ("Georgia": the
//! country GE or the state US-GA; "Paris": a dozen cities). A mention first has to be allowed
//! to count at all, which depends on where we are: a location field takes short codes as a
//! whole part ("Depew, NY", "SP 🇧🇷"), post text wants capitals or a preposition and never takes
//! short codes. Then each mention takes the interpretation that another mention confirms
//! ("Atlanta, Georgia": both agree on US-GA) or, failing that, the one with the largest share of
//! population. Mentions that agree are merged into one match; those that do not ("London /
//! Lagos") stay separate.

use std::ops::Range;

use std::cell::{OnceCell, RefCell};

use unicode_normalization::char::is_combining_mark;

use super::load::{Level, NameKind, Place};
use super::scan::{FindBuffers, FoldBuffers, Folded, is_prepositional_proclitic};
use super::{Gazetteer, Pattern, RegionRef};

/// Where the string being resolved came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A profile location field: short, about a place, written by its owner.
    Location,
    /// Post text: places are rare, and many place names are also words.
    Text,
}

/// Longer input is cut (at a character boundary) before matching: a location field or a post
/// is never this long, and the cut keeps the cost of a hostile input bounded.
const MAX_INPUT_BYTES: usize = 8 * 1024;
/// Cities below this population count in post text only after a preposition.
const SMALL_CITY: u64 = 100_000;
/// Cities from this population on are not taken for the common word their name also is
/// ("Lagos", "Adana"): their frequency as a word is mostly their fame.
const LARGE_CITY: u64 = 1_000_000;
/// From this Zipf frequency on a name is a common word; from the second, a very common one.
const COMMON_ZIPF: f32 = 4.0;
/// An unsettled mention also reports its second reading when that holds this share.
const RUNNER_UP_SHARE: f64 = 0.25;
/// Alternate names weigh less than standard ones when sharing a name between places.
const ALT_WEIGHT: f64 = 0.3;
/// How much more a reading weighs when the post's language is at home in its country: enough
/// for "Bari" (Italy, Somalia) and "Salvador" (Brazil, El Salvador, whose French name it is)
/// to follow the language, not enough for a town to beat a city of ten times its size.
const HOME_LANGUAGE_WEIGHT: f64 = 5.0;

/// What surrounds one found name.
struct Context<'a> {
    original: Range<usize>,
    capitalised: bool,
    caseless: bool,
    /// The first letter of the name as written, for its script.
    first_letter: char,
    all_upper: bool,
    input_all_caps: bool,
    whole_part: bool,
    after_comma: bool,
    last_in_part: bool,
    sentence_initial: bool,
    /// Whether a preposition comes before the name or a postposition after it (see
    /// [`Gazetteer::preposition`]): looked up only when a reading asks.
    preposition: OnceCell<bool>,
    /// The folded text before and after the name, where those words are.
    folded_before: &'a str,
    folded_after: &'a str,
    hashtag: bool,
    handle_or_url: bool,
    /// Right after a comma: "Paris, TX".
    follows_comma: bool,
    /// Right after a capitalised word and one space: "Charlotte NC".
    follows_capitalised_word: bool,
    /// Nothing but spaces, emoji and punctuation in the whole input besides the name: "rj".
    alone: bool,
}

/// Whether `input` has a letter, a digit or a flag: without one there is nothing to find.
fn has_word_or_flag(input: &str) -> bool {
    input.bytes().any(|b| b.is_ascii_alphanumeric())
        || (!input.is_ascii()
            && input
                .chars()
                .any(|c| c.is_alphanumeric() || ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)))
}

/// Whether `input` has no lower-case letter (a text all in capitals, or without letters).
fn all_caps(input: &str) -> bool {
    if input.is_ascii() {
        !input.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        !input.chars().any(char::is_lowercase)
    }
}

/// Whether a name in post text whose readings are all codes or acronyms (`pattern`), written
/// `original`, may count: such names ("in", "de", "us") are everywhere in running text and
/// count only in capitals (or, for a listed lower-case acronym, all in lower case), and never
/// in a text all in capitals. [`Gazetteer::judge`] checks it before anything costlier.
fn code_may_count(pattern: &Pattern, original: &str, input_all_caps: bool) -> bool {
    let all_lower = pattern.lowercase_acronym && !original.chars().any(char::is_uppercase);
    !(input_all_caps || (!all_lower && original.chars().any(|c| !c.is_uppercase() && c != '.')))
}

/// Separators between the parts of a location field: "Depew, NY", "London / Lagos",
/// "Niterói - RJ".
fn is_part_separator(c: char) -> bool {
    matches!(
        c,
        ',' | '/' | '|' | ';' | '(' | ')' | '-' | '–' | '—' | '•' | '·' | '\n' | '&' | '+' | '\\'
    )
}

struct Mention {
    original: Range<usize>,
    /// Valid readings: place index, name kind, certainty of the reading in its context.
    readings: Vec<(u32, NameKind, f32)>,
}

/// The reading a mention settled on.
struct Chosen {
    mention: usize,
    place: u32,
    kind: NameKind,
    confidence: f32,
    supported: bool,
}

/// Scratch buffers of [`Gazetteer::resolve`], one set per thread, so that a call on text that
/// names no place allocates nothing. Only buffers live here, never results.
#[derive(Default)]
struct Buffers {
    fold: FoldBuffers,
    find: FindBuffers,
    /// The names [`super::scan::NameIndex::find`] found, and the same as mentions.
    found: Vec<(Range<usize>, Mention)>,
    mentions: Vec<Mention>,
    /// The lists of [`Gazetteer::choose`] and [`Gazetteer::group`], kept between calls so
    /// that a text naming a place allocates fewer of them.
    chosen: Vec<Chosen>,
    weights: Vec<f64>,
    /// [`Gazetteer::choose`]'s share of each reading's code, computed once per reading.
    shares: Vec<f64>,
    members: Vec<(usize, usize)>,
}

thread_local! {
    // Borrowed in place, not taken out and put back: moving the buffers in and out of a
    // `Cell` copied them twice per call.
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// How many location fields a thread remembers before it starts over.
const LOCATION_CACHE_LIMIT: usize = 4096;
/// Longer location fields are resolved every time, not remembered: real fields are short, and
/// the bound keeps the cache's memory small whatever the input.
const LOCATION_CACHE_MAX_BYTES: usize = 256;

/// One remembered match: [`RegionRef`] with its codes as positions in [`Gazetteer::codes`]
/// and its matched text as a byte range of the field.
#[derive(Clone, Copy)]
struct CachedMatch {
    code: u32,
    country: u32,
    confidence: f32,
    start: u32,
    end: u32,
    rule: &'static str,
}

/// The matches of recent location fields of one gazetteer, keyed by `"{lang}\0{field}"`
/// (a language code holds no zero byte; a language with one is not looked up). Profile
/// locations repeat (an author's posts carry the same field), and resolving a field again
/// costs thousands of instructions: its names' readings, their context and the choice among
/// them. The answer depends on nothing but the gazetteer, the language and the field, so a
/// remembered one is the same answer.
#[derive(Default)]
struct LocationCache {
    /// [`Gazetteer::id`] of the gazetteer the entries belong to.
    gazetteer: Option<u64>,
    entries: rustc_hash::FxHashMap<Box<str>, Box<[CachedMatch]>>,
    /// The key being looked up, built here so that a lookup allocates nothing.
    key: String,
}

thread_local! {
    static LOCATIONS: RefCell<LocationCache> = RefCell::new(LocationCache::default());
}

impl Gazetteer {
    /// [`Gazetteer::resolve_into`] for a location field, through this thread's cache of
    /// recent fields (see [`LocationCache`]).
    pub(super) fn resolve_location_cached<'g, 'i>(
        &'g self,
        input: &'i str,
        lang: &str,
        out: &mut Vec<RegionRef<'g, 'i>>,
    ) {
        // A language given with the post might hold a zero byte, which would make two keys
        // alike: such a post is resolved without the cache.
        if input.len() > LOCATION_CACHE_MAX_BYTES || lang.contains('\0') {
            self.resolve_into(input, Mode::Location, lang, out);
            return;
        }
        LOCATIONS.with(|cell| {
            let Ok(mut cache) = cell.try_borrow_mut() else {
                // Re-entered on this thread (cannot happen today): resolve without the cache.
                self.resolve_into(input, Mode::Location, lang, out);
                return;
            };
            let cache = &mut *cache;
            if cache.gazetteer != Some(self.id) {
                cache.entries.clear();
                cache.gazetteer = Some(self.id);
            }
            cache.key.clear();
            cache.key.push_str(lang);
            cache.key.push('\0');
            cache.key.push_str(input);
            if let Some(found) = cache.entries.get(cache.key.as_str()) {
                out.extend(found.iter().map(|m| RegionRef {
                    code: &self.codes[m.code as usize],
                    country: &self.codes[m.country as usize],
                    confidence: m.confidence,
                    matched: &input[m.start as usize..m.end as usize],
                    rule: m.rule,
                }));
                return;
            }
            let start = out.len();
            self.resolve_into(input, Mode::Location, lang, out);
            let remembered: Option<Box<[CachedMatch]>> = out[start..]
                .iter()
                .map(|m| {
                    // `matched` is a slice of `input`: its range is where it lies in it.
                    let offset =
                        (m.matched.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
                    let end = offset + m.matched.len();
                    (end <= input.len()).then_some(())?;
                    Some(CachedMatch {
                        code: *self.code_ids.get(m.code)?,
                        country: *self.code_ids.get(m.country)?,
                        confidence: m.confidence,
                        start: offset as u32,
                        end: end as u32,
                        rule: m.rule,
                    })
                })
                .collect();
            // A code outside the list cannot happen (every code a match reports is a place's,
            // a country's or a district's); such a field is simply not remembered.
            if let Some(remembered) = remembered {
                if cache.entries.len() >= LOCATION_CACHE_LIMIT {
                    cache.entries.clear();
                }
                cache.entries.insert(cache.key.as_str().into(), remembered);
            }
        });
    }
}

impl Gazetteer {
    /// Whether the post text `text` may name a place, given `folded`, its fold by
    /// [`crate::text::fold`] (which the classifier has made already): false when no word of it
    /// is a name or the first word of one and it holds no kana or kanji, and then
    /// [`Gazetteer::find_in_text_into`] finds nothing in it. Most posts name no place; this
    /// spares them the gazetteer's own fold (with its map back to the original text) and the
    /// rest of the resolution.
    ///
    /// It holds because the gazetteer's fold of `text` and `folded` have the same words: both
    /// fold each stretch of text between whitespace alike (the gazetteer's fold of a text
    /// without whitespace is [`crate::text::fold`] of it), and whitespace, never part of a
    /// word, is kept by one and made a single space by the other. That needs every whitespace
    /// character to be ASCII (which [`crate::text::fold`] folds apart from its neighbours;
    /// other whitespace is folded with the characters around it) and the whole text to be
    /// read (it is cut at [`MAX_INPUT_BYTES`] otherwise): any other text answers true.
    /// `lang` is the post's language, as for [`Gazetteer::find_in_text_into`].
    pub(crate) fn may_name_a_place_in_text(&self, text: &str, folded: &str, lang: &str) -> bool {
        let ascii = text.is_ascii();
        if text.len() > MAX_INPUT_BYTES
            || (!ascii && text.chars().any(|c| c.is_whitespace() && !c.is_ascii()))
        {
            return true;
        }
        // A name whose readings are all codes or acronyms counts only as `judge` first checks
        // on the original word's capitals (`code_may_count`). An ASCII text folds byte for
        // byte, so a token's range in `folded` is the original word's; in other text without
        // capitals every original word, like its fold, has none (and has a character other
        // than '.'), which is all the check reads of it. Other text keeps every name.
        // Both walked only when a code is found.
        let mut input_all_caps = None;
        let mut uncased = None;
        let may_count = |pattern: u32, range: &Range<usize>| {
            let pattern = &self.patterns[pattern as usize];
            if pattern.has_word_kinds {
                return true;
            }
            let original = if ascii {
                &text[range.clone()]
            } else if *uncased.get_or_insert_with(|| !text.chars().any(char::is_uppercase)) {
                &folded[range.clone()]
            } else {
                return true;
            };
            code_may_count(
                pattern,
                original,
                *input_all_caps.get_or_insert_with(|| all_caps(text)),
            )
        };
        let glued_endings = self.glued_endings_in(lang);
        BUFFERS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buffers) => {
                self.index
                    .may_find_in(folded, &mut buffers.find, glued_endings, may_count)
            }
            // Re-entered on this thread (cannot happen today): fresh buffers.
            Err(_) => self.index.may_find_in(
                folded,
                &mut FindBuffers::default(),
                glued_endings,
                may_count,
            ),
        })
    }

    /// The case endings a post in `lang` may glue to a place name without an apostrophe: the
    /// ones listed after an apostrophe are Turkish's (`postposition` rows of extras.tsv), which
    /// Turkish posts also glue to a name without one; none in any other language.
    fn glued_endings_in(&self, lang: &str) -> &[String] {
        if lang == "tr" {
            &self.glued_endings
        } else {
            &[]
        }
    }

    /// Appends the regions `input` names to `out`, best first.
    /// `lang`: the post's language (ISO 639-1, "und" when unknown), to which shared names lean
    /// (see [`HOME_LANGUAGE_WEIGHT`]) and in which a demonym that is a frequent word must be
    /// that word's language.
    pub(super) fn resolve_into<'g, 'i>(
        &'g self,
        input: &'i str,
        mode: Mode,
        lang: &str,
        out: &mut Vec<RegionRef<'g, 'i>>,
    ) {
        // Taken out of the cell for the call (a nested call, which cannot happen today, would
        // simply start with empty buffers) and put back after.
        BUFFERS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buffers) => self.resolve_with(input, mode, lang, &mut buffers, out),
            // Re-entered on this thread (cannot happen today): fresh buffers.
            Err(_) => self.resolve_with(input, mode, lang, &mut Buffers::default(), out),
        });
    }

    fn resolve_with<'g, 'i>(
        &'g self,
        input: &'i str,
        mode: Mode,
        lang: &str,
        buffers: &mut Buffers,
        out: &mut Vec<RegionRef<'g, 'i>>,
    ) {
        let mut end = input.len().min(MAX_INPUT_BYTES);
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        let input = &input[..end];
        if !has_word_or_flag(input) {
            return;
        }
        let folded = Folded::new_in(input, std::mem::take(&mut buffers.fold));
        let input_all_caps = all_caps(input);
        let Buffers {
            fold,
            find,
            found,
            mentions,
            chosen,
            weights,
            shares,
            members,
        } = buffers;
        let glued_endings = self.glued_endings_in(lang);
        self.index
            .find(&folded, find, found, glued_endings, |pattern, range| {
                self.judge(&folded, pattern, range, input_all_caps, mode, lang)
            });
        // Both lists are kept between calls: made afresh, they were two allocations for
        // every text that names a place.
        mentions.clear();
        mentions.extend(found.drain(..).map(|(_, mention)| mention));
        *fold = folded.into_buffers();
        if mentions.is_empty() {
            return;
        }
        self.choose(
            mentions,
            mode,
            self.home_of(lang),
            chosen,
            (weights, shares),
        );
        if mode == Mode::Location {
            self.drop_codes_of_other_countries(chosen);
        }
        self.group(input, mentions, (chosen, members), mode, out);
        // The readings go now, as they did with the lists made afresh.
        mentions.clear();
    }

    /// "Monterrey, NL": a country's two-letter code after a named place of another country is
    /// that country's subdivision code we do not list (Nuevo León), not the other country.
    fn drop_codes_of_other_countries(&self, chosen: &mut Vec<Chosen>) {
        let named_country = |c: &Chosen| {
            (!matches!(c.kind, NameKind::Abbr | NameKind::TextAbbr)
                && c.confidence >= super::CONFIDENT)
                .then(|| &self.places[c.place as usize].country)
        };
        let named: Vec<&Box<str>> = chosen.iter().filter_map(named_country).collect();
        if named.is_empty() {
            return;
        }
        chosen.retain(|c| {
            let place = &self.places[c.place as usize];
            !(c.kind == NameKind::Abbr
                && place.level == Level::Country
                && named.iter().all(|&country| *country != place.country))
        });
    }

    /// The readings of one found name that may count here, or `None` when none may.
    fn judge(
        &self,
        folded: &Folded<'_>,
        pattern_id: u32,
        range: &Range<usize>,
        input_all_caps: bool,
        mode: Mode,
        lang: &str,
    ) -> Option<Mention> {
        let pattern = &self.patterns[pattern_id as usize];
        if mode == Mode::Text
            && !pattern.has_word_kinds
            && !code_may_count(
                pattern,
                &folded.original[folded.original_range(range)],
                input_all_caps,
            )
        {
            return None;
        }
        let ctx = self.context(folded, range, input_all_caps);
        let readings: Vec<(u32, NameKind, f32)> = pattern
            .refs
            .iter()
            .filter_map(|r| {
                self.certainty(
                    pattern,
                    r.kind,
                    &self.places[r.place as usize],
                    &ctx,
                    mode,
                    lang,
                )
                .map(|c| (r.place, r.kind, c))
            })
            .collect();
        (!readings.is_empty()).then_some(Mention {
            original: ctx.original,
            readings,
        })
    }

    fn context<'a>(
        &self,
        folded: &'a Folded<'_>,
        range: &Range<usize>,
        input_all_caps: bool,
    ) -> Context<'a> {
        let original = folded.original_range(range);
        let text = folded.original;
        let name = &text[original.clone()];
        let first_alpha = name.chars().find(|c| c.is_alphabetic());
        let capitalised = first_alpha.is_some_and(char::is_uppercase);
        let caseless = first_alpha.is_none_or(|c| !c.is_uppercase() && !c.is_lowercase());
        let all_upper =
            name.chars().any(char::is_alphabetic) && !name.chars().any(char::is_lowercase);
        let before = &text[..original.start];
        let after = &text[original.end..];
        let prev = before.chars().next_back();
        let next = after.chars().next();

        // Whole part of a location field: nothing but spaces, emoji and punctuation between the
        // name and the nearest separator (or the ends) on both sides.
        let mut after_comma = false;
        let mut left_clear = true;
        for c in before.chars().rev() {
            if is_part_separator(c) {
                after_comma = c == ',' || c == '-' || c == '/';
                break;
            }
            if c.is_alphanumeric() {
                left_clear = false;
                break;
            }
        }
        let right_clear = after
            .chars()
            .take_while(|&c| !is_part_separator(c))
            .all(|c| !c.is_alphanumeric());

        let trimmed_before = before.trim_end();
        let sentence_initial = match trimmed_before.chars().next_back() {
            None => true,
            Some(c) => {
                matches!(c, '.' | '!' | '?' | '…' | ':' | '"' | '“' | '«' | '\n')
                    || (!c.is_alphanumeric()
                        && !matches!(c, ',' | '\'' | '’' | '(' | '-' | '#' | ';'))
            }
        };
        let hashtag = prev == Some('#');
        let handle_or_url = matches!(prev, Some('@' | '/' | '=' | '&'))
            || (prev == Some('.')
                && before
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(char::is_alphanumeric))
            || (matches!(next, Some('.' | '/' | '@'))
                && after.chars().nth(1).is_some_and(char::is_alphanumeric));
        Context {
            original,
            capitalised,
            caseless,
            first_letter: first_alpha.unwrap_or(' '),
            all_upper,
            input_all_caps,
            whole_part: left_clear && right_clear,
            after_comma: left_clear && after_comma,
            last_in_part: right_clear,
            sentence_initial,
            preposition: OnceCell::new(),
            folded_before: &folded.text[..range.start],
            folded_after: &folded.text[range.end..],
            hashtag,
            handle_or_url,
            follows_comma: trimmed_before.ends_with(','),
            follows_capitalised_word: before.ends_with(' ')
                && trimmed_before.len() + 1 == before.len()
                && trimmed_before
                    .rsplit(|c: char| !c.is_alphabetic())
                    .next()
                    .and_then(|word| word.chars().next())
                    .is_some_and(char::is_uppercase),
            alone: !before.chars().any(char::is_alphanumeric)
                && !after.chars().any(char::is_alphanumeric),
        }
    }

    /// Whether the word before the name of `ctx` is a preposition or the word after it a
    /// postposition, computed on the first question: most readings of a lower-case word in
    /// running text are settled without it, and its word-list lookups were a good part of
    /// judging every name found.
    fn preposition(&self, ctx: &Context<'_>) -> bool {
        *ctx.preposition.get_or_init(|| {
            self.word_before_is_preposition(ctx.folded_before)
                || self.word_after_is_postposition(ctx.folded_after)
        })
    }

    /// Whether the word before a name (in folded text) is a preposition: "in", "em", "в", or a
    /// quantifier right after one ("w całym Krakowie", "по всей Казани").
    fn word_before_is_preposition(&self, before: &str) -> bool {
        self.preposition_at_end(before, true)
    }

    /// Whether `before` ends with a preposition, or (when `through_quantifier`) with a
    /// quantifier that itself follows a preposition.
    fn preposition_at_end(&self, before: &str, through_quantifier: bool) -> bool {
        let trimmed = before.trim_end();
        // "l'Italie", "d'Espagne": an elided word touches the name.
        let elided = trimmed.len() == before.len() && trimmed.ends_with('\'');
        if trimmed.len() == before.len() && !elided {
            // "بالرياض", "لمصر": an Arabic preposition glued to the name.
            if !before.ends_with(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                return false;
            }
            let glued_start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphabetic())
                .last()
                .map_or(before.len(), |(i, _)| i);
            return is_prepositional_proclitic(&before[glued_start..]);
        }
        let trimmed = trimmed.trim_end_matches('\'');
        let word_start = trimmed
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || is_combining_mark(*c))
            .last()
            .map(|(i, _)| i);
        let Some(start) = word_start else {
            return false;
        };
        let word = &trimmed[start..];
        self.prepositions.contains(word)
            || (through_quantifier
                && self.quantifiers.contains(word)
                && self.preposition_at_end(&trimmed[..start], false))
    }

    /// Whether the word after a name (in folded text) is a postposition: Hindi "में", or a
    /// Japanese particle attached to the name ("東京で").
    fn word_after_is_postposition(&self, after: &str) -> bool {
        if self.postpositions.is_empty() {
            return false;
        }
        // A case ending after an apostrophe, the way Turkish writes them on proper names
        // ("Köln'den", "gaziantep'te"), listed with the apostrophe ("'den"), or glued to the
        // name ("izmirde"): only the glued-ending path of `NameIndex::find` ends a name inside
        // a word of letters, and the ending counts as written with its apostrophe. (A name in
        // kana or kanji is followed by other letters too: "東京で" goes on to the particles
        // below.)
        let ending = after.strip_prefix(['\'', '’']).or_else(|| {
            after
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() && !glued_endings_script(c))
                .then_some(after)
        });
        if let Some(ending) = ending {
            let end = ending
                .char_indices()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(ending.len(), |(i, _)| i);
            // Rare (a name right before an apostrophe or an ending): the key may be made
            // afresh.
            return self
                .postpositions
                .contains(format!("'{}", &ending[..end]).as_str());
        }
        let trimmed = after.trim_start();
        let end = trimmed
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || is_combining_mark(*c)))
            .map(|(i, _)| i)
            .unwrap_or(trimmed.len());
        if end == 0 {
            return false;
        }
        if self.postpositions.contains(&trimmed[..end]) {
            return true;
        }
        let Some(first) = trimmed.chars().next() else {
            return false;
        };
        let mut buf = [0u8; 4];
        after.len() == trimmed.len()
            && super::scan::is_unspaced(first)
            && self.postpositions.contains(&*first.encode_utf8(&mut buf))
    }

    /// Whether a name may count in its context, and how sure the reading is when it does.
    fn certainty(
        &self,
        pattern: &Pattern,
        kind: NameKind,
        place: &Place,
        ctx: &Context,
        mode: Mode,
        lang: &str,
    ) -> Option<f32> {
        match mode {
            // "Bekasi (bukan planet lain)": a lower-case word inside a longer part of the field
            // is no city of less than a million people (Bukan, Iran) nor a city whose name is a
            // frequent word ("Depok (bukan kota lain)": Kota, India), only words around it.
            // The first word of the field may be a city of its own ("edinburgh uni"), unless
            // it is a frequent word of a language spoken elsewhere.
            Mode::Location
                if matches!(kind, NameKind::Name | NameKind::Alt)
                    && !ctx.capitalised
                    && !ctx.caseless
                    && !ctx.whole_part
                    && ((place.level == Level::City
                        && !self.city_first_in_field(pattern, place, ctx)
                        && (place.population < LARGE_CITY
                            || pattern.common_zipf >= COMMON_ZIPF))
                        || (place.level == Level::Subdivision
                            && place.population < SMALL_CITY)) =>
            {
                None
            }
            Mode::Location => self.location_certainty(kind, place, ctx),
            Mode::Text => self.text_certainty(pattern, kind, place, ctx, lang),
        }
    }

    /// Whether a lower-case city name opens the location field ("edinburgh uni 📚") and is
    /// the city: a town of its own, and no frequent word of a language spoken elsewhere.
    fn city_first_in_field(&self, pattern: &Pattern, place: &Place, ctx: &Context) -> bool {
        ctx.sentence_initial
            && place.population >= SMALL_CITY
            && (pattern.common_zipf < COMMON_ZIPF
                || pattern
                    .common_lang
                    .as_deref()
                    .is_some_and(|lang| self.home_of(lang).contains(&place.country)))
    }

    fn location_certainty(&self, kind: NameKind, place: &Place, ctx: &Context) -> Option<f32> {
        match kind {
            NameKind::Flag => Some(0.95),
            NameKind::Name if place.level == Level::Country => Some(0.95),
            NameKind::Name | NameKind::Nickname => Some(0.9),
            NameKind::Alt => Some(0.85),
            NameKind::Demonym => Some(0.8),
            NameKind::CaseForm => (ctx.capitalised && self.preposition(ctx)).then_some(0.8),
            NameKind::Acronym => (ctx.all_upper || ctx.whole_part).then_some(0.85),
            NameKind::Abbr | NameKind::TextAbbr => {
                // "NY", "SP", "IN" are also words: only a whole part ("Depew, NY", "SP 🇧🇷"),
                // or a final capitalised token ("Austin TX") in a field not all in capitals.
                let upper_ok =
                    ctx.all_upper && (ctx.whole_part || (ctx.last_in_part && !ctx.input_all_caps));
                // "rj", "sp" alone as the field: the listed text abbreviations are no words.
                let lower_ok = ctx.whole_part
                    && (ctx.after_comma || (kind == NameKind::TextAbbr && ctx.alone));
                (upper_ok || lower_ok).then_some(0.8)
            }
        }
    }

    fn text_certainty(
        &self,
        pattern: &Pattern,
        kind: NameKind,
        place: &Place,
        ctx: &Context,
        lang: &str,
    ) -> Option<f32> {
        if ctx.handle_or_url {
            return None;
        }
        // "VAN 84 bağlantı hatası", "VAL 5": a name of three capitals before a number is an
        // error code (Van, Turkey), not a place.
        if ctx.all_upper
            && !ctx.input_all_caps
            && matches!(kind, NameKind::Name | NameKind::Alt)
            && ctx.original.len() <= 3
            && ctx
                .folded_after
                .strip_prefix(' ')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        {
            return None;
        }
        let capital = ctx.capitalised || ctx.caseless;
        let strong = || self.preposition(ctx) || ctx.hashtag;
        match kind {
            NameKind::Flag => return Some(0.9),
            // "Paris, TX", "Charlotte NC": a capitalised code right after a comma or a
            // capitalised word may only confirm the place before it (certainty 0 marks a
            // reading that never stands alone).
            // "aqui no RJ", "outage in NC": a listed subdivision code in capitals right
            // after a preposition is the place (the list leaves out codes that are also words
            // or common acronyms: "in OK", "in HR", "in IT").
            NameKind::TextAbbr if ctx.all_upper && !ctx.input_all_caps && self.preposition(ctx) => {
                return Some(0.7);
            }
            NameKind::Abbr | NameKind::TextAbbr => {
                return (ctx.all_upper
                    && !ctx.input_all_caps
                    && (ctx.follows_comma || ctx.follows_capitalised_word))
                    .then_some(0.0);
            }
            NameKind::Acronym if ctx.all_upper => {
                return (!ctx.input_all_caps).then_some(0.8);
            }
            // "em bh", "se congela, cdmx": a listed acronym that is no frequent word, in lower
            // case right after a preposition or standing alone between commas; one of two
            // letters only in a language spoken where it lies ("bh" in a German post is a bra).
            NameKind::Acronym => {
                let lower = !ctx.capitalised && pattern.lowercase_acronym;
                let placed = || self.preposition(ctx) || (ctx.whole_part && ctx.follows_comma);
                let at_home =
                    ctx.original.len() > 2 || lists_code(self.home_of(lang), &place.country);
                return (lower && placed() && at_home).then_some(0.7);
            }
            NameKind::Demonym => {
                // A demonym that is a frequent word of another language than the post's is
                // that word: "belge" in a Turkish post is "document", not Belgian.
                let word_of_another_language = pattern.common_zipf >= COMMON_ZIPF
                    && lang != "und"
                    && pattern.common_lang.as_deref().is_some_and(|l| l != lang);
                return (!pattern.language_name
                    && !pattern.needs_context
                    && !word_of_another_language)
                    .then_some(0.6);
            }
            NameKind::CaseForm => {
                return (ctx.capitalised && self.preposition(ctx) && !ctx.input_all_caps)
                    .then_some(0.75);
            }
            NameKind::Alt if !ctx.caseless && !ctx.capitalised => return None,
            NameKind::Name | NameKind::Alt | NameKind::Nickname => {}
        }
        if pattern.needs_context {
            // "Turkey", "Jordan", "Meta", "الجديد": a place only right after a preposition,
            // or when a qualifier confirms it ("Charlotte NC", "Orlando, Florida").
            if ctx.input_all_caps || !capital {
                return None;
            }
            return Some(if strong() { 0.75 } else { 0.0 });
        }
        // A frequent word of the post's own language is that word, capitals or not, unless
        // the place is where the language is spoken: "im Keller" in a German post is the
        // cellar (Keller, Texas), "Karen" in an English post is a name (Karen State,
        // Myanmar); "in Essen" in a German post is still the city. Names of several words
        // ("Mexico City", "Nova York") and big cities are frequent because of the place.
        // A big city's own name is frequent because of the city ("Lagos", "Adana"); an
        // alternate name frequent in a language spoken elsewhere is that language's word
        // ("Kita", a name of Quito, is Indonesian for "we").
        let famous_city = place.level == Level::City
            && place.population >= LARGE_CITY
            && capital
            && (kind == NameKind::Name
                || pattern
                    .common_lang
                    .as_deref()
                    .is_none_or(|l| lists_code(self.home_of(l), &place.country)));
        // In a script without capitals a big city's own exonym is frequent because the city
        // is ("لندن", "برلين"): after a preposition it is the city ("في لندن", "لبرلين").
        let exonym_placed = ctx.caseless
            && place.level == Level::City
            && place.population >= LARGE_CITY
            && strong();
        if place.level != Level::Country
            && !famous_city
            && !exonym_placed
            && !pattern.multiword
            && pattern.common_zipf >= COMMON_ZIPF
            && lang != "und"
            && pattern.common_lang.as_deref() == Some(lang)
            && !lists_code(self.home_of(lang), &place.country)
        {
            return None;
        }
        // A town or a municipality of fewer than SMALL_CITY people is named in the languages
        // of its own country: "im Store" in a German post is the app store, not Štore in
        // Slovenia. Where the post's language is unknown the name may still count.
        let small_place = matches!(place.level, Level::City | Level::Subdivision)
            && place.population < SMALL_CITY;
        if small_place && lang != "und" && !self.home_of(lang).contains(&place.country) {
            return None;
        }
        if place.level == Level::City && place.population < SMALL_CITY {
            return (capital && strong()).then_some(0.7);
        }
        if kind == NameKind::Alt && ctx.caseless {
            // Other scripts carry no capitals to tell a name from a word, and GeoNames lists
            // the names of far-away cities in them as transliterations that can be words
            // ("تاني" for Thane is Egyptian Arabic for "again"). A common one counts only after
            // a preposition or for a place where that script is at home ("دبي").
            if strong() {
                return Some(0.8);
            }
            if pattern.common_zipf < COMMON_ZIPF
                || script_is_at_home(ctx.first_letter, &place.country)
            {
                return Some(0.75);
            }
            return None;
        }
        // A large city's name is frequent because the city is ("Lagos", "Adana"), but only
        // the capitalised name is the city: "kota" in Indonesian is just "town".
        // A hand-listed nickname of a big city, frequent because of the city, in a post in a
        // language spoken there ("istanbul" in a Turkish post, "jakarta" in an Indonesian
        // one) counts like a country's name, as it did when those nicknames named the
        // country rather than the city's subdivision.
        let famous_nickname = kind == NameKind::Nickname
            && pattern.famous_at_home
            && lang != "und"
            && lists_code(self.home_of(lang), &place.country);
        let exempt = place.level == Level::Country || famous_nickname || famous_city;
        let common = !exempt && pattern.common_zipf >= COMMON_ZIPF;
        if common {
            // In lower case a frequent word is the word ("im zug", "del chico") unless it is
            // frequent because of the place (see `famous_at_home`).
            if strong() && (capital || pattern.famous_at_home) {
                return Some(0.75);
            }
            // A capital in mid-sentence marks a name, but in a German post, where every noun
            // has one, only of a place where German is spoken ("zwischen Kassel und Fulda";
            // "Kita-Fotos" is the nursery's, not Kita in Ecuador, a frequent Indonesian word).
            if ctx.capitalised
                && !ctx.sentence_initial
                && !ctx.input_all_caps
                && !pattern.german_word
                && (lang != "de" || lists_code(self.home_of(lang), &place.country))
            {
                return Some(0.65);
            }
            return None;
        }
        if strong() {
            return Some(0.85);
        }
        if capital {
            return Some(0.8);
        }
        // Three letters or fewer in lower case are a word or an abbreviation more often than
        // a place ("hue" is Hinglish and the city of Huế).
        let long_enough = ctx.original.len() > 3;
        // A subdivision whose listed towns make fewer than SMALL_CITY people (a municipality
        // of Skopje, Čair: "cair" is Indonesian and Portuguese) is no lower-case place.
        let lowercase_ok = place.level == Level::Country
            || famous_nickname
            || pattern.multiword
            || ((place.level == Level::City && place.population >= LARGE_CITY)
                || (place.level == Level::Subdivision && place.population >= SMALL_CITY))
                && pattern.common_zipf == 0.0
                && long_enough;
        lowercase_ok.then_some(0.7)
    }

    /// Settles each mention on one reading: one confirmed by another mention first, then the
    /// one with the largest share of population among the mention's readings.
    fn choose(
        &self,
        mentions: &[Mention],
        mode: Mode,
        home: &[Box<str>],
        chosen: &mut Vec<Chosen>,
        (weights, shares): (&mut Vec<f64>, &mut Vec<f64>),
    ) {
        chosen.clear();
        for (i, mention) in mentions.iter().enumerate() {
            weights.clear();
            // "Zaragoza" is the standard name of the Spanish city and an alternate name of a
            // Mexican city three times its size: a city's own name beats another's alternate.
            let city_named = mention.readings.iter().any(|&(p, kind, _)| {
                kind == NameKind::Name && self.places[p as usize].level == Level::City
            });
            weights.extend(mention.readings.iter().map(|&(place, kind, _)| {
                let weight = self.weight(place, kind, home);
                let alt_city =
                    kind == NameKind::Alt && self.places[place as usize].level == Level::City;
                if city_named && alt_city {
                    weight * ALT_WEIGHT
                } else {
                    weight
                }
            }));
            let weights = weights.as_slice();
            let total: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
            // Share of each region code (a city and its subdivision may both be readings). A
            // country's share includes the readings inside it: "İstanbul" is a nickname of
            // Turkey, a province and a city, three readings that agree on the country.
            let share_of = |code: &str| -> f64 {
                let is_country = code.len() == 2;
                mention
                    .readings
                    .iter()
                    .zip(weights)
                    .filter(|((p, _, _), _)| {
                        let place = &self.places[*p as usize];
                        same_code(&place.code, code)
                            || (is_country && same_code(&place.country, code))
                    })
                    .map(|(_, w)| w)
                    .sum::<f64>()
                    / total
            };
            let supported_by_other = |place: u32| -> bool {
                let a = &self.places[place as usize];
                mentions.iter().enumerate().any(|(j, other)| {
                    j != i
                        && other
                            .readings
                            .iter()
                            .any(|&(q, _, _)| q != place && supports(a, &self.places[q as usize]))
                })
            };
            // The share of each reading's code, once: below, each reading's share is read up
            // to three times, and a name with many readings ("London") made that quadratic
            // work a good part of resolving a location.
            shares.clear();
            shares.extend(
                mention
                    .readings
                    .iter()
                    .map(|&(place, _, _)| share_of(&self.places[place as usize].code)),
            );
            let shares = shares.as_slice();
            let mut best: Option<(f64, f64, usize, bool)> = None; // (score, weight, reading, supported)
            for (k, &(place, _, _)) in mention.readings.iter().enumerate() {
                let supported = supported_by_other(place);
                let score = shares[k] + if supported { 1.0 } else { 0.0 };
                let better = match best {
                    None => true,
                    Some((s, w, _, _)) => score > s || (score == s && weights[k] > w),
                };
                if better {
                    best = Some((score, weights[k], k, supported));
                }
            }
            let Some((_, _, k, supported)) = best else {
                continue;
            };
            let (place, kind, certainty) = mention.readings[k];
            if certainty == 0.0 && !supported {
                continue;
            }
            let code = &self.places[place as usize].code;
            let share = shares[k];
            let confidence = if supported {
                match mode {
                    Mode::Location => 0.95,
                    Mode::Text => 0.9f32.max(certainty),
                }
            } else {
                (share as f32 * certainty).min(0.99)
            };
            chosen.push(Chosen {
                mention: i,
                place,
                kind,
                confidence,
                supported,
            });
            if supported {
                continue;
            }
            // An unsettled name also reports its best other reading ("Georgia": GE and US-GA).
            let runner_up = mention
                .readings
                .iter()
                .zip(shares)
                .filter(|((p, _, c), _)| {
                    !same_code(&self.places[*p as usize].code, code) && *c > 0.0
                })
                .map(|(&(p, kind, certainty), &share)| (share, p, kind, certainty))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((share, place, kind, certainty)) = runner_up
                && share >= RUNNER_UP_SHARE
            {
                chosen.push(Chosen {
                    mention: i,
                    place,
                    kind,
                    confidence: share as f32 * certainty,
                    supported: false,
                });
            }
        }
    }

    fn weight(&self, place: u32, kind: NameKind, home: &[Box<str>]) -> f64 {
        let place = &self.places[place as usize];
        let population = place.population.max(1_000) as f64;
        let by_kind = match kind {
            NameKind::Alt | NameKind::CaseForm => population * ALT_WEIGHT,
            _ => population,
        };
        if lists_code(home, &place.country) {
            by_kind * HOME_LANGUAGE_WEIGHT
        } else {
            by_kind
        }
    }

    /// Merges readings that agree into matches, most confident first, appended to `out`.
    fn group<'g, 'i>(
        &'g self,
        input: &'i str,
        mentions: &[Mention],
        (chosen, members): (&mut [Chosen], &mut Vec<(usize, usize)>),
        mode: Mode,
        out: &mut Vec<RegionRef<'g, 'i>>,
    ) {
        chosen.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.mention.cmp(&b.mention))
        });
        struct Group<'g> {
            code: &'g str,
            /// The second-level code of a city in the group ("London" -> GB-LND).
            district: Option<&'g str>,
            country: &'g str,
            confidence: f32,
            span: Range<usize>,
            rule: &'static str,
        }
        let mut groups: Vec<Group<'g>> = Vec::with_capacity(chosen.len());
        // (group, mention) for each mention that joined a group: one list for all groups.
        members.clear();
        for c in chosen.iter() {
            let place = &self.places[c.place as usize];
            let span = mentions[c.mention].original.clone();
            let joined = groups.iter_mut().enumerate().find(|(k, g)| {
                !members.contains(&(*k, c.mention))
                    && *g.country == *place.country
                    && (*g.code == *place.code
                        || *g.code == *g.country
                        || place.code == place.country)
                    && (c.supported || g.confidence >= super::CONFIDENT)
                    && c.confidence >= super::CONFIDENT
            });
            match joined {
                Some((k, g)) => {
                    if *g.code == *g.country && place.code != place.country {
                        g.code = &place.code;
                    }
                    if g.district.is_none() && *g.code == *place.code {
                        g.district = self.districts.get(&c.place).map(|d| &**d);
                    }
                    g.confidence = g.confidence.max(c.confidence);
                    g.span = g.span.start.min(span.start)..g.span.end.max(span.end);
                    members.push((k, c.mention));
                    if c.supported && place.level == Level::City {
                        g.rule = rule_name(mode, c.kind, place.level, true);
                    }
                }
                None => {
                    members.push((groups.len(), c.mention));
                    groups.push(Group {
                        code: &place.code,
                        district: self.districts.get(&c.place).map(|d| &**d),
                        country: &place.country,
                        confidence: c.confidence,
                        span,
                        rule: rule_name(mode, c.kind, place.level, c.supported),
                    });
                }
            }
        }
        // The same region reached twice by unrelated mentions is reported once.
        let start = out.len();
        for g in groups {
            let code = self.reported_code(g.code, g.country);
            // A city's district is reported beside its first-level subdivision, when that is.
            let district = g.district.filter(|_| code != g.country);
            for code in std::iter::once(code).chain(district) {
                if let Some(seen) = out[start..].iter_mut().find(|m| m.code == code) {
                    seen.confidence = seen.confidence.max(g.confidence);
                    continue;
                }
                out.push(RegionRef {
                    code,
                    country: g.country,
                    confidence: (g.confidence * 1000.0).round() / 1000.0,
                    matched: &input[g.span.clone()],
                    rule: g.rule,
                });
            }
        }
        out[start..].sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.code.cmp(b.code))
        });
    }
}

/// Whether region codes `a` and `b` are equal. Codes are a few bytes ("BR", "US-NY"): compared
/// byte by byte, which costs less than the `memcmp` call of `==`, and choosing a reading
/// compares codes many times per name.
fn same_code(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Whether `codes` holds `code` (see [`same_code`]).
fn lists_code(codes: &[Box<str>], code: &str) -> bool {
    codes.iter().any(|c| same_code(c, code))
}

/// Whether `letter`'s script is the everyday script of `country` (Arabic in the Arab states,
/// Devanagari in India and Nepal, kanji and kana in Japan and the Chinese-speaking places).
fn script_is_at_home(letter: char, country: &str) -> bool {
    const ARABIC: &[&str] = &[
        "AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "OM", "PS", "QA", "SA", "SD",
        "SY", "TN", "YE", "MR",
    ];
    match letter as u32 {
        0x0600..=0x06FF | 0x0750..=0x077F => ARABIC.contains(&country),
        0x0900..=0x097F => matches!(country, "IN" | "NP"),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => {
            matches!(country, "JP" | "CN" | "TW" | "HK" | "MO")
        }
        _ => false,
    }
}

/// Whether place `a` is confirmed by place `b` named elsewhere in the same string: a city by
/// its subdivision or country, a subdivision by its country, and the reverse; never a city by
/// another city ("Paris, London" must not settle on the two small towns of Ontario).
fn supports(a: &Place, b: &Place) -> bool {
    if !same_code(&a.country, &b.country) || (a.level == Level::City && b.level == Level::City) {
        return false;
    }
    match (a.level, b.level) {
        (Level::Country, _) | (_, Level::Country) => true,
        (Level::Subdivision, _) | (_, Level::Subdivision) => same_code(&a.code, &b.code),
        (Level::City, Level::City) => false,
    }
}

fn rule_name(mode: Mode, kind: NameKind, level: Level, supported: bool) -> &'static str {
    use Level::*;
    use NameKind::*;
    match (mode, supported, kind, level) {
        (Mode::Location, true, _, City) => "location:city+qualifier",
        (Mode::Location, true, _, _) => "location:place+qualifier",
        (Mode::Location, false, Flag, _) => "location:flag",
        (Mode::Location, false, Demonym, _) => "location:demonym",
        (Mode::Location, false, Abbr | TextAbbr, _) => "location:abbreviation",
        (Mode::Location, false, Acronym, _) => "location:acronym",
        (Mode::Location, false, Nickname, _) => "location:nickname",
        (Mode::Location, false, CaseForm, _) => "location:case-form",
        (Mode::Location, false, _, Country) => "location:country-name",
        (Mode::Location, false, _, Subdivision) => "location:subdivision-name",
        (Mode::Location, false, _, City) => "location:city-by-population",
        (Mode::Text, true, _, _) => "text:place+qualifier",
        (Mode::Text, false, Flag, _) => "text:flag",
        (Mode::Text, false, Demonym, _) => "text:demonym",
        (Mode::Text, false, Acronym | Abbr, _) => "text:acronym",
        (Mode::Text, false, TextAbbr, _) => "text:abbreviation+preposition",
        (Mode::Text, false, Nickname, _) => "text:nickname",
        (Mode::Text, false, CaseForm, _) => "text:case-form",
        (Mode::Text, false, _, Country) => "text:country-name",
        (Mode::Text, false, _, Subdivision) => "text:subdivision-name",
        (Mode::Text, false, _, City) => "text:city-by-population",
    }
}

/// Whether `c` belongs to a script whose names run on into other words without a space (the
/// kana and kanji the name index reads without tokens, and Hangul): there a letter after a
/// name is no glued case ending.
fn glued_endings_script(c: char) -> bool {
    super::scan::is_unspaced(c) || ('\u{AC00}'..='\u{D7AF}').contains(&c)
}
