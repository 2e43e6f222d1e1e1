//! The platform catalog: every online service outcry knows, from `data/platforms.toml`, with
//! the names people call it by, and the rules that keep ordinary words ("signal", "steam", "x",
//! German "über") from counting as a platform without context.
//!
//! This module owns the catalog format (documented in `data/README.md`, "## Platform catalog")
//! and its validation; it finds platform mentions in a tokenized post but does not decide
//! complaints (that is `crate::classify`).

use crate::data::{DataError, DataFile};
use crate::lexicon::phrase_index::PhraseIndex;
use crate::lexicon::tokens::{Token, TokenKind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What follows a brand's name in the handles of its official accounts: a service word or
/// the code of the country the account serves ("@vodafoneservice", "@ClaroMX"). Folded.
const HANDLE_SUFFIXES: &[&str] = &[
    "service",
    "support",
    "help",
    "helps",
    "care",
    "cares",
    "team",
    "status",
    "official",
    "app",
    "oficial",
    "ayuda",
    "ajuda",
    "atende",
    "hilft",
    "aide",
    "assistenza",
    "destek",
    "yardim",
    "mx",
    "br",
    "ar",
    "co",
    "cl",
    "pe",
    "es",
    "uk",
    "us",
    "ca",
    "de",
    "at",
    "ch",
    "fr",
    "be",
    "it",
    "nl",
    "pt",
    "pl",
    "tr",
    "in",
    "id",
    "jp",
    "ru",
    "eg",
    "sa",
    "ae",
    "ng",
    "za",
    "au",
    // the country's name, as brands spell their local accounts ("@ClaroPeru", "@PayPal_France",
    // "@YouTubeItalia")
    "peru",
    "mexico",
    "argentina",
    "colombia",
    "chile",
    "brasil",
    "espana",
    "france",
    "italia",
    "deutschland",
    "polska",
    "turkiye",
    "india",
    "indonesia",
    "japan",
    "nederland",
    "egypt",
    "ksa",
    "uae",
    "latam",
];
/// See [`Catalog::handle_platform`].
const HANDLE_BRAND_MIN_LETTERS: usize = 4;

/// Letters a platform name glued at the END of a hashtag must have ("#caidawhatsapp",
/// "#awariambank"): short names end too many ordinary tags ("#cooking" is no ING, "#ciao" no
/// Oi).
const HASHTAG_TRAILING_NAME_MIN_LETTERS: usize = 5;

/// The categories a platform may have.
pub const CATEGORIES: [&str; 17] = [
    "messaging",
    "social",
    "video",
    "music",
    "gaming",
    "email",
    "search",
    "cloud",
    "productivity",
    "developer",
    "payments",
    "transport",
    "telecom",
    "ai",
    "shopping",
    "smart-home",
    "government",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    platform: Vec<PlatformEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlatformEntry {
    id: String,
    name: String,
    #[serde(default)]
    provider: Option<String>,
    category: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    handles: Vec<String>,
    #[serde(default)]
    hashtags: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<AmbiguityEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AmbiguityEntry {
    alias: String,
    context: Vec<String>,
    why: String,
    #[serde(default)]
    only_in: Vec<String>,
    #[serde(default)]
    except_in: Vec<String>,
    #[serde(default)]
    named_only_in: Vec<String>,
    #[serde(default)]
    spellings: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default = "default_true")]
    complaint_confirms: bool,
}

fn default_true() -> bool {
    true
}

/// A name that is also an ordinary word, and what makes it the service.
#[derive(Debug, Clone, Serialize)]
pub struct Ambiguity {
    /// The alias, folded.
    pub alias: String,
    /// Words or phrases (folded) any of which, anywhere in the post, make the service clear.
    pub context: Vec<String>,
    /// Why the alias alone is not enough, for explanations.
    pub why: String,
    /// When not empty: the alias is ambiguous only in posts in these languages.
    pub only_in: Vec<String>,
    /// The alias needs no context in posts in these languages.
    pub except_in: Vec<String>,
    /// When not empty: the alias names the service only in posts in these languages and is no
    /// name at all elsewhere (Polish "play" is the operator Play with context; in every other
    /// language it is the English verb).
    pub named_only_in: Vec<String>,
    /// Lowercase spellings that make the alias ambiguous whatever the language ("über").
    pub spellings: Vec<String>,
    /// Folded phrases containing the alias that make it the ordinary word, even with context
    /// ("prime time", "blinking orange").
    pub exclude: Vec<String>,
    /// Whether a complaint or recovery phrase right next to the alias makes it the service
    /// ("ig gak bisa dibuka"); false where the ordinary sense breaks down too ("no signal").
    pub complaint_confirms: bool,
}

/// One online service.
#[derive(Debug, Clone, Serialize)]
pub struct Platform {
    /// The slug (`whatsapp`, `google-search`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Who runs it (`meta`, `google`...), if it belongs to a larger provider.
    pub provider: Option<String>,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// Folded names people use (`zap`, `insta`).
    pub aliases: Vec<String>,
    /// Folded @handles, without `@`.
    pub handles: Vec<String>,
    /// Folded hashtags, without `#`.
    pub hashtags: Vec<String>,
    /// Host names (`whatsapp.com`); subdomains count too.
    pub domains: Vec<String>,
    /// Aliases that count only with context.
    pub ambiguous: Vec<Ambiguity>,
}

/// How a platform was named in a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A name or nickname in the text.
    Alias,
    /// An @handle.
    Handle,
    /// A #hashtag (maybe with a suffix such as `down`).
    Hashtag,
    /// A domain or URL.
    Domain,
}

