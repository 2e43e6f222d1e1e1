//! The phrase book the simulator writes posts from (`data/scenarios/phrases.toml`).
//!
//! Templates are data so that people who speak a language can add the way it is really written.
//! This module parses and checks the book; it does not choose or fill templates (that is
//! `generate.rs`).

use crate::data::{DataError, DataFile};
use outcry_model::{SYMPTOM_KINDS, Symptom};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// What a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// An ordinary post that mentions the platform.
    Mention,
    /// A complaint with no particular symptom ("is it down?").
    Complaint,
    /// A complaint about two platforms at once (`{p}` and `{q}`).
    ComplaintPair,
    /// The service works again.
    Recovery,
    /// Looks like a complaint, is not ("download", "calm down", stock talk).
    Trap,
    /// A meme using "down" in another sense.
    Meme,
    /// Past-tense news and retrospectives about an outage.
    News,
    /// Excited chatter about a launch or a new feature.
    Launch,
    /// A post that mentions no platform.
    Background,
    /// Spam a bot pastes over and over.
    Bot,
    /// The optional text of a crowd report.
    Report,
}

/// Every category and its key in the phrase file.
pub const CATEGORIES: [(Category, &str); 11] = [
    (Category::Mention, "mention"),
    (Category::Complaint, "complaint"),
    (Category::ComplaintPair, "complaint_pair"),
    (Category::Recovery, "recovery"),
    (Category::Trap, "trap"),
    (Category::Meme, "meme"),
    (Category::News, "news"),
    (Category::Launch, "launch"),
    (Category::Background, "background"),
    (Category::Bot, "bot"),
    (Category::Report, "report"),
];

/// Categories every language must fill, because the simulator needs them for every post; the
/// others fall back to English.
const REQUIRED: [Category; 3] = [Category::Mention, Category::Complaint, Category::Recovery];

/// Templates by language and category.
#[derive(Debug, Clone, Default)]
pub struct PhraseBook {
    languages: BTreeMap<String, LanguagePhrases>,
}

/// One language's templates.
#[derive(Debug, Clone, Default)]
pub struct LanguagePhrases {
    by_category: BTreeMap<Category, Vec<String>>,
    by_symptom: BTreeMap<Symptom, Vec<String>>,
    emoji: Vec<String>,
    cheerful_emoji: Vec<String>,
}

impl LanguagePhrases {
    /// Templates of `category` (may be empty).
    pub fn category(&self, category: Category) -> &[String] {
        self.by_category
            .get(&category)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Emoji people of this language end complaints with (may be empty).
    pub fn emoji(&self) -> &[String] {
        &self.emoji
    }

    /// Emoji people of this language end other posts with (may be empty).
    pub fn cheerful_emoji(&self) -> &[String] {
        &self.cheerful_emoji
    }

    /// Complaint templates that show `symptom` (may be empty).
    pub fn symptom(&self, symptom: Symptom) -> &[String] {
        self.by_symptom
            .get(&symptom)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default)]
    emoji: Vec<String>,
    #[serde(default)]
    cheerful_emoji: Vec<String>,
    mention: Option<Spanned<Vec<String>>>,
    complaint: Option<Spanned<Vec<String>>>,
    complaint_pair: Option<Spanned<Vec<String>>>,
    recovery: Option<Spanned<Vec<String>>>,
    trap: Option<Spanned<Vec<String>>>,
    meme: Option<Spanned<Vec<String>>>,
    news: Option<Spanned<Vec<String>>>,
    launch: Option<Spanned<Vec<String>>>,
    background: Option<Spanned<Vec<String>>>,
    bot: Option<Spanned<Vec<String>>>,
    report: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    symptom: BTreeMap<String, Spanned<Vec<String>>>,
}

impl RawLanguage {
    fn category(&self, category: Category) -> Option<&Spanned<Vec<String>>> {
        match category {
            Category::Mention => self.mention.as_ref(),
            Category::Complaint => self.complaint.as_ref(),
            Category::ComplaintPair => self.complaint_pair.as_ref(),
            Category::Recovery => self.recovery.as_ref(),
            Category::Trap => self.trap.as_ref(),
            Category::Meme => self.meme.as_ref(),
            Category::News => self.news.as_ref(),
            Category::Launch => self.launch.as_ref(),
            Category::Background => self.background.as_ref(),
            Category::Bot => self.bot.as_ref(),
            Category::Report => self.report.as_ref(),
        }
    }
}

