//! Every export format, from one list of documents (an article and its
//! annotations). Offsets are code points of the canonical text in every
//! format (FORMAT.md); each format's notes below say so too.
//!
//! | format | file | offsets |
//! | --- | --- | --- |
//! | native | `.json` | code points (FORMAT.md) |
//! | W3C Web Annotation | `.jsonld` | `TextPositionSelector` start/end in code points, as the standard says |
//! | brat standoff | `.zip` of `<id>.txt` + `<id>.ann` | code points (brat counts Python string characters) |
//! | spaCy/Prodigy JSONL | `.jsonl` | code points (Python string indices) |
//! | doccano JSONL | `.jsonl` | code points (Python string indices) |
//! | CoNLL / IOB2 | `.conll` | none: tokens and tags |
//! | CSV | `.csv` | code points |

use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use crate::annotation::Annotation;
use crate::article::Article;
use crate::formats::native::{self, NativeArticle, NativeFile, FORMAT, VERSION};
use crate::offsets::slice_cp;

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
            Format::Doccano => "doccano JSONL (code points)",
            Format::Conll => "CoNLL / IOB2 tokens (longest span wins)",
            Format::Csv => "CSV, one row per annotation (code points)",
        }
    }

    /// File extension.
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

/// The file name `<scope>-annotations-<YYYY-MM-DD>.<ext>`.
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
    format!("{scope}-annotations-{date}.{}", format.extension())
}

/// Exports `docs` in `format`; `now` is the export time (RFC 3339).
pub fn export(docs: &[Doc<'_>], format: Format, now: &str) -> Vec<u8> {
    match format {
        Format::Native => native_file(docs, now).into_bytes(),
        Format::W3c => w3c(docs, now).into_bytes(),
        Format::Brat => brat_zip(docs),
        Format::Spacy => spacy(docs).into_bytes(),
        Format::Doccano => doccano(docs).into_bytes(),
        Format::Conll => conll(docs).into_bytes(),
        Format::Csv => csv(docs).into_bytes(),
    }
}

/// The native file for `docs`.
pub fn native_file(docs: &[Doc<'_>], now: &str) -> String {
    let articles = docs
        .iter()
        .map(|d| {
            let mut meta = d.meta.clone().unwrap_or(NativeArticle {
                id: String::new(),
                title: String::new(),
                text_sha256: String::new(),
                length: 0,
                annotations: Vec::new(),
                orphans: Vec::new(),
                deleted: Vec::new(),
                text: None,
                extra: Default::default(),
            });
            meta.id = d.article.id().to_string();
            meta.title = d.article.headline().to_string();
            meta.text_sha256 = d.article.text_sha256();
            meta.length = d.article.len();
            meta.annotations = d.annotations.clone();
            meta.text = d.carries_text.then(|| d.article.text().to_string());
            meta
        })
        .collect();
    native::write(&NativeFile {
        format: FORMAT.to_string(),
        version: VERSION,
        exported_at: now.to_string(),
        articles,
        extra: Default::default(),
    })
}

/// IRI naming an article as a W3C target source.
pub fn source_iri(article_id: &str) -> String {
    format!("urn:article-annotator:article:{article_id}")
}

/// The article id of a W3C target source written by [`source_iri`] (or any
/// IRI whose last `:`/`/` segment is the id).
pub fn article_of_source(source: &str) -> &str {
    source.rsplit([':', '/']).next().unwrap_or(source)
}

/// One W3C Web Annotation.
pub fn w3c_annotation(article: &Article, a: &Annotation) -> Value {
    let mut body = vec![json!({
        "type": "TextualBody",
        "purpose": "tagging",
        "value": a.label.as_str(),
    })];
    if !a.note.is_empty() {
        body.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "value": a.note,
            "format": "text/plain",
        }));
    }
    let mut anno = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("urn:uuid:{}", a.id),
        "type": "Annotation",
        "body": body,
        "target": {
            "source": source_iri(article.id()),
            "selector": [
                {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
    });
    if !a.created_at.is_empty() {
        anno["created"] = json!(a.created_at);
    }
    if !a.updated_at.is_empty() {
        anno["modified"] = json!(a.updated_at);
    }
    anno
}