/// A platform named in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index into [`Catalog::platforms`].
    pub platform: u16,
    /// How it was named.
    pub kind: MentionKind,
    /// The token it covers (first, last inclusive).
    pub first: u32,
    /// Last token covered.
    pub last: u32,
    /// The alias, handle, hashtag prefix or domain that matched (folded).
    pub matched: String,
    /// For hashtags: what followed the platform's name (`down` in `#whatsappdown`).
    pub hashtag_rest: String,
    /// For a name with letters glued to it ("instagramie", "والواتساب"): what was glued.
    pub affix: Option<Box<AffixMatch>>,
}

/// The letters a language glued to a platform name in one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffixMatch {
    /// The word as written (folded): "والواتساب".
    pub word: String,
    /// The prefixes taken off, in order ("و", "ال"); empty when none.
    pub prefixes: Vec<String>,
    /// The ending taken off ("ie" of "instagramie"), if any.
    pub suffix: Option<String>,
    /// The name's own ending the inflection replaced ("а" of "инста" in "инсты"), if any.
    pub restored: Option<String>,
    /// The first prefix means "and" (Arabic "و"): the name is joined to the one before it.
    pub joins_previous: bool,
    /// The ending follows an apostrophe ("X'te", "Discord'a"): a language that writes one
    /// there (Turkish) does so only after a proper name, so the word is the name.
    pub apostrophe: bool,
    /// The lexicon file whose `[platform_names]` rules allowed it.
    pub file: String,
}

impl AffixMatch {
    /// How the word splits, for explanations: "و + ال + واتساب", "instagram + ie".
    pub fn describe(&self, alias: &str) -> String {
        let mut parts: Vec<String> = self.prefixes.clone();
        match &self.restored {
            Some(end) => parts.push(format!(
                "{}({end})",
                alias.strip_suffix(end.as_str()).unwrap_or(alias)
            )),
            None => parts.push(alias.to_string()),
        }
        let apostrophe = if self.apostrophe { "'" } else { "" };
        parts.extend(self.suffix.iter().map(|x| format!("{apostrophe}{x}")));
        parts.join(" + ")
    }
}

/// The letters a language glues onto names, from the `[platform_names]` section of its lexicon
/// (`crate::lexicon`): case endings ("instagramie" in Polish, "вотсапе" in Russian,
/// "instagramda" in Turkish) and prefixed particles ("والواتساب" in Arabic). A word made of a
/// platform name and these pieces names the platform; nothing else is guessed.
#[derive(Debug, Clone, Default)]
pub struct NameAffixes {
    /// The lexicon file the rules come from (for explanations).
    pub file: String,
    /// Folded endings, longest first.
    pub suffixes: Vec<String>,
    /// Folded prefixes, longest first.
    pub prefixes: Vec<String>,
    /// Prefixes that mean "and" (a subset of `prefixes`).
    pub conjunction_prefixes: Vec<String>,
    /// How many prefixes may be stacked ("و" + "ب" + "ال").
    pub max_prefixes: u8,
    /// Final letters of a name that an ending replaces ("инста" -> "инсты"), folded.
    pub replaced_endings: Vec<String>,
    /// Names shorter than this many letters never take affixes ("x", "ig", "tg").
    pub min_name_letters: usize,
}

impl NameAffixes {
    /// Whether the rules can match anything.
    pub fn is_empty(&self) -> bool {
        self.suffixes.is_empty() && self.prefixes.is_empty()
    }
}

/// Whether `c` is a katakana letter (or the long-vowel mark), full or half width.
fn is_katakana(c: char) -> bool {
    // Not the middle dot ・ (U+30FB), which separates names in a list ("LINE・インスタ").
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// A context (or exclude) phrase of an ambiguous alias found in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextMatch {
    /// The platform whose ambiguity it settles.
    pub platform: u16,
    /// First token covered.
    pub first: u32,
    /// Last token covered.
    pub last: u32,
    /// The phrase (folded).
    pub phrase: String,
    /// True for an `exclude` phrase: the alias is then the ordinary word.
    pub excludes: bool,
}

/// The catalog of platforms with its compiled matchers.
pub struct Catalog {
    platforms: Vec<Platform>,
    by_id: FxHashMap<String, u16>,
    alias_automaton: AhoCorasick,
    /// The aliases looked up token run by token run: the automaton's matches for fewer
    /// instructions (`None` only if an alias were not whole tokens).
    alias_index: Option<PhraseIndex>,
    /// Pattern id -> (platform, alias).
    alias_patterns: Vec<(u16, String)>,
    /// Folded one-word aliases -> platform, for names with affixes.
    single_aliases: FxHashMap<String, u16>,
    /// The first two letters of every one-word alias: a cheap test before affix lookups.
    alias_heads: rustc_hash::FxHashSet<String>,
    handles: FxHashMap<String, u16>,
    hashtags: FxHashMap<String, u16>,
    domains: FxHashMap<String, u16>,
    context_automaton: AhoCorasick,
    /// Pattern id -> (platform, context phrase).
    context_patterns: Vec<(u16, String, bool)>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("platforms", &self.platforms.len())
            .finish()
    }
}

