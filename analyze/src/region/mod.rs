//! Regions: the gazetteer of countries (ISO 3166-1), their subdivisions (ISO 3166-2) and
//! cities, and the resolver that turns a messy profile location ("SP 🇧🇷", "Depew, NY",
//! "somewhere in ohio") or place names inside post text into region codes with a confidence.
//!
//! This module owns `data/gazetteer/` (read as [`DataFile`]s, bundled copies compiled in) and
//! nothing else: it does no I/O and knows nothing of platforms or complaints. Between calls it
//! keeps per-thread scratch buffers (so that a post naming no place costs no allocation) and,
//! per thread, the matches of the last few thousand location fields it resolved, keyed by the
//! gazetteer, the language and the field (an author's posts repeat their profile's location;
//! see `resolve::LocationCache`): a field resolved again gets the same matches without the work. The classifier calls [`Gazetteer::resolve_location`] and
//! [`Gazetteer::find_in_text`] on every post and keeps the matches at or above [`CONFIDENT`].
//!
//! ```
//! use outcry_analyze::region::Gazetteer;
//! let gazetteer = Gazetteer::builtin();
//! let matches = gazetteer.resolve_location("Depew, NY");
//! assert_eq!(matches[0].code, "US-NY");
//! assert_eq!(gazetteer.country_name("BR", "en"), Some("Brazil"));
//! ```

mod load;
mod resolve;
mod scan;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::data::{DataError, DataFile};
use load::{Level, NameKind, NameRef, Place};
use scan::FxBuild;

/// The confidence from which a match should be believed: below it, a match is a guess the
/// resolver could not settle ("Georgia" alone: the country or the US state).
pub const CONFIDENT: f32 = 0.5;

/// A region found in a location field or in post text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RegionMatch {
    /// The most specific region code known: a subdivision ("US-NY", ISO 3166-2) when the place
    /// pins one down, otherwise the country ("BR", ISO 3166-1 alpha-2).
    pub code: String,
    /// The country code ("US"); equal to `code` for a country-level match.
    pub country: String,
    /// How sure the resolver is, from 0 to 1; believe matches at or above [`CONFIDENT`].
    pub confidence: f32,
    /// The text that matched, as written ("Depew, NY", "🇧🇷").
    pub matched: String,
    /// The rule that decided, for explanations ("location:city+qualifier", "text:flag").
    pub rule: &'static str,
}

/// From this Zipf frequency on a name is a function word of its language whatever place it
/// also names ("para" in Portuguese, Pará): it never counts as famous at home.
const FUNCTION_WORD_ZIPF: f32 = 6.0;
/// Below this Zipf frequency a name frequent in the language of its place may be a town of
/// [`TOWN`] people or more (see [`famous_at_home`]).
const VERY_COMMON_ZIPF: f32 = 5.0;
/// See [`VERY_COMMON_ZIPF`].
const TOWN: u64 = 100_000;
/// Cities from this population on are big enough for their name to be frequent for them.
const FAMOUS_CITY: u64 = 1_000_000;

/// Whether a name that is frequent as a word is frequent because of the place it names: the
/// language it is most frequent in is at home in the country of a subdivision or a city of a
/// million people it names, or of 100,000 when the name is less frequent than Zipf 5
/// ("madrid" in Spanish, "münchen" in German, "jakarta" in Indonesian), and it is not as
/// frequent as function words are. Unlike "kota" (a word in
/// Indonesian, a city in India) or "marche" (French, an Italian region), such a name written in
/// lower case after a preposition is the place: "caído en madrid", "hier in münchen".
fn famous_at_home(tables: &load::Tables, name: &str, zipf: f32, refs: &[load::NameRef]) -> bool {
    if zipf == 0.0 || zipf >= FUNCTION_WORD_ZIPF {
        return false;
    }
    let Some(lang) = tables.common_lang.get(name) else {
        return false;
    };
    refs.iter().any(|r| {
        let place = &tables.places[r.place as usize];
        let big = match place.level {
            // A big place makes its name frequent; a less frequent name, a town of 100,000
            // ("here in leeds"). A small canton does not ("im zug": the train, not Zug).
            Level::Subdivision | Level::City => {
                place.population >= FAMOUS_CITY
                    || (zipf < VERY_COMMON_ZIPF && place.population >= TOWN)
            }
            Level::Country => false,
        };
        big && tables
            .home_languages
            .contains(&(lang.clone(), place.country.to_string()))
    })
}

/// A [`RegionMatch`] that borrows its codes from the gazetteer and its text from the input,
/// so that the classifier, which keeps only the confident codes, copies nothing else.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RegionRef<'g, 'i> {
    pub code: &'g str,
    pub country: &'g str,
    pub confidence: f32,
    pub matched: &'i str,
    pub rule: &'static str,
}

