//! Parsing and validation of the gazetteer TSV files (formats in `data/README.md`, section
//! "Gazetteer"). Every problem becomes a [`DataError`] naming the file, the line and a fix; this
//! module builds plain tables and leaves matching to `scan` and `resolve`.

use std::collections::{HashMap, HashSet};

use super::scan::FxBuild;
use crate::data::{DataError, DataFile};

/// A territory where fewer people live than this is not read from its two-letter code: "GS 💛❤️"
/// in a Turkish profile is Galatasaray, not South Georgia (30 people), and nobody posts from
/// Antarctica (AQ) or Heard Island (HM). Its name and flag still count.
const CODE_READ_FROM_POPULATION: u64 = 1_000;

/// The languages whose country names the gazetteer carries.
pub(crate) const LANGS: [&str; 14] = [
    "en", "es", "pt", "fr", "de", "it", "nl", "tr", "id", "ru", "ja", "hi", "ar", "pl",
];

/// The level of a place: what a name points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Country,
    Subdivision,
    City,
}

/// A country, subdivision or city. `code` is the most specific region code known for it (a
/// city's subdivision, or its country when GeoNames gives none).
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub code: Box<str>,
    pub country: Box<str>,
    pub level: Level,
    pub population: u64,
}

/// How a name refers to its place; decides where the name may count (see `resolve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// The standard name, or a translation of it.
    Name,
    /// An alternate spelling or name (GeoNames alternate names, ISO translations).
    Alt,
    /// A people's name: "brasileiro", "Mexican".
    Demonym,
    /// A short code such as "NY", "SP" or "BR": only a whole part of a location field.
    Abbr,
    /// A subdivision code hand-listed as safe in post text too ("aqui no RJ", "outage in
    /// NC"): in capitals right after a preposition; elsewhere like [`NameKind::Abbr`].
    TextAbbr,
    /// A capitalised short form such as "NYC", "USA", "CDMX": location fields, and post text
    /// when written in capitals.
    Acronym,
    /// A nickname from the hand-edited extras ("Sampa", "Bombay").
    Nickname,
    /// A flag emoji (two regional indicator symbols).
    Flag,
    /// A Russian case form made from a city's Cyrillic name ("в Новосибирске", "из
    /// Краснодара", "в Казани"): counts only capitalised and right after a preposition.
    CaseForm,
}

/// One name of one place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameRef {
    pub place: u32,
    pub kind: NameKind,
}

/// Everything read from the gazetteer files, before the matcher is built.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub places: Vec<Place>,
    /// Name key (see [`KeyMaker::key`]) -> the places it names.
    pub names: HashMap<String, Vec<NameRef>, FxBuild>,
    /// (code, lang) -> display name, first one listed wins.
    pub display: HashMap<(String, String), String>,
    /// Folded name -> highest Zipf frequency as an ordinary word.
    pub common: HashMap<String, f32, FxBuild>,
    /// Folded name -> the language of that highest frequency ("madrid" -> "es").
    pub common_lang: HashMap<String, String, FxBuild>,
    /// (language, country) pairs where the language is at home ("es", "ES"): a place name
    /// frequent in its own country's language is mostly frequent because of the place.
    pub home_languages: HashSet<(String, String), FxBuild>,
    /// Folded words that make the next word a place: "in", "em", "aus", "в"...
    pub prepositions: HashSet<String, FxBuild>,
    /// Folded words that may stand between a preposition and a name without taking its force:
    /// "w całym Krakowie", "по всей Казани", "in all of" ("all").
    pub quantifiers: HashSet<String, FxBuild>,
    /// Folded words that make the previous word a place: Hindi "में", Japanese "で"...
    pub postpositions: HashSet<String, FxBuild>,
    /// Folded demonyms that are also language names ("german", "deutsch"): never in post text.
    pub language_names: HashSet<String, FxBuild>,
    /// Folded names that need capitals and a preposition before they count in post text.
    pub needs_context: HashSet<String, FxBuild>,
    /// Folded names that are never a place.
    pub denied: HashSet<String, FxBuild>,
    /// Countries whose subdivision codes are reported (all when empty); elsewhere a match
    /// reports its country only.
    pub reported_subdivisions: HashSet<String, FxBuild>,
    /// City place -> the second-level ISO 3166-2 code of the district it makes up or lies in
    /// (London -> GB-LND, Antwerpen -> BE-VAN), from `district` rows.
    pub districts: HashMap<u32, Box<str>, FxBuild>,
    /// Second-level code -> the first-level code it lies in (GB-LND -> GB-ENG).
    pub district_parents: HashMap<Box<str>, Box<str>, FxBuild>,
    /// Second-level code -> the first city listed in it, so that a later nickname row may
    /// target the district ("Antwerpen" -> BE-VAN names the city of Antwerp).
    pub district_cities: HashMap<Box<str>, u32, FxBuild>,
    /// Scratch space for making keys while loading.
    keys: KeyMaker,
}

