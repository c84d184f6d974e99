//! CSV, written only: one row per annotation with its quote, note and the
//! sentence(s) around it, then who said it or committed to it and its
//! fields (see [`COLUMNS`]). Offsets (`start`, `end`) are code points of the
//! canonical text. RFC 4180 quoting is written by hand (a CSV library costs
//! more wasm than this); the tests read the file with the `csv` crate and
//! Python.

use unicode_segmentation::UnicodeSegmentation;

use std::collections::HashMap;

use crate::annotation::Annotation;
use crate::article::Article;
use crate::formats::export::Doc;
use crate::offsets::slice_cp;
use crate::relation::RelationType;

/// The header row. The columns after `sentence` were added with relations
/// and fields (FORMAT.md version 2), at the end so that the earlier ones
/// keep their places: `said_by` and `committed_by` hold the names of the
/// entities a claim is said by or a commitment committed by (an entity's
/// `name`, else its quote; several joined by `; `), `name` an entity's
/// name, then a commitment's `deadline`, `due`, `status` and `status_at`
/// and a claim's `checkable` (wire values: `in_progress`, `yes` …). Empty
/// where they do not apply or are not set.
pub const COLUMNS: [&str; 17] = [
    "article_id",
    "headline",
    "label",
    "start",
    "end",
    "quote",
    "note",
    "sentence",
    "said_by",
    "committed_by",
    "name",
    "deadline",
    "due",
    "status",
    "status_at",
    "checkable",
    "annotator",
];

/// The sentence(s) of the article around an annotation: from the start of
/// the sentence that holds its first character to the end of the sentence
/// that holds its last one (in another paragraph when the span crosses a
/// line break), trimmed. Sentences are Unicode sentence bounds (UAX #29)
/// within a block.
pub fn sentence_around(article: &Article, a: &Annotation) -> String {
    let last = a.end.saturating_sub(1).max(a.start);
    match (
        sentence_holding(article, a.start),
        sentence_holding(article, last),
    ) {
        (Some((from, _)), Some((_, to))) if from < to => {
            slice_cp(article.text(), from, to).trim().to_string()
        }
        _ => a.quote.clone(),
    }
}

/// The code-point range of the sentence holding code point `cp` (the last
/// sentence of a block for the block's end, that is its line break).
fn sentence_holding(article: &Article, cp: usize) -> Option<(usize, usize)> {
    let block = article
        .blocks()
        .iter()
        .find(|b| !b.range.is_empty() && b.range.start <= cp && cp <= b.range.end)?;
    let mut start = block.range.start;
    let mut found = None;
    for sentence in block.text.split_sentence_bounds() {
        let end = start + sentence.chars().count();
        found = Some((start, end));
        if cp < end {
            break;
        }
        start = end;
    }
    found
}

/// Appends one CSV record to `out`: RFC 4180 by hand (a CSV library costs
/// more wasm than this): a field is quoted when it holds a comma, a quote or
/// a line break, quotes doubled; records end with `\n`. Every CSV the app
/// writes (this export and the digest's) quotes through here.
pub(crate) fn record(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// CSV with a header row and a UTF-8 byte-order mark (so spreadsheets read
/// “quotes” and other non-ASCII text correctly); `annotator` (the user's
/// name, when given) fills the last column of every row.
pub fn export(docs: &[Doc<'_>], annotator: Option<&str>) -> String {
    let mut out = String::from("\u{feff}");
    record(&mut out, &COLUMNS);
    for d in docs {
        let by_id: HashMap<&str, &Annotation> =
            d.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
        for a in &d.annotations {
            // The linked entities' names, per relation type (links to an
            // annotation not exported are left out, as in every format).
            let linked = |kind: RelationType| {
                let names: Vec<&str> = a
                    .links
                    .iter()
                    .filter(|l| l.kind == kind)
                    .filter_map(|l| by_id.get(l.to.as_str()))
                    .map(|e| e.name())
                    .collect();
                names.join("; ")
            };
            let fields = &a.attributes;
            record(
                &mut out,
                &[
                    d.article.id(),
                    d.article.headline(),
                    a.label.as_str(),
                    &a.start.to_string(),
                    &a.end.to_string(),
                    &a.quote,
                    &a.note,
                    &sentence_around(d.article, a),
                    &linked(RelationType::SaidBy),
                    &linked(RelationType::CommittedBy),
                    fields.name.as_deref().unwrap_or_default(),
                    fields.deadline.as_deref().unwrap_or_default(),
                    fields.due.as_deref().unwrap_or_default(),
                    fields.status.map_or("", |s| s.as_str()),
                    fields.status_at.as_deref().unwrap_or_default(),
                    fields.checkable.map_or("", |c| c.as_str()),
                    annotator.unwrap_or_default(),
                ],
            );
        }
    }
    out
}
