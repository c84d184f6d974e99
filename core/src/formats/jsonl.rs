//! The JSONL formats of NER tools, written only: one article a line.
//!
//! | format | line | offsets |
//! | --- | --- | --- |
//! | spaCy/Prodigy | `{"text", "meta": {"id", "title"}, "spans": [{"start", "end", "label"}]}` | code points (Python string indices) |
//! | doccano | `{"text", "label": [[start, end, label]]}` | **UTF-16 code units** (doccano's editor counts JavaScript string indices) |

use serde_json::{json, Value};

use crate::formats::export::Doc;

/// spaCy/Prodigy JSONL: one article a line.
pub fn spacy(docs: &[Doc<'_>]) -> String {
    docs.iter()
        .map(|d| {
            let spans: Vec<Value> = d
                .annotations
                .iter()
                .map(|a| json!({"start": a.start, "end": a.end, "label": a.label.as_str()}))
                .collect();
            let line = json!({
                "text": d.article.text(),
                "meta": {"id": d.article.id(), "title": d.article.headline()},
                "spans": spans,
            });
            format!("{line}\n")
        })
        .collect()
}

/// doccano JSONL: one article a line, `{"text", "label": [[start, end,
/// label]]}` with offsets in **UTF-16 code units**: doccano's editor places
/// a span by JavaScript string indices, so code points would put every span
/// after an emoji (or any character outside the BMP) in the wrong place.
pub fn doccano(docs: &[Doc<'_>]) -> String {
    docs.iter()
        .map(|d| {
            let units = Utf16Offsets::new(d.article.text());
            let labels: Vec<Value> = d
                .annotations
                .iter()
                .map(|a| json!([units.of(a.start), units.of(a.end), a.label.as_str()]))
                .collect();
            format!("{}\n", json!({"text": d.article.text(), "label": labels}))
        })
        .collect()
}

/// Code-point to UTF-16 offsets of one text, each in O(1) after one pass
/// (an article can have thousands of annotations); a text without
/// characters outside the BMP needs no table.
struct Utf16Offsets {
    /// The UTF-16 offset of every code-point offset (`0..=len`), or `None`
    /// when the text has no character outside the BMP (offsets are equal).
    table: Option<Vec<usize>>,
    /// The text's length in code points.
    len: usize,
}

impl Utf16Offsets {
    fn new(text: &str) -> Self {
        let len = text.chars().count();
        if text.chars().all(|c| c.len_utf16() == 1) {
            return Utf16Offsets { table: None, len };
        }
        let mut table = Vec::with_capacity(text.len() + 1);
        let mut units = 0;
        table.push(0);
        for c in text.chars() {
            units += c.len_utf16();
            table.push(units);
        }
        Utf16Offsets {
            table: Some(table),
            len,
        }
    }

    /// The UTF-16 offset of code-point offset `cp` (clamped to the end).
    fn of(&self, cp: usize) -> usize {
        match &self.table {
            None => cp.min(self.len),
            Some(t) => t.get(cp).or(t.last()).copied().unwrap_or(0),
        }
    }
}