/// Makes name keys in reused buffers (the loader makes about 100,000 of them): the key a name
/// is matched under is its fold, tokens joined by single spaces.
#[derive(Debug, Default)]
struct KeyMaker {
    folded: String,
    tokens: Vec<std::ops::Range<usize>>,
    key: String,
}

impl KeyMaker {
    /// The key of `name`, valid until the next call.
    fn key(&mut self, name: &str) -> &str {
        self.folded.clear();
        crate::text::fold_into(name, &mut self.folded);
        super::scan::name_key_into(&self.folded, &mut self.tokens, &mut self.key);
        &self.key
    }
}

/// The file names (last path component) the gazetteer reads.
pub(crate) const COUNTRIES: &str = "countries.tsv";
pub(crate) const SUBDIVISIONS: &str = "subdivisions.tsv";
pub(crate) const CITIES: &str = "cities.tsv";
pub(crate) const COMMON_WORDS: &str = "common_words.tsv";
pub(crate) const EXTRAS: &str = "extras.tsv";

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Builds the tables from the files whose base names the gazetteer knows; other files are
/// ignored, so a caller may pass every data file it has.
pub(crate) fn load(files: &[DataFile<'_>]) -> Result<Tables, DataError> {
    let find = |wanted: &str| files.iter().find(|f| base_name(f.name) == wanted);
    let missing = |wanted: &str| DataError {
        file: format!("data/gazetteer/{wanted}"),
        line: 0,
        message: format!("the gazetteer file {wanted} was not given"),
        fix:
            "pass every file of data/gazetteer/ (regenerate them with scripts/gazetteer/extract.py)"
                .to_string(),
    };
    let mut tables = Tables {
        names: HashMap::with_capacity_and_hasher(1 << 17, FxBuild::default()),
        ..Tables::default()
    };
    let mut codes: HashMap<String, u32, FxBuild> = HashMap::default();
    load_countries(
        find(COUNTRIES).ok_or_else(|| missing(COUNTRIES))?,
        &mut tables,
        &mut codes,
    )?;
    load_subdivisions(
        find(SUBDIVISIONS).ok_or_else(|| missing(SUBDIVISIONS))?,
        &mut tables,
        &mut codes,
    )?;
    load_cities(
        find(CITIES).ok_or_else(|| missing(CITIES))?,
        &mut tables,
        &codes,
    )?;
    if let Some(file) = find(COMMON_WORDS) {
        load_common_words(file, &mut tables)?;
    }
    if let Some(file) = find(EXTRAS) {
        load_extras(file, &mut tables, &codes)?;
    }
    for denied in &tables.denied {
        tables.names.remove(denied);
    }
    Ok(tables)
}

/// The data rows of a TSV file: (1-based line number, columns), skipping `#` comments, blank
/// lines and the header line, and checking the column count.
fn rows<'a>(
    file: &'a DataFile<'a>,
    header: &'static [&'static str],
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>), DataError>> + 'a {
    let mut header_seen = false;
    file.text.lines().enumerate().filter_map(move |(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if !header_seen {
            header_seen = true;
            if cols == header {
                return None;
            }
        }
        if cols.len() != header.len() {
            return Some(Err(DataError::at_line(
                file,
                i + 1,
                format!(
                    "expected {} tab-separated columns, found {}",
                    header.len(),
                    cols.len()
                ),
                format!(
                    "write the columns {} separated by single tabs",
                    header.join(", ")
                ),
            )));
        }
        Some(Ok((i + 1, cols)))
    })
}

