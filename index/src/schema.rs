//! The tantivy schema: field names, options, and the typed handles the rest of the crate uses.
//!
//! This module owns what is stored and indexed for each kind of document. It does not read or
//! write documents itself and must not know about queries or commits.
//!
//! One index holds three kinds of document, told apart by the `doc` field: posts (`post`),
//! per-minute volume counts (`volume`) and official incidents (`official`). Every post query,
//! count and aggregation filters on `doc:post`.

use crate::analysis::{FOLDED_ANALYZER, STEMMED_LANGUAGES, stem_analyzer_name};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

/// Bumped when the schema changes incompatibly; stored in the commit payload.
pub const SCHEMA_VERSION: u32 = 1;

/// The `doc` value of posts.
pub const DOC_POST: &str = "post";
/// The `doc` value of volume counts.
pub const DOC_VOLUME: &str = "volume";
/// The `doc` value of official incidents.
pub const DOC_OFFICIAL: &str = "official";

/// Field names, as users write them in queries (`platforms:whatsapp`, `lang:pt`).
pub mod names {
    /// Document kind: post, volume or official.
    pub const DOC: &str = "doc";
    /// Unique identity of a document: kind, source and id.
    pub const KEY: &str = "key";
    /// The post's id within its source.
    pub const ID: &str = "id";
    /// The source name.
    pub const SOURCE: &str = "source";
    /// `post` or `report`.
    pub const KIND: &str = "kind";
    /// ISO 639-1 language.
    pub const LANG: &str = "lang";
    /// Platform ids (multi-valued).
    pub const PLATFORMS: &str = "platforms";
    /// Provider ids (multi-valued).
    pub const PROVIDERS: &str = "providers";
    /// Symptom kinds (multi-valued).
    pub const SYMPTOMS: &str = "symptoms";
    /// Region codes (multi-valued).
    pub const REGIONS: &str = "regions";
    /// The post is a complaint.
    pub const COMPLAINT: &str = "complaint";
    /// The post says the service works again.
    pub const RECOVERY: &str = "recovery";
    /// Keyed author hash (0 = none).
    pub const AUTHOR: &str = "author";
    /// When the post was written (volume: the minute; official: started_at).
    pub const CREATED_AT: &str = "created_at";
    /// The post text, folded, unstemmed.
    pub const TEXT: &str = "text";
    /// Posts seen in one minute (volume docs).
    pub const SEEN: &str = "seen";
    /// An official incident as JSON (official docs).
    pub const OFFICIAL: &str = "official";
}

/// Typed handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// See [`names::DOC`].
    pub doc: Field,
    /// See [`names::KEY`].
    pub key: Field,
    /// See [`names::ID`].
    pub id: Field,
    /// See [`names::SOURCE`].
    pub source: Field,
    /// See [`names::KIND`].
    pub kind: Field,
    /// See [`names::LANG`].
    pub lang: Field,
    /// See [`names::PLATFORMS`].
    pub platforms: Field,
    /// See [`names::PROVIDERS`].
    pub providers: Field,
    /// See [`names::SYMPTOMS`].
    pub symptoms: Field,
    /// See [`names::REGIONS`].
    pub regions: Field,
    /// See [`names::COMPLAINT`].
    pub complaint: Field,
    /// See [`names::RECOVERY`].
    pub recovery: Field,
    /// See [`names::AUTHOR`].
    pub author: Field,
    /// See [`names::CREATED_AT`].
    pub created_at: Field,
    /// See [`names::TEXT`].
    pub text: Field,
    /// One stemmed text field per language of [`STEMMED_LANGUAGES`], in that order.
    pub stemmed: Vec<(&'static str, Field)>,
    /// See [`names::SEEN`].
    pub seen: Field,
    /// See [`names::OFFICIAL`].
    pub official: Field,
}

/// The name of the stemmed text field for language `code`.
pub fn stemmed_field_name(code: &str) -> String {
    format!("text_{code}")
}

fn text_options(analyzer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let keyword = STRING | FAST;
    builder.add_text_field(names::DOC, keyword.clone());
    builder.add_text_field(names::KEY, STRING);
    builder.add_text_field(names::ID, STORED);
    builder.add_text_field(names::SOURCE, keyword.clone() | STORED);
    builder.add_text_field(names::KIND, keyword.clone());
    builder.add_text_field(names::LANG, keyword.clone() | STORED);
    builder.add_text_field(names::PLATFORMS, keyword.clone() | STORED);
    builder.add_text_field(names::PROVIDERS, keyword.clone());
    builder.add_text_field(names::SYMPTOMS, keyword.clone());
    builder.add_text_field(names::REGIONS, keyword | STORED);
    builder.add_bool_field(names::COMPLAINT, INDEXED | FAST | STORED);
    builder.add_bool_field(names::RECOVERY, INDEXED | FAST);
    builder.add_u64_field(names::AUTHOR, FAST);
    builder.add_date_field(
        names::CREATED_AT,
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_text_field(names::TEXT, text_options(FOLDED_ANALYZER, true));
    for (code, _) in STEMMED_LANGUAGES {
        builder.add_text_field(
            &stemmed_field_name(code),
            text_options(&stem_analyzer_name(code), false),
        );
    }
    builder.add_u64_field(names::SEEN, FAST);
    builder.add_text_field(names::OFFICIAL, STORED);
    builder.build()
}

impl Fields {
    /// The handles of `schema`, or the name of the first missing field when the schema is not
    /// outcry's.
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| schema.get_field(name).map_err(|_| name.to_string());
        let mut stemmed = Vec::with_capacity(STEMMED_LANGUAGES.len());
        for (code, _) in STEMMED_LANGUAGES {
            stemmed.push((code, get(&stemmed_field_name(code))?));
        }
        Ok(Fields {
            doc: get(names::DOC)?,
            key: get(names::KEY)?,
            id: get(names::ID)?,
            source: get(names::SOURCE)?,
            kind: get(names::KIND)?,
            lang: get(names::LANG)?,
            platforms: get(names::PLATFORMS)?,
            providers: get(names::PROVIDERS)?,
            symptoms: get(names::SYMPTOMS)?,
            regions: get(names::REGIONS)?,
            complaint: get(names::COMPLAINT)?,
            recovery: get(names::RECOVERY)?,
            author: get(names::AUTHOR)?,
            created_at: get(names::CREATED_AT)?,
            text: get(names::TEXT)?,
            stemmed,
            seen: get(names::SEEN)?,
            official: get(names::OFFICIAL)?,
        })
    }

    /// The stemmed field for `lang`, if that language has a stemmer.
    pub fn stemmed_for(&self, lang: &str) -> Option<Field> {
        let code = crate::analysis::stemmed_language(lang)?;
        self.stemmed
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, f)| *f)
    }

    /// The fields a query searches when it names none: the folded text and every stemmed copy.
    pub fn default_search_fields(&self) -> Vec<Field> {
        std::iter::once(self.text)
            .chain(self.stemmed.iter().map(|(_, f)| *f))
            .collect()
    }
}

/// The unique key of a document of kind `doc` from `source` with `id`. The source's length
/// is part of the key, so no (source, id) pair can collide with another whatever they contain.
pub fn doc_key(doc: &str, source: &str, id: &str) -> String {
    format!("{doc}:{}:{source}:{id}", source.len())
}