fn token_pattern(text: &str) -> Option<String> {
    let folded = crate::text::fold(text);
    let tokens = crate::lexicon::tokens::tokenize(&folded);
    if tokens.is_empty() {
        return None;
    }
    let mut s = String::from(" ");
    for t in &tokens {
        s.push_str(t.text(&folded));
        s.push(' ');
    }
    Some(s)
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl Catalog {
    /// The catalog bundled with outcry (`data/platforms.toml`).
    pub const BUNDLED: DataFile<'static> = DataFile {
        name: "data/platforms.toml",
        text: include_str!("../../data/platforms.toml"),
    };

    /// Loads and validates a catalog file.
    pub fn from_file(file: &DataFile<'_>) -> Result<Catalog, DataError> {
        let raw: CatalogFile =
            toml::from_str(file.text).map_err(|e| DataError::from_toml(file, &e))?;
        let mut platforms = Vec::with_capacity(raw.platform.len());
        let mut by_id: HashMap<String, u16> = HashMap::new();
        // Where each entry starts, so errors point into the right [[platform]] block.
        let entry_offsets: Vec<usize> = file
            .text
            .match_indices("[[platform]]")
            .map(|(o, _)| o)
            .collect();
        let err_in = |index: usize, needle: &str, message: String, fix: &str| -> DataError {
            let start = entry_offsets.get(index).copied().unwrap_or(0);
            let end = entry_offsets
                .get(index + 1)
                .copied()
                .unwrap_or(file.text.len());
            let offset = file.text[start..end]
                .find(needle)
                .map(|o| start + o)
                .unwrap_or(start);
            DataError::at_offset(file, offset, message, fix)
        };
        let mut alias_owner: HashMap<String, u16> = HashMap::new();
        let mut alias_patterns = Vec::new();
        let mut alias_strings = Vec::new();
        let mut handles = HashMap::new();
        let mut hashtags = HashMap::new();
        let mut domains = HashMap::new();
        let mut context_patterns = Vec::new();
        let mut context_strings = Vec::new();
        for (index, entry) in raw.platform.into_iter().enumerate() {
            let n = u16::try_from(index).map_err(|_| {
                err_in(
                    index,
                    "id",
                    "too many platforms".into(),
                    "split the catalog",
                )
            })?;
            if !is_slug(&entry.id) {
                return Err(err_in(
                    index,
                    "id",
                    format!("platform id {:?} is not a slug", entry.id),
                    "use lowercase letters, digits and dashes, such as \"google-drive\"",
                ));
            }
            if by_id.insert(entry.id.clone(), n).is_some() {
                return Err(err_in(
                    index,
                    "id",
                    format!("platform id {:?} is defined twice", entry.id),
                    "remove or rename one of the two entries",
                ));
            }
            if entry.name.trim().is_empty() {
                return Err(err_in(
                    index,
                    "name",
                    format!("platform {:?} has an empty name", entry.id),
                    "write its display name, such as name = \"WhatsApp\"",
                ));
            }
            if !CATEGORIES.contains(&entry.category.as_str()) {
                return Err(err_in(
                    index,
                    "category",
                    format!("unknown category {:?} for {:?}", entry.category, entry.id),
                    &format!("use one of: {}", CATEGORIES.join(", ")),
                ));
            }
            if let Some(p) = &entry.provider
                && !is_slug(p)
            {
                return Err(err_in(
                    index,
                    "provider",
                    format!("provider {p:?} is not a slug"),
                    "use lowercase letters, digits and dashes, such as \"meta\"",
                ));
            }
            let mut aliases = Vec::new();
            // The id and the name always name the platform too.
            let mut names: Vec<String> = vec![entry.name.clone()];
            if !entry.id.contains('-') {
                names.push(entry.id.clone());
            }
            names.extend(entry.aliases.iter().cloned());
            // An ambiguous alias is an alias too (counted only with context).
            names.extend(entry.ambiguous.iter().map(|a| a.alias.clone()));
            for alias in names {
                let Some(pattern) = token_pattern(&alias) else {
                    return Err(err_in(
                        index,
                        &format!("\"{alias}\""),
                        format!("alias {alias:?} has nothing to match"),
                        "remove it",
                    ));
                };
                let folded = pattern.trim().to_string();
                match alias_owner.get(&pattern) {
                    Some(&owner) if owner == n => continue,
                    Some(&owner) => {
                        return Err(err_in(
                            index,
                            &format!("\"{alias}\""),
                            format!(
                                "alias {alias:?} of {:?} is already an alias of {:?}",
                                entry.id,
                                platforms_id(&platforms, owner)
                            ),
                            "an alias may name one platform only: remove it from one of them",
                        ));
                    }
                    None => {}
                }
                alias_owner.insert(pattern.clone(), n);
                alias_patterns.push((n, folded.clone()));
                alias_strings.push(pattern);
                aliases.push(folded);
            }
            let fold_unique = |list: &[String],
                               map: &mut HashMap<String, u16>,
                               what: &str,
                               strip: char|
             -> Result<Vec<String>, DataError> {
                let mut out = Vec::new();
                for item in list {
                    let folded = crate::text::fold(item.trim().trim_start_matches(strip));
                    if folded.is_empty() || folded.contains(' ') {
                        return Err(err_in(
                            index,
                            &format!("\"{item}\""),
                            format!("{what} {item:?} is empty or has spaces"),
                            &format!("write the {what} as one word"),
                        ));
                    }
                    if let Some(&owner) = map.get(&folded) {
                        if owner == n {
                            continue;
                        }
                        return Err(err_in(
                            index,
                            &format!("\"{item}\""),
                            format!(
                                "{what} {item:?} of {:?} already belongs to {:?}",
                                entry.id,
                                platforms_id(&platforms, owner)
                            ),
                            &format!(
                                "a {what} may name one platform only: remove it from one of them"
                            ),
                        ));
                    }
                    map.insert(folded.clone(), n);
                    out.push(folded);
                }
                Ok(out)
            };
            let handle_list = fold_unique(&entry.handles, &mut handles, "handle", '@')?;
            let mut tag_names: Vec<String> = entry.hashtags.clone();
            // Single-word aliases are hashtags too (#zap, #insta), unless listed as ambiguous.
            for a in &aliases {
                if !a.contains(' ')
                    && a.chars().count() >= 3
                    && !entry
                        .ambiguous
                        .iter()
                        .any(|x| crate::text::fold(&x.alias) == *a)
                    && !hashtags.contains_key(a)
                {
                    tag_names.push(a.clone());
                }
            }
            let hashtag_list = fold_unique(&tag_names, &mut hashtags, "hashtag", '#')?;
            let domain_list = fold_unique(&entry.domains, &mut domains, "domain", '.')?;
            let mut ambiguous = Vec::new();
            for amb in entry.ambiguous {
                // The alias as mentions spell it: one token per character in kana and kanji
                // ("エックス" is matched as "エ ッ ク ス"), so that the ambiguity is found for it.
                let alias = token_pattern(&amb.alias)
                    .map(|p| p.trim().to_string())
                    .unwrap_or_default();
                if alias.is_empty() {
                    return Err(err_in(
                        index,
                        "alias = \"\"",
                        "an ambiguous alias is empty".into(),
                        "write the alias, such as alias = \"signal\"",
                    ));
                }
                if ambiguous.iter().any(|a: &Ambiguity| a.alias == alias) {
                    return Err(err_in(
                        index,
                        &format!("alias = \"{}\"", amb.alias),
                        format!(
                            "ambiguous alias {:?} of {:?} is listed twice",
                            amb.alias, entry.id
                        ),
                        "keep one [[platform.ambiguous]] entry for it, with the context and exclude phrases of both",
                    ));
                }
                if amb.context.is_empty() {
                    return Err(err_in(
                        index,
                        &format!("alias = \"{}\"", amb.alias),
                        format!("ambiguous alias {:?} has no context", amb.alias),
                        "list words that make the service clear in context = [...]",
                    ));
                }
                for lang in amb
                    .only_in
                    .iter()
                    .chain(&amb.except_in)
                    .chain(&amb.named_only_in)
                {
                    if !(2..=3).contains(&lang.len())
                        || !lang.chars().all(|c| c.is_ascii_lowercase())
                    {
                        return Err(err_in(
                            index,
                            &format!("\"{lang}\""),
                            format!("{lang:?} is not a language code"),
                            "write ISO 639-1 codes such as \"de\"",
                        ));
                    }
                }
                let mut context = Vec::new();
                for c in &amb.context {
                    let Some(pattern) = token_pattern(c) else {
                        return Err(err_in(
                            index,
                            &format!("\"{c}\""),
                            format!("context {c:?} has nothing to match"),
                            "remove it",
                        ));
                    };
                    context.push(pattern.trim().to_string());
                    context_patterns.push((n, pattern.trim().to_string(), false));
                    context_strings.push(pattern);
                }
                let mut exclude = Vec::new();
                for c in &amb.exclude {
                    let Some(pattern) = token_pattern(c) else {
                        return Err(err_in(
                            index,
                            &format!("\"{c}\""),
                            format!("exclude {c:?} has nothing to match"),
                            "remove it",
                        ));
                    };
                    // The alias as a word, or a word it starts, for a form with an ending
                    // glued on ("googlela", "قوقلها": google it).
                    let glued = !alias.contains(' ')
                        && pattern
                            .split(' ')
                            .any(|w| w.len() > alias.len() && w.starts_with(&alias));
                    if !pattern.contains(&format!(" {alias} ")) && !glued {
                        return Err(err_in(
                            index,
                            &format!("\"{c}\""),
                            format!("exclude {c:?} does not contain the alias {:?}", amb.alias),
                            "write a phrase that contains the alias, such as \"prime time\"",
                        ));
                    }
                    exclude.push(pattern.trim().to_string());
                    context_patterns.push((n, pattern.trim().to_string(), true));
                    context_strings.push(pattern);
                }
                ambiguous.push(Ambiguity {
                    alias,
                    context,
                    why: amb.why,
                    only_in: amb.only_in,
                    except_in: amb.except_in,
                    named_only_in: amb.named_only_in,
                    spellings: amb.spellings.iter().map(|s| s.to_lowercase()).collect(),
                    exclude,
                    complaint_confirms: amb.complaint_confirms,
                });
            }
            platforms.push(Platform {
                id: entry.id,
                name: entry.name,
                provider: entry.provider,
                category: entry.category,
                aliases,
                handles: handle_list,
                hashtags: hashtag_list,
                domains: domain_list,
                ambiguous,
            });
        }
        if platforms.is_empty() {
            return Err(DataError::at_line(
                file,
                1,
                "the catalog has no [[platform]] entries",
                "add at least one [[platform]] table",
            ));
        }
        let build = |pats: &[String], kind: MatchKind| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(pats)
                .map_err(|e| {
                    DataError::at_line(
                        file,
                        0,
                        format!("cannot compile the aliases: {e}"),
                        "shorten very long aliases",
                    )
                })
        };
        let alias_automaton = build(&alias_strings, MatchKind::Standard)?;
        let context_automaton = build(&context_strings, MatchKind::Standard)?;
        let single_aliases: HashMap<String, u16> = alias_patterns
            .iter()
            .filter(|(_, a)| !a.contains(' '))
            .map(|(p, a)| (a.clone(), *p))
            .collect();
        let alias_heads = single_aliases
            .keys()
            .filter_map(|a| head(a))
            .map(str::to_string)
            .collect();
        let alias_index = PhraseIndex::new(&alias_strings);
        Ok(Catalog {
            platforms,
            by_id: by_id.into_iter().collect(),
            alias_automaton,
            alias_index,
            alias_patterns,
            single_aliases: single_aliases.into_iter().collect(),
            alias_heads,
            handles: handles.into_iter().collect(),
            hashtags: hashtags.into_iter().collect(),
            domains: domains.into_iter().collect(),
            context_automaton,
            context_patterns,
        })
    }

    /// The bundled catalog. It is tested to load, so this does not fail at run time.
    pub fn builtin() -> Result<Catalog, DataError> {
        Catalog::from_file(&Catalog::BUNDLED)
    }

    /// Every platform, in file order.
    pub fn platforms(&self) -> &[Platform] {
        &self.platforms
    }

    /// The platform with this id.
    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.by_id.get(id).map(|&i| &self.platforms[i as usize])
    }

    /// The index of the platform with this id.
    pub fn index_of(&self, id: &str) -> Option<u16> {
        self.by_id.get(id).copied()
    }

    /// Every platform id, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.platforms.iter().map(|p| p.id.as_str())
    }

    /// The provider of the platform with this id, if any.
    pub fn provider_of(&self, id: &str) -> Option<&str> {
        self.platform(id).and_then(|p| p.provider.as_deref())
    }

    /// Platform `index`.
    pub fn get(&self, index: u16) -> &Platform {
        &self.platforms[index as usize]
    }

    /// `(first token, last token, pattern)` of every alias in `stream` (the post's token
    /// positions), overlapping ones included, in no particular order.
    fn find_aliases(&self, stream: &crate::lexicon::TokenStream, found: &mut Vec<(u32, u32, u32)>) {
        if let Some(index) = &self.alias_index
            && index.find(stream, found)
        {
            let orig = |i: u32| stream.orig.get(i as usize).copied().unwrap_or(i);
            for entry in found.iter_mut() {
                let (pattern, first, last) = *entry;
                *entry = (orig(first), orig(last), pattern);
            }
            return;
        }
        self.find_aliases_with_automaton(stream, found);
    }

    /// [`Catalog::find_aliases`] by the automaton: the reference the index is tested against.
    fn find_aliases_with_automaton(
        &self,
        stream: &crate::lexicon::TokenStream,
        found: &mut Vec<(u32, u32, u32)>,
    ) {
        found.extend(
            self.alias_automaton
                .find_overlapping_iter(stream.text.as_str())
                .map(|m| {
                    (
                        stream.token_at(m.start() + 1),
                        stream.token_at(m.end() - 2),
                        m.pattern().as_u32(),
                    )
                }),
        );
    }

    /// The longest alias wins where aliases overlap ("google drive" over "google"): appends
    /// the winners among `found` to `out`.
    fn push_aliases(
        &self,
        folded: &str,
        tokens: &[Token],
        found: &mut [(u32, u32, u32)],
        out: &mut Vec<Mention>,
    ) {
        found.sort_by_key(|&(first, last, _)| (first, std::cmp::Reverse(last)));
        let mut covered_until: Option<u32> = None;
        for &(first, last, pattern) in found.iter() {
            if covered_until.is_some_and(|end| first <= end) {
                continue;
            }
            let (platform, alias) = &self.alias_patterns[pattern as usize];
            if inside_katakana_word(folded, tokens, first, last, alias) {
                continue;
            }
            covered_until = Some(last);
            out.push(Mention {
                platform: *platform,
                kind: MentionKind::Alias,
                first,
                last,
                matched: alias.clone(),
                hashtag_rest: String::new(),
                affix: None,
            });
        }
    }

    /// Finds every platform name in a post: aliases in `stream` (the unstemmed token stream of
    /// `folded`), handles, hashtags (longest known prefix) and domains. Appends to `out`.
    ///
    /// `affixes`, the post language's `[platform_names]` rules, lets a one-word name carry the
    /// endings and prefixes that language glues onto names ("instagramie", "والواتساب"). A
    /// name written in katakana never matches inside a longer katakana word (ライン is not in
    /// タイムライン).
    pub fn find_mentions(
        &self,
        folded: &str,
        tokens: &[Token],
        stream: &crate::lexicon::TokenStream,
        affixes: Option<&NameAffixes>,
        out: &mut Vec<Mention>,
    ) {
        // Overlapping search, so that adjacent names ("whatsapp instagram", sharing the space
        // between them) both match; then the longest name wins where names overlap
        // ("google drive" over "google").
        crate::lexicon::phrase_index::with_scratch(|found| {
            self.find_aliases(stream, found);
            self.push_aliases(folded, tokens, found, out);
        });
        if let Some(rules) = affixes.filter(|r| !r.is_empty()) {
            let exact = out.len();
            for m in out.iter_mut() {
                let next = m.last as usize + 1;
                let (Some(name), Some(after)) = (tokens.get(m.last as usize), tokens.get(next))
                else {
                    continue;
                };
                let between = &folded[name.end as usize..after.start as usize];
                let ending = after.text(folded);
                if after.kind == TokenKind::Word
                    && matches!(between, "'" | "’" | "ʼ")
                    && rules.suffixes.iter().any(|x| x == ending)
                {
                    m.affix = Some(Box::new(AffixMatch {
                        word: format!("{}'{ending}", m.matched),
                        prefixes: Vec::new(),
                        suffix: Some(ending.to_string()),
                        restored: None,
                        joins_previous: false,
                        apostrophe: true,
                        file: rules.file.clone(),
                    }));
                }
            }
            let mut restored = String::new();
            for (i, t) in tokens.iter().enumerate() {
                let i = i as u32;
                if t.kind != TokenKind::Word
                    || out[..exact].iter().any(|m| m.first <= i && i <= m.last)
                {
                    continue;
                }
                let word = t.text(folded);
                let mut prefixes = Vec::new();
                if let Some((platform, alias, suffix, ending)) =
                    self.affixed(word, rules, 0, &mut prefixes, &mut restored)
                {
                    let joins_previous = prefixes
                        .first()
                        .is_some_and(|p| rules.conjunction_prefixes.iter().any(|c| c == p));
                    out.push(Mention {
                        platform,
                        kind: MentionKind::Alias,
                        first: i,
                        last: i,
                        matched: alias,
                        hashtag_rest: String::new(),
                        affix: Some(Box::new(AffixMatch {
                            word: word.to_string(),
                            prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
                            suffix: suffix.map(str::to_string),
                            restored: ending.map(str::to_string),
                            joins_previous,
                            apostrophe: false,
                            file: rules.file.clone(),
                        })),
                    });
                }
            }
            if out.len() > exact {
                out.sort_by_key(|m| (m.first, m.last));
            }
        }
        for (i, t) in tokens.iter().enumerate() {
            let text = t.text(folded);
            let i = i as u32;
            match t.kind {
                TokenKind::Handle => {
                    if let Some(p) = self.handle_platform(text) {
                        out.push(Mention {
                            platform: p,
                            kind: MentionKind::Handle,
                            first: i,
                            last: i,
                            matched: text.to_string(),
                            hashtag_rest: String::new(),
                            affix: None,
                        });
                    }
                }
                TokenKind::Domain => {
                    let mut host = text;
                    loop {
                        if let Some(&p) = self.domains.get(host) {
                            out.push(Mention {
                                platform: p,
                                kind: MentionKind::Domain,
                                first: i,
                                last: i,
                                matched: host.to_string(),
                                hashtag_rest: String::new(),
                                affix: None,
                            });
                            break;
                        }
                        match host.split_once('.') {
                            Some((_, rest)) if rest.contains('.') => host = rest,
                            _ => break,
                        }
                    }
                }
                TokenKind::Hashtag => {
                    // The longest known prefix: #xboxdown is Xbox, not X.
                    let mut best: Option<(usize, u16)> = None;
                    for (end, _) in text
                        .char_indices()
                        .skip(1)
                        .chain(std::iter::once((text.len(), ' ')))
                    {
                        if let Some(&p) = self.hashtags.get(&text[..end]) {
                            best = Some((end, p));
                        }
                    }
                    if let Some((end, p)) = best {
                        out.push(Mention {
                            platform: p,
                            kind: MentionKind::Hashtag,
                            first: i,
                            last: i,
                            matched: text[..end].to_string(),
                            hashtag_rest: text[end..].to_string(),
                            affix: None,
                        });
                    } else if let Some(&p) = self.single_aliases.get(text) {
                        // A hashtag that is exactly a name kept out of the hashtags (an
                        // ambiguous one, "#LINE障害", "#discord 落ちてる", or one of two
                        // letters, "#ig") is that name, under the name's own rules: context,
                        // or a complaint phrase next to it.
                        out.push(Mention {
                            platform: p,
                            kind: MentionKind::Alias,
                            first: i,
                            last: i,
                            matched: text.to_string(),
                            hashtag_rest: String::new(),
                            affix: None,
                        });
                    } else if let Some((p, name, rest)) = self.hashtag_name_last(text, affixes) {
                        out.push(Mention {
                            platform: p,
                            kind: MentionKind::Hashtag,
                            first: i,
                            last: i,
                            matched: name,
                            hashtag_rest: rest,
                            affix: None,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// The platform an @handle (folded, without `@`) belongs to: a listed handle, a brand's
    /// hashtag (which its unambiguous one-word names are) of [`HANDLE_BRAND_MIN_LETTERS`]
    /// letters or more, or the
    /// official account of a brand in one country or for its customer service, spelt as a
    /// listed handle or one-word name followed by a country code or a service word
    /// ("@ClaroMX", "@vodafoneservice", "@santander_es", "@NetflixHelps"). The brand part must
    /// have [`HANDLE_BRAND_MIN_LETTERS`] letters: "@igcare" is no Instagram account.
    fn handle_platform(&self, handle: &str) -> Option<u16> {
        if let Some(&p) = self.handles.get(handle) {
            return Some(p);
        }
        // "@Bouygues": the brand's own one-word name, as its hashtag (the hashtags hold every
        // one-word alias but the ambiguous ones: "@signal" is anybody).
        if handle.chars().count() >= HANDLE_BRAND_MIN_LETTERS
            && let Some(&p) = self.hashtags.get(handle)
        {
            return Some(p);
        }
        HANDLE_SUFFIXES.iter().find_map(|suffix| {
            let brand = handle.strip_suffix(suffix)?;
            let brand = brand.strip_suffix('_').unwrap_or(brand);
            if brand.chars().count() < HANDLE_BRAND_MIN_LETTERS {
                return None;
            }
            self.handles
                .get(brand)
                .or_else(|| self.single_aliases.get(brand))
                .copied()
        })
    }

    /// A hashtag whose problem word comes FIRST ("#CaídaWhatsApp", "#awariamBank") or whose
    /// words are joined by underscores in either order ("#الواتساب_متوقف", "#عطل_واتساب"):
    /// the platform, the name as matched and the rest of the tag (the other underscore parts
    /// joined by `_`, or the letters before the name), which the classifier compares with its
    /// `hashtag_suffixes`. Only tried when no name starts the tag. A name glued at the end
    /// must have [`HASHTAG_TRAILING_NAME_MIN_LETTERS`] letters after a head of three or more
    /// ("#cooking" is no ING); an underscore part may carry the post language's affixes
    /// ("الواتساب" = ال + واتساب).
    fn hashtag_name_last(
        &self,
        tag: &str,
        affixes: Option<&NameAffixes>,
    ) -> Option<(u16, String, String)> {
        if tag.contains('_') {
            let parts: Vec<&str> = tag.split('_').filter(|s| !s.is_empty()).collect();
            for (k, part) in parts.iter().enumerate() {
                let found = self.hashtags.get(*part).map(|&p| (p, part.to_string()));
                let found = found.or_else(|| {
                    let rules = affixes.filter(|r| !r.is_empty())?;
                    let (mut prefixes, mut restored) = (Vec::new(), String::new());
                    self.affixed(part, rules, 0, &mut prefixes, &mut restored)
                        .map(|(p, alias, _, _)| (p, alias))
                });
                if let Some((p, name)) = found {
                    let rest: Vec<&str> = parts
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != k)
                        .map(|(_, s)| *s)
                        .collect();
                    return Some((p, name, rest.join("_")));
                }
            }
            return None;
        }
        let (start, &p) = tag
            .char_indices()
            .skip(3)
            .filter(|&(start, _)| tag[start..].chars().count() >= HASHTAG_TRAILING_NAME_MIN_LETTERS)
            .find_map(|(start, _)| self.hashtags.get(&tag[start..]).map(|p| (start, p)))?;
        Some((p, tag[start..].to_string(), tag[..start].to_string()))
    }

    /// The one-word alias `word` is made of, with the prefixes (pushed onto `prefixes`), the
    /// ending and the replaced final letters the rules allowed; `None` when it is no name.
    fn affixed<'r>(
        &self,
        word: &str,
        rules: &'r NameAffixes,
        depth: u8,
        prefixes: &mut Vec<&'r str>,
        restored: &mut String,
    ) -> Option<(u16, String, Option<&'r str>, Option<&'r str>)> {
        if depth > 0
            && let Some(found) = self.with_suffix(word, rules, None, restored)
        {
            return Some(found);
        }
        // A name with an ending starts like the name: one lookup rules out most words.
        if head(word).is_some_and(|h| self.alias_heads.contains(h)) {
            for suffix in &rules.suffixes {
                if let Some(found) = self.with_suffix(word, rules, Some(suffix), restored) {
                    return Some(found);
                }
            }
        }
        if depth >= rules.max_prefixes {
            return None;
        }
        for p in &rules.prefixes {
            if let Some(rest) = word.strip_prefix(p.as_str()).filter(|r| !r.is_empty()) {
                prefixes.push(p);
                if let Some(found) = self.affixed(rest, rules, depth + 1, prefixes, restored) {
                    return Some(found);
                }
                prefixes.pop();
            }
        }
        None
    }

    /// `word` less `suffix` (when it ends so), as a name of at least the rules' length,
    /// possibly with one of the replaced endings put back.
    fn with_suffix<'r>(
        &self,
        word: &str,
        rules: &'r NameAffixes,
        suffix: Option<&'r String>,
        restored: &mut String,
    ) -> Option<(u16, String, Option<&'r str>, Option<&'r str>)> {
        let stem = match suffix {
            Some(x) => word.strip_suffix(x.as_str()).filter(|s| !s.is_empty())?,
            None => word,
        };
        let long_enough = |s: &str| s.chars().count() >= rules.min_name_letters;
        let known = |s: &str| {
            head(s).is_some_and(|h| self.alias_heads.contains(h))
                && long_enough(s)
                && self.single_aliases.contains_key(s)
        };
        let suffix = suffix.map(String::as_str);
        if known(stem) {
            return Some((self.single_aliases[stem], stem.to_string(), suffix, None));
        }
        if suffix.is_none() || !head(stem).is_some_and(|h| self.alias_heads.contains(h)) {
            return None;
        }
        for ending in &rules.replaced_endings {
            restored.clear();
            restored.push_str(stem);
            restored.push_str(ending);
            if known(restored) {
                let name = restored.clone();
                return Some((self.single_aliases[&name], name, suffix, Some(ending)));
            }
        }
        None
    }

    /// The context and exclude phrases of ambiguous aliases found in `stream`, appended to
    /// `out`.
    pub fn find_context(&self, stream: &crate::lexicon::TokenStream, out: &mut Vec<ContextMatch>) {
        for m in self
            .context_automaton
            .find_overlapping_iter(stream.text.as_str())
        {
            let (platform, phrase, excludes) = &self.context_patterns[m.pattern().as_usize()];
            out.push(ContextMatch {
                platform: *platform,
                first: stream.token_at(m.start() + 1),
                last: stream.token_at(m.end() - 2),
                phrase: phrase.clone(),
                excludes: *excludes,
            });
        }
    }
}

/// The first two letters of `s` (the whole of a shorter `s`).
fn head(s: &str) -> Option<&str> {
    if s.is_empty() {
        return None;
    }
    Some(match s.char_indices().nth(2) {
        Some((i, _)) => &s[..i],
        None => s,
    })
}

/// Whether an alias that starts or ends in katakana was found glued to more katakana: it is
/// then part of another word (ライン in タイムライン, "timeline").
fn inside_katakana_word(
    folded: &str,
    tokens: &[Token],
    first: u32,
    last: u32,
    alias: &str,
) -> bool {
    let glued_katakana = |a: usize, b: usize| {
        let (Some(x), Some(y)) = (tokens.get(a), tokens.get(b)) else {
            return false;
        };
        let other = if a < first as usize { x } else { y };
        x.end == y.start
            && other.kind == TokenKind::Ideograph
            && other.text(folded).chars().all(is_katakana)
    };
    let first_is = alias.chars().next().is_some_and(is_katakana);
    let last_is = alias.chars().next_back().is_some_and(is_katakana);
    (first_is && first > 0 && glued_katakana(first as usize - 1, first as usize))
        || (last_is
            && glued_katakana(last as usize, last as usize + 1)
            && !starts_with_katakana_noun(folded, &tokens[last as usize + 1..]))
}

/// Katakana nouns written glued to a service's name without making another word of it:
/// "メルカリログイン" is Mercari's login, "ラインアプリ" the LINE app, "ソフトバンクグループ"
/// SoftBank's group ("タイムライン" and "ラインナップ" stay words of their own).
const KATAKANA_NOUNS_AFTER_NAMES: &[&str] = &[
    "ログイン",
    "アプリ",
    "アカウント",
    "サーバー",
    "サーバ",
    "ストア",
    "ユーザー",
    "サイト",
    "ページ",
    "メール",
    "メッセージ",
    "ポイント",
    "カード",
    "グループ",
    "エラー",
    "システム",
];

/// Whether the glued katakana of `rest` (one token per character) starts with one of
/// [`KATAKANA_NOUNS_AFTER_NAMES`].
fn starts_with_katakana_noun(folded: &str, rest: &[Token]) -> bool {
    let mut glued = String::new();
    let mut end = None;
    for t in rest.iter().take(6) {
        let text = t.text(folded);
        if t.kind != TokenKind::Ideograph
            || end.is_some_and(|e| e != t.start)
            || !text.chars().all(is_katakana)
        {
            break;
        }
        glued.push_str(text);
        end = Some(t.end);
    }
    KATAKANA_NOUNS_AFTER_NAMES
        .iter()
        .any(|noun| glued.starts_with(noun))
}

fn platforms_id(platforms: &[Platform], index: u16) -> &str {
    platforms
        .get(index as usize)
        .map(|p| p.id.as_str())
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The alias index finds what the automaton finds, on posts made of every alias of the
    /// bundled catalog with words around them.
    #[test]
    fn alias_index_finds_what_the_automaton_finds() {
        let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(catalog.alias_index.is_some());
        let aliases: Vec<&str> = catalog
            .alias_patterns
            .iter()
            .map(|(_, a)| a.as_str())
            .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let words = [
            "is", "down", "and", ",", "not", "😭", "#x", "@y", "google", "app",
        ];
        let (mut tokens, mut stream) = (Vec::new(), crate::lexicon::TokenStream::default());
        let no_skip = rustc_hash::FxHashSet::default();
        let mut compared = 0;
        for _ in 0..5000 {
            let mut post = String::new();
            for _ in 0..(next() % 6 + 1) {
                let r = next();
                if r % 3 == 0 {
                    post.push_str(words[(r >> 8) as usize % words.len()]);
                } else {
                    post.push_str(aliases[(r >> 8) as usize % aliases.len()]);
                }
                post.push(' ');
            }
            let folded = crate::text::fold(&post);
            crate::lexicon::tokens::tokenize_into(&folded, &mut tokens);
            crate::lexicon::build_stream(&folded, &tokens, None, &no_skip, &mut stream);
            let (mut fast, mut reference) = (Vec::new(), Vec::new());
            catalog.find_aliases(&stream, &mut fast);
            catalog.find_aliases_with_automaton(&stream, &mut reference);
            fast.sort_unstable();
            reference.sort_unstable();
            assert_eq!(fast, reference, "{post:?}");
            compared += reference.len();
        }
        assert!(compared > 5_000, "only {compared} aliases compared");
    }

    fn load(text: &str) -> Result<Catalog, DataError> {
        Catalog::from_file(&DataFile {
            name: "data/platforms.toml",
            text,
        })
    }

    #[test]
    fn bundled_catalog_loads_with_required_ids() {
        let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
        let required = "whatsapp instagram facebook messenger threads gmail youtube google-search google-drive google-cloud outlook microsoft-teams microsoft-365 azure xbox-live aws prime-video alexa icloud apple-music app-store imessage x tiktok snapchat telegram signal discord reddit linkedin pinterest bluesky twitch slack zoom github gitlab cloudflare netflix spotify disney-plus steam playstation-network roblox fortnite chatgpt paypal venmo uber dropbox verizon att t-mobile xfinity spectrum vodafone";
        for id in required.split(' ') {
            assert!(catalog.platform(id).is_some(), "missing {id}");
        }
        for provider in [
            "meta",
            "google",
            "microsoft",
            "amazon",
            "apple",
            "cloudflare",
        ] {
            assert!(
                catalog
                    .platforms()
                    .iter()
                    .any(|p| p.provider.as_deref() == Some(provider)),
                "{provider}"
            );
        }
        assert_eq!(catalog.provider_of("whatsapp"), Some("meta"));
        assert_eq!(catalog.provider_of("netflix"), None);
    }

    #[test]
    fn duplicate_alias_between_platforms_names_the_line() {
        let text = "[[platform]]\nid = \"a\"\nname = \"A\"\ncategory = \"social\"\naliases = [\"zap\"]\n\n[[platform]]\nid = \"b\"\nname = \"B\"\ncategory = \"social\"\naliases = [\"Zap\"]\n";
        let err = load(text).unwrap_err();
        assert_eq!(
            (err.file.as_str(), err.line),
            ("data/platforms.toml", 11),
            "{err}"
        );
        assert!(err.message.contains("already an alias of \"a\""), "{err}");
    }

    #[test]
    fn an_ambiguous_alias_listed_twice_is_rejected() {
        let entry = "[[platform.ambiguous]]\nalias = \"Sig\"\ncontext = [\"app\"]\nwhy = \"w\"\n";
        let err = load(&format!(
            "[[platform]]\nid = \"a\"\nname = \"A\"\ncategory = \"social\"\n{entry}{}",
            entry.replace("Sig", "sig")
        ))
        .unwrap_err();
        assert!(err.message.contains("listed twice"), "{err}");
        // The line of the second entry's alias.
        assert_eq!(err.line, 10, "{err}");
    }

    #[test]
    fn unknown_key_and_bad_values_are_rejected() {
        let err = load(
            "[[platform]]\nid = \"a\"\nname = \"A\"\ncategory = \"social\"\nalias = [\"x\"]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        let err =
            load("[[platform]]\nid = \"a\"\nname = \"A\"\ncategory = \"socail\"\n").unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.fix.contains("messaging"), "{err}");
        let err =
            load("[[platform]]\nid = \"A b\"\nname = \"A\"\ncategory = \"social\"\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        let err = load("[[platform]]\nid = \"a\"\nname = \"A\"\ncategory = \"social\"\naliases = [\"sig\"]\n[[platform.ambiguous]]\nalias = \"signal\"\ncontext = []\nwhy = \"w\"\n").unwrap_err();
        assert_eq!(err.line, 7, "{err}");
        assert!(err.message.contains("no context"), "{err}");
    }
}
