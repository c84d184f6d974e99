//! Every export format, from one list of documents (an article and its
//! annotations). Offsets are code points of the canonical text (FORMAT.md)
//! in every format but doccano, whose editor places spans by UTF-16 code
//! units (JavaScript string indices).
//!
//! | format | file name ends | offsets |
//! | --- | --- | --- |
//! | native | `.json` | code points (FORMAT.md) |
//! | W3C Web Annotation | `.jsonld` | `TextPositionSelector` start/end in code points, as the standard says |
//! | brat standoff | `.brat.zip` of `annotation.conf`, `visual.conf`, `<id>.txt` + `<id>.ann` | code points (brat counts Python string characters) |
//! | spaCy/Prodigy JSONL | `.spacy.jsonl` | code points (Python string indices) |
//! | doccano JSONL | `.doccano.jsonl` | **UTF-16 code units** (doccano's editor counts JavaScript string indices) |
//! | CoNLL / IOB2 | `.conll` | none: tokens and tags |
//! | CSV | `.csv` | code points |

use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use crate::annotation::Annotation;
use crate::article::Article;
use crate::formats::native::{self, NativeArticle, NativeFile, FORMAT, VERSION};
use crate::label::Label;
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
        "@context": ANNO_CONTEXT,
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

/// The namespace of the W3C export's own terms (the keys the Web Annotation
/// context does not define). A URN like the export's other IRIs
/// (`urn:article-annotator:article:<id>`): stable, and never fetched.
pub const W3C_NAMESPACE: &str = "urn:article-annotator:ns:";

/// The W3C Web Annotation JSON-LD context.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The collection's `@context`: the Web Annotation context, then an object
/// defining the export's own keys (`article_annotator_sources`, its
/// `title`s as Dublin Core titles and `text_sha256`s under
/// [`W3C_NAMESPACE`]), so a JSON-LD processor keeps them.
pub fn w3c_context() -> Value {
    json!([
        ANNO_CONTEXT,
        {
            "article_annotator_sources": {
                "@id": format!("{W3C_NAMESPACE}sources"),
                "@container": "@set",
            },
            "title": "http://purl.org/dc/terms/title",
            "text_sha256": format!("{W3C_NAMESPACE}textSha256"),
        },
    ])
}

/// A W3C `AnnotationCollection` with every annotation on its first page
/// (an `AnnotationPage` with its own `id`); without annotations the
/// collection has `total: 0` and no page, as the model allows.
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
    let id = format!("urn:article-annotator:export:{now}");
    let mut doc = json!({
        "@context": w3c_context(),
        "id": id,
        "type": "AnnotationCollection",
        "label": "Article Annotator export",
        "created": now,
        "total": items.len(),
        "article_annotator_sources": titles,
    });
    if !items.is_empty() {
        doc["first"] = json!({
            "id": format!("{id}:page:1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        });
    }
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

/// brat's `annotation.conf`: the three labels as entity types (the names
/// the `.ann` files use), and the other sections brat expects, empty.
/// Notes (`#` AnnotatorNotes lines) need no declaration.
pub fn brat_annotation_conf() -> String {
    let mut out =
        String::from("# Article Annotator's labels (brat standoff configuration).\n[entities]\n");
    for label in Label::ALL {
        out.push_str(label.as_str());
        out.push('\n');
    }
    out.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    out
}

/// The colours of a label in the app (`style.css`): the highlight's
/// background (its translucent light-theme colour laid over white) and the
/// underline colour, as brat's `bgColor` and `borderColor`.
pub fn label_colours(label: Label) -> (&'static str, &'static str) {
    match label {
        // rgba(37, 99, 235, 0.16) over white; --entity-line
        Label::Entity => ("#dce6fc", "#1d4ed8"),
        // rgba(217, 119, 6, 0.2) over white; --claim-line
        Label::Claim => ("#f7e4cd", "#b45309"),
        // rgba(22, 163, 74, 0.18) over white; --commitment-line
        Label::Commitment => ("#d5eede", "#15803d"),
    }
}

/// brat's `visual.conf`: the labels' display names and the app's colours.
pub fn brat_visual_conf() -> String {
    let mut out = String::from("[labels]\n");
    for label in Label::ALL {
        out.push_str(&format!("{} | {}\n", label.as_str(), label.title()));
    }
    out.push_str("\n[drawing]\n");
    for label in Label::ALL {
        let (bg, border) = label_colours(label);
        out.push_str(&format!(
            "{}\tfgColor:black, bgColor:{bg}, borderColor:{border}\n",
            label.as_str()
        ));
    }
    out
}

/// The brat collection, zipped: `annotation.conf` and `visual.conf`, then
/// every document's `<id>.txt` and `<id>.ann`.
pub fn brat_zip(docs: &[Doc<'_>]) -> Vec<u8> {
    let mut files = vec![
        (
            "annotation.conf".to_string(),
            brat_annotation_conf().into_bytes(),
        ),
        ("visual.conf".to_string(), brat_visual_conf().into_bytes()),
    ];
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

/// The line that starts a document in a CoNLL file: CoNLL-2003's
/// `-DOCSTART-` line in the exact form spaCy's `ner` converter splits
/// documents at (`-DOCSTART- -X- O O`); readers of the two-column form skip
/// any line starting with `-DOCSTART-`.
pub const CONLL_DOCSTART: &str = "-DOCSTART- -X- O O";

/// CoNLL / IOB2: per article a [`CONLL_DOCSTART`] line and a blank line,
/// then one block (summary, headline, each paragraph) a sentence:
/// `token<TAB>tag` lines and a blank line. The article id is not in the
/// file (no CoNLL reader skips a comment line: spaCy makes it a token);
/// documents follow the order of `docs`, and a one-article export names the
/// article in its file name. Tokens are Unicode word bounds without
/// whitespace. Overlaps are resolved longest span first: a span is tagged
/// only if none of its tokens is already taken by a longer one (ties:
/// earlier start first).
pub fn conll(docs: &[Doc<'_>]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(CONLL_DOCSTART);
        out.push_str("\n\n");
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