impl RegionRef<'_, '_> {
    /// The owned [`RegionMatch`] this stands for.
    pub fn owned(&self) -> RegionMatch {
        RegionMatch {
            code: self.code.to_string(),
            country: self.country.to_string(),
            confidence: self.confidence,
            matched: self.matched.to_string(),
            rule: self.rule,
        }
    }
}

/// [`confident_codes`] of the matches `found` stands for, copying only the codes kept.
pub(crate) fn confident_codes_of(found: &[RegionRef<'_, '_>]) -> Vec<String> {
    // Each code copied once, straight into the list returned (a list of `&str` sorted first
    // was one more allocation per post naming a place); a post names few places, so the
    // repeats are found by walking the list.
    let mut codes: Vec<String> = Vec::new();
    let mut add = |code: &str| {
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_string());
        }
    };
    for m in found.iter().filter(|m| m.confidence >= CONFIDENT) {
        add(m.country);
        if m.code != m.country {
            add(m.code);
        }
    }
    codes.sort_unstable();
    codes
}

/// The codes to store for confident matches: each country, and each subdivision when known
/// ("Depew, NY" gives `["US", "US-NY"]`), sorted and without repeats.
pub fn confident_codes(matches: &[RegionMatch]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for m in matches.iter().filter(|m| m.confidence >= CONFIDENT) {
        codes.push(m.country.clone());
        if m.code != m.country {
            codes.push(m.code.clone());
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

/// What the matcher knows about one folded name.
#[derive(Debug)]
struct Pattern {
    /// The places it names, and how.
    refs: Box<[NameRef]>,
    /// Highest Zipf frequency of the name as an ordinary word (0 when it is not one).
    common_zipf: f32,
    /// The language in which the name is that frequent word, when it is one.
    common_lang: Option<Box<str>>,
    /// Hand-listed as needing capitals and a preposition in post text ("Turkey", "Chad").
    needs_context: bool,
    /// Frequent as a word because it is a big place, in the language of that place
    /// ("madrid" in Spanish, "münchen" in German): see [`famous_at_home`].
    famous_at_home: bool,
    /// A demonym that is also a language name ("german", "deutsch").
    language_name: bool,
    /// Frequent as a German word, and not because of a big place where German is spoken
    /// ("leipzig" is frequent for the city): German capitalises every noun, so a capital says
    /// nothing ("Zug ausgefallen" is the train, not the canton of Zug; "Essen" is food).
    german_word: bool,
    /// More than one word ("new york").
    multiword: bool,
    /// Some reading is a name, nickname, demonym or flag rather than a code or acronym.
    has_word_kinds: bool,
    /// A hand-listed acronym that is no frequent word ("cdmx", "nyc", "bh"): written in lower
    /// case it may still name its place in post text, in a context that makes it one.
    lowercase_acronym: bool,
}

/// The gazetteer: every name of every place, folded and indexed for lookups word by word.
pub struct Gazetteer {
    places: Vec<Place>,
    patterns: Vec<Pattern>,
    index: scan::NameIndex,
    display: HashMap<(String, String), String>,
    prepositions: HashSet<String, FxBuild>,
    quantifiers: HashSet<String, FxBuild>,
    postpositions: HashSet<String, FxBuild>,
    /// The case endings listed after an apostrophe ("'den"), without it, longest first, but
    /// the dative's: what Turkish posts also glue to a name ("izmirden").
    glued_endings: Vec<String>,
    /// Countries whose subdivisions are reported; empty means every country.
    reported_subdivisions: HashSet<String, FxBuild>,
    /// City place -> its second-level code (London -> GB-LND).
    districts: HashMap<u32, Box<str>, FxBuild>,
    /// Second-level code -> its first-level code (GB-LND -> GB-ENG).
    district_parents: HashMap<Box<str>, Box<str>, FxBuild>,
    /// For each language (ISO 639-1), the countries where it is at home (`home-language` rows
    /// of extras.tsv): a name several places share leans to those of the post's language.
    home_countries: HashMap<String, Vec<Box<str>>, FxBuild>,
    /// Every region code a match can report (places' codes and countries, districts), each
    /// once: the per-thread cache of location fields keeps positions in this list, not
    /// borrowed codes.
    codes: Vec<Box<str>>,
    /// Position of each code in [`Gazetteer::codes`].
    code_ids: HashMap<Box<str>, u32, FxBuild>,
    /// This gazetteer's number, unique in the process, so that a thread's cache of location
    /// fields never answers for another gazetteer.
    id: u64,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("names", &self.patterns.len())
            .finish()
    }
}

const BUNDLED: [DataFile<'static>; 5] = [
    DataFile {
        name: "data/gazetteer/countries.tsv",
        text: include_str!("../../../data/gazetteer/countries.tsv"),
    },
    DataFile {
        name: "data/gazetteer/subdivisions.tsv",
        text: include_str!("../../../data/gazetteer/subdivisions.tsv"),
    },
    DataFile {
        name: "data/gazetteer/cities.tsv",
        text: include_str!("../../../data/gazetteer/cities.tsv"),
    },
    DataFile {
        name: "data/gazetteer/common_words.tsv",
        text: include_str!("../../../data/gazetteer/common_words.tsv"),
    },
    DataFile {
        name: "data/gazetteer/extras.tsv",
        text: include_str!("../../../data/gazetteer/extras.tsv"),
    },
];

impl Gazetteer {
    /// The gazetteer built from the bundled `data/gazetteer/` files, once per process.
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The bundled files are checked by the test `bundled_files_load`, so this cannot
            // fail in a released build.
            Gazetteer::from_files(&BUNDLED).expect("bundled gazetteer files are valid")
        })
    }

    /// The bundled gazetteer files, for callers that want to pass them on with others.
    pub fn bundled_files() -> &'static [DataFile<'static>] {
        &BUNDLED
    }

    /// Builds a gazetteer from `countries.tsv`, `subdivisions.tsv` and `cities.tsv` (required)
    /// and `common_words.tsv`, `extras.tsv` (optional), recognised by file name among `files`;
    /// other files are ignored. Errors name the file, the line and a fix.
    pub fn from_files(files: &[DataFile<'_>]) -> Result<Gazetteer, DataError> {
        let mut tables = load::load(files)?;
        // Pattern ids are positions in these lists; their order (the hash map's, which FxHash
        // keeps the same from run to run) does not matter otherwise.
        let mut patterns: Vec<Pattern> = Vec::with_capacity(tables.names.len());
        let mut keys: Vec<String> = Vec::with_capacity(tables.names.len());
        for (name, refs) in std::mem::take(&mut tables.names) {
            let common_zipf = tables.common.get(&name).copied().unwrap_or(0.0);
            let famous = famous_at_home(&tables, &name, common_zipf, &refs);
            patterns.push(Pattern {
                famous_at_home: famous,
                common_lang: tables.common_lang.get(&name).map(|l| l.as_str().into()),
                german_word: !famous && tables.common_lang.get(&name).is_some_and(|l| l == "de"),
                common_zipf,
                needs_context: tables.needs_context.contains(&name),
                language_name: tables.language_names.contains(&name),
                multiword: name.contains(' '),
                lowercase_acronym: common_zipf == 0.0
                    && refs.iter().any(|r| r.kind == NameKind::Acronym),
                has_word_kinds: refs.iter().any(|r| {
                    !matches!(
                        r.kind,
                        NameKind::Abbr | NameKind::TextAbbr | NameKind::Acronym
                    )
                }),
                refs: refs.into_boxed_slice(),
            });
            keys.push(name);
        }
        let index = scan::NameIndex::new(keys).map_err(|e| DataError {
            file: "data/gazetteer".to_string(),
            line: 0,
            message: format!("the gazetteer names could not be compiled: {e}"),
            fix: "shorten the longest Japanese or Chinese names or remove some rows".to_string(),
        })?;
        // FxHash: looked up for every name found, with the post's language.
        let mut home_countries: HashMap<String, Vec<Box<str>>, FxBuild> = HashMap::default();
        for (lang, country) in &tables.home_languages {
            home_countries
                .entry(lang.clone())
                .or_default()
                .push(country.as_str().into());
        }
        let mut codes: Vec<Box<str>> = Vec::new();
        let mut code_ids: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
        let all_codes = tables
            .places
            .iter()
            .flat_map(|p| [&p.code, &p.country])
            .chain(tables.districts.values());
        for code in all_codes {
            if !code_ids.contains_key(code) {
                code_ids.insert(code.clone(), codes.len() as u32);
                codes.push(code.clone());
            }
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Ok(Gazetteer {
            codes,
            code_ids,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            home_countries,
            places: tables.places,
            patterns,
            index,
            display: tables.display,
            prepositions: tables.prepositions,
            quantifiers: tables.quantifiers,
            glued_endings: {
                let mut endings: Vec<String> = tables
                    .postpositions
                    .iter()
                    .filter_map(|p| p.strip_prefix('\'').map(str::to_string))
                    // Not the dative's "'e", "'a", "'ye", "'ya": glued, they end too many
                    // words ("bakiye", balance, is no "Baki" + "ye").
                    .filter(|e| e.chars().count() >= 2 && !e.starts_with('y'))
                    .collect();
                endings.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
                endings
            },
            postpositions: tables.postpositions,
            reported_subdivisions: tables.reported_subdivisions,
            districts: tables.districts,
            district_parents: tables.district_parents,
        })
    }

    /// The regions a profile location field names, best first. Several matches mean several
    /// places ("London / Lagos") or an ambiguity the field does not settle ("Georgia").
    pub fn resolve_location(&self, location: &str) -> Vec<RegionMatch> {
        self.resolve_location_for(location, "und")
    }

    /// [`Gazetteer::resolve_location`] for a post in language `lang` (ISO 639-1, `"und"` when
    /// unknown): where a name is shared by places of several countries and the field does not
    /// settle it, the places where the post's language is at home weigh more ("Bari" in an
    /// Italian post is the Italian city, not the Somali region).
    pub fn resolve_location_for(&self, location: &str, lang: &str) -> Vec<RegionMatch> {
        let mut found = Vec::new();
        self.resolve_location_into(location, lang, &mut found);
        found.iter().map(RegionRef::owned).collect()
    }

    /// [`Gazetteer::resolve_location_for`], appending borrowed matches to `out`.
    pub(crate) fn resolve_location_into<'g, 'i>(
        &'g self,
        location: &'i str,
        lang: &str,
        out: &mut Vec<RegionRef<'g, 'i>>,
    ) {
        self.resolve_location_cached(location, lang, out);
    }

    /// [`Gazetteer::find_in_text_for`], appending borrowed matches to `out`.
    pub(crate) fn find_in_text_into<'g, 'i>(
        &'g self,
        text: &'i str,
        lang: &str,
        out: &mut Vec<RegionRef<'g, 'i>>,
    ) {
        self.resolve_into(text, resolve::Mode::Text, lang, out);
    }

    /// [`Gazetteer::find_in_text`] for a post in language `lang`, leaning like
    /// [`Gazetteer::resolve_location_for`] ("em Salvador" in a Portuguese post is the
    /// Brazilian city, not El Salvador).
    pub fn find_in_text_for(&self, text: &str, lang: &str) -> Vec<RegionMatch> {
        let mut found = Vec::new();
        self.find_in_text_into(text, lang, &mut found);
        found.iter().map(RegionRef::owned).collect()
    }

    /// The countries where `lang` is at home; none for an unknown language.
    pub(crate) fn home_of(&self, lang: &str) -> &[Box<str>] {
        self.home_countries.get(lang).map_or(&[], Vec::as_slice)
    }

    /// The regions named inside post text, best first. Conservative: a name counts only in a
    /// context that makes it a place (capitals, "in"/"em"/"aus" before it, a flag, a qualifier
    /// like "Paris, TX"), and names that are also common words need more.
    pub fn find_in_text(&self, text: &str) -> Vec<RegionMatch> {
        self.find_in_text_for(text, "und")
    }

    /// The name of a country (`"BR"`) in language `lang` (ISO 639-1, falling back to English),
    /// or of a subdivision (`"US-NY"`) as ISO 3166-2 spells it.
    pub fn country_name(&self, code: &str, lang: &str) -> Option<&str> {
        if code.contains('-') {
            return self
                .display
                .get(&(code.to_string(), String::new()))
                .map(String::as_str);
        }
        self.display
            .get(&(code.to_string(), lang.to_string()))
            .or_else(|| self.display.get(&(code.to_string(), "en".to_string())))
            .map(String::as_str)
    }

    /// How many places (countries, subdivisions, cities) the gazetteer holds at each level.
    pub fn counts(&self) -> GazetteerCounts {
        let mut counts = GazetteerCounts::default();
        for place in &self.places {
            match place.level {
                Level::Country => counts.countries += 1,
                Level::Subdivision => counts.subdivisions += 1,
                Level::City => counts.cities += 1,
            }
        }
        counts.names = self.patterns.len();
        counts
    }

    /// The code to report for a region: subdivisions of countries not listed under
    /// `report-subdivisions` in extras.tsv are reported as their country.
    fn reported_code<'a>(&self, code: &'a str, country: &'a str) -> &'a str {
        if code != country
            && !self.reported_subdivisions.is_empty()
            && !self.reported_subdivisions.contains(country)
        {
            country
        } else {
            code
        }
    }

    /// The first-level subdivision a second-level code lies in (`"GB-LND"` -> `"GB-ENG"`), for
    /// the districts the gazetteer reports beside a city's first-level subdivision.
    pub fn parent_of(&self, code: &str) -> Option<&str> {
        self.district_parents.get(code).map(|p| &**p)
    }

    /// Whether the gazetteer has a subdivision with this ISO 3166-2 code.
    pub fn has_subdivision(&self, code: &str) -> bool {
        self.places
            .iter()
            .any(|p| p.level == Level::Subdivision && &*p.code == code)
    }
}

/// Sizes of a gazetteer, for start-up logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GazetteerCounts {
    /// Countries (ISO 3166-1).
    pub countries: usize,
    /// Subdivisions (ISO 3166-2).
    pub subdivisions: usize,
    /// Cities.
    pub cities: usize,
    /// Distinct folded names.
    pub names: usize,
}

#[cfg(test)]
mod tests;