/// A W3C `AnnotationCollection` with every annotation on its first page.
pub fn w3c(docs: &[Doc<'_>], now: &str) -> String {
    let items: Vec<Value> = docs
        .iter()
        .flat_map(|d| {
            d.annotations
                .iter()
                .map(move |a| w3c_annotation(d.article, a))
        })
        .collect();
    let titles: Vec<Value> = docs
        .iter()
        .map(|d| {
            json!({
                "id": source_iri(d.article.id()),
                "title": d.article.headline(),
                "text_sha256": d.article.text_sha256(),
            })
        })
        .collect();
    let doc = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("urn:article-annotator:export:{now}"),
        "type": "AnnotationCollection",
        "label": "Article Annotator export",
        "created": now,
        "total": items.len(),
        "article_annotator_sources": titles,
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The `.ann` file of one article: `T` lines (discontinuous fragments where
/// a span crosses a newline) and `#` AnnotatorNotes lines for notes.
pub fn brat_ann(article: &Article, annotations: &[Annotation]) -> String {
    let text = article.text();
    let mut out = String::new();
    for (n, a) in annotations.iter().enumerate() {
        let t = n + 1;
        let mut fragments = Vec::new();
        let mut start = a.start;
        for (i, c) in slice_cp(text, a.start, a.end).chars().enumerate() {
            if c == '\n' {
                let end = a.start + i;
                if end > start {
                    fragments.push((start, end));
                }
                start = end + 1;
            }
        }
        if a.end > start {
            fragments.push((start, a.end));
        }
        let offsets: Vec<String> = fragments.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let pieces: Vec<&str> = fragments
            .iter()
            .map(|(s, e)| slice_cp(text, *s, *e))
            .collect();
        out.push_str(&format!(
            "T{t}\t{} {}\t{}\n",
            a.label.as_str(),
            offsets.join(";"),
            pieces.join(" ")
        ));
        if !a.note.is_empty() {
            let note: String = a
                .note
                .chars()
                .map(|c| {
                    if c == '\n' || c == '\r' || c == '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            out.push_str(&format!("#{t}\tAnnotatorNotes T{t}\t{note}\n"));
        }
    }
    out
}

/// The brat files (`<id>.txt`, `<id>.ann`) of every document, zipped.
pub fn brat_zip(docs: &[Doc<'_>]) -> Vec<u8> {
    let mut files = Vec::new();
    for d in docs {
        let id = d.article.id();
        files.push((format!("{id}.txt"), d.article.text().as_bytes().to_vec()));
        files.push((
            format!("{id}.ann"),
            brat_ann(d.article, &d.annotations).into_bytes(),
        ));
    }
    stored_zip(&files)
}

/// A zip archive of `files` (name, bytes), stored without compression: the
/// whole format needed for that is a few headers and a CRC-32, much less
/// wasm than a zip library. Names are article ids plus an extension
/// (ASCII, see `article::check_id`); every entry is dated 1980-01-01.
fn stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&(v.min(u16::MAX as usize) as u16).to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&(v.min(u32::MAX as usize) as u32).to_le_bytes());
    }
    const DOS_DATE: usize = (1 << 5) | 1; // 1980-01-01
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let crc = crc32(data) as usize;
        let offset = out.len();
        // Local file header: version 1.0, no flags, stored, time 0.
        u32le(&mut out, 0x0403_4b50);
        for v in [10, 0, 0, 0, DOS_DATE] {
            u16le(&mut out, v);
        }
        u32le(&mut out, crc);
        u32le(&mut out, data.len());
        u32le(&mut out, data.len());
        u16le(&mut out, name.len());
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry: made by 2.0, needs 1.0.
        u32le(&mut central, 0x0201_4b50);
        for v in [20, 10, 0, 0, 0, DOS_DATE] {
            u16le(&mut central, v);
        }
        u32le(&mut central, crc);
        u32le(&mut central, data.len());
        u32le(&mut central, data.len());
        for v in [name.len(), 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_at = out.len();
    out.extend_from_slice(&central);
    // End of central directory.
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, files.len(), files.len()] {
        u16le(&mut out, v);
    }
    u32le(&mut out, central.len());
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}

/// CRC-32 (IEEE 802.3, the zip checksum).
fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, entry) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *entry = c;
    }
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

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

/// doccano JSONL: one article a line.
pub fn doccano(docs: &[Doc<'_>]) -> String {
    docs.iter()
        .map(|d| {
            let labels: Vec<Value> = d
                .annotations
                .iter()
                .map(|a| json!([a.start, a.end, a.label.as_str()]))
                .collect();
            format!("{}\n", json!({"text": d.article.text(), "label": labels}))
        })
        .collect()
}

/// CoNLL / IOB2: per article a `-DOCSTART-` line, then one block (summary,
/// headline, each paragraph) a sentence: `token<TAB>tag` lines and a blank
/// line. Tokens are Unicode word bounds without whitespace. Overlaps are
/// resolved longest span first: a span is tagged only if none of its tokens
/// is already taken by a longer one (ties: earlier start first).
pub fn conll(docs: &[Doc<'_>]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(&format!("-DOCSTART-\t{}\n\n", d.article.id()));
        let mut spans: Vec<&Annotation> = d.annotations.iter().collect();
        spans.sort_by(|a, b| b.len().cmp(&a.len()).then(a.start.cmp(&b.start)));
        for block in d.article.blocks() {
            if block.range.is_empty() {
                continue;
            }
            let mut tokens = Vec::new();
            let mut cp = block.range.start;
            for piece in block.text.split_word_bounds() {
                let n = piece.chars().count();
                if !piece.trim().is_empty() {
                    tokens.push((cp, cp + n, piece));
                }
                cp += n;
            }
            let mut tags: Vec<Option<(usize, &Annotation)>> = vec![None; tokens.len()];
            for a in &spans {
                let covered: Vec<usize> = (0..tokens.len())
                    .filter(|&i| tokens[i].0 < a.end && a.start < tokens[i].1)
                    .collect();
                if covered.is_empty() || covered.iter().any(|&i| tags[i].is_some()) {
                    continue;
                }
                for (k, &i) in covered.iter().enumerate() {
                    tags[i] = Some((k, a));
                }
            }
            for (i, (_, _, token)) in tokens.iter().enumerate() {
                let tag = match tags[i] {
                    None => "O".to_string(),
                    Some((0, a)) => format!("B-{}", a.label.as_str()),
                    Some((_, a)) => format!("I-{}", a.label.as_str()),
                };
                out.push_str(&format!("{token}\t{tag}\n"));
            }
            out.push('\n');
        }
    }
    out
}

/// The sentence(s) of the article around an annotation (within its block).
pub fn sentence_around(article: &Article, a: &Annotation) -> String {
    let Some(block) = article
        .blocks()
        .iter()
        .find(|b| b.range.start <= a.start && a.start <= b.range.end)
    else {
        return a.quote.clone();
    };
    let mut out = String::new();
    let mut cp = block.range.start;
    for sentence in block.text.split_sentence_bounds() {
        let n = sentence.chars().count();
        if cp < a.end && a.start < cp + n {
            out.push_str(sentence);
        }
        cp += n;
    }
    if a.end > block.range.end {
        // The span runs on into later paragraphs: add their text up to it.
        out.push_str(slice_cp(article.text(), block.range.end, a.end));
    }
    out.trim().to_string()
}

/// CSV with a header row and a UTF-8 byte-order mark (so spreadsheets read
/// “quotes” and other non-ASCII text correctly).
pub fn csv(docs: &[Doc<'_>]) -> String {
    // RFC 4180 by hand (a CSV library costs more wasm than this): a field
    // is quoted when it holds a comma, a quote or a line break, quotes
    // doubled; records end with \n.
    fn record(out: &mut String, fields: &[&str]) {
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
    let mut out = String::from("\u{feff}");
    record(
        &mut out,
        &[
            "article_id",
            "headline",
            "label",
            "start",
            "end",
            "quote",
            "note",
            "sentence",
        ],
    );
    for d in docs {
        for a in &d.annotations {
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
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::crc32;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }
}