fn parse_population(file: &DataFile<'_>, line: usize, text: &str) -> Result<u64, DataError> {
    text.parse().map_err(|_| {
        DataError::at_line(
            file,
            line,
            format!("bad population {text:?}"),
            "write the population as a whole number without separators, such as 15146",
        )
    })
}

fn nonempty<'a>(file: &DataFile<'_>, line: usize, name: &'a str) -> Result<&'a str, DataError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DataError::at_line(
            file,
            line,
            "empty name",
            "write the place name, or delete the line",
        ));
    }
    Ok(name)
}

/// A name written as an uppercase code ("USA", "U.S.", "США", "A.B.D.") is treated as an
/// acronym whatever column it came from, so that "us" or "abd" in running text never counts.
fn looks_like_acronym(name: &str) -> bool {
    // The cheap tests first: almost every name has a lowercase letter.
    name.chars()
        .all(|c| c.is_uppercase() || c == '.' || c == ' ')
        && !name.contains("  ")
        && (1..=5).contains(&name.chars().filter(|c| c.is_alphabetic()).count())
}

fn add_name(tables: &mut Tables, name: &str, place: u32, kind: NameKind) {
    let kind = match kind {
        NameKind::Name | NameKind::Alt | NameKind::Nickname if looks_like_acronym(name) => {
            NameKind::Acronym
        }
        other => other,
    };
    let key = tables.keys.key(name);
    if key.is_empty() {
        return;
    }
    let new = NameRef { place, kind };
    match tables.names.get_mut(key) {
        Some(refs) => {
            if !refs.iter().any(|r| r.place == place && r.kind == kind) {
                refs.push(new);
            }
        }
        None => {
            tables.names.insert(key.to_string(), vec![new]);
        }
    }
}

fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The two regional indicator symbols that draw the flag of `code`.
fn flag_of(code: &str) -> String {
    code.chars()
        .filter_map(|c| char::from_u32(0x1F1E6 + (c as u32 - 'A' as u32)))
        .collect()
}

fn load_countries(
    file: &DataFile<'_>,
    tables: &mut Tables,
    codes: &mut HashMap<String, u32, FxBuild>,
) -> Result<(), DataError> {
    for row in rows(file, &["code", "population", "kind", "lang", "name"]) {
        let (line, cols) = row?;
        let code = cols[0].trim();
        if !is_country_code(code) {
            return Err(DataError::at_line(
                file,
                line,
                format!("bad country code {code:?}"),
                "use the ISO 3166-1 alpha-2 code in capitals, such as BR",
            ));
        }
        let population = parse_population(file, line, cols[1])?;
        let lang = cols[3].trim();
        if !LANGS.contains(&lang) {
            return Err(DataError::at_line(
                file,
                line,
                format!("unknown language {lang:?}"),
                format!("use one of {}", LANGS.join(", ")),
            ));
        }
        let name = nonempty(file, line, cols[4])?;
        let place = match codes.get(code) {
            Some(&p) => p,
            None => {
                let p = tables.places.len() as u32;
                tables.places.push(Place {
                    code: code.into(),
                    country: code.into(),
                    level: Level::Country,
                    population,
                });
                codes.insert(code.to_string(), p);
                add_name(tables, &flag_of(code), p, NameKind::Flag);
                if population >= CODE_READ_FROM_POPULATION {
                    add_name(tables, code, p, NameKind::Abbr);
                }
                p
            }
        };
        let kind = match cols[2].trim() {
            "name" => NameKind::Name,
            "demonym" => NameKind::Demonym,
            other => {
                return Err(DataError::at_line(
                    file,
                    line,
                    format!("unknown kind {other:?}"),
                    "use name or demonym",
                ));
            }
        };
        if kind == NameKind::Name {
            tables
                .display
                .entry((code.to_string(), lang.to_string()))
                .or_insert_with(|| name.to_string());
        }
        add_name(tables, name, place, kind);
    }
    Ok(())
}

