//! The reference annotation used to measure suggestions
//! (`seed-gold.json`: an article id, its text's SHA-256, spans with a key,
//! label, start, end and quote, and relations between keys).

use serde::Deserialize;

use crate::label::Label;

/// One reference span.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSpan {
    /// Its key (`s0`, `s1`…), used by relations.
    pub key: String,
    /// Its label.
    pub label: Label,
    /// First code point.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The text.
    pub quote: String,
}

/// One reference relation.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    /// The claim's or commitment's key.
    pub from: String,
    /// `said_by` or `committed_by`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The entity's key.
    pub to: String,
}

/// A reference annotation of one article.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The article's id.
    pub article: String,
    /// The SHA-256 of its canonical text.
    pub text_sha256: String,
    /// Its spans.
    pub spans: Vec<GoldSpan>,
    /// Its relations.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

impl Gold {
    /// Reads a reference file.
    pub fn parse(raw: &str) -> Result<Gold, serde_json::Error> {
        serde_json::from_str(raw)
    }

    /// Its spans as `(start, end, label)`.
    pub fn triples(&self) -> Vec<(usize, usize, Label)> {
        self.spans
            .iter()
            .map(|s| (s.start, s.end, s.label))
            .collect()
    }
}
