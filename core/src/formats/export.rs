//! What every export has in common: the documents to export ([`Doc`]: an
//! article and its annotations), the [`Format`]s with their names, file
//! names and MIME types, and [`export`], which hands the documents to the
//! format's own module. Offsets are code points of the canonical text
//! (FORMAT.md) in every format but doccano, whose editor places spans by
//! UTF-16 code units (JavaScript string indices).
//!
//! | format | module | file name ends | offsets | relations | fields |
//! | --- | --- | --- | --- | --- | --- |
//! | native | [`native`] | `.json` | code points (FORMAT.md) | `relations` per article | `attributes` |
//! | W3C Web Annotation | [`w3c`] | `.jsonld` | `TextPositionSelector` start/end in code points, as the standard says | `linking` annotations targeting both ends | `classifying`/`describing` bodies |
//! | brat standoff | [`brat`] | `.brat.zip` of `annotation.conf`, `visual.conf`, `<id>.txt` + `<id>.ann` | code points (brat counts Python string characters) | `R` lines (`Arg1` the claim or commitment) | `A` lines (status, checkable), the rest in the AnnotatorNotes |
//! | spaCy/Prodigy JSONL | [`jsonl`] | `.spacy.jsonl` | code points (Python string indices) | Prodigy's `relations` (`head` the claim or commitment) | none |
//! | doccano JSONL | [`jsonl`] | `.doccano.jsonl` | **UTF-16 code units** (doccano's editor counts JavaScript string indices) | `relations` by entity id | none |
//! | CoNLL / IOB2 | [`conll`] | `.conll` | none: tokens and tags | none | none |
//! | CSV | [`csv`] | `.csv` | code points | `said_by`, `committed_by`: the entities' names | a column each |
//!
//! Every format that carries relations writes those between the exported
//! annotations ([`native::written_relations`]): a relation to an annotation
//! left out of the export is left out too.

use crate::annotation::Annotation;
use crate::article::Article;
use crate::formats::native::{self, NativeArticle};
use crate::formats::{brat, conll, csv, jsonl, w3c};

/// One article and the annotations to export with it (text order).
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its annotations.
    pub annotations: Vec<Annotation>,
    /// The native entry's extra data (orphans, tombstones, unknown fields),
    /// kept so the native export is lossless.
    pub meta: Option<NativeArticle>,
    /// True for an article a user added: the native file then carries its text.
    pub carries_text: bool,
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The native file (FORMAT.md).
    Native,
    /// W3C Web Annotation JSON-LD, an `AnnotationCollection`.
    W3c,
    /// brat standoff (`.txt` + `.ann` per article, zipped).
    Brat,
    /// spaCy/Prodigy JSONL.
    Spacy,
    /// doccano JSONL.
    Doccano,
    /// CoNLL with IOB2 tags.
    Conll,
    /// CSV, one row per annotation.
    Csv,
}

impl Format {
    /// Every format, in menu order (native first, the default).
    pub const ALL: [Format; 7] = [
        Format::Native,
        Format::W3c,
        Format::Brat,
        Format::Spacy,
        Format::Doccano,
        Format::Conll,
        Format::Csv,
    ];

    /// Short stable name (used in the UI and tests).
    pub fn key(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::W3c => "w3c",
            Format::Brat => "brat",
            Format::Spacy => "spacy",
            Format::Doccano => "doccano",
            Format::Conll => "conll",
            Format::Csv => "csv",
        }
    }

    /// The format for a key.
    pub fn from_key(key: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.key() == key)
    }

    /// What people call it, with its offset unit.
    pub fn title(self) -> &'static str {
        match self {
            Format::Native => "Article Annotator JSON (lossless; code points)",
            Format::W3c => "W3C Web Annotation JSON-LD (code points)",
            Format::Brat => "brat standoff, .txt + .ann in a .zip (code points)",
            Format::Spacy => "spaCy / Prodigy JSONL (code points)",
            Format::Doccano => "doccano JSONL (UTF-16 code units, as doccano counts)",
            Format::Conll => "CoNLL / IOB2 tokens (longest span wins)",
            Format::Csv => "CSV, one row per annotation (code points)",
        }
    }

    /// File extension (the last one: `jsonl`, `zip`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Native => "json",
            Format::W3c => "jsonld",
            Format::Brat => "zip",
            Format::Spacy | Format::Doccano => "jsonl",
            Format::Conll => "conll",
            Format::Csv => "csv",
        }
    }

    /// How a download's name ends (after the dot), distinct for every
    /// format: spaCy and doccano are both `.jsonl`, brat is a `.zip`, so
    /// those carry the format's key too.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Format::Brat => "brat.zip",
            Format::Spacy => "spacy.jsonl",
            Format::Doccano => "doccano.jsonl",
            other => other.extension(),
        }
    }

    /// MIME type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Native => "application/json",
            Format::W3c => "application/ld+json",
            Format::Brat => "application/zip",
            Format::Spacy | Format::Doccano => "application/jsonl",
            Format::Conll => "text/plain",
            Format::Csv => "text/csv",
        }
    }
}

/// The file name `<scope>-annotations-<YYYY-MM-DD>.<suffix>`, where the
/// suffix ([`Format::file_suffix`]) differs for every format.
pub fn file_name(scope: &str, date: &str, format: Format) -> String {
    let scope: String = scope
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{scope}-annotations-{date}.{}", format.file_suffix())
}

/// Exports `docs` in `format`; `now` is the export time (RFC 3339),
/// `annotator` whose work it is (the user's name, when given).
pub fn export(docs: &[Doc<'_>], format: Format, now: &str, annotator: Option<&str>) -> Vec<u8> {
    match format {
        Format::Native => native::export(docs, now, annotator).into_bytes(),
        Format::W3c => w3c::export(docs, now, annotator).into_bytes(),
        Format::Brat => brat::export(docs),
        Format::Spacy => jsonl::spacy(docs).into_bytes(),
        Format::Doccano => jsonl::doccano(docs).into_bytes(),
        Format::Conll => conll::export(docs).into_bytes(),
        Format::Csv => csv::export(docs, annotator).into_bytes(),
    }
}