impl PhraseBook {
    /// Parses and checks a phrase file.
    pub fn parse(file: DataFile<'_>) -> Result<PhraseBook, DataError> {
        let raw: BTreeMap<String, Spanned<RawLanguage>> =
            toml::from_str(file.text).map_err(|e| DataError::from_toml(&file, &e))?;
        let line =
            |span: std::ops::Range<usize>| crate::data::line_of_offset(file.text, span.start);
        let mut book = PhraseBook::default();
        for (key, value) in &raw {
            let lang_line = line(value.span());
            if key.len() != 2 || !key.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(DataError::at_line(
                    &file,
                    lang_line,
                    format!("table [{key}] is not a language"),
                    "name each table by its ISO 639-1 code, e.g. [pt]",
                ));
            }
            let raw_lang = value.get_ref();
            let mut lang = LanguagePhrases::default();
            for (category, name) in CATEGORIES {
                let Some(list) = raw_lang.category(category) else {
                    if REQUIRED.contains(&category) {
                        return Err(DataError::at_line(
                            &file,
                            lang_line,
                            format!("[{key}] has no `{name}` templates"),
                            format!(
                                "add {name} = [...] to [{key}]: every language needs mention, complaint and recovery templates"
                            ),
                        ));
                    }
                    continue;
                };
                for template in list.get_ref() {
                    check_placeholders(
                        &file,
                        line(list.span()),
                        &format!("{key}.{name}"),
                        template,
                    )?;
                }
                if list.get_ref().is_empty() && REQUIRED.contains(&category) {
                    return Err(DataError::at_line(
                        &file,
                        line(list.span()),
                        format!("[{key}] `{name}` is empty"),
                        "add at least one template",
                    ));
                }
                lang.by_category.insert(category, list.get_ref().clone());
            }
            for (sym_key, list) in &raw_lang.symptom {
                let Some(symptom) = Symptom::parse(sym_key) else {
                    let kinds: Vec<&str> = SYMPTOM_KINDS.iter().map(|s| s.as_str()).collect();
                    return Err(DataError::at_line(
                        &file,
                        line(list.span()),
                        format!("[{key}.symptom] has the unknown symptom kind {sym_key:?}"),
                        format!("use one of: {}", kinds.join(", ")),
                    ));
                };
                for template in list.get_ref() {
                    check_placeholders(
                        &file,
                        line(list.span()),
                        &format!("{key}.symptom.{sym_key}"),
                        template,
                    )?;
                }
                lang.by_symptom.insert(symptom, list.get_ref().clone());
            }
            lang.emoji = raw_lang.emoji.clone();
            lang.cheerful_emoji = raw_lang.cheerful_emoji.clone();
            book.languages.insert(key.clone(), lang);
        }
        let Some(en) = book.languages.get("en") else {
            return Err(DataError::at_line(
                &file,
                0,
                "the phrase book has no [en] table",
                "add [en]: English is the fallback for categories other languages leave out",
            ));
        };
        for (category, name) in CATEGORIES {
            if en.category(category).is_empty() {
                return Err(DataError::at_text(
                    &file,
                    "[en]",
                    format!("[en] has no `{name}` templates"),
                    format!("add {name} = [...] to [en]: it is the fallback for every language"),
                ));
            }
        }
        if en.emoji.is_empty() || en.cheerful_emoji.is_empty() {
            return Err(DataError::at_text(
                &file,
                "[en]",
                "[en] lacks `emoji` or `cheerful_emoji`",
                "add emoji = [\"😭\", ...] and cheerful_emoji = [\"😂\", ...] to [en]: they are the fallback for every language",
            ));
        }
        Ok(book)
    }

    /// True when the book has templates for `lang`.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages.contains_key(lang)
    }

    /// The languages with templates, sorted.
    pub fn languages(&self) -> Vec<&str> {
        self.languages.keys().map(String::as_str).collect()
    }

    /// The templates of `lang` (English when the book has no such language).
    pub fn language(&self, lang: &str) -> &LanguagePhrases {
        self.languages
            .get(lang)
            .or_else(|| self.languages.get("en"))
            .expect("checked on parse: the book has [en]")
    }
}

/// Templates may use `{p}` (platform name), `{q}` (a second platform), `{tag}` (hashtag stem)
/// and `{place}` (a place of the author's region); anything else in braces is a typo.
fn check_placeholders(
    file: &DataFile<'_>,
    line: usize,
    what: &str,
    template: &str,
) -> Result<(), DataError> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(DataError::at_line(
                file,
                line,
                format!("`{what}`: template {template:?} has an unclosed {{"),
                "close it, or remove the brace",
            ));
        };
        let name = &after[..close];
        if !matches!(name, "p" | "q" | "tag" | "place") {
            return Err(DataError::at_line(
                file,
                line,
                format!("`{what}`: template {template:?} uses the unknown placeholder {{{name}}}"),
                "use {p} (platform), {q} (second platform), {tag} (hashtag stem) or {place}",
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}
