//! The JSONL formats of NER tools, written only: one article a line.
//!
//! | format | line | offsets |
//! | --- | --- | --- |
//! | spaCy/Prodigy | `{"text", "meta": {"id", "title"}, "tokens", "spans": [{"start", "end", "token_start", "token_end", "label"}], "relations": [{"head", "child", "head_span", "child_span", "label"}]}` | code points (Python string indices); tokens indexed from 0, `token_end` inclusive |
//! | doccano | `{"text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}` | **UTF-16 code units** (doccano's editor counts JavaScript string indices) |
//!
//! Relations are those between the exported annotations (see
//! [`native::written_relations`]); fields (name, deadline, status …) have
//! no place in either format and are left out.

use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use crate::annotation::Annotation;
use crate::formats::export::Doc;
use crate::formats::native;

/// One token of a Prodigy task: its text, its code-point range and whether
/// one space follows it (`ws`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    /// The token's text.
    pub text: &'t str,
    /// Its first code point.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// True when a single space follows, which belongs to no token.
    pub ws: bool,
}

/// The tokens of `text` as spaCy lays them out (so that spaCy's
/// `Doc(vocab, words, spaces)` spells the text again): the words are
/// Unicode word bounds (UAX #29, as the CoNLL export), one space after a
/// token is its `ws`, and any other run of whitespace (a line break, a
/// second space) is a token of its own.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    // Words and runs of whitespace (merged across word bounds: a line break
    // and the spaces after it are one run, as in spaCy): (byte range, first
    // code point, whitespace?).
    let mut runs: Vec<(std::ops::Range<usize>, usize, bool)> = Vec::new();
    let (mut byte, mut cp) = (0, 0);
    for piece in text.split_word_bounds() {
        let space = piece.trim().is_empty();
        match runs.last_mut() {
            Some((range, _, true)) if space => range.end += piece.len(),
            _ => runs.push((byte..byte + piece.len(), cp, space)),
        }
        byte += piece.len();
        cp += piece.chars().count();
    }
    let mut out: Vec<Token<'_>> = Vec::with_capacity(runs.len());
    for (range, start, space) in runs {
        let mut run = &text[range];
        let mut start = start;
        if space && run.starts_with(' ') {
            if let Some(last) = out.last_mut() {
                last.ws = true;
                run = &run[1..];
                start += 1;
            }
        }
        if !run.is_empty() {
            let end = start + run.chars().count();
            out.push(Token {
                text: run,
                start,
                end,
                ws: false,
            });
        }
    }
    out
}