fn unknown_country(file: &DataFile<'_>, line: usize, code: &str) -> DataError {
    DataError::at_line(
        file,
        line,
        format!("unknown country code {code:?}"),
        "use an ISO 3166-1 alpha-2 code listed in countries.tsv",
    )
}

fn load_subdivisions(
    file: &DataFile<'_>,
    tables: &mut Tables,
    codes: &mut HashMap<String, u32, FxBuild>,
) -> Result<(), DataError> {
    for row in rows(file, &["code", "country", "population", "kind", "name"]) {
        let (line, cols) = row?;
        let (code, country) = (cols[0].trim(), cols[1].trim());
        if !codes.contains_key(country) || !is_country_code(country) {
            return Err(unknown_country(file, line, country));
        }
        let suffix_ok = code
            .strip_prefix(country)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|s| {
                (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !suffix_ok {
            return Err(DataError::at_line(
                file,
                line,
                format!("bad subdivision code {code:?} for country {country}"),
                format!("use the ISO 3166-2 code, {country}- followed by 1 to 3 letters or digits"),
            ));
        }
        let population = parse_population(file, line, cols[2])?;
        let name = nonempty(file, line, cols[4])?;
        let place = match codes.get(code) {
            Some(&p) => p,
            None => {
                let p = tables.places.len() as u32;
                tables.places.push(Place {
                    code: code.into(),
                    country: country.into(),
                    level: Level::Subdivision,
                    population,
                });
                codes.insert(code.to_string(), p);
                p
            }
        };
        let kind = match cols[3].trim() {
            "name" => NameKind::Name,
            "alt" => NameKind::Alt,
            "abbr" => NameKind::Abbr,
            other => {
                return Err(DataError::at_line(
                    file,
                    line,
                    format!("unknown kind {other:?}"),
                    "use name, alt or abbr",
                ));
            }
        };
        if kind == NameKind::Name {
            tables
                .display
                .entry((code.to_string(), String::new()))
                .or_insert_with(|| name.to_string());
        }
        add_name(tables, name, place, kind);
        // "в Татарстане", "из Башкирии": Russian regions decline like city names.
        if country == "RU" && kind != NameKind::Abbr {
            for form in russian_case_forms(name) {
                add_name(tables, &form, place, NameKind::CaseForm);
            }
        }
    }
    Ok(())
}

fn load_cities(
    file: &DataFile<'_>,
    tables: &mut Tables,
    codes: &HashMap<String, u32, FxBuild>,
) -> Result<(), DataError> {
    const HEADER: [&str; 6] = [
        "geonameid",
        "country",
        "subdivision",
        "population",
        "name",
        "alternate_names",
    ];
    for row in rows(file, &HEADER) {
        let (line, cols) = row?;
        if cols[0].trim().parse::<u64>().is_err() {
            return Err(DataError::at_line(
                file,
                line,
                format!("bad geonameid {:?}", cols[0]),
                "write the GeoNames id as a whole number",
            ));
        }
        let (country, subdivision) = (cols[1].trim(), cols[2].trim());
        if !is_country_code(country) || !codes.contains_key(country) {
            return Err(unknown_country(file, line, country));
        }
        if !subdivision.is_empty()
            && (!codes.contains_key(subdivision) || !subdivision.starts_with(country))
        {
            return Err(DataError::at_line(
                file,
                line,
                format!("unknown subdivision {subdivision:?} for country {country}"),
                "use a code listed in subdivisions.tsv for that country, or leave the column empty",
            ));
        }
        let population = parse_population(file, line, cols[3])?;
        let name = nonempty(file, line, cols[4])?;
        let code = if subdivision.is_empty() {
            country
        } else {
            subdivision
        };
        let place = tables.places.len() as u32;
        tables.places.push(Place {
            code: code.into(),
            country: country.into(),
            level: Level::City,
            population,
        });
        add_name(tables, name, place, NameKind::Name);
        for alt in cols[5].split('|').map(str::trim).filter(|a| !a.is_empty()) {
            add_name(tables, alt, place, NameKind::Alt);
            if population >= CASE_FORM_MIN_POPULATION {
                for form in russian_case_forms(alt) {
                    add_name(tables, &form, place, NameKind::CaseForm);
                }
            }
        }
    }
    Ok(())
}

/// Cities from this population on also get their Russian case forms.
const CASE_FORM_MIN_POPULATION: u64 = 50_000;

/// The oblique case forms Russian gives a one-word Cyrillic city name after "в", "во" and
/// "из" (locative, genitive, dative, instrumental): "Новосибирск" -> "Новосибирске",
/// "Новосибирска"...; "Уфа" -> "Уфе", "Уфы"; "Казань" -> "Казани"; "Химки" -> "Химках".
/// GeoNames lists only the nominative, and nobody writes "в Новосибирск" about where they are.
/// Names that do not decline this way (ending in -о, -и of one word like "Сочи", adjectives
/// in -ый/-ий, hyphenated and multi-word names) get none; a form that is not a real word
/// costs nothing, since it never occurs.
pub(crate) fn russian_case_forms(name: &str) -> Vec<String> {
    let is_cyrillic_word = name.chars().count() >= 3
        && name
            .chars()
            .all(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
        && name.chars().next().is_some_and(char::is_uppercase);
    if !is_cyrillic_word {
        return Vec::new();
    }
    let Some(last) = name.chars().last() else {
        return Vec::new();
    };
    let stem = &name[..name.len() - last.len_utf8()];
    let before_last = stem.chars().last().unwrap_or(' ');
    // After these consonants Russian spells "и" for "ы" and "е" for unstressed "о".
    let hushing_or_velar = matches!(before_last, 'г' | 'к' | 'х' | 'ж' | 'ш' | 'ч' | 'щ');
    let endings: &[&str] = match last {
        'а' if hushing_or_velar => &["е", "и", "у", "ой"],
        'а' => &["е", "ы", "у", "ой"],
        'я' => &["е", "и", "ю", "ей"],
        'ь' => &["и", "е", "я", "ю", "ью", "ем"],
        'ы' | 'и' if name.chars().count() >= 5 && !matches!(before_last, 'т') => {
            &["ах", "ам", "ами"]
        }
        'б' | 'в' | 'г' | 'д' | 'з' | 'к' | 'л' | 'м' | 'н' | 'п' | 'р' | 'с' | 'т' | 'ф' | 'х' =>
        {
            return ["е", "а", "у", "ом"]
                .iter()
                .map(|e| format!("{name}{e}"))
                .collect();
        }
        'ж' | 'ш' | 'ч' | 'щ' | 'ц' => {
            return ["е", "а", "у", "ем"]
                .iter()
                .map(|e| format!("{name}{e}"))
                .collect();
        }
        _ => return Vec::new(),
    };
    endings.iter().map(|e| format!("{stem}{e}")).collect()
}

fn load_common_words(file: &DataFile<'_>, tables: &mut Tables) -> Result<(), DataError> {
    for row in rows(file, &["name", "zipf", "lang"]) {
        let (line, cols) = row?;
        let name = nonempty(file, line, cols[0])?;
        let zipf: f32 = cols[1]
            .trim()
            .parse()
            .ok()
            .filter(|z: &f32| z.is_finite())
            .ok_or_else(|| {
                DataError::at_line(
                    file,
                    line,
                    format!("bad Zipf frequency {:?}", cols[1]),
                    "write a decimal number such as 4.25",
                )
            })?;
        let key = tables.keys.key(name).to_string();
        tables
            .common_lang
            .insert(key.clone(), cols[2].trim().to_string());
        tables.common.insert(key, zipf);
    }
    Ok(())
}

/// A `district` row: the biggest city of the target's country named `name` lies in the
/// second-level subdivision `target` ("London" -> GB-LND), which lies in the city's own
/// first-level subdivision.
fn add_district(
    file: &DataFile<'_>,
    line: usize,
    tables: &mut Tables,
    name: &str,
    target: &str,
    codes: &HashMap<String, u32, FxBuild>,
) -> Result<(), DataError> {
    let country = target.split('-').next().unwrap_or_default();
    let well_formed = target.len() > 3
        && target.as_bytes().get(2) == Some(&b'-')
        && codes.contains_key(country)
        && target[3..].bytes().all(|b| b.is_ascii_alphanumeric());
    if !well_formed {
        return Err(DataError::at_line(
            file,
            line,
            format!("bad district code {target:?}"),
            "write a second-level ISO 3166-2 code of a listed country, such as GB-LND",
        ));
    }
    if codes.contains_key(target) {
        return Err(DataError::at_line(
            file,
            line,
            format!("{target:?} is already a first-level subdivision"),
            "list only second-level codes here (districts, provinces, boroughs)",
        ));
    }
    let key = tables.keys.key(name).to_string();
    let city = tables
        .names
        .get(&key)
        .into_iter()
        .flatten()
        .filter(|r| r.kind == NameKind::Name)
        .map(|r| r.place)
        .filter(|&p| {
            let place = &tables.places[p as usize];
            place.level == Level::City && &*place.country == country
        })
        .max_by_key(|&p| tables.places[p as usize].population)
        .ok_or_else(|| {
            DataError::at_line(
                file,
                line,
                format!("no city named {name:?} in {country} in cities.tsv"),
                "write the city's name as cities.tsv spells it (its standard name)",
            )
        })?;
    let parent = tables.places[city as usize].code.clone();
    if let Some(known) = tables.district_parents.get(target)
        && *known != parent
    {
        return Err(DataError::at_line(
            file,
            line,
            format!("{target:?} lies in {known} by an earlier row, and {name:?} in {parent}"),
            "give a district only cities of one first-level subdivision",
        ));
    }
    tables.districts.insert(city, target.into());
    tables.district_parents.insert(target.into(), parent);
    tables.district_cities.entry(target.into()).or_insert(city);
    tables
        .display
        .entry((target.to_string(), String::new()))
        .or_insert_with(|| name.trim().to_string());
    Ok(())
}

fn load_extras(
    file: &DataFile<'_>,
    tables: &mut Tables,
    codes: &HashMap<String, u32, FxBuild>,
) -> Result<(), DataError> {
    for row in rows(file, &["kind", "name", "target", "note"]) {
        let (line, cols) = row?;
        let (kind, name, target) = (
            cols[0].trim(),
            nonempty(file, line, cols[1])?,
            cols[2].trim(),
        );
        let district_city = tables.district_cities.get(target).copied();
        let place_of = |want_country: bool| -> Result<u32, DataError> {
            codes
                .get(target)
                .copied()
                .or(district_city.filter(|_| !want_country))
                .filter(|_| !want_country || is_country_code(target))
                .ok_or_else(|| {
                    DataError::at_line(
                        file,
                        line,
                        format!("unknown target {target:?}"),
                        if want_country {
                            "use a country code listed in countries.tsv, such as BR"
                        } else {
                            "use a country or subdivision code listed in countries.tsv or subdivisions.tsv (or a district of an earlier district row), such as US-NY"
                        },
                    )
                })
        };
        let folded = tables.keys.key(name).to_string();
        match kind {
            "nickname" => {
                let place = place_of(false)?;
                add_name(tables, name, place, NameKind::Nickname);
            }
            "acronym" => {
                let place = place_of(false)?;
                add_name(tables, name, place, NameKind::Acronym);
            }
            "text-abbreviation" => {
                let place = place_of(false)?;
                if !target.contains('-') {
                    return Err(DataError::at_line(
                        file,
                        line,
                        format!("{target:?} is not a subdivision"),
                        "list only subdivision codes such as US-NC: country codes are too often words (IT, HR)",
                    ));
                }
                add_name(tables, name, place, NameKind::TextAbbr);
            }
            "demonym" => {
                let place = place_of(true)?;
                add_name(tables, name, place, NameKind::Demonym);
            }
            "language" => {
                tables.language_names.insert(folded);
            }
            "preposition" => {
                tables.prepositions.insert(folded);
            }
            "quantifier" => {
                tables.quantifiers.insert(folded);
            }
            "district" => add_district(file, line, tables, name, target, codes)?,
            "postposition" => {
                // A case ending written after an apostrophe ("'den") keeps it: the key of the
                // bare ending ("den") would make every word after a name a postposition.
                match name.strip_prefix(['\'', '’']) {
                    Some(ending) => {
                        let ending = tables.keys.key(ending).to_string();
                        tables.postpositions.insert(format!("'{ending}"));
                    }
                    None => {
                        tables.postpositions.insert(folded);
                    }
                }
            }
            "needs-context" => {
                tables.needs_context.insert(folded);
            }
            "deny" => {
                tables.denied.insert(folded);
            }
            "display" => {
                place_of(false)?;
                tables.display.insert(
                    (target.to_string(), "en".to_string()),
                    name.trim().to_string(),
                );
            }
            "home-language" => {
                place_of(true)?;
                let lang = name.trim();
                if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                    return Err(DataError::at_line(
                        file,
                        line,
                        format!("bad language code {lang:?}"),
                        "write an ISO 639-1 code in lower case, such as es",
                    ));
                }
                tables
                    .home_languages
                    .insert((lang.to_string(), target.to_string()));
            }
            "report-subdivisions" => {
                place_of(true)?;
                tables.reported_subdivisions.insert(target.to_string());
            }
            other => {
                return Err(DataError::at_line(
                    file,
                    line,
                    format!("unknown kind {other:?}"),
                    "use nickname, acronym, text-abbreviation, demonym, language, preposition, quantifier, postposition, needs-context, deny, display, home-language, district or report-subdivisions",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNTRIES_OK: &str = "code\tpopulation\tkind\tlang\tname\nUS\t300\tname\ten\tUnited States\nUS\t300\tname\ten\tUSA\n";
    const SUBS_OK: &str = "code\tcountry\tpopulation\tkind\tname\nUS-NY\tUS\t20\tname\tNew York\nUS-NY\tUS\t20\tabbr\tNY\n";
    const CITIES_OK: &str = "geonameid\tcountry\tsubdivision\tpopulation\tname\talternate_names\n1\tUS\tUS-NY\t15146\tDepew\t\n";

    fn load_with(
        countries: &str,
        subs: &str,
        cities: &str,
        extras: &str,
    ) -> Result<Tables, DataError> {
        load(&[
            DataFile {
                name: "data/gazetteer/countries.tsv",
                text: countries,
            },
            DataFile {
                name: "data/gazetteer/subdivisions.tsv",
                text: subs,
            },
            DataFile {
                name: "data/gazetteer/cities.tsv",
                text: cities,
            },
            DataFile {
                name: "data/gazetteer/extras.tsv",
                text: extras,
            },
        ])
    }

    #[test]
    fn loads_small_files_and_reclassifies_codes_as_acronyms() {
        let t = load_with(COUNTRIES_OK, SUBS_OK, CITIES_OK, "").unwrap();
        assert_eq!(t.places.len(), 3);
        assert_eq!(t.names["usa"][0].kind, NameKind::Acronym);
        assert_eq!(t.names["depew"][0].kind, NameKind::Name);
        assert_eq!(t.names["🇺🇸"][0].kind, NameKind::Flag);
    }

    #[test]
    fn wrong_column_count_names_line() {
        let bad = format!("{CITIES_OK}2\tUS\tUS-NY\t100\n");
        let err = load_with(COUNTRIES_OK, SUBS_OK, &bad, "").unwrap_err();
        assert_eq!(
            (err.file.as_str(), err.line),
            ("data/gazetteer/cities.tsv", 3)
        );
        assert!(
            err.message.contains("6 tab-separated columns, found 4"),
            "{err}"
        );
    }

    #[test]
    fn unknown_country_in_subdivision_is_rejected() {
        let bad = format!("{SUBS_OK}XX-AB\tXX\t5\tname\tNowhere\n");
        let err = load_with(COUNTRIES_OK, &bad, CITIES_OK, "").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("unknown country code \"XX\""), "{err}");
    }

    #[test]
    fn bad_population_is_rejected() {
        let bad = CITIES_OK.replace("15146", "15,146");
        let err = load_with(COUNTRIES_OK, SUBS_OK, &bad, "").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("bad population"), "{err}");
        assert!(err.to_string().contains("fix:"));
    }

    #[test]
    fn city_in_unknown_subdivision_is_rejected() {
        let bad = CITIES_OK.replace("US-NY", "US-ZZ");
        let err = load_with(COUNTRIES_OK, SUBS_OK, &bad, "").unwrap_err();
        assert!(err.message.contains("unknown subdivision"), "{err}");
    }

    #[test]
    fn extras_with_unknown_target_or_kind_are_rejected() {
        let header = "kind\tname\ttarget\tnote\n";
        let err = load_with(
            COUNTRIES_OK,
            SUBS_OK,
            CITIES_OK,
            &format!("{header}nickname\tNYC\tUS-XX\t\n"),
        )
        .unwrap_err();
        assert_eq!(
            (err.file.as_str(), err.line),
            ("data/gazetteer/extras.tsv", 2)
        );
        let err = load_with(
            COUNTRIES_OK,
            SUBS_OK,
            CITIES_OK,
            &format!("{header}nick\tNYC\tUS-NY\t\n"),
        )
        .unwrap_err();
        assert!(err.message.contains("unknown kind"), "{err}");
        for (row, wrong) in [
            ("home-language\tEspañol\tUS\t\n", "bad language code"),
            ("home-language\ten\tUS-NY\t\n", "unknown target"),
        ] {
            let err =
                load_with(COUNTRIES_OK, SUBS_OK, CITIES_OK, &format!("{header}{row}")).unwrap_err();
            assert!(err.message.contains(wrong), "{err}");
            assert_eq!(err.line, 2);
        }
        let tables = load_with(
            COUNTRIES_OK,
            SUBS_OK,
            CITIES_OK,
            &format!("{header}home-language\ten\tUS\t\ndisplay\tthe States\tUS\t\n"),
        )
        .unwrap();
        assert_eq!(
            tables.display[&("US".to_string(), "en".to_string())],
            "the States"
        );
        assert!(
            tables
                .home_languages
                .contains(&("en".to_string(), "US".to_string()))
        );
    }

    #[test]
    fn missing_file_is_reported() {
        let err = load(&[DataFile {
            name: "data/gazetteer/countries.tsv",
            text: COUNTRIES_OK,
        }])
        .unwrap_err();
        assert!(err.message.contains("subdivisions.tsv"), "{err}");
    }
}