/// The first and last token (inclusive) that a code-point range touches,
/// as Prodigy's `token_start` and `token_end` (`tokens` in text order).
fn token_range(tokens: &[Token<'_>], start: usize, end: usize) -> (usize, usize) {
    let first = tokens.partition_point(|t| t.end <= start);
    let last = tokens.partition_point(|t| t.start < end).saturating_sub(1);
    (first.min(tokens.len().saturating_sub(1)), last.max(first))
}

/// spaCy/Prodigy JSONL: one article a line, as Prodigy's `relations`
/// interface reads and writes a task: the text, `meta` (article id and
/// title), the `tokens` (see [`tokens`]), the `spans` (code points, with
/// the tokens they cover) and the `relations`: `head` is the claim or
/// commitment and `child` the entity it is said by or committed by, each
/// given as the index of its span's last token (as Prodigy does) and as
/// the whole span (`head_span`, `child_span`); `label` is the relation's
/// type (`said_by`, `committed_by`). A claim and the entity nested at its
/// end share their last token (`head == child`): only the spans tell them
/// apart, as in Prodigy's own output. A span that starts or ends inside a
/// token (possible after a nudge by character) names that whole token.
pub fn spacy(docs: &[Doc<'_>]) -> String {
    docs.iter()
        .map(|d| {
            let toks = tokens(d.article.text());
            let span = |a: &Annotation| {
                let (first, last) = token_range(&toks, a.start, a.end);
                json!({
                    "start": a.start,
                    "end": a.end,
                    "token_start": first,
                    "token_end": last,
                    "label": a.label.as_str(),
                })
            };
            let spans: Vec<Value> = d.annotations.iter().map(span).collect();
            let by_id: std::collections::HashMap<&str, &Annotation> =
                d.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
            let relations: Vec<Value> = native::written_relations(&d.annotations, &[])
                .iter()
                .filter_map(|r| {
                    let (head, child) = (by_id.get(r.from.as_str())?, by_id.get(r.to.as_str())?);
                    let (head_span, child_span) = (span(head), span(child));
                    Some(json!({
                        "head": head_span["token_end"],
                        "child": child_span["token_end"],
                        "head_span": head_span,
                        "child_span": child_span,
                        "label": r.kind.as_str(),
                    }))
                })
                .collect();
            let tokens: Vec<Value> = toks
                .iter()
                .enumerate()
                .map(|(i, t)| json!({"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws}))
                .collect();
            let line = json!({
                "text": d.article.text(),
                "meta": {"id": d.article.id(), "title": d.article.headline()},
                "tokens": tokens,
                "spans": spans,
                "relations": relations,
            });
            format!("{line}\n")
        })
        .collect()
}

/// doccano JSONL as doccano's relation projects export it: one article a
/// line, `{"text", "entities": [{"id", "label", "start_offset",
/// "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`.
/// Offsets are **UTF-16 code units**: doccano's editor places a span by
/// JavaScript string indices, so code points would put every span after an
/// emoji (or any character outside the BMP) in the wrong place. Entity and
/// relation ids count from 1 through the whole file (as doccano's own ids
/// are unique in a project); a relation goes `from` the claim or
/// commitment `to` the entity. The same spans are also in `label` as
/// `[start, end, label]` lists, the column a sequence-labelling project
/// (no relations) reads by default.
pub fn doccano(docs: &[Doc<'_>]) -> String {
    let mut entity_id = 0;
    let mut relation_id = 0;
    docs.iter()
        .map(|d| {
            let units = Utf16Offsets::new(d.article.text());
            let mut ids = std::collections::HashMap::new();
            let entities: Vec<Value> = d
                .annotations
                .iter()
                .map(|a| {
                    entity_id += 1;
                    ids.insert(a.id.as_str(), entity_id);
                    json!({
                        "id": entity_id,
                        "label": a.label.as_str(),
                        "start_offset": units.of(a.start),
                        "end_offset": units.of(a.end),
                    })
                })
                .collect();
            let relations: Vec<Value> = native::written_relations(&d.annotations, &[])
                .iter()
                .filter_map(|r| {
                    let (from, to) = (ids.get(r.from.as_str())?, ids.get(r.to.as_str())?);
                    relation_id += 1;
                    Some(json!({"id": relation_id, "from_id": from, "to_id": to, "type": r.kind.as_str()}))
                })
                .collect();
            // `label` too: what a sequence-labelling project (no relations)
            // reads by default, the same spans as `entities`.
            let label: Vec<Value> = entities
                .iter()
                .map(|e| json!([e["start_offset"], e["end_offset"], e["label"]]))
                .collect();
            let line = json!({"text": d.article.text(), "entities": entities, "relations": relations, "label": label});
            format!("{line}\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, tokens as "text" with "_" for a following space).
    #[test]
    fn tokens_lay_out_whitespace_as_spacy_does() {
        let rows: &[(&str, &[&str])] = &[
            ("Koizumi said.", &["Koizumi_", "said", "."]),
            ("a  b", &["a_", " ", "b"]),
            ("a\nb", &["a", "\n", "b"]),
            ("a\n b", &["a", "\n ", "b"]),
            ("a \n\nb", &["a_", "\n\n", "b"]),
            (" a", &[" ", "a"]),
            ("Gyu-back’s", &["Gyu", "-", "back’s"]),
            ("👩\u{200d}💻 東京で", &["👩\u{200d}💻_", "東", "京", "で"]),
            ("", &[]),
        ];
        for (text, want) in rows {
            let got: Vec<String> = tokens(text)
                .iter()
                .map(|t| format!("{}{}", t.text, if t.ws { "_" } else { "" }))
                .collect();
            assert_eq!(got, *want, "{text:?}");
            // The tokens and their spaces spell the text, at their offsets.
            let spelt: String = got.concat().replace('_', " ");
            assert_eq!(&spelt, text);
            for t in tokens(text) {
                assert_eq!(crate::offsets::slice_cp(text, t.start, t.end), t.text);
            }
        }
    }

    #[test]
    fn a_span_covers_the_tokens_it_touches() {
        let text = "Ahn Gyu-back met Koizumi.";
        let toks = tokens(text);
        // "Gyu-back" is tokens 1..=3; "Koizumi" token 5; a span inside a
        // token still names that token.
        assert_eq!(token_range(&toks, 4, 12), (1, 3));
        assert_eq!(token_range(&toks, 17, 24), (5, 5));
        assert_eq!(token_range(&toks, 18, 20), (5, 5));
        assert_eq!(token_range(&toks, 0, 25), (0, 6));
    }
}
